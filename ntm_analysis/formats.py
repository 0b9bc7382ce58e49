"""Numbers, percentages and lists as a reader writes them, in Vietnamese ("vi",
the default) or English ("en"): "661.500", "16,15", "79,5%", "a, b và c" /
"661,500", "16.15", "79.5%", "a, b, and c". Lists by Babel (CLDR); numbers with
the CLDR symbols of :data:`SYMBOLS` (Babel's number formatting would load its
locale data, a fifth of the time ``validate`` adds to its imports).

The one place where the project writes a number for a reader: charts, notebook
sentences (``story``), findings and Excel headers all call these functions.

Rounding is half-up on the decimal digits as written (16,25 -> 16,3 and
0,125 -> 0,13), as offices round, not Python's or Babel's banker's rounding of
the binary float. A negative figure takes the typographic minus "−", and a
figure that rounds to zero has no sign. A blank (None, NaN, pd.NA) is written
"–": it stays a blank, never 0. An infinite value is written "∞" ("−∞"), and a
figure of any size keeps all its digits: no float makes a formatter fail.
"""
from __future__ import annotations

import math
import numbers
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any, Iterable

#: The languages numbers and lists are written in; the first is the default.
LANGS: tuple[str, ...] = ("vi", "en")
#: language -> (decimal mark, thousands separator), as CLDR gives them (``babel.numbers``
#: ``get_decimal_symbol`` / ``get_group_symbol``; tests/test_numbers.py checks they agree).
SYMBOLS: dict[str, tuple[str, str]] = {"vi": (",", "."), "en": (".", ",")}
#: How a blank value is written.
MISSING: str = "–"
#: The minus sign of a negative figure (U+2212, not the hyphen).
MINUS: str = "−"
#: How an infinite value is written (after its sign).
INFINITY: str = "∞"


def is_missing(value: Any) -> bool:
    """None, NaN and pd.NA (the tidy tables' blanks)."""
    if value is None or type(value).__name__ == "NAType":
        return True
    if isinstance(value, Decimal):
        return value.is_nan()
    return isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral) and math.isnan(value)


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return lang


def _decimal(value: float | int | Decimal) -> Decimal:
    """The number as written in decimal (the shortest repr of a float: 0.1 -> 0.1)."""
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    return Decimal(repr(float(value)))


def half_up(value: float | int | Decimal, decimals: int) -> Decimal:
    """``value`` rounded half-up to ``decimals`` digits, as written in decimal
    (16.25 -> 16.3, 0.125 -> 0.13, 16.15 -> 16.2), not as the nearest binary
    float would round. An infinite value stays infinite."""
    exact = _decimal(value)
    if not exact.is_finite():
        return exact
    with localcontext() as context:  # every digit kept, however large (1e308 has 309)
        context.prec = max(context.prec, exact.adjusted() + decimals + 2)
        return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def number(value: float | int | Decimal | None, decimals: int = 0, lang: str = "vi", *, percent: bool = False,
           trim: bool = False) -> str:
    """A number in ``lang``: ``decimals`` digits after the decimal mark (half-up),
    thousands grouped: 661500 -> "661.500" (en "661,500"), 16.15 -> "16,15".
    ``trim`` drops trailing zeros ("79,50" -> "79,5", "100,0" -> "100");
    ``percent`` appends "%" to a value already in % (79.5 -> "79,5%")."""
    _check_lang(lang)
    if is_missing(value):
        return MISSING
    rounded = half_up(value, decimals)
    sign = MINUS if rounded < 0 else ""
    if rounded.is_infinite():
        return sign + INFINITY + ("%" if percent else "")
    text = f"{abs(rounded):,.{decimals}f}"  # "661,500.25": groups of three, the digits of ``rounded``
    if trim and decimals:
        text = text.rstrip("0").rstrip(".")
    mark, group = SYMBOLS[lang]
    text = text.translate({ord(","): group, ord("."): mark})
    return sign + text + ("%" if percent else "")


def share(value: float | int | None, decimals: int = 1, lang: str = "vi", *, trim: bool = True) -> str:
    """A share (0–1) as a percentage: 0.795 -> "79,5%" (en "79.5%"); 0.575 -> "58%"
    at 0 decimals (the ×100 is done in decimal, not in binary floats). ``trim``
    drops trailing zeros (1.0 -> "100%", else "100,0%")."""
    if is_missing(value):
        return MISSING
    return number(_decimal(value) * 100, decimals, lang, percent=True, trim=trim)


def signed(value: float | int | None, decimals: int = 0, lang: str = "vi", *, percent: bool = False,
           trim: bool = False) -> str:
    """:func:`number` with an explicit sign: "+13", "−8", "0" (a figure that
    rounds to zero has no sign)."""
    text = number(value, decimals, lang, percent=percent, trim=trim)
    if is_missing(value):
        return text
    return "+" + text if half_up(value, decimals) > 0 else text


def join(items: Iterable[Any], lang: str = "vi", style: str = "standard") -> str:
    """An enumeration: "a", "a và b", "a, b và c" (en "a, b, and c"); "" for none.
    ``style="or"``: the alternatives "a, b hoặc c" (en "a, b, or c")."""
    _check_lang(lang)
    from babel.lists import format_list  # noqa: PLC0415 - Babel's locale data only once a list is written

    items = [str(i) for i in items]
    return format_list(items, style=style, locale=lang) if items else ""


#: How a yes/no (met / not met, holds / does not) is shown to a reader, never True/False.
YES: str = "✓"
NO: str = "✗"


def mark(value: Any, blank: str = MISSING) -> str:
    """A yes/no for a reader: ✓ or ✗; a blank stays ``blank`` ("–" by default)."""
    if is_missing(value):
        return blank
    return YES if bool(value) else NO
