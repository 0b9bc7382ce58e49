"""Tables printed without rules, read from the positions of their words.

A PDF exported from a Word table without borders keeps no line to find the
table by: only the text is aligned. This module finds such tables among the
text lines of a page and rebuilds their cells:

1. **Segments.** Each text line is cut where the space between two letters is
   much wider than a word space (:data:`SEGMENT_GAP` font sizes): a table line
   holds one segment per filled cell.
2. **Regions.** A table starts at a line of three or more segments and goes on
   while the lines below stay close and keep to its columns (a wrapped cell's
   single segment inside one column goes on; a paragraph across the columns,
   or a page number, ends it); header lines of fewer segments just above it are
   taken too. A region is a table only when at least two of its lines have
   three or more segments.
3. **Columns.** The x-ranges covered by the body lines (from the first line that
   holds a number) in several lines are the columns; a header cell alone in a
   range (a "Ghi chú" column left empty) adds its own column, and a header
   cell across several columns is a merged cell. A table continued from the
   previous page keeps that page's columns.
4. **Rows.** Within a column, lines closer than :data:`LINE_PITCH` times the
   narrowest line spacing are one cell (a wrapped text). Cells are taken from
   the top: a cell joins the row above while it starts before that row's last
   line ends and its column is still free there (text centred in a tall row);
   otherwise it starts a new row. A figure is never wrapped, so a line under
   one starts a new row.
5. **Tight tables.** When the rows are as close as the lines of a cell (no
   space between them), the body rows are found by their anchors, the line
   holding a row's number or figures; in each column the text lines are cut
   into runs, one per row, each starting on its anchor (top-aligned) or centred
   on it, whichever fits the column better (:func:`_split_column`).
6. **Merged header cells.** A header text centred over several columns is
   widened to the widest span it is centred on.

A row broken by a page break is put back together when the lines it carries
over start with a small letter (see :mod:`.document`). Known limit: in a tight
table whose cells are centred, a row whose label starts at the foot of one page
and whose figures are on the next is not.

Distances are measured in font sizes or in line spacings, so the size of the print does not matter.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from statistics import median

from ...text import clean_text
from ..numbers import NumberParseError, parse_vn_number
from .document import Table

#: A gap wider than this many font sizes between two letters of a line separates two cells.
SEGMENT_GAP = 0.6
#: A space wider than this many font sizes between two letters is a word space.
WORD_GAP = 0.15
#: Lines of one cell are at most this many times the narrowest line spacing apart.
LINE_PITCH = 1.35
#: Lines closer than this many font sizes are lines of one cell when no cell of the table wraps,
#: and a spacing wider than MAX_PITCH font sizes is never a line spacing.
DEFAULT_PITCH, MAX_PITCH = 1.4, 1.9
#: Lines of one table are at most this many font sizes apart (top to top).
MAX_ROW_DISTANCE = 3.2
#: A table has at least this many lines with this many segments.
MIN_TABLE_LINES, MIN_TABLE_SEGMENTS = 2, 3
#: Text this close (pt) to a column's left edge or middle sits in the column.
ALIGNED = 2.0
#: A merged header cell is widened only to a span whose middle is at most this far (pt) from its text's.
SPAN_MARGIN = 3.0
#: The lines of one cell, at most (a longer text is cut between rows).
MAX_RUN_LINES = 12
#: A column of figures: at least this share of its body cells' lines are numbers (or "-").
NUMERIC_SHARE = 0.8
#: A table is tight (no space between its rows) when fewer than this share of its line spacings are wider
#: than a line of a cell.
TIGHT_SHARE = 0.1
#: A column is covered by at least this share of the body lines (at least two lines).
DENSE_SHARE = 0.15

#: The columns of a table: their x-ranges (pt), left to right.
Columns = list[tuple[float, float]]

_PAGE_NUMBER = re.compile(r"^(trang\s*)?-?\s*\d{1,4}(\s*/\s*\d{1,4})?\s*-?$", re.IGNORECASE)


@dataclass
class Segment:
    """The text of one line inside one cell, with its box (pt, from the page's top left)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class Line:
    """One text line of the page: its segments left to right and its text."""

    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    segments: list[Segment]


def line_from_chars(text: str, chars: list[dict], top: float, bottom: float) -> Line:
    """Cut one pdfplumber text line (its characters) into segments."""
    letters = sorted((c for c in chars if c.get("text", "").strip()), key=lambda c: c["x0"])
    size = median(float(c.get("size") or (c["bottom"] - c["top"])) for c in letters) if letters else 10.0
    segments: list[Segment] = []
    parts: list[str] = []
    start = previous = None
    for char in letters:
        if previous is not None:
            gap = char["x0"] - previous["x1"]
            if gap > SEGMENT_GAP * size:
                segments.append(Segment(clean_text("".join(parts)), start["x0"], previous["x1"],
                                        top, bottom))
                parts, start = [], None
            elif gap > WORD_GAP * size:
                parts.append(" ")
        if start is None:
            start = char
        parts.append(char["text"])
        previous = char
    if start is not None:
        segments.append(Segment(clean_text("".join(parts)), start["x0"], previous["x1"], top, bottom))
    segments = [s for s in segments if s.text]
    x0 = segments[0].x0 if segments else 0.0
    x1 = segments[-1].x1 if segments else 0.0
    return Line(clean_text(text), top, bottom, x0, x1, size, segments)


def _is_number(text: str) -> bool:
    """A figure of the table's body (a bare year, "2020", is a header's word)."""
    try:
        number = parse_vn_number(text)
    except NumberParseError:
        return False
    return number is not None and not (text.strip().isdigit() and 1990 <= number <= 2100)


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def _covering(segment: Segment, columns: list[tuple[float, float]]) -> list[int]:
    """The columns a segment lies over (more than 1 pt of overlap)."""
    return [i for i, (a, b) in enumerate(columns) if _overlap(segment.x0, segment.x1, a, b) > 1.0]


def _union(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[list[float]] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1] + 1.0:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _dense_ranges(lines: list[Line]) -> list[tuple[float, float]]:
    """The x-ranges covered by segments of several lines (the columns of the body)."""
    events = sorted([(s.x0, 1) for ln in lines for s in ln.segments] +
                    [(s.x1, -1) for ln in lines for s in ln.segments], key=lambda e: (e[0], e[1]))
    need = max(2 if len(lines) > 2 else 1, math.ceil(DENSE_SHARE * len(lines)))
    ranges: list[tuple[float, float]] = []
    depth, start = 0, None
    for x, step in events:
        depth += step
        if depth >= need and start is None:
            start = x
        elif depth < need and start is not None:
            if x - start > 0.5:
                ranges.append((start, x))
            start = None
    return _union(ranges)


def _columns(lines: list[Line]) -> list[tuple[float, float]]:
    """The columns of a region: dense body ranges, then each segment outside
    them adding its own range."""
    body_from = next((i for i, ln in enumerate(lines) if any(_is_number(s.text) for s in ln.segments)),
                     len(lines))
    body = lines[body_from:] or lines
    columns = _dense_ranges(body)
    # the dense ranges widened to the segments that lie over exactly one of them
    for _ in range(2):
        widened = list(columns)
        for ln in lines:
            for s in ln.segments:
                hit = _covering(s, columns)
                if len(hit) == 1:
                    a, b = widened[hit[0]]
                    widened[hit[0]] = (min(a, s.x0), max(b, s.x1))
        columns = _union(widened)
        extra = [(s.x0, s.x1) for ln in lines for s in ln.segments if not _covering(s, columns)]
        columns = _union(columns + _union(extra))
    return columns


def _fits(line: Line, columns: list[tuple[float, float]], first_col_ok: bool) -> bool:
    """A line keeps to the table's columns: each segment over one column, and a
    lone segment not in the first column (that would be a paragraph or a title)."""
    if not columns:
        return False
    hits = [_covering(s, columns) for s in line.segments]
    if any(not h for h in hits):
        return len(line.segments) >= 2 and sum(1 for h in hits if h) >= 2
    if len(line.segments) == 1:
        return len(hits[0]) == 1 and (hits[0][0] > 0 or first_col_ok)
    return True


def _is_page_number(line: Line, columns: Columns | None) -> bool:
    """A lone page number ("2", "- 2 -", "Trang 2"), unless it sits in a column
    as a cell's text does (flush with the column's left edge, or centred on it):
    then it is the rest of a wrapped label ("Xã đạt tiêu chí số" | "15")."""
    if not _PAGE_NUMBER.match(line.text) or len(line.segments) != 1:
        return False
    seg = line.segments[0]
    return not any(abs(seg.x0 - a) <= ALIGNED or abs((seg.x0 + seg.x1) / 2 - (a + b) / 2) <= ALIGNED
                   for a, b in columns or [])


def _right_of_first(line: Line, columns: Columns) -> bool:
    """A lone header text right of the first column (a header cell over
    several columns, or the second line of a header cell)."""
    return len(line.segments) == 1 and bool(columns) and line.segments[0].x0 > columns[0][1]


def _is_row_code(line: Line, columns: Columns) -> bool:
    """A lone short code in the first column ("5", "1.1.", "II", "-"): the
    number of a row whose text is centred below or above it."""
    return len(line.segments) == 1 and bool(columns) and _covering(line.segments[0], columns) == [0] and \
        len(line.segments[0].text) <= 6 and " " not in line.segments[0].text


def find_regions(lines: list[Line], seed: Columns | None = None) -> list[tuple[list[int], Columns]]:
    """The runs of lines that form tables, each with its columns. ``seed``: the
    columns of a table the previous page ended with; lines at the top of the
    page that keep to them continue it."""
    regions: list[tuple[list[int], Columns]] = []
    top = 0  # the first line below the page number printed at the top of the page
    while top < len(lines) - 1 and _is_page_number(lines[top], seed):
        top += 1
    i = 0
    while i < len(lines):
        line = lines[i]
        seeded = seed is not None and i == top and _fits(line, seed, False) and not _is_page_number(line, seed)
        if len(line.segments) < MIN_TABLE_SEGMENTS and not seeded:
            i += 1
            continue
        taken = [i]
        provisional = seed if seeded else _union([(s.x0, s.x1) for s in line.segments])
        j = i + 1
        while j < len(lines):
            nxt, last = lines[j], lines[taken[-1]]
            if nxt.top - last.top > MAX_ROW_DISTANCE * max(last.size, nxt.size):
                break
            current = seed if seeded else _columns([lines[k] for k in taken])
            in_header = not any(_is_number(seg.text) for k in taken for seg in lines[k].segments)
            if len(nxt.segments) >= 2 or _fits(nxt, current or provisional, False) or \
                    _is_row_code(nxt, current or provisional) or (in_header and _right_of_first(nxt, current)):
                taken.append(j)
                j += 1
                continue
            break
        wide = sum(1 for k in taken if len(lines[k].segments) >= MIN_TABLE_SEGMENTS)
        # a table's header alone at the foot of a page: its body is on the next page
        at_foot = j == len(lines) and wide >= 1 and not any(_is_number(seg.text) for k in taken
                                                              for seg in lines[k].segments)
        if seeded or wide >= MIN_TABLE_LINES or at_foot:
            columns = seed if seeded else _columns([lines[k] for k in taken])
            if seeded:  # a continuation keeps the columns; segments outside them add theirs
                extra = [(s.x0, s.x1) for k in taken for s in lines[k].segments if not _covering(s, columns)]
                columns = _union(columns + _union(extra)) if extra else columns
            if len(columns) >= 2:
                # upwards: header lines of fewer segments above the first wide one
                floor = regions[-1][0][-1] if regions else -1
                while not seeded and taken[0] - 1 > floor:
                    above, first = lines[taken[0] - 1], lines[taken[0]]
                    covered = sum(1 for seg in above.segments if _covering(seg, columns))
                    if first.top - above.top > MAX_ROW_DISTANCE * max(above.size, first.size) or \
                            _is_page_number(above, columns) or not (
                            (len(above.segments) >= 2 and covered >= 2) or _right_of_first(above, columns)):
                        break
                    taken.insert(0, taken[0] - 1)
                regions.append((taken, columns))
                i = j
                continue
        i += 1
    return regions


@dataclass
class _Cell:
    col: int
    last_col: int
    top: float
    bottom: float
    last_top: float  # the top of its last line
    texts: list[str]
    x0: float = math.inf  # the left and right edges of its text (pt)
    x1: float = -math.inf


def line_pitch(lines: list[Line], columns: list[tuple[float, float]], known: float | None = None) -> float:
    """The spacing of two lines of one cell (pt): the narrowest spacing of two
    lines written in the same column, or ``known`` (the part of the table on the
    previous page) when narrower. A table none of whose cells wraps gives only
    the spacing of its rows; then :data:`DEFAULT_PITCH` font sizes."""
    tops: dict[int, list[float]] = {}
    for line in lines:
        for s in line.segments:
            for c in _covering(s, columns)[:1]:
                tops.setdefault(c, []).append(line.top)
    size = median(line.size for line in lines) if lines else 10.0
    steps = [b - a for col in tops.values() for a, b in zip(sorted(col), sorted(col)[1:]) if b - a > 0.5 * size]
    if known is not None:
        steps.append(known)
    pitch = min(steps, default=DEFAULT_PITCH * size)
    return pitch if pitch <= MAX_PITCH * size else DEFAULT_PITCH * size


#: A placed piece of a line: (first column, last column, text, left and right edge in pt).
Piece = tuple[int, int, str, float, float]


def _place(line: Line, columns: Columns) -> list[Piece]:
    """The line's segments put into columns (a segment over several columns is a merged cell)."""
    by_col: dict[tuple[int, int], list[Segment]] = {}
    for s in line.segments:
        hit = _covering(s, columns) or [min(range(len(columns)), key=lambda c: abs(columns[c][0] - s.x0))]
        by_col.setdefault((hit[0], hit[-1]), []).append(s)
    return [(c0, c1, clean_text(" ".join(s.text for s in segs)), segs[0].x0, segs[-1].x1)
            for (c0, c1), segs in sorted(by_col.items())]


def _is_figure(text: str) -> bool:
    """A number, or a mark that stands for a missing one ("-")."""
    try:
        parse_vn_number(text)
    except NumberParseError:
        return False
    return True


def _block_rows(lines: list[Line], placed: list[list[Piece]], pitch: float) -> list[dict[int, _Cell]]:
    """Rows of a table whose rows stand apart: the lines of one column closer
    than the line spacing are one cell; a cell joins the row above while it
    starts before that row's last line ends and its column is free there."""
    open_cells: dict[int, _Cell] = {}  # column -> the cell being written there
    cells: list[_Cell] = []
    for line, pieces in zip(lines, placed):
        def continued(c0: int, c1: int) -> _Cell | None:
            cell = open_cells.get(c0)
            if cell is not None and (cell.col, cell.last_col) == (c0, c1) and \
                    line.top - cell.last_top <= LINE_PITCH * pitch:
                return cell
            return None

        # a number is never wrapped: a line that would go on below one starts a new row
        new_row = any(cell is not None and _is_number(" ".join(cell.texts))
                      for cell in (continued(c0, c1) for c0, c1, *_rest in pieces))
        for c0, c1, text, x0, x1 in pieces:
            cell = None if new_row else continued(c0, c1)
            if cell is not None:
                cell.texts.append(text)
                cell.bottom, cell.last_top = line.bottom, line.top
                cell.x0, cell.x1 = min(cell.x0, x0), max(cell.x1, x1)
                continue
            cell = _Cell(c0, c1, line.top, line.bottom, line.top, [text], x0, x1)
            cells.append(cell)
            for c in range(c0, c1 + 1):
                open_cells[c] = cell
    rows: list[dict[int, _Cell]] = []
    row_bottom = -math.inf
    for cell in sorted(cells, key=lambda c: (c.top, c.col)):
        span = range(cell.col, cell.last_col + 1)
        if rows and cell.top < row_bottom - 0.5 and not any(c in rows[-1] for c in span):
            rows[-1].update({c: cell for c in span})
            row_bottom = max(row_bottom, cell.bottom)
            continue
        rows.append({c: cell for c in span})
        row_bottom = cell.bottom
    return rows


def _split_column(tops: list[float], fixed: list[int | None], joined: list[bool],
                  anchors: list[float], centred: bool, skip: float) -> tuple[float, list[int]]:
    """The rows of one column's text lines (top to bottom): cut into runs, one
    run per row at most and rows in order, so that each run sits best on its
    row's anchor line (its middle on it when ``centred``, else its first line)
    and few rows are left without text (``skip`` pt for each).
    ``fixed[i]``: the row of a line on an anchor line; ``joined[i]``: the line
    goes on with the one above. Returns the total distance (pt) and the rows."""
    n, m = len(tops), len(anchors)
    inf = math.inf

    def cost(k: int, i: int, j: int) -> float:
        if any(f is not None and f != j for f in fixed[k:i]):
            return inf
        place = sum(tops[k:i]) / (i - k) if centred else tops[k]
        return abs(place - anchors[j])

    best = [[inf] * m for _ in range(n + 1)]  # best[i][j]: lines[:i] placed, the last run in row j
    back: dict[tuple[int, int], tuple[int, int]] = {}
    for i in range(1, n + 1):
        for k in range(max(0, i - MAX_RUN_LINES), i):
            if k > 0 and joined[k]:
                continue
            runs: list[tuple[float, int]] = []
            if k == 0:
                runs = [(skip * j, -1) for j in range(m)]
            else:
                lowest, where = inf, -1
                for j in range(m):
                    runs.append((lowest + skip * (j - 1), where) if where >= 0 else (inf, -1))
                    if best[k][j] - skip * j < lowest:
                        lowest, where = best[k][j] - skip * j, j
            for j in range(m):
                prev, prev_j = runs[j]
                if prev == inf:
                    continue
                total = prev + cost(k, i, j)
                if total < best[i][j]:
                    best[i][j] = total
                    back[(i, j)] = (k, prev_j)
    total, j = min((best[n][jj] + skip * (m - 1 - jj), jj) for jj in range(m))
    rows = [0] * n
    i = n
    while i > 0 and (i, j) in back:
        k, prev_j = back[(i, j)]
        rows[k:i] = [j] * (i - k)
        i, j = k, prev_j
    return total, rows


def _anchored_rows(lines: list[Line], placed: list[list[Piece]], anchors: list[int],
                   pitch: float) -> list[dict[int, _Cell]]:
    """Rows of a tight table (rows as close as the lines of a cell): each row has
    one line holding its number or figures (its anchor). In every column the
    text lines are cut into runs, one per row, each sitting on its row's anchor
    (centred on it, or starting on it, whichever fits the column better); a line
    that goes on with a small letter stays with the line above."""
    rows: list[dict[int, _Cell]] = [{} for _ in anchors]
    anchor_tops = [lines[k].top for k in anchors]
    by_col: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for k, pieces in enumerate(placed):
        for c0, c1, text, *_x in pieces:
            by_col.setdefault((c0, c1), []).append((k, text))
    for (c0, c1), items in sorted(by_col.items()):
        tops = [lines[k].top for k, _text in items]
        fixed = [anchors.index(k) if k in anchors else None for k, _text in items]
        joined = [i > 0 and fixed[i] is None and text[:1].islower() and tops[i] - tops[i - 1] <= LINE_PITCH * pitch
                  for i, (_k, text) in enumerate(items)]
        _cost, assigned = min(_split_column(tops, fixed, joined, anchor_tops, centred, pitch)
                              for centred in (False, True))
        for (k, text), r in zip(items, assigned):
            cell = rows[r].get(c0)
            if cell is None or cell.col != c0:
                cell = _Cell(c0, c1, lines[k].top, lines[k].bottom, lines[k].top, [])
                rows[r].update({c: cell for c in range(c0, c1 + 1)})
            cell.texts.append(text)
    return rows


def _centre_span(cell: _Cell, row: dict[int, _Cell], columns: Columns) -> None:
    """A header cell over several columns whose text is centred covers only the
    middle ones: widen it over the free columns of its row to the widest span
    its text is centred on ("Chỉ tiêu kế hoạch năm 2021" over all the
    indicators). A text not centred on its span is left as it is."""
    middle = (cell.x0 + cell.x1) / 2

    def off(a: int, b: int) -> float:
        return abs((columns[a][0] + columns[b][1]) / 2 - middle)

    lows = [cell.col]
    while lows[-1] > 0 and lows[-1] - 1 not in row:
        lows.append(lows[-1] - 1)
    highs = [cell.last_col]
    while highs[-1] < len(columns) - 1 and highs[-1] + 1 not in row:
        highs.append(highs[-1] + 1)
    if off(cell.col, cell.last_col) > SPAN_MARGIN:  # not a centred text
        return
    centred = [(b - a, -off(a, b), a, b) for a in lows for b in highs if off(a, b) <= SPAN_MARGIN]
    _width, _off, a, b = max(centred)  # the widest span the text is centred on
    if (a, b) != (cell.col, cell.last_col):
        for c in range(cell.col, cell.last_col + 1):
            row.pop(c, None)
        cell.col, cell.last_col = a, b
        row.update({c: cell for c in range(a, b + 1)})


def build_table(lines: list[Line], columns: Columns, places_prefix: str, pitch: float) -> Table:
    """The cells of a region: segments into columns, the lines of a cell (at
    most ``pitch`` pt apart, see :func:`line_pitch`) together, cells into rows.

    Rows that stand apart are read by :func:`_block_rows`. When the rows are
    as close as the lines of a cell (no space between them), each body row is
    found by its anchor, the line holding its number in the first column or
    its figures (:func:`_anchored_rows`); the header above the first anchor is
    still read by blocks."""
    placed = [_place(line, columns) for line in lines]
    body = next((k for k, pieces in enumerate(placed)
                 if any(c0 > 0 and _is_number(text) for c0, _c1, text, *_x in pieces)), len(placed))
    figures: dict[int, list[bool]] = {}
    for pieces in placed[body:]:
        for c0, c1, text, *_x in pieces:
            if c0 == c1:
                figures.setdefault(c0, []).append(_is_figure(text))
    numeric = {c for c, flags in figures.items() if c > 0 and sum(flags) >= NUMERIC_SHARE * len(flags)}
    anchors = [k for k, pieces in enumerate(placed) if k >= body and
               any(c0 == 0 or (c0 in numeric and _is_figure(text)) for c0, _c1, text, *_x in pieces)]
    steps = [b.top - a.top for a, b in zip(lines[body:], lines[body + 1:])]
    tight = len(anchors) >= 2 and sum(step > LINE_PITCH * pitch for step in steps) < TIGHT_SHARE * len(steps)
    if tight:
        first = anchors[0]
        # the first lines of the first row's text centred on its anchor, above it (at the top of a page)
        filled = {c0 for c0, _c1, _text, *_x in placed[first]}
        while first > 0 and lines[first].top - lines[first - 1].top <= LINE_PITCH * pitch and \
                all(c0 > 0 and c0 not in filled for c0, _c1, _text, *_x in placed[first - 1]):
            first -= 1
        # a cell's text starts with a capital: small-letter lines above the first one left in the
        # row go on with the last row of the previous page (a row broken by the page break)
        while first < anchors[0] and all(text[:1].islower() for _c0, _c1, text, *_x in placed[first]):
            first += 1
        rows = _block_rows(lines[:first], placed[:first], pitch) + \
            _anchored_rows(lines[first:], placed[first:], [k - first for k in anchors], pitch)
    else:
        rows = _block_rows(lines, placed, pitch)
    for row in rows:
        for cell in {id(cell): cell for cell in row.values()}.values():
            if cell.last_col > cell.col:
                _centre_span(cell, row, columns)
    out: list[list[str | None]] = []
    merges: list[tuple[int, int, int, int]] = []
    for r, row in enumerate(rows):
        values: list[str | None] = [None] * len(columns)
        for c, cell in row.items():
            if c == cell.col:
                values[c] = clean_text(" ".join(cell.texts)) or None
                if cell.last_col > cell.col:
                    merges.append((r, cell.col, r, cell.last_col))
        out.append(values)
    places = [f"{places_prefix}, hàng {i + 1}" for i in range(len(out))]
    return Table(out, merges, places)
