"""What every figure shares: the house style, the slide canvas, the text around
the plot (title, finding, unit, source, illustrative badge), labels in two
languages, names from the reference the build was given, and one deterministic
save helper. Numbers are written by :mod:`ntm_analysis.formats`.

Figures are ``matplotlib.figure.Figure`` objects made without pyplot, so a
build never opens a window or keeps figures alive; they still display in a
notebook (IPython shows a Figure that a cell returns).
"""
from __future__ import annotations

import inspect
import re
import sys
from contextlib import contextmanager
from functools import lru_cache, wraps
from pathlib import Path
from typing import Callable, Iterator

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.textpath import TextToPath

from ...config import STYLE_FILE
from ...formats import LANGS
from ...reference import Reference, label_table, load_reference
from ...reference import period_label as reference_period_label
from ...text import clean_text, fold
from . import palette

#: Slide size: 16 × 9 in at 120 dpi = 1920 × 1080 px.
FIGSIZE = (16.0, 9.0)
DPI = 120
#: Saved formats and their metadata: no dates, so a rebuild gives the same bytes.
SAVE_METADATA = {"png": {"Software": "ntm-analysis (matplotlib)"},
                 "svg": {"Date": None, "Creator": "ntm-analysis (matplotlib)"}}
#: rcParams that saving depends on (also in ntm.mplstyle; set again so that a
#: caller's own style cannot make the SVG text outlines or the ids random, nor
#: bring back a layout engine that ``fix_layout`` removed).
SAVE_RC = {"svg.fonttype": "none", "svg.hashsalt": "ntm-analysis", "savefig.bbox": "standard",
           "figure.autolayout": False, "figure.constrained_layout.use": False}
#: The formats ``save_figure`` writes, in order (the layout is solved once, at the PNG's dpi, before all).
FORMATS: tuple[str, ...] = ("png", "svg")
#: zlib level of the PNG files: 1 writes a 1920 × 1080 slide about a third faster than
#: Pillow's default (6) for files about 10 % larger (lossless either way).
PNG_COMPRESS_LEVEL = 1
#: Per-format savefig options.
SAVE_OPTIONS = {"png": {"pil_kwargs": {"compress_level": PNG_COMPRESS_LEVEL}}}

TITLE_SIZE = 25
SUBTITLE_SIZE = 17
SMALL_SIZE = 13
MARGIN = 0.012  # left/right margin of the header and footer, figure fraction


# ---------------------------------------------------------------- style -----
@lru_cache(maxsize=1)
def _style() -> dict[str, object]:
    """The rcParams of ``ntm.mplstyle`` (read once; ``matplotlib.style`` would read
    the file, and its own library of styles, at every use)."""
    return dict(mpl.rc_params_from_file(STYLE_FILE, use_default_template=False))


@contextmanager
def house_style() -> Iterator[None]:
    """The package's style (``ntm.mplstyle``) for the duration of the block."""
    with mpl.rc_context(_style() | SAVE_RC):
        yield


def figure_function(draw: Callable[..., Figure]) -> Callable[..., Figure]:
    """Run a figure function inside the house style (artists take their style when
    they are made, so the figure looks the same saved or shown in a notebook; the
    functions set their ticks explicitly, which makes the tick labels now too).

    Every figure function takes a ``reference`` (``reference.load_reference``,
    with the build's ``--reference`` folder): names of criteria, districts and
    indicators come from it. When none is given, the package's own is loaded."""
    signature = inspect.signature(draw)

    @wraps(draw)
    def wrapper(*args, **kwargs) -> Figure:
        bound = signature.bind(*args, **kwargs)
        lang = bound.arguments.get("lang", "vi")
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
        if bound.arguments.get("reference") is None:
            bound.arguments["reference"] = load_reference()
        with house_style():
            return draw(*bound.args, **bound.kwargs)
    return wrapper


def new_figure() -> Figure:
    """A blank 16:9 slide with a constrained layout (the header and footer bands
    are set aside by ``annotate``)."""
    fig = Figure(figsize=FIGSIZE, dpi=DPI, layout=ConstrainedLayoutEngine(h_pad=0.08, w_pad=0.1))
    FigureCanvasAgg(fig)
    return fig


def save_figure(fig: Figure, stem: str, out_dir: Path, *, size: tuple[float, float] = FIGSIZE,
                dpi: int = DPI, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write ``stem.png`` (1920 × 1080 px by default; ``size`` in inches and ``dpi``
    for a poster such as A3) and ``stem.svg`` (text kept as text) into ``out_dir``
    (``formats``: a subset, e.g. ``("png",)`` for the deck) and close the figure.
    Same figure, same bytes: no dates in the metadata, fixed SVG ids, PNG
    compressed at ``PNG_COMPRESS_LEVEL``. Returns the paths written.

    The constrained layout is solved once, before any file, at the PNG's size and
    dpi (the text it must fit is measured to the pixel), and the figure is then
    drawn once per format: no format pays a layout pass of its own (``savefig``
    draws a figure that has a layout engine twice, first without output)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fig.set_size_inches(*size)
    paths = []
    with house_style():
        fix_layout(fig, dpi)
        for kind in formats:
            path = out_dir / f"{stem}.{kind}"
            fig.savefig(path, format=kind, dpi=dpi, metadata=SAVE_METADATA[kind], **SAVE_OPTIONS.get(kind, {}))
            paths.append(path)
    close_figure(fig)
    return paths


def fix_layout(fig: Figure, dpi: float) -> None:
    """Solve ``fig``'s layout (its constrained layout engine) once, measuring the
    text at ``dpi`` (dots per inch), and keep the positions: the engine is removed,
    so that saving or drawing the figure again does not solve it again."""
    engine = fig.get_layout_engine()
    if engine is None:
        return
    saved_dpi = fig.dpi
    fig.dpi = dpi
    try:
        if fig.axes:  # as Figure.draw does it: no axes, nothing to lay out; a ValueError leaves the positions be
            engine.execute(fig)
    except ValueError:
        pass
    finally:
        fig.dpi = saved_dpi
    fig.set_layout_engine(None)


def close_figure(fig: Figure) -> None:
    """Release a figure (and forget it in pyplot, if pyplot made it)."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None and pyplot.fignum_exists(getattr(fig, "number", -1)):
        pyplot.close(fig)
    fig.clear()


# --------------------------------------------------------------- labels -----
def _labels() -> dict[str, dict[str, str]]:
    return label_table()


def label(key: str, lang: str = "vi", **values: object) -> str:
    """Chart label ``key`` of ``reference/labels.csv`` in ``lang``, with ``{name}``
    fields filled from ``values`` (numbers should come already formatted)."""
    try:
        text = _labels()[key][lang]
    except KeyError:
        raise KeyError(f"no chart label {key!r} in {lang!r} (reference/labels.csv)") from None
    return text.format(**values) if values else text


def period_label(year: int, status: str, lang: str = "vi") -> str:
    """"2021 (kế hoạch)", "2020 (thực hiện)"."""
    return reference_period_label(year, status, lang)


# ------------------------------------------------------ reference names -----
#: Look-up dicts built once per reference (id -> (reference, {what: dict})): a figure
#: names dozens of districts and indicators, and filtering the frames each time
#: is a good part of drawing it. The reference is kept so that its id stays its own.
_LOOKUPS: dict[int, tuple[Reference, dict[str, dict]]] = {}


def _lookup(reference: Reference, what: str) -> dict:
    """``what`` ("criteria_en", "districts", "indicators") of ``reference`` as a dict."""
    held = _LOOKUPS.get(id(reference))
    if held is None or held[0] is not reference:
        held = _LOOKUPS[id(reference)] = (reference, {})
    tables = held[1]
    if what not in tables:
        if what == "criteria_en":
            crit = reference.criteria
            tables[what] = {fold(v): clean_text(e) for v, e in zip(crit.criterion, crit.criterion_en)}
        elif what == "districts":
            rows = reference.districts
            tables[what] = {str(code): (province == code, short, english) for code, province, short, english
                            in zip(rows.area_code, rows.province_code, rows.short_name, rows.area_en)}
        else:
            table = reference.indicators.drop_duplicates("indicator")
            tables[what] = {row["indicator"]: row for row in table.to_dict("records")}
    return tables[what]


def criterion_name(name_vi: str, lang: str, reference: Reference) -> str:
    """A criterion's name in ``lang`` (from the reference's criteria; either set)."""
    name_vi = clean_text(name_vi)
    if lang == "vi":
        return name_vi
    return _lookup(reference, "criteria_en").get(fold(name_vi), name_vi)


def criterion_label(criterion_id: int, name_vi: str, lang: str, reference: Reference) -> str:
    """"10. Thu nhập" / "10. Income"."""
    return f"{int(criterion_id)}. {criterion_name(name_vi, lang, reference)}"


def district_name(area_code: str, lang: str, reference: Reference, fallback: str = "") -> str:
    """A district's name as the plan writes it ("TP Lào Cai", "Bát Xát"); in
    English the gazetteer's ("Lào Cai city"). The province row: "Toàn tỉnh"."""
    row = _lookup(reference, "districts").get(str(area_code))
    if row is None:
        return clean_text(fallback or area_code)
    is_province_row, short_name, english = row
    if is_province_row:
        return label("province_row", lang)
    return clean_text(short_name if lang == "vi" else english)


def indicator_info(indicator: str, lang: str, reference: Reference) -> dict[str, object]:
    """Label, unit and decimals of an indicator (the reference's indicators)."""
    row = _lookup(reference, "indicators").get(indicator)
    if row is None:
        return {"label": indicator, "unit": "", "decimals": 2, "direction": "higher"}
    unit = row["unit_vi"] if lang == "vi" else row["unit"]
    return {"label": clean_text(row[f"label_{lang}"]), "unit": clean_text(unit),
            "decimals": int(row["decimals"] or 0), "direction": row["direction"]}


# ------------------------------------------------------------- sources ------
_CITATION = re.compile(
    r"^(?P<kind>Kế hoạch|Báo cáo|Quyết định|Công văn|Nghị quyết|Thông báo)\s+số:?\s*(?P<number>\S+)"
    r"\s+ngày\s+(?P<date>[\d/]+)\s+của\s+(?:UBND|Ủy ban nhân dân|HĐND|Hội đồng nhân dân)\s+"
    r"(?P<level>tỉnh|huyện|thị xã|thành phố)\s+(?P<place>.+)$", re.IGNORECASE)
_KIND_EN = {"kế hoạch": "Plan", "báo cáo": "Report", "quyết định": "Decision", "công văn": "Official letter",
            "nghị quyết": "Resolution", "thông báo": "Notice"}
_LEVEL_EN = {"tỉnh": "Provincial", "huyện": "District", "thị xã": "Town", "thành phố": "City"}


def english_citation(citation: str) -> str:
    """An English citation for a Vietnamese one of the usual shape, else the same text:
    "Kế hoạch số 05/KH-UBND ngày 12/01/2021 của UBND tỉnh Lào Cai" ->
    "Plan No. 05/KH-UBND of 12/01/2021, Lào Cai Provincial People's Committee"."""
    citation = clean_text(citation)
    match = _CITATION.match(citation)
    if not match:
        return citation
    council = "People's Council" if re.search(r"HĐND|Hội đồng", citation) else "People's Committee"
    return (f"{_KIND_EN[match['kind'].lower()]} No. {match['number']} of {match['date']}, "
            f"{match['place']} {_LEVEL_EN[match['level'].lower()]} {council}")


def source_line(citations: list[str], lang: str = "vi") -> str:
    """The source line of a figure from the sources' sidecar citations:
    "Nguồn: Kế hoạch số 05/KH-UBND ngày 12/01/2021 của UBND tỉnh Lào Cai"."""
    cited = list(dict.fromkeys(clean_text(c) for c in citations if c and str(c).strip()))
    if lang == "en":
        cited = [english_citation(c) for c in cited]
    return f"{label('source_prefix', lang)} {'; '.join(cited)}" if cited else ""


# ---------------------------------------------------------------- text ------
_TEXT_TO_PATH = TextToPath()


@lru_cache(maxsize=4096)
def text_width(text: str, size: float, weight: str = "normal") -> float:
    """Width of one line of text in DejaVu Sans, in inches."""
    prop = FontProperties(family="DejaVu Sans", size=size, weight=weight)
    width, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, prop, ismath=False)
    return width / 72.0


def wrap(text: str, size: float, width_in: float, weight: str = "normal") -> str:
    """Break ``text`` into lines no wider than ``width_in`` inches (whole words;
    a line's width is the sum of its words' and spaces' widths)."""
    space = text_width("a a", size, weight) - text_width("aa", size, weight)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for word in paragraph.split(" "):
            width = text_width(word, size, weight)
            if line and used + space + width > width_in:
                lines.append(line)
                line, used = word, width
            else:
                line, used = (f"{line} {word}", used + space + width) if line else (word, width)
        lines.append(line)
    return "\n".join(lines)


def annotate(fig: Figure, *, title: str, subtitle: str, source: str, unit: str = "", note: str = "",
             illustrative: bool = False, lang: str = "vi") -> None:
    """Put the text of a briefing slide on ``fig`` and fit the plot between it:
    title; subtitle stating the finding; unit; (optional) a note on how to read the
    figure and the source line at the bottom; the "Số liệu minh họa" badge when the
    figures are illustrative. Each text has a gid (title, subtitle, unit, note,
    source, illustrative) for tests and for editing the SVG."""
    width, height = fig.get_size_inches()
    usable = width * (1 - 2 * MARGIN)
    top = 1 - 0.025
    badge_width = 0.0
    if illustrative:
        badge = fig.text(1 - MARGIN, top, label("illustrative", lang), ha="right", va="top", fontsize=17,
                         fontweight="bold", color="white", gid="illustrative",
                         bbox={"boxstyle": "round,pad=0.4", "facecolor": palette.HIGHLIGHT, "edgecolor": "none"})
        badge_width = text_width(badge.get_text(), 17, "bold") + 0.6
    title_text = wrap(clean_text(title), TITLE_SIZE, usable - badge_width, "bold")
    fig.text(MARGIN, top, title_text, ha="left", va="top", fontsize=TITLE_SIZE, fontweight="bold",
             color=palette.TEXT, gid="title")
    y = top - (title_text.count("\n") + 1) * TITLE_SIZE * 1.3 / 72 / height - 0.012
    subtitle_text = wrap(clean_text(subtitle), SUBTITLE_SIZE, usable)
    fig.text(MARGIN, y, subtitle_text, ha="left", va="top", fontsize=SUBTITLE_SIZE, color=palette.TEXT,
             linespacing=1.35, gid="subtitle")
    y -= (subtitle_text.count("\n") + 1) * SUBTITLE_SIZE * 1.35 / 72 / height + 0.012
    if unit:
        fig.text(MARGIN, y, clean_text(unit), ha="left", va="top", fontsize=SMALL_SIZE, style="italic",
                 color=palette.TEXT_MUTED, gid="unit")
        y -= SMALL_SIZE * 1.3 / 72 / height + 0.008
    bottom = 0.018
    source_text = wrap(clean_text(source), SMALL_SIZE, usable)
    fig.text(MARGIN, bottom, source_text, ha="left", va="bottom", fontsize=SMALL_SIZE,
             color=palette.TEXT_MUTED, gid="source")
    bottom += (source_text.count("\n") + 1) * SMALL_SIZE * 1.4 / 72 / height
    if note:
        note_text = wrap(clean_text(note), SMALL_SIZE, usable)
        fig.text(MARGIN, bottom, note_text, ha="left", va="bottom", fontsize=SMALL_SIZE,
                 color=palette.TEXT_MUTED, gid="note")
        bottom += (note_text.count("\n") + 1) * SMALL_SIZE * 1.4 / 72 / height
    bottom += 0.008
    fig.get_layout_engine().set(rect=(MARGIN / 2, bottom, 1 - MARGIN, y - bottom))


def strip_header(fig: Figure) -> None:
    """Take off what a slide states itself: the title, the subtitle (the finding: the
    slide's title), the illustrative badge (the slide's banner) and the source line
    (the slide's footer), and give their room to the plot; the unit and the note stay.
    For the deck's copy of a figure drawn by ``annotate``; the files of figures/ keep
    their header."""
    engine = fig.get_layout_engine()
    texts = {t.get_gid(): t for t in fig.texts if t.get_gid()}
    if engine is None or "title" not in texts:
        return
    for gid in ("title", "subtitle", "illustrative", "source"):
        if gid in texts:
            texts[gid].remove()
    height = fig.get_size_inches()[1]
    y = 1 - 0.025
    if "unit" in texts:
        texts["unit"].set_y(y)
        y -= SMALL_SIZE * 1.3 / 72 / height + 0.008
    bottom = 0.018
    if "note" in texts:
        texts["note"].set_y(bottom)
        bottom += (texts["note"].get_text().count("\n") + 1) * SMALL_SIZE * 1.4 / 72 / height
    bottom += 0.008
    engine.set(rect=(MARGIN / 2, bottom, 1 - MARGIN, y - bottom))


def figure_texts(fig: Figure) -> dict[str, str]:
    """The texts ``annotate`` placed, by gid."""
    return {t.get_gid(): t.get_text() for t in fig.texts if t.get_gid()}
