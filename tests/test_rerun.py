"""The everyday re-run (issue 13 §4): the runner injects the parameters itself (no
papermill) and names one a notebook does not declare; the deck is not written again when
nothing it reads changed. (The notebooks loading the build: tests/test_pipeline.py.)"""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from helpers import PLAN, ROOT

from ntm_analysis.cli import main as cli_main
from ntm_analysis.notebooks.runner import (
    INJECTED_TAG,
    PARAMETERS_TAG,
    inject_parameters,
    notebook_paths,
    parameter_names,
    read_notebook,
)
from ntm_analysis.publishing.build import build

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
