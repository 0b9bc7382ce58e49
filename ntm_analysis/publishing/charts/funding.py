"""Figures of Biểu 03: who pays for the programme, and (with results) funds
mobilised against the plan, by payer."""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ...analysis import funding_by_payer
from ...analysis.common import periods
from ...formats import join, number, share
from ...reference import Reference, load_reference
from . import palette
from .base import annotate, figure_function, label, new_figure, period_label

#: Payers grouped by kind of money: public budgets, integrated programmes, non-state money.
PAYER_GROUPS = {"state": ("central", "provincial", "district", "commune"), "integrated": ("integrated",),
                "society": ("enterprises", "people", "credit")}


def _payer_names(frame: pd.DataFrame, lang: str) -> list[str]:
    return [str(v) for v in frame[f"label_{lang}"]]


def _pct(value: float, lang: str) -> str:
    return share(value, 1, lang, trim=False)


def _money(value: float, lang: str) -> str:
    return f"{number(value, 0, lang)} {label('million_vnd', lang)}"


def _group_of(payer: str) -> str:
    return next((g for g, members in PAYER_GROUPS.items() if payer in members), "other")


# ------------------------------------------------------------ funding_sources --
@figure_function
def funding_sources(by_payer: pd.DataFrame, per_commune: pd.DataFrame | None = None, *, lang: str = "vi",
                    reference: Reference | None = None,
                    source_line: str = "", illustrative: bool = False) -> Figure:
    """Who pays: the plan's funding by payer (``analysis.funding_by_payer``) in
    million VND with shares of the sum of its lines (``share_of_leaf_total``),
    grouped into state budgets, integrated programmes, and enterprises and people
    (largest group first, largest payer first within it). With
    ``analysis.funding_per_commune``, the amount per commune to reach NTM."""
    if by_payer.empty:
        raise ValueError("funding_sources: no funding to draw")
    order = dict(zip(reference.payers["payer"], reference.payers["order"].astype(int)))
    data = by_payer.assign(order=by_payer["payer"].map(order).fillna(99)).sort_values(
        ["amount_million_vnd", "order"], ascending=[False, True]).reset_index(drop=True)
    total = float(data["amount_million_vnd"].sum())
    data = data.assign(group=data["payer"].map(_group_of))
    groups = data.groupby("group", sort=False)["share_of_leaf_total"].sum().sort_values(ascending=False)
    fig = new_figure()
    ax = fig.add_subplot()
    biggest = float(data["amount_million_vnd"].max())
    y, ticks = 0.0, []
    for group, group_share in groups.items():
        members = data[data["group"] == group]
        amount = members["amount_million_vnd"].sum()
        ax.text(0, y, f"{label('payer_group_' + group, lang)}: {_money(amount, lang)} ({_pct(group_share, lang)})",
                ha="left", va="center", fontsize=16, fontweight="bold", color=palette.TEXT)
        ticks.append((y, ""))
        y += 0.85
        for _, row in members.iterrows():
            ax.barh(y, row["amount_million_vnd"], color=palette.payer_colour(row["payer"]), height=0.66)
            ax.text(row["amount_million_vnd"] + biggest * 0.012, y,
                    f"{_money(row['amount_million_vnd'], lang)}  ·  {_pct(row['share_of_leaf_total'], lang)}",
                    ha="left", va="center", fontsize=15, color=palette.TEXT)
            ticks.append((y, str(row[f"label_{lang}"])))
            y += 0.85
        y += 0.25
    ax.set_yticks([t[0] for t in ticks], [t[1] for t in ticks], fontsize=15)
    ax.set_ylim(y - 0.6, -0.5)
    ax.set_xlim(0, biggest * 1.38)
    ax.xaxis.set_visible(False)
    ax.spines[["bottom", "left"]].set_visible(False)
    ax.tick_params(axis="y", length=0, pad=8)

    top = data.head(2)
    subtitle = label("funding_subtitle", lang, total=number(total, 0, lang),
                     top=join([f"{n} ({_pct(s, lang)})" for n, s in zip(_payer_names(top, lang),
                                                                               top["share_of_leaf_total"])], lang),
                     share=_pct(top["share_of_leaf_total"].sum(), lang))
    central = data[data["payer"] == "central"]
    if len(central):
        subtitle += " " + label("funding_central", lang, amount=number(central["amount_million_vnd"].iloc[0], 0, lang),
                                share=_pct(central["share_of_leaf_total"].iloc[0], lang))
    period = None
    if per_commune is not None and not per_commune.empty:
        rows = per_commune[per_commune["status"] == "target"]
        row = (rows if len(rows) else per_commune).sort_values("year").iloc[-1]
        period = (int(row["year"]), str(row["status"]))
        if pd.notna(row["million_vnd_per_new_ntm_commune"]):
            subtitle += " " + label(
                "funding_per_commune",
                lang,
                value=number(row["million_vnd_per_new_ntm_commune"], 0, lang),
                n=number(row["new_ntm_communes"], 0, lang),
            )
    title = (
        label("funding_title", lang, period=period_label(*period, lang=lang))
        if period
        else label("funding_title_plain", lang)
    )
    annotate(
        fig,
        title=title,
        subtitle=subtitle,
        unit=label("unit", lang, unit=label("million_vnd", lang)),
        source=source_line,
        illustrative=illustrative,
        lang=lang,
    )
    return fig


# ------------------------------------------------------ funding_plan_vs_actual --
def _year_with_results(funding: pd.DataFrame) -> int | None:
    found = periods(funding)
    years = [y for y, s in found if s == "actual" and (y, "target") in found]
    return max(years) if years else None


def mobilised_reported(funding: pd.DataFrame) -> tuple[int | None, bool]:
    """The latest year with a funding plan and results, and whether those results
    report any mobilised amount (blank cells are not zeros)."""
    year = _year_with_results(funding)
    if year is None:
        return None, False
    actual = funding[(funding["year"] == year) & (funding["status"] == "actual")]
    return year, bool(actual["amount_million_vnd"].notna().any())


@figure_function
def funding_plan_vs_actual(
    funding: pd.DataFrame,
    reference: Reference | None = None,
    *,
    lang: str = "vi",
    source_line: str = "",
    illustrative: bool = False,
) -> Figure:
    """Funds mobilised against the plan, by payer, for the latest year with both
    (``analysis.funding_by_payer`` of the target and of the actual period, tidy
    ``funding`` table in): the plan as an outlined bar, the result filled inside it."""
    year = _year_with_results(funding)
    if year is None:
        raise ValueError("funding_plan_vs_actual: no year has both a funding plan and results")
    if not mobilised_reported(funding)[1]:
        raise ValueError(f"funding_plan_vs_actual: the {year} results report no mobilised amounts")
    reference = reference or load_reference()
    plan = funding_by_payer(funding, reference, period=(year, "target"))
    actual = funding_by_payer(funding, reference, period=(year, "actual"))
    data = plan.merge(actual[["payer", "amount_million_vnd"]], on="payer", how="outer", suffixes=("_plan", "_actual"))
    names = pd.concat([plan, actual]).drop_duplicates("payer").set_index("payer")[f"label_{lang}"]
    data = (
        data.assign(name=data["payer"].map(names))
        .sort_values("amount_million_vnd_plan", ascending=False, na_position="last")
        .reset_index(drop=True)
    )
    lines_only = data["amount_million_vnd_actual"].isna().all()
    if lines_only:  # no detail line reported: the total and subtotals given, each against its plan
        rows = funding[funding["year"] == year]
        got = rows[(rows["status"] == "actual") & rows["amount_million_vnd"].notna()]
        planned = rows[rows["status"] == "target"][["code", "amount_million_vnd"]]
        data = got[["code", "source", "level", "amount_million_vnd"]].merge(
            planned, on="code", how="left", suffixes=("_actual", "_plan"))
        data = data.assign(name=data["source"].astype(str), payer=data["code"]).reset_index(drop=True)
    fig = new_figure()
    ax = fig.add_subplot()
    ys = range(len(data))
    biggest = float(data[["amount_million_vnd_plan", "amount_million_vnd_actual"]].max().max())
    for y, row in data.iterrows():
        planned, got = row["amount_million_vnd_plan"], row["amount_million_vnd_actual"]
        met = pd.notna(planned) and pd.notna(got) and got >= planned
        if pd.notna(planned):
            ax.barh(y, planned, height=0.72, facecolor="white", edgecolor=palette.COMPARE, linewidth=1.8)
        if pd.notna(got):
            ax.barh(y, got, height=0.40, color=palette.MET if met else palette.NOT_MET)
        pct = got / planned * 100 if pd.notna(planned) and pd.notna(got) and planned else float("nan")
        text = label(
            "funding_pva_cell",
            lang,
            actual=number(got, 0, lang),
            plan=number(planned, 0, lang),
            pct=number(pct, 0, lang, percent=True),
        )
        end = max(v for v in (planned, got) if pd.notna(v))
        ax.text(end + biggest * 0.012, y, text, ha="left", va="center", fontsize=15, color=palette.TEXT)
    ax.set_yticks(list(ys), data["name"].tolist(), fontsize=15)
    ax.set_ylim(len(data) - 0.4, -0.6)
    ax.set_xlim(0, biggest * 1.45)
    ax.xaxis.set_visible(False)
    ax.spines[["bottom", "left"]].set_visible(False)
    ax.tick_params(axis="y", length=0, pad=8)
    handles = [
        Patch(facecolor="white", edgecolor=palette.COMPARE, linewidth=1.8, label=label("legend_target", lang)),
        Patch(color=palette.MET, label=label("funding_legend_met", lang)),
        Patch(color=palette.NOT_MET, label=label("funding_legend_not_met", lang)),
    ]
    ax.legend(handles=handles, loc="lower right", fontsize=13)
    reported = data[data["amount_million_vnd_actual"].notna()]  # blanks are not zeros: compare like with like
    if lines_only:
        reported = data[data["level"].astype(int) == data["level"].astype(int).min()]
    total_plan = reported["amount_million_vnd_plan"].sum(min_count=1)
    total_got = reported["amount_million_vnd_actual"].sum()
    parts = data[data["level"].astype(int) > data["level"].astype(int).min()] if lines_only else data
    gaps = (parts["amount_million_vnd_actual"] - parts["amount_million_vnd_plan"]).dropna()  # the total is no part
    subtitle = label(
        "funding_pva_subtitle",
        lang,
        year=year,
        actual=number(total_got, 0, lang),
        plan=number(total_plan, 0, lang),
        pct=number(
            total_got / total_plan * 100 if pd.notna(total_plan) and total_plan else None, 1, lang, percent=True
        ),
    )
    blank = data[data["amount_million_vnd_actual"].isna() & data["amount_million_vnd_plan"].notna()]
    if lines_only:
        subtitle += " " + label("funding_pva_total_only", lang)
    elif len(blank):
        subtitle += " " + label(
            "funding_pva_partial", lang, n=len(blank), names=join(blank["name"].astype(str).tolist(), lang)
        )
    if len(gaps) and gaps.min() < 0:
        worst = data.loc[gaps.idxmin()]
        subtitle += " " + label("funding_pva_short", lang, payer=worst["name"], gap=number(-gaps.min(), 0, lang))
    annotate(
        fig,
        title=label("funding_pva_title", lang, year=year),
        subtitle=subtitle,
        unit=label("unit", lang, unit=label("million_vnd", lang)),
        source=source_line,
        illustrative=illustrative,
        lang=lang,
    )
    return fig
