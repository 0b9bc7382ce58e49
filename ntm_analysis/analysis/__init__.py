"""Analyses of the tidy tables: pure functions, tidy tables in, DataFrames out.

Units (see ``common``): ``*share*`` columns are fractions 0–1, ``*_pp`` percentage
points, ``*_pct`` percents, communes are counts, money is million VND.
"""
from __future__ import annotations

from typing import Callable

import pandas as pd

from ..reference import Reference
from ..tables.provinces import SPLIT_AT, key_parts, one_province, provinces_in, split_provinces
from ..tables.tidy import plain_len, stack, to_plain
from .bands import band_shift
from .ceiling import ceiling_summary, ntm_ceiling
from .common import CriteriaSetWarning, Period, attainment, default_comparison, default_period
from .criteria_gaps import criteria_gap_groups, criteria_gaps
from .districts import district_overview, implied_province_average
from .funding import funding_by_payer, funding_per_commune, funding_shares
from .plan_vs_actual import district_attainment, funding_plan_vs_actual, plan_vs_actual_criteria
from .provinces import overview_rows, province_overview

__all__ = ["CriteriaSetWarning", "Period", "attainment", "band_shift", "ceiling_summary", "criteria_gap_groups",
           "criteria_gaps", "default_comparison", "default_period", "district_attainment", "district_overview",
           "funding_by_payer", "funding_per_commune", "funding_plan_vs_actual", "funding_shares",
           "implied_province_average", "ntm_ceiling", "plan_vs_actual_criteria", "province_overview", "run_all"]


def run_all(tables, reference: Reference,
            memo: Callable[[str, Callable[[], dict[str, pd.DataFrame]]], dict[str, pd.DataFrame]] | None = None,
            *, workers: int = 1, kept: Callable[[str], bool] | None = None) -> dict[str, pd.DataFrame]:
    """Every analysis that applies to ``tables`` (a ``TidyTables``), keyed by output stem.

    With several provinces (``province_code`` of the tidy tables), each analysis runs
    on each province alone and the outputs are stacked, with ``province_code`` first.
    ``province_overview`` (one row per province and period) is there whenever a province
    has criteria, province or funding figures, with one province too.
    ``memo(code, compute)``, when given, returns one province's outputs (its overview rows
    included): ``compute()``'s, or the same outputs kept from an earlier build (``build``'s
    cache), each a frame or its ``tidy.to_plain`` form (stacked without making its frame).
    The provinces are split in one pass (``provinces.split_provinces``); each province's analyses
    then cost what its own rows cost. With ``workers`` > 1 and at least ``PARALLEL_AT`` provinces
    to compute (those ``kept(code)`` does not say ``memo`` holds), they are computed by that many
    processes forked from this one (the same code on the same rows: the same outputs).
    """
    codes = provinces_in(tables)
    if len(codes) <= 1:  # (every row has the one code: the schema requires it)
        results = _run_one(tables, reference)
        system, code = key_parts(codes[0]) if codes else ("2021", "")
        results = {name: _with_units(frame, system, 0) for name, frame in results.items()}
        if codes:
            overview = overview_rows(tables, code, reference, results.get("ntm_ceiling"), system)
            if len(overview):
                results["province_overview"] = overview
        return results
    parts: dict[str, list[pd.DataFrame]] = {}
    overviews: list[pd.DataFrame] = []
    todo = [code for code in codes if not (memo and kept and kept(code))]
    provinces = split_provinces(tables) if len(todo) > SPLIT_AT else {code: one_province(tables, code) for code in todo}
    ready = _in_processes(provinces, todo, reference, workers)
    for code in codes:
        def compute(code: str = code) -> dict[str, pd.DataFrame]:
            if code in ready:
                return ready.pop(code)
            part = provinces[code] if code in provinces else one_province(tables, code)  # (a kept entry unreadable)
            return _province_outputs(part, code, reference)

        outputs = dict(memo(code, compute) if memo else compute())
        overview = outputs.pop("province_overview")
        if plain_len(overview):
            overviews.append(overview)
        for name, frame in outputs.items():
            parts.setdefault(name, []).append(frame)
    results = {name: stack(frames) for name, frames in parts.items()}
    if overviews:
        results["province_overview"] = stack(overviews)
    return results


#: Fewer provinces to compute than this: no processes are forked (their start costs more).
PARALLEL_AT = 8
_FORKED: tuple = ()  # (provinces, reference) for the forked processes of ``_in_processes``


def _province_outputs(part, key: str, reference: Reference) -> dict[str, pd.DataFrame]:
    """One province's outputs (see ``run_all``; ``key``: its ``provinces.province_key``): each
    with the province's code first, and its ``province_overview`` rows. Every output without a
    ``units`` of its own gets the province's system ("2021" or "2025") second."""
    system, code = key_parts(key)
    results = _run_one(part, reference)
    results["province_overview"] = overview_rows(part, code, reference, results.get("ntm_ceiling"), system)
    for name, frame in results.items():
        frame = frame.drop(columns="province_code", errors="ignore")
        frame.insert(0, "province_code", pd.Series(code, index=frame.index, dtype="str"))
        results[name] = _with_units(frame, system, 1)
    return results


def _with_units(frame: pd.DataFrame, system: str, at: int) -> pd.DataFrame:
    """``frame`` with a ``units`` column (the unit system, 2021 or 2025, of its codes) at
    position ``at`` when it has none; its blanks filled with ``system`` when it has one."""
    if "units" not in frame:
        frame = frame.copy()
        frame.insert(at, "units", pd.Series(system, index=frame.index, dtype="str"))
    elif frame["units"].hasnans:
        frame = frame.assign(units=frame["units"].fillna(system))
    return frame


def _forked_outputs(code: str) -> dict:
    provinces, reference = _FORKED
    return {name: to_plain(frame) for name, frame in _province_outputs(provinces[code], code, reference).items()}


def _in_processes(provinces: dict, codes: list[str], reference: Reference, workers: int) -> dict[str, dict]:
    """The outputs of ``codes`` (as ``tidy.to_plain`` forms) computed by ``workers`` forked
    processes; {} when there are too few, one worker, no ``fork``, or other threads running
    (forking them is unsafe): ``run_all`` then computes them here."""
    import gc  # noqa: PLC0415
    import multiprocessing  # noqa: PLC0415
    import threading  # noqa: PLC0415
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

    if (workers <= 1 or len(codes) < PARALLEL_AT or "fork" not in multiprocessing.get_all_start_methods()
            or threading.active_count() > 1):
        return {}
    global _FORKED
    _FORKED = (provinces, reference)
    gc.freeze()  # the objects made so far stay out of the workers' collections, which would copy their pages
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return dict(zip(codes, pool.map(_forked_outputs, codes, chunksize=max(1, len(codes) // (4 * workers)))))
    finally:
        _FORKED = ()
        gc.unfreeze()


def _run_one(tables, reference: Reference) -> dict[str, pd.DataFrame]:
    """The analyses of one province's tables (see ``run_all``).

    Base and compare periods: ``default_comparison`` (latest actual before the latest
    target year → latest target). The plan-vs-actual outputs (``district_attainment``,
    ``plan_vs_actual_criteria``, ``funding_plan_vs_actual``) appear only when a year
    has both targets and results.
    """
    results: dict[str, pd.DataFrame] = {}
    pair = default_comparison(tables.criteria)
    if pair:
        results["criteria_gaps"] = criteria_gaps(tables.criteria, *pair)
        results["criteria_gap_groups"] = criteria_gap_groups(results["criteria_gaps"])
    if not tables.criteria.empty:
        results["ntm_ceiling"] = ntm_ceiling(tables.criteria, tables.province)
        results["ceiling_summary"] = ceiling_summary(results["ntm_ceiling"])
    pair = default_comparison(tables.commune_bands)
    if pair:
        results["band_shift"] = band_shift(tables.commune_bands, *pair)
    if not tables.districts.empty:
        year, status = default_period(tables.districts)
        results["district_overview"] = district_overview(tables.districts, reference, year, status)
    if not tables.funding.empty:
        results["funding_shares"] = funding_shares(tables.funding)
        results["funding_by_payer"] = funding_by_payer(tables.funding, reference)
        results["funding_per_commune"] = funding_per_commune(tables.funding, tables.districts, tables.province)
    actuals = {"district_attainment": district_attainment(tables.districts, reference),
               "plan_vs_actual_criteria": plan_vs_actual_criteria(tables.criteria),
               "funding_plan_vs_actual": funding_plan_vs_actual(tables.funding)}
    results.update({name: frame for name, frame in actuals.items() if not frame.empty})
    return results
