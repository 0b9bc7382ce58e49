"""Criterion by criterion: how many more communes meet each criterion between two periods."""
from __future__ import annotations

import pandas as pd

from .common import Period, as_count, empty, periods, ratio, select, warn_if_sets_differ

GAP_COLUMNS = {"criterion_id": "int64", "criterion": "str", "group": "str",
               "base_year": "int64", "base_status": "str", "base_communes": "Int64",
               "compare_year": "int64", "compare_status": "str", "compare_communes": "Int64",
               "change": "Int64", "base_share": "float64", "compare_share": "float64",
               "change_pp": "float64", "remaining": "Int64", "rank_change": "Int64"}
GROUP_COLUMNS = {"group": "str", "criteria": "int64", "mean_base_share": "float64",
                 "mean_compare_share": "float64", "mean_change_pp": "float64", "total_change": "Int64",
                 "total_remaining": "Int64", "largest_gain_criterion": "str", "lowest_criterion": "str"}


def _period_rows(criteria: pd.DataFrame, period: Period) -> pd.DataFrame:
    rows = select(criteria, period)
    if rows.empty:
        raise ValueError(f"no criteria rows for {period}; the table holds {periods(criteria)}")
    return rows.set_index("criterion_id")


def criteria_gaps(criteria: pd.DataFrame, base: Period = (2020, "actual"),
                  compare: Period = (2021, "target")) -> pd.DataFrame:
    """One row per criterion: communes meeting it in ``base`` and in ``compare``.

    Units: ``*_communes``, ``change`` (compare − base) and ``remaining`` (total communes −
    compare communes, those still to reach the criterion) are communes; ``base_share`` and
    ``compare_share`` are fractions 0–1 of the period's total communes (101/127 = 0.795);
    ``change_pp`` is in percentage points; ``rank_change`` 1 = the largest gain (ties share
    the best rank). Warns (``CriteriaSetWarning``) when the two periods use different
    criteria sets. Raises ``ValueError`` when a period has no rows.
    """
    warn_if_sets_differ(criteria, base, compare, "criteria_gaps")
    old, new = _period_rows(criteria, base), _period_rows(criteria, compare)
    ids = sorted(set(old.index) | set(new.index))
    old, new = old.reindex(ids), new.reindex(ids)
    base_share = ratio(old["communes"], old["total_communes"])
    compare_share = ratio(new["communes"], new["total_communes"])
    change = as_count(new["communes"]) - as_count(old["communes"])
    out = pd.DataFrame({
        "criterion_id": pd.Series(ids, dtype="int64"),
        "criterion": new["criterion"].fillna(old["criterion"]).to_numpy(),
        "group": new["group"].fillna(old["group"]).to_numpy(),
        "base_year": base[0], "base_status": base[1],
        "base_communes": as_count(old["communes"]),
        "compare_year": compare[0], "compare_status": compare[1],
        "compare_communes": as_count(new["communes"]),
        "change": change,
        "base_share": base_share.to_numpy(), "compare_share": compare_share.to_numpy(),
        "change_pp": ((compare_share - base_share) * 100).to_numpy(),
        "remaining": as_count(new["total_communes"]) - as_count(new["communes"]),
        "rank_change": pd.Series(change).rank(ascending=False, method="min").astype("Int64").to_numpy(),
    })
    return out.astype(GAP_COLUMNS)


def criteria_gap_groups(gaps: pd.DataFrame) -> pd.DataFrame:
    """``criteria_gaps`` summarised by criteria group, groups in catalogue order.

    ``criteria``: number of criteria; ``mean_base_share``/``mean_compare_share``: the
    unweighted mean of the criteria's shares (0–1); ``mean_change_pp``: their mean change
    in percentage points; ``total_change``/``total_remaining``: communes summed over the
    group's criteria (a commune counts once per criterion); ``largest_gain_criterion``: the
    criterion with the largest gain; ``lowest_criterion``: the one met by the fewest
    communes in the compare period.
    """
    if gaps.empty:
        return empty(GROUP_COLUMNS)
    rows = []
    for group, part in sorted(gaps.groupby("group", sort=False), key=lambda g: g[1]["criterion_id"].min()):
        change = part["change"].astype("float64")
        communes = part["compare_communes"].astype("float64")
        rows.append({
            "group": group, "criteria": len(part),
            "mean_base_share": part["base_share"].mean(),
            "mean_compare_share": part["compare_share"].mean(),
            "mean_change_pp": part["change_pp"].mean(),
            "total_change": part["change"].sum(min_count=1),
            "total_remaining": part["remaining"].sum(min_count=1),
            "largest_gain_criterion": part["criterion"].loc[change.idxmax()] if change.notna().any() else None,
            "lowest_criterion": part["criterion"].loc[communes.idxmin()] if communes.notna().any() else None,
        })
    return pd.DataFrame(rows).astype(GROUP_COLUMNS)
