"""Biểu 03: the funding plan (or funds mobilised) by source, as a tree."""
from __future__ import annotations

import re

from ..findings import Findings
from ..i18n import _
from ..text import clean_text, fold
from .cells import cell_ref, read_number
from .finder import LocatedTable

_NUMERIC_CODE = re.compile(r"^\d+(\.\d+)*$")
_TOTAL = re.compile(r"^(tong cong|tong so|tong|cong|tong von|tong nguon von)\b")
_BULLET = re.compile(r"^[-–+•*]\s*")
#: million VND per unit, by the folded unit text of the ĐVT column
_UNIT_FACTORS = {"tr d": 1.0, "tr.d": 1.0, "trd": 1.0, "trieu dong": 1.0, "tr. dong": 1.0,
                 "ty dong": 1000.0, "ty": 1000.0, "ngan dong": 0.001, "nghin dong": 0.001,
                 "1000 dong": 0.001, "dong": 1e-6}


def _unit_factor(text: str) -> float | None:
    folded = fold(text).rstrip(".")
    return _UNIT_FACTORS.get(folded)


def parse_funding(table: LocatedTable, findings: Findings) -> list[dict]:
    """Rows of the funding table: code, parent_code, level, source, amount (million VND)."""
    where = dict(file=table.grid.file, sheet=table.grid.sheet)
    code_col = table.column("code")
    unit_col = table.column("unit")
    label_col = table.label_col

    entries: list[dict] = []  # one per body row: code, parent, level, label, row, factor
    anchor: dict | None = None
    counters: dict[str, int] = {}
    default_factor = 1.0
    if unit_col is not None:
        factors = [_unit_factor(str(table.grid.get(r, unit_col.index) or "")) for r in table.body_rows]
        known = [f for f in factors if f is not None]
        default_factor = max(set(known), key=known.count) if known else 1.0
    for row in table.body_rows:
        label = _BULLET.sub("", clean_text(table.grid.get(row, label_col) or ""))
        if not label:
            continue
        raw_code = clean_text(table.grid.get(row, code_col.index) or "") if code_col else ""
        code_text = raw_code.rstrip(".").strip()
        factor = default_factor
        if unit_col is not None:
            unit_text = clean_text(table.grid.get(row, unit_col.index) or "")
            if unit_text:
                factor = _unit_factor(unit_text)
                if factor is None:
                    findings.add("warning", "unknown_unit",
                                 _("unit '{unit}' of '{label}' is not a money unit (tr.đ, triệu đồng, tỷ đồng); "
                                   "read as million VND").format(unit=unit_text, label=label),
                                 cell=table.ref(row, unit_col.index), **where)
                    factor = 1.0
        if not code_text and _TOTAL.match(fold(label)) and not entries:
            entry = {"code": "0", "parent_code": None, "level": 0}
        elif _NUMERIC_CODE.match(code_text):
            parts = code_text.split(".")
            parent = (
                ".".join(parts[:-1]) if len(parts) > 1 else ("0" if entries and entries[0]["code"] == "0" else None)
            )
            entry = {"code": code_text, "parent_code": parent, "level": len(parts)}
        else:  # no code, a dash, a letter: a child of the last numbered row
            if anchor is None:
                findings.add(
                    "warning",
                    "funding_structure",
                    _("'{label}' has no code and no numbered row above it; read as a top-level line").format(
                        label=label),
                    cell=table.ref(row, label_col),
                    **where,
                )
                parent, level = ("0" if entries and entries[0]["code"] == "0" else None), 1
            else:
                parent, level = anchor["code"], anchor["level"] + 1
            counters[parent or ""] = counters.get(parent or "", 0) + 1
            entry = {
                "code": f"{parent}.{counters[parent or '']}"
                if parent and parent != "0"
                else str(counters[parent or ""]),
                "parent_code": parent,
                "level": level,
            }
        entry.update(label=label, row=row, factor=factor)
        if entry["code"] == "0" or _NUMERIC_CODE.match(code_text):
            anchor = entry  # unnumbered rows below become its children
        entries.append(entry)

    codes = [e["code"] for e in entries]
    for e in entries:
        if codes.count(e["code"]) > 1:
            findings.add(
                "error",
                "duplicate_funding_code",
                _("code '{code}' ('{label}') appears more than once").format(code=e["code"], label=e["label"]),
                cell=table.ref(e["row"], code_col.index if code_col else label_col),
                **where,
            )
    parents = {e["parent_code"] for e in entries}
    rows: list[dict] = []
    for col in table.value_columns():
        for e in entries:
            value = read_number(table, e["row"], col.index, findings, f"'{e['label']}', {col.year}")
            amount = None if value is None else value * e["factor"]
            rows.append(
                {
                    "year": col.year,
                    "status": col.status,
                    "code": e["code"],
                    "parent_code": e["parent_code"],
                    "level": e["level"],
                    "source": e["label"],
                    "amount_million_vnd": amount,
                    "is_leaf": e["code"] not in parents,
                    "cell": cell_ref(table, e["row"], col.index),
                    "_label": e["label"],
                }
            )
    return rows
