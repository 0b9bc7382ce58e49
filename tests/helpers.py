"""Test helpers shared by test modules (tests/ is on pytest's pythonpath)."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "data" / "raw" / "ke-hoach-05-KH-UBND-2021-lao-cai.xlsx"
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
