"""Helpers for the results-template and multi-source tests: fill a template with
openpyxl (by row label and column header, as an analyst would), write
sidecars, copy the real plan."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
from helpers import PLAN

PLAN_SIDECAR = PLAN.with_name(PLAN.stem + ".meta.json")

# ---- the figures an analyst types into a 2021 results template (made up, near the plan) ----
CRITERIA_2021 = [125, 94, 127, 117, 99, 91, 110, 120, 97, 74, 78, 127, 115, 119, 120, 111, 89, 97, 114]
BIEU_01 = {"Tổng số xã": 127, "Số tiêu chí đạt chuẩn bình quân/xã": 15.94,
           "Số xã được công nhận đạt chuẩn NTM": 70, "Số xã đạt 19 tiêu chí": 70,
           "Số xã đạt 15-18 tiêu chí": 19, "Số xã đạt 10-14 tiêu chí": 30, "Số xã đạt 5-9 tiêu chí": 8,
           "Số xã đạt dưới 5 tiêu chí": 0}
#: area -> new NTM communes, average criteria, poverty reduction, latrines, water, jobs, health insurance
BIEU_02 = {
    "Tỉnh Lào Cai": [13, 15.94, 3.2, 80.5, 95.8, 13600, 98.6],
    "Thành phố Lào Cai": [1, 19, 0.1, 100, 99.2, 2700, 96.5],
    "Huyện Bát Xát": [1, 16.5, 4.1, 84.5, 92.3, 1420, 98.4],
    "Huyện Mường Khương": [1, 14.6, 5.3, 67.2, 94.1, 1160, 99.9],
    "Huyện Si Ma Cai": [1, 15.4, 2.6, 82.7, 92, 690, 98.6],
    "Huyện Bắc Hà": [2, 14.9, 5.4, 78.3, 93.4, 1300, 99.4],
    "Huyện Bảo Thắng": [0, 19, 1.4, 85.6, 95.3, 1830, 99.1],
    "Huyện Bảo Yên": [3, 15.3, 3.9, 75.8, 96.8, 1760, 99],
    "Thị xã Sa Pa": [1, 13.4, 4.8, 78.9, 89.6, 1340, 98.9],
    "Huyện Văn Bàn": [3, 16.6, 3.6, 79.4, 97.1, 1400, 99.2],
}
BIEU_03 = {"Tổng cộng": 602350, "Vốn đầu tư trực tiếp cho Chương trình NTM": 290000,
           "Ngân sách Trung ương": 31500, "Đầu tư phát triển": 25500, "Vốn sự nghiệp": 6000,
           "Ngân sách địa phương các cấp": 258500, "- Ngân sách cấp tỉnh": 235000,
           "- Ngân sách cấp huyện": 23500,
           "Vốn lồng ghép các Chương trình, dự án khác trên địa bàn": 245850,
           "Vốn huy động từ doanh nghiệp, HTX và các tổ chức kinh tế khác (gồm cả lãnh đạo tỉnh giúp đỡ xã)": 21500,
           "Huy động từ nhân dân (đất đai, ngày công lao động...)": 45000}


def _row_of(ws, label: str, col: int = 2) -> int:
    rows = [c.row for c in ws.iter_rows(min_col=col, max_col=col) for c in c if c.value == label]
    assert len(rows) == 1, f"{ws.title}: label {label!r} found {len(rows)} times"
    return rows[0]


def _row_starting(ws, prefix: str) -> int:
    rows = [c.row for c in ws.iter_rows(min_col=2, max_col=2) for c in c
            if isinstance(c.value, str) and c.value.startswith(prefix)]
    assert len(rows) == 1, f"{ws.title}: label starting {prefix!r} found {len(rows)} times"
    return rows[0]


def fill_results(path: Path) -> dict[tuple, str]:
    """Type the figures above into a results template; return where each went:
    ("criterion", id) / ("row", label) / ("district", area, column index) / ("funding", label) -> 'Sheet!A1'."""
    wb = openpyxl.load_workbook(path)
    where: dict[tuple, str] = {}
    ws = wb["Biểu 01"]
    for label, value in BIEU_01.items():
        cell = ws.cell(_row_of(ws, label), 4, value)
        where[("row", label)] = f"Biểu 01!{cell.coordinate}"
    for cid, value in enumerate(CRITERIA_2021, start=1):
        cell = ws.cell(_row_starting(ws, f"Xã đạt tiêu chí số {cid} "), 4, value)
        where[("criterion", cid)] = f"Biểu 01!{cell.coordinate}"
    ws = wb["Biểu 02"]
    for area, values in BIEU_02.items():
        for i, value in enumerate(values):
            cell = ws.cell(_row_of(ws, area), 3 + i, value)
            where[("district", area, i)] = f"Biểu 02!{cell.coordinate}"
    ws = wb["Biểu 03"]
    for label, value in BIEU_03.items():
        cell = ws.cell(_row_of(ws, label), 4, value)
        where[("funding", label)] = f"Biểu 03!{cell.coordinate}"
    wb.save(path)
    return where


def write_sidecar(workbook: Path, **fields) -> Path:
    """A sidecar beside ``workbook``: the given fields over an existing sidecar, if any."""
    meta_path = workbook.with_name(workbook.stem + ".meta.json")
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    meta.update(fields)
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    return meta_path


def copy_plan(folder: Path, name: str = PLAN.name) -> Path:
    """The real plan workbook and its sidecar, copied into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / name
    shutil.copy(PLAN, out)
    shutil.copy(PLAN_SIDECAR, out.with_name(out.stem + ".meta.json"))
    return out
