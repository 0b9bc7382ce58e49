"""The key-figures slide: cards of native text."""
from __future__ import annotations

import pandas as pd
from pptx.enum.text import MSO_ANCHOR
from pptx.util import Inches

from ...formats import join, number
from ...notebooks.explain import attainment_counts
from ...notebooks.story import Told
from ...reference import is_province
from ..charts import cited_in, palette
from ..charts.base import criterion_label, indicator_info, label, period_label
from .data import DeckData, _periods
from .slides import DeckBuilder, _notes
from .text import FOOTER_H, MARGIN_X, SLIDE_H, SLIDE_W, TITLE_H, TITLE_Y, _rgb, add_text


def _plan_cards(data: DeckData, lang: str) -> list[tuple[str, str, str]]:
    """The cards of a plan: its comparison (e.g. 2020 actual → 2021 target) and its funding."""
    r, t = data.results, data.tables
    periods = _periods(data)
    cards: list[tuple[str, str, str]] = []
    if periods:
        (by, bs), (cy, cs) = periods
        prov = t.province.set_index(["year", "status", "indicator"])["value"]

        def value(year, status, indicator):
            return prov.get((year, status, indicator), pd.NA)

        total = value(cy, cs, "total_communes")
        b_ntm, c_ntm = value(by, bs, "ntm_communes"), value(cy, cs, "ntm_communes")
        def share(n):
            return (
                    number(100 * n / total, 1, lang, percent=True) if pd.notna(n) and pd.notna(total) else "–"
                )
        cards.append(
            (
                label("deck_key_ntm", lang),
                label(
                    "deck_key_ntm_value", lang, base=number(b_ntm, 0, lang), compare=number(c_ntm, 0, lang)
                ),
                label(
                    "deck_key_ntm_note",
                    lang,
                    base_share=share(b_ntm),
                    compare_share=share(c_ntm),
                    total=number(total, 0, lang),
                ),
            )
        )
        cards.append(
            (
                label("deck_key_avg", lang),
                f"{number(value(by, bs, 'avg_criteria'), 2, lang)} → "
                f"{number(value(cy, cs, 'avg_criteria'), 2, lang)}",
                label("deck_key_avg_note", lang, base=period_label(by, bs, lang), compare=period_label(cy, cs, lang)),
            )
        )
        ceiling = r.get("ntm_ceiling", pd.DataFrame())
        binding = (
            ceiling[(ceiling.year == cy) & (ceiling.status == cs) & (ceiling.role == "binding")]
            if not ceiling.empty
            else ceiling
        )
        if not binding.empty:
            names = ", ".join(
                criterion_label(int(i), n, lang, data.reference)
                for i, n in zip(binding.criterion_id, binding.criterion)
            )
            cards.append(
                (
                    label("deck_key_binding", lang, period=period_label(cy, cs, lang)),
                    names,
                    label("deck_key_binding_note", lang, communes=number(binding.communes.iloc[0], 0, lang)),
                )
            )
    payers = r.get("funding_by_payer", pd.DataFrame())
    funding = t.funding[(t.funding.level.astype(int) == 0) & (t.funding.status == "target")]
    if not payers.empty and not funding.empty:
        total_row = funding.iloc[-1]
        central = payers[payers.payer == "central"]
        cards.append(
            (
                label("deck_key_funding", lang, period=period_label(int(total_row.year), "target", lang)),
                label("deck_key_funding_value", lang, total=number(total_row.amount_million_vnd, 0, lang)),
                label(
                    "deck_key_funding_note",
                    lang,
                    central=number(central.amount_million_vnd.sum(), 0, lang),
                    share=number(100 * central.share_of_total.sum(), 1, lang, percent=True),
                )
                if not central.empty
                else "",
            )
        )
    return cards


def _verdict(actual, target, decimals: int, unit: str, lang: str, higher: bool = True) -> str:
    """"Đạt kế hoạch (103,7%)" or "Chưa đạt: thiếu 2 xã (97,2% kế hoạch)", against the
    target it names; "" when either figure is missing."""
    if pd.isna(actual) or pd.isna(target):
        return label("deck_verdict_missing", lang)
    met = actual >= target if higher else actual <= target
    pct = number(100 * actual / target, 1, lang, percent=True) if target else "–"
    if met:
        return label("deck_verdict_met", lang, pct=pct)
    return label("deck_verdict_missed", lang, gap=number(abs(target - actual), decimals, lang), unit=unit, pct=pct)


def _result_cards(data: DeckData, told: Told, lang: str) -> list[tuple[str, str, str]]:
    """The cards of a year with results: each figure as result / plan with its verdict."""
    r, t, year = data.results, data.tables, told.year
    prov = t.province.set_index(["year", "status", "indicator"])["value"]

    def value(status, indicator):
        return prov.get((year, status, indicator), pd.NA)

    cards = []
    for indicator, decimals in (("ntm_communes", 0), ("avg_criteria", 2)):
        actual, target = value("actual", indicator), value("target", indicator)
        if pd.isna(actual) and pd.isna(target):
            continue
        unit = label("communes", lang) if indicator == "ntm_communes" else label("deck_unit_criteria", lang)
        cards.append((label(f"deck_key_pva_{indicator}", lang, year=year),
                      label("deck_key_pva_value", lang, actual=number(actual, decimals, lang),
                            target=number(target, decimals, lang)),
                      _verdict(actual, target, decimals, unit, lang)))
    pva = r.get("plan_vs_actual_criteria", pd.DataFrame())
    pva = pva[pva.year == year].dropna(subset=["met"]) if not pva.empty else pva
    if not pva.empty:
        worst = pva.sort_values(["gap", "criterion_id"]).iloc[0]
        note = label("deck_key_pva_criteria_note", lang,
                     criterion=criterion_label(int(worst.criterion_id), str(worst.criterion), lang, data.reference),
                     actual=number(worst.actual, 0, lang), target=number(worst.target, 0, lang)) \
            if not bool(worst.met) else label("deck_verdict_met_all", lang)
        cards.append((label("deck_key_pva_criteria", lang, year=year),
                      label("deck_key_pva_criteria_value", lang, met=number(int(pva.met.astype(bool).sum()), 0, lang),
                            n=number(len(pva), 0, lang)), note))
    funding = r.get("funding_plan_vs_actual", pd.DataFrame())
    total = funding[(funding.year == year) & (funding.level.astype(int) == 0)] if not funding.empty else funding
    if not total.empty:
        row = total.iloc[0]
        cards.append((label("deck_key_pva_funding", lang, year=year),
                      label("deck_key_pva_funding_value", lang, actual=number(row.mobilised_million_vnd, 0, lang),
                            target=number(row.planned_million_vnd, 0, lang)),
                      _verdict(row.mobilised_million_vnd, row.planned_million_vnd, 0, label("million_vnd", lang),
                               lang)))
    cards += _attainment_cards(data, lang)
    return cards


def _attainment_cards(data: DeckData, lang: str) -> list[tuple[str, str, str]]:
    """The district targets met, saying what it sums (district × indicator pairs with both
    figures) and beside it the province's own targets met, so that a district count never
    hides a province-level miss."""
    attainment = data.results.get("district_attainment", pd.DataFrame())
    if attainment.empty:
        return []
    counts = attainment_counts(attainment, data.reference)
    year = int(attainment.year.max())
    latest = attainment[attainment.year == year]
    province = latest[is_province(latest.area_code.astype(str))].dropna(subset=["met"])
    cards = []
    if len(province):
        missed = province[~province.met.astype(bool)]
        names = [str(indicator_info(i, lang, data.reference)["label"]) for i in missed.indicator]
        cards.append((label("deck_key_province_targets", lang, year=year),
                      label("deck_key_pva_criteria_value", lang, met=number(len(province) - len(missed), 0, lang),
                            n=number(len(province), 0, lang)),
                      label("deck_key_province_missed", lang, names=join(
                          names if len(names) <= 3 else names[:2] + [label("deck_n_others", lang, n=len(names) - 2)],
                          lang)) if names
                      else label("deck_verdict_met_all", lang)))
    if counts["pairs"]:
        n_districts = latest[~is_province(latest.area_code.astype(str))].area_code.nunique()
        cards.append((label("deck_key_attainment", lang, year=year, n=n_districts),
                      label("deck_key_attainment_value", lang, met=number(counts["met"], 0, lang),
                            pairs=number(counts["pairs"], 0, lang)),
                      label("deck_key_attainment_note", lang,
                            share=number(100 * counts["met"] / counts["pairs"], 0, lang, percent=True),
                            pairs=number(counts["pairs"], 0, lang))))
    return cards


def _key_figures(b: DeckBuilder, data: DeckData, lang: str, told: Told, left_out: list[str] | None = None) -> None:
    """The key-figures slide: with results for a planned year, that year's results
    against the plan; else the plan's comparison."""
    cards = _result_cards(data, told, lang) if told.results else _plan_cards(data, lang) + _attainment_cards(data, lang)
    if not cards:  # no plan or results table of the deck's province: no slide without content
        return
    periods = {(told.year, "target"), (told.year, "actual")} if told.results else \
        set(p for p in (told.base, told.compare) if p)
    ids = cited_in(data.tables, ("province", "criteria", "districts", "funding"), periods or None)
    slide = b.slide(label("deck_key_title", lang), illustrative=bool(set(ids) & data.illustrative_ids),
                    footer=data.source_line(ids, lang))
    columns = 3 if len(cards) > 4 else 2
    gap = 0.3
    w = (SLIDE_W - 2 * MARGIN_X - gap * (columns - 1)) / columns
    top, bottom = TITLE_Y + TITLE_H + 0.2, SLIDE_H - FOOTER_H - 0.3
    rows = (len(cards) + columns - 1) // columns
    h = (bottom - top - gap * (rows - 1)) / max(rows, 1)
    for i, (head, big, note) in enumerate(cards):
        x, y = MARGIN_X + (i % columns) * (w + gap), top + (i // columns) * (h + gap)
        card = slide.shapes.add_shape(1, Inches(x), Inches(y), Inches(w), Inches(h))
        card.name = "card"
        card.fill.solid()
        card.fill.fore_color.rgb = _rgb("#F2F2F2")
        card.line.fill.background()
        add_text(slide, x + 0.15, y + 0.1, w - 0.3, h * 0.25, head, 16, colour=palette.TEXT_MUTED, name="card_head")
        add_text(
            slide,
            x + 0.15,
            y + 0.1 + h * 0.25,
            w - 0.3,
            h * 0.4,
            big,
            32,
            bold=True,
            colour=palette.COMPARE,
            name="card_value",
            anchor=MSO_ANCHOR.MIDDLE,
        )
        if note:
            add_text(
                slide, x + 0.15, y + 0.1 + h * 0.65, w - 0.3, h * 0.3, note, 14, colour=palette.TEXT, name="card_note"
            )
    _notes(slide, [f"{head}: {big}. {note}" for head, big, note in cards] + list(left_out or []))
