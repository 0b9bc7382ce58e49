"""Fuzzing the reader (issue 12 §3): the plan workbook mutated by hypothesis (junk
values of many kinds, rows and columns deleted or inserted, hidden and duplicated
sheets, moved and cleared ranges, new merges). Whatever the mutation, ``validate``
answers exit 0 or 1, raises nothing, and every error finding names its place.

``make test`` runs a derandomised 60 examples (about 20 s); ``make fuzz`` runs
NTM_FUZZ_EXAMPLES (5 000) and prints a summary of what the examples produced.
"""
from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections import Counter
from pathlib import Path

import fuzz_workbooks as fw
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ntm_analysis import cli
from ntm_analysis.reading.reader import read_source
from ntm_analysis.reference import load_reference

EXAMPLES = int(os.environ.get("NTM_FUZZ_EXAMPLES", "60"))
#: Refusals of the whole file: they name the file only.
FILE_LEVEL = {"missing_file", "empty_file", "file_too_large", "macro_enabled", "old_format", "not_a_workbook",
              "corrupt_file", "unsafe_xml", "empty_workbook", "table_not_found", "sidecar"}
#: Findings about one value: they name its sheet and cell.
CELL_LEVEL = {"text_in_number", "formula_without_value", "count_not_whole", "count_too_large",
              "total_not_positive", "count_above_total", "period_mismatch", "missing_year", "table_twice",
              "missing_criterion", "missing_total"}

MODEL = fw.load_plan_model()
REFERENCE = load_reference()
SUMMARY: Counter = Counter()


def check_invariant(path: Path) -> int:
    """Validate ``path`` as the CLI does; assert the invariant; return the exit code."""
    read = read_source(path, REFERENCE)
    for f in read.findings.errors:
        assert f.file == path.name, f
        assert f.message.strip(), f
        if f.check not in FILE_LEVEL:
            assert f.sheet, f"error without a sheet: {f}"
        if f.check in CELL_LEVEL:
            assert f.cell, f"error without a cell: {f}"
    code = 1 if read.findings.errors else 0
    SUMMARY[f"exit {code}"] += 1
    SUMMARY.update(f"{f.severity} {f.check}" for f in read.findings)
    return code


@pytest.fixture(scope="module", autouse=True)
def summary():
    yield
    if os.environ.get("NTM_FUZZ_EXAMPLES"):  # make fuzz: print what the examples produced
        lines = [f"{n:6d}  {key}" for key, n in sorted(SUMMARY.items(), key=lambda kv: (-kv[1], kv[0]))]
        print("\nfuzz summary (examples, then findings by severity and check):\n" + "\n".join(lines))


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(fw.mutation(), min_size=1, max_size=6))
def test_mutated_plan_always_gets_a_clear_answer(ops):
    sheets = [s.copy() for s in MODEL]
    for op in ops:
        fw.apply(sheets, op)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mutated.xlsx"
        fw.write(sheets, path)
        assert check_invariant(path) in (0, 1)


def test_the_unmutated_model_reads_cleanly(tmp_path):
    """The model round-trips: written back unchanged, the plan has no errors."""
    path = tmp_path / "plan.xlsx"
    fw.write([s.copy() for s in MODEL], path)
    assert check_invariant(path) == 0


def test_cli_exit_code_on_a_mutated_plan(tmp_path):
    """The CLI gives exit 1 and no internal error on a mutation with junk."""
    sheets = [s.copy() for s in MODEL]
    fw.apply(sheets, ("junk", 0, 15, 4, "#DIV/0!", 0, 0, 1, 1))
    path = tmp_path / "plan.xlsx"
    fw.write(sheets, path)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["validate", str(path)])
    assert code == 1 and "internal error" not in err.getvalue()
    (finding,) = read_source(path, REFERENCE).findings.errors
    assert (finding.sheet, finding.cell, finding.check) == ("Biểu 01", "D15", "text_in_number")
    assert "#DIV/0!" in finding.message and "tính lại trong Excel" in finding.message
