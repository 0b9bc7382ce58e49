"""Biểu 02: targets (or results) of the province and each district."""
from __future__ import annotations

import re

from .. import units
from ..findings import Findings
from ..i18n import _, either, names
from ..reference import Reference
from ..text import clean_text, fold
from .cells import cell_ref, read_number
from .commune_units2025 import _match
from .finder import LocatedTable

_PROVINCE_ROW = re.compile(r"^(toan tinh|tinh|tong cong|tong so|tong|cong|ca tinh)\b")
#: A district's name (abolished on 1 July 2025): "Huyện …", "Thị xã …", "TX …", "Quận …".
_DISTRICT = re.compile(r"^(huyen|thi xa|tx|quan)\b")


def match_indicator(header: str, leaf: str, reference: Reference) -> str | None:
    """Indicator whose header words match a Biểu 02 column (leaf header first)."""
    cat = reference.indicators
    candidates = [(n, p) for n, p, s in zip(cat.indicator, cat.header_pattern, cat.scope)
                  if s in ("districts", "both")]
    for text in (fold(leaf), fold(header)):
        for name, pattern in candidates:
            if re.search(pattern, text):
                return name
    return None


def names_of(codes: tuple[str, ...], reference: Reference) -> str:
    """Units named for a message, each with its province when it is a district:
    "Huyện Tam Đường (Tỉnh Lai Châu) và Huyện Tam Dương (Tỉnh Vĩnh Phúc)"."""
    return names([reference.area_name(c) if reference.is_province(c) else
                  f"{reference.area_name(c)} ({reference.area_name(reference.province_code_of(c) or '')})"
                  for c in codes])


def _communes_2025(table: LocatedTable, label_col: int, province_code: str, findings: Findings,
                   where: dict) -> list[tuple[int, str, str]]:
    """(row, code or "PROVINCE", official name or label) of a sub-province table of a plan in
    the units of 2025, which lists communes and wards where a 2021 plan listed districts: each
    name matched among ``province_code``'s 2025 communes as commune tables match them (exact /
    near / none, with or without "Xã"/"Phường"); a name matching none is an error naming the
    closest. The province's own row ("Toàn tỉnh", "Tổng") is kept as the province."""

    new = units.units_2025()
    mine = new[new.province_code == province_code]
    pool = list(zip(mine.commune_code, mine.commune))
    province = units.province_name(province_code, "2025") or province_code
    areas = []
    for row in table.body_rows:
        label = clean_text(table.grid.get(row, label_col) or "")
        if not label:
            continue
        if _PROVINCE_ROW.match(fold(label)):
            areas.append((row, "PROVINCE", province))
            continue
        if _DISTRICT.match(fold(label)):
            findings.add("error", "units_2021_in_2025",
                         _("'{label}' is a district, but districts were abolished on 1 July 2025: a table of the "
                           "units of 2025 lists the communes and wards of {province}").format(
                             label=label, province=province), cell=table.ref(row, label_col), **where)
            continue
        match, code, official, closest = _match(label, pool)
        if code is None:
            findings.add("error", "unknown_commune",
                         _("'{label}' is not a commune or ward of {province} in the units of 2025; did you mean "
                           "{hints}?").format(label=label, province=province,
                                               hints=either(f"'{h}'" for h in closest)),
                         cell=table.ref(row, label_col), **where)
            continue
        if match == "near":
            findings.add("info", "commune_name", _("'{label}' is read as {commune} ({code})").format(
                label=label, commune=official, code=code), cell=table.ref(row, label_col), **where)
        areas.append((row, code, official))
    return areas


def parse_districts(table: LocatedTable, reference: Reference, findings: Findings,
                    province_code: str = "", units: str = "2021") -> list[dict]:
    """Rows of the districts table: one per (area, indicator, value column).

    Names resolve within ``province_code`` (the source's province; "" = the whole
    country): a name shared by two of its units is refused with both listed, and
    a district of another province is an error that names that province. A source in
    the units of 2025 (``units``; no districts) lists communes instead: the same
    indicators, each row keyed by the commune's 2025 code (5 digits) and official name."""
    where = dict(file=table.grid.file, sheet=table.grid.sheet)
    columns = []
    for col in table.value_columns():
        indicator = match_indicator(col.header, col.leaf, reference)
        if indicator is None:
            findings.add("warning", "unknown_column",
                         _("column '{header}' is not a known indicator; skipped").format(header=col.header),
                         cell=table.ref(table.header_rows[-1], col.index), **where)
            continue
        columns.append((col, indicator))
    if units == "2025" and province_code:
        areas = _communes_2025(table, table.label_col, province_code, findings, where)
        return _rows(table, reference, findings, areas, columns, province_code, unit_level=True)

    label_col = table.label_col
    areas: list[tuple[int, str, str]] = []  # row, code or "", label
    for row in table.body_rows:
        label = clean_text(table.grid.get(row, label_col) or "")
        if not label:
            continue
        match = reference.match_area(label, province_code or None)
        code = match.code
        cell = table.ref(row, label_col)
        generic = _PROVINCE_ROW.match(fold(label))
        if generic and (code is None or reference.is_province(code)):
            named = code or next((c for c in match.elsewhere if reference.is_province(c)), None)
            if named and province_code and named != province_code and fold(label)[generic.end():].strip():
                findings.add("error", "other_province",
                             _("'{label}' is {named}, but this source is about {province}").format(
                                 label=label, named=reference.area_name(named),
                                 province=reference.area_name(province_code)), cell=cell, **where)
                continue
            areas.append((row, "PROVINCE", label))
            continue
        if match.candidates and match.unaccented:
            findings.add("error", "ambiguous_district", _(
                "'{label}', without its accents, matches several units: {candidates}; write the name with "
                "its accents").format(
                    label=label, candidates=names_of(match.candidates, reference)), cell=cell, **where)
            continue
        if match.candidates:
            findings.add("error", "ambiguous_district",
                         _("'{label}' may be {candidates}; write the full name").format(
                             label=label, candidates=either(f"'{reference.area_name(c)}' ({c})"
                                                            for c in match.candidates)), cell=cell, **where)
            continue
        if match.elsewhere:
            owners = "; ".join(reference.area_name(c) if reference.is_province(c) else
                               _("{district} of {province}").format(
                                   district=reference.area_name(c),
                                   province=reference.area_name(reference.province_code_of(c) or ""))
                               for c in match.elsewhere[:3])
            findings.add("error", "other_province",
                         _("'{label}' is not a district of {province}: the name belongs to {owners}").format(
                             label=label, province=reference.area_name(province_code), owners=owners),
                         cell=cell, **where)
            continue
        if code is None:
            hints = reference.suggest_areas(label, province_code=province_code or None)
            message = _("district '{label}' is not in the district list; did you mean {hints}?") if hints else \
                _("district '{label}' is not in the district list")
            findings.add("error", "unknown_district",
                         message.format(label=label, hints=either(f"'{h}'" for h in hints)), cell=cell, **where)
            continue
        if match.unaccented:
            findings.add("info", "name_without_accents", _(
                "'{label}' is read as {area}: it is the one unit of the list with that name once the "
                "accents are removed").format(label=label, area=reference.area_name(code)), cell=cell, **where)
        areas.append((row, code, label))

    district_codes = [c for _row, c, _label in areas if c != "PROVINCE"]
    province = province_code or reference.province_of(district_codes) or "PROVINCE"
    return _rows(table, reference, findings, areas, columns, province)


def _rows(table: LocatedTable, reference: Reference, findings: Findings, areas: list[tuple[int, str, str]],
          columns: list, province: str, unit_level: bool = False) -> list[dict]:
    """The tidy rows of the areas found, one per (area, indicator, value column)
    (``unit_level``: communes of 2025, named as matched)."""
    where = dict(file=table.grid.file, sheet=table.grid.sheet)
    units = reference.indicators.set_index("indicator").unit
    label_col = table.label_col
    seen: dict[str, int] = {}
    rows: list[dict] = []
    for row, code, label in areas:
        code = province if code == "PROVINCE" else code
        if code in seen:
            findings.add("error", "duplicate_district",
                         _("'{label}' appears twice (also in row {row}); each district must appear once").format(
                             label=label, row=seen[code] + 1), cell=table.ref(row, label_col), **where)
            continue
        seen[code] = row
        for col, indicator in columns:
            value = read_number(table, row, col.index, findings,
                                f"'{label}', {reference.indicator_label(indicator)}")
            rows.append({"year": col.year, "status": col.status, "area_code": code,
                         "area": label if unit_level or code == "PROVINCE" else reference.area_name(code),
                         "indicator": indicator, "value": value, "unit": units[indicator],
                         "cell": cell_ref(table, row, col.index), "_label": label})
    return rows
