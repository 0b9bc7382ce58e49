"""The results template: its layout, validation and protection, and the round
trip through the ordinary reader (filled: the typed figures; untouched: all
missing, with a warning)."""
from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest
from results_helpers import BIEU_02, BIEU_03, CRITERIA_2021, fill_results

from ntm_analysis import cli
from ntm_analysis.publishing.template import write_results_template
from ntm_analysis.reading.reader import read_source
from ntm_analysis.tables.tidy import FROM_TEXT

DISTRICT_COLUMNS = ["new_ntm_communes", "avg_criteria", "poverty_reduction_pct", "hygienic_latrine_pct",
                    "hygienic_water_pct", "jobs_added", "health_insurance_pct"]


@pytest.fixture
def template(tmp_path):
    paths = write_results_template(2021, tmp_path / "ket-qua-2021.xlsx")
    return paths[0]


def validations(ws) -> dict[str, tuple]:
    """cell -> (type, operator, formula1, formula2) of its data validation."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for ref in str(dv.sqref).split():
            out[ref] = (dv.type, dv.operator, dv.formula1, dv.formula2)
    return out


def test_writes_the_workbook_and_its_sidecar(tmp_path):
    out = tmp_path / "sub" / "ket-qua-2021.xlsx"
    paths = write_results_template(2021, out)
    assert paths == [out, tmp_path / "sub" / "ket-qua-2021.meta.json"]
    meta = json.loads(paths[1].read_text(encoding="utf-8"))
    assert meta["kind"] == "results" and meta["year"] == 2021
    assert meta["sha256"] is None and meta["illustrative"] is False
    assert meta["document_number"] == "" and meta["document_date"] == ""
    assert sorted(p.name for p in out.parent.iterdir()) == ["ket-qua-2021.meta.json", "ket-qua-2021.xlsx"]
    assert openpyxl.load_workbook(out).sheetnames == ["Hướng dẫn", "Biểu 01", "Biểu 02", "Biểu 03"]


def test_headers_say_the_year_and_rows_come_from_the_reference(template):
    wb = openpyxl.load_workbook(template)
    assert "Thực hiện năm 2021" in wb["Biểu 01"]["D5"].value
    assert wb["Biểu 02"]["C5"].value == "Thực hiện năm 2021"
    assert wb["Biểu 03"]["D5"].value == "Thực hiện năm 2021"
    labels = [c.value for c in wb["Biểu 01"]["B"] if c.value]
    for band in ("Số xã đạt 19 tiêu chí", "Số xã đạt 15-18 tiêu chí", "Số xã đạt 10-14 tiêu chí",
                 "Số xã đạt 5-9 tiêu chí", "Số xã đạt dưới 5 tiêu chí"):
        assert band in labels
    assert "Xã đạt tiêu chí số 2 (Giao thông)" in labels and "Xã đạt tiêu chí số 19 (Quốc phòng và An ninh)" in labels
    areas = [wb["Biểu 02"].cell(r, 2).value for r in range(7, 17)]
    assert areas == ["Tỉnh Lào Cai", "Thành phố Lào Cai", "Huyện Bát Xát", "Huyện Mường Khương",
                     "Huyện Si Ma Cai", "Huyện Bắc Hà", "Huyện Bảo Thắng", "Huyện Bảo Yên", "Thị xã Sa Pa",
                     "Huyện Văn Bàn"]
    sources = [wb["Biểu 03"].cell(r, 2).value for r in range(6, 17)]
    assert sources[0] == "Tổng cộng" and sources[-1] == "Huy động từ nhân dân (đất đai, ngày công lao động...)"
    assert "Hướng dẫn" in wb.sheetnames[0] and "ô nền vàng" in wb["Hướng dẫn"]["A4"].value


def test_only_value_cells_are_unlocked_and_sheets_are_protected(template):
    wb = openpyxl.load_workbook(template)
    expected = {"Biểu 01": 27, "Biểu 02": 70, "Biểu 03": 11}  # 3 + 5 bands + 19 criteria; 10 areas x 7; 11 lines
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
        unlocked = [c for row in ws.iter_rows() for c in row if not c.protection.locked]
        assert len(unlocked) == expected.get(ws.title, 0), ws.title
        assert all(c.value is None for c in unlocked)
        assert all(not c.protection.locked for row in ws.iter_rows() for c in row
                   if c.coordinate in validations(ws))
    assert wb["Biểu 01"]["D9"].protection.locked  # "4. Số xã đạt theo số lượng tiêu chí": a heading
    assert wb["Biểu 01"]["B6"].protection.locked and wb["Biểu 02"]["C6"].protection.locked


def test_data_validation_bounds(template):
    wb = openpyxl.load_workbook(template)
    b1, b2, b3 = (validations(wb[s]) for s in ("Biểu 01", "Biểu 02", "Biểu 03"))
    assert b1["D6"] == ("whole", "between", "0", "127")  # Tổng số xã
    assert b1["D7"] == ("decimal", "between", "0", "19")  # average criteria
    assert b1["D8"] == ("whole", "between", "0", "127")  # NTM communes
    assert b1["D34"] == ("whole", "between", "0", "127")  # criterion 19
    assert b2["C7"] == ("whole", "between", "0", "127")  # province, new NTM communes
    assert b2["C8"] == ("whole", "between", "0", "7")  # Thành phố Lào Cai
    assert b2["C9"] == ("whole", "between", "0", "20")  # Bát Xát
    assert b2["C16"] == ("whole", "between", "0", "21")  # Văn Bàn
    assert b2["D12"] == ("decimal", "between", "0", "19")
    assert b2["E10"] == ("decimal", "between", "0", "100") and b2["I16"] == ("decimal", "between", "0", "100")
    assert b2["H7"] == ("whole", "greaterThanOrEqual", "0", None)  # jobs
    assert b3["D6"] == ("decimal", "greaterThanOrEqual", "0", None)
    assert set(b3) == {f"D{r}" for r in range(6, 17)}


def test_untouched_template_reads_as_all_missing_with_a_warning(template):
    read = read_source(template)
    assert not read.findings.errors, read.findings.report()
    assert [f.check for f in read.findings.warnings] == ["sidecar_blank", "all_missing"]
    assert "biểu chưa được điền" in read.findings.warnings[1].message
    t = read.tables
    assert len(t.criteria) == 19 and len(t.commune_bands) == 5 and len(t.province) == 3
    assert len(t.districts) == 70 and len(t.funding) == 11
    for name, frame in t.items():
        if name in FROM_TEXT:  # a workbook has no text
            assert frame.empty
            continue
        assert set(frame.year) == {2021} and set(frame.status) == {"actual"}, name
    assert t.criteria.communes.isna().all() and t.commune_bands.communes.isna().all()
    assert t.province.value.isna().all() and t.districts.value.isna().all()
    assert t.funding.amount_million_vnd.isna().all()
    assert t.funding.code.tolist() == ["0", "1", "1.1", "1.1.1", "1.1.2", "1.2", "1.2.1", "1.2.2", "2", "3", "4"]


def test_filled_template_reads_back_exactly(template):
    where = fill_results(template)
    read = read_source(template)
    # the figures are filled in, the document fields of the sidecar not yet: that is the one warning
    assert not read.findings.errors, read.findings.report()
    assert [f.check for f in read.findings.warnings] == ["sidecar_blank"], read.findings.report()
    t = read.tables
    for name, frame in t.items():
        if name in FROM_TEXT:  # a workbook has no text
            assert frame.empty
            continue
        assert set(frame.year) == {2021} and set(frame.status) == {"actual"}, name
        assert (frame.source_id == "ket-qua-2021").all() and frame.cell.notna().all(), name

    crit = t.criteria.set_index("criterion_id")
    assert crit.communes.tolist() == CRITERIA_2021
    assert crit.cell.tolist() == [where[("criterion", i)] for i in range(1, 20)]
    assert crit.loc[2, "criterion"] == "Giao thông" and crit.loc[2, "criteria_set"] == "2016-2020"
    assert crit.loc[1, "share"] == pytest.approx(125 / 127)

    province = t.province.set_index("indicator")
    assert province.value.to_dict() == {"total_communes": 127, "avg_criteria": 15.94, "ntm_communes": 70}
    assert province.cell["avg_criteria"] == where[("row", "Số tiêu chí đạt chuẩn bình quân/xã")]
    bands = t.commune_bands.set_index("band")
    assert bands.communes.to_dict() == {"19": 70, "15-18": 19, "10-14": 30, "5-9": 8, "0-4": 0}
    assert bands.cell["0-4"] == where[("row", "Số xã đạt dưới 5 tiêu chí")]

    d = t.districts
    assert len(d) == 70
    codes = {"Tỉnh Lào Cai": "10", "Thành phố Lào Cai": "080", "Huyện Bát Xát": "082",
             "Huyện Mường Khương": "083", "Huyện Si Ma Cai": "084", "Huyện Bắc Hà": "085",
             "Huyện Bảo Thắng": "086", "Huyện Bảo Yên": "087", "Thị xã Sa Pa": "088", "Huyện Văn Bàn": "089"}
    for area, values in BIEU_02.items():
        rows = d[d.area_code == codes[area]].set_index("indicator")
        assert [rows.value[i] for i in DISTRICT_COLUMNS] == values, area
        assert [rows.cell[i] for i in DISTRICT_COLUMNS] == [where[("district", area, k)] for k in range(7)]
    assert d[(d.area_code == "086") & (d.indicator == "new_ntm_communes")].value.tolist() == [0]  # a zero stays 0

    f = t.funding.set_index("source")
    assert {s.removeprefix("- "): v for s, v in BIEU_03.items()} == f.amount_million_vnd.to_dict()
    assert f.cell.tolist() == [where[("funding", s)] for s in BIEU_03]
    assert f.loc["Ngân sách cấp tỉnh", "code"] == "1.2.1" and f.loc["Tổng cộng", "level"] == 0


#: The districts left blank in the partly filled results (5 of the 9): their jobs and new NTM communes.
BLANK = ["Huyện Bát Xát", "Huyện Mường Khương", "Huyện Si Ma Cai", "Huyện Bắc Hà", "Huyện Bảo Thắng"]


def _blank_districts(path, where, columns=(0, 1, 5), set_to=None, criteria=()):
    wb = openpyxl.load_workbook(path)
    for cid in criteria:
        wb["Biểu 01"][where[("criterion", cid)].split("!")[1]].value = None
    for area in BLANK:
        for column in columns:
            wb["Biểu 02"][where[("district", area, column)].split("!")[1]].value = None
    for (area, column), value in (set_to or {}).items():
        wb["Biểu 02"][where[("district", area, column)].split("!")[1]].value = value
    wb.save(path)


def test_partly_filled_results_say_how_many_districts_are_blank(template):
    """5 of the 9 districts blank: their sum is not set against the province's as if whole.
    Jobs: the 4 filled (Lào Cai city 2 700, Bảo Yên 1 760, Sa Pa 1 340, Văn Bàn 1 400) sum to
    7 200 against the province's 13 600; new NTM communes: 1 + 3 + 1 + 3 = 8 against 13."""
    where = fill_results(template)
    _blank_districts(template, where, criteria=(1, 2, 3))
    read = read_source(template)
    sums = {f.cell: f for f in read.findings if f.check == "districts_sum"}
    assert set(sums) == {where[("district", "Tỉnh Lào Cai", 5)].split("!")[1],
                         where[("district", "Tỉnh Lào Cai", 0)].split("!")[1]}
    jobs = sums[where[("district", "Tỉnh Lào Cai", 5)].split("!")[1]]
    assert jobs.severity == "warning"
    assert jobs.message == ("2021 (thực hiện), Số lao động có việc làm tăng thêm: 5 trong 9 huyện còn để trống; "
                            "4 huyện đã điền cộng lại được 7.200, so với tổng ghi trong biểu là 13.600: chỉ kiểm "
                            "tra được tổng khi mọi phần đã được điền")
    from ntm_analysis.checks.reconcile import reconcile  # noqa: PLC0415
    from ntm_analysis.reference import load_reference  # noqa: PLC0415
    rows = reconcile(read.tables, load_reference(), scopes=("tables",))
    row = rows[(rows.check == "districts_sum") & (rows.indicator == "jobs_added")].iloc[0]
    assert row.stated == 13600 and pd.isna(row.computed) and pd.isna(row.ok)  # no partial sum as "computed"
    new = sums[where[("district", "Tỉnh Lào Cai", 0)].split("!")[1]]
    assert new.severity == "warning" and "5 trong 9 huyện còn để trống" in new.message and "được 8," in new.message
    [weighted] = [f for f in read.findings if f.check == "weighted_average"]  # no average of 4 set against 9
    assert weighted.severity == "warning" and weighted.message == (
        "2021 (thực hiện): 5 trong 9 huyện chưa có số tiêu chí bình quân: chỉ đối chiếu được 15,94 tiêu chí/xã "
        "của tỉnh với các huyện khi mọi huyện đã được điền")
    [average] = [f for f in read.findings if f.check == "average_criteria"]  # criteria 1–3 blank
    assert average.severity == "warning" and average.message.startswith(
        "2021 (thực hiện): 3 trong 19 số xã đạt tiêu chí còn để trống")
    from ntm_analysis import i18n  # noqa: PLC0415
    with i18n.use_language("en"):
        english = read_source(template).findings
    [jobs_en] = [f for f in english if f.check == "districts_sum" and f.cell == jobs.cell]
    assert jobs_en.message.startswith("2021 (actual), Additional workers employed: 5 of the 9 districts are blank; "
                                      "the 4 filled sum to 7,200, against the stated total 13,600")


def test_filled_districts_above_the_total_fail_even_with_blanks(template):
    """5 districts blank, and Lào Cai city's jobs typed as 10 000: with the other 3 filled
    (1 760 + 1 340 + 1 400) they make 14 500, more than the province's 13 600 whatever the
    blank ones hold: a mismatch, not a sum that cannot be checked."""
    where = fill_results(template)
    _blank_districts(template, where, columns=(5,), set_to={("Thành phố Lào Cai", 5): 10000})
    [jobs] = [f for f in read_source(template).findings if f.check == "districts_sum"
              and f.cell == where[("district", "Tỉnh Lào Cai", 5)].split("!")[1]]
    assert jobs.severity == "warning"
    assert jobs.message.endswith("4 huyện đã điền cộng lại được 14.500, đã vượt tổng ghi trong biểu (13.600)")


def test_template_for_a_year_of_the_new_criteria_set(tmp_path):
    out = write_results_template(2023, tmp_path / "ket-qua-2023.xlsx")[0]
    labels = [c.value for c in openpyxl.load_workbook(out)["Biểu 01"]["B"] if c.value]
    assert "Xã đạt tiêu chí số 11 (Nghèo đa chiều)" in labels
    read = read_source(out)
    assert not read.findings.errors
    assert set(read.tables.criteria.criteria_set) == {"2021-2025"} and set(read.tables.criteria.year) == {2023}


def test_an_existing_file_is_not_replaced_and_nothing_is_half_written(tmp_path, monkeypatch):
    out = tmp_path / "ket-qua.xlsx"
    out.write_bytes(b"filled by hand")
    with pytest.raises(FileExistsError):
        write_results_template(2021, out)
    assert out.read_bytes() == b"filled by hand" and not (tmp_path / "ket-qua.meta.json").exists()

    def broken(self, path):
        raise OSError("disk full")
    monkeypatch.setattr(openpyxl.Workbook, "save", broken)
    with pytest.raises(OSError):
        write_results_template(2021, out, overwrite=True)
    assert out.read_bytes() == b"filled by hand"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ket-qua.xlsx"]  # no temporary file left


def test_cli_template(tmp_path, capsys):
    out = tmp_path / "ket-qua-2021.xlsx"
    assert cli.main(["template", "results", "--year", "2021", "--out", str(out)]) == 0
    assert "ket-qua-2021.meta.json" in capsys.readouterr().out
    assert read_source(out).tables.criteria.year.tolist() == [2021] * 19
    assert cli.main(["template", "results", "--year", "2021", "--out", str(out)]) == 2
    assert "hãy chọn tên khác, hoặc dùng --force để ghi đè" in capsys.readouterr().err
    assert cli.main(["template", "results", "--year", "2021", "--out", str(out), "--force"]) == 0
    assert cli.main(["template", "results", "--year", "2021", "--out", str(tmp_path / "x.csv")]) == 2
    assert cli.main(["template", "results", "--year", "2031", "--out", str(tmp_path / "y.xlsx")]) == 2
    # no districts since 1 July 2025: a results form by district is refused, the commune form offered
    assert "template communes --year 2031" in capsys.readouterr().err
