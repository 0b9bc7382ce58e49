"""Every error and warning kind, each on its own small workbook (a copy of the
real plan with one or two cells changed, or a broken file)."""
from __future__ import annotations

import shutil
import zipfile

import openpyxl
import pytest
from helpers import PLAN

from ntm_analysis.reading.reader import read_source


def where(read, severity: str, check: str) -> list[tuple[str, str]]:
    return [(f.sheet, f.cell) for f in read.findings if f.severity == severity and f.check == check]


def message(read, check: str) -> str:
    return next(f.message for f in read.findings if f.check == check)


# ---- errors: the run stops -----------------------------------------------------

@pytest.mark.parametrize("edits, check, cell", [
    ({("Biểu 01", "D15"): "nhiều"}, "text_in_number", ("Biểu 01", "D15")),
    ({("Biểu 02", "H9"): "1.410 lao động"}, "text_in_number", ("Biểu 02", "H9")),
    ({("Biểu 01", "D16"): -5}, "schema", ("Biểu 01", "D16")),
    ({("Biểu 03", "D16"): "-50.000"}, "schema", ("Biểu 03", "D16")),
    ({("Biểu 01", "D16"): 130}, "schema", ("Biểu 01", "D16")),
    ({("Biểu 01", "D10"): 130}, "count_above_total", ("Biểu 01", "D10")),
    ({("Biểu 02", "C9"): 25}, "count_above_total", ("Biểu 02", "C9")),
    ({("Biểu 02", "F8"): 101}, "schema", ("Biểu 02", "F8")),
    ({("Biểu 01", "D7"): "19,5"}, "schema", ("Biểu 01", "D7")),
    ({("Biểu 02", "D9"): 20}, "schema", ("Biểu 02", "D9")),
    ({("Biểu 02", "B9"): "Bát Xác"}, "unknown_district", ("Biểu 02", "B9")),
    ({("Biểu 02", "B9"): "Tp. Lào Cai"}, "duplicate_district", ("Biểu 02", "B9")),
    ({("Biểu 03", "D6"): "=SUM(D7,D14,D15,D16)"}, "formula_without_value", ("Biểu 03", "D6")),
])
def test_error_names_the_cell(edit_plan, edits, check, cell):
    read = read_source(edit_plan(edits))
    assert cell in where(read, "error", check), read.findings.report()


def test_messages_say_what_is_wrong_in_plain_words(edit_plan):
    read = read_source(edit_plan({("Biểu 01", "D16"): -5, ("Biểu 02", "F8"): 101,
                                  ("Biểu 02", "B10"): "Bảo Thăng", ("Biểu 01", "D15"): "nhiều"}))
    text = read.findings.report()
    assert "số xã không thể âm" in text
    assert "tỷ lệ phần trăm không thể lớn hơn 100" in text
    assert "có phải là 'Bảo Thắng'" in text or "có phải là 'Huyện Bảo Thắng'" in text
    assert "cần một số, nhưng ô chứa chữ “nhiều”" in text
    assert "Traceback" not in text


def test_missing_and_duplicate_criteria(edit_plan):
    read = read_source(edit_plan({("Biểu 01", "B19"): "Xã đạt tiêu chí số 4"}))
    checks = {f.check for f in read.findings.errors}
    assert {"duplicate_criterion", "missing_criterion"} <= checks
    assert "cột này thiếu tiêu chí số 5" in message(read, "missing_criterion")


def test_missing_table(tmp_path):
    wb = openpyxl.load_workbook(PLAN)
    del wb["Biểu 03"]
    path = tmp_path / "no-funding.xlsx"
    wb.save(path)
    read = read_source(path)
    assert [f.check for f in read.findings.errors] == ["table_not_found"]
    assert "Biểu 03" in read.findings.errors[0].message


@pytest.mark.parametrize("name, content, check", [
    ("empty.xlsx", b"", "empty_file"),
    ("text.xlsx", "TT,Nội dung\n1,Tổng số xã\n".encode(), "not_a_workbook"),
    ("broken.xlsx", None, "corrupt_file"),
    ("macro.xlsm", None, "macro_enabled"),
    ("old.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "old_format"),
    ("notes.csv", b"hello", "not_a_workbook"),
])
def test_files_that_are_not_workbooks(tmp_path, name, content, check):
    path = tmp_path / name
    if check == "corrupt_file":  # a valid zip whose workbook XML is cut short
        with zipfile.ZipFile(PLAN) as src, zipfile.ZipFile(path, "w") as dst:
            for item in src.infolist():
                data = src.read(item)
                dst.writestr(item, data[: len(data) // 2] if item.filename.startswith("xl/worksheets") else data)
    elif check == "macro_enabled":
        shutil.copy(PLAN, path)
    else:
        path.write_bytes(content)
    read = read_source(path)
    assert [f.check for f in read.findings.errors] == [check]
    assert read.findings.errors[0].file == name


def test_macros_inside_an_xlsx_are_refused(tmp_path):
    path = tmp_path / "hidden-macros.xlsx"
    shutil.copy(PLAN, path)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 16)
    assert [f.check for f in read_source(path).findings.errors] == ["macro_enabled"]


def test_files_over_20_mb_are_refused(tmp_path):
    path = tmp_path / "huge.xlsx"
    with open(path, "wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    read = read_source(path)
    assert [f.check for f in read.findings.errors] == ["file_too_large"]
    assert "giới hạn là 20 MB" in read.findings.errors[0].message


# ---- warnings: the run goes on ---------------------------------------------------

@pytest.mark.parametrize("edits, check, cell", [
    ({("Biểu 01", "D11"): 8}, "bands_sum", ("Biểu 01", "D6")),
    ({("Biểu 01", "D8"): 61}, "ntm_vs_19", ("Biểu 01", "D8")),
    ({("Biểu 01", "E7"): "16,50"}, "average_criteria", ("Biểu 01", "E7")),
    ({("Biểu 03", "D9"): "25.000"}, "funding_sum", ("Biểu 03", "D8")),
    ({("Biểu 03", "D9"): "25.000"}, "funding_total", ("Biểu 03", "D6")),
    ({("Biểu 02", "C9"): 2}, "districts_sum", ("Biểu 02", "C7")),
    ({("Biểu 02", "H9"): "1.500"}, "districts_sum", ("Biểu 02", "H7")),
    ({}, "weighted_average", ("Biểu 02", "D7")),
])
def test_warning_names_the_cell_and_the_run_goes_on(edit_plan, edits, check, cell):
    read = read_source(edit_plan(edits))
    assert cell in where(read, "warning", check), read.findings.report()
    assert not read.findings.errors
    assert len(read.tables.criteria) == 38


def test_strict_turns_warnings_into_errors(plan_xlsx):
    read = read_source(plan_xlsx)
    assert not read.findings.errors
    assert [f.check for f in read.findings.strict().errors] == ["weighted_average"]
