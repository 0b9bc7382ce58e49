"""The figures of plan 05/KH-UBND (Lào Cai, 12/01/2021), typed from its appendices
(Biểu 01, 02, 03 of /work/shared/source/plan-05-KH-UBND-2021-lao-cai.md), as small
tidy frames for the analysis tests. Nothing here comes from the reader's output."""
from __future__ import annotations

import pandas as pd

from ntm_analysis.tables.tidy import frame_from_rows

SOURCE = "plan-05"
TOTAL_COMMUNES = 127

#: criterion id -> (name, group) under the 2016–2020 set (QĐ 1980/QĐ-TTg)
CRITERIA_NAMES = {
    1: ("Quy hoạch", "I. Quy hoạch"),
    2: ("Giao thông", "II. Hạ tầng kinh tế - xã hội"),
    3: ("Thủy lợi", "II. Hạ tầng kinh tế - xã hội"),
    4: ("Điện", "II. Hạ tầng kinh tế - xã hội"),
    5: ("Trường học", "II. Hạ tầng kinh tế - xã hội"),
    6: ("Cơ sở vật chất văn hóa", "II. Hạ tầng kinh tế - xã hội"),
    7: ("Cơ sở hạ tầng thương mại nông thôn", "II. Hạ tầng kinh tế - xã hội"),
    8: ("Thông tin và Truyền thông", "II. Hạ tầng kinh tế - xã hội"),
    9: ("Nhà ở dân cư", "II. Hạ tầng kinh tế - xã hội"),
    10: ("Thu nhập", "III. Kinh tế và tổ chức sản xuất"),
    11: ("Hộ nghèo", "III. Kinh tế và tổ chức sản xuất"),
    12: ("Lao động có việc làm", "III. Kinh tế và tổ chức sản xuất"),
    13: ("Tổ chức sản xuất", "III. Kinh tế và tổ chức sản xuất"),
    14: ("Giáo dục và Đào tạo", "IV. Văn hóa - xã hội - môi trường"),
    15: ("Y tế", "IV. Văn hóa - xã hội - môi trường"),
    16: ("Văn hóa", "IV. Văn hóa - xã hội - môi trường"),
    17: ("Môi trường và an toàn thực phẩm", "IV. Văn hóa - xã hội - môi trường"),
    18: ("Hệ thống chính trị và tiếp cận pháp luật", "V. Hệ thống chính trị"),
    19: ("Quốc phòng và An ninh", "V. Hệ thống chính trị"),
}
#: Biểu 01, section 5: communes meeting each criterion, end 2020 (actual) and end 2021 (target)
COMMUNES_2020 = [116, 92, 127, 108, 96, 89, 90, 120, 94, 64, 65, 127, 114, 118, 120, 109, 85, 78, 112]
COMMUNES_2021 = [127, 95, 127, 119, 100, 92, 115, 120, 98, 77, 80, 127, 115, 120, 120, 112, 91, 101, 115]
#: Biểu 01, sections 1–4: (total communes, average criteria, NTM communes, bands 19/15-18/10-14/5-9)
PROVINCE_2020 = (127, 15.15, 57, [57, 7, 48, 15])
PROVINCE_2021 = (127, 16.15, 72, [72, 17, 31, 7])
BANDS = [("19", 19, 19), ("15-18", 15, 18), ("10-14", 10, 14), ("5-9", 5, 9)]

#: Biểu 02 (2021 targets): area code, official name, then new NTM communes, average criteria,
#: poverty reduction %, hygienic latrine %, hygienic water %, jobs added, health insurance %
INDICATORS = ["new_ntm_communes", "avg_criteria", "poverty_reduction_pct", "hygienic_latrine_pct",
              "hygienic_water_pct", "jobs_added", "health_insurance_pct"]
UNITS = {"new_ntm_communes": "communes", "avg_criteria": "criteria per commune", "jobs_added": "workers"}
DISTRICTS_2021 = [
    ("10", "Tỉnh Lào Cai", [15, 16.15, 3, 79, 95.5, 13500, 98.50]),
    ("080", "Thành phố Lào Cai", [1, 19, 0.1, 100, 99, 2650, 96.40]),
    ("082", "Huyện Bát Xát", [1, 16.2, 4, 84, 92, 1410, 98.50]),
    ("086", "Huyện Bảo Thắng", [None, 19, 1.5, 85, 95, 1800, 99.00]),
    ("088", "Thị xã Sa Pa", [1, 13.2, 5, 78, 89, 1350, 99.00]),
    ("089", "Huyện Văn Bàn", [4, 16, 3.5, 79, 97, 1400, 99.20]),
    ("087", "Huyện Bảo Yên", [3, 15, 4, 75, 97, 1750, 99.00]),
    ("083", "Huyện Mường Khương", [1, 14.7, 5.1, 66, 94, 1150, 99.93]),
    ("085", "Huyện Bắc Hà", [3, 14.8, 5.2, 78, 93.5, 1290, 99.50]),
    ("084", "Huyện Si Ma Cai", [1, 15.6, 2.5, 83, 92, 700, 98.5]),
]

#: Biểu 03 (2021 plan, million VND): code, parent, level, source, amount
FUNDING_2021 = [
    ("0", None, 0, "Tổng cộng", 661500),
    ("1", "0", 1, "Vốn đầu tư trực tiếp cho Chương trình NTM", 311500),
    ("1.1", "1", 2, "Ngân sách Trung ương", 31500),
    ("1.1.1", "1.1", 3, "Đầu tư phát triển", 25500),
    ("1.1.2", "1.1", 3, "Vốn sự nghiệp", 6000),
    ("1.2", "1", 2, "Ngân sách địa phương các cấp", 280000),
    ("1.2.1", "1.2", 3, "Ngân sách cấp tỉnh", 250000),
    ("1.2.2", "1.2", 3, "Ngân sách cấp huyện", 30000),
    ("2", "0", 1, "Vốn lồng ghép các Chương trình, dự án khác trên địa bàn", 270000),
    ("3", "0", 1, "Vốn huy động từ doanh nghiệp, HTX và các tổ chức kinh tế khác "
                  "(gồm cả lãnh đạo tỉnh giúp đỡ xã)", 30000),
    ("4", "0", 1, "Huy động từ nhân dân (đất đai, ngày công lao động...)", 50000),
]


def criteria_rows(year: int, status: str, counts: list, criteria_set: str = "2016-2020",
                  total: int = TOTAL_COMMUNES, ids: list[int] | None = None) -> list[dict]:
    ids = ids or list(range(1, 20))
    return [{"year": year, "status": status, "criteria_set": criteria_set, "criterion_id": i,
             "criterion": CRITERIA_NAMES[i][0], "group": CRITERIA_NAMES[i][1], "communes": n,
             "total_communes": total, "share": None if n is None else n / total,
             "source_id": SOURCE, "cell": f"Biểu 01!X{14 + i}"} for i, n in zip(ids, counts)]


def criteria(*parts: list[dict]) -> pd.DataFrame:
    """The plan's criteria (2020 actual, 2021 target), or the given row lists."""
    rows = [r for part in parts for r in part] if parts else \
        criteria_rows(2020, "actual", COMMUNES_2020) + criteria_rows(2021, "target", COMMUNES_2021)
    return frame_from_rows("criteria", rows)


def province_rows(year: int, status: str, figures: tuple) -> list[dict]:
    total, avg, ntm, _ = figures
    return [{"year": year, "status": status, "indicator": ind, "value": value, "unit": unit,
             "source_id": SOURCE, "cell": "Biểu 01!X6"}
            for ind, value, unit in [("total_communes", total, "communes"),
                                     ("avg_criteria", avg, "criteria per commune"),
                                     ("ntm_communes", ntm, "communes")]]


def province() -> pd.DataFrame:
    return frame_from_rows("province", province_rows(2020, "actual", PROVINCE_2020)
                           + province_rows(2021, "target", PROVINCE_2021))


def band_rows(year: int, status: str, counts: list) -> list[dict]:
    return [{"year": year, "status": status, "band": band, "min_criteria": lo, "max_criteria": hi,
             "communes": n, "source_id": SOURCE, "cell": "Biểu 01!X10"}
            for (band, lo, hi), n in zip(BANDS, counts)]


def commune_bands() -> pd.DataFrame:
    return frame_from_rows("commune_bands", band_rows(2020, "actual", PROVINCE_2020[3])
                           + band_rows(2021, "target", PROVINCE_2021[3]))


def district_rows(year: int, status: str, table: list = DISTRICTS_2021,
                  indicators: list[str] = INDICATORS) -> list[dict]:
    return [{"year": year, "status": status, "area_code": code, "area": area, "indicator": ind,
             "value": value, "unit": UNITS.get(ind, "%"), "source_id": SOURCE, "cell": "Biểu 02!X7"}
            for code, area, values in table for ind, value in zip(indicators, values)]


def districts(*parts: list[dict]) -> pd.DataFrame:
    rows = [r for part in parts for r in part] if parts else district_rows(2021, "target")
    return frame_from_rows("districts", rows)


def funding_rows(year: int, status: str, lines: list = FUNDING_2021) -> list[dict]:
    parents = {parent for _, parent, _, _, _ in lines}
    total = lines[0][4]
    return [{"year": year, "status": status, "code": code, "parent_code": parent, "level": level,
             "source": source, "amount_million_vnd": amount, "is_leaf": code not in parents,
             "share_of_total": None if amount is None else amount / total,
             "source_id": SOURCE, "cell": "Biểu 03!D6"}
            for code, parent, level, source, amount in lines]


def funding(*parts: list[dict]) -> pd.DataFrame:
    rows = [r for part in parts for r in part] if parts else funding_rows(2021, "target")
    return frame_from_rows("funding", rows)
