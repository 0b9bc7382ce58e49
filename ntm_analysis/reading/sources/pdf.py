"""The PDF carrier (pdfplumber), for PDFs with a text layer.

Each page gives its text lines and its tables, in reading order (top to
bottom). Tables are found by their rules (bordered tables) and, among the
remaining text lines, by the alignment of their words (tables printed without
rules, see :mod:`.pdf_layout`). A table that runs
over two or more pages is joined into one, its repeated header dropped and a
row broken over the page mended. A PDF without a text layer (a scan) is
refused: this package does no OCR.

Places: "trang 14, bảng 1, hàng 5, cột 3" (page, table on that page, row of
the table on that page, column) and "trang 3, dòng 7" for text lines.
"""
from __future__ import annotations

import math
import re
import time
from pathlib import Path

from ...config import MAX_DOCUMENT_BYTES, MAX_PDF_PAGES, MAX_SECONDS_PER_PDF_PAGE
from ...findings import Findings
from ...i18n import _, num
from ...text import clean_text
from ..grid import Grid
from ..narrative import starts_list_item
from .container import refuse
from .document import Block, Paragraph, Table, continues, file_problem, grid_from_blocks, is_continuation_heading, join
from .pdf_layout import Line, build_table, find_regions, line_from_chars, line_pitch

_PAGE_FURNITURE = re.compile(r"^(trang\s*)?\d{1,4}(\s*/\s*\d{1,4})?$", re.IGNORECASE)


def _asks_for_a_password(exc: BaseException) -> bool:
    """pdfminer's refusal of an encrypted PDF (PDFPasswordIncorrect, wrapped by
    pdfplumber), or an error that says so."""
    seen: list[BaseException] = []
    todo: list[object] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or item in seen:
            continue
        seen.append(item)
        words = f"{type(item).__name__} {item}".lower()
        if "password" in words or "encrypt" in words:
            return True
        todo.extend([*item.args, item.__cause__, item.__context__])
    return False


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


#: A line of text reaching within this share of the text's width of the right margin is full (its
#: paragraph may go on), and lines of one paragraph are at most this many font sizes apart (top to top).
FULL_LINE, PARAGRAPH_PITCH = 0.12, 1.7

#: A table without rules: its columns (x-ranges, pt) and the spacing of the lines of one cell (pt).
Layout = tuple[list[tuple[float, float]], float]


def _page_blocks(page, page_no: int, seed: Layout | None = None) -> tuple[list[tuple[float, Block]], Layout | None]:
    """The page's text lines and tables, top to bottom, and the layout of the
    table without rules the page ends with (None if it ends otherwise).
    ``seed``: the layout of the table without rules the previous page ended
    with, which lines at the top of this page may continue."""
    found = page.find_tables()
    boxes = [t.bbox for t in found]

    def outside(obj) -> bool:
        mid_x, mid_y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= mid_x <= x1 and top <= mid_y <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(lambda obj: obj.get("object_type") != "char" or outside(obj))
    raw = [line for line in text_page.extract_text_lines() if clean_text(line["text"])]
    lines = [line_from_chars(line["text"], line.get("chars", []), line["top"], line["bottom"]) for line in raw]
    ruled = [(t.bbox[1], _read_table(t, page_no, number)) for number, t in enumerate(found, start=1)]
    return layout_blocks(lines, page_no, seed, ruled)


def layout_blocks(lines: list[Line], page_no: int, seed: Layout | None = None,
                  ruled: list[tuple[float, Table]] = (), annotate=None) -> tuple[list[tuple[float, Block]],
                                                                                  Layout | None]:
    """A page's text lines (and its ruled tables, by their top) → its paragraphs
    and tables, top to bottom, and the layout of the table without rules the
    page ends with. ``annotate(table, lines)`` is called on each table found
    from the alignment of words (OCR adds each cell's confidence)."""
    if ruled and seed is not None and min(top for top, _t in ruled) < min((ln.top for ln in lines), default=1e9):
        seed = None  # a ruled table comes first on the page
    if seed is not None and any(is_continuation_heading(ln.text) for ln in lines[:2]):
        lines = [ln for ln in lines if not is_continuation_heading(ln.text)]  # "Biểu 01 (tiếp)": furniture
    regions = find_regions(lines, seed[0] if seed else None)
    in_region = {k for taken, _ in regions for k in taken}
    tables: list[tuple[float, object]] = list(ruled)
    tables += [(lines[taken[0]].top, (taken, columns)) for taken, columns in regions]
    blocks: list[tuple[float, Block]] = []
    text_lines = [line for k, line in enumerate(lines) if k not in in_region]
    left = min((ln.x0 for ln in text_lines), default=0.0)
    right = max((ln.x1 for ln in text_lines), default=0.0)
    above: Line | None = None
    for n, line in enumerate(text_lines, start=1):
        flush = line.x0 <= left + 0.5 * line.size and not starts_list_item(line.text)
        close = above is None or line.top - above.top <= PARAGRAPH_PITCH * max(line.size, above.size)
        blocks.append((line.top, Paragraph(line.text, f"trang {page_no}, dòng {n}",
                                           full=line.x1 >= right - FULL_LINE * (right - left),
                                           follows=flush and close)))
        above = line
    ending: Layout | None = None
    for number, (top, table) in enumerate(sorted(tables, key=lambda pair: pair[0]), start=1):
        prefix = f"trang {page_no}, bảng {number}"
        if isinstance(table, tuple):
            taken, columns = table
            region = [lines[k] for k in taken]
            pitch = line_pitch(region, columns, seed[1] if seed and taken[0] == 0 else None)
            built = build_table(region, columns, prefix, pitch)
            if annotate is not None:
                annotate(built, taken, columns)
            blocks.append((top, built))
            if taken[-1] == len(lines) - 1 or all(_PAGE_FURNITURE.match(ln.text) for ln in lines[taken[-1] + 1:]):
                ending = (columns, pitch)
        else:
            table.places = [f"{prefix}, hàng {i + 1}" for i in range(len(table.rows))]
            blocks.append((top, table))
    return sorted(blocks, key=lambda pair: pair[0]), ending


def load_pdf_grids(path: Path, findings: Findings) -> list[Grid]:
    """Read a PDF with a text layer into one grid (text lines and tables in
    reading order). Refuses scans, encrypted, damaged and oversized files,
    and stops at :data:`MAX_PDF_PAGES` pages or a page slower than
    :data:`MAX_SECONDS_PER_PDF_PAGE` seconds."""
    problem = file_problem(path, MAX_DOCUMENT_BYTES)
    if problem:
        return refuse(findings, path, *problem)
    with path.open("rb") as handle:
        if not handle.read(1024).lstrip().startswith(b"%PDF"):
            return refuse(findings, path, "not_a_document",
                          _("this is not a PDF file (it does not start with %PDF)"))
    import pdfplumber  # noqa: PLC0415  (only PDF files need it)
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # encrypted or damaged
        reason = clean_text(str(exc))[:160] or type(exc).__name__
        if _asks_for_a_password(exc):
            return refuse(findings, path, "password_protected",
                          _("the PDF asks for a password to open; save or print a copy without a "
                            "password (or give the Word original)"))
        return refuse(findings, path, "corrupt_file",
                      _("the PDF is damaged and cannot be opened ({reason})").format(reason=reason))
    with pdf:
        if len(pdf.pages) > MAX_PDF_PAGES:
            return refuse(findings, path, "file_too_large",
                           _("the PDF has {n} pages; the limit is {limit}").format(n=num(len(pdf.pages)),
                                                                                   limit=num(MAX_PDF_PAGES)))
        scanned = [page_no for page_no, page in enumerate(pdf.pages, start=1) if not page.chars]
        if scanned:
            from .ocr import engine_problem  # noqa: PLC0415  (ocr imports this module: a circle)
            problem = engine_problem()
            if problem and len(scanned) == len(pdf.pages):
                return refuse(findings, path, "no_text_layer",
                               _("the PDF has no text layer (a scanned image) and OCR cannot run here: {problem}; "
                                 "or give the Word original or a PDF exported from it").format(problem=problem))
            if problem:
                findings.add("warning", "no_text_layer",
                             _("pages {pages} are scanned images without text and OCR cannot run here, so they are "
                               "not read: {problem}").format(pages=", ".join(map(str, scanned)), problem=problem),
                             file=path.name)

        read: dict = {}
        if scanned and not problem:
            from .ocr import ocr_blocks, read_pages  # noqa: PLC0415  (ocr imports this module: a circle)
            read = read_pages((n, *_scanned_image(pdf.pages[n - 1])) for n in scanned)

        def reader(page_no: int, page):
            if page.chars:
                return lambda seed: _page_blocks(page, page_no, seed), MAX_SECONDS_PER_PDF_PAGE
            if page_no not in read:
                return None, 0.0
            # the page's time bound is Tesseract's (read_pages): a slow page is not read, the others are
            return lambda seed: ocr_blocks(read[page_no], page_no, seed, path.name, findings), math.inf

        blocks = assemble_pages(path, findings, ((n, *reader(n, page)) for n, page in enumerate(pdf.pages, start=1)))
        if blocks is None:
            return []
        if not blocks:
            return refuse(findings, path, "no_text", _("no page of the PDF reads as text: it is not a scanned "
                                                         "document (photos, drawings or blank pages)"))
    grid = grid_from_blocks(path.name, blocks)
    if scanned and not problem:
        from .ocr import doubt_findings  # noqa: PLC0415  (ocr imports this module: a circle)
        grid.doubts = doubt_findings(blocks, path.name, findings)
    return [grid]


def _scanned_image(page) -> tuple[object, float]:
    """A page without text rendered as an image at the resolution of the scan it
    holds (150–300 dpi; 300 when it holds no image), and that resolution."""
    from .ocr import RENDER_DPI  # noqa: PLC0415  (ocr imports this module: a circle)

    dpi = RENDER_DPI
    images = [im for im in page.images if im.get("srcsize") and im["x1"] - im["x0"] > 0]
    if images:
        largest = max(images, key=lambda im: (im["x1"] - im["x0"]) * (im["bottom"] - im["top"]))
        dpi = min(RENDER_DPI, max(150.0, largest["srcsize"][0] / ((largest["x1"] - largest["x0"]) / 72)))
    return page.to_image(resolution=dpi).original, dpi


def assemble_pages(path: Path, findings: Findings, pages) -> list[Block] | None:
    """The blocks of a document's pages in reading order, a table continued
    over pages joined into one. ``pages`` yields (page number, reader, seconds
    allowed): ``reader(seed)`` gives the page's blocks and the layout of the
    table without rules it ends with (None for a page not read). None when a
    page is damaged or too slow (an error says which)."""
    blocks: list[Block] = []
    last_table: int | None = None
    seed: Layout | None = None  # the table without rules the previous page ended with
    for page_no, read, allowed in pages:
        if read is None:
            last_table, seed = None, None
            continue
        started = time.monotonic()
        try:
            page_blocks, ending = read(seed if last_table is not None else None)
        except Exception as exc:  # a malformed page  # noqa: BLE001
            reason = clean_text(str(exc))[:160] or type(exc).__name__
            refuse(findings, path, "corrupt_file",
                    _("page {page} cannot be read ({reason})").format(page=page_no, reason=reason))
            return None
        if time.monotonic() - started > allowed:
            refuse(findings, path, "too_slow",
                    _("page {page} took more than {seconds} s to read; the PDF is too complex (give the "
                      "Word original)").format(page=page_no, seconds=num(allowed)))
            return None
        for _top, block in page_blocks:
            if isinstance(block, Paragraph) and (_PAGE_FURNITURE.match(block.text) or (
                    last_table is not None and is_continuation_heading(block.text))):
                continue  # a page number or "Biểu 01 (tiếp)" between two parts of a table
            if isinstance(block, Table):
                if last_table is not None and continues(blocks[last_table], block, mend_split_rows=True):
                    blocks[last_table] = join(blocks[last_table], block, mend_split_rows=True)
                    continue
                blocks.append(block)
                last_table = len(blocks) - 1
            else:
                blocks.append(block)
                last_table = None
        seed = ending
    return blocks
