"""``build_deck``: the slides in their order, written deterministically."""
from __future__ import annotations

import io
import tempfile
from datetime import datetime
from pathlib import Path

from pptx.util import Inches

from ...notebooks.story import told_period, told_sentence
from ..charts import figure_jobs, figure_sources, palette
from ..charts.base import label, period_label
from ..charts.context import national_context
from .archive import write_deterministic
from .data import PLAN_VS_ACTUAL, _periods, _province, figure_is_illustrative, load_deck_data, of_year
from .key_figures import _key_figures
from .notes import figure_notes
from .slides import (
    DeckBuilder,
    _commune_slides,
    _draw,
    _findings_slide,
    _notes,
    _picture,
    _predecessor_slides,
    _ranking_slide,
    _sources_slide,
    _table_slide,
    _timeline_slides,
)
from .text import FOOTER_H, MARGIN_X, SLIDE_H, SLIDE_W, TITLE_H, TITLE_Y, add_text

#: With results for a planned year, these figures open the deck (plan against actual), the
#: latest year's first, then each earlier year's.
RESULTS_FIRST = PLAN_VS_ACTUAL


def build_deck(processed_dir: Path, out: Path, lang: str = "vi") -> Path:
    """Write the briefing deck for the processed folder ``processed_dir`` to
    ``out`` (atomically: a temporary file renamed into place). Returns ``out``."""
    data = load_deck_data(processed_dir, lang)
    cited = data.cited or None
    footer = data.source_line([], lang)
    b = DeckBuilder(lang, footer)
    everyone = data.all_sources if data.all_sources is not None else data.sources
    any_illustrative = bool(data.illustrative_ids) or bool(
        everyone["illustrative"].astype(str).str.lower().isin(["true", "1"]).any() if "illustrative" in everyone
        else False)
    province_title, province_short = _province(data, lang)

    # title slide
    slide = b.slide(label("deck_title", lang, province=province_title), content=False, title_size=34)
    slide.shapes[0].top = Inches(1.6)
    slide.shapes[0].height = Inches(1.6)
    periods = _periods(data)
    told = told_period(data.tables, periods)
    shown = ((told.year, "target"), (told.year, "actual")) if told.results else periods
    if shown:
        add_text(slide, MARGIN_X, 3.3, SLIDE_W - 2 * MARGIN_X, 0.6,
                 label("deck_period", lang, base=period_label(*shown[0], lang), compare=period_label(*shown[1], lang)),
                 22, colour=palette.COMPARE, name="period")
    add_text(slide, MARGIN_X, 3.95, SLIDE_W - 2 * MARGIN_X, 0.9, told_sentence(told, lang), 16, name="told")
    add_text(slide, MARGIN_X, 4.9, SLIDE_W - 2 * MARGIN_X, 1.0,
             label("deck_data_date", lang, documents="; ".join(data.citations(lang))), 14,
             colour=palette.TEXT_MUTED, name="data_date")
    if any_illustrative:
        b.banner(slide, MARGIN_X, 6.05, 4.0, 0.8, size=24)

    left_out: list[str] = []  # a figure with nothing to show: why, in the key figures' notes
    jobs = figure_jobs(data.tables, data.results, lang, footer, reference=data.reference, left_out=left_out,
                       sources=cited, illustrative_ids=data.illustrative_ids)
    slides = [(stem, draw, data) for stem, draw in jobs]  # each figure with the data it tells
    if told.results:  # plan against results first, the latest year then each earlier one, then the plan
        def compared(view, found) -> list:
            return sorted(((stem, draw, view) for stem, draw in found if stem in RESULTS_FIRST),
                          key=lambda job: RESULTS_FIRST.index(job[0]))
        first = compared(data, jobs)
        for year in told.earlier:
            past = of_year(data, year)
            first += compared(past, figure_jobs(past.tables, past.results, lang, footer, reference=data.reference,
                                                left_out=left_out, sources=cited,
                                                illustrative_ids=data.illustrative_ids))
        slides = first + [job for job in slides if job[0] not in RESULTS_FIRST]
    _key_figures(b, data, lang, told, left_out)

    with tempfile.TemporaryDirectory(prefix="ntm-deck-") as tmp:
        folder = Path(tmp)
        for stem, draw, view in slides:
            finding, png = _draw(stem, draw, folder)
            own = data.source_line(figure_sources(view.tables, view.results).get(stem, []), lang)
            slide = b.slide(finding, illustrative=figure_is_illustrative(view, stem), title_size=22, footer=own)
            _picture(slide, png, TITLE_Y + TITLE_H + 0.1, SLIDE_H - FOOTER_H - 0.15)
            _notes(slide, [label("deck_notes_numbers", lang)] + [f"• {line}" for line in figure_notes(view, stem, lang)]
                   + [own])
            if stem == "district_targets":
                _table_slide(b, data, lang)
        _commune_slides(b, data, lang, folder)
        _timeline_slides(b, data, lang, folder)
        _predecessor_slides(b, data, lang, folder)  # a 2025 province: then its predecessors' plans
        _findings_slide(b, data, lang)
        try:
            def fig_draw():
                return national_context(
                            data.tables.province,
                            province_short,
                            lang=lang,  # noqa: E731
                            source_line=footer,
                            illustrative=figure_is_illustrative(data, "national_context"),
                        )
            finding, png = _draw("national_context", fig_draw, folder)
        except ValueError:
            finding = ""
        if finding:
            slide = b.slide(finding, illustrative=figure_is_illustrative(data, "national_context"), title_size=22,
                            footer=data.source_line(set(data.tables.province["source_id"].astype(str)), lang)
                            + "; " + label("context_source_national", lang))
            _picture(slide, png, TITLE_Y + TITLE_H + 0.1, SLIDE_H - FOOTER_H - 0.15)
            _notes(
                slide,
                [label("deck_notes_numbers", lang)]
                + [f"• {line}" for line in figure_notes(data, "national_context", lang)],
            )
        _ranking_slide(b, data, lang, folder)
        _sources_slide(b, data, lang)
        b.finish()
        stamp = datetime.combine(data.data_date, datetime.min.time())
        props = b.prs.core_properties
        props.title = label("deck_title", lang, province=province_title)
        props.author = props.last_modified_by = "ntm-analysis"
        props.created = props.modified = props.last_printed = stamp
        props.revision = 1
        props.language = lang
        buffer = io.BytesIO()
        b.prs.save(buffer)
    return write_deterministic(buffer.getvalue(), Path(out), stamp)
