"""``ntm-analysis sources``: what is in a raw folder and what each source holds."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .build import raw_files
from .reader import read_source


def sources_report(raw_dir: Path) -> pd.DataFrame:
    """One row per raw workbook: kind, document, years, statuses, tables, findings."""
    rows = []
    for path in raw_files(raw_dir):
        read = read_source(path)
        periods = sorted({(int(y), s) for _, f in read.tables.items() for y, s in zip(f.year, f.status)})
        tables = [name for name, frame in read.tables.items() if not frame.empty]
        rows.append({"source_id": read.info.source_id, "kind": read.info.kind,
                     "document": read.info.document_number, "date": read.info.document_date,
                     "periods": ", ".join(f"{y} {s}" for y, s in periods), "tables": ", ".join(tables),
                     "errors": len(read.findings.errors), "warnings": len(read.findings.warnings),
                     "illustrative": read.info.illustrative})
    return pd.DataFrame(rows)
