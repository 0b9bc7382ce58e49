"""Write data/examples/dieu-chinh-2020-lao-cai.xlsx: a correction of the
end-2020 count of communes at the NTM standard, 57 -> 61.

Plan 05/KH-UBND (12/01/2021) counts 57 NTM communes at the end of 2020. In
March 2021 four more communes were recognised as meeting the standard for 2020
(Nậm Mòn and Cốc Lầu in Bắc Hà, Tân Thượng in Văn Bàn, Xuân Thượng in Bảo Yên),
giving 61 of 127 (doingoailaocai.vn/vi/bai-viet/12022, quoting Báo Lào Cai;
truyenhinhbaoyen.vn; see ../shared/reference/facts.md § 3).

Only what the sources state is restated: the total of 127 communes and the 61
NTM communes. The bands and per-criterion counts of the plan are not corrected
(the sources do not give them). Kind ``correction``: in a build beside the plan
it replaces 57 with 61 and lists the replacement in conflicts.csv.

Run: .venv/bin/python scripts/transcribe_correction_2020.py
"""
from __future__ import annotations

import json

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from ntm_analysis.config import EXAMPLES_DIR
from ntm_analysis.reading.metadata import sha256

OUT = EXAMPLES_DIR / "dieu-chinh-2020-lao-cai.xlsx"
BOX = Border(*(Side(style="thin"),) * 4)
TITLES = [
    "Biểu điều chỉnh",
    "Điều chỉnh kết quả thực hiện Bộ tiêu chí quốc gia về xã nông thôn mới đến hết năm 2020",
    "(04 xã được công nhận đạt chuẩn nông thôn mới năm 2020 vào tháng 3/2021: Nậm Mòn, Cốc Lầu – "
    "huyện Bắc Hà; Tân Thượng – huyện Văn Bàn; Xuân Thượng – huyện Bảo Yên)",
]
HEADER = ["TT", "Chỉ tiêu", "ĐVT", "Thực hiện đến hết năm 2020 (sau điều chỉnh)", "Ghi chú"]
ROWS = [
    ("1", "Tổng số xã", "Xã", 127, None),
    ("2", "Số xã được công nhận đạt chuẩn NTM", "Xã", 61,
     "Kế hoạch 05/KH-UBND ngày 12/01/2021 ghi 57 xã; bổ sung 04 xã công nhận tháng 3/2021"),
]


def build() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Điều chỉnh 2020"
    for r, text in enumerate(TITLES, start=1):
        ws.cell(r, 1, text).font = Font(bold=r <= 2, italic=r == 3)
        ws.cell(r, 1).alignment = Alignment(horizontal="center", wrap_text=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(HEADER))
    ws.row_dimensions[3].height = 32
    for c, text in enumerate(HEADER, start=1):
        cell = ws.cell(5, c, text)
        cell.font, cell.border = Font(bold=True), BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, values in enumerate(ROWS, start=6):
        for c, value in enumerate(values, start=1):
            ws.cell(r, c, value).border = BOX
            ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="center")
    for col, width in zip("ABCDE", (6, 40, 8, 22, 48)):
        ws.column_dimensions[col].width = width
    return wb


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    build().save(OUT)
    sidecar = {
        "source_id": OUT.stem,
        "kind": "correction",
        "year": 2020,
        "province_code": "10",
        "province": "Tỉnh Lào Cai",
        "document_number": "",
        "document_date": "2021-03",
        "issuer": "",
        "received_date": "2026-11-28",
        "citation": ("Báo Lào Cai, dẫn theo doingoailaocai.vn/vi/bai-viet/12022; truyenhinhbaoyen.vn: "
                     "tháng 3/2021 thêm 04 xã được công nhận đạt chuẩn nông thôn mới năm 2020, "
                     "nâng tổng số lên 61/127 xã"),
        "sources": ["doingoailaocai.vn/vi/bai-viet/12022 (quoting Báo Lào Cai)", "truyenhinhbaoyen.vn"],
        "corrects": ("ke-hoach-05-KH-UBND-2021-lao-cai, Biểu 01, 'Số xã được công nhận đạt chuẩn NTM', "
                     "lũy kế đến hết năm 2020: 57 -> 61"),
        "illustrative": False,
        "note": ("The recognition decisions themselves were not found: no document number or issuer; "
                 "document_date is the month the sources give (March 2021). Bands and per-criterion "
                 "counts for 2020 are not restated."),
        "sha256": sha256(OUT),
    }
    OUT.with_name(OUT.stem + ".meta.json").write_text(
        json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT.name} and its sidecar in {OUT.parent}")


if __name__ == "__main__":
    main()
