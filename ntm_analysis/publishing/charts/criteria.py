"""Figures of Biểu 01: communes meeting each criterion, what caps the number of
NTM communes, communes by number of criteria met, and (with results) plan
against actual by criterion."""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ...formats import join, number, signed
from ...reference import Reference
from . import palette
from .base import annotate, criterion_label, criterion_name, figure_function, label, new_figure, period_label, wrap


def _periods(frame: pd.DataFrame) -> tuple[tuple[int, str], tuple[int, str]]:
    first = frame.iloc[0]
    return (int(first["base_year"]), str(first["base_status"])), \
        (int(first["compare_year"]), str(first["compare_status"]))


def _count(value: object) -> float:
    """A nullable count as a float (NaN when missing)."""
    return float("nan") if pd.isna(value) else float(value)


def _roles(ceiling: pd.DataFrame | None, period: tuple[int, str], counts: pd.Series,
           near: int = 5) -> dict[int, str]:
    """criterion_id -> 'binding' / 'near' for one period: from ``ntm_ceiling`` when
    given, else from the counts (met by the fewest communes, or at most ``near`` more)."""
    if ceiling is not None and not ceiling.empty:
        rows = ceiling[(ceiling["year"] == period[0]) & (ceiling["status"] == period[1])]
        if not rows.empty:
            return dict(zip(rows["criterion_id"].astype(int), rows["role"]))
    counts = counts.dropna()
    if counts.empty:
        return {}
    low = counts.min()
    return {int(i): ("binding" if c == low else "near") for i, c in counts.items() if c <= low + near}


def _ceiling_row(ceiling: pd.DataFrame | None, period: tuple[int, str]) -> pd.Series | None:
    if ceiling is None or ceiling.empty:
        return None
    rows = ceiling[(ceiling["year"] == period[0]) & (ceiling["status"] == period[1])]
    return rows.iloc[0] if len(rows) else None


def _unit_communes(lang: str) -> str:
    return label("unit", lang, unit=label("communes", lang))


def _hide_x(ax) -> None:
    ax.xaxis.set_visible(False)
    ax.spines[["bottom", "left"]].set_visible(False)


# ------------------------------------------------------------ criteria_gaps --
@figure_function
def criteria_gaps(gaps: pd.DataFrame, ceiling: pd.DataFrame | None = None, *, lang: str = "vi",
                  reference: Reference | None = None,
                  source_line: str = "", illustrative: bool = False) -> Figure:
    """All criteria, communes meeting each in the base and the compare period
    (``analysis.criteria_gaps``), fewest first; the criteria that cap the number of
    NTM communes (``analysis.ntm_ceiling``) in the highlight colour; a line at the
    total of communes and one at the NTM communes of the compare period."""
    if gaps.empty:
        raise ValueError("criteria_gaps: no criteria to draw")
    base, compare = _periods(gaps)
    data = gaps.assign(base=gaps["base_communes"].map(_count), comp=gaps["compare_communes"].map(_count),
                       id=gaps["criterion_id"].astype(int))
    totals = (gaps["compare_communes"] + gaps["remaining"]).dropna()
    total = int(totals.max()) if len(totals) else int(data[["base", "comp"]].max().max())
    roles = _roles(ceiling, compare, data.set_index("id")["comp"])
    order = data.sort_values(["comp", "base", "id"], na_position="last").reset_index(drop=True)
    n = len(order)

    fig = new_figure()
    ax = fig.add_subplot()
    flags = order["id"].isin(list(roles))
    known = order["base"].notna()
    ax.scatter(order.loc[known, "base"], order.index[known], s=130, color=palette.BASE, zorder=2,
               edgecolor="white", linewidth=0.8)
    known = order["comp"].notna()
    ax.scatter(order.loc[known, "comp"], order.index[known], s=150, zorder=3, edgecolor="white", linewidth=0.8,
               color=[palette.HIGHLIGHT if f else palette.COMPARE for f in flags[known]])
    for y, row in order.iterrows():
        flagged = row["id"] in roles
        colour = palette.HIGHLIGHT if flagged else palette.COMPARE
        b, c = row["base"], row["comp"]
        if pd.notna(b) and pd.notna(c) and b != c:
            ax.plot([b, c], [y, y], color=palette.HIGHLIGHT if flagged else palette.NEUTRAL, lw=3,
                    alpha=0.55 if flagged else 0.8, zorder=1, solid_capstyle="butt")
        style = {"fontsize": 13, "va": "center", "textcoords": "offset points"}
        if pd.notna(b) and pd.notna(c) and b == c:
            ax.annotate(number(c, 0, lang), (c, y), xytext=(10, 0), ha="left", color=colour, **style)
            continue
        right_is_compare = pd.isna(b) or (pd.notna(c) and c > b)
        for value, is_compare in ((b, False), (c, True)):
            if pd.isna(value):
                continue
            on_right = is_compare == right_is_compare
            ax.annotate(number(value, 0, lang), (value, y), xytext=(10 if on_right else -10, 0),
                        ha="left" if on_right else "right",
                        color=(colour if is_compare else palette.TEXT_MUTED),
                        fontweight="bold" if (is_compare and flagged) else "normal", **style)
    # communes still missing each criterion in the compare period, in a column at the right
    for y, row in order.iterrows():
        ax.text(1.035, y, number(_count(row["remaining"]), 0, lang), transform=ax.get_yaxis_transform(), ha="right",
                va="center", fontsize=13, color=palette.HIGHLIGHT if row["id"] in roles else palette.TEXT_MUTED,
                fontweight="bold" if row["id"] in roles else "normal")
    ax.text(1.035, -0.6, wrap(label("still_missing", lang, period=period_label(*compare, lang=lang)), 12, 1.5),
            transform=ax.get_yaxis_transform(), ha="right", va="bottom", fontsize=12, color=palette.TEXT_MUTED,
            multialignment="right")

    ax.set_yticks(range(n), [criterion_label(i, c, lang, reference) for i, c in zip(order["id"], order["criterion"])])
    for tick, cid in zip(ax.get_yticklabels(), order["id"]):
        if cid in roles:
            tick.set_color(palette.HIGHLIGHT)
            tick.set_fontweight("bold")
    low = min(data[["base", "comp"]].min().min(), total)
    ax.set_xlim(max(0, (low // 10) * 10 - 8), total + 7)
    ax.set_ylim(n + 0.2, -1.6)
    ax.vlines(total, -0.5, n + 0.2, color=palette.NEUTRAL, lw=1.2, zorder=0)
    ax.text(total, n - 0.25, label("total_communes_line", lang, n=number(total, 0, lang)), ha="right",
            va="top", fontsize=12, color=palette.TEXT_MUTED)
    ntm_row = _ceiling_row(ceiling, compare)
    if ntm_row is not None and pd.notna(ntm_row["ntm_communes"]):
        ntm = int(ntm_row["ntm_communes"])
        ax.vlines(ntm, -0.5, n + 0.2, color=palette.COMPARE, lw=1.2, ls=(0, (4, 3)), zorder=0)
        ax.text(ntm - 0.6, n - 0.25, label("ntm_line", lang, period=period_label(*compare, lang=lang),
                                            n=number(ntm, 0, lang)),
                ha="right", va="top", fontsize=12, color=palette.COMPARE)
    _hide_x(ax)
    ax.tick_params(axis="y", length=0, pad=8)
    handles = [
        Line2D([], [], marker="o", ls="", markersize=11, color=palette.BASE, label=period_label(*base, lang=lang)),
        Line2D(
            [], [], marker="o", ls="", markersize=11, color=palette.COMPARE, label=period_label(*compare, lang=lang)
        ),
        Line2D([], [], marker="o", ls="", markersize=11, color=palette.HIGHLIGHT, label=label("binding_legend", lang)),
    ]
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=3,
        fontsize=13,
        handletextpad=0.3,
        columnspacing=1.6,
        borderaxespad=0.2,
    )

    flagged = order[order["id"].isin(list(roles))]
    named = [
        f"{criterion_name(c, lang, reference)} ({number(v, 0, lang)})"
        for c, v in zip(flagged["criterion"], flagged["comp"])
    ]
    best = order.assign(change=order["comp"] - order["base"]).sort_values(["change", "id"], ascending=[False, True])
    best = best.iloc[0] if len(best) and pd.notna(best["change"].iloc[0]) else None
    subtitle = label(
        "criteria_gaps_subtitle", lang, criteria=join(named, lang), period=period_label(*compare, lang=lang)
    )
    if best is not None and best["change"] > 0:
        subtitle += " " + label(
            "largest_gain",
            lang,
            criterion=criterion_name(best["criterion"], lang, reference),
            change=signed(best["change"], 0, lang),
        )
    annotate(
        fig,
        title=label(
            "criteria_gaps_title", lang, base=period_label(*base, lang=lang), compare=period_label(*compare, lang=lang)
        ),
        subtitle=subtitle,
        unit=_unit_communes(lang),
        source=source_line,
        illustrative=illustrative,
        lang=lang,
    )
    return fig


# -------------------------------------------------------------- ntm_ceiling --
@figure_function
def ntm_ceiling(
    ceiling: pd.DataFrame,
    gaps: pd.DataFrame,
    *,
    lang: str = "vi",
    reference: Reference | None = None,
    source_line: str = "",
    illustrative: bool = False,
    lowest: int = 6,
) -> Figure:
    """What caps the number of NTM communes, base beside compare period: the NTM
    communes and the ``lowest`` least-met criteria, the ceiling (the fewest communes
    meeting any criterion) and the headroom between the two (``analysis.ntm_ceiling``
    and ``analysis.criteria_gaps``)."""
    if gaps.empty:
        raise ValueError("ntm_ceiling: no criteria to draw")
    base, compare = _periods(gaps)
    totals = (gaps["compare_communes"] + gaps["remaining"]).dropna()
    total = int(totals.max()) if len(totals) else None
    fig = new_figure()
    axes = fig.subplots(1, 2)
    summary = {}
    xmax = (total or int(gaps[["base_communes", "compare_communes"]].max().max())) + 3
    for ax, period, column in ((axes[0], base, "base_communes"), (axes[1], compare, "compare_communes")):
        counts = gaps.assign(value=gaps[column].map(_count), id=gaps["criterion_id"].astype(int)).dropna(
            subset=["value"]
        )
        counts = counts.sort_values(["value", "id"]).head(lowest)
        roles = _roles(ceiling, period, gaps.set_index(gaps["criterion_id"].astype(int))[column].map(_count))
        head = _ceiling_row(ceiling, period)
        cap = int(head["ceiling"]) if head is not None else int(counts["value"].min())
        ntm = head["ntm_communes"] if head is not None else pd.NA
        has_ntm = pd.notna(ntm)
        names = [label("ntm_communes", lang)] if has_ntm else []
        values = [float(ntm)] if has_ntm else []
        colours = [palette.COMPARE if period == compare else palette.BASE] if has_ntm else []
        names += [
            wrap(criterion_label(i, c, lang, reference), 14, 2.6) for i, c in zip(counts["id"], counts["criterion"])
        ]
        values += counts["value"].tolist()
        colours += [palette.HIGHLIGHT if i in roles else palette.NEUTRAL for i in counts["id"]]
        ys = list(range(len(values)))
        ax.barh(ys, values, color=colours, height=0.62, zorder=2)
        for y, value, colour in zip(ys, values, colours):
            ax.text(
                value - 1.2,
                y,
                number(value, 0, lang),
                ha="right",
                va="center",
                fontsize=15,
                color=palette.text_on(colour),
                fontweight="bold",
                zorder=4,
            )
        if has_ntm and cap > float(ntm):  # the headroom: NTM communes that fit under the ceiling
            ax.barh(
                0,
                cap - float(ntm),
                left=float(ntm),
                height=0.62,
                facecolor="white",
                hatch="///",
                edgecolor=colours[0],
                linewidth=0,
                zorder=1,
            )
            ax.text(
                cap + 1.5,
                0,
                label("headroom", lang, n=number(cap - float(ntm), 0, lang)),
                ha="left",
                va="center",
                fontsize=14,
                color=palette.TEXT,
            )
        ax.vlines(cap, -0.45, len(values) - 0.1, color=palette.HIGHLIGHT, lw=1.6, ls=(0, (4, 3)), zorder=3)
        ax.text(
            cap,
            -0.55,
            label("ceiling_line", lang, n=number(cap, 0, lang)),
            ha="center",
            va="bottom",
            fontsize=14,
            color=palette.HIGHLIGHT,
            fontweight="bold",
        )
        if total:
            ax.axvline(total, color=palette.NEUTRAL, lw=1.2, zorder=0)
            ax.text(
                total,
                len(values) - 0.55,
                label("total_communes_line", lang, n=number(total, 0, lang)),
                ha="right",
                va="top",
                fontsize=12,
                color=palette.TEXT_MUTED,
            )
        ax.set_yticks(ys, names, linespacing=1.1)
        ticks = ax.get_yticklabels()
        if has_ntm:
            ticks[0].set_fontweight("bold")
        for tick, colour in zip(ticks, colours):
            if colour == palette.HIGHLIGHT:
                tick.set_color(palette.HIGHLIGHT)
        ax.set_ylim(len(values) - 0.1, -1.0)
        ax.set_xlim(0, xmax)
        ax.set_title(period_label(*period, lang=lang), loc="left", fontsize=17, pad=6)
        _hide_x(ax)
        ax.tick_params(axis="y", length=0, pad=6)
        flagged = counts[counts["id"].isin(list(roles))]
        summary[period] = {
            "cap": cap,
            "ntm": ntm,
            "binding": [
                criterion_name(c, lang, reference)
                for c, i in zip(flagged["criterion"], flagged["id"])
                if roles[i] == "binding"
            ],
            "near": [
                f"{criterion_name(c, lang, reference)} ({number(v, 0, lang)})"
                for c, v, i in zip(flagged["criterion"], flagged["value"], flagged["id"])
                if roles[i] == "near"
            ],
        }

    now, then = summary[compare], summary[base]
    values = {
        "criteria": join(now["binding"], lang),
        "period": period_label(*compare, lang=lang),
        "cap": number(now["cap"], 0, lang),
    }
    if pd.notna(now["ntm"]):
        subtitle = label(
            "ceiling_subtitle",
            lang,
            ntm=number(now["ntm"], 0, lang),
            headroom=number(now["cap"] - float(now["ntm"]), 0, lang),
            **values,
        )
    else:
        subtitle = label("ceiling_subtitle_no_ntm", lang, **values)
    if now["near"]:
        subtitle += " " + label("ceiling_near", lang, criteria=join(now["near"], lang))
    if pd.notna(then["ntm"]):
        subtitle += " " + label(
            "ceiling_base",
            lang,
            period=period_label(*base, lang=lang),
            cap=number(then["cap"], 0, lang),
            ntm=number(then["ntm"], 0, lang),
        )
    annotate(
        fig,
        title=label("ceiling_title", lang),
        subtitle=subtitle,
        unit=_unit_communes(lang),
        note=label("ceiling_note", lang),
        source=source_line,
        illustrative=illustrative,
        lang=lang,
    )
    return fig


# ------------------------------------------------------------ commune_bands --
def _band_label(row: pd.Series, lang: str) -> str:
    lo, hi = int(row["min_criteria"]), int(row["max_criteria"])
    if lo == hi:
        return label("band_exact", lang, n=lo)
    if lo == 0:
        return label("band_below", lang, n=hi + 1)
    return label("band_range", lang, lo=lo, hi=hi)


def _change_phrase(old: float, new: float, lang: str) -> str:
    key = "change_up" if new > old else "change_down" if new < old else "change_same"
    return label(key, lang, old=number(old, 0, lang), new=number(new, 0, lang))


@figure_function
def commune_bands(
    bands: pd.DataFrame,
    *,
    lang: str = "vi",
    reference: Reference | None = None,
    source_line: str = "",
    illustrative: bool = False,
) -> Figure:
    """Communes by number of criteria met, base beside compare period
    (``analysis.band_shift``), from the fewest criteria to all 19."""
    if bands.empty:
        raise ValueError("commune_bands: no bands to draw")
    base, compare = _periods(bands)
    data = bands.sort_values("min_criteria").reset_index(drop=True)
    data = data.assign(b=data["base_communes"].map(_count), c=data["compare_communes"].map(_count))
    fig = new_figure()
    ax = fig.add_subplot()
    xs = list(range(len(data)))
    width = 0.38
    top = max(data["b"].max(), data["c"].max())
    for shift, column, colour, period in (
        (-width / 2, "b", palette.BASE, base),
        (width / 2, "c", palette.COMPARE, compare),
    ):
        ax.bar(
            [x + shift for x in xs],
            data[column].fillna(0),
            width=width * 0.95,
            color=colour,
            label=period_label(*period, lang=lang),
        )
        for x, value in zip(xs, data[column]):
            ax.text(
                x + shift,
                (0 if pd.isna(value) else value) + top * 0.015,
                number(value, 0, lang),
                ha="center",
                va="bottom",
                fontsize=16,
                color=palette.TEXT,
                fontweight="bold" if column == "c" else "normal",
            )
    ticks = []
    for _, row in data.iterrows():
        change = row["c"] - row["b"]
        text = _band_label(row, lang)
        if pd.notna(change):
            text += "\n" + label("band_change", lang, change=signed(change, 0, lang))
        ticks.append(text)
    ax.set_xticks(xs, ticks, fontsize=15)
    ax.set_ylim(0, top * 1.12)
    ax.yaxis.set_visible(False)
    ax.spines[["left"]].set_visible(False)
    ax.tick_params(axis="x", length=0, pad=8)
    ax.legend(loc="upper left", fontsize=14)

    top_band, low_band = data.iloc[-1], data.iloc[0]
    subtitle = label(
        "bands_subtitle",
        lang,
        top_band=_band_label(top_band, lang).lower(),
        top_change=_change_phrase(top_band["b"], top_band["c"], lang),
        low_band=_band_label(low_band, lang).lower(),
        low_change=_change_phrase(low_band["b"], low_band["c"], lang),
        period=period_label(*compare, lang=lang),
    )
    annotate(
        fig,
        title=label(
            "bands_title", lang, base=period_label(*base, lang=lang), compare=period_label(*compare, lang=lang)
        ),
        subtitle=subtitle,
        unit=_unit_communes(lang),
        source=source_line,
        illustrative=illustrative,
        lang=lang,
    )
    return fig


# --------------------------------------------------- plan_vs_actual_criteria --
@figure_function
def plan_vs_actual_criteria(
    pva: pd.DataFrame,
    *,
    lang: str = "vi",
    reference: Reference | None = None,
    source_line: str = "",
    illustrative: bool = False,
) -> Figure:
    """Per criterion, communes planned against communes meeting it in the latest
    year with results (``analysis.plan_vs_actual_criteria``), largest shortfall first."""
    if pva.empty:
        raise ValueError("plan_vs_actual_criteria: no results to draw")
    year = int(pva["year"].max())
    data = pva[pva["year"] == year]
    data = data.assign(
        t=data["target"].map(_count),
        a=data["actual"].map(_count),
        g=data["gap"].map(_count),
        id=data["criterion_id"].astype(int),
    )
    order = data.sort_values(["g", "id"], na_position="last").reset_index(drop=True)
    n = len(order)
    fig = new_figure()
    ax = fig.add_subplot()
    met_rows = order["met"].astype("boolean").fillna(False).astype(bool)
    known = order["t"].notna()
    ax.scatter(
        order.loc[known, "t"],
        order.index[known],
        s=150,
        facecolor="white",
        edgecolor=palette.COMPARE,
        linewidth=2,
        zorder=2,
    )
    for is_met, colour, marker in ((True, palette.MET, "o"), (False, palette.NOT_MET, "X")):
        rows = order["a"].notna() & (met_rows == is_met)
        ax.scatter(
            order.loc[rows, "a"],
            order.index[rows],
            s=150,
            color=colour,
            marker=marker,
            zorder=3,
            edgecolor="white",
            linewidth=0.6,
        )
    for y, row in order.iterrows():
        t, a = row["t"], row["a"]
        met = bool(met_rows[y])
        colour = palette.MET if met else palette.NOT_MET
        if pd.notna(t) and pd.notna(a) and t != a:
            ax.plot([t, a], [y, y], color=palette.NEUTRAL, lw=3, alpha=0.8, zorder=1, solid_capstyle="butt")
        style = {"fontsize": 13, "va": "center", "textcoords": "offset points"}
        if pd.notna(t) and pd.notna(a) and t == a:
            ax.annotate(number(a, 0, lang), (a, y), xytext=(10, 0), ha="left", color=colour, **style)
        else:
            hi_is_actual = pd.isna(t) or (pd.notna(a) and a > t)
            for value, is_actual in ((t, False), (a, True)):
                if pd.notna(value):
                    right = is_actual == hi_is_actual
                    ax.annotate(
                        number(value, 0, lang),
                        (value, y),
                        xytext=(10 if right else -10, 0),
                        ha="left" if right else "right",
                        color=colour if is_actual else palette.COMPARE,
                        **style,
                    )
        ax.text(
            1.01,
            y,
            signed(row["g"], 0, lang) if pd.notna(row["g"]) else "–",
            transform=ax.get_yaxis_transform(),
            ha="right",
            va="center",
            fontsize=13,
            color=colour,
            fontweight="bold" if not met else "normal",
        )
    ax.text(
        1.01,
        -1.05,
        label("gap_column", lang),
        transform=ax.get_yaxis_transform(),
        ha="right",
        va="bottom",
        fontsize=12,
        color=palette.TEXT_MUTED,
    )
    ax.set_yticks(range(n), [criterion_label(i, c, lang, reference) for i, c in zip(order["id"], order["criterion"])])
    low = min(order["t"].min(), order["a"].min())
    high = max(order["t"].max(), order["a"].max())
    ax.set_xlim(max(0, (low // 10) * 10 - 8), high + 6)
    ax.set_ylim(n - 0.4, -1.1)
    _hide_x(ax)
    ax.tick_params(axis="y", length=0, pad=8)
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            markersize=11,
            markerfacecolor="white",
            markeredgecolor=palette.COMPARE,
            markeredgewidth=2,
            label=label("legend_target", lang),
        ),
        Line2D([], [], marker="o", ls="", markersize=11, color=palette.MET, label=label("legend_met", lang)),
        Line2D([], [], marker="X", ls="", markersize=11, color=palette.NOT_MET, label=label("legend_not_met", lang)),
    ]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3, fontsize=13, borderaxespad=0.2)
    met = order["met"].astype("boolean")
    short = order[met.fillna(True).eq(False)].head(3)
    subtitle = label("pva_criteria_subtitle", lang, met=int(met.sum()), n=int(met.notna().sum()), year=year)
    if len(short):
        subtitle += " " + label(
            "pva_criteria_short",
            lang,
            criteria=join(
                [
                    f"{criterion_name(c, lang, reference)} ({signed(g, 0, lang)})"
                    for c, g in zip(short["criterion"], short["g"])
                ],
                lang,
            ),
        )
    annotate(
        fig,
        title=label("pva_criteria_title", lang, year=year),
        subtitle=subtitle,
        unit=_unit_communes(lang),
        source=source_line,
        illustrative=illustrative,
        lang=lang,
    )
    return fig


__all__ = ["commune_bands", "criteria_gaps", "ntm_ceiling", "plan_vs_actual_criteria"]
