"""A workbook laid out unlike data/raw's: one sheet with another name, tables in
another order and position, NFD text, numbers stored as numbers, headers broken
across lines and not merged, a column-numbering row, notes, other spellings."""
from __future__ import annotations

import unicodedata

import openpyxl
import pytest
from helpers import PLAN
from pandas.testing import assert_frame_equal

from ntm_analysis.reading.reader import read_source

C2020 = [116, 92, 127, 108, 96, 89, 90, 120, 94, 64, 65, 127, 114, 118, 120, 109, 85, 78, 112]
C2021 = [127, 95, 127, 119, 100, 92, 115, 120, 98, 77, 80, 127, 115, 120, 120, 112, 91, 101, 115]


def nfd(text):
    return unicodedata.normalize("NFD", text) if isinstance(text, str) else text


def put(ws, top: int, left: int, rows: list[list]) -> int:
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.cell(top + r, left + c, nfd(value))
    return top + len(rows)


@pytest.fixture(scope="module")
def other_layout(tmp_path_factory):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Phu bieu KH 2021"
    left = 3  # two blank leading columns
    row = put(ws, 2, left, [
        ["PHỤ BIỂU 3"],
        ["Kế hoạch huy động nguồn lực   xây dựng nông thôn mới năm 2021"],
        [],
        ["STT", "Nội dung\nnguồn vốn", "Đơn vị tính", "Kế hoạch\nnăm 2021", "Ghi chú"],
        [1, 2, 3, 4, 5],
        [None, "Tổng cộng", "triệu đồng", 661500.0],
        ["1", "Vốn đầu tư trực tiếp cho Chương trình NTM", "triệu đồng", 311500],
        ["1.1", "Ngân sách Trung ương", "triệu đồng", 31500],
        ["-", "Đầu tư phát triển", "triệu đồng", 25500],
        ["-", "Vốn sự nghiệp", "triệu đồng", 6000],
        ["1.2", "Ngân sách địa phương các cấp", None, 280000],
        ["+", "Ngân sách cấp tỉnh", "tỷ đồng", 250],
        ["+", "Ngân sách cấp huyện", "triệu đồng", 30000],
        ["2", "Vốn lồng ghép các Chương trình, dự án khác", "triệu đồng", 270000],
        ["3", "Vốn huy động từ doanh nghiệp, HTX", "triệu đồng", 30000],
        ["4", "Huy động từ nhân dân", "triệu đồng", 50000],
        ["Ghi chú: số liệu dự kiến"],
    ])
    row = put(ws, row + 2, left, [
        ["Phụ biểu 1: Kế hoạch thực hiện Bộ tiêu chí quốc gia về xã nông thôn mới năm 2021"],
        ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện\nđến hết năm 2020", "Kế hoạch\nđến hết năm 2021"],
        ["1", "Tổng số xã", "xã", 127, 127],
        ["2", "Số tiêu chí bình quân/xã", "tiêu chí", 15.15, 16.15],
        ["3", "Số xã đạt chuẩn NTM", "xã", 57, 72],
        ["a", "Số xã đạt 19 tiêu chí", "xã", 57, 72],
        ["b", "Số xã đạt từ 15-18 tiêu chí", "xã", 7, 17],
        ["c", "Số xã đạt từ 10 - 14 tiêu chí", "xã", 48, 31],
        ["d", "Số xã đạt từ 5–9 tiêu chí", "xã", 15, 7],
    ] + [[str(i), f"Tiêu chí số {i}", "xã", a, b] for i, (a, b) in enumerate(zip(C2020, C2021), 1)])
    districts = [["Tỉnh Lào Cai", 15, 16.15, 3, 79, 95.5, 13500, 98.5],
                 ["Thành phố Lào Cai", 1, 19, 0.1, 100, 99, 2650, 96.4],
                 ["Huyện Bát Xát", 1, 16.2, 4, 84, 92, 1410, 98.5],
                 ["H. Bảo Thắng", None, 19, 1.5, 85, 95, 1800, 99],
                 ["Thị xã Sa Pa", 1, 13.2, 5, 78, 89, 1350, 99],
                 ["Văn Bàn", 4, 16, 3.5, 79, 97, 1400, 99.2],
                 ["Bảo Yên", 3, 15, 4, 75, 97, 1750, 99],
                 ["Mường Khương", 1, 14.7, 5.1, 66, 94, 1150, 99.93],
                 ["Bắc Hà", 3, 14.8, 5.2, 78, 93.5, 1290, 99.5],
                 ["Si Ma Cai", 1, 15.6, 2.5, 83, 92, 700, 98.5]]
    put(ws, row + 3, left + 1, [
        ["Phụ biểu 2: Một số chỉ tiêu kế hoạch năm 2021 của các huyện, thị xã, thành phố"],
        ["STT", "Đơn vị\n(huyện, thị xã, thành phố)", "Chỉ tiêu kế hoạch năm 2021"],
        [None, None, "Số xã đạt chuẩn NTM", "Số tiêu chí bình quân/xã", "Giảm tỷ lệ hộ nghèo (%)",
         "Tỷ lệ hộ có nhà tiêu hợp vệ sinh (%)", "Tỷ lệ dân dùng nước hợp vệ sinh (%)",
         "Lao động có việc làm tăng thêm", "Tỷ lệ tham gia bảo hiểm y tế (%)"],
    ] + [[i or None] + r for i, r in enumerate(districts)])
    path = tmp_path_factory.mktemp("layout") / "phu-bieu-khac.xlsx"
    wb.save(path)
    return read_source(path)


def test_reads_without_errors(other_layout):
    assert not other_layout.findings.errors, other_layout.findings.report()


def test_same_figures_as_the_real_plan(other_layout):
    plan = read_source(PLAN)
    for name in ("criteria", "commune_bands", "province", "districts", "funding"):
        mine = other_layout.tables.as_dict()[name]
        theirs = plan.tables.as_dict()[name]
        keys = {"criteria": ["year", "criterion_id"], "commune_bands": ["year", "band"],
                "province": ["year", "indicator"], "districts": ["area_code", "indicator"],
                "funding": ["code"]}[name]
        value = {"criteria": "communes", "commune_bands": "communes", "province": "value",
                 "districts": "value", "funding": "amount_million_vnd"}[name]
        left = mine.sort_values(keys)[keys + ["status", value]].reset_index(drop=True)
        right = theirs.sort_values(keys)[keys + ["status", value]].reset_index(drop=True)
        assert_frame_equal(left, right, obj=name)


def test_text_is_nfc_and_cells_point_to_this_layout(other_layout):
    funding = other_layout.tables.funding
    assert funding.source.tolist()[2] == "Ngân sách Trung ương"
    assert all(unicodedata.is_normalized("NFC", s) for s in funding.source)
    assert funding.cell.tolist()[0] == "Phu bieu KH 2021!F7"
