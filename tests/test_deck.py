"""The briefing deck (issue 11): re-opened with python-pptx, checked against
figures typed from plan 05/KH-UBND (Biểu 01, 02) and against the charts."""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from helpers import DECKS, PLAN, ROOT
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from pptx import Presentation
from pptx.util import Emu

from ntm_analysis.cli import main
from ntm_analysis.publishing.charts.base import text_width
from ntm_analysis.publishing.deck import LINE, SLACK, build_deck

EXAMPLES = ROOT / "data" / "examples"
pytestmark = DECKS  # with test_deck_results.py, the deck with results made once
TITLE_VI = "Tình hình thực hiện Chương trình MTQG xây dựng nông thôn mới tỉnh Lào Cai"


def _raw(folder: Path, with_results: bool) -> Path:
    raw = folder / "raw"
    raw.mkdir(parents=True)
    for src in (PLAN, PLAN.with_name(PLAN.stem + ".meta.json")):
        shutil.copy(src, raw / src.name)
    if with_results:
        for src in EXAMPLES.glob("ket-qua-2021-minh-hoa.*"):
            shutil.copy(src, raw / src.name)
    return raw


def _deck(folder: Path, out: Path, lang: str = "vi") -> Path:
    args = ["deck", "--raw", str(folder / "raw"), "--processed", str(folder / "processed"),
            "--figures", str(folder / "figures"), "--out", str(out), "--lang", lang]
    assert main(args) == 0
    return out


@pytest.fixture(scope="module")
def plan_decks(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("deck-plan")
    _raw(folder, with_results=False)
    return {"vi": _deck(folder, folder / "vi.pptx"), "vi_again": _deck(folder, folder / "again" / "vi.pptx"),
            "en": _deck(folder, folder / "en.pptx", "en"), "processed": folder / "processed"}


@pytest.fixture(scope="module")
def results_deck(deck_with_results) -> Path:
    return deck_with_results  # (conftest: made once for this module and test_deck_results.py)


def _texts(slide, name: str) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.name == name and s.has_text_frame]


def _title(slide) -> str:
    return " ".join(_texts(slide, "title")[0].split())


def _has_banner(slide) -> bool:
    return any(s.name == "illustrative" for s in slide.shapes)


# ----------------------------------------------------------- structure -----
def test_slides_titles_and_order(plan_decks):
    prs = Presentation(plan_decks["vi"])
    titles = [_title(s) for s in prs.slides]
    # title, key figures, 5 figures + the native table after district targets, findings, context, sources
    assert len(titles) == 11
    assert titles[0] == TITLE_VI
    assert titles[1] == "Những con số chính"
    assert titles[6] == "Chỉ tiêu năm 2021 của các huyện, thị xã, thành phố"
    assert titles[8] == "Những điểm chưa khớp trong văn bản"
    assert titles[10] == "Nguồn số liệu và phương pháp"
    # computed findings as titles: Biểu 01 gives 77 communes for income and 80 for poverty in 2021
    assert "Thu nhập (77)" in titles[2] and "Hộ nghèo (80)" in titles[2]
    assert "chỉ 77 xã đạt tiêu chí Thu nhập" in titles[3]
    # the context slide: 57 of 127 communes = 44,9 %; country 63,4 % (4/2021); 72 of 127 = 56,7 %
    assert "44,9%" in titles[9] and "57/127" in titles[9] and "63,4%" in titles[9] and "56,7%" in titles[9]


def test_figure_titles_are_the_chart_subtitles(plan_decks):
    from ntm_analysis.publishing.charts import figure_jobs, figure_texts
    from ntm_analysis.publishing.deck import load_deck_data

    data = load_deck_data(plan_decks["processed"])
    subtitles = []
    for _, draw in figure_jobs(data.tables, data.results, "vi", "Nguồn: x"):
        fig = draw()
        subtitles.append(" ".join(figure_texts(fig)["subtitle"].split()))
    titles = [_title(s) for s in Presentation(plan_decks["vi"]).slides]
    figure_titles = titles[2:6] + titles[7:8]
    assert figure_titles == subtitles


def test_title_slide_period_and_data_date(plan_decks):
    slide = Presentation(plan_decks["vi"]).slides[0]
    assert _texts(slide, "period") == ["So sánh: 2020 (thực hiện) → 2021 (kế hoạch)"]
    assert "ngày 12/01/2021" in _texts(slide, "data_date")[0]


def test_key_figures_in_native_text(plan_decks):
    slide = Presentation(plan_decks["vi"]).slides[1]
    values = _texts(slide, "card_value")
    # Biểu 01: 57 -> 72 NTM communes, 15,15 -> 16,15 criteria; Biểu 03: 661.500 million VND in total
    assert values[:2] == ["57 → 72 xã", "15,15 → 16,15"]
    assert "10. Thu nhập" in values[2]
    assert values[3] == "661.500 triệu đồng"
    notes = _texts(slide, "card_note")
    assert "44,9% → 56,7%" in notes[0]                       # 57/127, 72/127
    assert "31.500 triệu đồng (4,8%)" in notes[3]              # 31.500 / 661.500


def test_pictures_full_resolution_no_distortion(plan_decks):
    prs = Presentation(plan_decks["vi"])
    pictures = [s for slide in prs.slides for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 6
    for picture in pictures:
        assert picture.image.size == (1920, 1080)
        assert abs(picture.width / picture.height - 1920 / 1080) < 0.002
        assert picture.left >= 0 and picture.left + picture.width <= prs.slide_width


def test_notes_give_numbers_and_cells(plan_decks):
    prs = Presentation(plan_decks["vi"])
    for index in (2, 3, 4, 5, 7, 9):
        notes = prs.slides[index].notes_slide.notes_text_frame.text
        bullets = [line for line in notes.splitlines() if line.startswith("• ")]
        assert 3 <= len(bullets) <= 6, notes
        assert sum(bool(re.search(r"Biểu 0\d!\w+\d", line)) for line in bullets) >= 3, notes
    income = prs.slides[2].notes_slide.notes_text_frame.text
    assert "10. Thu nhập, 2021 (kế hoạch): 77 xã" in income


def test_native_district_table(plan_decks):
    slide = Presentation(plan_decks["vi"]).slides[6]
    table = next(s for s in slide.shapes if s.has_table).table
    rows = [[table.cell(i, j).text_frame.text for j in range(len(table.columns))] for i in range(len(table.rows))]
    assert len(rows) == 11 and len(rows[0]) == 8
    # Biểu 02 of plan 05, typed by hand; decimals as the indicator catalogue gives them
    assert rows[1] == ["Toàn tỉnh", "15", "16,15", "3,00", "79,0", "95,5", "13.500", "98,50"]
    assert rows[2] == ["TP Lào Cai", "1", "19,00", "0,10", "100,0", "99,0", "2.650", "96,40"]
    assert rows[4] == ["Bảo Thắng", "–", "19,00", "1,50", "85,0", "95,0", "1.800", "99,00"]  # blank stays blank
    assert rows[10] == ["Si Ma Cai", "1", "15,60", "2,50", "83,0", "92,0", "700", "98,50"]
    assert [r[0] for r in rows[1:]] == ["Toàn tỉnh", "TP Lào Cai", "Bát Xát", "Bảo Thắng", "TX Sa Pa", "Văn Bàn",
                                        "Bảo Yên", "Mường Khương", "Bắc Hà", "Si Ma Cai"]


def test_findings_slide_names_the_weighted_average(plan_decks):
    text = _texts(Presentation(plan_decks["vi"]).slides[8], "findings")[0]
    # sum of district targets × communes / 127 = 15,76 (hand computation in test_analysis_districts)
    assert "15,76" in text and "16,15" in text and "D7" in text


def test_sources_slide_lists_documents_and_hashes(plan_decks):
    slide = Presentation(plan_decks["vi"]).slides[10]
    assert "Kế hoạch số 05/KH-UBND ngày 12/01/2021 của UBND tỉnh Lào Cai" in _texts(slide, "documents")[0]
    files = _texts(slide, "files")[0]
    digest = subprocess.run(["sha256sum", str(PLAN)], capture_output=True, text=True).stdout.split()[0] \
        if shutil.which("sha256sum") else ""
    assert PLAN.name in files and (not digest or digest in files)
    assert "0.1.0" in _texts(slide, "method")[0] or "ntm-analysis" in _texts(slide, "method")[0]


def test_footer_and_slide_numbers_on_content_slides(plan_decks):
    prs = Presentation(plan_decks["vi"])
    total = len(prs.slides)
    assert not _texts(prs.slides[0], "footer")
    for number, slide in enumerate(prs.slides, start=1):
        if number == 1:
            continue
        assert _texts(slide, "slide_number") == [f"{number}/{total}"]
        assert _texts(slide, "footer")[0].startswith("Nguồn: Kế hoạch số 05/KH-UBND")


# --------------------------------------------------------- illustrative -----
def test_no_banner_without_illustrative_data(plan_decks):
    assert not any(_has_banner(s) for s in Presentation(plan_decks["vi"]).slides)


def test_banners_with_illustrative_results(results_deck):
    prs = Presentation(results_deck)
    titles = [_title(s) for s in prs.slides]
    assert _has_banner(prs.slides[0])
    assert len(prs.slides) > 11
    attainment = next(i for i, t in enumerate(titles) if "chỉ tiêu cấp huyện đạt kế hoạch" in t)
    assert _has_banner(prs.slides[attainment])
    assert _has_banner(prs.slides[1])  # key figures quote the attainment
    assert any("(số liệu minh họa)" in t for t in _texts(prs.slides[-1], "documents"))
    # the results against the plan open the deck (slides 2-4); the plan's own comparison
    # (2020 actual -> 2021 target) and targets follow, unmarked
    assert all(_has_banner(prs.slides[i]) for i in (2, 3, 4))
    assert not any(_has_banner(prs.slides[i]) for i in (5, 6, 7))
    context = next(s for s in prs.slides if "cả nước" in _title(s))
    assert _has_banner(context)  # it plots the illustrative 2021 actual point
    table_slide = next(s for s in prs.slides if any(sh.has_table for sh in s.shapes))
    assert not _has_banner(table_slide)


# ---------------------------------------------------------- determinism -----
def test_rebuild_is_byte_identical(plan_decks):
    assert plan_decks["vi"].read_bytes() == plan_decks["vi_again"].read_bytes()
    props = Presentation(plan_decks["vi"]).core_properties
    assert props.created == props.modified == datetime(2021, 1, 12)  # the plan's date


# ------------------------------------------------------------- overflow -----
def _frames(prs):
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text:
                yield shape.text_frame, shape.width, shape.height
            if shape.has_table:
                table = shape.table
                for i, row in enumerate(table.rows):
                    for j, column in enumerate(table.columns):
                        yield table.cell(i, j).text_frame, column.width, row.height


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_text_overflows_its_box(plan_decks, results_deck, commune_deck, provinces_deck, lang):
    decks = [plan_decks[lang]] + ([results_deck, commune_deck, provinces_deck] if lang == "vi" else [])
    checked = 0
    for path in decks:
        for frame, width, height in _frames(Presentation(path)):
            margins_w = Emu(frame.margin_left + frame.margin_right).inches
            margins_h = Emu(frame.margin_top + frame.margin_bottom).inches
            used = 0.0
            for paragraph in frame.paragraphs:
                runs = paragraph.runs
                size = runs[0].font.size.pt
                weight = "bold" if runs[0].font.bold else "normal"
                line = "".join(r.text for r in runs)
                assert text_width(line, size, weight) <= (Emu(width).inches - margins_w) * (1 - SLACK / 2), line
                used += size * LINE / 72
            assert used <= Emu(height).inches - margins_h + 1e-6, frame.text
            checked += 1
    assert checked > 100


# ------------------------------------------------------ language, glyphs ---
def test_english_deck(plan_decks):
    prs = Presentation(plan_decks["en"])
    titles = [_title(s) for s in prs.slides]
    assert len(titles) == 11
    assert titles[0] == "Progress of the National Target Programme on New Rural Development, Lào Cai province"
    assert titles[1] == "Key figures"
    values = _texts(prs.slides[1], "card_value")
    assert values[0] == "57 → 72 communes" and values[1] == "15.15 → 16.15" and values[3] == "661,500 million VND"
    table = next(s for s in prs.slides[6].shapes if s.has_table).table
    assert table.cell(1, 0).text_frame.text == "Province"
    assert table.cell(1, 6).text_frame.text == "13,500"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_glyph_is_in_the_font(plan_decks, lang):
    font = FT2Font(font_manager.findfont("DejaVu Sans"))
    chars = set()
    for frame, _, _ in _frames(Presentation(plan_decks[lang])):
        chars |= set(frame.text)
    missing = sorted(c for c in chars if not c.isspace() and font.get_char_index(ord(c)) == 0)
    assert not missing


# ---------------------------------------------------------------- soffice --
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed on this machine, so whether it opens the deck was not checked")
def test_libreoffice_opens_it(plan_decks, tmp_path):
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(plan_decks["vi"])], check=True, capture_output=True, timeout=180)
    pdf = (tmp_path / "vi.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == len(Presentation(plan_decks["vi"]).slides)


def test_deck_without_processed_tables_fails_cleanly(tmp_path):
    with pytest.raises(FileNotFoundError):
        build_deck(tmp_path / "nothing", tmp_path / "deck.pptx")
    assert not (tmp_path / "deck.pptx").exists()


def test_conflict_in_plain_words():
    import pandas as pd

    from ntm_analysis.publishing.deck import conflict_line

    row = pd.Series({"table": "province", "key": "year=2020, status=actual, indicator=ntm_communes",
                     "earlier_source": "plan", "earlier_value": "57.0", "earlier_cell": "Biểu 01!D8",
                     "later_source": "correction", "later_value": "61.0", "later_cell": "Điều chỉnh 2020!D7",
                     "kept": "correction"})
    assert conflict_line(row) == ("Hai nguồn khác nhau về Số xã đạt chuẩn NTM (lũy kế), 2020 (thực hiện): "
                                  "57 (plan, Biểu 01!D8) và 61 (correction, Điều chỉnh 2020!D7); "
                                  "số liệu dùng: correction.")


def test_fit_text_wraps_shrinks_and_never_spills():
    from ntm_analysis.publishing.deck import PAD, fit_text

    words = "Số xã đạt chuẩn nông thôn mới tăng từ 57 lên 72 "
    lines, size = fit_text(words, 4.0, 1.0, 20)
    assert len(lines) > 1 and size <= 20
    assert len(lines) * size * LINE / 72 <= 1.0 - 2 * PAD
    long_lines, small = fit_text(words * 40, 4.0, 1.0, 20)
    assert small == 8.0 and long_lines[-1].endswith("…")
    assert len(long_lines) * small * LINE / 72 <= 1.0 - 2 * PAD
    assert all(text_width(line, small) <= (4.0 - 2 * PAD) for line in long_lines)


# ------------------------------------------- commune slides, several provinces ---
def _built_deck(folder: Path) -> Path:
    """Build the tables of ``folder/raw`` (figures are drawn by the deck itself) and write the deck."""
    from ntm_analysis.publishing.build import build

    result = build(folder / "raw", folder / "processed", folder / "figures", figures=False)
    assert result.exit_code == 0, result.findings.report()
    return build_deck(folder / "processed", folder / "vi.pptx")


@pytest.fixture(scope="module")
def commune_deck(tmp_path_factory) -> Path:
    """Plan 05 with the two illustrative commune tables of data/examples (2020 actual, 2021 plan)."""
    folder = tmp_path_factory.mktemp("deck-communes")
    raw = _raw(folder, with_results=False)
    for src in EXAMPLES.glob("xa-tieu-chi-*"):
        shutil.copy(src, raw / src.name)
    return _built_deck(folder)


@pytest.fixture(scope="module")
def provinces_deck(tmp_path_factory) -> Path:
    """Plan 05 with the made-up plans of Lai Châu and Yên Bái (tests/province_plans.py)."""
    from province_plans import province_plan

    folder = tmp_path_factory.mktemp("deck-provinces")
    raw = _raw(folder, with_results=False)
    for code in ("15", "12"):
        province_plan(raw, code)
    return _built_deck(folder)


def test_a_slide_per_commune_figure(commune_deck, plan_decks):
    prs = Presentation(commune_deck)
    titles = [_title(s) for s in prs.slides]
    # per period (2020 actual, 2021 plan) the wall chart, the near communes and the blocking criteria,
    # and for 2020 the wall chart of each of the 9 districts: 15 slides after the 5 figures and the table
    assert len(titles) == 11 + 15
    plain = [_title(s) for s in Presentation(plan_decks["vi"]).slides]
    assert titles[:8] == plain[:8] and titles[23:] == plain[8:]
    communes = list(prs.slides)[8:23]
    # the examples reproduce Biểu 01: 57 of 127 communes at all 19 criteria at the end of 2020, 72 in 2021
    assert titles[8].startswith("2020 (thực hiện): 57/127 xã đạt đủ 19 tiêu chí")
    assert titles[20].startswith("2021 (kế hoạch): 72/127 xã đạt đủ 19 tiêu chí")
    # README: all 11 communes of Bảo Thắng at the standard
    assert any(t.startswith("2020 (thực hiện), Bảo Thắng: 11/11 xã đạt đủ 19 tiêu chí") for t in titles)
    for slide in communes:
        assert _has_banner(slide)  # drawn from the illustrative commune tables
        assert sum(s.shape_type == 13 for s in slide.shapes) == 1
        notes = slide.notes_slide.notes_text_frame.text
        assert 3 <= sum(line.startswith("• ") for line in notes.splitlines()) <= 6, notes
        assert "Bảng xã!" in notes and "Số liệu minh họa theo xã" in notes
    wall_2021 = communes[12].notes_slide.notes_text_frame.text
    assert "kế hoạch 2021" in wall_2021 and "thực hiện 2020" not in wall_2021  # only its own table
    assert not any(_has_banner(s) for s in list(prs.slides)[2:8])  # the plan's own figures stay unmarked


def test_several_provinces_add_the_ranking(provinces_deck, plan_decks):
    prs = Presentation(provinces_deck)
    titles = [_title(s) for s in prs.slides]
    assert len(titles) == 12
    plain = [_title(s) for s in Presentation(plan_decks["vi"]).slides]
    assert titles[:10] == plain[:10] and titles[11] == plain[10]  # the deck stays about Lào Cai
    # 2020: Yên Bái 75/150 = 50,0 %, Lào Cai 57/127 = 44,9 %, Lai Châu 33/94 = 35,1 % (tests/province_plans.py)
    assert titles[10] == ("2020 (thực hiện): Lào Cai đứng thứ 2/3 tỉnh về tỷ lệ xã đạt chuẩn nông thôn mới "
                          "(44,9%); cao nhất là Yên Bái (50,0%), thấp nhất là Lai Châu (35,1%).")
    ranking = prs.slides[10]
    assert _has_banner(ranking) and _has_banner(prs.slides[0])  # the other plans are made up
    notes = ranking.notes_slide.notes_text_frame.text
    assert "57/127" in notes and "75/150" in notes and "33/94" in notes and "Biểu 01!D8" in notes
    documents = _texts(prs.slides[11], "documents")[0]
    assert "tỉnh Yên Bái" in documents and "tỉnh Lai Châu" in documents


def test_a_finding_without_file_or_cell_is_written_without_empty_brackets():
    """A warning of the whole build (a province timeline short of a predecessor's table) has no file and
    no cell: the deck writes "Cảnh báo: …", never "Cảnh báo (): …"; one with a cell names it."""
    import pandas as pd

    from ntm_analysis.publishing.deck.data import DeckData
    from ntm_analysis.publishing.deck.notes import finding_lines
    from ntm_analysis.reference import load_reference
    from ntm_analysis.tables.tidy import TidyTables

    validation = pd.DataFrame([
        {"severity": "warning", "check": "timeline_incomplete", "file": "", "sheet": "", "cell": "",
         "message": "chưa có bảng xã của Tỉnh Yên Bái"},
        {"severity": "error", "check": "sum", "file": "a.xlsx", "sheet": "Biểu 01", "cell": "D16", "message": "x"}])
    data = DeckData(TidyTables.empty(), {}, pd.DataFrame(), validation, pd.DataFrame(), {}, load_reference())
    assert finding_lines(data) == ["Cảnh báo: chưa có bảng xã của Tỉnh Yên Bái", "Lỗi (a.xlsx › Biểu 01!D16): x"]
