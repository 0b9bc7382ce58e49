"""``national_context``: the province's share of communes at the NTM standard
against the national series of ``reference/context.csv`` (facts.md § 4), each
national point with its date and source."""
from __future__ import annotations

from datetime import date

import pandas as pd
from matplotlib.dates import DateFormatter, YearLocator
from matplotlib.figure import Figure

from ...config import REFERENCE_DIR
from ...formats import number as fmt
from . import palette
from .base import annotate, figure_function, label, new_figure, period_label


def national_series() -> pd.DataFrame:
    """The national series: ``as_of`` (date; a month means its first day),
    ``share_pct`` (% of all communes at the NTM standard), ``source``."""
    frame = pd.read_csv(REFERENCE_DIR / "context.csv", dtype={"as_of": str, "source": str}, encoding="utf-8")
    frame["date"] = [date.fromisoformat(s if len(s) == 10 else f"{s}-01") for s in frame["as_of"]]
    return frame


def month_label(as_of: str, lang: str = "vi") -> str:
    """"2021-04" -> "4/2021"; "2023-06-30" -> "30/6/2023" (day/month/year in both languages)."""
    parts = [int(p) for p in as_of.split("-")]
    return "/".join(str(p) for p in reversed(parts))


def province_points(province: pd.DataFrame) -> pd.DataFrame:
    """The province's share of communes at the standard per period of the tidy
    ``province`` table: year, status, ntm (communes), total (communes), share_pct
    (%), date (31 December of the year). Periods missing either figure are left out."""
    wide = province.pivot_table(index=["year", "status"], columns="indicator", values="value", aggfunc="first")
    rows = []
    for (year, status), row in wide.iterrows():
        ntm, total = row.get("ntm_communes"), row.get("total_communes")
        if pd.isna(ntm) or pd.isna(total) or not total:
            continue
        rows.append({"year": int(year), "status": str(status), "ntm": ntm, "total": total,
                     "share_pct": 100 * ntm / total, "date": date(int(year), 12, 31)})
    return pd.DataFrame(rows, columns=["year", "status", "ntm", "total", "share_pct", "date"])


def nearest_national(national: pd.DataFrame, when: date) -> pd.Series:
    """The national point closest in time to ``when``."""
    gaps = [abs((d - when).days) for d in national["date"]]
    return national.iloc[gaps.index(min(gaps))]


@figure_function
def national_context(province: pd.DataFrame, province_name: str, *, lang: str = "vi", source_line: str = "",
                     illustrative: bool = False) -> Figure:
    """The province's share of communes at the NTM standard (from the tidy
    ``province`` table, %) beside the national points (``reference/context.csv``).
    National points are not joined (each has its own source); the province's
    points, from its own documents, are joined, dashed towards a target."""
    national = national_series()
    points = province_points(province)
    if points.empty:
        raise ValueError("national_context: the province table holds no NTM and total communes")
    fig = new_figure()
    ax = fig.add_subplot()
    ax.scatter(national["date"], national["share_pct"], s=110, color=palette.NEUTRAL, zorder=3,
               label=label("context_national", lang))
    for _, row in national.iterrows():
        ax.annotate(f"{fmt(row.share_pct, 2, lang, percent=True, trim=True)}\n{month_label(row.as_of, lang)}"
                    f"\n{row.source}", (row.date, row.share_pct), xytext=(0, 14), textcoords="offset points",
                    ha="center", va="bottom", fontsize=11, color=palette.TEXT_MUTED)
    ax.plot(points["date"], points["share_pct"], color=palette.COMPARE, linestyle="--", linewidth=2, zorder=2)
    for _, row in points.iterrows():
        actual = row.status == "actual"
        ax.scatter([row.date], [row.share_pct], s=150, zorder=4, color=palette.COMPARE if actual else "white",
                   edgecolors=palette.COMPARE, linewidths=2.5)
        ax.annotate(f"{fmt(row.share_pct, 1, lang, percent=True, trim=True)}\n"
                    f"{period_label(row.year, row.status, lang)}", (row.date, row.share_pct), xytext=(0, -18),
                    textcoords="offset points", ha="center", va="top", fontsize=14, fontweight="bold",
                    color=palette.COMPARE)
    ax.scatter([], [], s=150, color=palette.COMPARE, label=province_name)
    ax.set_ylim(0, 100)
    ax.set_yticks(range(0, 101, 20), [fmt(v, 0, lang, percent=True) for v in range(0, 101, 20)], fontsize=14)
    first_year = min(min(d.year for d in national["date"]), int(points["year"].min()))
    last_year = max(max(d.year for d in national["date"]), int(points["year"].max()))
    ax.set_xlim(date(first_year, 7, 1), date(last_year, 12, 31))
    ax.xaxis.set_major_locator(YearLocator())
    ax.xaxis.set_major_formatter(DateFormatter("%Y"))
    ax.tick_params(axis="x", labelsize=14)
    ax.legend(loc="lower right", fontsize=14)
    ax.grid(axis="y", color=palette.NEUTRAL_LIGHT)

    base = points[points.status == "actual"]
    first = (base if not base.empty else points).iloc[0]
    nat = nearest_national(national, first.date)
    subtitle = label("context_subtitle", lang, period=period_label(first.year, first.status, lang),
                     province=province_name, lc_share=fmt(first.share_pct, 1, lang, percent=True, trim=True),
                     lc_n=fmt(first.ntm, 0, lang), lc_total=fmt(first.total, 0, lang),
                     nat_share=fmt(nat.share_pct, 1, lang, percent=True, trim=True),
                     nat_date=month_label(nat.as_of, lang))
    targets = points[points.status == "target"]
    if not targets.empty:
        last = targets.iloc[-1]
        subtitle += " " + label("context_target", lang, year=int(last.year),
                                share=fmt(last.share_pct, 1, lang, percent=True, trim=True))
    source = "; ".join(s for s in (source_line, label("context_source_national", lang)) if s)
    annotate(fig, title=label("context_title", lang), subtitle=subtitle, unit=label("context_unit", lang),
             note=label("context_note", lang), source=source, illustrative=illustrative, lang=lang)
    return fig
