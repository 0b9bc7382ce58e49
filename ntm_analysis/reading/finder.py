"""Find the appendix tables in grids of cells, by their title and header words.

Nothing here depends on sheet names, fixed rows or columns, or the carrier:
only on the words of titles and headers (see ``reference/tables.json``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..findings import Findings
from ..reference import Reference
from ..text import clean_text, fold
from .grid import FormulaWithoutValue, Grid
from .numbers import NumberParseError, parse_vn_number

YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_TITLE_YEAR = re.compile(r"nam ((?:19|20)\d\d)(?!\d)")
_ACTUAL = re.compile(r"thuc hien|ket qua|uoc dat|da dat")
_TARGET = re.compile(r"ke hoach|chi tieu|du kien|muc tieu|phan dau|giao")
_CODE = re.compile(r"^(s?tt|so tt|ma|ma so|so thu tu)$")
_UNIT = re.compile(r"^(dvt|don vi tinh|don vi)$")
_NOTE = re.compile(r"^(ghi chu|ghi chu:?)$")
_END = re.compile(r"^(ghi chu|nguon|luu y|\(\*|\*|bieu|kem theo|nguoi lap|noi nhan)")
MAX_TITLE_ROWS = 6


def is_number_like(value: object) -> bool:
    """A cell that reads as a number (years in a header excepted)."""
    if isinstance(value, FormulaWithoutValue):
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return not (isinstance(value, int) and 1990 <= value <= 2100)
    try:
        return parse_vn_number(value) is not None
    except NumberParseError:
        return False


@dataclass
class Column:
    """One column of a located table."""

    index: int
    header: str  # the header text of this column, parent headers first, " / " between
    leaf: str  # the lowest header cell of this column
    role: str = "other"  # code | label | unit | value | note | other
    year: int | None = None
    status: str | None = None  # actual | target


@dataclass
class LocatedTable:
    """An appendix table found in a grid: where its header and body rows are,
    what each column holds, and the year of its title."""

    kind: str
    grid: Grid
    title: str
    header_rows: list[int]
    body_rows: list[int]
    columns: list[Column]
    plan_year: int | None
    findings: Findings = field(default_factory=Findings)

    def ref(self, row: int, col: int) -> str:
        return self.grid.locate(row, col)

    def column(self, role: str) -> Column | None:
        return next((c for c in self.columns if c.role == role), None)

    def value_columns(self) -> list[Column]:
        return [c for c in self.columns if c.role == "value"]

    @property
    def label_col(self) -> int:
        col = self.column("label")
        return col.index if col else 0


def _nonempty(grid: Grid, row: int) -> dict[int, object]:
    return grid.row(row)


def _is_header_like(grid: Grid, row: int) -> bool:
    """Two or more text cells (counting cells merged down from the row above),
    and no numbers but years."""
    cells = _nonempty(grid, row)
    texts = [v for v in cells.values() if isinstance(v, str)]
    merged_down = grid.merged_down_count(row)
    if len(cells) + merged_down < 2 or len(texts) < len(cells):
        return False
    return not any(is_number_like(v) for v in cells.values())


def _is_parent_header_row(grid: Grid, row: int) -> bool:
    """A header cell alone in its row, merged over several columns and stating a
    year ("Chỉ tiêu kế hoạch năm 2021"), over a header row (the row's other
    header cells are merged down and set lower, as centred text is)."""
    cells = _nonempty(grid, row)
    if len(cells) != 1 or row + 1 >= grid.n_rows or not _is_header_like(grid, row + 1):
        return False
    (col, value), = cells.items()
    return isinstance(value, str) and bool(YEAR.search(fold(value))) and any(
        r0 == row and c0 == col and c1 > c0 for r0, c0, _r1, c1 in grid.merges)


def _is_split_header_row(grid: Grid, row: int) -> bool:
    """The lower half of a header cut over two unmerged rows, holding the words
    of one column only ("Dự kiến Kế hoạch" above, "năm 2021" here): text
    without numbers, each cell under a text cell of a header-like row."""
    cells = _nonempty(grid, row)
    if not cells or row == 0 or not _is_header_like(grid, row - 1):
        return False
    if not all(isinstance(v, str) for v in cells.values()) or any(is_number_like(v) for v in cells.values()):
        return False
    return all(isinstance(grid.filled(row - 1, c), str) for c in cells)


def _is_numbering_row(grid: Grid, row: int) -> bool:
    """A row that only numbers the columns: 1 2 3 4 ... or (1) (2) (3) ..."""
    values = list(_nonempty(grid, row).values())
    if len(values) < 3:
        return False
    numbers = [clean_text(v).strip().strip("()[]").strip() for v in values]
    return all(n.isdecimal() for n in numbers) and [int(n) for n in numbers] == list(
        range(int(numbers[0]), int(numbers[0]) + len(numbers)))


def _header_blocks(grid: Grid) -> list[list[int]]:
    blocks: list[list[int]] = []
    seen: set[int] = set()
    for row in grid.content_rows:
        if row in seen or not (_is_header_like(grid, row) or _is_split_header_row(grid, row)
                               or _is_parent_header_row(grid, row)) or _is_numbering_row(grid, row):
            continue
        if not any(YEAR.search(fold(grid.filled(row, c) or "")) for c in grid.filled_cols(row)
                   if isinstance(grid.filled(row, c), str)):
            continue
        block = [row]
        up = row - 1
        while up >= 0 and up not in seen and _is_header_like(grid, up) and not _is_numbering_row(grid, up) \
                and row - up <= 3:
            block.insert(0, up)
            up -= 1
        # a row below the year row is a sub-header only if it divides a column whose header
        # states a year; otherwise it is a body row of text (a blank "Tổng cộng | tr.đ" line)
        year_cols = {c for c in grid.filled_cols(row) if isinstance(grid.filled(row, c), str)
                     and YEAR.search(fold(grid.filled(row, c)))}
        down, gap = row + 1, 0
        while down < grid.n_rows and down - row <= 4:
            if not _nonempty(grid, down) and not any(grid.is_merged_into(down, c) for c in grid.filled_cols(down)):
                gap += 1
                if gap > 1:
                    break
            elif _is_header_like(grid, down) and not _is_numbering_row(grid, down) and \
                    year_cols & set(_nonempty(grid, down)):
                block.append(down)
            else:
                break
            down += 1
        seen.update(block)
        blocks.append(block)
    return blocks


def _compose_headers(grid: Grid, rows: list[int]) -> list[Column]:
    span = sorted({c for r in rows for c in grid.filled_cols(r) if grid.filled(r, c) is not None})
    if not span:
        return []
    first, last = span[0], span[-1]
    columns = []
    for col in range(first, last + 1):
        parts: list[str] = []
        for i, r in enumerate(rows):
            value = grid.filled(r, col)
            if value is None and i < len(rows) - 1:  # a parent header written once, unmerged
                left = next((grid.filled(r, c) for c in range(col - 1, first - 1, -1)
                             if grid.filled(r, c) is not None), None)
                below = [grid.filled(rr, col) for rr in rows[i + 1:]]
                value = left if left is not None and any(b is not None for b in below) and \
                    not _CODE.match(fold(left)) else None
            text = clean_text(value) if value is not None else ""
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        columns.append(Column(col, " / ".join(parts), parts[-1] if parts else ""))
    return columns


def _title_rows(grid: Grid, first_header_row: int) -> list[int]:
    rows: list[int] = []
    row = first_header_row - 1
    while row >= 0 and len(rows) < MAX_TITLE_ROWS:
        cells = _nonempty(grid, row)
        if cells:
            if len(cells) > 2 or any(is_number_like(v) for v in cells.values()):
                break
            rows.insert(0, row)
        elif rows and first_header_row - row > MAX_TITLE_ROWS + 2:
            break
        row -= 1
    return rows


def _body_rows(grid: Grid, header_rows: list[int], columns: list[Column],
               stop_rows: set[int]) -> list[int]:
    span = {c.index for c in columns}
    body: list[int] = []
    row = header_rows[-1] + 1
    while row < grid.n_rows:
        if row in stop_rows:
            break
        cells = {c: v for c, v in _nonempty(grid, row).items() if c in span}
        if not cells:
            if not body and row - header_rows[-1] <= 2:  # a gap under the header
                row += 1
                continue
            break
        first_text = next((v for v in cells.values() if isinstance(v, str)), "")
        if len(cells) == 1 and _END.match(fold(first_text)):
            break
        if not (not body and _is_numbering_row(grid, row)):
            body.append(row)
        row += 1
    return body


def column_period(header: str, plan_year: int | None) -> tuple[int, str] | None:
    """Year and status (actual/target) that a value column's header states.

    "Lũy kế … đến hết năm 2020" in a 2021 plan -> (2020, "actual");
    "Chỉ tiêu kế hoạch năm 2021" -> (2021, "target"); "Thực hiện năm 2021" ->
    (2021, "actual"). Without plan words, a year before the plan year is actual.
    """
    folded = fold(header)
    years = YEAR.findall(folded)
    if not years:
        return None
    year = int(years[-1])
    if _ACTUAL.search(folded):
        return year, "actual"
    if _TARGET.search(folded):
        return year, "target"
    if plan_year is not None and year < plan_year:
        return year, "actual"
    return year, "target"


def _holds_words(table: LocatedTable, col: int) -> bool:
    """Most filled body cells of a column are words, not numbers."""
    values = [table.grid.filled(r, col) for r in table.body_rows]
    values = [v for v in values if v is not None and v != ""]
    return bool(values) and 2 * sum(isinstance(v, str) and not is_number_like(v) for v in values) >= len(values)


def _assign_roles(table: LocatedTable) -> None:
    cols = table.columns
    for col in cols:
        leaf = fold(col.leaf)
        if _CODE.match(leaf):
            col.role = "code"
        elif _UNIT.match(leaf):
            col.role = "unit"
        elif _NOTE.match(leaf):
            col.role = "note"
        elif YEAR.search(fold(col.header)):
            col.role = "value"
            period = column_period(col.header, table.plan_year)
            if period:
                col.year, col.status = period
    headed = [c for c in cols if c.role == "other" and c.header]
    # the first headed column whose body holds words (a "TT" column misread by a scan holds only numbers)
    label = next((c for c in headed if _holds_words(table, c.index)), headed[0] if headed else None)
    if label is None:  # label column without a header: the first text column of the body
        label = next((c for c in cols if c.role == "other"), None)
    if label is not None:
        label.role = "label"


def _score(spec: dict, header: str, title: str, body: str) -> int | None:
    if not all(re.search(p, header) for p in spec["header_all"]):
        return None
    if any(re.search(p, header) for p in spec["header_none"]):
        return None
    title_hit = any(re.search(p, title) for p in spec["title_any"])
    body_hits = sum(1 for p in spec["body_any"] if re.search(p, body, re.MULTILINE))
    if not title_hit and not body_hits:
        return None
    return 2 * title_hit + body_hits


def find_tables(grids: list[Grid], reference: Reference, findings: Findings) -> dict[str, list[LocatedTable]]:
    """Locate every appendix table (kinds: criteria, districts, funding) in ``grids``."""
    found: dict[str, list[LocatedTable]] = {kind: [] for kind in reference.tables if not kind.startswith("_")}
    specs = {k: v for k, v in reference.tables.items() if not k.startswith("_")}
    for grid in grids:
        blocks = _header_blocks(grid)
        starts = {b[0] for b in blocks}
        for block in blocks:
            columns = _compose_headers(grid, block)
            if len(columns) < 2:
                continue
            title_rows = _title_rows(grid, block[0])
            title = " ".join(clean_text(v) for r in title_rows for v in _nonempty(grid, r).values())
            header_text = fold(" | ".join(c.header for c in columns))
            title_years = _TITLE_YEAR.findall(fold(title))
            body = _body_rows(grid, block, columns, starts - {block[0]})
            label_texts = []
            for r in body[:12]:
                texts = [fold(v) for v in _nonempty(grid, r).values() if isinstance(v, str)
                         and not is_number_like(v)]
                label_texts.extend(texts)
            scores = {kind: _score(spec, header_text, fold(title), "\n".join(label_texts))
                      for kind, spec in specs.items()}
            scores = {k: s for k, s in scores.items() if s is not None}
            if not scores:
                continue
            kind = max(scores, key=scores.get)
            header_years = [int(y) for c in columns for y in YEAR.findall(fold(c.header))]
            plan_year = int(title_years[-1]) if title_years else (max(header_years) if header_years else None)
            table = LocatedTable(kind, grid, title, block, body, columns, plan_year)
            _assign_roles(table)
            found[kind].append(table)
    return found
