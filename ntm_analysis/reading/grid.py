"""A plain grid of cells: the carrier-neutral form every source is read into.

The table finder works only on grids, so new carriers (a Word document, the
Markdown conversion of a plan) plug in by producing grids.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from openpyxl.utils import get_column_letter


@dataclass(frozen=True)
class FormulaWithoutValue:
    """A formula cell saved without its cached value (the file was never
    recalculated): the reader cannot know its number."""

    formula: str


def a1(row: int, col: int) -> str:
    """0-based (row, col) -> A1 notation."""
    return f"{get_column_letter(col + 1)}{row + 1}"


@dataclass
class Grid:
    """The cells of one sheet (or one table of a document).

    ``cells`` maps 0-based (row, col) to a value: ``str`` (NFC, trimmed),
    ``int``/``float``, or :class:`FormulaWithoutValue`. Empty cells are absent.
    ``merges`` lists merged ranges as (first_row, first_col, last_row, last_col),
    inclusive. ``locate`` turns a position into the reference an analyst sees
    (A1 notation for spreadsheets).
    """

    file: str
    sheet: str
    cells: dict[tuple[int, int], object]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    locate: Callable[[int, int], str] = a1
    italic_rows: frozenset[int] = frozenset()
    #: Between the sheet name and the cell in a full reference ("!" for a
    #: workbook: ``Biểu 01!D7``); None when ``locate`` already names the whole
    #: place (a document: "Bảng 2, hàng 5, cột 3", "dòng 305").
    sheet_separator: str | None = "!"
    #: The paragraphs of a document (text, place), for the narrative reader;
    #: empty for a workbook.
    paragraphs: list[tuple[str, str]] = field(default_factory=list)
    #: A scan read by OCR: the confidence (0–100) of each cell read; empty for a file with text.
    confidence: dict[tuple[int, int], float] = field(default_factory=dict)
    #: A scan's uncertain figures (cell, reading, alternatives, confidence, crop PNG): see ``sources.ocr``.
    doubts: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.n_rows = 1 + max((r for r, _ in self.cells), default=-1)
        self.n_cols = 1 + max((c for _, c in self.cells), default=-1)
        self._rows: dict[int, dict[int, object]] = {}
        for (r, c), v in sorted(self.cells.items()):
            self._rows.setdefault(r, {})[c] = v
        self._anchor: dict[tuple[int, int], tuple[int, int]] = {}
        self._merged_cols: dict[int, set[int]] = {}  # row -> columns covered by a merged range
        self._merged_down: dict[int, set[tuple[int, int]]] = {}  # row -> anchors above it
        for r0, c0, r1, c1 in self.merges:
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    self._anchor[(r, c)] = (r0, c0)
                    self._merged_cols.setdefault(r, set()).add(c)
                if r > r0:
                    self._merged_down.setdefault(r, set()).add((r0, c0))
        self.n_rows = max(self.n_rows, 1 + max((r1 for _, _, r1, _ in self.merges), default=-1))
        self.n_cols = max(self.n_cols, 1 + max((c1 for _, _, _, c1 in self.merges), default=-1))
        #: rows with a cell or a merged range, in order (the only rows worth visiting)
        self.content_rows: list[int] = sorted(set(self._rows) | set(self._merged_cols))

    def reference(self, row: int, col: int) -> str:
        """The full place of a cell as written in the tidy tables' ``cell``
        column: ``Biểu 01!D7`` in a workbook, "Bảng 2, hàng 5, cột 3" in Word,
        "trang 14, bảng 1, hàng 5, cột 3" in a PDF, "dòng 305" in text."""
        if self.sheet_separator is None:
            return self.locate(row, col)
        return f"{self.sheet}{self.sheet_separator}{self.locate(row, col)}"

    def get(self, row: int, col: int) -> object:
        return self.cells.get((row, col))

    def filled(self, row: int, col: int) -> object:
        """Value of the cell, or of the merged range that covers it."""
        return self.cells.get(self._anchor.get((row, col), (row, col)))

    def is_merged_into(self, row: int, col: int) -> bool:
        """True for a covered (non-anchor) cell of a merged range."""
        anchor = self._anchor.get((row, col))
        return anchor is not None and anchor != (row, col)

    def merged_down_count(self, row: int) -> int:
        """Distinct merged ranges that cover ``row`` from a row above (a header
        cell such as "TT" spanning two header rows)."""
        return len(self._merged_down.get(row, ()))

    def filled_cols(self, row: int) -> list[int]:
        """Columns of ``row`` with a value of their own or from a merged range, left to right."""
        return sorted(set(self._rows.get(row, {})) | self._merged_cols.get(row, set()))

    def row(self, row: int) -> dict[int, object]:
        """The non-empty cells of ``row``, by column, left to right."""
        return self._rows.get(row, {})
