"""Test helpers shared by test modules (tests/ is on pytest's pythonpath)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "data" / "raw" / "ke-hoach-05-KH-UBND-2021-lao-cai.xlsx"
#: The xdist group of the modules that read the session's decks (conftest.deck_with_results), so that
#: they are made once: ``pytestmark = DECKS``.
DECKS = pytest.mark.xdist_group("decks")
PLAN_MD = ROOT.parent / "shared" / "source" / "plan-05-KH-UBND-2021-lao-cai.md"


def edited_plan(folder: Path, edits: dict[tuple[str, str], object], name: str = "plan.xlsx",
                sidecar: bool = False) -> Path:
    """A copy of the real plan with some cells changed: {(sheet, "D15"): value}."""
    wb = openpyxl.load_workbook(PLAN)
    for (sheet, ref), value in edits.items():
        wb[sheet][ref].value = value
    out = folder / name
    wb.save(out)
    if sidecar:
        shutil.copy(PLAN.with_name(PLAN.stem + ".meta.json"), out.with_name(out.stem + ".meta.json"))
    return out


def assert_same_tables_as_the_workbook(doc, workbook) -> None:
    """A document's read (``reader.read_source``) gives the workbook's tidy tables but for
    source_id and cell, and the same findings about the tables (those about its text aside)."""
    from pandas.testing import assert_frame_equal

    from ntm_analysis.tables.tidy import FROM_TEXT

    assert not doc.findings.errors, doc.findings.report()
    from_text = ("text_", "commune_", "named_communes", "no_sidecar")  # (the test documents have no sidecar)
    assert [f.check for f in doc.findings if not f.check.startswith(from_text)] == \
        [f.check for f in workbook.findings]
    for table, frame in workbook.tables.items():
        if table in FROM_TEXT:
            assert frame.empty  # a workbook has no text
            continue
        cols = [c for c in frame.columns if c not in ("source_id", "cell")]
        assert len(frame) > 0
        assert_frame_equal(doc.tables.as_dict()[table][cols].reset_index(drop=True),
                           frame[cols].reset_index(drop=True), obj=table)


def run_cli(*args: str, lang: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``ntm-analysis ARGS`` called in this process (``cli.main``: no interpreter to start, no pandas
    to import again), with ``NTM_LANG`` set to ``lang`` (unset without it) and ``cwd`` as the working
    folder (the checkout by default): its exit code and what it printed, as ``subprocess.run`` gives
    them. The tests about the process itself (a traceback never printed, any working folder) start a
    real one."""
    import contextlib
    import io
    import os

    from ntm_analysis import cli, i18n

    out, err = io.StringIO(), io.StringIO()
    saved_env, saved_cwd = os.environ.get(i18n.ENV_VAR), os.getcwd()
    os.environ.pop(i18n.ENV_VAR, None)
    if lang:
        os.environ[i18n.ENV_VAR] = lang
    try:
        os.chdir(cwd or ROOT)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(list(args))
            except SystemExit as stop:  # argparse refuses the arguments
                code = stop.code if isinstance(stop.code, int) else 1
    finally:
        os.chdir(saved_cwd)
        os.environ.pop(i18n.ENV_VAR, None)
        if saved_env is not None:
            os.environ[i18n.ENV_VAR] = saved_env
    return subprocess.CompletedProcess(["ntm-analysis", *args], code, out.getvalue(), err.getvalue())
