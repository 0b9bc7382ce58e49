"""Read one raw source (workbook + sidecar) into validated tidy tables.

load (carrier -> grids) -> find (tables by title and header words) -> parse
(rows with their cells) -> tidy frames; then the checks (``checks.py``: the
criterion list, the reconciliations) and the schemas add their findings.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from ..checks.ocr_arithmetic import settle_read
from ..checks.tables import check_criterion_list, check_reconciliations
from ..config import sidecar_path
from ..criteria_sets import criteria_sets, for_columns
from ..findings import Findings
from ..i18n import _, names, num
from ..reference import Reference, load_reference, period_label
from ..tables.provinces import check_validity, provinces_in, select_province
from ..tables.schemas import validate_table
from ..tables.tidy import COLUMNS, FROM_TEXT, TidyTables, frame_from_rows
from ..units import system_of_date
from .commune_gazetteer import communes
from .commune_reader import find_commune_tables, read_commune_table
from .commune_units2025 import read_commune_table_2025, system_of_table
from .finder import YEAR, LocatedTable, find_tables
from .metadata import SourceInfo, read_sidecar
from .narrative import read_narrative_targets, read_target_communes
from .ocr_corrections import read_review
from .page_report import report_pages
from .parse_criteria import parse_criteria
from .parse_districts import parse_districts
from .parse_funding import parse_funding
from .scan_text import name_unsure_words
from .sources import load_grids

REQUIRED = {"plan": ("criteria", "districts", "funding"), "results": ("criteria", "districts", "funding"),
            "correction": (), "communes": ()}


@dataclass
class SourceRead:
    """The outcome of reading one source: its tables, findings and metadata."""

    info: SourceInfo
    tables: TidyTables
    findings: Findings
    #: A scan's uncertain figures, for the analyst's review (cell, reading, alternatives,
    #: confidence 0–100, crop: PNG bytes of the scan there); empty for a file with text.
    ocr_review: list[dict] = field(default_factory=list)
    #: A filled scan review sheet (the analyst's correct figures, ``ocr_corrections.ReviewRow``),
    #: applied to the scans' reads by ``ocr_corrections.apply_reviews``; empty for any other file.
    review_rows: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings.errors

    @cached_property
    def province_codes(self) -> tuple[str, ...]:
        """The GSO codes of the provinces its rows belong to (``province_code`` of its tables),
        sorted. Worked out once: a build's cache keeps it with the read (``cache.SourceCache``)."""
        return tuple(provinces_in(self.tables))


def _criteria_frame(rows: list[dict], province_rows: list[dict], info: SourceInfo,
                    reference: Reference, findings: Findings) -> pd.DataFrame:
    totals = {(r["year"], r["status"]): r["value"] for r in province_rows if r["indicator"] == "total_communes"}
    for r in province_rows:  # a total of zero or less: nothing to take shares of
        if r["indicator"] == "total_communes" and r["value"] is not None and r["value"] <= 0:
            sheet, _sep, cell = r["cell"].rpartition("!")
            findings.add("error", "total_not_positive",
                         _("{period}: the total number of communes is {value}; it must be above zero: correct "
                           "the cell").format(period=period_label(r["year"], r["status"]),
                                              value=num(r["value"], 2, trim=True)),
                         file=info.file, sheet=sheet, cell=cell)
            totals[(r["year"], r["status"])] = None
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
    return frame_from_rows("criteria", out)


def _funding_frame(rows: list[dict]) -> pd.DataFrame:
    frame = frame_from_rows("funding", rows)
    if frame.empty:
        return frame
    totals = frame[frame.level == 0].set_index(["year", "status"]).amount_million_vnd
    totals = totals[~totals.index.duplicated()]  # a table given twice is an error of its own (table_twice)
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
                    expected = _("results for {year} ('Thực hiện năm {year}')").format(year=info.year)
                elif info.kind == "plan" and (col.year > info.year or
                                              (col.status == "target" and col.year != info.year)):
                    expected = _("a plan for {year}").format(year=info.year)
                if expected:
                    findings.add("error", "period_mismatch",
                                 _("the header '{header}' reads as {period}, but the sidecar describes "
                                   "{expected}").format(header=col.header, period=period_label(col.year, col.status),
                                                        expected=expected),
                                 file=info.file, sheet=table.grid.sheet,
                                 cell=table.ref(table.header_rows[0], col.index),
                                 group=_("the sidecar describes {expected}, but these headers state another year "
                                         "or status: correct the sidecar (year, kind) or the headers"
                                         ).format(expected=expected))


def _check_twice(found: dict[str, list[LocatedTable]], reference: Reference, info: SourceInfo,
                 findings: Findings) -> None:
    """One table (same kind, same year and status) given in two places: an error naming both."""
    for kind, tables in found.items():
        seen: dict[tuple, LocatedTable] = {}
        for table in tables:
            periods = tuple(sorted((c.year, c.status) for c in table.value_columns() if c.year is not None))
            first = seen.setdefault(periods, table)
            if first is table or not periods:
                continue
            findings.add("error", "table_twice",
                         _("{table} is given twice: at {first} and at {second}; keep one of them").format(
                             table=reference.table_name(kind),
                             first=f"{first.grid.sheet}!{first.ref(first.header_rows[0], first.columns[0].index)}",
                             second=f"{table.grid.sheet}!{table.ref(table.header_rows[0], table.columns[0].index)}"),
                         file=info.file, sheet=table.grid.sheet,
                         cell=table.ref(table.header_rows[0], table.columns[0].index))


def _check_years(found: dict[str, list[LocatedTable]], info: SourceInfo, findings: Findings) -> None:
    """A plan's Biểu 01 needs its base-year and its target-year columns; a
    results file needs only its own year."""
    tables = found.get("criteria", [])
    if not tables or info.kind not in ("plan", "results") or any(
            f.check == "period_mismatch" for f in findings):
        return  # (headers that disagree with the sidecar are reported as such)
    years = {col.year for t in tables for col in t.value_columns() if col.year is not None}
    year = info.year or max((t.plan_year for t in tables if t.plan_year is not None), default=None)
    if year is None:
        return
    needed = {year: _("the results year {year}").format(year=year)} if info.kind == "results" else \
        {year - 1: _("the base year {year} (actual, end of {year})").format(year=year - 1),
         year: _("the target year {year}").format(year=year)}
    table = tables[0]
    for missing in sorted(set(needed) - years):
        findings.add("error", "missing_year",
                     _("the criteria table (Biểu 01) has no column for {needed}; the columns read are for "
                       "{years}: add the column with its year in the header").format(
                         needed=needed[missing], years=names(map(str, sorted(years))) or _("no year")),
                     file=info.file, sheet=table.grid.sheet,
                     cell=table.ref(table.header_rows[0], table.columns[0].index))


def _say_assumed(info: SourceInfo, year: int | None, province_code: str | None, reference: Reference,
                 findings: Findings) -> None:
    """A source without a sidecar: one finding that says what was assumed in its place."""
    findings.add("warning", "no_sidecar", _(
        "no sidecar {sidecar}: the file is read as a {kind} source, year {year} (from the tables), area "
        "{province}, without a document number, date or citation (the charts name the file); "
        "write the sidecar to say what the file is").format(
            sidecar=sidecar_path(Path(info.file)).name, kind=info.kind,
            year=year if year is not None else _("not found"),
            province=reference.area_name(province_code) if province_code else _("not found")),
        file=info.file)


def _commune_period(info: SourceInfo, table, findings: Findings) -> tuple[int, str] | None:
    """(year, status) of a commune table: the sidecar's, else the year in its title (status actual)."""
    status = str(info.extra.get("status") or "actual")
    if info.year:
        return int(info.year), status
    for row in range(table.header_row):
        for value in table.grid.row(row).values():
            match = YEAR.search(str(value))
            if match:
                return int(match.group(1)), status
    findings.add("error", "commune_year", _("the commune table states no year: add \"year\" (and \"status\": "
                                            "actual or target) to its sidecar"), file=info.file,
                 sheet=table.grid.sheet)
    return None


def _read_communes(table, period: tuple[int, str], info: SourceInfo, province_code: str, reference: Reference,
                   findings: Findings) -> tuple[list[dict], list[dict]]:
    """One commune table's rows: its criteria set from its columns (a sidecar's
    ``criteria_set`` that says otherwise is a warning), its units from
    :func:`.communes.units2025.system_of_table`."""
    year, status = period
    ids = set(table.criteria.values())
    found_set = for_columns(ids, year)
    stated = str(info.extra.get("criteria_set") or "").strip()
    if found_set is None:
        findings.add("error", "criteria_columns", _("the commune table has {n} criterion columns; a national set has "
                                                    "19 (2016–2025) or 10 (2026–2030): add the missing ones").format(
            n=num(len(ids))), file=info.file, sheet=table.grid.sheet)
        return [], []
    if stated and stated != found_set.name:
        known = criteria_sets().get(stated)
        if known is None or known.count != found_set.count:
            findings.add("warning", "criteria_set_mismatch",
                         _("the sidecar says criteria_set {stated}, but the table has the {n} criterion columns of "
                           "the set {found}; read as {found}").format(stated=stated, n=num(found_set.count),
                                                                       found=found_set.name),
                         file=info.file, sheet=table.grid.sheet,
                         cell=table.grid.locate(table.header_row, min(table.criteria)))
        else:
            found_set = known  # 2016–2020 and 2021–2025 share their 19 columns: the sidecar says which

    stated_units = str(info.extra.get("units") or "").strip()
    if stated_units and stated_units not in ("2021", "2025"):
        findings.add("warning", "sidecar", _("the sidecar's units '{units}' is neither 2021 (the GSO list of 2021, "
                                             "with districts) nor 2025 (the units from 1 July 2025); the document "
                                             "date and the names decide").format(units=stated_units),
                     file=info.file)

    if system_of_table(info, table, province_code or None, year) == "2025":
        if not province_code:
            findings.add("error", "province_unknown", _("a table of the units of 2025 needs province_code (the code "
                                                        "of 2025, e.g. \"15\" for Lào Cai) in its sidecar"),
                         file=info.file)
            return [], []
        return read_commune_table_2025(table, year, status, province_code, found_set.name, findings)
    return read_commune_table(table, year, status, province_code or None, reference, findings, found_set.name)


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
        findings.add("error", "empty_workbook", _("the workbook has no cells with content"), file=path.name)
        return SourceRead(info, TidyTables.empty(), findings)
    review = read_review(grids)
    if review is not None:  # the analyst's review of a scan: applied to the scan's read by the pipeline
        if not review:
            findings.add("info", "review_empty", _("the scan review sheet has no correct figure filled in"),
                         file=path.name)
        return SourceRead(info, TidyTables.empty(), findings.grouped(), review_rows=review)
    loaded = list(findings.items)
    read = _read_grids(path, grids, info, reference, findings)
    if read.ocr_review:  # a scan's uncertain figures: the plan's own arithmetic may settle them
        read = settle_read(read, grids, loaded, reference,
                           lambda patched, kept: _read_grids(path, patched, info, reference, Findings(kept)))
    if any(f.check == "ocr_low_confidence" for f in read.findings):  # a scan's text: its unsure words named
        read = replace(read, findings=name_unsure_words(read.findings))
    return read


def _read_grids(path: Path, grids: list, info: SourceInfo, reference: Reference, findings: Findings) -> SourceRead:
    """The tables of a source's grids, read, validated and reconciled (``findings``: those of
    the loading so far)."""
    found = find_tables(grids, reference, findings)
    commune_tables = find_commune_tables(grids, reference)
    if commune_tables and not any(found.values()) and not sidecar_path(path).exists():
        info = replace(info, kind="communes")  # a commune table without a sidecar is not a plan missing its tables
    for kind in REQUIRED.get(info.kind, REQUIRED["plan"]):
        if not found.get(kind):
            findings.add("error", "table_not_found",
                         _("table not found: {table}; no sheet has a table with its title and header "
                           "words").format(table=reference.table_name(kind)), file=path.name)
    if any(not found.get(kind) for kind in REQUIRED.get(info.kind, REQUIRED["plan"])):
        report_pages(grids, found, path.name, findings)  # a PDF or a scan: what each page gave instead
    if info.kind == "correction" and not any(found.values()):
        findings.add("error", "table_not_found", _("the correction holds no appendix table"), file=path.name)
    _check_periods(found, info, findings)
    _check_years(found, info, findings)
    _check_twice(found, reference, info, findings)
    province_code = select_province(info, found, reference, findings)

    new_units = str(info.extra.get("units") or system_of_date(str(info.document_date or "") or None)) == "2025"
    if not (commune_tables and new_units):  # a commune table in the new units is not a 2021 unit out of date
        check_validity(info, province_code, reference, findings)
    if info.kind == "communes" and not commune_tables:
        findings.add("error", "table_not_found", _("no commune criteria table: no sheet has a header with a "
                                                   "commune column (Mã xã or Tên xã) and the criterion columns "
                                                   "TC1 … TC19"), file=path.name)

    rows: dict[str, list[dict]] = {name: [] for name in COLUMNS}
    #: the unit system of the plan's tables: 2025 when the sidecar says so (the commune
    #: tables' rows carry their own, decided by sidecar, date or names)
    plan_units = "2025" if str(info.extra.get("units") or "") == "2025" else "2021"
    for table in found.get("criteria", []):
        for name, part in parse_criteria(table, reference, findings).items():
            rows[name].extend(part)
    for table in found.get("districts", []):
        rows["districts"].extend(parse_districts(table, reference, findings, province_code, plan_units))
    for table in found.get("funding", []):
        rows["funding"].extend(parse_funding(table, findings))
    rows["commune_criteria"], rows["commune_years"] = [], []
    for table in commune_tables:
        period = _commune_period(info, table, findings)
        if period:
            marks, years = _read_communes(table, period, info, province_code, reference, findings)
            rows["commune_criteria"].extend(marks)
            rows["commune_years"].extend(years)
    if not province_code and rows["commune_criteria"]:  # a commune table alone: its communes say the province
        province_of = dict(zip(communes().commune_code, communes().province_code))
        named = {province_of.get(r["commune_code"]) for r in rows["commune_criteria"]} - {None}
        province_code = named.pop() if len(named) == 1 else province_code
    if not info.has_sidecar and not sidecar_path(path).exists():
        year = _plan_year(found, info) or max((r["year"] for r in rows["commune_criteria"]), default=None)
        _say_assumed(info, year, province_code, reference, findings)
    for part in rows.values():
        for r in part:
            r["source_id"] = info.source_id
            r["province_code"] = province_code
            r.setdefault("units", plan_units)
            r.pop("_label", None)

    tables = TidyTables(
        criteria=_criteria_frame(rows["criteria"], rows["province"], info, reference, findings),
        commune_bands=frame_from_rows("commune_bands", rows["commune_bands"]),
        province=frame_from_rows("province", rows["province"]),
        districts=frame_from_rows("districts", rows["districts"]),
        funding=_funding_frame(rows["funding"]),
        commune_criteria=frame_from_rows("commune_criteria", rows["commune_criteria"]),
        commune_years=frame_from_rows("commune_years", rows["commune_years"]),
    )
    criteria_tables = found.get("criteria", [])
    check_criterion_list(tables.criteria, tables.province, findings,
                         required="criteria" in REQUIRED.get(info.kind, ()), file=path.name,
                         located=criteria_tables)
    paragraphs = [p for g in grids for p in g.paragraphs]
    if paragraphs:  # a document: the targets stated in its text, and the communes it names
        _read_narrative(tables, paragraphs, found, info, reference, findings, province_code)
        for name in FROM_TEXT:
            frame = getattr(tables, name)
            frame["province_code"] = province_code
            frame["units"] = pd.Series(plan_units, index=frame.index, dtype="str")
    for name, frame in tables.items():
        if name not in FROM_TEXT:
            validate_table(name, frame, findings, file=path.name)
    check_reconciliations(tables, reference, findings, file=path.name)
    review = [{"file": path.name, **doubt} for g in grids for doubt in g.doubts]
    return SourceRead(info, tables, findings.grouped(), review)



def _plan_year(found: dict[str, list[LocatedTable]], info: SourceInfo) -> int | None:
    if info.year is not None:
        return info.year
    years = [t.plan_year for tables in found.values() for t in tables if t.plan_year is not None]
    return max(years) if years else None


def _read_narrative(tables: TidyTables, paragraphs: list[tuple[str, str]],
                    found: dict[str, list[LocatedTable]], info: SourceInfo, reference: Reference,
                    findings: Findings, province_code: str | None = None) -> None:
    """Fill ``narrative_targets`` and ``target_communes`` from a document's text."""
    year = _plan_year(found, info)
    province = tables.province
    totals = province[province.indicator == "total_communes"].sort_values("year")
    if len(totals):
        total = int(totals.value.iloc[-1])
    else:  # no Biểu 01: the gazetteer's count for the province
        code = province_code or info.extra.get("province_code")
        total = reference.communes(str(code))
    tables.narrative_targets = frame_from_rows(
        "narrative_targets", read_narrative_targets(paragraphs, year, info.source_id, total))
    tables.target_communes = frame_from_rows(
        "target_communes", read_target_communes(paragraphs, year, info.source_id, reference, findings,
                                                info.file))
