"""The briefing deck: a 16:9 PowerPoint for the steering committee (Ban Chỉ đạo),
built from the processed tables, in Vietnamese by default (``lang="en"``).

Slides: title; key figures (native text); one slide per briefing figure, titled
with the figure's computed finding (its subtitle) and with the numbers behind it
and their cells in the speaker notes; the district targets as a native table;
the documents' inconsistencies (``validation.csv``); the national context
(figure ``national_context``); the sources with their sha256.

One module per job: ``data`` (loading), ``text`` (fitting text to its box),
``slides`` (the house style and the slides), ``notes`` (speaker notes),
``key_figures`` (the cards), ``archive`` (the deterministic zip: entry times and
core properties are the newest source document's date), ``build`` (the order).
"""
from .archive import write_deterministic
from .build import build_deck
from .data import DeckData, figure_is_illustrative, load_deck_data
from .notes import commune_notes, conflict_line, figure_notes, finding_lines, ranking_notes
from .text import LINE, PAD, SLACK, add_text, fit_text

__all__ = ["LINE", "PAD", "SLACK", "DeckData", "add_text", "build_deck", "commune_notes", "conflict_line",
           "figure_is_illustrative", "figure_notes", "finding_lines", "fit_text", "load_deck_data", "ranking_notes",
           "write_deterministic"]
