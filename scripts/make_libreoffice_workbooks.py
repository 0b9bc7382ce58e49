"""Write the workbooks LibreOffice Calc saves, for the tests (the outputs are committed,
so the tests need neither this script nor LibreOffice).

tests/documents/libreoffice/plan-libreoffice.xlsx
    plan 05 (data/raw) opened and saved as .xlsx by LibreOffice Calc: its text in a
    shared-strings table (sharedStrings.xml), its merged header cells kept.
tests/documents/libreoffice/plan-formulas-libreoffice.xlsx
    the same with totals as formulas (Biểu 02 C7 =SUM(C8:C16), the province's new NTM
    communes over the districts'; Biểu 03 D8 =D9+D10, the central budget over its two
    parts, typed as numbers), saved by LibreOffice with their calculated values, as an
    office using LibreOffice keeps a plan.

Needs LibreOffice (soffice, e.g. apt-get install libreoffice-calc-nogui).
Usage: python scripts/make_libreoffice_workbooks.py
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "data" / "raw" / "ke-hoach-05-KH-UBND-2021-lao-cai.xlsx"
OUT = ROOT / "tests" / "documents" / "libreoffice"
#: The cells changed in the plan's copy with formulas: (sheet, cell) -> formula or number
#: (the numbers are the plan's own: 25.500 and 6.000 million VND).
FORMULAS = {("Biểu 02", "C7"): "=SUM(C8:C16)", ("Biểu 03", "D9"): 25500, ("Biểu 03", "D10"): 6000,
            ("Biểu 03", "D8"): "=D9+D10"}


def _through_libreoffice(source: Path, outdir: Path, profile: Path) -> Path:
    """``source`` opened and saved as .xlsx by LibreOffice Calc, into ``outdir``."""
    soffice = shutil.which("soffice")
    if not soffice:
        raise SystemExit("LibreOffice (soffice) is needed: apt-get install libreoffice-calc-nogui")
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--calc",
                    "--convert-to", "xlsx:Calc Office Open XML", "--outdir", str(outdir), str(source)],
                   check=True, capture_output=True, timeout=240)
    return outdir / f"{source.stem}.xlsx"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "in").mkdir()
        shutil.copy(PLAN, tmp / "in" / "plan-libreoffice.xlsx")
        workbook = openpyxl.load_workbook(PLAN)
        for (sheet, cell), formula in FORMULAS.items():
            workbook[sheet][cell] = formula
        workbook.save(tmp / "in" / "plan-formulas-libreoffice.xlsx")
        for name in ("plan-libreoffice", "plan-formulas-libreoffice"):
            written = _through_libreoffice(tmp / "in" / f"{name}.xlsx", tmp / "out", tmp / "profile")
            shutil.copy(written, OUT / written.name)
            print(f"wrote {(OUT / written.name).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
