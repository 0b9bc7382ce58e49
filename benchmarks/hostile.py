"""A hostile corpus for ``validate``: workbooks up to 20 MB built to cost time or
memory (dimension lies, zip bombs, entity expansion, too many cells, huge merges,
a giant string, random bytes, many sheets).

Usage: python benchmarks/hostile.py [FOLDER]   (default benchmarks/_work/hostile/)

Each file is built from the real plan (data/raw) by rewriting parts of its zip
package directly, so generation takes seconds and needs no Excel. ``make bench``
(section "hostile" of benchmarks/run.py) times ``validate`` on each file; the
promise (issue 12 §2): an answer (exit 0 or 1) within 10 s and 1 GB.
"""
from __future__ import annotations

import json
import random
import re
import sys
import zipfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PLAN = ROOT / "data" / "raw" / "ke-hoach-05-KH-UBND-2021-lao-cai.xlsx"
DEFAULT_DIR = BENCH / "_work" / "hostile"
MB = 1024 * 1024
SHEET1 = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _plan_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(PLAN) as z:
        return {n: z.read(n) for n in z.namelist()}


def _write(path: Path, parts: dict[str, bytes], extra: dict[str, object] | None = None) -> Path:
    """Write ``parts`` (bytes) and ``extra`` members (bytes, or a callable writing chunks)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
        for name, data in (extra or {}).items():
            if callable(data):
                with z.open(name, "w", force_zip64=True) as out:
                    data(out)
            else:
                z.writestr(name, data)
    return path


def _zeros(n_bytes: int):
    def write(out) -> None:
        chunk = b"\0" * MB
        for _ in range(n_bytes // MB):
            out.write(chunk)
    return write


def _sheet(rows_xml: str, merges: str = "", dimension: str = "") -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<worksheet {NS}>{dim}<sheetData>{rows_xml}</sheetData>{merges}</worksheet>').encode()


def _numbers_sheet(n_rows: int, n_cols: int) -> bytes:
    letters = [chr(65 + i) for i in range(n_cols)]
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{r}</v></c>' for c in letters) + "</row>"
                   for r in range(1, n_rows + 1))
    return _sheet(rows)


def generate(folder: Path = DEFAULT_DIR) -> list[tuple[Path, str]]:
    """Write the hostile corpus into ``folder``; return (file, what it is)."""
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(12)
    plan = _plan_parts()
    out: list[tuple[Path, str]] = []

    def add(name: str, what: str, parts: dict[str, bytes], extra: dict | None = None) -> None:
        out.append((_write(folder / name, parts, extra), what))

    add("dimension-lie.xlsx", "one cell at XFD1048576, nothing else",
        plan | {SHEET1: _sheet('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')})
    sheet1 = plan[SHEET1].decode()
    claimed = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', sheet1)
    add("dimension-claim.xlsx", "the plan, its first sheet claiming A1:XFD1048576", plan | {SHEET1: claimed.encode()})
    far = sheet1.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>7</v></c></row></sheetData>')
    add("plan-far-cell.xlsx", "the plan with one more cell at XFD1048576", plan | {SHEET1: far.encode()})
    add("zip-bomb-400mb.xlsx", "the plan with a part that inflates to 400 MB", plan,
        {"xl/media/padding.bin": _zeros(400 * MB)})
    add("zip-bomb-ratio.xlsx", "the plan with a 40 MB part compressed 1000:1", plan,
        {"xl/media/padding.bin": _zeros(40 * MB)})
    add("sheet-bomb.xlsx", "a sheet whose XML inflates to 45 MB of blank rows",
        plan | {SHEET1: _sheet('<row r="1"/>' * (45 * MB // 12))})
    add("many-cells.xlsx", "500 000 number cells (over the cell cap)",
        plan | {SHEET1: _numbers_sheet(50_000, 10)})
    add("many-cells-under-cap.xlsx", "150 000 number cells (under the cell cap)",
        plan | {SHEET1: _numbers_sheet(15_000, 10)})
    add("huge-merge.xlsx", "a merged range A1:XFD1048576",
        plan | {SHEET1: sheet1.replace("</worksheet>", "").split("<mergeCells")[0].encode()
                + b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>'})
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                        for i in range(1, 10))
              + f']><worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>'
              '</row></sheetData></worksheet>')
    add("entity-expansion.xlsx", "billion laughs in a sheet", plan | {SHEET1: laughs.encode()})
    external = (f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]><worksheet {NS}>'
                '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData>'
                '</worksheet>')
    add("external-entity.xlsx", "an external entity (file:///etc/passwd)", plan | {SHEET1: external.encode()})
    giant = "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(12 * MB))
    add("giant-string.xlsx", "one cell holding a 12 MB string",
        plan | {SHEET1: _sheet(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{giant}</t></is></c></row>')})
    many = {n: d for n, d in plan.items() if n not in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                                        "[Content_Types].xml")}
    n_sheets = 200
    sheets = "".join(f'<sheet name="S{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, n_sheets + 1))
    many["xl/workbook.xml"] = (f'<workbook {NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                               f'relationships"><sheets>{sheets}</sheets></workbook>').encode()
    rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   f'relationships/worksheet" Target="worksheets/s{i}.xml"/>' for i in range(1, n_sheets + 1))
    many["xl/_rels/workbook.xml.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + rels + "</Relationships>").encode()
    overrides = "".join(f'<Override PartName="/xl/worksheets/s{i}.xml" ContentType="application/'
                        f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                        for i in range(1, n_sheets + 1))
    many["[Content_Types].xml"] = re.sub(rb"</Types>", overrides.encode() + b'<Override PartName="/xl/workbook.'
                                         b'xml" ContentType="application/vnd.openxmlformats-officedocument.'
                                         b'spreadsheetml.sheet.main+xml"/></Types>',
                                         re.sub(rb'<Override PartName="/xl/(workbook|worksheets/[^"]*)\.xml"'
                                                rb'[^>]*/>', b"", plan["[Content_Types].xml"]))
    for i in range(1, n_sheets + 1):
        many[f"xl/worksheets/s{i}.xml"] = plan[SHEET1]
    add("many-sheets.xlsx", f"{n_sheets} copies of Biểu 01", many)
    (folder / "random-bytes.xlsx").write_bytes(rnd.randbytes(20 * 1000 * 1000))
    out.append((folder / "random-bytes.xlsx", "20 MB of random bytes named .xlsx"))
    data = PLAN.read_bytes()
    (folder / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    out.append((folder / "truncated.xlsx", "the plan cut in half"))
    (folder / "corpus.json").write_text(json.dumps([{"file": p.name, "what": w} for p, w in out],
                                                   ensure_ascii=False, indent=1), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else DEFAULT_DIR
    for path, what in generate(folder):
        print(f"{path.stat().st_size / 1e6:8.2f} MB  {path.name}: {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
