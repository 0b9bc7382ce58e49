"""The slides in the house style (``DeckBuilder``), pictures of the figures, and the
slides other than the title and the key figures: the district table, the findings, the
sources, the commune figures and the provinces' ranking."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

import pandas as pd
from matplotlib.figure import Figure
from pptx import Presentation
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches

from ... import __version__, units
from ...formats import join, number
from ...i18n import _, use_language
from ...notebooks.story import district_wide, told_period
from ...tables.provinces import key_parts
from ..charts import figure_jobs, figure_sources, palette
from ..charts.base import (
    close_figure,
    district_name,
    english_citation,
    figure_texts,
    indicator_info,
    label,
    period_label,
    save_figure,
    strip_header,
)
from ..charts.communes import commune_jobs
from ..charts.provinces import ranking_job, ranking_period
from ..charts.timeline import timeline_jobs
from .data import PLAN_TABLES, PLAN_VS_ACTUAL, DeckData, _periods, figure_is_illustrative
from .notes import commune_notes, figure_notes, finding_lines, ranking_notes
from .text import (
    FOOTER_H,
    MARGIN_X,
    SLIDE_H,
    SLIDE_W,
    TABLE_INDICATORS,
    TITLE_H,
    TITLE_Y,
    _fill,
    _rgb,
    add_text,
    fit_text,
)


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
        self.footers: dict[int, str] = {}

    def slide(self, title: str, *, illustrative: bool = False, content: bool = True, title_size: float = 24,
              footer: str | None = None):
        """A slide titled ``title``; ``footer``: its own source line (the sources whose rows
        it draws), else the deck's."""
        slide = self.prs.slides.add_slide(self.blank)
        width = SLIDE_W - 2 * MARGIN_X - (2.6 if illustrative else 0)
        add_text(slide, MARGIN_X, TITLE_Y, width, TITLE_H, title, title_size, bold=True, name="title",
                 anchor=MSO_ANCHOR.MIDDLE)
        if illustrative:
            self.banner(slide, SLIDE_W - MARGIN_X - 2.45, TITLE_Y + 0.2, 2.45, 0.6)
        if content:
            self.content_slides.append(slide)
            self.footers[id(slide)] = footer or self.footer
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
            add_text(slide, MARGIN_X, y, SLIDE_W - 2 * MARGIN_X - 1.2, FOOTER_H, self.footers[id(slide)], 10,
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


# --------------------------------------------------------------- build -----
def _draw(stem: str, draw: Callable[[], Figure], folder: Path, size: tuple[float, float] | None = None,
          dpi: int | None = None) -> tuple[str, Path]:
    fig = draw()
    finding = " ".join(figure_texts(fig).get("subtitle", "").split())
    strip_header(fig)  # the finding is the slide's title, the source its footer
    extra = {"size": size, "dpi": dpi} if size and dpi else {}
    png = save_figure(fig, stem, folder, formats=("png",), **extra)[0]  # the slide shows the PNG alone
    close_figure(fig)
    return finding, png


def _table_slide(b: DeckBuilder, data: DeckData, lang: str, footer: str | None = None) -> None:
    """The districts' targets as a table; ``footer``: its source line (the deck's when None)."""
    overview = data.results.get("district_overview", pd.DataFrame())
    if overview.empty:
        return

    wide = district_wide(overview, data.tables.districts, data.reference, lang="vi")
    indicators = [i for i in TABLE_INDICATORS if i in set(overview.indicator)]
    infos = {i: indicator_info(i, lang, data.reference) for i in indicators}
    labels_vi = {i: indicator_info(i, "vi", data.reference)["label"] for i in indicators}
    year = int(overview.year.iloc[0])
    slide = b.slide(
        label("deck_table_title", lang, year=year), illustrative=figure_is_illustrative(data, "district_targets"),
        footer=footer)
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


def _commune_slides(b: DeckBuilder, data: DeckData, lang: str, folder: Path) -> None:
    """One slide per commune figure (``charts.communes.commune_jobs``) when a commune table
    was built: the finding as the title (with the period, and the district of a
    district's wall chart), the numbers and cells in the notes, each figure citing and
    marked by only the commune table it draws."""

    cc = data.tables.commune_criteria
    jobs = commune_jobs(data.tables, data.results, lang=lang, reference=data.reference, sources=data.sources)

    def unassessed(job) -> bool:
        """A district's wall chart with nothing assessed: one line, not a slide of hatching."""
        rows = cc[(cc.year == job.year) & (cc.status == job.status) & (cc.district_code == job.district)]
        return bool(job.district) and bool(rows["criterion_met"].isna().all())

    empty: dict[tuple[int, str], list[str]] = {}
    for job in jobs:
        if unassessed(job):
            empty.setdefault((job.year, job.status), []).append(district_name(job.district, lang, data.reference))
    said: set[tuple[int, str]] = set()
    for job in jobs:
        if unassessed(job):
            continue
        period = (job.year, job.status)
        finding, png = _draw(job.stem, job.draw, folder, job.size, job.dpi)
        where = period_label(job.year, job.status, lang)
        if job.district:
            where += ", " + district_name(job.district, lang, data.reference)
        with use_language(lang):
            title = _("{where}: {finding}").format(where=where, finding=finding)
        slide = b.slide(title, illustrative=bool(set(job.source_ids) & data.illustrative_ids), title_size=22,
                        footer=data.source_line(job.source_ids, lang))
        bottom = SLIDE_H - FOOTER_H - 0.15
        notes = [label("deck_notes_numbers", lang)] + [f"• {line}" for line in commune_notes(data, job, lang)] \
            + [data.source_line(job.source_ids, lang)]
        if period in empty and period not in said:  # on the period's first slide
            said.add(period)
            line = label("deck_no_data_districts", lang, period=period_label(*period, lang),
                         districts=join(empty[period], lang))
            bottom -= 0.45
            add_text(slide, MARGIN_X, bottom + 0.05, SLIDE_W - 2 * MARGIN_X, 0.4, line, 13,
                     colour=palette.TEXT_MUTED, name="no_data")
            notes.append(line)
        _picture(slide, png, TITLE_Y + TITLE_H + 0.1, bottom)
        _notes(slide, notes)


def _ranking_slide(b: DeckBuilder, data: DeckData, lang: str, folder: Path) -> None:
    """With several provinces: the provinces by NTM share (figure ``province_ranking``),
    the deck's province highlighted."""
    if data.overview is None:
        return

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


def _timeline_slides(b: DeckBuilder, data: DeckData, lang: str, folder: Path) -> None:
    """The new province's story across the reform of 1 July 2025: one slide per 2025 province
    of ``province_timeline`` with a share in two years or more, one of them in the 2025 units
    (figure ``province_timeline``, or ``province_timeline_{code}``: ``charts.timeline.timeline_jobs``),
    titled with its finding, the timeline's rows and findings in the notes; citing and marked
    by only the commune tables its rows sum."""

    timeline = data.results.get("province_timeline", pd.DataFrame())
    if timeline.empty:
        return
    _made_of_slide(b, data, lang)
    if data.all_sources is not None:  # a 2025 province's tables may be another 2021 province's sources
        data = replace(data, sources=data.all_sources)
    for stem, draw, _options in timeline_jobs(data.results, lang=lang, reference=data.reference,
                                              sources=data.sources):
        code = stem.removeprefix("province_timeline").lstrip("_")
        rows = timeline[timeline.province_code == code] if code and "province_code" in timeline else timeline
        shown = rows.dropna(subset=["ntm_share_pct"])
        if shown.year.nunique() < 2 or not (shown.units.astype(str) == "2025").any():
            continue  # one year is no story over the years; before the reform the province is the 2021 one
        ids = sorted({i.strip() for text in rows.sources for i in str(text).split(";") if i.strip()})
        finding, png = _draw(stem, draw, folder)
        own = data.source_line(ids, lang)
        slide = b.slide(finding, illustrative=bool(set(ids) & data.illustrative_ids), title_size=22, footer=own)
        _picture(slide, png, TITLE_Y + TITLE_H + 0.1, SLIDE_H - FOOTER_H - 0.15)
        view = replace(data, results=dict(data.results) | {"province_timeline": rows})
        _notes(slide, [label("deck_notes_numbers", lang)]
               + [f"• {line}" for line in figure_notes(view, "province_timeline", lang)] + [own])


def _predecessor_slides(b: DeckBuilder, data: DeckData, lang: str, folder: Path) -> None:
    """After a 2025 province's story, its predecessors' history (``DeckData.predecessors``): per
    2021 province with a plan, a section slide titled for it ("Tỉnh Lào Cai (trước 1/7/2025): kế
    hoạch năm 2021"), then its figures as a deck of that province alone shows them (plan against
    results first when it has results), the district table after the district targets."""
    for view in data.predecessors:
        code = view.province_code
        periods = _periods(view)
        told = told_period(view.tables, periods)
        year = told.year if told.results else (periods[1][0] if periods else None)
        name = (units.province_name(code, "2021", "en") if lang == "en" else view.reference.area_name(code)) or code
        new = units.province_name(data.province_code.removeprefix("2025-"), "2025", lang) or ""
        what = "deck_predecessor_results" if told.results else "deck_predecessor_plan"
        title = label(what if year else "deck_predecessor", lang, province=name, year=year)
        footer = view.source_line([], lang)
        plan_ids = {str(i) for name in PLAN_TABLES for i in getattr(view.tables, name)["source_id"]}
        slide = b.slide(title, illustrative=bool(plan_ids & view.illustrative_ids), footer=footer)
        top = TITLE_Y + TITLE_H + 0.3
        add_text(slide, MARGIN_X, top, SLIDE_W - 2 * MARGIN_X, 1.6,
                 label("deck_predecessor_intro", lang, province=name, new=new,
                       documents="; ".join(view.citations(lang))), 20, name="section")
        _notes(slide, [title] + view.citations(lang))
        jobs = figure_jobs(view.tables, view.results, lang, footer, reference=view.reference, left_out=[],
                           sources=view.cited or None, illustrative_ids=view.illustrative_ids)
        if told.results:
            jobs = sorted((j for j in jobs if j[0] in PLAN_VS_ACTUAL), key=lambda j: PLAN_VS_ACTUAL.index(j[0])) \
                + [j for j in jobs if j[0] not in PLAN_VS_ACTUAL]
        for stem, draw in jobs:
            finding, png = _draw(f"{code}_{stem}", draw, folder)
            own = view.source_line(figure_sources(view.tables, view.results).get(stem, []), lang)
            with use_language(lang):
                heading = _("{where}: {finding}").format(where=name, finding=finding)
            page = b.slide(heading, illustrative=figure_is_illustrative(view, stem), title_size=22, footer=own)
            _picture(page, png, TITLE_Y + TITLE_H + 0.1, SLIDE_H - FOOTER_H - 0.15)
            _notes(page, [label("deck_notes_numbers", lang)]
                   + [f"• {line}" for line in figure_notes(view, stem, lang)] + [own])
            if stem == "district_targets":
                _table_slide(b, view, lang, own)


def _in_sentence(name: str, lang: str) -> str:
    """A province's name inside a Vietnamese sentence: "tỉnh Lào Cai" ("Tỉnh Lào Cai" opens one)."""
    return name[0].lower() + name[1:] if lang == "vi" and name[:4] in ("Tỉnh", "Thàn") else name


def _made_of_slide(b: DeckBuilder, data: DeckData, lang: str) -> None:
    """What a 2025 province's communes and wards were made of (``commune_successors_2025`` of the
    latest year before the reform): how many old xã of which old provinces, how many new units merged
    two or more, how many had all, some or none of their old xã at the NTM standard, and the gaps
    (an old xã without data or assessment is not counted as not met)."""
    system, code = key_parts(data.province_code) if data.province_code else ("", "")
    successors = data.results.get("commune_successors_2025", pd.DataFrame())
    if system != "2025" or successors.empty:
        return
    rows = successors[successors["province_code_2025"].astype(str) == code]
    if rows.empty:
        return
    year = int(pd.to_numeric(rows["year"]).max())
    rows = rows[pd.to_numeric(rows["year"]) == year]
    whole = lambda column: pd.to_numeric(rows[column], errors="coerce")  # noqa: E731
    blank = lambda column: rows[column].fillna("").astype(str).str.strip() != ""  # noqa: E731
    ntm, all_ntm = whole("ntm"), rows["all_ntm"].astype(str).str.lower().isin(["true", "1"])
    olds = sorted({c.strip() for c in units.predecessor_provinces(code)})
    sources = sorted({i.strip() for text in rows["source_id"].dropna() for i in str(text).split(";") if i.strip()})
    new = units.province_name(code, "2025", lang) or code
    names = join([_in_sentence(units.province_name(c, "2021", lang) or c, lang) for c in olds], lang)
    listed = units.units_2025()
    title = label("deck_made_of_title", lang, province=new, olds=names,
                  units=number(int((listed["province_code"] == code).sum()), 0, lang))
    lines = [label("deck_made_of_communes", lang, year=year, new=number(len(rows), 0, lang),
                   old=number(whole("with_data").sum(), 0, lang),
                   merged=number(int((whole("predecessors") > 1).sum()), 0, lang)),
             label("deck_made_of_ntm", lang, year=year, all=number(int(all_ntm.sum()), 0, lang),
                   some=number(int(((ntm > 0) & ~all_ntm).sum()), 0, lang),
                   none=number(int((ntm == 0).sum()), 0, lang))]
    gaps = int((blank("without_data") | blank("not_assessed")).sum())
    if gaps:
        lines.append(label("deck_made_of_gaps", lang, n=number(gaps, 0, lang)))
    everyone = replace(data, sources=data.all_sources) if data.all_sources is not None else data
    footer = everyone.source_line(sources, lang)
    slide = b.slide(title, illustrative=bool(set(sources) & everyone.illustrative_ids), title_size=22,
                    footer=footer)
    top = TITLE_Y + TITLE_H + 0.3
    add_text(slide, MARGIN_X, top, SLIDE_W - 2 * MARGIN_X, SLIDE_H - FOOTER_H - 0.4 - top,
             "\n".join(f"• {line}" for line in lines), 20, name="made_of")
    _notes(slide, [label("deck_notes_numbers", lang)] + [f"• {line}" for line in lines] + [footer])
