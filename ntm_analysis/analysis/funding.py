"""The funding plan (or funds mobilised): shares of the tree, who pays, cost per NTM commune.

Two shares, never confused: ``share_of_total`` always means a line's amount over the
*stated* total line (Tổng cộng), as in the tidy funding table; ``share_of_leaf_total``
means the sum of the leaves (lines with no line below them) under a line over the sum
of all leaves, so no amount counts twice and the leaves' shares add up to 1 even when
the document's subtotals do not. The two agree when the document adds up.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from ..reference import Reference, is_province
from ..text import fold
from .common import Period, default_period, empty, latest, periods, ratio, select

SHARE_COLUMNS = {"code": "str", "source": "str", "level": "int64", "amount_million_vnd": "float64",
                 "share_of_total": "float64", "share_of_leaf_total": "float64", "share_of_parent": "float64"}
PAYER_COLUMNS = {"payer": "str", "label_vi": "str", "label_en": "str", "amount_million_vnd": "float64",
                 "share_of_total": "float64", "share_of_leaf_total": "float64", "lines": "int64"}
PER_COMMUNE_COLUMNS = {"year": "int64", "status": "str", "total_million_vnd": "float64",
                       "new_ntm_communes": "Int64", "communes_basis": "str",
                       "million_vnd_per_new_ntm_commune": "float64"}
OTHER_PAYER = {"payer": "other", "label_vi": "Nguồn khác (chưa xác định)", "label_en": "Other (unmatched)"}


def _lines(funding: pd.DataFrame, period: Period | None) -> pd.DataFrame:
    """The lines of one period (default: the plan's), with ``leaf_amount``: the sum of
    the leaves under each line (its own amount for a leaf)."""
    period = period or default_period(funding)
    lines = select(funding, period).reset_index(drop=True) if period else funding.iloc[0:0]
    parent = dict(zip(lines["code"], lines["parent_code"]))
    leaves = lines[lines["is_leaf"] & (lines["level"] > 0)] if (lines["level"] > 0).any() else lines
    under: dict[str, float] = {}
    for code, amount in zip(leaves["code"], leaves["amount_million_vnd"]):
        while isinstance(code, str) and code in parent:  # the leaf, then each ancestor
            if pd.notna(amount):
                under[code] = under.get(code, 0.0) + float(amount)
            code = parent[code]
    lines["leaf_amount"] = lines["code"].map(under).astype("float64")
    lines["leaf"] = lines["code"].isin(leaves["code"])
    return lines


def _leaf_total(lines: pd.DataFrame) -> float:
    return float(lines.loc[lines["leaf"], "amount_million_vnd"].sum(min_count=1))  # all blank: NaN, not 0


def funding_shares(funding: pd.DataFrame, *, period: Period | None = None) -> pd.DataFrame:
    """Every line of one period's funding tree with its shares (default period: the
    latest target, i.e. the plan).

    ``amount_million_vnd``: as stated (million VND). ``share_of_total`` (0–1): the
    amount over the stated total, as in the tidy table. ``share_of_leaf_total`` (0–1):
    the sum of the line's leaves over the sum of all leaves (a leaf: its amount; the
    total: 1). ``share_of_parent`` (0–1): the leaf sums, the line's over its parent's
    (NaN for the total). Plan 05: Ngân sách Trung ương 31 500 / 661 500 = 0.0476.
    """
    lines = _lines(funding, period)
    if lines.empty:
        return empty(SHARE_COLUMNS)
    by_code = dict(zip(lines["code"], lines["leaf_amount"]))
    parent_amount = lines["parent_code"].map(lambda c: by_code.get(c, float("nan"))).astype("float64")
    out = lines[["code", "source", "level", "amount_million_vnd", "share_of_total"]].copy()
    out["share_of_leaf_total"] = ratio(lines["leaf_amount"], pd.Series(_leaf_total(lines), index=lines.index))
    out["share_of_parent"] = ratio(lines["leaf_amount"], parent_amount)
    return out.astype(SHARE_COLUMNS)


def _payer_of(texts: list[str], payers: pd.DataFrame) -> str:
    """The first payer whose pattern matches the first text that any pattern matches."""
    return _first_payer(tuple(texts), tuple(zip(payers["payer"], payers["pattern"])))


@lru_cache(maxsize=8192)
def _first_payer(texts: tuple[str, ...], patterns: tuple[tuple[str, str], ...]) -> str:
    """``_payer_of`` on hashable arguments: the same funding lines recur in every province
    and year of a national set, and are matched once."""
    for text in texts:
        folded = fold(text)
        for payer, pattern in patterns:
            if re.search(pattern, folded):
                return payer
    return OTHER_PAYER["payer"]


def funding_by_payer(funding: pd.DataFrame, reference: Reference, *,
                     period: Period | None = None) -> pd.DataFrame:
    """The leaves of one period's funding (default: the plan) summed by who pays.

    A leaf's payer comes from ``reference.payers`` patterns matched on its folded source
    text, then on its parent's, and so on up the tree (Đầu tư phát triển → Ngân sách
    Trung ương → central); unmatched leaves go to 'other'. Payers in reference order,
    only those with lines. ``amount_million_vnd``: million VND; ``share_of_total``
    (0–1): over the stated total (the sum of its leaves' ``share_of_total``);
    ``share_of_leaf_total`` (0–1): over the sum of all leaves; ``lines``: leaves counted.
    """
    lines = _lines(funding, period)
    if lines.empty:
        return empty(PAYER_COLUMNS)
    payers = reference.payers.assign(order=reference.payers["order"].astype(int)).sort_values("order")
    named = lines[lines["level"] > 0]  # the total's words ("Tổng cộng") name no payer
    source, parent = dict(zip(named["code"], named["source"])), dict(zip(named["code"], named["parent_code"]))
    leaves = lines[lines["leaf"]]
    assigned = []
    for code in leaves["code"]:
        texts = []
        while isinstance(code, str) and code in source:
            texts.append(source[code])
            code = parent[code]
        assigned.append(_payer_of(texts, payers))
    by_payer = leaves.assign(payer=assigned).groupby("payer")
    grouped = by_payer["amount_million_vnd"]
    sums = pd.DataFrame({"sum": grouped.sum(min_count=1), "size": grouped.size()})  # all blank: NaN, not 0
    shares = by_payer["share_of_total"].sum(min_count=1)
    catalogue = pd.concat([payers[["payer", "label_vi", "label_en"]], pd.DataFrame([OTHER_PAYER])])
    out = catalogue[catalogue["payer"].isin(sums.index)].reset_index(drop=True)
    out["amount_million_vnd"] = out["payer"].map(sums["sum"]).astype("float64")
    out["share_of_total"] = out["payer"].map(shares).astype("float64")
    out["share_of_leaf_total"] = out["amount_million_vnd"] / _leaf_total(lines)
    out["lines"] = out["payer"].map(sums["size"])
    return out.astype(PAYER_COLUMNS)


def _new_ntm_communes(districts: pd.DataFrame, province: pd.DataFrame | None,
                      period: Period) -> tuple[float, str]:
    """Communes to reach (or reaching) NTM in the period, and where the number comes from."""
    rows = select(districts, period)
    rows = rows[(rows["indicator"] == "new_ntm_communes")]
    stated = rows.loc[is_province(rows["area_code"]), "value"].dropna()
    if len(stated):
        return float(stated.iloc[0]), "province row of the district table"
    summed = rows.loc[~is_province(rows["area_code"]), "value"]
    if summed.notna().any():
        return float(summed.sum()), "sum of the districts"
    if province is not None:
        ntm = province[province["indicator"] == "ntm_communes"].dropna(subset=["value"])
        before = latest(ntm, "actual", before=period[0])
        now, then = select(ntm, period)["value"], select(ntm, before)["value"] if before else []
        if len(now) and len(then):
            return float(now.iloc[0] - then.iloc[0]), f"NTM communes {period[0]} minus {before[0]}"
    return float("nan"), ""


def funding_per_commune(funding: pd.DataFrame, districts: pd.DataFrame,
                        province: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per funding period: the total funding per commune to reach NTM in that year.

    ``total_million_vnd``: the total line (or the sum of the leaves), million VND;
    ``new_ntm_communes``: communes to reach NTM in the year, from the province row of the
    district table, else the sum of the districts, else the change in the province's
    cumulative NTM communes since the latest earlier actual (``communes_basis`` says
    which); ``million_vnd_per_new_ntm_commune`` = total / new communes (NaN if 0 or
    unknown). Plan 05, 2021: 661 500 / 15 = 44 100 million VND per commune.
    """
    rows = []
    for period in periods(funding):
        lines = _lines(funding, period)
        total = lines.loc[lines["level"] == 0, "amount_million_vnd"].dropna()
        total = float(total.iloc[0]) if len(total) else _leaf_total(lines)
        new, basis = _new_ntm_communes(districts, province, period)
        rows.append({"year": period[0], "status": period[1], "total_million_vnd": total,
                     "new_ntm_communes": new, "communes_basis": basis,
                     "million_vnd_per_new_ntm_commune": total / new if new else float("nan")})
    if not rows:
        return empty(PER_COMMUNE_COLUMNS)
    out = pd.DataFrame(rows)
    out["new_ntm_communes"] = pd.array(out["new_ntm_communes"].round(), dtype="Int64")
    return out.astype(PER_COMMUNE_COLUMNS)
