"""After the reform of 1 July 2025 (issue 22): a 2026 commune table of the new Lào Cai (code 15 from
2025, 10 criteria, no district column) and old Lào Cai's and old Yên Bái's 2020 commune tables
(19 criteria, laid out by other hands than the template's) build together; criteria sets as data;
templates of 2025 units; the bad inputs of the issue as findings.

Expected values: old Lào Cai's 2020 table is the illustrative example's marks (which reproduce plan 05's
57 NTM communes of 127, Biểu 01), laid out anew; Yên Bái's is made here by a rule computed by hand
(commune i of the GSO list's 150, in code order: all 19 met when i % 3 == 0, else criterion i % 19 + 1
unmet: 50 NTM); the 2026 marks are read back from the example workbook's cells with openpyxl. New Lào
Cai = old 10 + old 15, 89 xã (facts.md §6)."""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from helpers import ROOT

from ntm_analysis import criteria_sets
from ntm_analysis.cli import main
from ntm_analysis.config import EXAMPLES_DIR
from ntm_analysis.reading.reader import read_source
from ntm_analysis.reference import load_reference

sys.path.insert(0, str(ROOT / "scripts"))
from make_example_yen_bai_2020 import write_marks  # noqa: E402

EXAMPLE_2026 = EXAMPLES_DIR / "lao-cai-2026" / "xa-tieu-chi-2026-lao-cai-moi-minh-hoa.xlsx"
EXAMPLE_2020 = EXAMPLES_DIR / "xa-tieu-chi-2020-thuc-hien-minh-hoa.xlsx"


def _sidecar(path: Path, **fields) -> None:
    meta = {"source_id": path.stem, "kind": "communes", "status": "actual", "citation": f"bảng thử {path.stem}",
            "illustrative": True} | fields
    path.with_name(path.stem + ".meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def lao_cai_2020(folder: Path) -> Path:
    """Old Lào Cai's 2020 marks (the example's) laid out by another hand: a "Tiêu chí" heading merged over
    bare numbers 1…19, no code column, districts as heading rows, "x" met and "-" not met."""
    cc = read_source(EXAMPLE_2020).tables.commune_criteria
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "KQ 2020"
    ws["A1"] = "KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ NÔNG THÔN MỚI CÁC XÃ NĂM 2020"
    ws["A3"], ws["B3"], ws["C3"] = "STT", "Tên đơn vị", "Tiêu chí"
    for cid in range(1, 20):
        ws.cell(4, 2 + cid, cid)
    for cells in ("A3:A4", "B3:B4", "C3:U3"):  # a merged two-row header, as offices lay it out
        ws.merge_cells(cells)
    row = 5
    names = load_reference()
    for district, part in cc.groupby("district_code", sort=True):
        ws.cell(row, 2, names.area_name(district))
        row += 1
        for i, (commune, marks) in enumerate(part.groupby("commune_code", sort=True), start=1):
            ws.cell(row, 1, i)
            ws.cell(row, 2, marks.commune.iloc[0].removeprefix("Xã "))
            for m in marks.itertuples():
                ws.cell(row, 2 + int(m.criterion_id), None if pd.isna(m.criterion_met) else
                        ("x" if m.criterion_met else "-"))
            row += 1
    out = folder / "lao-cai-xa-2020.xlsx"
    wb.save(out)
    _sidecar(out, year=2020, province_code="10", province="Tỉnh Lào Cai")
    return out


def yen_bai_2020(folder: Path) -> Path:
    """Old Yên Bái's 150 xã, made up by the rule of the module docstring (the example's script writes
    them): code, name, district, then the 19 criteria by their names (QĐ 1980), "đạt" / "chưa đạt"."""
    out = write_marks(folder / "yen-bai-xa-2020.xlsx",
                      "Bảng tổng hợp mức độ đạt tiêu chí NTM của các xã tỉnh Yên Bái năm 2020")
    _sidecar(out, year=2020, province_code="15", province="Tỉnh Yên Bái")
    return out


def marks_2026() -> dict[str, list[bool]]:
    """The example's 2026 marks as its cells hold them (openpyxl, not the package's reader)."""
    ws = openpyxl.load_workbook(EXAMPLE_2026)["Bảng xã"]
    out = {}
    for row in ws.iter_rows(min_row=6, values_only=True):
        if row[1]:
            out[row[1]] = [v == "Đ" for v in row[3:13]]
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reform")
    raw = folder / "data" / "raw"
    raw.mkdir(parents=True)
    lao_cai_2020(raw)
    yen_bai_2020(raw)
    for src in EXAMPLE_2026.parent.glob("xa-tieu-chi-2026-*"):  # (the folder holds Yên Bái 2020 too)
        shutil.copy(src, raw / src.name)
    code = main(["build", "--project", str(folder), "--no-figures"])
    processed = folder / "data" / "processed"
    return code, {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False) for p in processed.glob("*.csv")}


def test_builds_together_exit_0(built):
    code, out = built
    assert code == 0, out["validation"].query("severity == 'error'").to_string()


def test_2026_marks_exact(built):
    cc = built[1]["commune_criteria"]
    new = cc[cc.units == "2025"]
    assert len(new) == 89 * 10 and set(new.province_code) == {"15"} and (new.district_code == "").all()
    assert set(new.criteria_set) == {"2026-2030"}
    for code, marks in marks_2026().items():
        got = new[new.commune_code == code].sort_values("criterion_id", key=lambda s: s.astype(int))
        assert got.criterion_met.tolist() == [str(m) for m in marks], code


def test_ntm_counts_per_set(built):
    agg = built[1]["commune_aggregates"]
    ntm = agg[(agg.indicator == "ntm_communes") & (agg.area_code.str.len() == 2)]
    got = {(r.source_id, r.units): float(r.value) for r in ntm.itertuples()}
    expected_2026 = sum(all(m) for m in marks_2026().values())
    assert got == {("lao-cai-xa-2020", "2021"): 57.0, ("yen-bai-xa-2020", "2021"): 50.0,
                   ("xa-tieu-chi-2026-lao-cai-moi-minh-hoa", "2025"): float(expected_2026)}
    bands = agg[(agg.indicator == "band_communes") & (agg.units == "2025") & (agg.area_code == "15")]
    assert set(bands.band) == {"10", "7–9", "0–6"} or len(bands) == 3


def test_timeline_sums_both_old_provinces_and_holds_2026(built):
    t = built[1]["province_timeline"].set_index(["province_code", "year"])
    r2020 = t.loc[("15", "2020")]
    assert (r2020.units, r2020.communes, r2020.ntm_communes, r2020.complete) == ("2021", "277", "107", "True")
    assert r2020.provinces_2021 == "10;15" and r2020.criteria_set == "2016-2020"
    assert float(r2020.ntm_share_pct) == pytest.approx(100 * 107 / 277)
    r2026 = t.loc[("15", "2026")]
    assert (r2026.units, r2026.communes, r2026.criteria_set, r2026.complete) == ("2025", "89", "2026-2030", "True")
    assert int(r2026.ntm_communes) == sum(all(m) for m in marks_2026().values())


def test_2020_tables_rolled_onto_2025_units(built):
    s = built[1]["commune_successors_2025"]
    s = s[s.year == "2020"]
    assert set(s.province_code_2025) == {"15"}
    # Xã Bắc Hà (02839, 2025) = Thị trấn Bắc Hà (no NTM data: a town) + Thải Giàng Phố, Hoàng Thu Phố,
    # Bản Phố, Tà Chải (merged into the town in 2024), Na Hối, Nậm Mòn: six xã of the programme
    bac_ha = s[s.code_2025 == "02839"].iloc[0]
    assert int(bac_ha.predecessors) == 6 and "Xã Tà Chải" in bac_ha.communes


def test_merged_before_2025_named(built):
    v = built[1]["validation"]
    merged = v[v.check == "merged_before_reform"]
    assert merged.message.str.contains("Tà Chải").any() and merged.message.str.contains("Đào Thịnh").any()


# ---- criteria sets ---------------------------------------------------------------------------------

def test_criteria_sets_know_their_count():
    assert criteria_sets.get("2016-2020").count == 19 and criteria_sets.get("2026-2030").count == 10
    assert criteria_sets.in_force(2020).name == "2016-2020" and criteria_sets.in_force(2026).name == "2026-2030"
    assert criteria_sets.in_force(2023).name == "2021-2025"
    assert criteria_sets.get("2026-2030").criteria[7] == "Khoa học, công nghệ và chuyển đổi số"
    same, renamed = criteria_sets.comparable("2016-2020", "2021-2025")
    assert same and renamed == (3, 11, 12, 13)  # facts.md §1: the four names QĐ 318 changes
    assert criteria_sets.comparable("2021-2025", "2026-2030") == (False, ())


def test_template_2026_is_in_2025_units(tmp_path):
    assert main(["template", "communes", "--year", "2026", "--province", "15", "--out",
                 str(tmp_path / "t.xlsx")]) == 0
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["Bảng xã"]
    header = [c.value for c in ws[5] if c.value]
    assert header[:3] == ["TT", "Mã xã", "Tên xã"] and header[3] == "TC1 Quy hoạch"
    assert header[12] == "TC10 Tiếp cận pháp luật và quốc phòng - an ninh" and "Huyện" not in " ".join(header[:4])
    assert ws.max_row - 5 == 89 and "Tỉnh Lào Cai" in ws["A2"].value
    meta = json.loads((tmp_path / "t.meta.json").read_text(encoding="utf-8"))
    assert meta["units"] == "2025" and meta["criteria_set"] == "2026-2030"


# ---- bad input --------------------------------------------------------------------------------------

def _table_2026(folder: Path, rows: list[list[object]], **sidecar) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Xã 2026"
    ws.append(["Đánh giá tiêu chí xã NTM năm 2026"])
    ws.append(["STT", "Tên xã", *[f"TC{i}" for i in range(1, 11)]])
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
    out = folder / "bang-2026.xlsx"
    wb.save(out)
    _sidecar(out, **({"year": 2026, "province_code": "15", "province": "Tỉnh Lào Cai", "units": "2025"} | sidecar))
    return out


def _checks(path: Path) -> list[tuple[str, str, str]]:
    return [(f.severity, f.check, f.cell) for f in read_source(path).findings if f.severity != "info"]


def test_a_2021_name_in_a_2026_document(tmp_path):
    # Xã Tả Phời (2021, TP Lào Cai) became part of Xã Hợp Thành (facts.md §5 table)
    path = _table_2026(tmp_path, [["Xã Tả Phời", *["Đ"] * 10], ["Xã Bát Xát", *["Đ"] * 10]])
    read = read_source(path)
    errors = [f for f in read.findings if f.check == "units_2021_in_2025"]
    assert len(errors) == 1 and errors[0].cell == "B3"
    assert "Tả Phời" in errors[0].message and "Hợp Thành" in errors[0].message
    assert set(read.tables.commune_criteria.commune) == {"Xã Bát Xát"}


def test_names_with_or_without_the_unit_type_and_near(tmp_path):
    path = _table_2026(tmp_path, [["Bát Xát", *["Đ"] * 10], ["Phường Cam Đường", *["Đ"] * 10],
                                  ["Xã Bat Xat", *["Đ"] * 10], ["Xã Bảo Thắg", *["CĐ"] * 10]])
    read = read_source(path)
    cc = read.tables.commune_criteria
    assert set(cc.commune) == {"Xã Bát Xát", "Phường Cam Đường", "Xã Bảo Thắng"}
    assert ("warning", "commune_near_match", "B6") in _checks(path)
    assert ("error", "duplicate_commune", "B5") in _checks(path)


def test_a_10_criteria_table_whose_sidecar_says_19(tmp_path):
    path = _table_2026(tmp_path, [["Xã Bát Xát", *["Đ"] * 10]], criteria_set="2021-2025")
    read = read_source(path)
    found = [f for f in read.findings if f.check == "criteria_set_mismatch"]
    assert len(found) == 1 and found[0].severity == "warning" and found[0].cell == "C2"
    assert set(read.tables.commune_criteria.criteria_set) == {"2026-2030"}


def test_a_commune_of_another_province(tmp_path):
    path = _table_2026(tmp_path, [["Xã Mường Tè", *["Đ"] * 10]])  # Lai Châu (12) from 2025
    assert ("error", "commune_other_province", "B3") in _checks(path)


def test_a_code_in_neither_system(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã xã", "Tên xã", *[f"TC{i}" for i in range(1, 11)]])
    ws.append(["99998", "Xã Không Có", *["Đ"] * 10])
    ws.append(["02872", "Xã Tà Chải", *["Đ"] * 10])  # a 2021 code (merged in 2024)
    out = tmp_path / "codes.xlsx"
    wb.save(out)
    _sidecar(out, year=2026, province_code="15", units="2025")
    read = read_source(out)
    assert [(f.check, f.cell) for f in read.findings if f.severity == "error"] == \
        [("unknown_commune", "A2"), ("units_2021_in_2025", "A3")]
    assert "Xã Bắc Hà" in next(f.message for f in read.findings if f.check == "units_2021_in_2025")


def test_units_decided_by_date_without_sidecar_units(tmp_path):
    path = _table_2026(tmp_path, [["Xã Bát Xát", *["Đ"] * 10]])
    meta = json.loads(path.with_name(path.stem + ".meta.json").read_text(encoding="utf-8"))
    meta.pop("units")
    meta["document_date"] = "2026-01-15"
    path.with_name(path.stem + ".meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    read = read_source(path)
    assert not read.findings.errors and set(read.tables.commune_criteria.units) == {"2025"}
    assert "units_validity" not in {f.check for f in read.findings}


def test_blank_marks_stay_not_assessed_on_2025_units(tmp_path):
    path = _table_2026(tmp_path, [["Xã Bát Xát", *["Đ"] * 9, None], ["Xã Bản Xèo", *["Đ"] * 10]])
    from ntm_analysis.analysis.commune_readiness import readiness

    r = readiness(read_source(path).tables.commune_criteria.assign(source_id="s")).set_index("commune")
    assert r.loc["Xã Bát Xát", "state"] == "partial" and r.loc["Xã Bản Xèo", "state"] == "ntm"
    assert r.loc["Xã Bản Xèo", "criteria_met"] == 10


def test_reference_files_stay_in_the_package():
    assert (ROOT / "ntm_analysis" / "reference" / "criteria_sets.csv").read_text(encoding="utf-8").count("\n") == 4


def my_hung_2020(project: Path) -> Path:
    """project/data/raw holding one commune table: Xã Mỹ Hưng (01651, Cao Bằng), every criterion met in 2020."""
    raw = project / "data" / "raw"
    raw.mkdir(parents=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã xã", "Tên xã", *[f"TC{i}" for i in range(1, 20)]])
    ws.append(["01651", "Xã Mỹ Hưng", *["Đ"] * 19])
    wb.save(raw / "my-hung.xlsx")
    _sidecar(raw / "my-hung.xlsx", year=2020, province_code="04")
    return raw


def test_office_changes_in_data_raw_fill_an_unknown_successor(tmp_path):
    """Xã Mỹ Hưng (01651, Cao Bằng, 2021) has no row in the conversion table and no known successor; an
    office file places it in Thị trấn Quảng Uyên (01576; a test value, not a resolution), whose successor
    is Xã Quảng Uyên (the official table); a row contradicting the official table is a warning."""
    raw = my_hung_2020(tmp_path)
    (raw / "units-changes.csv").write_text("commune_code,code_before,source\n01651,01576,thử\n02647,02641,sai\n",
                                           encoding="utf-8")
    assert main(["build", "--project", str(tmp_path), "--no-figures"]) == 0
    processed = tmp_path / "data" / "processed"
    s = pd.read_csv(processed / "commune_successors_2025.csv", dtype=str, keep_default_na=False)
    row = s[s.communes.str.contains("Mỹ Hưng")]
    assert row.code_2025.tolist() == ["01576"] and row.commune_2025.tolist() == ["Xã Quảng Uyên"]
    v = pd.read_csv(processed / "validation.csv", dtype=str, keep_default_na=False)
    office = v[v.check == "office_changes"]
    assert len(office) == 1 and office.severity.iloc[0] == "warning" and "02647" in office.message.iloc[0]
    assert not (v.check == "csv_file").any()  # the file is read, not listed as unread
    assert not (v.check == "successor_unknown").any()


def test_without_the_office_file_the_unit_is_named_unknown(tmp_path):
    my_hung_2020(tmp_path)
    assert main(["build", "--project", str(tmp_path), "--no-figures"]) == 0
    v = pd.read_csv(tmp_path / "data" / "processed" / "validation.csv", dtype=str, keep_default_na=False)
    unknown = v[v.check == "successor_unknown"]
    assert len(unknown) == 1 and "Mỹ Hưng" in unknown.message.iloc[0] and unknown.severity.iloc[0] == "warning"


def test_19_and_10_criteria_never_compared_one_by_one(built):
    v = built[1]["validation"]
    said = v[v.check == "criteria_sets_compared"]
    assert len(said) == 1 and "2016-2020" in said.message.iloc[0] and "2026-2030" in said.message.iloc[0]


def test_template_2025_has_the_19_criteria_in_force_and_results_refuse_districts(tmp_path, capsys):
    assert main(["template", "communes", "--year", "2025", "--province", "15", "--out",
                 str(tmp_path / "x.xlsx")]) == 0
    header = [c.value for c in openpyxl.load_workbook(tmp_path / "x.xlsx")["Bảng xã"][5] if c.value]
    assert header[3] == "TC1 Quy hoạch" and header[21] == "TC19 Quốc phòng và An ninh" and len(header) == 24
    assert main(["template", "results", "--year", "2026", "--province", "15", "--out",
                 str(tmp_path / "r.xlsx")]) == 2
    assert "template communes" in capsys.readouterr().err and not (tmp_path / "r.xlsx").exists()


def test_a_sidecar_units_of_no_system(tmp_path):
    path = _table_2026(tmp_path, [["Xã Bát Xát", *["Đ"] * 10]], units="2023")
    read = read_source(path)
    assert [f.check for f in read.findings if f.severity == "warning"] == ["sidecar"]
    assert set(read.tables.commune_criteria.units) == {"2025"}  # its year (2026) decides
