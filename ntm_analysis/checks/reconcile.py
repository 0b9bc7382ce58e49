"""The reconciliation engine: figures checked against each other, as one frame.

Schemas check each value; these checks compare values with each other: parts
sum to the published totals, counts stay within the communes they belong to,
the targets a plan's text states agree with its tables (``crosschecks.py``),
and a commune table's aggregates agree with the published Biểu 01/02
(``communes/compare.py``). ``reconcile(tables, reference)`` returns one row per
comparison, holding or not, with the columns of ``COLUMNS``:

* ``check``: a stable code (``bands_sum``, ``funding_total``, …);
* ``year``, ``status``: the period compared (blank for checks on the whole source);
* ``area_code``: the GSO code of the area concerned (the province's code for
  province-level figures, a district's for a district's);
* ``indicator``, ``criterion_id``: the figure compared, where there is one
  (an indicator of the tidy tables or of the text: ``jobs_added``,
  ``criterion_communes`` with its criterion, ``funding_central`` …);
* ``stated``: the figure the document prints; ``computed``: what its parts give
  (communes, criteria per commune or million VND, as the check says);
* ``ok``: whether the two agree within the check's tolerance; blank (NA) when
  they cannot be compared (a part is blank, a figure is missing);
* ``severity``: ``error`` or ``warning`` when it fails (or cannot be checked
  and the reader must know), ``info`` otherwise;
* ``cells``: the places concerned, ``"; "``-joined (``Biểu 01!D6``), the figure
  checked first (where its finding points): the stated total of a sum, the count
  of ``count_above_total``, the text's paragraph of a cross-check, the
  published cell of a commune comparison; ``source_id``: the raw files they come from;
* ``message``: the comparison in plain words, in the current language (gettext).

Findings are its failing rows, and an info line for each row that holds
(``as_findings``); the notebooks (``explain.py``, ``text_view.py``) put its
rows into words and never recompute them.

A part left blank is never counted as zero: a sum with blank parts is compared
only when the filled parts already reach the stated total (they hold, the blank
parts can only be nothing) or exceed it (they fail); otherwise the row says how
many parts are blank and what the filled ones give, and is not a mismatch.

Adding a check: write one function ``(Context) -> Iterable[Row]`` and decorate
it with ``@register("code", "warning", scope=...)`` (or ``"error"``); the
registration order is the order of the rows. The scopes: ``tables`` (one
source's tables against each other), ``text`` (one source's text against its
tables) and ``communes`` (a commune table against the published figures, run
on the combined tables of a build). Tolerances are the constants below and in
the check's own module, nowhere else. A source's tables hold a few dozen rows:
the table checks walk them as plain dicts (``Context.period_rows``), since
filtering a small frame costs pandas more than the comparison itself; a
source without text runs no ``text`` check (each starts from the text's figures).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterable, Literal

import numpy as np
import pandas as pd

from ..findings import Findings
from ..formats import is_missing
from ..i18n import _, current_language, ngettext, num
from ..reading.narrative import narrative_indicators
from ..reference import Reference, is_province, is_province_code, period_label
from ..tables.tidy import FROM_TEXT, VALUE_COLUMN, TidyTables

COLUMNS = {"check": "str", "year": "Int64", "status": "str", "area_code": "str", "indicator": "str",
           "criterion_id": "Int64", "stated": "float64", "computed": "float64", "ok": "boolean",
           "severity": "str", "cells": "str", "source_id": "str", "message": "str"}

#: Allowed gap between a stated average (2 decimals) and the one its parts give (criteria per commune).
AVERAGE_ROUNDING = 0.005
#: Allowed gap between the districts' weighted average of criteria and the province's (criteria per commune).
WEIGHTED_AVERAGE_TOLERANCE = 0.05
#: Allowed gap between funding lines and their sum (million VND: rounding of the printed amounts).
FUNDING_TOLERANCE = 0.5
#: Allowed gap between district figures and the province's (counts: exact up to float noise).
COUNT_TOLERANCE = 1e-6

Severity = Literal["error", "warning", "info"]
Scope = Literal["tables", "text", "communes"]
#: The scopes a source's read runs (the communes scope runs on a build's combined tables).
SOURCE_SCOPES: tuple[Scope, ...] = ("tables", "text")


@dataclass
class Row:
    """One comparison made by a check. ``at`` holds the tidy rows concerned (Series or
    dicts), the stated figure's first: they give ``cells`` and ``source_id`` unless ``cells``
    (places, the stated figure's first) and ``source_id`` are given. ``ok`` None:
    the figures could not be compared (``severity`` says how much that matters:
    info unless given)."""

    year: int | None
    status: str | None
    stated: float | None
    computed: float | None
    ok: bool | None
    message: str
    at: list[pd.Series | dict] = field(default_factory=list)
    area_code: str | None = None
    indicator: str | None = None
    criterion_id: int | None = None
    cells: list[str] | None = None
    source_id: str | None = None
    severity: Severity | None = None


@dataclass
class Context:
    """What checks read: the tables of one source (or several combined) and the reference."""

    tables: TidyTables
    reference: Reference
    _periods: dict[str, list[tuple[tuple[int, str], list[dict]]]] = field(default_factory=dict, repr=False)

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

    def period_rows(self, table: str) -> list[tuple[tuple[int, str], list[dict]]]:
        """((year, status), rows as dicts) of a table, period by period in order, as
        ``groupby(["year", "status"])`` gives them (rows without a period left out): the
        checks walk a few dozen rows, which plain Python does faster than pandas."""
        if table not in self._periods:
            groups: dict[tuple[int, str], list[dict]] = {}
            for row in getattr(self.tables, table).to_dict("records"):
                if not (is_missing(row["year"]) or is_missing(row["status"])):
                    groups.setdefault((row["year"], row["status"]), []).append(row)
            self._periods[table] = sorted(groups.items(), key=lambda item: item[0])
        return self._periods[table]

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
        found = {str(c) for _name, frame in self.tables.items() if "province_code" in frame
                 for c in frame.province_code.dropna().unique()}
        if len(found) != 1:
            codes = self.tables.districts.area_code
            found = set(codes[is_province(codes)].astype(str).unique())
        return next(iter(found)) if len(found) == 1 else ""

    @cached_property
    def _text_labels(self) -> dict[str, dict[str, str]]:
        text = narrative_indicators().reset_index()
        return {lang: dict(zip(text.indicator, text[f"label_{lang}"])) for lang in ("vi", "en")}

    def label(self, indicator: str) -> str:
        """An indicator as the plans name it, in the current language
        (``indicators.csv``, else ``narrative_indicators.csv``); the code if unknown."""
        lang = current_language()
        tables = self.reference.indicator_labels(lang)  # the tables' labels win
        return tables[indicator] if indicator in tables else self._text_labels[lang].get(indicator, indicator)

    def criterion(self, criterion_id: int, year: int | None = None) -> str:
        """A criterion by its number and name in the set in force for ``year``
        ("tiêu chí 5 (Trường học)", ``criteria.csv``)."""
        crit = self.reference.criteria
        cset = self.reference.criteria_set_for(int(year)) if year is not None else crit.criteria_set.iloc[-1]
        hit = crit[(crit.criteria_set == cset) & (crit.criterion_id == int(criterion_id))]
        column = "criterion_en" if current_language() == "en" else "criterion"
        if hit.empty:
            return _("criterion {number}").format(number=int(criterion_id))
        return _("criterion {number} ({name})").format(number=int(criterion_id), name=hit[column].iloc[0])

    def area(self, code: str) -> str:
        """A district's or province's name (the GSO gazetteer), the code if unknown."""
        name = self.reference.area_name(code)
        return name or code


@dataclass(frozen=True)
class Check:
    code: str
    severity: Literal["error", "warning"]
    run: Callable[[Context], Iterable[Row]]
    scope: Scope = "tables"
    #: Where a finding points: the first of the row's cells ("first"), or all of them ("all":
    #: a cross-check of a document names the text's place and the table's together).
    place: Literal["first", "all"] = "first"


CHECKS: list[Check] = []


def register(code: str, severity: Literal["error", "warning"] = "warning", *, scope: Scope = "tables",
             place: Literal["first", "all"] = "first"
             ) -> Callable[[Callable[[Context], Iterable[Row]]], Callable[[Context], Iterable[Row]]]:
    """Add a check to the engine (rows in registration order)."""
    def add(run: Callable[[Context], Iterable[Row]]) -> Callable[[Context], Iterable[Row]]:
        CHECKS.append(Check(code, severity, run, scope, place))
        return run
    return add


def period(year: int, status: str) -> str:
    """"2021 (kế hoạch)" / "2021 (target)" (``reference.period_label``, the year as a whole number)."""
    return period_label(int(year), status)


def sum_with_blanks(parts: list, stated: float, things: str, tolerance: float, decimals: int = 0
                    ) -> tuple[float | None, bool | None, str, Severity | None]:
    """A sum whose parts may be blank, against the stated total: (the sum to report
    as ``computed``, ok, the sentence about the blank parts, severity). With no
    blank part: the sum, ok as the figures say, no sentence. With blanks: ok when
    the filled parts reach the total (the blank ones can only be zero), not ok
    when they exceed it (the filled parts' sum), else ok None and no sum (it cannot
    be checked: a warning that says how many are blank and what the filled give).
    ``things``: the parts, in the current language ("huyện")."""
    filled = [float(v) for v in parts if not is_missing(v)]
    total = float(np.sum(np.array(filled, dtype="float64")))  # numpy's (pairwise) sum, as pandas sums a column
    close = math.isclose(total, stated, abs_tol=tolerance)
    blank = len(parts) - len(filled)
    if not blank:
        return total, close, "", None
    head = ngettext("{blank} of the {parts} {things} is blank; the {filled} filled sum to {sum}",
                    "{blank} of the {parts} {things} are blank; the {filled} filled sum to {sum}", blank).format(
        blank=num(blank), parts=num(len(parts)), things=things, filled=num(len(filled)), sum=num(total, decimals))
    if close:
        return total, True, _("{head}, equal to the stated total {stated}: the blank ones can only be zero").format(
            head=head, stated=num(stated, decimals)), None
    if total > stated:
        return total, False, _("{head}, already more than the stated total {stated}").format(
            head=head, stated=num(stated, decimals)), None
    return None, None, _("{head}, against the stated total {stated}: the sum can be checked only once every "
                         "part is filled").format(head=head, stated=num(stated, decimals)), "warning"


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
    message = (_("{filled} of the {cells} value cells are filled") if ok else
               _("all {cells} value cells are blank: the workbook was not filled in; its figures are read as "
                 "missing, not as zeros")).format(filled=num(cells - blank), cells=num(cells))
    yield Row(None, None, float(cells), float(blank), ok, message)


@register("bands_sum")
def _bands_sum(ctx: Context) -> Iterable[Row]:
    """The bands of communes by criteria met add up to the total number of communes."""
    for (year, status), bands in ctx.period_rows("commune_bands"):
        total = ctx.province_value(year, status, "total_communes")
        if total is None or all(is_missing(b["communes"]) for b in bands):
            continue
        t = float(total.value)
        s, ok, blanks, severity = sum_with_blanks([b["communes"] for b in bands], t, _("bands"), COUNT_TOLERANCE)
        if blanks:
            message = _("{period}: the bands of communes by criteria met: {blanks}").format(
                period=period(year, status), blanks=blanks)
        elif ok:
            message = _("{period}: the bands sum to {sum} communes, as the total states").format(
                period=period(year, status), sum=num(s))
        else:
            message = _("{period}: the bands sum to {sum} communes, but the total is {total}").format(
                period=period(year, status), sum=num(s), total=num(t))
        yield Row(year, status, t, s, ok, message, [total], indicator="total_communes", severity=severity)


@register("count_above_total", "error")
def _count_above_total(ctx: Context) -> Iterable[Row]:
    """No count of communes above the communes it belongs to: a band or the NTM
    communes above the province's total, a district's new NTM communes above its
    communes (``stated``: that limit; ``computed``: the count; ``cells``: the count's
    first). One row per offending count; when none offends, one row per period and
    kind with the count closest to its limit."""
    for (year, status), bands in ctx.period_rows("commune_bands"):
        total = ctx.province_value(year, status, "total_communes")
        if total is None:
            continue
        when, t = period(year, status), num(total.value)
        counted = [b for b in bands if not is_missing(b["communes"])]
        above = [b for b in counted if b["communes"] > total.value]
        for band in above:
            yield Row(year, status, float(total.value), float(band["communes"]), False,
                      _("{period}: {count} communes meet {band} criteria, more than the {total} communes in "
                        "total").format(period=when, count=num(band["communes"]), band=band["band"], total=t),
                      [band, total], indicator="total_communes")
        if counted and not above:
            top = max(counted, key=lambda b: b["communes"])  # the first of the largest
            yield Row(year, status, float(total.value), float(top["communes"]), True,
                      _("{period}: no band counts more than the {total} communes in total (the largest, "
                        "{band} criteria, counts {count})").format(period=when, total=t, band=top["band"],
                                                                    count=num(top["communes"])),
                      [top, total], indicator="total_communes")
        ntm = ctx.province_value(year, status, "ntm_communes")
        if ntm is not None:
            ok = bool(ntm.value <= total.value)
            text = (_("{period}: {count} NTM communes, within the {total} communes in total") if ok else
                    _("{period}: {count} NTM communes, more than the {total} communes in total"))
            yield Row(year, status, float(total.value), float(ntm.value), ok,
                      text.format(period=when, count=num(ntm.value), total=t), [ntm, total],
                      indicator="ntm_communes")
    for (year, status), part in ctx.period_rows("districts"):
        known = [(row, ctx.communes_of[row["area_code"]]) for row in part
                 if row["indicator"] == "new_ntm_communes" and not is_missing(row["value"])
                 and not is_province_code(row["area_code"]) and row["area_code"] in ctx.communes_of]
        above = [(row, n) for row, n in known if row["value"] > n]
        for row, n in above:
            yield Row(year, status, float(n), float(row["value"]), False,
                      _("{period}, {area}: {count} new NTM communes, more than its {communes} communes").format(
                          period=period(year, status), area=row["area"], count=num(row["value"]),
                          communes=num(n)),
                      [row], area_code=row["area_code"], indicator="new_ntm_communes")
        if known and not above:
            row, n = min(known, key=lambda pair: pair[1] - pair[0]["value"])
            yield Row(year, status, float(n), float(row["value"]), True,
                      _("{period}: no district plans more new NTM communes than it has communes (the closest, "
                        "{area}: {count} of its {communes})").format(
                          period=period(year, status), area=row["area"], count=num(row["value"]),
                          communes=num(n)),
                      [row], area_code=row["area_code"], indicator="new_ntm_communes")


@register("ntm_vs_19")
def _ntm_vs_19(ctx: Context) -> Iterable[Row]:
    """The NTM communes equal the communes meeting all 19 criteria."""
    for (year, status), bands in ctx.period_rows("commune_bands"):
        ntm = ctx.province_value(year, status, "ntm_communes")
        full = [b for b in bands if b["min_criteria"] == 19 and not is_missing(b["communes"])]
        if ntm is None or not full:
            continue
        n, f = float(ntm.value), float(full[0]["communes"])
        text = (_("{period}: {ntm} NTM communes, and {full} communes meet all 19 criteria") if n == f else
                _("{period}: {ntm} NTM communes, but {full} communes meet all 19 criteria"))
        yield Row(year, status, n, f, n == f, text.format(period=period(year, status), ntm=num(n), full=num(f)),
                  [ntm, full[0]], indicator="ntm_communes")


@register("average_criteria")
def _average_criteria(ctx: Context) -> Iterable[Row]:
    """The stated average of criteria per commune equals the criterion counts over the total."""
    for (year, status), crit in ctx.period_rows("criteria"):
        avg = ctx.province_value(year, status, "avg_criteria")
        total = ctx.province_value(year, status, "total_communes")
        counts = [c["communes"] for c in crit if not is_missing(c["communes"])]
        if avg is None or total is None or len(crit) != 19 or not counts:
            continue
        met = sum(counts)
        implied = float(met) / float(total.value)
        if len(counts) < len(crit):  # counts are never negative: the filled ones give a floor
            blank, over = len(crit) - len(counts), implied > avg.value + AVERAGE_ROUNDING + 1e-9
            text = (_("{period}: {blank} of the 19 criterion counts are blank, and the {filled} filled already give "
                      "{met}/{total} = {computed} criteria per commune, more than the stated average {stated}")
                    if over else
                    _("{period}: {blank} of the 19 criterion counts are blank: the stated average of {stated} "
                      "criteria per commune can be checked only once every count is filled"))
            yield Row(year, status, float(avg.value), implied if over else None, False if over else None,
                      text.format(period=period(year, status), blank=num(blank), filled=num(len(counts)),
                                  met=num(met), total=num(total.value), computed=num(implied, 2),
                                  stated=num(avg.value, 2)),
                      [avg, total], indicator="avg_criteria", severity=None if over else "warning")
            continue
        ok = abs(implied - avg.value) <= AVERAGE_ROUNDING + 1e-9
        text = (_("{period}: the stated average is {stated} criteria per commune, and the criterion counts give "
                  "{met}/{total} = {computed}") if ok else
                _("{period}: the stated average is {stated} criteria per commune, but the criterion counts give "
                  "{met}/{total} = {computed}"))
        yield Row(year, status, float(avg.value), implied, ok,
                  text.format(period=period(year, status), stated=num(avg.value, 2), met=num(met),
                              total=num(total.value), computed=num(implied, 2)),
                  [avg, total], indicator="avg_criteria")


@register("funding_sum")
def _funding_sum(ctx: Context) -> Iterable[Row]:
    """The lines under a funding line add up to it (million VND)."""
    for (year, status), fund in ctx.period_rows("funding"):
        children: dict[str, list[dict]] = {}
        for line in fund:
            if not is_missing(line["parent_code"]):
                children.setdefault(line["parent_code"], []).append(line)
        for parent in sorted(children):
            amounts = [line["amount_million_vnd"] for line in children[parent]]
            rows = [line for line in fund if line["code"] == parent and not is_missing(line["amount_million_vnd"])]
            if not rows or all(is_missing(a) for a in amounts):
                continue
            prow = rows[0]
            stated = float(prow["amount_million_vnd"])
            s, ok, blanks, severity = sum_with_blanks(amounts, stated, _("lines"), FUNDING_TOLERANCE)
            when = period(year, status)
            if blanks:
                message = _("{period}: the lines under '{line}' (million VND): {blanks}").format(
                    period=when, line=prow["source"], blanks=blanks)
            else:
                message = (_("{period}: the lines under '{line}' sum to {sum} million VND, as it states {stated}")
                           if ok else
                           _("{period}: the lines under '{line}' sum to {sum} million VND, but it states {stated}")
                           ).format(period=when, line=prow["source"], sum=num(s), stated=num(stated))
            yield Row(year, status, stated, s, ok, message, [prow], severity=severity)


@register("funding_total")
def _funding_total(ctx: Context) -> Iterable[Row]:
    """The detailed lines (leaves) add up to the total line (million VND)."""
    for (year, status), fund in ctx.period_rows("funding"):
        total = [line for line in fund if line["level"] == 0 and not is_missing(line["amount_million_vnd"])]
        leaves = [line["amount_million_vnd"] for line in fund if line["is_leaf"] and line["level"] > 0]
        if not total or all(is_missing(a) for a in leaves):
            continue
        stated = float(total[0]["amount_million_vnd"])
        s, ok, blanks, severity = sum_with_blanks(leaves, stated, _("detailed lines"), FUNDING_TOLERANCE)
        when = period(year, status)
        if blanks:
            message = _("{period}: the detailed funding lines (million VND): {blanks}").format(
                period=when, blanks=blanks)
        else:
            message = (_("{period}: the detailed lines sum to {sum} million VND, as the total states {stated}")
                       if ok else
                       _("{period}: the detailed lines sum to {sum} million VND, but the total states {stated}")
                       ).format(period=when, sum=num(s), stated=num(stated))
        yield Row(year, status, stated, s, ok, message, [total[0]], severity=severity)


@register("districts_sum")
def _districts_sum(ctx: Context) -> Iterable[Row]:
    """The districts' targets add up to the province's (new NTM communes, jobs added)."""
    for (year, status), part in ctx.period_rows("districts"):
        for indicator in ("new_ntm_communes", "jobs_added"):
            p = [r for r in part if r["indicator"] == indicator and is_province_code(r["area_code"])
                 and not is_missing(r["value"])]
            d = [r["value"] for r in part if r["indicator"] == indicator and not is_province_code(r["area_code"])]
            if not p or all(is_missing(v) for v in d):
                continue
            stated = float(p[0]["value"])
            s, ok, blanks, severity = sum_with_blanks(d, stated, _("districts"), COUNT_TOLERANCE)
            what = {"period": period(year, status), "indicator": ctx.label(indicator)}
            if blanks:
                message = _("{period}, {indicator}: {blanks}").format(**what, blanks=blanks)
            else:
                message = (_("{period}, {indicator}: the districts sum to {sum}, as the province states {stated}")
                           if ok else
                           _("{period}, {indicator}: the districts sum to {sum}, but the province states {stated}")
                           ).format(**what, sum=num(s), stated=num(stated))
            yield Row(year, status, stated, s, ok, message, [p[0]], area_code=str(p[0]["area_code"]),
                      indicator=indicator, severity=severity)


@register("ntm_cumulative")
def _ntm_cumulative(ctx: Context) -> Iterable[Row]:
    """The NTM communes of the year before plus the year's new ones give the year's NTM communes."""
    for (year, status), part in ctx.period_rows("districts"):
        new = [r for r in part if is_province_code(r["area_code"]) and r["indicator"] == "new_ntm_communes"
               and not is_missing(r["value"])]
        before = ctx.province_value(year - 1, "actual", "ntm_communes")
        after = ctx.province_value(year, status, "ntm_communes")
        if not new or before is None or after is None:
            continue
        s = float(before.value + new[0]["value"])
        ok = s == after.value
        text = (_("{period}: {before} NTM communes at the end of {last_year} plus {new} new give {sum}, as the "
                  "document states {stated}") if ok else
                _("{period}: {before} NTM communes at the end of {last_year} plus {new} new give {sum}, but the "
                  "document states {stated}"))
        yield Row(year, status, float(after.value), s, ok,
                  text.format(period=period(year, status), before=num(before.value), last_year=year - 1,
                              new=num(new[0]["value"]), sum=num(s), stated=num(after.value)),
                  [after, before, new[0]], area_code=str(new[0]["area_code"]), indicator="ntm_communes")


@register("weighted_average")
def _weighted_average(ctx: Context) -> Iterable[Row]:
    """The districts' average-criteria targets, weighted by their communes, give the province's."""
    for (year, status), part in ctx.period_rows("districts"):
        listed = [r for r in part if r["indicator"] == "avg_criteria" and not is_province_code(r["area_code"])]
        avg = [r for r in listed if not is_missing(r["value"])]
        p = [r for r in part if r["indicator"] == "avg_criteria" and is_province_code(r["area_code"])
             and not is_missing(r["value"])]
        if not avg or not p:
            continue
        if len(avg) < len(listed):  # an average of the filled districts is not the districts' average
            yield Row(year, status, float(p[0]["value"]), None, None,
                      _("{period}: {blank} of the {parts} districts have no average-criteria figure: the "
                        "province's {stated} criteria per commune can be checked against the districts' only once "
                        "every district is filled").format(
                          period=period(year, status), blank=num(len(listed) - len(avg)), parts=num(len(listed)),
                          stated=num(p[0]["value"], 2)),
                      [p[0]], area_code=str(p[0]["area_code"]), indicator="avg_criteria", severity="warning")
            continue
        communes = [ctx.communes_of.get(r["area_code"]) for r in avg]
        if any(n is None for n in communes):
            continue
        weighted = float(sum(r["value"] * n for r, n in zip(avg, communes)) / sum(communes))
        stated = float(p[0]["value"])
        ok = abs(weighted - stated) <= WEIGHTED_AVERAGE_TOLERANCE
        text = (_("{period}: the districts' average-criteria targets, weighted by their communes, give {computed} "
                  "criteria per commune, as the province states {stated}") if ok else
                _("{period}: the districts' average-criteria targets, weighted by their communes, give {computed} "
                  "criteria per commune, but the province states {stated}"))
        yield Row(year, status, stated, weighted, ok,
                  text.format(period=period(year, status), computed=num(weighted, 2), stated=num(stated, 2)),
                  [p[0]], area_code=str(p[0]["area_code"]), indicator="avg_criteria")


# ---- the engine ---------------------------------------------------------------------------------

def _joined(values: Iterable[object]) -> str:
    return "; ".join(dict.fromkeys(str(v) for v in values if isinstance(v, str) and v))


def reconcile(tables: TidyTables, reference: Reference, scopes: Iterable[Scope] = SOURCE_SCOPES) -> pd.DataFrame:
    """Every comparison of ``scopes`` the tables allow, one row each, holding or not
    (columns: ``COLUMNS``). A source's read runs ``tables`` and ``text``; a build runs
    ``communes`` on the combined tables."""
    scopes = set(scopes)
    if not any(len(getattr(tables, name)) for name in FROM_TEXT):
        scopes.discard("text")  # every text check starts from the text's figures: a workbook has none
    ctx = Context(tables, reference)
    all_sources = _joined(s for _n, frame in tables.items() for s in frame.source_id.tolist())
    rows = []
    for check in CHECKS:
        if check.scope not in scopes:
            continue
        for row in check.run(ctx):
            ok = None if row.ok is None else bool(row.ok)
            severity = row.severity or ("info" if ok is not False else check.severity)
            cells = _joined(row.cells) if row.cells is not None else _joined(r["cell"] for r in row.at)
            source = row.source_id or (_joined(r["source_id"] for r in row.at) if row.at else all_sources)
            rows.append({
                "check": check.code, "year": row.year, "status": row.status,
                "area_code": row.area_code if row.area_code is not None else ctx.province_code,
                "indicator": row.indicator, "criterion_id": row.criterion_id,
                "stated": row.stated, "computed": row.computed, "ok": ok,
                "severity": "info" if ok else severity, "cells": cells, "source_id": source,
                "message": row.message})
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=d) for c, d in COLUMNS.items()})
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    for column in ("year", "criterion_id"):
        frame[column] = pd.array(pd.to_numeric(frame[column], errors="coerce").astype("float64"), dtype="Int64")
    frame["ok"] = pd.array(frame["ok"], dtype="boolean")
    for column in ("stated", "computed"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame.astype({c: d for c, d in COLUMNS.items() if d == "str"})


def as_findings(rows: pd.DataFrame, file: str | None = None, files: dict[str, str] | None = None) -> Findings:
    """The engine's rows as findings: the failing rows (error or warning) first, then
    one info line for each row that holds or cannot be checked. A finding points at the
    first of its row's cells (a cross-check of a document: at all of them), in ``file``,
    else the file of the row's first source (``files``: source_id -> file name; the
    source_id itself when not listed)."""
    place = {c.code: c.place for c in CHECKS}
    findings = Findings()
    for failing in (True, False):
        for row in rows[(rows.severity != "info") == failing].itertuples(index=False):
            cells = row.cells if isinstance(row.cells, str) else ""
            if place.get(row.check) == "all":
                sheet, cell = "", cells
            else:
                sheet, _sep, cell = cells.split("; ")[0].rpartition("!") if cells else ("", "", "")
            source = str(row.source_id).split("; ")[0] if isinstance(row.source_id, str) else ""
            where = file if file is not None else (files or {}).get(source, source)
            findings.add(row.severity, row.check, row.message, file=where, sheet=sheet, cell=cell)
    return findings
