"""The briefing deck: a 16:9 PowerPoint for the steering committee (Ban Chỉ đạo),
built from the processed tables, in Vietnamese by default (``lang="en"``).

Slides: title; key figures (native text); one slide per briefing figure, titled
with the figure's computed finding (its subtitle) and with the numbers behind it
and their cells in the speaker notes; the district targets as a native table;
the documents' inconsistencies (``validation.csv``); the national context
(figure ``national_context``); the sources with their sha256.

Every text box is wrapped and sized with the real metrics of the house font
(DejaVu Sans, measured by matplotlib), so no text spills out of its box. The file
is deterministic: zip entry times and the core properties are the date of the
newest source document, so the bytes change only when the data do.
"""
from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable

import pandas as pd
from matplotlib.figure import Figure
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from . import __version__
from .analysis import run_all
from .charts import figure_jobs, figure_sources, palette
from .charts.base import (
    close_figure,
    criterion_label,
    district_name,
    english_citation,
    figure_texts,
    indicator_info,
    label,
    period_label,
    save_figure,
    source_line,
    text_width,
    wrap,
)
from .charts.context import national_context, national_series
from .formats import number
from .i18n import _, use_language
from .reference import Reference, is_province, load_reference
from .text import fold
from .tidy import TidyTables

#: Slide size, inches (16:9).
SLIDE_W, SLIDE_H = 13.333, 7.5
#: The house font of the charts (ntm.mplstyle); it has every Vietnamese glyph.
FONT = "DejaVu Sans"
#: Inner margin of every text box and table cell, inches.
PAD = 0.06
#: Line height as a multiple of the font size (set exactly on every paragraph).
LINE = 1.2
#: Smallest font size a text may be shrunk to, points.
MIN_SIZE = 8.0
#: Slack kept on each line for renderers whose metrics differ slightly (fraction of width).
SLACK = 0.04
MARGIN_X = 0.45
TITLE_Y, TITLE_H = 0.3, 1.0
FOOTER_H = 0.42
#: The seven district indicators of the native table, in the plan's column order.
TABLE_INDICATORS = ("new_ntm_communes", "avg_criteria", "poverty_reduction_pct", "hygienic_latrine_pct",
                    "hygienic_water_pct", "jobs_added", "health_insurance_pct")


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


# ----------------------------------------------------------------- data -----
@dataclass
class DeckData:
    """What the deck is built from: the processed tables, the analyses run on
    them, the sources, the validation findings and the manifest."""

    tables: TidyTables
    results: dict[str, pd.DataFrame]
    sources: pd.DataFrame
    validation: pd.DataFrame
    conflicts: pd.DataFrame
    manifest: dict
    reference: Reference = field(repr=False)
    #: With several provinces: ``province_overview`` of them all, their sources, and the
    #: province the deck is about (the one with the most sources); the other fields then
    #: hold that province's tables, analyses and sources only.
    overview: pd.DataFrame | None = None
    all_sources: pd.DataFrame | None = None
    province_code: str = ""

    @property
    def illustrative_ids(self) -> set[str]:
        flags = self.sources["illustrative"].astype(str).str.lower().isin(["true", "1"])
        return set(self.sources.loc[flags, "source_id"].astype(str))

    @property
    def several_sources(self) -> bool:
        """More than one source: cells are then named with their source id."""
        return len(self.sources) > 1

    @property
    def data_date(self) -> date:
        """The newest source document's date (the deck's date)."""
        dates = pd.to_datetime(self.sources["document_date"], errors="coerce").dropna()
        return dates.max().date() if len(dates) else date(2000, 1, 1)

    def citations(self, lang: str = "vi") -> list[str]:
        cited = [str(c) for c in self.sources["citation"].dropna() if str(c).strip()]
        return [english_citation(c) for c in cited] if lang == "en" else cited


def load_deck_data(processed_dir: Path) -> DeckData:
    """Read the processed folder written by ``build`` (tidy tables, sources,
    validation, conflicts, manifest) and run the analyses on the tables (the commune
    outputs too, when a commune table was built), with the reference the build was
    given (``build --reference``, recorded in the manifest). With several provinces the
    deck is about the one with the most sources; ``overview`` holds them all."""
    from .analysis import province_overview  # noqa: PLC0415
    from .communes.results import commune_results  # noqa: PLC0415
    from .provinces import one_province, province_of_interest, provinces_in  # noqa: PLC0415

    processed_dir = Path(processed_dir)
    manifest_path = processed_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    reference_dir = (manifest.get("options") or {}).get("reference_dir") or None
    reference = load_reference(Path(reference_dir) if reference_dir else None)
    tables = TidyTables.read_csv(processed_dir)

    def csv(name: str) -> pd.DataFrame:
        path = processed_dir / f"{name}.csv"
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8") if path.exists() \
            else pd.DataFrame()

    sources = csv("sources")
    overview, all_sources, main = None, None, ""
    codes = provinces_in(tables)
    if len(codes) > 1:
        main = province_of_interest(tables) or codes[0]
        overview, all_sources = province_overview(tables, reference), sources
        tables = one_province(tables, main)
        ids = {str(s) for _name, frame in tables.items() for s in frame["source_id"]}
        sources = sources[sources["source_id"].isin(ids)].reset_index(drop=True)
    validation, conflicts = csv("validation"), csv("conflicts")
    if main and "file" in validation:  # the findings of the deck's province's files (and of no file)
        validation = validation[validation["file"].isin(set(sources["file"])) | (validation["file"] == "")]
    if main and "key" in conflicts:
        conflicts = conflicts[conflicts["key"].str.contains(f"province_code={main},", regex=False)]
    results = run_all(tables, reference) | commune_results(tables, reference)
    return DeckData(tables, results, sources, validation, conflicts, manifest, reference, overview, all_sources,
                    main)


# ----------------------------------------------------------------- text -----
def fit_text(text: str, width_in: float, height_in: float, size: float, bold: bool = False,
             min_size: float = MIN_SIZE) -> tuple[list[str], float]:
    """Wrap ``text`` to ``width_in`` inches and shrink it from ``size`` points
    until its lines fit ``height_in`` inches (lines of ``LINE`` × size). Returns
    the lines and the size. Text too long even at ``min_size`` is cut after the
    last line that fits and ends with "…"."""
    weight = "bold" if bold else "normal"
    usable_w = (width_in - 2 * PAD) * (1 - SLACK)
    usable_h = height_in - 2 * PAD
    while size >= min_size:
        lines = wrap(text, size, usable_w, weight).split("\n")
        if (all(text_width(line, size, weight) <= usable_w for line in lines)
                and len(lines) * size * LINE / 72 <= usable_h):
            return lines, size
        size -= 0.5
    # still too long at the smallest size: keep the lines that fit and end with "…"
    # (callers put the full text in the speaker notes)
    size = min_size
    lines = wrap(text, size, usable_w, weight).split("\n")
    keep = max(int(usable_h // (size * LINE / 72)), 1)
    lines = lines[:keep]
    while lines[-1] and text_width(lines[-1] + " …", size, weight) > usable_w:
        lines[-1] = lines[-1].rsplit(" ", 1)[0] if " " in lines[-1] else lines[-1][:-1]
    lines[-1] += " …"
    return lines, size


def _fill(frame, lines: list[str], size: float, bold: bool, colour: str, align=PP_ALIGN.LEFT) -> None:
    """Write ``lines`` into a text frame, one paragraph each, at an exact line height."""
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = Inches(PAD)
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        paragraph.line_spacing = Pt(size * LINE)
        paragraph.space_before = paragraph.space_after = Pt(0)
        run = paragraph.add_run()
        run.text = line
        run.font.name = FONT
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = _rgb(colour)


def add_text(slide, x: float, y: float, w: float, h: float, text: str, size: float, *, bold: bool = False,
             colour: str = palette.TEXT, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP, fill: str | None = None,
             name: str = "text", min_size: float = MIN_SIZE):
    """A text box (inches) whose text is fitted to it (see ``fit_text``)."""
    lines, fitted = fit_text(text, w, h, size, bold, min_size)
    box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    box.name = name
    box.text_frame.vertical_anchor = anchor
    _fill(box.text_frame, lines, fitted, bold, colour, align)
    if fill:
        box.fill.solid()
        box.fill.fore_color.rgb = _rgb(fill)
    return box


# --------------------------------------------------------------- slides -----
class DeckBuilder:
    """Slides in the house style; ``footer`` is the source line of content slides."""

    def __init__(self, lang: str, footer: str):
        self.lang = lang
        self.footer = footer
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
        self.blank = self.prs.slide_layouts[6]
        self.content_slides: list = []

    def slide(self, title: str, *, illustrative: bool = False, content: bool = True, title_size: float = 24):
        slide = self.prs.slides.add_slide(self.blank)
        width = SLIDE_W - 2 * MARGIN_X - (2.6 if illustrative else 0)
        add_text(slide, MARGIN_X, TITLE_Y, width, TITLE_H, title, title_size, bold=True, name="title",
                 anchor=MSO_ANCHOR.MIDDLE)
        if illustrative:
            self.banner(slide, SLIDE_W - MARGIN_X - 2.45, TITLE_Y + 0.2, 2.45, 0.6)
        if content:
            self.content_slides.append(slide)
        return slide

    def banner(self, slide, x: float, y: float, w: float, h: float, size: float = 16) -> None:
        add_text(slide, x, y, w, h, label("illustrative", self.lang), size, bold=True, colour="#FFFFFF",
                 fill=palette.HIGHLIGHT, align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE, name="illustrative")

    def finish(self) -> None:
        """Footer (source) and slide number "n/N" on every content slide."""
        total = len(self.prs.slides)
        numbers = {id(s): i + 1 for i, s in enumerate(self.prs.slides)}
        y = SLIDE_H - FOOTER_H - 0.08
        for slide in self.content_slides:
            add_text(slide, MARGIN_X, y, SLIDE_W - 2 * MARGIN_X - 1.2, FOOTER_H, self.footer, 10,
                     colour=palette.TEXT_MUTED, name="footer", anchor=MSO_ANCHOR.MIDDLE, min_size=6.5)
            add_text(slide, SLIDE_W - MARGIN_X - 1.1, y, 1.1, FOOTER_H, f"{numbers[id(slide)]}/{total}", 10,
                     colour=palette.TEXT_MUTED, align=PP_ALIGN.RIGHT, name="slide_number", anchor=MSO_ANCHOR.MIDDLE)


def _notes(slide, lines: list[str]) -> None:
    slide.notes_slide.notes_text_frame.text = "\n".join(lines)


def _picture(slide, png: Path, top: float, bottom: float) -> None:
    """The PNG at full resolution, as large as fits between ``top`` and
    ``bottom`` (inches), centred, its aspect ratio kept."""
    from PIL import Image  # noqa: PLC0415  (Pillow comes with matplotlib)

    with Image.open(png) as image:
        px_w, px_h = image.size
    box_w, box_h = SLIDE_W - 2 * MARGIN_X, bottom - top
    scale = min(box_w / px_w, box_h / px_h)
    w, h = px_w * scale, px_h * scale
    picture = slide.shapes.add_picture(str(png), Inches((SLIDE_W - w) / 2), Inches(top), Emu(int(Inches(w))),
                                       Emu(int(Inches(h))))
    picture.name = "figure"


# -------------------------------------------------------- what is shown -----
def _periods(data: DeckData) -> tuple[tuple[int, str], tuple[int, str]] | None:
    gaps = data.results.get("criteria_gaps")
    if gaps is None or gaps.empty:
        return None
    row = gaps.iloc[0]
    return (int(row.base_year), str(row.base_status)), (int(row.compare_year), str(row.compare_status))


def figure_is_illustrative(data: DeckData, stem: str) -> bool:
    """Whether a figure draws on rows of an illustrative source for a period it shows:
    for the briefing figures, the sources ``charts.figure_sources`` says they draw; for
    the national context, the province's rows (it shows every period of them)."""
    if stem == "national_context":
        return bool(set(data.tables.province["source_id"].astype(str)) & data.illustrative_ids)
    return bool(set(figure_sources(data.tables, data.results).get(stem, [])) & data.illustrative_ids)


# ---------------------------------------------------------------- notes -----
def _row_line(what: str, row: pd.Series, value: float, decimals: int, unit: str, lang: str,
              multi: bool = False) -> str:
    """"10. Thu nhập, 2021 (kế hoạch): 77 xã (Biểu 01!E24)"; with several
    sources the cell is prefixed with its source id."""
    period = period_label(int(row.year), str(row.status), lang)
    shown = number(value, decimals, lang) if pd.notna(value) else "–"
    where = f"{row.source_id} › {row.cell}" if multi else str(row.cell)
    return f"{what}, {period}: {shown} {unit} ({where})".replace("  ", " ")


def _criteria_lines(data: DeckData, ids: list[int], periods: list[tuple[int, str]], lang: str) -> list[str]:
    crit = data.tables.criteria
    lines = []
    for cid in ids:
        for year, status in periods:
            rows = crit[(crit.criterion_id == cid) & (crit.year == year) & (crit.status == status)]
            for _i, row in rows.iterrows():
                lines.append(_row_line(criterion_label(cid, row.criterion, lang, data.reference), row, row.communes, 0,
                                       label("communes", lang), lang, data.several_sources))
    return lines


def _province_lines(data: DeckData, indicators: list[str], periods: list[tuple[int, str]], lang: str) -> list[str]:
    prov = data.tables.province
    lines = []
    for indicator in indicators:
        info = indicator_info(indicator, lang, data.reference)
        for year, status in periods:
            rows = prov[(prov.indicator == indicator) & (prov.year == year) & (prov.status == status)]
            for _i, row in rows.iterrows():
                lines.append(
                    _row_line(
                        str(info["label"]),
                        row,
                        row.value,
                        int(info["decimals"]),
                        str(info["unit"]),
                        lang,
                        data.several_sources,
                    )
                )
    return lines


def _district_lines(data: DeckData, rows: pd.DataFrame, lang: str) -> list[str]:
    lines = []
    for _i, row in rows.iterrows():
        info = indicator_info(row.indicator, lang, data.reference)
        what = f"{district_name(row.area_code, lang, data.reference, row.area)} – {info['label']}"
        lines.append(
            _row_line(what, row, row.value, int(info["decimals"]), str(info["unit"]), lang, data.several_sources)
        )
    return lines


def _funding_lines(data: DeckData, rows: pd.DataFrame, lang: str) -> list[str]:
    return [
        _row_line(
            str(row.source), row, row.amount_million_vnd, 0, label("million_vnd", lang), lang, data.several_sources
        )
        for _i, row in rows.iterrows()
    ]


def _band_name(row: pd.Series, lang: str) -> str:
    """ "19 tiêu chí", "5–9 tiêu chí" (the chart labels of reference/labels.csv)."""
    lo, hi = int(row.min_criteria), int(row.max_criteria)
    return label("band_exact", lang, n=lo) if lo == hi else label("band_range", lang, lo=lo, hi=hi)


def figure_notes(data: DeckData, stem: str, lang: str = "vi") -> list[str]:
    """The three to five figures behind a figure's finding, each with its cell."""
    r, t = data.results, data.tables
    periods = _periods(data)
    pair = list(periods) if periods else []
    compare = pair[-1] if pair else None
    if stem == "criteria_gaps" and compare:
        low = t.criteria[(t.criteria.year == compare[0]) & (t.criteria.status == compare[1])]
        ids = [int(i) for i in low.sort_values(["communes", "criterion_id"]).criterion_id.head(2)]
        return _criteria_lines(data, ids, pair, lang) + _province_lines(data, ["total_communes"], [compare], lang)
    if stem == "ntm_ceiling" and compare:
        ceiling = r["ntm_ceiling"]
        part = ceiling[(ceiling.year == compare[0]) & (ceiling.status == compare[1])]
        ids = [int(i) for i in part.sort_values("role").criterion_id.head(2)]
        return _criteria_lines(data, ids, [compare], lang) + _province_lines(data, ["ntm_communes"], pair, lang)
    if stem == "commune_bands":
        bands = t.commune_bands
        keep = bands[bands.min_criteria.isin([bands.min_criteria.max(), bands.min_criteria.min()])]
        return [
            _row_line(_band_name(row, lang), row, row.communes, 0, label("communes", lang), lang, data.several_sources)
            for _i, row in keep.sort_values(["min_criteria", "year"], ascending=[False, True]).iterrows()
        ]
    if stem in ("district_targets", "district_attainment"):
        d = t.districts
        status = "target" if stem == "district_targets" else "actual"
        part = d[d.status == status]
        if part.empty:
            return []
        year = int(part.year.max())
        part = part[part.year == year]
        prov = part[is_province(part.area_code.astype(str))]
        picks = [prov[prov.indicator == i] for i in ("new_ntm_communes", "avg_criteria")]
        avg = part[(part.indicator == "avg_criteria") & ~is_province(part.area_code.astype(str))].dropna(subset="value")
        if not avg.empty:
            picks += [avg.loc[[avg.value.idxmin()]], avg.loc[[avg.value.idxmax()]]]
        return _district_lines(data, pd.concat(picks), lang)
    if stem == "funding_sources":
        f = t.funding[t.funding.status == "target"]
        payers = r.get("funding_by_payer", pd.DataFrame())
        central = payers.loc[payers.payer == "central", "label_vi"] if not payers.empty else []
        is_central = f.source.map(fold).isin([fold(c) for c in central])
        picks = [f[f.level.astype(int) == 0], f[f.is_leaf].nlargest(2, "amount_million_vnd"), f[is_central]]
        return _funding_lines(data, pd.concat(picks).drop_duplicates(subset=["year", "code"]).head(5), lang)
    if stem == "funding_plan_vs_actual":
        f = t.funding
        top = f[f.is_leaf & (f.status == "target")].nlargest(1, "amount_million_vnd").code
        return _funding_lines(data, f[(f.level.astype(int) == 0) | f.code.isin(top)], lang)
    if stem == "plan_vs_actual_criteria":
        pva = r["plan_vs_actual_criteria"]
        year = int(pva.year.max())
        ids = [int(i) for i in pva[pva.year == year].sort_values("gap").criterion_id.head(2)]
        return _criteria_lines(data, ids, [(year, "target"), (year, "actual")], lang)
    if stem == "national_context":
        national = national_series()
        lines = _province_lines(data, ["ntm_communes", "total_communes"], pair, lang)
        first = national.iloc[0]
        lines.append(
            f"{label('context_national', lang)}, {first.as_of}: "
            f"{number(first.share_pct, 1, lang, percent=True)} ({first.source}, "
            f"ntm_analysis/reference/context.csv)"
        )
        return lines
    return []


# --------------------------------------------------------------- build -----
def _draw(stem: str, draw: Callable[[], Figure], folder: Path, size: tuple[float, float] | None = None,
          dpi: int | None = None) -> tuple[str, Path]:
    fig = draw()
    finding = " ".join(figure_texts(fig).get("subtitle", "").split())
    extra = {"size": size, "dpi": dpi} if size and dpi else {}
    png = save_figure(fig, stem, folder, formats=("png",), **extra)[0]  # the slide shows the PNG alone
    close_figure(fig)
    return finding, png


def _province(data: DeckData, lang: str) -> tuple[str, str]:
    """The province's name for the title ("tỉnh Lào Cai" / "Lào Cai province")
    and for a legend ("Lào Cai"), from the province code of the district table
    (the gazetteer's names; the table's own name if the code is unknown)."""
    d = data.tables.districts
    codes = [str(c) for c in d.area_code if len(str(c)) == 2]
    rows = data.reference.districts
    row = rows[rows.area_code == (codes[0] if codes else "")]
    if row.empty:
        prov = d[is_province(d.area_code.astype(str))]
        name = str(prov.area.iloc[0]) if len(prov) else ""
        return name, name
    full, en = str(row.area.iloc[0]), str(row.area_en.iloc[0])
    short = full.split(" ", 1)[1] if full.lower().startswith("tỉnh ") else full
    return (full[0].lower() + full[1:] if lang == "vi" else en), short


def _key_figures(b: DeckBuilder, data: DeckData, lang: str) -> None:
    r, t = data.results, data.tables
    periods = _periods(data)
    cards: list[tuple[str, str, str]] = []
    if periods:
        (by, bs), (cy, cs) = periods
        prov = t.province.set_index(["year", "status", "indicator"])["value"]

        def value(year, status, indicator):
            return prov.get((year, status, indicator), pd.NA)

        total = value(cy, cs, "total_communes")
        b_ntm, c_ntm = value(by, bs, "ntm_communes"), value(cy, cs, "ntm_communes")
        def share(n):
            return (
                    number(100 * n / total, 1, lang, percent=True) if pd.notna(n) and pd.notna(total) else "–"
                )
        cards.append(
            (
                label("deck_key_ntm", lang),
                label(
                    "deck_key_ntm_value", lang, base=number(b_ntm, 0, lang), compare=number(c_ntm, 0, lang)
                ),
                label(
                    "deck_key_ntm_note",
                    lang,
                    base_share=share(b_ntm),
                    compare_share=share(c_ntm),
                    total=number(total, 0, lang),
                ),
            )
        )
        cards.append(
            (
                label("deck_key_avg", lang),
                f"{number(value(by, bs, 'avg_criteria'), 2, lang)} → "
                f"{number(value(cy, cs, 'avg_criteria'), 2, lang)}",
                label("deck_key_avg_note", lang, base=period_label(by, bs, lang), compare=period_label(cy, cs, lang)),
            )
        )
        ceiling = r.get("ntm_ceiling", pd.DataFrame())
        binding = (
            ceiling[(ceiling.year == cy) & (ceiling.status == cs) & (ceiling.role == "binding")]
            if not ceiling.empty
            else ceiling
        )
        if not binding.empty:
            names = ", ".join(
                criterion_label(int(i), n, lang, data.reference)
                for i, n in zip(binding.criterion_id, binding.criterion)
            )
            cards.append(
                (
                    label("deck_key_binding", lang, period=period_label(cy, cs, lang)),
                    names,
                    label("deck_key_binding_note", lang, communes=number(binding.communes.iloc[0], 0, lang)),
                )
            )
    payers = r.get("funding_by_payer", pd.DataFrame())
    funding = t.funding[(t.funding.level.astype(int) == 0) & (t.funding.status == "target")]
    if not payers.empty and not funding.empty:
        total_row = funding.iloc[-1]
        central = payers[payers.payer == "central"]
        cards.append(
            (
                label("deck_key_funding", lang, period=period_label(int(total_row.year), "target", lang)),
                label("deck_key_funding_value", lang, total=number(total_row.amount_million_vnd, 0, lang)),
                label(
                    "deck_key_funding_note",
                    lang,
                    central=number(central.amount_million_vnd.sum(), 0, lang),
                    share=number(100 * central.share_of_total.sum(), 1, lang, percent=True),
                )
                if not central.empty
                else "",
            )
        )
    attainment = r.get("district_attainment", pd.DataFrame())
    illustrative_attainment = False
    if not attainment.empty:
        from .explain import attainment_counts  # noqa: PLC0415

        counts = attainment_counts(attainment, data.reference)
        if counts["pairs"]:
            year = int(attainment.year.max())
            cards.append(
                (
                    label("deck_key_attainment", lang, year=year),
                    label(
                        "deck_key_attainment_value",
                        lang,
                        met=number(counts["met"], 0, lang),
                        pairs=number(counts["pairs"], 0, lang),
                    ),
                    label(
                        "deck_key_attainment_note",
                        lang,
                        share=number(100 * counts["met"] / counts["pairs"], 0, lang, percent=True),
                    ),
                )
            )
            illustrative_attainment = figure_is_illustrative(data, "district_attainment")
    slide = b.slide(label("deck_key_title", lang), illustrative=illustrative_attainment)
    columns = 3 if len(cards) > 4 else 2
    gap = 0.3
    w = (SLIDE_W - 2 * MARGIN_X - gap * (columns - 1)) / columns
    top, bottom = TITLE_Y + TITLE_H + 0.2, SLIDE_H - FOOTER_H - 0.3
    rows = (len(cards) + columns - 1) // columns
    h = (bottom - top - gap * (rows - 1)) / max(rows, 1)
    for i, (head, big, note) in enumerate(cards):
        x, y = MARGIN_X + (i % columns) * (w + gap), top + (i // columns) * (h + gap)
        card = slide.shapes.add_shape(1, Inches(x), Inches(y), Inches(w), Inches(h))
        card.name = "card"
        card.fill.solid()
        card.fill.fore_color.rgb = _rgb("#F2F2F2")
        card.line.fill.background()
        add_text(slide, x + 0.15, y + 0.1, w - 0.3, h * 0.25, head, 16, colour=palette.TEXT_MUTED, name="card_head")
        add_text(
            slide,
            x + 0.15,
            y + 0.1 + h * 0.25,
            w - 0.3,
            h * 0.4,
            big,
            32,
            bold=True,
            colour=palette.COMPARE,
            name="card_value",
            anchor=MSO_ANCHOR.MIDDLE,
        )
        if note:
            add_text(
                slide, x + 0.15, y + 0.1 + h * 0.65, w - 0.3, h * 0.3, note, 14, colour=palette.TEXT, name="card_note"
            )
    _notes(slide, [f"{head}: {big}. {note}" for head, big, note in cards])


def _table_slide(b: DeckBuilder, data: DeckData, lang: str) -> None:
    overview = data.results.get("district_overview", pd.DataFrame())
    if overview.empty:
        return
    from .story import district_wide  # noqa: PLC0415

    wide = district_wide(overview, data.tables.districts, data.reference, lang="vi")
    indicators = [i for i in TABLE_INDICATORS if i in set(overview.indicator)]
    infos = {i: indicator_info(i, lang, data.reference) for i in indicators}
    labels_vi = {i: indicator_info(i, "vi", data.reference)["label"] for i in indicators}
    year = int(overview.year.iloc[0])
    slide = b.slide(
        label("deck_table_title", lang, year=year), illustrative=figure_is_illustrative(data, "district_targets")
    )
    n_rows, n_cols = len(wide) + 1, len(indicators) + 1
    top, bottom = TITLE_Y + TITLE_H + 0.1, SLIDE_H - FOOTER_H - 0.2
    width = SLIDE_W - 2 * MARGIN_X
    first_w = 1.9
    col_w = (width - first_w) / len(indicators)
    header_h = 1.0
    row_h = (bottom - top - header_h) / (n_rows - 1)
    shape = slide.shapes.add_table(
        n_rows, n_cols, Inches(MARGIN_X), Inches(top), Inches(width), Inches(header_h + row_h * (n_rows - 1))
    )
    shape.name = "district_table"
    table = shape.table
    table.columns[0].width = Inches(first_w)
    for j in range(1, n_cols):
        table.columns[j].width = Inches(col_w)
    table.rows[0].height = Inches(header_h)
    for i in range(1, n_rows):
        table.rows[i].height = Inches(row_h)

    def cell(i, j, text, size, bold=False, align=PP_ALIGN.RIGHT, w=col_w, h=row_h, fill="#FFFFFF", colour=palette.TEXT):
        lines, fitted = fit_text(text, w, h, size, bold)
        c = table.cell(i, j)
        c.vertical_anchor = MSO_ANCHOR.MIDDLE
        c.fill.solid()
        c.fill.fore_color.rgb = _rgb(fill)
        _fill(c.text_frame, lines, fitted, bold, colour, align)

    cell(0, 0, label("deck_table_area", lang), 12, True, PP_ALIGN.LEFT, first_w, header_h, palette.COMPARE, "#FFFFFF")
    for j, indicator in enumerate(indicators, start=1):
        info = infos[indicator]
        head = (
            f"{info['label']} ({info['unit']})"
            if info["unit"] and info["unit"] not in info["label"]
            else str(info["label"])
        )
        cell(0, j, head, 11, True, PP_ALIGN.CENTER, col_w, header_h, palette.COMPARE, "#FFFFFF")
    for i, (_i, row) in enumerate(wide.iterrows(), start=1):
        province_row = len(str(row.area_code)) == 2
        fill = "#E8F1F8" if province_row else ("#FFFFFF" if i % 2 else "#F7F7F7")
        cell(
            i,
            0,
            district_name(str(row.area_code), lang, data.reference, str(row.area)),
            12,
            province_row,
            PP_ALIGN.LEFT,
            first_w,
            row_h,
            fill,
        )
        for j, indicator in enumerate(indicators, start=1):
            value = row.get(labels_vi[indicator])
            text = number(value, int(infos[indicator]["decimals"]), lang) if pd.notna(value) else "–"
            cell(i, j, text, 12, province_row, PP_ALIGN.RIGHT, col_w, row_h, fill)
    cells = data.tables.districts
    part = cells[(cells.year == year) & (cells.status == overview.status.iloc[0])]
    _notes(
        slide,
        [
            label(
                "deck_notes_source",
                lang,
                citation="; ".join(data.citations(lang)),
                cells=f"{part.cell.iloc[0]} … {part.cell.iloc[-1]}" if len(part) else "–",
            )
        ],
    )


def finding_lines(data: DeckData, lang: str = "vi") -> list[str]:
    """The documents' inconsistencies in plain words: the failing reconciliation
    findings of ``validation.csv`` and the source conflicts."""
    lines = []
    overview = data.results.get("district_overview", pd.DataFrame())
    for _i, row in data.validation.iterrows():
        if row.get("severity") not in ("error", "warning"):
            continue
        where = " › ".join(x for x in (row.get("file", ""), row.get("sheet", "")) if x)
        where += f"!{row['cell']}" if row.get("cell") else ""
        avg = overview[overview.indicator == "avg_criteria"] if not overview.empty else overview
        if row.get("check") == "weighted_average" and not avg.empty and "implied_province_value" in avg:
            districts = avg[~is_province(avg.area_code.astype(str))]
            lines.append(
                label(
                    "deck_finding_weighted",
                    lang,
                    sheet=row.get("sheet", ""),
                    n=len(districts),
                    implied=number(avg.implied_province_value.iloc[0], 2, lang),
                    stated=number(avg.province_value.iloc[0], 2, lang),
                    cell=row.get("cell", ""),
                )
            )
            continue
        lines.append(
            label(
                "deck_finding_other",
                lang,
                severity=label(f"deck_severity_{row['severity']}", lang),
                where=where,
                message=row.get("message", ""),
            )
        )
    for _i, row in data.conflicts.iterrows():
        lines.append(conflict_line(row, lang, data.reference))
    return lines


def conflict_line(row: pd.Series, lang: str = "vi", reference: Reference | None = None) -> str:
    """One row of ``conflicts.csv`` in words: what, both values with their source
    and cell, and which one the build kept."""
    reference = reference or load_reference()
    key = dict(part.strip().split("=", 1) for part in str(row.get("key", "")).split(",") if "=" in part)
    decimals = 0
    what = str(row.get("table", ""))
    if "indicator" in key:
        info = indicator_info(key["indicator"], lang, reference)
        what, decimals = str(info["label"]), int(info["decimals"])
    elif "criterion_id" in key:
        what = criterion_label(int(key["criterion_id"]), "", lang, reference).rstrip(". ")
    if "year" in key and "status" in key:
        what += f", {period_label(int(key['year']), key['status'], lang)}"

    def value(side: str) -> str:
        figure = pd.to_numeric(row.get(f"{side}_value"), errors="coerce")
        shown = number(figure, decimals, lang) if pd.notna(figure) else str(row.get(f"{side}_value", ""))
        return f"{shown} ({row.get(f'{side}_source', '')}, {row.get(f'{side}_cell', '')})"

    return label(
        "deck_finding_conflict",
        lang,
        what=what,
        earlier=value("earlier"),
        later=value("later"),
        kept=row.get("kept", ""),
    )


def _findings_slide(b: DeckBuilder, data: DeckData, lang: str) -> None:
    lines = finding_lines(data, lang) or [label("deck_findings_none", lang)]
    slide = b.slide(label("deck_findings_title", lang))
    top, bottom = TITLE_Y + TITLE_H + 0.2, SLIDE_H - FOOTER_H - 0.3
    text = "\n".join(f"• {line}" for line in lines[:8])
    add_text(slide, MARGIN_X, top, SLIDE_W - 2 * MARGIN_X, bottom - top, text, 20, name="findings")
    _notes(slide, [line for line in lines])


def _sources_slide(b: DeckBuilder, data: DeckData, lang: str) -> None:
    slide = b.slide(label("deck_sources_title", lang))
    suffix = label("deck_illustrative_suffix", lang)
    docs = []
    for _i, row in (data.all_sources if data.all_sources is not None else data.sources).iterrows():
        citation = str(row.get("citation", "")) or str(row.get("file", ""))
        citation = english_citation(citation) if lang == "en" else citation
        illustrative = str(row.get("illustrative", "")).lower() in ("true", "1")
        docs.append(
            "• " + label("deck_document_line", lang, citation=citation, illustrative=suffix if illustrative else "")
        )
    files = [f"• {name}: {digest}" for name, digest in sorted(data.manifest.get("inputs", {}).items())]
    top = TITLE_Y + TITLE_H + 0.1
    w = SLIDE_W - 2 * MARGIN_X
    add_text(slide, MARGIN_X, top, w, 0.45, label("deck_sources_documents", lang), 18, bold=True, name="heading")
    add_text(slide, MARGIN_X, top + 0.45, w, 1.5, "\n".join(docs), 15, name="documents")
    add_text(slide, MARGIN_X, top + 2.0, w, 0.45, label("deck_sources_files", lang), 18, bold=True, name="heading")
    add_text(slide, MARGIN_X, top + 2.45, w, 1.7, "\n".join(files) or "–", 11, name="files")
    add_text(
        slide,
        MARGIN_X,
        top + 4.25,
        w,
        0.8,
        label("deck_sources_method", lang, version=__version__),
        14,
        colour=palette.TEXT_MUTED,
        name="method",
    )
    _notes(slide, docs + files)


def _where(rows: pd.DataFrame, several: bool, listed: bool = False) -> str:
    """"Bảng xã!D7 … Bảng xã!V7" (the first and last cell of ``rows``, which run along a
    row or a column), or with ``listed`` each cell ("Bảng xã!N99, Bảng xã!N115"); with
    the source id in front when the deck has several sources."""
    if rows.empty:
        return "–"
    first, last = str(rows["cell"].iloc[0]), str(rows["cell"].iloc[-1])
    cells = ", ".join(map(str, rows["cell"])) if listed else first if first == last else f"{first} … {last}"
    return f"{rows['source_id'].iloc[0]} › {cells}" if several else cells


def commune_notes(data: DeckData, job, lang: str = "vi") -> list[str]:
    """The three to five numbers behind a commune figure's finding, each with its cells
    in the commune table (``job``: a ``charts.communes.CommuneJob``)."""
    cc, ready = data.tables.commune_criteria, data.results.get("commune_readiness", pd.DataFrame())
    part = ready[(ready.year == job.year) & (ready.status == job.status)]
    rows = cc[(cc.year == job.year) & (cc.status == job.status)]
    if job.district:
        part, rows = part[part.district_code == job.district], rows[rows.district_code == job.district]
    several = data.several_sources
    crit = data.reference.criteria
    crit = crit[crit.criteria_set == data.reference.criteria_set_for(job.year)]  # as the figure names them
    names = dict(zip(crit.criterion_id.astype(int), crit.criterion))
    with use_language(lang):
        if job.stem.startswith("commune_wall"):
            counts = part["state"].value_counts()
            return [_("{what}: {n} communes").format(what=what, n=number(counts.get(state, 0), 0, lang))
                    for state, what in (("ntm", _("all 19 criteria met")), ("near", _("1–3 criteria missing")),
                                        ("far", _("more than 3 criteria missing")),
                                        ("partial", _("not fully assessed")))] \
                + [_("{n} communes in the table, cells {where}").format(n=number(len(part), 0, lang),
                                                                        where=_where(rows, several))]
        if job.stem.startswith("commune_near"):
            near = part[part.state == "near"].sort_values(["criteria_unmet", "district_code", "commune"]).head(4)
            lines = [_("communes close to the standard: {n}").format(
                n=number(int((part.state == "near").sum()), 0, lang))]
            for r in near.itertuples():
                missing = ", ".join(criterion_label(int(i), names.get(int(i), ""), lang, data.reference)
                                    for i in str(r.missing).split(";") if i)
                lines.append(_("{commune} ({district}): {met}/19 criteria, missing {missing} ({where})").format(
                    commune=r.commune, district=district_name(r.district_code, lang, data.reference),
                    met=number(r.criteria_met, 0, lang), missing=missing,
                    where=_where(rows[rows.commune_code == r.commune_code], several)))
            return lines
        blocking = data.results.get("commune_blocking_criteria", pd.DataFrame())
        top = blocking[(blocking.year == job.year) & (blocking.status == job.status)] \
            .sort_values(["near_communes", "criterion_id"], ascending=[False, True]).head(4)
        near_codes = set(part.loc[part.state == "near", "commune_code"])
        lines = [_("communes close to the standard: {n}").format(n=number(len(near_codes), 0, lang))]
        for r in top.itertuples():
            cells = rows[(rows.criterion_id == r.criterion_id) & rows.commune_code.isin(near_codes)
                         & (rows.criterion_met == False)]  # noqa: E712  (nullable: blank is not unmet)
            lines.append(_("{criterion}: missing in {n} of them ({where})").format(
                criterion=criterion_label(int(r.criterion_id), names.get(int(r.criterion_id), ""), lang,
                                          data.reference),
                n=number(r.near_communes, 0, lang), where=_where(cells, several, listed=True)))
        return lines


def _commune_slides(b: DeckBuilder, data: DeckData, lang: str, folder: Path) -> None:
    """One slide per commune figure (``charts.communes.commune_jobs``) when a commune table
    was built: the finding as the title (with the period, and the district of a
    district's wall chart), the numbers and cells in the notes, each figure citing and
    marked by only the commune table it draws."""
    from .charts.communes import commune_jobs  # noqa: PLC0415

    for job in commune_jobs(data.tables, data.results, lang=lang, reference=data.reference, sources=data.sources):
        finding, png = _draw(job.stem, job.draw, folder, job.size, job.dpi)
        where = period_label(job.year, job.status, lang)
        if job.district:
            where += ", " + district_name(job.district, lang, data.reference)
        with use_language(lang):
            title = _("{where}: {finding}").format(where=where, finding=finding)
        slide = b.slide(title, illustrative=bool(set(job.source_ids) & data.illustrative_ids), title_size=22)
        _picture(slide, png, TITLE_Y + TITLE_H + 0.1, SLIDE_H - FOOTER_H - 0.15)
        citations = data.sources[data.sources["source_id"].isin(job.source_ids)]["citation"].tolist() \
            if "citation" in data.sources else []
        _notes(slide, [label("deck_notes_numbers", lang)] + [f"• {line}" for line in commune_notes(data, job, lang)]
               + [source_line(citations, lang)])


def ranking_notes(data: DeckData, period: tuple[int, str], lang: str = "vi") -> list[str]:
    """The numbers behind the ranking: the deck's province, the highest and the lowest,
    each with its NTM and total communes and their cells."""
    from .charts.provinces import province_short, shares_of  # noqa: PLC0415

    rows = shares_of(data.overview, period)
    picks = rows[rows.province_code == data.province_code]
    picks = pd.concat([picks, rows.head(1), rows.tail(1)]).drop_duplicates(subset="province_code")
    lines = []
    with use_language(lang):
        for r in picks.itertuples():
            lines.append(_("{province}, {period}: {ntm}/{total} communes at the NTM standard, {share} "
                           "({source}: {cells})").format(
                province=province_short(r.province_code, data.reference), period=period_label(*period, lang),
                ntm=number(r.ntm_communes, 0, lang), total=number(r.total_communes, 0, lang),
                share=number(r.ntm_share_pct, 1, lang, percent=True), source=r.source_id, cells=r.cell))
    return lines


def _ranking_slide(b: DeckBuilder, data: DeckData, lang: str, folder: Path) -> None:
    """With several provinces: the provinces by NTM share (figure ``province_ranking``),
    the deck's province highlighted."""
    if data.overview is None:
        return
    from .charts.provinces import ranking_job, ranking_period  # noqa: PLC0415

    job = ranking_job(data.overview, data.province_code, data.all_sources, lang=lang, reference=data.reference)
    if job is None:
        return
    fig = job[1]()
    illustrative = "illustrative" in figure_texts(fig)
    finding, png = _draw(job[0], lambda: fig, folder)
    slide = b.slide(finding, illustrative=illustrative, title_size=22)
    _picture(slide, png, TITLE_Y + TITLE_H + 0.1, SLIDE_H - FOOTER_H - 0.15)
    _notes(slide, [label("deck_notes_numbers", lang)]
           + [f"• {line}" for line in ranking_notes(data, ranking_period(data.overview), lang)])


def build_deck(processed_dir: Path, out: Path, lang: str = "vi") -> Path:
    """Write the briefing deck for the processed folder ``processed_dir`` to
    ``out`` (atomically: a temporary file renamed into place). Returns ``out``."""
    data = load_deck_data(processed_dir)
    # how each source is cited: its citation, else its file name (a source is never left out)
    cited = {str(r.source_id): (str(r.citation) if pd.notna(r.citation) and str(r.citation).strip() else
                                str(r.file)) for r in data.sources.itertuples()} if len(data.sources) else None
    citations = list((cited or {}).values())
    footer = source_line(citations, lang) or label("source_unknown", lang)
    b = DeckBuilder(lang, footer)
    everyone = data.all_sources if data.all_sources is not None else data.sources
    any_illustrative = bool(data.illustrative_ids) or bool(
        everyone["illustrative"].astype(str).str.lower().isin(["true", "1"]).any() if "illustrative" in everyone
        else False)
    province_title, province_short = _province(data, lang)

    # title slide
    slide = b.slide(label("deck_title", lang, province=province_title), content=False, title_size=34)
    slide.shapes[0].top = Inches(1.6)
    slide.shapes[0].height = Inches(1.6)
    periods = _periods(data)
    if periods:
        add_text(
            slide,
            MARGIN_X,
            3.4,
            SLIDE_W - 2 * MARGIN_X,
            0.6,
            label("deck_period", lang, base=period_label(*periods[0], lang), compare=period_label(*periods[1], lang)),
            22,
            colour=palette.COMPARE,
            name="period",
        )
    add_text(
        slide,
        MARGIN_X,
        4.1,
        SLIDE_W - 2 * MARGIN_X,
        1.4,
        label("deck_data_date", lang, documents="; ".join(data.citations(lang))),
        16,
        colour=palette.TEXT_MUTED,
        name="data_date",
    )
    if any_illustrative:
        b.banner(slide, MARGIN_X, 5.7, 4.0, 0.8, size=24)

    _key_figures(b, data, lang)

    with tempfile.TemporaryDirectory(prefix="ntm-deck-") as tmp:
        folder = Path(tmp)
        # each figure drawn with its own banner: marked only if it shows illustrative rows
        # each figure cites the sources whose rows it draws
        marked = dict(figure_jobs(data.tables, data.results, lang, footer, illustrative=True, reference=data.reference,
                                  sources=cited))
        for stem, plain_draw in figure_jobs(data.tables, data.results, lang, footer, reference=data.reference,
                                            sources=cited):
            illustrative = figure_is_illustrative(data, stem)
            job_draw = marked[stem] if illustrative else plain_draw
            finding, png = _draw(stem, job_draw, folder)
            slide = b.slide(finding, illustrative=illustrative, title_size=22)
            _picture(slide, png, TITLE_Y + TITLE_H + 0.1, SLIDE_H - FOOTER_H - 0.15)
            _notes(
                slide,
                [label("deck_notes_numbers", lang)]
                + [f"• {line}" for line in figure_notes(data, stem, lang)]
                + [source_line(citations, lang)],
            )
            if stem == "district_targets":
                _table_slide(b, data, lang)
        _commune_slides(b, data, lang, folder)
        _findings_slide(b, data, lang)
        try:
            def fig_draw():
                return national_context(
                            data.tables.province,
                            province_short,
                            lang=lang,  # noqa: E731
                            source_line=footer,
                            illustrative=figure_is_illustrative(data, "national_context"),
                        )
            finding, png = _draw("national_context", fig_draw, folder)
        except ValueError:
            finding = ""
        if finding:
            slide = b.slide(finding, illustrative=figure_is_illustrative(data, "national_context"), title_size=22)
            _picture(slide, png, TITLE_Y + TITLE_H + 0.1, SLIDE_H - FOOTER_H - 0.15)
            _notes(
                slide,
                [label("deck_notes_numbers", lang)]
                + [f"• {line}" for line in figure_notes(data, "national_context", lang)],
            )
        _ranking_slide(b, data, lang, folder)
        _sources_slide(b, data, lang)
        b.finish()
        stamp = datetime.combine(data.data_date, datetime.min.time())
        props = b.prs.core_properties
        props.title = label("deck_title", lang, province=province_title)
        props.author = props.last_modified_by = "ntm-analysis"
        props.created = props.modified = props.last_printed = stamp
        props.revision = 1
        props.language = lang
        buffer = io.BytesIO()
        b.prs.save(buffer)
    return write_deterministic(buffer.getvalue(), Path(out), stamp)


def write_deterministic(pptx: bytes, out: Path, stamp: datetime) -> Path:
    """Rewrite the zip with every entry dated ``stamp`` (same data, same bytes),
    into a temporary file that is then renamed to ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".deck-", suffix=".pptx", dir=out.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(io.BytesIO(pptx)) as zin, zipfile.ZipFile(tmp_name, "w") as zout:
            for info in zin.infolist():
                entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                zout.writestr(entry, zin.read(info.filename))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_name, 0o666 & ~umask)  # an ordinary file, not mkstemp's private 0600
        os.replace(tmp_name, out)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return out
