"""ntm_ceiling and ceiling_summary: the least-met criterion caps the NTM communes."""
from __future__ import annotations

import analysis_fixtures as fx
import pandas as pd
from pandas.testing import assert_frame_equal

from ntm_analysis.analysis import ceiling_summary, ntm_ceiling
from ntm_analysis.tables.tidy import frame_from_rows

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


def _small(year: int, status: str, counts: list) -> list[dict]:
    """Three criteria of a made-up province (ids 1, 2, 3), communes as given."""
    return fx.criteria_rows(year, status, counts, total=20, ids=[1, 2, 3])


def test_every_period_at_once_whatever_the_row_order():
    """Periods given target first, one criterion blank, the province stating NTM communes
    twice for a period (the first stated value counts) and not at all for another."""
    criteria = fx.criteria(_small(2022, "target", [9, 12, 20]), _small(2021, "actual", [7, None, 6]),
                           _small(2021, "target", [10, 10, 16]))
    province = frame_from_rows("province", [
        {"year": 2021, "status": "actual", "indicator": "ntm_communes", "value": 4.0, "unit": "communes",
         "source_id": "a", "cell": "X1"},
        {"year": 2021, "status": "actual", "indicator": "ntm_communes", "value": 5.0, "unit": "communes",
         "source_id": "b", "cell": "X2"},
        {"year": 2022, "status": "target", "indicator": "ntm_communes", "value": 8.0, "unit": "communes",
         "source_id": "a", "cell": "X3"}])
    out = ntm_ceiling(criteria, province, near=3)
    names = {i: fx.CRITERIA_NAMES[i][0] for i in (1, 2, 3)}
    assert_frame_equal(out, expected([
        # 2021 actual: criterion 2 blank; 3 meets 6, the fewest; 1 is one above; 4 NTM: headroom 2
        (2021, "actual", "binding", 3, names[3], 6, 0, 6, 4, 2),
        (2021, "actual", "near", 1, names[1], 7, 1, 6, 4, 2),
        # 2021 target: 1 and 2 tie at 10, both binding; 16 is 6 above; no NTM figure: headroom blank
        (2021, "target", "binding", 1, names[1], 10, 0, 10, None, None),
        (2021, "target", "binding", 2, names[2], 10, 0, 10, None, None),
        # 2022 target: 1 at 9, 2 at 12 (3 above, still near with near=3); 8 NTM planned: headroom 1
        (2022, "target", "binding", 1, names[1], 9, 0, 9, 8, 1),
        (2022, "target", "near", 2, names[2], 12, 3, 9, 8, 1),
    ]))
    summary = ceiling_summary(out)
    assert summary.binding_criteria.tolist() == [f"{names[3]} (6)", f"{names[1]} (10); {names[2]} (10)",
                                                 f"{names[1]} (9)"]
    assert summary.near_criteria.tolist() == [f"{names[1]} (7)", "", f"{names[2]} (12)"]
    assert summary.headroom.tolist() == [2, pd.NA, 1]
