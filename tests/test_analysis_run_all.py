"""run_all: every analysis that applies, keyed by output stem."""
from __future__ import annotations

import warnings

import analysis_fixtures as fx
import pytest

from ntm_analysis.analysis import CriteriaSetWarning, run_all
from ntm_analysis.reference import load_reference
from ntm_analysis.tables.tidy import TidyTables

PLAN_OUTPUTS = {"criteria_gaps", "criteria_gap_groups", "ntm_ceiling", "ceiling_summary", "band_shift",
                "district_overview", "funding_shares", "funding_by_payer", "funding_per_commune"}
ACTUAL_OUTPUTS = {"district_attainment", "plan_vs_actual_criteria", "funding_plan_vs_actual"}


@pytest.fixture(scope="module")
def reference():
    return load_reference()


def plan_tables() -> TidyTables:
    return TidyTables(criteria=fx.criteria(), commune_bands=fx.commune_bands(), province=fx.province(),
                      districts=fx.districts(), funding=fx.funding())


def test_the_plan_gives_the_plan_outputs(reference):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        results = run_all(plan_tables(), reference)
    assert set(results) == PLAN_OUTPUTS
    gaps = results["criteria_gaps"]
    assert (gaps.base_year.iloc[0], gaps.compare_year.iloc[0]) == (2020, 2021)
    assert results["funding_per_commune"].million_vnd_per_new_ntm_commune[0] == 44100


def test_results_add_the_plan_vs_actual_outputs(reference):
    tables = plan_tables()
    actual_counts = [127, 95, 127, 119, 100, 92, 115, 120, 98, 74, 80, 127, 115, 120, 120, 112, 91, 101, 115]
    tables.criteria = fx.criteria(fx.criteria_rows(2020, "actual", fx.COMMUNES_2020),
                                  fx.criteria_rows(2021, "target", fx.COMMUNES_2021),
                                  fx.criteria_rows(2021, "actual", actual_counts))
    tables.districts = fx.districts(fx.district_rows(2021, "target"), fx.district_rows(2021, "actual"))
    tables.funding = fx.funding(fx.funding_rows(2021, "target"), fx.funding_rows(2021, "actual"))
    results = run_all(tables, reference)
    assert set(results) == PLAN_OUTPUTS | ACTUAL_OUTPUTS
    income = results["plan_vs_actual_criteria"].set_index("criterion_id").loc[10]
    assert (income.target, income.actual, income.gap, bool(income.met)) == (77, 74, -3, False)
    assert results["district_attainment"].met.all()  # results equal to the targets, blank stays NA
    assert results["criteria_gaps"].compare_status.iloc[0] == "target"  # still 2020 actual -> 2021 plan


def test_a_later_plan_moves_the_comparison_and_warns_across_sets(reference):
    tables = plan_tables()
    tables.criteria = fx.criteria(fx.criteria_rows(2020, "actual", fx.COMMUNES_2020),
                                  fx.criteria_rows(2021, "target", fx.COMMUNES_2021),
                                  fx.criteria_rows(2021, "actual", fx.COMMUNES_2021),
                                  fx.criteria_rows(2022, "target", fx.COMMUNES_2021, criteria_set="2021-2025"))
    with pytest.warns(CriteriaSetWarning):
        results = run_all(tables, reference)
    gaps = results["criteria_gaps"]
    assert (gaps.base_year.iloc[0], gaps.base_status.iloc[0]) == (2021, "actual")
    assert (gaps.compare_year.iloc[0], gaps.compare_status.iloc[0]) == (2022, "target")
    assert set(results["ceiling_summary"].year) == {2020, 2021, 2022}


def test_empty_tables_give_no_outputs(reference):
    assert run_all(TidyTables.empty(), reference) == {}


def test_results_only_districts_are_overviewed(reference):
    tables = TidyTables.empty()
    tables.districts = fx.districts(fx.district_rows(2021, "actual"))
    results = run_all(tables, reference)
    assert set(results) == {"district_overview"}
    assert set(results["district_overview"].status) == {"actual"}
