"""What caps the number of NTM communes.

A commune is recognised as NTM only if it meets all 19 criteria, so the number of NTM
communes can never exceed the number of communes meeting the least-met criterion: that
count is the *ceiling*, the criteria at it are *binding*.
"""
from __future__ import annotations

import pandas as pd

from .common import as_count, empty, periods, select

CEILING_COLUMNS = {"year": "int64", "status": "str", "role": "str", "criterion_id": "int64",
                   "criterion": "str", "communes": "Int64", "above_ceiling": "Int64", "ceiling": "Int64",
                   "ntm_communes": "Int64", "headroom": "Int64"}
SUMMARY_COLUMNS = {"year": "int64", "status": "str", "ceiling": "Int64", "binding_criteria": "str",
                   "near_criteria": "str", "ntm_communes": "Int64", "headroom": "Int64"}


def _ntm_communes(province: pd.DataFrame, period: tuple[int, str]) -> object:
    rows = select(province, period)
    values = rows.loc[rows["indicator"] == "ntm_communes", "value"].dropna()
    return round(float(values.iloc[0])) if len(values) else pd.NA


def ntm_ceiling(criteria: pd.DataFrame, province: pd.DataFrame, near: int = 5) -> pd.DataFrame:
    """Per (year, status): the criteria that cap the number of NTM communes, long form.

    One row per flagged criterion: ``role`` 'binding' (met by exactly ``ceiling``
    communes, the fewest) or 'near' (met by at most ``near`` communes more). All counts are
    communes: ``ceiling`` = min over criteria of the communes meeting it; ``above_ceiling``
    = communes − ceiling; ``ntm_communes`` = NTM communes stated for the period (province
    table); ``headroom`` = ceiling − ntm_communes (NTM communes that could still be added
    before a binding criterion must improve). Plan 05, 2021 target: Thu nhập 77 binding,
    Hộ nghèo 80 near, 72 NTM communes, headroom 5.
    """
    rows = []
    for period in periods(criteria):
        part = select(criteria, period).dropna(subset=["communes"])
        if part.empty:
            continue
        ceiling = int(part["communes"].min())
        ntm = _ntm_communes(province, period)
        flagged = part[part["communes"] <= ceiling + near].sort_values(["communes", "criterion_id"])
        for _, row in flagged.iterrows():
            rows.append({"year": period[0], "status": period[1],
                         "role": "binding" if row["communes"] == ceiling else "near",
                         "criterion_id": row["criterion_id"], "criterion": row["criterion"],
                         "communes": row["communes"], "above_ceiling": row["communes"] - ceiling,
                         "ceiling": ceiling, "ntm_communes": ntm,
                         "headroom": pd.NA if ntm is pd.NA else ceiling - ntm})
    if not rows:
        return empty(CEILING_COLUMNS)
    out = pd.DataFrame(rows)
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
    rows = []
    for (year, status), part in ceiling.groupby(["year", "status"], sort=True):
        def names(role: str) -> str:
            hit = part[part["role"] == role]
            return "; ".join(f"{c} ({n})" for c, n in zip(hit["criterion"], hit["communes"]))
        first = part.iloc[0]
        rows.append({"year": year, "status": status, "ceiling": first["ceiling"],
                     "binding_criteria": names("binding"), "near_criteria": names("near"),
                     "ntm_communes": first["ntm_communes"], "headroom": first["headroom"]})
    out = pd.DataFrame(rows)
    for col in ("ceiling", "ntm_communes", "headroom"):
        out[col] = as_count(out[col].astype("Float64"))
    return out.astype(SUMMARY_COLUMNS)
