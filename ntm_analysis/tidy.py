"""The tidy tables as frames: how rows become frames, and the five tables together.

Columns, dtypes, keys and value columns are declared once, in ``schemas.TABLES``.

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

from .schemas import SOURCE_TABLES, TABLES

PROVENANCE = ["source_id", "cell"]

#: Column name -> dtype, in output order (provenance columns follow), as ``schemas.TABLES`` declares.
DECLARED: dict[str, dict[str, str]] = {name: {col: c.dtype for col, c in table.columns.items()}
                                       for name, table in TABLES.items()}
#: The same for the tables read from sources (those of ``TidyTables``; not the derived ``province_overview``).
COLUMNS: dict[str, dict[str, str]] = {name: DECLARED[name] for name in SOURCE_TABLES}
#: Columns that identify one figure (the keys used to find conflicts between sources).
KEYS: dict[str, list[str]] = {name: list(table.keys) for name, table in TABLES.items()}
#: The column holding each table's figure.
VALUE_COLUMN: dict[str, str] = {name: table.value for name, table in TABLES.items()}
#: Columns after the provenance columns (the narrative's quote), as ``schemas.TABLES`` declares.
TRAILING: dict[str, dict[str, str]] = {name: {col: c.dtype for col, c in table.trailing.items()}
                                       for name, table in TABLES.items() if table.trailing}
#: The tables read from a document's text (empty for a workbook).
FROM_TEXT = ("narrative_targets", "target_communes")


def all_columns(table: str) -> dict[str, str]:
    """Every column of ``table`` with its dtype, in output order."""
    return DECLARED[table] | {c: "str" for c in PROVENANCE} | TRAILING.get(table, {})
#: Tables that only commune-level sources give: written only when they hold rows.
OPTIONAL_TABLES = ("commune_criteria", "commune_years")


def empty_frame(table: str) -> pd.DataFrame:
    """A frame of ``table`` with no rows: its columns and dtypes."""
    cols = all_columns(table)
    return pd.DataFrame({c: pd.array([], dtype=d) for c, d in cols.items()})


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
    """The tidy tables of one or more sources (see ``COLUMNS``): the five read from
    the appendix tables, the two read from a document's text (empty for a workbook)
    and the two of a commune criteria table (optional)."""

    criteria: pd.DataFrame
    commune_bands: pd.DataFrame
    province: pd.DataFrame
    districts: pd.DataFrame
    funding: pd.DataFrame
    narrative_targets: pd.DataFrame = field(default_factory=lambda: empty_frame("narrative_targets"))
    target_communes: pd.DataFrame = field(default_factory=lambda: empty_frame("target_communes"))
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
        for name in COLUMNS:
            path = Path(folder) / f"{name}.csv"
            if not path.exists() and name in FROM_TEXT + OPTIONAL_TABLES:
                frames[name] = empty_frame(name)  # written before these tables existed, or optional
                continue
            dtypes = {c: ("boolean" if d == "bool" else d) for c, d in all_columns(name).items()}
            frame = pd.read_csv(path, dtype=dtypes, keep_default_na=True, encoding="utf-8")
            if "is_leaf" in frame:
                frame["is_leaf"] = frame["is_leaf"].astype("bool")
            frames[name] = frame
        return cls(**frames)
