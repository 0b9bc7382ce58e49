"""Every slide has content (issue 21), a district with nothing assessed is one line of
text, and the new province's story across the 2025 reform has its slide (issue 22).
Expected values typed from ../shared/source/plan-05-KH-UBND-2021-lao-cai.md (Biểu 01:
57 of 127 communes NTM at the end of 2020, 57/127 = 44,88…% → 44,9%) and from the
examples' own layout (the 2020 commune table: Si Ma Cai's 9 communes, rows of "Bảng xã")."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from helpers import DECKS, PLAN, ROOT
from pptx import Presentation

from ntm_analysis.cli import main

EXAMPLES = ROOT / "data" / "examples"
pytestmark = DECKS  # reads the deck with results made once for test_deck*.py (conftest)
COMMUNES_2020 = "xa-tieu-chi-2020-thuc-hien-minh-hoa"


def _build(folder: Path, *files: Path) -> Presentation:
    raw = folder / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for src in (PLAN, PLAN.with_name(PLAN.stem + ".meta.json"), *files):
        if not (raw / src.name).exists():
            shutil.copy(src, raw / src.name)
    out = folder / "vi.pptx"
    assert main(["deck", "--raw", str(raw), "--processed", str(folder / "processed"), "--figures",
                 str(folder / "figures"), "--out", str(out)]) == 0
    return Presentation(out)


def _text(shape) -> str:
    return " ".join(shape.text_frame.text.split()) if shape.has_text_frame else ""


@pytest.fixture(scope="module")
def blank_district(tmp_path_factory) -> Presentation:
    """The 2020 commune table with every mark of Si Ma Cai's communes left blank."""
    folder = tmp_path_factory.mktemp("deck-blank-district")
    raw = folder / "raw"
    raw.mkdir()
    wb = openpyxl.load_workbook(EXAMPLES / f"{COMMUNES_2020}.xlsx")
    ws = wb["Bảng xã"]
    blanked = 0
    for row in ws.iter_rows(min_row=6):
        if row[3].value == "Huyện Si Ma Cai":
            blanked += 1
            for cell in row[4:23]:  # TC1 … TC19
                cell.value = None
    assert blanked == 9
    wb.save(raw / f"{COMMUNES_2020}.xlsx")
    shutil.copy(EXAMPLES / f"{COMMUNES_2020}.meta.json", raw / f"{COMMUNES_2020}.meta.json")
    return _build(folder)


@pytest.fixture(scope="module")
def reform(tmp_path_factory) -> Presentation:
    """Plan 05, the 2020 commune table (old Lào Cai) and the 2026 table of the new Lào Cai."""
    files = [*EXAMPLES.glob(f"{COMMUNES_2020}.*"), *(EXAMPLES / "lao-cai-2026").glob("xa-tieu-chi-2026-*")]
    return _build(tmp_path_factory.mktemp("deck-reform"), *files)


def test_a_district_with_nothing_assessed_is_one_line(blank_district):
    titles = [_text(s.shapes[0]) for s in blank_district.slides]
    assert not any("Si Ma Cai" in t for t in titles)  # no slide of hatching
    lines = [_text(shape) for slide in blank_district.slides for shape in slide.shapes if shape.name == "no_data"]
    assert len(lines) == 1 and "Si Ma Cai" in lines[0] and "chưa có số liệu" in lines[0]
    # the eight other districts keep their wall chart
    assert sum(", " in t and t.startswith("2020 (thực hiện), ") for t in titles) == 8


def test_the_new_province_across_the_reform(reform):
    slides = [s for s in reform.slides if any(x.name == "title" and "đơn vị 2025" in _text(x) for x in s.shapes)]
    assert len(slides) == 1
    slide = slides[0]
    title = next(_text(x) for x in slide.shapes if x.name == "title")
    assert title.startswith("2020 (thực hiện): 44,9% (57/127 xã, đơn vị 2021); 2026 (thực hiện):")
    assert any(x.name == "figure" for x in slide.shapes)
    assert any(x.name == "illustrative" for x in slide.shapes)  # both tables are illustrative
    notes = slide.notes_slide.notes_text_frame.text
    assert "2020 (thực hiện), đơn vị 2021, Bộ tiêu chí 2016–2020: 57/127 xã đạt chuẩn NTM, 44,9%" in notes
    assert "chưa đủ số liệu (thiếu: Tỉnh Yên Bái)" in notes  # the old Yên Bái's communes are not given
    assert "2026 (thực hiện), đơn vị 2025, Bộ tiêu chí 2026–2030" in notes
    assert "không so sánh từng tiêu chí" in notes  # criteria_sets_compared, from validation.csv
    footer = next(_text(x) for x in slide.shapes if x.name == "footer")
    assert "thực hiện 2020" in footer and "2026" in footer and "Kế hoạch số 05" not in footer.split(", dựng")[0]


def test_every_slide_has_a_title_and_content(blank_district, reform, deck_with_results):
    # one year of the province's timeline (the 2020 commune table alone) is no story over the years: no slide
    assert not any("Hai bộ tiêu chí khác nhau" in _text(s.shapes[0]) for s in blank_district.slides)
    for prs in (blank_district, reform, Presentation(deck_with_results)):
        for n, slide in enumerate(prs.slides, start=1):
            names = {s.name for s in slide.shapes}
            title = next((_text(s) for s in slide.shapes if s.name == "title"), "")
            assert title, f"slide {n} has no title"
            body = [s for s in slide.shapes if s.name not in ("title", "footer", "slide_number", "illustrative")]
            assert any(s.name == "figure" or getattr(s, "has_table", False) and s.has_table or _text(s)
                       for s in body), f"slide {n} ({title}) has nothing but its title: {sorted(names)}"
