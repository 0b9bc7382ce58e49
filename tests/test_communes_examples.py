"""The illustrative commune tables of data/examples reproduce what plan 05/KH-UBND
states (every value below is typed from the plan: Biểu 01, Biểu 02 and section
II.1), and the build compares them with the plan."""
from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from helpers import PLAN

from ntm_analysis.analysis.commune_aggregates import commune_aggregates
from ntm_analysis.analysis.commune_readiness import readiness
from ntm_analysis.checks.communes import district_averages, new_ntm_by_area
from ntm_analysis.checks.reconcile import as_findings, reconcile
from ntm_analysis.config import EXAMPLES_DIR, sidecar_path
from ntm_analysis.findings import Findings
from ntm_analysis.publishing.build import build
from ntm_analysis.reading.reader import read_source
from ntm_analysis.reference import load_reference
from ntm_analysis.tables.combine import combine

FILES = {(2020, "actual"): EXAMPLES_DIR / "xa-tieu-chi-2020-thuc-hien-minh-hoa.xlsx",
         (2021, "target"): EXAMPLES_DIR / "xa-tieu-chi-2021-ke-hoach-minh-hoa.xlsx"}
# Biểu 01: communes meeting each criterion, end-2020 (actual) and end-2021 (target)
CRITERIA_2020 = [116, 92, 127, 108, 96, 89, 90, 120, 94, 64, 65, 127, 114, 118, 120, 109, 85, 78, 112]
CRITERIA_2021 = [127, 95, 127, 119, 100, 92, 115, 120, 98, 77, 80, 127, 115, 120, 120, 112, 91, 101, 115]
# Biểu 01: communes by criteria met (19, 15-18, 10-14, 5-9, under 5)
BANDS = {2020: [57, 7, 48, 15, 0], 2021: [72, 17, 31, 7, 0]}
AVERAGE = {2020: 15.15, 2021: 16.15}
# Biểu 02: new NTM communes in 2021 by district (Bảo Thắng blank); GSO codes of facts.md §2
NEW_2021 = {"080": 1, "082": 1, "086": 0, "088": 1, "089": 4, "087": 3, "083": 1, "085": 3, "084": 1}
# Section II.1: the communes to reach the standard in 2021 (GSO codes of the names the plan writes;
# Nậm Dạng is written for Xã Nậm Rạng, Nậm Cháy for Xã Nậm Chảy)
NAMED = {"Xã Tân Thượng", "Xã Minh Lương", "Xã Chiềng Ken", "Xã Nậm Rạng", "Xã Xuân Thượng", "Xã Bảo Hà",
         "Xã Vĩnh Yên", "Xã Nậm Mòn", "Xã Cốc Lầu", "Xã Bản Liền", "Xã Thống Nhất", "Xã Nậm Chảy",
         "Xã Trịnh Tường", "Xã Mường Hoa", "Xã Sán Chải"}


@pytest.fixture(scope="module")
def examples():
    reads = {period: read_source(path) for period, path in FILES.items()}
    for read in reads.values():
        assert not read.findings.errors and not read.findings.warnings
    return pd.concat([r.tables.commune_criteria for r in reads.values()], ignore_index=True)


@pytest.fixture(scope="module")
def aggregates(examples):
    agg = commune_aggregates(examples)
    return agg[agg.area_code == "10"]


def _values(agg: pd.DataFrame, year: int, indicator: str) -> list[float]:
    return agg[(agg.year == year) & (agg.indicator == indicator)].value.tolist()


def test_sidecars_say_illustrative():
    for path in FILES.values():
        meta = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
        assert meta["illustrative"] is True and meta["kind"] == "communes"
        assert "minh-hoa" in path.name and meta["note"].startswith("MADE UP")


def test_every_commune_assessed_on_every_criterion(examples):
    assert len(examples) == 2 * 127 * 19
    assert examples.criterion_met.notna().all()


@pytest.mark.parametrize("year, counts", [(2020, CRITERIA_2020), (2021, CRITERIA_2021)])
def test_criterion_counts_of_bieu_01(aggregates, year, counts):
    assert _values(aggregates, year, "criterion_communes") == counts


@pytest.mark.parametrize("year", [2020, 2021])
def test_bands_average_and_ntm(aggregates, year):
    assert _values(aggregates, year, "band_communes") == BANDS[year]
    assert round(_values(aggregates, year, "avg_criteria")[0], 2) == AVERAGE[year]
    assert _values(aggregates, year, "ntm_communes") == [BANDS[year][0]]
    assert _values(aggregates, year, "total_communes") == [127]


def test_new_ntm_by_district_of_bieu_02(examples):
    new = new_ntm_by_area(examples, 2021, "target").set_index("area_code").value
    assert new["10"] == 15
    assert {k: new[k] for k in NEW_2021} == NEW_2021


def test_named_communes_and_bao_thang(examples):
    r = readiness(examples)
    r20, r21 = r[r.year == 2020].set_index("commune"), r[r.year == 2021].set_index("commune")
    assert set(r21[r21.state == "ntm"].index) - set(r20[r20.state == "ntm"].index) == NAMED
    assert (r20[r20.district_code == "086"].state == "ntm").sum() == 11  # Bảo Thắng, all 11 communes


def test_no_criterion_lost_between_the_years(examples):
    wide = examples.pivot_table(index=["commune_code", "criterion_id"], columns="year", values="criterion_met",
                                aggfunc="first")
    assert not (wide[2020].astype(bool) & ~wide[2021].astype(bool)).any()


def test_comparison_with_the_plan(examples):
    reads = [read_source(PLAN)] + [read_source(p) for p in FILES.values()]
    tables, _ = combine(reads, Findings())
    rows = reconcile(tables, load_reference(), scopes=("communes",))
    province = rows[rows.area_code == "10"]
    assert len(province) and (province.severity == "info").all()  # Biểu 01 all agree
    warned = {f.cell for f in as_findings(rows).warnings}
    # the made-up tables do not follow Biểu 02's district averages (D9, D11…D16); TP Lào Cai and Bảo Thắng
    # are at 19 by construction
    assert warned == {"D9", "D11", "D12", "D13", "D14", "D15", "D16"}
    averages = district_averages(tables)
    implied = averages[averages.area_code == "implied_by_districts"].stated.iloc[0]
    assert round(implied, 2) == 15.76  # what the plan's own district averages imply (against 16,15)


def test_build_writes_the_commune_outputs(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for path in [PLAN, *FILES.values()]:
        shutil.copy(path, raw / path.name)
        shutil.copy(sidecar_path(path), raw / sidecar_path(path).name)
    result = build(raw, tmp_path / "processed", tmp_path / "figures", figures=False)
    assert result.exit_code == 0
    names = {p.name for p in (tmp_path / "processed").iterdir()}
    assert {"commune_criteria.csv", "commune_aggregates.csv", "commune_readiness.csv",
            "commune_blocking_criteria.csv", "commune_district_summary.csv", "commune_district_averages.csv",
            "commune_successors_2025.csv"} <= names
    sheets = pd.ExcelFile(tmp_path / "processed" / "ntm_tables.xlsx").sheet_names
    assert {"Tiêu chí từng xã", "Mức độ đạt chuẩn từng xã", "Tổng hợp từ bảng xã"} <= set(sheets)
    validation = pd.read_csv(tmp_path / "processed" / "validation.csv")
    assert (validation.check == "commune_vs_published").sum() > 0
    assert "commune_targets" in set(validation.check)  # no target_communes table yet: said, not silent
    compared = validation[validation.check == "commune_vs_published"]
    assert set(compared.file) == {PLAN.name} and set(compared.sheet) == {"Biểu 01", "Biểu 02"}
