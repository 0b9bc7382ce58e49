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

import numpy as np
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


#: The tables of the appendix's figures (Biểu 01–03), the ones a scan's reading may doubt and an
#: analyst's review may correct.
APPENDIX_TABLES = ("criteria", "commune_bands", "province", "districts", "funding")


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

    def rows_at(self, cell: str) -> list[tuple[str, int]]:
        """(table, row position) of the figure rows (``APPENDIX_TABLES``) read from ``cell``."""
        out = []
        for name in APPENDIX_TABLES:
            frame = getattr(self, name)
            if len(frame):
                out.extend((name, int(i)) for i in (frame.cell.astype(str) == cell).to_numpy().nonzero()[0])
        return out

    @classmethod
    def concat(cls, many: list["TidyTables"]) -> "TidyTables":
        """The tables of several sources stacked in the order given (each source's rows in
        their order, a fresh 0..n-1 index), as ``pd.concat`` stacks them. Tables that have
        the same columns and dtypes in every source (as ``frame_from_rows`` makes them) are
        stacked column by column from their plain arrays: a build of hundreds of cached
        sources never rebuilds their small frames one by one."""
        if not many:
            return cls.empty()
        return cls(**{name: stack([t._plain_table(name) for t in many]) for name in COLUMNS})

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

    # Pickled (the build's cache, the reading processes) as plain arrays: numpy arrays, and
    # object arrays for pandas' own dtypes, with the dtypes. A frame is made again only when
    # it is asked for; ``concat`` stacks the arrays themselves.
    def __getstate__(self) -> dict:
        return {"plain": {f.name: self._plain_table(f.name) for f in fields(self)}}

    def __setstate__(self, state: dict) -> None:
        if "plain" in state:
            self.__dict__["_plain"] = dict(state["plain"])
        else:  # pickled as frames (before plain arrays)
            self.__dict__.update(state)

    def __getattr__(self, name: str):  # a table not yet made again from its plain arrays
        plain = self.__dict__.get("_plain")
        if plain is None or name not in plain:
            raise AttributeError(name)
        frame = self.__dict__[name] = from_plain(plain.pop(name))
        return frame

    def _plain_table(self, name: str) -> tuple[tuple, list[np.ndarray]]:
        plain = self.__dict__.get("_plain")
        if plain is not None and name in plain:
            return plain[name]
        return to_plain(getattr(self, name))


def to_plain(frame: pd.DataFrame) -> "tuple[tuple, list[np.ndarray]] | pd.DataFrame":
    """((column, dtype) pairs, one array per column): numpy columns as they are, the others
    (str, Int64, boolean …) as object arrays of their values (blanks as pandas gives them).
    A frame whose index is not 0..n-1 or whose column names repeat stays a frame; a plain
    form is returned as it is."""
    if not isinstance(frame, pd.DataFrame):
        return frame
    if not (frame.columns.is_unique and isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0
            and frame.index.step == 1 and not isinstance(frame.columns, pd.MultiIndex)):
        return frame
    spec = tuple((col, dtype) for col, dtype in frame.dtypes.items())
    arrays = [np.asarray(series.array) if isinstance(dtype, np.dtype) else np.asarray(series.array, dtype=object)
              for (_col, series), (_c, dtype) in zip(frame.items(), spec)]
    return spec, arrays


def from_plain(plain: "tuple[tuple, list[np.ndarray]] | pd.DataFrame") -> pd.DataFrame:
    """The frame ``to_plain`` took apart: the same columns, dtypes and values, index 0..n-1."""
    if isinstance(plain, pd.DataFrame):
        return plain
    spec, arrays = plain
    return pd.DataFrame({col: values if isinstance(dtype, np.dtype) else pd.array(values, dtype=dtype)
                         for (col, dtype), values in zip(spec, arrays)}, columns=pd.Index([col for col, _d in spec]))


def stack(parts: list) -> pd.DataFrame:
    """``pd.concat(frames, ignore_index=True)`` of frames and/or their ``to_plain`` forms. When
    all have the same columns and dtypes, the arrays are stacked column by column and one
    frame is made (not hundreds of small ones, then pandas' planning of their blocks)."""
    plains = [to_plain(part) if isinstance(part, pd.DataFrame) else part for part in parts]
    first = plains[0]
    if any(isinstance(part, pd.DataFrame) for part in plains) or any(part[0] != first[0] for part in plains[1:]):
        return pd.concat([from_plain(part) for part in parts], ignore_index=True)
    return from_plain((first[0], [np.concatenate([part[1][i] for part in plains]) for i in range(len(first[0]))]))


def plain_len(part) -> int:
    """The number of rows of a frame or of its ``to_plain`` form."""
    if isinstance(part, pd.DataFrame):
        return len(part)
    return len(part[1][0]) if part[1] else 0
