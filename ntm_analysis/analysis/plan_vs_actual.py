"""Targets against results, for the years that have both (a results workbook for the
year of a plan).

Every function returns an empty frame with its columns when there are no results yet.
``gap`` is signed so that a positive gap means better than the target; ``met`` is
``<NA>`` when the target or the result is missing (see ``common.attainment``).
"""
from __future__ import annotations

import pandas as pd

from ..reference import Reference
from .common import attainment, empty, lower_is_better, warn_if_sets_differ

ATTAINMENT_COLUMNS = {"year": "int64", "area_code": "str", "area": "str", "indicator": "str",
                      "target": "float64", "actual": "float64", "gap": "float64",
                      "attainment_pct": "float64", "met": "boolean"}
CRITERIA_COLUMNS = {"year": "int64", "criterion_id": "int64", "criterion": "str", "group": "str",
                    "target": "Int64", "actual": "Int64", "gap": "Int64", "attainment_pct": "float64",
                    "met": "boolean"}
FUNDING_COLUMNS = {"year": "int64", "code": "str", "source": "str", "level": "int64",
                   "planned_million_vnd": "float64", "mobilised_million_vnd": "float64",
                   "gap_million_vnd": "float64", "attainment_pct": "float64", "met": "boolean"}


def _target_beside_actual(frame: pd.DataFrame, keys: list[str], value: str, keep: list[str]) -> pd.DataFrame:
    """Targets and actuals side by side (columns ``target``, ``actual``) for the years
    that have both; within such a year a key on one side only gets a missing value on
    the other side."""
    years = set(frame.loc[frame["status"] == "actual", "year"]) & set(frame.loc[frame["status"] == "target", "year"])
    frame = frame[frame["year"].isin(list(years)) & frame["status"].isin(["target", "actual"])]
    if frame.empty:
        return pd.DataFrame(columns=keys + keep + ["target", "actual"])
    target, actual = (frame[frame["status"] == s].set_index(keys) for s in ("target", "actual"))
    both = pd.concat({"target": target[value], "actual": actual[value]}, axis=1)
    labels = target[keep].combine_first(actual[keep]).reindex(both.index)
    order = pd.concat([target.index.to_frame(), actual.index.to_frame()]).drop_duplicates()
    return both.join(labels).reindex(pd.MultiIndex.from_frame(order)).reset_index()


def district_attainment(districts: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """Per (year, area, indicator) with results: target, actual, gap, attainment, met.

    Units: ``target``, ``actual`` and ``gap`` in the indicator's unit (communes, %,
    criteria per commune, workers; ``gap`` of a % indicator is in percentage points);
    ``attainment_pct`` in %. Direction from indicators.csv: higher is better → met =
    actual ≥ target, gap = actual − target; lower is better (poverty_rate_pct) → met =
    actual ≤ target, gap = target − actual.
    """
    pairs = _target_beside_actual(districts, ["year", "area_code", "indicator"], "value", ["area"])
    if pairs.empty:
        return empty(ATTAINMENT_COLUMNS)
    scores = attainment(pairs["target"], pairs["actual"], lower_is_better(pairs["indicator"], reference.indicators))
    out = pd.concat([pairs[["year", "area_code", "area", "indicator", "target", "actual"]], scores], axis=1)
    return out.astype(ATTAINMENT_COLUMNS)


def plan_vs_actual_criteria(criteria: pd.DataFrame) -> pd.DataFrame:
    """Per criterion and year with results: communes planned to meet it and communes meeting it.

    Units: ``target``, ``actual``, ``gap`` (actual − target) in communes;
    ``attainment_pct`` = actual / target × 100; ``met`` = actual ≥ target. Warns
    (``CriteriaSetWarning``) when target and result of a year use different criteria sets.
    """
    pairs = _target_beside_actual(criteria, ["year", "criterion_id"], "communes", ["criterion", "group"])
    if pairs.empty:
        return empty(CRITERIA_COLUMNS)
    for year in pairs["year"].unique():
        warn_if_sets_differ(criteria, (int(year), "target"), (int(year), "actual"), "plan_vs_actual_criteria")
    out = pd.concat([pairs[["year", "criterion_id", "criterion", "group", "target", "actual"]],
                     attainment(pairs["target"], pairs["actual"])], axis=1)
    out["gap"] = out["gap"].round()
    return out.astype(CRITERIA_COLUMNS)


def funding_plan_vs_actual(funding: pd.DataFrame) -> pd.DataFrame:
    """Per funding line and year with results: planned against mobilised, million VND.

    Lines are matched on ``code``; ``gap_million_vnd`` = mobilised − planned;
    ``attainment_pct`` = mobilised / planned × 100; ``met`` = mobilised ≥ planned.
    """
    pairs = _target_beside_actual(funding, ["year", "code"], "amount_million_vnd", ["source", "level"])
    if pairs.empty:
        return empty(FUNDING_COLUMNS)
    scores = attainment(pairs["target"], pairs["actual"])
    out = pd.concat([pairs[["year", "code", "source", "level"]],
                     pairs[["target", "actual"]].set_axis(["planned_million_vnd", "mobilised_million_vnd"],
                                                          axis=1),
                     scores.rename(columns={"gap": "gap_million_vnd"})], axis=1)
    return out.astype(FUNDING_COLUMNS)
