"""The checks beside the assembled tables, as findings.

Schemas (``schemas.py``) check each value; this module checks the tables as a
whole: the criterion list of Biểu 01 (each of the 19 criteria once, with the
total number of communes) and the reconciliations of ``reconcile.py`` (parts
sum to the published totals; a document's text agrees with its tables), whose
failing rows become errors or warnings and whose holding rows become info lines. Inconsistencies the document itself
contains are warnings to report, not crashes. Every finding names its cell.
"""
from __future__ import annotations

import pandas as pd

from ..findings import Findings
from ..i18n import _, names, ngettext
from ..reading.finder import LocatedTable
from ..reference import Reference, period_label
from ..tables.tidy import TidyTables
from .reconcile import as_findings, reconcile

#: The criteria Biểu 01 must list (national criteria sets number them 1 to 19).
CRITERION_IDS = range(1, 20)


def check_criterion_list(criteria: pd.DataFrame, province: pd.DataFrame, findings: Findings, *,
                         required: bool, file: str = "", located: list[LocatedTable] = ()) -> None:
    """Per period of the criteria table: no criterion twice; with ``required`` (a plan
    or results, not a correction), all 19 criteria and the total number of communes.
    ``located``: the Biểu 01 tables found, so that a period's findings name its column
    (and a table found with no criterion rows at all is reported)."""
    totals = set(zip(*(province[province.indicator == "total_communes"][c] for c in ("year", "status"))))
    read_periods = set(zip(criteria.year, criteria.status))
    for t in located:  # a Biểu 01 found with no criterion rows at all
        for col in t.value_columns():
            if required and col.year is not None and (col.year, col.status) not in read_periods:
                read_periods.add((col.year, col.status))
                findings.add("error", "missing_criterion",
                             _("{period}: the criteria table has no rows for criteria 1 to 19; Biểu 01 must list "
                               "all 19 (labels like 'Xã đạt tiêu chí số 1')").format(
                                 period=period_label(col.year, col.status)),
                             file=file, sheet=t.grid.sheet, cell=t.ref(t.header_rows[0], col.index))
    headers = {(c.year, c.status): (t, c) for t in located for c in t.value_columns()}
    first = located[0] if located else None

    def column_cell(year: int, status: str) -> dict:
        """Where a period's column starts: its header cell."""
        t, c = headers.get((year, status), (first, None))
        if t is None:
            return {"sheet": ""}
        return {"sheet": t.grid.sheet, "cell": t.ref(t.header_rows[0], c.index) if c is not None else ""}

    for (year, status), part in criteria.groupby(["year", "status"]):
        ids = part.criterion_id.tolist()
        for cid in sorted({i for i in ids if ids.count(i) > 1}):
            refs = part[part.criterion_id == cid].cell
            if len(set(refs.str.rpartition("!")[0])) > 1:
                continue  # the table itself is given twice: the reader names both places
            findings.add("error", "duplicate_criterion",
                         _("criterion {criterion} appears more than once for {period} (cells {cells})").format(
                             criterion=cid, period=period_label(year, status),
                             cells=names(refs.str.rpartition("!")[2])),
                         file=file, sheet=first.grid.sheet if first else "")
        missing = sorted(set(CRITERION_IDS) - set(ids))
        if missing and required:
            findings.add("error", "missing_criterion",
                         ngettext("{period}: criterion {criteria} is missing in this column; Biểu 01 must list "
                                  "all 19",
                                  "{period}: criteria {criteria} are missing in this column; Biểu 01 must list "
                                  "all 19", len(missing)).format(period=period_label(year, status),
                                                                 criteria=names(map(str, missing))),
                         file=file, **column_cell(year, status))
        if (year, status) not in totals and required:  # (a total given but not above zero: reported by the reader)
            findings.add("error", "missing_total",
                         _("{period}: the row 'Tổng số xã' (total communes) is missing").format(
                             period=period_label(year, status)),
                         file=file, **column_cell(year, status))


def check_reconciliations(tables: TidyTables, reference: Reference, findings: Findings, file: str = "") -> None:
    """Run the reconciliation engine on one source's tables and text (``SOURCE_SCOPES``):
    failing rows as errors or warnings, then an info line for each that holds."""
    findings.extend(as_findings(reconcile(tables, reference), file))
