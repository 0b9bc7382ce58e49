"""Read N synthetic workbooks into one combined set of tidy tables (benchmark row 3).

Run in a fresh process by benchmarks/run.py, which polls /proc for the memory of
this process and its workers. Prints one JSON object on its last line.

Usage: python benchmarks/scale.py RAW_DIR REFERENCE_DIR --n N [--workers 2] [--profile FILE]

The timed part is ``read_all(files, reference_dir, workers)`` (the process pool
included: starting it, loading the reference in each worker, sending the tables
back) followed by ``combine``. Imports are not timed. The workbooks come from
different provinces, and ``combine`` keys figures by year, status and criterion
(or indicator, or funding code) without the province, so the sources are
combined province by province (each province's plans resolved among themselves)
and the results concatenated; the conflicts that one ``combine`` over all
provinces would report are counted too (``cross_province_conflicts``).
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

import pandas as pd

from ntm_analysis.combine import combine
from ntm_analysis.findings import Findings
from ntm_analysis.inputs import raw_files, read_all
from ntm_analysis.tidy import TidyTables


def combine_by_province(reads: list) -> tuple[TidyTables, pd.DataFrame, Findings]:
    """``combine`` per province (sidecar ``province_code``), then one set of tables."""
    groups: dict[str, list] = defaultdict(list)
    for r in reads:
        groups[str(r.info.extra.get("province_code", ""))].append(r)
    findings = Findings()
    parts, conflicts = [], []
    for code in sorted(groups):
        tables, conf = combine(groups[code], findings)
        parts.append(tables)
        conflicts.append(conf)
    combined = TidyTables.concat(parts)
    return combined, pd.concat(conflicts, ignore_index=True), findings


def check_reads(reads: list) -> list[str]:
    """Problems that make the benchmark invalid: any error, or a table not read whole."""
    problems = []
    for r in reads:
        for f in r.findings.errors:
            problems.append(f.line())
        expected = r.info.extra.get("expected_rows") or {}
        for name, frame in r.tables.items():
            if name in expected and len(frame) != expected[name]:
                problems.append(f"{r.info.file}: {name} has {len(frame)} rows, expected {expected[name]}")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("raw", type=Path)
    ap.add_argument("reference", type=Path)
    ap.add_argument("--n", type=int, default=0, help="first N workbooks (0: all)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--all-at-once", action="store_true",
                    help="also time one combine() over all provinces (cross-province conflicts)")
    args = ap.parse_args(argv)
    files = sorted(raw_files(args.raw), key=lambda p: _order(p))
    files = files[:args.n] if args.n else files

    cpu0 = _cpu()
    t0 = time.perf_counter()
    reads = read_all(files, args.reference, workers=args.workers)
    t1 = time.perf_counter()
    tables, conflicts, findings = combine_by_province(reads)
    t2 = time.perf_counter()
    cpu = _cpu() - cpu0
    out = {
        "n": len(files),
        "workers": args.workers,
        "read_s": t1 - t0,
        "combine_s": t2 - t1,
        "total_s": t2 - t0,
        "cpu_s": cpu,
        "errors": sum(len(r.findings.errors) for r in reads) + len(findings.errors),
        "warnings": sum(len(r.findings.warnings) for r in reads),
        "rows": {name: len(frame) for name, frame in tables.items()},
        "conflicts": len(conflicts),
        "problems": check_reads(reads)[:20],
    }
    if args.all_at_once:
        t3 = time.perf_counter()
        all_findings = Findings()
        _, all_conflicts = combine(reads, all_findings)
        out["combine_all_s"] = time.perf_counter() - t3
        out["cross_province_conflicts"] = len(all_conflicts)
    print(json.dumps(out))
    return 0


def _cpu() -> float:
    """CPU seconds (user + system) of this process and its ended children (the pool's workers)."""
    return sum(
        r.ru_utime + r.ru_stime
        for r in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    )


def _order(path: Path) -> tuple:
    """Generation order: workbook k is year 2021 + k // 63, province k % 63."""
    parts = path.stem.split("-")  # ke-hoach-YEAR-CODE-synthetic
    try:
        return int(parts[2]), int(parts[3]), path.name
    except (IndexError, ValueError):
        return 9999, 0, path.name


if __name__ == "__main__":
    sys.exit(main())
