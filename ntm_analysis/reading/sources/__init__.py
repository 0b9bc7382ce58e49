"""Carriers: each turns a file into grids of cells (see :mod:`ntm_analysis.reading.grid`).

``load_grids`` picks the carrier by file type. A new carrier (a Word document)
registers a loader here; the table finder does not change.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ...config import is_lock_file, lock_message
from ...findings import Findings
from ...i18n import _
from ..grid import Grid
from .docx import load_docx_grids, refuse_other_document
from .markdown import load_markdown_grids
from .xlsx import load_xlsx_grids


def _docx(path: Path, findings: Findings) -> list[Grid]:
    return load_docx_grids(path, findings)


def _refused_document(path: Path, findings: Findings) -> list[Grid]:
    return refuse_other_document(path, findings)


def _pdf(path: Path, findings: Findings) -> list[Grid]:
    from .pdf import load_pdf_grids  # noqa: PLC0415  (the PDF reader: pdfplumber, only for PDF files)
    return load_pdf_grids(path, findings)


def _image(path: Path, findings: Findings) -> list[Grid]:
    from .ocr import load_image_grids  # noqa: PLC0415  (the OCR engine only for images)
    return load_image_grids(path, findings)


Loader = Callable[[Path, Findings], list[Grid]]
LOADERS: dict[str, Loader] = {
    ".xlsx": load_xlsx_grids,
    ".xlsm": load_xlsx_grids,  # refused with a clear message by the loader
    ".xls": load_xlsx_grids,  # idem
    ".md": load_markdown_grids,
    ".txt": load_markdown_grids,  # plain text: lines, read the same way
    ".docx": _docx,
    ".pdf": _pdf,
    ".png": _image,
    ".jpg": _image,
    ".jpeg": _image,
    ".tif": _image,
    ".tiff": _image,
    ".docm": _refused_document,
    ".doc": _refused_document,
    ".rtf": _refused_document,
    ".odt": _refused_document,
}
#: The keys of LOADERS are the one list of the file types a build takes from data/raw; of
#: those, the types read (the others are refused with a reason; images are scans, read by OCR):
READABLE = (".xlsx", ".docx", ".pdf", ".md", ".txt", ".png", ".jpg", ".jpeg", ".tif", ".tiff")


def load_grids(path: Path, findings: Findings) -> list[Grid]:
    """Read ``path`` into grids; problems go to ``findings`` (never raised)."""
    loader = LOADERS.get(Path(path).suffix.lower())
    if is_lock_file(path):  # Office's lock file of an open file, not the file: not "corrupt"
        findings.add("error", "lock_file", lock_message(path), file=Path(path).name)
        return []
    if loader is None:
        suffix = Path(path).suffix
        message = _("files of type '{suffix}' cannot be read; give a workbook (.xlsx), a Word document (.docx), a "
                    "PDF or Markdown/text") if suffix else _("files without an extension cannot be read; give a "
                                                             "workbook (.xlsx), a Word document (.docx), a PDF or "
                                                             "Markdown/text")
        findings.add("error", "not_a_workbook", message.format(suffix=suffix), file=Path(path).name)
        return []
    return loader(Path(path), findings)
