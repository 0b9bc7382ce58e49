"""Vietnamese sentences from data, numbers written the Vietnamese way.

The notebooks never type a figure into their text: they compute it in pandas and write
it with an f-string and ``formats.number`` / ``share`` / ``signed`` (``f"{number(72)} xã
({share(72 / 127)})"`` -> "72 xã (56,7%)"). :func:`say` renders a message template (the
explanations of ``explain``, whose texts are data)::

    say("Năm {year}, {ntm:n} xã đạt chuẩn ({share:%1}).", year=2021, ntm=72, share=72 / 127)
    # 'Năm 2021, 72 xã đạt chuẩn (56,7%).'

Format specs (after the colon), on top of Python's own:

=========  =====================================================  ==============
spec       meaning                                                16.15 / 0.795
=========  =====================================================  ==============
(none)     ints grouped ("13.500"), floats up to 2 decimals        "16,15"
``n``      fixed decimals: ``n`` (0), ``n1``, ``n2`` …             ``n2`` "16,15"
``t``      up to N decimals, trailing zeros dropped: ``t1``        ``t1`` "16,2"
``%``      a share (0–1) as a percentage, ``%1`` one decimal        ``%1`` "79,5%"
           at most (trailing zeros dropped: 1.0 -> "100%")
``p``      a value already in % (``p1``: "95,5%")                   ``p2`` "16,15%"
``ty``     million VND as billion VND (``ty``, ``ty2``)             "661,5"
``y``      a year, never grouped ("2021")
``+``      prefix for a signed figure: "+15", "−3,5", "0"         ``+t2`` "+16,15"
=========  =====================================================  ==============

Fields whose name ends in ``year`` (``year``, ``base_year``…) are written as
years without a spec; every other number gets Vietnamese grouping and decimal
comma. Missing values (None, NaN, pd.NA) are written "–".

The second part shows tables and figures in a notebook: :func:`vn_table`, the
column labels (:func:`labels`), :func:`side_by_side`, :class:`Figures`.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from ..formats import MISSING, is_missing, join, number, share  # noqa: F401  (join: "a, b và c", for the notebooks)
from ..i18n import current_language
from ..publishing.charts import house_style, save_figure
from ..publishing.charts.base import close_figure, label
from ..publishing.outputs import column_labels, for_reader
from ..reference import is_province

_SPEC = re.compile(r"^(?P<sign>\+)?(?P<kind>n|t|%|p|ty|y)(?P<digits>\d)?$")


def _as_number(value: Any) -> float | int:
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return value


def pct(value: Any, decimals: int = 1) -> str:
    """A share (0–1) as a Vietnamese percentage: 0.795 -> "79,5%", 1.0 -> "100%"."""
    return share(value, decimals)


def signed(text: str, value: Any) -> str:
    """Prefix a formatted figure with its sign: "+15", "−3,5" (``text`` already
    carries the minus sign of a negative value), "0" without sign."""
    if is_missing(value):
        return MISSING
    value = float(_as_number(value))
    if value > 0 and any(ch not in "0,.%" for ch in text):
        return "+" + text
    return text


def billion(million_vnd: Any, decimals: int = 1) -> str:
    """Million VND as billion VND (tỷ đồng): 661500 -> "661,5"."""
    if is_missing(million_vnd):
        return MISSING
    return number(float(_as_number(million_vnd)) / 1000, decimals, trim=True)


def fmt(value: Any, spec: str = "") -> str:
    """One value under one of the specs of this module (see the module doc)."""
    if isinstance(value, str):
        return format(value, spec)
    if isinstance(value, bool):
        return "có" if value else "không"
    if is_missing(value):
        return MISSING
    value = _as_number(value)
    if not isinstance(value, (int, float)):  # paths, dates, anything else: as Python writes it
        return format(value, spec)
    if not spec:  # ints as they are, floats with up to 2 decimals
        return number(value, 0) if isinstance(value, int) or float(value).is_integer() else number(value, 2, trim=True)
    match = _SPEC.match(spec)
    if not match:
        return format(value, spec)
    kind, digits = match["kind"], match["digits"]
    n = int(digits) if digits is not None else None
    if kind == "y":
        return str(int(value))
    if kind == "n":
        text = number(value, n or 0)
    elif kind == "t":
        text = number(value, 2 if n is None else n, trim=True)
    elif kind == "%":
        text = pct(value, 1 if n is None else n)
    elif kind == "p":
        d = 1 if n is None else n
        text = number(value, d, percent=True, trim=True)
    else:  # ty
        text = billion(value, 1 if n is None else n)
    return signed(text, value) if match["sign"] else text


class VietnameseFormatter(string.Formatter):
    """``str.format`` with the specs of :func:`fmt`; ``*year`` fields as years."""

    def get_field(self, field_name: str, args, kwargs):
        obj, used = super().get_field(field_name, args, kwargs)
        last = re.split(r"[.\[]", field_name)[-1].rstrip("]")
        if last.endswith("year") and isinstance(_as_number(obj), (int, float)) and not is_missing(obj):
            obj = YearValue(int(_as_number(obj)))
        return obj, used

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, YearValue):
            return str(value.year) if format_spec in ("", "y") else fmt(value.year, format_spec)
        return fmt(value, format_spec)


class YearValue:
    """A year carried through the formatter (never grouped)."""

    def __init__(self, year: int):
        self.year = year


_FORMATTER = VietnameseFormatter()


def say(template: str, /, **values: Any) -> str:
    """Render a Vietnamese sentence: ``template`` in ``str.format`` syntax,
    numbers written the Vietnamese way (see the module doc for the specs)."""
    return _FORMATTER.format(template, **values)


def show(*paragraphs: str) -> None:
    """Display already rendered paragraphs (Markdown) in a notebook."""
    from IPython.display import Markdown, display  # noqa: PLC0415

    display(Markdown("\n\n".join(p for p in paragraphs if p)))


def bullets(lines: Iterable[str]) -> str:
    """A Markdown bullet list."""
    return "\n".join(f"- {line}" for line in lines)


def change_word(delta: Any, up: str = "tăng", down: str = "giảm", same: str = "không đổi") -> str:
    """The verb for a change: "tăng" / "giảm" / "không đổi"."""
    if is_missing(delta):
        return "không rõ"
    delta = float(_as_number(delta))
    return up if delta > 0 else down if delta < 0 else same


def vn_table(frame: pd.DataFrame, formats: dict[str, str] | None = None, *, labels: dict[str, str] | None = None,
             hide_index: bool = True, lang: str | None = None):
    """A ``Styler`` showing ``frame`` with Vietnamese numbers.

    ``formats`` maps a column to a spec of :func:`fmt` ("n", "t2", "%1", "ty"…);
    other numeric columns get the default (grouped ints, up to 2 decimals).
    ``labels`` renames columns for display (the data keep their names);
    coded values are written in words (``status`` "thực hiện", "kế hoạch"; severity,
    indicator labels…) and yes/no as ✓/✗, never True/False (``outputs.for_reader``),
    in ``lang`` (default: the language in force).
    """
    formats = dict(formats or {})
    frame = for_reader(frame, lang or current_language())
    shown = frame.rename(columns=labels) if labels else frame
    if labels:
        formats = {labels.get(k, k): v for k, v in formats.items()}
    styler = shown.style.format(na_rep=MISSING)  # a blank shows as a blank everywhere, text columns too
    for col in shown.columns:
        spec = formats.get(col)
        if spec is None and not pd.api.types.is_numeric_dtype(shown[col]):
            continue
        styler = styler.format(lambda v, s=spec or "": fmt(v, s), subset=[col])
    if hide_index:
        styler = styler.hide(axis="index")
    return styler


# ---------------------------------------------------------------------------
# Showing tables and figures in a notebook
# ---------------------------------------------------------------------------
def labels(lang: str = "vi") -> dict[str, str]:
    """Column -> the label a notebook's table shows (Vietnamese, or English with
    ``lang='en'``; ``reference/column_labels.csv``)."""
    return column_labels(lang, notebook=True)


def indicator_labels(reference, lang: str = "vi") -> dict[str, str]:
    """Indicator id -> its label (indicators.csv)."""
    return reference.indicator_labels(lang)


def grid_frame(grid) -> pd.DataFrame:
    """The cells of one sheet as they sit in the workbook: rows 1…n, columns A…,
    merged cells shown once (at their top-left cell), blanks empty."""
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    rows = [[grid.get(r, c) for c in range(grid.n_cols)] for r in range(grid.n_rows)]
    frame = pd.DataFrame(rows, columns=[get_column_letter(c + 1) for c in range(grid.n_cols)],
                         index=pd.RangeIndex(1, grid.n_rows + 1, name="row"), dtype=object)
    return frame.map(lambda v: "" if v is None else str(getattr(v, "formula", v)))


def district_wide(overview: pd.DataFrame, districts: pd.DataFrame, reference, lang: str = "vi") -> pd.DataFrame:
    """``analysis.district_overview`` (long) as one row per area, the province
    first, one column per indicator (its label), plus the communes."""
    if overview.empty:
        return pd.DataFrame()
    order = list(dict.fromkeys(overview.indicator))
    areas = overview.drop_duplicates("area_code")[["area_code", "area", "communes"]]
    values = overview.set_index(["area_code", "indicator"]).value.unstack("indicator").reindex(columns=order)
    wide = areas.set_index("area_code").join(values).reset_index()
    prov_values = overview.drop_duplicates("indicator").set_index("indicator").province_value.reindex(order)
    year, status = overview.year.iloc[0], overview.status.iloc[0]
    prov = districts[(districts.year == year) & (districts.status == status)
                     & is_province(districts.area_code)]
    code = str(prov.area_code.iloc[0]) if len(prov) else ""
    first = pd.DataFrame([{"area_code": code, "area": prov.area.iloc[0] if len(prov) else "Tỉnh",
                           "communes": reference.communes(code) if code else pd.NA} | prov_values.to_dict()])
    wide = pd.concat([first, wide], ignore_index=True)
    wide["communes"] = wide["communes"].astype("Int64")
    return wide.rename(columns=indicator_labels(reference, lang))


def indent_sources(frame: pd.DataFrame) -> pd.DataFrame:
    """Funding lines with their ``source`` indented by level (for display)."""
    out = frame.copy()
    out["source"] = ["\u2003" * max(int(level) - 1, 0) + str(src) if int(level) > 0 else f"{src}"
                     for src, level in zip(out.source, out.level)]
    return out


def side_by_side(*blocks: tuple[str, Any], gap: str = "2em"):
    """Display tables next to each other: ``(title, DataFrame or Styler)`` pairs
    (an HTML object for ``display``; each block scrolls on its own)."""
    import html as _html  # noqa: PLC0415

    from IPython.display import HTML  # noqa: PLC0415

    parts = []
    for title, table in blocks:
        body = table.to_html() if hasattr(table, "to_html") else str(table)
        parts.append(f'<div style="flex:0 1 auto; min-width:0; overflow-x:auto">'
                     f'<p><b>{_html.escape(str(title))}</b></p>{body}</div>')
    return HTML(f'<div style="display:flex; flex-wrap:wrap; gap:{gap}; align-items:flex-start">'
                + "".join(parts) + "</div>")


#: Resolution of the figures shown in a notebook (the saved ones are 1920 × 1080 px).
INLINE_DPI = 80


def figure_png(fig, dpi: int = INLINE_DPI) -> bytes:
    """The whole slide as PNG bytes: title, subtitle, source line and the
    "Số liệu minh họa" badge included (a notebook's own display would crop
    the figure to its plot and drop them)."""
    import io  # noqa: PLC0415

    buffer = io.BytesIO()
    with house_style():
        fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


class Figures:
    """Show figures inline, whole, and, when ``export`` is on, save them (PNG +
    SVG, ``charts.save_figure``) into ``folder``. ``written`` lists the files."""

    def __init__(self, export: bool, folder: Path | str, lang: str = "vi"):
        self.export, self.folder, self.lang = bool(export), Path(folder), lang
        self.written: list[Path] = []
        self.shown: list[str] = []

    def show(self, fig, stem: str) -> None:
        from IPython.display import Image, display  # noqa: PLC0415

        display(Image(data=figure_png(fig), format="png"))
        self.shown.append(stem)
        if self.export:
            self.written.extend(save_figure(fig, stem, self.folder))
        else:
            close_figure(fig)


# ------------------------------------------------------- the period told -----
@dataclass(frozen=True)
class Told:
    """The period a briefing tells, chosen from the data: with results for a planned
    year, that year's plan against its results (``year``; earlier such years in
    ``earlier``, told after it); with only a plan, the plan's comparison
    (``base`` → ``compare``, e.g. 2020 actual → 2021 target)."""

    year: int | None
    base: tuple[int, str] | None = None
    compare: tuple[int, str] | None = None
    earlier: tuple[int, ...] = ()

    @property
    def results(self) -> bool:
        """Whether the briefing tells a plan against its results."""
        return self.year is not None


def told_period(tables, pair: tuple[tuple[int, str], tuple[int, str]] | None = None) -> Told:
    """The period to tell from the tidy ``tables``: the latest year that has both a
    target and an actual figure (province indicators, Biểu 01 criteria or Biểu 02), else the
    plan's comparison ``pair`` (base, compare periods, as ``criteria_gaps`` pairs them)."""
    years: set[int] = set()
    for frame in (tables.province, tables.criteria, tables.districts):
        if frame.empty:
            continue
        known = frame.dropna(subset=["communes" if "communes" in frame else "value"])
        by_status = known.groupby("status").year.agg(lambda y: set(int(v) for v in y))
        years |= by_status.get("target", set()) & by_status.get("actual", set())
    ordered = sorted(years, reverse=True)
    if pair is None and not tables.criteria.empty:  # the plan's comparison: its target year against the last actual
        crit = tables.criteria.dropna(subset=["communes"])
        targets = sorted(int(y) for y in crit.year[crit.status == "target"])
        actuals = sorted(int(y) for y in crit.year[crit.status == "actual"] if not targets or int(y) < targets[-1])
        if targets and actuals:
            pair = ((actuals[-1], "actual"), (targets[-1], "target"))
    base, compare = pair if pair else (None, None)
    return Told(ordered[0] if ordered else None, base, compare, tuple(ordered[1:]))


def told_sentence(told: Told, lang: str = "vi") -> str:
    """The choice in words, for the title slide and notebook 01: "Kỳ báo cáo: kết quả
    thực hiện năm 2021 so với kế hoạch năm 2021 …"."""
    if told.results:
        text = label("told_results", lang, year=told.year)
        if told.earlier:
            text += " " + label("told_earlier", lang, years=join([str(y) for y in told.earlier], lang))
        return text
    if told.base and told.compare:
        return label("told_plan", lang, base_year=told.base[0], year=told.compare[0])
    return label("told_none", lang)
