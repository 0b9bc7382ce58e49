"""Numbers, percentages and lists for a reader, in Vietnamese and English
(expected texts typed by hand from how each language writes them)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ntm_analysis import i18n
from ntm_analysis.formats import LANGS, MISSING, SYMBOLS, half_up, is_missing, join, number, share, signed
from ntm_analysis.notebooks import story


@pytest.mark.parametrize("value, decimals, kwargs, vi, en", [
    (661500, 0, {}, "661.500", "661,500"),
    (16.15, 2, {}, "16,15", "16.15"),
    (79.5, 1, {"percent": True}, "79,5%", "79.5%"),
    (4.7619, 2, {"percent": True}, "4,76%", "4.76%"),
    (79.50, 2, {"trim": True}, "79,5", "79.5"),
    (100.0, 1, {"trim": True}, "100", "100"),
    (1234567.891, 2, {}, "1.234.567,89", "1,234,567.89"),
    (-31500, 0, {}, "−31.500", "−31,500"),
    (127, 0, {}, "127", "127"),
    (np.int64(13500), 0, {}, "13.500", "13,500"),
    (np.float64(16.15), 1, {}, "16,2", "16.2"),
])
def test_numbers_in_each_language(value, decimals, kwargs, vi, en):
    assert number(value, decimals, "vi", **kwargs) == vi
    assert number(value, decimals, "en", **kwargs) == en


@pytest.mark.parametrize("lang", LANGS)
def test_the_symbols_are_cldr_s(lang):
    from babel.numbers import get_decimal_symbol, get_group_symbol
    assert SYMBOLS[lang] == (get_decimal_symbol(lang), get_group_symbol(lang))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("decimals, trim", [(0, False), (1, False), (2, False), (2, True), (3, True)])
def test_numbers_are_written_as_babel_writes_the_rounded_value(lang, decimals, trim):
    # formats writes numbers itself (Babel's locale data costs validate ~20 ms); it must agree with
    # Babel's pattern "#,##0.00" ("#,##0.##" trimmed) on the half-up rounded value, at every magnitude
    from babel.numbers import format_decimal
    values = [0, 7, 12.5, 999.995, 1000, 99999.4, 123456.789, 1234567.891, 10**12 + 0.25, 4.5e17, 1e20, 0.001]
    pattern = "#,##0" + ("." + ("#" if trim else "0") * decimals if decimals else "")
    for value in values + [-v for v in values]:
        rounded = half_up(value, decimals)
        expected = ("−" if rounded < 0 else "") + format_decimal(abs(rounded), format=pattern, locale=lang,
                                                                decimal_quantization=False)
        assert number(value, decimals, lang, trim=trim) == expected


@pytest.mark.parametrize("value, decimals, vi, en", [
    (16.25, 1, "16,3", "16.3"), (0.125, 2, "0,13", "0.13"), (16.15, 1, "16,2", "16.2"),
    (2.5, 0, "3", "3"), (0.5, 0, "1", "1"), (1.005, 2, "1,01", "1.01"), (-16.25, 1, "−16,3", "−16.3"),
])
def test_rounding_is_half_up_as_offices_round(value, decimals, vi, en):
    # Python's round() and Babel's default give 16.2 / 0.12 / 2 (banker's rounding of the binary float)
    assert number(value, decimals, "vi") == vi
    assert number(value, decimals, "en") == en


def test_half_up_works_on_the_decimal_digits_as_written():
    assert str(half_up(0.125, 2)) == "0.13" and str(half_up(16.25, 1)) == "16.3"
    assert str(half_up(7, 1)) == "7.0"


@pytest.mark.parametrize("blank", [None, float("nan"), np.nan, pd.NA])
def test_a_blank_stays_a_blank(blank):
    assert is_missing(blank)
    assert number(blank) == MISSING and share(blank) == MISSING and signed(blank) == MISSING
    assert story.fmt(blank, "n1") == MISSING


def test_text_and_zero_are_not_blanks():
    assert not is_missing("nan") and not is_missing(0) and not is_missing(0.0)
    assert number(0) == "0"


def test_a_figure_that_rounds_to_zero_has_no_sign():
    assert number(-0.04, 1) == "0,0"
    assert signed(0.3, 0) == "0" and signed(0, 0) == "0"
    assert signed(13, 0) == "+13" and signed(-8, 0) == "−8" and signed(2.25, 1, "en") == "+2.3"


def test_shares_as_percentages():
    assert share(0.795) == "79,5%" and share(0.795, lang="en") == "79.5%"
    assert share(1.0) == "100%" and share(72 / 127) == "56,7%"
    assert share(0.04762, 2) == "4,76%"
    assert share(0.575, 0) == "58%" and share(0.0475, 1, "en") == "4.8%"  # 0.575 * 100 is 57.4999… in floats
    assert share(0.3, 1, trim=False) == "30,0%" and share(1.0, 1, "en", trim=False) == "100.0%"


def test_lists_in_each_language():
    assert join(["Thu nhập", "Hộ nghèo", "Y tế"]) == "Thu nhập, Hộ nghèo và Y tế"
    assert join(["Bát Xát", "Sa Pa"]) == "Bát Xát và Sa Pa"
    assert join(["Bát Xát", "Sa Pa"], "en") == "Bát Xát and Sa Pa"
    assert join(["a", "b", "c"], "en") == "a, b, and c"
    assert join(["Sa Pa"]) == "Sa Pa" and join([]) == ""


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang"):
        number(1, 0, "fr")
    with pytest.raises(ValueError, match="lang"):
        join(["a", "b"], "fr")


def test_story_sentences_use_the_same_rounding():
    assert story.say("{x:t1} và {y:t2}", x=16.25, y=0.125) == "16,3 và 0,13"
    assert story.say("{s:%1}", s=0.1625) == "16,3%"
    assert story.say("{m:ty}", m=661500) == "661,5"
    assert story.say("{d:+n}", d=15) == "+15"
    assert story.say("{x} {n}", x=16.15, n=2021) == "16,15 2.021"


@pytest.mark.parametrize("value, vi", [
    (float("inf"), "∞"), (float("-inf"), "−∞"), (float("nan"), MISSING),
    (1e308, "100" + ".000" * 102),  # all 309 digits kept, grouped
])
def test_infinite_and_huge_figures_are_written(value, vi):
    assert number(value, 0, "vi") == vi


FORMATTERS = [
    lambda v: number(v, 2, "vi"), lambda v: number(v, 0, "en", percent=True), lambda v: number(v, 3, trim=True),
    lambda v: share(v), lambda v: share(v, 0, "en"), lambda v: signed(v, 1),
    lambda v: i18n.num(v, 2), lambda v: i18n.value_text(v), lambda v: story.say("{v} {v:n2} {v:t1} {v:%1} {v:p2} "
                                                                                 "{v:ty} {v:+n}", v=v),
]


@given(st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [float("inf"), float("-inf"), float("nan"), 1.7976931348623157e308, -1.7976931348623157e308, 5e-324, -0.0]))
def test_no_float_makes_a_formatter_fail(value):
    for formatter in FORMATTERS:
        text = str(formatter(value))
        assert text and "Infinity" not in text and "nan" not in text.lower()
