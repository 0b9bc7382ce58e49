"""The deck when results arrive (issue 21): plan 05/KH-UBND with the illustrative 2021
results of data/examples, full and with Biểu 03's detail lines missing. Expected values
are typed from the plan (../shared/source/plan-05-KH-UBND-2021-lao-cai.md: Biểu 01
2021 targets 72 NTM communes, 16,15 criteria, criterion 18 in 101 communes; Biểu 02
province row; Biểu 03 total 661.500) and from the example's figures
(scripts/make_example_results.py: 70 communes, 15,92, criterion 18 in 96, 598.400;
the partial file 600.000), the ratios worked out by hand."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import DECKS, PLAN, ROOT
from pptx import Presentation

from ntm_analysis.cli import main

EXAMPLES = ROOT / "data" / "examples"
pytestmark = DECKS  # with test_deck.py, the deck with results made once


def _deck(folder: Path, example: str, lang: str = "vi") -> Presentation:
    raw = folder / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for src in (PLAN, PLAN.with_name(PLAN.stem + ".meta.json"), *EXAMPLES.glob(f"{example}.*")):
        shutil.copy(src, raw / src.name)
    out = folder / f"{lang}.pptx"
    args = ["deck", "--raw", str(raw), "--processed", str(folder / "processed"), "--figures",
            str(folder / "figures"), "--out", str(out), "--lang", lang]
    assert main(args) == 0
    return Presentation(out)


@pytest.fixture(scope="module")
def full(deck_with_results) -> Presentation:
    return Presentation(deck_with_results)  # (conftest: made once for this module and test_deck.py)


@pytest.fixture(scope="module")
def partial(tmp_path_factory) -> Presentation:
    return _deck(tmp_path_factory.mktemp("deck-partial"), "ket-qua-2021-thieu-chi-tiet-minh-hoa")


def _texts(slide, name: str) -> list[str]:
    return [" ".join(s.text_frame.text.split()) for s in slide.shapes if s.name == name and s.has_text_frame]


def _titles(prs) -> list[str]:
    return [_texts(s, "title")[0] for s in prs.slides]


def test_title_slide_tells_plan_against_results(full):
    slide = full.slides[0]
    assert _texts(slide, "period") == ["So sánh: 2021 (kế hoạch) → 2021 (thực hiện)"]
    assert "kết quả thực hiện năm 2021 so với kế hoạch năm 2021" in _texts(slide, "told")[0]


def test_key_figures_are_results_against_the_plan(full):
    slide = full.slides[1]
    heads, values, notes = _texts(slide, "card_head"), _texts(slide, "card_value"), _texts(slide, "card_note")
    cards = dict(zip(heads, zip(values, notes)))
    # 70 of 72 planned: 2 short, 70/72 = 97,2 %
    assert cards["Xã đạt chuẩn NTM năm 2021: thực hiện / kế hoạch"] == \
        ("70 / 72", "Chưa đạt kế hoạch: thiếu 2 xã (97,2% kế hoạch).")
    # 15,92 of 16,15: 0,23 short, 98,6 %
    assert cards["Tiêu chí bình quân/xã năm 2021: thực hiện / kế hoạch"] == \
        ("15,92 / 16,15", "Chưa đạt kế hoạch: thiếu 0,23 tiêu chí (98,6% kế hoạch).")
    # criteria 2, 3, 8, 12, 13, 15 reach their 2021 target; criterion 18 is 96 of 101
    value, note = cards["Tiêu chí có số xã đạt bằng kế hoạch năm 2021"]
    assert value == "6/19" and "Hệ thống chính trị" in note and "(96/101 xã)" in note
    # 598.400 of 661.500 million VND: 63.100 short, 90,5 %
    value, note = cards["Vốn huy động năm 2021 (triệu đồng): thực hiện / kế hoạch"]
    assert value == "598.400 / 661.500" and "thiếu 63.100 triệu đồng (90,5% kế hoạch)" in note
    # Biểu 02's province row: poverty reduction 3,1 ≥ 3 and latrines 79,6 ≥ 79 met; new NTM
    # communes 9 < 15, average 15,92 < 16,15, water 95,3 < 95,5, jobs 13.260 < 13.500, insurance 98,4 < 98,5
    value, note = cards["Chỉ tiêu toàn tỉnh (Biểu 02) đạt kế hoạch năm 2021"]
    assert value == "2/7" and note.startswith("Chưa đạt: Số xã đạt chuẩn NTM mới")
    # the district card says what it sums and that the province is not in it
    head = next(h for h in heads if h.startswith("Chỉ tiêu của 9 huyện"))
    assert "cặp huyện × chỉ tiêu" in cards[head][1] and "không gồm chỉ tiêu toàn tỉnh" in cards[head][1]


def test_results_slides_first_and_headlines(full):
    titles = _titles(full)
    # the plan against the results opens the deck, the plan's own figures follow
    assert titles[2].startswith("6/19 tiêu chí đạt kế hoạch năm 2021") and "(−5)" in titles[2]
    assert "chỉ tiêu cấp huyện đạt kế hoạch năm 2021" in titles[3]
    assert titles[4].startswith("Năm 2021 huy động 598.400/661.500 triệu đồng kế hoạch (90,5%)")
    assert titles.index("Những con số chính") == 1


def test_partial_funding_drawn_as_its_total(partial):
    titles = _titles(partial)
    funding = next(t for t in titles if t.startswith("Năm 2021 huy động"))
    # the total 600.000 against 661.500 = 90,7 %, never "0/–"
    assert funding.startswith("Năm 2021 huy động 600.000/661.500 triệu đồng kế hoạch (90,7%)")
    assert "chưa có các dòng chi tiết" in funding and "0/–" not in funding
    cards = dict(zip(_texts(partial.slides[1], "card_head"), _texts(partial.slides[1], "card_value")))
    assert cards["Vốn huy động năm 2021 (triệu đồng): thực hiện / kế hoạch"] == "600.000 / 661.500"


def test_each_slide_cites_its_own_sources_once(full):
    for slide in list(full.slides)[1:-1]:
        footer = _texts(slide, "footer")[0]
        assert footer.count("Kế hoạch số 05/KH-UBND") <= 1
    # the plan's own figures (2020 → 2021 plan) do not cite the 2021 results
    titles = _titles(full)
    ceiling = full.slides[next(i for i, t in enumerate(titles) if "tiêu chí Thu nhập, nên nhiều nhất" in t)]
    assert "Số liệu minh họa" not in _texts(ceiling, "footer")[0]


def test_every_figure_has_its_notes():
    from ntm_analysis.publishing.charts import FIGURES
    from ntm_analysis.publishing.deck.notes import FIGURE_NOTES

    assert set(FIGURES) <= set(FIGURE_NOTES)


def test_most_and_fewest_only_when_the_districts_differ():
    import pandas as pd

    from ntm_analysis.publishing.charts import district_attainment, figure_texts

    def frame(second_met: bool) -> pd.DataFrame:
        rows = [(2021, code, area, indicator, 1.0, 1.0, 0.0, 100.0, True)
                for code, area in (("080", "Thành phố Lào Cai"), ("082", "Huyện Bát Xát"))
                for indicator in ("new_ntm_communes", "avg_criteria")]
        rows[-1] = rows[-1][:4] + (16.2, 15.0, -1.2, 92.6, second_met)
        return pd.DataFrame(rows, columns=["year", "area_code", "area", "indicator", "target", "actual", "gap",
                                           "attainment_pct", "met"])

    even = " ".join(figure_texts(district_attainment(frame(True)))["subtitle"].split())
    assert even == "4/4 chỉ tiêu cấp huyện đạt kế hoạch năm 2021."  # 2/2 and 2/2: no "most / fewest"
    uneven = " ".join(figure_texts(district_attainment(frame(False)))["subtitle"].split())
    assert "đạt nhiều nhất (2/2)" in uneven and "ít nhất (1/2)" in uneven
