"""The national gazetteer (all 63 provinces, GSO list of 2021-02-03) and several
provinces in one build.

Expected values are typed from facts.md § 2 (Lào Cai) and from the GSO list
(/work/shared/reference/gso-units-2021-02-03.csv: Yên Bái, code 15; Hậu Giang, 93).
The second province's plan is made here: the Lào Cai plan with Yên Bái's
names and a few figures changed (not Yên Bái's real plan)."""
from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from helpers import PLAN, ROOT
from results_helpers import copy_plan, write_sidecar

from ntm_analysis.publishing.build import build
from ntm_analysis.reading.reader import read_source
from ntm_analysis.reference import load_reference

GSO = Path("/work/shared/reference/gso-units-2021-02-03.csv")
LAO_CAI = {  # facts.md § 2: code -> (official name, short name in the plan, communes)
    "080": ("Thành phố Lào Cai", "TP Lào Cai", 7), "082": ("Huyện Bát Xát", "Bát Xát", 20),
    "083": ("Huyện Mường Khương", "Mường Khương", 15), "084": ("Huyện Si Ma Cai", "Si Ma Cai", 9),
    "085": ("Huyện Bắc Hà", "Bắc Hà", 18), "086": ("Huyện Bảo Thắng", "Bảo Thắng", 11),
    "087": ("Huyện Bảo Yên", "Bảo Yên", 16), "088": ("Thị xã Sa Pa", "TX Sa Pa", 10),
    "089": ("Huyện Văn Bàn", "Văn Bàn", 21),
}
#: Yên Bái's nine district-level units (GSO list), in the rows of Lào Cai's Biểu 02 (B8:B16).
YEN_BAI_LABELS = ["TP Yên Bái", "TX Nghĩa Lộ", "Lục Yên", "Văn Yên", "Mù Căng Chải", "Trấn Yên",
                  "Trạm Tấu", "Văn Chấn", "Yên Bình"]
YEN_BAI_CODES = ["132", "133", "135", "136", "137", "138", "139", "140", "141"]


@pytest.fixture(scope="module")
def ref():
    return load_reference()


# ---- the gazetteer --------------------------------------------------------------------------------

def test_lao_cai_rows_are_the_nine_units_of_2021(ref):
    d = ref.districts[ref.districts.province_code == "10"]
    units = d[d.area_code != "10"]
    assert {c: (a, s, n) for c, a, s, n in zip(units.area_code, units.area, units.short_name, units.communes)} \
        == LAO_CAI
    assert int(d[d.area_code == "10"].communes.iloc[0]) == 127
    assert ref.area_name("10") == "Tỉnh Lào Cai"


def test_every_province_once_and_its_communes_add_up(ref):
    d = ref.districts
    provinces = d[d.area_code == d.province_code]
    assert len(provinces) == 63 and provinces.area_code.is_unique and d.area_code.is_unique
    sums = d[d.area_code != d.province_code].groupby("province_code").communes.sum()
    assert (provinces.set_index("area_code").communes == sums.reindex(provinces.area_code).values).all()
    assert ref.communes("15") == 150 and ref.communes("139") == 11  # Yên Bái; Huyện Trạm Tấu


def test_the_2021_list_says_when_it_ends(ref):
    assert set(ref.districts.valid_to) == {"2025-06-30"}
    assert "2025-06-30" in (ROOT / "ntm_analysis" / "reference" / "README.md").read_text(encoding="utf-8")


@pytest.mark.skipif(not GSO.exists(), reason="the GSO list of units of 2021 (shared/reference/gso-units-2021-02-03.csv) is not on this machine, "
                           "so the packaged gazetteer was not rebuilt from it")
def test_the_script_regenerates_the_packaged_file(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_gazetteer
    finally:
        sys.path.pop(0)
    out = tmp_path / "districts.csv"
    assert build_gazetteer.main([str(GSO), "--out", str(out)]) == 0
    assert out.read_bytes() == (ROOT / "ntm_analysis" / "reference" / "districts.csv").read_bytes()


@pytest.mark.parametrize("label, province, code", [
    ("Huyện Bát Xát", "10", "082"), ("H. Bát Xát", "10", "082"), ("Bát Xát", "10", "082"),
    ("Thành phố Lào Cai", "10", "080"), ("TP Lào Cai", "10", "080"), ("TP. Lào Cai", "10", "080"),
    ("Thị xã Sa Pa", "10", "088"), ("TX Sa Pa", "10", "088"), ("Sapa", "10", "088"),
    ("Thị xã Nghĩa Lộ", "15", "133"), ("TX Nghĩa Lộ", "15", "133"), ("H. Trạm Tấu", "15", "139"),
    ("TX Long Mỹ", "93", "937"), ("Huyện Long Mỹ", "93", "936"), ("Châu Thành", "93", "933"),
])
def test_aliases_generated_from_the_names(ref, label, province, code):
    assert ref.resolve_area(label, province) == code


def test_a_short_name_shared_in_one_province_is_ambiguous(ref):
    match = ref.match_area("Long Mỹ", "93")
    assert match.code is None and set(match.candidates) == {"936", "937"}


def test_a_district_of_another_province_is_named_as_such(ref):
    match = ref.match_area("Bát Xát", "15")
    assert match.code is None and match.elsewhere == ("082",)


def test_the_title_names_the_province(ref):
    assert ref.province_in_text("(Kèm theo Kế hoạch số 05/KH-UBND của UBND tỉnh Lào Cai)") == "10"
    assert ref.province_in_text("Kế hoạch của UBND thành phố Hà Nội") == "01"
    assert ref.province_in_text("UBND thành phố Lào Cai") is None  # a city of a province, not a province


# ---- the reader -----------------------------------------------------------------------------------

def second_province_plan(folder: Path, name: str = "ke-hoach-2021-yen-bai.xlsx", *, titles: bool = True,
                         labels: list[str] = YEN_BAI_LABELS, province_code: str | None = "15") -> Path:
    """The Lào Cai plan rewritten for Yên Bái: titles, district names and a few figures
    (NTM communes at the end of 2020: 57 -> 70, 19-criteria band 57 -> 70, 10-14 band
    48 -> 35; Biểu 02 province row 15 -> 17, row 12 4 -> 6), so that every province-level
    figure it shares with Lào Cai's plan by year, status and indicator differs or not by chance."""
    wb = openpyxl.load_workbook(PLAN)
    if titles:
        for ws in wb.worksheets:
            for row in ws.iter_rows(max_row=3):
                for cell in row:
                    if isinstance(cell.value, str):
                        cell.value = cell.value.replace("tỉnh Lào Cai", "tỉnh Yên Bái")
    b2 = wb["Biểu 02"]
    for row, label in enumerate(labels, start=8):
        b2[f"B{row}"].value = label
    b2["C7"].value, b2["C12"].value = 17, 6
    b1 = wb["Biểu 01"]
    b1["D8"].value, b1["D10"].value, b1["D12"].value = 70, 70, 35
    out = folder / name
    folder.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    meta = dict(source_id=out.stem, kind="plan", year=2021, document_number="01/KH-UBND (thử nghiệm)",
                document_date="2021-01-20", issuer="Ủy ban nhân dân tỉnh Yên Bái", sha256=None)
    if province_code is not None:
        meta["province_code"] = province_code
    write_sidecar(out, **meta)
    return out


def test_a_second_province_reads_with_its_own_districts(tmp_path, ref):
    read = read_source(second_province_plan(tmp_path), ref)
    assert read.ok, read.findings.report()
    d = read.tables.districts
    assert set(d.province_code) == {"15"}
    assert sorted(set(d.area_code)) == sorted(["15", *YEN_BAI_CODES])
    for name, frame in read.tables.items():
        assert (frame.province_code == "15").all(), name


def test_the_title_selects_the_province_without_a_sidecar_code(tmp_path, ref):
    read = read_source(second_province_plan(tmp_path, province_code=None), ref)
    assert read.ok, read.findings.report()
    assert set(read.tables.criteria.province_code) == {"15"}


def test_a_plan_naming_another_provinces_districts_is_an_error(tmp_path, ref):
    labels = YEN_BAI_LABELS[:8] + ["Bát Xát"]
    read = read_source(second_province_plan(tmp_path, labels=labels), ref)
    errors = [f for f in read.findings.errors if f.check == "other_province"]
    assert len(errors) == 1
    assert errors[0].cell == "B16" and "Bát Xát" in errors[0].message and "Tỉnh Lào Cai" in errors[0].message
    assert "Tỉnh Yên Bái" in errors[0].message


def test_the_sidecar_wins_over_the_title_with_a_warning(tmp_path, ref):
    # Lào Cai's own plan, with a sidecar that says Yên Bái: every district is another province's
    path = second_province_plan(tmp_path, titles=False, labels=list(v[1] for v in LAO_CAI.values()))
    read = read_source(path, ref)
    assert "province_mismatch" in {f.check for f in read.findings.warnings}
    assert len([f for f in read.findings.errors if f.check == "other_province"]) == 9


def test_an_ambiguous_name_is_refused_with_the_candidates(tmp_path, ref):
    path = second_province_plan(tmp_path, labels=YEN_BAI_LABELS[:8] + ["Long Mỹ"], province_code="93",
                                titles=False)
    read = read_source(path, ref)
    errors = [f for f in read.findings.errors if f.check == "ambiguous_district"]
    assert len(errors) == 1 and "Huyện Long Mỹ" in errors[0].message and "Thị xã Long Mỹ" in errors[0].message


def test_a_source_dated_after_june_2025_gets_a_warning(tmp_path, ref):
    path = copy_plan(tmp_path)
    write_sidecar(path, document_date="2025-08-15", sha256=None)
    read = read_source(path, ref)
    warnings = [f for f in read.findings.warnings if f.check == "units_validity"]
    assert len(warnings) == 1 and "2025-06-30" in warnings[0].message
    write_sidecar(path, document_date="2025-06-30")
    assert not [f for f in read_source(path, ref).findings.warnings if f.check == "units_validity"]


def test_an_unknown_province_code_in_the_sidecar_is_an_error(tmp_path, ref):
    path = copy_plan(tmp_path)
    write_sidecar(path, province_code="99", sha256=None)
    assert "sidecar" in {f.check for f in read_source(path, ref).findings.errors}


# ---- several provinces in one build ---------------------------------------------------------------

def test_two_provinces_combine_without_conflicts(tmp_path):
    raw = tmp_path / "raw"
    copy_plan(raw)
    second_province_plan(raw)
    result = build(raw, tmp_path / "processed", tmp_path / "figures", figures=False)
    assert result.exit_code == 0, result.findings.report()
    assert "conflict" not in {f.check for f in result.findings.errors}
    p = result.tables.province
    ntm = p[(p.year == 2020) & (p.status == "actual") & (p.indicator == "ntm_communes")]
    assert dict(zip(ntm.province_code, ntm.value)) == {"10": 57, "15": 70}
    conflicts = pd.read_csv(tmp_path / "processed" / "conflicts.csv")
    assert conflicts.empty


def test_a_conflict_needs_two_sources_of_the_same_province(tmp_path):
    raw = tmp_path / "raw"
    copy_plan(raw)
    second_province_plan(raw)
    second_province_plan(raw, name="ke-hoach-2021-yen-bai-ban-2.xlsx")
    wb = openpyxl.load_workbook(raw / "ke-hoach-2021-yen-bai-ban-2.xlsx")
    wb["Biểu 01"]["D6"].value = 150  # total communes differ between the two Yên Bái sources
    wb.save(raw / "ke-hoach-2021-yen-bai-ban-2.xlsx")
    result = build(raw, tmp_path / "processed", tmp_path / "figures", figures=False)
    conflicts = [f for f in result.findings.errors if f.check == "conflict"]
    assert conflicts and all(f.message.startswith("Tỉnh Yên Bái, ") for f in conflicts)


def test_two_provinces_with_figures_draw_one_province_and_say_which(tmp_path):
    raw = tmp_path / "raw"
    copy_plan(raw)
    second_province_plan(raw)
    result = build(raw, tmp_path / "processed", tmp_path / "figures", figures=True)
    assert result.exit_code == 0, result.findings.report()
    notes = [f for f in result.findings.items if f.check == "several_provinces"]
    assert len(notes) == 1 and notes[0].severity == "info"
    assert "Tỉnh Lào Cai và Tỉnh Yên Bái" in notes[0].message and "thể hiện Tỉnh Lào Cai" in notes[0].message
    assert (tmp_path / "figures" / "district_targets.png").exists()
    overview = pd.read_csv(tmp_path / "processed" / "district_overview.csv", dtype={"province_code": str,
                                                                                     "area_code": str})
    assert set(overview.province_code) == {"10", "15"}
    assert set(overview[overview.province_code == "15"].area_code) == set(YEN_BAI_CODES)


def test_generated_alias_keys_equal_the_reader_key(ref):
    from ntm_analysis.reference import _generated_aliases
    from ntm_analysis.text import key

    d = ref.districts
    aliases = [a for area, short in zip(d.area, d.short_name) for a in _generated_aliases(area, short)]
    assert all(key(a) in ref.aliases for a in aliases)


def test_a_hand_made_reference_folder_replaces_its_provinces(tmp_path):
    folder = tmp_path / "reference"
    folder.mkdir()
    (folder / "districts.csv").write_text(
        "province_code,province,area_code,area,short_name,area_en,communes,valid_from,valid_to,source\n"
        "15,Tỉnh Yên Bái,15,Tỉnh Yên Bái,Tỉnh,Yên Bái province,30,2020-01-01,2025-06-30,test\n"
        "15,Tỉnh Yên Bái,901,Huyện Thử Nghiệm,Thử Nghiệm,Thử Nghiệm district,30,2020-01-01,2025-06-30,test\n",
        encoding="utf-8")
    ref = load_reference(folder)
    assert ref.resolve_area("H. Thử Nghiệm", "15") == "901" and ref.communes("15") == 30
    assert ref.resolve_area("Trạm Tấu", "15") is None  # the packaged rows of province 15 are replaced
    assert ref.resolve_area("Bát Xát", "10") == "082"  # the other provinces stay
