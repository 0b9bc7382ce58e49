"""Scans of plan 05 read by OCR, scored figure by figure against the workbook
(``make bench`` rows O1–O3; the OCR tests use :func:`score`).

Each figure of Biểu 01–03 (the tidy tables ``criteria``, ``commune_bands``,
``province``, ``districts``, ``funding``) is matched by its key; it is

- **exact** when the scan gives the workbook's value;
- **flagged** when it differs (or is missing) and the read says so at its cell:
  a warning ``ocr_uncertain`` there, or any warning or error naming that cell
  (a sum that does not add up around it);
- **wrong** when it differs and nothing says so: a silent wrong number;
- **missing** when no row of the scan has its key (a finding then says which table).
"""
from __future__ import annotations

import math

#: The figures of Biểu 01–03: tidy table -> (key columns, value column).
FIGURES = {
    "criteria": (["year", "status", "criterion_id"], "communes"),
    "commune_bands": (["year", "status", "band"], "communes"),
    "province": (["year", "status", "indicator"], "value"),
    "districts": (["year", "status", "area_code", "indicator"], "value"),
    "funding": (["year", "status", "code"], "amount_million_vnd"),
}


def figures(read) -> dict[tuple, tuple[float | None, str]]:
    """(table, *key) -> (value, cell) for every figure of a read (``reader.SourceRead``)."""
    out = {}
    tables = read.tables.as_dict()
    for table, (keys, value) in FIGURES.items():
        frame = tables[table]
        for row in frame.to_dict("records"):
            v = row[value]
            v = None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
            out[(table, *[str(row[k]) for k in keys])] = (v, str(row["cell"]))
    return out


def flagged_cells(read) -> tuple[set[str], set[str]]:
    """The cells a read flags: (cells of ``ocr_uncertain`` warnings, cells named by any other warning or error)."""
    ocr, other = set(), set()
    for f in read.findings:
        if f.severity == "info":
            continue
        cells = {c.strip() for c in f.cell.split(";") if c.strip()}
        (ocr if f.check == "ocr_uncertain" else other).update(cells)
    return ocr, other


def score(scan_read, truth_read) -> dict:
    """Exact, flagged, wrong and missing figures of a scan's read against the
    workbook's, with the wrong and missing ones listed."""
    truth, got = figures(truth_read), figures(scan_read)
    ocr, other = flagged_cells(scan_read)
    result = {"figures": len(truth), "exact": 0, "flagged": 0, "flagged_ocr": 0, "wrong": 0, "missing": 0,
              "wrong_list": [], "missing_list": []}
    for key, (value, _cell) in truth.items():
        if key not in got:
            result["missing"] += 1
            result["missing_list"].append(key)
            continue
        read_value, cell = got[key]
        if read_value is None and value is not None:  # left blank: a gap, not a wrong number
            result["missing"] += 1
            result["missing_list"].append(key)
        elif read_value == value or (read_value is not None and value is not None and abs(read_value - value) < 1e-9):
            result["exact"] += 1
        elif cell in ocr:
            result["flagged"] += 1
            result["flagged_ocr"] += 1
        elif cell in other:
            result["flagged"] += 1
        else:
            result["wrong"] += 1
            result["wrong_list"].append((key, value, read_value, cell))
    return result


def read_and_score(scan: str, word: str, workbook: str, out: str) -> None:
    """In a fresh process (the bench's timing): read ``scan`` by OCR, score it against the
    workbook and compare its narrative with the Word copy's; the result as JSON in ``out``."""
    import json  # noqa: PLC0415
    import resource  # noqa: PLC0415
    import time  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    from ntm_analysis.reading.reader import read_source  # noqa: PLC0415

    started = time.perf_counter()
    read = read_source(Path(scan))
    seconds = time.perf_counter() - started
    result = score(read, read_source(Path(workbook)))
    doc = read_source(Path(word)).tables
    cols = ["year", "indicator", "criterion_id", "value", "value_max"]
    targets = {tuple(map(str, r)) for r in read.tables.narrative_targets[cols].itertuples(index=False)}
    want = {tuple(map(str, r)) for r in doc.narrative_targets[cols].itertuples(index=False)}
    communes = list(read.tables.target_communes.commune_code) == list(doc.target_communes.commune_code)
    # an upper bound of the memory in use at once: this process's peak and the largest Tesseract's, twice
    # (two pages are read at a time)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + \
        2 * resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result.update({"seconds": seconds, "max_rss_mb": rss / 1024, "targets_same": len(targets & want),
                   "targets_word": len(want), "targets_extra": len(targets - want), "communes_same": communes,
                   "communes": len(read.tables.target_communes), "errors": len(read.findings.errors),
                   "ocr_uncertain": sum(f.check == "ocr_uncertain" for f in read.findings),
                   "wrong_list": [list(map(str, w)) for w in result["wrong_list"]],
                   "missing_list": [list(map(str, m)) for m in result["missing_list"]]})
    Path(out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    import sys

    read_and_score(*sys.argv[1:5])
