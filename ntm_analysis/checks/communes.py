"""The commune table against the figures a plan publishes (Biểu 01: criterion
counts, bands, average, NTM and total communes; Biểu 02: each district's new
NTM communes and average criteria), for the same year and status: a check of
the reconciliation engine (``reconcile.py``, code ``commune_vs_published``,
scope ``communes``, run by a build on the combined tables).

A figure is compared only when every commune of its area is assessed for it;
otherwise an info line says how many communes are blank (a partial sum is never
set against a whole). Differences are warnings naming both sources and cells;
agreements are info lines. Averages agree when they round to the published
figure's two decimals.
"""
from __future__ import annotations

import math
from typing import Iterable

import pandas as pd

from ..analysis.commune_aggregates import commune_aggregates, per_commune
from ..i18n import N_, _, num
from ..reading.commune_gazetteer import communes
from .reconcile import Context, Row, period, register

#: Averages are published with two decimals: the commune average agrees when it rounds to them.
AVERAGE_DECIMALS = 2
#: What a published figure counts, for the indicators not named by their label.
_NAMES = {"criterion_communes": N_("communes meeting {criterion}"),
          "band_communes": N_("communes meeting {band} criteria")}


def _span(cells: pd.Series) -> str:
    """The commune table's cells behind a figure: first … last, in reading order."""
    cells = cells.dropna()
    if cells.empty:
        return ""
    return cells.iloc[0] if len(cells) == 1 else f"{cells.iloc[0]}…{cells.iloc[-1].split('!')[-1]}"


def _areas() -> dict[str, int]:
    """Communes of each province and district (the gazetteer's count)."""
    frame = communes()
    return frame.province_code.value_counts().to_dict() | frame.district_code.value_counts().to_dict()


def _published(tables) -> pd.DataFrame:
    """The published figures in one frame: year, status, area_code, indicator,
    criterion_id, band, value, source_id, cell."""
    parts = []
    c = tables.criteria
    if not c.empty:
        parts.append(pd.DataFrame({"year": c.year, "status": c.status, "area_code": None,
                                   "indicator": "criterion_communes", "criterion_id": c.criterion_id,
                                   "band": None, "value": c.communes.astype("float64"),
                                   "source_id": c.source_id, "cell": c.cell}))
    b = tables.commune_bands
    if not b.empty:
        parts.append(pd.DataFrame({"year": b.year, "status": b.status, "area_code": None,
                                   "indicator": "band_communes", "criterion_id": None, "band": b.band,
                                   "value": b.communes.astype("float64"), "source_id": b.source_id,
                                   "cell": b.cell}))
    p = tables.province
    p = p[p.indicator.isin(["avg_criteria", "ntm_communes", "total_communes"])]
    if not p.empty:
        parts.append(pd.DataFrame({"year": p.year, "status": p.status, "area_code": None,
                                   "indicator": p.indicator, "criterion_id": None, "band": None,
                                   "value": p.value, "source_id": p.source_id, "cell": p.cell}))
    d = tables.districts
    d = d[d.indicator.isin(["avg_criteria", "new_ntm_communes"])]
    if not d.empty:
        parts.append(pd.DataFrame({"year": d.year, "status": d.status, "area_code": d.area_code,
                                   "indicator": d.indicator, "criterion_id": None, "band": None,
                                   "value": d.value, "source_id": d.source_id, "cell": d.cell}))
    if not parts:
        return pd.DataFrame(columns=["year", "status", "area_code", "indicator", "criterion_id", "band",
                                     "value", "source_id", "cell"])
    return pd.concat([x.astype(object) for x in parts], ignore_index=True)


def _agree(ours: float, theirs: float, indicator: str) -> bool:
    if indicator == "avg_criteria":
        return round(ours, AVERAGE_DECIMALS) == round(theirs, AVERAGE_DECIMALS)
    return ours == theirs


def _fmt(value: float) -> str:
    """A count, or an average with its two decimals, in the current language."""
    return num(value) if float(value).is_integer() else num(value, AVERAGE_DECIMALS)


def new_ntm_by_area(commune_criteria: pd.DataFrame, year: int, status: str,
                    units: pd.DataFrame | None = None) -> pd.DataFrame:
    """New NTM communes of ``year`` (``status``) by area: communes at the standard in
    that table that were not at it in the actual table of ``year - 1``. Only for
    areas whose communes are all fully assessed in both. Columns: area_code, value
    (communes), communes_assessed, cells. ``units``: ``per_commune(commune_criteria)``
    when the caller has it already."""
    units = per_commune(commune_criteria) if units is None else units
    now = units[(units.year == year) & (units.status == status)]
    before = units[(units.year == year - 1) & (units.status == "actual")]
    if now.empty or before.empty:
        return pd.DataFrame(columns=["area_code", "value", "communes_assessed", "cells"])
    province_of = communes().set_index("district_code").province_code.to_dict()
    both = now.merge(before[["commune_code", "is_ntm", "source_id"]], on="commune_code", how="left",
                     suffixes=("", "_before"))
    both["province_code"] = both.district_code.map(province_of)
    rows = []
    for level in ("province_code", "district_code"):
        for area, part in both.groupby(level):
            known = part.is_ntm.notna() & part.is_ntm_before.notna()
            new = part[known & part.is_ntm.fillna(False) & ~part.is_ntm_before.fillna(True)]
            rows.append({"area_code": area, "value": float(len(new)) if known.all() else math.nan,
                         "communes_assessed": int(known.sum()),
                         "cells": f"{part.source_id.iloc[0]} − {part.source_id_before.dropna().iloc[0]}"
                         if part.source_id_before.notna().any() else part.source_id.iloc[0]})
    return pd.DataFrame(rows)


@register("commune_vs_published", scope="communes")
def compare_published(ctx: Context) -> Iterable[Row]:
    """The commune tables' aggregates against the published figures of the same
    year and status (see the module docstring): one row per published figure of a
    period the commune tables cover, at the published cell (then the commune
    table's cells)."""
    tables = ctx.tables
    cc = tables.commune_criteria
    if cc.empty:
        return
    agg = commune_aggregates(cc)
    published = _published(tables)
    sizes = _areas()
    province_codes = set(communes().province_code)
    province_of = communes().set_index("district_code").province_code.to_dict()
    new_ntm: dict[tuple[int, str], pd.DataFrame] = {}  # by period, counted once
    commune_units = None  # per_commune(cc), made once when a published figure needs it
    periods = {(int(year), str(status)): part for (year, status), part in cc.groupby(["year", "status"])}
    for row in published.itertuples():
        year, status = int(row.year), str(row.status)
        mine = periods.get((year, status))
        if mine is None or mine.empty:
            continue
        province = str(province_of.get(mine.district_code.iloc[0], math.nan))
        area = row.area_code if isinstance(row.area_code, str) else province
        if area not in sizes:
            continue
        criterion = None if pd.isna(row.criterion_id) else int(row.criterion_id)
        if row.indicator in _NAMES:
            what = _(_NAMES[row.indicator]).format(
                criterion=ctx.criterion(criterion, year) if criterion is not None else "", band=row.band)
        else:
            what = ctx.label(row.indicator)
        if area not in province_codes:
            what = _("{what} in {area}").format(what=what, area=ctx.area(area))
        head = {"what": what, "period": period(year, status), "theirs": f"{row.source_id} {row.cell}"}
        stated = float(row.value) if pd.notna(row.value) else None
        common = {"at": [], "area_code": area, "indicator": row.indicator, "criterion_id": criterion}
        if row.indicator == "new_ntm_communes":
            if (year, status) not in new_ntm:
                commune_units = per_commune(cc) if commune_units is None else commune_units
                new_ntm[(year, status)] = new_ntm_by_area(cc, year, status, units=commune_units)
            new = new_ntm[(year, status)]
            hit = new[new.area_code == area]
            if hit.empty:
                yield Row(year, status, stated, None, None,
                          _("{what}, {period}: not compared with {theirs}, as there is no actual commune table "
                            "of {last_year} to count from").format(**head, last_year=year - 1),
                          cells=[row.cell], source_id=str(row.source_id), **common)
                continue
            ours, assessed, source, span = (hit.value.iloc[0], int(hit.communes_assessed.iloc[0]),
                                            hit.cells.iloc[0], "")
            sources = [str(row.source_id)]
        else:
            a = agg[(agg.year == year) & (agg.status == status) & (agg.area_code == area)
                    & (agg.indicator == row.indicator)]
            if row.indicator == "criterion_communes":
                a = a[a.criterion_id == row.criterion_id]
                part = mine[mine.criterion_id == row.criterion_id]
            else:
                part = mine
            if row.indicator == "band_communes":
                a = a[a.band == row.band]
            if area not in province_codes:
                part = part[part.district_code == area]
            if a.empty:
                continue
            ours, assessed = a.value.iloc[0], int(a.communes_assessed.iloc[0])
            span = _span(part.cell)
            source = f"{a.source_id.iloc[0]} {span}"
            sources = [str(row.source_id), str(a.source_id.iloc[0])]
        at = common | {"cells": [row.cell, span], "source_id": "; ".join(dict.fromkeys(sources))}
        size = sizes[area]
        computed = None if isinstance(ours, float) and math.isnan(ours) else float(ours)
        if assessed < size or computed is None:
            yield Row(year, status, stated, None, None,
                      _("{what}, {period}: not compared with {theirs}, as {blank} of the {size} communes are not "
                        "assessed in the commune table ({source})").format(
                          **head, blank=num(size - assessed), size=num(size), source=source), **at)
        elif stated is None:
            yield Row(year, status, None, computed, None,
                      _("{what}, {period}: {theirs} is blank; the commune table gives {ours} ({source})").format(
                          **head, ours=_fmt(computed), source=source), **at)
        elif _agree(computed, stated, row.indicator):
            yield Row(year, status, stated, computed, True,
                      _("{what}, {period}: the commune table gives {ours} ({source}), as {theirs} states").format(
                          **head, ours=_fmt(computed), source=source), **at)
        else:
            yield Row(year, status, stated, computed, False,
                      _("{what}, {period}: the commune table gives {ours} ({source}), {theirs} states "
                        "{stated}").format(**head, ours=_fmt(computed), source=source, stated=_fmt(stated)), **at)


def district_averages(tables) -> pd.DataFrame:
    """Average criteria per commune by district, from the commune table beside the
    stated one (Biểu 02), and the province average the districts imply (weighted
    by their communes). Columns: year, status, area_code, communes, stated,
    from_communes, difference (criteria per commune); blanks stay blank."""
    cc = tables.commune_criteria
    columns = ["year", "status", "area_code", "communes", "stated", "from_communes", "difference"]
    if cc.empty:
        return pd.DataFrame(columns=columns)
    agg = commune_aggregates(cc)
    avg = agg[agg.indicator == "avg_criteria"]
    sizes = _areas()
    stated = tables.districts[tables.districts.indicator == "avg_criteria"]
    rows = []
    for (year, status), part in avg.groupby(["year", "status"]):
        said = stated[(stated.year == year) & (stated.status == status)]
        said = dict(zip(said.area_code, said.value))
        for r in part.itertuples():
            full = r.communes_assessed == sizes.get(r.area_code, -1)
            ours = r.value if full else math.nan
            theirs = said.get(r.area_code, math.nan)
            rows.append({"year": year, "status": status, "area_code": r.area_code,
                         "communes": sizes.get(r.area_code), "stated": theirs, "from_communes": ours,
                         "difference": ours - theirs})
        districts = [r for r in rows if r["year"] == year and r["status"] == status
                     and len(r["area_code"]) == 3 and not math.isnan(r["stated"])]
        if districts and len(districts) == len([r for r in rows if r["year"] == year and r["status"] == status
                                                and len(r["area_code"]) == 3]):
            implied = sum(r["stated"] * r["communes"] for r in districts) / sum(r["communes"] for r in districts)
            rows.append({"year": year, "status": status, "area_code": "implied_by_districts",
                         "communes": sum(r["communes"] for r in districts), "stated": implied,
                         "from_communes": math.nan, "difference": math.nan})
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"year": "int64", "status": "str", "area_code": "str", "communes": "Int64",
                         "stated": "float64", "from_communes": "float64", "difference": "float64"})
