"""Commune-level figures: the wall chart (every commune × every criterion, met /
not met / not assessed; the province on an A3 landscape poster, each district on
a slide), the communes closest to the standard with the criteria they miss, and
the criteria that hold the near communes back.

The wall chart is a seaborn heatmap. Met, not met and not assessed are dark
green, light orange and white (hatched): three different greys when printed in
black and white.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from ...analysis.commune_readiness import CRITERIA
from ...criteria_sets import criteria_sets
from ...formats import join as join_names
from ...formats import number as fmt
from ...reading.metadata import citations
from ...reference import Reference, load_reference
from . import palette
from .base import (
    DPI,
    FIGSIZE,
    annotate,
    criterion_name,
    district_name,
    figure_function,
    label,
    new_figure,
    period_label,
    wrap,
)
from .base import source_line as make_source_line

#: A3 landscape in inches, and the resolution of its PNG (3307 × 2339 px).
A3 = (16.54, 11.69)
A3_DPI = 200
#: Wall-chart colours: met, not met, not assessed (luminance about 0,3 / 0,7 / 1: apart in grey too).
WALL_MET = "#1F6E5A"
WALL_NOT_MET = "#F2B774"
WALL_BLANK = "#FFFFFF"
_CMAP = ListedColormap([WALL_NOT_MET, WALL_MET])


def _period_rows(commune_criteria: pd.DataFrame, ready: pd.DataFrame, year: int, status: str,
                 district: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    cc = commune_criteria[(commune_criteria.year == year) & (commune_criteria.status == status)]
    r = ready[(ready.year == year) & (ready.status == status)]
    if district:
        cc, r = cc[cc.district_code == district], r[r.district_code == district]
    if r.empty:
        raise ValueError(f"no commune of {district or 'the table'} in {year} ({status})")
    return cc, r


def _count(cc: pd.DataFrame) -> int:
    """The number of criteria of the marks' set (19, or 10 for 2026–2030; ``criteria_sets``)."""
    known = criteria_sets().get(str(cc.criteria_set.iloc[0])) if "criteria_set" in cc and len(cc) else None
    return known.count if known is not None else CRITERIA


def _wall_rows(cc: pd.DataFrame, r: pd.DataFrame, lang: str, headers: bool, reference: Reference,
               count: int = CRITERIA) -> tuple[np.ndarray, list[str], list[int], list[str]]:
    """(matrix 1/0/NaN, row labels, header row positions, criteria-met texts); ``count`` criteria.
    Communes of the 2025 units (no district) are one group, without a heading."""
    wide = cc.pivot_table(index="commune_code", columns="criterion_id", values="criterion_met", aggfunc="first")
    wide = wide.reindex(columns=range(1, count + 1))
    order = r.sort_values(["district_code", "criteria_met", "commune"], ascending=[True, False, True])
    matrix, names, heads, counts = [], [], [], []
    for district, part in order.groupby("district_code", sort=True, dropna=False):
        if headers and pd.notna(district):
            heads.append(len(names))
            matrix.append([np.nan] * count)
            names.append(district_name(district, lang, reference).upper())
            counts.append("")
        for row in part.itertuples():
            values = wide.loc[row.commune_code] if row.commune_code in wide.index else [pd.NA] * count
            matrix.append([np.nan if pd.isna(v) else float(bool(v)) for v in values])
            names.append(row.commune.removeprefix("Xã "))
            counts.append(f"{row.criteria_met}" if row.criteria_assessed == count
                          else f"{row.criteria_met}/{row.criteria_assessed}")
    return np.array(matrix, dtype=float), names, heads, counts


def _draw_panel(ax, matrix: np.ndarray, names: list[str], heads: list[int], counts: list[str], lang: str,
                size: float) -> None:
    import seaborn as sns  # noqa: PLC0415  (seaborn loads pyplot: only when a wall chart is drawn)

    blank = np.isnan(matrix)
    for i in heads:
        blank[i, :] = False
    sns.heatmap(matrix, ax=ax, cmap=_CMAP, vmin=0, vmax=1, cbar=False, linewidths=0.6, linecolor="white",
                square=False, xticklabels=[label("criterion_short", lang, n=i) for i in range(1, matrix.shape[1] + 1)],
                yticklabels=names)
    ax.set_facecolor(WALL_BLANK)
    for (i, j) in zip(*np.nonzero(blank)):  # not assessed: hatched white, with an outline
        ax.add_patch(Rectangle((j + 0.04, i + 0.04), 0.92, 0.92, facecolor=WALL_BLANK,
                               edgecolor=palette.NEUTRAL, hatch="////", linewidth=0.5))
    ax.tick_params(axis="y", length=0, labelsize=size, pad=2, rotation=0)
    ax.tick_params(axis="x", length=0, labelsize=size, top=True, labeltop=True, bottom=False, labelbottom=False,
                   rotation=0)
    for i in heads:
        ax.get_yticklabels()[i].set_fontweight("bold")
        ax.axhline(i, color=palette.TEXT, linewidth=1.2)
    for i, text in enumerate(counts):
        ax.text(matrix.shape[1] + 0.3, i + 0.5, text, va="center", ha="left", fontsize=size, color=palette.TEXT)
    ax.set_xlabel("")
    ax.set_ylabel("")


def _legend(fig: Figure, lang: str, size: float) -> None:
    handles = [Patch(facecolor=WALL_MET, label=label("wall_met", lang)),
               Patch(facecolor=WALL_NOT_MET, label=label("wall_not_met", lang)),
               Patch(facecolor=WALL_BLANK, edgecolor=palette.NEUTRAL, hatch="////", label=label("wall_blank", lang))]
    fig.legend(handles=handles, loc="upper right", ncols=3, fontsize=size, frameon=False,
               bbox_to_anchor=(0.99, 0.905))


def _counts_text(r: pd.DataFrame) -> dict[str, int]:
    return {"ntm": int((r.state == "ntm").sum()), "near": int((r.state == "near").sum()),
            "partial": int((r.state == "partial").sum()), "n": len(r)}


@figure_function
def commune_wall(commune_criteria: pd.DataFrame, ready: pd.DataFrame, year: int, status: str,
                 district: str | None = None, *, lang: str = "vi", source_line: str = "",
                 illustrative: bool = False, reference: Reference | None = None) -> Figure:
    """The wall chart of one period: one row per commune (grouped by district,
    most criteria met first), one column per criterion. The whole province in
    two panels side by side (save at ``A3``), or one district (a slide)."""
    cc, r = _period_rows(commune_criteria, ready, year, status, district)
    period = period_label(year, status, lang)
    count = _count(cc)
    if district:
        fig = new_figure()
        title = label("wall_title_district", lang, district=district_name(district, lang, reference), period=period)
        matrix, names, heads, counts = _wall_rows(cc, r, lang, False, reference, count)
        _draw_panel(fig.add_subplot(), matrix, names, heads, counts, lang, 13)
        _legend(fig, lang, 13)
    else:
        fig = new_figure()
        fig.set_size_inches(*A3)
        title = label("wall_title", lang, period=period)
        matrix, names, heads, counts = _wall_rows(cc, r, lang, True, reference, count)
        # two panels split at the district boundary closest to the middle: each starts with a heading
        half = min(heads[1:] or [(len(names) + 1) // 2], key=lambda h: abs(h - len(names) / 2))
        axes = fig.subplots(1, 2, gridspec_kw={"wspace": 0.12})
        for ax, part in zip(axes, (slice(0, half), slice(half, len(names)))):
            _draw_panel(ax, matrix[part], names[part], [h - part.start for h in heads if part.start <= h < (
                part.stop or len(names))], counts[part], lang, 7.2)
        rows = max(half, len(names) - half)
        for ax in axes:
            ax.set_ylim(rows, 0)
        _legend(fig, lang, 11)
    new_units = "district_code" in r and bool(r.district_code.isna().all())  # the 2025 units: no district
    if count == CRITERIA and not new_units:
        subtitle, note = label("wall_subtitle", lang, **_counts_text(r)), label("wall_note", lang)
    else:
        subtitle = label("wall_subtitle_set", lang, count=count, **_counts_text(r))
        note = label("wall_note_2025" if new_units else "wall_note_set", lang, count=count)
    annotate(fig, title=title, subtitle=subtitle, note=note, source=source_line, illustrative=illustrative,
             lang=lang)
    return fig


def _criteria_names(ids: str, names: dict[int, str], lang: str, reference: Reference) -> list[str]:
    return [f"{label('criterion_short', lang, n=i)} {criterion_name(names.get(int(i), ''), lang, reference)}"
            for i in ids.split(";") if i]


@figure_function
def near_communes(ready: pd.DataFrame, criteria_names: dict[int, str], year: int, status: str, *,
                  lang: str = "vi", source_line: str = "", illustrative: bool = False, top: int = 20,
                  reference: Reference | None = None) -> Figure:
    """The communes closest to the standard (fully assessed, 1–3 criteria
    unmet), criteria met as bars, the missing criteria named beside each bar."""
    r = ready[(ready.year == year) & (ready.status == status) & (ready.state == "near")]
    period = period_label(year, status, lang)
    fig = new_figure()
    ax = fig.add_subplot()
    if r.empty:
        ax.set_axis_off()
        subtitle = label("near_none", lang, period=period)
    else:
        r = r.sort_values(["criteria_unmet", "district_code", "commune"]).head(top).iloc[::-1]
        y = np.arange(len(r))
        ax.barh(y, r.criteria_met, color=palette.COMPARE, height=0.65)
        ax.set_yticks(y, [f"{c.removeprefix('Xã ')} ({district_name(d, lang, reference)})"
                          for c, d in zip(r.commune, r.district_code)], fontsize=13)
        for yi, (met, missing) in enumerate(zip(r.criteria_met, r.missing)):
            ax.text(met - 0.2, yi, fmt(met, 0, lang), ha="right", va="center", color="white", fontsize=12,
                    fontweight="bold")
            text = wrap(label("near_missing", lang,
                              criteria=", ".join(_criteria_names(missing, criteria_names, lang, reference))), 12, 6.2)
            if text.count("\n") > 1:  # more than two lines would run into the next row: the criteria by number
                text = wrap(label("near_missing", lang, criteria=", ".join(
                    label("criterion_short", lang, n=i) for i in missing.split(";") if i)), 12, 6.2)
            ax.text(CRITERIA + 0.3, yi, text, va="center", fontsize=12, color=palette.TEXT, linespacing=1.1)
        ax.set_xlim(0, CRITERIA + 18)
        ax.set_xticks([0, 5, 10, 15, CRITERIA])
        ax.axvline(CRITERIA, color=palette.NEUTRAL, linewidth=1, linestyle="--")
        ax.set_xlabel(label("near_axis", lang))
        ax.spines[["top", "right"]].set_visible(False)
        ids = pd.Series([i for m in r.missing for i in m.split(";") if i]).value_counts()
        most = ids[ids == ids.max()].index.tolist()
        n_near = len(ready[(ready.year == year) & (ready.status == status) & (ready.state == "near")])
        subtitle = label("near_subtitle", lang, n=n_near,
                         criteria=join_names(_criteria_names(";".join(sorted(most, key=int)), criteria_names,
                                                             lang, reference), lang))
        if n_near > len(r):  # say which of them are drawn
            subtitle += " " + label("near_shown", lang, shown=len(r), n=n_near)
    annotate(fig, title=label("near_title", lang, period=period), subtitle=subtitle, source=source_line,
             unit=label("unit", lang, unit=label("near_axis", lang).lower()), illustrative=illustrative, lang=lang)
    return fig


@figure_function
def blocking_criteria(blocking: pd.DataFrame, criteria_names: dict[int, str], year: int, status: str, *,
                      near_total: int, lang: str = "vi", source_line: str = "", illustrative: bool = False,
                      reference: Reference | None = None) -> Figure:
    """For each criterion, how many of the communes close to the standard lack it
    (``communes.readiness.blocking_criteria``), most first."""
    b = blocking[(blocking.year == year) & (blocking.status == status)]
    if b.empty:
        raise ValueError(f"no commune close to the standard in {year} ({status})")
    b = b.sort_values(["near_communes", "criterion_id"], ascending=[True, False])
    period = period_label(year, status, lang)
    fig = new_figure()
    ax = fig.add_subplot()
    y = np.arange(len(b))
    top = b.near_communes.max()
    colours = [palette.HIGHLIGHT if n == top else palette.NEUTRAL for n in b.near_communes]
    ax.barh(y, b.near_communes, color=colours, height=0.65)
    ax.set_yticks(y, [f"{label('criterion_short', lang, n=i)} "
                      f"{criterion_name(criteria_names.get(i, ''), lang, reference)}" for i in b.criterion_id],
                  fontsize=14)
    for yi, (n, names) in enumerate(zip(b.near_communes, b.communes)):
        short = ", ".join(x.removeprefix("Xã ") for x in names.split("; "))
        ax.text(n + 0.1, yi, wrap(f"{fmt(n, 0, lang)}: {short}", 12, 6.5), va="center", fontsize=12,
                color=palette.TEXT, linespacing=1.1)
    ax.set_xlim(0, top * 2.4 + 1)
    ax.xaxis.set_visible(False)
    ax.spines[["top", "right", "bottom"]].set_visible(False)
    most = sorted(int(i) for i in b[b.near_communes == top].criterion_id)
    subtitle = label("blocking_subtitle", lang, n=int(top), total=near_total,
                     criterion=join_names(_criteria_names(";".join(map(str, most)), criteria_names, lang, reference),
                                          lang))
    annotate(fig, title=label("blocking_title", lang, period=period), subtitle=subtitle, source=source_line,
             unit=label("unit", lang, unit=label("communes", lang)), illustrative=illustrative, lang=lang)
    return fig


def _latest(periods: list[tuple[int, str]]) -> tuple[int, str]:
    """The latest actual period, else the latest."""
    actual = [p for p in periods if p[1] == "actual"]
    return max(actual or periods)


@dataclass
class CommuneJob:
    """One commune figure to draw: its file stem, how to draw it, its size and resolution,
    the period and district it shows, and the sources of the commune rows it draws."""

    stem: str
    draw: Callable[[], Figure]
    size: tuple[float, float]
    dpi: int
    year: int
    status: str
    district: str | None
    source_ids: tuple[str, ...]


def _truthy(value: object) -> bool:
    return str(value).strip().lower() in ("true", "1")


def _by_district(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """The rows of the 2021 units' 19-criteria tables (no unit system said: 2021)."""
    if frame is None or "units" not in frame:
        return frame
    keep = frame.units.fillna("2021") == "2021"
    if "criteria_set" in frame:
        keep &= frame.criteria_set.fillna("") != "2026-2030"
    return frame[keep]


def _of_2025(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """The rows of the 2025 units' tables (communes and wards, no district)."""
    if frame is None or "units" not in frame:
        return None
    return frame[(frame.units == "2025").to_numpy(dtype=bool)].reset_index(drop=True)


def commune_jobs(tables, results: dict[str, pd.DataFrame], *, lang: str = "vi", source_line: str = "",
                 illustrative: bool = False, reference: Reference | None = None,
                 sources: pd.DataFrame | None = None) -> list[CommuneJob]:
    """Every commune figure the commune table allows, in order: per period the wall chart
    (A3) ``commune_wall_{year}_{status}``, ``commune_near_…`` and ``commune_blocking_…``;
    for the latest actual period (else the latest) each district's wall
    ``commune_wall_{district}_{year}_{status}``.

    ``reference``: the build's (``build --reference``; the package's when None): names of
    districts and criteria and the criteria set of a year come from it. ``sources``: the
    build's sources (source_id, citation, illustrative): each figure then cites only the
    commune tables it draws (the sources of its period's, or district's, commune rows) and
    is marked illustrative only when one of them is; without it every figure takes
    ``source_line`` and ``illustrative``."""
    all_cc = tables.commune_criteria if hasattr(tables, "commune_criteria") else tables["commune_criteria"]
    all_ready = results.get("commune_readiness")
    cc, ready = _by_district(all_cc), _by_district(all_ready)  # these figures lay the communes out by district
    new_cc, new_ready = _of_2025(all_cc), _of_2025(all_ready)  # the 2025 units: the wall chart alone
    if (cc is None or cc.empty or ready is None or ready.empty) and (new_cc is None or new_cc.empty):
        return []
    reference = reference or load_reference()
    known = sources if sources is not None and len(sources) else None
    citation = citations(known) if known is not None else {}
    marked = {str(i) for i, flag in zip(known["source_id"], known["illustrative"]) if _truthy(flag)} \
        if known is not None else set()
    periods = sorted({(int(y), str(s)) for y, s in zip(ready.year, ready.status)}) if ready is not None else []
    blocking = results.get("commune_blocking_criteria")
    jobs: list[CommuneJob] = []

    def add(stem: str, make: Callable[..., Figure], year: int, status: str, district: str | None,
            size: tuple[float, float] = FIGSIZE, dpi: int = DPI, marks: pd.DataFrame | None = None) -> None:
        marks = cc if marks is None else marks
        rows = marks[(marks.year == year) & (marks.status == status)]
        if district:
            rows = rows[rows.district_code == district]
        ids = tuple(dict.fromkeys(str(s) for s in rows.source_id))
        if known is not None:
            line = make_source_line([citation.get(i) or i for i in ids], lang)
            flag = any(i in marked for i in ids)
        else:
            line, flag = source_line, illustrative
        common = {"lang": lang, "source_line": line, "illustrative": flag, "reference": reference}
        jobs.append(CommuneJob(stem, lambda: make(**common), size, dpi, year, status, district, ids))

    for year, status in periods:
        crit = reference.criteria[reference.criteria.criteria_set == reference.criteria_set_for(year)]
        names = dict(zip(crit.criterion_id.astype(int), crit.criterion))
        tag = f"{year}_{status}"
        add(f"commune_wall_{tag}", partial(commune_wall, cc, ready, year, status), year, status, None, A3, A3_DPI)
        add(f"commune_near_{tag}", partial(near_communes, ready, names, year, status), year, status, None)
        if blocking is not None and len(blocking[(blocking.year == year) & (blocking.status == status)]):
            near_total = int(((ready.year == year) & (ready.status == status) & (ready.state == "near")).sum())
            add(f"commune_blocking_{tag}", partial(blocking_criteria, blocking, names, year, status,
                                                   near_total=near_total), year, status, None)
        if (year, status) == _latest(periods):
            for district in sorted(set(ready[(ready.year == year) & (ready.status == status)].district_code)):
                add(f"commune_wall_{district}_{tag}", partial(commune_wall, cc, ready, year, status, district),
                    year, status, district)
    if new_cc is not None and len(new_cc) and new_ready is not None and len(new_ready):
        for year, status in sorted({(int(y), str(s)) for y, s in zip(new_ready.year, new_ready.status)}):
            add(f"commune_wall_{year}_{status}", partial(commune_wall, new_cc, new_ready, year, status), year,
                status, None, A3, A3_DPI, marks=new_cc)
    return jobs


def draw_communes(tables, results: dict[str, pd.DataFrame], out_dir, *, lang: str = "vi", source_line: str = "",
                  illustrative: bool = False, reference: Reference | None = None,
                  sources: pd.DataFrame | None = None, workers: int = 1) -> list:
    """Every commune figure of ``commune_jobs`` (same arguments), saved into ``out_dir``
    (by ``workers`` processes, see ``charts.save_jobs``); returns the files written."""
    from . import save_jobs  # noqa: PLC0415  (the charts package imports this module: a circle)

    jobs = commune_figure_jobs(tables, results, lang=lang, source_line=source_line, illustrative=illustrative,
                               reference=reference, sources=sources)
    return save_jobs(jobs, out_dir, workers)


def commune_figure_jobs(tables, results: dict[str, pd.DataFrame], **options) -> list[tuple[str, Callable[[], Figure],
                                                                                          dict]]:
    """The figures of ``commune_jobs`` (same keyword arguments) as (stem, draw, save options)
    jobs for ``charts.save_jobs`` (``save_figure(draw(), stem, folder, **options)``)."""
    return [(job.stem, job.draw, {"size": job.size, "dpi": job.dpi}) for job in commune_jobs(tables, results,
                                                                                             **options)]
