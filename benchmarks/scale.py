"""Check a build of synthetic workbooks (benchmark row 3): every source read whole.

``benchmarks/run.py`` builds N synthetic workbooks (``generate.py``) with
``ntm-analysis build`` in a fresh process and then asks this module whether the
build is right: no error in ``validation.csv``, every source of the raw folder
listed in ``sources.csv``, and every table of every source holding the number of
rows its sidecar states (``expected_rows``). It also compares two processed
folders (an incremental build against a build from scratch).

Usage: python benchmarks/scale.py RAW_DIR PROCESSED_DIR   (prints JSON; exit 1 on a problem)
"""
from __future__ import annotations

import argparse
import json
import sys
import zipfile
from pathlib import Path

import pandas as pd

TABLES = ("criteria", "commune_bands", "province", "districts", "funding")


def expected_rows(raw: Path) -> dict[str, dict[str, int]]:
    """source_id -> table -> rows, as each sidecar of ``raw`` states them."""
    out = {}
    for meta in sorted(Path(raw).glob("*.meta.json")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        if "expected_rows" in data:
            out[str(data["source_id"])] = data["expected_rows"]
    return out


def check_build(raw: Path, processed: Path) -> dict:
    """Sources, rows per table, findings by severity, and the problems that make the
    benchmark invalid (any error; a source missing; a table not read whole)."""
    processed = Path(processed)
    validation = pd.read_csv(processed / "validation.csv", dtype=str, keep_default_na=False)
    sources = pd.read_csv(processed / "sources.csv", dtype=str, keep_default_na=False)
    expected = expected_rows(raw)
    problems = [f"{r.file} {r.sheet}!{r.cell}: {r.message}" for r in validation.itertuples()
                if r.severity == "error"]
    problems += [f"{s}: not in sources.csv" for s in sorted(set(expected) - set(sources.source_id))]
    rows = {}
    for name in TABLES:
        table = pd.read_csv(processed / f"{name}.csv", dtype={"source_id": str}, usecols=["source_id"])
        rows[name] = len(table)
        counts = table.source_id.value_counts()
        for source, tables in expected.items():
            if name in tables and int(counts.get(source, 0)) != tables[name]:
                problems.append(f"{source}: {name} has {int(counts.get(source, 0))} rows, expected {tables[name]}")
    severities = validation.severity.value_counts()
    return {"sources": len(sources), "rows": rows, "errors": int(severities.get("error", 0)),
            "warnings": int(severities.get("warning", 0)), "problems": problems[:20]}


def same_outputs(a: Path, b: Path) -> list[str]:
    """The outputs of two processed folders that differ (the manifest and the Excel
    file's own creation date aside); [] when they are the same."""
    a, b = Path(a), Path(b)
    names_a = {p.name for p in a.iterdir() if not p.name.startswith(".")}
    names_b = {p.name for p in b.iterdir() if not p.name.startswith(".")}
    differ = sorted(names_a ^ names_b)
    for name in sorted(names_a & names_b - {"manifest.json"}):
        if name.endswith(".xlsx"):
            with zipfile.ZipFile(a / name) as za, zipfile.ZipFile(b / name) as zb:
                parts = [n for n in za.namelist() if n != "docProps/core.xml"]
                if parts != [n for n in zb.namelist() if n != "docProps/core.xml"] or any(
                        za.read(p) != zb.read(p) for p in parts):
                    differ.append(name)
        elif (a / name).read_bytes() != (b / name).read_bytes():
            differ.append(name)
    return differ


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("raw", type=Path)
    ap.add_argument("processed", type=Path)
    args = ap.parse_args(argv)
    result = check_build(args.raw, args.processed)
    print(json.dumps(result, ensure_ascii=False))
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
