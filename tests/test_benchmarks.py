"""The benchmark scripts run (on tiny inputs; no timings are checked here), and the
performance properties that are not timings: ``validate`` stays light, and the
schemas' pandas-only fast path decides exactly as pandera does."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

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


@pytest.fixture(scope="module")
def validate_modules() -> set[str]:
    """The top-level modules a fresh process has imported after ``validate`` of the plan."""
    proc = subprocess.run([sys.executable, "-c", PROBE, str(PLAN)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert "CODE: 0" in proc.stdout, proc.stdout + proc.stderr
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("MODULES:"))
    return set(line[len("MODULES:"):].split(","))


def test_validate_imports_no_plotting_library(validate_modules):
    assert not validate_modules & {"matplotlib", "seaborn"}


def test_validate_of_a_valid_workbook_does_not_import_pandera(validate_modules):
    """pandera (0.2 s of imports) is imported only when a table fails the fast checks."""
    assert "pandera" not in validate_modules


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


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
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
@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Three generated workbooks (benchmarks/generate.py) built without figures, two workers."""
    from generate import generate

    from ntm_analysis.publishing.build import build

    folder = tmp_path_factory.mktemp("generated")
    files = generate(folder, 3)
    assert len(files) == 3 and sorted(p.name for p in folder.iterdir()) == ["raw"]  # no reference folder
    result = build(folder / "raw", folder / "processed", folder / "figures", figures=False, workers=2)
    assert result.exit_code == 0, result.findings.report()
    return folder


def test_generate_three_workbooks_and_build_them_without_errors(generated, tmp_path):
    import scale

    from ntm_analysis.publishing.build import build

    check = scale.check_build(generated / "raw", generated / "processed")
    assert check["problems"] == [] and check["sources"] == 3  # no error, every table read whole
    assert check["rows"]["criteria"] == 3 * 38
    # built again by one worker: the same outputs (the .xlsx's own creation date aside), and a lost row is seen
    again = tmp_path / "processed"
    assert build(generated / "raw", again, tmp_path / "figures", figures=False, workers=1).exit_code == 0
    assert scale.same_outputs(generated / "processed", again) == []
    criteria = again / "criteria.csv"
    rows = criteria.read_text(encoding="utf-8").splitlines(keepends=True)
    criteria.write_text("".join(rows[:-1]), encoding="utf-8")  # a row lost
    assert scale.same_outputs(generated / "processed", again) == ["criteria.csv"]


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


def test_scale_script_checks_a_build(generated, tmp_path, capsys):
    """scale.py's answer (called in this process): JSON and exit 0 on the build, exit 1 naming the
    table when a sidecar expects one more row than was built."""
    import scale

    raw = tmp_path / "raw"
    shutil.copytree(generated / "raw", raw)
    assert scale.main([str(raw), str(generated / "processed")]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["sources"] == 3 and result["errors"] == 0 and result["problems"] == []
    meta = next(raw.glob("*.meta.json"))  # a sidecar that expects one more district row
    data = json.loads(meta.read_text(encoding="utf-8"))
    data["expected_rows"]["districts"] += 1
    meta.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert scale.main([str(raw), str(generated / "processed")]) == 1
    assert "districts has" in capsys.readouterr().out
