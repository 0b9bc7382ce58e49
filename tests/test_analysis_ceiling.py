"""ntm_ceiling and ceiling_summary: the least-met criterion caps the NTM communes."""
from __future__ import annotations

import analysis_fixtures as fx
import pandas as pd
from pandas.testing import assert_frame_equal

from ntm_analysis.analysis import ceiling_summary, ntm_ceiling

COUNTS = ["communes", "above_ceiling", "ceiling", "ntm_communes", "headroom"]


def expected(rows):
    frame = pd.DataFrame(rows, columns=["year", "status", "role", "criterion_id", "criterion", *COUNTS])
    return frame.astype({c: "Int64" for c in COUNTS})


def test_income_binds_and_poverty_is_near_for_72_planned_communes():
    out = ntm_ceiling(fx.criteria(), fx.province())
    assert_frame_equal(out, expected([
        # 2020: Thu nhập 64 caps 57 NTM communes, Hộ nghèo 65 one above
        (2020, "actual", "binding", 10, "Thu nhập", 64, 0, 64, 57, 7),
        (2020, "actual", "near", 11, "Hộ nghèo", 65, 1, 64, 57, 7),
        # 2021 plan: Thu nhập 77 caps the planned 72, headroom 5; Hộ nghèo 80 near
        (2021, "target", "binding", 10, "Thu nhập", 77, 0, 77, 72, 5),
        (2021, "target", "near", 11, "Hộ nghèo", 80, 3, 77, 72, 5),
    ]))


def test_near_is_a_parameter():
    out = ntm_ceiling(fx.criteria(), fx.province(), near=2)
    plan = out[out.year == 2021]
    assert plan.criterion.tolist() == ["Thu nhập"]  # Hộ nghèo is 3 above
    wide = ntm_ceiling(fx.criteria(), fx.province(), near=14)
    # 2021: 77 + 14 = 91 takes in Môi trường (91) too
    assert wide[wide.year == 2021].criterion_id.tolist() == [10, 11, 17]


def test_ties_are_all_binding():
    counts = list(fx.COMMUNES_2021)
    counts[10] = 77  # Hộ nghèo as low as Thu nhập
    out = ntm_ceiling(fx.criteria(fx.criteria_rows(2021, "target", counts)), fx.province())
    assert out.role.tolist() == ["binding", "binding"]
    assert out.criterion_id.tolist() == [10, 11]


def test_without_province_figures_headroom_is_missing():
    out = ntm_ceiling(fx.criteria(), fx.province().iloc[0:0])
    assert out.ntm_communes.isna().all() and out.headroom.isna().all()
    assert out.ceiling.tolist() == [64, 64, 77, 77]


def test_empty_criteria():
    out = ntm_ceiling(fx.criteria([]), fx.province())
    assert out.empty and list(out.columns) == ["year", "status", "role", "criterion_id", "criterion", *COUNTS]


def test_summary_one_row_per_period():
    out = ceiling_summary(ntm_ceiling(fx.criteria(), fx.province()))
    expected = pd.DataFrame({
        "year": [2020, 2021], "status": ["actual", "target"], "ceiling": [64, 77],
        "binding_criteria": ["Thu nhập (64)", "Thu nhập (77)"],
        "near_criteria": ["Hộ nghèo (65)", "Hộ nghèo (80)"],
        "ntm_communes": [57, 72], "headroom": [7, 5]}).astype(
        {"ceiling": "Int64", "ntm_communes": "Int64", "headroom": "Int64"})
    assert_frame_equal(out, expected)
