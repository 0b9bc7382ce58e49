"""Synthetic province plan workbooks in the appendix layout (Biểu 01, 02, 03).

A national office receives the plans of 63 provinces over 5 years (2021-2025):
315 workbooks that all follow the appendix layout of plan 05/KH-UBND
(scripts/transcribe_plan_05.py) but differ the way real files do:

* numbers: every province has its own communes, districts and figures, consistent
  with each other (bands sum to the total, districts sum to the province, funding
  lines sum to their parents), so the reader reports no error;
* provinces and districts: the 63 provinces of the packaged national gazetteer
  (ntm_analysis/reference/districts.csv, GSO 2021) with their real names, codes
  and commune counts (the district-level units that have communes), so no
  hand-made reference is needed;
* sheets: three sheets (named "Biểu 01".., "BM01".., "PL1".., "Sheet1"..; order
  shuffled; sometimes a notes sheet) or all three tables stacked on one sheet;
  tables offset by 0-5 rows and 0-3 columns; a column-numbering row sometimes;
* text: NFC, or NFD (decomposed accents, as some Word/Mac exports give) for a fifth;
  district labels as full names, short names or abbreviations ("TP. X", "H. X");
* numbers as numbers, as Vietnamese text ("16,15", "661.500"), or mixed like the
  real plan (whole numbers as numbers, the others as text).

Workbook k (0-based) is province k % 63 in year 2021 + k // 63, so the first 63
are one plan per province and any N is a prefix of N = 315. The output is the
same for the same seed (fixed workbook dates), so sha256 sidecars are stable.

Usage: python benchmarks/generate.py OUT_DIR [--n 315] [--seed 2021] [--workers 2]
writes OUT_DIR/raw/*.xlsx (+ .meta.json sidecars); no reference folder: the
packaged gazetteer holds the provinces.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import sys
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

N_PROVINCES = 63
FIRST_YEAR, N_YEARS = 2021, 5
CRITERIA_NAMES = ["Quy hoạch", "Giao thông", "Thủy lợi", "Điện", "Trường học", "Cơ sở vật chất văn hóa",
                  "Cơ sở hạ tầng thương mại nông thôn", "Thông tin và Truyền thông", "Nhà ở dân cư",
                  "Thu nhập", "Hộ nghèo", "Lao động có việc làm", "Tổ chức sản xuất", "Giáo dục và Đào tạo",
                  "Y tế", "Văn hóa", "Môi trường và an toàn thực phẩm",
                  "Hệ thống chính trị và tiếp cận pháp luật", "Quốc phòng và An ninh"]
INDICATORS = [  # (header of the Biểu 02 column, kind of value)
    ("Số xã đạt chuẩn nông thôn mới (Xã)", "new_ntm"),
    ("Số tiêu chí NTM bình quân trên xã (TC/xã)", "avg"),
    ("Giảm tỷ lệ hộ nghèo bình quân (%)", "poverty"),
    ("Tỷ lệ số hộ dân nông thôn có nhà tiêu hợp vệ sinh (%)", "latrine"),
    ("Tỷ lệ dân nông thôn được sử dụng nước hợp vệ sinh (%)", "water"),
    ("Số lao động có việc làm tăng thêm (lao động)", "jobs"),
    ("Tỷ lệ bao phủ BHYT (%)", "bhyt"),
]
SHEET_NAMES = [("Biểu 01", "Biểu 02", "Biểu 03"), ("BM01", "BM02", "BM03"), ("PL1", "PL2", "PL3"),
               ("Sheet1", "Sheet2", "Sheet3"), ("Tiêu chí", "Chỉ tiêu huyện", "Nguồn vốn"),
               ("01", "02", "03")]
DISTRICT_HEADERS = ["Huyện, TX, TP", "Chi tiêu Huyện, TX, TP", "Đơn vị hành chính", "Địa phương",
                    "Huyện, thị xã, thành phố"]
FIXED_DATE = datetime(2021, 1, 12)
GAZETTEER = Path(__file__).resolve().parents[1] / "ntm_analysis" / "reference" / "districts.csv"


# ---- provinces and their gazetteer --------------------------------------------------------------
@dataclass
class District:
    code: str
    area: str  # "Huyện Bát Xát"
    short: str  # "Bát Xát" / "TX Sa Pa" / "TP Lào Cai"
    kind: str  # district / town / city
    name: str  # "Bát Xát"
    communes: int
    shared: bool = False  # another unit of the province has the same bare name ("Long Mỹ")


@dataclass
class Province:
    index: int
    code: str
    official: str  # "Tỉnh Lào Cai", "Thành phố Hà Nội"
    districts: list[District]

    @property
    def name(self) -> str:
        """The bare name: "Lào Cai"."""
        return self.official.split(" ", 1)[1] if self.official.startswith("Tỉnh ") else self.official[10:]

    @property
    def title(self) -> str:
        """As a title names it: "tỉnh Lào Cai", "thành phố Hà Nội"."""
        return self.official[0].lower() + self.official[1:]

    @property
    def communes(self) -> int:
        return sum(d.communes for d in self.districts)


def provinces(seed: int = 2021) -> list[Province]:
    """The 63 provinces of the packaged national gazetteer (GSO 2021), each with its
    district-level units that have communes in the programme (real names, codes and
    commune counts). ``seed`` is kept for the callers; the list does not depend on it."""
    kinds = {"Huyện": "district", "Thị xã": "town", "Thành phố": "city"}
    with open(GAZETTEER, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out: list[Province] = []
    for row in rows:
        if row["area_code"] == row["province_code"]:
            out.append(Province(len(out), row["province_code"], row["area"], []))
        elif int(row["communes"]) > 0:
            kind = next(k for k in kinds if row["area"].startswith(k + " "))
            out[-1].districts.append(District(row["area_code"], row["area"], row["short_name"], kinds[kind],
                                              row["area"][len(kind) + 1:], int(row["communes"])))
    for p in out:
        names = [d.name for d in p.districts] + [p.name]  # "Điện Biên": Huyện and Tỉnh Điện Biên
        for d in p.districts:
            d.shared = names.count(d.name) > 1
    return out


def _abbrev(d: District) -> str:
    return {"district": f"H. {d.name}", "town": f"TX. {d.name}", "city": f"TP. {d.name}"}[d.kind]


# ---- numbers -----------------------------------------------------------------------------------
def vn_text(value: float, decimals: int = 0) -> str:
    """661500 -> "661.500", 16.15 -> "16,15" (Vietnamese grouping and decimal mark)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def cell_number(value: float | None, mode: str, decimals: int, rng: random.Random) -> object:
    """A figure as the workbook stores it: a number, Vietnamese text, or mixed."""
    if value is None:
        return None
    whole = decimals == 0 or float(value).is_integer()
    if mode == "numbers":
        return int(value) if whole else round(value, decimals)
    if mode == "text" or (mode == "mixed" and not whole) or (mode == "mixed" and value >= 1000
                                                            and rng.random() < 0.5):
        return vn_text(value, 0 if whole else decimals)
    return int(value) if whole else round(value, decimals)


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    return [b - a for a, b in zip([0] + cuts, cuts + [total])]


# ---- one workbook ------------------------------------------------------------------------------
@dataclass
class Plan:
    """The figures of one province's plan for one year."""

    province: Province
    year: int
    criteria: dict[str, list[int]]  # "prev"/"target" -> 19 counts
    bands: dict[str, list[int]]  # -> [19, 15-18, 10-14, 5-9, under 5]
    avg: dict[str, float]
    indicators: list[tuple[str, str]]
    district_values: dict[str, dict[str, float | None]]  # kind -> code -> value
    province_values: dict[str, float]
    funding: list[tuple[str | None, str, float]]  # code, label, amount (million VND)


def _criteria(total: int, level: float, rng: random.Random) -> list[int]:
    return [min(total, max(0, round(total * min(1.0, level + rng.uniform(-0.15, 0.15))))) for _ in range(19)]


def make_plan(p: Province, year: int, seed: int) -> Plan:
    rng = random.Random(seed * 1_000_003 + p.index * 101 + year)
    base = random.Random(seed + p.index).uniform(0.35, 0.75)  # the province's level in 2020
    total = p.communes
    level_prev = min(0.95, base + 0.05 * (year - 1 - 2020))
    _level_target = min(0.98, level_prev + rng.uniform(0.02, 0.07))
    criteria = {"prev": _criteria(total, level_prev, rng), "target": []}
    criteria["target"] = [min(total, c + rng.randint(0, max(1, total // 10))) for c in criteria["prev"]]
    bands, avg = {}, {}
    ntm_prev = min(min(criteria["prev"]), round(total * level_prev * 0.6))
    ntm_target = min(min(criteria["target"]), ntm_prev + rng.randint(0, max(1, total // 12)))
    for key, ntm in (("prev", ntm_prev), ("target", ntm_target)):
        bands[key] = [ntm] + _split(total - ntm, 4, rng)
        avg[key] = round(sum(criteria[key]) / total, 2)

    chosen = [INDICATORS[0], INDICATORS[1]] + rng.sample(INDICATORS[2:], rng.randint(2, 5))
    chosen.sort(key=INDICATORS.index)
    new_total = ntm_target - ntm_prev
    values: dict[str, dict[str, float | None]] = {}
    prov_values: dict[str, float] = {}
    codes = [d.code for d in p.districts]
    for _, kind in chosen:
        if kind == "new_ntm":
            split = [0] * len(codes)
            for _ in range(new_total):  # at most the district's communes (new_total <= the province's)
                i = rng.choice([j for j, d in enumerate(p.districts) if split[j] < d.communes])
                split[i] += 1
            values[kind] = dict(zip(codes, map(float, split)))
            if rng.random() < 0.2:  # a blank cell, as in the real plan (a blank reads as missing)
                blank = next((c for c, v in values[kind].items() if v == 0), None)
                if blank:
                    values[kind][blank] = None
            prov_values[kind] = float(sum(split))
        elif kind == "avg":
            target = avg["target"]
            raw = [min(19.0, max(5.0, target + rng.uniform(-2.5, 2.5))) for _ in codes]
            weights = [d.communes for d in p.districts]
            shift = target - sum(r * w for r, w in zip(raw, weights)) / sum(weights)
            dist = [round(min(19.0, max(0.0, r + shift)), 2) for r in raw]
            values[kind] = dict(zip(codes, dist))
            prov_values[kind] = round(sum(r * w for r, w in zip(dist, weights)) / sum(weights), 2)
        elif kind == "jobs":
            split = [rng.randint(30, 300) * 10 for _ in codes]
            values[kind] = dict(zip(codes, map(float, split)))
            prov_values[kind] = float(sum(split))
        else:
            low, high = {"poverty": (0.1, 6.0), "latrine": (55.0, 99.0), "water": (85.0, 99.5),
                         "bhyt": (90.0, 99.9)}[kind]
            dist = [round(rng.uniform(low, high), 1 if kind != "bhyt" else 2) for _ in codes]
            values[kind] = dict(zip(codes, dist))
            prov_values[kind] = round(sum(dist) / len(dist), 2)

    scale = total * rng.uniform(2000, 6000)  # million VND
    central = round(scale * rng.uniform(0.05, 0.12) / 100) * 100
    dtpt = round(central * rng.uniform(0.6, 0.9) / 100) * 100
    local = round(scale * rng.uniform(0.3, 0.5) / 100) * 100
    prov_budget = round(local * rng.uniform(0.6, 0.9) / 100) * 100
    integrated = round(scale * rng.uniform(0.2, 0.4) / 100) * 100
    enterprises = round(scale * rng.uniform(0.02, 0.06) / 100) * 100
    people = round(scale * rng.uniform(0.05, 0.1) / 100) * 100
    direct = central + local
    funding = [
        (None, "Tổng cộng", direct + integrated + enterprises + people),
        ("1", "Vốn đầu tư trực tiếp cho Chương trình NTM", direct),
        ("1.1.", "Ngân sách Trung ương", central),
        (None, "Đầu tư phát triển", dtpt),
        (None, "Vốn sự nghiệp", central - dtpt),
        ("1.2.", "Ngân sách địa phương các cấp", local),
        (None, "- Ngân sách cấp tỉnh", prov_budget),
        (None, "- Ngân sách cấp huyện", local - prov_budget),
        ("2", "Vốn lồng ghép các Chương trình, dự án khác trên địa bàn", integrated),
        ("3", "Vốn huy động từ doanh nghiệp, HTX và các tổ chức kinh tế khác", enterprises),
        ("4", "Huy động từ nhân dân (đất đai, ngày công lao động...)", people),
    ]
    return Plan(p, year, criteria, bands, avg, chosen, values, prov_values, funding)


class Sheet:
    """Cells written at an offset, in NFC or NFD."""

    def __init__(self, ws, row0: int, col0: int, nfd: bool) -> None:
        self.ws, self.row, self.col0, self.nfd = ws, row0, col0, nfd

    def text(self, value: object) -> object:
        if isinstance(value, str) and self.nfd:
            return unicodedata.normalize("NFD", value)
        return value

    def put(self, values: list, r: int | None = None) -> int:
        r = self.row if r is None else r
        for c, v in enumerate(values):
            if v is not None:
                self.ws.cell(r, self.col0 + c + 1, self.text(v))
        return r

    def line(self, values: list) -> int:
        r = self.put(values)
        self.row += 1
        return r

    def merge(self, r0: int, c0: int, r1: int, c1: int) -> None:
        self.ws.merge_cells(start_row=r0, start_column=self.col0 + c0 + 1, end_row=r1,
                            end_column=self.col0 + c1 + 1)

    def titles(self, lines: list[str], width: int) -> None:
        for text in lines:
            r = self.line([text])
            if width > 1:
                self.merge(r, 0, r, width - 1)
        self.row += 1

    def numbering(self, width: int, rng: random.Random) -> None:
        """A row numbering the columns 1 2 3 ... (as numbers: the reader takes a row of
        texts "(1) (2) (3)" for a header row; see benchmarks/README.md)."""
        if rng.random() < 0.3:
            self.line(list(range(1, width + 1)))


def _kem_theo(plan: Plan) -> str:
    return (f"(Kèm theo Kế hoạch số: {plan.province.index + 1:02d}/KH-UBND ngày 15/01/{plan.year} "
            f"của UBND {plan.province.title})")


def write_bieu_01(s: Sheet, plan: Plan, rng: random.Random, mode: str) -> None:
    y = plan.year
    s.titles(["Biểu 01", f"Kế hoạch thực hiện 19 tiêu chí nông thôn mới năm {y}", _kem_theo(plan)], 5)
    prev_header, target_header = rng.choice([
        (f"Lũy kế số xã đạt tiêu chí đến hết năm {y - 1}", f"Lũy kế số xã đạt tiêu chí đến hết năm {y}"),
        (f"Thực hiện đến hết năm {y - 1}", f"Kế hoạch năm {y}"),
        (f"Lũy kế đến 31/12/{y - 1}", f"Chỉ tiêu kế hoạch năm {y}"),
    ])
    s.line(["TT", rng.choice(["Số xã đạt Tiêu chí NTM", "Nội dung", "Chỉ tiêu"]), "ĐVT",
            prev_header, target_header])
    s.numbering(5, rng)
    n = lambda key, v, d=0: cell_number(v, mode, d, rng)  # noqa: E731
    total = plan.province.communes
    bands = plan.bands
    rows = [
        ("1", "Tổng số xã", "Xã", n("t", total), n("t", total)),
        ("2", "Số tiêu chí đạt chuẩn bình quân/xã", "Tiêu chí", n("a", plan.avg["prev"], 2),
         n("a", plan.avg["target"], 2)),
        ("3", "Số xã được công nhận đạt chuẩn NTM", "Xã", n("n", bands["prev"][0]), n("n", bands["target"][0])),
        ("4", "Số xã đạt theo số lượng tiêu chí", "Xã", None, None),
    ]
    for i, label in enumerate(["Số xã đạt 19 tiêu chí", "Số xã đạt 15-18 tiêu chí", "Số xã đạt 10-14 tiêu chí",
                               "Số xã đạt 5-9 tiêu chí", "Số xã dưới 5 tiêu chí"]):
        rows.append(("-", label, "Xã", n("b", bands["prev"][i]), n("b", bands["target"][i])))
    rows.append(("5", "Kết quả đạt chuẩn theo từng tiêu chí", None, None, None))
    style = rng.choice(["so", "name", "both"])
    for i in range(19):
        label = {"so": f"Xã đạt tiêu chí số {i + 1}", "name": f"Tiêu chí số {i + 1}: {CRITERIA_NAMES[i]}",
                 "both": f"Tiêu chí {i + 1} - {CRITERIA_NAMES[i]}"}[style]
        rows.append((str(i + 1), label, "Xã", n("c", plan.criteria["prev"][i]), n("c", plan.criteria["target"][i])))
    for row in rows:
        s.line(list(row))


def _district_label(d: District, rng: random.Random) -> str:
    """The district as plans write it: full name, short name, bare name or abbreviation; a
    bare name that another unit of the province shares (the province's own name included:
    "Điện Biên") is ambiguous, so such a district is always written with its kind."""
    short = d.area if d.shared and d.short == d.name else d.short
    return rng.choice([d.area, short, d.name if d.kind == "district" and not d.shared else short,
                       _abbrev(d)])


def write_bieu_02(s: Sheet, plan: Plan, rng: random.Random, mode: str) -> None:
    y = plan.year
    width = 2 + len(plan.indicators)
    s.titles(["Biểu 02", f"MỘT SỐ CHỈ TIÊU KẾ HOẠCH NĂM {y}", _kem_theo(plan)], width)
    r0 = s.line(["TT", rng.choice(DISTRICT_HEADERS), f"Chỉ tiêu kế hoạch năm {y}"])
    r1 = s.line([None, None] + [h for h, _ in plan.indicators])
    s.merge(r0, 0, r1, 0)
    s.merge(r0, 1, r1, 1)
    s.merge(r0, 2, r0, width - 1)
    s.numbering(width, rng)
    decimals = {"avg": 2, "poverty": 1, "latrine": 1, "water": 1, "bhyt": 2}
    kinds = [k for _, k in plan.indicators]
    label = rng.choice(["Tỉnh", "Toàn tỉnh", "Tổng cộng", f"Toàn {plan.province.title}"
                        if plan.province.official.startswith("Tỉnh ") else "Cộng"])
    s.line([None, label] + [cell_number(plan.province_values[k], mode, decimals.get(k, 0), rng) for k in kinds])
    districts = list(plan.province.districts)
    if rng.random() < 0.5:
        rng.shuffle(districts)
    for i, d in enumerate(districts, start=1):
        s.line([i, _district_label(d, rng)]
               + [cell_number(plan.district_values[k][d.code], mode, decimals.get(k, 0), rng) for k in kinds])


def write_bieu_03(s: Sheet, plan: Plan, rng: random.Random, mode: str) -> None:
    y = plan.year
    s.titles(["Biểu 03", f"Kế hoạch huy động nguồn lực xây dựng nông thôn mới {plan.province.title} "
                         f"năm {y}", _kem_theo(plan)], 5)
    unit = rng.choice(["tr.đ", "Triệu đồng", "tr.đ"])
    s.line(["TT", "Nội dung", "ĐVT", f"Dự kiến Kế hoạch năm {y}", "Ghi chú"])
    s.numbering(5, rng)
    for code, label, amount in plan.funding:
        s.line([code, label, unit, cell_number(float(amount), mode, 0, rng), None])


def workbook_spec(k: int, seed: int) -> dict:
    """Which province and year workbook k is, and how it is laid out."""
    year = FIRST_YEAR + k // N_PROVINCES
    p = k % N_PROVINCES
    rng = random.Random(seed * 7919 + k)
    return {"k": k, "province": p, "year": year, "seed": seed,
            "layout": rng.choice(["three", "three", "three", "one"]),
            "sheet_names": rng.choice(SHEET_NAMES), "shuffle": rng.random() < 0.25,
            "notes_sheet": rng.random() < 0.15, "nfd": rng.random() < 0.2,
            "mode": rng.choice(["numbers", "text", "mixed", "mixed"]),
            "row0": rng.randint(1, 6), "col0": rng.randint(0, 3), "layout_seed": rng.random()}


def write_workbook(spec: dict, provs: list[Province], raw_dir: Path) -> Path:
    from openpyxl import Workbook  # noqa: PLC0415

    p = provs[spec["province"]]
    plan = make_plan(p, spec["year"], spec["seed"])
    rng = random.Random(spec["layout_seed"])
    wb = Workbook()
    writers = [write_bieu_01, write_bieu_02, write_bieu_03]
    if spec["layout"] == "one":
        ws = wb.active
        ws.title = rng.choice(["Phụ lục", "Sheet1", "Bieu mau", "KH NTM"])
        s = Sheet(ws, spec["row0"], spec["col0"], spec["nfd"])
        for write in writers:
            write(s, plan, rng, spec["mode"])
            s.row += rng.randint(2, 4)
    else:
        order = list(range(3))
        if spec["shuffle"]:
            rng.shuffle(order)
        wb.remove(wb.active)
        for i in order:
            ws = wb.create_sheet(spec["sheet_names"][i])
            writers[i](Sheet(ws, spec["row0"] + rng.randint(0, 2), spec["col0"], spec["nfd"]), plan, rng,
                       spec["mode"])
    if spec["notes_sheet"]:
        ws = wb.create_sheet("Ghi chú", 0)
        s = Sheet(ws, 1, 0, spec["nfd"])
        s.line([f"Phụ lục kèm theo kế hoạch xây dựng nông thôn mới của {p.title}"])
        s.line(["Số liệu do Văn phòng Điều phối nông thôn mới tỉnh tổng hợp"])
    wb.properties.creator = "benchmarks/generate.py"
    wb.properties.created = wb.properties.modified = FIXED_DATE
    stem = f"ke-hoach-{spec['year']}-{p.code}-synthetic"
    path = raw_dir / f"{stem}.xlsx"
    wb.save(path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    sidecar = {"source_id": stem, "kind": "plan", "year": spec["year"], "province_code": p.code,
               "province": p.official, "document_number": f"{p.index + 1:02d}/KH-UBND",
               "document_date": f"{spec['year']}-01-15", "issuer": f"Ủy ban nhân dân {p.title}",
               "citation": f"Kế hoạch số {p.index + 1:02d}/KH-UBND (synthetic) của UBND {p.title}",
               "received_date": f"{spec['year']}-02-01", "illustrative": True, "synthetic": True,
               "layout": {k: spec[k] for k in ("layout", "nfd", "mode", "row0", "col0")},
               "expected_rows": {"criteria": 38, "commune_bands": 10, "province": 6,
                                 "districts": (len(p.districts) + 1) * len(plan.indicators),
                                 "funding": len(plan.funding)},
               "sha256": sha}
    path.with_name(stem + ".meta.json").write_text(json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n",
                                                   encoding="utf-8")
    return path


def _write_one(args: tuple[dict, Path]) -> str:
    spec, raw_dir = args
    return str(write_workbook(spec, provinces(spec["seed"]), raw_dir))


def generate(out: Path, n: int = N_PROVINCES * N_YEARS, seed: int = 2021, workers: int = 1,
             first: int = 0) -> list[Path]:
    """Write workbooks ``first`` … ``first + n - 1`` (with their sidecars) to ``out/raw``;
    return them in order."""
    if not (0 < n and 0 <= first and first + n <= N_PROVINCES * N_YEARS):
        raise ValueError(f"workbooks must be numbered from 0 to {N_PROVINCES * N_YEARS - 1}")
    raw_dir = Path(out) / "raw"
    raw_dir.mkdir(parents=True, exist_ok=True)
    jobs = [(workbook_spec(k, seed), raw_dir) for k in range(first, first + n)]
    if workers > 1 and n > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            paths = list(pool.map(_write_one, jobs, chunksize=max(1, n // (workers * 4))))
    else:
        provs = provinces(seed)
        paths = [str(write_workbook(spec, provs, raw)) for spec, raw in jobs]
    return [Path(p) for p in paths]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=N_PROVINCES * N_YEARS)
    ap.add_argument("--seed", type=int, default=2021)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args(argv)
    paths = generate(args.out, args.n, args.seed, args.workers)
    print(f"wrote {len(paths)} workbooks to {args.out / 'raw'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
