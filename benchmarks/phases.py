"""Where one ``build --force`` spends its time, phase by phase (for results.md).

Wraps the steps that ``ntm_analysis.build.build`` calls (read_all, combine,
analysis.run_all, write_tables, write_excel, charts.draw_all, and each
``save_figure``) with timers, runs one build in this process into OUT_DIR and
prints a small table. Imports are timed first, in the order a build makes them.
A step the package no longer has is simply not shown.

Usage: python benchmarks/phases.py RAW_DIR OUT_DIR [--workers N]

With a source cache already in OUT_DIR/processed/.cache (an earlier build into the
same folder), read_all takes the sources from it: the phases of a rebuild.
The figures are drawn in this process (``workers=1``), so that drawing and
saving them can be timed; ``build`` draws them in worker processes by default,
which shortens the wall time of draw_all when a core is free, not its CPU time.

Usage: python benchmarks/phases.py RAW_DIR OUT_DIR
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

T0 = time.perf_counter()
rows: list[tuple[str, float]] = []
spans: dict[str, tuple[float, float]] = {}  # label -> (start, end) of the wrapped steps


def _timed(label: str, start: float) -> None:
    end = time.perf_counter()
    rows.append((label, end - start))
    spans[label] = (start, end)


def _wrap(module, name: str, label: str) -> None:
    fn = getattr(module, name, None)
    if fn is None:
        return

    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            _timed(label, t)
    setattr(module, name, wrapper)


def main(raw: Path, out: Path, workers: int = 1) -> int:
    t = time.perf_counter()
    import openpyxl  # noqa: F401,PLC0415
    import pandas  # noqa: F401,PLC0415
    _timed("import pandas, openpyxl", t)
    t = time.perf_counter()
    from ntm_analysis import build as B  # noqa: PLC0415
    _timed("import ntm_analysis.build", t)
    t = time.perf_counter()
    try:
        import ntm_analysis.analysis as A  # noqa: PLC0415
        import ntm_analysis.charts as C  # noqa: PLC0415
        import ntm_analysis.charts.base as CB  # noqa: PLC0415
    except ImportError as exc:
        print(f"(analysis or charts missing: {exc})")
        return 1
    _timed("import ntm_analysis.analysis, .charts (matplotlib)", t)
    _wrap(B, "read_all", "read_all (workbooks -> tidy tables, validated)")
    _wrap(B, "combine", "combine")
    _wrap(A, "run_all", "analysis.run_all")
    _wrap(B, "write_tables", "write_tables (CSV)")
    _wrap(B, "write_excel", "write_excel (ntm_tables.xlsx)")
    _wrap(C, "draw_all", "charts.draw_all (draw + save, in this process: workers=1)")
    saves: list[float] = []
    save = getattr(CB, "save_figure", None)
    if save is not None:
        def timed_save(*args, **kwargs):
            t = time.perf_counter()
            try:
                return save(*args, **kwargs)
            finally:
                saves.append(time.perf_counter() - t)
        for module in [CB] + [m for n, m in list(sys.modules.items())
                                if n == "ntm_analysis.charts" or n.startswith("ntm_analysis.charts.")]:
            if getattr(module, "save_figure", None) is save:
                module.save_figure = timed_save
    t = time.perf_counter()
    B.build(raw, out / "processed", out / "figures", force=True, workers=workers)
    total_build = time.perf_counter() - t
    total = time.perf_counter() - T0
    draw = next((s for label, s in rows if label.startswith("charts.draw_all")), None)

    def inside(label: str) -> bool:  # a step run within another (the tables, written within draw_all)
        a, b = spans.get(label, (0, 0))
        return any(x <= a and b <= y and other != label for other, (x, y) in spans.items())
    nested = sum(s for label, s in rows if inside(label))
    rows[:] = [(("  within it: " + label) if inside(label) else label, s) for label, s in rows]
    if saves and draw is not None:
        rows.append((f"  of which save_figure ({len(saves)} figures, PNG + SVG: the layout solved once, "
                     f"then each format drawn once)", sum(saves)))
        rows.append(("  of which drawing the figures (figure functions)", draw - sum(saves) - nested))
    accounted = sum(s for label, s in rows if not label.startswith(("import", "  ")))
    rows.append(("rest of build() (hashing, manifest, staging, moves)", total_build - accounted))
    sources = len(list(Path(raw).glob("*.xlsx")))
    print(f"phases of one build of {sources} workbooks ({workers} worker{'s' if workers > 1 else ''}, {total:.2f} s "
          f"from interpreter start to end; the interpreter's own start is not included)")
    for label, seconds in rows:
        print(f"{seconds:8.3f} s  {label}")
    if draw is not None:
        print(f"charts.draw_all is {draw / total_build:.0%} of build() and {draw / total:.0%} of the whole run")
    return 0


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("raw", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    sys.exit(main(args.raw, args.out, args.workers))
