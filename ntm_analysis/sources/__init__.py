"""Carriers: each turns a file into grids of cells (see :mod:`ntm_analysis.grid`).

``load_grids`` picks the carrier by file type. A new carrier (a Word document)
registers a loader here; the table finder does not change.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..findings import Findings
from ..grid import Grid
from .markdown import load_markdown_grids
from .xlsx import load_xlsx_grids

Loader = Callable[[Path, Findings], list[Grid]]
LOADERS: dict[str, Loader] = {
    ".xlsx": load_xlsx_grids,
    ".xlsm": load_xlsx_grids,  # refused with a clear message by the loader
    ".xls": load_xlsx_grids,  # idem
    ".md": load_markdown_grids,
}


def load_grids(path: Path, findings: Findings) -> list[Grid]:
    """Read ``path`` into grids; problems go to ``findings`` (never raised)."""
    loader = LOADERS.get(Path(path).suffix.lower())
    if loader is None:
        findings.add("error", "not_a_workbook",
                     f"this is not an Excel workbook (.xlsx); files of type "
                     f"'{Path(path).suffix or 'without extension'}' cannot be read; save it as .xlsx",
                     file=Path(path).name)
        return []
    return loader(Path(path), findings)
