"""Scans page by page (issue 23): specks of noise are left out before the layout, so a
fax's paragraphs stay paragraphs; a document whose tables cannot be found says, page by
page, what each page held. No OCR engine is needed: the pages are made by hand."""
from __future__ import annotations

from helpers import ROOT

from ntm_analysis.findings import Findings
from ntm_analysis.i18n import use_language
from ntm_analysis.reading.reader import read_source
from ntm_analysis.reading.sources.document import Paragraph, grid_from_blocks
from ntm_analysis.reading.sources.ocr import MIN_CONFIDENCE, OcrPage, Word, _line, ocr_blocks
from ntm_analysis.reading.sources.ocr_specks import without_specks

TEXT_PDF = ROOT / "tests" / "documents" / "plan-test.pdf"  # text on pages 1–2, Biểu 01–03 on 3–10
SIZE = 13.0


def _words(text: str, top: float, x0: float = 90.0, conf: float = 96.0) -> list[Word]:
    """A line of words 7 pt a letter, 5 pt apart, from ``x0`` (pt)."""
    out, x = [], x0
    for token in text.split():
        out.append(Word(token, conf, x, top, x + 7 * len(token), top + 10))
        x += 7 * len(token) + 5
    return out


def _speck(text: str, x: float, top: float, conf: float = 30.0) -> Word:
    return Word(text, conf, x, top + 5, x + 0.7, top + 5.7)  # a dot of noise: 0.7 pt both ways


def _page(rows: list[list[Word]]) -> OcrPage:
    return OcrPage([_line(ws, SIZE) for ws in rows], rows, 1.0)


def test_specks_of_a_fax_are_left_out_and_its_paragraph_stays_one():
    paragraph = ["Năm 2021 dự kiến có thêm ít nhất 15 xã hoàn thành xã đạt chuẩn nông thôn mới gồm",
                 "04 xã: Tân Thượng, Minh Lương, Chiềng Ken, Nậm Dạng, huyện Văn Bàn; 03 xã: Xuân",
                 "Thượng, Bảo Hà, Vĩnh Yên, huyện Bảo Yên."]
    rows = [_words(paragraph[0], 100), _words(paragraph[1], 118), _words(paragraph[2], 136)]
    noisy = [[_speck(":", 40, 100), *rows[0], _speck(".", 700, 100)],  # noise at both margins
             [_speck("_", 300, 109)],  # a line of its own between two lines
             [*rows[1], Word("`", 63, rows[1][-1].x1 + 60, 118, rows[1][-1].x1 + 64, 128)],  # a scrap set apart
             [Word(":", 66, 40, 127, 43, 131)],  # a mark alone, confident enough to stay in a word
             rows[2]]
    clean = without_specks(_page(noisy), _line, MIN_CONFIDENCE)
    assert [[w.text for w in ws] for ws in clean.words] == [[w.text for w in ws] for ws in rows]
    blocks, _ending = ocr_blocks(clean, 2, None, "quet.pdf", Findings())
    assert [b.text for _top, b in blocks if isinstance(b, Paragraph)] == paragraph
    assert grid_from_blocks("quet.pdf", [b for _top, b in blocks]).paragraphs == [
        (" ".join(paragraph), "trang 2, dòng 1 – trang 2, dòng 3")]
    # a figure read with low confidence, a dash read surely, "(%)" and a header word alone on its line stay
    kept = [[Word("-", 92, 90, 200, 93, 201), *_words("Số xã đạt 5-9 tiêu chí", 200, 120), Word("7", 0, 500, 200,
                                                                                                   507, 210)],
            [Word("NTM", 40, 300, 215, 320, 225)], [Word("(%)", 90, 300, 230, 318, 240)]]
    assert without_specks(_page(kept), _line, MIN_CONFIDENCE).words == kept


def test_a_document_whose_tables_are_not_found_says_what_each_page_held(tmp_path):
    """Pages 1–2 of the test plan alone (its text, no appendix table): the missing tables are
    errors, and each page says it was read as text with no table on it."""
    import pypdfium2 as pdfium  # noqa: PLC0415

    text = pdfium.PdfDocument(str(TEXT_PDF))
    two = pdfium.PdfDocument.new()
    two.import_pages(text, [0, 1])
    path = tmp_path / "chi-van-ban.pdf"
    two.save(str(path))
    with use_language("en"):
        read = read_source(path)
    assert {f.check for f in read.findings.errors} >= {"table_not_found"}
    pages = [f for f in read.findings if f.check == "page_without_table"]
    assert [f.cell for f in pages] == ["page 1", "page 2"]
    assert all(f.severity == "warning" and "lines of text read, no table found on it" in f.message for f in pages)


def test_a_document_whose_tables_are_found_says_nothing_page_by_page():
    read = read_source(TEXT_PDF)
    assert [f for f in read.findings if f.check == "page_without_table"] == []


def test_the_narratives_findings_name_the_words_read_with_low_confidence_in_their_passage():
    from ntm_analysis.reading.scan_text import name_unsure_words, note_low_confidence  # noqa: PLC0415

    with use_language("en"):
        findings = Findings()
        line = [*_words("01 xã Thống Nhất, thành", 240), Word("phốlào", 25, 260, 240, 300, 250),
                Word("7", 10, 310, 240, 317, 250)]  # an unsure figure has a warning of its own, not this line
        note_low_confidence(line, MIN_CONFIDENCE, findings, "quet.pdf", "trang 2, dòng 11")
        note_low_confidence(_words("huyện Bảo Yên", 260), MIN_CONFIDENCE, findings, "quet.pdf", "trang 2, dòng 12")
        findings.add("error", "commune_not_found", "'Thống Nhất' belongs to no known district", file="quet.pdf",
                     cell="trang 2, dòng 7 – trang 2, dòng 11 – trang 2, dòng 15")
        findings.add("error", "commune_not_found", "'Bản Xen' belongs to no known district", file="quet.pdf",
                     cell="trang 3, dòng 2 – trang 3, dòng 4")
        named = name_unsure_words(findings)
    assert [(f.check, f.cell) for f in findings][:1] == [("ocr_low_confidence", "page 2, line 11")]
    assert len([f for f in findings if f.check == "ocr_low_confidence"]) == 1
    first, second = [f for f in named if f.check == "commune_not_found"]
    assert "'phốlào'" in first.message and "'7'" not in first.message and "low confidence" in first.message
    assert second.message == "'Bản Xen' belongs to no known district"
