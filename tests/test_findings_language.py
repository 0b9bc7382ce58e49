"""Every validation finding in the analyst's language (issue 15 §2): Vietnamese by
default, English with NTM_LANG=en, the same stable ``check`` code in both; indicators
named by their labels, never by code; one cause met in many cells reported once.

The expected Vietnamese is typed by hand (from the catalogue's wording and the
plan's cells), not copied from program output."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from helpers import PLAN

from ntm_analysis import i18n
from ntm_analysis.config import REFERENCE_DIR, sidecar_path
from ntm_analysis.findings import Finding, Findings
from ntm_analysis.publishing.build import write_tables
from ntm_analysis.reading.reader import read_source
from ntm_analysis.reading.sources import LOADERS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _default_language(monkeypatch):
    """Each test starts in the default language, whatever the environment says."""
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    i18n.set_language(None)


def _checks(read, check: str) -> list[Finding]:
    return [f for f in read.findings if f.check == check]


def _plan_with_sidecar_year(tmp_path: Path, year: int) -> Path:
    """The plan, with a sidecar that says it is a plan for ``year``."""
    path = tmp_path / PLAN.name
    shutil.copy(PLAN, path)
    meta = json.loads(sidecar_path(PLAN).read_text(encoding="utf-8"))
    meta["year"] = year
    sidecar_path(path).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return path


# ---- Vietnamese by default, a handful of representative findings -----------------------------
def test_a_missing_criterion_in_vietnamese(edit_plan):
    read = read_source(edit_plan({("Biểu 01", "B19"): "Xã đạt tiêu chí số 4"}))  # criterion 5 becomes a second 4
    messages = {f.message for f in _checks(read, "missing_criterion")}
    assert messages == {"2020 (thực hiện): cột này thiếu tiêu chí số 5; Biểu 01 phải ghi đủ 19 tiêu chí",
                        "2021 (kế hoạch): cột này thiếu tiêu chí số 5; Biểu 01 phải ghi đủ 19 tiêu chí"}


def test_a_district_not_in_the_list_in_vietnamese(edit_plan):
    read = read_source(edit_plan({("Biểu 02", "B10"): "Bảo Thăng"}))
    (found,) = _checks(read, "unknown_district")
    assert found.message.startswith("huyện 'Bảo Thăng' không có trong danh mục huyện; có phải là ")
    assert (found.sheet, found.cell) == ("Biểu 02", "B10")


def test_text_in_a_district_cell_names_the_indicator_by_its_label(edit_plan):
    # Biểu 02, column H: additional workers employed; row 8: the city, written 'TP Lào Cai'
    read = read_source(edit_plan({("Biểu 02", "H8"): "nhiều"}))
    (found,) = _checks(read, "text_in_number")
    assert found.message == ("'TP Lào Cai', Số lao động có việc làm tăng thêm: cần một số, nhưng ô "
                             "chứa chữ “nhiều”")
    assert "jobs_added" not in found.message


def test_a_count_with_a_fraction_in_vietnamese(edit_plan):
    read = read_source(edit_plan({("Biểu 01", "D12"): 57.5}))  # Biểu 01 row 12: communes meeting 10-14 criteria
    (found,) = _checks(read, "count_not_whole")
    assert found.message == ("'Số xã đạt 10-14 tiêu chí', 2020 (thực hiện): số xã phải là số nguyên, nhưng ô ghi "
                             "57,5; số này không được làm tròn: hãy sửa ô")


def test_a_refused_file_in_vietnamese(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    (found,) = read_source(path).findings
    assert (found.check, found.message) == ("old_format",
                                            "không đọc được định dạng Excel 97-2003 cũ (.xls); hãy lưu thành .xlsx")


# ---- English on request, the same check codes ----------------------------------------------------
def test_english_with_ntm_lang(edit_plan, monkeypatch):
    path = edit_plan({("Biểu 01", "B19"): "Xã đạt tiêu chí số 4", ("Biểu 02", "H8"): "nhiều"})
    vietnamese = read_source(path)
    monkeypatch.setenv(i18n.ENV_VAR, "en")
    english = read_source(path)
    assert [f.check for f in english.findings] == [f.check for f in vietnamese.findings]
    assert [(f.sheet, f.cell) for f in english.findings] == [(f.sheet, f.cell) for f in vietnamese.findings]
    assert "2020 (actual): criterion 5 is missing in this column; Biểu 01 must list all 19" in \
        {f.message for f in _checks(english, "missing_criterion")}
    (text,) = _checks(english, "text_in_number")
    assert text.message == ("'TP Lào Cai', Additional workers employed: expected a number, found the text "
                            "“nhiều”")


def test_validation_csv_has_the_message_in_the_language_and_a_stable_check(edit_plan, tmp_path, monkeypatch):
    path = edit_plan({("Biểu 02", "B10"): "Bảo Thăng"})
    frames = {}
    for lang in ("vi", "en"):
        monkeypatch.setenv(i18n.ENV_VAR, lang)
        read = read_source(path)
        folder = tmp_path / lang
        folder.mkdir()
        write_tables(read.tables, read.findings, folder)
        frames[lang] = pd.read_csv(folder / "validation.csv", dtype=str, keep_default_na=False)
    vi, en = frames["vi"], frames["en"]
    assert list(vi.columns) == ["severity", "check", "file", "sheet", "cell", "message"]
    assert vi.check.tolist() == en.check.tolist() and vi.cell.tolist() == en.cell.tolist()
    row_vi = vi[vi.check == "unknown_district"].iloc[0]
    row_en = en[en.check == "unknown_district"].iloc[0]
    assert row_vi.message.startswith("huyện 'Bảo Thăng' không có trong danh mục huyện")
    assert row_en.message.startswith("district 'Bảo Thăng' is not in the district list")


# ---- one cause, one finding -----------------------------------------------------------------------
def test_a_sidecar_year_that_no_header_states_is_one_finding_listing_the_cells(tmp_path):
    # The plan's target columns are 2021: Biểu 01 E5, the seven indicator columns of Biểu 02 (C5 … I5)
    # and Biểu 03 D5. A sidecar that says "a plan for 2022" disagrees with each of them, for one cause.
    read = read_source(_plan_with_sidecar_year(tmp_path, 2022))
    (found,) = _checks(read, "period_mismatch")
    cells = ["Biểu 01!E5"] + [f"Biểu 02!{c}5" for c in "CDEFGHI"] + ["Biểu 03!D5"]
    assert found.message == ("tệp mô tả ghi kế hoạch năm 2022, nhưng các tiêu đề cột này ghi năm hoặc trạng thái "
                             "khác: hãy sửa tệp mô tả (year, kind) hoặc tiêu đề cột (9 ô: "
                             + ", ".join(cells[:-1]) + " và " + cells[-1] + ")")
    assert (found.severity, found.sheet, found.cell) == ("error", "Biểu 01", "E5")  # the place of the first


def test_grouping_keeps_single_causes_and_the_order():
    findings = Findings()
    findings.add("warning", "a", "first, alone", file="f.xlsx", sheet="S", cell="A1")
    findings.add("error", "b", "b in B2", file="f.xlsx", sheet="S", cell="B2", group="b everywhere")
    findings.add("info", "c", "c once", file="f.xlsx", sheet="S", cell="C1", group="c cause")
    findings.add("error", "b", "b in B3", file="f.xlsx", sheet="S", cell="B3", group="b everywhere")
    findings.add("error", "b", "b in another file", file="g.xlsx", sheet="S", cell="B2", group="b everywhere")
    grouped = findings.grouped()
    assert [(f.check, f.file, f.cell, f.message) for f in grouped] == [
        ("a", "f.xlsx", "A1", "first, alone"),
        ("b", "f.xlsx", "B2", "b everywhere (2 ô: B2 và B3)"),  # one sheet: the cells alone
        ("c", "f.xlsx", "C1", "c once"),  # met once: its own message
        ("b", "g.xlsx", "B2", "b in another file"),  # another file: another finding
    ]
    with i18n.use_language("en"):
        (b,) = [f for f in findings.grouped() if f.check == "b" and f.file == "f.xlsx"]
        assert b.message == "b everywhere (2 cells: B2 and B3)"


# ---- no indicator code in any finding --------------------------------------------------------------
def _every_source() -> list[Path]:
    files = [p for folder in ("data/raw", "data/examples") for p in sorted((ROOT / folder).iterdir())
             if p.suffix.lower() in LOADERS and not p.name.startswith(("~$", "."))]
    assert len(files) >= 5
    return files


def test_no_finding_names_an_indicator_by_its_code():
    codes = pd.read_csv(REFERENCE_DIR / "indicators.csv", dtype=str).indicator.tolist()
    assert "new_ntm_communes" in codes
    named = []
    for path in _every_source():
        for f in read_source(path).findings:
            named += [f"{path.name}: {f.message}" for code in codes if code in f.message]
    assert not named, "\n".join(named)


def test_worker_processes_write_the_findings_in_the_callers_language(edit_plan, tmp_path):
    from ntm_analysis.reading.inputs import read_all

    first = edit_plan({("Biểu 02", "B10"): "Bảo Thăng"}, name="a.xlsx")
    second = edit_plan({("Biểu 02", "B10"): "Bảo Thăng"}, name="b.xlsx")
    with i18n.use_language("en"):
        reads = read_all([first, second], workers=2)
    for read in reads:
        (found,) = _checks(read, "unknown_district")
        assert found.message.startswith("district 'Bảo Thăng' is not in the district list")
