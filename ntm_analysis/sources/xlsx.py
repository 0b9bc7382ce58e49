"""The .xlsx carrier: one grid per worksheet, formulas as their cached values."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..config import MAX_WORKBOOK_BYTES
from ..findings import Findings
from ..grid import FormulaWithoutValue, Grid
from ..text import clean_text

_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")


def _refuse(findings: Findings, path: Path, check: str, message: str) -> list[Grid]:
    findings.add("error", check, message, file=path.name)
    return []


def load_xlsx_grids(path: Path, findings: Findings) -> list[Grid]:
    """Read every worksheet of an .xlsx workbook into a :class:`Grid`.

    Refuses (with an error finding, never an exception) files that are empty,
    larger than 20 MB, macro-enabled, in the old .xls format, or not a valid
    workbook. A formula cell saved without a cached value becomes a
    :class:`FormulaWithoutValue`, which the reader reports by cell.
    """
    import openpyxl  # noqa: PLC0415  (import here: only workbooks need it)

    name = path.name
    if not path.is_file():
        return _refuse(findings, path, "missing_file", "the file does not exist")
    size = path.stat().st_size
    if size == 0:
        return _refuse(findings, path, "empty_file", "the file is empty (0 bytes)")
    if size > MAX_WORKBOOK_BYTES:
        return _refuse(findings, path, "file_too_large",
                       f"the file is {size / 1e6:.1f} MB; the limit is "
                       f"{MAX_WORKBOOK_BYTES / 1024 / 1024:.0f} MB")
    suffix = path.suffix.lower()
    if suffix == ".xlsm":
        return _refuse(findings, path, "macro_enabled",
                       "macro-enabled workbooks (.xlsm) are refused; save it as .xlsx")
    if suffix == ".xls":
        return _refuse(findings, path, "old_format",
                       "the old Excel 97-2003 format (.xls) cannot be read; save it as .xlsx")
    if not zipfile.is_zipfile(path):
        return _refuse(findings, path, "not_a_workbook",
                       "this is not an Excel workbook (.xlsx): the file is not a valid "
                       "Office Open XML package (corrupt, or another format renamed)")
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "xl/workbook.xml" not in names:
                return _refuse(findings, path, "not_a_workbook",
                               "the file is a zip archive but holds no Excel workbook")
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return _refuse(findings, path, "macro_enabled",
                               "the workbook contains macros (vbaProject.bin); save it as "
                               "a plain .xlsx without macros")
            has_formulas = any(
                _FORMULA_TAG.search(archive.read(n))
                for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
        values = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path, data_only=False) if has_formulas else None
    except Exception as exc:  # corrupt package: zip or XML broken
        reason = clean_text(str(exc))[:160] or type(exc).__name__
        return _refuse(findings, path, "corrupt_file",
                       f"the workbook is damaged and cannot be opened ({reason})")

    grids: list[Grid] = []
    for sheet in values.worksheets:
        formula_sheet = formulas[sheet.title] if formulas is not None else None
        cells: dict[tuple[int, int], object] = {}
        italic: set[int] = set()
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if value is None and formula_sheet is not None:
                    raw = formula_sheet.cell(cell.row, cell.column).value
                    if isinstance(raw, str) and raw.startswith("="):
                        cells[(cell.row - 1, cell.column - 1)] = FormulaWithoutValue(raw)
                    continue
                if value is None:
                    continue
                if isinstance(value, str):
                    value = clean_text(value)
                    if not value:
                        continue
                elif not isinstance(value, (int, float, bool)):
                    value = clean_text(value)  # dates and the like: keep as text
                cells[(cell.row - 1, cell.column - 1)] = value
                if cell.font is not None and cell.font.i:
                    italic.add(cell.row - 1)
        merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
                  for m in sheet.merged_cells.ranges]
        grids.append(Grid(name, sheet.title, cells, merges, italic_rows=frozenset(italic)))
    return grids
