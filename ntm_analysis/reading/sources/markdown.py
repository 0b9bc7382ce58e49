"""The Markdown carrier: a document converted to Markdown (as the plan in
../shared reached us). Each line is a row; a pipe-table line spreads its cells
across columns; any other text line is one cell in the first column."""
from __future__ import annotations

import re
from pathlib import Path

from ... import config
from ...findings import Findings
from ...i18n import _, num
from ...text import clean_text
from ..grid import Grid

_TAG = re.compile(r"<[^>]+>")
_EMPHASIS = re.compile(r"(?<!\\)\*\*|(?<![\w\\])\*|(?<!\\)\*(?!\w)|__")
_HEADING = re.compile(r"^#{1,6}\s+|\s+#+\s*$")  # "## II. MỤC TIÊU ##"
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")  # "1\." "\-" "\*" as converters write them
_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _cell_text(raw: str) -> str:
    return clean_text(_ESCAPED.sub(r"\1", _EMPHASIS.sub("", _TAG.sub("", _HEADING.sub("", raw)))))


def _locate(row: int, col: int) -> str:
    """A line of the text file ("dòng 305"), with the table column when the
    line is a table row."""
    return f"dòng {row + 1}" if col == 0 else f"dòng {row + 1}, cột {col + 1}"


def load_markdown_grids(path: Path, findings: Findings) -> list[Grid]:
    """Read a Markdown (or plain text) document into one grid (rows = lines)."""
    if not path.is_file() or path.stat().st_size == 0:
        findings.add("error", "empty_file", _("the file is empty or missing"), file=path.name)
        return []
    if path.stat().st_size > config.MAX_WORKBOOK_BYTES:
        findings.add("error", "file_too_large", _("the file is too large: {size} MB; the limit is {limit} MB; keep "
                                                  "only the appendix tables").format(
            size=num(path.stat().st_size / 1e6, 1), limit=num(config.MAX_WORKBOOK_BYTES // 1024 // 1024)),
            file=path.name)
        return []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        findings.add("error", "not_a_workbook", _("the file is not UTF-8 text; save it with the UTF-8 encoding"),
                     file=path.name)
        return []
    cells: dict[tuple[int, int], object] = {}
    paragraphs: list[tuple[str, str]] = []
    for r, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or _SEPARATOR.match(stripped):
            continue
        if stripped.startswith("|"):
            parts = re.split(r"(?<!\\)\|", stripped.strip("|"))  # "\|" is a bar inside a cell
            for c, part in enumerate(parts):
                text = _cell_text(part)
                if text:
                    cells[(r, c)] = text
            if len(cells) > config.MAX_CELLS:
                findings.add("error", "file_too_large",
                             _("the file is too large: more than {n} table cells (limit of ntm_analysis/config.py); "
                               "keep only the appendix tables").format(n=num(config.MAX_CELLS)), file=path.name)
                return []
        else:
            text = _cell_text(stripped)
            if text:
                cells[(r, 0)] = text
                paragraphs.append((text, f"dòng {r + 1}"))
    return [Grid(path.name, "", cells, locate=_locate, sheet_separator=None, paragraphs=paragraphs)]
