"""Read one raw source (workbook + sidecar) into validated tidy tables.

load (carrier -> grids) -> find (tables by title and header words) -> parse
(rows with their cells) -> tidy frames -> schemas -> reconciliation checks.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .checks import reconcile
from .finder import LocatedTable, find_tables
from .findings import Findings
from .metadata import SourceInfo, read_sidecar
from .parse_criteria import parse_criteria
from .parse_districts import parse_districts
from .parse_funding import parse_funding
from .reference import Reference, load_reference
from .schemas import validate_table
from .sources import load_grids
from .tidy import FROM_TEXT, TidyTables, frame_from_rows

REQUIRED = {"plan": ("criteria", "districts", "funding"), "results": ("criteria", "districts", "funding"),
            "correction": ()}


@dataclass
class SourceRead:
    """The outcome of reading one source: its tables, findings and metadata."""

    info: SourceInfo
    tables: TidyTables
    findings: Findings

    @property
    def ok(self) -> bool:
        return not self.findings.errors


def _criteria_frame(rows: list[dict], province_rows: list[dict], info: SourceInfo,
                    reference: Reference, findings: Findings, tables: list[LocatedTable]) -> pd.DataFrame:
    totals = {(r["year"], r["status"]): r["value"] for r in province_rows if r["indicator"] == "total_communes"}
    crit = reference.criteria
    catalogue: dict[tuple, tuple[str, str]] = {}  # (criteria_set, criterion_id) -> (criterion, group)
    for key, name_group in zip(zip(crit.criteria_set, crit.criterion_id), zip(crit.criterion, crit.group)):
        catalogue.setdefault(key, name_group)
    sets: dict[int, str] = {}  # year -> criteria set in force (looked up once per year)
    out = []
    for r in rows:
        cset = info.extra.get("criteria_set")
        if not cset:
            if r["year"] not in sets:
                sets[r["year"]] = reference.criteria_set_for(r["year"])
            cset = sets[r["year"]]
        name, group = catalogue.get((cset, r["criterion_id"]), (None, None))
        total = totals.get((r["year"], r["status"]))
        share = r["communes"] / total if r["communes"] is not None and total else None
        out.append(r | {"criteria_set": cset, "criterion": name, "group": group,
                        "total_communes": total, "share": share})
    frame = frame_from_rows("criteria", out)
    required = "criteria" in REQUIRED.get(info.kind, ())
    table = tables[0] if tables else None
    for (year, status), part in frame.groupby(["year", "status"]):
        ids = part.criterion_id.tolist()
        for cid in sorted({i for i in ids if ids.count(i) > 1}):
            cells = ", ".join(part[part.criterion_id == cid].cell.str.rpartition("!")[2])
            findings.add("error", "duplicate_criterion",
                         f"criterion {cid} appears more than once for {year} ({status}) (cells {cells})",
                         file=info.file, sheet=table.grid.sheet if table else "")
        missing = sorted(set(range(1, 20)) - set(ids))
        if missing and required:
            findings.add("error", "missing_criterion",
                         f"{year} ({status}): criteria {', '.join(map(str, missing))} are missing; "
                         f"Biểu 01 must list all 19", file=info.file, sheet=table.grid.sheet if table else "")
        if (year, status) not in totals and required:
            findings.add("error", "missing_total",
                         f"{year} ({status}): the row 'Tổng số xã' (total communes) is missing",
                         file=info.file, sheet=table.grid.sheet if table else "")
    return frame


def _funding_frame(rows: list[dict]) -> pd.DataFrame:
    frame = frame_from_rows("funding", rows)
    if frame.empty:
        return frame
    totals = frame[frame.level == 0].set_index(["year", "status"]).amount_million_vnd
    leaf_sums = frame[frame.is_leaf & (frame.level > 0)].groupby(["year", "status"]).amount_million_vnd.sum()
    keys = list(zip(frame.year, frame.status))
    denominators = [totals.get(k, leaf_sums.get(k)) for k in keys]
    frame["share_of_total"] = (frame.amount_million_vnd / pd.Series(denominators, index=frame.index,
                                                                      dtype="float64"))
    return frame


def _check_periods(found: dict[str, list[LocatedTable]], info: SourceInfo, findings: Findings) -> None:
    """Years and statuses read from the headers, against the sidecar."""
    if not info.has_sidecar or info.year is None:
        return
    for tables in found.values():
        for table in tables:
            for col in table.value_columns():
                if col.year is None:
                    continue
                expected = None
                if info.kind == "results" and col.status != "actual" or \
                        info.kind == "results" and col.year != info.year:
                    expected = f"results for {info.year} ('Thực hiện năm {info.year}')"
                elif info.kind == "plan" and (col.year > info.year or
                                              (col.status == "target" and col.year != info.year)):
                    expected = f"a plan for {info.year}"
                if expected:
                    findings.add("error", "period_mismatch",
                                 f"the header '{col.header}' reads as {col.year} ({col.status}), but the "
                                 f"sidecar describes {expected}", file=info.file, sheet=table.grid.sheet,
                                 cell=table.ref(table.header_rows[0], col.index))


def read_source(path: Path, reference: Reference | None = None, info: SourceInfo | None = None) -> SourceRead:
    """Read one workbook (or other carrier) into tidy tables, never raising on bad input.

    Errors and warnings are collected in ``SourceRead.findings``; with errors,
    the tables may be incomplete and must not be written.
    """
    path = Path(path)
    reference = reference or load_reference()
    findings = Findings()
    info = info or read_sidecar(path, findings)
    grids = load_grids(path, findings)
    if findings.errors:
        return SourceRead(info, TidyTables.empty(), findings)
    if not any(g.cells for g in grids):
        findings.add("error", "empty_workbook", "the workbook has no cells with content", file=path.name)
        return SourceRead(info, TidyTables.empty(), findings)

    found = find_tables(grids, reference, findings)
    for kind in REQUIRED.get(info.kind, REQUIRED["plan"]):
        if not found.get(kind):
            spec = reference.tables[kind]
            findings.add("error", "table_not_found",
                         f"table not found: {spec['name_vi']} ({spec['name_en']}); no sheet has a table "
                         f"with its title and header words", file=path.name)
    if info.kind == "correction" and not any(found.values()):
        findings.add("error", "table_not_found", "the correction holds no appendix table", file=path.name)
    _check_periods(found, info, findings)

    rows: dict[str, list[dict]] = {"criteria": [], "commune_bands": [], "province": [], "districts": [],
                                   "funding": []}
    for table in found.get("criteria", []):
        for name, part in parse_criteria(table, reference, findings).items():
            rows[name].extend(part)
    for table in found.get("districts", []):
        rows["districts"].extend(parse_districts(table, reference, findings))
    for table in found.get("funding", []):
        rows["funding"].extend(parse_funding(table, findings))
    for part in rows.values():
        for r in part:
            r["source_id"] = info.source_id
            r.pop("_label", None)

    tables = TidyTables(
        criteria=_criteria_frame(rows["criteria"], rows["province"], info, reference, findings,
                                 found.get("criteria", [])),
        commune_bands=frame_from_rows("commune_bands", rows["commune_bands"]),
        province=frame_from_rows("province", rows["province"]),
        districts=frame_from_rows("districts", rows["districts"]),
        funding=_funding_frame(rows["funding"]),
    )
    paragraphs = [p for g in grids for p in g.paragraphs]
    if paragraphs:  # a document: the targets stated in its text, and the communes it names
        _read_narrative(tables, paragraphs, found, info, reference, findings)
    for name, frame in tables.items():
        if name not in FROM_TEXT:
            validate_table(name, frame, findings, file=path.name)
    reconcile(tables, reference, findings, file=path.name)
    if paragraphs:
        from .crosschecks import add_findings, crosscheck_rows  # noqa: PLC0415
        add_findings(crosscheck_rows(tables, reference), findings, file=path.name)
    return SourceRead(info, tables, findings)



def _plan_year(found: dict[str, list[LocatedTable]], info: SourceInfo) -> int | None:
    if info.year is not None:
        return info.year
    years = [t.plan_year for tables in found.values() for t in tables if t.plan_year is not None]
    return max(years) if years else None


def _read_narrative(tables: TidyTables, paragraphs: list[tuple[str, str]],
                    found: dict[str, list[LocatedTable]], info: SourceInfo, reference: Reference,
                    findings: Findings) -> None:
    """Fill ``narrative_targets`` and ``target_communes`` from a document's text."""
    from .narrative import read_narrative_targets, read_target_communes  # noqa: PLC0415

    year = _plan_year(found, info)
    province = tables.province
    totals = province[province.indicator == "total_communes"].sort_values("year")
    if len(totals):
        total = int(totals.value.iloc[-1])
    else:  # no Biểu 01: the gazetteer's count for the province
        code = info.extra.get("province_code") or reference.districts.province_code.iloc[0]
        total = reference.communes(str(code))
    tables.narrative_targets = frame_from_rows(
        "narrative_targets", read_narrative_targets(paragraphs, year, info.source_id, total))
    tables.target_communes = frame_from_rows(
        "target_communes", read_target_communes(paragraphs, year, info.source_id, reference, findings,
                                                info.file))
