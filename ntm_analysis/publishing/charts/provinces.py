"""``province_ranking``: the provinces of a build by their share of communes at the NTM
standard in one period (``analysis.province_overview``), the province of interest
highlighted, and the national share (``reference/context.csv``) marked only where the
national series has a point of the same date as the period (31 December of its year)."""
from __future__ import annotations

from typing import Callable

import pandas as pd
from matplotlib.figure import Figure

from ...analysis.common import Period
from ...formats import number as fmt
from ...i18n import _, use_language
from ...reference import Reference
from ...tables.provinces import PREFIXED, key_parts, keys_of
from ...units import province_name
from . import palette
from .base import annotate, figure_function, label, new_figure, period_label
from .base import source_line as make_source_line
from .context import month_label, national_series


def province_short(key: str, reference: Reference) -> str:
    """A province's name without "Tỉnh"/"Thành phố" ("Lào Cai", "Hà Nội"), from the gazetteer of its
    unit system: ``key`` is a ``provinces.province_key`` ("15": Yên Bái; "2025-15": the 2025 province,
    "Lào Cai (đơn vị 2025)")."""
    system, code = key_parts(key)
    name = (province_name(code, system) if system == PREFIXED else reference.area_name(code)) or code
    for prefix in ("Tỉnh ", "Thành phố "):
        if name.startswith(prefix):
            name = name[len(prefix):]
            break
    return _("{province} (units of 2025)").format(province=name) if system == PREFIXED else name


def _keys(rows: pd.DataFrame) -> pd.Series:
    """Each row's province key (its code, "2025-" before it for a province of the 2025 units)."""
    return keys_of(rows).reset_index(drop=True)


def shares_of(overview: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The overview rows of ``period`` that have an NTM share, highest share first
    (then by province code)."""
    rows = overview[(overview["year"] == period[0]) & (overview["status"] == period[1])
                    & overview["ntm_share_pct"].notna()]
    return rows.sort_values(["ntm_share_pct", "province_code"], ascending=[False, True]).reset_index(drop=True)


def ranking_period(overview: pd.DataFrame) -> Period | None:
    """The period the ranking shows by default: the one with an NTM share for the most
    provinces; on a tie an actual before a target (what was achieved), then the latest."""
    shared = overview[overview["ntm_share_pct"].notna()]
    if shared.empty:
        return None
    counts = shared.assign(_key=keys_of(shared)).groupby(["year", "status"])["_key"].nunique()
    return max(counts.index, key=lambda p: (counts[p], p[1] == "actual", p[0]))


def period_end(year: int) -> tuple[str, ...]:
    """How ``reference/context.csv`` writes the date of a period (the end of its year)."""
    return f"{year}-12-31", f"{year}-12"


def national_point(year: int, national: pd.DataFrame | None = None) -> pd.Series | None:
    """The national point of the same date as the end of ``year``, or None."""
    national = national_series() if national is None else national
    rows = national[national["as_of"].isin(period_end(year))]
    return rows.iloc[0] if len(rows) else None


@figure_function
def province_ranking(overview: pd.DataFrame, period: Period | None = None, highlight: str | None = None, *,
                     national: pd.DataFrame | None = None, lang: str = "vi", reference: Reference | None = None,
                     source_line: str = "", illustrative: bool = False) -> Figure:
    """The provinces by their share of communes at the NTM standard (%) in ``period``
    (default ``ranking_period``), highest first, ``highlight`` (a ``provinces.province_key``) in the
    highlight colour; a dashed line at the national share when ``national`` (default:
    ``reference/context.csv``) has a point dated the end of the period's year, which the
    source line then names. Raises ValueError with fewer than two provinces to rank."""
    period = period or ranking_period(overview)
    rows = shares_of(overview, period) if period else overview.iloc[0:0]
    if _keys(rows).nunique() < 2:
        raise ValueError("province_ranking: fewer than two provinces have an NTM share for the period")
    point = national_point(period[0], national)
    keys = _keys(rows)
    names = [province_short(k, reference) for k in keys]
    n = len(rows)
    size = max(6.5, min(15.0, 300 / n))
    headroom = max(0.6, 0.045 * n)  # bar heights above the first bar, for the national line's label
    fig = new_figure()
    ax = fig.add_subplot()
    y = list(range(n))[::-1]
    colours = [palette.HIGHLIGHT if k == highlight else palette.NEUTRAL for k in keys]
    ax.barh(y, rows["ntm_share_pct"], color=colours, height=0.7)
    ax.set_yticks(y, names, fontsize=size)
    for tick, key in zip(ax.get_yticklabels(), keys):
        if key == highlight:
            tick.set_fontweight("bold")
    for yi, (share, ntm, total) in enumerate(zip(rows["ntm_share_pct"], rows["ntm_communes"],
                                                 rows["total_communes"])):
        ax.text(share + 1, y[yi], f"{fmt(share, 1, lang, percent=True)} ({fmt(ntm, 0, lang)}/{fmt(total, 0, lang)})",
                va="center", ha="left", fontsize=size, color=palette.TEXT)
    ax.set_xlim(0, 115)
    ax.set_xticks(range(0, 101, 20), [fmt(v, 0, lang, percent=True) for v in range(0, 101, 20)], fontsize=14)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color=palette.NEUTRAL_LIGHT)
    ax.set_axisbelow(True)
    with use_language(lang):
        period_text = period_label(period[0], period[1], lang)
        top, bottom = rows.iloc[0], rows.iloc[-1]
        values = {"period": period_text, "n": fmt(keys.nunique(), 0, lang),
                  "top": province_short(keys.iloc[0], reference),
                  "top_share": fmt(top.ntm_share_pct, 1, lang, percent=True),
                  "bottom": province_short(keys.iloc[-1], reference),
                  "bottom_share": fmt(bottom.ntm_share_pct, 1, lang, percent=True)}
        if highlight in set(keys):
            ranks = rows["ntm_share_pct"].rank(ascending=False, method="min").astype(int)
            mine = rows.index[(keys == highlight).to_numpy()][0]
            subtitle = _("{period}: {province} ranks {rank} of {n} provinces by the share of communes at the "
                         "NTM standard ({share}); highest {top} ({top_share}), lowest {bottom} "
                         "({bottom_share}).").format(province=province_short(highlight, reference),
                                                     rank=fmt(ranks[mine], 0, lang),
                                                     share=fmt(rows.ntm_share_pct[mine], 1, lang, percent=True),
                                                     **values)
        else:
            subtitle = _("{period}: {n} provinces by the share of communes at the NTM standard; highest {top} "
                         "({top_share}), lowest {bottom} ({bottom_share}).").format(**values)
        sources = [source_line]
        if point is not None:
            ax.axvline(point.share_pct, color=palette.TEXT, linestyle="--", linewidth=1.5, zorder=3)
            ax.text(point.share_pct + 0.8, n - 0.4 + headroom / 2, _("whole country {share} ({date})").format(
                share=fmt(point.share_pct, 1, lang, percent=True), date=month_label(point.as_of, lang)),
                ha="left", va="center", fontsize=13, color=palette.TEXT,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 2})
            subtitle += " " + _("Whole country: {share} ({date}, {source}).").format(
                share=fmt(point.share_pct, 1, lang, percent=True), date=month_label(point.as_of, lang),
                source=point.source)
            sources.append(label("context_source_national", lang))
        title = _("Share of communes at the NTM standard by province, {period}").format(period=period_text)
        annotate(fig, title=title, subtitle=subtitle, unit=label("context_unit", lang),
                 source="; ".join(s for s in sources if s), illustrative=illustrative, lang=lang)
    ax.set_ylim(-0.6, n - 0.4 + (headroom if point is not None else 0))
    return fig


#: Up to this many documents are cited one by one on the ranking's source line.
CITED_ONE_BY_ONE = 4


def _truthy(values: pd.Series) -> pd.Series:
    return values.astype(str).str.strip().str.lower().isin(["true", "1"])


def ranking_job(overview: pd.DataFrame | None, highlight: str | None, sources: pd.DataFrame, *, lang: str = "vi",
                reference: Reference | None = None, period: Period | None = None
                ) -> tuple[str, Callable[[], Figure]] | None:
    """``("province_ranking", draw)`` when at least two provinces have an NTM share for
    the period (default ``ranking_period``), else None. ``sources``: the build's
    ``sources.csv`` rows (source_id, citation, illustrative); the figure cites the
    documents behind the period's rows (one by one up to ``CITED_ONE_BY_ONE``, else how
    many) and is marked illustrative when one of them is."""
    if overview is None or overview.empty:
        return None
    period = period or ranking_period(overview)
    rows = shares_of(overview, period) if period else overview.iloc[0:0]
    if _keys(rows).nunique() < 2:
        return None
    ids = {s for cell in rows["source_id"].dropna() for s in str(cell).split("; ")}
    cited = sources[sources["source_id"].astype(str).isin(ids)] if len(sources) else sources
    citations = list(dict.fromkeys(str(c) for c in cited.get("citation", pd.Series(dtype=str)).dropna()
                                   if str(c).strip()))
    if len(citations) <= CITED_ONE_BY_ONE:
        line = make_source_line(citations, lang)
    else:
        with use_language(lang):
            line = _("Source: the plans of {provinces} provinces ({documents} documents, listed in "
                     "sources.csv)").format(provinces=fmt(_keys(rows).nunique(), 0, lang),
                                             documents=fmt(len(cited), 0, lang))
    illustrative = bool(len(cited)) and bool(_truthy(cited["illustrative"]).any()) \
        if "illustrative" in cited else False

    def draw() -> Figure:
        return province_ranking(overview, period, highlight, lang=lang, reference=reference, source_line=line,
                                illustrative=illustrative)
    return "province_ranking", draw
