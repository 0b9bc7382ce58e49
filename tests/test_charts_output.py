"""Saving figures: slide size, SVG text kept as text, byte-identical rebuilds,
which figures ``draw_all`` draws, and no pyplot where nothing is drawn."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from chart_fixtures import SOURCE_LINE, plan_tables, results_tables
from helpers import PLAN
from matplotlib.figure import Figure
from PIL import Image

from ntm_analysis.analysis import run_all
from ntm_analysis.publishing import charts
from ntm_analysis.publishing.build import build
from ntm_analysis.publishing.charts.base import district_name, save_figure
from ntm_analysis.reference import load_reference

PLAN_STEMS = ["criteria_gaps", "ntm_ceiling", "commune_bands", "district_targets", "funding_sources"]
RESULT_STEMS = ["district_attainment", "plan_vs_actual_criteria", "funding_plan_vs_actual"]


@pytest.fixture(scope="module")
def plan():
    tables = plan_tables()
    return tables, run_all(tables, load_reference())


@pytest.fixture(scope="module")
def built(plan, tmp_path_factory):
    """Two figures drawn and saved by draw_all, twice, into two folders."""
    tables, results = plan
    some = {k: results[k] for k in ("criteria_gaps", "band_shift")}
    folders = [tmp_path_factory.mktemp(f"figures{i}") for i in range(2)]
    paths = [charts.draw_all(tables, some, folder, source_line=SOURCE_LINE, illustrative=True) for folder in folders]
    return folders, paths


def test_draw_all_writes_png_and_svg_per_figure(built):
    _, (paths, _) = built
    assert [p.name for p in paths] == ["criteria_gaps.png", "criteria_gaps.svg", "commune_bands.png",
                                       "commune_bands.svg"]


def test_png_is_a_1920_by_1080_slide_without_a_date(built):
    _, (paths, _) = built
    for path in paths:
        if path.suffix == ".png":
            with Image.open(path) as image:
                assert image.size == (1920, 1080)
                assert not any("date" in k.lower() or "time" in k.lower() for k in image.info)


def test_svg_keeps_text_as_text(built):
    _, (paths, _) = built
    svg = paths[1].read_text(encoding="utf-8")
    assert "<text" in svg and "DejaVu Sans" in svg
    assert SOURCE_LINE in svg
    assert "Số liệu minh họa" in svg
    assert "Thu nhập" in svg
    assert "<dc:date>" not in svg


def test_rebuild_gives_identical_bytes(built):
    (first, second), _ = built
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir()) and len(names) == 4
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_save_figure_closes_pyplot_figures(tmp_path):
    import matplotlib.pyplot as plt  # noqa: PLC0415  (a notebook user's figure)
    fig = plt.figure()
    fig.text(0.5, 0.5, "Lào Cai")
    paths = save_figure(fig, "notebook", tmp_path)
    assert [p.name for p in paths] == ["notebook.png", "notebook.svg"]
    assert not plt.fignum_exists(fig.number)
    with Image.open(paths[0]) as image:
        assert image.size == (1920, 1080)


@pytest.fixture
def stubbed(monkeypatch, tmp_path):
    """draw_all with every figure function replaced by a stub that records its call."""
    calls = []

    def stub(name):
        def make(*args, **kwargs):
            calls.append((name, kwargs))
            fig = Figure()
            fig.text(0.5, 0.5, name)
            return fig
        return make
    for name in PLAN_STEMS + RESULT_STEMS:
        monkeypatch.setattr(charts, name, stub(name))
    monkeypatch.setattr(charts, "save_figure", lambda fig, stem, out, **options: [out / f"{stem}.png",
                                                                                out / f"{stem}.svg"])
    return calls


def test_draw_all_draws_the_plan_figures_only_without_results(plan, stubbed, tmp_path):
    tables, results = plan
    reference = load_reference()
    paths = charts.draw_all(tables, results, tmp_path, lang="en", source_line="Source: x", reference=reference)
    assert [p.stem for p in paths[::2]] == PLAN_STEMS
    assert all(kw == {"lang": "en", "source_line": "Source: x", "illustrative": False, "reference": reference}
               for _, kw in stubbed)


def test_draw_all_adds_plan_against_results(stubbed, tmp_path):
    tables = results_tables()
    paths = charts.draw_all(tables, None, tmp_path, illustrative=True)  # runs the analyses itself
    assert [p.stem for p in paths[::2]] == PLAN_STEMS + RESULT_STEMS
    assert all(kw["illustrative"] for _, kw in stubbed)
    # no citation given: the source ids are cited
    assert stubbed[0][1]["source_line"] == "Nguồn: ke-hoach-05-KH-UBND-2021-lao-cai"


def test_draw_all_draws_nothing_without_analyses(plan, stubbed, tmp_path):
    tables, _ = plan
    assert charts.draw_all(tables, {}, tmp_path, source_line=SOURCE_LINE) == []


def test_importing_the_package_loads_no_pyplot():
    code = ("import sys, ntm_analysis; assert 'matplotlib' not in sys.modules; "
            "import ntm_analysis.publishing.charts; assert 'matplotlib.pyplot' not in sys.modules; "
            "assert 'seaborn' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_build_hands_its_reference_folder_to_the_charts(tmp_path, monkeypatch):
    """``build --reference DIR``: the names on the charts come from the same
    reference as the tables (a district added in DIR is named as DIR names it)."""
    extra = tmp_path / "reference"
    extra.mkdir()
    header = "province_code,province,area_code,area,short_name,area_en,communes,valid_from,valid_to,source"
    row = "99,Tỉnh Thử,991,Huyện Thử Nghiệm,Thử Nghiệm,Test district,12,2020-01-01,2025-06-30,test"
    (extra / "districts.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    seen = []
    monkeypatch.setattr(charts, "draw_all", lambda *args, **kwargs: seen.append(kwargs["reference"]) or [])
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(PLAN, raw / PLAN.name)
    result = build(raw, tmp_path / "processed", tmp_path / "figures", reference_dir=extra)
    assert result.exit_code == 0
    (reference,) = seen
    assert "991" in set(reference.districts["area_code"])
    assert district_name("991", "vi", reference) == "Thử Nghiệm"
    assert district_name("991", "en", reference) == "Test district"
    assert district_name("991", "vi", load_reference(), fallback="Huyện Thử Nghiệm") == "Huyện Thử Nghiệm"
