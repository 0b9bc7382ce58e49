"""``province_timeline``: a 2025 province's share of communes at the NTM standard over the
years (``communes.successors.province_timeline``), the reform of 1 July 2025 and the criteria
sets in force marked. Shares under different sets are points of one line only as counts of
communes at the standard: the 19 and the 10 criteria never compare one by one."""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from ...criteria_sets import criteria_sets
from ...formats import number as fmt
from ...reading.metadata import citations
from ...units import provinces_2025
from . import palette
from .base import annotate, figure_function, label, new_figure, period_label
from .base import source_line as make_line


@figure_function
def province_timeline_chart(timeline: pd.DataFrame, province_code: str, *, lang: str = "vi",
                            source_line: str = "", illustrative: bool = False, reference=None) -> Figure:
    """The NTM share (%) of ``province_code`` (a 2025 code) per year of ``timeline``; a blank
    share (some commune not assessed) is left out, an incomplete year drawn hollow."""
    rows = timeline[timeline.province_code == province_code] if "province_code" in timeline else timeline
    rows = rows.sort_values(["year", "status"])
    points = rows[rows.ntm_share_pct.notna()]
    if points.empty:
        raise ValueError("province_timeline_chart: no year with a share")
    fig = new_figure()
    ax = fig.add_subplot()
    first_year, last_year = int(rows.year.min()), int(rows.year.max())
    shade = (palette.NEUTRAL_LIGHT, "white")
    for i, cset in enumerate(criteria_sets().values()):
        lo, hi = max(cset.first_year, first_year), min(cset.last_year, last_year)
        if lo > hi:
            continue
        ax.axvspan(max(lo - 0.5, first_year - 0.7), min(hi + 0.5, last_year + 0.7), color=shade[i % 2], alpha=0.6,
                   zorder=0)
        ax.text((lo + hi) / 2, 101, label("timeline_set", lang, name=cset.name.replace("-", "–")), ha="center",
                va="bottom", fontsize=13, color=palette.TEXT_MUTED)
    ax.axvline(2025.5, color=palette.HIGHLIGHT, linewidth=2.5, linestyle="--", zorder=1)
    ax.text(2025.55, 4, label("timeline_reform", lang), rotation=90, va="bottom", ha="left", fontsize=13,
            color=palette.HIGHLIGHT)
    ax.plot(points.year, points.ntm_share_pct, color=palette.COMPARE, linewidth=2, linestyle=":", zorder=2)
    for row in points.itertuples():
        full = bool(row.complete)
        ax.scatter([row.year], [row.ntm_share_pct], s=170, zorder=3, color=palette.COMPARE if full else "white",
                   edgecolors=palette.COMPARE, linewidths=2.5)
        ax.annotate(f"{fmt(row.ntm_share_pct, 1, lang, percent=True, trim=True)}\n"
                    f"{fmt(row.ntm_communes, 0, lang)}/{fmt(row.communes, 0, lang)}", (row.year, row.ntm_share_pct),
                    xytext=(0, 16), textcoords="offset points", ha="center", va="bottom", fontsize=14,
                    fontweight="bold", color=palette.COMPARE)
    ax.set_ylim(0, 108)
    ax.set_yticks(range(0, 101, 20), [fmt(v, 0, lang, percent=True) for v in range(0, 101, 20)], fontsize=14)
    ax.set_xlim(first_year - 0.7, last_year + 0.7)
    ax.set_xticks(range(first_year, last_year + 1), [str(y) for y in range(first_year, last_year + 1)],
                  fontsize=14)
    ax.grid(axis="y", color=palette.NEUTRAL_LIGHT)
    first, last = points.iloc[0], points.iloc[-1]

    def units(value: str) -> str:
        return label(f"timeline_units_{value}", lang)
    subtitle = label("timeline_subtitle", lang, first_period=period_label(int(first.year), first.status, lang),
                     first_share=fmt(first.ntm_share_pct, 1, lang, percent=True, trim=True),
                     first_n=fmt(first.ntm_communes, 0, lang), first_total=fmt(first.communes, 0, lang),
                     first_units=units(first.units),
                     last_period=period_label(int(last.year), last.status, lang),
                     last_share=fmt(last.ntm_share_pct, 1, lang, percent=True, trim=True),
                     last_n=fmt(last.ntm_communes, 0, lang), last_total=fmt(last.communes, 0, lang),
                     last_units=units(last.units))
    annotate(fig, title=label("timeline_title", lang, province=_name(rows, lang)), subtitle=subtitle,
             unit=label("timeline_unit", lang), note=label("timeline_note", lang), source=source_line,
             illustrative=illustrative, lang=lang)
    return fig


def _name(rows: pd.DataFrame, lang: str) -> str:
    """The 2025 province of the timeline's rows in ``lang`` ("Tỉnh Lào Cai", "Lào Cai province": the
    English form of ``units.provinces_2025``); the rows' own name when the list does not hold it."""
    name = str(rows.province.iloc[0])
    if lang == "vi":
        return name
    listed = provinces_2025()
    hit = listed[listed.province == name]
    return str(hit.province_en.iloc[0]) if len(hit) else name


def timeline_jobs(results, *, lang: str = "vi", source_line: str = "", illustrative: bool = False,
                  reference=None, sources: pd.DataFrame | None = None) -> list[tuple[str, object, dict]]:
    """One ``province_timeline_{code}`` job per 2025 province of ``results["province_timeline"]``
    with a share in at least one year; each cites (and is marked illustrative by) the commune
    tables its rows sum. ``results`` of one province may have lost ``province_code``."""
    timeline = results.get("province_timeline") if results else None
    if timeline is None or timeline.empty or not timeline.ntm_share_pct.notna().any():
        return []
    if "province_code" not in timeline:
        timeline = timeline.assign(province_code="")
    cites = citations(sources) if sources is not None and len(sources) else {}
    marked = set()
    if sources is not None and len(sources):
        marked = {str(i) for i, flag in zip(sources["source_id"], sources["illustrative"])
                  if str(flag).strip().lower() in ("true", "1")}
    jobs = []
    for code, rows in timeline.groupby("province_code"):
        if not rows.ntm_share_pct.notna().any():
            continue
        ids = sorted({s.strip() for text in rows.sources for s in str(text).split(";") if s.strip()})
        line = make_line([cites.get(i, i) for i in ids], lang) if cites else source_line
        flag = bool(marked & set(ids)) if cites else illustrative

        def draw(rows=rows, code=code, line=line, flag=flag):
            return province_timeline_chart(rows, code, lang=lang, source_line=line, illustrative=flag,
                                           reference=reference)
        jobs.append((f"province_timeline_{code}" if code else "province_timeline", draw, {}))
    return jobs
