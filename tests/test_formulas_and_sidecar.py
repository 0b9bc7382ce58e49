"""Formulas read as their cached values; sidecars checked against the file."""
from __future__ import annotations

import json
import re
import shutil
import zipfile

from helpers import PLAN

from ntm_analysis.reading.reader import read_source


def with_formula(tmp_path, cell_xml: str):
    """The plan with Biểu 03!D6 replaced by ``cell_xml`` (as Excel saves it)."""
    out = tmp_path / "formula.xlsx"
    with zipfile.ZipFile(PLAN) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet3.xml":
                data = re.sub(rb'<c r="D6"[^>]*>.*?</c>', cell_xml.encode(), data)
            dst.writestr(item, data)
    return out


def test_formula_is_read_as_its_cached_value(tmp_path):
    path = with_formula(tmp_path, '<c r="D6"><f>SUM(D7,D14:D16)</f><v>661500</v></c>')
    read = read_source(path)
    assert not read.findings.errors
    total = read.tables.funding.set_index("code").amount_million_vnd["0"]
    assert total == 661500


def test_formula_without_cached_value_names_the_cell(tmp_path):
    path = with_formula(tmp_path, '<c r="D6"><f>SUM(D7,D14:D16)</f></c>')
    read = read_source(path)
    [error] = read.findings.errors
    assert (error.check, error.sheet, error.cell) == ("formula_without_value", "Biểu 03", "D6")
    assert "=SUM(D7,D14:D16)" in error.message and "tính lại" in error.message


def test_sidecar_year_must_agree_with_the_headers(tmp_path):
    path = tmp_path / "plan.xlsx"
    shutil.copy(PLAN, path)
    meta = json.loads(PLAN.with_name(PLAN.stem + ".meta.json").read_text(encoding="utf-8"))
    meta["year"] = 2022
    path.with_name("plan.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    read = read_source(path)
    assert {f.check for f in read.findings.errors} == {"period_mismatch"}
    assert "2022" in read.findings.errors[0].message


def test_raw_sidecar_records_the_files_sha256():
    read = read_source(PLAN)
    assert read.info.has_sidecar and read.info.kind == "plan" and read.info.year == 2021
    assert not [f for f in read.findings if f.check == "sha256"]
    assert read.info.document_number == "05/KH-UBND" and read.info.document_date == "2021-01-12"


def test_a_changed_file_is_flagged_against_its_sidecar(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(PLAN.read_bytes() + b"")
    shutil.copy(PLAN.with_name(PLAN.stem + ".meta.json"), tmp_path / "plan.meta.json")
    assert not [f for f in read_source(path).findings if f.check == "sha256"]
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("docProps/custom-note.txt", "edited")
    assert [f.check for f in read_source(path).findings if f.check == "sha256"] == ["sha256"]
