"""Helpers shared by the analyses: periods, province rows, attainment arithmetic.

Units used by every analysis output:

* ``*share*`` columns are fractions of 0–1 (as ``share`` in the tidy tables);
* ``*_pp`` columns are percentage points (a change of shares × 100);
* ``*_pct`` columns are percents (0–100, or above 100 for over-achievement);
* counts of communes are ``Int64`` (missing stays ``<NA>``, never 0);
* money is in million VND (``*_million_vnd``).
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

#: A (year, status) pair, e.g. ``(2021, "target")``.
Period = tuple[int, str]


class CriteriaSetWarning(UserWarning):
    """Two periods compared were counted under different national criteria sets."""


def empty(columns: dict[str, str]) -> pd.DataFrame:
    """An empty frame with these columns and dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in columns.items()})


def periods(frame: pd.DataFrame) -> list[Period]:
    """The (year, status) pairs present, sorted by year then status."""
    pairs = {(int(y), str(s)) for y, s in zip(frame["year"], frame["status"])}
    return sorted(pairs)


def select(frame: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The rows of one (year, status)."""
    year, status = period
    return frame[(frame["year"] == year) & (frame["status"] == status)]


def latest(frame: pd.DataFrame, status: str | None = None, before: int | None = None) -> Period | None:
    """The latest (year, status) with this status (any status if ``None``),
    with a year strictly before ``before`` if given."""
    found = [p for p in periods(frame)
             if (status is None or p[1] == status) and (before is None or p[0] < before)]
    return found[-1] if found else None


def default_period(frame: pd.DataFrame) -> Period | None:
    """The plan's period: the latest target, or the latest period if there is no target."""
    return latest(frame, "target") or latest(frame)


def default_comparison(frame: pd.DataFrame) -> tuple[Period, Period] | None:
    """``(base, compare)`` for a frame with ``year`` and ``status`` columns.

    compare = the latest (year, 'target'); base = the latest (year, 'actual') strictly
    before that year. Without targets: the latest actual against the actual before it.
    ``None`` when no such pair exists. Plan 05: ``((2020, 'actual'), (2021, 'target'))``;
    adding a 2022 plan with 2021 results gives ``((2021, 'actual'), (2022, 'target'))``.
    """
    compare = latest(frame, "target") or latest(frame, "actual")
    if compare is None:
        return None
    base = latest(frame, "actual", before=compare[0])
    return (base, compare) if base else None


def warn_if_sets_differ(criteria: pd.DataFrame, base: Period, compare: Period, what: str) -> None:
    """Warn when two periods of the criteria table use different criteria sets."""
    sets = [sorted(select(criteria, p)["criteria_set"].dropna().unique().tolist()) for p in (base, compare)]
    if sets[0] and sets[1] and sets[0] != sets[1]:
        warnings.warn(
            f"{what}: {base[0]} ({base[1]}) is counted under the {', '.join(sets[0])} criteria set but "
            f"{compare[0]} ({compare[1]}) under the {', '.join(sets[1])} set; commune counts under "
            f"different sets are not comparable one to one",
            CriteriaSetWarning, stacklevel=3)


def as_float(values: pd.Series) -> pd.Series:
    """Nullable numbers as float64 (``<NA>`` -> NaN)."""
    return values.astype("float64")


def as_count(values: pd.Series) -> pd.Series:
    """Numbers as nullable integers (counts of communes)."""
    return pd.array(as_float(values).round(), dtype="Int64")


def ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator as float64; NaN where either is missing or the denominator is 0."""
    num, den = as_float(numerator), as_float(denominator)
    return (num / den.where(den != 0)).astype("float64")


def attainment(target: pd.Series, actual: pd.Series, lower_is_better: pd.Series | bool = False
               ) -> pd.DataFrame:
    """gap, attainment_pct and met of actual values against targets.

    * ``gap``: actual − target when higher is better, target − actual when lower is
      better, so a positive gap always means *better than the target* (unit of the figure);
    * ``attainment_pct``: actual / target × 100 (target / actual × 100 when lower is
      better); NaN when a value is missing or the denominator is 0;
    * ``met``: actual ≥ target (≤ when lower is better); ``<NA>`` when a value is missing.
    """
    target, actual = as_float(target).reset_index(drop=True), as_float(actual).reset_index(drop=True)
    lower = pd.Series(lower_is_better, index=target.index, dtype="bool") \
        if np.isscalar(lower_is_better) else pd.Series(lower_is_better, dtype="bool").reset_index(drop=True)
    gap = (actual - target).where(~lower, target - actual)
    pct = (ratio(actual, target) * 100).where(~lower, ratio(target, actual) * 100)
    met = pd.array(gap >= 0, dtype="boolean")
    met[(target.isna() | actual.isna()).to_numpy()] = pd.NA
    return pd.DataFrame({"gap": gap, "attainment_pct": pct, "met": met})


def lower_is_better(indicators: pd.Series, catalogue: pd.DataFrame) -> pd.Series:
    """True where the indicator catalogue says lower is better (unknown: higher is better)."""
    direction = dict(zip(catalogue["indicator"], catalogue["direction"]))
    return indicators.map(lambda i: direction.get(i, "higher") == "lower").astype("bool")
