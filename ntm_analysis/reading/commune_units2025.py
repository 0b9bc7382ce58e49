"""Commune tables in the units from 1 July 2025: keyed by the new communes, no district.

A source's unit system is its sidecar's ``units`` ("2021" or "2025"), else its document
date (from 2025-07-01: 2025), else its year (after 2025: 2025), else the names it matches
(:func:`system_of_table`). Names match within the province, ``exact`` / ``near`` / ``none``,
with or without "Xã" / "Phường". A 2021 name or code in a 2025 source is an error naming
both and the successor(s); a commune of another province, or a code in neither system, too.
The 2025 reference is read here only (lazily, :mod:`ntm_analysis.units`).
"""
from __future__ import annotations

from .. import units
from ..findings import Findings
from ..i18n import _, either, names
from ..text import clean_text, fold
from .commune_marks import UnknownMark, read_mark
from .commune_reader import _TOTAL, _code, _year

_TYPES = ("xa ", "phuong ", "dac khu ", "thi tran ")


def bare(name: object) -> str:
    """Folded name without its unit type ("Xã Bát Xát" -> "bat xat")."""
    text = fold(name)
    for prefix in _TYPES:
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def system_of_table(info, table, province_code: str | None, year: int | None) -> str:
    """The unit system of a commune table (see the module docstring)."""
    stated = str(info.extra.get("units") or "").strip()
    if stated in units.SYSTEMS:
        return stated
    dated = units.system_of_date(str(info.document_date or "") or None)
    if dated:
        return dated
    if year is not None and year > 2025:
        return "2025"
    if "district" in table.roles or not province_code or "commune" not in table.roles:
        return "2021"
    labels = {bare(table.grid.get(r, table.roles["commune"])) for r in range(table.header_row + 1, table.grid.n_rows)
              if table.grid.get(r, table.roles["commune"]) is not None}
    new = units.units_2025()
    new_names = set(new[new.province_code == province_code].commune.map(bare))
    old = units.units_2021()
    old_names = set(old[old.province_code == province_code].commune.map(bare))
    return "2025" if len(labels & new_names) > len(labels & old_names) else "2021"


def _accented(name: object) -> str:
    """Case-folded NFC name without its unit type, accents kept (for the distance of a near match)."""
    text = clean_text(name).casefold()
    for prefix in ("xã ", "phường ", "đặc khu ", "thị trấn "):
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def _match(label: str, pool, near_ok: bool = True) -> tuple[str, str | None, str | None, tuple[str, ...]]:
    """(match, code, official name, closest) of ``label`` among ``pool`` (code, name): exact (accents,
    case and unit type aside from the folded form: equal), near (the same once accents are removed,
    or within two letters, accents counted, of exactly one unit), else none."""
    from rapidfuzz.distance import Levenshtein  # noqa: PLC0415
    from rapidfuzz.process import extract  # noqa: PLC0415

    target, accented = bare(label), _accented(label)
    exact = [(c, n) for c, n in pool if _accented(n) == accented]
    if len(exact) == 1:
        return "exact", exact[0][0], exact[0][1], ()
    near = [(c, n) for c, n in pool if bare(n) == target or Levenshtein.distance(_accented(n), accented) <= 2]
    if not near_ok:
        near = []
    if len(near) == 1:
        return "near", near[0][0], near[0][1], ()
    if len(exact) > 1:
        return "none", None, None, tuple(n for _c, n in exact)
    choices = {c: bare(n) for c, n in pool}
    official = dict(pool)
    return "none", None, None, tuple(official[c] for _, _, c in extract(target, choices, limit=3))


def read_commune_table_2025(table, year: int, status: str, province_code: str, criteria_set: str,
                            findings: Findings) -> tuple[list[dict], list[dict]]:
    """(mark rows, year rows) of a commune table in the 2025 units of ``province_code``
    (a 2025 code: "15" is new Lào Cai). Rows carry ``units`` "2025" and no district."""
    grid, file = table.grid, table.grid.file
    new = units.units_2025()
    mine = new[new.province_code == province_code]
    pool = list(zip(mine.commune_code, mine.commune))
    by_code = dict(pool)
    all_new = dict(zip(new.commune_code, zip(new.commune, new.province_code)))
    old = units.units_2021()
    old_mine = old[old.province_code.isin(units.predecessor_provinces(province_code))]
    old_pool = list(zip(old_mine.commune_code, old_mine.commune))
    old_codes = dict(zip(old.commune_code, old.commune))
    succ = None
    marks: list[dict] = []
    years: list[dict] = []
    seen: dict[str, str] = {}
    roles = table.roles
    province = units.province_name(province_code, "2025") or province_code

    def successor_names(code: str) -> str:
        nonlocal succ
        succ = units.successors() if succ is None else succ
        rows = succ[succ.commune_code == code]
        named = [n for n in rows.commune_2025 if n]
        return names(named) if named else _("successor unknown")

    for row in range(table.header_row + 1, grid.n_rows):
        if not grid.row(row):
            continue
        raw = grid.get(row, roles["commune"]) if "commune" in roles else None
        label = clean_text(raw) if raw is not None else ""
        code = _code(grid.get(row, roles["code"])) if "code" in roles else None
        values = [grid.get(row, c) for c in table.criteria]
        if (not code and not label) or _TOTAL.match(fold(label)) or (not code and all(v is None for v in values)):
            continue
        key_col = roles.get("code", roles.get("commune", 0))
        where = dict(file=file, sheet=grid.sheet, cell=grid.locate(row, key_col))
        if code:
            if code in by_code:
                commune_code, commune = code, by_code[code]
                if label and bare(label) != bare(commune):
                    findings.add("warning", "commune_name", _("code {code} is {commune} in the units of 2025, but "
                                                              "the table writes “{label}”; the code is kept").format(
                        code=code, commune=commune, label=label), **where)
            elif code in all_new:
                findings.add("error", "commune_other_province",
                             _("{code} is {commune}, a unit of {other}, not of {province}").format(
                                 code=code, commune=all_new[code][0], province=province,
                                 other=units.province_name(all_new[code][1], "2025")), **where)
                continue
            elif code in old_codes:
                findings.add("error", "units_2021_in_2025", _("{code} is {old}, a unit of 2021, in a table of the "
                                                              "units of 2025; it became {successor}").format(
                    code=code, old=old_codes[code], successor=successor_names(code)), **where)
                continue
            else:
                findings.add("error", "unknown_commune", _("the code {code} is a unit neither of 2021 nor of "
                                                           "2025").format(code=code), **where)
                continue
        else:
            match, commune_code, commune, closest = _match(label, pool, near_ok=False)
            old_match, old_code, old_name, _c = ("none", None, None, ()) if match == "exact" else \
                _match(label, old_pool, near_ok=False)
            elsewhere = [] if match == "exact" else [
                (c, n, p) for c, (n, p) in all_new.items() if p != province_code and _accented(n) == _accented(label)]
            if match != "exact" and old_match != "exact" and not elsewhere:
                match, commune_code, commune, closest = _match(label, pool)
            if match == "none":
                if old_match == "exact":
                    findings.add("error", "units_2021_in_2025",
                                 _("“{label}” is {old} ({code}), a unit of 2021, in a table of the units of 2025; "
                                   "it became {successor}").format(label=label, old=old_name, code=old_code,
                                                                   successor=successor_names(old_code)), **where)
                elif elsewhere:
                    findings.add("error", "commune_other_province",
                                 _("“{label}” is not a unit of {province}; {others}").format(
                                     label=label, province=province, others=names(
                                         f"{n} ({c}, {units.province_name(p, '2025')})" for c, n, p in elsewhere)),
                                 **where)
                else:
                    findings.add("error", "unknown_commune", _("“{label}” is not a unit of {province} (2025); "
                                                               "closest: {closest}").format(
                        label=label, province=province, closest=either(closest)), **where)
                continue
            if match == "near":
                findings.add("warning", "commune_near_match", _("“{label}” read as {commune} ({code}); check the "
                                                                "spelling").format(
                    label=label, commune=commune, code=commune_code), **where)
        if commune_code in seen:
            findings.add("error", "duplicate_commune", _("{commune} ({code}) is listed twice (also at "
                                                         "{other})").format(
                commune=commune, code=commune_code, other=seen[commune_code]), **where)
            continue
        seen[commune_code] = grid.locate(row, key_col)
        for col, cid in table.criteria.items():
            try:
                met = read_mark(grid.get(row, col))
            except UnknownMark as exc:
                findings.add("error", "unknown_mark", _("{commune}, criterion {criterion}: {problem}").format(
                    commune=commune, criterion=cid, problem=exc), file=file, sheet=grid.sheet,
                    cell=grid.locate(row, col))
                continue
            marks.append({"year": year, "status": status, "units": "2025", "criteria_set": criteria_set,
                          "commune_code": commune_code, "commune": commune, "district_code": None,
                          "criterion_id": cid, "criterion_met": met, "cell": table.ref(row, col)})
        recognised = _year(grid.get(row, roles["recognised_year"])) if "recognised_year" in roles else None
        planned = _year(grid.get(row, roles["planned_year"])) if "planned_year" in roles else None
        years.append({"year": year, "status": status, "units": "2025", "commune_code": commune_code,
                      "recognised_year": recognised, "planned_year": planned, "cell": table.ref(row, key_col)})
    return marks, years
