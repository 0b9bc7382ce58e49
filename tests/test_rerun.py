"""The everyday re-run (issue 13 §4): the notebooks take each source as the build read it
instead of reading the workbook again, and show exactly what they showed when they read
it themselves; a source changed since the build is read afresh, and the notebook says so;
the runner injects the parameters itself (no papermill) and names one a notebook does not
declare; the deck is not written again when nothing it reads changed."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from helpers import PLAN, ROOT
from pandas.testing import assert_frame_equal

from ntm_analysis import i18n
from ntm_analysis.build import build
from ntm_analysis.cli import main as cli_main
from ntm_analysis.communes.notebook import load_communes
from ntm_analysis.project import load_project
from ntm_analysis.runner import (
    INJECTED_TAG,
    PARAMETERS_TAG,
    execute_notebook,
    inject_parameters,
    notebook_paths,
    parameter_names,
    read_notebook,
)

EXAMPLES = ROOT / "data" / "examples"
SIDECAR = PLAN.with_name(PLAN.stem + ".meta.json")


def built_project(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the real plan and its sidecar in tmp_path/raw, built (without figures) into
    tmp_path/processed: (raw, processed)."""
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    shutil.copy(PLAN, raw / PLAN.name)
    shutil.copy(SIDECAR, raw / SIDECAR.name)
    result = build(raw, processed, tmp_path / "figures", figures=False, workers=1)
    assert result.exit_code == 0, result.findings.report()
    return raw, processed


def assert_same_project(fresh, kept) -> None:
    for name, frame in fresh.tables.items():
        assert_frame_equal(frame, getattr(kept.tables, name), check_exact=True)
    for name, frame in fresh.tables_with_actuals.items():
        assert_frame_equal(frame, getattr(kept.tables_with_actuals, name), check_exact=True)
    for results, other in ((fresh.results, kept.results), (fresh.results_with_actuals, kept.results_with_actuals)):
        assert list(results) == list(other)
        for name, frame in results.items():
            assert_frame_equal(frame, other[name], check_exact=True)
    assert [f.line() for f in fresh.findings] == [f.line() for f in kept.findings]
    assert_frame_equal(fresh.sources, kept.sources)


def test_a_built_source_is_taken_as_the_build_read_it_and_gives_the_same_project(tmp_path):
    raw, processed = built_project(tmp_path)
    fresh = load_project(raw, processed, EXAMPLES, use_build=False)
    kept = load_project(raw, processed, EXAMPLES)
    assert kept.from_build == [PLAN.name] and kept.read_afresh == []
    assert fresh.from_build == [] and fresh.read_afresh == [PLAN.name]
    assert_same_project(fresh, kept)
    # the example results were read once and kept for the next notebook: the same project again
    assert list((processed / ".cache" / "notebooks" / "sources").glob("*.pickle"))
    assert_same_project(fresh, load_project(raw, processed, EXAMPLES))
    # so were the analyses (of the plan, and of the plan with the example results): computed once
    assert len(list((processed / ".cache" / "notebooks" / "analyses").glob("*.pickle"))) == 2
    # the commune examples of notebook 05 too
    a, b = load_communes(fresh, EXAMPLES), load_communes(kept, EXAMPLES)
    assert a.origin == b.origin == "example"
    for name, frame in a.results.items():
        assert_frame_equal(frame, b.results[name], check_exact=True)
    with i18n.use_language("vi"):
        assert kept.read_line.startswith("1 nguồn được lấy đúng như khi dựng bảng đã đọc")


def test_a_source_changed_since_the_build_is_read_afresh_and_the_notebook_says_so(tmp_path):
    raw, processed = built_project(tmp_path)
    # Bát Xát's households with a hygienic latrine (Biểu 02!F9) corrected from 84 to 85, as an analyst
    # would: the sidecar's sha256 follows
    import openpyxl

    wb = openpyxl.load_workbook(raw / PLAN.name)
    assert wb["Biểu 02"]["F9"].value == 84
    wb["Biểu 02"]["F9"].value = 85
    wb.save(raw / PLAN.name)
    meta = json.loads((raw / SIDECAR.name).read_text(encoding="utf-8"))
    meta["sha256"] = hashlib.sha256((raw / PLAN.name).read_bytes()).hexdigest()
    (raw / SIDECAR.name).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    project = load_project(raw, processed, examples_dir=None)
    assert project.read_afresh == [PLAN.name] and project.from_build == []
    latrine = project.tables.districts[project.tables.districts.cell == "Biểu 02!F9"]
    assert latrine.value.tolist() == [85]  # the new number, not the build's 84
    with i18n.use_language("vi"):
        assert "được đọc lại từ" in project.read_line and "make build" in project.read_line
    with i18n.use_language("en"):
        assert project.read_line.startswith(f"{PLAN.name} read afresh from {raw}")


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


def test_the_notebooks_show_the_same_tables_and_figures_from_the_builds_reads(tmp_path):
    """Notebooks 02-05 executed on the build's reads and on the workbook read afresh (a
    processed folder that does not exist): the same outputs, cell by cell, the pictures'
    bytes included. (01 shows the processed folder itself, and lays the workbook out.)"""
    raw, processed = built_project(tmp_path)
    load_communes(load_project(raw, processed, EXAMPLES), EXAMPLES)  # the example reads kept, as a first notebook would
    paths = [p for p in notebook_paths() if not p.name.startswith("01")]
    kept_reads: dict[str, set[str]] = {p.name: set() for p in paths}

    def run(path: Path, folder: Path, reads: set[str] | None = None):
        params = {"raw_dir": str(raw), "processed_dir": str(folder), "examples_dir": str(EXAMPLES),
                  "figures_dir": str(tmp_path / "figures"), "lang": "vi"}
        return execute_notebook(path, params, reads=reads)

    with ThreadPoolExecutor(max_workers=2) as pool:
        fresh = list(pool.map(lambda p: run(p, tmp_path / "no-processed"), paths))
        kept = list(pool.map(lambda p: run(p, processed, kept_reads[p.name]), paths))
    for path, a, b in zip(paths, fresh, kept):
        assert outputs(a) == outputs(b), path.name
        pickles = [r for r in kept_reads[path.name] if r.endswith(".pickle") and Path(r).is_file()]
        assert any("/.cache/sources/" in r for r in pickles), path.name  # it took the build's read of the plan


# ------------------------------------------------------------ the runner -----
def test_parameters_are_injected_after_their_cell_and_an_undeclared_one_is_named():
    nb = read_notebook(notebook_paths()[1])
    declared = parameter_names(nb)
    assert {"raw_dir", "processed_dir", "figures_dir", "examples_dir", "lang"} <= declared
    assert inject_parameters(nb, {"raw_dir": "/tmp/x", "figures_dir": "/tmp/f", "colour": "đỏ"}) == ["colour"]
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    at = next(i for i, t in enumerate(tags) if PARAMETERS_TAG in t)
    assert INJECTED_TAG in tags[at + 1]
    assert nb.cells[at + 1].source.splitlines() == ["# Parameters", 'raw_dir = "/tmp/x"', 'figures_dir = "/tmp/f"',
                                                   'colour = "đỏ"']
    bare = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")])
    assert inject_parameters(bare, {"x": 1}) == ["x"]  # no parameters cell: at the top
    assert bare.cells[0].source == "# Parameters\nx = 1\n"


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.name[:2])
def test_every_line_of_the_parameters_cells_is_a_parameter(path):
    """Each line of a notebook's parameters cell (besides comments and imports) assigns one
    parameter: nothing there is left for a reader (or a tool) to misread."""
    cell = next(c for c in read_notebook(path).cells if PARAMETERS_TAG in c.metadata.get("tags", []))
    lines = [ln for ln in cell.source.splitlines() if ln.strip() and not ln.startswith(("#", "from ", "import "))]
    names = {ln.split("=")[0].strip() for ln in lines}
    assert names == parameter_names(read_notebook(path))
    assert all(ln.partition("#")[2].count("=") == 0 for ln in lines), "an '=' in a comment"


# -------------------------------------------------------------- the deck -----
def test_the_deck_is_kept_when_nothing_it_reads_changed(tmp_path, capsys):
    raw, processed = built_project(tmp_path)
    out = tmp_path / "reports" / "briefing.pptx"
    args = ["deck", "--raw", str(raw), "--processed", str(processed), "--figures", str(tmp_path / "figures"),
            "--out", str(out), "--lang", "vi"]
    assert cli_main(args) == 0
    first = out.read_bytes()
    capsys.readouterr()
    assert cli_main(args) == 0
    assert "đã là bản mới nhất" in capsys.readouterr().out and out.read_bytes() == first
    assert cli_main(args + ["--force"]) == 0
    assert "đã là bản mới nhất" not in capsys.readouterr().out and out.read_bytes() == first  # the same bytes
    (processed / "districts.csv").write_text((processed / "districts.csv").read_text(encoding="utf-8")
                                             .replace("hygienic_latrine_pct,84.0,", "hygienic_latrine_pct,85.0,", 1), encoding="utf-8")
    assert cli_main(args) == 0
    assert "đã là bản mới nhất" not in capsys.readouterr().out
