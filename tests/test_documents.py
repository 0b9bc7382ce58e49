"""The Word, PDF and text carriers: the same plan gives the same tidy tables
in every format (only source_id and cell differ), places are named in the
document's own terms, and what cannot be read is refused in one line.

The documents in tests/documents/ were written for these tests by
scripts/make_test_documents.py (appendix tables transcribed from the raw
workbook, target sentences in our own words); the PDF was exported from the
.docx by LibreOffice and is committed."""
from __future__ import annotations

import subprocess
import sys
import time
import zipfile

import pytest
from helpers import PLAN, ROOT, assert_same_tables_as_the_workbook
from pandas.testing import assert_frame_equal

from ntm_analysis.config import MAX_SECONDS_PER_OCR_PAGE
from ntm_analysis.findings import Findings
from ntm_analysis.reading.reader import read_source
from ntm_analysis.reading.sources import load_grids

DOCS = ROOT / "tests" / "documents"
FORMATS = ["plan-test.docx", "plan-test.pdf", "plan-test-no-rules.pdf", "plan-test.md"]


@pytest.fixture(scope="module")
def workbook():
    return read_source(PLAN)


@pytest.fixture(scope="module")
def documents():
    return {name: read_source(DOCS / name) for name in FORMATS}


@pytest.mark.parametrize("name", FORMATS)
def test_same_tables_as_the_workbook(workbook, documents, name):
    assert_same_tables_as_the_workbook(documents[name], workbook)


def _cell(read, criterion_id: int, year: int) -> str:
    c = read.tables.criteria
    return c[(c.criterion_id == criterion_id) & (c.year == year)].cell.item()


def test_word_places_are_counted_as_word_shows_them(documents):
    # Biểu 01 is split in two Word tables over a page break (header repeated):
    # criterion 1 is the 11th row of table 1, criterion 19 the 15th row of table 2;
    # the 2021 column is the 5th.
    doc = documents["plan-test.docx"]
    assert _cell(doc, 1, 2021) == "Bảng 1, hàng 11, cột 5"
    assert _cell(doc, 19, 2021) == "Bảng 2, hàng 15, cột 5"
    assert _cell(doc, 19, 2020) == "Bảng 2, hàng 15, cột 4"
    # Biểu 02 (table 3): two header rows (merged cells), then the province row.
    d = doc.tables.districts
    assert d[(d.area_code == "10") & (d.indicator == "new_ntm_communes")].cell.item() == "Bảng 3, hàng 3, cột 3"


def test_pdf_joins_a_table_over_pages_and_mends_a_broken_row(documents):
    doc = documents["plan-test.pdf"]
    # criterion 17's row breaks over the page (label "... số" | "17"), 18 and 19 follow on page 6
    assert _cell(doc, 19, 2021) == "trang 6, bảng 1, hàng 3, cột 5"
    assert doc.tables.criteria.criterion_id.tolist().count(17) == 2
    funding = doc.tables.funding
    assert funding[funding.code == "2"].source.item().endswith("trên địa bàn")


def test_markdown_places_are_lines(documents):
    lines = (DOCS / "plan-test.md").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, start=1) if "| Xã đạt tiêu chí số 1 |" in text)
    assert _cell(documents["plan-test.md"], 1, 2021) == f"dòng {line}, cột 5"


def test_text_file_reads_like_markdown(tmp_path, documents):
    txt = tmp_path / "plan.txt"
    txt.write_bytes((DOCS / "plan-test.md").read_bytes())
    read = read_source(txt)
    assert not read.findings.errors
    assert_frame_equal(read.tables.criteria.drop(columns="source_id"),
                       documents["plan-test.md"].tables.criteria.drop(columns="source_id"))


@pytest.mark.parametrize("name, content, check, words", [
    ("plan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "unsupported_document", ".docx"),
    ("plan.rtf", b"{\\rtf1 hello}", "unsupported_document", "Rich Text"),
    ("plan.odt", b"PK\x03\x04", "unsupported_document", "OpenDocument"),
    ("plan.docm", b"PK\x03\x04", "macro_enabled", ".docm"),
    # an old Word 97-2003 file (OLE2, a WordDocument stream) under a .docx name
    ("plan.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "WordDocument".encode("utf-16-le"),
     "unsupported_document", ".doc"),
    # an encrypted .docx is an OLE2 compound file with an EncryptionInfo stream
    ("plan.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "EncryptionInfo".encode("utf-16-le"),
     "password_protected", ".docx"),
    ("plan.docx", b"not a zip at all", "not_a_document", "Word"),
    ("plan.pdf", b"hello", "not_a_document", "%PDF"),
    ("plan.docx", b"", "empty_file", "tệp rỗng"),
])
def test_refused_in_one_line(tmp_path, name, content, check, words):
    path = tmp_path / name
    path.write_bytes(content)
    findings = Findings()
    assert load_grids(path, findings) == []
    assert [f.check for f in findings] == [check]
    message = findings.items[0]
    assert words in message.message and "\n" not in message.message and message.file == name


@pytest.mark.parametrize("name", ["locked.docx", "locked.pdf"])
def test_documents_that_ask_for_a_password_are_refused_in_one_line(name):
    """A Word file encrypted as Word does it, and a PDF that asks for a password
    to open (tests/documents/refused/, made by scripts/make_locked_documents.py)."""
    findings = Findings()
    assert load_grids(DOCS / "refused" / name, findings) == []
    assert [f.check for f in findings] == ["password_protected"]
    message = findings.items[0]
    assert message.file == name and "\n" not in message.message
    assert "mật khẩu" in message.message  # Vietnamese by default: what to do, without the password


def test_a_locked_document_through_the_command_line(tmp_path):
    from test_cli import run  # noqa: PLC0415

    result = run("tidy", str(DOCS / "refused" / "locked.pdf"), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "locked.pdf" in result.stdout and "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_docx_with_macros_inside_is_refused(tmp_path):
    path = tmp_path / "plan.docx"
    with zipfile.ZipFile(DOCS / "plan-test.docx") as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            out.writestr(item, src.read(item))
        out.writestr("word/vbaProject.bin", b"\0")
    findings = Findings()
    assert load_grids(path, findings) == []
    assert [f.check for f in findings] == ["macro_enabled"]


def test_a_pdf_of_a_picture_is_refused_page_by_page(tmp_path):
    """A PDF without a text layer is read by OCR; a picture that holds no text
    is said so, page by page, then for the file (without the OCR engine: one
    line saying what to install)."""
    import matplotlib  # noqa: PLC0415
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415
    fig = plt.figure()
    fig.patches.append(plt.Rectangle((0.2, 0.2), 0.5, 0.5, transform=fig.transFigure))
    path = tmp_path / "scan.pdf"
    fig.savefig(path)
    plt.close(fig)
    findings = Findings()
    started = time.monotonic()
    assert load_grids(path, findings) == []
    assert time.monotonic() - started < MAX_SECONDS_PER_OCR_PAGE
    from ntm_analysis.reading.sources.ocr import engine_problem  # noqa: PLC0415
    if engine_problem():
        assert [f.check for f in findings] == ["no_text_layer"]
        assert "OCR" in findings.items[0].message and "tesseract" in findings.items[0].message.lower()
    else:
        assert [(f.check, f.cell) for f in findings] == [("ocr_page_unread", "trang 1"), ("no_text", "")]
        assert findings.items[0].severity == "warning" and findings.items[1].severity == "error"


def test_reading_a_workbook_does_not_import_the_document_libraries():
    code = ("import sys; from pathlib import Path; from ntm_analysis.reading.reader import read_source; "
            f"read_source(Path({str(PLAN)!r})); "
            "print(any(m in sys.modules for m in ('docx', 'pdfplumber', 'rapidfuzz')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_same_plan_as_workbook_and_document_is_read_once(tmp_path):
    """data/raw may hold the plan as a document beside its workbook: no
    conflicts, nothing counted twice, the text tables and the cross-checks
    written out."""
    import json  # noqa: PLC0415

    import openpyxl  # noqa: PLC0415
    import pandas as pd  # noqa: PLC0415
    from results_helpers import copy_plan  # noqa: PLC0415

    from ntm_analysis.publishing.build import build  # noqa: PLC0415

    raw, processed = tmp_path / "raw", tmp_path / "processed"
    copy_plan(raw)
    (raw / "ke-hoach-05-van-ban.docx").write_bytes((DOCS / "plan-test.docx").read_bytes())
    sidecar = json.loads(PLAN.with_name(PLAN.stem + ".meta.json").read_text(encoding="utf-8"))
    sidecar = {k: v for k, v in sidecar.items() if k not in ("sha256", "appendices", "transcription_note")}
    sidecar["source_id"] = "ke-hoach-05-van-ban"
    (raw / "ke-hoach-05-van-ban.meta.json").write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
    result = build(raw, processed, tmp_path / "figures", figures=False)
    assert result.exit_code == 0, result.findings.report()
    assert pd.read_csv(processed / "conflicts.csv").empty
    alone = read_source(PLAN).tables
    for name in ("criteria", "province", "districts", "funding", "commune_bands"):
        assert len(pd.read_csv(processed / f"{name}.csv")) == len(getattr(alone, name)), name
    assert len(pd.read_csv(processed / "narrative_targets.csv")) == 34  # 19 criteria + 15 headline targets
    communes = pd.read_csv(processed / "target_communes.csv", dtype=str)
    assert len(communes) == 15 and communes.commune_code.str.fullmatch(r"\d{5}").all()
    validation = pd.read_csv(processed / "validation.csv")
    infos = validation[(validation.severity == "info") & validation.check.str.startswith("text_")]
    assert len(infos) == 39  # the cross-checks of the text, each holding (the engine's own info lines aside)
    sheets = openpyxl.load_workbook(processed / "ntm_tables.xlsx", read_only=True).sheetnames
    assert {"Mục tiêu trong văn bản", "Xã được nêu tên"} <= set(sheets)  # narrative_targets, target_communes


def test_pdf_without_rules_joins_pages_drops_the_repeated_header_and_mends_a_broken_row(documents):
    doc = documents["plan-test-no-rules.pdf"]
    # Biểu 01 runs over pages 3 to 6 without a rule: page 5 repeats the header (its row 1),
    # so criterion 6 is row 2 there; criterion 19 is the second row on page 6; the 2021 column is the 5th.
    assert _cell(doc, 6, 2021) == "trang 5, bảng 1, hàng 2, cột 5"
    assert _cell(doc, 19, 2021) == "trang 6, bảng 1, hàng 2, cột 5"
    assert doc.tables.criteria.criterion_id.tolist().count(6) == 2  # the repeated header made no row
    # Biểu 03's line 2 wraps over three lines on page 9; lines 3 and 4 continue on page 10
    funding = doc.tables.funding
    assert funding[funding.code == "2"].source.item() == "Vốn lồng ghép các Chương trình, dự án khác trên địa bàn"
    assert funding[funding.code == "4"].cell.item().startswith("trang 10, bảng 1, hàng 2")


@pytest.mark.parametrize("name", FORMATS)
def test_tidy_command_on_a_document(tmp_path, name):
    import pandas as pd  # noqa: PLC0415
    from test_cli import run  # noqa: PLC0415

    out = tmp_path / "tidy"
    result = run("tidy", str(DOCS / name), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    criteria = pd.read_csv(out / "criteria.csv")
    assert len(criteria) == 38  # 19 criteria × (2020 actual, 2021 target)
    assert criteria.cell.str.contains("hàng|dòng").all()
    assert len(pd.read_csv(out / "narrative_targets.csv")) == 34
    assert len(pd.read_csv(out / "target_communes.csv")) == 15


def test_a_table_inside_a_content_control_is_read(tmp_path):
    """Word templates often wrap parts of the body in content controls (w:sdt)."""
    import docx  # noqa: PLC0415
    from docx.oxml import OxmlElement  # noqa: PLC0415

    document = docx.Document(str(DOCS / "plan-test.docx"))
    body = document.element.body
    first_table = body.find(qn_w("tbl"))
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    first_table.addprevious(sdt)
    sdt.append(content)
    content.append(first_table)
    path = tmp_path / "wrapped.docx"
    document.save(str(path))
    read = read_source(path)
    assert not read.findings.errors
    assert len(read.tables.criteria) == 38


def qn_w(tag: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag
