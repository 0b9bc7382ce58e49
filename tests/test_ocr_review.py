"""The analyst's review of a scan comes back (issue 23): the review sheet that build writes
in ntm_tables.xlsx, its "correct figure" column filled in and saved into data/raw with a
sidecar of kind correction, wins over the scan's reading, with provenance; a row whose
cell is gone or whose figure is no number is a warning naming the file, sheet and cell."""
from __future__ import annotations

import json
import sys

import pytest
from helpers import ROOT
from openpyxl import load_workbook
from test_ocr_arithmetic import PAGE, _tables

from ntm_analysis.findings import Findings
from ntm_analysis.i18n import use_language
from ntm_analysis.publishing.build import write_ocr_review
from ntm_analysis.publishing.outputs import column_labels, sheet_labels, write_excel
from ntm_analysis.reading.metadata import SourceInfo
from ntm_analysis.reading.ocr_corrections import apply_reviews
from ntm_analysis.reading.reader import SourceRead, read_source
from ntm_analysis.reading.sources.ocr import engine_problem
from ntm_analysis.reference import load_reference

sys.path.insert(0, str(ROOT / "scripts"))
TEXT_PDF = ROOT / "tests" / "documents" / "plan-test.pdf"  # Biểu 01 on pages 3–4


def _filled_review(folder, doubts: list[dict], figures: dict[str, object]):
    """The review sheet as build writes it (ntm_tables.xlsx), the analyst's figures typed into its
    "correct figure" column, saved into ``folder`` with a sidecar of kind correction."""
    frame = write_ocr_review([type("Read", (), {"info": type("Info", (), {"source_id": "quet"}),
                                                "ocr_review": doubts})], folder)
    path = folder / "kiem-tra-ban-quet.xlsx"
    write_excel({"ocr_review": frame}, path, "vi")
    book = load_workbook(path)
    sheet = book[sheet_labels("vi")["ocr_review"]]
    header = [c.value for c in sheet[1]]
    cell_col, fix_col = header.index(column_labels("vi")["cell"]), header.index(column_labels("vi")["correction"])
    for row in sheet.iter_rows(min_row=2):
        if row[cell_col].value in figures:
            row[fix_col].value = figures[row[cell_col].value]
    book.save(path)
    path.with_name(path.stem + ".meta.json").write_text(json.dumps(
        {"source_id": "kiem-tra-ban-quet", "kind": "correction", "year": 2021, "province_code": "10",
         "document_date": "2021-02-01", "issuer": "Văn phòng điều phối NTM tỉnh Lào Cai",
         "citation": "Kiểm tra bản quét Kế hoạch 05/KH-UBND, Văn phòng điều phối NTM tỉnh Lào Cai"}),
        encoding="utf-8")
    return path


def test_the_analysts_figure_wins_with_its_provenance_and_the_sums_are_checked_again(tmp_path):
    with use_language("en"):
        # the scan read '39' for the 19-criteria band (uncertain): the bands do not sum to 127 (39 + 30 + 8 = 77)
        findings = Findings()
        findings.add("warning", "ocr_uncertain", "the scan reads '39' here", file="quet.pdf",
                     cell=f"{PAGE}, hàng 7, cột 3")
        scan = SourceRead(SourceInfo(file="quet.pdf", source_id="quet"), _tables(band_19=39), findings,
                          [{"file": "quet.pdf", "cell": f"{PAGE}, hàng 7, cột 3", "reading": "39",
                            "alternatives": [], "confidence": 40.0, "crop": b""}])
        doubts = [{"file": "quet.pdf", "cell": f"{PAGE}, hàng 7, cột 3", "reading": "39", "alternatives": [],
                   "confidence": 40.0, "crop": b""},
                  {"file": "quet.pdf", "cell": f"{PAGE}, hàng 99, cột 3", "reading": "5", "alternatives": [],
                   "confidence": 40.0, "crop": b""},
                  {"file": "quet.pdf", "cell": f"{PAGE}, hàng 8, cột 3", "reading": "30", "alternatives": [],
                   "confidence": 40.0, "crop": b""}]
        path = _filled_review(tmp_path, doubts, {f"{PAGE}, hàng 7, cột 3": 89, f"{PAGE}, hàng 99, cột 3": 5,
                                                 f"{PAGE}, hàng 8, cột 3": "ba mươi"})
        review = read_source(path)
        assert review.ok and len(review.review_rows) == 3
        scan_after, review_after = apply_reviews([scan, review], load_reference())

    band = scan_after.tables.commune_bands.set_index("band").loc["19"]
    assert band.communes == 89
    sheet = sheet_labels("vi")["ocr_review"]
    assert band.source_id == "kiem-tra-ban-quet" and band.cell.startswith(f"{sheet}!")
    checks = {(f.check, f.severity) for f in scan_after.findings}
    assert ("ocr_corrected", "info") in checks and ("ocr_uncertain", "warning") not in checks
    assert ("bands_sum", "info") in checks  # 89 + 30 + 8 = 127 now holds
    assert scan_after.ocr_review == []
    assert scan.tables.commune_bands.communes.tolist() == [39, 30, 8]  # the scan's own read is kept (the cache's)
    problems = [f for f in review_after.findings if f.severity == "warning"]
    assert {f.check for f in problems} == {"review_unknown_cell", "review_not_a_number"}
    assert all(f.file == path.name and f.sheet == sheet and f.cell for f in problems)
    assert any("hàng 99" in f.message or "row 99" in f.message for f in problems)
    assert any("ba mươi" in f.message for f in problems)


@pytest.mark.skipif(bool(engine_problem()), reason=f"no OCR engine here: {engine_problem()}")
def test_a_scanned_page_corrected_by_the_review_sheet_end_to_end(tmp_path):
    """A one-page scan of Biểu 01 read by OCR, the review sheet filled for its total number of
    communes at the end of 2020 (127, as the plan prints it), both read by the pipeline."""
    from make_scans import make_scans  # noqa: PLC0415

    from ntm_analysis import pipeline  # noqa: PLC0415

    raw = tmp_path / "raw"
    scan = raw / "quet.png"
    make_scans(TEXT_PDF, scan, dpi=200, mode="grey", seed=3, pages=[3], seal=False)
    read = read_source(scan)
    province = read.tables.province
    row = province[(province.indicator == "total_communes") & (province.year == 2020)].iloc[0]
    doubt = {"file": "quet.png", "cell": row.cell, "reading": str(row.value), "alternatives": [],
             "confidence": 50.0, "crop": b""}
    path = _filled_review(raw, [doubt], {row.cell: "127"})
    for extra in raw.glob("ocr_review"):
        extra.rename(tmp_path / "crops")  # the crops are build's, not the analyst's
    run = pipeline.run([scan, path], analyses=False)
    read = next(r for r in run.reads if r.info.file == "quet.png")
    province = read.tables.province
    fixed = province[(province.indicator == "total_communes") & (province.year == 2020)].iloc[0]
    assert fixed.value == 127 and fixed.source_id == "kiem-tra-ban-quet"
    assert fixed.cell.startswith(sheet_labels("vi")["ocr_review"] + "!")


def test_what_is_computed_from_a_corrected_source_is_keyed_by_its_review(tmp_path):
    """The review applies to any document's cell (here the text PDF of the test plan, fast): the
    corrected read is new, the cached read is kept as it was read, and the province's analyses are
    keyed by the review too (a cached result from before the correction is never reused)."""
    import shutil  # noqa: PLC0415

    from ntm_analysis import pipeline  # noqa: PLC0415
    from ntm_analysis.publishing.cache import SourceCache, read_context  # noqa: PLC0415

    raw = tmp_path / "raw"
    raw.mkdir()
    plan = raw / "ke-hoach.pdf"
    shutil.copy(TEXT_PDF, plan)
    first = pipeline.run([plan], cache=SourceCache(tmp_path / "cache", read_context("p", None, "vi")))
    for commit in first.commits:
        commit()
    province = first.reads[0].tables.province
    row = province[(province.indicator == "ntm_communes") & (province.year == 2020)].iloc[0]
    assert row.value == 57  # end of 2020, as the plan prints it
    path = _filled_review(raw, [{"file": "ke-hoach.pdf", "cell": row.cell, "reading": "57", "alternatives": [],
                                 "confidence": 100.0, "crop": b""}], {row.cell: "61"})
    cache = SourceCache(tmp_path / "cache", read_context("p", None, "vi"))
    second = pipeline.run([plan, path], cache=cache)
    province = second.reads[0].tables.province
    fixed = province[(province.indicator == "ntm_communes") & (province.year == 2020)].iloc[0]
    assert fixed.value == 61 and fixed.source_id == "kiem-tra-ban-quet"  # 57 -> 61, the correction of March 2021
    assert cache.hits == ["ke-hoach.pdf"]
    assert second.province_keys and second.province_keys != first.province_keys
