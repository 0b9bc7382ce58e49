"""Issue 12: every bad input ends in exit 0 or 1 with a finding that names its place
and says what to do; bounded time and memory; blanks never drawn as zeros.

Expected values are typed from the plan (Biểu 01 D6 = 127 communes at the end of
2020, Biểu 03 D6 = 661.500 million VND) or from the edit each test makes.
"""
from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
import results_helpers as rh
from helpers import PLAN, edited_plan

from ntm_analysis import config
from ntm_analysis.cli import main
from ntm_analysis.publishing.build import build
from ntm_analysis.publishing.template import write_results_template
from ntm_analysis.reading.reader import read_source

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def errors(path: Path) -> list:
    return read_source(path).findings.errors


def one_error(path: Path):
    found = errors(path)
    assert len(found) == 1, [f.line() for f in found]
    return found[0]


def with_parts(tmp_path: Path, name: str, replace: dict[str, bytes] | None = None,
               extra: dict[str, bytes] | None = None, base: Path = PLAN) -> Path:
    """A zip package (the plan's, or ``base``) with some parts replaced or added, as tmp_path/name."""
    out = tmp_path / name
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, (replace or {}).get(item.filename, src.read(item.filename)))
        for part, data in (extra or {}).items():
            dst.writestr(part, data)
    return out


# ---- counts ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, shown", [(57.5, "57,5"), (0.1 + 0.2, "0,3"), (126.999, "126,999")])
def test_a_fraction_in_a_count_is_an_error_naming_the_cell_never_rounded(tmp_path, value, shown):
    found = one_error(edited_plan(tmp_path, {("Biểu 01", "D12"): value}))
    assert (found.check, found.sheet, found.cell) == ("count_not_whole", "Biểu 01", "D12")
    assert shown in found.message and "phải là số nguyên" in found.message and "không được làm tròn" in found.message


def test_a_huge_count_is_an_error_not_an_internal_error(tmp_path):
    found = one_error(edited_plan(tmp_path, {("Biểu 01", "D6"): 1e20}))
    assert (found.check, found.cell) == ("count_too_large", "D6")


_MARK = 987654321  # a figure the plan does not hold, replaced in the sheet's XML by what Excel cannot write


def _with_number_cell(tmp_path: Path, sheet: str, ref: str, value: str) -> Path:
    """The plan with a number cell (t="n") holding ``value`` as written in the XML: "1e309"
    reads as an infinite float, which no spreadsheet program writes but a file may hold."""
    plain = edited_plan(tmp_path, {(sheet, ref): _MARK}, name="marked.xlsx")
    with zipfile.ZipFile(plain) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    return with_parts(tmp_path, "odd.xlsx", replace={
        n: data.replace(f"<v>{_MARK}</v>".encode(), f"<v>{value}</v>".encode())
        for n, data in parts.items() if n.startswith("xl/worksheets/")})


@pytest.mark.parametrize("sheet, ref", [("Biểu 01", "D10"), ("Biểu 02", "H8"), ("Biểu 03", "D8")])
@pytest.mark.parametrize("value, as_number", [("1e309", False), ("-1e309", False), ("NaN", False), ("∞", False),
                                              ("inf", False), ("1e309", True), ("-1e309", True)])
def test_an_infinite_figure_is_an_error_naming_the_cell(tmp_path, sheet, ref, value, as_number):
    path = (_with_number_cell(tmp_path, sheet, ref, value) if as_number
            else edited_plan(tmp_path, {(sheet, ref): value}))
    found = [f for f in errors(path) if f.cell == ref]
    assert [(f.check, f.sheet) for f in found] == [("text_in_number", sheet)], [f.line() for f in errors(path)]


@pytest.mark.parametrize("sheet, ref", [("Biểu 01", "D10"), ("Biểu 02", "H8"), ("Biểu 03", "D8")])
def test_the_largest_float_in_a_number_cell_is_read_or_refused_by_its_cell(tmp_path, sheet, ref):
    read = read_source(_with_number_cell(tmp_path, sheet, ref, "1.7976931348623157e308"))
    assert all(f.sheet == sheet and f.cell == ref for f in read.findings.errors), read.findings.report()


def test_a_fraction_in_a_district_count_is_an_error(tmp_path):
    found = one_error(edited_plan(tmp_path, {("Biểu 02", "C8"): 1.5}))
    assert (found.sheet, found.cell) == ("Biểu 02", "C8") and "số đếm phải là số nguyên" in found.message


# ---- totals ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("total", [0, -5])
def test_a_total_of_zero_or_less_is_an_error_not_a_division_by_zero(tmp_path, total):
    path = edited_plan(tmp_path, {("Biểu 01", "D6"): total})
    found = [f for f in errors(path) if f.check == "total_not_positive"]
    assert len(found) == 1 and (found[0].sheet, found[0].cell) == ("Biểu 01", "D6")
    assert f"tổng số xã là {total}".replace("-", "−") in found[0].message and "phải lớn hơn 0" in found[0].message
    assert not [f for f in errors(path) if f.check == "count_above_total"]  # no cascade of comparisons
    assert main(["validate", str(path)]) == 1


# ---- missing periods -------------------------------------------------------------------------------
def test_a_plan_without_its_base_year_column_names_the_missing_year(tmp_path):
    found = one_error(edited_plan(tmp_path, {("Biểu 01", "D5"): None}, sidecar=True))
    assert found.check == "missing_year" and found.sheet == "Biểu 01"
    assert "năm gốc 2020" in found.message and "2021" in found.message


def test_a_plan_without_its_target_year_column_names_the_missing_year(tmp_path):
    found = one_error(edited_plan(tmp_path, {("Biểu 01", "E5"): None}, sidecar=True))
    assert found.check == "missing_year" and "năm kế hoạch 2021" in found.message


def test_a_results_file_needs_only_its_own_year(tmp_path):
    path = write_results_template(2021, tmp_path / "ket-qua-2021.xlsx")[0]
    rh.fill_results(path)
    assert not [f for f in errors(path) if f.check == "missing_year"]


# ---- a table given twice, an empty Biểu 01, numbering rows ------------------------------------------
def test_a_table_given_twice_names_both_sheets_and_cells(tmp_path):
    wb = openpyxl.load_workbook(PLAN)
    wb.copy_worksheet(wb["Biểu 01"]).title = "Bản sao"
    wb.save(tmp_path / "twice.xlsx")
    found = one_error(tmp_path / "twice.xlsx")
    assert found.check == "table_twice"
    assert "Biểu 01!A5" in found.message and "Bản sao!A5" in found.message


def test_a_funding_table_given_twice_does_not_crash(tmp_path):
    """Found by the fuzz test: duplicated Biểu 03 made the share of total a tuple."""
    wb = openpyxl.load_workbook(PLAN)
    wb.copy_worksheet(wb["Biểu 03"]).title = "Biểu 03 (2)"
    wb.save(tmp_path / "twice.xlsx")
    found = one_error(tmp_path / "twice.xlsx")
    assert found.check == "table_twice" and "Biểu 03 (2)!A5" in found.message


def test_a_criteria_table_without_criterion_rows_raises_missing_criterion(tmp_path):
    wb = openpyxl.load_workbook(PLAN)
    wb["Biểu 01"].delete_rows(14, 20)  # the heading "5" and the 19 criterion rows
    wb.save(tmp_path / "no-criteria.xlsx")
    found = errors(tmp_path / "no-criteria.xlsx")
    assert [(f.check, f.cell) for f in found] == [("missing_criterion", "D5"), ("missing_criterion", "E5")]


def test_a_missing_criterion_names_its_column(tmp_path):
    wb = openpyxl.load_workbook(PLAN)
    wb["Biểu 01"].delete_rows(15)  # criterion 1
    wb.save(tmp_path / "no-1.xlsx")
    found = [f for f in errors(tmp_path / "no-1.xlsx") if f.check == "missing_criterion"]
    assert [(f.cell, "thiếu tiêu chí số 1;" in f.message) for f in found] == [("D5", True), ("E5", True)]


@pytest.mark.parametrize("sheet, cols", [("Biểu 01", "ABCDE"), ("Biểu 02", "ABCDEFGHI")])
def test_column_numbering_rows_do_not_join_the_header(tmp_path, sheet, cols):
    wb = openpyxl.load_workbook(PLAN)
    ws = wb[sheet]
    header_last = 5 if sheet == "Biểu 01" else 6
    ws.insert_rows(header_last + 1)
    for i, col in enumerate(cols, start=1):
        ws[f"{col}{header_last + 1}"] = f"({i})"
    wb.save(tmp_path / "numbered.xlsx")
    read = read_source(tmp_path / "numbered.xlsx")
    assert not read.findings.errors
    assert not any("(" in c for c in read.tables.districts.area.tolist() + read.tables.criteria.criterion.tolist())
    assert len(read.tables.criteria) == 38 and len(read.tables.districts) == 70


# ---- error values, refusals that say what to do ------------------------------------------------------
def test_an_excel_error_value_says_recalculate(tmp_path):
    found = one_error(edited_plan(tmp_path, {("Biểu 01", "D12"): "#DIV/0!"}))
    assert found.cell == "D12" and "#DIV/0!" in found.message and "tính lại trong Excel" in found.message


@pytest.mark.parametrize("name, data, says", [
    ("old.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "hãy lưu thành .xlsx"),
    ("macros.xlsm", None, "hãy gỡ macro"),
    ("junk.xlsx", b"not a zip at all", "hãy lưu thành .xlsx"),
])
def test_every_refusal_says_what_to_do(tmp_path, name, data, says):
    path = tmp_path / name
    path.write_bytes(PLAN.read_bytes() if data is None else data)
    assert says in one_error(path).message


def test_a_formula_without_value_says_recalculate(tmp_path):
    found = one_error(edited_plan(tmp_path, {("Biểu 01", "D12"): "=D10+D11"}))
    assert "tính lại" in found.message and found.cell == "D12"


# ---- bounded resources -------------------------------------------------------------------------------
def test_a_zip_bomb_is_refused_from_the_central_directory_with_the_caps(tmp_path):
    path = with_parts(tmp_path, "bomb.xlsx", extra={"xl/media/pad.bin": b"\0" * (60 * 1024 * 1024)})
    start = time.perf_counter()
    found = one_error(path)
    assert time.perf_counter() - start < 1.0
    assert found.check == "file_too_large" and found.message.startswith("tệp quá lớn")
    assert "xl/media/pad.bin" in found.message and "50 MB mỗi phần" in found.message
    assert "200 MB tổng cộng" in found.message and "100:1" in found.message


DOCX = PLAN.parents[2] / "tests" / "documents" / "plan-test.docx"
#: Each zip-based format the reader opens: its file, and its main XML part.
PACKAGES = {".xlsx": (PLAN, "xl/worksheets/sheet1.xml"), ".docx": (DOCX, "word/document.xml")}


def _package(tmp_path: Path, suffix: str, replace: dict[str, bytes] | None = None,
             extra: dict[str, bytes] | None = None) -> Path:
    """A package of ``suffix`` (the plan, or the Word test plan) with parts replaced or added."""
    return with_parts(tmp_path, f"package{suffix}", replace, extra, base=PACKAGES[suffix][0])


@pytest.mark.parametrize("suffix", PACKAGES)
@pytest.mark.parametrize("pad_mb, says", [(60, "50 MB mỗi phần"), (5, "giải nén ra gấp")])
def test_a_zip_bomb_of_any_format_is_too_large_in_bounded_time(tmp_path, suffix, pad_mb, says):
    path = _package(tmp_path, suffix, extra={"media/pad.bin": b"\0" * (pad_mb * 1024 * 1024)})
    start = time.perf_counter()
    found = one_error(path)
    assert time.perf_counter() - start < 1.0
    assert found.check == "file_too_large" and found.message.startswith("tệp quá lớn") and says in found.message


@pytest.mark.parametrize("suffix", PACKAGES)
def test_the_total_cap_holds_for_any_format(suffix, monkeypatch):
    monkeypatch.setattr(config, "MAX_TOTAL_BYTES", 1000)  # both packages hold more than 1 000 bytes
    found = one_error(PACKAGES[suffix][0])
    assert found.check == "file_too_large" and "các phần của tệp giải nén ra" in found.message


@pytest.mark.parametrize("suffix, program", [(".xlsx", "Excel"), (".docx", "Word")])
def test_entity_declarations_are_refused_in_any_format(tmp_path, suffix, program):
    _base, main = PACKAGES[suffix]
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
              b'<root>&b;</root>')
    found = one_error(_package(tmp_path, suffix, replace={main: laughs}))
    assert found.check == "unsafe_xml" and f"hãy mở tệp bằng {program}" in found.message
    assert f"lưu lại thành {suffix}" in found.message


def test_a_dimension_lie_costs_memory_for_real_cells_only(tmp_path):
    sheet = (f'<worksheet {NS}><dimension ref="A1:XFD1048576"/><sheetData><row r="1048576">'
             f'<c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>').encode()
    path = with_parts(tmp_path, "lie.xlsx", replace={"xl/worksheets/sheet1.xml": sheet})
    tracemalloc.start()
    start = time.perf_counter()
    found = errors(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert time.perf_counter() - start < 5 and peak < 50 * 1024 * 1024
    assert {f.check for f in found} == {"table_not_found"}  # Biểu 01 is gone: said, no MemoryError


def test_a_far_cell_beside_the_plan_keeps_merges_and_reading(tmp_path):
    """Streaming (read-only mode) keeps merged header cells: Biểu 02's 'Chỉ tiêu
    kế hoạch năm 2021' spans C5:I5 and gives every district column its year."""
    wb = openpyxl.load_workbook(PLAN)
    wb["Biểu 02"]["XFD1048576"] = "x"
    wb.save(tmp_path / "far.xlsx")
    read = read_source(tmp_path / "far.xlsx")
    assert not read.findings.errors
    assert set(read.tables.districts.year) == {2021} and len(read.tables.districts) == 70


def test_a_huge_merged_range_is_refused(tmp_path):
    sheet1 = zipfile.ZipFile(PLAN).read("xl/worksheets/sheet1.xml").decode()
    head = sheet1.split("<mergeCells")[0].replace("</worksheet>", "")
    sheet = (head + '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>').encode()
    found = one_error(with_parts(tmp_path, "merge.xlsx", replace={"xl/worksheets/sheet1.xml": sheet}))
    assert found.check == "file_too_large" and found.sheet == "Biểu 01" and "vùng ô gộp" in found.message


def test_too_many_cells_are_refused_with_the_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "MAX_CELLS", 50)
    found = one_error(PLAN)
    assert found.check == "file_too_large" and "hơn 50 ô" in found.message


def test_an_external_entity_is_refused(tmp_path):
    xxe = (f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]><worksheet {NS}>'
           f'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData>'
           f'</worksheet>').encode()
    found = one_error(with_parts(tmp_path, "xxe.xlsx", replace={"xl/worksheets/sheet1.xml": xxe}))
    assert found.check == "unsafe_xml"


def test_defusedxml_guards_openpyxl_too():
    """Second line of defence: openpyxl parses with defusedxml (a DOCTYPE past the
    first 4 kB of a part would reach it)."""
    import openpyxl as op
    from defusedxml import EntitiesForbidden
    from openpyxl.xml.functions import iterparse

    assert op.DEFUSEDXML
    doc = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "x">]><d>&e;</d>'
    with pytest.raises(EntitiesForbidden):
        list(iterparse(io.BytesIO(doc)))


# ---- figures that must not turn blanks into zeros -----------------------------------------------------
def _build(tmp_path: Path, lang: str = "vi", **blank) -> tuple:
    raw = tmp_path / "raw"
    rh.copy_plan(raw)
    results = write_results_template(2021, raw / "ket-qua-2021.xlsx")[0]
    where = rh.fill_results(results)
    wb = openpyxl.load_workbook(results)
    for key in blank.get("cells", []):
        sheet, ref = where[key].split("!")
        wb[sheet][ref].value = None
    wb.save(results)
    rh.write_sidecar(results, sha256=None)
    result = build(raw, tmp_path / "processed", tmp_path / "figures", lang=lang)
    return result, tmp_path / "figures"


def _funding_keys() -> list[tuple]:
    return [("funding", label) for label in rh.BIEU_03]


def test_funding_figure_left_out_when_no_amount_was_mobilised(tmp_path):
    result, figures = _build(tmp_path, cells=_funding_keys())
    assert result.exit_code == 0
    assert not (figures / "funding_plan_vs_actual.png").exists()
    assert result.notes == ["Không vẽ hình funding_plan_vs_actual: kết quả năm 2021 không có số vốn đã huy động "
                            "nào (các ô để trống, không coi là 0)."]


def test_funding_figure_counts_only_reported_sources(tmp_path):
    from ntm_analysis.publishing.charts import figure_texts, funding_plan_vs_actual

    people = ("funding", "Huy động từ nhân dân (đất đai, ngày công lao động...)")
    result, _ = _build(tmp_path, cells=[people])
    fig = funding_plan_vs_actual(result.tables.funding)
    text = " ".join(" ".join(figure_texts(fig).values()).split())
    # plan 661.500 less the people's 50.000 = 611.500; results typed in results_helpers sum to 557.350
    assert "557.350/611.500" in text and "Nhân dân" in text and "0 / 50.000" not in text


def test_district_without_actuals_is_said_to_have_no_data(tmp_path):
    from ntm_analysis.publishing.charts import district_attainment, figure_texts

    keys = [("district", "Huyện Bát Xát", i) for i in range(7)]
    result, _ = _build(tmp_path, cells=keys)
    text = " ".join(" ".join(figure_texts(district_attainment(result.results["district_attainment"])).values()).split())
    assert "Bát Xát chưa có số liệu thực hiện" in text and "(0/0)" not in text


def test_build_lang_en_source_line_is_english(tmp_path):
    from ntm_analysis.publishing.charts import english_citation

    result, figures = _build(tmp_path, lang="en")
    assert result.exit_code == 0
    assert not (figures / "criteria_gaps.svg").exists()  # English figures in their own folder
    svg = (figures / "en" / "criteria_gaps.svg").read_text(encoding="utf-8")
    assert "Source: Plan No. 05/KH-UBND" in svg and "Nguồn" not in svg
    assert english_citation("Kế hoạch số 05/KH-UBND ngày 12/01/2021 của UBND tỉnh Lào Cai").startswith("Plan No.")


def test_figures_with_all_blank_results_are_left_out_and_the_build_says_why(tmp_path):
    keys = [("criterion", cid) for cid in range(1, 20)] + _funding_keys()
    result, figures = _build(tmp_path, cells=keys)
    assert result.exit_code == 0
    assert not (figures / "plan_vs_actual_criteria.png").exists()
    assert [n.split(":")[0] for n in result.notes] == ["Không vẽ hình plan_vs_actual_criteria",
                                                       "Không vẽ hình funding_plan_vs_actual"]


def test_a_blank_band_leaves_the_band_shares_unknown(tmp_path):
    from ntm_analysis.analysis.bands import band_shift

    read = read_source(edited_plan(tmp_path, {("Biểu 01", "D12"): None}))  # 2020, 10-14 criteria: blank
    shift = band_shift(read.tables.commune_bands)
    assert shift["base_share"].isna().all()
    # 2021 bands are all given: 72 of 127 communes meet all 19 criteria (Biểu 01 E10, E6)
    assert shift.loc[shift["band"] == "19", "compare_share"].iloc[0] == pytest.approx(72 / 127)
