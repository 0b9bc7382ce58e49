"""The real plan: every figure of the three appendices, typed from the source
document (shared/source/plan-05-KH-UBND-2021-lao-cai.md), read exactly."""
from __future__ import annotations

import pandas as pd
import pytest
from helpers import PLAN, PLAN_MD
from pandas.testing import assert_frame_equal

from ntm_analysis.reading.reader import read_source
from ntm_analysis.tables.tidy import FROM_TEXT

CRITERIA_2020 = [116, 92, 127, 108, 96, 89, 90, 120, 94, 64, 65, 127, 114, 118, 120, 109, 85, 78, 112]
CRITERIA_2021 = [127, 95, 127, 119, 100, 92, 115, 120, 98, 77, 80, 127, 115, 120, 120, 112, 91, 101, 115]
DISTRICTS = {  # area_code: new NTM, avg criteria, poverty reduction, latrine, water, jobs, insurance
    "10": (15, 16.15, 3, 79, 95.5, 13500, 98.5),
    "080": (1, 19, 0.1, 100, 99, 2650, 96.4),
    "082": (1, 16.2, 4, 84, 92, 1410, 98.5),
    "086": (None, 19, 1.5, 85, 95, 1800, 99.0),
    "088": (1, 13.2, 5, 78, 89, 1350, 99.0),
    "089": (4, 16, 3.5, 79, 97, 1400, 99.2),
    "087": (3, 15, 4, 75, 97, 1750, 99.0),
    "083": (1, 14.7, 5.1, 66, 94, 1150, 99.93),
    "085": (3, 14.8, 5.2, 78, 93.5, 1290, 99.5),
    "084": (1, 15.6, 2.5, 83, 92, 700, 98.5),
}
INDICATORS = ["new_ntm_communes", "avg_criteria", "poverty_reduction_pct", "hygienic_latrine_pct",
              "hygienic_water_pct", "jobs_added", "health_insurance_pct"]


@pytest.fixture(scope="module")
def plan():
    read = read_source(PLAN)
    assert not read.findings.errors, read.findings.report()
    return read


def test_criteria_counts_for_both_years(plan):
    c = plan.tables.criteria
    for (year, status), expected in {(2020, "actual"): CRITERIA_2020, (2021, "target"): CRITERIA_2021}.items():
        part = c[(c.year == year) & (c.status == status)].sort_values("criterion_id")
        assert part.criterion_id.tolist() == list(range(1, 20))
        assert part.communes.tolist() == expected
        assert (part.total_communes == 127).all()
        assert (part.criteria_set == "2016-2020").all()
    row18 = c[(c.year == 2021) & (c.criterion_id == 18)].iloc[0]
    assert row18.criterion == "Hệ thống chính trị và tiếp cận pháp luật"
    assert row18.group == "V. Hệ thống chính trị"
    assert row18.share == pytest.approx(101 / 127)
    assert row18.cell == "Biểu 01!E32"


def test_province_summary_and_bands(plan):
    expected = pd.DataFrame({
        "year": [2020, 2020, 2020, 2021, 2021, 2021],
        "status": ["actual"] * 3 + ["target"] * 3,
        "indicator": ["total_communes", "avg_criteria", "ntm_communes"] * 2,
        "value": [127, 15.15, 57, 127, 16.15, 72],
    }).astype({"year": "int64", "status": "str", "indicator": "str", "value": "float64"})
    got = plan.tables.province[["year", "status", "indicator", "value"]]
    assert_frame_equal(got.reset_index(drop=True), expected)
    bands = plan.tables.commune_bands
    assert bands[bands.year == 2020].communes.tolist() == [57, 7, 48, 15]
    assert bands[bands.year == 2021].communes.tolist() == [72, 17, 31, 7]
    assert bands.band.tolist()[:4] == ["19", "15-18", "10-14", "5-9"]


def test_districts_with_gso_codes_and_blank_kept_missing(plan):
    d = plan.tables.districts
    assert set(d.year) == {2021} and set(d.status) == {"target"}
    for code, values in DISTRICTS.items():
        part = d[d.area_code == code].set_index("indicator").value
        for indicator, expected in zip(INDICATORS, values):
            if expected is None:
                assert pd.isna(part[indicator]), "a blank cell must stay missing, never 0"
            else:
                assert part[indicator] == pytest.approx(expected), (code, indicator)
    assert d[d.area_code == "088"].area.iloc[0] == "Thị xã Sa Pa"
    assert d[d.area_code == "080"].area.iloc[0] == "Thành phố Lào Cai"
    assert len(d) == 10 * 7


def test_funding_tree_and_leaves_sum_to_total(plan):
    f = plan.tables.funding
    expected = pd.DataFrame({
        "code": ["0", "1", "1.1", "1.1.1", "1.1.2", "1.2", "1.2.1", "1.2.2", "2", "3", "4"],
        "parent_code": [None, "0", "1", "1.1", "1.1", "1", "1.2", "1.2", "0", "0", "0"],
        "level": [0, 1, 2, 3, 3, 2, 3, 3, 1, 1, 1],
        "amount_million_vnd": [661500, 311500, 31500, 25500, 6000, 280000, 250000, 30000, 270000, 30000,
                               50000.0],
        "is_leaf": [False, False, False, True, True, False, True, True, True, True, True],
    }).astype({"code": "str", "parent_code": "str", "level": "int64", "amount_million_vnd": "float64"})
    assert_frame_equal(f[expected.columns.tolist()].reset_index(drop=True), expected)
    assert f[f.is_leaf].amount_million_vnd.sum() == 661500
    assert f.set_index("code").share_of_total["1.1"] == pytest.approx(31500 / 661500)
    assert f.set_index("code").source["1.2.1"] == "Ngân sách cấp tỉnh"


def test_the_documents_own_inconsistency_is_a_warning(plan):
    assert [f.check for f in plan.findings if f.severity != "info"] == ["weighted_average"]
    finding = plan.findings.warnings[0]
    assert (finding.sheet, finding.cell) == ("Biểu 02", "D7")
    assert "15,76" in finding.message and "16,15" in finding.message


def test_every_check_that_holds_gets_an_info_line(plan):
    """Both periods: bands sum to 127, 57 and 72 NTM communes = the 19-criteria band,
    averages 15,15 and 16,15; funding: 4 parent lines and the total; districts: new NTM
    communes (15) and jobs (13 500); 57 + 15 = 72."""
    infos = [f for f in plan.findings if f.severity == "info"]
    assert plan.findings.items[-len(infos):] == infos  # after the warnings
    counts = pd.Series([f.check for f in infos]).value_counts().to_dict()
    assert counts == {"all_missing": 1, "bands_sum": 2, "count_above_total": 5, "ntm_vs_19": 2,
                      "average_criteria": 2, "funding_sum": 4, "funding_total": 1, "districts_sum": 2,
                      "ntm_cumulative": 1}
    cells = {(f.check, f.sheet, f.cell) for f in infos}
    assert {("bands_sum", "Biểu 01", "D6"), ("funding_total", "Biểu 03", "D6"),
            ("districts_sum", "Biểu 02", "H7"), ("average_criteria", "Biểu 01", "E7")} <= cells
    # 19 criteria × 2 periods + 4 bands × 2 + 3 province figures × 2 + 10 areas × 7 indicators + 11 funding
    # lines = 133 value cells, one blank (Biểu 02!C10)
    assert infos[0].message == "đã điền 132 trong 133 ô số liệu"


def test_markdown_carrier_reads_the_same_tables(plan):
    """The source document itself, read through the Markdown carrier, gives the
    same figures as the transcribed workbook: the transcription is exact."""
    if not PLAN_MD.exists():
        pytest.skip("the plan document (shared/source/plan-05-KH-UBND-2021-lao-cai.md) is not beside this checkout, "
                    "so the transcribed workbook was not compared with it")
    md = read_source(PLAN_MD)
    assert not md.findings.errors
    for name, frame in plan.tables.items():
        if name in FROM_TEXT:  # read from the text, which the workbook does not hold
            continue
        cols = [c for c in frame.columns if c not in ("source_id", "cell")]
        assert_frame_equal(md.tables.as_dict()[name][cols].reset_index(drop=True),
                           frame[cols].reset_index(drop=True), obj=name)
