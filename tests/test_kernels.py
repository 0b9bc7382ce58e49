"""Issue 13 §4: the runner executes the notebooks in at most ``jobs`` kernels, each running its
share one after another. Each notebook behaves as if alone: the same cells, outputs and
execution counts as in a kernel of its own, no name left by the notebook before, the files it
read recorded for it alone; a failed notebook's kernel is replaced."""
from __future__ import annotations

import json
import re
from pathlib import Path

from helpers import ROOT
from test_rerun import built_project

from ntm_analysis.notebooks.runner import INJECTED_TAG, Kernel, execute_notebook, notebook_paths, run_notebooks
from ntm_analysis.publishing.stamps import stamp_path

EXAMPLES = ROOT / "data" / "examples"


def _steady(value):
    """Output text without what changes from run to run: a Styler's random table id, an object's address."""
    if not isinstance(value, str):
        return value
    return re.sub(r" at 0x[0-9a-f]+", "", re.sub(r"\bT_[0-9a-f]{5}(?![0-9a-f])", "T_id", value))


def outputs(nb) -> list:
    """What each code cell showed (text, tables, pictures), without counts or metadata."""
    shown = []
    for cell in nb.cells:
        if cell.cell_type != "code" or INJECTED_TAG in cell.metadata.get("tags", []):
            continue
        shown.append([(o.get("output_type"), o.get("name"), _steady(o.get("text")),
                       {k: _steady(v) for k, v in o.get("data", {}).items()}) for o in cell.get("outputs", [])])
    return shown


def steady(shown: list) -> str:
    return re.sub(r"ipykernel_\d+", "ipykernel_PID", repr(shown))


def counts(nb) -> list:
    return [c.execution_count for c in nb.cells if c.cell_type == "code"]


def test_each_notebook_in_a_shared_kernel_shows_what_it_shows_in_a_kernel_of_its_own(tmp_path):
    raw, processed = built_project(tmp_path)
    params = {"raw_dir": str(raw), "processed_dir": str(processed), "examples_dir": str(EXAMPLES),
              "figures_dir": str(tmp_path / "figures"), "lang": "vi"}
    paths = notebook_paths()
    for path in paths:  # a first run keeps the notebooks' shared reads: each later run finds the same
        execute_notebook(path, params)
    fresh = {p.name: execute_notebook(p, params) for p in paths}
    with Kernel() as kernel:
        shared = {p.name: execute_notebook(p, params, kernel=kernel) for p in reversed(paths)}
        assert kernel.notebooks == len(paths)  # one kernel for them all
    for path in paths:
        a, b = fresh[path.name], shared[path.name]
        assert outputs(a) == outputs(b), path.name
        assert counts(a) == counts(b) == list(range(1, len(counts(a)) + 1)), path.name
        assert [c.source for c in a.cells] == [c.source for c in b.cells]


PROBE = """\
# %% tags=["parameters"]
raw_dir = None
name = "a.txt"

# %%
import warnings
from pathlib import Path

import pandas as pd

print(sorted(k for k in globals() if not k.startswith("_") and k not in {{"In", "Out", "exit", "quit", "get_ipython"}}))
print(pd.get_option("display.max_rows"))
warnings.warn("once per notebook")
{body}
print(Path(raw_dir, name).read_text())
"""


def test_a_name_defined_by_the_notebook_before_is_gone_and_settings_are_restored(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("một", encoding="utf-8")
    (raw / "b.txt").write_text("hai", encoding="utf-8")
    first, second, third = tmp_path / "first.py", tmp_path / "second.py", tmp_path / "third.py"
    first.write_text(PROBE.format(body='left_behind = 1\npd.set_option("display.max_rows", 3)'), encoding="utf-8")
    second.write_text(PROBE.format(body="print(left_behind)"), encoding="utf-8")
    third.write_text(PROBE.format(body=""), encoding="utf-8")
    with Kernel() as kernel:
        a_reads: set[str] = set()
        a = execute_notebook(first, {"raw_dir": str(raw)}, kernel=kernel, reads=a_reads)
        results = run_notebooks_in(kernel, [second], {"raw_dir": str(raw)})
        assert "NameError" in results[0] and "left_behind" in results[0]  # not defined here: it fails
        assert kernel.km is None  # the failed notebook's kernel was shut down
        c_reads: set[str] = set()
        c = execute_notebook(third, {"raw_dir": str(raw), "name": "b.txt"}, kernel=kernel, reads=c_reads)
        d_reads: set[str] = set()
        d = execute_notebook(third, {"raw_dir": str(raw)}, kernel=kernel, reads=d_reads)
        assert kernel.notebooks == 2
    alone = execute_notebook(third, {"raw_dir": str(raw)})
    # the same, but for the kernel's process id in the warning's file name
    assert steady(outputs(d)) == steady(outputs(alone)) and counts(d) == counts(alone) == [1, 2, 3]
    shown = [o for o in d.cells[-1].outputs if o.get("name") == "stdout"]
    assert shown[0]["text"].splitlines()[1] == "60"  # pandas' own default again, not the 3 of the first
    assert any(o.get("name") == "stderr" and "once per notebook" in o["text"] for o in d.cells[-1].outputs)
    assert "một" in a.cells[-1].outputs[0]["text"] and "hai" in c.cells[-1].outputs[0]["text"]
    # what each notebook read, recorded for it alone
    assert str(raw / "a.txt") in a_reads and str(raw / "b.txt") not in a_reads
    assert str(raw / "b.txt") in c_reads and str(raw / "a.txt") not in c_reads
    assert str(raw / "a.txt") in d_reads and str(raw / "b.txt") not in d_reads


def run_notebooks_in(kernel: Kernel, paths: list[Path], params: dict) -> list[str]:
    """The errors of ``paths`` executed in ``kernel`` ("" for a notebook that ran)."""
    errors = []
    for path in paths:
        try:
            execute_notebook(path, params, kernel=kernel)
            errors.append("")
        except Exception as exc:  # noqa: BLE001 - the error is what is checked
            errors.append(f"{type(exc).__name__}: {exc}")
    return errors


def test_the_runner_keeps_the_up_to_date_reports_and_records_what_each_read(tmp_path):
    raw, processed = built_project(tmp_path)
    params = {"raw_dir": str(raw), "processed_dir": str(processed), "examples_dir": str(EXAMPLES), "lang": "vi"}
    reports = tmp_path / "reports"
    only = ["02", "03", "04"]
    first = run_notebooks(only, params, html_dir=reports, jobs=1)
    assert [r.ok and not r.skipped for r in first] == [True] * 3, [r.error for r in first]
    stamps = {r.notebook: json.loads(stamp_path(r.html).read_text(encoding="utf-8")) for r in first}
    for name, stamp in stamps.items():
        assert stamp["seconds"] > 0
        assert any(p.endswith(Path(raw, next(raw.glob("*.xlsx")).name).name) for p in stamp["reads"]), name
        # 03 and 04 read the illustrative results (examples_dir); 02 is given examples_dir=None
        assert any(p.startswith(str(EXAMPLES.resolve())) and p.endswith(".xlsx") for p in stamp["reads"]) \
            == (not name.startswith("02")), name
    assert all(r.skipped for r in run_notebooks(only, params, html_dir=reports, jobs=1))
    (raw / ".ghi-chu").write_text("ghi chú", encoding="utf-8")  # the raw folder's listing changes
    again = run_notebooks(only, params, html_dir=reports, jobs=2)
    assert [r.ok and not r.skipped for r in again] == [True] * 3, [r.error for r in again]
