"""Writing outputs atomically: everything goes to a temporary folder first and
is moved into place only when the whole run has succeeded."""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from ..config import REFERENCE_DIR
from ..formats import LANGS, MISSING, is_missing, mark


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """UTF-8, comma-separated, '.' as the decimal point, blanks for missing."""
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


@contextmanager
def staging(target: Path) -> Iterator[Path]:
    """A temporary folder beside ``target``; on success its files replace
    those of ``target`` one by one (``os.replace``), on failure it is removed
    and ``target`` is left exactly as it was."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    target.mkdir(parents=True, exist_ok=True)
    for item in sorted(tmp.iterdir()):
        os.replace(item, target / item.name)
    shutil.rmtree(tmp, ignore_errors=True)


@cache
def _labels_file(name: str) -> pd.DataFrame:
    """A packaged labels file, read once per process (a national build writes a workbook
    per province): do not change the frame returned."""
    return pd.read_csv(REFERENCE_DIR / name, dtype=str, keep_default_na=False, encoding="utf-8")


def _lang(lang: str) -> str:
    return lang if lang in LANGS else LANGS[0]


def column_labels(lang: str = "vi", *, notebook: bool = False) -> dict[str, str]:
    """Column -> label (reference/column_labels.csv): the Excel headers, or with
    ``notebook`` the labels of the notebooks' tables (``notebook_vi``/``notebook_en``
    where given, else the same). A blank label leaves the column's name as it is."""
    labels = _labels_file("column_labels.csv")
    lang = _lang(lang)
    shown = labels[lang]
    if notebook:
        shown = labels[f"notebook_{lang}"].where(labels[f"notebook_{lang}"] != "", shown)
    return {column: label for column, label in zip(labels.column, shown) if label}


def sheet_labels(lang: str = "vi") -> dict[str, str]:
    """Table -> the name of its sheet in ntm_tables.xlsx (reference/sheet_labels.csv)."""
    labels = _labels_file("sheet_labels.csv")
    return dict(zip(labels.table, labels[_lang(lang)]))


@cache
def value_labels(lang: str = "vi") -> dict[str, dict[str, str]]:
    """Column -> {code: words} for the coded values a reader sees (status "target" ->
    "kế hoạch", severity, role …; reference/value_labels.csv); indicator codes -> their
    labels (indicators.csv, narrative_indicators.csv); units in ``lang``
    (indicators.csv: ``unit`` in English, ``unit_vi`` in Vietnamese). Read once per
    language: do not change the dicts returned."""
    lang = _lang(lang)
    out: dict[str, dict[str, str]] = {}
    for row in _labels_file("value_labels.csv").itertuples(index=False):
        for column in row.columns.split():
            out.setdefault(column, {})[row.value] = getattr(row, lang)
    indicators = _labels_file("indicators.csv")
    for name in ("narrative_indicators.csv", "indicators.csv"):  # the tables' own labels win
        frame = _labels_file(name)
        out.setdefault("indicator", {}).update(zip(frame.indicator, frame[f"label_{lang}"]))
    units = zip(indicators.unit, indicators.unit_vi)
    out["unit"] = {en: vi for en, vi in units} if lang == "vi" else {vi: en for en, vi in units}
    return out


def for_reader(frame: pd.DataFrame, lang: str = "vi", *, blank: str | None = MISSING) -> pd.DataFrame:
    """``frame`` as a reader sees it, the data unchanged: coded values in words
    (:func:`value_labels`), yes/no as ✓/✗ (never True/False; a blank stays ``blank``).
    Column names are kept (rename them with :func:`column_labels`)."""
    words = value_labels(lang)
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if _is_yes_no(series):
            out[col] = pd.Series([mark(v, blank) for v in series], index=series.index, dtype=object)
        elif col in words and not pd.api.types.is_numeric_dtype(series):
            out[col] = series.map(lambda v, m=words[col]: v if is_missing(v) else m.get(v, v))
    return out


def _is_yes_no(series: pd.Series) -> bool:
    """A column of booleans (numpy, pandas or Python objects), blanks allowed."""
    if pd.api.types.is_bool_dtype(series):
        return True
    if series.dtype != object:
        return False
    values = [v for v in series if not is_missing(v)]
    return bool(values) and all(isinstance(v, (bool, np.bool_)) for v in values)


#: Excel number formats by kind of column (the separators are the reader's Excel's:
#: Vietnamese in a Vietnamese Excel; ``[$-42A]`` marks the cells as Vietnamese).
NUMBER_FORMATS = {"plain": "0", "count": "#,##0", "amount": "#,##0", "share": "0.0", "fraction": "0.0%",
                  "decimal": "#,##0.00"}


#: Numeric columns shown without a thousands separator (besides ``*_year``, ``*_id``, ``*_code``).
PLAIN_COLUMNS = ("year", "code", "level", "min_criteria", "max_criteria")


def number_kind(column: str, values) -> str | None:
    """How a numeric column is shown: ``share`` (a percentage 0–100, one decimal: names
    ending ``_pct``), ``fraction`` (a share 0–1 shown as a percentage: ``share_of_total``),
    ``amount`` (million VND, thousands separated), ``count`` (whole numbers), ``decimal``
    (anything else with decimals), ``plain`` (years, codes, criterion numbers); None for
    a column that is not numeric."""
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool) and not is_missing(v)]
    if not numbers:
        return None
    if column in PLAIN_COLUMNS or column.endswith(("_year", "_id", "_code")):
        return "plain"  # years, codes and criterion numbers: no thousands separator
    if column.endswith("_pct"):
        return "share"
    if column.startswith("share_of"):
        return "fraction"
    if "million_vnd" in column:
        return "amount"
    return "count" if all(float(v).is_integer() for v in numbers) else "decimal"


def write_excel(frames: dict[str, pd.DataFrame], path: Path, lang: str = "vi") -> Path:
    """One sheet per table with rows, for a reader in ``lang`` (Vietnamese by default): the
    sheet named by :func:`sheet_labels`, headers (bold) by :func:`column_labels`, coded
    values in words and yes/no as ✓/✗ (:func:`for_reader`); numbers stay numbers, shown
    by their kind (:func:`number_kind`), blanks blank. Columns sized to their text, the
    header frozen; printed landscape, one page wide, the header repeated on every page,
    the sources of the sheet's rows in the footer. A table without rows gets no sheet.
    Written row by row (openpyxl's write-only mode): a national build's workbook of
    hundreds of thousands of cells is never held in memory whole."""
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    labels, sheets = column_labels(lang), sheet_labels(lang)
    book = Workbook(write_only=True)
    bold, wrapped = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    prefix = "[$-42A]" if lang == "vi" else ""
    cited = _citations(frames.get("sources"))
    for name, frame in frames.items():
        if frame.empty:
            continue
        kinds = [number_kind(str(c), frame[c].tolist()) for c in frame.columns]
        shown = for_reader(frame, lang, blank=None).rename(columns=lambda c: labels.get(c, c))
        values = shown.astype(object).to_numpy()  # one pass from pandas (a province's workbook has small sheets)
        sheet = book.create_sheet(sheets.get(name, name)[:31])
        sheet.freeze_panes = "A2"
        for i, col in enumerate(shown.columns):
            width = max([min(len(str(col)), 24)] + [len(str(v)) for v in values[:200, i]])
            sheet.column_dimensions[get_column_letter(i + 1)].width = min(50, width + 2)
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = "9"  # A4
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = "1:1"
        ids = list(dict.fromkeys(str(v) for v in frame["source_id"] if not is_missing(v))) \
            if "source_id" in frame else list(cited)
        footer = "; ".join(dict.fromkeys(cited.get(i, i) for i in ids))
        sheet.oddFooter.left.text = footer[:200].replace("&", "&&")
        sheet.oddFooter.left.size = 8
        sheet.oddFooter.right.text = "&P/&N"
        header = []
        for col in shown.columns:
            cell = WriteOnlyCell(sheet, value=str(col))
            cell.font, cell.alignment = bold, wrapped
            header.append(cell)
        sheet.append(header)
        formats = [prefix + NUMBER_FORMATS[k] if k else None for k in kinds]
        for row in values:
            out = []
            for v, fmt in zip(row, formats):
                v = None if is_missing(v) else v.item() if hasattr(v, "item") else v
                if fmt and isinstance(v, (int, float)) and not isinstance(v, bool):
                    cell = WriteOnlyCell(sheet, value=v)
                    cell.number_format = fmt
                    v = cell
                out.append(v)
            sheet.append(out)
    book.save(path)
    return path


def _citations(sources: pd.DataFrame | None) -> dict[str, str]:
    """How each source is cited in a footer: its citation, else its file name."""
    if sources is None or sources.empty or "source_id" not in sources:
        return {}
    out = {}
    for row in sources.to_dict("records"):
        citation = row.get("citation")
        out[str(row["source_id"])] = str(citation) if not is_missing(citation) and str(citation).strip() \
            else str(row.get("file", row["source_id"]))
    return out
