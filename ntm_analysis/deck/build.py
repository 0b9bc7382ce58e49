"""``build_deck``: the slides in their order, written deterministically."""
from __future__ import annotations

import io
import tempfile
from datetime import datetime
from pathlib import Path

import pandas as pd
from pptx.util import Inches

from ..charts import figure_jobs, palette
from ..charts.base import label, period_label, source_line
from ..charts.context import national_context
from .archive import write_deterministic
from .data import _periods, _province, figure_is_illustrative, load_deck_data
from .key_figures import _key_figures
from .notes import figure_notes
from .slides import (
    DeckBuilder,
    _commune_slides,
    _draw,
    _findings_slide,
    _notes,
    _picture,
    _ranking_slide,
    _sources_slide,
    _table_slide,
)
from .text import FOOTER_H, MARGIN_X, SLIDE_H, SLIDE_W, TITLE_H, TITLE_Y, add_text


def build_deck(processed_dir: Path, out: Path, lang: str = "vi") -> Path:
    """Write the briefing deck for the processed folder ``processed_dir`` to
    ``out`` (atomically: a temporary file renamed into place). Returns ``out``."""
    data = load_deck_data(processed_dir, lang)
    # how each source is cited: its citation, else its file name (a source is never left out)
    cited = {str(r.source_id): (str(r.citation) if pd.notna(r.citation) and str(r.citation).strip() else
                                str(r.file)) for r in data.sources.itertuples()} if len(data.sources) else None
    citations = list((cited or {}).values())
    footer = source_line(citations, lang) or label("source_unknown", lang)
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
    if periods:
        add_text(
            slide,
            MARGIN_X,
            3.4,
            SLIDE_W - 2 * MARGIN_X,
            0.6,
            label("deck_period", lang, base=period_label(*periods[0], lang), compare=period_label(*periods[1], lang)),
            22,
            colour=palette.COMPARE,
            name="period",
        )
    add_text(
        slide,
        MARGIN_X,
        4.1,
        SLIDE_W - 2 * MARGIN_X,
        1.4,
        label("deck_data_date", lang, documents="; ".join(data.citations(lang))),
        16,
        colour=palette.TEXT_MUTED,
        name="data_date",
    )
    if any_illustrative:
        b.banner(slide, MARGIN_X, 5.7, 4.0, 0.8, size=24)

    _key_figures(b, data, lang)

    with tempfile.TemporaryDirectory(prefix="ntm-deck-") as tmp:
        folder = Path(tmp)
        # each figure drawn with its own banner: marked only if it shows illustrative rows
        # each figure cites the sources whose rows it draws
        marked = dict(figure_jobs(data.tables, data.results, lang, footer, illustrative=True, reference=data.reference,
                                  sources=cited))
        for stem, plain_draw in figure_jobs(data.tables, data.results, lang, footer, reference=data.reference,
                                            sources=cited):
            illustrative = figure_is_illustrative(data, stem)
            job_draw = marked[stem] if illustrative else plain_draw
            finding, png = _draw(stem, job_draw, folder)
            slide = b.slide(finding, illustrative=illustrative, title_size=22)
            _picture(slide, png, TITLE_Y + TITLE_H + 0.1, SLIDE_H - FOOTER_H - 0.15)
            _notes(
                slide,
                [label("deck_notes_numbers", lang)]
                + [f"• {line}" for line in figure_notes(data, stem, lang)]
                + [source_line(citations, lang)],
            )
            if stem == "district_targets":
                _table_slide(b, data, lang)
        _commune_slides(b, data, lang, folder)
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
            slide = b.slide(finding, illustrative=figure_is_illustrative(data, "national_context"), title_size=22)
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
