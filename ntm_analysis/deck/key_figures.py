"""The key-figures slide: cards of native text."""
from __future__ import annotations

import pandas as pd
from pptx.enum.text import MSO_ANCHOR
from pptx.util import Inches

from ..charts import palette
from ..charts.base import criterion_label, label, period_label
from ..explain import attainment_counts
from ..formats import number
from .data import DeckData, _periods, figure_is_illustrative
from .slides import DeckBuilder, _notes
from .text import FOOTER_H, MARGIN_X, SLIDE_H, SLIDE_W, TITLE_H, TITLE_Y, _rgb, add_text


def _key_figures(b: DeckBuilder, data: DeckData, lang: str) -> None:
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
    attainment = r.get("district_attainment", pd.DataFrame())
    illustrative_attainment = False
    if not attainment.empty:

        counts = attainment_counts(attainment, data.reference)
        if counts["pairs"]:
            year = int(attainment.year.max())
            cards.append(
                (
                    label("deck_key_attainment", lang, year=year),
                    label(
                        "deck_key_attainment_value",
                        lang,
                        met=number(counts["met"], 0, lang),
                        pairs=number(counts["pairs"], 0, lang),
                    ),
                    label(
                        "deck_key_attainment_note",
                        lang,
                        share=number(100 * counts["met"] / counts["pairs"], 0, lang, percent=True),
                    ),
                )
            )
            illustrative_attainment = figure_is_illustrative(data, "district_attainment")
    slide = b.slide(label("deck_key_title", lang), illustrative=illustrative_attainment)
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
    _notes(slide, [f"{head}: {big}. {note}" for head, big, note in cards])
