"""A scan's uncertain figures settled by the plan's own arithmetic (issue 23).

OCR gives some figures with candidate readings ("89" or "39") or one reading
of low confidence (``sources.ocr``: a *doubt*). The plan checks itself: bands
sum to the total, parts to totals, counts stay within the communes, the NTM
communes are those meeting every criterion. Those rules live in the
reconciliation engine (``reconcile.py``) and nowhere else; this module only
*runs* the engine with each candidate in the cell and looks at what changes.

For one doubt (a tidy row's cell, its readings):

* the rows of the engine **around** the cell are those whose outcome changes
  when the cell takes another value (a candidate, or a candidate one more or
  one less);
* a candidate **fits** when every row around the cell holds with it;
* a candidate is **pinned** by a row around it that holds with it and fails
  with one more and with one less (an equality: a sum, a total; a bound such
  as "at most the number of communes" excludes but never pins).

The doubt is settled when exactly one candidate fits and either there were
several candidates or that one is pinned; the finding says what was read,
what was taken and the reconciliations that decided. Otherwise it stays an
``ocr_uncertain`` warning (an error with ``--strict``), its message saying
that the arithmetic does not decide and why. Doubts are settled one at a time,
the figures settled before held in place, in up to :data:`PASSES` passes (a
figure settled can decide a neighbour in the same sum).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

import pandas as pd

from ..findings import Finding, Findings
from ..i18n import _, current_language, names
from ..reading.grid import Grid
from ..reading.numbers import number_or_none
from ..reference import Reference
from ..tables.tidy import APPENDIX_TABLES, VALUE_COLUMN, TidyTables
from ..text import place_text
from .reconcile import reconcile

#: Passes over the doubts (a figure settled in one pass may settle a neighbour in the next).
PASSES = 3


@dataclass(frozen=True)
class Settlement:
    """What the arithmetic made of one doubt: ``chosen`` (the reading taken, "" when
    undecided), ``fitting`` (the candidates that fit), ``why`` (the engine's
    sentences of the reconciliations that decided, or that fail) and ``cell``."""

    cell: str
    reading: str
    candidates: tuple[str, ...]
    chosen: str
    fitting: tuple[str, ...]
    why: tuple[str, ...]


def _with_value(tables: TidyTables, at: list[tuple[str, int]], value: float) -> TidyTables:
    changed = {}
    for name, pos in at:
        frame = changed.get(name, getattr(tables, name)).copy()
        column = VALUE_COLUMN[name]
        frame.iloc[pos, frame.columns.get_loc(column)] = value
        changed[name] = frame
    return replace(tables, **changed)


def _outcomes(tables: TidyTables, reference: Reference) -> dict[tuple, tuple[bool | None, str, tuple]]:
    """The engine's rows of one source's tables (scope ``tables``: the arithmetic), by
    comparison: key -> (holds, its sentence, the figures compared). A comparison made
    several times (a count per band) holds when each holds and fails when one fails."""
    rows = reconcile(tables, reference, scopes=("tables",))
    out: dict[tuple, tuple[bool | None, str, tuple]] = {}
    for row in rows.itertuples(index=False):
        key = (row.check, row.year, row.status, row.area_code, row.indicator, row.criterion_id)
        ok = None if pd.isna(row.ok) else bool(row.ok)
        figures = (row.stated, row.computed)
        if key not in out:
            out[key] = (ok, row.message, figures)
            continue
        before, message, seen = out[key]
        worse = ok is False and before is not False or ok is None and before is True
        out[key] = (ok, row.message, seen + figures) if worse else (before, message, seen + figures)
    return out


def settle_one(tables: TidyTables, reference: Reference, cell: str, reading: str,
               alternatives: list[str]) -> Settlement | None:
    """What the plan's arithmetic says of one doubt (None when the cell is no figure of
    the tables, or no reading is a number)."""
    at = tables.rows_at(cell)
    if not at:
        return None
    candidates: dict[str, float] = {}
    for text in [reading, *alternatives]:
        value = number_or_none(text)
        if value is not None and value >= 0 and value not in candidates.values():
            candidates[text] = value
    if not candidates:
        return None
    # the funding lines reconcile among themselves, the other tables among themselves: each trial runs
    # the engine on the cell's side only (a trial costs a run of the engine)
    funding = {name for name, _pos in at} == {"funding"}
    empty = TidyTables.empty()
    side = replace(tables, **{name: getattr(empty, name) for name in APPENDIX_TABLES
                              if (name == "funding") != funding})
    trials: dict[float, dict] = {}
    for value in candidates.values():  # one more and one less: only a single reading needs them (pinned)
        for v in (value,) if len(candidates) > 1 else (value, value + 1, value - 1):
            trials[v] = _outcomes(_with_value(side, at, v), reference)
    keys = set().union(*(set(t) for t in trials.values()))
    # around the cell: the comparisons whose outcome or figures change with its value
    around = [k for k in keys if len({repr((t.get(k) or (None, "", ()))[::2]) for t in trials.values()}) > 1]

    def holds(value: float, key: tuple) -> bool:
        return (trials[value].get(key) or (None, "", ()))[0] is True

    fitting = [text for text, value in candidates.items() if around and all(holds(value, k) for k in around)]
    pinned = {text: [trials[value][k][1] for k in around if holds(value, k)
                     and value + 1 in trials and not holds(value + 1, k) and not holds(value - 1, k)]
              for text, value in candidates.items()}
    chosen = ""
    if len(fitting) == 1 and (len(candidates) > 1 or pinned[fitting[0]]):
        chosen = fitting[0]
        why = pinned[chosen] or [trials[candidates[chosen]][k][1] for k in around if holds(candidates[chosen], k)]
    elif fitting:
        why = [m for text in fitting for m in pinned[text]]
    else:  # no reading makes the comparisons around the cell hold: the ones that fail with the first
        first = candidates[next(iter(candidates))]
        why = [trials[first][k][1] for k in around if not holds(first, k) and k in trials[first]]
    return Settlement(cell, reading, tuple(candidates), chosen, tuple(fitting), tuple(dict.fromkeys(why)))


def settle_doubts(tables: TidyTables, doubts: list[dict], reference: Reference) -> list[Settlement]:
    """Each doubt (``cell``, ``reading``, ``alternatives``) that is a figure of the tables,
    settled or not (:func:`settle_one`). While one doubt is tried, the other doubts not yet
    settled are left blank: a comparison resting on another unsure figure decides nothing
    (two figures misread alike, "97" NTM communes and "97" meeting all 19 criteria for 57
    and 57, would otherwise confirm each other). The figures settled are held in place, and
    the doubts are tried again, in up to :data:`PASSES` passes."""
    results: dict[str, Settlement] = {}
    located = {d["cell"]: tables.rows_at(d["cell"]) for d in doubts}
    open_cells = [cell for cell, at in located.items() if at]
    for _pass in range(PASSES):
        progress = False
        for doubt in doubts:
            cell = doubt["cell"]
            if cell not in open_cells:
                continue
            others = [at for other in open_cells if other != cell for at in located[other]]
            trial = _with_value(tables, others, float("nan")) if others else tables
            found = settle_one(trial, reference, cell, str(doubt["reading"]), list(doubt.get("alternatives", [])))
            if found is None:
                continue
            results[cell] = found
            if found.chosen:
                progress = True
                open_cells.remove(cell)
                tables = _with_value(tables, located[cell], float(number_or_none(found.chosen)))
        if not progress:
            break
    return [results[d["cell"]] for d in doubts if d["cell"] in results]


def settled_message(s: Settlement) -> str:
    """What was read, what was taken and why, in the current language."""
    because = "; ".join(s.why)
    if len(s.candidates) > 1:
        return _("the scan reads '{reading}' here, also {others}; only '{chosen}' makes the plan's own arithmetic "
                 "hold ({because}): '{chosen}' is taken").format(
            reading=s.reading, others=names([f"'{c}'" for c in s.candidates if c != s.reading]),
            chosen=s.chosen, because=because)
    return _("the scan reads '{reading}' here with low confidence; the plan's own arithmetic confirms it "
             "({because})").format(reading=s.reading, because=because)


def undecided_message(s: Settlement) -> str:
    """Why the arithmetic does not decide, in the current language ("" when it has nothing to say)."""
    if len(s.fitting) > 1:
        return _("the plan's arithmetic does not decide between {fitting}: each makes it hold").format(
            fitting=names([f"'{c}'" for c in s.fitting]))
    if not s.fitting and s.why:
        return _("no reading makes the plan's arithmetic around it hold ({because})").format(because="; ".join(s.why))
    if s.fitting:
        return _("the plan's arithmetic around it holds with '{reading}' but does not pin it (only bounds such "
                 "as the number of communes)").format(reading=s.fitting[0])
    return ""


def _patched(findings: list[Finding], settlements: list[Settlement]) -> list[Finding]:
    """The loading's findings with each settled doubt's ``ocr_uncertain`` warning turned into an
    info line ``ocr_settled`` (what was read, taken, and why), and each undecided one saying why."""
    lang = current_language()
    by_cell = {place_text(s.cell, lang): s for s in settlements}
    out = []
    for f in findings:
        s = by_cell.get(f.cell) if f.check == "ocr_uncertain" else None
        if s is None:
            out.append(f)
        elif s.chosen:
            out.append(replace(f, severity="info", check="ocr_settled", message=place_text(settled_message(s), lang)))
        else:
            extra = undecided_message(s)
            out.append(replace(f, message=f"{f.message} {place_text(extra, lang)}".strip()))
    return out


def _with_reading(grid: Grid, cells: dict[str, Settlement]) -> Grid:
    """A grid whose settled cells hold the reading taken, without their doubts."""
    values = dict(grid.cells)
    changed = False
    for pos, value in grid.cells.items():
        s = cells.get(grid.reference(*pos))
        if s is None or s.chosen == s.reading:
            continue
        text = str(value)
        values[pos] = text.replace(s.reading, s.chosen, 1) if s.reading in text else s.chosen
        changed = True
    doubts = [d for d in grid.doubts if d["cell"] not in cells]
    if not changed and len(doubts) == len(grid.doubts):
        return grid
    return replace(grid, cells=values, doubts=doubts)


def settle_read(read, grids: list[Grid], loaded: list[Finding], reference: Reference,
                reread: Callable[[list[Grid], list[Finding]], object]):
    """A scan's read (``reader.SourceRead``) with its doubts settled by the arithmetic where it
    decides: the grids then hold the reading taken and are read again by ``reread(grids,
    findings)`` (``loaded``: the findings of the loading, patched by :func:`_patched`); the
    review sheet keeps only the doubts left. Unchanged when nothing is settled, save the
    undecided warnings saying why."""
    settlements = settle_doubts(read.tables, read.ocr_review, reference)
    chosen = {s.cell: s for s in settlements if s.chosen}
    if not chosen:
        return replace(read, findings=Findings(_patched(list(read.findings), settlements))) if settlements else read
    return reread([_with_reading(g, chosen) for g in grids], _patched(loaded, settlements))
