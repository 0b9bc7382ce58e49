"""Biểu 01: criteria counts, commune bands and the province summary."""
from __future__ import annotations

import re

from ..findings import Findings
from ..i18n import _
from ..reference import Reference, period_label
from ..text import clean_text, fold
from .cells import cell_ref, read_count, read_number
from .finder import LocatedTable

_CRITERION = re.compile(r"tieu chi ?(?:so ?)?(\d{1,2})\b")  # (a scan may run "chí số1" together)
_BAND_RANGE = re.compile(r"(\d{1,2})\s*(?:-|–|den)\s*(\d{1,2}) tieu chi")
_BAND_UNDER = re.compile(r"duoi (\d{1,2}) tieu chi")
_BAND_ONE = re.compile(r"dat (?:du )?(\d{1,2}) tieu chi")


def classify_row(label: str, reference: Reference) -> tuple[str, object] | None:
    """What a Biểu 01 row holds: ("criterion", id), ("band", (min, max)),
    ("indicator", name), or None for a section heading."""
    text = fold(label)
    if match := _CRITERION.search(text):
        return "criterion", int(match.group(1))
    if (cid := reference.criterion_by_name(label)) is not None:
        return "criterion", cid
    if match := _BAND_RANGE.search(text):
        return "band", (int(match.group(1)), int(match.group(2)))
    if match := _BAND_UNDER.search(text):
        return "band", (0, int(match.group(1)) - 1)
    if match := _BAND_ONE.search(text):
        return "band", (int(match.group(1)), int(match.group(1)))
    for name, pattern, scope in zip(reference.indicators.indicator, reference.indicators.header_pattern,
                                    reference.indicators.scope):
        if scope in ("province", "both") and re.search(pattern, text):
            return "indicator", name
    return None


def band_label(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}-{high}"


def parse_criteria(table: LocatedTable, reference: Reference, findings: Findings) -> dict[str, list[dict]]:
    """Rows of the province, commune_bands and criteria tables (with their cells)."""
    out: dict[str, list[dict]] = {"province": [], "commune_bands": [], "criteria": []}
    units = reference.indicators.set_index("indicator").unit
    label_col = table.label_col
    where = dict(file=table.grid.file, sheet=table.grid.sheet)
    for col in table.value_columns():
        if col.year is None:
            continue
        for row in table.body_rows:
            label = clean_text(table.grid.get(row, label_col) or "")
            if not label:
                continue
            kind = classify_row(label, reference)
            what = f"'{label}', {period_label(col.year, col.status)}"
            is_count = kind is not None and (kind[0] != "indicator" or units[kind[1]] == "communes")
            value = (read_count if is_count else read_number)(table, row, col.index, findings, what)
            base = {"year": col.year, "status": col.status, "cell": cell_ref(table, row, col.index),
                    "_label": label}
            if kind is None:
                if value is not None:
                    findings.add("warning", "unknown_row",
                                 _("row '{label}' is not a criterion, a band or a known indicator; "
                                   "skipped").format(label=label),
                                 cell=table.ref(row, label_col), **where)
                continue
            if kind[0] == "criterion":
                out["criteria"].append(base | {"criterion_id": kind[1], "communes": value})
            elif kind[0] == "band":
                low, high = kind[1]
                out["commune_bands"].append(base | {"band": band_label(low, high), "min_criteria": low,
                                                    "max_criteria": high, "communes": value})
            else:
                out["province"].append(base | {"indicator": kind[1], "value": value,
                                               "unit": units[kind[1]]})
    return out
