"""The deck with results for two planned years (issue 21: "several years: the latest
comparison first, earlier ones after"). Plan 05/KH-UBND with the illustrative 2021 results
of data/examples, and a second, illustrative plan for 2020 made here from plan 05 moved one
year back (its 2020 targets are plan 05's 2021 column, its 2019 base plan 05's 2020 column),
so that plan 05's own 2020 column is the 2020 actual it is compared with. Expected values
are typed from ../shared/source/plan-05-KH-UBND-2021-lao-cai.md, Biểu 01: of the 19 criteria,
the end-2020 count reaches the end-2021 column only for criteria 3 (127/127), 8 (120/120),
12 (127/127) and 15 (120/120): 4/19."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from helpers import PLAN, ROOT
from pptx import Presentation

from ntm_analysis.cli import main

EXAMPLES = ROOT / "data" / "examples"
PLAN_2020 = "ke-hoach-2020-minh-hoa"


def plan_a_year_back(raw: Path) -> Path:
    """Plan 05 moved one year back, marked illustrative: every "2020" of its titles and
    headers reads "2019" and every "2021" "2020"; the numbers stay as the plan prints them."""
    wb = openpyxl.load_workbook(PLAN)
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "202" in cell.value:
                    cell.value = cell.value.replace("2020", "2019").replace("2021", "2020")
    out = raw / f"{PLAN_2020}.xlsx"
    wb.save(out)
    meta = json.loads(PLAN.with_name(PLAN.stem + ".meta.json").read_text(encoding="utf-8"))
    for key in ("sha256", "transcription_note"):
        meta.pop(key, None)
    for appendix in meta.get("appendices", []):
        appendix["name"] = appendix["name"].replace("2021", "2020")
    meta.update(source_id=PLAN_2020, year=2020, document_number="", document_date="2020-01-10", issuer="",
                citation="Số liệu minh họa: kế hoạch năm 2020 (dựng từ Kế hoạch 05/KH-UBND, lùi một năm)",
                illustrative=True)
    (raw / f"{PLAN_2020}.meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    return out


def _texts(slide, name: str) -> list[str]:
    return [" ".join(s.text_frame.text.split()) for s in slide.shapes if s.name == name and s.has_text_frame]


@pytest.fixture(scope="module")
def two_years(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("deck-years")
    raw = folder / "raw"
    raw.mkdir()
    for src in (PLAN, PLAN.with_name(PLAN.stem + ".meta.json"), *EXAMPLES.glob("ket-qua-2021-minh-hoa.*")):
        shutil.copy(src, raw / src.name)
    plan_a_year_back(raw)
    out = folder / "vi.pptx"
    assert main(["deck", "--raw", str(raw), "--processed", str(folder / "processed"), "--figures",
                 str(folder / "figures"), "--out", str(out)]) == 0
    return out


def test_latest_comparison_first_then_the_earlier(two_years):
    prs = Presentation(two_years)
    titles = [_texts(s, "title")[0] for s in prs.slides]
    assert "kết quả thực hiện năm 2021" in _texts(prs.slides[0], "told")[0]
    assert "2020" in _texts(prs.slides[0], "told")[0]  # the earlier year named on the title slide
    # 2021 first (criteria, districts, funding), then 2020 (criteria: plan 05's 2020 column
    # against the illustrative 2020 plan; no district or funding results for 2020)
    assert titles[2].startswith("6/19 tiêu chí đạt kế hoạch năm 2021")
    assert "chỉ tiêu cấp huyện đạt kế hoạch năm 2021" in titles[3]
    assert titles[4].startswith("Năm 2021 huy động")
    assert titles[5].startswith("4/19 tiêu chí đạt kế hoạch năm 2020")
    assert not any("đạt kế hoạch năm 2020" in t for t in titles[6:])  # once
    # the 2020 slide draws the 2020 plan (illustrative) and plan 05 (its 2020 column), not the 2021 results
    footer = _texts(prs.slides[5], "footer")[0]
    assert "lùi một năm" in footer and "05/KH-UBND ngày 12/01/2021" in footer and "tạo bởi" not in footer
    assert any(s.name == "illustrative" for s in prs.slides[5].shapes)
    notes = prs.slides[5].notes_slide.notes_text_frame.text
    # criterion 18: 101 communes planned for the end of 2021 (here 2020), 78 at the end of 2020
    assert "18. Hệ thống chính trị và tiếp cận pháp luật, 2020 (kế hoạch): 101 xã" in notes
    assert "18. Hệ thống chính trị và tiếp cận pháp luật, 2020 (thực hiện): 78 xã" in notes
    assert "2021 (" not in notes
