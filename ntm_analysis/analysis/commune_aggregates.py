"""From the commune criteria table to the figures Biểu 01 and Biểu 02 state, for
the province and each district, and their comparison with the published ones.

Every aggregate counts only the communes assessed for it (``communes_assessed``):
a blank mark is never counted as "not met". Bands, averages and NTM counts use
the communes assessed on every criterion of their set (19, or 10 from 2026:
``criteria_sets``), and the set's own bands.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..criteria_sets import criteria_sets
from ..reading.commune_gazetteer import communes
from ..reading.parse_criteria import band_label

#: The bands of criteria met that plans publish: 19, 15–18, 10–14, 5–9, under 5.
BANDS: tuple[tuple[int, int], ...] = ((19, 19), (15, 18), (10, 14), (5, 9), (0, 4))
CRITERIA = 19  # the 19-criteria sets (2016–2025); a table's own set says its count (set_count)


def set_count(name: object) -> int:
    """How many criteria the set ``name`` has (19 when no set is named: the tables of 2016–2025)."""
    sets = criteria_sets()
    return sets[name].count if isinstance(name, str) and name in sets else CRITERIA


def set_bands(name: object) -> tuple[tuple[int, int], ...]:
    """The bands of criteria met of the set ``name`` (high band first)."""
    sets = criteria_sets()
    return tuple(sorted(sets[name].bands, reverse=True)) if isinstance(name, str) and name in sets else BANDS
AGGREGATE_COLUMNS = {"year": "int64", "status": "str", "units": "str", "area_code": "str", "indicator": "str",
                     "criterion_id": "Int64", "band": "str", "value": "float64", "communes_assessed": "int64",
                     "source_id": "str"}


def per_commune(commune_criteria: pd.DataFrame) -> pd.DataFrame:
    """One row per commune and period: criteria_met, criteria_assessed, is_ntm
    (None unless all 19 are assessed), the unmet criterion ids."""
    cc = commune_criteria
    keys = ["year", "status", "source_id", "commune_code", "commune", "district_code"]
    keys += [k for k in ("province_code", "units", "criteria_set") if k in cc]
    known = cc.criterion_met.notna()
    marks = cc.assign(assessed=known.astype("int64"), met_=(cc.criterion_met.fillna(False) & known).astype("int64"),
                      unmet=[str(i) if k and not m else "" for i, k, m in
                             zip(cc.criterion_id, known, cc.criterion_met.fillna(False))])
    grouped = marks.groupby(keys, sort=True, dropna=False)  # a commune of 2025 has no district
    out = pd.DataFrame({
        "criteria_met": grouped.met_.sum().astype("int64"),
        "criteria_assessed": grouped.assessed.sum().astype("int64"),
        "missing": grouped.unmet.agg(lambda ids: ";".join(sorted((i for i in ids if i), key=int))),
    }).reset_index()
    out["missing"] = out.missing.astype("str")
    counts = out.criteria_set.map(set_count) if "criteria_set" in out else pd.Series(CRITERIA, index=out.index)
    out["criteria_total"] = counts.astype("int64")
    full = out.criteria_assessed == out.criteria_total
    out["is_ntm"] = pd.array([bool(m == n) if f else None for m, n, f in zip(out.criteria_met, counts, full)],
                             dtype="boolean")
    return out


def commune_aggregates(commune_criteria: pd.DataFrame) -> pd.DataFrame:
    """The figures of Biểu 01/02 computed from the commune table, for the province
    (its GSO code) and each district. Indicators: ``criterion_communes`` (with
    criterion_id), ``band_communes`` (with band), ``avg_criteria``,
    ``ntm_communes``, ``total_communes``. Units: communes, criteria per commune."""
    if commune_criteria.empty:
        return pd.DataFrame({c: pd.Series(dtype=d) for c, d in AGGREGATE_COLUMNS.items()})
    gazetteer = communes()
    province_of = dict(zip(gazetteer.district_code, gazetteer.province_code))
    cc = commune_criteria
    if "province_code" not in cc or cc.province_code.isna().any():
        cc = cc.assign(province_code=cc.district_code.map(province_of))
    by_commune = dict(zip(zip(cc.source_id, cc.commune_code), cc.province_code))
    communes_frame = per_commune(commune_criteria.drop(columns="province_code", errors="ignore"))
    communes_frame["province_code"] = [by_commune.get(k) for k in zip(communes_frame.source_id,
                                                                       communes_frame.commune_code)]
    rows: list[dict] = []
    for level in ("province_code", "district_code"):
        keys = ["year", "status", "source_id", level]
        # each group's criteria (marks assessed, met) and communes, looked up once (no NA key)
        marks = cc.groupby(keys + ["criterion_id"]).criterion_met.agg(["sum", "count"])
        criteria_of: dict[tuple, list] = {}
        for (*group, cid), met, assessed in zip(marks.index, marks["sum"], marks["count"]):
            criteria_of.setdefault(tuple(group), []).append((cid, met, assessed))
        counts_of = {key: (part.criteria_met.to_numpy(), part.criteria_assessed.to_numpy())
                     for key, part in communes_frame.groupby(keys)}
        firsts = cc.dropna(subset=keys).drop_duplicates(keys).sort_values(keys, kind="stable")
        for row in firsts.to_dict("records"):
            year, status, source, area = (row[k] for k in keys)
            cset = row.get("criteria_set")
            total = set_count(cset)
            base = {"year": year, "status": status, "area_code": area, "source_id": source,
                    "units": row["units"] if "units" in row else "2021"}
            for cid, met, assessed in criteria_of.get((year, status, source, area), []):
                rows.append(base | {"indicator": "criterion_communes", "criterion_id": cid,
                                    "value": float(met), "communes_assessed": int(assessed)})
            met, assessed = counts_of.get((year, status, source, area), (np.empty(0), np.empty(0)))
            full = met[assessed == total]
            n = len(full)
            for low, high in set_bands(cset):
                rows.append(base | {"indicator": "band_communes", "band": band_label(low, high),
                                    "value": float(((full >= low) & (full <= high)).sum()), "communes_assessed": n})
            rows.append(base | {"indicator": "avg_criteria", "communes_assessed": n,
                                "value": float(full.mean()) if n else math.nan})
            rows.append(base | {"indicator": "ntm_communes", "value": float((full == total).sum()),
                                "communes_assessed": n})
            rows.append(base | {"indicator": "total_communes", "value": float(len(met)),
                                "communes_assessed": len(met)})
    frame = pd.DataFrame(rows).reindex(columns=list(AGGREGATE_COLUMNS))
    return frame.astype(AGGREGATE_COLUMNS)
