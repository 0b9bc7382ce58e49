"""ntm-analysis: tidy tables, analyses and briefing charts for Vietnam's
National Target Programme on New Rural Development (NTM).

The public API is imported lazily so that ``ntm-analysis validate`` stays light
(no matplotlib, no seaborn).
"""
from __future__ import annotations

__version__ = "0.1.0"

from importlib import import_module
from typing import Any

_LAZY = {
    "read_source": "ntm_analysis.reading.reader",
    "read_sources": "ntm_analysis.reading.reader",
    "TidyTables": "ntm_analysis.tables.tidy",
    "parse_vn_number": "ntm_analysis.reading.numbers",
    "load_reference": "ntm_analysis.reference",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'ntm_analysis' has no attribute {name!r}")
