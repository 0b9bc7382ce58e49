"""The tidy tables: their columns, their dtypes, and how rows become frames.

Every table carries two provenance columns after its own: ``source_id`` (the
raw file, listed in ``sources.csv``) and ``cell`` (``Sheet!A1`` of the value
in a workbook; in a document its own terms, "Bảng 2, hàng 5, cột 3",
"trang 14, bảng 1, hàng 5, cột 3", "dòng 305"), so any figure traces back to
its file and place.
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
    # targets stated in the plan's text (cell = the paragraph; quote = the phrase, <= 200 characters)
    "narrative_targets": {"year": "Int64", "status": "str", "indicator": "str", "criterion_id": "Int64",
                          "value": "float64", "value_max": "float64", "unit": "str"},
    # communes the text names as targets, matched to the GSO gazetteer (match: exact | near | none)
    "target_communes": {"year": "Int64", "commune_as_written": "str", "district_code": "str",
                        "commune_code": "str", "commune": "str", "match": "str"},
}
#: The tables read from a document's text (empty for a workbook).
FROM_TEXT = ("narrative_targets", "target_communes")
#: Columns after the provenance columns (only the narrative's quote).
TRAILING: dict[str, dict[str, str]] = {"narrative_targets": {"quote": "str"}}
#: Columns that identify one figure (the keys used to find conflicts between sources).
KEYS: dict[str, list[str]] = {
    "criteria": ["year", "status", "criterion_id"],
    "commune_bands": ["year", "status", "band"],
    "province": ["year", "status", "indicator"],
    "districts": ["year", "status", "area_code", "indicator"],
    "funding": ["year", "status", "code"],
    "narrative_targets": ["year", "status", "indicator", "criterion_id"],
    "target_communes": ["year", "district_code", "commune_as_written"],
}
#: The column holding each table's figure.
VALUE_COLUMN = {"criteria": "communes", "commune_bands": "communes", "province": "value",
                "districts": "value", "funding": "amount_million_vnd", "narrative_targets": "value",
                "target_communes": "commune_code"}


def all_columns(table: str) -> dict[str, str]:
    """Every column of ``table`` with its dtype, in output order."""
    return COLUMNS[table] | {c: "str" for c in PROVENANCE} | TRAILING.get(table, {})


def empty_frame(table: str) -> pd.DataFrame:
    cols = all_columns(table)
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in cols.items()})


def frame_from_rows(table: str, rows: list[dict]) -> pd.DataFrame:
    """Rows (dicts) -> a frame with exactly the table's columns and dtypes."""
    if not rows:
        return empty_frame(table)
    cols = all_columns(table)
    frame = pd.DataFrame(rows).reindex(columns=list(cols))
    for col, dtype in cols.items():
        if dtype == "Int64":
            frame[col] = pd.array(frame[col].astype("float64"), dtype="Int64")
        else:
            frame[col] = frame[col].astype(dtype)
    return frame


@dataclass
class TidyTables:
    """The tidy tables of one or more sources (see ``COLUMNS``): the five
    read from the appendix tables, and the two read from the text (empty for
    a workbook)."""

    criteria: pd.DataFrame
    commune_bands: pd.DataFrame
    province: pd.DataFrame
    districts: pd.DataFrame
    funding: pd.DataFrame
    narrative_targets: pd.DataFrame = field(default_factory=lambda: empty_frame("narrative_targets"))
    target_communes: pd.DataFrame = field(default_factory=lambda: empty_frame("target_communes"))

    @classmethod
    def empty(cls) -> "TidyTables":
        return cls(**{f.name: empty_frame(f.name) for f in fields(cls)})

    def items(self):
        return [(f.name, getattr(self, f.name)) for f in fields(self)]

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
        for name in COLUMNS:
            path = Path(folder) / f"{name}.csv"
            if not path.exists() and name in FROM_TEXT:
                frames[name] = empty_frame(name)  # written before these tables existed
                continue
            dtypes = {c: ("boolean" if d == "bool" else d) for c, d in all_columns(name).items()}
            frame = pd.read_csv(path, dtype=dtypes, keep_default_na=True, encoding="utf-8")
            if "is_leaf" in frame:
                frame["is_leaf"] = frame["is_leaf"].astype("bool")
            frames[name] = frame
        return cls(**frames)
