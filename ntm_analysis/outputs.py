"""Writing outputs atomically: everything goes to a temporary folder first and
is moved into place only when the whole run has succeeded."""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pandas as pd

from .config import REFERENCE_DIR


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """UTF-8, comma-separated, '.' as the decimal point, blanks for missing."""
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


@contextmanager
def staging(target: Path) -> Iterator[Path]:
    """A temporary folder beside ``target``; on success its files replace
    those of ``target`` one by one (``os.replace``), on failure it is removed
    and ``target`` is left exactly as it was."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    target.mkdir(parents=True, exist_ok=True)
    for item in sorted(tmp.iterdir()):
        os.replace(item, target / item.name)
    shutil.rmtree(tmp, ignore_errors=True)


def column_labels(lang: str = "vi", *, notebook: bool = False) -> dict[str, str]:
    """Column -> label (reference/column_labels.csv): the Excel headers, or with
    ``notebook`` the labels of the notebooks' tables (``notebook_vi``/``notebook_en``
    where given, else the same). A blank label leaves the column's name as it is."""
    labels = pd.read_csv(REFERENCE_DIR / "column_labels.csv", dtype=str, keep_default_na=False)
    lang = lang if lang in ("vi", "en") else "vi"
    shown = labels[lang]
    if notebook:
        shown = labels[f"notebook_{lang}"].where(labels[f"notebook_{lang}"] != "", shown)
    return {column: label for column, label in zip(labels.column, shown) if label}


def write_excel(frames: dict[str, pd.DataFrame], path: Path, lang: str = "vi") -> Path:
    """One sheet per table, readable column headers (Vietnamese by default)."""
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    labels = column_labels(lang)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in frames.items():
            shown = frame.rename(columns=lambda c: labels.get(c, c))
            shown.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            sheet.freeze_panes = "A2"
            for i, col in enumerate(shown.columns, start=1):
                width = max([len(str(col))] + [len(str(v)) for v in shown[col].head(200)])
                sheet.column_dimensions[get_column_letter(i)].width = min(60, width + 2)
    return path
