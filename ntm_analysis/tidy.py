"""The tidy tables: their columns, their dtypes, and how rows become frames.

Every table carries two provenance columns after its own: ``source_id`` (the
raw file, listed in ``sources.csv``) and ``cell`` (``Sheet!A1`` of the value),
so any figure traces back to its file, sheet and cell.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

import pandas as pd

PROVENANCE = ["source_id", "cell"]

#: Column name -> dtype, in output order (provenance columns follow).
COLUMNS: dict[str, dict[str, str]] = {
    "criteria": {"year": "int64", "status": "str", "criteria_set": "str", "criterion_id": "int64",
                 "criterion": "str", "group": "str", "communes": "Int64", "total_communes": "Int64",
                 "share": "float64"},
    "commune_bands": {"year": "int64", "status": "str", "band": "str", "min_criteria": "int64",
                      "max_criteria": "int64", "communes": "Int64"},
    "province": {"year": "int64", "status": "str", "indicator": "str", "value": "float64", "unit": "str"},
    "districts": {"year": "int64", "status": "str", "area_code": "str", "area": "str", "indicator": "str",
                  "value": "float64", "unit": "str"},
    "funding": {"year": "int64", "status": "str", "code": "str", "parent_code": "str", "level": "int64",
                "source": "str", "amount_million_vnd": "float64", "is_leaf": "bool",
                "share_of_total": "float64"},
    # commune level: one row per commune, criterion and period (``met`` blank = not assessed)
    "commune_criteria": {"year": "int64", "status": "str", "commune_code": "str", "commune": "str",
                         "district_code": "str", "criterion_id": "int64", "criterion_met": "boolean"},
    "commune_years": {"year": "int64", "status": "str", "commune_code": "str", "recognised_year": "Int64",
                      "planned_year": "Int64"},
}
#: Tables that only commune-level sources give: written only when they hold rows.
OPTIONAL_TABLES = ("commune_criteria", "commune_years")
#: Columns that identify one figure (the keys used to find conflicts between sources).
KEYS: dict[str, list[str]] = {
    "criteria": ["year", "status", "criterion_id"],
    "commune_bands": ["year", "status", "band"],
    "province": ["year", "status", "indicator"],
    "districts": ["year", "status", "area_code", "indicator"],
    "funding": ["year", "status", "code"],
    "commune_criteria": ["year", "status", "commune_code", "criterion_id"],
    "commune_years": ["year", "status", "commune_code"],
}
#: The column holding each table's figure.
VALUE_COLUMN = {"criteria": "communes", "commune_bands": "communes", "province": "value",
                "districts": "value", "funding": "amount_million_vnd", "commune_criteria": "criterion_met",
                "commune_years": "recognised_year"}


def empty_frame(table: str) -> pd.DataFrame:
    cols = COLUMNS[table] | {c: "str" for c in PROVENANCE}
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in cols.items()})


def frame_from_rows(table: str, rows: list[dict]) -> pd.DataFrame:
    """Rows (dicts) -> a frame with exactly the table's columns and dtypes."""
    if not rows:
        return empty_frame(table)
    cols = COLUMNS[table] | {c: "str" for c in PROVENANCE}
    frame = pd.DataFrame(rows).reindex(columns=list(cols))
    for col, dtype in cols.items():
        if dtype == "Int64":
            frame[col] = pd.array(frame[col].astype("float64"), dtype="Int64")
        else:
            frame[col] = frame[col].astype(dtype)
    return frame


@dataclass
class TidyTables:
    """The tidy tables of one or more sources (see ``COLUMNS``)."""

    criteria: pd.DataFrame
    commune_bands: pd.DataFrame
    province: pd.DataFrame
    districts: pd.DataFrame
    funding: pd.DataFrame
    commune_criteria: pd.DataFrame = field(default_factory=lambda: empty_frame("commune_criteria"))
    commune_years: pd.DataFrame = field(default_factory=lambda: empty_frame("commune_years"))

    @classmethod
    def empty(cls) -> "TidyTables":
        return cls(**{f.name: empty_frame(f.name) for f in fields(cls)})

    def items(self) -> list[tuple[str, pd.DataFrame]]:
        """(name, frame) of every table, the optional ones only when they hold rows."""
        return [(f.name, getattr(self, f.name)) for f in fields(self)
                if f.name not in OPTIONAL_TABLES or len(getattr(self, f.name))]

    def as_dict(self) -> dict[str, pd.DataFrame]:
        return dict(self.items())

    @classmethod
    def concat(cls, many: list["TidyTables"]) -> "TidyTables":
        if not many:
            return cls.empty()
        return cls(**{name: pd.concat([getattr(t, name) for t in many], ignore_index=True)
                      for name in COLUMNS})

    @classmethod
    def read_csv(cls, folder: Path) -> "TidyTables":
        """Read the tidy CSV files written by ``tidy``/``build`` back, with their dtypes."""
        frames = {}
        for name, cols in COLUMNS.items():
            dtypes = {c: ("boolean" if d == "bool" else d) for c, d in cols.items()} | {c: "str" for c in PROVENANCE}
            path = Path(folder) / f"{name}.csv"
            if not path.exists():  # a folder written before this table existed
                frames[name] = empty_frame(name)
                continue
            frame = pd.read_csv(path, dtype=dtypes, keep_default_na=True, encoding="utf-8")
            if "is_leaf" in frame:
                frame["is_leaf"] = frame["is_leaf"].astype("bool")
            frames[name] = frame
        return cls(**frames)
