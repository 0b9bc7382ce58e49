"""The communes (xã) of the NTM programme in 2021, from ``reference/communes.csv``,
and the matching of a commune name as written to its GSO code.

Matching happens within one district, as the names repeat across districts:
- ``exact``: equal after NFC normalisation and case folding (the "Xã " prefix
  ignored);
- ``near``: equal once tone marks are removed, or within two letters of exactly
  one commune of the district. Always reported (a warning naming both spellings);
- ``none``: anything else; the closest names of the district are offered.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from ..config import REFERENCE_DIR
from ..text import clean_text, fold

COMMUNES_FILE = REFERENCE_DIR / "communes.csv"
#: Most letters a name may differ by and still be a near match.
NEAR_LETTERS = 2
_PREFIX = re.compile(r"^(xã|xa)\s+", re.IGNORECASE)


@lru_cache(maxsize=1)
def communes() -> pd.DataFrame:
    """Every commune of the programme in 2021: province_code, district_code,
    commune_code, commune, code_2025, commune_2025 (codes as text)."""
    return pd.read_csv(COMMUNES_FILE, dtype=str, keep_default_na=False, encoding="utf-8")


def communes_of(province_code: str) -> pd.DataFrame:
    """The communes of one province, by district then commune code."""
    frame = communes()
    return frame[frame.province_code == province_code].sort_values(
        ["district_code", "commune_code"]).reset_index(drop=True)


def bare_name(name: object) -> str:
    """A commune name without its "Xã " prefix, NFC, single-spaced."""
    return _PREFIX.sub("", clean_text(name))


def _casefold(name: object) -> str:
    return unicodedata.normalize("NFC", bare_name(name).casefold())


@dataclass(frozen=True)
class CommuneMatch:
    """The outcome of matching one written name within a district."""

    written: str
    match: str  # exact | near | none
    commune_code: str | None = None
    commune: str | None = None  # the official name
    closest: tuple[str, ...] = ()  # for ``none``: the district's closest official names


def match_commune(name: str, district_code: str, pool: pd.DataFrame | None = None) -> CommuneMatch:
    """Match ``name`` among the communes of ``district_code`` (see the module docstring)."""
    from rapidfuzz.distance import Levenshtein  # noqa: PLC0415  (only when a name must be matched)
    from rapidfuzz.process import extract  # noqa: PLC0415

    pool = communes() if pool is None else pool
    rows = pool[pool.district_code == district_code]
    written = clean_text(name)
    target = _casefold(name)
    official = dict(zip(rows.commune_code, rows.commune))
    exact = [c for c, n in official.items() if _casefold(n) == target]
    if len(exact) == 1:
        return CommuneMatch(written, "exact", exact[0], official[exact[0]])
    near = [c for c, n in official.items()
            if fold(bare_name(n)) == fold(bare_name(name))
            or Levenshtein.distance(_casefold(n), target) <= NEAR_LETTERS]
    if len(near) == 1:
        return CommuneMatch(written, "near", near[0], official[near[0]])
    choices = {c: bare_name(n) for c, n in official.items()}
    closest = tuple(official[c] for _, _, c in extract(bare_name(name), choices, limit=3))
    return CommuneMatch(written, "none", closest=closest)
