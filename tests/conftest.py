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


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (``make test``: ``-n auto --dist loadgroup``), the tests that share a
    module-scoped fixture (a build, a deck) run in one worker, so that it is made once; the
    other tests are spread over the workers one by one."""
    if not config.pluginmanager.hasplugin("xdist"):  # (its mark is xdist's)
        return
    for item in items:
        fixtures = getattr(item, "_fixtureinfo", None)
        if fixtures is not None and any(defs[-1].scope == "module" for defs in fixtures.name2fixturedefs.values()):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))
