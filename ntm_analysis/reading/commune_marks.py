"""The marks offices write in a commune criteria table, from
``reference/commune_marks.csv``: met ("Đ", "đạt", "x", "✓", "1", TRUE), not met
("CĐ", "chưa đạt", "không đạt", "0", "-", FALSE). A blank cell is "not assessed"
and stays missing; it is never read as not met."""
from __future__ import annotations

import csv

from ..config import REFERENCE_DIR
from ..i18n import _
from ..text import clean_text, fold

MARKS_FILE = REFERENCE_DIR / "commune_marks.csv"


def _mark_key(value: object) -> str:
    """NFC, case folded, without diacritics ("Đạt", "dat" and "ĐẠT" are one mark)."""
    return fold(value)


def _load() -> tuple[dict[str, bool], str, str]:
    with MARKS_FILE.open(encoding="utf-8-sig", newline="") as handle:  # (a dozen rows: no pandas at import)
        rows = [(r["mark"], r["met"]) for r in csv.DictReader(handle)]
    vocabulary = {_mark_key(m): met == "true" for m, met in rows}
    met = next(m for m, flag in rows if flag == "true")
    not_met = next(m for m, flag in rows if flag == "false")
    return vocabulary, met, not_met


MARKS, MET_DEFAULT, NOT_MET_DEFAULT = _load()


class UnknownMark(ValueError):
    """A cell that is neither a known mark nor blank."""


def read_mark(value: object) -> bool | None:
    """True (met), False (not met) or None (blank: not assessed).

    Raises :class:`UnknownMark` for anything else (the caller names the cell)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if value in (0, 1):
            return bool(value)
        raise UnknownMark(_("{value} is not a mark: write {met} (met) or {not_met} (not met)").format(
            value=repr(value), met=MET_DEFAULT, not_met=NOT_MET_DEFAULT))
    text = _mark_key(value)
    if not text:
        return None
    if text in MARKS:
        return MARKS[text]
    raise UnknownMark(_("“{value}” is not a mark: write {met} (met) or {not_met} (not met), or leave the cell blank "
                        "if not assessed").format(value=clean_text(value), met=MET_DEFAULT, not_met=NOT_MET_DEFAULT))
