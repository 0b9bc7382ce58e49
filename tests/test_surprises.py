"""Issue 15 §1: the program never lets a wrong picture through in silence (an
uncovered results year, figures citing sources they do not draw, sidecars that do
not fit their file, files of data/raw left unread, numbers that read two ways,
names typed without accents)."""
from __future__ import annotations

import pytest

from ntm_analysis import i18n
from ntm_analysis.numbers import ambiguous_readings, parse_vn_number
from ntm_analysis.reader import read_source


def found(read, check: str) -> list:
    return [f for f in read.findings if f.check == check]


# ---- numbers whose separator reads two ways ---------------------------------------

@pytest.mark.parametrize("text, readings", [
    ("640,000", (640.0, 640000.0)), ("50,000", (50.0, 50000.0)), ("16,150", (16.15, 16150.0)),
    ("16,15", None), ("16.15", None), ("661.500", None), ("1.234,567", None), ("1,234,567", None),
    (640000, None), (16.15, None), ("1640,000", None),
])
def test_only_a_comma_before_exactly_three_digits_is_ambiguous(text, readings):
    assert ambiguous_readings(text) == readings


def test_an_ambiguous_text_cell_is_a_warning_with_both_readings(edit_plan):
    # Biểu 03 D16 (the people's contribution) is "50.000" in the plan; typed "50,000" it reads two ways
    read = read_source(edit_plan({("Biểu 03", "D16"): "50,000"}))
    [warning] = found(read, "ambiguous_number")
    assert (warning.severity, warning.sheet, warning.cell) == ("warning", "Biểu 03", "D16")
    assert '"50,000"' in warning.message and " 50 " in warning.message and "50.000" in warning.message
    # the value stays as the parser reads it: 50 (a decimal comma), never silently changed
    people = read.tables.funding[read.tables.funding.cell == "Biểu 03!D16"]
    assert people.amount_million_vnd.tolist() == [parse_vn_number("50,000")] == [50.0]


def test_a_dot_decimal_and_number_cells_say_nothing(edit_plan):
    read = read_source(edit_plan({("Biểu 01", "E7"): "16.15", ("Biểu 03", "D16"): 50000}))
    assert not found(read, "ambiguous_number")
