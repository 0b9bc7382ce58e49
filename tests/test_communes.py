"""The commune level: reference list, name matching, marks, the template, the
reader of commune tables, aggregates, comparison with the published figures,
readiness and the 2025 successors. Expected values are typed from facts.md
(sections 2 and 5) or made by hand in small tables written here."""
from __future__ import annotations

import json
import shutil

import openpyxl
import pandas as pd
import pytest

from ntm_analysis.analysis.commune_aggregates import commune_aggregates, per_commune
from ntm_analysis.analysis.commune_readiness import blocking_criteria, district_summary, readiness, target_distance
from ntm_analysis.analysis.commune_results import target_communes_distance
from ntm_analysis.analysis.commune_successors import by_successor, with_successors
from ntm_analysis.checks.communes import new_ntm_by_area
from ntm_analysis.checks.reconcile import as_findings, reconcile
from ntm_analysis.cli import main
from ntm_analysis.findings import Findings
from ntm_analysis.publishing.commune_template import SHEET, write_communes_template
from ntm_analysis.reading.commune_gazetteer import communes, communes_of, match_commune
from ntm_analysis.reading.commune_marks import UnknownMark, read_mark
from ntm_analysis.reading.reader import read_source
from ntm_analysis.reference import load_reference
from ntm_analysis.tables.tidy import TidyTables

# facts.md §2: Lào Cai's communes (xã) per district in 2021
LAO_CAI = {"080": 7, "082": 20, "083": 15, "084": 9, "085": 18, "086": 11, "087": 16, "088": 10, "089": 21}


# ---------------------------------------------------------------- reference

def test_reference_lao_cai_has_127_communes_by_district():
    lc = communes_of("10")
    assert len(lc) == 127
    assert lc.district_code.value_counts().to_dict() == LAO_CAI
    assert lc.commune_code.str.fullmatch(r"\d{5}").all()
    assert (lc.code_2025 != "").all() and (lc.commune_2025 != "").all()


def test_reference_codes_are_text_and_wards_are_left_out():
    frame = communes()
    assert frame.commune_code.is_unique
    assert frame.commune.str.startswith("Xã ").all()
    assert "03016" not in set(frame.commune_code)  # Phường Hàm Rồng, tagged Xã in the GSO export (facts.md §5)
    assert (frame[frame.province_code != "10"].code_2025 == "").all()  # successors: Lào Cai only
    assert frame.province_code.str.fullmatch(r"\d{2}").all() and frame.district_code.str.fullmatch(r"\d{3}").all()


# ---------------------------------------------------------------- matching

def test_match_exact_near_and_none():
    assert match_commune("Xã Thống Nhất", "080").match == "exact"
    assert match_commune("thống nhất", "080").commune_code == "02659"
    near = match_commune("Nậm Cháy", "083")  # the plan's spelling of Xã Nậm Chảy (tone mark)
    assert (near.match, near.commune_code) == ("near", "02770")
    typo = match_commune("Nậm Dạng", "089")  # the plan's spelling; the GSO list has Nậm Rạng
    assert (typo.match, typo.commune) == ("near", "Xã Nậm Rạng")
    none = match_commune("Hà Nội", "089")
    assert none.match == "none" and none.commune_code is None and len(none.closest) == 3


def test_match_stays_inside_the_district():
    assert match_commune("Thống Nhất", "089").match != "exact"  # a Thống Nhất exists in 080, not in 089


# ---------------------------------------------------------------- marks

@pytest.mark.parametrize("value, expected", [
    ("Đ", True), ("đạt", True), ("ĐẠT", True), ("dat", True), ("x", True), ("✓", True), (1, True), (True, True),
    ("CĐ", False), ("chưa đạt", False), ("Không đạt", False), ("0", False), ("-", False), (0, False),
    (False, False), (None, None), ("", None), ("  ", None),
])
def test_marks(value, expected):
    assert read_mark(value) is expected


@pytest.mark.parametrize("value", ["có", "2", 0.5, "đạt một phần"])
def test_unknown_mark_is_an_error(value):
    with pytest.raises(UnknownMark):
        read_mark(value)


# ---------------------------------------------------------------- template + reader

@pytest.fixture
def template(tmp_path):
    out = tmp_path / "xa-2022.xlsx"
    write_communes_template(2022, out, "10", "target")
    return out


def _fill(path, marks: dict[str, list[object]], extra: dict[str, str] | None = None):
    """Write marks (19 per commune code) into a commune template."""
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    for r in range(6, ws.max_row + 1):
        code = ws.cell(r, 2).value
        if code in marks:
            for k, v in enumerate(marks[code], start=5):
                ws.cell(r, k, v)
        if extra and code in extra:
            ws.cell(r, 3, extra[code])
    wb.save(path)


def test_template_lists_every_commune_with_19_criteria(template):
    wb = openpyxl.load_workbook(template)
    ws = wb[SHEET]
    assert [ws.cell(5, c).value for c in (1, 2, 3)] == ["TT", "Mã xã", "Tên xã"]
    assert ws.cell(5, 5).value == "TC1 Quy hoạch" and ws.cell(5, 23).value.startswith("TC19 ")
    codes = [ws.cell(r, 2).value for r in range(6, ws.max_row + 1)]
    assert len(codes) == 127 and codes[0] == "02659"
    meta = json.loads(template.with_name("xa-2022.meta.json").read_text(encoding="utf-8"))
    assert (meta["kind"], meta["year"], meta["status"]) == ("communes", 2022, "target")


def test_blank_template_reads_as_not_assessed(template):
    read = read_source(template)
    cc = read.tables.commune_criteria
    assert len(cc) == 127 * 19
    assert cc.criterion_met.isna().all() and str(cc.criterion_met.dtype) == "boolean"
    assert not read.findings.errors
    agg = commune_aggregates(cc)
    province = agg[(agg.area_code == "10") & (agg.indicator == "criterion_communes")]
    assert (province.value == 0).all() and (province.communes_assessed == 0).all()


def test_reader_marks_years_and_provenance(template):
    marks = {"02659": ["Đ"] * 18 + ["CĐ"], "02662": ["đạt"] * 19, "02665": ["x", None] + ["0"] * 17}
    _fill(template, marks)
    t = read_source(template).tables
    cc = t.commune_criteria.set_index(["commune_code", "criterion_id"])
    assert bool(cc.loc[("02659", 1), "criterion_met"]) and not bool(cc.loc[("02659", 19), "criterion_met"])
    assert cc.loc[("02659", 19), "cell"] == f"{SHEET}!W6"
    assert pd.isna(cc.loc[("02665", 2), "criterion_met"])
    units = per_commune(t.commune_criteria).set_index("commune_code")
    assert units.loc["02659", "criteria_met"] == 18 and units.loc["02659", "missing"] == "19"
    assert units.loc["02662", "is_ntm"] and pd.isna(units.loc["02665", "is_ntm"])
    assert units.loc["02665", "criteria_assessed"] == 18


def test_unknown_mark_names_the_cell(template):
    _fill(template, {"02659": ["Đ"] * 18 + ["có"]})
    read = read_source(template)
    errors = [f for f in read.findings.errors if f.check == "unknown_mark"]
    assert len(errors) == 1 and errors[0].cell == "W6" and errors[0].sheet == SHEET


def test_name_written_differently_from_the_code_is_a_warning(template):
    _fill(template, {"02659": ["Đ"] * 19}, extra={"02659": "Xã Thống Nhứt"})
    warnings = [f for f in read_source(template).findings.warnings if f.check == "commune_name"]
    assert len(warnings) == 1 and "02659" in warnings[0].message


def test_year_from_the_title_without_sidecar(tmp_path, template):
    plain = tmp_path / "bang-xa.xlsx"
    shutil.copy(template, plain)
    wb = openpyxl.load_workbook(plain)
    wb[SHEET].cell(2, 1, "Tỉnh Lào Cai – kết quả năm 2023")
    wb.save(plain)
    cc = read_source(plain).tables.commune_criteria
    assert set(cc.year) == {2023}


def test_cli_template_communes(tmp_path, capsys):
    out = tmp_path / "t.xlsx"
    assert main(["template", "communes", "--year", "2021", "--status", "actual", "--out", str(out)]) == 0
    assert out.exists() and out.with_name("t.meta.json").exists()
    assert main(["template", "communes", "--year", "2021", "--out", str(out)]) == 2
    assert "hãy chọn tên khác, hoặc dùng --force để ghi đè" in capsys.readouterr().err


# ---------------------------------------------------------------- aggregates, comparison, readiness (hand-made)

def _cc(rows: dict[str, list[object]], year: int = 2021, status: str = "actual", source: str = "s") -> pd.DataFrame:
    """A commune_criteria frame for communes of the gazetteer (code -> 19 marks)."""
    ref = communes().set_index("commune_code")
    out = []
    for code, marks in rows.items():
        for cid, met in enumerate(marks, start=1):
            out.append({"year": year, "status": status, "commune_code": code, "commune": ref.loc[code, "commune"],
                        "district_code": ref.loc[code, "district_code"], "criterion_id": cid, "criterion_met": met,
                        "source_id": source, "cell": f"B!{chr(64 + cid)}{len(out) // 19 + 6}"})
    frame = pd.DataFrame(out)
    return frame.astype({"criterion_met": "boolean"})


TP = ["02659", "02662", "02665", "02674", "02677", "02680", "02746"]  # the 7 xã of TP Lào Cai (reference)


def test_reference_tp_lao_cai_codes():
    assert communes_of("10").query("district_code == '080'").commune_code.tolist() == sorted(TP)


def test_aggregates_by_hand():
    # 7 communes of TP Lào Cai: 5 at 19, one at 17 (misses 2 and 10), one with criterion 3 blank
    full, near = [True] * 19, [True] * 19
    near[1] = near[9] = False
    blank = [True] * 19
    blank[2] = None
    cc = _cc({c: full for c in TP[:5]} | {TP[5]: near, TP[6]: blank})
    agg = commune_aggregates(cc)
    d = agg[agg.area_code == "080"].set_index(["indicator", "criterion_id", "band"], drop=False)
    crit = agg[(agg.area_code == "080") & (agg.indicator == "criterion_communes")].set_index("criterion_id")
    assert crit.loc[2, "value"] == 6 and crit.loc[2, "communes_assessed"] == 7
    assert crit.loc[3, "value"] == 6 and crit.loc[3, "communes_assessed"] == 6  # the blank is not "not met"
    bands = agg[(agg.area_code == "080") & (agg.indicator == "band_communes")].set_index("band")
    assert bands.value.to_dict() == {"19": 5, "15-18": 1, "10-14": 0, "5-9": 0, "0-4": 0}
    assert (bands.communes_assessed == 6).all()
    avg = agg[(agg.area_code == "080") & (agg.indicator == "avg_criteria")]
    assert avg.value.iloc[0] == pytest.approx((5 * 19 + 17) / 6)
    assert len(d) > 0


def _published(criteria: dict[int, float], year=2021, status="actual") -> TidyTables:
    t = TidyTables.empty()
    t.criteria = pd.DataFrame({"year": year, "status": status, "criterion_id": list(criteria),
                               "communes": list(criteria.values()), "source_id": "plan",
                               "cell": [f"Biểu 01!D{14 + c}" for c in criteria]})
    return t


def test_compare_whole_province_and_partial():
    # all 127 communes of Lào Cai assessed; criterion 1 met by 100 of them
    codes = communes_of("10").commune_code.tolist()
    marks = {c: [i < 100] + [True] * 18 for i, c in enumerate(codes)}
    marks[codes[-1]] = [False] + [None] + [True] * 17  # criterion 2 blank for one commune
    t = _published({1: 100, 2: 127, 3: 120})
    t.commune_criteria = _cc(marks)
    rows = reconcile(t, load_reference(), scopes=("communes",))
    by_criterion = {int(r.criterion_id): r for r in rows.itertuples()}
    assert (by_criterion[1].stated, by_criterion[1].computed, by_criterion[1].ok) == (100, 100, True)
    assert by_criterion[1].message.endswith("đúng như plan Biểu 01!D15")
    # one commune blank on criterion 2: not compared (no partial count set against the whole), said why
    assert pd.isna(by_criterion[2].ok) and pd.isna(by_criterion[2].computed) and by_criterion[2].severity == "info"
    assert "1 trong 127 xã chưa được đánh giá" in by_criterion[2].message
    assert (by_criterion[3].stated, by_criterion[3].computed, by_criterion[3].severity) == (120, 127, "warning")
    assert by_criterion[3].message.startswith("số xã đạt tiêu chí 3 (Thủy lợi), 2021 (thực hiện): bảng xã cho 127")
    assert by_criterion[3].message.endswith("còn plan Biểu 01!D17 ghi 120")
    [warning] = as_findings(rows).warnings
    assert (warning.file, warning.sheet, warning.cell) == ("plan", "Biểu 01", "D17")


def test_readiness_states_and_blocking():
    full = [True] * 19
    two = [True] * 19
    two[1] = two[9] = False
    four = [True] * 15 + [False] * 4
    part = [True] * 18 + [None]
    cc = _cc({TP[0]: full, TP[1]: two, TP[2]: four, TP[3]: part})
    r = readiness(cc).set_index("commune_code")
    assert r.state.to_dict() == {TP[0]: "ntm", TP[1]: "near", TP[2]: "far", TP[3]: "partial"}
    assert r.loc[TP[1], "missing"] == "2;10" and r.loc[TP[1], "criteria_unmet"] == 2
    assert r.loc[TP[3], "criteria_unmet"] == 0  # the blank is not unmet
    b = blocking_criteria(readiness(cc))
    assert b.criterion_id.tolist() == [2, 10] and b.near_communes.tolist() == [1, 1]
    s = district_summary(readiness(cc)).iloc[0]
    assert (s.communes, s.ntm, s.near, s.far, s.partial) == (4, 1, 1, 1, 1)
    assert s.avg_criteria == pytest.approx((19 + 17 + 15) / 3)


def test_target_distance_with_a_hand_made_targets_frame():
    two = [True] * 19
    two[1] = two[9] = False
    ready = readiness(_cc({TP[1]: two, TP[0]: [True] * 19}, year=2020))
    targets = pd.DataFrame({"commune_code": [TP[1], "03073"], "year": [2021, 2021]})
    d = target_distance(ready, targets, 2020)
    assert d.commune_code.tolist() == [TP[1], "03073"]
    assert d.criteria_unmet.iloc[0] == 2 and d.missing.iloc[0] == "2;10"
    assert pd.isna(d.criteria_unmet.iloc[1])  # not in the commune table: blank, not zero
    t = TidyTables.empty()
    findings = Findings()
    assert target_communes_distance(t, ready, findings).empty
    assert [f.check for f in findings] == ["commune_targets"]
    t.target_communes = targets
    assert target_communes_distance(t, ready, findings).base_year.tolist() == [2020, 2020]


def test_successors_2025():
    ready = readiness(_cc({"02659": [True] * 19, "02662": [True] * 18 + [False]}))
    s = with_successors(ready).set_index("commune_code")
    # facts.md §5 table: Thống Nhất -> Xã Gia Phú, Đồng Tuyển -> Xã Cốc San
    assert s.loc["02659", "commune_2025"] == "Xã Gia Phú" and s.loc["02662", "commune_2025"] == "Xã Cốc San"
    b = by_successor(ready).set_index("code_2025")
    # Gia Phú = Thống Nhất + Gia Phú + Xuân Giao (facts.md §5 table): one NTM predecessor with data, two
    # without: not known to be all NTM (blank), never "not NTM"
    assert pd.isna(b.loc["02923", "all_ntm"]) and b.loc["02923", "predecessors"] == 3
    assert b.loc["02923", "without_data"] == "Xã Gia Phú; Xã Xuân Giao"
    # Cốc San = Đồng Tuyển + Cốc San + Tòng Sành: Đồng Tuyển assessed and not NTM, so not all NTM
    assert b.loc["02746", "all_ntm"] == False  # noqa: E712 (a boolean scalar, not NA)
    full = readiness(_cc({"02659": [True] * 19, "02923": [True] * 19, "02932": [True] * 19,
                          "02662": [True] * 18 + [None]}))
    b = by_successor(full).set_index("code_2025")
    assert b.loc["02923", "all_ntm"] == True  # noqa: E712
    # Đồng Tuyển has a blank mark: not assessed, so Cốc San's all_ntm stays blank, not False
    assert pd.isna(b.loc["02746", "all_ntm"]) and b.loc["02746", "not_assessed"] == "Xã Đồng Tuyển"


def test_new_ntm_needs_both_years():
    before = _cc({TP[0]: [True] * 19, TP[1]: [True] * 18 + [False]}, year=2020, source="a")
    after = _cc({TP[0]: [True] * 19, TP[1]: [True] * 19}, year=2021, status="target", source="b")
    new = new_ntm_by_area(pd.concat([before, after]), 2021, "target").set_index("area_code")
    assert new.loc["080", "value"] == 1 and new.loc["10", "value"] == 1


def test_a_table_of_another_layout_with_district_rows_and_names(tmp_path):
    """No codes: district heading rows, names as written, criteria headed "Tiêu chí 1" … under a title year."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Xã"
    ws.append(["Kết quả đánh giá tiêu chí NTM các xã năm 2022"])
    ws.append([])
    ws.append(["STT", "Tên xã"] + [f"Tiêu chí {i}" for i in range(1, 20)])
    ws.append([None, "Huyện Văn Bàn"])
    ws.append([1, "Xã Nậm Dạng"] + ["đạt"] * 19)  # the plan's spelling: a near match for Nậm Rạng
    ws.append([2, "Minh Lương"] + ["x"] * 18 + ["-"])
    ws.append([3, "Xã Không Có"] + ["đạt"] * 19)
    ws.append([None, "Tổng cộng"] + [2] * 19)
    path = tmp_path / "bang-xa-van-ban.xlsx"
    wb.save(path)
    read = read_source(path)
    cc = read.tables.commune_criteria
    assert set(cc.commune) == {"Xã Nậm Rạng", "Xã Minh Lương"} and set(cc.year) == {2022}
    assert set(cc.district_code) == {"089"}
    near = [f for f in read.findings if f.check == "commune_near_match"]
    assert len(near) == 1 and near[0].cell == "B5"
    unknown = [f for f in read.findings.errors if f.check == "unknown_commune"]
    assert len(unknown) == 1 and "Không Có" in unknown[0].message and unknown[0].cell == "B7"
    missing = [f for f in read.findings if f.check == "commune_missing"]
    assert missing and missing[0].message.startswith("125/127 xã của tỉnh không có trong biểu")
    assert read.info.kind == "communes"  # no sidecar: read as a commune table, not a plan missing its appendices
    assert [f.check for f in read.findings.errors] == ["unknown_commune"]


def test_new_ntm_without_the_year_before_is_said_not_compared():
    t = TidyTables.empty()
    t.districts = pd.DataFrame({"year": [2021], "status": ["target"], "area_code": ["080"],
                                "indicator": ["new_ntm_communes"], "value": [1.0], "source_id": ["plan"],
                                "cell": ["Biểu 02!C8"]})
    t.commune_criteria = _cc({c: [True] * 19 for c in TP}, year=2021, status="target")
    rows = reconcile(t, load_reference(), scopes=("communes",))
    found = rows[rows.indicator == "new_ntm_communes"]
    assert len(found) == 1 and found.severity.item() == "info" and pd.isna(found.ok.item())
    assert "không có bảng xã thực hiện năm 2020" in found.message.item()


def test_no_year_anywhere_is_a_clear_error(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã xã", "Tên xã"] + [f"TC{i}" for i in range(1, 20)])
    ws.append(["02659", "Xã Thống Nhất"] + ["Đ"] * 19)
    path = tmp_path / "khong-nam.xlsx"
    wb.save(path)
    read = read_source(path)
    assert [f.check for f in read.findings.errors] == ["commune_year"]
    assert read.tables.commune_criteria.empty
