"""band_shift: communes by number of criteria met, 2020 actual -> 2021 plan."""
from __future__ import annotations

import analysis_fixtures as fx
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from ntm_analysis.analysis import band_shift


def test_band_shift_of_the_plan():
    out = band_shift(fx.commune_bands(), (2020, "actual"), (2021, "target"))
    base, compare = [57, 7, 48, 15], [72, 17, 31, 7]  # Biểu 01, both sum to 127
    expected = pd.DataFrame({
        "band": ["19", "15-18", "10-14", "5-9"], "min_criteria": [19, 15, 10, 5],
        "max_criteria": [19, 18, 14, 9], "base_year": 2020, "base_status": "actual",
        "base_communes": pd.array(base, dtype="Int64"), "compare_year": 2021, "compare_status": "target",
        "compare_communes": pd.array(compare, dtype="Int64"),
        "change": pd.array([15, 10, -17, -8], dtype="Int64"),
        "base_share": [57 / 127, 7 / 127, 48 / 127, 15 / 127],
        "compare_share": [72 / 127, 17 / 127, 31 / 127, 7 / 127],
        "change_pp": [15 / 127 * 100, 10 / 127 * 100, -17 / 127 * 100, -8 / 127 * 100]})
    assert_frame_equal(out, expected)


def test_default_periods_are_the_plan_comparison():
    assert_frame_equal(band_shift(fx.commune_bands()),
                       band_shift(fx.commune_bands(), (2020, "actual"), (2021, "target")))


def test_missing_period_is_a_clear_error():
    with pytest.raises(ValueError, match="2019"):
        band_shift(fx.commune_bands(), (2019, "actual"), (2021, "target"))
