"""The PDF carrier (pdfplumber), for PDFs with a text layer.

Each page gives its text lines and its tables, in reading order (top to
bottom). Tables are found by their rules (bordered tables); a table printed
without rules is read as lines of text, so the finder reports it as not found
(reading such tables by text alignment is not done yet). A table that runs
over two or more pages is joined into one, its repeated header dropped and a
row broken over the page mended. A PDF without a text layer (a scan) is
refused: this package does no OCR.

Places: "trang 14, bảng 1, hàng 5, cột 3" (page, table on that page, row of
the table on that page, column) and "trang 3, dòng 7" for text lines.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

from ..config import MAX_DOCUMENT_BYTES, MAX_PDF_PAGES, MAX_SECONDS_PER_PDF_PAGE
from ..findings import Findings
from ..grid import Grid
from ..i18n import _, num
from ..text import clean_text
from .document import Block, Paragraph, Table, continues, file_problem, grid_from_blocks, join

_PAGE_FURNITURE = re.compile(r"^(trang\s*)?\d{1,4}(\s*/\s*\d{1,4})?$", re.IGNORECASE)


def _refuse(findings: Findings, path: Path, check: str, message: str) -> list[Grid]:
    findings.add("error", check, message, file=path.name)
    return []


def _spans(bounds: list[tuple[float, float]], low: float, high: float) -> list[int]:
    """Indices of the bands (columns or rows) whose middle lies in [low, high]."""
    return [i for i, (a, b) in enumerate(bounds) if low - 0.5 <= (a + b) / 2 <= high + 0.5]


def _bands(extents: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The grid bands (columns or rows) of a ruled table: between consecutive
    distinct cell edges (edges closer than 1.5 pt are one)."""
    edges: list[float] = []
    for edge in sorted(x for pair in extents for x in pair):
        if not edges or edge - edges[-1] > 1.5:
            edges.append(edge)
    return list(zip(edges, edges[1:]))


def _read_table(found, page_no: int, number: int) -> Table:
    """One pdfplumber table -> Table, merged cells found from cell boxes."""
    texts = found.extract()
    col_bounds = _bands([(b[0], b[2]) for b in found.cells])
    row_bounds = _bands([(b[1], b[3]) for b in found.cells])
    merges: list[tuple[int, int, int, int]] = []
    rows: list[list[str | None]] = []
    for r, row in enumerate(found.rows):
        out: list[str | None] = []
        for c, box in enumerate(row.cells):
            text = texts[r][c] if r < len(texts) and c < len(texts[r]) else None
            out.append(clean_text(text) or None if text else None)
            if box is None:
                continue
            cols = _spans(col_bounds, box[0], box[2]) or [c]
            rws = _spans(row_bounds, box[1], box[3]) or [r]
            if len(cols) > 1 or len(rws) > 1:
                merges.append((min(rws), min(cols), max(rws), max(cols)))
        rows.append(out)
    places = [f"trang {page_no}, bảng {number}, hàng {i + 1}" for i in range(len(rows))]
    return Table(rows, merges, places)


def _page_blocks(page, page_no: int) -> list[tuple[float, Block]]:
    found = page.find_tables()
    boxes = [t.bbox for t in found]

    def outside(obj) -> bool:
        mid_x, mid_y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= mid_x <= x1 and top <= mid_y <= bottom for x0, top, x1, bottom in boxes)

    blocks: list[tuple[float, Block]] = []
    text_page = page.filter(lambda obj: obj.get("object_type") != "char" or outside(obj))
    for n, line in enumerate(text_page.extract_text_lines(), start=1):
        text = clean_text(line["text"])
        if text:
            blocks.append((line["top"], Paragraph(text, f"trang {page_no}, dòng {n}")))
    for number, table in enumerate(sorted(found, key=lambda t: t.bbox[1]), start=1):
        blocks.append((table.bbox[1], _read_table(table, page_no, number)))
    return sorted(blocks, key=lambda pair: pair[0])


def load_pdf_grids(path: Path, findings: Findings) -> list[Grid]:
    """Read a PDF with a text layer into one grid (text lines and tables in
    reading order). Refuses scans, encrypted, damaged and oversized files,
    and stops at :data:`MAX_PDF_PAGES` pages or a page slower than
    :data:`MAX_SECONDS_PER_PDF_PAGE` seconds."""
    problem = file_problem(path, MAX_DOCUMENT_BYTES)
    if problem:
        return _refuse(findings, path, *problem)
    with path.open("rb") as handle:
        if not handle.read(1024).lstrip().startswith(b"%PDF"):
            return _refuse(findings, path, "not_a_document",
                           _("this is not a PDF file (it does not start with %PDF)"))
    import pdfplumber  # noqa: PLC0415  (only PDF files need it)
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # encrypted or damaged
        reason = clean_text(str(exc))[:160] or type(exc).__name__
        if "password" in reason.lower() or "encrypt" in reason.lower() or type(exc).__name__ == "PDFPasswordIncorrect":
            return _refuse(findings, path, "password_protected",
                           _("the PDF is password-protected; save an unprotected copy"))
        return _refuse(findings, path, "corrupt_file",
                       _("the PDF is damaged and cannot be opened ({reason})").format(reason=reason))
    with pdf:
        if len(pdf.pages) > MAX_PDF_PAGES:
            return _refuse(findings, path, "file_too_large",
                           _("the PDF has {n} pages; the limit is {limit}").format(n=num(len(pdf.pages)),
                                                                                   limit=num(MAX_PDF_PAGES)))
        if not any(page.chars for page in pdf.pages):
            return _refuse(findings, path, "no_text_layer",
                           _("the PDF has no text layer (a scanned image); this package does no OCR: give the Word "
                             "original or a PDF exported from it"))
        blocks: list[Block] = []
        last_table: int | None = None
        for page_no, page in enumerate(pdf.pages, start=1):
            started = time.monotonic()
            try:
                page_blocks = _page_blocks(page, page_no)
            except Exception as exc:  # a malformed page
                reason = clean_text(str(exc))[:160] or type(exc).__name__
                return _refuse(findings, path, "corrupt_file",
                               _("page {page} cannot be read ({reason})").format(page=page_no, reason=reason))
            if time.monotonic() - started > MAX_SECONDS_PER_PDF_PAGE:
                return _refuse(findings, path, "too_slow",
                               _("page {page} took more than {seconds} s to read; the PDF is too complex (give the "
                                 "Word original)").format(page=page_no, seconds=num(MAX_SECONDS_PER_PDF_PAGE)))
            for _place, block in page_blocks:
                if isinstance(block, Paragraph) and _PAGE_FURNITURE.match(block.text):
                    continue  # a page number between two parts of a table
                if isinstance(block, Table):
                    if last_table is not None and continues(blocks[last_table], block, mend_split_rows=True):
                        blocks[last_table] = join(blocks[last_table], block, mend_split_rows=True)
                        continue
                    blocks.append(block)
                    last_table = len(blocks) - 1
                else:
                    blocks.append(block)
                    last_table = None
    return [grid_from_blocks(path.name, blocks)]
