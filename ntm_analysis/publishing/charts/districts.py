"""Figures of Biểu 02: the nine districts' targets against the province's, and
(with results) each district's targets met or missed. Both are heat tables:
every value printed, colour for the comparison."""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from ...analysis.districts import ADDITIVE
from ...formats import join, number
from ...reference import Reference, is_province
from ...text import fold
from . import palette
from .base import annotate, district_name, figure_function, indicator_info, label, new_figure, wrap

CELL_TEXT = 15
HEADER_TEXT = 13


def _indicator_order(indicators: list[str], reference: Reference) -> list[str]:
    catalogue = reference.indicators["indicator"].tolist()
    return sorted(indicators, key=lambda i: catalogue.index(i) if i in catalogue else len(catalogue))


def _header(indicator: str, lang: str, width_in: float, reference: Reference) -> str:
    """Column heading: the indicator's label, and its unit unless the label says it."""
    info = indicator_info(indicator, lang, reference)
    text, unit = str(info["label"]), str(info["unit"])
    said = fold(text)
    if unit == "%":
        stated = "%" in text or "percent" in said
    else:
        stated = all(word in said for word in fold(unit).replace("/", " ").split())
    if unit and not stated:
        text += f" ({unit})"
    return wrap(text, HEADER_TEXT, width_in)


def _value_text(value: float, indicator: str, lang: str, reference: Reference) -> str:
    return number(value, int(indicator_info(indicator, lang, reference)["decimals"]), lang, trim=True)


def _table_axes(fig: Figure, columns: list[str], rows: list[str], row_labels: list[str], lang: str,
                reference: Reference):
    """An axes laid out as a table: one unit per column and row, headers on top,
    row labels on the left, the first row (the province) set apart."""
    ax = fig.add_subplot()
    ax.set_xlim(0, len(columns))
    ax.set_ylim(len(rows), 0)
    ax.xaxis.tick_top()
    col_width = (fig.get_size_inches()[0] * 0.80) / max(len(columns), 1)
    ax.set_xticks(
        [i + 0.5 for i in range(len(columns))],
        [_header(c, lang, col_width - 0.15, reference) for c in columns],
        fontsize=HEADER_TEXT,
        color=palette.TEXT,
        linespacing=1.15,
    )
    ax.set_yticks([i + 0.5 for i in range(len(rows))], row_labels, fontsize=15, color=palette.TEXT)
    ax.tick_params(length=0, pad=6)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.get_yticklabels()[0].set_fontweight("bold")
    ax.axhline(1, color=palette.TEXT_MUTED, lw=1.2)
    return ax


def _cell(ax, x: int, y: int, face: str) -> None:
    ax.add_patch(Rectangle((x + 0.03, y + 0.05), 0.94, 0.9, facecolor=face, edgecolor="none", zorder=0))


# ----------------------------------------------------------- district_targets --
@figure_function
def district_targets(
    overview: pd.DataFrame,
    *,
    lang: str = "vi",
    reference: Reference | None = None,
    source_line: str = "",
    illustrative: bool = False,
) -> Figure:
    """Districts × indicators of one period (``analysis.district_overview``) with
    the province on top. Rates and averages: colour by how far each district is
    above (blue) or below (orange) the province figure. Additive indicators (new NTM
    communes, jobs; the province figure is their sum): a bar in the cell for the
    district's share of the province total. Districts by average criteria, highest first."""
    if overview.empty:
        raise ValueError("district_targets: no district figures to draw")
    year, status = int(overview["year"].iloc[0]), str(overview["status"].iloc[0])
    indicators = _indicator_order(overview["indicator"].unique().tolist(), reference)
    wide = overview.pivot_table(
        index="area_code", columns="indicator", values="value", aggfunc="first", dropna=False
    ).reindex(columns=indicators)
    province = overview.groupby("indicator")["province_value"].first().reindex(indicators)
    if "avg_criteria" in wide:
        codes = (
            wide.assign(_name=[district_name(c, lang, reference) for c in wide.index])
            .sort_values(["avg_criteria", "_name"], ascending=[False, True], na_position="last")
            .index.tolist()
        )
    else:
        codes = list(dict.fromkeys(overview["area_code"]))
    names = {c: district_name(c, lang, reference, a) for c, a in zip(overview["area_code"], overview["area"])}
    fig = new_figure()
    ax = _table_axes(
        fig,
        indicators,
        ["province"] + codes,
        [label("province_row", lang)] + [names[c] for c in codes],
        lang,
        reference,
    )
    blank = False
    for x, indicator in enumerate(indicators):
        ref = province.get(indicator)
        _cell(ax, x, 0, palette.NEUTRAL_LIGHT)
        ax.text(
            x + 0.5,
            0.5,
            _value_text(ref, indicator, lang, reference),
            ha="center",
            va="center",
            fontsize=CELL_TEXT,
            fontweight="bold",
            color=palette.TEXT,
        )
        column = wide[indicator].reindex(codes)
        additive = indicator in ADDITIVE
        spread = (column - ref).abs().max() if pd.notna(ref) else float("nan")
        for y, (code, value) in enumerate(column.items(), start=1):
            if pd.isna(value):
                blank = True
                _cell(ax, x, y, palette.NEUTRAL_LIGHT)
                ax.text(x + 0.5, y + 0.5, "–", ha="center", va="center", fontsize=CELL_TEXT, color=palette.TEXT_MUTED)
                continue
            face = "white"
            if additive and pd.notna(ref) and ref > 0:
                ax.add_patch(
                    Rectangle(
                        (x + 0.08, y + 0.70),
                        0.84 * min(value / ref, 1.0),
                        0.16,
                        facecolor=palette.NEUTRAL,
                        edgecolor="none",
                        zorder=1,
                    )
                )
                _cell(ax, x, y, "#F7F7F7")
                ax.text(
                    x + 0.5,
                    y + 0.40,
                    _value_text(value, indicator, lang, reference),
                    ha="center",
                    va="center",
                    fontsize=CELL_TEXT,
                    color=palette.TEXT,
                )
                continue
            if pd.notna(ref) and spread and spread > 0:
                face = palette.DIVERGING(0.5 + 0.5 * 0.85 * (value - ref) / spread)
            _cell(ax, x, y, face)
            ax.text(
                x + 0.5,
                y + 0.5,
                _value_text(value, indicator, lang, reference),
                ha="center",
                va="center",
                fontsize=CELL_TEXT,
                color=palette.text_on(face),
            )
    handles = [
        Patch(color=palette.DIVERGING(0.925), label=label("above_province", lang)),
        Patch(color=palette.DIVERGING(0.075), label=label("below_province", lang)),
    ]
    if any(i in ADDITIVE for i in indicators):
        handles.append(Patch(color=palette.NEUTRAL, label=label("share_of_province", lang)))
    if blank:
        handles.append(Patch(color=palette.NEUTRAL_LIGHT, label=label("blank_in_source", lang)))
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0, 0),
        ncol=len(handles),
        fontsize=13,
        handlelength=1.4,
        borderaxespad=0.3,
    )

    parts = []
    if "new_ntm_communes" in wide and wide["new_ntm_communes"].notna().any():
        new = wide["new_ntm_communes"].dropna()
        top = new[new == new.max()]
        parts.append(
            label(
                "targets_new_ntm",
                lang,
                areas=join([names[c] for c in top.index], lang),
                n=number(new.max(), 0, lang),
                total=number(province.get("new_ntm_communes", new.sum()), 0, lang),
            )
        )
    if "avg_criteria" in wide and wide["avg_criteria"].notna().any():
        avg = wide["avg_criteria"].dropna()
        low, high = avg[avg == avg.min()], avg[avg == avg.max()]
        parts.append(
            label(
                "targets_avg",
                lang,
                low=_value_text(avg.min(), "avg_criteria", lang, reference),
                low_areas=join([names[c] for c in low.index], lang),
                high=_value_text(avg.max(), "avg_criteria", lang, reference),
                high_areas=join([names[c] for c in high.index], lang),
                province=_value_text(province.get("avg_criteria"), "avg_criteria", lang, reference),
            )
        )
    note = ""
    implied = overview.loc[overview["indicator"] == "avg_criteria", "implied_province_value"].dropna()
    if (
        len(implied)
        and pd.notna(province.get("avg_criteria"))
        and abs(implied.iloc[0] - province["avg_criteria"]) >= 0.05
    ):
        note = label(
            "implied_average_note",
            lang,
            implied=number(implied.iloc[0], 2, lang),
            stated=_value_text(province["avg_criteria"], "avg_criteria", lang, reference),
            n=len(codes),
        )
    communes = all(len(str(c)) == 5 for c in codes)  # a plan of the 2025 units: communes and wards, no districts
    title = label(
        ("targets_title_actual" if status == "actual" else "targets_title_target") + ("_communes" if communes else ""),
        lang, year=year, n=len(codes)
    )
    annotate(
        fig,
        title=title,
        subtitle=" ".join(parts) or title,
        note=note,
        source=source_line,
        illustrative=illustrative,
        lang=lang,
        unit=label("unit_in_headers", lang),
    )
    return fig


# --------------------------------------------------------- district_attainment --
@figure_function
def district_attainment(
    attainment: pd.DataFrame,
    *,
    lang: str = "vi",
    reference: Reference | None = None,
    source_line: str = "",
    illustrative: bool = False,
) -> Figure:
    """Districts × indicators of the latest year with results
    (``analysis.district_attainment``): the result in each cell, the target under
    it, ✓ and a green tint when met, ✗ and an orange-red tint when missed."""
    if attainment.empty:
        raise ValueError("district_attainment: no results to draw")
    year = int(attainment["year"].max())
    data = attainment[attainment["year"] == year]
    indicators = _indicator_order(data["indicator"].unique().tolist(), reference)
    names = {c: district_name(c, lang, reference, a) for c, a in zip(data["area_code"], data["area"])}
    data = data.assign(province=is_province(data["area_code"]))
    met = data.assign(m=data["met"].astype("float64")).groupby("area_code")["m"].agg(["sum", "count"])
    districts = met.loc[[c for c in met.index if not data.loc[data.area_code == c, "province"].iloc[0]]]
    districts = districts.assign(
        share=districts["sum"] / districts["count"].where(districts["count"] > 0),
        name=[names[c] for c in districts.index],
    )
    codes = districts.sort_values(["share", "name"], ascending=[False, True]).index.tolist()
    prov_codes = [c for c in met.index if c not in districts.index][:1]
    rows = prov_codes + codes
    fig = new_figure()
    ax = _table_axes(
        fig,
        indicators,
        rows if prov_codes else ["-"] + rows,
        ([label("province_row", lang)] if prov_codes else [""]) + [names[c] for c in codes],
        lang,
        reference,
    )
    offset = 0 if prov_codes else 1
    cells = data.set_index(["area_code", "indicator"])
    tints = {True: "#CDEBDF", False: "#F6D3BD"}
    for y, code in enumerate(rows, start=offset):
        for x, indicator in enumerate(indicators):
            if (code, indicator) not in cells.index:
                _cell(ax, x, y, palette.NEUTRAL_LIGHT)
                continue
            row = cells.loc[(code, indicator)]
            known = pd.notna(row["met"])
            _cell(ax, x, y, tints[bool(row["met"])] if known else palette.NEUTRAL_LIGHT)
            mark = ("✓ " if row["met"] else "✗ ") if known else ""
            ax.text(
                x + 0.5,
                y + 0.40,
                mark + _value_text(row["actual"], indicator, lang, reference),
                ha="center",
                va="center",
                fontsize=CELL_TEXT,
                color=palette.TEXT,
                fontweight="bold" if y == 0 else "normal",
            )
            ax.text(
                x + 0.5,
                y + 0.76,
                label("target_short", lang, value=_value_text(row["target"], indicator, lang, reference)),
                ha="center",
                va="center",
                fontsize=11,
                color=palette.TEXT_MUTED,
            )
    handles = [
        Patch(color=tints[True], label=label("attainment_met", lang)),
        Patch(color=tints[False], label=label("attainment_not_met", lang)),
        Patch(color=palette.NEUTRAL_LIGHT, label=label("attainment_unknown", lang)),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, 0), ncol=3, fontsize=13, borderaxespad=0.3)
    total_met, total = int(districts["sum"].sum()), int(districts["count"].sum())
    known = [c for c in codes if districts.loc[c, "count"] > 0]  # a district with no data is not the lowest
    unknown = [c for c in codes if c not in known]
    if not known:
        raise ValueError(f"district_attainment: no district has results for {year}")
    best, worst = districts.loc[known[0]], districts.loc[known[-1]]
    # "most / fewest" only when the districts' shares differ
    spread = best["sum"] * worst["count"] != worst["sum"] * best["count"]
    subtitle = label(
        ("attainment_subtitle_some" if unknown else "attainment_subtitle") if spread else
        ("attainment_subtitle_some_even" if unknown else "attainment_subtitle_even"),
        lang,
        met=total_met,
        n=total,
        year=year,
        best=names[known[0]],
        best_met=int(best["sum"]),
        best_n=int(best["count"]),
        worst=names[known[-1]],
        worst_met=int(worst["sum"]),
        worst_n=int(worst["count"]),
    )
    if unknown:
        subtitle += " " + label("attainment_no_data", lang, names=join([names[c] for c in unknown], lang))
    note = label("attainment_note", lang)
    lower = [
        indicator_info(i, lang, reference)
        for i in indicators
        if indicator_info(i, lang, reference)["direction"] == "lower"
    ]
    if lower:
        note += " " + label("attainment_note_lower", lang, indicators=join([str(i["label"]) for i in lower], lang))
    annotate(
        fig,
        title=label("attainment_title", lang, year=year, n=len(codes)),
        subtitle=subtitle,
        note=note,
        unit=label("unit_in_headers", lang),
        source=source_line,
        illustrative=illustrative,
        lang=lang,
    )
    return fig
