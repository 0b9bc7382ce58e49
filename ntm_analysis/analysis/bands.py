"""How communes move between bands of criteria met (19, 15–18, 10–14, 5–9)."""
from __future__ import annotations

import pandas as pd

from .common import Period, as_count, default_comparison, ratio, select

BAND_COLUMNS = {"band": "str", "min_criteria": "int64", "max_criteria": "int64",
                "base_year": "int64", "base_status": "str", "base_communes": "Int64",
                "compare_year": "int64", "compare_status": "str", "compare_communes": "Int64",
                "change": "Int64", "base_share": "float64", "compare_share": "float64",
                "change_pp": "float64"}


def band_shift(commune_bands: pd.DataFrame, base: Period | None = None,
               compare: Period | None = None) -> pd.DataFrame:
    """One row per band, most criteria first: communes in the band in ``base`` and ``compare``.

    Units: ``*_communes`` and ``change`` (compare − base) are communes; ``base_share`` and
    ``compare_share`` are fractions 0–1 of all communes in the period's bands;
    ``change_pp`` is in percentage points. ``base``/``compare`` default to
    ``default_comparison(commune_bands)``.
    """
    if base is None or compare is None:
        pair = default_comparison(commune_bands)
        if pair is None:
            raise ValueError("band_shift: no base and compare periods in the commune bands")
        base, compare = base or pair[0], compare or pair[1]
    keys = ["band", "min_criteria", "max_criteria"]
    old = select(commune_bands, base).set_index(keys)["communes"]
    new = select(commune_bands, compare).set_index(keys)["communes"]
    if old.empty or new.empty:
        raise ValueError(f"band_shift: no commune bands for {base if old.empty else compare}")
    both = pd.concat({"base": old, "compare": new}, axis=1).sort_index(level="min_criteria", ascending=False)
    # a blank band leaves the whole unknown: its shares are NaN, not shares of a smaller sum
    def whole(s: pd.Series) -> pd.Series:
        return pd.Series(float(s.sum()) if s.notna().all() else float("nan"), index=both.index)
    base_share = ratio(both["base"], whole(both["base"]))
    compare_share = ratio(both["compare"], whole(both["compare"]))
    out = both.index.to_frame(index=False)
    out["base_year"], out["base_status"] = base
    out["base_communes"] = as_count(both["base"])
    out["compare_year"], out["compare_status"] = compare
    out["compare_communes"] = as_count(both["compare"])
    out["change"] = out["compare_communes"] - out["base_communes"]
    out["base_share"] = base_share.to_numpy()
    out["compare_share"] = compare_share.to_numpy()
    out["change_pp"] = (out["compare_share"] - out["base_share"]) * 100
    return out.astype(BAND_COLUMNS)
