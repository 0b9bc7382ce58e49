"""Read a commune criteria table (one row per commune, one column per criterion)
from grids of cells, wherever it sits, into the tidy ``commune_criteria`` rows.

The table is found by its header: a commune-name or commune-code column and at
least ``MIN_CRITERION_COLUMNS`` criterion columns ("TC1 Quy hoạch", "Tiêu chí 1",
"1. Quy hoạch", a bare number under a "Tiêu chí" heading, or a criterion's name).
Communes are matched to the gazetteer by code, or by name within their district
(see :mod:`.gazetteer`). Marks are read by :mod:`.marks`: a blank stays missing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..criteria_sets import criterion_by_name
from ..findings import Findings
from ..i18n import _, either, names, ngettext, num
from ..reference import Reference
from ..text import clean_text, fold
from .commune_gazetteer import bare_name, communes, match_commune
from .commune_marks import UnknownMark, read_mark
from .grid import Grid

#: Criterion columns a header row needs to be a commune table's header (of the 19 criteria).
MIN_CRITERION_COLUMNS = 15
#: The set of 10 criteria (2026–2030): a header with exactly its ten columns is a commune table too.
TEN_SET = "2026-2030"
_CRITERION = re.compile(r"^(?:tc|tieu chi(?: so)?)\s*\.?\s*(\d{1,2})\b")
_NUMBERED = re.compile(r"^(\d{1,2})\s*[.)/-]\s*\D")
_BARE = re.compile(r"^\(?(\d{1,2})\)?$")
ROLES = {  # column role -> pattern on the folded header text
    "code": re.compile(r"^ma (xa|so|dvhc|don vi)"),
    "commune": re.compile(r"^(ten xa|xa|ten don vi|don vi cap xa|ten dvhc)$"),
    "district": re.compile(r"^(huyen|ten huyen|huyen, thi xa, thanh pho|don vi cap huyen|thuoc huyen)"),
    "recognised_year": re.compile(r"nam (duoc cong nhan )?dat chuan"),
    "planned_year": re.compile(r"dang ky dat chuan"),
}
#: A total row's label: "Tổng", "Tổng cộng", "Cộng", "Toàn tỉnh …", "Tỉnh …" (not "Tòng Sành", "Cộng Hòa").
_TOTAL = re.compile(r"^(tong|tong cong|tong so|cong|toan tinh)$|^(tong cong|toan tinh|tinh) ")
_DISTRICT_ROW = re.compile(r"^(huyen|thanh pho|thi xa|tp\.?|tx\.?)\s")


@dataclass
class CommuneTable:
    """A commune criteria table located in a grid."""

    grid: Grid
    header_row: int
    criteria: dict[int, int]  # column -> criterion id
    roles: dict[str, int]  # role -> column
    findings: Findings = field(default_factory=Findings)

    def ref(self, row: int, col: int) -> str:
        return f"{self.grid.sheet}!{self.grid.locate(row, col)}"


def _header_text(grid: Grid, row: int, col: int) -> tuple[str, str]:
    """(parent, leaf) folded header text of a column: the row above and the row."""
    parent = grid.filled(row - 1, col) if row > 0 else None
    leaf = grid.filled(row, col)
    return fold(parent) if isinstance(parent, str) else "", fold(leaf) if leaf is not None else ""


def _criterion_id(parent: str, leaf: str, reference: Reference) -> int | None:
    for pattern in (_CRITERION, _NUMBERED):
        m = pattern.match(leaf)
        if m and 1 <= int(m.group(1)) <= 19:
            return int(m.group(1))
    m = _BARE.match(leaf)
    if m and "tieu chi" in parent and 1 <= int(m.group(1)) <= 19:
        return int(m.group(1))
    if not leaf:
        return None

    return reference.criterion_by_name(leaf) or criterion_by_name(leaf, TEN_SET)


def find_commune_tables(grids: list[Grid], reference: Reference) -> list[CommuneTable]:
    """Every commune criteria table in ``grids`` (at most one per grid)."""
    found = []
    for grid in grids:
        for row in range(min(grid.n_rows, 60)):
            criteria: dict[int, int] = {}
            roles: dict[str, int] = {}
            # the cells with content (never the sheet's claimed width), and those under a header cell of the
            # row above (merged down over two header rows)
            for col in sorted(set(grid.row(row)) | (set(grid.row(row - 1)) if row else set())):
                parent, leaf = _header_text(grid, row, col)
                cid = _criterion_id(parent, leaf, reference)
                if cid is not None and cid not in criteria.values():
                    criteria[col] = cid
                    continue
                for role, pattern in ROLES.items():
                    if role not in roles and (pattern.search(leaf) if "year" in role else pattern.match(leaf)):
                        roles[role] = col
                        break
            ten = sorted(criteria.values()) == list(range(1, 11))
            if (len(criteria) >= MIN_CRITERION_COLUMNS or ten) and ("commune" in roles or "code" in roles):
                found.append(CommuneTable(grid, row, criteria, roles))
                break
    return found


def _code(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean_text(value)
    return text.zfill(5) if text.isdigit() and len(text) <= 5 else (text or None)


def _year(value: object) -> int | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    text = clean_text(value) if value is not None else ""
    return int(text) if re.fullmatch(r"(19|20)\d\d", text) else None


def read_commune_table(table: CommuneTable, year: int, status: str, province_code: str | None,
                       reference: Reference, findings: Findings, criteria_set: str | None = None
                       ) -> tuple[list[dict], list[dict]]:
    """(mark rows, year rows) of one commune table in the 2021 units. Problems go to ``findings``."""
    criteria_set = criteria_set or reference.criteria_set_for(year)
    grid, file = table.grid, table.grid.file
    gazetteer = communes()
    by_code = gazetteer.set_index("commune_code")
    marks: list[dict] = []
    years: list[dict] = []
    seen: dict[str, str] = {}  # commune_code -> first cell
    district_code: str | None = None
    roles = table.roles
    for row in range(table.header_row + 1, grid.n_rows):
        cells = grid.row(row)
        if not cells:
            continue
        label = clean_text(grid.get(row, roles["commune"])) if "commune" in roles and \
            grid.get(row, roles["commune"]) is not None else ""
        code = _code(grid.get(row, roles["code"])) if "code" in roles else None
        if "district" in roles and grid.filled(row, roles["district"]) is not None:
            written = clean_text(grid.filled(row, roles["district"]))
            district_code = reference.resolve_area(written) or district_code
        values = [grid.get(row, c) for c in table.criteria]
        if not code and label and all(v is None for v in values):
            if _DISTRICT_ROW.match(fold(label)) or reference.resolve_area(label):
                district_code = reference.resolve_area(label)  # a district heading row
            continue
        if not code and not label or _TOTAL.match(fold(label)):
            continue
        where = dict(file=file, sheet=grid.sheet, cell=grid.locate(row, roles.get("code", roles.get("commune", 0))))
        if code:
            if code not in by_code.index:
                findings.add("error", "unknown_commune", _("the commune code {code} is not in the GSO list of "
                                                           "communes (xã) of 2021").format(code=code), **where)
                continue
            official = by_code.loc[code]
            commune_code, commune, dcode = code, str(official.commune), str(official.district_code)
            if label and fold(bare_name(label)) != fold(bare_name(commune)):
                findings.add("warning", "commune_name", _("code {code} is {commune} in the GSO list, but the "
                                                          "table writes “{label}”; the code is kept").format(
                    code=code, commune=commune, label=label), **where)
        else:
            if district_code is None:
                findings.add("error", "unknown_commune", _("“{label}”: no commune code and no district, so the "
                                                           "commune cannot be identified").format(label=label),
                             **where)
                continue
            m = match_commune(label, district_code, gazetteer)
            if m.match == "none":
                findings.add("error", "unknown_commune", _("“{label}” is not a commune of {district}; closest: "
                                                           "{closest}").format(
                    label=label, district=reference.area_name(district_code), closest=either(m.closest)), **where)
                continue
            if m.match == "near":
                findings.add("warning", "commune_near_match", _("“{label}” read as {commune} ({code}); check the "
                                                                "spelling").format(
                    label=label, commune=m.commune, code=m.commune_code), **where)
            commune_code, commune, dcode = m.commune_code, m.commune, district_code
        if commune_code in seen:
            findings.add("error", "duplicate_commune", _("{commune} ({code}) is listed twice (also at "
                                                         "{other})").format(
                commune=commune, code=commune_code, other=seen[commune_code]), **where)
            continue
        seen[commune_code] = grid.locate(row, roles.get("code", roles.get("commune", 0)))
        for col, cid in table.criteria.items():
            try:
                met = read_mark(grid.get(row, col))
            except UnknownMark as exc:
                findings.add("error", "unknown_mark", _("{commune}, criterion {criterion}: {problem}").format(
                    commune=commune, criterion=cid, problem=exc), file=file,
                             sheet=grid.sheet, cell=grid.locate(row, col))
                continue
            marks.append({"year": year, "status": status, "units": "2021", "criteria_set": criteria_set,
                          "commune_code": commune_code, "commune": commune,
                          "district_code": dcode, "criterion_id": cid, "criterion_met": met,
                          "cell": table.ref(row, col)})
        recognised = _year(grid.get(row, roles["recognised_year"])) if "recognised_year" in roles else None
        planned = _year(grid.get(row, roles["planned_year"])) if "planned_year" in roles else None
        years.append({"year": year, "status": status, "units": "2021", "commune_code": commune_code,
                      "recognised_year": recognised, "planned_year": planned,
                      "cell": table.ref(row, roles.get("code", roles.get("commune", 0)))})
    province = province_code or (str(by_code.loc[next(iter(seen))].province_code) if seen else None)
    if province:
        listed = gazetteer[gazetteer.province_code == province]
        missing = listed[~listed.commune_code.isin(seen)]
        if len(missing) and seen:
            shown = list(missing.commune.head(12).map(bare_name))
            if len(missing) > 12:
                shown.append(ngettext("{n} more", "{n} more", len(missing) - 12).format(n=num(len(missing) - 12)))
            findings.add("warning", "commune_missing",
                         ngettext("{n} of the province's {total} communes is not in the table: {communes}",
                                  "{n} of the province's {total} communes are not in the table: {communes}",
                                  len(missing)).format(n=num(len(missing)), total=num(len(listed)),
                                                       communes=names(shown)), file=file, sheet=grid.sheet)
    return marks, years

