"""Vietnamese sentences from data, numbers written the Vietnamese way.

The notebooks never type a figure into their text: they render it from the
data with :func:`say` (a string) or :func:`md` (Markdown for ``display``)::

    say("Năm {year}, {ntm:n} xã đạt chuẩn ({share:%1}).", year=2021, ntm=72, share=72 / 127)
    # 'Năm 2021, 72 xã đạt chuẩn (56,7%).'

Format specs (after the colon), on top of Python's own:

=========  =====================================================  ==============
spec       meaning                                                16.15 / 0.795
=========  =====================================================  ==============
(none)     ints grouped ("13.500"), floats up to 2 decimals        "16,15"
``n``      fixed decimals: ``n`` (0), ``n1``, ``n2`` …             ``n2`` "16,15"
``t``      up to N decimals, trailing zeros dropped: ``t1``        ``t1`` "16,2"
``%``      a share (0–1) as a percentage, ``%1`` one decimal        ``%1`` "79,5%"
           at most (trailing zeros dropped: 1.0 -> "100%")
``p``      a value already in % (``p1``: "95,5%")                   ``p2`` "16,15%"
``ty``     million VND as billion VND (``ty``, ``ty2``)             "661,5"
``y``      a year, never grouped ("2021")
``+``      prefix for a signed figure: "+15", "−3,5", "0"         ``+t2`` "+16,15"
=========  =====================================================  ==============

Fields whose name ends in ``year`` (``year``, ``base_year``…) are written as
years without a spec; every other number gets Vietnamese grouping and decimal
comma. Missing values (None, NaN, pd.NA) are written "–".
"""
from __future__ import annotations

import re
import string
from typing import Any, Iterable

import pandas as pd

from .formats import MISSING, is_missing, join, number, share  # join: "a, b và c", for the notebooks

_SPEC = re.compile(r"^(?P<sign>\+)?(?P<kind>n|t|%|p|ty|y)(?P<digits>\d)?$")


def _as_number(value: Any) -> float | int:
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return value


def num(value: Any, decimals: int | None = None, *, trim: bool = False) -> str:
    """A number the Vietnamese way. ``decimals=None``: ints as they are,
    floats with up to 2 decimals (trailing zeros dropped)."""
    if is_missing(value):
        return MISSING
    value = _as_number(value)
    if decimals is None:
        return number(value, 0) if float(value).is_integer() else number(value, 2, trim=True)
    return number(value, decimals, trim=trim)


def pct(value: Any, decimals: int = 1) -> str:
    """A share (0–1) as a Vietnamese percentage: 0.795 -> "79,5%", 1.0 -> "100%"."""
    return share(value, decimals)


def signed(text: str, value: Any) -> str:
    """Prefix a formatted figure with its sign: "+15", "−3,5" (``text`` already
    carries the minus sign of a negative value), "0" without sign."""
    if is_missing(value):
        return MISSING
    value = float(_as_number(value))
    if value > 0 and any(ch not in "0,.%" for ch in text):
        return "+" + text
    return text


def billion(million_vnd: Any, decimals: int = 1) -> str:
    """Million VND as billion VND (tỷ đồng): 661500 -> "661,5"."""
    if is_missing(million_vnd):
        return MISSING
    return number(float(_as_number(million_vnd)) / 1000, decimals, trim=True)


def fmt(value: Any, spec: str = "") -> str:
    """One value under one of the specs of this module (see the module doc)."""
    if isinstance(value, str):
        return format(value, spec)
    if isinstance(value, bool):
        return "có" if value else "không"
    if is_missing(value):
        return MISSING
    value = _as_number(value)
    if not isinstance(value, (int, float)):  # paths, dates, anything else: as Python writes it
        return format(value, spec)
    if not spec:
        return num(value)
    match = _SPEC.match(spec)
    if not match:
        return format(value, spec)
    kind, digits = match["kind"], match["digits"]
    n = int(digits) if digits is not None else None
    if kind == "y":
        return str(int(value))
    if kind == "n":
        text = num(value, n or 0)
    elif kind == "t":
        text = num(value, 2 if n is None else n, trim=True)
    elif kind == "%":
        text = pct(value, 1 if n is None else n)
    elif kind == "p":
        d = 1 if n is None else n
        text = number(value, d, percent=True, trim=True)
    else:  # ty
        text = billion(value, 1 if n is None else n)
    return signed(text, value) if match["sign"] else text


class VietnameseFormatter(string.Formatter):
    """``str.format`` with the specs of :func:`fmt`; ``*year`` fields as years."""

    def get_field(self, field_name: str, args, kwargs):
        obj, used = super().get_field(field_name, args, kwargs)
        last = re.split(r"[.\[]", field_name)[-1].rstrip("]")
        if last.endswith("year") and isinstance(_as_number(obj), (int, float)) and not is_missing(obj):
            obj = YearValue(int(_as_number(obj)))
        return obj, used

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, YearValue):
            return str(value.year) if format_spec in ("", "y") else fmt(value.year, format_spec)
        return fmt(value, format_spec)


class YearValue:
    """A year carried through the formatter (never grouped)."""

    def __init__(self, year: int):
        self.year = year


_FORMATTER = VietnameseFormatter()


def say(template: str, /, **values: Any) -> str:
    """Render a Vietnamese sentence: ``template`` in ``str.format`` syntax,
    numbers written the Vietnamese way (see the module doc for the specs)."""
    return _FORMATTER.format(template, **values)


def md(template: str, /, **values: Any):
    """:func:`say`, as Markdown for ``IPython.display.display``."""
    from IPython.display import Markdown  # noqa: PLC0415  (only inside a kernel)

    return Markdown(say(template, **values))


def show(*paragraphs: str) -> None:
    """Display already rendered paragraphs (Markdown) in a notebook."""
    from IPython.display import Markdown, display  # noqa: PLC0415

    display(Markdown("\n\n".join(p for p in paragraphs if p)))


def bullets(lines: Iterable[str]) -> str:
    """A Markdown bullet list."""
    return "\n".join(f"- {line}" for line in lines)


def change_word(delta: Any, up: str = "tăng", down: str = "giảm", same: str = "không đổi") -> str:
    """The verb for a change: "tăng" / "giảm" / "không đổi"."""
    if is_missing(delta):
        return "không rõ"
    delta = float(_as_number(delta))
    return up if delta > 0 else down if delta < 0 else same


#: The tidy tables' statuses, in words.
STATUS_WORDS = {"vi": {"actual": "thực hiện", "target": "kế hoạch"}, "en": {"actual": "actual", "target": "target"}}


def vn_table(frame: pd.DataFrame, formats: dict[str, str] | None = None, *, labels: dict[str, str] | None = None,
             hide_index: bool = True, lang: str = "vi"):
    """A ``Styler`` showing ``frame`` with Vietnamese numbers.

    ``formats`` maps a column to a spec of :func:`fmt` ("n", "t2", "%1", "ty"…);
    other numeric columns get the default (grouped ints, up to 2 decimals).
    ``labels`` renames columns for display (the data keep their names);
    ``status`` values are written in words ("thực hiện", "kế hoạch").
    """
    formats = dict(formats or {})
    if "status" in frame.columns:
        frame = frame.assign(status=frame["status"].map(lambda v: STATUS_WORDS.get(lang, {}).get(v, v)))
    shown = frame.rename(columns=labels) if labels else frame
    if labels:
        formats = {labels.get(k, k): v for k, v in formats.items()}
    styler = shown.style
    for col in shown.columns:
        spec = formats.get(col)
        if spec is None and not pd.api.types.is_numeric_dtype(shown[col]):
            continue
        if pd.api.types.is_bool_dtype(shown[col]):
            continue
        styler = styler.format(lambda v, s=spec or "": fmt(v, s), subset=[col])
    if hide_index:
        styler = styler.hide(axis="index")
    return styler
