"""Where one ``build --force`` spends its time, phase by phase (for results.md).

Wraps the steps that ``ntm_analysis.publishing.build.build`` calls (read_all, combine,
analysis.run_all, write_tables, write_province_workbooks, write_excel, charts.draw_all,
the national ranking figure, and each ``save_figure``) with timers, runs one build in
this process into OUT_DIR and prints a small table: each step once, its calls summed
(×n: how many), a step run inside another (the tables written while the figure workers
draw, each province's workbook) shown indented under "within another step". Imports are
timed first, in the order a build makes them. A step the package no longer has is simply
not shown.

With ``--workers 1`` the figures are drawn in this process, and draw_all splits into
save_figure and drawing. With more workers they are drawn and saved in worker processes
(``build``'s default): draw_all then shows the wait for them that the tables written
meanwhile do not cover; their CPU time is not this process's. The national ranking
figure (several provinces) has its own row: drawn by a worker (with more workers) while the
tables are written when draw_all has not written them (a rebuild that keeps the province's
figures), the wait for it that the tables do not cover.

With a source cache already in OUT_DIR/processed/.cache (an earlier build into the
same folder), read_all takes the sources from it, run_all the provinces' analyses and
write_province_workbooks the unchanged workbooks: the phases of a rebuild (``--force``
redraws the figures, which a rebuild keeps when their sources are unchanged).

Usage: python benchmarks/phases.py RAW_DIR OUT_DIR [--workers N]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

T0 = time.perf_counter()
calls: list[tuple[str, float, float]] = []  # (label, start, end) of every call of a wrapped step


def _timed(label: str, start: float) -> None:
    calls.append((label, start, time.perf_counter()))


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


def _within(span: tuple[float, float], label: str) -> bool:
    """``span`` lies inside a call of another step (e.g. the tables, written while the figure
    workers draw; write_excel within write_province_workbooks)."""
    a, b = span
    return any(x <= a and b <= y and other != label for other, x, y in calls)


def _union(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Overlapping spans merged (a step inside another counted once)."""
    out: list[tuple[float, float]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def main(raw: Path, out: Path, workers: int = 1) -> int:
    t = time.perf_counter()
    import openpyxl  # noqa: F401,PLC0415
    import pandas  # noqa: F401,PLC0415
    _timed("import pandas, openpyxl", t)
    t = time.perf_counter()
    from ntm_analysis.publishing import build as B  # noqa: PLC0415
    _timed("import ntm_analysis.publishing.build", t)
    t = time.perf_counter()
    try:
        import ntm_analysis.analysis as A  # noqa: PLC0415
        import ntm_analysis.publishing.charts as C  # noqa: PLC0415
        import ntm_analysis.publishing.charts.base as CB  # noqa: PLC0415
        import ntm_analysis.publishing.charts.provinces as CP  # noqa: PLC0415
    except ImportError as exc:
        print(f"(analysis or charts missing: {exc})")
        return 1
    _timed("import ntm_analysis.analysis, .charts (matplotlib)", t)
    _wrap(B, "read_all", "read_all (workbooks -> tidy tables, validated)")
    _wrap(B, "combine", "combine")
    _wrap(A, "run_all", "analysis.run_all")
    _wrap(B, "write_tables", "write_tables (CSV)")
    _wrap(B, "write_province_workbooks", "write_province_workbooks (one workbook per province; unchanged: copied)")
    _wrap(B, "write_excel", "write_excel (ntm_tables*.xlsx)")
    DRAW = "charts.draw_all (the province's figures)"
    _wrap(C, "draw_all", DRAW)
    RANKING = "province_ranking (national figure: draw + save)"
    ranking_job = getattr(CP, "ranking_job", None)
    if ranking_job is not None:
        def timed_job(*args, **kwargs):
            job = ranking_job(*args, **kwargs)
            if job is None:
                return None
            name, draw = job

            def timed_draw():
                t = time.perf_counter()
                try:
                    return draw()
                finally:
                    _timed("(ranking draw)", t)
            return name, timed_draw
        CP.ranking_job = timed_job
    _wrap(C, "save_jobs", "(save_jobs)")  # the ranking figure: drawn by a worker while the tables are written
    save = getattr(CB, "save_figure", None)
    if save is not None:
        def timed_save(*args, **kwargs):
            t = time.perf_counter()
            try:
                return save(*args, **kwargs)
            finally:
                _timed("(save_figure)", t)
        for module in [CB] + [m for n, m in list(sys.modules.items())
                                if n == "ntm_analysis.publishing.charts"
                                or n.startswith("ntm_analysis.publishing.charts.")]:
            if getattr(module, "save_figure", None) is save:
                module.save_figure = timed_save
    t = time.perf_counter()
    B.build(raw, out / "processed", out / "figures", force=True, workers=workers)
    total_build = time.perf_counter() - t
    total = time.perf_counter() - T0

    def spans(label: str) -> list[tuple[float, float]]:
        return [(a, b) for other, a, b in calls if other == label]

    def seconds(items: list[tuple[float, float]]) -> float:
        return sum(b - a for a, b in items)

    rows: list[tuple[str, float]] = []
    order = list(dict.fromkeys(label for label, _a, _b in calls if not label.startswith("(")))
    for label in order:  # each step once, its calls summed; a step run inside another is shown under it
        mine = spans(label)
        top = [s for s in mine if not _within(s, label)]
        inner = [s for s in mine if _within(s, label)]
        if top:
            rows.append((label + (f" ×{len(top)}" if len(top) > 1 else ""), seconds(top)))
        if inner:
            rows.append((f"  within another step: {label}" + (f" ×{len(inner)}" if len(inner) > 1 else ""),
                         seconds(inner)))
    draws = spans(DRAW)
    draw = seconds(draws)
    if draws:  # what draw_all spent beside the steps run inside it (the tables, written meanwhile)
        nested = seconds(_union([(a, b) for label, a, b in calls if label != DRAW and not label.startswith("(")
                                 and any(x <= a and b <= y for x, y in draws)]))
        saved = [(a, b) for label, a, b in calls if label == "(save_figure)" and any(x <= a and b <= y
                                                                                     for x, y in draws)]
        if workers > 1:
            rows.append((f"  of which the figure workers' time not overlapped by the tables ({workers} processes "
                         f"draw and save; their own CPU is not in this process)", draw - nested))
        else:
            rows.append((f"  of which save_figure ({len(saved)} figures, PNG + SVG: the layout solved once, "
                         f"then each format drawn once)", seconds(saved)))
            rows.append(("  of which drawing the figures (figure functions)", draw - nested - seconds(saved)))
    ranking_saves = [(a, b) for label, a, b in calls if label == "(save_figure)"
                     and not any(x <= a and b <= y for x, y in draws)]
    ranking_jobs = [(a, b) for label, a, b in calls if label == "(save_jobs)"
                    and not any(x <= a and b <= y for x, y in draws)]
    if ranking_jobs:  # its wait (or, drawn here, its drawing and saving), the steps run meanwhile aside
        nested = seconds(_union([(a, b) for label, a, b in calls if not label.startswith("(")
                                 and any(x <= a and b <= y for x, y in ranking_jobs)]))
        rows.append((RANKING + (" — drawn by a worker: the wait not covered by the tables written meanwhile"
                                if workers > 1 else ""), seconds(ranking_jobs) - nested))
    elif ranking_saves:
        rows.append((RANKING, seconds(ranking_saves) + seconds(spans("(ranking draw)"))))
    accounted = sum(s for label, s in rows if not label.startswith(("import", "  ")))
    rows.append(("rest of build() (hashing, cache, province split, manifest, staging, moves)",
                 total_build - accounted))
    sources = len(list(Path(raw).glob("*.xlsx")))
    print(f"phases of one build of {sources} workbooks ({workers} worker{'s' if workers > 1 else ''}, {total:.2f} s "
          f"from interpreter start to end; the interpreter's own start is not included)")
    for label, secs in rows:
        print(f"{secs:8.3f} s  {label}")
    if draws:
        print(f"charts.draw_all is {draw / total_build:.0%} of build() and {draw / total:.0%} of the whole run "
              f"(with the tables written meanwhile)")
    return 0


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("raw", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    sys.exit(main(args.raw, args.out, args.workers))
