"""Write the test plan laid out as other hands lay plans out (run once; the
outputs are committed so the tests need neither this script nor LibreOffice).

Each variant is the test plan of scripts/make_test_documents.py (the same
appendix tables, transcribed from the raw workbook, and the same target
sentences written for the tests) with one change of layout:

split-header   the header rows of Biểu 01 and 03 cut in two table rows, unmerged
               ("Lũy kế số xã đạt tiêu chí" above "đến hết năm 2020").
separators     figures written with the other Vietnamese habits: a space between
               thousands ("13 500"), a decimal comma after a thousands dot
               ("661.500,0") and the percent sign ("98,50%").
blank-column   an empty column (no header, no figure) in each table.
footnotes      under each table a footnote row across its columns and a note
               paragraph ("Ghi chú: …", "(*) …").
continued      Biểu 01 and 03 cut in two over a page break, the second part under
               a "(tiếp)" heading, Biểu 01 repeating its header, Biểu 03 not.
sections       each table in its own section: Biểu 01 and 02 landscape, Biểu 03
               portrait, the text after them.
page-numbers   the page number printed at the top of every page, centred, as
               Vietnamese administrative documents number their pages.
centred        the tables as many offices set them: every cell but the labels
               centred, vertically too, no space between the lines of a cell or
               between rows (the rows of a PDF without rules as close as its lines).
all            every change above at once but the centring; also exported by LibreOffice
               as PDF with rules (plan-variant-all.pdf) and without (plan-variant-all-no-rules.pdf).
               (With the centring too, a row whose label starts at the foot of a page
               and whose figures are on the next is not put back together in a PDF
               without rules: a known limit, see sources/pdf_layout.py.)

The centred tables are also exported without rules (plan-variant-centred-no-rules.pdf).

Also: plan-test-libreoffice.docx (plan-test.docx opened and saved again as
.docx by LibreOffice) and plan-test-pandoc.md (the test plan as a Markdown
converter writes it: padded pipe tables, alignment colons, escaped characters,
headings and emphasis).

Usage: python scripts/make_variant_documents.py
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ALIGN_VERTICAL
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_test_documents import NARRATIVE, OUT, WORKBOOK, _borders, _text  # noqa: E402

from ntm_analysis.findings import Findings  # noqa: E402
from ntm_analysis.reading.sources import load_grids  # noqa: E402

VARIANTS = ("split-header", "separators", "blank-column", "footnotes", "continued", "sections", "centred",
            "page-numbers")


@dataclass
class Sheet:
    """One appendix: its title lines and its table (rows of texts, merged ranges)."""

    name: str
    titles: list[str]
    rows: list[list[str]]
    header: int  # how many of the rows are header rows
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


def read_sheets() -> list[Sheet]:
    """The three appendices of the raw workbook, figures as the workbook shows them."""
    sheets = []
    for grid in load_grids(WORKBOOK, Findings()):
        top = next(r for r in range(grid.n_rows) if len(grid.row(r)) >= 3)
        titles = [_text(grid.get(r, 0)) for r in range(top) if grid.row(r)]
        header = 2 if any(grid.is_merged_into(top + 1, c) for c in range(grid.n_cols)) else 1
        rows = [["" if grid.is_merged_into(r, c) else _text(grid.get(r, c)) for c in range(grid.n_cols)]
                for r in range(top, grid.n_rows)]
        merges = [(r0 - top, c0, r1 - top, c1) for r0, c0, r1, c1 in grid.merges if r0 >= top]
        sheets.append(Sheet(grid.sheet, titles, rows, header, merges))
    return sheets


def split_header(sheet: Sheet) -> None:
    """A one-row header cut in two: the words from "đến hết" / "năm" go to a second row."""
    if sheet.header != 1:
        return
    first, second = [], []
    for text in sheet.rows[0]:
        cut = next((text.find(w) for w in (" đến hết", " năm 20") if w in text), -1)
        first.append(text[:cut] if cut > 0 else text)
        second.append(text[cut + 1:] if cut > 0 else "")
    sheet.rows[0:1] = [first, second]
    sheet.header = 2


def separators(sheet: Sheet) -> None:
    """Thousands by a space, ",0" after a thousands dot, "%" after a percentage."""
    percent_cols = {c for c, text in enumerate(sheet.rows[sheet.header - 1]) if "(%)" in text}
    for row in sheet.rows[sheet.header:]:
        for c, text in enumerate(row):
            if not text or not text[0].isdigit() or c == 0:
                continue
            if sheet.name == "Biểu 03" and "." in text:
                row[c] = text + ",0"
            elif "." in text:
                row[c] = text.replace(".", "\u00a0")
            elif c in percent_cols:
                row[c] = text + "%"


def blank_column(sheet: Sheet) -> None:
    """An empty column after the label column (the second)."""
    for row in sheet.rows:
        row.insert(2, "")
    sheet.merges = [(r0, c0 + (c0 >= 2), r1, c1 + (c1 >= 2)) for r0, c0, r1, c1 in sheet.merges]


FOOTNOTE_ROW = "Ghi chú: số liệu trong biểu do các huyện báo cáo, tổng hợp lại để kiểm thử."
NOTE_PARAGRAPH = "(*) Biểu này được dựng lại để kiểm tra việc đọc tài liệu, không phải văn bản gốc."


def render(path: Path, variants: set[str], ruled: bool = True) -> None:
    """Write the plan as .docx with the given variants of layout."""
    sheets = read_sheets()
    for sheet in sheets:
        if "split-header" in variants:
            split_header(sheet)
        if "separators" in variants:
            separators(sheet)
        if "blank-column" in variants:
            blank_column(sheet)
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    text_first = "sections" not in variants
    if text_first:
        for text in NARRATIVE:
            document.add_paragraph(text)
    for i, sheet in enumerate(sheets):
        if i == 0 or "sections" in variants:
            section = document.sections[0] if i == 0 and not text_first else document.add_section()
            landscape = not ("sections" in variants and sheet.name == "Biểu 03")
            width, height = sorted((section.page_width, section.page_height), reverse=landscape)
            section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = width, height
        for text in sheet.titles:
            document.add_paragraph(text)
        body = list(range(sheet.header, len(sheet.rows)))
        parts = [body]
        if "continued" in variants and sheet.name in ("Biểu 01", "Biểu 03"):
            cut = 14 if sheet.name == "Biểu 01" else 6
            parts = [body[:cut], body[cut:]]
        for p, part in enumerate(parts):
            repeat = p == 0 or sheet.name == "Biểu 01"
            if p > 0:
                _page_break(document)
                document.add_paragraph(f"{sheet.name} (tiếp)" if sheet.name == "Biểu 01" else "(tiếp theo)")
            rows = (list(range(sheet.header)) if repeat else []) + part
            table = _add_table(document, sheet, rows, ruled, "centred" in variants)
            if "footnotes" in variants and p == len(parts) - 1:
                cells = table.add_row().cells
                merged = cells[0].merge(cells[-1])
                merged.text = FOOTNOTE_ROW
        if "footnotes" in variants:
            document.add_paragraph(NOTE_PARAGRAPH)
        if i < len(sheets) - 1 and "sections" not in variants:
            _page_break(document)
    if "page-numbers" in variants:
        _number_pages(document)
    if not text_first:
        section = document.add_section()
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = sorted((section.page_width, section.page_height))
        for text in NARRATIVE:
            document.add_paragraph(text)
    document.save(path)


def _number_pages(document) -> None:
    """A centred PAGE field in the header (the later sections' headers are linked to the first's)."""
    for section in document.sections[:1]:
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        paragraph._p.append(field)


def _page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _centre(table, label_col: int) -> None:
    """Every cell centred (the label column left), vertically too; no space around paragraphs."""
    for row in table.rows:
        for c, cell in enumerate(row.cells):
            cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
                paragraph.paragraph_format.space_before = Pt(0)
                paragraph.paragraph_format.line_spacing = 1.0
                if c != label_col:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _add_table(document, sheet: Sheet, rows: list[int], ruled: bool, centred: bool = False):
    width = len(sheet.rows[0])
    table = document.add_table(rows=len(rows), cols=width)
    if ruled:
        _borders(table)
    for i, r in enumerate(rows):
        for c in range(width):
            if sheet.rows[r][c]:
                table.cell(i, c).text = sheet.rows[r][c]
    for r0, c0, r1, c1 in sheet.merges:
        if r0 in rows and r1 in rows:
            text = sheet.rows[r0][c0]
            merged = table.cell(rows.index(r0), c0).merge(table.cell(rows.index(r1), c1))
            merged.text = text
    if centred:
        _centre(table, 1)
    return table


def write_pandoc_markdown(path: Path) -> None:
    """The test plan as a Markdown converter writes it: headings, emphasis,
    escaped characters, pipe tables padded to the width of their columns with
    alignment colons; a merged header cell written once."""
    lines = []
    for text in NARRATIVE:
        if text.isupper() or text[:3] in ("I. ", "II.", "III", "IV."):
            lines += [f"## **{text}**", ""]
        else:
            escaped = text.replace("*", "\\*").replace("[", "\\[").replace("]", "\\]")
            if escaped[:1] == "-":  # a converter keeps a dash or a number at the start from making a list
                escaped = "\\" + escaped
            escaped = re.sub(r"^(\d+)\. ", r"\1\\. ", escaped)
            lines += [escaped, ""]
    for sheet in read_sheets():
        lines += [f"**{sheet.titles[0]}**", "", *[f"*{t}*" for t in sheet.titles[1:]], ""]
        rows = [[cell.replace("|", "\\|") for cell in row] for row in sheet.rows]
        widths = [max(3, *(len(row[c]) for row in rows)) for c in range(len(rows[0]))]
        for r, row in enumerate(rows):
            lines.append("| " + " | ".join(cell.ljust(widths[c]) for c, cell in enumerate(row)) + " |")
            if r == 0:
                marks = [":" + "-" * (w - 1) if c < 2 else "-" * (w - 1) + ":" for c, w in enumerate(widths)]
                lines.append("|" + "|".join(f" {m} " if c else f" {m} " for c, m in enumerate(marks)) + "|")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def _soffice(source: Path, target: str, outdir: Path) -> Path:
    soffice = shutil.which("soffice")
    if not soffice:
        raise SystemExit("LibreOffice (soffice) is needed to export the PDFs")
    subprocess.run([soffice, "--headless", "--convert-to", target, "--outdir", str(outdir), str(source)],
                   check=True, capture_output=True, timeout=240)
    return outdir / f"{source.stem}.{target.split(':')[0]}"


def main() -> None:
    out = OUT / "variants"
    out.mkdir(parents=True, exist_ok=True)
    for variant in VARIANTS:
        render(out / f"plan-variant-{variant}.docx", {variant})
    render(out / "plan-variant-all.docx", set(VARIANTS) - {"centred"})
    with tempfile.TemporaryDirectory() as tmp:  # the centred tables alone, without rules, as PDF
        centred = Path(tmp) / "plan-variant-centred-no-rules.docx"
        render(centred, {"centred"}, ruled=False)
        _soffice(centred, "pdf", out)
    _soffice(out / "plan-variant-all.docx", "pdf", out)
    with tempfile.TemporaryDirectory() as tmp:
        unruled = Path(tmp) / "plan-variant-all-no-rules.docx"
        render(unruled, set(VARIANTS) - {"centred"}, ruled=False)
        _soffice(unruled, "pdf", out)
        copy = Path(tmp) / "in"
        copy.mkdir()
        shutil.copy(OUT / "plan-test.docx", copy / "plan-test-libreoffice.docx")
        made = _soffice(copy / "plan-test-libreoffice.docx", "docx:MS Word 2007 XML", Path(tmp))
        shutil.copy(made, out / "plan-test-libreoffice.docx")
    write_pandoc_markdown(out / "plan-test-pandoc.md")


if __name__ == "__main__":
    main()
