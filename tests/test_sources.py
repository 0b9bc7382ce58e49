"""Several sources in one raw folder: a plan and the results for its year, a
second year's plan, a correction, a conflicting pair, an untouched template,
incremental rebuilds, and ``ntm-analysis sources``. Each test builds its own
raw folder in tmp_path (the real plan copied, other workbooks made with openpyxl)."""
from __future__ import annotations

import json
import shutil

import openpyxl
import pandas as pd
import pytest
from helpers import PLAN, ROOT
from results_helpers import BIEU_02, CRITERIA_2021, copy_plan, fill_results, write_sidecar

from ntm_analysis import cli
from ntm_analysis.analysis import CriteriaSetWarning
from ntm_analysis.publishing.build import build
from ntm_analysis.publishing.sources_report import sources_report
from ntm_analysis.publishing.template import write_results_template
from ntm_analysis.reading.reader import read_source

RESULTS_META = dict(document_number="12/BC-UBND", document_date="2022-01-20",
                    issuer="Ủy ban nhân dân tỉnh Lào Cai", received_date="2022-02-01",
                    citation="Báo cáo số 12/BC-UBND (thử nghiệm)")


def dirs(tmp_path):
    return tmp_path / "raw", tmp_path / "processed", tmp_path / "figures"


def filled_results(folder, name="ket-qua-2021.xlsx", **meta):
    workbook = write_results_template(2021, folder / name)[0]
    where = fill_results(workbook)
    write_sidecar(workbook, **(RESULTS_META | meta))
    return workbook, where


def value(frame, **keys):
    rows = frame
    for k, v in keys.items():
        rows = rows[rows[k] == v]
    assert len(rows) == 1, keys
    col = "communes" if "communes" in rows else "amount_million_vnd" if "amount_million_vnd" in rows else "value"
    v = rows[col].iloc[0]
    return None if pd.isna(v) else v


def correction_2020(folder, ntm=61):
    """A correction workbook for 2020 (made here, not the committed example)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Điều chỉnh"
    ws["A1"] = "Điều chỉnh kết quả thực hiện tiêu chí nông thôn mới đến hết năm 2020"
    for c, text in enumerate(["TT", "Chỉ tiêu", "ĐVT", "Thực hiện đến hết năm 2020"], start=1):
        ws.cell(3, c, text)
    for r, row in enumerate([("1", "Tổng số xã", "Xã", 127),
                             ("2", "Số xã được công nhận đạt chuẩn NTM", "Xã", ntm)], start=4):
        for c, v in enumerate(row, start=1):
            ws.cell(r, c, v)
    path = folder / "dieu-chinh-2020.xlsx"
    wb.save(path)
    write_sidecar(path, kind="correction", year=2020, document_date="2021-03", province_code="10",
                  citation="doingoailaocai.vn/vi/bai-viet/12022; truyenhinhbaoyen.vn")
    return path


# ---- plan and results for the same year ---------------------------------------------------------

def test_plan_and_results_for_the_same_year(tmp_path):
    raw, processed, figures = dirs(tmp_path)
    copy_plan(raw)
    filled_results(raw)
    result = build(raw, processed, figures, figures=False)
    assert result.exit_code == 0, result.findings.report()
    t = result.tables
    assert {(2020, "actual"), (2021, "target"), (2021, "actual")} == set(zip(t.criteria.year, t.criteria.status))
    p = t.province
    assert value(p, year=2021, status="target", indicator="ntm_communes") == 72  # Biểu 01
    assert value(p, year=2021, status="actual", indicator="ntm_communes") == 70  # filled
    assert value(p, year=2020, status="actual", indicator="ntm_communes") == 57
    c = t.criteria
    assert value(c, year=2021, status="target", criterion_id=2) == 95
    assert value(c, year=2021, status="actual", criterion_id=2) == 94
    d = t.districts
    for code, target, actual in [("089", 4, 3), ("087", 3, 3), ("085", 3, 2), ("080", 1, 1), ("086", None, 0)]:
        assert value(d, year=2021, status="target", area_code=code, indicator="new_ntm_communes") == target
        assert value(d, year=2021, status="actual", area_code=code, indicator="new_ntm_communes") == actual
    assert value(d, year=2021, status="target", area_code="10", indicator="jobs_added") == 13500
    assert value(d, year=2021, status="actual", area_code="10", indicator="jobs_added") == 13600
    f = t.funding
    assert value(f, year=2021, status="target", code="0") == 661500
    assert value(f, year=2021, status="actual", code="0") == 602350
    assert value(f, year=2021, status="actual", code="1.2.1") == 235000
    assert pd.read_csv(processed / "conflicts.csv").empty
    sources = pd.read_csv(processed / "sources.csv").set_index("source_id")
    assert sources.kind.to_dict() == {"ke-hoach-05-KH-UBND-2021-lao-cai": "plan", "ket-qua-2021": "results"}
    att = result.results["district_attainment"].set_index(["area_code", "indicator"])
    assert len(att) == 70 and set(att.year) == {2021}
    assert att.loc[("089", "new_ntm_communes"), ["target", "actual", "gap"]].tolist() == [4, 3, -1]
    assert att.loc[("10", "jobs_added"), ["target", "actual", "gap"]].tolist() == [13500, 13600, 100]
    assert att.loc[("086", "new_ntm_communes"), "actual"] == 0
    assert pd.isna(att.loc[("086", "new_ntm_communes"), "target"])  # blank in the plan: no attainment
    assert pd.isna(att.loc[("086", "new_ntm_communes"), "met"])
    crit = result.results["plan_vs_actual_criteria"].set_index("criterion_id")
    assert crit.loc[7, ["target", "actual", "gap"]].tolist() == [115, 110, -5]
    fund = result.results["funding_plan_vs_actual"].set_index("code")
    assert fund.loc["0", ["planned_million_vnd", "mobilised_million_vnd"]].tolist() == [661500, 602350]
    assert fund.loc["4", ["planned_million_vnd", "mobilised_million_vnd"]].tolist() == [50000, 45000]


def test_done_when_a_filled_template_is_dropped_into_raw(tmp_path, capsys):
    """The package's template, filled with openpyxl, dropped with its sidecar into a copy of data/raw:
    the build's tables hold the filled numbers exactly, beside the plan's targets."""
    raw, processed, figures = dirs(tmp_path)
    shutil.copytree(PLAN.parent, raw)
    blank = tmp_path / "ket-qua-2021.xlsx"
    assert cli.main(["template", "results", "--year", "2021", "--out", str(blank)]) == 0
    where = fill_results(blank)
    write_sidecar(blank, **RESULTS_META)
    shutil.copy(blank, raw)
    shutil.copy(blank.with_name("ket-qua-2021.meta.json"), raw)
    assert cli.main(["build", "--raw", str(raw), "--processed", str(processed), "--figures", str(figures),
                     "--no-figures"]) == 0, capsys.readouterr().out

    districts = pd.read_csv(processed / "districts.csv", dtype={"area_code": str})
    actual = districts[(districts.status == "actual") & (districts.year == 2021)]
    target = districts[(districts.status == "target") & (districts.year == 2021)]
    plan_vs_actual = target.merge(actual, on=["area_code", "indicator"], suffixes=("_target", "_actual"))
    assert len(plan_vs_actual) == 70
    new = plan_vs_actual[plan_vs_actual.indicator == "new_ntm_communes"].set_index("area_code")
    assert new.value_actual.to_dict() == {"10": 13, "080": 1, "082": 1, "083": 1, "084": 1, "085": 2,
                                          "086": 0, "087": 3, "088": 1, "089": 3}
    assert new.value_target.fillna(-1).to_dict() == {"10": 15, "080": 1, "082": 1, "083": 1, "084": 1,
                                                     "085": 3, "086": -1, "087": 3, "088": 1, "089": 4}
    names = {"10": "Tỉnh Lào Cai", "080": "Thành phố Lào Cai", "082": "Huyện Bát Xát", "083": "Huyện Mường Khương",
             "084": "Huyện Si Ma Cai", "085": "Huyện Bắc Hà", "086": "Huyện Bảo Thắng", "087": "Huyện Bảo Yên",
             "088": "Thị xã Sa Pa", "089": "Huyện Văn Bàn"}
    indicators = ["new_ntm_communes", "avg_criteria", "poverty_reduction_pct", "hygienic_latrine_pct",
                  "hygienic_water_pct", "jobs_added", "health_insurance_pct"]
    for row in actual.itertuples():
        k = indicators.index(row.indicator)
        assert row.value == BIEU_02[names[row.area_code]][k]
        assert (row.source_id, row.cell) == ("ket-qua-2021", where[("district", names[row.area_code], k)])
    province = pd.read_csv(processed / "province.csv")
    ntm = province[province.indicator == "ntm_communes"].set_index(["year", "status"]).value
    assert ntm.to_dict() == {(2020, "actual"): 57, (2021, "target"): 72, (2021, "actual"): 70}
    funding = pd.read_csv(processed / "funding.csv", dtype={"code": str})
    totals = funding[funding.code == "0"].set_index("status").amount_million_vnd
    assert totals.to_dict() == {"target": 661500, "actual": 602350}

    attainment = pd.read_csv(processed / "district_attainment.csv", dtype={"area_code": str})
    assert len(attainment) == 70 and set(attainment.year) == {2021}
    for row in attainment.itertuples():
        assert row.actual == BIEU_02[names[row.area_code]][indicators.index(row.indicator)]
    got = attainment.set_index(["area_code", "indicator"])
    assert got.loc[("085", "new_ntm_communes"), ["target", "actual"]].tolist() == [3, 2]
    assert got.loc[("082", "avg_criteria"), ["target", "actual"]].tolist() == [16.2, 16.5]
    assert got.loc[("083", "health_insurance_pct"), ["target", "actual"]].tolist() == [99.93, 99.9]
    criteria = pd.read_csv(processed / "plan_vs_actual_criteria.csv").set_index("criterion_id")
    assert criteria.actual.tolist() == CRITERIA_2021
    assert criteria.target.tolist() == [127, 95, 127, 119, 100, 92, 115, 120, 98, 77, 80, 127, 115, 120, 120,
                                        112, 91, 101, 115]
    funding_pva = pd.read_csv(processed / "funding_plan_vs_actual.csv", dtype={"code": str}).set_index("code")
    assert funding_pva.loc["1.2", ["planned_million_vnd", "mobilised_million_vnd"]].tolist() == [280000, 258500]


# ---- another year, a correction, a conflict -----------------------------------------------------

def plan_2022(folder):
    """The real plan with its headers and titles moved one year on: a plan for 2022."""
    wb = openpyxl.load_workbook(PLAN)
    b1, b2, b3 = wb["Biểu 01"], wb["Biểu 02"], wb["Biểu 03"]
    b1["A2"] = "Kế hoạch thực hiện 19 tiêu chí nông thôn mới năm 2022"
    b1["D5"] = "Lũy kế số xã đạt tiêu chí\nđến hết năm 2021"
    b1["E5"] = "Lũy kế số xã đạt tiêu chí\nđến hết năm 2022"
    b2["A2"] = "MỘT SỐ CHỈ TIÊU KẾ HOẠCH NĂM 2022"
    b2["C5"] = "Chỉ tiêu kế hoạch năm 2022"
    b3["A2"] = "Kế hoạch huy động nguồn lực xây dựng nông thôn mới\ntỉnh Lào Cai năm 2022"
    b3["D5"] = "Dự kiến Kế hoạch năm 2022"
    path = folder / "ke-hoach-2022.xlsx"
    wb.save(path)
    write_sidecar(path, kind="plan", year=2022, document_number="01/KH-UBND", document_date="2022-01-10",
                  citation="Kế hoạch năm 2022 (thử nghiệm)")
    return path


def test_a_second_plan_adds_a_year_without_code_changes(tmp_path):
    raw, processed, figures = dirs(tmp_path)
    copy_plan(raw)
    plan_2022(raw)
    with pytest.warns(CriteriaSetWarning, match="2021-2025"):  # 2022 counts use the new criteria set
        result = build(raw, processed, figures, figures=False)
    assert result.exit_code == 0, result.findings.report()
    t = result.tables
    assert set(zip(t.criteria.year, t.criteria.status)) == {(2020, "actual"), (2021, "target"),
                                                           (2021, "actual"), (2022, "target")}
    p = t.province
    assert value(p, year=2021, status="actual", indicator="ntm_communes") == 57  # the copied column D
    assert value(p, year=2022, status="target", indicator="ntm_communes") == 72
    assert value(t.districts, year=2022, status="target", area_code="089", indicator="new_ntm_communes") == 4
    assert value(t.funding, year=2022, status="target", code="0") == 661500
    assert set(t.districts.year) == {2021, 2022} and set(t.funding.year) == {2021, 2022}
    assert value(t.criteria, year=2022, status="target", criterion_id=11) == 80
    assert set(t.criteria[t.criteria.year == 2022].criteria_set) == {"2021-2025"}
    assert set(t.districts[t.districts.year == 2022].source_id) == {"ke-hoach-2022"}


def test_a_correction_replaces_the_figure_and_is_listed(tmp_path):
    raw, processed, figures = dirs(tmp_path)
    copy_plan(raw)
    correction_2020(raw)
    result = build(raw, processed, figures, figures=False)
    assert result.exit_code == 0, result.findings.report()
    p = result.tables.province
    assert value(p, year=2020, status="actual", indicator="ntm_communes") == 61
    row = p[(p.year == 2020) & (p.indicator == "ntm_communes")].iloc[0]
    assert (row.source_id, row.cell) == ("dieu-chinh-2020", "Điều chỉnh!D5")
    assert value(p, year=2021, status="target", indicator="ntm_communes") == 72  # untouched
    conflicts = pd.read_csv(processed / "conflicts.csv")
    assert len(conflicts) == 1
    c = conflicts.iloc[0]
    assert c.table == "province" and "ntm_communes" in c.key and "2020" in c.key
    assert (c.earlier_source, c.earlier_value, c.earlier_cell) == ("ke-hoach-05-KH-UBND-2021-lao-cai", 57,
                                                                   "Biểu 01!D8")
    assert (c.later_source, c.later_value, c.kept) == ("dieu-chinh-2020", 61, "dieu-chinh-2020")
    assert "replaces" in c.resolution


def test_two_plans_disagreeing_stop_the_build_and_write_nothing(tmp_path):
    raw, processed, figures = dirs(tmp_path)
    copy_plan(raw)
    wb = openpyxl.load_workbook(PLAN)
    wb["Biểu 02"]["C15"] = 2  # Bắc Hà's 2021 new-NTM target: the plan says 3
    other = raw / "ke-hoach-ban-sua.xlsx"
    wb.save(other)
    write_sidecar(other, kind="plan", year=2021, document_number="05b/KH-UBND", document_date="2021-02-01")
    result = build(raw, processed, figures, figures=False)
    assert result.exit_code == 1
    [error] = [f for f in result.findings.errors]
    assert error.check == "conflict" and (error.sheet, error.cell) == ("Biểu 02", "C15")
    assert error.message == ("Tỉnh Lào Cai, 2021 (kế hoạch), Huyện Bắc Hà, Số xã đạt chuẩn NTM mới trong năm: "
                             "ke-hoach-ban-sua ghi 2, nhưng ke-hoach-05-KH-UBND-2021-lao-cai ghi 3; chỉ văn bản điều "
                             "chỉnh, hoặc kết quả thực hiện của chính năm đó, mới được thay một số liệu")
    assert not processed.exists() and not figures.exists()
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


def test_a_copied_sidecar_with_the_same_source_id_is_an_error(tmp_path):
    raw, processed, figures = dirs(tmp_path)
    copy_plan(raw)
    workbook, _ = filled_results(raw, source_id="ke-hoach-05-KH-UBND-2021-lao-cai")
    result = build(raw, processed, figures, figures=False)
    assert result.exit_code == 1
    assert [f.check for f in result.findings.errors] == ["duplicate_source_id"]
    assert "ke-hoach-05-KH-UBND-2021-lao-cai.xlsx và ket-qua-2021.xlsx" in result.findings.errors[0].message
    assert not processed.exists()


# ---- untouched template, incremental builds ------------------------------------------------------

def test_an_untouched_template_beside_the_plan_is_all_missing(tmp_path):
    raw, processed, figures = dirs(tmp_path)
    copy_plan(raw)
    write_results_template(2021, raw / "ket-qua-2021.xlsx")
    result = build(raw, processed, figures, figures=False)
    assert result.exit_code == 0, result.findings.report()
    assert not result.findings.errors
    assert [f.file for f in result.findings.warnings if f.check == "all_missing"] == ["ket-qua-2021.xlsx"]
    t = result.tables
    actual_2021 = t.province[(t.province.year == 2021) & (t.province.status == "actual")]
    assert len(actual_2021) == 3 and actual_2021.value.isna().all()
    assert t.districts[t.districts.status == "actual"].value.isna().all()
    assert value(t.province, year=2021, status="target", indicator="ntm_communes") == 72
    validation = pd.read_csv(processed / "validation.csv")
    assert "all_missing" in set(validation.check)


def test_an_unchanged_raw_folder_is_up_to_date_and_force_rebuilds(tmp_path, capsys):
    raw, processed, figures = dirs(tmp_path)
    copy_plan(raw)
    filled_results(raw)
    args = ["build", "--raw", str(raw), "--processed", str(processed), "--figures", str(figures),
            "--no-figures"]
    assert cli.main(args) == 0
    assert "dựng xong" in capsys.readouterr().out
    built = (processed / "manifest.json").read_text(encoding="utf-8")
    assert cli.main(args) == 0
    assert "kết quả đã cập nhật" in capsys.readouterr().out
    assert (processed / "manifest.json").read_text(encoding="utf-8") == built
    assert build(raw, processed, figures, figures=False).up_to_date
    assert cli.main(args + ["--force"]) == 0
    assert "dựng xong" in capsys.readouterr().out
    manifest = json.loads((processed / "manifest.json").read_text(encoding="utf-8"))
    assert {"ket-qua-2021.xlsx", "ket-qua-2021.meta.json"} <= set(manifest["inputs"])
    write_sidecar(raw / "ket-qua-2021.xlsx", citation="Báo cáo số 12/BC-UBND ngày 20/01/2022")
    assert not build(raw, processed, figures, figures=False).up_to_date  # a changed sidecar rebuilds


# ---- ntm-analysis sources ------------------------------------------------------------------------

def test_sources_lists_each_source_with_its_years_statuses_and_tables(tmp_path, capsys):
    raw = tmp_path / "raw"
    copy_plan(raw)
    filled_results(raw)
    correction_2020(raw)
    write_results_template(2022, raw / "ket-qua-2022-chua-dien.xlsx")
    report = sources_report(raw).set_index("source_id")
    assert report.loc["ke-hoach-05-KH-UBND-2021-lao-cai", "periods"] == "2020 (thực hiện), 2021 (kế hoạch)"
    assert report.loc["ket-qua-2021", "periods"] == "2021 (thực hiện)"
    assert report.loc["dieu-chinh-2020", "periods"] == "2020 (thực hiện)"
    assert report.loc["ket-qua-2022-chua-dien", "periods"] == ""  # nothing filled in
    everything = "Tiêu chí, Xã theo số tiêu chí, Chỉ tiêu toàn tỉnh, Chỉ tiêu cấp huyện, Nguồn vốn"
    assert report.loc["ke-hoach-05-KH-UBND-2021-lao-cai", "tables"] == everything
    assert report.loc["ket-qua-2021", "tables"] == everything
    assert report.loc["dieu-chinh-2020", "tables"] == "Chỉ tiêu toàn tỉnh"
    english = sources_report(raw, lang="en").set_index("source_id")
    assert english.loc["ke-hoach-05-KH-UBND-2021-lao-cai", "periods"] == "2020 (actual), 2021 (target)"
    assert english.loc["dieu-chinh-2020", "tables"] == "Province indicators"
    assert report.kind.to_dict() == {"ke-hoach-05-KH-UBND-2021-lao-cai": "plan", "ket-qua-2021": "results",
                                     "dieu-chinh-2020": "correction", "ket-qua-2022-chua-dien": "results"}
    assert report.year.to_dict() == {"ke-hoach-05-KH-UBND-2021-lao-cai": 2021, "ket-qua-2021": 2021,
                                     "dieu-chinh-2020": 2020, "ket-qua-2022-chua-dien": 2022}
    assert report.loc["ket-qua-2022-chua-dien", "warnings"] == 2  # nothing filled in; its sidecar blank
    assert (report.errors == 0).all()
    assert cli.main(["sources", "--raw", str(raw)]) == 0
    out = capsys.readouterr().out
    for source_id in report.index:
        assert source_id in out
    assert "2020 (thực hiện), 2021 (kế hoạch)" in out and "12/BC-UBND" in out


# ---- the committed examples ----------------------------------------------------------------------

EXAMPLES = ROOT / "data" / "examples"


def test_the_illustrative_example_reads_cleanly_and_says_so():
    read = read_source(EXAMPLES / "ket-qua-2021-minh-hoa.xlsx")
    assert not read.findings.errors and not read.findings.warnings, read.findings.report()
    assert read.info.illustrative is True and read.info.kind == "results" and read.info.year == 2021
    assert "minh họa" in read.info.citation
    p = read.tables.province
    assert value(p, year=2021, status="actual", indicator="ntm_communes") == 70
    d = read.tables.districts
    assert d[d.indicator == "new_ntm_communes"].set_index("area_code").value["10"] == 9
    wb = openpyxl.load_workbook(EXAMPLES / "ket-qua-2021-minh-hoa.xlsx")
    assert all("MINH HỌA" in wb[s]["A3"].value for s in ("Biểu 01", "Biểu 02", "Biểu 03"))


def test_the_correction_example_gives_61_communes_for_2020_with_its_sources():
    read = read_source(EXAMPLES / "dieu-chinh-2020-lao-cai.xlsx")
    assert not read.findings.errors and not read.findings.warnings, read.findings.report()
    assert read.info.kind == "correction" and read.info.year == 2020 and read.info.illustrative is False
    assert "doingoailaocai.vn" in read.info.citation and "truyenhinhbaoyen.vn" in read.info.citation
    p = read.tables.province
    assert value(p, year=2020, status="actual", indicator="ntm_communes") == 61
    assert value(p, year=2020, status="actual", indicator="total_communes") == 127
    assert read.tables.criteria.empty and read.tables.districts.empty


@pytest.mark.parametrize("name", ["ket-qua-2021-minh-hoa", "dieu-chinh-2020-lao-cai"])
def test_examples_are_small_and_outside_raw(name):
    path = EXAMPLES / f"{name}.xlsx"
    assert path.stat().st_size < 50_000
    assert not (PLAN.parent / path.name).exists()
