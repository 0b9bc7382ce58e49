"""The pieces of the reader of tables printed without rules
(ntm_analysis/reading/sources/pdf_layout.py), on lines placed by hand: positions in
points, a 10 pt font, lines 12 pt apart."""
from __future__ import annotations

import pytest

from ntm_analysis.reading.sources.document import is_continuation_heading
from ntm_analysis.reading.sources.pdf_layout import (
    _split_column,
    build_table,
    find_regions,
    line_from_chars,
    line_pitch,
)


def line(top: float, *cells: tuple[float, str]) -> object:
    """A text line whose cells start at the given x (pt); letters 5 pt wide."""
    chars = []
    for x, text in cells:
        for i, ch in enumerate(text):
            chars.append({"text": ch, "x0": x + 5 * i, "x1": x + 5 * i + 5, "top": top, "bottom": top + 10,
                          "size": 10.0})
    return line_from_chars(" ".join(t for _x, t in cells), chars, top, top + 10)


def test_a_line_is_cut_where_the_space_is_wider_than_a_word_space():
    ln = line(0, (0, "TT"), (60, "Nội dung"), (200, "127"))
    assert [s.text for s in ln.segments] == ["TT", "Nội dung", "127"]  # "Nội dung": one cell (a space)


def test_rows_that_stand_apart_and_a_wrapped_label():
    # header, then rows 24 pt apart; row 2's label wraps onto a second line 12 pt below
    lines = [line(0, (0, "TT"), (60, "Chỉ tiêu"), (200, "Năm 2021")),
             line(24, (0, "1"), (60, "Tổng số xã"), (200, "127")),
             line(48, (0, "2"), (60, "Số tiêu chí đạt"), (200, "16,15")),
             line(60, (60, "chuẩn bình quân")),
             line(84, (0, "3"), (60, "Số xã"), (200, "72"))]
    (taken, columns), = find_regions(lines)
    assert taken == [0, 1, 2, 3, 4] and len(columns) == 3
    region = [lines[k] for k in taken]
    table = build_table(region, columns, "trang 1, bảng 1", line_pitch(region, columns))
    assert table.rows == [["TT", "Chỉ tiêu", "Năm 2021"], ["1", "Tổng số xã", "127"],
                          ["2", "Số tiêu chí đạt chuẩn bình quân", "16,15"], ["3", "Số xã", "72"]]
    assert table.places[2] == "trang 1, bảng 1, hàng 3"


def test_a_tight_centred_table():
    # no space between rows: row 2's two label lines sit 6 pt above and below its figures
    lines = [line(0, (0, "TT"), (60, "Chỉ tiêu"), (200, "Năm 2021")),
             line(12, (0, "1"), (60, "Tổng số xã"), (200, "127")),
             line(24, (60, "Số tiêu chí đạt")),
             line(30, (0, "2"), (200, "16,15")),
             line(36, (60, "Chuẩn bình quân")),
             line(48, (0, "3"), (60, "Số xã"), (200, "72"))]
    (taken, columns), = find_regions(lines)
    region = [lines[k] for k in taken]
    table = build_table(region, columns, "trang 1, bảng 1", line_pitch(region, columns))
    assert table.rows[1:] == [["1", "Tổng số xã", "127"], ["2", "Số tiêu chí đạt Chuẩn bình quân", "16,15"],
                              ["3", "Số xã", "72"]]


def test_a_centred_column_cut_into_runs():
    # anchors at 0, 19.2, 51.2 and 83.2, lines 12.8 apart; the first and the fifth lie on anchor
    # lines, the third and the fifth go on with a small letter. Centred: row 1's two lines sit
    # around its anchor (19.2), row 2's three lines on theirs (51.2), row 3 has no text (one skip)
    tops = [0, 12.8, 25.6, 38.4, 51.2, 64.0]
    fixed = [0, None, None, None, 2, None]
    joined = [False, False, True, False, True, False]
    cost, rows = _split_column(tops, fixed, joined, [0, 19.2, 51.2, 83.2], centred=True, skip=12.8)
    assert rows == [0, 1, 1, 2, 2, 2] and cost == pytest.approx(12.8)
    # read top-aligned the same cut costs more: row 1 starts 6.4 above, row 2 12.8 above its anchor
    cost_top, _rows = _split_column(tops, fixed, joined, [0, 19.2, 51.2, 83.2], centred=False, skip=12.8)
    assert cost_top == pytest.approx(6.4 + 12.8 + 12.8)


def test_a_top_aligned_column_cut_into_runs():
    # three rows of two lines each, every row starting on its anchor line
    tops = [0, 12.8, 25.6, 38.4, 51.2, 64.0]
    fixed = [0, None, 1, None, 2, None]
    joined = [False] * 6
    cost, rows = _split_column(tops, fixed, joined, [0, 25.6, 51.2], centred=False, skip=12.8)
    assert rows == [0, 0, 1, 1, 2, 2] and cost == 0
    cost_centred, _rows = _split_column(tops, fixed, joined, [0, 25.6, 51.2], centred=True, skip=12.8)
    assert cost_centred == pytest.approx(6.4)  # the last line cannot be centred on any anchor


@pytest.mark.parametrize("text, continued", [
    ("Biểu 01 (tiếp)", True), ("(tiếp theo)", True), ("(Tiếp theo Biểu 03)", True), ("Tiếp Biểu 02", True),
    ("Tiếp tục thực hiện các nhiệm vụ", False), ("Biểu 01", False), ("(tiếp theo) nội dung khác", False)])
def test_continuation_headings(text, continued):
    assert is_continuation_heading(text) is continued


def test_a_table_goes_on_at_the_top_of_the_next_page_under_its_page_number():
    # the previous page ended inside the table (its columns are the seed); this page starts with
    # the page number, centred, then the rest of a wrapped label, then the next rows
    seed = [(0.0, 10.0), (60.0, 150.0), (200.0, 215.0)]
    lines = [line(0, (170, "2")),
             line(24, (60, "theo từng tiêu chí")),
             line(48, (0, "1"), (60, "Xã đạt tiêu chí số 1"), (200, "116")),
             line(72, (0, "2"), (60, "Xã đạt tiêu chí số 2"), (200, "92"))]
    (taken, columns), = find_regions(lines, seed)
    assert taken == [1, 2, 3] and columns == seed  # the page number stays out; the table keeps its columns
    # without the previous page the lone text above the first wide line is taken as a header line
    (taken, _columns), = find_regions(lines)
    assert taken == [1, 2, 3]


def test_a_lone_number_flush_in_a_column_is_the_rest_of_a_label_not_a_page_number():
    seed = [(0.0, 10.0), (60.0, 150.0), (200.0, 215.0)]
    lines = [line(0, (60, "15")),  # "Xã đạt tiêu chí số" | "15", flush with the label column
             line(24, (0, "16"), (60, "Xã đạt tiêu chí số 16"), (200, "109"))]
    (taken, _columns), = find_regions(lines, seed)
    assert taken == [0, 1]
