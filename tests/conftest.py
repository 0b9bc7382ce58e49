"""Shared fixtures: the real plan workbook, and copies of it with edits."""
from __future__ import annotations

from pathlib import Path

import pytest
from helpers import PLAN, edited_plan  # noqa: F401  (tests/ is on pythonpath)


@pytest.fixture
def plan_xlsx() -> Path:
    return PLAN


@pytest.fixture
def edit_plan(tmp_path):
    def make(edits: dict[tuple[str, str], object], name: str = "plan.xlsx") -> Path:
        return edited_plan(tmp_path, edits, name)
    return make
