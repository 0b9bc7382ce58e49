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


def _tree_rss_kb(root: int) -> int:
    """The resident memory (kB) of a process and all its descendants, from /proc (0 where there is no /proc)."""
    import os  # noqa: PLC0415

    parents, rss = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    tree, todo = {root}, [root]
    while todo:
        pid = todo.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                todo.append(child)
    return sum(rss.get(pid, 0) for pid in tree)


class MemorySampler:
    """The largest memory in use at once by this process and the processes it starts (Tesseract), sampled
    every ``every`` seconds in a thread: ``peak_mb``."""

    def __init__(self, every: float = 0.1) -> None:
        import os  # noqa: PLC0415
        import threading  # noqa: PLC0415

        self.peak_kb, self.every, self.pid = 0, every, os.getpid()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(self.pid))
            self._stop.wait(self.every)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024


def read_and_score(scan: str, word: str, workbook: str, out: str) -> None:
    """In a fresh process (the bench's timing): read ``scan`` by OCR, score it against the
    workbook and compare its narrative with the Word copy's; the result as JSON in ``out``."""
    import json  # noqa: PLC0415
    import resource  # noqa: PLC0415
    import time  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    from ntm_analysis.reading.reader import read_source  # noqa: PLC0415

    started, cpu_started = time.perf_counter(), _cpu_seconds()
    with MemorySampler() as memory:
        read = read_source(Path(scan))
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_started
    result = score(read, read_source(Path(workbook)))
    doc = read_source(Path(word)).tables
    cols = ["year", "indicator", "criterion_id", "value", "value_max"]
    targets = {tuple(map(str, r)) for r in read.tables.narrative_targets[cols].itertuples(index=False)}
    want = {tuple(map(str, r)) for r in doc.narrative_targets[cols].itertuples(index=False)}
    communes = list(read.tables.target_communes.commune_code) == list(doc.target_communes.commune_code)
    # the memory in use at once (this process and the Tesseracts it runs, sampled), and this process's own peak
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result.update({"seconds": seconds, "cpu_seconds": cpu, "max_rss_mb": max(memory.peak_mb, own),
                   "own_peak_mb": own, "load": " ".join(f"{x:.1f}" for x in _loadavg()),
                   "targets_same": len(targets & want),
                   "targets_word": len(want), "targets_extra": len(targets - want), "communes_same": communes,
                   "communes": len(read.tables.target_communes), "errors": len(read.findings.errors),
                   "ocr_uncertain": sum(f.check == "ocr_uncertain" for f in read.findings),
                   "wrong_list": [list(map(str, w)) for w in result["wrong_list"]],
                   "missing_list": [list(map(str, m)) for m in result["missing_list"]]})
    Path(out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


def _cpu_seconds() -> float:
    """CPU time (s) of this process and of the processes it has waited for (Tesseract)."""
    import resource  # noqa: PLC0415

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _loadavg() -> tuple[float, float, float]:
    import os  # noqa: PLC0415

    return os.getloadavg()


if __name__ == "__main__":
    import sys

    read_and_score(*sys.argv[1:5])
