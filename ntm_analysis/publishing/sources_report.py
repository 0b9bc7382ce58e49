"""``ntm-analysis sources``: what is in a raw folder and what each source holds."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..i18n import current_language
from ..reading.inputs import raw_files
from ..reading.reader import read_source
from ..reference import period_label
from ..tables.tidy import VALUE_COLUMN
from .outputs import sheet_labels


def sources_report(raw_dir: Path, lang: str | None = None) -> pd.DataFrame:
    """One row per raw workbook: kind, year, document, the periods (year and
    status: "2020 (thực hiện), 2021 (kế hoạch)") and tables (by their sheet names
    in ntm_tables.xlsx) it gives figures for, in ``lang`` (default: the current
    language), and its findings. Blank cells do not count: an untouched template
    holds no periods and no tables."""
    lang = lang or current_language()
    sheets = sheet_labels(lang)
    rows = []
    for path in raw_files(raw_dir):
        read = read_source(path)
        filled = {name: frame[frame[VALUE_COLUMN[name]].notna()] for name, frame in read.tables.items()}
        periods = sorted({(int(y), s) for f in filled.values() if "status" in f
                          for y, s in zip(f.year, f.status) if not pd.isna(y)})
        rows.append({"source_id": read.info.source_id, "kind": read.info.kind, "year": read.info.year,
                     "document": read.info.document_number, "date": read.info.document_date,
                     "periods": ", ".join(period_label(y, s, lang) for y, s in periods),
                     "tables": ", ".join(sheets.get(name, name) for name, frame in filled.items() if len(frame)),
                     "errors": len(read.findings.errors), "warnings": len(read.findings.warnings),
                     "illustrative": read.info.illustrative})
    return pd.DataFrame(rows)
