"""The commune tables of the 2021 units rolled onto the units from 1 July 2025, for every
province (the official conversion, :mod:`ntm_analysis.units`), and each 2025 province's
timeline of NTM communes over the years.

Blanks stay blanks: a commune with a blank mark is not assessed, never "not NTM"; a 2025 unit
is all-NTM only when every one of its predecessor communes (xã of the programme) has data,
fully assessed and NTM; it is not when one assessed predecessor is not NTM; otherwise blank.
How NTM status earned before a merger carries over is set by no public rule (facts.md §6):
the outputs report the predecessors, never a status for the new commune.
"""
from __future__ import annotations

import pandas as pd

from .. import units
from ..criteria_sets import comparable, get
from ..findings import Findings
from ..i18n import _, names, ngettext, num
from ..reading.commune_gazetteer import communes
from ..units import province_name

SUCCESSOR_COLUMNS = {"province_code_2025": "str", "code_2025": "str", "commune_2025": "str", "year": "int64",
                     "status": "str", "criteria_set": "str", "predecessors": "int64", "with_data": "int64",
                     "assessed": "int64", "ntm": "int64", "all_ntm": "boolean", "communes": "str",
                     "without_data": "str", "not_assessed": "str", "split": "str", "source_id": "str"}
TIMELINE_COLUMNS = {"province_code": "str", "province": "str", "year": "int64", "status": "str", "units": "str",
                    "criteria_set": "str", "communes": "int64", "communes_assessed": "int64",
                    "ntm_communes": "int64", "ntm_share_pct": "float64", "complete": "bool",
                    "provinces_2021": "str", "provinces_missing": "str", "sources": "str"}


def _old(ready: pd.DataFrame) -> pd.DataFrame:
    return ready[ready.units.fillna("2021") == "2021"] if "units" in ready else ready


def with_successors(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (with ``commune_code`` of 2021) plus ``code_2025`` and ``commune_2025``
    (several successors of a split commune "; "-joined); blank where none is known and for
    the rows already in the 2025 units."""
    old = _old(frame)
    if old.empty:
        return frame.assign(code_2025=pd.NA, commune_2025=pd.NA).astype({"code_2025": "str", "commune_2025": "str"})
    succ = units.successors()
    succ = succ[succ.commune_code.isin(set(old.commune_code)) & (succ.code_2025 != "")]
    joined = succ.groupby("commune_code").agg(code_2025=("code_2025", "; ".join),
                                              commune_2025=("commune_2025", "; ".join)).reset_index()
    out = frame.merge(joined, on="commune_code", how="left")
    if "units" in frame:
        new = out.units == "2025"
        out.loc[new, ["code_2025", "commune_2025"]] = pd.NA
    return out


def by_successor(ready: pd.DataFrame, findings: Findings | None = None, office: pd.DataFrame | None = None
                 ) -> pd.DataFrame:
    """Per 2025 unit and period, from the commune tables of 2021 units (any province): its
    predecessor communes (xã of the programme, ``predecessors``), how many the tables hold
    (``with_data``), fully assessed, NTM, whether all are (blank when unknown), and which lack
    data, an assessment, or went to it only in part (``split``). Communes of a table without
    a known successor are named in a warning. Units: communes."""
    findings = Findings() if findings is None else findings
    old = _old(ready)
    if old.empty:
        return pd.DataFrame({c: pd.Series(dtype=d) for c, d in SUCCESSOR_COLUMNS.items()})
    succ = units.successors(office)
    xa = set(units.units_2021().pipe(lambda u: u[u.unit_type == "Xã"]).commune_code)
    pred = succ[succ.commune_code.isin(xa) & (succ.code_2025 != "")]
    rows = []
    for (year, status, source), part in old.groupby(["year", "status", "source_id"]):
        unknown = succ[succ.commune_code.isin(set(part.commune_code)) & (succ.change == "unknown")]
        if len(unknown):
            findings.add("warning", "successor_unknown", ngettext(
                "{period}: {n} commune of {source} merged before 1 July 2025 and has no known successor: {communes}"
                " (add it to data/raw/{file})",
                "{period}: {n} communes of {source} merged before 1 July 2025 and have no known successor: "
                "{communes} (add them to data/raw/{file})", len(unknown)).format(
                period=year, source=source, n=num(len(unknown)), communes=names(unknown.commune),
                file=units.OFFICE_CHANGES_FILE), file=str(source))
        via = succ[succ.commune_code.isin(set(part.commune_code)) & (succ.via_code != "")]
        for row in via.drop_duplicates("commune_code").itertuples():
            findings.add("info", "merged_before_reform", _(
                "{period}: {commune} ({code}) of {source} was merged into unit {via} before 1 July 2025 ({basis}); "
                "its data goes to {successor}").format(period=year, commune=row.commune, code=row.commune_code,
                                                       source=source, via=row.via_code, basis=row.basis,
                                                       successor=row.commune_2025), file=str(source))
        state = dict(zip(part.commune_code, part.state))
        name = dict(zip(part.commune_code, part.commune))
        touched = set(pred[pred.commune_code.isin(set(part.commune_code))].code_2025)
        cset = part.criteria_set.iloc[0] if "criteria_set" in part else ""
        for code, members in pred[pred.code_2025.isin(touched)].groupby("code_2025"):
            codes = list(dict.fromkeys(members.commune_code))
            present = [c for c in codes if c in state]
            assessed = [c for c in present if state[c] != "partial"]
            ntm = [c for c in assessed if state[c] == "ntm"]
            everyone = len(assessed) == len(codes)
            all_ntm = False if len(ntm) < len(assessed) else (True if everyone else pd.NA)
            split = members[members.change == "part"].commune_code
            rows.append({"province_code_2025": members.province_code_2025.iloc[0], "code_2025": code,
                         "commune_2025": members.commune_2025.iloc[0], "year": year, "status": status,
                         "criteria_set": cset, "predecessors": len(codes), "with_data": len(present),
                         "assessed": len(assessed), "ntm": len(ntm), "all_ntm": all_ntm,
                         "communes": "; ".join(name[c] for c in present),
                         "without_data": "; ".join(members[~members.commune_code.isin(state)].commune.unique()),
                         "not_assessed": "; ".join(name[c] for c in present if state[c] == "partial"),
                         "split": "; ".join(members[members.commune_code.isin(split)].commune.unique()),
                         "source_id": source})
    frame = pd.DataFrame(rows, columns=list(SUCCESSOR_COLUMNS))
    return frame.astype(SUCCESSOR_COLUMNS).sort_values(["province_code_2025", "year", "status", "code_2025"],
                                                       ignore_index=True)


def province_timeline(ready: pd.DataFrame, findings: Findings | None = None) -> pd.DataFrame:
    """Per 2025 province, year and status: the unit system and criteria set of the data,
    communes in the tables, fully assessed, NTM and their share (%, blank unless every
    commune is assessed), whether it is complete (for the years before the reform every
    predecessor province present with all its communes; after it, all the province's xã),
    the 2021 provinces summed and the sources. A missing predecessor is a warning naming it.
    Units: communes, %."""
    findings = Findings() if findings is None else findings
    if ready.empty or "province_code" not in ready:
        return pd.DataFrame({c: pd.Series(dtype=d) for c, d in TIMELINE_COLUMNS.items()})
    provinces = units.provinces_2025()
    new_of = {old: new for new, olds in zip(provinces.province_code, provinces.predecessors)
              for old in olds.split(";")}
    xa_2021 = communes().province_code.value_counts().to_dict()
    new_units = units.units_2025()
    xa_2025 = new_units[new_units.unit_type == "Xã"].province_code.value_counts().to_dict()
    ready = ready.assign(units=ready.units.fillna("2021") if "units" in ready else "2021")
    rows = []
    for (system, year, status), part in ready.groupby(["units", "year", "status"]):
        part = part.assign(new=part.province_code if system == "2025" else part.province_code.map(new_of))
        for new, mine in part.groupby("new"):
            by_source = {}
            for (prov, source), chunk in mine.groupby(["province_code", "source_id"]):
                if prov in by_source:
                    findings.add("warning", "timeline_sources", _(
                        "{period}: {province} has two commune tables ({first}, {second}); the timeline takes "
                        "{first}").format(period=year, province=units.province_name(prov, system) or prov,
                                          first=by_source[prov][0], second=source), file=str(source))
                    continue
                by_source[prov] = (source, chunk)
            chunks = [c for _s, c in by_source.values()]
            kept = pd.concat(chunks)
            n, assessed = len(kept), int((kept.state != "partial").sum())
            ntm = int((kept.state == "ntm").sum())
            if system == "2025":
                expected = [new]
                complete = n == xa_2025.get(new, -1)
                missing = []
            else:
                expected = list(units.predecessor_provinces(new))
                missing = [p for p in expected if p not in by_source]
                complete = not missing and all(len(by_source[p][1]) == xa_2021.get(p, -1) for p in by_source)
                if missing:
                    findings.add("warning", "timeline_incomplete", _(
                        "{period}: {province} (2025) was made of {provinces}; no commune table of {missing}: its "
                        "timeline for that year is incomplete").format(
                        period=year, province=units.province_name(new, "2025"),
                        provinces=names(units.province_name(p, "2021") for p in expected),
                        missing=names(units.province_name(p, "2021") for p in missing)))
            rows.append({"province_code": new, "province": units.province_name(new, "2025"), "year": year,
                         "status": status, "units": system,
                         "criteria_set": "; ".join(sorted(set(kept.criteria_set.dropna()))),
                         "communes": n, "communes_assessed": assessed, "ntm_communes": ntm,
                         "ntm_share_pct": 100.0 * ntm / n if n and assessed == n else float("nan"),
                         "complete": bool(complete), "provinces_2021": ";".join(sorted(by_source)) if system ==
                         "2021" else "", "provinces_missing": ";".join(missing),
                         "sources": "; ".join(sorted(s for s, _c in by_source.values()))})
    frame = pd.DataFrame(rows, columns=list(TIMELINE_COLUMNS))
    _say_sets(frame, findings)
    return frame.astype(TIMELINE_COLUMNS).sort_values(["province_code", "year", "status"], ignore_index=True)


def _say_sets(timeline: pd.DataFrame, findings: Findings) -> None:
    """Per 2025 province whose timeline spans several criteria sets: how they compare (an info
    line): 19 and 10 criteria only as NTM counts, never criterion by criterion (the 10 criteria of
    2026–2030 regroup the 19, none is one of them); 2016–2020 and 2021–2025 criterion by number,
    the renamed ones named."""
    for code, rows in timeline.groupby("province_code"):
        sets = sorted({s for text in rows.criteria_set for s in str(text).split("; ") if s})
        for a, b in zip(sets, sets[1:]):
            same, renamed = comparable(a, b)
            if same:
                message = _("{province}: the sets {a} and {b} compare criterion by criterion, by number; renamed: "
                            "{renamed}").format(province=province_name(code, "2025"), a=a, b=b,
                                                renamed=names(f"{c} ({get(a).criteria[c]} → {get(b).criteria[c]})"
                                                              for c in renamed))
            else:
                message = _("{province}: the {n} criteria of {a} and the {m} criteria of {b} are not compared one "
                            "by one (the new set regroups the old criteria; none is the same criterion): only the "
                            "communes at the standard and their share compare across the sets").format(
                    province=province_name(code, "2025"), n=num(get(a).count), a=a, m=num(get(b).count), b=b)
            findings.add("info", "criteria_sets_compared", message)
