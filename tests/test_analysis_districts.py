"""district_overview, implied_province_average and district_attainment (Biểu 02)."""
from __future__ import annotations

import math

import analysis_fixtures as fx
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from ntm_analysis.analysis import district_attainment, district_overview, implied_province_average
from ntm_analysis.reference import load_reference

ATTAINMENT_COLUMNS = ["year", "area_code", "area", "indicator", "target", "actual", "gap", "attainment_pct", "met"]
#: (7×19 + 20×16.2 + 11×19 + 10×13.2 + 21×16 + 16×15 + 15×14.7 + 18×14.8 + 9×15.6)
IMPLIED_TOTAL = 133 + 324 + 209 + 132 + 336 + 240 + 220.5 + 266.4 + 140.4


@pytest.fixture(scope="module")
def reference():
    return load_reference()


def test_weighted_average_of_the_district_targets(reference):
    out = implied_province_average(fx.districts(), reference)
    expected = pd.DataFrame({"year": [2021], "status": ["target"], "districts": [9],
                             "communes": pd.array([127], dtype="Int64"), "implied_criteria": [IMPLIED_TOTAL],
                             "implied_average": [IMPLIED_TOTAL / 127], "stated_average": [16.15],
                             "difference": [IMPLIED_TOTAL / 127 - 16.15]})
    assert_frame_equal(out, expected)
    assert math.isclose(IMPLIED_TOTAL, 2001.3)
    assert round(out.implied_average[0], 2) == 15.76


def test_overview_of_one_district(reference):
    out = district_overview(fx.districts(), reference)
    sapa = out[out.area_code == "088"].reset_index(drop=True)
    expected = pd.DataFrame({
        "year": 2021, "status": "target", "area_code": "088", "area": "Thị xã Sa Pa",
        "communes": pd.array([10] * 7, dtype="Int64"), "indicator": fx.INDICATORS,
        "value": [1, 13.2, 5, 78, 89, 1350, 99.0],
        "unit": ["communes", "criteria per commune", "%", "%", "%", "workers", "%"],
        "province_value": [15, 16.15, 3, 79, 95.5, 13500, 98.5],
        "difference": [1 - 15, 13.2 - 16.15, 5 - 3, 78 - 79, 89 - 95.5, 1350 - 13500, 99 - 98.5],
        # new NTM: 4, 3, 3 above it, tied with four others (Bảo Thắng blank: unranked);
        # average 13.2 lowest of 9; poverty reduction 5 after 5.2 and 5.1; latrine 78 tied with Bắc Hà
        # after 100, 85, 84, 83, 79; water 89 lowest; jobs 1350 after 2650, 1800, 1750, 1410, 1400;
        # health insurance 99.0 tied with Bảo Thắng and Bảo Yên after 99.93, 99.5, 99.2
        "rank": pd.array([4, 9, 3, 6, 9, 6, 4], dtype="Int64"),
        "ranked": [8, 9, 9, 9, 9, 9, 9],
        "implied_criteria": [math.nan, 10 * 13.2, math.nan, math.nan, math.nan, math.nan, math.nan],
        "implied_province_value": [15, IMPLIED_TOTAL / 127, math.nan, math.nan, math.nan, 13500, math.nan]})
    assert_frame_equal(sapa, expected)


def test_overview_blank_target_has_no_rank(reference):
    out = district_overview(fx.districts(), reference)
    row = out[(out.area_code == "086") & (out.indicator == "new_ntm_communes")].iloc[0]
    assert math.isnan(row.value) and pd.isna(row["rank"])
    assert out.area_code.tolist().count("10") == 0  # the province is a column, not a row
    assert out.groupby("area_code").communes.first().sum() == 127  # the gazetteer's communes


def test_overview_rank_follows_direction(reference):
    table = [("10", "Tỉnh Lào Cai", [20.0]), ("080", "Thành phố Lào Cai", [2.0]),
             ("082", "Huyện Bát Xát", [30.0]), ("083", "Huyện Mường Khương", [25.0])]
    out = district_overview(fx.districts(fx.district_rows(2021, "target", table, ["poverty_rate_pct"])),
                            reference)
    # poverty rate: lower is better
    assert out.set_index("area_code")["rank"].to_dict() == {"080": 1, "082": 3, "083": 2}


def test_overview_of_an_empty_table(reference):
    out = district_overview(fx.districts([]), reference)
    assert out.empty and "implied_province_value" in out.columns


def results_rows(table):
    return fx.district_rows(2021, "actual", table, ["new_ntm_communes", "poverty_rate_pct"])


def test_attainment_respects_direction(reference):
    targets = fx.district_rows(2021, "target", [("082", "Huyện Bát Xát", [1, 30.0]),
                                                ("083", "Huyện Mường Khương", [1, 25.0])],
                               ["new_ntm_communes", "poverty_rate_pct"])
    actuals = results_rows([("082", "Huyện Bát Xát", [2, 28.0]), ("083", "Huyện Mường Khương", [0, 27.5])])
    out = district_attainment(fx.districts(targets, actuals), reference)
    expected = pd.DataFrame({
        "year": [2021] * 4, "area_code": ["082", "082", "083", "083"],
        "area": ["Huyện Bát Xát", "Huyện Bát Xát", "Huyện Mường Khương", "Huyện Mường Khương"],
        "indicator": ["new_ntm_communes", "poverty_rate_pct"] * 2,
        "target": [1, 30.0, 1, 25.0], "actual": [2, 28.0, 0, 27.5],
        # positive gap = better than target; the poverty rate is better when lower
        "gap": [1.0, 2.0, -1.0, -2.5],
        "attainment_pct": [200.0, 30 / 28 * 100, 0.0, 25 / 27.5 * 100],
        "met": pd.array([True, True, False, False], dtype="boolean")})
    assert_frame_equal(out, expected)


def test_attainment_missing_values_give_missing_met(reference):
    targets = fx.district_rows(2021, "target", [("086", "Huyện Bảo Thắng", [None, 20.0]),
                                                ("084", "Huyện Si Ma Cai", [1, 30.0])],
                               ["new_ntm_communes", "poverty_rate_pct"])
    actuals = results_rows([("086", "Huyện Bảo Thắng", [1, None]), ("089", "Huyện Văn Bàn", [4, 10.0])])
    out = district_attainment(fx.districts(targets, actuals), reference)
    assert list(out.columns) == ATTAINMENT_COLUMNS
    assert len(out) == 6  # targets without results and results without targets are kept
    assert out.met.isna().all()
    assert out.gap.isna().all() and out.attainment_pct.isna().all()


def test_attainment_zero_target_has_no_percentage(reference):
    targets = fx.district_rows(2021, "target", [("086", "Huyện Bảo Thắng", [0])], ["new_ntm_communes"])
    actuals = fx.district_rows(2021, "actual", [("086", "Huyện Bảo Thắng", [1])], ["new_ntm_communes"])
    out = district_attainment(fx.districts(targets, actuals), reference)
    assert math.isnan(out.attainment_pct[0]) and out.met[0] == True  # noqa: E712


@pytest.mark.parametrize("table", [[], fx.district_rows(2021, "target")])
def test_attainment_without_results_is_empty_but_well_formed(reference, table):
    out = district_attainment(fx.districts(table) if table else fx.districts([]), reference)
    assert out.empty and list(out.columns) == ATTAINMENT_COLUMNS
    assert str(out.met.dtype) == "boolean"
