"""The national criteria sets for communes as versioned data (``reference/criteria_sets.csv``,
``reference/criteria.csv``): 2016–2020 (QĐ 1980/QĐ-TTg, 19 criteria), 2021–2025 (QĐ 318/QĐ-TTg,
the same 19 positions, four renamed) and 2026–2030 (QĐ 51/2025/QĐ-TTg, 10 criteria).

A set knows how many criteria it has: a commune is NTM when every criterion of its set is
met, and readiness, bands and averages follow that count, never a fixed 19. Across sets,
2016–2020 and 2021–2025 compare criterion by number (the renamed ones noted); the 19 and the
10 criteria never compare criterion by criterion (:func:`comparable`); NTM status and counts
compare across all.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from .config import REFERENCE_DIR
from .text import fold


@dataclass(frozen=True)
class CriteriaSet:
    """One national set: its id ("2026-2030"), decision, years in force, criteria (id -> name)
    and the bands of criteria met its tables use (high, low)."""

    name: str
    decision: str
    first_year: int
    last_year: int
    criteria: dict[int, str]
    criteria_en: dict[int, str]
    bands: tuple[tuple[int, int], ...]

    @property
    def count(self) -> int:
        """How many criteria the set has (19 or 10)."""
        return len(self.criteria)


def _bands(text: str) -> tuple[tuple[int, int], ...]:
    out = []
    for part in text.split(";"):
        low, _sep, high = part.partition("-")
        out.append((int(low), int(high or low)))
    return tuple((min(a, b), max(a, b)) for a, b in out)


@lru_cache(maxsize=1)
def criteria_sets() -> dict[str, CriteriaSet]:
    """Every set, by id, in the order of ``criteria_sets.csv``."""
    sets = pd.read_csv(REFERENCE_DIR / "criteria_sets.csv", dtype=str, keep_default_na=False)
    crit = pd.read_csv(REFERENCE_DIR / "criteria.csv", dtype=str, keep_default_na=False)
    out = {}
    for row in sets.itertuples():
        mine = crit[crit.criteria_set == row.criteria_set]
        ids = mine.criterion_id.astype(int)
        out[row.criteria_set] = CriteriaSet(
            row.criteria_set, row.decision, int(row.first_year), int(row.last_year),
            dict(zip(ids, mine.criterion)), dict(zip(ids, mine.criterion_en)), _bands(row.bands))
        if out[row.criteria_set].count != int(row.criteria):
            raise ValueError(f"criteria.csv has {len(mine)} criteria for {row.criteria_set}, not {row.criteria}")
    return out


def get(name: str) -> CriteriaSet:
    """The set ``name`` ("2016-2020", "2021-2025", "2026-2030")."""
    return criteria_sets()[name]


def in_force(year: int) -> CriteriaSet:
    """The set in force for ``year`` (before the first: the first; after the last: the last)."""
    sets = list(criteria_sets().values())
    for s in sets:
        if s.first_year <= year <= s.last_year:
            return s
    return sets[0] if year < sets[0].first_year else sets[-1]


def for_columns(ids: set[int], year: int) -> CriteriaSet | None:
    """The set a table's criterion columns (``ids``) belong to: the one in force for
    ``year`` when it has exactly those criteria, else the one set that has them (the
    19-criteria sets share their ids: the earlier in force wins). None when no set has
    exactly these criteria."""
    here = in_force(year)
    if set(here.criteria) == ids:
        return here
    fitting = [s for s in criteria_sets().values() if set(s.criteria) == ids]
    if not fitting:
        return None
    before = [s for s in fitting if s.first_year <= year]
    return before[-1] if before else fitting[0]


def criterion_by_name(name: str, set_name: str) -> int | None:
    """A criterion id of ``set_name`` whose name equals ``name`` (folded)."""
    target = fold(name)
    for cid, text in get(set_name).criteria.items():
        if fold(text) == target:
            return cid
    return None


def comparable(a: str, b: str) -> tuple[bool, tuple[int, ...]]:
    """Whether criterion ``n`` of set ``a`` compares with criterion ``n`` of set ``b``, and
    the numbers whose names differ between them (renamed: noted wherever they are compared).
    Sets of different sizes never compare criterion by criterion."""
    sa, sb = get(a), get(b)
    if sa.count != sb.count:
        return False, ()
    renamed = tuple(c for c in sa.criteria if fold(sa.criteria[c]) != fold(sb.criteria.get(c, "")))
    return True, renamed
