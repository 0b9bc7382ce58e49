"""Reading one value cell of a located table, reporting problems by cell."""
from __future__ import annotations

from .finder import LocatedTable
from .findings import Findings
from .grid import FormulaWithoutValue
from .numbers import NumberParseError, parse_vn_number


def cell_ref(table: LocatedTable, row: int, col: int) -> str:
    """Reference of a cell as written in the tidy tables: ``Sheet!A1`` in a
    workbook, the document's own terms otherwise (see :meth:`Grid.reference`)."""
    return table.grid.reference(row, col)


def read_number(table: LocatedTable, row: int, col: int, findings: Findings,
                what: str) -> float | None:
    """The number in (row, col), None when blank. Text or a formula without a
    cached value is an error finding naming the cell; the value is then None."""
    value = table.grid.get(row, col)
    where = dict(file=table.grid.file, sheet=table.grid.sheet, cell=table.ref(row, col))
    if isinstance(value, FormulaWithoutValue):
        findings.add("error", "formula_without_value",
                     f"{what}: the cell holds the formula {value.formula} but no calculated "
                     f"value; open the file in Excel, recalculate and save it", **where)
        return None
    try:
        return parse_vn_number(value)
    except NumberParseError as exc:
        findings.add("error", "text_in_number", f"{what}: {exc}", **where)
        return None
