"""Which province a source is about, and whether the 2021 gazetteer holds for it.

The sidecar's ``province_code`` decides; without it, the province named in a
table title ("… của UBND tỉnh Lào Cai"); without either, the province whose
districts the district table names. Every tidy row carries the result, so that
several provinces' plans combine without false conflicts.
"""
from __future__ import annotations

import pandas as pd

from .. import units
from ..findings import Findings
from ..i18n import _
from ..i18n import names as enumerate_names
from ..reading.finder import LocatedTable
from ..reading.metadata import SourceInfo
from ..reference import Reference
from ..text import clean_text
from .tidy import TidyTables


def _district_labels(found: dict[str, list[LocatedTable]]) -> list[str]:
    labels = []
    for table in found.get("districts", []):
        for row in table.body_rows:
            text = clean_text(table.grid.get(row, table.label_col) or "")
            if text:
                labels.append(text)
    return labels


def select_province(info: SourceInfo, found: dict[str, list[LocatedTable]], reference: Reference,
                    findings: Findings) -> str:
    """The GSO code of the source's province, or "" (with an error finding) when
    nothing says which it is."""
    named: dict[str, LocatedTable] = {}
    for tables in found.values():
        for table in tables:
            code = reference.province_in_text(table.title)
            if code:
                named.setdefault(code, table)
    names = reference.province_names
    sidecar = str(info.extra.get("province_code") or "").strip()
    if sidecar:
        if sidecar not in names:
            findings.add("error", "sidecar", _("the sidecar's province_code '{code}' is not a GSO province code of "
                                               "the gazetteer (two digits, e.g. '10' for {example})").format(
                code=sidecar, example=names.get("10", "Tỉnh Lào Cai")), file=info.file)
            return ""
        if str(info.extra.get("units") or "") == "2025":  # the title names the province of 2025 ("15": Lào Cai)

            name_2025 = units.province_name(sidecar, "2025")
            named = {code: table for code, table in named.items() if names[code] != name_2025}
        for code, table in named.items():
            if code != sidecar:
                findings.add("warning", "province_mismatch",
                             _("the title names {title}, but the sidecar says province_code {code} ({sidecar}); the "
                               "sidecar is followed").format(title=names[code], code=sidecar,
                                                              sidecar=names[sidecar]), file=info.file,
                             sheet=table.grid.sheet, cell=table.ref(min(table.header_rows), table.label_col))
        return sidecar
    if len(named) == 1:
        return next(iter(named))
    if len(named) > 1:
        findings.add("error", "province_mismatch",
                     _("the titles name several provinces ({provinces}); set province_code in the sidecar").format(
                         provinces=enumerate_names(names[c] for c in sorted(named))), file=info.file)
        return ""
    inferred = reference.infer_province(_district_labels(found))
    if inferred is None and any(found.values()):
        findings.add("error", "province_unknown",
                     _("nothing says which province this source is about (no province_code in the sidecar, no "
                       "'tỉnh …' in a table title, no known district names); add province_code to the sidecar, "
                       "e.g. \"province_code\": \"10\" for {example}").format(
                         example=names.get("10", "Tỉnh Lào Cai")), file=info.file)
    return inferred or ""


def check_validity(info: SourceInfo, province_code: str, reference: Reference, findings: Findings) -> None:
    """Warn when the source is dated after the last day of the gazetteer's units
    (30 June 2025 for the 2021 list): its units may be the new ones."""
    valid_to = reference.valid_to(province_code) if province_code else ""
    date = str(info.document_date or "")
    if valid_to and date and date[:10] > valid_to:
        findings.add("warning", "units_validity",
                     _("the document is dated {date}, after {valid_to}, the last day of the 2021 list of districts "
                       "and communes; its units may be the new ones, which the gazetteer does not hold").format(
                         date=date[:10], valid_to=valid_to),
                     file=info.file)


#: Above this many provinces to take out of the tables (their workbooks to write, their
#: analyses to compute), the tables are split by province in one pass (``split_provinces``);
#: fewer are taken one by one (``one_province``).
SPLIT_AT = 4


#: The unit system whose provinces a key names with a prefix ("2025-15"); a key without
#: one is a 2021 GSO code ("15": old Yên Bái), as every key was before the 2025 reform.
PREFIXED = "2025"
#: Outputs whose ``province_code`` is always a province of 2025 (their ``units`` says which
#: system the rolled-up data were in, not which province the code is).
KEYED_2025 = ("province_timeline",)


def province_key(code: str, units: str | None = None) -> str:
    """A province's key in a build: its code, prefixed by its unit system when that is 2025
    ("15" is old Yên Bái, "2025-15" new Lào Cai): a code alone is ambiguous across the reform."""
    return f"{PREFIXED}-{code}" if units == PREFIXED else code


def key_parts(key: str) -> tuple[str, str]:
    """(units, code) of a ``province_key``: ("2025", "15") or ("2021", "15")."""
    units, sep, code = key.rpartition("-")
    return (units, code) if sep else ("2021", key)


def province_label(key: str, reference: Reference) -> str:
    """A province's name for a reader: the 2021 gazetteer's for a 2021 key, the 2025 list's
    with "(units of 2025)" for a 2025 key (a name alone may be either: Lào Cai)."""
    units_of, code = key_parts(key)
    if units_of != PREFIXED:
        return reference.area_name(code)

    return _("{province} (units of 2025)").format(province=units.province_name(code, PREFIXED) or code)


def keys_of(frame: pd.DataFrame, name: str = "") -> pd.Series:
    """Each row's ``province_key``: from ``province_code`` and, where the table has one, its
    ``units`` (blank: 2021); every row of a ``KEYED_2025`` output is of its 2025 province."""
    codes = frame["province_code"].astype("str")
    if name in KEYED_2025:
        return PREFIXED + "-" + codes
    if "units" not in frame:
        return codes
    return codes.where(frame["units"].astype("str").ne(PREFIXED).fillna(True).astype(bool), PREFIXED + "-" + codes)


def provinces_in(tables: TidyTables) -> list[str]:
    """The province keys (``province_key``) present in the tidy tables, sorted."""
    codes: set[str] = set()
    for _name, frame in tables.items():
        if "province_code" in frame:
            codes.update(str(c) for c in keys_of(frame[frame.province_code.notna()]).unique())
    return sorted(codes)


def one_province(tables: TidyTables, code: str) -> TidyTables:
    """The rows of one province (``code``: its ``province_key``), in every tidy table."""
    return TidyTables(**{name: frame[(keys_of(frame) == code).to_numpy(dtype=bool)].reset_index(drop=True)
                         for name, frame in tables.items()})


def split_provinces(tables: TidyTables) -> dict[str, TidyTables]:
    """Every province's rows (``one_province`` of each key of ``provinces_in``), from one
    pass over each table: a national set is split in time linear in its rows."""
    codes = provinces_in(tables)
    groups = {name: dict(iter(frame.groupby(keys_of(frame), sort=False))) for name, frame in tables.items()}
    return {code: TidyTables(**{name: (groups[name][code] if code in groups[name] else frame.iloc[0:0])
                                .reset_index(drop=True) for name, frame in tables.items()})
            for code in codes}


def province_of_interest(tables: TidyTables, among: set[str] | None = None) -> str | None:
    """The key of the province with the most sources (the lowest key on a tie); None without
    data. A province of 2025 counts its own sources and those of the 2021 provinces it was
    made from (their history is rolled onto it): with new Lào Cai's 2026 table and old Lào
    Cai's and old Yên Bái's 2020 tables, new Lào Cai ("2025-15"). ``among``: only these keys
    are candidates (when it holds any of the data's keys)."""
    sources: dict[str, set[str]] = {}
    for _name, frame in tables.items():
        for code, source in zip(keys_of(frame), frame.source_id):
            if isinstance(code, str) and code:
                sources.setdefault(code, set()).add(str(source))
    if not sources:
        return None
    if any(key_parts(k)[0] == PREFIXED for k in sources):

        for key in [k for k in sources if key_parts(k)[0] == PREFIXED]:
            for old in units.predecessor_provinces(key_parts(key)[1]):
                sources[key] |= sources.get(old, set())
    candidates = [c for c in sources if among is None or c in among] or list(sources)
    return min(candidates, key=lambda c: (-len(sources[c]), c))


def split_results(results: dict[str, pd.DataFrame], codes: list[str]) -> dict[str, dict[str, pd.DataFrame]]:
    """``results_of`` of each province key, from one pass over each output."""
    out: dict[str, dict[str, pd.DataFrame]] = {code: {} for code in codes}
    for name, frame in results.items():
        groups = dict(iter(frame.groupby(keys_of(frame, name), sort=False))) if "province_code" in frame else {}
        for code in codes:
            if "province_code" not in frame:
                out[code][name] = frame
            else:
                part = groups[code] if code in groups else frame.iloc[0:0]
                out[code][name] = part.drop(columns="province_code").reset_index(drop=True)
    return out


def results_of(results: dict[str, pd.DataFrame], code: str) -> dict[str, pd.DataFrame]:
    """The analyses' rows of one province (``code``: its ``province_key``; outputs without a
    province column are kept whole)."""
    return {name: (frame[(keys_of(frame, name) == code).to_numpy(dtype=bool)].drop(columns="province_code")
                   .reset_index(drop=True)
                   if "province_code" in frame else frame) for name, frame in results.items()}
