"""The reconciliation engine: figures checked against each other, as one frame.

Schemas check each value; these checks compare values with each other (parts
sum to the published totals, counts stay within the communes they belong to).
``reconcile(tables, reference)`` returns one row per comparison, passing or
not, with the columns of ``COLUMNS``:

* ``check``: a stable code (``bands_sum``, ``funding_total``, …);
* ``year``, ``status``: the period compared (blank for checks on the whole source);
* ``area_code``: the GSO code of the area concerned (the province's code for
  province-level figures, a district's for a district's);
* ``stated``: the figure the document prints; ``computed``: what its parts give
  (communes, criteria per commune or million VND, as the check says);
* ``ok``: whether the two agree within the check's tolerance;
* ``severity``: ``error`` or ``warning`` when it fails, ``info`` when it holds;
* ``cells``: the places concerned, ``"; "``-joined (``Biểu 01!D6``), the figure
  checked first (where its finding points): the stated total of a sum, the count
  of ``count_above_total``; ``source_id``: the raw files they come from;
* ``message``: the comparison in plain words.

Findings are its failing rows, and an info line for each row that holds
(``as_findings``); the notebooks (``explain.py``) put its rows into words and
never recompute them.

Adding a check: write one function ``(Context) -> Iterable[Row]`` and decorate
it with ``@register("code", "warning")`` (or ``"error"``) in this module; the
registration order is the order of the rows. Tolerances are the constants
below and nowhere else.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterable, Literal

import pandas as pd

from .findings import Findings
from .formats import number as vn
from .reference import Reference, is_province
from .tidy import VALUE_COLUMN, TidyTables

COLUMNS = {"check": "str", "year": "Int64", "status": "str", "area_code": "str", "stated": "float64",
           "computed": "float64", "ok": "bool", "severity": "str", "cells": "str", "source_id": "str",
           "message": "str"}

#: Allowed gap between a stated average (2 decimals) and the one its parts give (criteria per commune).
AVERAGE_ROUNDING = 0.005
#: Allowed gap between the districts' weighted average of criteria and the province's (criteria per commune).
WEIGHTED_AVERAGE_TOLERANCE = 0.05
#: Allowed gap between funding lines and their sum (million VND: rounding of the printed amounts).
FUNDING_TOLERANCE = 0.5
#: Allowed gap between district figures and the province's (counts: exact up to float noise).
COUNT_TOLERANCE = 1e-6


@dataclass
class Row:
    """One comparison made by a check. ``at`` holds the tidy rows concerned, the
    stated figure's first: they give ``cells`` and ``source_id``."""

    year: int | None
    status: str | None
    stated: float
    computed: float
    ok: bool
    message: str
    at: list[pd.Series] = field(default_factory=list)
    area_code: str | None = None


@dataclass
class Context:
    """What checks read: the tables of one source (or several combined) and the reference."""

    tables: TidyTables
    reference: Reference

    @cached_property
    def _province_first(self) -> tuple[pd.DataFrame, dict[tuple, int]]:
        with_value = self.tables.province[self.tables.province.value.notna()]
        first: dict[tuple, int] = {}
        for pos, key in enumerate(zip(with_value.year, with_value.status, with_value.indicator)):
            first.setdefault(key, pos)
        return with_value, first

    def province_value(self, year: int, status: str, indicator: str) -> pd.Series | None:
        """The first row of the province table with this key and a value (None without one).
        A total number of communes of zero or less is None too: the reader reports it as an
        error (total_not_positive), and there is nothing to compare with or divide by."""
        frame, first = self._province_first
        pos = first.get((year, status, indicator))
        if pos is None:
            return None
        row = frame.iloc[pos]
        return None if indicator == "total_communes" and not row.value > 0 else row

    @cached_property
    def communes_of(self) -> dict[str, int]:
        """area_code -> communes, as ``reference.communes()`` (first row wins)."""
        out: dict[str, int] = {}
        for code, n in zip(self.reference.districts.area_code, self.reference.districts.communes):
            out.setdefault(str(code), int(n))
        return out

    @cached_property
    def province_code(self) -> str:
        """The province's GSO code: the tables' ``province_code``, else the province row
        of the district table ("" when neither names exactly one)."""
        found = {str(c) for _, frame in self.tables.items() if "province_code" in frame
                 for c in frame.province_code.dropna().unique()}
        if len(found) != 1:
            codes = self.tables.districts.area_code
            found = set(codes[is_province(codes)].astype(str).unique())
        return next(iter(found)) if len(found) == 1 else ""


@dataclass(frozen=True)
class Check:
    code: str
    severity: Literal["error", "warning"]
    run: Callable[[Context], Iterable[Row]]


CHECKS: list[Check] = []


def register(code: str, severity: Literal["error", "warning"] = "warning"
             ) -> Callable[[Callable[[Context], Iterable[Row]]], Callable[[Context], Iterable[Row]]]:
    """Add a check to the engine (rows in registration order)."""
    def add(run: Callable[[Context], Iterable[Row]]) -> Callable[[Context], Iterable[Row]]:
        CHECKS.append(Check(code, severity, run))
        return run
    return add


def _period(year: int, status: str) -> str:
    return f"{year} ({status})"


# ---- the checks, in the order their rows appear -------------------------------------------------

@register("all_missing")
def _all_missing(ctx: Context) -> Iterable[Row]:
    """An untouched template: every value blank (read as missing, not as zeros)."""
    values = [frame[VALUE_COLUMN[name]] for name, frame in ctx.tables.items()]
    cells = sum(len(v) for v in values)
    if not cells:
        return
    blank = sum(int(v.isna().sum()) for v in values)
    ok = blank < cells
    message = (f"{cells - blank} of the {cells} value cells are filled" if ok else
               f"all {cells} value cells are blank: the workbook was not filled in; "
               f"its figures are read as missing, not as zeros")
    yield Row(None, None, float(cells), float(blank), ok, message)


@register("bands_sum")
def _bands_sum(ctx: Context) -> Iterable[Row]:
    """The bands of communes by criteria met add up to the total number of communes."""
    for (year, status), bands in ctx.tables.commune_bands.groupby(["year", "status"]):
        total = ctx.province_value(year, status, "total_communes")
        counts = bands.communes.dropna()
        if total is None or len(counts) != len(bands) or not len(bands):
            continue
        s, t = int(counts.sum()), int(total.value)
        verb = "as the total states" if s == t else f"but the total is {t}"
        yield Row(year, status, float(total.value), float(counts.sum()), s == t,
                  f"{_period(year, status)}: the bands sum to {s} communes, {verb}", [total])


@register("count_above_total", "error")
def _count_above_total(ctx: Context) -> Iterable[Row]:
    """No count of communes above the communes it belongs to: a band or the NTM
    communes above the province's total, a district's new NTM communes above its
    communes (``stated``: that limit; ``computed``: the count; ``cells``: the count's
    first). One row per offending count; when none offends, one row per period and
    kind with the count closest to its limit."""
    for (year, status), bands in ctx.tables.commune_bands.groupby(["year", "status"]):
        total = ctx.province_value(year, status, "total_communes")
        if total is None:
            continue
        counted = bands[bands.communes.notna()]
        above = counted[counted.communes > total.value]
        for _, band in above.iterrows():
            yield Row(year, status, float(total.value), float(band.communes), False,
                      f"{_period(year, status)}: {int(band.communes)} communes in band {band.band}, "
                      f"more than the {int(total.value)} communes in total", [band, total])
        if len(counted) and above.empty:
            top = counted.loc[counted.communes.idxmax()]
            yield Row(year, status, float(total.value), float(top.communes), True,
                      f"{_period(year, status)}: no band counts more than the {int(total.value)} communes "
                      f"in total (the largest, band {top.band}, counts {int(top.communes)})", [top, total])
        ntm = ctx.province_value(year, status, "ntm_communes")
        if ntm is not None:
            ok = bool(ntm.value <= total.value)
            text = "within" if ok else "more than"
            yield Row(year, status, float(total.value), float(ntm.value), ok,
                      f"{_period(year, status)}: {int(ntm.value)} NTM communes, {text} the "
                      f"{int(total.value)} communes in total", [ntm, total])
    districts = ctx.tables.districts
    new = districts[(districts.indicator == "new_ntm_communes") & districts.value.notna()
                    & ~is_province(districts.area_code)]
    for (year, status), part in new.groupby(["year", "status"]):
        known = [(row, ctx.communes_of[row.area_code]) for _, row in part.iterrows()
                 if row.area_code in ctx.communes_of]
        above = [(row, n) for row, n in known if row.value > n]
        for row, n in above:
            yield Row(year, status, float(n), float(row.value), False,
                      f"{row.area}: {int(row.value)} new NTM communes, more than its {n} communes",
                      [row], area_code=row.area_code)
        if known and not above:
            row, n = min(known, key=lambda pair: pair[1] - pair[0].value)
            yield Row(year, status, float(n), float(row.value), True,
                      f"{_period(year, status)}: no district plans more new NTM communes than it has communes "
                      f"(the closest, {row.area}: {int(row.value)} of its {n})", [row], area_code=row.area_code)


@register("ntm_vs_19")
def _ntm_vs_19(ctx: Context) -> Iterable[Row]:
    """The NTM communes equal the communes meeting all 19 criteria."""
    for (year, status), bands in ctx.tables.commune_bands.groupby(["year", "status"]):
        ntm = ctx.province_value(year, status, "ntm_communes")
        full = bands[(bands.min_criteria == 19) & bands.communes.notna()]
        if ntm is None or not len(full):
            continue
        n, f = int(ntm.value), int(full.communes.iloc[0])
        verb = "and" if n == f else "but"
        yield Row(year, status, float(ntm.value), float(full.communes.iloc[0]), n == f,
                  f"{_period(year, status)}: {n} NTM communes, {verb} {f} communes meet all 19 criteria",
                  [ntm, full.iloc[0]])


@register("average_criteria")
def _average_criteria(ctx: Context) -> Iterable[Row]:
    """The stated average of criteria per commune equals the criterion counts over the total."""
    for (year, status), crit in ctx.tables.criteria.groupby(["year", "status"]):
        avg = ctx.province_value(year, status, "avg_criteria")
        total = ctx.province_value(year, status, "total_communes")
        counts = crit.communes.dropna()
        if avg is None or total is None or len(counts) != 19:
            continue
        implied = float(counts.sum()) / float(total.value)
        ok = abs(implied - avg.value) <= AVERAGE_ROUNDING + 1e-9
        verb = "and" if ok else "but"
        yield Row(year, status, float(avg.value), implied, ok,
                  f"{_period(year, status)}: the stated average is {vn(avg.value, 2)} criteria per commune, "
                  f"{verb} the criterion counts give {int(counts.sum())}/{int(total.value)} = {vn(implied, 2)}",
                  [avg, total])


@register("funding_sum")
def _funding_sum(ctx: Context) -> Iterable[Row]:
    """The lines under a funding line add up to it (million VND)."""
    for (year, status), fund in ctx.tables.funding.groupby(["year", "status"]):
        fund = fund[fund.amount_million_vnd.notna()]
        for parent, children in fund[fund.parent_code.notna()].groupby("parent_code"):
            rows = fund[fund.code == parent]
            if rows.empty:
                continue
            prow = rows.iloc[0]
            s = float(children.amount_million_vnd.sum())
            ok = math.isclose(s, prow.amount_million_vnd, abs_tol=FUNDING_TOLERANCE)
            verb = "as" if ok else "but"
            yield Row(year, status, float(prow.amount_million_vnd), s, ok,
                      f"{_period(year, status)}: the lines under '{prow.source}' sum to {vn(s)} million VND, "
                      f"{verb} it states {vn(prow.amount_million_vnd)}", [prow])


@register("funding_total")
def _funding_total(ctx: Context) -> Iterable[Row]:
    """The detailed lines (leaves) add up to the total line (million VND)."""
    for (year, status), fund in ctx.tables.funding.groupby(["year", "status"]):
        fund = fund[fund.amount_million_vnd.notna()]
        total = fund[fund.level == 0]
        leaves = fund[fund.is_leaf & (fund.level > 0)]
        if not len(total) or not len(leaves):
            continue
        s, stated = float(leaves.amount_million_vnd.sum()), float(total.amount_million_vnd.iloc[0])
        ok = math.isclose(s, stated, abs_tol=FUNDING_TOLERANCE)
        verb = "as" if ok else "but"
        yield Row(year, status, stated, s, ok,
                  f"{_period(year, status)}: the detailed lines sum to {vn(s)} million VND, "
                  f"{verb} the total states {vn(stated)}", [total.iloc[0]])


@register("districts_sum")
def _districts_sum(ctx: Context) -> Iterable[Row]:
    """The districts' targets add up to the province's (new NTM communes, jobs added)."""
    for (year, status), part in ctx.tables.districts.groupby(["year", "status"]):
        province = is_province(part.area_code)
        prov, dist = part[province], part[~province]
        for indicator in ("new_ntm_communes", "jobs_added"):
            p = prov[(prov.indicator == indicator) & prov.value.notna()]
            d = dist[dist.indicator == indicator].value.dropna()
            if not len(p) or not len(d):
                continue
            s, stated = float(d.sum()), float(p.value.iloc[0])
            ok = math.isclose(s, stated, abs_tol=COUNT_TOLERANCE)
            verb = "as" if ok else "but"
            yield Row(year, status, stated, s, ok,
                      f"{_period(year, status)}: the districts' {indicator} sum to {vn(s)}, "
                      f"{verb} the province states {vn(stated)}", [p.iloc[0]], area_code=str(p.area_code.iloc[0]))


@register("ntm_cumulative")
def _ntm_cumulative(ctx: Context) -> Iterable[Row]:
    """The NTM communes of the year before plus the year's new ones give the year's NTM communes."""
    d = ctx.tables.districts
    for (year, status), part in d.groupby(["year", "status"]):
        new = part[is_province(part.area_code) & (part.indicator == "new_ntm_communes") & part.value.notna()]
        before = ctx.province_value(year - 1, "actual", "ntm_communes")
        after = ctx.province_value(year, status, "ntm_communes")
        if not len(new) or before is None or after is None:
            continue
        s = float(before.value + new.value.iloc[0])
        ok = s == after.value
        verb = "as" if ok else "but"
        yield Row(year, status, float(after.value), s, ok,
                  f"{_period(year, status)}: {int(before.value)} NTM communes at the end of {year - 1} plus "
                  f"{int(new.value.iloc[0])} new give {int(s)}, {verb} the document states {int(after.value)}",
                  [after, before, new.iloc[0]], area_code=str(new.area_code.iloc[0]))


@register("weighted_average")
def _weighted_average(ctx: Context) -> Iterable[Row]:
    """The districts' average-criteria targets, weighted by their communes, give the province's."""
    for (year, status), part in ctx.tables.districts.groupby(["year", "status"]):
        province = is_province(part.area_code)
        avg = part[~province & (part.indicator == "avg_criteria") & part.value.notna()]
        p = part[province & (part.indicator == "avg_criteria") & part.value.notna()]
        if not len(avg) or not len(p):
            continue
        communes = [ctx.communes_of.get(c) for c in avg.area_code]
        if any(n is None for n in communes):
            continue
        weighted = float(sum(v * n for v, n in zip(avg.value, communes)) / sum(communes))
        stated = float(p.value.iloc[0])
        ok = abs(weighted - stated) <= WEIGHTED_AVERAGE_TOLERANCE
        verb = "as" if ok else "but"
        yield Row(year, status, stated, weighted, ok,
                  f"{_period(year, status)}: the districts' average-criteria targets, weighted by their "
                  f"communes, give {vn(weighted, 2)} criteria per commune, {verb} the province states "
                  f"{vn(stated, 2)}", [p.iloc[0]], area_code=str(p.area_code.iloc[0]))


# ---- the engine ---------------------------------------------------------------------------------

def _joined(values: Iterable[object]) -> str:
    return "; ".join(dict.fromkeys(str(v) for v in values if isinstance(v, str) and v))


def reconcile(tables: TidyTables, reference: Reference) -> pd.DataFrame:
    """Every reconciliation the tables allow, one row each, passing or not (columns: ``COLUMNS``)."""
    ctx = Context(tables, reference)
    all_sources = _joined(s for _, frame in tables.items() for s in frame.source_id)
    rows = []
    for check in CHECKS:
        for row in check.run(ctx):
            rows.append({
                "check": check.code, "year": row.year, "status": row.status,
                "area_code": row.area_code if row.area_code is not None else ctx.province_code,
                "stated": row.stated, "computed": row.computed, "ok": bool(row.ok),
                "severity": "info" if row.ok else check.severity,
                "cells": _joined(r["cell"] for r in row.at),
                "source_id": _joined(r["source_id"] for r in row.at) if row.at else all_sources,
                "message": row.message})
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=d) for c, d in COLUMNS.items()})
    frame["year"] = pd.array(frame["year"].astype("float64"), dtype="Int64")
    return frame.astype({c: d for c, d in COLUMNS.items() if c != "year"})


def as_findings(rows: pd.DataFrame, file: str = "") -> Findings:
    """The engine's rows as findings: the failing rows (error or warning) first, at the
    first of their cells, then one info line for each row that holds."""
    findings = Findings()
    for failing in (True, False):
        for row in rows[rows.ok != failing].itertuples(index=False):
            sheet, _, cell = row.cells.split("; ")[0].rpartition("!") if row.cells else ("", "", "")
            findings.add(row.severity, row.check, row.message, file=file, sheet=sheet, cell=cell)
    return findings
