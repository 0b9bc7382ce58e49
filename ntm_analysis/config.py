"""Paths of the project, resolved from this file so that code works from any
working folder (notebooks included). One module owns them.

``NTM_PROJECT_ROOT`` overrides the root (useful when the package is installed
outside its checkout).
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR: Path = Path(__file__).resolve().parent
REFERENCE_DIR: Path = PACKAGE_DIR / "reference"
STYLE_FILE: Path = PACKAGE_DIR / "charts" / "ntm.mplstyle"

PROJECT_ROOT: Path = Path(os.environ.get("NTM_PROJECT_ROOT", PACKAGE_DIR.parent)).resolve()
DATA_DIR: Path = PROJECT_ROOT / "data"
RAW_DIR: Path = DATA_DIR / "raw"
PROCESSED_DIR: Path = DATA_DIR / "processed"
EXAMPLES_DIR: Path = DATA_DIR / "examples"
FIGURES_DIR: Path = PROJECT_ROOT / "figures"
REPORTS_DIR: Path = PROJECT_ROOT / "reports"
NOTEBOOKS_DIR: Path = PROJECT_ROOT / "notebooks"

#: Largest workbook the reader opens (bytes).
MAX_WORKBOOK_BYTES: int = 20 * 1024 * 1024
#: Suffix of the sidecar metadata file that sits beside each raw workbook.
SIDECAR_SUFFIX: str = ".meta.json"


def sidecar_path(workbook: Path) -> Path:
    """Sidecar metadata file of ``workbook``: ``name.xlsx`` -> ``name.meta.json``."""
    workbook = Path(workbook)
    return workbook.with_name(workbook.stem + SIDECAR_SUFFIX)
#: Largest Word or PDF document the reader opens (bytes).
MAX_DOCUMENT_BYTES: int = 50 * 1024 * 1024
#: Most pages of a PDF the reader reads, and the longest time one page may take (seconds).
MAX_PDF_PAGES: int = 300
MAX_SECONDS_PER_PDF_PAGE: float = 20.0
#: Where the published plan documents sit beside the project (read by notebook 01
#: when data/raw holds no document; absent on most machines).
SOURCE_DOCUMENTS_DIR: Path = PROJECT_ROOT.parent / "shared" / "source"
