"""The command line: exit codes, short readable output, atomic writes, raw untouched. The
commands run in this process (``helpers.run_cli``); a real process where the test is about
the process (no traceback, any working folder)."""
from __future__ import annotations

import subprocess
import sys

from helpers import PLAN, ROOT, edited_plan, run_cli

CLI = [sys.executable, "-m", "ntm_analysis.cli"]


def process(*args: str, cwd=None) -> subprocess.CompletedProcess:
    """``python -m ntm_analysis.cli ARGS`` in a process of its own."""
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd or ROOT)


run = run_cli


def test_validate_exit_codes(tmp_path):
    ok = run("validate", str(PLAN))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "0 lỗi, 1 cảnh báo" in ok.stdout  # Vietnamese by default
    bad = edited_plan(tmp_path, {("Biểu 01", "D16"): -5})
    failed = run("validate", str(PLAN), str(bad))
    assert failed.returncode == 1
    assert "Biểu 01!D16" in failed.stdout
    assert run("validate").returncode == 2
    assert run("validate", "--strict", str(PLAN)).returncode == 1


def test_bad_input_never_prints_a_traceback(tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    for args in (("validate", str(junk)), ("validate", str(tmp_path / "missing.xlsx")),
                 ("tidy", str(junk), "--out", str(tmp_path / "out"))):
        result = process(*args)
        assert result.returncode == 1
        assert "Traceback" not in result.stdout + result.stderr
        assert len((result.stdout + result.stderr).splitlines()) <= 3


def test_tidy_writes_the_tables_and_a_failing_run_leaves_them_as_they_were(tmp_path):
    out = tmp_path / "tidy"
    assert run("tidy", str(PLAN), "--out", str(out)).returncode == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["commune_bands.csv", "criteria.csv", "districts.csv", "funding.csv",
                     "narrative_targets.csv", "province.csv", "target_communes.csv", "validation.csv"]
    header = (out / "criteria.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("province_code,units,year,status,criteria_set,criterion_id,criterion,group,communes,"
                             "total_communes,share")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = edited_plan(tmp_path, {("Biểu 02", "B9"): "Bát Xác"})
    result = run("tidy", str(bad), "--out", str(out))
    assert result.returncode == 1 and "không ghi tệp nào" in result.stdout  # nothing was written
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


def test_tidy_strict_stops_on_the_documents_inconsistency(tmp_path):
    result = run("tidy", str(PLAN), "--out", str(tmp_path / "x"), "--strict")
    assert result.returncode == 1
    assert not (tmp_path / "x").exists() or not any((tmp_path / "x").iterdir())


def test_works_from_any_working_folder(tmp_path):
    result = process("sources", cwd=tmp_path)
    assert result.returncode == 0 and "ke-hoach-05-KH-UBND-2021-lao-cai" in result.stdout
