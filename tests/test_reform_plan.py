"""A plan in the units of 2025 (issue 22 §2): its sub-province table (Biểu 02) lists communes and wards
where a 2021 plan listed districts, and reads at the commune level: the same indicators, keyed by the
commune's 2025 code.

The plan is made here by hand from plan 05's workbook: Biểu 02's nine district rows renamed as nine
communes and wards of new Lào Cai (code 15 from 1 July 2025), written as offices write them (with or
without "Xã"/"Phường", one without accents), its sidecar saying ``units`` 2025. The figures are plan 05's
(Biểu 02, ../shared/source/plan-05-KH-UBND-2021-lao-cai.md), not a real 2026 plan; the codes are those of
the list of 2025 units (NQ 1673/NQ-UBTVQH15 for Lào Cai, reference/units_2025.csv.gz)."""
from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from results_helpers import copy_plan, write_sidecar

from ntm_analysis.reading.reader import read_source
from ntm_analysis.reference import load_reference

#: Biểu 02 rows 8–16 (plan 05's districts, in order) -> the commune written there, and its 2025 code.
COMMUNES = [("Phường Lào Cai", "02647"), ("Bát Xát", "02683"), ("Xã Bảo Thắng", "02905"), ("Phường Sa Pa", "03006"),
            ("Xa Van Ban", "03082"), ("Bảo Yên", "02947"), ("Xã Mường Khương", "02761"), ("Xã Bắc Hà", "02839"),
            ("Si Ma Cai", "02809")]


def plan_2026(folder, rows=COMMUNES):
    path = copy_plan(folder, "ke-hoach-2026-lao-cai-moi.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Biểu 02"]
    ws["B5"] = "Xã, phường"
    for i, (name, _code) in enumerate(rows):
        ws.cell(8 + i, 2, name)
    wb.save(path)
    write_sidecar(path, source_id="ke-hoach-2026-lao-cai-moi", province_code="15", units="2025", sha256=None)
    return path


@pytest.fixture(scope="module")
def read(tmp_path_factory):
    return read_source(plan_2026(tmp_path_factory.mktemp("plan2026")), load_reference())


def test_reads_at_the_commune_level(read):
    assert not read.findings.errors, [f.message for f in read.findings.errors]
    assert not read.findings.warnings, [f.message for f in read.findings.warnings]  # "tỉnh Lào Cai" is 15 now
    d = read.tables.districts
    assert set(d.area_code) == {"15"} | {code for _name, code in COMMUNES}
    assert set(d.province_code) == {"15"}


def test_the_same_indicators_keyed_by_commune(read):
    d = read.tables.districts.set_index(["area_code", "indicator"])
    # Biểu 02, row "Bát Xát" (now Xã Bát Xát, 02683): 1 xã NTM, 16,2 criteria per commune, 84 % latrines
    assert d.loc[("02683", "new_ntm_communes"), "value"] == 1
    assert d.loc[("02683", "avg_criteria"), "value"] == pytest.approx(16.2)
    assert d.loc[("02683", "area")].iloc[0] == "Xã Bát Xát"
    # row "Văn Bàn" written "Xa Van Ban" (now Xã Văn Bàn, 03082): 4 xã, 16 criteria, a near match
    assert d.loc[("03082", "new_ntm_communes"), "value"] == 4
    assert d.loc[("03082", "avg_criteria"), "value"] == 16
    near = [f for f in read.findings if f.check == "commune_name"]
    assert len(near) == 1 and "Xa Van Ban" in near[0].message and near[0].cell == "B12"
    # row "Tỉnh": the province (15), 15 xã, 16,15 criteria
    assert d.loc[("15", "new_ntm_communes"), "value"] == 15
    assert d.loc[("15", "avg_criteria"), "value"] == pytest.approx(16.15)


def test_a_district_or_an_unknown_name_is_a_finding_with_its_cell(tmp_path):
    rows = [("Huyện Bát Xát", ""), ("Xã Không Có", ""), *COMMUNES[2:]]
    findings = read_source(plan_2026(tmp_path, rows), load_reference()).findings
    errors = {(f.check, f.cell) for f in findings.errors}
    assert ("units_2021_in_2025", "B8") in errors and ("unknown_commune", "B9") in errors
    assert all(f.sheet == "Biểu 02" for f in findings.errors)


def test_the_district_analyses_run_per_commune(tmp_path):
    from ntm_analysis.publishing.build import build  # noqa: PLC0415

    raw = tmp_path / "raw"
    plan_2026(raw)
    result = build(raw, tmp_path / "processed", tmp_path / "figures", figures=False, workers=1)
    assert result.exit_code == 0, [f.message for f in result.findings.errors]
    overview = result.results["district_overview"]
    bat_xat = overview[(overview.area_code == "02683") & (overview.indicator == "avg_criteria")].iloc[0]
    assert bat_xat.value == pytest.approx(16.2) and bat_xat.province_value == pytest.approx(16.15)
    assert pd.isna(bat_xat.communes)  # a commune has no count of communes: blank, never 0


def test_a_2025_plan_beside_a_2021_plan_of_the_same_code_is_keyed_apart(tmp_path):
    """Old Yên Bái's (made-up) 2021 plan and new Lào Cai's 2026 plan: both code 15; every table says its
    ``units``, so the two are keyed apart: no conflict between their figures, one overview row each.
    Hand-computed: Yên Bái's plan has 75 NTM communes of 150 in 2020 (province_plans.py), the 2026 plan
    plan 05's 57 of 127 (Biểu 01)."""
    from province_plans import province_plan  # noqa: PLC0415

    from ntm_analysis.publishing.build import build  # noqa: PLC0415

    raw = tmp_path / "raw"
    plan_2026(raw)
    province_plan(raw, "15")
    result = build(raw, tmp_path / "processed", tmp_path / "figures", figures=False, workers=1)
    assert not result.findings.errors, [f.message for f in result.findings.errors]
    assert not [f for f in result.findings if f.check in ("conflict", "units_mixed")]
    processed = tmp_path / "processed"
    for name in ("criteria", "province", "districts", "funding", "commune_bands"):
        frame = pd.read_csv(processed / f"{name}.csv", dtype=str)
        assert list(frame.columns[:2]) == ["province_code", "units"], name
        assert set(zip(frame.province_code, frame.units)) == {("15", "2021"), ("15", "2025")}, name
    overview = pd.read_csv(processed / "province_overview.csv", dtype=str)
    o2020 = overview[(overview.year == "2020") & (overview.status == "actual")].set_index("units")
    assert (o2020.loc["2021", "ntm_communes"], o2020.loc["2021", "total_communes"]) == ("75", "150")
    assert (o2020.loc["2025", "ntm_communes"], o2020.loc["2025", "total_communes"]) == ("57", "127")
