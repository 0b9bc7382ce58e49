"""Plan workbooks of other provinces for the roll-up tests, written by the benchmark's
generator (benchmarks/generate.py: real province and district names and commune counts
of the GSO 2021 gazetteer, the appendix layout of plan 05) with figures chosen here, so
that the expected overview rows can be computed by hand.

These are NOT the provinces' real plans: every figure below is made up.

Each province's figures (2020 actual -> 2021 target):

* Yên Bái (15), 150 communes: every criterion met by 120 -> 130 communes except
  10. Thu nhập 80 -> 100 and 11. Hộ nghèo 85 -> 95; NTM communes 75 -> 90; funding
  500.000 million VND, of which the central budget 50.000 (10 %).
* Lai Châu (12), 94 communes: every criterion 70 -> 80 except 10. Thu nhập 40 -> 50;
  NTM communes 33 -> 47; funding 300.000 million VND, central budget 60.000 (20 %).
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from helpers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import INDICATORS, Plan, Sheet, provinces, write_bieu_01, write_bieu_02, write_bieu_03  # noqa: E402

#: The figures of each made-up plan: criteria counts (19) and bands (19, 15-18, 10-14, 5-9, <5)
#: for 2020 ("prev") and 2021 ("target"), new NTM communes per district (gazetteer order),
#: and the funding lines (code, label, million VND) as Biểu 03 of plan 05 has them.
SPECS: dict[str, dict] = {
    "15": {
        "criteria": {"prev": [120] * 9 + [80, 85] + [120] * 8, "target": [130] * 9 + [100, 95] + [130] * 8},
        "bands": {"prev": [75, 30, 35, 10, 0], "target": [90, 30, 25, 5, 0]},
        "new_ntm": [2, 2, 2, 2, 1, 2, 1, 2, 1],
        "funding": [50_000, 40_000, 10_000, 150_000, 120_000, 30_000, 250_000, 20_000, 30_000],
    },
    "12": {
        "criteria": {"prev": [70] * 9 + [40] + [70] * 9, "target": [80] * 9 + [50] + [80] * 9},
        "bands": {"prev": [33, 20, 30, 11, 0], "target": [47, 20, 20, 7, 0]},
        "new_ntm": [1, 2, 2, 3, 2, 2, 1, 1],
        "funding": [60_000, 45_000, 15_000, 40_000, 30_000, 10_000, 150_000, 20_000, 30_000],
    },
}


def _funding(central: int, dtpt: int, sn: int, local: int, prov: int, dist: int, integrated: int,
             enterprises: int, people: int) -> list[tuple[str | None, str, float]]:
    direct = central + local
    return [
        (None, "Tổng cộng", direct + integrated + enterprises + people),
        ("1", "Vốn đầu tư trực tiếp cho Chương trình NTM", direct),
        ("1.1.", "Ngân sách Trung ương", central),
        (None, "Đầu tư phát triển", dtpt),
        (None, "Vốn sự nghiệp", sn),
        ("1.2.", "Ngân sách địa phương các cấp", local),
        (None, "- Ngân sách cấp tỉnh", prov),
        (None, "- Ngân sách cấp huyện", dist),
        ("2", "Vốn lồng ghép các Chương trình, dự án khác trên địa bàn", integrated),
        ("3", "Vốn huy động từ doanh nghiệp, HTX và các tổ chức kinh tế khác", enterprises),
        ("4", "Huy động từ nhân dân (đất đai, ngày công lao động...)", people),
    ]


def province_plan(folder: Path, code: str, *, illustrative: bool = True) -> Path:
    """The made-up 2021 plan of province ``code`` (a key of ``SPECS``) in ``folder``,
    with its sidecar; returns the workbook."""
    spec = SPECS[code]
    province = next(p for p in provinces() if p.code == code)
    total = province.communes
    avg = {key: round(sum(counts) / total, 2) for key, counts in spec["criteria"].items()}
    codes = [d.code for d in province.districts]
    new = dict(zip(codes, map(float, spec["new_ntm"])))
    plan = Plan(province, 2021, spec["criteria"], spec["bands"], avg, list(INDICATORS[:2]),
                {"new_ntm": new, "avg": dict.fromkeys(codes, avg["target"])},
                {"new_ntm": float(sum(spec["new_ntm"])), "avg": avg["target"]}, _funding(*spec["funding"]))
    from openpyxl import Workbook  # noqa: PLC0415

    wb = Workbook()
    wb.remove(wb.active)
    rng = random.Random(int(code))
    for name, write in zip(("Biểu 01", "Biểu 02", "Biểu 03"), (write_bieu_01, write_bieu_02, write_bieu_03)):
        write(Sheet(wb.create_sheet(name), 1, 0, False), plan, rng, "numbers")
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"ke-hoach-2021-{code}-thu-nghiem"
    path = folder / f"{stem}.xlsx"
    wb.save(path)
    number = f"{int(code):02d}/KH-UBND (thử nghiệm)"
    sidecar = {"source_id": stem, "kind": "plan", "year": 2021, "province_code": code,
               "document_number": number, "document_date": "2021-01-15",
               "issuer": f"Ủy ban nhân dân {province.title}",
               "citation": f"Kế hoạch số {number} ngày 15/01/2021 của UBND {province.title}",
               "illustrative": illustrative, "sha256": None}
    path.with_name(f"{stem}.meta.json").write_text(json.dumps(sidecar, ensure_ascii=False, indent=2),
                                                   encoding="utf-8")
    return path
