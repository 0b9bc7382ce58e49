"""criteria_gaps, criteria_gap_groups, default_comparison, plan_vs_actual_criteria."""
from __future__ import annotations

import warnings

import analysis_fixtures as fx
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from ntm_analysis.analysis import (
    CriteriaSetWarning,
    criteria_gap_groups,
    criteria_gaps,
    default_comparison,
    plan_vs_actual_criteria,
)


def gaps_row(cid, name, group, base, compare, total, rank, base_period=(2020, "actual"),
             compare_period=(2021, "target")):
    return {"criterion_id": cid, "criterion": name, "group": group,
            "base_year": base_period[0], "base_status": base_period[1], "base_communes": base,
            "compare_year": compare_period[0], "compare_status": compare_period[1], "compare_communes": compare,
            "change": compare - base, "base_share": base / total, "compare_share": compare / total,
            "change_pp": (compare - base) / total * 100, "remaining": total - compare, "rank_change": rank}


def typed(rows):
    return pd.DataFrame(rows).astype({"base_communes": "Int64", "compare_communes": "Int64", "change": "Int64",
                                      "remaining": "Int64", "rank_change": "Int64"})


def test_criterion_18_gains_23_communes_to_79_5_percent():
    gaps = criteria_gaps(fx.criteria())
    row = gaps[gaps.criterion_id == 18].reset_index(drop=True)
    expected = typed([gaps_row(18, "Hệ thống chính trị và tiếp cận pháp luật", "V. Hệ thống chính trị",
                               78, 101, 127, rank=2)])  # criterion 7 gains more: 90 -> 115
    assert_frame_equal(row, expected)
    assert row.loc[0, "change"] == 23
    assert round(row.loc[0, "compare_share"] * 100, 1) == 79.5
    assert round(row.loc[0, "change_pp"], 2) == 18.11  # 23/127


def test_gaps_have_the_contract_columns_one_row_per_criterion():
    gaps = criteria_gaps(fx.criteria())
    assert list(gaps.columns) == ["criterion_id", "criterion", "group", "base_year", "base_status",
                                  "base_communes", "compare_year", "compare_status", "compare_communes",
                                  "change", "base_share", "compare_share", "change_pp", "remaining",
                                  "rank_change"]
    assert gaps.criterion_id.tolist() == list(range(1, 20))
    # the largest gain: 7 (90 -> 115, +25); three criteria without change share the last rank
    assert gaps.set_index("criterion_id").rank_change[7] == 1
    assert gaps.set_index("criterion_id").loc[[3, 8, 12, 15], "rank_change"].tolist() == [16, 16, 16, 16]


def test_base_and_compare_are_parameters_target_against_actual():
    results = fx.criteria_rows(2021, "actual", [127, 93, 127, 119, 100, 92, 115, 120, 98, 70, 80, 127,
                                                115, 120, 120, 112, 91, 101, 115])
    table = fx.criteria(fx.criteria_rows(2021, "target", fx.COMMUNES_2021), results)
    gaps = criteria_gaps(table, base=(2021, "target"), compare=(2021, "actual"))
    expected = typed([gaps_row(10, "Thu nhập", "III. Kinh tế và tổ chức sản xuất", 77, 70, 127, rank=19,
                               base_period=(2021, "target"), compare_period=(2021, "actual"))])
    assert_frame_equal(gaps[gaps.criterion_id == 10].reset_index(drop=True), expected)


def test_missing_count_stays_missing():
    counts = list(fx.COMMUNES_2021)
    counts[17] = None  # criterion 18 blank in the target column
    table = fx.criteria(fx.criteria_rows(2020, "actual", fx.COMMUNES_2020), fx.criteria_rows(2021, "target", counts))
    row = criteria_gaps(table).set_index("criterion_id").loc[18]
    assert row.base_communes == 78
    assert pd.isna(row.compare_communes) and pd.isna(row.change) and pd.isna(row.rank_change)
    assert pd.isna(row.compare_share) and pd.isna(row.remaining)


def test_warns_when_comparing_across_criteria_sets():
    table = fx.criteria(fx.criteria_rows(2021, "actual", fx.COMMUNES_2021),
                        fx.criteria_rows(2022, "target", fx.COMMUNES_2021, criteria_set="2021-2025"))
    with pytest.warns(CriteriaSetWarning, match="2016-2020.*2021-2025.*not comparable"):
        criteria_gaps(table, base=(2021, "actual"), compare=(2022, "target"))


def test_no_warning_within_one_criteria_set():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        criteria_gaps(fx.criteria())


def test_unknown_period_is_a_clear_error():
    with pytest.raises(ValueError, match="2019"):
        criteria_gaps(fx.criteria(), base=(2019, "actual"))


def test_groups_summary():
    groups = criteria_gap_groups(criteria_gaps(fx.criteria()))
    assert groups.group.tolist() == ["I. Quy hoạch", "II. Hạ tầng kinh tế - xã hội",
                                     "III. Kinh tế và tổ chức sản xuất", "IV. Văn hóa - xã hội - môi trường",
                                     "V. Hệ thống chính trị"]
    # group V: 18 (78 -> 101) and 19 (112 -> 115)
    expected = pd.DataFrame([{
        "group": "V. Hệ thống chính trị", "criteria": 2,
        "mean_base_share": (78 + 112) / 2 / 127, "mean_compare_share": (101 + 115) / 2 / 127,
        "mean_change_pp": (23 + 3) / 2 / 127 * 100, "total_change": 26, "total_remaining": 26 + 12,
        "largest_gain_criterion": "Hệ thống chính trị và tiếp cận pháp luật",
        "lowest_criterion": "Hệ thống chính trị và tiếp cận pháp luật"}]).astype(
        {"total_change": "Int64", "total_remaining": "Int64"})
    assert_frame_equal(groups.iloc[[4]].reset_index(drop=True), expected)
    # group III: 10 Thu nhập 64 -> 77, 11 Hộ nghèo 65 -> 80, 12: 127 -> 127, 13: 114 -> 115
    third = groups.iloc[2]
    assert third.criteria == 4 and third.total_change == 13 + 15 + 0 + 1
    assert third.largest_gain_criterion == "Hộ nghèo" and third.lowest_criterion == "Thu nhập"


def test_groups_of_nothing_is_empty():
    empty = criteria_gap_groups(criteria_gaps(fx.criteria()).iloc[0:0])
    assert empty.empty and "mean_change_pp" in empty.columns


@pytest.mark.parametrize("periods, expected", [
    ([(2020, "actual"), (2021, "target")], ((2020, "actual"), (2021, "target"))),
    # a results workbook for 2021 joins: the plan comparison stays 2020 actual -> 2021 target
    ([(2020, "actual"), (2021, "target"), (2021, "actual")], ((2020, "actual"), (2021, "target"))),
    # a 2022 plan joins: 2021 actual -> 2022 target
    ([(2020, "actual"), (2021, "target"), (2021, "actual"), (2022, "target")],
     ((2021, "actual"), (2022, "target"))),
    # no actual before the target year
    ([(2021, "target")], None),
    # results only: the latest actual against the one before
    ([(2020, "actual"), (2021, "actual")], ((2020, "actual"), (2021, "actual"))),
])
def test_default_comparison(periods, expected):
    frame = pd.DataFrame({"year": [p[0] for p in periods], "status": [p[1] for p in periods]})
    assert default_comparison(frame) == expected


def test_plan_vs_actual_criteria_empty_without_results():
    out = plan_vs_actual_criteria(fx.criteria())
    assert out.empty
    assert list(out.columns) == ["year", "criterion_id", "criterion", "group", "target", "actual", "gap",
                                 "attainment_pct", "met"]


def test_plan_vs_actual_criteria():
    target = fx.criteria_rows(2021, "target", [77, 80], ids=[10, 11])
    actual = fx.criteria_rows(2021, "actual", [70, 80], ids=[10, 11])
    out = plan_vs_actual_criteria(fx.criteria(fx.criteria_rows(2020, "actual", [64, 65], ids=[10, 11]),
                                              target, actual))
    expected = pd.DataFrame({
        "year": [2021, 2021], "criterion_id": [10, 11], "criterion": ["Thu nhập", "Hộ nghèo"],
        "group": ["III. Kinh tế và tổ chức sản xuất"] * 2,
        "target": pd.array([77, 80], dtype="Int64"), "actual": pd.array([70, 80], dtype="Int64"),
        "gap": pd.array([-7, 0], dtype="Int64"), "attainment_pct": [70 / 77 * 100, 100.0],
        "met": pd.array([False, True], dtype="boolean")})
    assert_frame_equal(out, expected)
