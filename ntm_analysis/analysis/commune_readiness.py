"""How close each commune is to the NTM standard, from the commune table.

States (per commune and period): ``ntm`` (every criterion of its set met: 19, or 10
from 2026), ``near`` (all assessed and 1 to ``NEAR_MAX`` unmet), ``far`` (all assessed, more unmet) and
``partial`` (some criterion not assessed: never counted as unmet, so never near
or far). Units: communes, criteria.
"""
from __future__ import annotations

import pandas as pd

from .commune_aggregates import CRITERIA, per_commune  # noqa: F401  (CRITERIA: the 19 of the figures by district)

#: Most unmet criteria a fully assessed commune may have and still be "near" the standard.
NEAR_MAX = 3
STATES = ("ntm", "near", "far", "partial")
READINESS_COLUMNS = {"year": "int64", "status": "str", "province_code": "str", "units": "str", "criteria_set": "str",
                     "district_code": "str", "commune_code": "str",
                     "commune": "str", "criteria_met": "int64", "criteria_assessed": "int64",
                     "criteria_unmet": "int64", "missing": "str", "state": "str", "source_id": "str"}


def _state(met: int, assessed: int, total: int) -> str:
    if assessed < total:
        return "partial"
    unmet = total - met
    return "ntm" if unmet == 0 else "near" if unmet <= NEAR_MAX else "far"


def readiness(commune_criteria: pd.DataFrame) -> pd.DataFrame:
    """One row per commune and period: criteria met, assessed and unmet (communes'
    criteria, a blank is neither met nor unmet), the unmet criterion ids
    (``missing``, "2;10") and the state (see the module docstring). Sorted by
    period, then closest to the standard first."""
    if commune_criteria.empty:
        return pd.DataFrame({c: pd.Series(dtype=d) for c, d in READINESS_COLUMNS.items()})
    units = per_commune(commune_criteria)
    units["criteria_unmet"] = units.criteria_assessed - units.criteria_met
    units["state"] = [_state(m, a, n) for m, a, n in zip(units.criteria_met, units.criteria_assessed,
                                                         units.criteria_total)]
    units = units.sort_values(["year", "status", "criteria_unmet", "criteria_met", "district_code",
                               "commune_code"], ascending=[True, True, True, False, True, True])
    return units.reindex(columns=list(READINESS_COLUMNS)).astype(READINESS_COLUMNS).reset_index(drop=True)


def blocking_criteria(ready: pd.DataFrame) -> pd.DataFrame:
    """For each period and criterion: how many ``near`` communes miss it, and which
    (names, "; "-joined). The criteria that stand between the near communes and
    the standard. Columns: year, status, criterion_id, near_communes, communes."""
    near = ready[ready.state == "near"]
    rows = []
    for (year, status), part in near.groupby(["year", "status"]):
        for cid in sorted({int(i) for ids in part.missing for i in ids.split(";") if i}):
            hit = part[part.missing.str.split(";").apply(lambda ids, c=str(cid): c in ids)]
            if len(hit):
                rows.append({"year": year, "status": status, "criterion_id": cid, "near_communes": len(hit),
                             "communes": "; ".join(hit.commune)})
    frame = pd.DataFrame(rows, columns=["year", "status", "criterion_id", "near_communes", "communes"])
    return frame.astype({"year": "int64", "status": "str", "criterion_id": "int64", "near_communes": "int64",
                         "communes": "str"}).sort_values(["year", "status", "near_communes", "criterion_id"],
                                                         ascending=[True, True, False, True],
                                                         ignore_index=True)


def district_summary(ready: pd.DataFrame) -> pd.DataFrame:
    """Per period and district: communes in the table and how many are ntm, near,
    far, partial; the average criteria met over the fully assessed (blank when
    none). Units: communes, criteria per commune."""
    rows = []
    for (year, status, district), part in ready.groupby(["year", "status", "district_code"], dropna=False):
        full = part[part.state != "partial"]
        rows.append({"year": year, "status": status, "district_code": district, "communes": len(part)}
                    | {s: int((part.state == s).sum()) for s in STATES}
                    | {"avg_criteria": float(full.criteria_met.mean()) if len(full) else float("nan")})
    return pd.DataFrame(rows, columns=["year", "status", "district_code", "communes", *STATES, "avg_criteria"])


def target_distance(ready: pd.DataFrame, targets: pd.DataFrame, year: int, status: str = "actual"
                    ) -> pd.DataFrame:
    """How far the communes a plan names as targets stand from the standard in the
    commune table of ``year``/``status`` (usually the year before the target).

    ``targets``: a frame with ``commune_code`` and ``year`` (the target year), like
    the documents reader's ``target_communes`` table. A target commune absent from
    the commune table keeps blank figures. Columns: commune_code, target_year,
    commune, district_code, criteria_met, criteria_unmet, missing, state."""
    base = ready[(ready.year == year) & (ready.status == status)]
    out = targets[["commune_code", "year"]].rename(columns={"year": "target_year"}).merge(
        base[["commune_code", "commune", "district_code", "criteria_met", "criteria_unmet", "missing", "state"]],
        on="commune_code", how="left")
    for col in ("criteria_met", "criteria_unmet"):
        out[col] = out[col].astype("Int64")
    return out.sort_values(["criteria_unmet", "commune_code"], na_position="last", ignore_index=True)
