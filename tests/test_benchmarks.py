"""The benchmark scripts run (on tiny inputs; no timings are checked here), and the
performance properties that are not timings: ``validate`` stays light, and the
schemas' pandas-only fast path decides exactly as pandera does."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from helpers import PLAN, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ntm_analysis.findings import Findings
from ntm_analysis.reading.reader import read_source
from ntm_analysis.tables import schemas
from ntm_analysis.tables.tidy import FROM_TEXT

BENCH = ROOT / "benchmarks"
sys.path.insert(0, str(BENCH))

PROBE = """
import sys
from ntm_analysis.cli import main
code = main(["validate", sys.argv[1]])
print("MODULES:" + ",".join(sorted({m.split(".")[0] for m in sys.modules})))
print("CODE:", code)
"""


def _validate_modules(path: Path) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("MODULES:"))
    return set(line[len("MODULES:"):].split(","))


def test_validate_imports_no_plotting_library():
    modules = _validate_modules(PLAN)
    assert not modules & {"matplotlib", "seaborn"}


def test_validate_of_a_valid_workbook_does_not_import_pandera():
    """pandera (0.2 s of imports) is imported only when a table fails the fast checks."""
    assert "pandera" not in _validate_modules(PLAN)


def test_validate_of_an_invalid_workbook_still_reports_through_pandera(edit_plan):
    path = edit_plan({("Biểu 02", "F8"): 150})  # TP Lào Cai: 150 % of households
    read = read_source(path)
    assert any(f.check == "schema" and "tỷ lệ phần trăm không thể lớn hơn 100" in f.message
               for f in read.findings.errors)


# ---- the fast path decides as pandera does ----------------------------------------------------
@pytest.fixture(scope="module")
def plan_tables():
    read = read_source(PLAN)
    return {name: frame for name, frame in read.tables.items() if name not in FROM_TEXT}  # those of the appendices


def _findings(name: str, frame: pd.DataFrame, fast: bool) -> list[str]:
    """The findings of ``validate_table`` (or the exception it raises, for a frame no reader
    makes, e.g. without a key column), with or without the fast path."""
    findings = Findings()
    original = schemas.passes_fast
    if not fast:
        schemas.passes_fast = lambda *a: False  # pandera always
    try:
        schemas.validate_table(name, frame, findings, file="f.xlsx")
    except Exception as exc:  # noqa: BLE001
        return [f"raised {type(exc).__name__}: {exc}"]
    finally:
        schemas.passes_fast = original
    return [f.line() for f in findings]


def test_the_plan_passes_the_fast_path_and_pandera(plan_tables):
    for name, frame in plan_tables.items():
        assert schemas.passes_fast(name, frame), name
        schemas.pandera_schema(name).validate(frame, lazy=True)  # raises if pandera disagrees


BAD_VALUES = [-1, -0.5, 0, 0.5, 1, 19, 19.5, 20, 100, 100.5, 1000, 1e9, float("nan"), None, "abc", "",
              "actual", "target", "plan", "2016-2020", "2021-2025", "10", "1234", "AB", "x y", 1989, 1990,
              2100, 2101, True, False]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fast_path_and_pandera_give_the_same_findings(plan_tables, data):
    """Random edits to the plan's valid tables: same findings with or without the fast path
    (the fast path may only say "valid" when pandera finds nothing)."""
    name = data.draw(st.sampled_from(sorted(plan_tables)))
    frame = plan_tables[name].copy()
    columns = list(schemas.TABLES[name].columns)
    for _ in range(data.draw(st.integers(0, 3))):
        col = data.draw(st.sampled_from(columns))
        row = data.draw(st.integers(0, len(frame) - 1))
        value = data.draw(st.sampled_from(BAD_VALUES))
        try:
            frame.loc[row, col] = value
        except (TypeError, ValueError):  # a value the column's dtype refuses
            frame[col] = frame[col].astype(object)
            frame.loc[row, col] = value
    if data.draw(st.booleans()):
        frame = frame.drop(columns=data.draw(st.sampled_from(columns)))
    assert _findings(name, frame, fast=True) == _findings(name, frame, fast=False)


# ---- the scripts run ----------------------------------------------------------------------------
def test_generate_three_workbooks_and_build_them_without_errors(tmp_path):
    import scale
    from generate import generate

    from ntm_analysis.publishing.build import build

    files = generate(tmp_path, 3)
    assert len(files) == 3 and sorted(p.name for p in tmp_path.iterdir()) == ["raw"]  # no reference folder
    result = build(tmp_path / "raw", tmp_path / "processed", tmp_path / "figures", figures=False, workers=2)
    assert result.exit_code == 0, result.findings.report()
    check = scale.check_build(tmp_path / "raw", tmp_path / "processed")
    assert check["problems"] == [] and check["sources"] == 3  # no error, every table read whole
    assert check["rows"]["criteria"] == 3 * 38
    copy = tmp_path / "copy"
    shutil.copytree(tmp_path / "processed", copy)
    assert scale.same_outputs(tmp_path / "processed", copy) == []  # the .xlsx's own creation date aside
    criteria = copy / "criteria.csv"
    rows = criteria.read_text(encoding="utf-8").splitlines(keepends=True)
    criteria.write_text("".join(rows[:-1]), encoding="utf-8")  # a row lost
    assert scale.same_outputs(tmp_path / "processed", copy) == ["criteria.csv"]


def test_generated_district_labels_are_never_ambiguous():
    """A bare name another unit of the province shares ("Điện Biên": the province and
    Huyện Điện Biên) is always written with its kind."""
    import random

    from generate import _district_label, provinces

    dien_bien = next(p for p in provinces() if p.code == "11")
    district = next(d for d in dien_bien.districts if d.area == "Huyện Điện Biên")
    rng = random.Random(1)
    assert {_district_label(district, rng) for _ in range(50)} == {"Huyện Điện Biên", "H. Điện Biên"}


def test_generated_workbooks_vary_and_repeat(tmp_path):
    from generate import N_PROVINCES, workbook_spec

    specs = [workbook_spec(k, 2021) for k in range(N_PROVINCES * 5)]
    assert {s["layout"] for s in specs} == {"one", "three"}
    assert {s["mode"] for s in specs} == {"numbers", "text", "mixed"}
    assert any(s["nfd"] for s in specs) and not all(s["nfd"] for s in specs)
    assert len({(s["province"], s["year"]) for s in specs}) == len(specs)
    assert workbook_spec(5, 2021) == workbook_spec(5, 2021)


def test_floor_script_runs(tmp_path):
    proc = subprocess.run([sys.executable, str(BENCH / "floor.py"), str(PLAN.parent), str(tmp_path),
                           "--png", "1", "--svg", "1", "--width", "4", "--height", "2.25", "--dpi", "50"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".png", ".svg"]


def test_notebook_harness_executes_a_notebook_with_the_package_runner(tmp_path):
    from run import execute_notebooks

    path = tmp_path / "tiny.py"
    path.write_text('# %% tags=["parameters"]\nx = 1\n\n# %%\nassert x == 2\n', encoding="utf-8")
    [(name, seconds, error)] = execute_notebooks([path], tmp_path, {"x": 2})
    assert name == "tiny.py" and error == "" and seconds > 0
    [(_, _, error)] = execute_notebooks([path], tmp_path, {"x": 3})
    assert "AssertionError" in error


def test_scale_script_checks_a_build(tmp_path):
    from generate import generate

    from ntm_analysis.publishing.build import build

    files = generate(tmp_path, 2)
    assert build(tmp_path / "raw", tmp_path / "processed", tmp_path / "figures", figures=False).exit_code == 0
    proc = subprocess.run([sys.executable, str(BENCH / "scale.py"), str(tmp_path / "raw"), str(tmp_path / "processed")],
                          capture_output=True, text=True, timeout=300)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert proc.returncode == 0 and result["sources"] == 2 and result["errors"] == 0 and result["problems"] == []
    meta = files[0].with_name(files[0].stem + ".meta.json")  # a sidecar that expects one more district row
    data = json.loads(meta.read_text(encoding="utf-8"))
    data["expected_rows"]["districts"] += 1
    meta.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(BENCH / "scale.py"), str(tmp_path / "raw"), str(tmp_path / "processed")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "districts has" in proc.stdout
