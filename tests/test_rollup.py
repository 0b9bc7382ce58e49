"""Several provinces in one build (issue 13 § 2): ``province_overview`` and the figure
``province_ranking``. The second and third provinces' plans are made up by
``province_plans`` (figures chosen there); every expected value below is computed by
hand from those figures and from plan 05/KH-UBND (Lào Cai: Biểu 01, Biểu 03)."""
from __future__ import annotations

import pandas as pd
import pytest
from province_plans import province_plan
from results_helpers import copy_plan

from ntm_analysis import i18n
from ntm_analysis.publishing.build import build
from ntm_analysis.publishing.charts.base import figure_texts
from ntm_analysis.publishing.charts.provinces import national_point, province_ranking, ranking_job, ranking_period
from ntm_analysis.reference import load_reference

#: (province, year, status) -> total communes, NTM communes, NTM share %, average criteria,
#: binding criteria, ceiling (communes), funding (million VND), central share %
EXPECTED = {
    # plan 05: Biểu 01 127 communes, 57 -> 72 NTM, 15,15 -> 16,15 criteria, Thu nhập 64 -> 77 (the fewest);
    # Biểu 03: 661.500 in total, Ngân sách Trung ương 31.500 = 4,7619 %
    ("10", 2020, "actual"): (127, 57, 57 / 127 * 100, 15.15, "Thu nhập", 64, None, None),
    ("10", 2021, "target"): (127, 72, 72 / 127 * 100, 16.15, "Thu nhập", 77, 661_500, 31_500 / 661_500 * 100),
    # Lai Châu (made up): 94 communes; 18 criteria at 70 and Thu nhập at 40 -> 1.300/94 = 13,83;
    # 2021: 18 at 80, Thu nhập 50 -> 1.490/94 = 15,85; funding 300.000, central 60.000 = 20 %
    ("12", 2020, "actual"): (94, 33, 33 / 94 * 100, 13.83, "Thu nhập", 40, None, None),
    ("12", 2021, "target"): (94, 47, 50.0, 15.85, "Thu nhập", 50, 300_000, 20.0),
    # Yên Bái (made up): 150 communes; 17 at 120, Thu nhập 80, Hộ nghèo 85 -> 2.205/150 = 14,70;
    # 2021: 17 at 130, Thu nhập 100, Hộ nghèo 95 -> 2.405/150 = 16,03; 500.000, central 50.000 = 10 %
    ("15", 2020, "actual"): (150, 75, 50.0, 14.70, "Thu nhập", 80, None, None),
    ("15", 2021, "target"): (150, 90, 60.0, 16.03, "Hộ nghèo", 95, 500_000, 10.0),
}
COLUMNS = ["total_communes", "ntm_communes", "ntm_share_pct", "avg_criteria", "binding_criteria", "ceiling",
           "funding_million_vnd", "central_share_pct"]


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    """Lào Cai's plan 05 and the made-up plans of Lai Châu and Yên Bái, built with figures."""
    folder = tmp_path_factory.mktemp("rollup")
    raw = folder / "raw"
    copy_plan(raw)
    for code in ("15", "12"):
        province_plan(raw, code)
    result = build(raw, folder / "processed", folder / "figures")
    assert result.exit_code == 0, result.findings.report()
    return folder, result


def test_the_overview_has_one_row_per_province_and_period(three):
    folder, _ = three
    overview = pd.read_csv(folder / "processed" / "province_overview.csv", dtype={"province_code": str})
    assert list(overview.columns[:4]) == ["province_code", "units", "year", "status"]
    assert len(overview) == len(EXPECTED)
    for _, row in overview.iterrows():
        expected = EXPECTED[(row.province_code, row.year, row.status)]
        for column, value in zip(COLUMNS, expected):
            if value is None:
                assert pd.isna(row[column]), (column, row[column])  # a blank stays blank
            elif isinstance(value, str):
                assert row[column] == value
            else:
                assert row[column] == pytest.approx(value, abs=1e-6), (row.province_code, column)


def test_the_overview_names_its_cells(three):
    folder, _ = three
    overview = pd.read_csv(folder / "processed" / "province_overview.csv", dtype=str)
    lao_cai = overview[(overview.province_code == "10") & (overview.year == "2021")].iloc[0]
    assert lao_cai.source_id == "ke-hoach-05-KH-UBND-2021-lao-cai"
    # total, average, NTM communes, Thu nhập (criterion 10, row 24), funding total and the central line
    assert lao_cai.cell == "Biểu 01!E6; Biểu 01!E7; Biểu 01!E8; Biểu 01!E24; Biểu 03!D6; Biểu 03!D8"


def test_one_province_gets_its_overview_too(tmp_path):
    raw = tmp_path / "raw"
    copy_plan(raw)
    result = build(raw, tmp_path / "processed", tmp_path / "figures")
    overview = pd.read_csv(tmp_path / "processed" / "province_overview.csv", dtype={"province_code": str})
    assert set(overview.province_code) == {"10"} and len(overview) == 2
    assert not (tmp_path / "figures" / "province_ranking.png").exists()  # nothing to rank
    assert result.exit_code == 0


def test_the_ranking_is_drawn_for_several_provinces(three):
    folder, _ = three
    assert (folder / "figures" / "province_ranking.png").exists()
    assert (folder / "figures" / "province_ranking.svg").exists()


def test_ranking_texts_computed(three):
    folder, _ = three
    overview = pd.read_csv(folder / "processed" / "province_overview.csv", dtype={"province_code": str})
    assert ranking_period(overview) == (2020, "actual")  # all three in both: the achieved figures first
    fig = province_ranking(overview, highlight="10", source_line="Nguồn: thử")
    texts = figure_texts(fig)
    subtitle = " ".join(texts["subtitle"].split())
    # 2020: Yên Bái 75/150 = 50,0 %, Lào Cai 57/127 = 44,9 %, Lai Châu 33/94 = 35,1 %
    assert subtitle == ("2020 (thực hiện): Lào Cai đứng thứ 2/3 tỉnh về tỷ lệ xã đạt chuẩn nông thôn mới "
                        "(44,9%); cao nhất là Yên Bái (50,0%), thấp nhất là Lai Châu (35,1%).")
    assert texts["source"] == "Nguồn: thử"  # context.csv has no point dated 31/12/2020: not named
    fig = province_ranking(overview, (2021, "target"), "15", lang="en")
    assert figure_texts(fig)["subtitle"].startswith("2021 (target): Yên Bái ranks 1 of 3")


def test_the_national_share_only_where_a_point_of_the_same_date_exists(three):
    folder, _ = three
    overview = pd.read_csv(folder / "processed" / "province_overview.csv", dtype={"province_code": str})
    assert national_point(2020) is None and national_point(2021) is None  # context.csv: 4/2021, 10/2021, …
    national = pd.DataFrame({"as_of": ["2020-12", "2021-04"], "share_pct": [40.0, 63.4], "source": ["a.vn", "b.vn"]})
    texts = figure_texts(province_ranking(overview, (2020, "actual"), "10", national=national))
    assert "Cả nước: 40,0% (12/2020, a.vn)." in " ".join(texts["subtitle"].split())
    assert texts["source"].endswith("cả nước: ntm_analysis/reference/context.csv")
    texts = figure_texts(province_ranking(overview, (2021, "target"), "10", national=national))
    assert "Cả nước" not in texts["subtitle"] and "context.csv" not in texts["source"]


def test_ranking_job_cites_the_documents_and_marks_illustrative(three):
    folder, result = three
    overview = result.results["province_overview"]
    sources = pd.read_csv(folder / "processed" / "sources.csv", dtype=str)
    stem, draw = ranking_job(overview, "10", sources, reference=load_reference())
    texts = figure_texts(draw())
    assert stem == "province_ranking" and "illustrative" in texts  # the made-up plans say illustrative
    assert texts["source"].count("Kế hoạch số") == 3
    assert ranking_job(overview[overview.province_code == "10"], "10", sources) is None
    with i18n.use_language("en"):
        assert ranking_job(overview, "10", sources.iloc[0:0], lang="en") is not None


def test_notebook_02_shows_the_provinces_side_by_side(three, tmp_path):
    """With several provinces notebook 02 tells Lào Cai's story (the province with the most
    sources; a tie goes to the lowest code) and adds the overview and the ranking."""
    import re

    from ntm_analysis.notebooks.runner import run_notebooks

    folder, _ = three
    params = {"raw_dir": str(folder / "raw"), "processed_dir": str(folder / "processed"), "lang": "vi",
              "export_figures": False}
    [result] = run_notebooks(["02-criteria-gaps.py"], parameters=params, html_dir=tmp_path)
    assert result.ok, result.error[-2000:]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", result.html.read_text(encoding="utf-8")))
    assert "57/127" in text  # Lào Cai's own story: Biểu 01, end of 2020
    assert "So sánh giữa các tỉnh" in text
    assert ("Lào Cai đứng thứ 2/3 tỉnh về tỷ lệ xã đạt chuẩn nông thôn mới (44,9%); cao nhất là Yên Bái "
            "(50,0%), thấp nhất là Lai Châu (35,1%)") in text
    assert "16,03" in text and "15,85" in text  # the overview table: Yên Bái's and Lai Châu's 2021 averages


def test_a_national_workbook_and_one_workbook_per_province(three):
    """Several provinces: ntm_tables.xlsx holds the overview, the findings and the sources;
    each province's tables and analyses are in its own workbook, named by code and province."""
    import json

    import openpyxl

    from ntm_analysis.publishing.outputs import sheet_labels

    folder, result = three
    processed = folder / "processed"
    labels = sheet_labels("vi")
    names = openpyxl.load_workbook(processed / "ntm_tables.xlsx", read_only=True).sheetnames
    assert names == [labels["province_overview"], labels["validation"], labels["sources"]]
    books = sorted(p.name for p in processed.glob("ntm_tables_*.xlsx"))
    assert books == ["ntm_tables_10_tinh-lao-cai.xlsx", "ntm_tables_12_tinh-lai-chau.xlsx",
                     "ntm_tables_15_tinh-yen-bai.xlsx"]
    listed = json.loads((processed / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    assert set(books) | {"ntm_tables.xlsx"} <= set(listed)
    lao_cai = pd.read_excel(processed / books[0], sheet_name=None)
    criteria = lao_cai[labels["criteria"]]
    assert len(criteria) == 2 * 19  # plan 05, Biểu 01: 19 criteria, 2020 and 2021
    sources = lao_cai[labels["sources"]]
    assert len(sources) == 1  # the plan alone, not the made-up plans of the other provinces
    assert labels["province_overview"] in lao_cai and len(lao_cai[labels["province_overview"]]) == 2


def test_the_provinces_split_in_one_pass_as_one_by_one(three):
    from pandas.testing import assert_frame_equal

    from ntm_analysis.analysis import province_overview, run_all
    from ntm_analysis.tables.provinces import one_province, results_of, split_provinces, split_results

    _folder, result = three
    tables, reference = result.tables, load_reference()
    parts = split_provinces(tables)
    assert list(parts) == ["10", "12", "15"]
    for code, part in parts.items():
        for name, frame in one_province(tables, code).items():
            assert_frame_equal(getattr(part, name), frame)
    results = run_all(tables, reference)
    assert_frame_equal(results["province_overview"], province_overview(tables, reference))
    shares = split_results(results, list(parts))
    for code in parts:
        for name, frame in results_of(results, code).items():
            assert_frame_equal(shares[code][name], frame)


def test_the_national_validation_sheet_counts_the_checks_that_hold():
    """The national workbook lists every error and warning, keeps the info lines that name no
    file, and gives each source one line counting its checks that hold, where its first was."""
    from ntm_analysis.publishing.build import national_validation

    rows = [("info", "bands_sum", "a.xlsx", "Biểu 01", "C5", "holds"),
            ("warning", "districts_sum", "a.xlsx", "Biểu 02", "D9", "differs"),
            ("info", "funding_sum", "a.xlsx", "Biểu 03", "E4", "holds"),
            ("info", "several_provinces", "", "", "", "two provinces"),
            ("info", "bands_sum", "b.xlsx", "Biểu 01", "C5", "holds"),
            ("error", "conflict", "b.xlsx", "Biểu 02", "F7", "disagree"),
            ("info", "ntm_vs_19", "a.xlsx", "Biểu 01", "V5", "holds")]
    validation = pd.DataFrame(rows, columns=["severity", "check", "file", "sheet", "cell", "message"]).astype("str")
    shown = national_validation(validation)
    assert list(zip(shown.severity, shown.check, shown.file)) == [
        ("info", "checks_hold", "a.xlsx"), ("warning", "districts_sum", "a.xlsx"),
        ("info", "several_provinces", ""), ("info", "checks_hold", "b.xlsx"), ("error", "conflict", "b.xlsx")]
    assert shown.message[0] == ("3 phép kiểm tra đạt: từng phép được liệt kê trong validation.csv và trong tệp Excel "
                                "của tỉnh")
    assert shown.message[3].startswith("1 phép kiểm tra đạt:")
    assert (shown.dtypes == validation.dtypes).all()
    assert national_validation(validation.iloc[0:0]).empty


def test_the_national_workbook_counts_each_sources_checks_that_hold(three):
    folder, _ = three
    processed = folder / "processed"
    from ntm_analysis.publishing.outputs import sheet_labels

    full = pd.read_csv(processed / "validation.csv", dtype=str, keep_default_na=False)
    sheet = pd.read_excel(processed / "ntm_tables.xlsx", sheet_name=sheet_labels("vi")["validation"], dtype=str)
    held = full[(full.severity == "info") & (full.file != "")]
    counts = sheet[sheet.iloc[:, 1] == "checks_hold"]
    assert sorted(counts.iloc[:, 2]) == sorted(held.file.unique())  # one line per source
    for file, message in zip(counts.iloc[:, 2], counts.iloc[:, 5]):
        assert message.startswith(f"{(held.file == file).sum()} phép kiểm tra đạt:")
    assert len(sheet) == len(full) - len(held) + held.file.nunique()
