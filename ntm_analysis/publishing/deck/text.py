"""Text in the deck's boxes: every box wrapped and sized with the real metrics of the
house font (DejaVu Sans, measured by matplotlib), so no text spills out of its box."""
from __future__ import annotations

from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Inches, Pt

from ..charts import palette
from ..charts.base import text_width, wrap

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
