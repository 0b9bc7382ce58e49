"""Cross-checks between a plan's text and its appendix tables.

Each check returns rows of the reconciliation frame (see ``ROW_COLUMNS``):
one row per thing compared, holding or not, with both places in ``cells``.
A failing row becomes a warning finding (an error with ``--strict``), a
holding row an info line, so that validation.csv shows what was checked and
not only what failed.

Checks: every criterion target of the text against Biểu 01 (same year); the
new and cumulative NTM communes and the average criteria against Biểu 01; the
communes named per district against Biểu 02's new-NTM targets; the funding by
payer against Biểu 03's lines; the districts' increase in average criteria
(checkable only when another source gives last year's district averages);
the villages' implied end-of-last-year counts (derived, both cells shown).
"""
from __future__ import annotations

import pandas as pd

from .findings import Findings
from .formats import number as format_vn_number
from .reference import Reference
from .tidy import TidyTables

ROW_COLUMNS = ["check", "year", "status", "area_code", "stated", "computed", "ok", "severity", "cells",
               "source_id", "message"]
#: Two figures agree when they differ by less than this (they are counts or 2-decimal averages).
TOLERANCE = 0.005


def _n(value: float | None, decimals: int | None = None) -> str:
    """Vietnamese number: as few decimals as needed (at most 2), or exactly ``decimals``."""
    if decimals is not None:
        return format_vn_number(value, decimals)
    return format_vn_number(value, 2, trim=True)


def _row(check: str, target: pd.Series, area_code: str | None, computed: float | None, ok: bool | None,
         cells: list[str], message: str) -> dict:
    ok = None if ok is None else bool(ok)
    severity = "info" if ok is not False else "warning"
    return {"check": check, "year": target.year, "status": target.status, "area_code": area_code,
            "stated": target.value, "computed": computed, "ok": ok, "severity": severity,
            "cells": "; ".join(c for c in cells if c), "source_id": target.source_id, "message": message}


def _compare(check: str, target: pd.Series, table_value: float | None, table_cell: str, what: str,
             table_name: str, area_code: str | None = None) -> dict:
    if table_value is None or pd.isna(table_value):
        return _row(check, target, area_code, None, False, [target.cell, table_cell],
                    f"{what}: the text gives {_n(target.value)}, {table_name} has no figure")
    ok = abs(float(target.value) - float(table_value)) < TOLERANCE
    verb = "agrees with" if ok else "differs from"
    return _row(check, target, area_code, float(table_value), ok, [target.cell, table_cell],
                f"{what}: the text's {_n(target.value)} {verb} {table_name}'s {_n(table_value)}")


def check_criteria(tables: TidyTables) -> list[dict]:
    """Every criterion target of the text against Biểu 01's count for that year."""
    rows = []
    crit = tables.criteria
    for _, t in tables.narrative_targets[tables.narrative_targets.indicator == "criterion_communes"].iterrows():
        hit = crit[(crit.year == t.year) & (crit.status == t.status) & (crit.criterion_id == t.criterion_id)]
        value, cell = (hit.communes.iloc[0], hit.cell.iloc[0]) if len(hit) else (None, "")
        if t.unit == "%":
            total = hit.total_communes.iloc[0] if len(hit) else None
            value = value / total * 100 if value is not None and total else None
        rows.append(_compare("text_criterion_target", t, value, cell,
                             f"criterion {int(t.criterion_id)} ({int(t.year)})", "Biểu 01"))
    return rows


def check_headline(tables: TidyTables) -> list[dict]:
    """New and cumulative NTM communes and the average criteria against Biểu 01."""
    rows = []
    prov = tables.province

    def figure(year: int, status: str | None, indicator: str) -> tuple[float | None, str]:
        hit = prov[(prov.year == year) & (prov.indicator == indicator)]
        if status:
            hit = hit[hit.status == status]
        return (hit.value.iloc[0], hit.cell.iloc[0]) if len(hit) else (None, "")

    for _, t in tables.narrative_targets.iterrows():
        if t.indicator in ("ntm_communes", "avg_criteria"):
            value, cell = figure(t.year, t.status, t.indicator)
            rows.append(_compare(f"text_{t.indicator}", t, value, cell, f"{t.indicator} ({int(t.year)})",
                                 "Biểu 01"))
        elif t.indicator == "new_ntm_communes":
            now, now_cell = figure(t.year, t.status, "ntm_communes")
            before, before_cell = figure(t.year - 1, None, "ntm_communes")
            value = now - before if now is not None and before is not None else None
            row = _compare("text_new_ntm_communes", t, value, f"{now_cell}; {before_cell}".strip("; "),
                           f"new NTM communes in {int(t.year)} (Biểu 01: {int(t.year)} minus {int(t.year) - 1})",
                           "Biểu 01")
            rows.append(row)
    return rows


def check_named_communes(tables: TidyTables, reference: Reference) -> list[dict]:
    """The communes named per district against Biểu 02's new-NTM targets."""
    named = tables.target_communes
    if named.empty:
        return []
    rows = []
    dist = tables.districts
    targets = dist[(dist.indicator == "new_ntm_communes") & (dist.status == "target")]
    province_codes = set(reference.districts.province_code)
    place = named.cell.iloc[0]
    for _, t in targets[~targets.area_code.isin(province_codes)].iterrows():
        count = int((named.district_code == t.area_code).sum())
        target = pd.Series({"year": t.year, "status": t.status, "value": t.value, "source_id": t.source_id,
                            "cell": place})
        area = reference.area_name(t.area_code)
        if pd.isna(t.value):
            ok = count == 0
            message = (f"{area}: Biểu 02 leaves the new-NTM target blank and the text names "
                       f"{count} communes")
            rows.append(_row("text_named_communes", target, t.area_code, float(count), ok, [place, t.cell],
                             message))
            continue
        ok = abs(count - t.value) < TOLERANCE
        rows.append(_row("text_named_communes", target, t.area_code, float(count), ok, [place, t.cell],
                         f"{area}: the text names {count} communes, Biểu 02 targets {_n(t.value)}"))
    return rows


def check_funding(tables: TidyTables) -> list[dict]:
    """The funding in the text (total and by payer) against Biểu 03's lines."""
    from .narrative import funding_payers  # noqa: PLC0415

    rows = []
    fund = tables.funding
    codes = dict(zip("funding_" + funding_payers().payer, funding_payers().funding_codes))
    for _, t in tables.narrative_targets[tables.narrative_targets.indicator.str.startswith("funding_")].iterrows():
        lines = fund[(fund.year == t.year) & (fund.status == t.status)]
        if t.indicator == "funding_total":
            lines = lines[lines.level == 0]
        else:
            wanted = [c for c in codes.get(t.indicator, "").split(";") if c]
            lines = lines[lines.code.isin(wanted)]
        value = lines.amount_million_vnd.sum(min_count=1) if len(lines) else None
        rows.append(_compare("text_funding", t, value, "; ".join(lines.cell),
                             f"{t.indicator} ({int(t.year)}, million VND)",
                             f"Biểu 03 (line {', '.join(lines.code)})" if len(lines) else "Biểu 03"))
    return rows


def check_district_increase(tables: TidyTables) -> list[dict]:
    """"Each district +a–b criteria": checked only when some source gives the
    districts' averages of the year before; otherwise said plainly."""
    rows = []
    dist = tables.districts
    for _, t in tables.narrative_targets[tables.narrative_targets.indicator == "district_avg_increase"].iterrows():
        now = dist[(dist.year == t.year) & (dist.indicator == "avg_criteria")].set_index("area_code")
        before = dist[(dist.year == t.year - 1) & (dist.indicator == "avg_criteria")].set_index("area_code")
        common = [a for a in now.index if a in before.index and not pd.isna(before.value[a])]
        if not common:
            rows.append(_row("text_district_increase", t, None, None, None, [t.cell],
                             f"each district +{_n(t.value, 1)}–{_n(t.value_max, 1)} criteria per commune in "
                             f"{int(t.year)}: not checkable, no source holds the districts' "
                             f"{int(t.year) - 1} averages"))
            continue
        for area in common:
            rise = now.value[area] - before.value[area]
            ok = t.value - TOLERANCE <= rise <= (t.value_max if not pd.isna(t.value_max) else t.value) + TOLERANCE
            rows.append(_row("text_district_increase", t, area, rise, ok,
                             [t.cell, now.cell[area], before.cell[area]],
                             f"{area}: average criteria rise by {_n(rise)}; the text asks "
                             f"+{_n(t.value)}–{_n(t.value_max)}"))
    return rows


def check_villages(tables: TidyTables) -> list[dict]:
    """Cumulative minus new villages: the implied count at the end of the
    year before (derived, not checked against anything)."""
    rows = []
    nt = tables.narrative_targets
    for kind, label in (("model", "model villages (thôn kiểu mẫu)"), ("ntm", "NTM villages (thôn NTM)")):
        for _, total in nt[nt.indicator == f"{kind}_villages"].iterrows():
            new = nt[(nt.indicator == f"new_{kind}_villages") & (nt.year == total.year)]
            if new.empty:
                continue
            implied = total.value - new.value.iloc[0]
            rows.append(_row("text_villages_implied", total, None, implied, True, [total.cell, new.cell.iloc[0]],
                             f"{label}: {_n(total.value)} by the end of {int(total.year)} minus "
                             f"{_n(new.value.iloc[0])} new implies {_n(implied)} at the end of "
                             f"{int(total.year) - 1} (derived)"))
    return rows


def crosscheck_rows(tables: TidyTables, reference: Reference) -> pd.DataFrame:
    """All text ↔ table cross-checks of one source, as reconciliation rows.
    A target whose year is unknown (no year in its sentence, none for the
    document) cannot be compared and is left out."""
    from dataclasses import replace  # noqa: PLC0415

    nt = tables.narrative_targets
    tables = replace(tables, narrative_targets=nt[nt.year.notna()])
    rows = (check_criteria(tables) + check_headline(tables) + check_named_communes(tables, reference)
            + check_funding(tables) + check_district_increase(tables) + check_villages(tables))
    frame = pd.DataFrame(rows, columns=ROW_COLUMNS)
    return frame.astype({"check": "str", "severity": "str", "cells": "str", "message": "str"})


def add_findings(rows: pd.DataFrame, findings: Findings, file: str = "") -> None:
    """Failing rows become warnings, holding (or not checkable) rows info lines."""
    for _, r in rows.iterrows():
        findings.add(r.severity, r.check, r.message, file=file, cell=r.cells)
