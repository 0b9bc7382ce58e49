"""Figure content: titles, findings, labels, marks and the source line, read off
the Figure objects (no image comparison). Tables typed from plan 05/KH-UBND."""
from __future__ import annotations

import itertools
import warnings

import pytest
from chart_fixtures import ACTUAL_CRITERIA, CITATION, CRITERIA, SOURCE_LINE, SOURCE_LINE_EN, plan_tables, results_tables
from matplotlib.collections import PathCollection
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from ntm_analysis.analysis import run_all
from ntm_analysis.publishing import charts
from ntm_analysis.publishing.charts import palette
from ntm_analysis.reference import load_reference

SOURCES = {"vi": SOURCE_LINE, "en": SOURCE_LINE_EN}
PLAN_FIGURES = ("criteria_gaps", "ntm_ceiling", "commune_bands", "district_targets", "funding_sources")
RESULT_FIGURES = ("district_attainment", "plan_vs_actual_criteria", "funding_plan_vs_actual")


@pytest.fixture(scope="module")
def results():
    return run_all(plan_tables(), load_reference())


@pytest.fixture(scope="module")
def with_actuals():
    tables = results_tables()
    return tables, run_all(tables, load_reference())


def draw(name: str, results: dict, tables=None, lang: str = "vi", illustrative: bool = False):
    common = {"lang": lang, "source_line": SOURCES[lang], "illustrative": illustrative}
    calls = {
        "criteria_gaps": lambda: charts.criteria_gaps(results["criteria_gaps"], results["ntm_ceiling"], **common),
        "ntm_ceiling": lambda: charts.ntm_ceiling(results["ntm_ceiling"], results["criteria_gaps"], **common),
        "commune_bands": lambda: charts.commune_bands(results["band_shift"], **common),
        "district_targets": lambda: charts.district_targets(results["district_overview"], **common),
        "funding_sources": lambda: charts.funding_sources(results["funding_by_payer"], results["funding_per_commune"],
                                                          **common),
        "district_attainment": lambda: charts.district_attainment(results["district_attainment"], **common),
        "plan_vs_actual_criteria": lambda: charts.plan_vs_actual_criteria(results["plan_vs_actual_criteria"], **common),
        "funding_plan_vs_actual": lambda: charts.funding_plan_vs_actual(tables.funding, **common),
    }
    return calls[name]()


@pytest.fixture(scope="module")
def figures(results, with_actuals):
    """Every figure in both languages, drawn once for the module."""
    tables, full = with_actuals
    out = {}
    for lang in ("vi", "en"):
        for name in PLAN_FIGURES:
            out[name, lang] = draw(name, results, lang=lang)
        for name in RESULT_FIGURES:
            out[name, lang] = draw(name, full, tables, lang=lang, illustrative=True)
    return out


def texts(fig) -> list[Text]:
    """Every text drawn on a figure: figure texts, axes texts and annotations, the
    tick labels of visible axes inside the view, titles, legend entries."""
    found = list(fig.texts)
    for ax in fig.axes:
        found += ax.texts + [ax.title, ax._left_title, ax._right_title]
        for axis in (ax.xaxis, ax.yaxis):
            if not axis.get_visible():
                continue
            lo, hi = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks():
                if lo - 1e-9 <= tick.get_loc() <= hi + 1e-9:
                    found += [t for t in (tick.label1, tick.label2) if t.get_visible()]
        if ax.get_legend():
            found += ax.get_legend().get_texts()
    return [t for t in found if t.get_visible() and t.get_text().strip()]


def strings(fig) -> list[str]:
    return [t.get_text() for t in texts(fig)]


def by_gid(fig) -> dict[str, str]:
    return charts.figure_texts(fig)


def markers(ax) -> int:
    """Points drawn by scatter plots."""
    return sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))


def ticks(ax, axis: str = "y") -> list[str]:
    labels = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in labels]


# ------------------------------------------------------------ criteria_gaps --
def test_criteria_gaps_names_all_19_criteria_fewest_first(figures):
    fig = figures["criteria_gaps", "vi"]
    ax = fig.axes[0]
    expected = {f"{cid}. {name}" for cid, (name, *_rest) in CRITERIA.items()}
    assert set(ticks(ax)) == expected and len(ticks(ax)) == 19
    assert ticks(ax)[:2] == ["10. Thu nhập", "11. Hộ nghèo"]  # sorted by the 2021 target, fewest first
    assert ticks(ax)[-1] in {"3. Thủy lợi", "12. Lao động có việc làm"}


def test_criteria_gaps_marks_and_labels(figures):
    fig = figures["criteria_gaps", "vi"]
    ax = fig.axes[0]
    assert markers(ax) == 38  # 2020 and 2021 for each criterion
    found = strings(fig)
    for value in ("64", "77", "65", "80", "78", "101", "127"):
        assert value in found
    binding = [t for t in ax.get_yticklabels() if t.get_text() in ("10. Thu nhập", "11. Hộ nghèo")]
    assert all(t.get_color() == palette.HIGHLIGHT for t in binding)
    others = [t for t in ax.get_yticklabels() if t.get_text() not in ("10. Thu nhập", "11. Hộ nghèo")]
    assert all(t.get_color() != palette.HIGHLIGHT for t in others)
    assert "Tổng số xã: 127" in found
    assert "Xã đạt chuẩn NTM 2021 (kế hoạch): 72" in found
    # the line at the total of communes
    assert any(getattr(c, "get_segments", None) and any(abs(s[0][0] - 127) < 1e-9 for s in c.get_segments())
               for c in ax.collections if not isinstance(c, PathCollection))


def test_criteria_gaps_text_around_the_plot(figures):
    text = by_gid(figures["criteria_gaps", "vi"])
    assert text["title"] == "Số xã đạt từng tiêu chí nông thôn mới, 2020 (thực hiện) → 2021 (kế hoạch)"
    assert "Thu nhập (77) và Hộ nghèo (80)" in text["subtitle"]
    assert "Cơ sở hạ tầng thương mại nông thôn (+25 xã)" in text["subtitle"].replace("\n", " ")
    assert text["unit"] == "Đơn vị: xã"
    assert text["source"] == SOURCE_LINE
    assert "illustrative" not in text


def test_criteria_gaps_in_english(figures):
    fig = figures["criteria_gaps", "en"]
    assert "10. Income" in ticks(fig.axes[0]) and "11. Poor households" in ticks(fig.axes[0])
    text = by_gid(fig)
    assert text["title"] == "Communes meeting each NTM criterion, 2020 (actual) → 2021 (target)"
    assert "Income (77) and Poor households (80)" in text["subtitle"]
    assert text["unit"] == "Unit: communes" and text["source"] == SOURCE_LINE_EN


# -------------------------------------------------------------- ntm_ceiling --
def test_ntm_ceiling_shows_ceiling_and_headroom(figures):
    fig = figures["ntm_ceiling", "vi"]
    base, compare = fig.axes
    assert base.get_title(loc="left") == "2020 (thực hiện)" and compare.get_title(loc="left") == "2021 (kế hoạch)"
    assert ticks(compare)[:3] == ["Xã đạt chuẩn NTM", "10. Thu nhập", "11. Hộ nghèo"]
    widths = [p.get_width() for p in compare.patches if isinstance(p, Rectangle) and p.get_facecolor()[3] > 0
              and not p.get_hatch()]
    assert widths[:3] == [72, 77, 80]
    assert "Trần: 77 xã" in strings(fig) and "Trần: 64 xã" in strings(fig)
    assert "dư địa 5 xã" in strings(fig) and "dư địa 7 xã" in strings(fig)
    subtitle = by_gid(fig)["subtitle"].replace("\n", " ")
    assert "chỉ 77 xã đạt tiêu chí Thu nhập" in subtitle
    assert "kế hoạch 72 xã đạt chuẩn NTM, dư địa 5 xã" in subtitle
    assert "Sát trần: Hộ nghèo (80)" in subtitle
    assert by_gid(fig)["source"] == SOURCE_LINE


# ------------------------------------------------------------ commune_bands --
def test_commune_bands(figures):
    fig = figures["commune_bands", "vi"]
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 8
    assert [round(b.get_height()) for b in bars] == [15, 48, 7, 57, 7, 31, 17, 72]
    assert ticks(ax, "x") == ["5–9 tiêu chí\n−8 xã", "10–14 tiêu chí\n−17 xã", "15–18 tiêu chí\n+10 xã",
                              "19 tiêu chí\n+15 xã"]
    subtitle = by_gid(fig)["subtitle"].replace("\n", " ")
    assert "số xã đạt 19 tiêu chí tăng từ 57 lên 72" in subtitle
    assert "số xã chỉ đạt 5–9 tiêu chí giảm từ 15 xuống 7" in subtitle


# --------------------------------------------------------- district_targets --
def test_district_targets_table(figures):
    fig = figures["district_targets", "vi"]
    ax = fig.axes[0]
    rows = ticks(ax)
    assert rows[0] == "Toàn tỉnh"
    assert set(rows[1:]) == {"TP Lào Cai", "Bát Xát", "Mường Khương", "Si Ma Cai", "Bắc Hà", "Bảo Thắng",
                             "Bảo Yên", "TX Sa Pa", "Văn Bàn"}
    assert rows[-1] == "TX Sa Pa"  # sorted by the average criteria target, 13,2 last
    assert len(ticks(ax, "x")) == 7
    cells = [t.get_text() for t in ax.texts]
    assert len(cells) == 70  # 10 rows × 7 indicators
    for value in ("16,15", "13.500", "95,5", "13,2", "99,93", "0,1", "2.650", "–"):
        assert value in cells
    assert by_gid(fig)["title"] == "Chỉ tiêu kế hoạch năm 2021 của 9 huyện, thị xã, thành phố so với toàn tỉnh"
    assert by_gid(fig)["subtitle"].startswith("Văn Bàn đăng ký nhiều xã đạt chuẩn NTM mới nhất (4/15 xã).")
    assert "15,76" in by_gid(fig)["note"]  # communes-weighted average of the districts


def test_district_targets_english_names(figures):
    rows = ticks(figures["district_targets", "en"].axes[0])
    assert rows[0] == "Province" and "Lào Cai city" in rows and "Sa Pa town" in rows
    assert "13,500" in [t.get_text() for t in figures["district_targets", "en"].axes[0].texts]


# ---------------------------------------------------------- funding_sources --
def test_funding_sources(figures):
    fig = figures["funding_sources", "vi"]
    ax = fig.axes[0]
    payers = [t for t in ticks(ax) if t]
    assert payers == ["Ngân sách cấp tỉnh", "Ngân sách Trung ương", "Ngân sách cấp huyện",
                      "Lồng ghép chương trình khác", "Nhân dân đóng góp", "Doanh nghiệp, HTX, tổ chức"]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert sorted(b.get_width() for b in bars) == [30000, 30000, 31500, 50000, 250000, 270000]
    found = strings(fig)
    assert "270.000 triệu đồng  ·  40,8%" in found
    assert "31.500 triệu đồng  ·  4,8%" in found
    assert "Ngân sách nhà nước: 311.500 triệu đồng (47,1%)" in found
    assert "Doanh nghiệp và nhân dân: 80.000 triệu đồng (12,1%)" in found
    subtitle = by_gid(fig)["subtitle"].replace("\n", " ")
    assert subtitle.startswith("Tổng 661.500 triệu đồng;")
    assert "44.100 triệu đồng" in subtitle
    assert by_gid(fig)["unit"] == "Đơn vị: triệu đồng"


def test_funding_sources_english_numbers(figures):
    found = strings(figures["funding_sources", "en"])
    assert "270,000 million VND  ·  40.8%" in found
    assert by_gid(figures["funding_sources", "en"])["subtitle"].startswith("Total 661,500 million VND;")


# -------------------------------------------------- figures with results --
def test_district_attainment(figures):
    fig = figures["district_attainment", "vi"]
    ax = fig.axes[0]
    assert ticks(ax)[0] == "Toàn tỉnh" and len(ticks(ax)) == 10
    cells = [t.get_text() for t in ax.texts]
    assert sum(c.startswith(("✓", "✗")) for c in cells) == 69  # Bảo Thắng's blank target stays unknown
    assert "KH: 13.500" in cells
    assert by_gid(fig)["illustrative"] == "Số liệu minh họa"


def test_plan_vs_actual_criteria(figures):
    fig = figures["plan_vs_actual_criteria", "vi"]
    ax = fig.axes[0]
    gaps = {cid: ACTUAL_CRITERIA[cid] - target for cid, (_n, _g, _b, target) in CRITERIA.items()}
    worst = min(gaps, key=lambda cid: (gaps[cid], cid))
    assert len(ticks(ax)) == 19 and ticks(ax)[0] == f"{worst}. {CRITERIA[worst][0]}"  # largest shortfall first
    assert markers(ax) == 38  # target and actual for each criterion
    met = sum(g >= 0 for g in gaps.values())
    assert by_gid(fig)["subtitle"].startswith(f"{met}/19 tiêu chí đạt kế hoạch năm 2021.")


def test_funding_plan_vs_actual(figures):
    fig = figures["funding_plan_vs_actual", "en"]
    assert "Provincial budget" in ticks(fig.axes[0])
    assert "228,000 / 250,000 (91%)" in strings(fig)
    assert by_gid(fig)["illustrative"] == "Illustrative data"
    assert by_gid(fig)["subtitle"].startswith("In 2021, 598,400 of 661,500 million VND planned was mobilised")


# ------------------------------------------------------------ every figure --
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_figure_has_title_finding_unit_and_source(figures, lang):
    for (name, fig_lang), fig in figures.items():
        if fig_lang != lang:
            continue
        text = by_gid(fig)
        assert text.get("title") and text.get("subtitle") and text.get("unit"), name
        assert text["subtitle"] != text["title"], name
        assert text["source"] == SOURCES[lang], name
        assert fig.get_size_inches().tolist() == [16.0, 9.0]


def _overlaps(fig) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes intersect, and texts reaching outside the slide,
    after a layout; a glyph missing from the font fails the test too."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing")
        fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts(fig)]
    width, height = fig.bbox.width, fig.bbox.height
    problems = [(s, "outside the figure") for s, b in boxes
                if b.x0 < -0.5 or b.y0 < -0.5 or b.x1 > width + 0.5 or b.y1 > height + 0.5]
    for (s1, b1), (s2, b2) in itertools.combinations(boxes, 2):
        dx = min(b1.x1, b2.x1) - max(b1.x0, b2.x0)
        dy = min(b1.y1, b2.y1) - max(b1.y0, b2.y0)
        if dx > 1 and dy > 1:
            problems.append((s1, s2))
    return problems


def test_no_text_overlaps_or_leaves_the_slide(figures):
    problems = {key: _overlaps(fig) for key, fig in figures.items()}
    assert {k: v for k, v in problems.items() if v} == {}


def test_overlap_check_sees_a_collision(results):
    fig = draw("commune_bands", results)
    fig.text(0.012, 0.975, "Chữ đè lên tiêu đề", va="top", fontsize=25)
    fig.text(0.5, -0.02, "ngoài khung")
    found = _overlaps(fig)
    assert ("ngoài khung", "outside the figure") in found
    assert any("Chữ đè lên tiêu đề" in pair and by_gid(fig)["title"] in pair for pair in found)


def test_illustrative_flag_puts_the_badge_on(results):
    fig = draw("commune_bands", results, illustrative=True)
    assert by_gid(fig)["illustrative"] == "Số liệu minh họa"
    assert not _overlaps(fig)
    fig = draw("commune_bands", results, lang="en", illustrative=True)
    assert by_gid(fig)["illustrative"] == "Illustrative data"


def test_source_line_from_citation():
    assert charts.make_source_line([CITATION], "vi") == SOURCE_LINE
    assert charts.make_source_line([CITATION], "en") == SOURCE_LINE_EN
    assert charts.make_source_line([CITATION, CITATION, ""], "vi") == SOURCE_LINE
    assert charts.make_source_line([], "vi") == ""
    assert charts.english_citation("Số liệu minh họa") == "Số liệu minh họa"


def test_unknown_language_is_refused(results):
    with pytest.raises(ValueError, match="lang"):
        charts.commune_bands(results["band_shift"], lang="fr")
