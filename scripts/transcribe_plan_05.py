"""Transcribe the appendices of plan 05/KH-UBND (Lào Cai, 12/01/2021) into
data/raw/, as laid out in the source document (../shared/source/).

Run once by a person; the workbook and its sidecar are committed. The package
itself never writes under data/raw/. Numbers are typed as the document writes
them: whole numbers as numbers, "15,15" or "661.500" as Vietnamese text.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "raw" / "ke-hoach-05-KH-UBND-2021-lao-cai.xlsx"
KEM_THEO = "(Kèm theo Kế hoạch số: 05 /KH-UBND ngày 12 / 01 /2021 của UBND tỉnh Lào Cai)"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

BIEU_01 = [
    ("1", "Tổng số xã", "Xã", 127, 127),
    ("2", "Số tiêu chí đạt chuẩn bình quân/xã", "Tiêu chí", "15,15", "16,15"),
    ("3", "Số xã được công nhận đạt chuẩn NTM", "Xã", 57, 72),
    ("4", "Số xã đạt theo số lượng tiêu chí", "Xã", None, None),
    ("-", "Số xã đạt 19 tiêu chí", "Xã", 57, 72),
    ("-", "Số xã đạt 15-18 tiêu chí", "Xã", 7, 17),
    ("-", "Số xã đạt 10-14 tiêu chí", "Xã", 48, 31),
    ("-", "Số xã đạt 5-9 tiêu chí", "Xã", 15, 7),
    ("5", "Kết quả đạt chuẩn theo từng tiêu chí", None, None, None),
] + [(str(i), f"Xã đạt tiêu chí số {i}", "Xã", a, b) for i, (a, b) in enumerate([
    (116, 127), (92, 95), (127, 127), (108, 119), (96, 100), (89, 92), (90, 115), (120, 120),
    (94, 98), (64, 77), (65, 80), (127, 127), (114, 115), (118, 120), (120, 120), (109, 112),
    (85, 91), (78, 101), (112, 115)], start=1)]

BIEU_02_INDICATORS = [
    "Số xã đạt chuẩn nông thôn mới (Xã)",
    "Số tiêu chí NTM bình quân trên xã (TC/xã)",
    "Giảm tỷ lệ hộ nghèo bình quân (%)",
    "Tỷ lệ số hộ dân nông thôn có nhà tiêu hợp vệ sinh (%)",
    "Tỷ lệ dân nông thôn được sử dụng nước hợp vệ sinh (%)",
    "Số lao động có việc làm tăng thêm (lao động)",
    "Tỷ lệ bao phủ BHYT (%)",
]
BIEU_02 = [
    (None, "Tỉnh", 15, "16,15", 3, 79, "95,5", "13.500", "98,50"),
    (1, "TP Lào Cai", 1, 19, "0,1", 100, 99, "2.650", "96,40"),
    (2, "Bát Xát", 1, "16,2", 4, 84, 92, "1.410", "98,50"),
    (3, "Bảo Thắng", None, 19, "1,5", 85, 95, "1.800", "99,00"),
    (4, "TX Sa Pa", 1, "13,2", 5, 78, 89, "1.350", "99,00"),
    (5, "Văn Bàn", 4, 16, "3,5", 79, 97, "1.400", "99,20"),
    (6, "Bảo Yên", 3, 15, 4, 75, 97, "1.750", "99,00"),
    (7, "Mường Khương", 1, "14,7", "5,1", 66, 94, "1.150", "99,93"),
    (8, "Bắc Hà", 3, "14,8", "5,2", 78, "93,5", "1.290", "99,50"),
    (9, "Si Ma Cai", 1, "15,6", "2,5", 83, 92, 700, "98,5"),
]
BIEU_03 = [  # code, content, unit, amount, italic
    (None, "Tổng cộng", "tr.đ", "661.500", False),
    ("1", "Vốn đầu tư trực tiếp cho Chương trình NTM", "tr.đ", "311.500", False),
    ("1.1.", "Ngân sách Trung ương", "tr.đ", "31.500", True),
    (None, "Đầu tư phát triển", "tr.đ", "25.500", False),
    (None, "Vốn sự nghiệp", "tr.đ", "6.000", False),
    ("1.2.", "Ngân sách địa phương các cấp", None, "280.000", True),
    (None, "- Ngân sách cấp tỉnh", "tr.đ", "250.000", False),
    (None, "- Ngân sách cấp huyện", "tr.đ", "30.000", False),
    ("2", "Vốn lồng ghép các Chương trình, dự án khác trên địa bàn", "tr.đ", "270.000", False),
    ("3", "Vốn huy động từ doanh nghiệp, HTX và các tổ chức kinh tế khác "
          "(gồm cả lãnh đạo tỉnh giúp đỡ xã)", "tr.đ", "30.000", False),
    ("4", "Huy động từ nhân dân (đất đai, ngày công lao động...)", "tr.đ", "50.000", False),
]


def _titles(ws, lines: list[str], width: int) -> None:
    for i, text in enumerate(lines, start=1):
        ws.cell(i, 1, text).font = Font(bold=i <= 2, italic=text.startswith("(Kèm"))
        ws.cell(i, 1).alignment = Alignment(horizontal="center", wrap_text=True)
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)


def _row(ws, r: int, values, italic: bool = False) -> None:
    for c, v in enumerate(values, start=1):
        cell = ws.cell(r, c, v)
        cell.border = BOX
        cell.font = Font(italic=italic)


def build() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Biểu 01"
    _titles(ws, ["Biểu 01", "Kế hoạch thực hiện 19 tiêu chí nông thôn mới năm 2021", KEM_THEO], 5)
    header = ["TT", "Số xã đạt Tiêu chí NTM", "ĐVT", "Lũy kế số xã đạt tiêu chí\nđến hết năm 2020",
              "Lũy kế số xã đạt tiêu chí\nđến hết năm 2021"]
    _row(ws, 5, header)
    for c in range(1, 6):
        ws.cell(5, c).font = Font(bold=True)
        ws.cell(5, c).alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for r, values in enumerate(BIEU_01, start=6):
        _row(ws, r, values)
    for col, width in zip("ABCDE", (6, 42, 10, 22, 22)):
        ws.column_dimensions[col].width = width

    ws = wb.create_sheet("Biểu 02")
    _titles(ws, ["Biểu 02", "MỘT SỐ CHỈ TIÊU KẾ HOẠCH NĂM 2021", KEM_THEO], 9)
    _row(ws, 5, ["TT", "Chi tiêu Huyện, TX, TP", "Chỉ tiêu kế hoạch năm 2021"] + [None] * 6)
    _row(ws, 6, [None, None] + BIEU_02_INDICATORS)
    ws.merge_cells("A5:A6")
    ws.merge_cells("B5:B6")
    ws.merge_cells("C5:I5")
    for r in (5, 6):
        for c in range(1, 10):
            ws.cell(r, c).font = Font(bold=True)
            ws.cell(r, c).alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for r, values in enumerate(BIEU_02, start=7):
        _row(ws, r, values)
    for col, width in zip("ABCDEFGHI", (5, 20, 14, 14, 14, 16, 16, 16, 12)):
        ws.column_dimensions[col].width = width

    ws = wb.create_sheet("Biểu 03")
    _titles(ws, ["Biểu 03", "Kế hoạch huy động nguồn lực xây dựng nông thôn mới\ntỉnh Lào Cai năm 2021",
                 KEM_THEO], 5)
    _row(ws, 5, ["TT", "Nội dung", "ĐVT", "Dự kiến Kế hoạch năm 2021", "Ghi chú"])
    for c in range(1, 6):
        ws.cell(5, c).font = Font(bold=True)
    for r, (code, content, unit, amount, italic) in enumerate(BIEU_03, start=6):
        _row(ws, r, [code, content, unit, amount, None], italic=italic)
    for col, width in zip("ABCDE", (6, 60, 8, 22, 10)):
        ws.column_dimensions[col].width = width
    return wb


def main() -> None:
    wb = build()
    fixed = datetime(2021, 1, 12)
    wb.properties.creator = "ntm-analysis transcription"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.save(OUT)
    sha = hashlib.sha256(OUT.read_bytes()).hexdigest()
    sidecar = {
        "source_id": OUT.stem,
        "kind": "plan",
        "year": 2021,
        "province_code": "10",
        "province": "Tỉnh Lào Cai",
        "document_number": "05/KH-UBND",
        "document_date": "2021-01-12",
        "issuer": "Ủy ban nhân dân tỉnh Lào Cai",
        "citation": "Kế hoạch số 05/KH-UBND ngày 12/01/2021 của UBND tỉnh Lào Cai",
        "received_date": "2026-11-28",
        "illustrative": False,
        "appendices": [
            {"id": "bieu_01", "sheet": "Biểu 01", "table": "criteria",
             "name": "Biểu 01: Kế hoạch thực hiện 19 tiêu chí nông thôn mới năm 2021"},
            {"id": "bieu_02", "sheet": "Biểu 02", "table": "districts",
             "name": "Biểu 02: Một số chỉ tiêu kế hoạch năm 2021 (tỉnh và 9 huyện, thị xã, thành phố)"},
            {"id": "bieu_03", "sheet": "Biểu 03", "table": "funding",
             "name": "Biểu 03: Kế hoạch huy động nguồn lực xây dựng nông thôn mới năm 2021"},
        ],
        "transcription_note": (
            "Typed by hand from the Markdown conversion of the plan (shared/source/"
            "plan-05-KH-UBND-2021-lao-cai.md), cell by cell, keeping the document's layout: title "
            "lines, headers (Biểu 02's two-level header as merged cells), row codes, blank cells and "
            "the document's spelling ('Chi tiêu Huyện, TX, TP'). Numbers are as printed: whole "
            "numbers stored as numbers, others as Vietnamese text ('15,15', '661.500'). The labels "
            "'Biểu 02' and 'Biểu 03' were lost in the Markdown conversion and are restored from the "
            "plan's references to its appendices. Bảo Thắng's 2021 new-NTM target is blank in the "
            "source and stays blank."),
        "sha256": sha,
    }
    OUT.with_name(OUT.stem + ".meta.json").write_text(
        json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({sha[:12]})")


if __name__ == "__main__":
    main()
