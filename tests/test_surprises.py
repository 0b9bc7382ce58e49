"""Issue 15 §1: the program never lets a wrong picture through in silence (an
uncovered results year, figures citing sources they do not draw, sidecars that do
not fit their file, files of data/raw left unread, numbers that read two ways,
names typed without accents)."""
from __future__ import annotations

import pytest

from ntm_analysis import i18n
from ntm_analysis.reading.numbers import ambiguous_readings, parse_vn_number
from ntm_analysis.reading.reader import read_source


def found(read, check: str) -> list:
    return [f for f in read.findings if f.check == check]


# ---- numbers whose separator reads two ways ---------------------------------------

@pytest.mark.parametrize("text, readings", [
    ("640,000", (640.0, 640000.0)), ("50,000", (50.0, 50000.0)), ("16,150", (16.15, 16150.0)),
    ("16,15", None), ("16.15", None), ("661.500", None), ("1.234,567", None), ("1,234,567", None),
    (640000, None), (16.15, None), ("1640,000", None),
])
def test_only_a_comma_before_exactly_three_digits_is_ambiguous(text, readings):
    assert ambiguous_readings(text) == readings


def test_an_ambiguous_text_cell_is_a_warning_with_both_readings(edit_plan):
    # Biểu 03 D16 (the people's contribution) is "50.000" in the plan; typed "50,000" it reads two ways
    read = read_source(edit_plan({("Biểu 03", "D16"): "50,000"}))
    [warning] = found(read, "ambiguous_number")
    assert (warning.severity, warning.sheet, warning.cell) == ("warning", "Biểu 03", "D16")
    assert '"50,000"' in warning.message and " 50 " in warning.message and "50.000" in warning.message
    # the value stays as the parser reads it: 50 (a decimal comma), never silently changed
    people = read.tables.funding[read.tables.funding.cell == "Biểu 03!D16"]
    assert people.amount_million_vnd.tolist() == [parse_vn_number("50,000")] == [50.0]


def test_a_dot_decimal_and_number_cells_say_nothing(edit_plan):
    read = read_source(edit_plan({("Biểu 01", "E7"): "16.15", ("Biểu 03", "D16"): 50000}))
    assert not found(read, "ambiguous_number")


# ---- district names typed without accents -----------------------------------------

def test_a_name_without_accents_that_matches_one_district_is_accepted_with_an_info(tmp_path):
    from helpers import edited_plan
    plan = edited_plan(tmp_path, {("Biểu 02", "B9"): "Huyen Bat Xat", ("Biểu 02", "B12"): "Van Ban"},
                       sidecar=True)
    read = read_source(plan)
    assert not read.findings.errors, read.findings.report()
    infos = {f.cell: f for f in found(read, "name_without_accents")}
    assert set(infos) == {"B9", "B12"} and {f.severity for f in infos.values()} == {"info"}
    assert "Huyện Bát Xát" in infos["B9"].message and "'Huyen Bat Xat'" in infos["B9"].message
    districts = read.tables.districts
    assert set(districts[districts.cell.str.startswith("Biểu 02!C9")].area_code) == {"082"}  # GSO: Bát Xát
    assert set(districts[districts.cell.str.startswith("Biểu 02!C12")].area_code) == {"089"}  # GSO: Văn Bàn


def test_a_name_without_accents_that_matches_several_units_lists_them():
    from ntm_analysis.reference import load_reference
    reference = load_reference()
    # Tam Đường (Lai Châu) and Tam Dương (Vĩnh Phúc) differ only by their accents
    match = reference.match_area("Huyen Tam Duong")
    assert match.unaccented and match.code is None
    assert sorted(reference.area_name(c) for c in match.candidates) == ["Huyện Tam Dương", "Huyện Tam Đường"]
    assert reference.match_area("Huyện Tam Đường").code is not None  # with its accents, one unit
    assert not reference.match_area("Huyện Bát Xát", "10").unaccented


def test_several_matches_without_accents_is_an_error_naming_the_candidates(tmp_path):
    from helpers import edited_plan

    from ntm_analysis.findings import Findings
    from ntm_analysis.reading.finder import find_tables
    from ntm_analysis.reading.parse_districts import parse_districts
    from ntm_analysis.reading.sources import load_grids
    from ntm_analysis.reference import load_reference
    reference = load_reference()
    plan = edited_plan(tmp_path, {("Biểu 02", "B9"): "Huyen Tam Duong"})
    findings = Findings()
    table = find_tables(load_grids(plan, findings), reference, findings)["districts"][0]
    parse_districts(table, reference, findings, "")  # no province known: the whole country is searched
    [error] = [f for f in findings if f.check == "ambiguous_district"]
    assert (error.severity, error.cell) == ("error", "B9")
    assert "Huyện Tam Đường (Tỉnh Lai Châu)" in error.message and "Huyện Tam Dương (Tỉnh Vĩnh Phúc)" in error.message


def test_a_name_with_wrong_accents_is_not_read_as_one_without():
    from ntm_analysis.reference import load_reference
    reference = load_reference()
    assert reference.match_area("Bảo Thăng", "10").code is None  # an error with "did you mean", as before
    assert reference.match_area("TP. Lao Cai", "10").code == "080"


# ---- files of data/raw that are not read ------------------------------------------

def test_every_file_not_read_is_listed_with_its_reason(tmp_path, capsys):
    from results_helpers import copy_plan

    from ntm_analysis import cli
    from ntm_analysis.publishing.build import build
    raw = tmp_path / "raw"
    copy_plan(raw)
    (raw / "chi-tieu.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (raw / "ghi-chu.json").write_text("{}", encoding="utf-8")
    (raw / "cu.meta.json").write_text("{}", encoding="utf-8")
    (raw / "~$ke-hoach-05-KH-UBND-2021-lao-cai.xlsx").write_bytes(b"\x0bnguoi dung")
    (raw / "ban-ve.dwg").write_bytes(b"AC1015")  # a drawing: no carrier reads it
    (raw / "README.md").write_text("ghi chú", encoding="utf-8")
    (raw / "cu").mkdir()
    with i18n.use_language("en"):
        result = build(raw, tmp_path / "processed", tmp_path / "figures", figures=False)
    assert result.exit_code == 0, result.findings.report()
    listed = {f.file: f for f in result.findings if f.check.startswith("not_read_")}
    assert set(listed) == {"chi-tieu.csv", "ghi-chu.json", "cu.meta.json", "~$ke-hoach-05-KH-UBND-2021-lao-cai.xlsx",
                           "ban-ve.dwg", "README.md", "cu"}
    lock = listed["~$ke-hoach-05-KH-UBND-2021-lao-cai.xlsx"]
    assert lock.severity == "warning" and "this workbook is open in Excel: close it and run again" in lock.message
    assert "corrupt" not in lock.message
    assert "CSV files are not read" in listed["chi-tieu.csv"].message
    assert "'.dwg'" in listed["ban-ve.dwg"].message
    assert listed["README.md"].severity == "info"
    # the command that lists the sources says it too (in Vietnamese by default)
    with i18n.use_language("vi"):
        assert cli.main(["sources", "--raw", str(raw)]) == 0
    out = capsys.readouterr().out
    assert "chi-tieu.csv: " in out and "~$ke-hoach-05-KH-UBND-2021-lao-cai.xlsx: " in out


def test_a_lock_file_given_directly_is_not_called_corrupt(tmp_path):
    lock = tmp_path / "~$ke-hoach.xlsx"
    lock.write_bytes(b"\x0bnguoi dung" + b"\x00" * 150)
    read = read_source(lock)
    [error] = read.findings.errors
    assert error.check == "lock_file" and "corrupt" not in error.message
    with i18n.use_language("en"):
        assert "this workbook is open in Excel: close it and run again" in read_source(lock).findings.errors[0].message


# ---- sidecars checked against their schema ----------------------------------------

def _sidecar_findings(path):
    from ntm_analysis.findings import Findings
    from ntm_analysis.reading.metadata import read_sidecar
    findings = Findings()
    info = read_sidecar(path, findings)
    return info, [f for f in findings if f.check.startswith("sidecar")]


def test_a_blank_template_sidecar_names_the_fields_to_fill(tmp_path):
    from ntm_analysis.publishing.template import write_results_template
    workbook, sidecar = write_results_template(2021, tmp_path / "ket-qua-2021.xlsx")
    with i18n.use_language("en"):
        _info, [finding] = _sidecar_findings(workbook)
    assert (finding.severity, finding.check, finding.file) == ("warning", "sidecar_blank", "ket-qua-2021.xlsx")
    assert "ket-qua-2021.meta.json" in finding.message
    assert "document_number, document_date, issuer, and citation" in finding.message
    with i18n.use_language("vi"):
        _info, [finding] = _sidecar_findings(workbook)
    assert "document_number, document_date, issuer và citation" in finding.message


def test_a_day_first_date_is_an_error_naming_the_field_and_the_iso_date(tmp_path):
    from results_helpers import copy_plan, write_sidecar
    plan = copy_plan(tmp_path)
    write_sidecar(plan, document_date="15/01/2022")
    _info, [finding] = _sidecar_findings(plan)
    assert (finding.severity, finding.check) == ("error", "sidecar_date")
    assert "document_date" in finding.message and '"15/01/2022"' in finding.message
    assert "2022-01-15" in finding.message and "ke-hoach-05-KH-UBND-2021-lao-cai.meta.json" in finding.message


@pytest.mark.parametrize("value", ["2021-13-01", "12-01-2021", "2021/01/12", "hôm nay"])
def test_dates_that_are_not_iso_are_errors(tmp_path, value):
    from results_helpers import copy_plan, write_sidecar
    plan = copy_plan(tmp_path)
    write_sidecar(plan, received_date=value)
    _info, findings = _sidecar_findings(plan)
    assert [(f.check, "received_date" in f.message) for f in findings] == [("sidecar_date", True)]


def test_a_sidecar_copied_from_another_file_is_named(tmp_path):
    from results_helpers import PLAN_SIDECAR, copy_plan
    plan = copy_plan(tmp_path, "ke-hoach-2022.xlsx")  # the plan's sidecar, copied beside another name
    assert plan.with_name("ke-hoach-2022.meta.json").read_bytes() == PLAN_SIDECAR.read_bytes()
    with i18n.use_language("en"):
        _info, findings = _sidecar_findings(plan)
    [copied] = [f for f in findings if f.check == "sidecar_other_file"]
    assert copied.severity == "warning" and copied.file == "ke-hoach-2022.xlsx"
    assert 'source_id "ke-hoach-05-KH-UBND-2021-lao-cai"' in copied.message and '"ke-hoach-2022"' in copied.message


def test_a_missing_sidecar_says_what_was_assumed(tmp_path):
    from helpers import edited_plan
    plan = edited_plan(tmp_path, {}, name="ke-hoach.xlsx")
    read = read_source(plan)
    [finding] = found(read, "no_sidecar")
    assert finding.severity == "warning" and finding.file == "ke-hoach.xlsx"
    for assumed in ("ke-hoach.meta.json", "plan", "2021", "Tỉnh Lào Cai"):
        assert assumed in finding.message
    assert read.info.kind == "plan" and not read.info.has_sidecar


def test_a_sidecar_year_that_the_headers_contradict_is_an_error(tmp_path):
    from results_helpers import copy_plan, write_sidecar
    plan = copy_plan(tmp_path)
    write_sidecar(plan, year=2022)
    assert found(read_source(plan), "period_mismatch")
    write_sidecar(plan, year="22")
    with i18n.use_language("en"):
        _info, [finding] = _sidecar_findings(plan)
    assert finding.severity == "error" and 'year "22"' in finding.message and "four digits" in finding.message


def test_the_sidecars_shipped_pass_their_schema():
    from helpers import ROOT
    shipped = sorted((ROOT / "data" / "raw").glob("*.xlsx")) + sorted((ROOT / "data" / "examples").glob("*.xlsx"))
    assert shipped
    for path in shipped:  # not data/processed: its workbook is an output, with no sidecar
        info, findings = _sidecar_findings(path)
        assert info.has_sidecar and not findings, (path, [f.message for f in findings])


def test_the_sidecar_fields_are_declared_once():
    from ntm_analysis.publishing.commune_template import communes_sidecar
    from ntm_analysis.publishing.template import gazetteer, results_sidecar
    from ntm_analysis.reading.metadata import SourceInfo, sidecar_fields
    from ntm_analysis.reference import load_reference
    declared = {f.name for f in sidecar_fields()}
    read = set(SourceInfo.__dataclass_fields__) - {"file", "has_sidecar", "extra"}
    assert read <= declared  # every field the reader takes is declared in reference/sidecar_fields.csv
    in_template = {f.name for f in sidecar_fields() if f.in_template}
    place = gazetteer(load_reference(), "10", 2021)
    assert in_template <= set(results_sidecar(2021, "k", place)) and in_template <= set(
        communes_sidecar(2021, "actual", "x", "10", "Tỉnh Lào Cai"))


# ---- results for a year the plan does not cover; what each figure cites ---------------

REPORT_2022 = "Báo cáo số 12/BC-UBND ngày 10/01/2023 của UBND tỉnh Lào Cai"  # made up for the test
PLAN_CITATION = "Kế hoạch số 05/KH-UBND ngày 12/01/2021 của UBND tỉnh Lào Cai"


def _results(raw, year: int, **meta):
    from results_helpers import fill_results, write_sidecar

    from ntm_analysis.publishing.template import write_results_template
    workbook = write_results_template(year, raw / f"ket-qua-{year}.xlsx")[0]
    fill_results(workbook)
    write_sidecar(workbook, **({"document_number": "12/BC-UBND", "document_date": "2023-01-10",
                                "issuer": "UBND tỉnh Lào Cai", "citation": REPORT_2022} | meta))
    return workbook


def test_results_for_a_year_no_plan_covers_say_why_nothing_is_compared(tmp_path):
    from results_helpers import copy_plan

    from ntm_analysis.publishing.build import build
    raw = tmp_path / "raw"
    copy_plan(raw)
    _results(raw, 2022)
    result = build(raw, tmp_path / "processed", tmp_path / "figures")
    assert result.exit_code == 0, result.findings.report()
    [finding] = [f for f in result.findings if f.check == "results_without_targets"]
    assert (finding.severity, finding.file) == ("warning", "ket-qua-2022.xlsx")
    assert "2022" in finding.message and "2021" in finding.message
    with i18n.use_language("en"):
        from ntm_analysis.notebooks.project import load_project
        project = load_project(raw, tmp_path / "processed", examples_dir=None)
    [finding] = [f for f in project.findings if f.check == "results_without_targets"]
    assert "the plans read set targets for 2021 only" in finding.message
    assert "no attainment is drawn for 2022" in finding.message
    assert "district_attainment" not in result.results
    # the 2020→2021 figures cite the plan, never the 2022 report they do not draw
    figures = tmp_path / "figures"
    for stem in ("criteria_gaps", "ntm_ceiling", "commune_bands", "district_targets", "funding_sources"):
        svg = (figures / f"{stem}.svg").read_text(encoding="utf-8")
        assert "05/KH-UBND" in svg and "12/BC-UBND" not in svg, stem


def test_results_for_a_planned_year_are_compared_in_silence(tmp_path):
    from results_helpers import copy_plan

    from ntm_analysis.notebooks.project import load_project
    from ntm_analysis.publishing.charts import figure_sources
    raw = tmp_path / "raw"
    copy_plan(raw)
    _results(raw, 2021, source_id="ket-qua-2021")
    project = load_project(raw, tmp_path / "processed", examples_dir=None)
    assert not [f for f in project.findings if f.check == "results_without_targets"]
    cited = figure_sources(project.tables, project.results)
    plan = "ke-hoach-05-KH-UBND-2021-lao-cai"
    # attainment draws the plan's 2021 targets and the results beside them
    assert cited["district_attainment"] == [plan, "ket-qua-2021"]
    assert cited["plan_vs_actual_criteria"] == [plan, "ket-qua-2021"]
    assert cited["funding_sources"] == [plan]  # the funding plan (2021 target) only
    # criteria_gaps compares 2020 (actual) with 2021 (target): both columns are the plan's
    assert cited["criteria_gaps"] == [plan]


def test_a_source_without_a_citation_is_named_by_its_file(tmp_path):
    from results_helpers import copy_plan, write_sidecar

    from ntm_analysis.notebooks.project import load_project
    from ntm_analysis.publishing.build import cite_sources
    from ntm_analysis.publishing.charts import make_source_line
    raw = tmp_path / "raw"
    plan = copy_plan(raw)
    write_sidecar(plan, citation="")
    project = load_project(raw, tmp_path / "processed", examples_dir=None)
    assert cite_sources(project.reads) == {"ke-hoach-05-KH-UBND-2021-lao-cai": "ke-hoach-05-KH-UBND-2021-lao-cai.xlsx"}
    assert project.source_line() == "Nguồn: ke-hoach-05-KH-UBND-2021-lao-cai.xlsx"
    assert make_source_line([PLAN_CITATION]) == f"Nguồn: {PLAN_CITATION}"


def test_the_notebooks_source_line_names_only_what_a_figure_draws(tmp_path):
    from results_helpers import copy_plan

    from ntm_analysis.notebooks.project import load_project
    raw = tmp_path / "raw"
    copy_plan(raw)
    _results(raw, 2022)
    project = load_project(raw, tmp_path / "processed", examples_dir=None)
    assert REPORT_2022 in project.source_line()  # every source, as before
    for figure in ("criteria_gaps", "ntm_ceiling", "commune_bands"):
        assert project.source_line(figure=figure) == f"Nguồn: {PLAN_CITATION}"
        assert project.source_line(figure=figure, periods=[(2020, "actual"), (2021, "target")]) == \
            f"Nguồn: {PLAN_CITATION}"
    assert project.source_line(figure="ntm_ceiling", periods=[(2022, "actual")]) == f"Nguồn: {REPORT_2022}"


def test_a_commune_sidecar_status_must_be_actual_or_target(tmp_path):
    from results_helpers import copy_plan, write_sidecar
    plan = copy_plan(tmp_path)
    write_sidecar(plan, status="thực hiện")
    with i18n.use_language("en"):
        _info, [finding] = _sidecar_findings(plan)
    assert finding.severity == "error" and 'status as "thực hiện"' in finding.message
    assert "actual / target" in finding.message


def test_each_period_of_the_commune_tables_cites_its_own_table(tmp_path):
    import shutil

    from helpers import ROOT

    from ntm_analysis.notebooks.project import load_project
    from ntm_analysis.publishing.charts import cited_in
    raw = tmp_path / "raw"
    raw.mkdir()
    for path in (ROOT / "data" / "examples").glob("xa-tieu-chi-*"):
        shutil.copy(path, raw / path.name)
    project = load_project(raw, tmp_path / "processed", examples_dir=None)
    assert cited_in(project.tables, ("commune_criteria",), {(2020, "actual")}) == \
        ["xa-tieu-chi-2020-thuc-hien-minh-hoa"]
    assert cited_in(project.tables, ("commune_criteria",), {(2021, "target")}) == \
        ["xa-tieu-chi-2021-ke-hoach-minh-hoa"]
