"""Tidy tables typed by hand from the appendices of plan 05/KH-UBND (Lào Cai,
12/01/2021; shared/source/plan-05-KH-UBND-2021-lao-cai.md, Biểu 01–03), for the
chart tests: the figures do not depend on the reader.

``results_tables()`` adds made-up 2021 results (illustrative, not real) so that
the plan-against-actual figures can be tested too.
"""
from __future__ import annotations

import pandas as pd

from ntm_analysis.tables.tidy import TidyTables, empty_frame, frame_from_rows

SOURCE = "ke-hoach-05-KH-UBND-2021-lao-cai"
SOURCE_LINE = "Nguồn: Kế hoạch số 05/KH-UBND ngày 12/01/2021 của UBND tỉnh Lào Cai"
SOURCE_LINE_EN = "Source: Plan No. 05/KH-UBND of 12/01/2021, Lào Cai Provincial People's Committee"
CITATION = "Kế hoạch số 05/KH-UBND ngày 12/01/2021 của UBND tỉnh Lào Cai"

# Biểu 01, section 5: criterion id -> (name, group, communes end-2020, end-2021 target)
CRITERIA = {
    1: ("Quy hoạch", "I. Quy hoạch", 116, 127),
    2: ("Giao thông", "II. Hạ tầng kinh tế - xã hội", 92, 95),
    3: ("Thủy lợi", "II. Hạ tầng kinh tế - xã hội", 127, 127),
    4: ("Điện", "II. Hạ tầng kinh tế - xã hội", 108, 119),
    5: ("Trường học", "II. Hạ tầng kinh tế - xã hội", 96, 100),
    6: ("Cơ sở vật chất văn hóa", "II. Hạ tầng kinh tế - xã hội", 89, 92),
    7: ("Cơ sở hạ tầng thương mại nông thôn", "II. Hạ tầng kinh tế - xã hội", 90, 115),
    8: ("Thông tin và Truyền thông", "II. Hạ tầng kinh tế - xã hội", 120, 120),
    9: ("Nhà ở dân cư", "II. Hạ tầng kinh tế - xã hội", 94, 98),
    10: ("Thu nhập", "III. Kinh tế và tổ chức sản xuất", 64, 77),
    11: ("Hộ nghèo", "III. Kinh tế và tổ chức sản xuất", 65, 80),
    12: ("Lao động có việc làm", "III. Kinh tế và tổ chức sản xuất", 127, 127),
    13: ("Tổ chức sản xuất", "III. Kinh tế và tổ chức sản xuất", 114, 115),
    14: ("Giáo dục và Đào tạo", "IV. Văn hóa - xã hội - môi trường", 118, 120),
    15: ("Y tế", "IV. Văn hóa - xã hội - môi trường", 120, 120),
    16: ("Văn hóa", "IV. Văn hóa - xã hội - môi trường", 109, 112),
    17: ("Môi trường và an toàn thực phẩm", "IV. Văn hóa - xã hội - môi trường", 85, 91),
    18: ("Hệ thống chính trị và tiếp cận pháp luật", "V. Hệ thống chính trị", 78, 101),
    19: ("Quốc phòng và An ninh", "V. Hệ thống chính trị", 112, 115),
}
# Biểu 01, section 4: band -> (min, max, 2020, 2021)
BANDS = {"19": (19, 19, 57, 72), "15-18": (15, 18, 7, 17), "10-14": (10, 14, 48, 31), "5-9": (5, 9, 15, 7)}
# Biểu 01, rows 1-3: indicator -> (unit, 2020, 2021)
PROVINCE = {"total_communes": ("communes", 127, 127), "avg_criteria": ("criteria per commune", 15.15, 16.15),
            "ntm_communes": ("communes", 57, 72)}
# Biểu 02: area code -> (area, new NTM communes, avg criteria, poverty reduction, latrines, water, jobs, BHYT)
DISTRICTS = {
    "10": ("Tỉnh Lào Cai", 15, 16.15, 3, 79, 95.5, 13500, 98.5),
    "080": ("Thành phố Lào Cai", 1, 19, 0.1, 100, 99, 2650, 96.4),
    "082": ("Huyện Bát Xát", 1, 16.2, 4, 84, 92, 1410, 98.5),
    "086": ("Huyện Bảo Thắng", None, 19, 1.5, 85, 95, 1800, 99.0),  # blank in the source
    "088": ("Thị xã Sa Pa", 1, 13.2, 5, 78, 89, 1350, 99.0),
    "089": ("Huyện Văn Bàn", 4, 16, 3.5, 79, 97, 1400, 99.2),
    "087": ("Huyện Bảo Yên", 3, 15, 4, 75, 97, 1750, 99.0),
    "083": ("Huyện Mường Khương", 1, 14.7, 5.1, 66, 94, 1150, 99.93),
    "085": ("Huyện Bắc Hà", 3, 14.8, 5.2, 78, 93.5, 1290, 99.5),
    "084": ("Huyện Si Ma Cai", 1, 15.6, 2.5, 83, 92, 700, 98.5),
}
INDICATORS = [("new_ntm_communes", "communes"), ("avg_criteria", "criteria per commune"),
              ("poverty_reduction_pct", "%"), ("hygienic_latrine_pct", "%"), ("hygienic_water_pct", "%"),
              ("jobs_added", "workers"), ("health_insurance_pct", "%")]
# Biểu 03 (line 4, people's contributions, from section V: 80.000 − 30.000)
FUNDING = [("0", None, 0, "Tổng cộng", 661500, False),
           ("1", "0", 1, "Vốn đầu tư trực tiếp cho Chương trình NTM", 311500, False),
           ("1.1", "1", 2, "Ngân sách Trung ương", 31500, False),
           ("1.1.1", "1.1", 3, "Đầu tư phát triển", 25500, True),
           ("1.1.2", "1.1", 3, "Vốn sự nghiệp", 6000, True),
           ("1.2", "1", 2, "Ngân sách địa phương các cấp", 280000, False),
           ("1.2.1", "1.2", 3, "Ngân sách cấp tỉnh", 250000, True),
           ("1.2.2", "1.2", 3, "Ngân sách cấp huyện", 30000, True),
           ("2", "0", 1, "Vốn lồng ghép các Chương trình, dự án khác trên địa bàn", 270000, True),
           ("3", "0", 1, "Vốn huy động từ doanh nghiệp, HTX và các tổ chức kinh tế khác "
                         "(gồm cả lãnh đạo tỉnh giúp đỡ xã)", 30000, True),
           ("4", "0", 1, "Huy động từ nhân dân (đất đai, ngày công lao động...)", 50000, True)]

# Made-up 2021 results (illustrative only)
ACTUAL_CRITERIA = {1: 125, 2: 94, 3: 127, 4: 117, 5: 99, 6: 91, 7: 110, 8: 120, 9: 97, 10: 74, 11: 78,
                   12: 127, 13: 115, 14: 119, 15: 120, 16: 111, 17: 89, 18: 97, 19: 114}
ACTUAL_DISTRICT_FACTOR = {"10": 0.98, "080": 1.0, "082": 1.02, "086": 1.0, "088": 0.97, "089": 1.01,
                          "087": 0.99, "083": 0.96, "085": 0.95, "084": 1.03}
ACTUAL_FUNDING = {"0": 598400, "1": 282500, "1.1": 31500, "1.1.1": 25500, "1.1.2": 6000, "1.2": 251000,
                  "1.2.1": 228000, "1.2.2": 23000, "2": 243900, "3": 22000, "4": 50000}


def _row(cell: str, **values) -> dict:
    return {**values, "source_id": SOURCE, "cell": cell}


def plan_tables() -> TidyTables:
    """The five tidy tables of plan 05/KH-UBND."""
    criteria, bands, province, districts, funding = [], [], [], [], []
    for i, (year, status, col) in enumerate(((2020, "actual", "D"), (2021, "target", "E"))):
        for cid, (name, group, *counts) in CRITERIA.items():
            criteria.append(_row(f"Biểu 01!{col}{14 + cid}", year=year, status=status,
                                 criteria_set="2016-2020", criterion_id=cid, criterion=name, group=group,
                                 communes=counts[i], total_communes=127, share=counts[i] / 127))
        for r, (band, (lo, hi, *counts)) in enumerate(BANDS.items()):
            bands.append(_row(f"Biểu 01!{col}{10 + r}", year=year, status=status, band=band,
                              min_criteria=lo, max_criteria=hi, communes=counts[i]))
        for r, (indicator, (unit, *values)) in enumerate(PROVINCE.items()):
            province.append(_row(f"Biểu 01!{col}{6 + r}", year=year, status=status,
                                 indicator=indicator, value=values[i], unit=unit))
    for r, (code, (area, *values)) in enumerate(DISTRICTS.items()):
        for c, ((indicator, unit), value) in enumerate(zip(INDICATORS, values)):
            districts.append(_row(f"Biểu 02!{'CDEFGHI'[c]}{7 + r}", year=2021, status="target",
                                  area_code=code, area=area, indicator=indicator, value=value, unit=unit))
    for r, (code, parent, level, source, amount, leaf) in enumerate(FUNDING):
        funding.append(_row(f"Biểu 03!D{6 + r}", year=2021, status="target", code=code,
                            parent_code=parent, level=level, source=source, amount_million_vnd=amount,
                            is_leaf=leaf, share_of_total=amount / 661500))
    return TidyTables(criteria=frame_from_rows("criteria", criteria),
                      commune_bands=frame_from_rows("commune_bands", bands),
                      province=frame_from_rows("province", province),
                      districts=frame_from_rows("districts", districts),
                      funding=frame_from_rows("funding", funding))


def results_tables() -> TidyTables:
    """The plan plus made-up 2021 results for criteria, districts and funding."""
    plan = plan_tables()
    frames = plan.as_dict()
    crit = plan.criteria[plan.criteria.year == 2021].copy()
    crit["status"] = "actual"
    crit["communes"] = crit["criterion_id"].map(ACTUAL_CRITERIA).astype("Int64")
    crit["share"] = crit["communes"].astype("float64") / 127
    dist = plan.districts.copy()
    dist["status"] = "actual"
    dist["value"] = (dist["value"] * dist["area_code"].map(ACTUAL_DISTRICT_FACTOR)).round(2)
    fund = plan.funding.copy()
    fund["status"] = "actual"
    fund["amount_million_vnd"] = fund["code"].map(ACTUAL_FUNDING).astype("float64")
    frames["criteria"] = pd.concat([frames["criteria"], crit], ignore_index=True)
    frames["districts"] = pd.concat([frames["districts"], dist], ignore_index=True)
    frames["funding"] = pd.concat([frames["funding"], fund], ignore_index=True)
    return TidyTables(**frames)


def empty_tables() -> TidyTables:
    return TidyTables(**{name: empty_frame(name) for name in
                         ("criteria", "commune_bands", "province", "districts", "funding")})
