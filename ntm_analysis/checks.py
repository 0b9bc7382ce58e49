"""The checks beside the assembled tables, as findings.

Schemas (``schemas.py``) check each value; this module checks the tables as a
whole: the criterion list of Biểu 01 (each of the 19 criteria once, with the
total number of communes) and the reconciliations of ``reconcile.py`` (parts
sum to the published totals), whose failing rows become errors or warnings and
whose holding rows become info lines. Inconsistencies the document itself
contains are warnings to report, not crashes. Every finding names its cell.
"""
from __future__ import annotations

import pandas as pd

from .findings import Findings
from .reconcile import as_findings, reconcile
from .reference import Reference
from .tidy import TidyTables

#: The criteria Biểu 01 must list (national criteria sets number them 1 to 19).
CRITERION_IDS = range(1, 20)


def check_criterion_list(criteria: pd.DataFrame, province: pd.DataFrame, findings: Findings, *,
                         required: bool, file: str = "", sheet: str = "") -> None:
    """Per period of the criteria table: no criterion twice; with ``required`` (a plan
    or results, not a correction), all 19 criteria and the total number of communes."""
    totals = set(zip(*(province[province.indicator == "total_communes"][c] for c in ("year", "status"))))
    for (year, status), part in criteria.groupby(["year", "status"]):
        ids = part.criterion_id.tolist()
        for cid in sorted({i for i in ids if ids.count(i) > 1}):
            cells = ", ".join(part[part.criterion_id == cid].cell.str.rpartition("!")[2])
            findings.add("error", "duplicate_criterion",
                         f"criterion {cid} appears more than once for {year} ({status}) (cells {cells})",
                         file=file, sheet=sheet)
        missing = sorted(set(CRITERION_IDS) - set(ids))
        if missing and required:
            findings.add("error", "missing_criterion",
                         f"{year} ({status}): criteria {', '.join(map(str, missing))} are missing; "
                         f"Biểu 01 must list all 19", file=file, sheet=sheet)
        if (year, status) not in totals and required:
            findings.add("error", "missing_total",
                         f"{year} ({status}): the row 'Tổng số xã' (total communes) is missing",
                         file=file, sheet=sheet)


def check_reconciliations(tables: TidyTables, reference: Reference, findings: Findings, file: str = "") -> None:
    """Run the reconciliation engine on one source's tables: failing rows as errors or
    warnings, then an info line for each reconciliation that holds."""
    findings.extend(as_findings(reconcile(tables, reference), file))
