"""Write data/examples/ket-qua-2021-minh-hoa.xlsx: the results template for
2021, filled with ILLUSTRATIVE figures (Số liệu minh họa), plus its sidecar.

The figures are made up, near the targets of plan 05/KH-UBND, to try the
results workflow (template -> fill -> build -> plan against actual) before real
results arrive. They are not Lào Cai's results: the sidecar says
``illustrative: true``, every appendix sheet says "SỐ LIỆU MINH HỌA", and the
notebooks and charts label them so. The file lives outside data/raw/; copy it
(with its sidecar) into a scratch raw folder to try it.

They are consistent with the correction in data/examples (61 NTM communes at
the end of 2020): 61 + 9 new in 2021 = 70.

``ket-qua-2021-thieu-chi-tiet-minh-hoa.xlsx`` is the same year with Biểu 03 entered as an
office often first reports it: the total and the subtotals only, every detail line left
blank (a partial result: drawn as the total against its plan, never as zeros).

Run: .venv/bin/python scripts/make_example_results.py [--partial]  (--partial: that file only)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

from ntm_analysis.config import EXAMPLES_DIR
from ntm_analysis.publishing.template import write_results_template
from ntm_analysis.reading.metadata import sha256

OUT = EXAMPLES_DIR / "ket-qua-2021-minh-hoa.xlsx"
OUT_PARTIAL = EXAMPLES_DIR / "ket-qua-2021-thieu-chi-tiet-minh-hoa.xlsx"
BANNER = "(SỐ LIỆU MINH HỌA – không phải số liệu thực tế của tỉnh, chỉ dùng để thử quy trình)"

BIEU_01 = {  # label -> cumulative value at the end of 2021
    "Tổng số xã": 127,
    "Số tiêu chí đạt chuẩn bình quân/xã": 15.92,  # = 2022 criteria met / 127 communes
    "Số xã được công nhận đạt chuẩn NTM": 70,
    "Số xã đạt 19 tiêu chí": 70,
    "Số xã đạt 15-18 tiêu chí": 18,
    "Số xã đạt 10-14 tiêu chí": 31,
    "Số xã đạt 5-9 tiêu chí": 8,
    "Số xã đạt dưới 5 tiêu chí": 0,
}
CRITERIA = [124, 95, 127, 118, 98, 90, 112, 120, 96, 75, 79, 127, 115, 119, 120, 110, 88, 96, 113]
# area -> new NTM communes, average criteria, poverty reduction (points), hygienic latrines %,
# hygienic water %, jobs added, health insurance %
BIEU_02 = {
    "Tỉnh Lào Cai": [9, 15.92, 3.1, 79.6, 95.3, 13260, 98.4],
    "Thành phố Lào Cai": [0, 19, 0.1, 100, 99.1, 2610, 96.2],
    "Huyện Bát Xát": [1, 16.8, 3.9, 84.2, 92.4, 1380, 98.3],
    "Huyện Mường Khương": [1, 14.6, 4.9, 66.8, 93.8, 1120, 99.8],
    "Huyện Si Ma Cai": [1, 15.5, 2.4, 83.1, 91.7, 710, 98.2],
    "Huyện Bắc Hà": [1, 14.7, 5.0, 77.9, 93.2, 1250, 99.3],
    "Huyện Bảo Thắng": [0, 19, 1.5, 85.3, 95.1, 1790, 98.9],
    "Huyện Bảo Yên": [2, 15.1, 3.8, 75.6, 96.6, 1700, 98.8],
    "Thị xã Sa Pa": [1, 13.3, 4.6, 78.4, 89.3, 1310, 98.7],
    "Huyện Văn Bàn": [2, 16.5, 3.4, 79.2, 96.8, 1390, 99.1],
}
BIEU_03 = {  # million VND mobilised in 2021
    "Tổng cộng": 598400,
    "Vốn đầu tư trực tiếp cho Chương trình NTM": 287500,
    "Ngân sách Trung ương": 31500,
    "Đầu tư phát triển": 25500,
    "Vốn sự nghiệp": 6000,
    "Ngân sách địa phương các cấp": 256000,
    "- Ngân sách cấp tỉnh": 228000,
    "- Ngân sách cấp huyện": 28000,
    "Vốn lồng ghép các Chương trình, dự án khác trên địa bàn": 243900,
    "Vốn huy động từ doanh nghiệp, HTX và các tổ chức kinh tế khác (gồm cả lãnh đạo tỉnh giúp đỡ xã)": 22000,
    "Huy động từ nhân dân (đất đai, ngày công lao động...)": 45000,
}

BIEU_03_PARTIAL = {  # million VND: the total and the subtotals; the detail lines left blank
    "Tổng cộng": 600000,
    "Vốn đầu tư trực tiếp cho Chương trình NTM": 290000,
    "Ngân sách Trung ương": 31500,
    "Ngân sách địa phương các cấp": 258500,
}


def _row(ws, label: str) -> int:
    """The row whose label (column B) is ``label``, or starts with it followed by a space."""
    rows = [c.row for (c,) in ws.iter_rows(min_col=2, max_col=2)
            if isinstance(c.value, str) and (c.value == label or c.value.startswith(label + " "))]
    if len(rows) != 1:
        raise SystemExit(f"{ws.title}: {len(rows)} rows labelled {label!r}; has the template changed?")
    return rows[0]


def fill(path: Path, funding: dict[str, float] = BIEU_03) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["Biểu 01"]
    for label, value in BIEU_01.items():
        ws.cell(_row(ws, label), 4, value)
    for cid, value in enumerate(CRITERIA, start=1):
        ws.cell(_row(ws, f"Xã đạt tiêu chí số {cid}"), 4, value)
    ws = wb["Biểu 02"]
    for area, values in BIEU_02.items():
        for i, value in enumerate(values):
            ws.cell(_row(ws, area), 3 + i, value)
    ws = wb["Biểu 03"]
    for label, value in funding.items():
        ws.cell(_row(ws, label), 4, value)
    for name in ("Biểu 01", "Biểu 02", "Biểu 03"):
        wb[name]["A3"] = BANNER  # the third title line
    guide = wb["Hướng dẫn"]
    guide["A3"] = "TỆP MẪU ĐÃ ĐIỀN SỐ LIỆU MINH HỌA: các con số là giả định, không phải kết quả thực tế."
    guide["A3"].font = Font(bold=True, color="C00000")
    wb.save(path)


def write(out: Path, funding: dict[str, float], note: str) -> None:
    """The filled workbook ``out`` (Biểu 03 from ``funding``) and its sidecar."""
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook, meta_path = write_results_template(2021, out, overwrite=True)
    fill(workbook, funding)
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.pop("instructions", None)
    meta.update({
        "illustrative": True,
        "citation": "Số liệu minh họa (không phải số liệu thực tế), tạo bởi scripts/make_example_results.py",
        "note": note,
        "sha256": sha256(workbook),
    })
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {workbook.name} and {meta_path.name} in {out.parent}")


def main() -> None:
    note = ("Illustrative figures, made up near the targets of plan 05/KH-UBND to exercise the "
            "results workflow; actual end-2021 results were not found in public sources. Consistent "
            "with the 2020 correction (61 + 9 = 70 NTM communes).")
    if "--partial" not in sys.argv[1:]:
        write(OUT, BIEU_03, note)
    write(OUT_PARTIAL, BIEU_03_PARTIAL,
          note + " Biểu 03 holds the total and subtotals only, its detail lines blank (a partial result).")


if __name__ == "__main__":
    main()
