"""Several provinces side by side: one row per province and period (``province_overview``).

The table is declared in ``schemas.TABLES`` (derived: computed, not read), so its
columns, dtypes and rules live there; its ``source_id`` and ``cell`` list the sources
and cells of the stated figures each row is computed from.
"""
from __future__ import annotations

import re

import pandas as pd

from ..reference import Reference
from ..tables.provinces import key_parts, split_provinces
from ..tables.tidy import frame_from_rows
from ..text import fold
from .ceiling import ntm_ceiling
from .common import Period, periods, select
from .funding import funding_by_payer

#: The payer whose share is reported (a key of ``reference/funding_payers.csv``).
CENTRAL = "central"
#: The province-table indicators the overview quotes.
INDICATORS = ("total_communes", "ntm_communes", "avg_criteria")


def _value(rows: pd.DataFrame, column: str) -> float:
    values = rows[column].dropna()
    return float(values.iloc[0]) if len(values) else float("nan")


def _where(parts: list[pd.DataFrame]) -> tuple[str, str]:
    """(sources, cells) of the rows behind an overview row, "; "-joined; with several
    sources each cell is prefixed with its source ("source › Biểu 01!D8")."""
    rows = pd.concat([p[["source_id", "cell"]] for p in parts if len(p)], ignore_index=True) \
        if any(len(p) for p in parts) else pd.DataFrame({"source_id": [], "cell": []})
    rows = rows.drop_duplicates()
    sources = list(dict.fromkeys(str(s) for s in rows["source_id"]))
    several = len(sources) > 1
    cells = [f"{s} › {c}" if several else str(c) for s, c in zip(rows["source_id"], rows["cell"])]
    return "; ".join(sources), "; ".join(cells)


def overview_rows(tables, code: str, reference: Reference, ceiling: pd.DataFrame | None = None,
                  units: str = "2021") -> pd.DataFrame:
    """The ``province_overview`` rows of one province's tables (``code``: its GSO code in the
    unit system ``units``, 2021 or 2025). ``ceiling``: ``ntm_ceiling`` of these tables when
    already computed (``run_all``)."""
    return frame_from_rows("province_overview", [row | {"units": units}
                                                 for row in _one_province(tables, code, reference, ceiling)])


def _one_province(tables, code: str, reference: Reference, ceiling: pd.DataFrame | None = None) -> list[dict]:
    """The overview rows of one province's tables (see ``province_overview``)."""
    criteria, province, funding = tables.criteria, tables.province, tables.funding
    if ceiling is None:
        ceiling = ntm_ceiling(criteria, province) if not criteria.empty else pd.DataFrame()
    central_pattern = reference.payers.loc[reference.payers["payer"] == CENTRAL, "pattern"]
    found: set[Period] = set()
    for frame in (criteria, province, funding):
        if not frame.empty:
            found.update(periods(frame))
    rows = []
    for period in sorted(found):
        stated = select(province, period)
        figures = {ind: _value(stated[stated["indicator"] == ind], "value") for ind in INDICATORS}
        total, ntm = figures["total_communes"], figures["ntm_communes"]
        share = 100 * ntm / total if total else float("nan")  # NaN in, NaN out
        binding = select(ceiling, period) if len(ceiling) else ceiling
        binding = binding[binding["role"] == "binding"] if len(binding) else binding
        lines = select(funding, period)
        top = lines[lines["level"] == 0]
        total_funding = _value(top, "amount_million_vnd")
        central_share, central_lines = float("nan"), lines.iloc[0:0]
        if len(lines) and len(central_pattern):
            payers = funding_by_payer(funding, reference, period=period)
            central = payers[payers["payer"] == CENTRAL]
            if len(central) and pd.notna(central["share_of_total"].iloc[0]):
                central_share = 100 * float(central["share_of_total"].iloc[0])
                named = lines[lines["level"] > 0]
                hits = named["source"].map(lambda s: bool(re.search(central_pattern.iloc[0], fold(str(s)))))
                central_lines = named[hits.to_numpy(dtype=bool)].head(1)
        crit_rows = criteria[(criteria["year"] == period[0]) & (criteria["status"] == period[1])
                             & criteria["criterion_id"].isin(binding["criterion_id"] if len(binding) else [])]
        sources, cells = _where([stated[stated["indicator"].isin(INDICATORS)], crit_rows, top, central_lines])
        rows.append({
            "province_code": code, "year": period[0], "status": period[1],
            "total_communes": total, "ntm_communes": ntm, "ntm_share_pct": share,
            "avg_criteria": figures["avg_criteria"],
            "binding_criteria": "; ".join(binding["criterion"]) if len(binding) else pd.NA,
            "ceiling": float(binding["communes"].iloc[0]) if len(binding) else float("nan"),
            "funding_million_vnd": total_funding, "central_share_pct": central_share,
            "source_id": sources, "cell": cells,
        })
    return rows


def province_overview(tables, reference: Reference) -> pd.DataFrame:
    """One row per province and (year, status) present in its criteria, province or
    funding table, columns as ``schemas.TABLES["province_overview"]`` declares:

    * ``total_communes``, ``ntm_communes``: communes, as the province table states them;
    * ``ntm_share_pct`` = ntm_communes / total_communes × 100 (%);
    * ``avg_criteria``: criteria per commune, as stated;
    * ``binding_criteria``: the criteria met by the fewest communes (``ntm_ceiling``'s
      binding criteria, "; "-joined) and ``ceiling``: the communes meeting them;
    * ``funding_million_vnd``: the stated total line of the funding table (million VND);
    * ``central_share_pct``: the central budget's leaves over that total × 100 (%), as
      ``funding_by_payer`` assigns payers.

    A figure the sources do not give stays blank (never 0). Plan 05, 2020 (actual):
    127 communes, 57 NTM (44.88 %), 15.15 criteria; 2021 (target): 72 NTM (56.69 %),
    16.15 criteria, Thu nhập binding at 77, 661 500 million VND of which 4.76 % central.
    Each row's ``units`` (2021 or 2025) follows ``province_code``, which alone may be either
    ("15": old Yên Bái or new Lào Cai).
    """
    rows: list[dict] = []
    for key, part in split_provinces(tables).items():
        system, code = key_parts(key)
        rows += [row | {"units": system} for row in _one_province(part, code, reference)]
    frame = frame_from_rows("province_overview", rows)
    return frame
