"""Units as dated reference data (issue 22): the 2021 list, the 2025 units, the official
conversion and ``ntm-analysis units successors|predecessors``.

Expected values are typed from facts.md §5–6 (new Lào Cai = 10 + 15, code 15, 99 units:
89 xã and 10 phường; Tà Chải 02872 merged into Thị trấn Bắc Hà; Yên Bái has five units merged
before the reform) and from ../shared/reference/lao-cai-communes-2021.csv (each Lào Cai unit's
successor, transcribed from the official conversion table)."""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from helpers import PLAN, ROOT, run_cli

from ntm_analysis import units
from ntm_analysis.findings import Findings

SHARED = ROOT.parent / "shared" / "reference"
GSO = SHARED / "gso-units-2021-02-03.csv"


@pytest.fixture(scope="module")
def succ() -> pd.DataFrame:
    return units.successors()


def test_every_unit_of_the_2021_list_is_listed(succ):
    with GSO.open(encoding="utf-8") as f:
        codes = {row["Mã PX"] for row in csv.DictReader(f) if row["Mã PX"]}  # the five island districts aside
    assert set(succ.commune_code) == codes and len(codes) == 10603


def test_successors_agree_with_the_official_table(succ):
    conv = units.conversion()
    official = succ[succ.basis == "conversion"]
    pairs = set(zip(official.commune_code, official.code_2025, official.change))
    table = set(zip(conv.code_before, conv.code_2025, conv.change))
    assert pairs <= table
    # every 2021 unit the table converts lists every successor the table gives it (a split lists them all)
    listed = conv[conv.code_before.isin(set(succ.commune_code))]
    assert set(zip(listed.code_before, listed.code_2025, listed.change)) == pairs


def test_a_split_unit_lists_all_its_successors(succ):
    conv = units.conversion()
    parts = conv[conv.change == "part"].groupby("code_before").code_2025.nunique()
    assert (parts >= 2).sum() >= 400  # facts.md §6: "about 800 rows" of parts
    code = parts[parts >= 3].index[0]
    assert set(succ[succ.commune_code == code].code_2025) == set(conv[conv.code_before == code].code_2025)


def test_lao_cai_successors_match_the_transcribed_list(succ):
    lc = pd.read_csv(SHARED / "lao-cai-communes-2021.csv", dtype=str, keep_default_na=False)
    ours = succ[succ.province_code == "10"]
    assert set(ours.commune_code) == set(lc.commune_code) and len(lc) == 152
    for row in lc.itertuples():
        assert row.code_2025 in set(ours[ours.commune_code == row.commune_code].code_2025), row.commune


def test_ta_chai_goes_through_bac_ha_town():
    row = units.successors()
    row = row[row.commune_code == "02872"]
    assert list(row.code_2025) == ["02839"] and list(row.commune_2025) == ["Xã Bắc Hà"]
    assert list(row.via_code) == ["02839"] and list(row.province_code_2025) == ["15"]


def test_merged_units_without_a_source_are_unknown_never_dropped(succ):
    yen_bai_merged = {"04267", "04507", "04528", "04561", "04774"}  # the GSO list's units without a row (facts §6)
    rows = succ[succ.commune_code.isin(yen_bai_merged)]
    assert set(rows.commune_code) == yen_bai_merged
    hong_ha = rows[rows.commune_code == "04267"]
    assert list(hong_ha.change) == ["unknown"] and list(hong_ha.code_2025) == [""]


def test_new_lao_cai_is_code_15_made_of_10_and_15():
    assert units.predecessor_provinces("15") == ("10", "15")
    new = units.units_2025()
    lc = new[new.province_code == "15"]
    assert len(lc) == 99 and (lc.unit_type == "Xã").sum() == 89 and (lc.unit_type == "Phường").sum() == 10
    assert len(units.provinces_2025()) == 34 and len(new) == 3321
    assert units.province_name("15", "2025") == "Tỉnh Lào Cai"
    assert units.province_name("15", "2021") == "Tỉnh Yên Bái"


def test_system_of_a_date():
    assert units.system_of_date("2025-06-30") == "2021"
    assert units.system_of_date("2025-07-01") == "2025"
    assert units.system_of_date("2026-01") == "2025"
    assert units.system_of_date(None) is None


def test_office_changes(tmp_path):
    path = tmp_path / units.OFFICE_CHANGES_FILE
    path.write_text("commune_code,code_before,source\n"
                    "04267,04252,NQ của UBTVQH (ví dụ)\n"  # Hồng Hà into Phường Yên Ninh: fills an unknown
                    "02647,02641,sai\n"  # Kim Tân is in the official table: not used
                    "99999,04252,sai\n"  # no such unit
                    "04507,88888,sai\n", encoding="utf-8")  # no such unit before the reform
    findings = Findings()
    office = units.read_office_changes(path, findings)
    assert list(office.commune_code) == ["04267"]
    checks = [(f.severity, f.cell) for f in findings]
    assert checks == [("warning", "dòng 3"), ("error", "dòng 4"), ("error", "dòng 5")] or \
        checks == [("warning", "row 3"), ("error", "row 4"), ("error", "row 5")]
    rows = units.successors(office)
    hong_ha = rows[rows.commune_code == "04267"]
    assert list(hong_ha.code_2025) == ["04252"] and list(hong_ha.commune_2025) == ["Phường Yên Bái"]


def test_office_changes_unreadable(tmp_path):
    path = tmp_path / units.OFFICE_CHANGES_FILE
    path.write_bytes(b"code\xff\n1\n")
    findings = Findings()
    assert units.read_office_changes(path, findings).empty
    assert findings.errors


_cli = run_cli  # the command, in this process


def test_cli_successors_csv():
    done = _cli("units", "successors", "02872", "Xã Cốc Lếu", "--csv")
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(io.StringIO(done.stdout), dtype=str, keep_default_na=False)
    assert list(frame.columns[:7]) == ["commune_code", "commune", "province_code", "code_2025", "commune_2025",
                                       "province_code_2025", "change"]
    assert set(frame.commune_code) == {"02872", "02644"}
    assert set(frame[frame.commune_code == "02644"].commune_2025) == {"Phường Lào Cai"}


def test_cli_predecessors_and_unknown():
    done = _cli("units", "predecessors", "Xã Bắc Hà", "--province", "15", "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "Xã Tà Chải" in done.stdout and "Thị trấn Bắc Hà" in done.stdout
    missing = _cli("units", "successors", "Xã Không Có")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr


def test_validate_of_a_2021_plan_does_not_load_the_2025_units():
    code = ("import sys; from ntm_analysis import cli, units; rc = cli.main(['validate', sys.argv[1]]); "
            "loaded = [f.__name__ for f in (units.units_2025, units.conversion, units.provinces_2025, "
            "units.merged_before_reform) if f.cache_info().currsize]; print('LOADED', loaded); sys.exit(rc)")
    done = subprocess.run([sys.executable, "-c", code, str(PLAN)], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "LOADED []" in done.stdout


def test_reference_is_compact():
    sizes = sum(p.stat().st_size for p in (ROOT / "ntm_analysis" / "reference").glob("*.gz"))
    assert sizes < 400_000
    assert Path(units.__file__).exists()
