"""Targets stated in the text, the communes it names, and the cross-checks
between text and tables. Expected figures are typed from plan 05/KH-UBND
(section II, III.5, V); the test documents restate them in our own words."""
from __future__ import annotations

import pandas as pd
import pytest
from helpers import PLAN_MD, ROOT

from ntm_analysis.checks.reconcile import COLUMNS as ENGINE_COLUMNS
from ntm_analysis.checks.reconcile import reconcile
from ntm_analysis.findings import Findings
from ntm_analysis.reading.narrative import join_broken_paragraphs, read_narrative_targets, read_target_communes
from ntm_analysis.reading.reader import read_source
from ntm_analysis.reference import load_reference
from ntm_analysis.tables.tidy import COLUMNS, PROVENANCE

DOCS = ROOT / "tests" / "documents"

# criterion id -> communes targeted for end-2021 ("100%" = the province's 127 communes)
CRITERIA_2021 = {1: 127, 2: 95, 3: 127, 4: 119, 5: 100, 6: 92, 7: 115, 8: 120, 9: 98, 10: 77, 11: 80,
                 12: 127, 13: 115, 14: 120, 15: 120, 16: 112, 17: 91, 18: 101, 19: 115}
HEADLINES = {"new_ntm_communes": (15, None), "ntm_communes": (72, None), "avg_criteria": (16.15, None),
             "district_avg_increase": (1.0, 1.5), "new_model_villages": (25, None),
             "new_ntm_villages": (35, None), "model_villages": (169, None), "ntm_villages": (158, None),
             "jobs_added": (13500, None), "new_cooperatives": (40, 50), "funding_total": (661500, None),
             "funding_central": (31500, None), "funding_local": (280000, None),
             "funding_integrated": (270000, None), "funding_enterprises_people": (80000, None)}
# the 15 communes of section II.1, with their GSO codes (lao-cai-communes-2021.csv)
COMMUNES = {"Tân Thượng": "03070", "Minh Lương": "03112", "Chiềng Ken": "03091", "Nậm Dạng": "03073",
            "Xuân Thượng": "02980", "Bảo Hà": "02989", "Vĩnh Yên": "02956", "Nậm Mòn": "02881",
            "Cốc Lầu": "02896", "Bản Liền": "02869", "Thống Nhất": "02659", "Nậm Cháy": "02770",
            "Trịnh Tường": "02695", "Mường Hoa": "03037", "Sán Chải": "02812"}
NEAR = {"Nậm Dạng": "Xã Nậm Rạng", "Nậm Cháy": "Xã Nậm Chảy"}  # spelled otherwise by the GSO


def _sources():
    paths = [DOCS / "plan-test.docx", DOCS / "plan-test.pdf", DOCS / "plan-test.md"]
    return paths + ([PLAN_MD] if PLAN_MD.exists() else [])


@pytest.fixture(scope="module", params=_sources(), ids=lambda p: p.name)
def read(request):
    return read_source(request.param)


def test_all_19_criterion_targets_and_the_headlines(read):
    nt = read.tables.narrative_targets
    assert list(nt.columns) == list(COLUMNS["narrative_targets"]) + PROVENANCE + ["quote"]
    crit = nt[nt.indicator == "criterion_communes"]
    assert dict(zip(crit.criterion_id.astype(int), crit.value)) == CRITERIA_2021
    assert set(crit.unit) == {"xã"}
    for indicator, (value, value_max) in HEADLINES.items():
        row = nt[nt.indicator == indicator]
        assert len(row) == 1, indicator
        assert row.value.item() == pytest.approx(value), indicator
        assert (pd.isna(row.value_max.item()) if value_max is None
                else row.value_max.item() == pytest.approx(value_max)), indicator
    assert set(nt.year) == {2021} and set(nt.status) == {"target"}
    assert nt.criterion_id[nt.indicator != "criterion_communes"].isna().all()
    assert nt.cell.str.len().gt(0).all() and nt.quote.str.len().le(200).all()
    jobs = nt[nt.indicator == "jobs_added"].quote.item()
    assert "13.500" in jobs and "lao động" in jobs


def test_the_15_named_communes_with_codes(read):
    tc = read.tables.target_communes
    assert dict(zip(tc.commune_as_written, tc.commune_code)) == COMMUNES
    near = tc[tc.match == "near"]
    assert dict(zip(near.commune_as_written, near.commune)) == NEAR
    assert set(tc.match) == {"exact", "near"}
    warnings = [f for f in read.findings if f.check == "commune_near_match"]
    assert len(warnings) == 2 and all(f.cell for f in warnings)
    assert any("Nậm Dạng" in f.message and "Nậm Rạng" in f.message for f in warnings)
    assert tc.groupby("district_code").size().to_dict() == {
        "080": 1, "082": 1, "083": 1, "084": 1, "085": 3, "087": 3, "088": 1, "089": 4}


def test_cross_checks_hold_and_are_reported_as_info(read):
    rows = reconcile(read.tables, load_reference(), scopes=("text",))
    assert list(rows.columns) == list(ENGINE_COLUMNS)
    assert not rows.empty
    assert rows[rows.ok == False].empty, rows[rows.ok == False].message.tolist()  # noqa: E712
    checks = set(rows.check)
    assert checks == {"text_criterion_target", "text_new_ntm_communes", "text_ntm_communes",
                      "text_avg_criteria", "text_named_communes", "text_funding", "text_district_increase",
                      "text_villages_implied"}
    assert (rows.check == "text_criterion_target").sum() == 19
    infos = [f for f in read.findings if f.severity == "info" and f.check in checks]
    assert len(infos) == len(rows)
    villages = rows[rows.check == "text_villages_implied"].computed.tolist()
    assert villages == [144, 123]  # 169 − 25 and 158 − 35
    increase = rows[rows.check == "text_district_increase"]
    assert increase.ok.isna().item() and increase.severity.item() == "info"  # cannot be checked: said, not failed
    assert "chưa kiểm tra được" in increase.message.item() and "2020" in increase.message.item()
    criterion_2 = rows[rows.criterion_id == 2]  # "95 xã đạt tiêu chí giao thông" against Biểu 01's 95
    assert (criterion_2.stated.item(), criterion_2.computed.item(), criterion_2.year.item()) == (95, 95, 2021)
    assert criterion_2.message.item().startswith("tiêu chí 2 (Giao thông), 2021: số 95 của văn bản khớp")


def test_a_text_target_that_differs_from_biểu_01_is_a_warning(tmp_path):
    text = (DOCS / "plan-test.md").read_text(encoding="utf-8")
    changed = tmp_path / "plan.md"
    changed.write_text(text.replace("có 95 xã đạt tiêu chí giao thông", "có 96 xã đạt tiêu chí giao thông"),
                       encoding="utf-8")
    read = read_source(changed)
    failing = [f for f in read.findings if f.check == "text_criterion_target" and f.severity == "warning"]
    assert len(failing) == 1
    assert failing[0].message == "tiêu chí 2 (Giao thông), 2021: số 96 của văn bản khác với Biểu 01 (95)"
    assert "dòng" in failing[0].cell and ";" in failing[0].cell  # both places
    assert [f.severity for f in read.findings.strict() if f.check == "text_criterion_target"].count("error") == 1


def test_typos_tone_marks_and_broken_paragraphs():
    paragraphs = [("- Điện nông thôn: nâng cấp lưới. Phần đầu đến hết năm 2022 có 88 xã đạt tiêu chí điện "
                   "nông thôn; Phân đấu duy trì 100% các xã đạt tiêu chí quốc phòng và", "dòng 3"),
                  ("an ninh.", "dòng 5")]
    assert join_broken_paragraphs(paragraphs)[0][1] == "dòng 3 – dòng 5"
    rows = read_narrative_targets(paragraphs, 2021, "x", 127)
    assert [(r["criterion_id"], r["value"], r["year"]) for r in rows] == [(4, 88.0, 2022), (19, 127.0, 2021)]


def test_group_counts_and_unknown_communes_are_findings():
    reference = load_reference()
    findings = Findings()
    text = ("Phấn đấu có thêm 4 xã đạt chuẩn (gồm: 03 xã: Tân Thượng, Minh Lương, huyện Văn Bàn; "
            "01 xã Không Có, huyện Bắc Hà).")
    rows = read_target_communes([(text, "đoạn 4")], 2021, "x", reference, findings, "plan.docx")
    assert [r["match"] for r in rows] == ["exact", "exact", "none"]
    assert rows[2]["commune_code"] is None and rows[2]["district_code"] == "085"
    checks = {f.check: f for f in findings}
    assert checks["named_communes_count"].severity == "warning"
    assert "03" in checks["named_communes_count"].message and checks["named_communes_count"].cell == "đoạn 4"
    assert checks["commune_not_found"].severity == "error"
    assert "gần nhất:" in checks["commune_not_found"].message


def test_a_workbook_has_no_text_tables():
    from helpers import PLAN  # noqa: PLC0415
    read = read_source(PLAN)
    assert read.tables.narrative_targets.empty and read.tables.target_communes.empty
    assert not [f for f in read.findings if f.check.startswith("text_")]


def test_display_frames_for_notebook_01():
    from ntm_analysis.notebooks.text_view import named_communes, narrative_beside_tables, text_reads  # noqa: PLC0415

    read = read_source(DOCS / "plan-test.docx")
    assert text_reads([read]) == [read]
    beside = narrative_beside_tables(read)
    assert len(beside) == 34
    # 19 criteria + new, cumulative NTM communes + average criteria + 5 funding lines have a table figure
    assert (beside.agrees == "khớp").sum() == 27 and set(beside.agrees) == {"khớp", "–"}
    row = beside[beside.criterion_id == 2].iloc[0]
    assert (row.text_value, row.table_value, row.table_cell) == (95, 95, "Bảng 1, hàng 12, cột 5")
    communes = named_communes(read, load_reference())
    assert len(communes) == 15
    assert communes[communes.commune_as_written == "Nậm Cháy"].match.item() == "gần đúng (khác chính tả)"
