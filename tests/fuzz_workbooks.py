"""Mutations of the plan workbook for the fuzz test (tests/test_fuzz.py).

The plan is held as a small model (sheets of cells, merges, hidden flags), the
mutations work on the model, and ``write`` saves it as an .xlsx with openpyxl:
faster than editing a loaded workbook, and any mutation stays a plain value.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import openpyxl
from helpers import PLAN
from hypothesis import strategies as st


@dataclass
class Sheet:
    title: str
    cells: dict[tuple[int, int], object]  # 1-based (row, col) -> value
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_row, min_col, max_row, max_col
    hidden: bool = False

    def copy(self, title: str | None = None) -> "Sheet":
        return Sheet(title or self.title, dict(self.cells), list(self.merges), self.hidden)


def load_plan_model() -> list[Sheet]:
    wb = openpyxl.load_workbook(PLAN)
    sheets = []
    for ws in wb.worksheets:
        cells = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None}
        merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
        sheets.append(Sheet(ws.title, cells, merges))
    return sheets


def write(sheets: list[Sheet], path) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title[:31])
        for (r, c), v in sheet.cells.items():
            ws.cell(r, c).value = v
        for r0, c0, r1, c1 in sheet.merges:
            if r1 >= r0 and c1 >= c0 and (r1 > r0 or c1 > c0):
                ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
        if sheet.hidden:
            ws.sheet_state = "hidden"
    if all(s.hidden for s in sheets) and sheets:  # Excel needs one visible sheet
        wb.worksheets[0].sheet_state = "visible"
    wb.save(path)


# ---- junk --------------------------------------------------------------------------------------
_SAFE_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
JUNK = st.one_of(
    st.none(),
    _SAFE_TEXT,
    st.sampled_from(["x", "-", "…", "n/a", "?", "%", "∞", "½", "—", "'", "1,2,3", "1.2.3", "12 345", "1e5", "0x1F",
                     "16,15%", "−3", "++1", "(5)", "5 xã", "Tổng số xã"]),
    st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.1 + 0.2, 1e20, 1e-300, -0.0, 57.5, 2**53 + 1.0]),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.sampled_from(["=SUM(D6:D8)", "=1/0", "=A1", "=NA()", '="127"']),
    st.sampled_from(["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"]),
    st.sampled_from(["１２７", "１６，１５", "١٢٧", "۱۲۷", "१२७", "127\u00a0", "\u200b127"]),
    st.integers(min_value=1, max_value=6).map(lambda k: "Xã đạt tiêu chí số 1 " * (400 * k)),
)

ROWS, COLS = 40, 10


@st.composite
def mutation(draw):
    kind = draw(st.sampled_from(["junk", "junk", "junk", "junk", "delete_row", "insert_row", "delete_col",
                                 "insert_col", "hide", "duplicate", "move", "clear_range", "merge"]))
    return (kind, draw(st.integers(0, 2)), draw(st.integers(1, ROWS)), draw(st.integers(1, COLS)),
            draw(JUNK) if kind == "junk" else None,
            draw(st.integers(-6, 6)), draw(st.integers(-3, 3)), draw(st.integers(1, 8)), draw(st.integers(1, 4)))


def _shift(sheet: Sheet, axis: int, at: int, by: int) -> None:
    """Insert (by=+1) or delete (by=-1) row/column ``at`` (axis 0 rows, 1 columns)."""
    cells = {}
    for key, v in sheet.cells.items():
        pos = key[axis]
        if by < 0 and pos == at:
            continue
        if pos >= at + (1 if by < 0 else 0):
            key = (key[0] + by, key[1]) if axis == 0 else (key[0], key[1] + by)
        cells[key] = v
    sheet.cells = cells
    merges = []
    for r0, c0, r1, c1 in sheet.merges:
        lo, hi = (r0, r1) if axis == 0 else (c0, c1)
        if by < 0 and lo <= at <= hi:
            continue  # a merge over a deleted line is dropped
        if lo >= at:
            lo, hi = lo + by, hi + by
        merges.append((lo, c0, hi, c1) if axis == 0 else (r0, lo, r1, hi))
    sheet.merges = merges


def apply(sheets: list[Sheet], op: tuple) -> None:
    kind, s, row, col, value, dr, dc, h, w = op
    sheet = sheets[s % len(sheets)]
    if kind == "junk":
        if value is None:
            sheet.cells.pop((row, col), None)
        else:
            sheet.cells[(row, col)] = value
    elif kind in ("delete_row", "insert_row"):
        _shift(sheet, 0, row, -1 if kind == "delete_row" else 1)
    elif kind in ("delete_col", "insert_col"):
        _shift(sheet, 1, col, -1 if kind == "delete_col" else 1)
    elif kind == "hide":
        sheet.hidden = not sheet.hidden
    elif kind == "duplicate":
        names = {x.title for x in sheets}
        title = next(f"{sheet.title[:25]} ({i})" for i in range(2, 99) if f"{sheet.title[:25]} ({i})" not in names)
        sheets.append(sheet.copy(title))
    elif kind == "move":  # move the block (row, col, h, w) by (dr, dc), overwriting what is there
        block = {(r, c): v for (r, c), v in sheet.cells.items() if row <= r < row + h * 4 and col <= c < col + w}
        for key in block:
            sheet.cells.pop(key)
        for (r, c), v in block.items():
            if r + dr >= 1 and c + dc >= 1:
                sheet.cells[(r + dr, c + dc)] = v
        sheet.merges = [m for m in sheet.merges if not (row <= m[0] < row + h * 4 and col <= m[1] < col + w)]
    elif kind == "clear_range":
        for key in [k for k in sheet.cells if row <= k[0] < row + h and col <= k[1] < col + w]:
            sheet.cells.pop(key)
    elif kind == "merge":
        r1, c1 = row + h - 1, col + w - 1
        if all(r1 < m[0] or row > m[2] or c1 < m[1] or col > m[3] for m in sheet.merges):
            sheet.merges.append((row, col, r1, c1))
