"""What caps the number of NTM communes.

A commune is recognised as NTM only if it meets all 19 criteria, so the number of NTM
communes can never exceed the number of communes meeting the least-met criterion: that
count is the *ceiling*, the criteria at it are *binding*.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .common import as_count, as_float, empty

CEILING_COLUMNS = {"year": "int64", "status": "str", "role": "str", "criterion_id": "int64",
                   "criterion": "str", "communes": "Int64", "above_ceiling": "Int64", "ceiling": "Int64",
                   "ntm_communes": "Int64", "headroom": "Int64"}
SUMMARY_COLUMNS = {"year": "int64", "status": "str", "ceiling": "Int64", "binding_criteria": "str",
                   "near_criteria": "str", "ntm_communes": "Int64", "headroom": "Int64"}


def _ntm_communes(province: pd.DataFrame) -> pd.Series:
    """NTM communes stated per (year, status) (the first stated value of the period), rounded."""
    rows = province[province["indicator"] == "ntm_communes"].dropna(subset=["value"])
    first = as_float(rows["value"]).groupby([rows["year"].astype("int64"), rows["status"].astype("str")]).first()
    return first.round()


def ntm_ceiling(criteria: pd.DataFrame, province: pd.DataFrame, near: int = 5) -> pd.DataFrame:
    """Per (year, status): the criteria that cap the number of NTM communes, long form.

    One row per flagged criterion: ``role`` 'binding' (met by exactly ``ceiling``
    communes, the fewest) or 'near' (met by at most ``near`` communes more). All counts are
    communes: ``ceiling`` = min over criteria of the communes meeting it; ``above_ceiling``
    = communes − ceiling; ``ntm_communes`` = NTM communes stated for the period (province
    table); ``headroom`` = ceiling − ntm_communes (NTM communes that could still be added
    before a binding criterion must improve). Plan 05, 2021 target: Thu nhập 77 binding,
    Hộ nghèo 80 near, 72 NTM communes, headroom 5. Rows by year, status, communes and
    criterion; every period at once (one pass over the table, whatever its size).
    """
    part = criteria.dropna(subset=["communes"])
    if part.empty:
        return empty(CEILING_COLUMNS)
    rows = pd.DataFrame({"year": part["year"].astype("int64").to_numpy(),
                         "status": part["status"].astype("str").to_numpy(),
                         "criterion_id": part["criterion_id"].to_numpy(),
                         "criterion": part["criterion"].to_numpy(),
                         "communes": as_float(part["communes"]).to_numpy()})
    period = [rows["year"], rows["status"]]
    rows["ceiling"] = np.trunc(rows["communes"].groupby(period).transform("min"))
    rows = rows[rows["communes"] <= rows["ceiling"] + near]
    rows = rows.sort_values(["year", "status", "communes", "criterion_id"], kind="stable").reset_index(drop=True)
    rows["role"] = np.where(rows["communes"] == rows["ceiling"], "binding", "near")
    rows["above_ceiling"] = rows["communes"] - rows["ceiling"]
    ntm = _ntm_communes(province)
    keys = pd.MultiIndex.from_arrays([rows["year"], rows["status"]])
    rows["ntm_communes"] = ntm.reindex(keys).to_numpy() if len(ntm) else np.nan
    rows["headroom"] = rows["ceiling"] - rows["ntm_communes"]
    out = rows[list(CEILING_COLUMNS)].copy()
    for col in ("communes", "above_ceiling", "ceiling", "ntm_communes", "headroom"):
        out[col] = as_count(out[col].astype("Float64"))
    return out.astype(CEILING_COLUMNS)


def ceiling_summary(ceiling: pd.DataFrame) -> pd.DataFrame:
    """``ntm_ceiling`` as one row per (year, status), for reading periods side by side.

    ``binding_criteria`` and ``near_criteria`` list the criteria as "name (communes)",
    joined by "; "; the counts are communes as in ``ntm_ceiling``.
    """
    if ceiling.empty:
        return empty(SUMMARY_COLUMNS)
    key = ["year", "status"]
    out = ceiling.drop_duplicates(key).sort_values(key, kind="stable").reset_index(drop=True)
    index = pd.MultiIndex.from_frame(out[key])
    label = ceiling["criterion"].astype("str") + " (" + ceiling["communes"].astype("str") + ")"
    for role in ("binding", "near"):
        hit = ceiling["role"] == role
        joined = label[hit].groupby([ceiling.loc[hit, c] for c in key]).agg("; ".join)
        out[f"{role}_criteria"] = joined.reindex(index, fill_value="").to_numpy() if len(joined) else ""
    out = out[list(SUMMARY_COLUMNS)]
    for col in ("ceiling", "ntm_communes", "headroom"):
        out[col] = as_count(out[col].astype("Float64"))
    return out.astype(SUMMARY_COLUMNS)
