"""District targets (or results) beside the province's, ranked, with what they add up to."""
from __future__ import annotations

import pandas as pd

from ..reference import Reference, is_province
from .common import as_count, empty, latest, lower_is_better, periods, select

OVERVIEW_COLUMNS = {"year": "int64", "status": "str", "area_code": "str", "area": "str", "communes": "Int64",
                    "indicator": "str", "value": "float64", "unit": "str", "province_value": "float64",
                    "difference": "float64", "rank": "Int64", "ranked": "int64",
                    "implied_criteria": "float64", "implied_province_value": "float64"}
IMPLIED_COLUMNS = {"year": "int64", "status": "str", "districts": "int64", "communes": "Int64",
                   "implied_criteria": "float64", "implied_average": "float64",
                   "stated_average": "float64", "difference": "float64"}
#: Indicators whose province value is the sum of the districts' values.
ADDITIVE = ("new_ntm_communes", "jobs_added")


def _with_communes(rows: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    communes = dict(zip(reference.districts["area_code"], reference.districts["communes"]))
    return rows.assign(communes=as_count(rows["area_code"].map(communes).astype("Float64")))


def implied_province_average(districts: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """Per (year, status): the province average of criteria per commune that the
    districts' averages imply, weighting each district by its communes (gazetteer).

    ``districts``: districts with an average; ``communes``: their communes;
    ``implied_criteria``: Σ avg_criteria × communes (criteria met, summed over communes);
    ``implied_average`` = implied_criteria / communes (criteria per commune);
    ``stated_average``: the province row's figure; ``difference`` = implied − stated.
    Plan 05, 2021: 2001.3 / 127 = 15.76 against a stated 16.15.
    """
    avg = districts[(districts["indicator"] == "avg_criteria") & districts["value"].notna()]
    rows = []
    for period in periods(avg):
        part = select(avg, period)
        prov, dist = part[is_province(part["area_code"])], part[~is_province(part["area_code"])]
        dist = _with_communes(dist, reference).dropna(subset=["communes"])
        if dist.empty:
            continue
        communes = int(dist["communes"].sum())
        total = float((dist["value"] * dist["communes"].astype("float64")).sum())
        stated = float(prov["value"].iloc[0]) if len(prov) else float("nan")
        rows.append({"year": period[0], "status": period[1], "districts": len(dist), "communes": communes,
                     "implied_criteria": total, "implied_average": total / communes,
                     "stated_average": stated, "difference": total / communes - stated})
    return pd.DataFrame(rows).astype(IMPLIED_COLUMNS) if rows else empty(IMPLIED_COLUMNS)


def district_overview(districts: pd.DataFrame, reference: Reference, year: int | None = None,
                      status: str = "target") -> pd.DataFrame:
    """Each district's figures for one (year, status) beside the province's, long form.

    Default period: the latest year with ``status``. One row per district and
    indicator, in source order: ``communes`` = the district's communes (gazetteer);
    ``value`` and ``province_value`` in the indicator's ``unit``; ``difference`` =
    value − province_value (same unit); ``rank`` among the districts, 1 = best, following
    the indicator's direction (indicators.csv; ties share the best rank, no value no rank);
    ``ranked`` = districts with a value; ``implied_criteria`` (avg_criteria rows only) =
    avg_criteria × communes, criteria met summed over the district's communes;
    ``implied_province_value`` = what the districts imply for the province: the sum for
    new_ntm_communes and jobs_added, the communes-weighted mean for avg_criteria
    (as ``implied_province_average``), NaN for percentages (no population weights).
    """
    if year is None:
        found = latest(districts, status)
        if found is None:
            return empty(OVERVIEW_COLUMNS)
        year = found[0]
    part = select(districts, (year, status))
    prov, dist = part[is_province(part["area_code"])], part[~is_province(part["area_code"])]
    if dist.empty:
        return empty(OVERVIEW_COLUMNS)
    out = _with_communes(dist, reference).reset_index(drop=True)
    out["province_value"] = out["indicator"].map(dict(zip(prov["indicator"], prov["value"]))).astype("float64")
    out["difference"] = out["value"] - out["province_value"]
    lower = lower_is_better(out["indicator"], reference.indicators)
    out["rank"] = out["value"].where(~lower, -out["value"]).groupby(out["indicator"]) \
        .rank(ascending=False, method="min").astype("Int64")
    out["ranked"] = out.groupby("indicator")["value"].transform("count")
    is_avg = out["indicator"] == "avg_criteria"
    out["implied_criteria"] = (out["value"] * out["communes"].astype("float64")).where(is_avg)
    implied = {ind: out.loc[out["indicator"] == ind, "value"].sum(min_count=1) for ind in ADDITIVE}
    averages = implied_province_average(part, reference)
    if len(averages):
        implied["avg_criteria"] = averages["implied_average"].iloc[0]
    out["implied_province_value"] = out["indicator"].map(implied).astype("float64")
    return out[list(OVERVIEW_COLUMNS)].astype(OVERVIEW_COLUMNS)
