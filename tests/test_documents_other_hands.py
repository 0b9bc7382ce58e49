"""Plans laid out by other hands read exactly: each layout variant of the test
plan gives the workbook's tidy tables (only source_id and cell differ) and the
text's 34 targets and 15 communes.

The variants were written by scripts/make_variant_documents.py (the test plan's
tables transcribed from the raw workbook, its target sentences in our own
words) and exported by LibreOffice; each test first checks that its document
really carries the variation, so that a passing test means something."""
from __future__ import annotations

import shutil
import subprocess
import zipfile

import docx
import pytest
from helpers import PLAN, PLAN_MD, ROOT, assert_same_tables_as_the_workbook
from pandas.testing import assert_frame_equal

from ntm_analysis.findings import Findings
from ntm_analysis.reading.narrative import join_broken_paragraphs
from ntm_analysis.reading.reader import read_source
from ntm_analysis.reading.sources import load_grids

VARIANTS = ROOT / "tests" / "documents" / "variants"


@pytest.fixture(scope="module")
def workbook():
    return read_source(PLAN)


def assert_reads_like_the_workbook(path, workbook):
    """The document's tidy tables equal the workbook's but for source_id and cell,
    with the same findings about the tables, and its text gives the 34 targets
    and the 15 communes. Returns the document's read."""
    doc = read_source(path)
    assert_same_tables_as_the_workbook(doc, workbook)
    assert len(doc.tables.narrative_targets) == 34  # 19 criteria + 15 headline targets
    assert len(doc.tables.target_communes) == 15
    return doc


@pytest.fixture(scope="module")
def plan_text():
    """The plan's text read from Markdown (../shared/source/), the reference for its layouts."""
    return read_source(PLAN_MD)


def _word_tables(path) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in docx.Document(str(path)).tables]


def _paragraphs(path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def test_header_cut_over_two_rows(workbook):
    path = VARIANTS / "plan-variant-split-header.docx"
    tables = _word_tables(path)
    assert tables[0][0][3] == "Lũy kế số xã đạt tiêu chí" and tables[0][1][3] == "đến hết năm 2020"
    assert tables[2][1] == ["", "", "", "năm 2021", ""]  # Biểu 03: the year alone in the second row
    assert_reads_like_the_workbook(path, workbook)


def test_other_vietnamese_ways_of_writing_figures(workbook):
    path = VARIANTS / "plan-variant-separators.docx"
    cells = {cell for table in _word_tables(path) for row in table for cell in row}
    assert {"13\u00a0500", "661.500,0", "16,15", "98,50%"} <= cells
    assert_reads_like_the_workbook(path, workbook)


def test_a_blank_column(workbook):
    path = VARIANTS / "plan-variant-blank-column.docx"
    for table in _word_tables(path):
        assert all(row[2] == "" for row in table)  # the third column holds nothing at all
    assert_reads_like_the_workbook(path, workbook)


def test_footnote_rows_and_notes_under_the_tables(workbook):
    path = VARIANTS / "plan-variant-footnotes.docx"
    for table in _word_tables(path):
        assert table[-1][0].startswith("Ghi chú:") and len(set(table[-1])) == 1  # one cell across the row
    assert sum(p.startswith("(*)") for p in _paragraphs(path)) == 3
    assert_reads_like_the_workbook(path, workbook)


def test_a_table_continued_under_a_tiep_heading(workbook):
    path = VARIANTS / "plan-variant-continued.docx"
    paragraphs = _paragraphs(path)
    assert "Biểu 01 (tiếp)" in paragraphs and "(tiếp theo)" in paragraphs
    tables = _word_tables(path)
    assert len(tables) == 5  # Biểu 01 and 03 in two parts each
    assert tables[1][0] == tables[0][0]  # Biểu 01 repeats its header
    assert tables[4][0][0] == ""  # Biểu 03 goes on without it
    assert_reads_like_the_workbook(path, workbook)
    c = read_source(path).tables.criteria
    assert c[(c.criterion_id == 6) & (c.year == 2021)].cell.item() == "Bảng 2, hàng 2, cột 5"


def test_tables_in_sections_of_their_own(workbook):
    path = VARIANTS / "plan-variant-sections.docx"
    sections = docx.Document(str(path)).sections
    assert [s.page_width > s.page_height for s in sections] == [True, True, False, False]
    assert _paragraphs(path)[-1].startswith("- Doanh nghiệp")  # the text comes after the tables
    assert_reads_like_the_workbook(path, workbook)


def test_page_numbers_at_the_top_of_the_pages(workbook):
    path = VARIANTS / "plan-variant-page-numbers.docx"
    header = docx.Document(str(path)).sections[0].header._element.xml
    assert 'w:instr="PAGE"' in header
    assert_reads_like_the_workbook(path, workbook)
    import pdfplumber  # noqa: PLC0415

    with pdfplumber.open(VARIANTS / "plan-variant-all-no-rules.pdf") as pdf:  # printed on every page
        assert [page.extract_text_lines()[0]["text"] for page in pdf.pages] == [str(n) for n in range(1, 11)]


def test_centred_tables_without_space_between_rows(workbook):
    """Cells centred, vertically too, and no space between rows: in the PDF
    without rules a row's label lines sit above and below its figures."""
    path = VARIANTS / "plan-variant-centred.docx"
    table = docx.Document(str(path)).tables[0]
    assert table.cell(5, 3).paragraphs[0].alignment == 1  # WD_ALIGN_PARAGRAPH.CENTER
    assert table.cell(5, 3).vertical_alignment == 1  # WD_ALIGN_VERTICAL.CENTER
    assert_reads_like_the_workbook(path, workbook)
    pdf = VARIANTS / "plan-variant-centred-no-rules.pdf"
    assert_reads_like_the_workbook(pdf, workbook)
    c = read_source(pdf).tables.criteria
    # criterion 10 opens page 4: the first line of its label stands above its figures, "10" below them
    assert c[(c.criterion_id == 10) & (c.year == 2021)].cell.item() == "trang 4, bảng 1, hàng 1, cột 5"


@pytest.mark.parametrize("name", ["plan-variant-all.docx", "plan-variant-all.pdf", "plan-variant-all-no-rules.pdf"])
def test_every_variation_at_once(workbook, name):
    """All the changes in one document, as Word, and as PDF with and without rules."""
    assert_reads_like_the_workbook(VARIANTS / name, workbook)


def test_the_pdf_without_rules_has_no_rule_at_all():
    import pdfplumber  # noqa: PLC0415

    with pdfplumber.open(VARIANTS / "plan-variant-all-no-rules.pdf") as pdf:
        assert not any(page.lines or page.rects or page.find_tables() for page in pdf.pages)
        assert [page.width > page.height for page in pdf.pages].count(True) == 6  # Biểu 01 and 02 landscape


def test_a_word_file_saved_by_libreoffice(workbook):
    path = VARIANTS / "plan-test-libreoffice.docx"
    with zipfile.ZipFile(path) as archive:
        assert "LibreOffice" in archive.read("docProps/app.xml").decode("utf-8")
    assert_reads_like_the_workbook(path, workbook)


def test_markdown_as_a_converter_writes_it(workbook):
    path = VARIANTS / "plan-test-pandoc.md"
    text = path.read_text(encoding="utf-8")
    assert "## **II. MỤC TIÊU**" in text and "\n1\\. Trong năm" in text and "\n\\- Quy hoạch" in text
    assert "| :--" in text and "-: |" in text  # alignment colons
    assert_reads_like_the_workbook(path, workbook)
    grid = load_grids(path, Findings())[0]
    assert ("II. MỤC TIÊU", "dòng 9") in grid.paragraphs
    assert any(text.startswith("- Quy hoạch") for text, _ in grid.paragraphs)


def test_the_plan_as_published():
    """The plan itself (../shared/source, as Markdown): its 34 targets stated in
    words and its 15 named communes, and the workbook's tables."""
    if not PLAN_MD.exists():
        pytest.skip("the plan's text (../shared/source/plan-05-KH-UBND-2021-lao-cai.md) is not beside "
                    "this checkout, so the published plan is not checked here")
    plan = read_source(PLAN_MD)
    nt = plan.tables.narrative_targets
    assert len(nt) == 34 and (nt.indicator == "criterion_communes").sum() == 19
    tc = plan.tables.target_communes
    assert len(tc) == 15 and tc.commune_code.str.fullmatch(r"\d{5}").all()
    assert_reads_like_the_workbook(PLAN_MD, read_source(PLAN))


def test_a_line_starting_with_a_number_goes_on_with_the_sentence_above():
    """A PDF breaks sentences at the page's width: a line that starts with a
    figure ("2021 toàn tỉnh …", "13.500 lao động") is not a new list item
    ("2. …", "1.2 …" are), and a line ending with a colon goes on too."""
    lines = [("- Lũy kế đến hết năm", "trang 2, dòng 4"), ("2021 có 169 thôn kiểu mẫu; tạo việc làm cho", "trang 2, dòng 5"),
             ("13.500 lao động.", "trang 2, dòng 6"), ("2. Bình quân đạt 16,15 tiêu chí/xã.", "trang 2, dòng 7"),
             ("1.2 Các huyện gồm 03 xã:", "trang 2, dòng 8"), ("Nậm Mòn, Cốc Lầu.", "trang 2, dòng 9")]
    assert join_broken_paragraphs(lines) == [
        ("- Lũy kế đến hết năm 2021 có 169 thôn kiểu mẫu; tạo việc làm cho 13.500 lao động.",
         "trang 2, dòng 4 – trang 2, dòng 6"),
        ("2. Bình quân đạt 16,15 tiêu chí/xã.", "trang 2, dòng 7"),
        ("1.2 Các huyện gồm 03 xã: Nậm Mòn, Cốc Lầu.", "trang 2, dòng 8 – trang 2, dòng 9")]


def _plan_as_word(path, ruled: bool, office: bool = False, text_size: float = 13, font: str | None = None) -> None:
    """The published plan (Markdown) laid out as a Word document: its lines as
    paragraphs, its tables as Word tables (with or without rules) in a
    landscape section from Biểu 01 on. ``office``: as provincial offices set
    it, text justified in ``text_size`` pt (``font``) with a first-line indent, table cells centred
    (vertically too) with no space between rows. Written to a temporary folder
    only: the plan's text is never copied into the project."""
    from docx.enum.section import WD_ORIENT  # noqa: PLC0415
    from docx.enum.table import WD_ALIGN_VERTICAL  # noqa: PLC0415
    from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: PLC0415
    from docx.shared import Pt  # noqa: PLC0415
    from make_test_documents import _borders  # noqa: PLC0415  (scripts/ is put on the path by the fixture)

    grid = load_grids(PLAN_MD, Findings())[0]
    document = docx.Document()
    if office:
        document.styles["Normal"].font.size = Pt(text_size)
    if font:
        document.styles["Normal"].font.name = font
    block: list[dict[int, object]] = []

    def flush() -> None:
        if not block:
            return
        table = document.add_table(rows=len(block), cols=max(c for row in block for c in row) + 1)
        if ruled:
            _borders(table)
        for i, row in enumerate(block):
            for c, value in row.items():
                table.cell(i, c).text = str(value)
        for row in table.rows if office else []:
            for c, cell in enumerate(row.cells):
                cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.space_after = Pt(0)
                    paragraph.paragraph_format.line_spacing = 1.0
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if c == 1 else WD_ALIGN_PARAGRAPH.CENTER
                    for run in paragraph.runs:
                        run.font.size = Pt(11)
        block.clear()

    landscape = False
    for r in range(grid.n_rows):
        row = grid.row(r)
        if not row:
            continue
        if any(c > 0 for c in row):
            block.append(row)
            continue
        flush()
        if not landscape and str(row[0]).startswith("Biểu 01"):
            section = document.add_section()
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width
            landscape = True
        paragraph = document.add_paragraph(str(row[0]))
        if office:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            paragraph.paragraph_format.first_line_indent = Pt(28)
    flush()
    document.save(str(path))


@pytest.fixture(scope="module")
def plan_as_word_and_pdf(tmp_path_factory) -> dict:
    """The published plan laid out as Word documents: "docx" with rules; "pdf" and "office-pdf" without
    (plainly, and as offices set plans); 11 and 12, as an office sets it in Times New Roman at 11 and
    12 pt; where LibreOffice is installed, the unruled ones printed to PDF by it, in one run."""
    if not PLAN_MD.exists():
        pytest.skip("the plan's text (../shared/source/plan-05-KH-UBND-2021-lao-cai.md) is not beside "
                    "this checkout, so its layout as Word and PDF is not checked here")
    import sys  # noqa: PLC0415
    sys.path.insert(0, str(ROOT / "scripts"))
    folder = tmp_path_factory.mktemp("published")
    word = folder / "ke-hoach-05.docx"
    _plan_as_word(word, ruled=True)
    documents = {"docx": word}
    soffice = shutil.which("soffice")
    if soffice:
        unruled = {kind: folder / f"ke-hoach-05-{kind}.docx" for kind in ("pdf", "office-pdf", 11, 12)}
        _plan_as_word(unruled["pdf"], ruled=False)
        _plan_as_word(unruled["office-pdf"], ruled=False, office=True)
        for size in (11, 12):
            _plan_as_word(unruled[size], ruled=False, office=True, text_size=size, font="Times New Roman")
        subprocess.run([soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(folder), *[str(p) for p in unruled.values()]],
                       check=True, capture_output=True, timeout=240)
        documents |= {kind: path.with_suffix(".pdf") for kind, path in unruled.items()}
    return documents


@pytest.fixture(scope="module")
def published_plan_as_documents(plan_as_word_and_pdf):
    return {kind: plan_as_word_and_pdf[kind] for kind in ("docx", "pdf", "office-pdf") if kind in plan_as_word_and_pdf}


@pytest.mark.parametrize("kind", ["docx", "pdf", "office-pdf"])
def test_the_published_plan_as_word_and_as_a_pdf_without_rules(published_plan_as_documents, workbook, plan_text,
                                                               kind):
    """The plan's own text and tables, laid out as Word and printed by LibreOffice
    to PDFs whose tables have no rules (plainly, and as offices set plans:
    justified text, centred tight tables, an appendix header at the foot of a
    page): the same tidy tables as the workbook, and the same 34 targets and 15
    communes as its text read from Markdown."""
    if kind not in published_plan_as_documents:
        pytest.skip("LibreOffice (soffice) is not installed, so the plan printed to PDF is not checked here")
    path = published_plan_as_documents[kind]
    doc = assert_reads_like_the_workbook(path, workbook).tables
    cols = ["year", "status", "indicator", "criterion_id", "value", "value_max", "unit"]
    plan = plan_text.tables
    assert_frame_equal(doc.narrative_targets[cols].reset_index(drop=True),
                       plan.narrative_targets[cols].reset_index(drop=True))
    communes = ["commune_as_written", "district_code", "commune_code", "match"]
    assert_frame_equal(doc.target_communes[communes].reset_index(drop=True),
                       plan.target_communes[communes].reset_index(drop=True))


@pytest.fixture(scope="module")
def office_pdfs_in_times(plan_as_word_and_pdf):
    """The plan as an office sets it, in Times New Roman at 11 and 12 pt, printed to PDF: the lines of
    section II.1 then break after a ";" ("… huyện Văn Bàn;" | "03 xã: …"), which a reader that takes a
    line for a paragraph read as the end of the list of communes."""
    if 11 not in plan_as_word_and_pdf:
        pytest.skip("LibreOffice (soffice) is not installed, so the office PDF in Times New Roman is not checked")
    return {size: plan_as_word_and_pdf[size] for size in (11, 12)}


@pytest.mark.parametrize("size", [11, 12])
def test_the_office_pdf_gives_the_text_word_gives(office_pdfs_in_times, plan_text, size):
    """Issue 23: the lines of one paragraph of a PDF are one paragraph, as in Word, wherever the lines
    break; so the 15 named communes (Nậm Cháy, Trịnh Tường, Mường Hoa and Sán Chải at the end of the
    list included) and the 34 targets are read, and no district is said to have no named commune."""
    path = office_pdfs_in_times[size]
    with pdfplumber_open(path) as pdf:  # the layout that broke the reader: a line ending in "Văn Bàn;"
        lines = [line["text"] for page in pdf.pages[:3] for line in page.extract_text_lines()]
    assert any(line.endswith(";") and "xã" in line for line in lines)
    doc, plan = read_source(path), plan_text
    cols = ["year", "status", "indicator", "criterion_id", "value", "value_max", "unit"]
    assert_frame_equal(doc.tables.narrative_targets[cols].reset_index(drop=True),
                       plan.tables.narrative_targets[cols].reset_index(drop=True))
    communes = ["commune_as_written", "district_code", "commune_code", "match"]
    assert_frame_equal(doc.tables.target_communes[communes].reset_index(drop=True),
                       plan.tables.target_communes[communes].reset_index(drop=True))
    assert {"Nậm Cháy", "Trịnh Tường", "Mường Hoa", "Sán Chải"} <= set(doc.tables.target_communes.commune_as_written)
    assert len(doc.tables.target_communes) == 15
    false = [f for f in doc.findings if f.check in ("text_named_communes", "named_communes_count")
             and f.severity != "info"]
    assert false == []


def pdfplumber_open(path):
    import pdfplumber  # noqa: PLC0415
    return pdfplumber.open(path)
