"""Sets of sources without a plan (commune tables, results, corrections, of one or
several provinces) build: findings, never a crash (issue 20: two provinces' commune
tables and no plan ended in ``KeyError: 'source_id'``, exit 3).

The figures are drawn (every drawing function runs) but not rasterised: saving a PNG
and an SVG is what the figure tests check, and would make each build here slow."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import ROOT

from ntm_analysis.publishing import charts
from ntm_analysis.publishing.build import build
from ntm_analysis.publishing.commune_template import write_communes_template
from ntm_analysis.reading.metadata import citations, sources_frame

EXAMPLES = ROOT / "data" / "examples"
#: Sources that are not a plan: the package's results and correction, and blank commune
#: tables of two small provinces (48 Đà Nẵng: 11 communes; 92 Cần Thơ: 36). (The commune
#: examples of Lào Cai, 127 communes each, are built by test_communes_examples.)
RESULTS, CORRECTION = "ket-qua-2021-minh-hoa", "dieu-chinh-2020-lao-cai"
SETS = [
    (RESULTS,), (CORRECTION,), ("xa-48",),
    ("xa-48", "xa-92"),  # the case reported: commune tables of two provinces
    (RESULTS, "xa-48"),  # results of one province, a commune table of another
    (RESULTS, CORRECTION, "xa-48", "xa-92"),
]


def _put(name: str, raw: Path) -> None:
    if name.startswith("xa-") and name[3:].isdigit():
        write_communes_template(2021, raw / f"{name}.xlsx", name[3:], "actual")
        return
    for suffix in (".xlsx", ".meta.json"):
        shutil.copy(EXAMPLES / f"{name}{suffix}", raw / f"{name}{suffix}")


@pytest.fixture
def unsaved(monkeypatch):
    """Figures drawn in this process and not saved (empty files under their names)."""
    def save(fig, stem, out_dir, **_options):
        paths = [Path(out_dir) / f"{stem}.{ext}" for ext in ("png", "svg")]
        for path in paths:
            path.write_bytes(b"")
        return paths
    monkeypatch.setattr(charts, "save_figure", save)


@pytest.mark.parametrize("names", SETS, ids=["+".join(s) for s in SETS])
def test_a_set_of_sources_without_a_plan_builds(names, tmp_path, unsaved):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in names:
        _put(name, raw)
    result = build(raw, tmp_path / "processed", tmp_path / "figures", workers=1)
    assert result.exit_code == 0, [f.message for f in result.findings.errors]
    written = (tmp_path / "processed" / "sources.csv").read_text(encoding="utf-8")
    assert all(f"{name}.xlsx" in written for name in names)


def test_a_figure_drawing_no_source_cites_nothing():
    assert citations(sources_frame([])) == {}
