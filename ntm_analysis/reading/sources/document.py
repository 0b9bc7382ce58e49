"""What the Word and PDF carriers share: a document is a sequence of
paragraphs and tables, laid into ONE grid in reading order (as the Markdown
carrier does), so the table finder sees each appendix title above its table.

A paragraph is one cell in the first column. A table row spreads its cells
across columns, merged cells kept as merged ranges. Every grid row remembers
its place in the document's own terms, so a finding can say
"Bảng 2, hàng 5, cột 3" (Word) or "trang 14, bảng 1, hàng 5, cột 3" (PDF).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ...i18n import _, num
from ...text import clean_text, fold
from ..grid import Grid
from ..numbers import NumberParseError, parse_vn_number


@dataclass
class Paragraph:
    """One paragraph of text and its place ("đoạn 12", "trang 3, dòng 7")."""

    text: str
    place: str
    #: A line of a PDF: it reaches the right margin (its paragraph may go on in the next line), and it
    #: starts at the left margin close under the line above, without a list mark (it may go on the one
    #: above). Word's paragraphs are whole: both False.
    full: bool = False
    follows: bool = False


@dataclass
class Table:
    """One table: ``rows[r][c]`` is the text of the cell whose top-left corner
    is (r, c), None for empty or covered cells; ``merges`` are (r0, c0, r1, c1)
    inclusive; ``places[r]`` names row r ("Bảng 2, hàng 5")."""

    rows: list[list[str | None]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    #: Read by OCR: the confidence (0–100) of each cell (r, c) read, and the cells whose reading is
    #: uncertain (r, c) -> what was read, the alternatives and a crop of the scan (see ``sources.ocr``).
    confidence: dict[tuple[int, int], float] = field(default_factory=dict)
    doubts: dict[tuple[int, int], object] = field(default_factory=dict)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def row_texts(self, r: int) -> list[str]:
        return [fold(v or "") for v in self.rows[r]]


Block = Paragraph | Table

#: A heading over the second part of a table ("Biểu 01 (tiếp)", "(Tiếp theo)", "Tiếp theo Biểu 03"),
#: on folded text: between two parts of a table it does not end the table.
_CONTINUED = re.compile(r"^(?:(?:bieu|phu luc|bang)\s+[\w.]+\s*)?\(?\s*tiep(?:\s+theo)?"
                        r"(?:\s+(?:bieu|phu luc|bang)\s+[\w.]+)?\s*\)?\s*:?$")


def is_continuation_heading(text: str) -> bool:
    """True for the heading a document puts over the second part of a table
    ("Biểu 01 (tiếp)", "(tiếp theo)")."""
    return bool(_CONTINUED.match(fold(clean_text(text))))


def _header_size(table: Table) -> int:
    """Rows at the top of a table that hold no number (its header rows)."""
    size = 0
    for row in table.rows:
        if any(v and any(ch.isdigit() for ch in v) and not _is_year_or_label(v) for v in row):
            break
        size += 1
    return size


def _is_year_or_label(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def continues(first: Table, second: Table, mend_split_rows: bool = False) -> bool:
    """True when ``second`` continues ``first`` over a page break: the same
    number of columns, and it either repeats the first's header rows or starts
    straight with body rows."""
    if first.n_cols != second.n_cols or not first.rows or not second.rows:
        return False
    header = _header_size(first)
    if header and len(second.rows) > header and all(
            second.row_texts(i) == first.row_texts(i) for i in range(header)):
        return True
    if mend_split_rows and _is_row_fragment(first.rows[-1], second.rows[0]):
        return True
    return _header_size(second) == 0


def _is_row_fragment(previous: list[str | None], row: list[str | None]) -> bool:
    """A row broken over a page break: the part on the new page has an empty
    first cell and holds only the rest of texts begun in the previous row
    (no value of its own)."""
    if row[0] or not any(row):
        return False
    if any(v and _is_figure(v) for v in row) and not any(v and _is_figure(v) for v in previous):
        return False  # figures under a header row: the first body row, not the rest of the header
    return all(not v or (c < len(previous) and previous[c] and _is_year_or_label(previous[c]))
               for c, v in enumerate(row))


def _is_figure(text: str) -> bool:
    """A figure ("661.500", "16,15")."""
    try:
        return parse_vn_number(text) is not None
    except NumberParseError:
        return False


def join(first: Table, second: Table, mend_split_rows: bool = False) -> Table:
    """``second`` appended to ``first``, its repeated header rows dropped.
    With ``mend_split_rows`` (PDF), a row broken over the page break is put
    back together."""
    header = _header_size(first)
    skip = header if header and all(
        i < len(second.rows) and second.row_texts(i) == first.row_texts(i) for i in range(header)) else 0
    if mend_split_rows and skip < len(second.rows) and first.rows and \
            _is_row_fragment(first.rows[-1], second.rows[skip]):
        last = list(first.rows[-1])
        for c, v in enumerate(second.rows[skip]):
            if v:
                last[c] = f"{last[c]} {v}"
        mended = len(first.rows) - 1
        confidence = dict(first.confidence)
        doubts = dict(first.doubts)
        for (r, c), value in second.confidence.items():
            if r == skip:
                confidence[(mended, c)] = min(value, confidence.get((mended, c), 100.0))
        doubts.update({(mended, c): value for (r, c), value in second.doubts.items() if r == skip})
        first = Table(first.rows[:-1] + [last], first.merges, first.places, confidence, doubts)
        skip += 1
    offset = len(first.rows) - skip
    merges = first.merges + [(r0 + offset, c0, r1 + offset, c1) for r0, c0, r1, c1 in second.merges
                             if r0 >= skip]
    confidence = {**first.confidence, **{(r + offset, c): v for (r, c), v in second.confidence.items() if r >= skip}}
    doubts = {**first.doubts, **{(r + offset, c): v for (r, c), v in second.doubts.items() if r >= skip}}
    return Table(first.rows + second.rows[skip:], merges, first.places + second.places[skip:], confidence, doubts)


def grid_from_blocks(file: str, blocks: list[Block]) -> Grid:
    """Lay paragraphs and tables into one grid, in reading order."""
    cells: dict[tuple[int, int], object] = {}
    merges: list[tuple[int, int, int, int]] = []
    row_place: list[tuple[str, bool]] = []  # (place, is a table row)
    paragraphs: list[tuple[str, str]] = []
    confidence: dict[tuple[int, int], float] = {}
    previous: Block | None = None
    first_place = ""
    for block in blocks:
        if isinstance(block, Paragraph):
            text = clean_text(block.text)
            if not text:
                continue
            cells[(len(row_place), 0)] = text
            if block.follows and isinstance(previous, Paragraph) and previous.full and paragraphs:
                # the lines of one paragraph of a PDF are one paragraph, as in Word
                paragraphs[-1] = (f"{paragraphs[-1][0]} {text}", f"{first_place} – {block.place}")
            else:
                first_place = block.place
                paragraphs.append((text, block.place))
            row_place.append((block.place, False))
            previous = block
            continue
        previous = block
        top = len(row_place)
        for r, row in enumerate(block.rows):
            for c, value in enumerate(row):
                text = clean_text(value) if value is not None else ""
                if text:
                    cells[(top + r, c)] = text
            row_place.append((block.places[r], True))
        confidence.update({(top + r, c): v for (r, c), v in block.confidence.items()})
        merges.extend((top + r0, c0, top + r1, c1) for r0, c0, r1, c1 in block.merges
                      if (r0, c0) != (r1, c1))

    def locate(row: int, col: int) -> str:
        if row >= len(row_place):
            return f"hàng {row + 1}"
        place, in_table = row_place[row]
        return f"{place}, cột {col + 1}" if in_table else place

    return Grid(file, "", cells, merges, locate=locate, sheet_separator=None, paragraphs=paragraphs,
                confidence=confidence)


def file_problem(path: Path, limit_bytes: int) -> tuple[str, str] | None:
    """Why a document cannot be opened at all (check code, plain words): missing,
    empty or larger than ``limit_bytes``; None when it may be read."""
    if not path.is_file():
        return "missing_file", _("the file does not exist")
    size = path.stat().st_size
    if size == 0:
        return "empty_file", _("the file is empty (0 bytes)")
    if size > limit_bytes:
        return "file_too_large", _("the file is {size} MB; the limit is {limit} MB").format(
            size=num(size / 1e6, 1), limit=num(limit_bytes / 1024 / 1024))
    return None
