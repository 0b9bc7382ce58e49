"""Commune figures: the wall chart (A3 and per district), the near communes and
the blocking criteria; texts computed from hand-made commune tables."""
from __future__ import annotations

import hashlib

import pytest
from PIL import Image
from test_communes import TP, _cc

from ntm_analysis.analysis.commune_readiness import blocking_criteria as blocking_table
from ntm_analysis.analysis.commune_readiness import readiness
from ntm_analysis.analysis.commune_results import commune_results
from ntm_analysis.publishing.charts.base import figure_texts, save_figure
from ntm_analysis.publishing.charts.communes import (
    A3,
    A3_DPI,
    blocking_criteria,
    commune_wall,
    draw_communes,
    near_communes,
)
from ntm_analysis.reference import load_reference
from ntm_analysis.tables.tidy import TidyTables

NAMES = {2: "Giao thông", 10: "Thu nhập", 17: "Môi trường và an toàn thực phẩm"}


@pytest.fixture(scope="module")
def tables():
    two = [True] * 19
    two[1] = two[9] = False  # misses 2 and 10
    one = [True] * 19
    one[9] = False  # misses 10
    blank = [True] * 18 + [None]
    far = [True] * 10 + [False] * 9
    t = TidyTables.empty()
    t.commune_criteria = _cc({TP[0]: [True] * 19, TP[1]: two, TP[2]: one, TP[3]: blank, TP[4]: far},
                             year=2020)
    return t


def test_wall_texts_and_a3(tables, tmp_path):
    ready = readiness(tables.commune_criteria)
    fig = commune_wall(tables.commune_criteria, ready, 2020, "actual", illustrative=True, source_line="Nguồn: thử")
    texts = figure_texts(fig)
    assert texts["title"] == "Tiêu chí nông thôn mới từng xã, 2020 (thực hiện)"
    assert texts["subtitle"].startswith("1/5 xã đạt đủ 19 tiêu chí; 2 xã chỉ còn thiếu 1–3 tiêu chí; 1 xã chưa")
    paths = save_figure(fig, "wall", tmp_path, size=A3, dpi=A3_DPI)
    assert Image.open(paths[0]).size == (round(A3[0] * A3_DPI), round(A3[1] * A3_DPI))


def test_wall_of_a_district_in_english(tables):
    ready = readiness(tables.commune_criteria)
    fig = commune_wall(tables.commune_criteria, ready, 2020, "actual", "080", lang="en")
    assert figure_texts(fig)["title"] == "Lào Cai city: NTM criteria commune by commune, 2020 (actual)"
    with pytest.raises(ValueError):
        commune_wall(tables.commune_criteria, ready, 2020, "actual", "089")


def test_near_and_blocking(tables):
    ready = readiness(tables.commune_criteria)
    fig = near_communes(ready, NAMES, 2020, "actual")
    assert figure_texts(fig)["subtitle"] == ("2 xã đã được đánh giá đủ 19 tiêu chí và chỉ còn thiếu 1–3 tiêu chí; "
                                             "thiếu nhiều nhất: TC10 Thu nhập.")
    fig = blocking_criteria(blocking_table(ready), NAMES, 2020, "actual", near_total=2)
    assert figure_texts(fig)["subtitle"] == "TC10 Thu nhập: còn thiếu ở 2/2 xã gần chuẩn."
    none = near_communes(ready, NAMES, 2019, "actual")
    assert "Không có xã nào" in figure_texts(none)["subtitle"]


def test_draw_communes_is_byte_stable(tables, tmp_path):
    results = commune_results(tables, load_reference())
    first = draw_communes(tables, results, tmp_path / "a")
    second = draw_communes(tables, results, tmp_path / "b")
    stems = sorted({p.stem for p in first})
    assert stems == ["commune_blocking_2020_actual", "commune_near_2020_actual", "commune_wall_080_2020_actual",
                     "commune_wall_2020_actual"]
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in first]
    assert digest == [hashlib.sha256(p.read_bytes()).hexdigest() for p in second]
    assert draw_communes(TidyTables.empty(), {}, tmp_path / "c") == []


def test_commune_figures_take_the_reference_given(tables, tmp_path):
    """A build's --reference folder names the districts (here TP Lào Cai renamed by hand)."""
    from ntm_analysis.config import REFERENCE_DIR
    from ntm_analysis.publishing.charts.communes import commune_jobs

    rows = (REFERENCE_DIR / "districts.csv").read_text(encoding="utf-8").splitlines()
    header, lao_cai = rows[0], [r for r in rows[1:] if r.startswith("10,")]
    lao_cai = [r.replace(",TP Lào Cai,", ",TP Thử Nghiệm,") for r in lao_cai]
    folder = tmp_path / "reference"
    folder.mkdir()
    (folder / "districts.csv").write_text("\n".join([header, *lao_cai]) + "\n", encoding="utf-8")
    reference = load_reference(folder)
    results = commune_results(tables, reference)
    jobs = {job.stem: job for job in commune_jobs(tables, results, reference=reference)}
    assert figure_texts(jobs["commune_wall_080_2020_actual"].draw())["title"].startswith("TP Thử Nghiệm:")
    packaged = {job.stem: job for job in commune_jobs(tables, results)}
    assert figure_texts(packaged["commune_wall_080_2020_actual"].draw())["title"].startswith("TP Lào Cai:")


def test_each_commune_figure_cites_only_the_commune_table_it_draws(tables):
    """Two commune tables (2020 actual, illustrative; 2021 target, not): each figure names its own."""
    import pandas as pd

    from ntm_analysis.publishing.charts.communes import commune_jobs

    two = TidyTables.empty()
    later = _cc({code: [True] * 19 for code in TP[:3]}, year=2021, status="target", source="xa-2021")
    two.commune_criteria = pd.concat([tables.commune_criteria.assign(source_id="xa-2020"), later],
                                     ignore_index=True)
    sources = pd.DataFrame({"source_id": ["plan", "xa-2020", "xa-2021"],
                            "citation": ["Kế hoạch số 05/KH-UBND", "Bảng xã 2020 (minh họa)", "Bảng xã 2021"],
                            "illustrative": ["False", "True", "False"]})
    jobs = {job.stem: job for job in commune_jobs(two, commune_results(two, load_reference()), sources=sources)}
    wall_2020 = figure_texts(jobs["commune_wall_2020_actual"].draw())
    assert wall_2020["source"] == "Nguồn: Bảng xã 2020 (minh họa)" and "illustrative" in wall_2020
    near_2021 = figure_texts(jobs["commune_near_2021_target"].draw())
    assert near_2021["source"] == "Nguồn: Bảng xã 2021" and "illustrative" not in near_2021
    assert jobs["commune_wall_2021_target"].source_ids == ("xa-2021",)
