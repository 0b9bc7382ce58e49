"""Combine the tables of several sources: provenance, conflicts, precedence.

When two sources give different values for the same figure (year, status,
indicator, area or criterion), the later document wins only if it is a
correction, or results for that year; otherwise the pair is an error. Every
conflict is listed with both values and both sources.
"""
from __future__ import annotations

import pandas as pd

from ..findings import Findings
from ..i18n import _, value_text
from ..reading.metadata import SourceInfo
from ..reading.reader import SourceRead
from ..reference import load_reference, period_label
from .provinces import PREFIXED, province_key, province_label
from .tidy import KEYS, VALUE_COLUMN, TidyTables

CONFLICT_COLUMNS = ["table", "key", "earlier_source", "earlier_value", "earlier_cell", "later_source",
                    "later_value", "later_cell", "kept", "resolution"]


def source_order(info: SourceInfo) -> tuple:
    return (str(info.document_date or ""), str(info.received_date or ""), info.file)


def _may_override(later: SourceInfo, year: int) -> bool:
    return later.kind == "correction" or (later.kind == "results" and int(year) == (later.year or year))


def _figure(row: pd.Series, keys: list[str]) -> str:
    """The figure a row holds, in words: its province, period, area, indicator (by
    its label), criterion, band or funding line ("Tỉnh Lào Cai, 2021 (kế hoạch),
    Huyện Bắc Hà, Số xã đạt chuẩn NTM mới trong năm")."""
    reference = load_reference()
    parts = []
    for key in keys:
        value = row[key]
        if pd.isna(value) or key in ("status", "units"):  # the units name the province (below)
            continue
        if key == "year":
            parts.append(period_label(int(value), row["status"]) if "status" in keys else str(int(value)))
        elif key == "province_code" and str(row.get("units", "")) == PREFIXED:
            parts.append(province_label(province_key(str(value), PREFIXED), reference))
        elif key in ("province_code", "area_code", "district_code"):
            parts.append(reference.area_name(str(value)))
        elif key == "indicator":
            parts.append(reference.indicator_label(str(value)))
        elif key == "criterion_id":
            parts.append(_("criterion {criterion}").format(criterion=int(value)))
        elif key == "band":
            parts.append(_("band {band} criteria").format(band=value))
        elif key == "code":
            parts.append(f"'{row.get('source', value)}'")
        elif key == "commune_code":
            parts.append(str(row.get("commune", value)))
        else:
            parts.append(str(value))
    return ", ".join(parts)


def combine(reads: list[SourceRead], findings: Findings) -> tuple[TidyTables, pd.DataFrame]:
    """Concatenate sources (oldest first) and resolve figures given twice."""
    reads = sorted(reads, key=lambda r: source_order(r.info))
    infos = {r.info.source_id: r.info for r in reads}
    rank = {r.info.source_id: i for i, r in enumerate(reads)}
    combined = TidyTables.concat([r.tables for r in reads])
    conflicts: list[dict] = []
    out = {}
    for name, frame in combined.items():
        if frame.empty:
            out[name] = frame
            continue
        keys, value = KEYS[name], VALUE_COLUMN[name]
        frame = frame.assign(_rank=frame.source_id.map(rank)).sort_values("_rank", kind="stable")
        dup = frame.duplicated(keys, keep=False)
        keep = ~dup
        for _key, group in frame[dup].groupby(keys, sort=False, dropna=False):
            winner = group.iloc[0]
            for _index, later in group.iloc[1:].iterrows():
                a, b = winner[value], later[value]
                if pd.isna(b):
                    continue  # a blank never overrides a figure
                if pd.isna(a) or a == b:
                    winner = later if pd.isna(a) else winner
                    continue
                info = infos[later.source_id]
                key_text = ", ".join(f"{k}={winner[k]}" for k in keys)
                row = {"table": name, "key": key_text, "earlier_source": winner.source_id,
                       "earlier_value": a, "earlier_cell": winner.cell, "later_source": later.source_id,
                       "later_value": b, "later_cell": later.cell}
                if _may_override(info, later.year):
                    conflicts.append(row | {"kept": later.source_id,
                                            "resolution": f"the later {info.kind} replaces the earlier value"})
                    winner = later
                else:
                    conflicts.append(row | {"kept": "", "resolution": "error: two sources disagree"})
                    sheet, _sep, cell = str(later.cell).rpartition("!")
                    findings.add("error", "conflict",
                                 _("{figure}: {later} gives {later_value}, but {earlier} gives {earlier_value}; only "
                                   "a correction, or results for that year, may replace a figure").format(
                                     figure=_figure(winner, keys), later=later.source_id, later_value=value_text(b),
                                     earlier=winner.source_id, earlier_value=value_text(a)),
                                 file=infos[later.source_id].file, sheet=sheet, cell=cell)
            keep.loc[winner.name] = True
        out[name] = frame[keep].drop(columns="_rank").sort_index().reset_index(drop=True)
    return TidyTables(**out), pd.DataFrame(conflicts, columns=CONFLICT_COLUMNS)
