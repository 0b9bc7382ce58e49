"""The .xlsx carrier: one grid per worksheet, formulas as their cached values.

Bounded by design: the zip central directory is checked against the caps of
:mod:`ntm_analysis.config` before any XML is parsed; sheets are streamed
(openpyxl's read-only parser), so a workbook costs memory for the cells it
really holds, never for the dimension it claims.
"""
from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

from ... import config
from ...config import MAX_WORKBOOK_BYTES
from ...findings import Findings
from ...i18n import _, num
from ...text import clean_text
from ..grid import FormulaWithoutValue, Grid
from .container import Refused, check_declarations, check_sizes, refuse

_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")
_MB = 1024 * 1024


def _has_formulas(archive: zipfile.ZipFile, names: list[str]) -> bool:
    for name in names:
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            with archive.open(name) as part:
                tail = b""
                while chunk := part.read(1 << 20):
                    if _FORMULA_TAG.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


class _Budget:
    """Cells and seconds left for one workbook."""

    def __init__(self) -> None:
        self.cells = config.MAX_CELLS
        self.deadline = time.monotonic() + config.MAX_READ_SECONDS

    def spend(self, n: int, sheet: str) -> None:
        self.cells -= n
        if self.cells < 0:
            raise Refused("file_too_large",
                           _("the file is too large: it holds more than {n} cells (sheet '{sheet}'), the limit of "
                             "ntm_analysis/config.py; keep only the appendix tables").format(
                               n=num(config.MAX_CELLS), sheet=sheet), sheet=sheet)
        if time.monotonic() > self.deadline:
            raise Refused("file_too_large",
                           _("the file is too large: reading it took more than {seconds} s (sheet '{sheet}'); keep "
                             "only the appendix tables").format(seconds=num(config.MAX_READ_SECONDS, 1, trim=True),
                                                                sheet=sheet), sheet=sheet)


def _stream(workbook, sheet, budget: _Budget):
    """(row, col, value, style_id) of every cell the sheet's XML holds, and its merges."""
    from openpyxl.worksheet._reader import WorkSheetParser  # noqa: PLC0415

    with workbook._archive.open(sheet._worksheet_path) as src:
        # the sheet's shared strings: a read-only workbook keeps them there (its own list stays empty)
        parser = WorkSheetParser(src, sheet._shared_strings, data_only=workbook.data_only,
                                 epoch=workbook.epoch, date_formats=workbook._date_formats,
                                 timedelta_formats=workbook._timedelta_formats)
        cells = []
        for _index, row in parser.parse():
            budget.spend(len(row) + 1, sheet.title)
            cells.extend((c["row"], c["column"], c["value"], c["style_id"]) for c in row)
        merges = []
        if parser.merged_cells is not None:
            for merge in parser.merged_cells.mergeCell:
                from openpyxl.utils.cell import range_boundaries  # noqa: PLC0415
                min_col, min_row, max_col, max_row = range_boundaries(merge.ref)
                merges.append((min_row - 1, min_col - 1, max_row - 1, max_col - 1))
    return cells, merges


def _italic_styles(workbook) -> set[int]:
    out = set()
    for sid, style in enumerate(workbook._cell_styles):
        font = workbook._fonts[style.fontId] if style.fontId < len(workbook._fonts) else None
        if font is not None and font.i:
            out.add(sid)
    return out


def _read_grids(path: Path, has_formulas: bool) -> list[Grid]:
    import openpyxl  # noqa: PLC0415  (import here: only workbooks need it)

    budget = _Budget()
    values = openpyxl.load_workbook(path, read_only=True, data_only=True)
    formulas: dict[str, dict[tuple[int, int], str]] = {}
    if has_formulas:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
        try:
            for sheet in wb.worksheets:
                cells, _unused = _stream(wb, sheet, budget)
                formulas[sheet.title] = {(r, c): v for r, c, v, _style in cells
                                         if isinstance(v, str) and v.startswith("=")}
        finally:
            wb.close()
    try:
        italic_ids = _italic_styles(values)
        grids = []
        for sheet in values.worksheets:
            raw, merges = _stream(values, sheet, budget)
            covered = sum((r1 - r0 + 1) * (c1 - c0 + 1) for r0, c0, r1, c1 in merges)
            if covered > config.MAX_MERGED_CELLS:
                raise Refused("file_too_large",
                               _("the file is too large: merged ranges on this sheet cover {n} cells; the limit is "
                                 "{limit} (ntm_analysis/config.py); unmerge the cells outside the appendix "
                                 "tables").format(n=num(covered), limit=num(config.MAX_MERGED_CELLS)),
                               sheet=sheet.title)
            sheet_formulas = formulas.get(sheet.title, {})
            cells: dict[tuple[int, int], object] = {}
            italic: set[int] = set()
            for r, c, value, style_id in raw:
                if value is None:
                    formula = sheet_formulas.get((r, c))
                    if formula is not None:
                        cells[(r - 1, c - 1)] = FormulaWithoutValue(formula)
                    continue
                if isinstance(value, str):
                    value = clean_text(value)
                    if not value:
                        continue
                elif not isinstance(value, (int, float, bool)):
                    value = clean_text(value)  # dates and the like: keep as text
                cells[(r - 1, c - 1)] = value
                if style_id in italic_ids:
                    italic.add(r - 1)
            grids.append(Grid(path.name, sheet.title, cells, merges, italic_rows=frozenset(italic)))
        return grids
    finally:
        values.close()


def load_xlsx_grids(path: Path, findings: Findings) -> list[Grid]:
    """Read every worksheet of an .xlsx workbook into a :class:`Grid`.

    Refuses (with an error finding that says what to do, never an exception)
    files that are empty, larger than 20 MB, macro-enabled, in the old .xls
    format, not a valid workbook, zip bombs (caps in :mod:`config`), XML with
    entity declarations, or more cells than ``config.MAX_CELLS``. A formula
    cell saved without a cached value becomes a :class:`FormulaWithoutValue`,
    which the reader reports by cell.
    """
    if not path.is_file():
        return refuse(findings, path, "missing_file", _("the file does not exist"))
    size = path.stat().st_size
    if size == 0:
        return refuse(findings, path, "empty_file", _("the file is empty (0 bytes)"))
    if size > MAX_WORKBOOK_BYTES:
        return refuse(findings, path, "file_too_large",
                      _("the file is too large: {size} MB; the limit is {limit} MB; keep only the appendix tables "
                        "in the workbook").format(size=num(size / 1e6, 1), limit=num(MAX_WORKBOOK_BYTES / _MB)))
    suffix = path.suffix.lower()
    if suffix == ".xlsm":
        return refuse(findings, path, "macro_enabled",
                      _("macro-enabled workbooks (.xlsm) are refused; remove the macros and save it as .xlsx"))
    if suffix == ".xls":
        return refuse(findings, path, "old_format",
                      _("the old Excel 97-2003 format (.xls) cannot be read; save it as .xlsx"))
    if not zipfile.is_zipfile(path):
        return refuse(findings, path, "not_a_workbook",
                      _("this is not an Excel workbook (.xlsx): the file is not a valid Office Open XML package "
                        "(corrupt, or another format renamed); save it as .xlsx"))
    try:
        with zipfile.ZipFile(path) as archive:
            check_sizes(archive)
            names = archive.namelist()
            if "xl/workbook.xml" not in names:
                return refuse(findings, path, "not_a_workbook",
                              _("the file is a zip archive but holds no Excel workbook; save it as .xlsx"))
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return refuse(findings, path, "macro_enabled",
                              _("the workbook contains macros (vbaProject.bin); remove the macros and save it as "
                                "a plain .xlsx"))
            check_declarations(archive, ".xlsx")
            has_formulas = _has_formulas(archive, names)
        return _read_grids(path, has_formulas)
    except Refused as exc:
        return refuse(findings, path, exc.check, exc.message, exc.sheet, exc.cell)
    except Exception as exc:  # corrupt package: zip or XML broken
        reason = clean_text(str(exc))[:160] or type(exc).__name__
        return refuse(findings, path, "corrupt_file",
                      _("the workbook is damaged and cannot be opened ({reason}); open it in Excel and save it "
                        "again as .xlsx").format(reason=reason))
