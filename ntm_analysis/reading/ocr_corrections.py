"""The analyst's review of a scan, read back (issue 23).

``build`` writes a review sheet in ``ntm_tables.xlsx`` (``ocr_review``: file,
cell, reading, other readings, confidence, crop, and a column for the correct
figure). The analyst fills the correct figures in, saves the workbook (or the
sheet alone) into ``data/raw/`` with a sidecar of kind ``correction``, and
builds again. This module

* finds a review sheet in a workbook by its header (the labels of the ``file``,
  ``cell`` and ``correction`` columns in either language,
  ``reference/column_labels.csv``) and reads its filled rows
  (:func:`read_review`);
* applies them to the scans' reads (:func:`apply_reviews`): each figure given
  replaces the scan's reading at that cell, the tidy row's ``source_id`` and
  ``cell`` then naming the review file and its cell (``Kiểm tra bản quét!H5``),
  the ``ocr_uncertain`` warning there becoming an info line ``ocr_corrected``,
  and the scan's reconciliations run again on the corrected figures. A row
  whose scan is not among the sources, whose cell is no figure of the scan's
  tables, or whose value is no number is a warning naming the review file,
  sheet and cell.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..checks.reconcile import CHECKS, SOURCE_SCOPES, as_findings, reconcile
from ..findings import Finding, Findings
from ..i18n import _, current_language, num
from ..publishing.outputs import column_labels
from ..reference import Reference
from ..tables.tidy import VALUE_COLUMN
from ..text import fold, place_text
from .grid import Grid
from .numbers import number_or_none

#: The review sheet's columns that identify a row and carry the analyst's figure (their labels in
#: ``column_labels.csv``).
REVIEW_COLUMNS = ("file", "cell", "correction")


@dataclass(frozen=True)
class ReviewRow:
    """One filled row of a review sheet: the scan's file and cell, the figure as the analyst
    wrote it, and where it is written (``sheet``, ``at``: the review file's cell)."""

    file: str
    cell: str
    value: object
    sheet: str
    at: str


def _labels() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {c: set() for c in REVIEW_COLUMNS}
    for lang in ("vi", "en"):
        labels = column_labels(lang)
        for column in REVIEW_COLUMNS:
            out[column].add(fold(labels.get(column, column)))
    return out


def read_review(grids: list[Grid]) -> list[ReviewRow] | None:
    """The filled rows of the review sheets among ``grids`` (None when no grid is a review
    sheet): a header row holding the labels of the file, cell and correction columns, then
    one row per figure; a row whose correct figure is blank is not read."""
    labels = _labels()
    found = None
    for grid in grids:
        for r in grid.content_rows[:5]:
            header = {fold(str(v)): c for c, v in grid.row(r).items()}
            cols = {name: next((header[h] for h in labels[name] if h in header), None) for name in REVIEW_COLUMNS}
            if None in cols.values():
                continue
            found = found if found is not None else []
            for row in grid.content_rows:
                if row <= r:
                    continue
                value = grid.get(row, cols["correction"])
                if value is None or str(value).strip() == "":
                    continue
                found.append(ReviewRow(str(grid.get(row, cols["file"]) or "").strip(),
                                       str(grid.get(row, cols["cell"]) or "").strip(), value, grid.sheet,
                                       grid.locate(row, cols["correction"])))
            break
    return found


def _corrected(read, rows: list[tuple[ReviewRow, float]], review, reference: Reference):
    """A scan's read with the analyst's figures in place (new objects: the cached read is kept)."""
    tables = read.tables
    frames: dict[str, object] = {}
    notes: dict[str, str] = {}
    for row, value in rows:
        for name, pos in tables.rows_at(row.cell):
            frame = frames.get(name)
            if frame is None:
                frame = frames[name] = getattr(tables, name).copy()
            before = frame.iloc[pos][VALUE_COLUMN[name]]
            frame.iloc[pos, frame.columns.get_loc(VALUE_COLUMN[name])] = value
            frame.iloc[pos, frame.columns.get_loc("source_id")] = review.info.source_id
            frame.iloc[pos, frame.columns.get_loc("cell")] = f"{row.sheet}!{row.at}"
            notes[row.cell] = _("the analyst's review ({file}, {sheet}!{cell}) gives {value} here, where the scan "
                                "read {before}: the analyst's figure is taken").format(
                file=review.info.file, sheet=row.sheet, cell=row.at, value=num(value, 2, trim=True),
                before=num(before, 2, trim=True) if before == before and before is not None else "–")
    tables = replace(tables, **frames)
    lang = current_language()
    by_cell = {place_text(cell, lang): note for cell, note in notes.items()}
    engine = {c.code for c in CHECKS if c.scope in SOURCE_SCOPES}
    kept: list[Finding] = []
    for f in read.findings:
        if f.check in engine:
            continue  # the reconciliations are run again on the corrected figures
        if f.check in ("ocr_uncertain", "ocr_settled") and f.cell in by_cell:
            f = replace(f, severity="info", check="ocr_corrected", message=place_text(by_cell[f.cell], lang))
        kept.append(f)
    findings = Findings(kept)
    findings.extend(as_findings(reconcile(tables, reference), read.info.file))
    review_left = [d for d in read.ocr_review if d["cell"] not in notes]
    return replace(read, tables=tables, findings=findings, ocr_review=review_left)


def apply_reviews(reads: list, reference: Reference) -> list:
    """The reads with the analysts' reviews applied (see the module's text); a review's
    rows that cannot be applied are warnings added to the review's own read."""
    reviews = [r for r in reads if getattr(r, "review_rows", None)]
    if not reviews:
        return reads
    by_file = {r.info.file: i for i, r in enumerate(reads)}
    out = list(reads)
    for review in reviews:
        problems = Findings()
        todo: dict[int, list[tuple[ReviewRow, float]]] = {}
        for row in review.review_rows:
            where = {"file": review.info.file, "sheet": row.sheet, "cell": row.at}
            value = number_or_none(row.value)
            if value is None:
                problems.add("warning", "review_not_a_number", _(
                    "the correct figure '{value}' for {scan} ({cell}) is not a number: write the figure as the plan "
                    "prints it (e.g. 89 or 16,15)").format(value=row.value, scan=row.file, cell=row.cell), **where)
                continue
            i = by_file.get(row.file)
            if i is None:
                problems.add("warning", "review_unknown_cell", _(
                    "the review names the scan {scan}, which is not among the sources: the figure is not "
                    "applied").format(scan=row.file or "–"), **where)
                continue
            if not out[i].tables.rows_at(row.cell):
                problems.add("warning", "review_unknown_cell", _(
                    "the review names the cell '{cell}' of {scan}, which holds no figure of its tables any more (the "
                    "scan was read again or changed): the figure is not applied; check the row against a new review "
                    "sheet").format(cell=row.cell, scan=row.file), **where)
                continue
            todo.setdefault(i, []).append((row, value))
        for i, rows in todo.items():
            out[i] = _corrected(out[i], rows, review, reference)
        if problems.items:
            j = next(k for k, r in enumerate(out) if r is review)
            merged = Findings(list(review.findings))
            merged.extend(problems)
            out[j] = replace(review, findings=merged)
    return out
