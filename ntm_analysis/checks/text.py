"""Cross-checks between a plan's text and its appendix tables: checks of the
reconciliation engine (``reconcile.py``, scope ``text``).

Each check gives rows of the engine's frame: one row per thing compared,
holding or not, with the text's place first in ``cells`` and the table's after
it (a finding names them all). A failing row becomes a warning (an error with
``--strict``), a holding row an info line, so that validation.csv shows what
was checked and not only what failed; a target that cannot be checked is an
info line that says why.

Checks: every criterion target of the text against Biểu 01 (same year); the
new and cumulative NTM communes and the average criteria against Biểu 01; the
communes named per district against Biểu 02's new-NTM targets; the funding by
payer against Biểu 03's lines; the districts' increase in average criteria
(checkable only when another source gives last year's district averages);
the villages' implied end-of-last-year counts (derived, both cells shown).
A target whose year is unknown (no year in its sentence, none for the
document) cannot be compared and is left out.
"""
from __future__ import annotations

from typing import Iterable

import pandas as pd

from ..i18n import _, num
from ..reading.narrative import funding_payers
from .reconcile import Context, Row, register

#: Two figures agree when they differ by less than this (they are counts or 2-decimal averages).
TOLERANCE = 0.005


def _n(value: float | None, decimals: int | None = None) -> str:
    """A number in the current language: as few decimals as needed (at most 2), or exactly ``decimals``."""
    return num(value, decimals) if decimals is not None else num(value, 2, trim=True)


def _dated(ctx: Context) -> pd.DataFrame:
    """The text's targets with a year (the others cannot be compared)."""
    nt = ctx.tables.narrative_targets
    return nt[nt.year.notna()]


def _row(target: pd.Series, computed: float | None, ok: bool | None, cells: list[str], message: str, *,
         area_code: str | None = None, indicator: str | None = None) -> Row:
    criterion = target.get("criterion_id")
    return Row(int(target.year), target.status, target.value, computed, ok, message, area_code=area_code,
               indicator=indicator or target.get("indicator"),
               criterion_id=None if criterion is None or pd.isna(criterion) else int(criterion),
               cells=[c for c in cells if c], source_id=target.source_id)


def _compare(target: pd.Series, table_value: float | None, table_cell: str, what: str, table_name: str) -> Row:
    """The text's figure against the table's: agrees, differs, or the table has none (a warning)."""
    cells = [target.cell, table_cell]
    if table_value is None or pd.isna(table_value):
        return _row(target, None, False, cells, _("{what}: the text gives {text}, {table} has no figure").format(
            what=what, text=_n(target.value), table=table_name))
    ok = abs(float(target.value) - float(table_value)) < TOLERANCE
    message = (_("{what}: the text's {text} agrees with {table} ({value})") if ok else
               _("{what}: the text's {text} differs from {table} ({value})"))
    return _row(target, float(table_value), ok, cells,
                message.format(what=what, text=_n(target.value), table=table_name, value=_n(table_value)))


@register("text_criterion_target", scope="text", place="all")
def check_criteria(ctx: Context) -> Iterable[Row]:
    """Every criterion target of the text against Biểu 01's count for that year."""
    crit = ctx.tables.criteria
    nt = _dated(ctx)
    for _i, t in nt[nt.indicator == "criterion_communes"].iterrows():
        hit = crit[(crit.year == t.year) & (crit.status == t.status) & (crit.criterion_id == t.criterion_id)]
        value, cell = (hit.communes.iloc[0], hit.cell.iloc[0]) if len(hit) else (None, "")
        if t.unit == "%":
            total = hit.total_communes.iloc[0] if len(hit) else None
            value = value / total * 100 if value is not None and total else None
        what = _("{criterion}, {year}").format(criterion=ctx.criterion(t.criterion_id, int(t.year)),
                                               year=int(t.year))
        yield _compare(t, value, cell, what, "Biểu 01")


def _figure(ctx: Context, year: int, status: str | None, indicator: str) -> tuple[float | None, str]:
    prov = ctx.tables.province
    hit = prov[(prov.year == year) & (prov.indicator == indicator)]
    if status:
        hit = hit[hit.status == status]
    return (hit.value.iloc[0], hit.cell.iloc[0]) if len(hit) else (None, "")


def _headline(ctx: Context, indicator: str) -> Iterable[Row]:
    """The NTM communes or the average criteria of the text against Biểu 01."""
    nt = _dated(ctx)
    for _i, t in nt[nt.indicator == indicator].iterrows():
        value, cell = _figure(ctx, t.year, t.status, t.indicator)
        what = _("{indicator} ({year})").format(indicator=ctx.label(t.indicator), year=int(t.year))
        yield _compare(t, value, cell, what, "Biểu 01")


@register("text_new_ntm_communes", scope="text", place="all")
def check_new_ntm(ctx: Context) -> Iterable[Row]:
    """The text's new NTM communes against Biểu 01's NTM communes of the year minus the year before."""
    nt = _dated(ctx)
    for _i, t in nt[nt.indicator == "new_ntm_communes"].iterrows():
        now, now_cell = _figure(ctx, t.year, t.status, "ntm_communes")
        before, before_cell = _figure(ctx, t.year - 1, None, "ntm_communes")
        value = now - before if now is not None and before is not None else None
        what = _("{indicator} ({year}; Biểu 01: {year} minus {last_year})").format(
            indicator=ctx.label("new_ntm_communes"), year=int(t.year), last_year=int(t.year) - 1)
        yield _compare(t, value, f"{now_cell}; {before_cell}".strip("; "), what, "Biểu 01")


@register("text_ntm_communes", scope="text", place="all")
def check_ntm(ctx: Context) -> Iterable[Row]:
    """The text's cumulative NTM communes against Biểu 01."""
    return _headline(ctx, "ntm_communes")


@register("text_avg_criteria", scope="text", place="all")
def check_average(ctx: Context) -> Iterable[Row]:
    """The text's average criteria per commune against Biểu 01."""
    return _headline(ctx, "avg_criteria")


@register("text_named_communes", scope="text", place="all")
def check_named_communes(ctx: Context) -> Iterable[Row]:
    """The communes named per district against Biểu 02's new-NTM targets."""
    named = ctx.tables.target_communes
    if named.empty:
        return
    dist = ctx.tables.districts
    targets = dist[(dist.indicator == "new_ntm_communes") & (dist.status == "target")]
    province_codes = set(ctx.reference.districts.province_code)
    place = named.cell.iloc[0]
    for _i, t in targets[~targets.area_code.isin(province_codes)].iterrows():
        count = int((named.district_code == t.area_code).sum())
        target = pd.Series({"year": t.year, "status": t.status, "value": t.value, "source_id": t.source_id,
                            "cell": place, "indicator": "new_ntm_communes"})
        area = ctx.area(t.area_code)
        if pd.isna(t.value):
            yield _row(target, float(count), count == 0, [place, t.cell],
                       _("{area}: Biểu 02 leaves the target of new NTM communes blank, and the text names {count} "
                         "communes").format(area=area, count=num(count)), area_code=t.area_code)
            continue
        yield _row(target, float(count), abs(count - t.value) < TOLERANCE, [place, t.cell],
                   _("{area}: the text names {count} communes, Biểu 02 targets {target}").format(
                       area=area, count=num(count), target=_n(t.value)), area_code=t.area_code)


@register("text_funding", scope="text", place="all")
def check_funding(ctx: Context) -> Iterable[Row]:
    """The funding in the text (total and by payer) against Biểu 03's lines (million VND)."""
    fund = ctx.tables.funding
    codes = dict(zip("funding_" + funding_payers().payer, funding_payers().funding_codes))
    nt = _dated(ctx)
    for _i, t in nt[nt.indicator.str.startswith("funding_")].iterrows():
        lines = fund[(fund.year == t.year) & (fund.status == t.status)]
        if t.indicator == "funding_total":
            lines = lines[lines.level == 0]
        else:
            wanted = [c for c in codes.get(t.indicator, "").split(";") if c]
            lines = lines[lines.code.isin(wanted)]
        value = lines.amount_million_vnd.sum(min_count=1) if len(lines) else None
        what = _("{indicator} ({year}, million VND)").format(indicator=ctx.label(t.indicator), year=int(t.year))
        table = (_("Biểu 03 (line {lines})").format(lines=", ".join(lines.code)) if len(lines) else "Biểu 03")
        yield _compare(t, value, "; ".join(lines.cell), what, table)


@register("text_district_increase", scope="text", place="all")
def check_district_increase(ctx: Context) -> Iterable[Row]:
    """"Each district +a–b criteria": checked only when some source gives the
    districts' averages of the year before; otherwise said plainly."""
    dist = ctx.tables.districts
    nt = _dated(ctx)
    for _i, t in nt[nt.indicator == "district_avg_increase"].iterrows():
        now = dist[(dist.year == t.year) & (dist.indicator == "avg_criteria")].set_index("area_code")
        before = dist[(dist.year == t.year - 1) & (dist.indicator == "avg_criteria")].set_index("area_code")
        common = [a for a in now.index if a in before.index and not pd.isna(before.value[a])]
        if not common:
            yield _row(t, None, None, [t.cell],
                       _("each district +{low}–{high} criteria per commune in {year}: not checkable, no source "
                         "holds the districts' averages of {last_year}").format(
                           low=_n(t.value, 1), high=_n(t.value_max, 1), year=int(t.year),
                           last_year=int(t.year) - 1))
            continue
        for area in common:
            rise = now.value[area] - before.value[area]
            high = t.value_max if not pd.isna(t.value_max) else t.value
            ok = t.value - TOLERANCE <= rise <= high + TOLERANCE
            yield _row(t, rise, ok, [t.cell, now.cell[area], before.cell[area]],
                       _("{area}: the average criteria per commune rise by {rise}; the text asks "
                         "+{low}–{high}").format(area=ctx.area(area), rise=_n(rise), low=_n(t.value),
                                                 high=_n(t.value_max)), area_code=area)


@register("text_villages_implied", scope="text", place="all")
def check_villages(ctx: Context) -> Iterable[Row]:
    """Cumulative minus new villages: the implied count at the end of the
    year before (derived, not checked against anything)."""
    nt = _dated(ctx)
    for kind in ("model", "ntm"):
        for _i, total in nt[nt.indicator == f"{kind}_villages"].iterrows():
            new = nt[(nt.indicator == f"new_{kind}_villages") & (nt.year == total.year)]
            if new.empty:
                continue
            implied = total.value - new.value.iloc[0]
            yield _row(total, implied, True, [total.cell, new.cell.iloc[0]],
                       _("{indicator}: {total} by the end of {year} minus {new} new implies {implied} at the end "
                         "of {last_year} (derived)").format(
                           indicator=ctx.label(total.indicator), total=_n(total.value), year=int(total.year),
                           new=_n(new.value.iloc[0]), implied=_n(implied), last_year=int(total.year) - 1))
