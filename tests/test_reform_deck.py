"""The deck and the figures of a 2025 province (issue 22 §4, the lead's decision): with plan 05/KH-UBND,
old Lào Cai's and old Yên Bái's 2020 commune tables (laid out by other hands, test_reform.py) and the
illustrative 2026 table of new Lào Cai (data/examples/lao-cai-2026), the deck tells new Lào Cai first
(its communes on the 10 criteria, its timeline), then old Lào Cai's 2021 plan as a section titled for the
old province. Also: the ``units`` column of every table, the ranking naming provinces by their unit
system, English place names on the timeline.

Expected values: the 2026 NTM communes are counted from the example's cells with openpyxl
(``test_reform.marks_2026``), not by the package; the section's title and the plan's citation are typed
from the lead's decision and plan 05's heading (../shared/source/plan-05-KH-UBND-2021-lao-cai.md)."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import PLAN
from pptx import Presentation
from test_reform import EXAMPLE_2026, lao_cai_2020, marks_2026, yen_bai_2020

from ntm_analysis import units
from ntm_analysis.cli import main
from ntm_analysis.publishing.charts.base import figure_texts
from ntm_analysis.reference import load_reference
from ntm_analysis.tables.schemas import TABLES

PLAN_05 = "Kế hoạch số 05/KH-UBND ngày 12/01/2021 của UBND tỉnh Lào Cai"


def _titles(path: Path) -> list[str]:
    out = []
    for slide in Presentation(str(path)).slides:
        title = [s for s in slide.shapes if s.name == "title"]
        out.append(" ".join(title[0].text_frame.text.split()) if title else "")
    return out


def _footers(path: Path) -> list[str]:
    return [" ".join(next((s.text_frame.text for s in slide.shapes if s.name == "footer"), "").split())
            for slide in Presentation(str(path)).slides]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reform-deck")
    raw = folder / "data" / "raw"
    raw.mkdir(parents=True)
    for path in (PLAN, PLAN.with_name(PLAN.stem + ".meta.json")):
        shutil.copy(path, raw / path.name)
    lao_cai_2020(raw)
    yen_bai_2020(raw)
    for src in EXAMPLE_2026.parent.glob("xa-tieu-chi-2026-*"):  # (the folder holds Yên Bái 2020 too)
        shutil.copy(src, raw / src.name)
    assert main(["deck", "--project", str(folder)]) == 0
    assert main(["deck", "--project", str(folder), "--lang", "en", "--out",
                 str(folder / "reports" / "briefing-en.pptx")]) == 0
    return folder


def test_every_table_says_its_units_and_keys_by_them():
    for name, table in TABLES.items():
        assert "units" in table.columns, name
        assert "units" in table.keys, name


def test_plan_05_tables_and_analyses_are_in_the_2021_units(project):
    processed = project / "data" / "processed"
    for name in ("criteria", "province", "districts", "funding", "commune_bands", "province_overview",
                 "criteria_gaps", "district_overview"):
        frame = pd.read_csv(processed / f"{name}.csv", dtype=str, keep_default_na=False)
        plan = frame[frame.source_id.str.contains("05-KH-UBND")] if "source_id" in frame else frame
        plan = plan[plan.province_code == "10"]
        assert len(plan) and set(plan.units) == {"2021"}, name


def test_the_deck_tells_the_2025_province_first_then_old_lao_cai(project):
    titles = _titles(project / "reports" / "briefing.pptx")
    assert titles[0].endswith("tỉnh Lào Cai")
    marks = marks_2026()
    ntm = sum(all(m) for m in marks.values())  # counted from the cells: communes with all 10 "Đ"
    wall = next(i for i, t in enumerate(titles) if t.startswith("2026 (thực hiện):"))
    assert f"{ntm}/{len(marks)} xã đạt đủ 10 tiêu chí" in titles[wall]
    timeline = next(i for i, t in enumerate(titles) if t.startswith("2020 (thực hiện):") and "2026" in t)
    made_of = next(i for i, t in enumerate(titles) if t.startswith("Tỉnh Lào Cai: 99 xã, phường từ 01/7/2025"))
    assert titles[made_of].endswith("hình thành từ các xã của tỉnh Lào Cai và tỉnh Yên Bái")
    section = titles.index("Tỉnh Lào Cai (trước 1/7/2025): kế hoạch năm 2021")
    findings = titles.index("Những điểm chưa khớp trong văn bản")
    assert wall < made_of < timeline < section < findings
    plan_slides = titles[section + 1:findings]
    assert len(plan_slides) >= 5 and all(t.startswith("Tỉnh Lào Cai: ") or t.startswith("Chỉ tiêu năm 2021")
                                         for t in plan_slides)


def test_what_the_new_communes_were_made_of(project):
    """The 2020 tables hold 127 xã of old Lào Cai (plan 05, Biểu 01) and 150 of old Yên Bái (the GSO list):
    277 old xã, every one with figures; the slide cites the two commune tables, not the plan."""
    prs = Presentation(str(project / "reports" / "briefing.pptx"))
    slide = next(s for s in prs.slides if any(sh.name == "made_of" for sh in s.shapes))
    text = " ".join(next(sh for sh in slide.shapes if sh.name == "made_of").text_frame.text.split())
    assert "có số liệu của 277 xã cũ" in text
    footer = " ".join(next(sh for sh in slide.shapes if sh.name == "footer").text_frame.text.split())
    assert footer == "Nguồn: bảng thử lao-cai-xa-2020; bảng thử yen-bai-xa-2020"


def test_old_lao_cai_slides_cite_plan_05_alone(project):
    path = project / "reports" / "briefing.pptx"
    titles, footers = _titles(path), _footers(path)
    section = titles.index("Tỉnh Lào Cai (trước 1/7/2025): kế hoạch năm 2021")
    table = titles.index("Chỉ tiêu năm 2021 của các huyện, thị xã, thành phố")
    assert footers[table] == f"Nguồn: {PLAN_05}"
    assert all(PLAN_05 in f and "2026" not in f for f in footers[section + 1:table])


def test_the_english_deck_names_the_old_province_in_english(project):
    titles = _titles(project / "reports" / "briefing-en.pptx")
    assert "Lào Cai province (before 1 July 2025): the plan for 2021" in titles
    assert titles[0].endswith("Lào Cai province")


def test_the_2025_wall_chart_draws_blanks_as_not_assessed():
    """Three communes of new Lào Cai on the 10 criteria, one mark blank: a NaN cell (hatched, never
    'not met'), 9 criteria assessed for that commune."""
    from ntm_analysis.analysis.commune_readiness import readiness
    from ntm_analysis.publishing.charts.communes import _wall_rows, commune_wall
    from ntm_analysis.tables.tidy import frame_from_rows

    marks = {"02647": [True] * 10, "02683": [True] * 9 + [False], "02905": [True] * 4 + [None] + [True] * 5}
    names = {"02647": "Phường Lào Cai", "02683": "Xã Bát Xát", "02905": "Xã Bảo Thắng"}
    rows = [{"province_code": "15", "units": "2025", "year": 2026, "status": "actual", "criteria_set": "2026-2030",
             "commune_code": code, "commune": names[code], "district_code": None, "criterion_id": i + 1,
             "criterion_met": met, "source_id": "t", "cell": f"A{i}"}
            for code, values in marks.items() for i, met in enumerate(values)]
    cc = frame_from_rows("commune_criteria", rows)
    ready = readiness(cc)
    matrix, labels, heads, counts = _wall_rows(cc, ready[ready.commune_code.isin(marks)], "vi", True,
                                               load_reference(), 10)
    assert matrix.shape == (3, 10) and heads == []
    blank = labels.index("Bảo Thắng")
    assert np.isnan(matrix[blank, 4]) and np.nansum(matrix[blank]) == 9 and counts[blank] == "9/9"
    fig = commune_wall(cc, ready, 2026, "actual", lang="vi", reference=load_reference())
    assert figure_texts(fig)["subtitle"].startswith("1/3 xã đạt đủ 10 tiêu chí")


def test_ranking_names_provinces_by_their_unit_system():
    """Old Yên Bái ('15', 2021: 75/150 = 50 %) and new Lào Cai ('2025-15': 57/127 = 44,9 %) in one
    ranking: two provinces, each named by its own system."""
    from ntm_analysis.publishing.charts.provinces import province_ranking, province_short
    from ntm_analysis.tables.tidy import frame_from_rows

    reference = load_reference()
    assert province_short("15", reference) == "Yên Bái"
    assert province_short("2025-15", reference) == "Lào Cai (đơn vị hành chính từ 01/7/2025)"
    rows = [{"province_code": "15", "units": units_of, "year": 2020, "status": "actual", "total_communes": total,
             "ntm_communes": ntm, "ntm_share_pct": 100 * ntm / total, "source_id": src, "cell": "A1"}
            for units_of, total, ntm, src in (("2021", 150, 75, "yb"), ("2025", 127, 57, "lc"))]
    overview = frame_from_rows("province_overview", rows)
    fig = province_ranking(overview, (2020, "actual"), "2025-15", lang="vi", reference=reference)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks == ["Yên Bái", "Lào Cai (đơn vị hành chính từ 01/7/2025)"]  # highest first: 50 %, 44,9 %
    assert "Lào Cai (đơn vị hành chính từ 01/7/2025) đứng thứ 2/2" in figure_texts(fig)["subtitle"]


def test_english_timeline_names_places_in_english(project):
    from ntm_analysis import pipeline
    from ntm_analysis.publishing.charts.timeline import timeline_jobs
    from ntm_analysis.publishing.deck.data import load_deck_data
    from ntm_analysis.publishing.deck.notes import figure_notes

    assert units.province_name("15", "2025", "en") == "Lào Cai province"
    assert units.province_name("15", "2021", "en") == "Yên Bái province"
    loaded = pipeline.load(project / "data" / "processed", "en")
    (_stem, draw, _options), = timeline_jobs(loaded.results, lang="en")
    assert figure_texts(draw())["title"].startswith("Lào Cai province: ")
    data = load_deck_data(project / "data" / "processed", "en")
    timeline = data.results["province_timeline"].assign(complete=False, provinces_missing="15")
    view = data.__class__(**{**data.__dict__, "results": data.results | {"province_timeline": timeline}})
    notes = figure_notes(view, "province_timeline", "en")
    assert any("Yên Bái province" in line for line in notes) and not any("Tỉnh Yên Bái" in line for line in notes)


def test_notebook_05_draws_the_2026_communes_on_the_10_criteria():
    """Notebook 05's cell (``notebooks.communes.new_unit_walls``) on the 2026 example: one wall chart,
    the NTM count as the example's cells give it."""
    from ntm_analysis.analysis.commune_readiness import readiness
    from ntm_analysis.findings import Findings
    from ntm_analysis.notebooks.communes import ReformData, new_unit_walls
    from ntm_analysis.reading.reader import read_source

    cc = read_source(EXAMPLE_2026).tables.commune_criteria
    ready = readiness(cc)
    reform = ReformData(ready, pd.DataFrame(), pd.DataFrame(), Findings(), marks=cc)
    walls = new_unit_walls(reform, lang="vi", reference=load_reference())
    assert [stem for stem, _fig in walls] == ["commune_wall_2026_actual"]
    marks = marks_2026()
    ntm = sum(all(m) for m in marks.values())
    assert figure_texts(walls[0][1])["subtitle"].startswith(f"{ntm}/{len(marks)} xã đạt đủ 10 tiêu chí")
