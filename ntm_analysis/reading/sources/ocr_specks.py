"""Specks of a scanned page left out before its layout (issue 23).

A fax or a noisy scan carries dots of noise that Tesseract reads as marks (":", ".",
"_", "¬") with a box of a pixel or two. Left in, they sit at the margins of the text
lines and line up into "columns", so that the layout takes the page's paragraphs for a
table without rules and the narrative reader gets no text (a 150 dpi fax of plan 05 gave
none of its 15 named communes); between two lines they make lines of their own that
break a paragraph; at a line's end, scraps of a seal or a signature push the margins the
paragraphs are joined by. Left out here:

* a word whose box is smaller than :data:`SPECK` of the text's size both ways (no letter
  or figure is that small; a dash is wider);
* a line holding only unsure marks (:func:`_mark`: no letter, digit or "%", read with a
  confidence below :data:`MARK_CONFIDENCE`), or a single letter read with low confidence;
* at either end of a line, an unsure mark set apart from the line by more than the
  text's size; at its right end, also a short unsure scrap of letters (at most
  :data:`SCRAP` characters, no digit, low confidence) set apart the same way.

A figure is never left out (a digit read with low confidence is an uncertain figure),
nor a word alone on its line that has a letter ("NTM" of a header cut over two lines),
nor "(%)".
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

#: A word whose box is smaller than this share of the text's size (width and height) is a speck.
SPECK = 0.15
#: A mark (no letter, digit or "%") read with a confidence below this (0–100) is noise.
MARK_CONFIDENCE = 70.0
#: A scrap at a line's right end is at most this many characters long.
SCRAP = 3
_ALNUM = re.compile(r"[^\W_]")


def _tiny(word, size: float) -> bool:
    return (word.x1 - word.x0) < SPECK * size and (word.bottom - word.top) < SPECK * size


def _mark(word) -> bool:
    """An unsure mark: no letter, digit or "%", read with a confidence below :data:`MARK_CONFIDENCE`."""
    return word.conf < MARK_CONFIDENCE and not _ALNUM.search(word.text) and "%" not in word.text


def _lone_letter(word, min_confidence: float) -> bool:
    alnum = _ALNUM.findall(word.text)
    return word.conf < min_confidence and len(alnum) == 1 and not alnum[0].isdigit()


def _scrap(word, min_confidence: float) -> bool:
    return (word.conf < min_confidence and len(word.text) <= SCRAP and not any(ch.isdigit() for ch in word.text)
            and "%" not in word.text)


def _trimmed(words: list, size: float, min_confidence: float) -> list:
    """The line's words without the unsure marks (and, at its right end, scraps) set apart at its ends."""
    words = list(words)
    while len(words) > 1 and _mark(words[0]) and words[1].x0 - words[0].x1 > size:
        words.pop(0)
    while len(words) > 1 and (_mark(words[-1]) or _scrap(words[-1], min_confidence)) and \
            words[-1].x0 - words[-2].x1 > size:
        words.pop()
    return words


def without_specks(page, line_of: Callable, min_confidence: float):
    """``page`` (an ``ocr.OcrPage``) without its specks; its lines rebuilt by ``line_of(words,
    size)`` where a word was left out, the others kept as they are."""
    if page.problem or not page.lines:
        return page
    size = page.lines[0].size
    lines, words = [], []
    for line, found in zip(page.lines, page.words):
        kept = _trimmed([w for w in found if not _tiny(w, size)], size, min_confidence)
        if not kept or all(_mark(w) or _lone_letter(w, min_confidence) for w in kept):
            continue
        lines.append(line if len(kept) == len(found) else line_of(kept, size))
        words.append(kept)
    if len(words) == len(page.words) and all(len(a) == len(b) for a, b in zip(words, page.words)):
        return page
    return replace(page, lines=lines, words=words)
