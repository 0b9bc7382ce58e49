"""Where things are: the package's own files, and the project folder that holds
``data/raw/`` (inputs), ``data/processed/``, ``figures/`` and ``reports/``
(outputs). One function, :func:`find_project`, owns the rule that picks the
project folder, first match wins:

1. an explicit folder (``--project DIR`` on the command line, ``find_project(DIR)``);
2. the environment variable ``NTM_PROJECT``;
3. the current folder, when it holds ``data/raw/``;
4. the source checkout the package runs from (an editable install: the folder
   above the package holds this project's ``pyproject.toml``).

An installed package (not editable) is never its own project: with none of
these, :class:`ProjectNotFound` says what to do. The folder above
site-packages is never used.

``RAW_DIR``, ``PROCESSED_DIR``, ``EXAMPLES_DIR``, ``FIGURES_DIR``,
``REPORTS_DIR``, ``NOTEBOOKS_DIR``, ``DATA_DIR`` and ``PROJECT_ROOT`` are the
folders of the project found by that rule, worked out when they are read.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from .i18n import N_, _

PACKAGE_DIR: Path = Path(__file__).resolve().parent
REFERENCE_DIR: Path = PACKAGE_DIR / "reference"
STYLE_FILE: Path = PACKAGE_DIR / "publishing" / "charts" / "ntm.mplstyle"
#: Environment variable naming the project folder.
PROJECT_ENV: str = "NTM_PROJECT"
#: Name of the distribution in pyproject.toml (how a source checkout is recognised).
DISTRIBUTION: str = "ntm-analysis"

#: Processes a build works with at once (reading the sources, drawing the figures):
#: two, or one where only one core is available.
MOST_DEFAULT_WORKERS: int = 2
DEFAULT_WORKERS: int = min(MOST_DEFAULT_WORKERS, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                           else os.cpu_count() or 1)

#: Largest workbook the reader opens (bytes).
MAX_WORKBOOK_BYTES: int = 20 * 1024 * 1024
#: Suffix of the sidecar metadata file that sits beside each raw workbook.
SIDECAR_SUFFIX: str = ".meta.json"


class ProjectNotFound(Exception):
    """No project folder under the rule of :func:`find_project` (the message says what to do)."""


@dataclass(frozen=True)
class Project:
    """A project folder and why it was chosen (``how``: "--project", "NTM_PROJECT",
    "the current folder" or "the source checkout")."""

    root: Path
    how: str

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def raw(self) -> Path:
        """The inputs: workbooks and their ``.meta.json`` sidecars (never written)."""
        return self.data / "raw"

    @property
    def processed(self) -> Path:
        return self.data / "processed"

    @property
    def examples(self) -> Path:
        return self.data / "examples"

    @property
    def figures(self) -> Path:
        return self.root / "figures"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    def describe(self) -> str:
        """"project folder from the current folder: /path", in the current language."""
        return _("project folder from {how}: {root}").format(how=_(self.how), root=self.root)


def source_checkout(package_dir: Path = PACKAGE_DIR) -> Path | None:
    """The source checkout the package runs from, or None for an installed copy:
    the folder above the package, if it holds this project's pyproject.toml."""
    pyproject = package_dir.parent / "pyproject.toml"
    try:
        text = pyproject.read_text(encoding="utf-8")
    except OSError:
        return None
    return package_dir.parent if f'name = "{DISTRIBUTION}"' in text else None


def find_project(explicit: Path | str | None = None, *, cwd: Path | None = None,
                 environ: Mapping[str, str] | None = None, package_dir: Path = PACKAGE_DIR) -> Project:
    """The project folder, by the rule of this module's doc: ``explicit``, then
    ``$NTM_PROJECT``, then ``cwd`` (default: the current folder) if it holds
    ``data/raw/``, then the package's source checkout. Raises ProjectNotFound."""
    environ = os.environ if environ is None else environ
    if explicit:
        return Project(Path(explicit).expanduser().resolve(), N_("--project"))
    if environ.get(PROJECT_ENV):
        return Project(Path(environ[PROJECT_ENV]).expanduser().resolve(), PROJECT_ENV)
    here = Path.cwd() if cwd is None else Path(cwd)
    if (here / "data" / "raw").is_dir():
        return Project(here.resolve(), N_("the current folder"))
    checkout = source_checkout(package_dir)
    if checkout is not None:
        return Project(checkout, N_("the source checkout"))
    raise ProjectNotFound(
        _("no project folder: {folder} has no data/raw/ and the package is installed, not run from its "
          "source. Run from the folder that holds data/raw/, or name it with --project DIR or {variable}=DIR")
        .format(folder=here, variable=PROJECT_ENV))


_FOLDERS = {"PROJECT_ROOT": "root", "DATA_DIR": "data", "RAW_DIR": "raw", "PROCESSED_DIR": "processed",
            "EXAMPLES_DIR": "examples", "FIGURES_DIR": "figures", "REPORTS_DIR": "reports",
            "NOTEBOOKS_DIR": "notebooks"}


def __getattr__(name: str) -> Path:
    if name in _FOLDERS:
        return getattr(find_project(), _FOLDERS[name])
    if name == "SOURCE_DOCUMENTS_DIR":  # the published plan documents beside the project (notebook 01
        return find_project().root.parent / "shared" / "source"  # reads them when data/raw has none)
    raise AttributeError(f"module 'ntm_analysis.config' has no attribute {name!r}")


#: The cache's folder under the processed folder (``publishing.cache``): hidden, no output of a
#: build and no input of a report (its entries are keyed by the files they were made from).
CACHE_DIR = ".cache"

#: An office's own known unit changes (2021 units merged before 1 July 2025), read from data/raw.
OFFICE_CHANGES_FILE = "units-changes.csv"
#: The name Office gives the lock file of an open file: "~$" + the file's name.
LOCK_PREFIX: str = "~$"


def is_lock_file(path: Path) -> bool:
    """True for the lock file Excel (or Word) keeps beside a file while it is open."""
    return Path(path).name.startswith(LOCK_PREFIX)


#: What a lock file is, said wherever one is met (in data/raw, or given to read); {file}: the lock
#: file, {workbook}: the file it belongs to.
LOCK_MESSAGE: str = N_("this workbook is open in Excel: close it and run again ({file} is the lock file Excel "
                       "keeps while {workbook} is open; changes not yet saved are not read)")


def lock_message(path: Path) -> str:
    """:data:`LOCK_MESSAGE` for the lock file ``path``, in the current language."""
    name = Path(path).name
    return _(LOCK_MESSAGE).format(file=name, workbook=name[len(LOCK_PREFIX):])


def sidecar_path(workbook: Path) -> Path:
    """Sidecar metadata file of ``workbook``: ``name.xlsx`` -> ``name.meta.json``."""
    workbook = Path(workbook)
    return workbook.with_name(workbook.stem + SIDECAR_SUFFIX)

# ---- bounds on what one workbook may cost (checked before any XML is parsed) ----
#: Largest uncompressed size of one part of a zip container (xlsx, docx), bytes.
MAX_MEMBER_BYTES: int = 50 * 1024 * 1024
#: Largest uncompressed size of all parts together, bytes.
MAX_TOTAL_BYTES: int = 200 * 1024 * 1024
#: Largest compression ratio (uncompressed / compressed) of a large part ...
MAX_COMPRESSION_RATIO: int = 100
#: ... a part being large from this uncompressed size on, bytes.
RATIO_CHECKED_FROM_BYTES: int = 1024 * 1024
#: Most cells (filled or written empty) the reader streams from one workbook.
MAX_CELLS: int = 200_000
#: Most cells that merged ranges of one sheet may cover.
MAX_MERGED_CELLS: int = 100_000
#: Longest time spent streaming one workbook's cells, seconds.
MAX_READ_SECONDS: float = 6.0
#: Largest Word or PDF document the reader opens (bytes).
MAX_DOCUMENT_BYTES: int = 50 * 1024 * 1024
#: Most pages of a PDF the reader reads, and the longest time one page may take (seconds).
MAX_PDF_PAGES: int = 300
MAX_SECONDS_PER_PDF_PAGE: float = 20.0
#: The longest time OCR may spend on one scanned page (seconds), and the most pages of an image file.
MAX_SECONDS_PER_OCR_PAGE: float = 40.0
MAX_IMAGE_PAGES: int = 300
