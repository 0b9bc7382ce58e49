"""Page by page, what a document with pages (a PDF, a scan) gave when an appendix table is
not found (issue 23): a page read as text alone, or a page whose table is none of Biểu
01–03, is a warning naming the page, so the analyst sees where the tables were looked for
and what each page held (a page that gave no text at all is said by its reader:
``ocr_page_unread``)."""
from __future__ import annotations

import re

from ..findings import Findings
from ..i18n import _, ngettext, num
from .finder import LocatedTable
from .grid import Grid

#: A place of a document with pages: "trang 3, dòng 5", "trang 14, bảng 1, hàng 5, cột 3".
_PAGE_PLACE = re.compile(r"^trang (\d+), (bảng|dòng) ")
#: The first row of a table quoted at most this long (characters).
QUOTE = 80


def report_pages(grids: list[Grid], found: dict[str, list[LocatedTable]], file: str, findings: Findings) -> None:
    """A warning ``page_without_table`` for each page whose text gave no appendix table:
    its lines of text counted, or its table's first row quoted. Documents without pages
    (a workbook, Word, text) say nothing here."""
    used = {(id(t.grid), row) for tables in found.values() for t in tables for row in t.header_rows + t.body_rows}
    pages: dict[int, dict] = {}
    for grid in grids:
        for row in grid.content_rows:
            match = _PAGE_PLACE.match(grid.locate(row, 0))
            if not match:
                continue
            page = pages.setdefault(int(match.group(1)), {"lines": 0, "table_rows": 0, "used": False, "first": ""})
            if match.group(2) == "dòng":
                page["lines"] += 1
                continue
            page["table_rows"] += 1
            page["used"] = page["used"] or (id(grid), row) in used
            if not page["first"]:
                page["first"] = " | ".join(str(v) for v in grid.row(row).values())[:QUOTE]
    for number, page in sorted(pages.items()):
        if page["used"]:
            continue
        if page["table_rows"]:
            message = _("page {page}: a table was read ({rows}; its first row: '{first}'), but its title and header "
                        "words are none of the appendix tables (Biểu 01–03)").format(
                page=number, rows=ngettext("{n} row", "{n} rows", page["table_rows"]).format(n=num(page["table_rows"])),
                first=page["first"])
        else:
            message = ngettext("page {page}: {n} line of text read, no table found on it",
                               "page {page}: {n} lines of text read, no table found on it", page["lines"]).format(
                page=number, n=num(page["lines"]))
        findings.add("warning", "page_without_table", message, file=file, cell=f"trang {number}")
