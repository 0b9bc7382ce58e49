"""Reconciliation checks beside the data: parts sum to the published totals.

Schemas check each value; these check values against each other. Most are
warnings: inconsistencies the document itself contains are findings to
report, not crashes. Every finding names the cell of the figure concerned.
"""
from __future__ import annotations

import math

import pandas as pd

from .findings import Findings
from .numbers import format_vn_number as vn
from .reference import Reference
from .tidy import TidyTables

#: Allowed gap between a stated average (2 decimals) and the one its parts give.
AVERAGE_ROUNDING = 0.005
#: Allowed gap between the districts' weighted average of criteria and the province's.
WEIGHTED_AVERAGE_TOLERANCE = 0.05


def _where(row: pd.Series, file: str) -> dict:
    sheet, _, cell = str(row["cell"]).rpartition("!")
    return dict(file=file, sheet=sheet, cell=cell)


def _province_values(province: pd.DataFrame):
    """A look-up ``get(year, status, indicator)``: the first row of ``province`` with
    that key and a value (None without one). One pass over the frame, then dict
    look-ups (it was four boolean masks per look-up)."""
    with_value = province[province.value.notna()]
    first: dict[tuple, int] = {}
    for pos, key in enumerate(zip(with_value.year, with_value.status, with_value.indicator)):
        first.setdefault(key, pos)

    def get(year: int, status: str, indicator: str) -> pd.Series | None:
        pos = first.get((year, status, indicator))
        return None if pos is None else with_value.iloc[pos]
    return get


def check_criteria(tables: TidyTables, findings: Findings, file: str) -> None:
    """Bands add up to the total; NTM count equals the 19-criteria band; the
    average equals the criterion counts over the total; no count above the total."""
    province_value = _province_values(tables.province)
    for (year, status), bands in tables.commune_bands.groupby(["year", "status"]):
        total = province_value(year, status, "total_communes")
        counts = bands.communes.dropna()
        if total is not None and len(counts) == len(bands) and len(bands):
            if int(counts.sum()) != int(total.value):
                findings.add("warning", "bands_sum",
                             f"{year} ({status}): the bands sum to {int(counts.sum())} communes, "
                             f"but the total is {int(total.value)}", **_where(total, file))
        if total is not None and total.value <= 0:
            total = None  # not above zero: an error of the reader, nothing to compare with
        if total is not None:
            for _, band in bands[bands.communes.notna() & (bands.communes > total.value)].iterrows():
                findings.add("error", "count_above_total",
                             f"{year} ({status}): {int(band.communes)} communes in band {band.band}, "
                             f"more than the {int(total.value)} communes in total", **_where(band, file))
        ntm = province_value(year, status, "ntm_communes")
        full = bands[(bands.min_criteria == 19) & bands.communes.notna()]
        if ntm is not None and len(full) and int(full.communes.iloc[0]) != int(ntm.value):
            findings.add("warning", "ntm_vs_19",
                         f"{year} ({status}): {int(ntm.value)} NTM communes, but "
                         f"{int(full.communes.iloc[0])} communes meet all 19 criteria", **_where(ntm, file))
        if ntm is not None and total is not None and ntm.value > total.value:
            findings.add("error", "count_above_total",
                         f"{year} ({status}): {int(ntm.value)} NTM communes, more than the "
                         f"{int(total.value)} communes in total", **_where(ntm, file))

    for (year, status), crit in tables.criteria.groupby(["year", "status"]):
        avg = province_value(year, status, "avg_criteria")
        total = province_value(year, status, "total_communes")
        counts = crit.communes.dropna()
        if avg is None or total is None or len(counts) != 19 or not total.value > 0:
            continue  # (a total of zero or less is an error of the reader: nothing to divide by)
        implied = float(counts.sum()) / float(total.value)
        if abs(implied - avg.value) > AVERAGE_ROUNDING + 1e-9:
            findings.add("warning", "average_criteria",
                         f"{year} ({status}): the stated average is {vn(avg.value, 2)} criteria per "
                         f"commune, but the criterion counts give {int(counts.sum())}/{int(total.value)} = "
                         f"{vn(implied, 2)}", **_where(avg, file))


def check_funding(tables: TidyTables, findings: Findings, file: str) -> None:
    """Children sum to their parent; leaves sum to the total."""
    for (year, status), fund in tables.funding.groupby(["year", "status"]):
        fund = fund[fund.amount_million_vnd.notna()]
        by_code = fund.set_index("code")
        for parent, children in fund[fund.parent_code.notna()].groupby("parent_code"):
            if parent not in by_code.index:
                continue
            parent_row = fund[fund.code == parent].iloc[0]
            total = children.amount_million_vnd.sum()
            if not math.isclose(total, parent_row.amount_million_vnd, abs_tol=0.5):
                findings.add("warning", "funding_sum",
                             f"{year} ({status}): the lines under '{parent_row.source}' sum to "
                             f"{vn(total)} million VND, but it states {vn(parent_row.amount_million_vnd)}",
                             **_where(parent_row, file))
        total_row = fund[fund.level == 0]
        leaves = fund[fund.is_leaf & (fund.level > 0)]
        if len(total_row) and len(leaves):
            leaf_sum = leaves.amount_million_vnd.sum()
            stated = total_row.amount_million_vnd.iloc[0]
            if not math.isclose(leaf_sum, stated, abs_tol=0.5):
                findings.add("warning", "funding_total",
                             f"{year} ({status}): the detailed lines sum to {vn(leaf_sum)} million VND, "
                             f"but the total states {vn(stated)}", **_where(total_row.iloc[0], file))


def check_districts(tables: TidyTables, reference: Reference, findings: Findings, file: str) -> None:
    """District targets add up to the province's; weighted average of criteria;
    no district count above its number of communes."""
    districts = tables.districts
    if districts.empty:
        return
    communes_of: dict[str, int] = {}  # area_code -> communes, as reference.communes() (first row wins)
    for code, n in zip(reference.districts.area_code, reference.districts.communes):
        communes_of.setdefault(code, int(n))
    for (year, status), part in districts.groupby(["year", "status"]):
        is_province = part.area_code.str.len() == 2
        prov, dist = part[is_province], part[~is_province]
        for indicator in ("new_ntm_communes", "jobs_added"):
            p = prov[(prov.indicator == indicator) & prov.value.notna()]
            d = dist[dist.indicator == indicator].value.dropna()
            if len(p) and len(d) and not math.isclose(d.sum(), p.value.iloc[0], abs_tol=1e-6):
                findings.add("warning", "districts_sum",
                             f"{year} ({status}): the districts' {indicator} sum to {vn(d.sum())}, "
                             f"but the province states {vn(p.value.iloc[0])}", **_where(p.iloc[0], file))
        new = dist[(dist.indicator == "new_ntm_communes") & dist.value.notna()]
        for _, row in new.iterrows():
            communes = communes_of.get(row.area_code)
            if communes is not None and row.value > communes:
                findings.add("error", "count_above_total",
                             f"{row.area}: {int(row.value)} new NTM communes, more than its "
                             f"{communes} communes", **_where(row, file))
        avg = dist[(dist.indicator == "avg_criteria") & dist.value.notna()].copy()
        p = prov[(prov.indicator == "avg_criteria") & prov.value.notna()]
        if len(avg) and len(p):
            avg["communes"] = [communes_of.get(c) for c in avg.area_code]
            if avg.communes.notna().all():
                weighted = float((avg.value * avg.communes).sum() / avg.communes.sum())
                if abs(weighted - p.value.iloc[0]) > WEIGHTED_AVERAGE_TOLERANCE:
                    findings.add("warning", "weighted_average",
                                 f"{year} ({status}): the districts' average-criteria targets, weighted by "
                                 f"their communes, give {vn(weighted, 2)} criteria per commune, but the "
                                 f"province states {vn(p.value.iloc[0], 2)}", **_where(p.iloc[0], file))


def check_all_missing(tables: TidyTables, findings: Findings, file: str) -> None:
    """An untouched template: every value blank (read as missing, not as zeros)."""
    values = [tables.criteria.communes, tables.commune_bands.communes, tables.province.value,
              tables.districts.value, tables.funding.amount_million_vnd]
    cells = sum(len(v) for v in values)
    if cells and all(v.isna().all() for v in values):
        findings.add("warning", "all_missing",
                     f"all {cells} value cells are blank: the workbook was not filled in; "
                     f"its figures are read as missing, not as zeros", file=file)


def reconcile(tables: TidyTables, reference: Reference, findings: Findings, file: str = "") -> None:
    """Run every reconciliation check on one source's tables."""
    check_all_missing(tables, findings, file)
    check_criteria(tables, findings, file)
    check_funding(tables, findings, file)
    check_districts(tables, reference, findings, file)
