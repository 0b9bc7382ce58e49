"""The Vietnamese number parser (reading numbers back from what ``formats`` writes)."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ntm_analysis.formats import number
from ntm_analysis.reading.numbers import NumberParseError, parse_vn_number


@pytest.mark.parametrize("text, expected", [
    ("661.500", 661500.0), ("16,15", 16.15), ("13.500", 13500.0), ("98,50", 98.5),
    ("0,1", 0.1), ("127", 127.0), (" 95,5 ", 95.5), ("1.234.567", 1234567.0), ("1.234,5", 1234.5),
    ("79%", 79.0), ("-3", -3.0), ("95.5", 95.5), ("1,234,567", 1234567.0), ("2.650", 2650.0),
    (127, 127.0), (16.15, 16.15), ("\u00a013.500\u00a0", 13500.0),
])
def test_parses_vietnamese_text_and_numbers(text, expected):
    assert parse_vn_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("blank", [None, "", "  ", "-", "–"])
def test_blank_stays_missing(blank):
    assert parse_vn_number(blank) is None


@pytest.mark.parametrize("bad", ["abc", "12 xã", "1,2,3", "16,15,1", "1.2.3", "x1", True])
def test_text_is_refused_in_plain_words(bad):
    with pytest.raises(NumberParseError, match="cần một số, nhưng ô chứa"):
        parse_vn_number(bad)


@given(st.integers(min_value=0, max_value=10**12))
def test_whole_numbers_round_trip(n):
    assert parse_vn_number(number(n)) == n


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_two_decimal_numbers_round_trip(whole, cents):
    value = whole + cents / 100
    assert parse_vn_number(number(value, 2)) == pytest.approx(value)


@given(st.integers(min_value=1000, max_value=10**9))
def test_thousands_grouping_never_reads_as_a_decimal(n):
    text = f"{n:,}".replace(",", ".")
    assert parse_vn_number(text) == n


@given(st.text(alphabet="abcxyzđêô ", min_size=1).filter(lambda s: s.strip() not in ("", "x")))
def test_letters_are_never_numbers(text):
    with pytest.raises(NumberParseError):
        parse_vn_number(text)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_stored_numbers_pass_through(x):
    assert parse_vn_number(x) == x
