"""Numbers as Vietnamese documents write them, read back into numbers (writing
them for a reader is :mod:`ntm_analysis.formats`).

Vietnamese uses ``.`` to group thousands and ``,`` as the decimal mark:
"661.500" is 661500 and "16,15" is 16.15.
"""
from __future__ import annotations

import math
import re

from ..i18n import _

_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")  # 661.500 / 1.234,5
_DECIMAL_COMMA = re.compile(r"^\d+(,\d+)?$")  # 16,15 / 127
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3}){2,}(\.\d+)?$|^\d{1,3}(,\d{3})+\.\d+$")  # 1,234,567 / 1,234.5
_DECIMAL_DOT = re.compile(r"^\d*\.\d+$")  # 95.5 (a dot not followed by exactly 3 digits)
#: One comma followed by exactly three digits: "640,000" is 640 with a decimal comma, or
#: 640000 with an English thousands comma.
_AMBIGUOUS_COMMA = re.compile(r"^[-−+]?\d{1,3},\d{3}%?$")
#: What a cell shows when its formula failed (openpyxl reads them as text).
EXCEL_ERRORS = {"#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                "#GETTING_DATA"}
_MISSING = {"", "-", "–", "—", "x", "…", "..."}


def ambiguous_readings(value: object) -> tuple[float, float] | None:
    """The two readings of a text cell whose separator is ambiguous in Vietnamese use
    (one comma followed by exactly three digits): ``"640,000"`` -> ``(640.0, 640000.0)``,
    the first being the one :func:`parse_vn_number` takes (a decimal comma). None for
    anything else: a number cell is exact, and "16,15", "661.500" or "16.15" say one thing."""
    if not isinstance(value, str):
        return None
    text = value.replace("\u00a0", " ").replace(" ", "").strip()
    if not _AMBIGUOUS_COMMA.match(text):
        return None
    read = parse_vn_number(text)
    other = parse_vn_number(text.replace(",", ""))
    return (read, other) if read is not None and other is not None else None


class NumberParseError(ValueError):
    """A cell that should hold a number holds something else."""


def parse_vn_number(value: object) -> float | None:
    """Read one cell as a number.

    Accepts ints and floats as they are, and text written the Vietnamese way:
    ``"661.500"`` -> 661500.0, ``"16,15"`` -> 16.15, ``"13.500"`` -> 13500.0,
    ``"98,50"`` -> 98.5. A trailing ``%`` and surrounding spaces are allowed,
    as is a leading minus sign. A dot followed by anything but groups of three
    digits is a decimal point ("95.5" -> 95.5); several commas in groups of three
    are English thousands ("1,234,567").

    Returns None for a blank cell (or a lone dash): missing stays missing.
    Raises NumberParseError, with a plain-words message, for anything else.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise NumberParseError(_("expected a number, found the logical value {value}").format(value=value))
    if isinstance(value, (int, float)):
        number = float(value)
        if math.isnan(number):
            return None
        if math.isinf(number):
            raise NumberParseError(_("expected a number, found infinity"))
        return number
    text = str(value).replace("\u00a0", " ").replace(" ", "").strip()
    if text in _MISSING:
        return None
    sign = 1.0
    if text[0] in "-−":
        sign, text = -1.0, text[1:]
    elif text[0] == "+":
        text = text[1:]
    if text.endswith("%"):
        text = text[:-1]
    if _THOUSANDS_DOT.match(text):
        number = float(text.replace(".", "").replace(",", "."))
    elif _DECIMAL_COMMA.match(text):
        number = float(text.replace(",", "."))
    elif _THOUSANDS_COMMA.match(text):
        number = float(text.replace(",", ""))
    elif _DECIMAL_DOT.match(text):
        number = float(text)
    elif text.upper() in EXCEL_ERRORS:
        raise NumberParseError(_("expected a number, found the Excel error value {value}: correct the formula, "
                                 "recalculate in Excel and save the file").format(value=text.upper()))
    else:
        shown = str(value).strip()
        raise NumberParseError((_("expected a number, found the text “{text}” (cut short)") if len(shown) > 80 else
                                _("expected a number, found the text “{text}”")).format(text=shown[:80]))
    return sign * number


def number_or_none(value: object) -> float | None:
    """``parse_vn_number``, with text that is no number read as None (a blank, not an error)."""
    try:
        return parse_vn_number(value)
    except NumberParseError:
        return None
