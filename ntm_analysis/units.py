"""Administrative units as dated reference data: the 2021 system (GSO list of
2021-02-03: 63 provinces, districts, 10,603 communes, wards and towns) and the
2025 system (from 1 July 2025: 34 provinces, no districts, 3,321 communes, wards
and special zones), with the official conversion of each unit of mid-2025 into
its successor(s) and, for the 2021 units merged in 2023–2025 before the reform,
where each went when a source says so.

Everything here is loaded lazily (on first call, then kept): reading a 2021
plan never opens the 2025 files. Codes are text ("02647"). A code alone does
not say its system: "02647" is Phường Kim Tân in 2021 and Phường Lào Cai in 2025,
"15" Yên Bái before the reform and Lào Cai after it; every frame carries which.

``change``: ``whole`` (the unit went whole into one new unit), ``part`` (it was
split: every new unit that took a part is listed), ``unchanged`` (kept, renamed or
retyped), ``unknown`` (merged before the reform with no sourced successor; never
dropped, never guessed).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .config import OFFICE_CHANGES_FILE, REFERENCE_DIR
from .i18n import _
from .text import clean_text, fold

#: The first day of the 2025 units (Nghị quyết 202/2025/QH15; two-tier local government).
REFORM_DATE = "2025-07-01"
SYSTEMS = ("2021", "2025")
SUCCESSOR_COLUMNS = ["commune_code", "commune", "province_code", "code_2025", "commune_2025",
                     "province_code_2025", "change", "via_code", "basis"]
#: OFFICE_CHANGES_FILE (``config``): an office's own known changes, a CSV in data/raw (README, "Units").
__all__ = ["OFFICE_CHANGES_FILE"]
OFFICE_CHANGES_COLUMNS = ("commune_code", "code_before", "source")


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE_DIR / name, dtype=str, keep_default_na=False, encoding="utf-8")


@lru_cache(maxsize=1)
def units_2021() -> pd.DataFrame:
    """Every unit of the GSO list of 2021-02-03: province_code, province,
    district_code, district, commune_code, commune, unit_type (Xã, Phường, Thị trấn)."""
    return _read("units_2021.csv.gz")


@lru_cache(maxsize=1)
def units_2025() -> pd.DataFrame:
    """Every unit from 1 July 2025: province_code, province, commune_code, commune,
    unit_type (Xã, Phường, Đặc khu)."""
    return _read("units_2025.csv.gz")


@lru_cache(maxsize=1)
def provinces_2025() -> pd.DataFrame:
    """The 34 provinces from 1 July 2025: province_code, province, province_en (its English
    form, as districts.csv's ``area_en``), predecessors (the 2021 province codes, ";"-joined)."""
    return _read("provinces_2025.csv")


@lru_cache(maxsize=1)
def conversion() -> pd.DataFrame:
    """The official conversion table, one row per unit of mid-2025 and successor:
    code_before, commune_before, district_code_before, province_code_before,
    code_2025, commune_2025, province_code_2025, change, note (the table's words)."""
    return _read("conversion_2025.csv.gz")


@lru_cache(maxsize=1)
def merged_before_reform() -> pd.DataFrame:
    """The 2021 units without a row in the conversion table (merged in 2023–2025):
    commune_code, code_before (the unit it went into, blank when unknown), basis."""
    return _read("merged_2021_2025.csv.gz")


def predecessor_provinces(province_code_2025: str) -> tuple[str, ...]:
    """The 2021 province codes a 2025 province was made of ("15" -> ("10", "15"))."""
    row = provinces_2025()[provinces_2025().province_code == province_code_2025]
    return tuple(row.predecessors.iloc[0].split(";")) if len(row) else ()


@lru_cache(maxsize=1)
def _provinces_2021_en() -> pd.DataFrame:
    """The 2021 provinces' rows of districts.csv (province_code, area_en: "Lào Cai province")."""
    frame = _read("districts.csv")
    return frame[frame.area_code == frame.province_code][["province_code", "area_en"]]


def province_name(code: str, system: str, lang: str = "vi") -> str | None:
    """The official name of a province code in ``system`` ("2021" or "2025"); in English
    (``lang`` "en") the form the rest of the English output uses ("Lào Cai province",
    "Hà Nội city": ``area_en`` of districts.csv for 2021, ``province_en`` of provinces_2025.csv)."""
    if lang == "en":
        if system == "2025":
            frame, column = provinces_2025(), "province_en"
        else:
            frame, column = _provinces_2021_en(), "area_en"
        hit = frame[frame.province_code == code]
        return str(hit[column].iloc[0]) if len(hit) else None
    frame = provinces_2025() if system == "2025" else units_2021().drop_duplicates("province_code")
    hit = frame[frame.province_code == code]
    return str(hit.province.iloc[0]) if len(hit) else None


def system_of_date(date: str | None) -> str | None:
    """The unit system in force on ``date`` (YYYY-MM-DD or YYYY-MM): 2025 from 1 July 2025."""
    if not date:
        return None
    return "2025" if str(date)[:10] >= REFORM_DATE[: len(str(date)[:10])] else "2021"


@dataclass(frozen=True)
class OfficeChange:
    """One row of an office's own changes file that was accepted or refused."""

    commune_code: str
    code_before: str
    source: str
    row: int


def read_office_changes(path: Path, findings) -> pd.DataFrame:
    """An office's known changes (``units-changes.csv``: commune_code of the 2021
    unit, code_before of the unit of mid-2025 it went into, source). A row that
    names an unknown code, or a unit the official table already converts
    (the official table wins), is a finding naming the row; the rest are returned
    in the form of :func:`merged_before_reform` (basis = the row's source)."""
    where = {"file": path.name}
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        findings.add("error", "office_changes", _("the office's unit changes cannot be read as a UTF-8 CSV: "
                                                  "{problem}").format(problem=exc), **where)
        return merged_before_reform().iloc[0:0]
    missing = [c for c in OFFICE_CHANGES_COLUMNS if c not in frame.columns]
    if missing:
        findings.add("error", "office_changes", _("the office's unit changes need the columns {columns}").format(
            columns=", ".join(OFFICE_CHANGES_COLUMNS)), **where)
        return merged_before_reform().iloc[0:0]
    known_2021 = set(units_2021().commune_code)
    official = set(conversion().code_before)
    rows = []
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        code, before = clean_text(row.commune_code).zfill(5), clean_text(row.code_before).zfill(5)
        cell = {"file": path.name, "cell": _("row {row}").format(row=i)}
        if code not in known_2021:
            findings.add("error", "office_changes", _("{code} is not a unit of the GSO list of 2021").format(
                code=code), **cell)
        elif code in official:
            findings.add("warning", "office_changes", _("{code} ({name}) is in the official conversion table; "
                                                        "the office's change to {before} is not used").format(
                code=code, name=unit_name_2021(code), before=before), **cell)
        elif before not in official:
            findings.add("error", "office_changes", _("{before} is not a unit of the official conversion table "
                                                      "(the units just before 1 July 2025)").format(before=before),
                         **cell)
        else:
            rows.append({"commune_code": code, "code_before": before,
                         "basis": clean_text(row.source) or path.name})
    return pd.DataFrame(rows, columns=["commune_code", "code_before", "basis"])


def unit_name_2021(code: str) -> str | None:
    """The 2021 name of a 2021 commune code."""
    hit = units_2021()[units_2021().commune_code == code]
    return str(hit.commune.iloc[0]) if len(hit) else None


def successors(office: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every 2021 unit with its 2025 successor(s), one row per pair (columns
    ``SUCCESSOR_COLUMNS``): from the official table when it lists the unit; through
    the unit it merged into before the reform when a source (or the office's
    ``office`` frame, which takes precedence over the packaged ones) says which,
    the change then being that unit's; else one row with change ``unknown`` and
    blank successors."""
    units = units_2021()[["commune_code", "commune", "province_code"]]
    conv = conversion()[["code_before", "code_2025", "commune_2025", "province_code_2025", "change"]]
    direct = units.merge(conv, left_on="commune_code", right_on="code_before").drop(columns="code_before")
    direct = direct.assign(via_code="", basis="conversion")
    merged = merged_before_reform()
    if office is not None and len(office):
        merged = pd.concat([office, merged[~merged.commune_code.isin(office.commune_code)]], ignore_index=True)
    rest = units[~units.commune_code.isin(conv.code_before)].merge(merged, on="commune_code", how="left")
    rest["code_before"] = rest.code_before.fillna("")
    rest["basis"] = rest.basis.fillna("")
    via = rest[rest.code_before != ""].merge(conv, on="code_before").rename(columns={"code_before": "via_code"})
    unknown = rest[~rest.commune_code.isin(via.commune_code)].assign(
        code_2025="", commune_2025="", province_code_2025="", change="unknown", via_code="", basis="")
    out = pd.concat([direct, via, unknown], ignore_index=True)[SUCCESSOR_COLUMNS]
    return out.sort_values(["commune_code", "code_2025"], ignore_index=True)


def select(frame: pd.DataFrame, wanted: list[str], code_col: str, name_col: str) -> pd.DataFrame:
    """The rows of ``frame`` whose code is in ``wanted`` or whose name equals one
    (accents, case and the "Xã"/"Phường"/"Thị trấn" prefix ignored)."""
    if not wanted:
        return frame
    codes = {w.strip().zfill(5) for w in wanted if w.strip().isdigit()}
    names = {bare(w) for w in wanted if not w.strip().isdigit()}
    return frame[frame[code_col].isin(codes) | frame[name_col].map(bare).isin(names)]


def bare(name: object) -> str:
    """A unit name folded and without its type ("Xã Bát Xát" -> "bat xat")."""
    text = fold(name)
    for prefix in ("xa ", "phuong ", "thi tran ", "dac khu "):
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def predecessors(office: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every 2025 unit with the 2021 units it was made of (the reverse of
    :func:`successors`): code_2025, commune_2025, province_code_2025,
    commune_code, commune, province_code, change, via_code, basis."""
    out = successors(office)
    out = out[out.code_2025 != ""]
    cols = ["code_2025", "commune_2025", "province_code_2025", "commune_code", "commune", "province_code",
            "change", "via_code", "basis"]
    return out[cols].sort_values(["province_code_2025", "code_2025", "commune_code"], ignore_index=True)
