"""A province code is ambiguous across the 2025 reform (issue 22 §1): "15" is old Yên Bái in the
units of 2021 and new Lào Cai in the units of 2025 (facts.md §6). The issue's "Done when" set (new
Lào Cai's 2026 commune table, old Lào Cai's and old Yên Bái's 2020 commune tables, made as in
test_reform) builds with figures, and each province is named right: its workbook, the build's
message, the province the figures show (new Lào Cai: its own source and its two predecessors')."""
from __future__ import annotations

import shutil

import openpyxl
import pytest
from test_reform import EXAMPLE_2026, lao_cai_2020, yen_bai_2020

from ntm_analysis.i18n import use_language
from ntm_analysis.publishing.build import build, province_workbook
from ntm_analysis.reference import load_reference
from ntm_analysis.tables.provinces import key_parts, one_province, province_key, province_label, provinces_in


@pytest.fixture(scope="module")
def done_when(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reform-provinces")
    raw = folder / "raw"
    raw.mkdir()
    lao_cai_2020(raw)
    yen_bai_2020(raw)
    for src in EXAMPLE_2026.parent.glob("xa-tieu-chi-2026-*"):  # (the folder holds Yên Bái 2020 too)
        shutil.copy(src, raw / src.name)
    result = build(raw, folder / "processed", folder / "figures", lang="vi", workers=1)
    return folder, result


def test_keys_say_the_unit_system():
    assert province_key("15") == province_key("15", "2021") == "15"
    assert province_key("15", "2025") == "2025-15"
    assert key_parts("2025-15") == ("2025", "15") and key_parts("15") == ("2021", "15")


def test_each_province_its_own_workbook_named_right(done_when):
    folder, result = done_when
    assert result.exit_code == 0, [f.message for f in result.findings.errors]
    names = sorted(p.name for p in (folder / "processed").glob("ntm_tables_*.xlsx"))
    assert names == ["ntm_tables_10_tinh-lao-cai.xlsx", "ntm_tables_15_tinh-yen-bai.xlsx",
                     "ntm_tables_2025-15_tinh-lao-cai.xlsx"]
    assert province_workbook("15", load_reference()) == "ntm_tables_15_tinh-yen-bai.xlsx"


def _sheet(path, title: str) -> list[tuple]:
    """The rows of a sheet (the workbook's sheets have Vietnamese titles in a Vietnamese build)."""
    return list(openpyxl.load_workbook(path, read_only=True)[title].iter_rows(values_only=True))


@pytest.mark.parametrize("name, source, rows", [
    ("ntm_tables_15_tinh-yen-bai.xlsx", "yen-bai-xa-2020", 150 * 19),  # old Yên Bái's 150 xã × 19 criteria
    ("ntm_tables_2025-15_tinh-lao-cai.xlsx", "xa-tieu-chi-2026-lao-cai-moi-minh-hoa", 89 * 10),  # 89 xã × 10
])
def test_workbooks_hold_their_own_provinces_rows(done_when, name, source, rows):
    folder, _result = done_when
    marks = _sheet(folder / "processed" / name, "Tiêu chí từng xã")
    assert len(marks) - 1 == rows
    cited = {cell for row in _sheet(folder / "processed" / name, "Nguồn dữ liệu")[1:] for cell in row}
    others = {"yen-bai-xa-2020", "xa-tieu-chi-2026-lao-cai-moi-minh-hoa", "lao-cai-xa-2020"} - {source}
    assert source in cited and not others & cited


def test_the_figures_show_new_lao_cai(done_when):
    _folder, result = done_when
    tables = result.tables
    assert provinces_in(tables) == ["10", "15", "2025-15"]
    message = [f.message for f in result.findings if f.check == "several_provinces"]
    with use_language("vi"):
        new = province_label("2025-15", load_reference())
    assert new == "Tỉnh Lào Cai (đơn vị hành chính từ 01/7/2025)"
    assert len(message) == 1 and f"biểu đồ chỉ thể hiện {new}" in message[0] and "Tỉnh Yên Bái" in message[0]
    assert set(one_province(tables, "2025-15").commune_criteria.units) == {"2025"}
    assert set(one_province(tables, "15").commune_criteria.source_id) == {"yen-bai-xa-2020"}


def test_the_figures_timeline_is_new_lao_cais(done_when):
    folder, _result = done_when
    assert (folder / "figures" / "province_timeline.png").is_file()
    assert not list((folder / "figures").glob("commune_wall_1[34]*"))  # no Yên Bái district wall
