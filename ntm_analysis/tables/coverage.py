"""Which years the sources let the program compare: results are compared with the
targets of the same year, so results for a year no plan covers are said to stand
alone, never left out in silence."""
from __future__ import annotations

from typing import Iterable

import pandas as pd

from ..findings import Findings
from ..i18n import _, names
from .tidy import VALUE_COLUMN

#: The tidy tables that hold targets and results side by side (year, status).
PERIOD_TABLES = ("criteria", "commune_bands", "province", "districts", "funding")


def _filled(tables, name: str) -> pd.DataFrame:
    frame = tables[name] if isinstance(tables, dict) else getattr(tables, name)
    return frame[frame[VALUE_COLUMN[name]].notna()] if len(frame) else frame


def target_years(tables) -> dict[str, set[int]]:
    """The years with at least one target figure, by province (GSO code)."""
    out: dict[str, set[int]] = {}
    for name in PERIOD_TABLES:
        frame = _filled(tables, name)
        rows = frame[frame.status == "target"] if len(frame) else frame
        for code, year in zip(rows.province_code.astype(str), rows.year):
            out.setdefault(code, set()).add(int(year))
    return out


def check_results_coverage(tables, reads: Iterable, findings: Findings) -> None:
    """A warning for each results source whose year no plan read sets targets for: no
    attainment can be drawn for that year, and the finding says why, naming the years
    the plans do cover (``reads``: the ``SourceRead`` of each raw file)."""
    targets = target_years(tables)
    for read in reads:
        if read.info.kind != "results" or not read.ok:
            continue
        actual: dict[tuple[str, int], None] = {}
        for name in PERIOD_TABLES:
            frame = _filled(read.tables, name)
            rows = frame[frame.status == "actual"] if len(frame) else frame
            for code, year in zip(rows.province_code.astype(str), rows.year):
                actual[(code, int(year))] = None
        for code, year in actual:
            covered = sorted(targets.get(code, set()))
            if year in covered:
                continue
            if covered:
                message = _("results for {year}, but the plans read set targets for {years} only: there is "
                            "nothing to compare these results with, so no attainment is drawn for {year}; add the "
                            "plan for {year} to data/raw to compare them with their targets").format(
                                year=year, years=names([str(y) for y in covered]))
            else:
                message = _("results for {year}, but no plan read sets targets: there is nothing to compare "
                            "these results with, so no attainment is drawn; add the plan for {year} to data/raw to "
                            "compare them with their targets").format(year=year)
            findings.add("warning", "results_without_targets", message, file=read.info.file)
