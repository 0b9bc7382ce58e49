"""The speaker notes: the numbers behind each slide's finding, each with its cell,
and the documents' inconsistencies in words."""
from __future__ import annotations

from typing import Callable

import pandas as pd

from ... import units
from ...formats import join, number
from ...i18n import _, use_language
from ...reference import Reference, is_province, load_reference
from ...tables.provinces import keys_of
from ...text import fold, place_text
from ..charts.base import criterion_label, district_name, indicator_info, label, period_label
from ..charts.context import national_series
from ..charts.provinces import province_short, shares_of
from .data import DeckData, _periods


# ---------------------------------------------------------------- notes -----
def _row_line(what: str, row: pd.Series, value: float, decimals: int, unit: str, lang: str,
              multi: bool = False) -> str:
    """"10. Thu nhập, 2021 (kế hoạch): 77 xã (Biểu 01!E24)"; with several
    sources the cell is prefixed with its source id."""
    period = period_label(int(row.year), str(row.status), lang)
    shown = number(value, decimals, lang) if pd.notna(value) else "–"
    cell = place_text(str(row.cell), lang)
    where = f"{row.source_id} › {cell}" if multi else cell
    return f"{what}, {period}: {shown} {unit} ({where})".replace("  ", " ")


def _criteria_lines(data: DeckData, ids: list[int], periods: list[tuple[int, str]], lang: str) -> list[str]:
    crit = data.tables.criteria
    lines = []
    for cid in ids:
        for year, status in periods:
            rows = crit[(crit.criterion_id == cid) & (crit.year == year) & (crit.status == status)]
            for _i, row in rows.iterrows():
                lines.append(_row_line(criterion_label(cid, row.criterion, lang, data.reference), row, row.communes, 0,
                                       label("communes", lang), lang, data.several_sources))
    return lines


def _province_lines(data: DeckData, indicators: list[str], periods: list[tuple[int, str]], lang: str) -> list[str]:
    prov = data.tables.province
    lines = []
    for indicator in indicators:
        info = indicator_info(indicator, lang, data.reference)
        for year, status in periods:
            rows = prov[(prov.indicator == indicator) & (prov.year == year) & (prov.status == status)]
            for _i, row in rows.iterrows():
                lines.append(
                    _row_line(
                        str(info["label"]),
                        row,
                        row.value,
                        int(info["decimals"]),
                        str(info["unit"]),
                        lang,
                        data.several_sources,
                    )
                )
    return lines


def _district_lines(data: DeckData, rows: pd.DataFrame, lang: str) -> list[str]:
    lines = []
    for _i, row in rows.iterrows():
        info = indicator_info(row.indicator, lang, data.reference)
        what = f"{district_name(row.area_code, lang, data.reference, row.area)} – {info['label']}"
        lines.append(
            _row_line(what, row, row.value, int(info["decimals"]), str(info["unit"]), lang, data.several_sources)
        )
    return lines


def _funding_lines(data: DeckData, rows: pd.DataFrame, lang: str) -> list[str]:
    return [
        _row_line(
            str(row.source), row, row.amount_million_vnd, 0, label("million_vnd", lang), lang, data.several_sources
        )
        for _i, row in rows.iterrows()
    ]


def _band_name(row: pd.Series, lang: str) -> str:
    """ "19 tiêu chí", "5–9 tiêu chí" (the chart labels of reference/labels.csv)."""
    lo, hi = int(row.min_criteria), int(row.max_criteria)
    return label("band_exact", lang, n=lo) if lo == hi else label("band_range", lang, lo=lo, hi=hi)


def _pair(data: DeckData) -> list[tuple[int, str]]:
    """The plan's comparison (base, compare periods), [] without one."""
    periods = _periods(data)
    return list(periods) if periods else []


def _criteria_gaps_notes(data: DeckData, lang: str) -> list[str]:
    pair = _pair(data)
    if not pair:
        return []
    compare, t = pair[-1], data.tables
    low = t.criteria[(t.criteria.year == compare[0]) & (t.criteria.status == compare[1])]
    ids = [int(i) for i in low.sort_values(["communes", "criterion_id"]).criterion_id.head(2)]
    return _criteria_lines(data, ids, pair, lang) + _province_lines(data, ["total_communes"], [compare], lang)


def _ceiling_notes(data: DeckData, lang: str) -> list[str]:
    pair = _pair(data)
    if not pair:
        return []
    compare, ceiling = pair[-1], data.results["ntm_ceiling"]
    part = ceiling[(ceiling.year == compare[0]) & (ceiling.status == compare[1])]
    ids = [int(i) for i in part.sort_values("role").criterion_id.head(2)]
    return _criteria_lines(data, ids, [compare], lang) + _province_lines(data, ["ntm_communes"], pair, lang)


def _bands_notes(data: DeckData, lang: str) -> list[str]:
    bands = data.tables.commune_bands
    keep = bands[bands.min_criteria.isin([bands.min_criteria.max(), bands.min_criteria.min()])]
    return [
        _row_line(_band_name(row, lang), row, row.communes, 0, label("communes", lang), lang, data.several_sources)
        for _i, row in keep.sort_values(["min_criteria", "year"], ascending=[False, True]).iterrows()
    ]


def _district_notes(status: str) -> Callable[[DeckData, str], list[str]]:
    """The notes of a district figure of ``status`` (target: the targets; actual: attainment)."""
    def notes(data: DeckData, lang: str) -> list[str]:
        d = data.tables.districts
        part = d[d.status == status]
        if part.empty:
            return []
        year = int(part.year.max())
        part = part[part.year == year]
        prov = part[is_province(part.area_code.astype(str))]
        picks = [prov[prov.indicator == i] for i in ("new_ntm_communes", "avg_criteria")]
        avg = part[(part.indicator == "avg_criteria") & ~is_province(part.area_code.astype(str))] \
            .dropna(subset="value")
        if not avg.empty:
            picks += [avg.loc[[avg.value.idxmin()]], avg.loc[[avg.value.idxmax()]]]
        return _district_lines(data, pd.concat(picks), lang)
    return notes


def _funding_notes(data: DeckData, lang: str) -> list[str]:
    f = data.tables.funding[data.tables.funding.status == "target"]
    payers = data.results.get("funding_by_payer", pd.DataFrame())
    central = payers.loc[payers.payer == "central", "label_vi"] if not payers.empty else []
    is_central = f.source.map(fold).isin([fold(c) for c in central])
    picks = [f[f.level.astype(int) == 0], f[f.is_leaf].nlargest(2, "amount_million_vnd"), f[is_central]]
    return _funding_lines(data, pd.concat(picks).drop_duplicates(subset=["year", "code"]).head(5), lang)


def _funding_pva_notes(data: DeckData, lang: str) -> list[str]:
    f = data.tables.funding
    top = f[f.is_leaf & (f.status == "target")].nlargest(1, "amount_million_vnd").code
    return _funding_lines(data, f[(f.level.astype(int) == 0) | f.code.isin(top)], lang)


def _pva_criteria_notes(data: DeckData, lang: str) -> list[str]:
    pva = data.results["plan_vs_actual_criteria"]
    year = int(pva.year.max())
    ids = [int(i) for i in pva[pva.year == year].sort_values("gap").criterion_id.head(2)]
    return _criteria_lines(data, ids, [(year, "target"), (year, "actual")], lang)


def _context_notes(data: DeckData, lang: str) -> list[str]:
    national = national_series()
    lines = _province_lines(data, ["ntm_communes", "total_communes"], _pair(data), lang)
    first = national.iloc[0]
    lines.append(
        f"{label('context_national', lang)}, {first.as_of}: "
        f"{number(first.share_pct, 1, lang, percent=True)} ({first.source}, "
        f"ntm_analysis/reference/context.csv)"
    )
    return lines


def _timeline_notes(data: DeckData, lang: str) -> list[str]:
    """The rows of ``province_timeline`` (year, unit system, criteria set, communes, NTM
    communes, share, complete), then the findings on comparing criteria sets and on
    incomplete years (``validation.csv``: ``criteria_sets_compared``, ``timeline_incomplete``)."""
    timeline = data.results.get("province_timeline", pd.DataFrame())
    lines = []
    with use_language(lang):
        for r in timeline.sort_values(["province_code", "year", "status"]).itertuples():
            if pd.notna(r.ntm_share_pct):
                share = number(r.ntm_share_pct, 1, lang, percent=True)
            else:
                share = _("no share: {assessed} of {communes} communes fully assessed").format(
                    assessed=number(r.communes_assessed, 0, lang), communes=number(r.communes, 0, lang))
            missing = join([units.province_name(c.strip(), "2021", lang) or c.strip()
                            for c in str(r.provinces_missing).split(";") if c.strip()], lang) \
                if pd.notna(r.provinces_missing) else ""
            complete = _("complete") if bool(r.complete) else (
                _("incomplete (missing: {missing})").format(missing=missing) if missing.strip() else _("incomplete"))
            lines.append(_("{period}, {units}, {criteria_set}: {ntm} of {communes} communes at the NTM standard, "
                           "{share}; {complete} ({sources})").format(
                period=period_label(int(r.year), str(r.status), lang), units=label(f"timeline_units_{r.units}", lang),
                criteria_set=label("timeline_set", lang, name=str(r.criteria_set).replace("-", "–")),
                ntm=number(r.ntm_communes, 0, lang), communes=number(r.communes, 0, lang), share=share,
                complete=complete, sources=str(r.sources)))
    checks = data.validation.get("check", pd.Series(dtype=str))
    found = data.validation[checks.isin(["criteria_sets_compared", "timeline_incomplete"])]
    return lines + [str(message) for message in found.get("message", [])]


#: The speaker notes of each briefing figure, by the figure's name (``charts.FIGURES``),
#: and of the national context.
FIGURE_NOTES: dict[str, Callable[[DeckData, str], list[str]]] = {
    "criteria_gaps": _criteria_gaps_notes,
    "ntm_ceiling": _ceiling_notes,
    "commune_bands": _bands_notes,
    "district_targets": _district_notes("target"),
    "funding_sources": _funding_notes,
    "district_attainment": _district_notes("actual"),
    "plan_vs_actual_criteria": _pva_criteria_notes,
    "funding_plan_vs_actual": _funding_pva_notes,
    "province_timeline": _timeline_notes,
    "national_context": _context_notes,
}


def figure_notes(data: DeckData, stem: str, lang: str = "vi") -> list[str]:
    """The three to five figures behind a figure's finding, each with its cell
    (:data:`FIGURE_NOTES`)."""
    notes = FIGURE_NOTES.get(stem)
    return notes(data, lang) if notes else []


def finding_lines(data: DeckData, lang: str = "vi") -> list[str]:
    """The documents' inconsistencies in plain words: the failing reconciliation
    findings of ``validation.csv`` and the source conflicts."""
    lines = []
    overview = data.results.get("district_overview", pd.DataFrame())
    for _i, row in data.validation.iterrows():
        if row.get("severity") not in ("error", "warning"):
            continue
        where = " › ".join(x for x in (row.get("file", ""), row.get("sheet", "")) if x)
        where += f"!{row['cell']}" if row.get("cell") else ""
        avg = overview[overview.indicator == "avg_criteria"] if not overview.empty else overview
        if row.get("check") == "weighted_average" and not avg.empty and "implied_province_value" in avg:
            districts = avg[~is_province(avg.area_code.astype(str))]
            lines.append(
                label(
                    "deck_finding_weighted",
                    lang,
                    sheet=row.get("sheet", ""),
                    n=len(districts),
                    implied=number(avg.implied_province_value.iloc[0], 2, lang),
                    stated=number(avg.province_value.iloc[0], 2, lang),
                    cell=row.get("cell", ""),
                )
            )
            continue
        lines.append(
            label(
                "deck_finding_other" if where else "deck_finding_unplaced",  # no file or cell: no "()"
                lang,
                severity=label(f"deck_severity_{row['severity']}", lang),
                where=where,
                message=row.get("message", ""),
            )
        )
    for _i, row in data.conflicts.iterrows():
        lines.append(conflict_line(row, lang, data.reference))
    return lines


def conflict_line(row: pd.Series, lang: str = "vi", reference: Reference | None = None) -> str:
    """One row of ``conflicts.csv`` in words: what, both values with their source
    and cell, and which one the build kept."""
    reference = reference or load_reference()
    key = dict(part.strip().split("=", 1) for part in str(row.get("key", "")).split(",") if "=" in part)
    decimals = 0
    what = str(row.get("table", ""))
    if "indicator" in key:
        info = indicator_info(key["indicator"], lang, reference)
        what, decimals = str(info["label"]), int(info["decimals"])
    elif "criterion_id" in key:
        what = criterion_label(int(key["criterion_id"]), "", lang, reference).rstrip(". ")
    if "year" in key and "status" in key:
        what += f", {period_label(int(key['year']), key['status'], lang)}"

    def value(side: str) -> str:
        amount = pd.to_numeric(row.get(f"{side}_value"), errors="coerce")
        shown = number(amount, decimals, lang) if pd.notna(amount) else str(row.get(f"{side}_value", ""))
        return f"{shown} ({row.get(f'{side}_source', '')}, {row.get(f'{side}_cell', '')})"

    return label(
        "deck_finding_conflict",
        lang,
        what=what,
        earlier=value("earlier"),
        later=value("later"),
        kept=row.get("kept", ""),
    )


def _where(rows: pd.DataFrame, several: bool, listed: bool = False) -> str:
    """"Bảng xã!D7 … Bảng xã!V7" (the first and last cell of ``rows``, which run along a
    row or a column), or with ``listed`` each cell ("Bảng xã!N99, Bảng xã!N115"); with
    the source id in front when the deck has several sources."""
    if rows.empty:
        return "–"
    first, last = str(rows["cell"].iloc[0]), str(rows["cell"].iloc[-1])
    cells = ", ".join(map(str, rows["cell"])) if listed else first if first == last else f"{first} … {last}"
    return f"{rows['source_id'].iloc[0]} › {cells}" if several else cells


def commune_notes(data: DeckData, job, lang: str = "vi") -> list[str]:
    """The three to five numbers behind a commune figure's finding, each with its cells
    in the commune table (``job``: a ``charts.communes.CommuneJob``)."""
    cc, ready = data.tables.commune_criteria, data.results.get("commune_readiness", pd.DataFrame())
    part = ready[(ready.year == job.year) & (ready.status == job.status)]
    rows = cc[(cc.year == job.year) & (cc.status == job.status)]
    if job.district:
        part, rows = part[part.district_code == job.district], rows[rows.district_code == job.district]
    several = data.several_sources
    crit = data.reference.criteria
    crit = crit[crit.criteria_set == data.reference.criteria_set_for(job.year)]  # as the figure names them
    names = dict(zip(crit.criterion_id.astype(int), crit.criterion))
    with use_language(lang):
        if job.stem.startswith("commune_wall"):
            counts = part["state"].value_counts()
            return [_("{what}: {n} communes").format(what=what, n=number(counts.get(state, 0), 0, lang))
                    for state, what in (("ntm", _("all 19 criteria met")), ("near", _("1–3 criteria missing")),
                                        ("far", _("more than 3 criteria missing")),
                                        ("partial", _("not fully assessed")))] \
                + [_("{n} communes in the table, cells {where}").format(n=number(len(part), 0, lang),
                                                                        where=_where(rows, several))]
        if job.stem.startswith("commune_near"):
            near = part[part.state == "near"].sort_values(["criteria_unmet", "district_code", "commune"]).head(4)
            lines = [_("communes close to the standard: {n}").format(
                n=number(int((part.state == "near").sum()), 0, lang))]
            for r in near.itertuples():
                missing = ", ".join(criterion_label(int(i), names.get(int(i), ""), lang, data.reference)
                                    for i in str(r.missing).split(";") if i)
                lines.append(_("{commune} ({district}): {met}/19 criteria, missing {missing} ({where})").format(
                    commune=r.commune, district=district_name(r.district_code, lang, data.reference),
                    met=number(r.criteria_met, 0, lang), missing=missing,
                    where=_where(rows[rows.commune_code == r.commune_code], several)))
            return lines
        blocking = data.results.get("commune_blocking_criteria", pd.DataFrame())
        top = blocking[(blocking.year == job.year) & (blocking.status == job.status)] \
            .sort_values(["near_communes", "criterion_id"], ascending=[False, True]).head(4)
        near_codes = set(part.loc[part.state == "near", "commune_code"])
        lines = [_("communes close to the standard: {n}").format(n=number(len(near_codes), 0, lang))]
        for r in top.itertuples():
            cells = rows[(rows.criterion_id == r.criterion_id) & rows.commune_code.isin(near_codes)
                         & (rows.criterion_met == False)]  # noqa: E712  (nullable: blank is not unmet)
            lines.append(_("{criterion}: missing in {n} of them ({where})").format(
                criterion=criterion_label(int(r.criterion_id), names.get(int(r.criterion_id), ""), lang,
                                          data.reference),
                n=number(r.near_communes, 0, lang), where=_where(cells, several, listed=True)))
        return lines


def ranking_notes(data: DeckData, period: tuple[int, str], lang: str = "vi") -> list[str]:
    """The numbers behind the ranking: the deck's province, the highest and the lowest,
    each with its NTM and total communes and their cells."""

    rows = shares_of(data.overview, period)
    rows = rows.assign(pkey=keys_of(rows))
    picks = rows[rows.pkey == data.province_code]
    picks = pd.concat([picks, rows.head(1), rows.tail(1)]).drop_duplicates(subset="pkey")
    lines = []
    with use_language(lang):
        for r in picks.itertuples():
            lines.append(_("{province}, {period}: {ntm}/{total} communes at the NTM standard, {share} "
                           "({source}: {cells})").format(
                province=province_short(r.pkey, data.reference), period=period_label(*period, lang),
                ntm=number(r.ntm_communes, 0, lang), total=number(r.total_communes, 0, lang),
                share=number(r.ntm_share_pct, 1, lang, percent=True), source=r.source_id, cells=r.cell))
    return lines
