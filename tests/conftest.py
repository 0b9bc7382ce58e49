"""Shared fixtures: the real plan workbook, copies of it with edits, and the decks several
test modules read (made once; see tests/README.md)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import PLAN, ROOT, edited_plan  # noqa: F401  (tests/ is on pythonpath)


@pytest.fixture
def plan_xlsx() -> Path:
    return PLAN


@pytest.fixture
def edit_plan(tmp_path):
    def make(edits: dict[tuple[str, str], object], name: str = "plan.xlsx") -> Path:
        return edited_plan(tmp_path, edits, name)
    return make


@pytest.fixture(scope="session")
def deck_with_results(tmp_path_factory) -> Path:
    """Plan 05 with the illustrative 2021 results of data/examples (ket-qua-2021-minh-hoa), its Vietnamese
    deck written by ``ntm-analysis deck`` (in this process): the .pptx. Read by test_deck.py and
    test_deck_results.py (both in the xdist group ``decks``); never written to."""
    from ntm_analysis.cli import main

    folder = tmp_path_factory.mktemp("deck-results")
    raw = folder / "raw"
    raw.mkdir()
    examples = ROOT / "data" / "examples"
    for src in (PLAN, PLAN.with_name(PLAN.stem + ".meta.json"), *examples.glob("ket-qua-2021-minh-hoa.*")):
        shutil.copy(src, raw / src.name)
    out = folder / "vi.pptx"
    assert main(["deck", "--raw", str(raw), "--processed", str(folder / "processed"), "--figures",
                 str(folder / "figures"), "--out", str(out), "--lang", "vi"]) == 0
    return out


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (``make test``: ``-n auto --dist loadgroup``), the tests that share a
    module-scoped fixture (a build, a deck) run in one worker, so that it is made once; the
    other tests are spread over the workers one by one. A module that names its group
    (``pytestmark = helpers.DECKS``: it shares a session fixture with other modules) keeps it."""
    if not config.pluginmanager.hasplugin("xdist"):  # (its mark is xdist's)
        return
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue
        fixtures = getattr(item, "_fixtureinfo", None)
        if fixtures is not None and any(defs[-1].scope == "module" for defs in fixtures.name2fixturedefs.values()):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))
