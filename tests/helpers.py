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
