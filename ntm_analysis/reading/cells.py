"""Reading one value cell of a located table, reporting problems by cell."""
from __future__ import annotations

from ..findings import Findings
from ..i18n import _, current_language, num
from .finder import LocatedTable
from .grid import FormulaWithoutValue
from .numbers import NumberParseError, ambiguous_readings, parse_vn_number


def cell_ref(table: LocatedTable, row: int, col: int) -> str:
    """Reference of a cell as written in the tidy tables: ``Sheet!A1`` in a
    workbook, the document's own terms otherwise (see :meth:`Grid.reference`)."""
    return table.grid.reference(row, col)


def read_number(table: LocatedTable, row: int, col: int, findings: Findings,
                what: str) -> float | None:
    """The number in (row, col), None when blank. Text or a formula without a
    cached value is an error finding naming the cell; the value is then None. Text
    whose separator reads two ways ("640,000": 640 or 640.000) is a warning naming
    the cell and both readings; the value is the one :func:`parse_vn_number` takes."""
    value = table.grid.get(row, col)
    where = dict(file=table.grid.file, sheet=table.grid.sheet, cell=table.ref(row, col))
    if isinstance(value, FormulaWithoutValue):
        findings.add("error", "formula_without_value",
                     _("{what}: the cell holds the formula {formula} but no calculated value; open the file in "
                       "Excel, recalculate and save it").format(what=what, formula=value.formula), **where)
        return None
    try:
        number = parse_vn_number(value)
    except NumberParseError as exc:
        findings.add("error", "text_in_number", _("{what}: {problem}").format(what=what, problem=exc), **where)
        return None
    readings = ambiguous_readings(value)
    if readings:
        read, other = readings
        findings.add("warning", "ambiguous_number", _(
            "{what}: the text \"{text}\" reads as {read} (a decimal comma) or as {other} (a thousands "
            "comma); it is read as {read}: if {other} is meant, write {plain}").format(
                what=what, text=str(value).strip(), read=num(read, 3, trim=True), other=num(other, trim=True),
                plain=f"{other:.0f}"), **where)
    return number


#: Largest count a cell may hold: beyond it a number no longer reads as an exact whole
#: number (2**53) and no province has that many communes or workers anyway.
MAX_COUNT = 10**12


def read_count(table: LocatedTable, row: int, col: int, findings: Findings, what: str) -> int | None:
    """The whole number in (row, col) (communes), None when blank. A fraction
    (57,5; 0.1 + 0.2) or an absurdly large number is an error finding naming the
    cell; the value is never rounded, it becomes None."""
    value = read_number(table, row, col, findings, what)
    if value is None:
        return None
    where = dict(file=table.grid.file, sheet=table.grid.sheet, cell=table.ref(row, col))
    if abs(value) > MAX_COUNT:
        findings.add("error", "count_too_large",
                     _("{what}: {value} is too large to be a number of communes; correct the cell").format(
                         what=what, value=num(value)), **where)
        return None
    if not float(value).is_integer():
        held = repr(float(value))  # every digit the cell holds (0,30000000000000004), not rounded
        findings.add("error", "count_not_whole",
                     _("{what}: a number of communes must be a whole number, but the cell holds {value}; it is "
                       "not rounded: correct the cell").format(
                         what=what, value=held.replace(".", ",") if current_language() == "vi" else held),
                     **where)
        return None
    return int(value)
