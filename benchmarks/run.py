"""``make bench``: time the package against its floors, print a table and write
benchmarks/results.md (see benchmarks/README.md for what each row means).

Usage: python benchmarks/run.py [--quick] [--out FILE] [--runs N] [--only build,validate,scale,notebooks,ocr]

--quick runs every section once on tiny inputs (N = 3 and 6 synthetic workbooks,
no notebook execution, no profiles); the tests use it to check the harness.
Everything runs in fresh processes, in temporary folders: the working tree
(data/processed, figures/) is never written.
"""
from __future__ import annotations

import argparse
import compileall
import datetime as dt
import hashlib
import json
import os
import platform
import pstats
import re
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RAW = ROOT / "data" / "raw"
PLAN = RAW / "ke-hoach-05-KH-UBND-2021-lao-cai.xlsx"
NOTEBOOKS = ROOT / "notebooks"
PY = sys.executable
CLI = [PY, "-m", "ntm_analysis.cli"]
# the commands run in English: their output is parsed here ("0 errors")
ENV = {k: v for k, v in os.environ.items() if k not in ("NTM_PROJECT", "NTM_DEBUG")} | {"NTM_LANG": "en"}


@dataclass
class Row:
    """One line of the results table."""

    id: str
    what: str
    measured: str
    goal: str
    ok: bool | None  # None: not measured (not yet, or skipped)
    details: list[str] = field(default_factory=list)
    profile: str = ""

    @property
    def status(self) -> str:
        return {True: "met", False: "NOT MET", None: "–"}[self.ok]


# ---- helpers -----------------------------------------------------------------------------------
def run(cmd: list[str], *, cwd: Path | None = None, env: dict | None = None, check: bool = True,
        timeout: float = 900) -> tuple[float, subprocess.CompletedProcess]:
    """Run a command in a fresh process; wall time in seconds."""
    cpu = children_cpu()
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env or ENV, capture_output=True, text=True, timeout=timeout)
    elapsed = time.perf_counter() - t
    proc.cpu = children_cpu() - cpu  # user + system seconds of the command and its children
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {proc.returncode}:\n{proc.stdout[-2000:]}\n"
                           f"{proc.stderr[-2000:]}")
    return elapsed, proc


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def fmt_s(x: float) -> str:
    return f"{x:.2f} s" if x >= 0.995 else f"{x * 1000:.0f} ms"


def spread(xs: list[float]) -> str:
    return f"{fmt_s(min(xs))}–{fmt_s(max(xs))}" if xs else ""


def rel(path: Path | str) -> str:
    """A path as shown in results.md: relative to the project, temp folders hidden."""
    text = str(path)
    return text.replace(str(ROOT) + "/", "")


class TreeMemory:
    """Peak memory of a process and all its descendants, polled from /proc.

    ``rss`` sums VmRSS over the tree (pages shared between the parent and its
    forked workers count once per process: an upper bound); ``pss`` sums the
    proportional set size (shared pages split between the processes sharing
    them: what the tree really holds)."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid, self.interval = pid, interval
        self.peak_rss = self.peak_pss = 0
        self.peak_procs = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _tree(self) -> list[int]:
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    stat = fh.read()
            except OSError:
                continue
            fields_ = stat[stat.rfind(b")") + 2:].split()
            parents[int(entry)] = int(fields_[1])
        tree, frontier = [self.pid], [self.pid]
        while frontier:
            frontier = [p for p, pp in parents.items() if pp in frontier]
            tree.extend(frontier)
        return tree

    @staticmethod
    def _kb(path: str, key: str) -> int:
        try:
            with open(path, encoding="ascii", errors="replace") as fh:
                for line in fh:
                    if line.startswith(key):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _poll(self) -> None:
        while not self._stop.is_set():
            tree = self._tree()
            rss = sum(self._kb(f"/proc/{p}/status", "VmRSS:") for p in tree)
            pss = sum(self._kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in tree)
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.peak_procs = max(self.peak_procs, len(tree))
            self._stop.wait(self.interval)


def cprofile_top(cmd_args: list[str], n: int = 18, cwd: Path | None = None, env: dict | None = None,
                 script: str | None = None) -> str:
    """cProfile a Python command line (``[-m module | script.py] args``, or ``script`` text with
    ``cmd_args`` as its arguments); top entries by cumulative time."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "prof.out"
        if script is not None:
            (Path(tmp) / "script.py").write_text(script, encoding="utf-8")
            cmd_args = [str(Path(tmp) / "script.py"), *cmd_args]
        run([PY, "-m", "cProfile", "-o", str(out), *cmd_args], cwd=cwd, env=env, check=False)
        return format_stats(out, n)


def format_stats(path: Path, n: int = 18) -> str:
    """Top entries of a cProfile dump by cumulative time (import machinery left out)."""
    if not Path(path).exists():
        return "(profile failed)"
    stats = pstats.Stats(str(path))
    rows = []
    skip = ("<built-in method builtins.exec>", "runpy.py", "cProfile.py", "<string>:1(<module>)",
            "script.py", "<frozen importlib", "builtins.__import__")
    entries = sorted(stats.stats.items(), key=lambda kv: kv[1][3], reverse=True)
    for (file, line, func), (_, ncalls, tottime, cumtime, _) in entries:
        name = f"{rel(file)}:{line}({func})" if line else func
        if any(s in name for s in skip):
            continue
        name = re.sub(r".*/site-packages/", "", name)
        rows.append(f"{cumtime:8.3f} {tottime:8.3f} {ncalls:9d}  {name}")
        if len(rows) >= n:
            break
    head = f"total {stats.total_tt:.2f} s (cProfile overhead included)\n cumtime  tottime    ncalls  function"
    return head + "\n" + "\n".join(rows)


def importtime_top(cmd_args: list[str], n: int = 12, env: dict | None = None) -> str:
    """``python -X importtime``: the slowest top-level imports (cumulative)."""
    _, proc = run([PY, "-X", "importtime", *cmd_args], env=env, check=False)
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m and len(m.group(3)) <= 3:  # top-level and first-level imports
            rows.append((int(m.group(2)), m.group(3) + m.group(4)))
    rows.sort(reverse=True)
    return "cumulative  module (top- and first-level imports)\n" + "\n".join(
        f"{us / 1e6:8.3f} s  {name}" for us, name in rows[:n])


# ---- 1. build against its floor -----------------------------------------------------------------
BUILD_GOAL = 1.3  # build (figures included) / floor
BUILD_GOAL_TEXT = f"≤ {BUILD_GOAL:g}"
def figure_geometry(folder: Path) -> dict:
    """Count the PNG and SVG files and read their size (inches) and dpi (of the figures of the
    language the runs use, ``NTM_LANG``: a language other than Vietnamese draws into its own
    sub-folder, ``figures/en``)."""
    lang = ENV.get("NTM_LANG", "vi")
    if lang != "vi" and (folder / lang).is_dir():
        folder = folder / lang
    pngs, svgs = sorted(folder.glob("*.png")), sorted(folder.glob("*.svg"))
    geo = {"png": len(pngs), "svg": len(svgs), "others": len([p for p in folder.iterdir()
                                                             if p.is_file() and p.suffix not in (".png", ".svg")])}
    sizes = []
    for png in pngs:
        with open(png, "rb") as fh:
            head = fh.read(33)
        sizes.append(struct.unpack(">II", head[16:24]))
    widths_pt = {}
    for svg in svgs:
        m = re.search(r'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"', svg.read_text(errors="replace")[:3000])
        if m:
            widths_pt[svg.stem] = (float(m.group(1)), float(m.group(2)))
    if sizes:
        px = statistics.mode(sizes)
        geo["px"] = px
        pt = [widths_pt[p.stem] for p, s in zip(pngs, sizes) if s == px and p.stem in widths_pt]
        if pt:
            w_in, h_in = pt[0][0] / 72, pt[0][1] / 72
            geo["inches"] = (round(w_in, 3), round(h_in, 3))
            geo["dpi"] = round(px[0] / w_in)
        else:
            geo["dpi"] = _png_dpi(pngs[0]) or 100
            geo["inches"] = (px[0] / geo["dpi"], px[1] / geo["dpi"])
    return geo


def _png_dpi(path: Path) -> float | None:
    data = path.read_bytes()
    i = data.find(b"pHYs")
    if i < 0:
        return None
    ppm = struct.unpack(">I", data[i + 4:i + 8])[0]
    return round(ppm * 0.0254)


def floor_command(raw: Path, out: Path, n_png: int, n_svg: int, width: float, height: float,
                  dpi: float) -> list[str]:
    """The floor.py command line for ``raw`` and a figure set (count, inches, dpi)."""
    return [PY, str(BENCH / "floor.py"), str(raw), str(out), "--png", str(n_png), "--svg", str(n_svg),
            "--width", str(width), "--height", str(height), "--dpi", str(dpi)]


def bench_build(runs: int, quick: bool) -> list[Row]:
    tmp = Path(tempfile.mkdtemp(prefix="ntm-bench-build-"))
    try:
        def build(i: int) -> tuple[float, subprocess.CompletedProcess]:
            out = tmp / f"build{i}"
            return run(CLI + ["build", "--force", "--raw", str(RAW), "--processed", str(out / "processed"),
                              "--figures", str(out / "figures")], check=False)

        # a first run of each, untimed (timed in --quick): the font cache and the OS file cache warm,
        # the figure count known
        elapsed0, first = build(0)
        built, reason, geo = first.returncode == 0, "", {}
        if not built:
            last = (first.stderr.strip() or first.stdout.strip()).splitlines()[-1:] or ["?"]
            reason = f"build fails: {last[0][:160]}"
        elif (tmp / "build0" / "figures").is_dir():
            geo = figure_geometry(tmp / "build0" / "figures")
        if built and not geo.get("png") and not geo.get("svg"):
            built, reason = False, "build wrote no figure (the charts package is not there yet)"
        n_png, n_svg = (geo["png"], geo["svg"]) if built else (8, 8)
        w, h = geo.get("inches", (12.8, 7.2))
        dpi = geo.get("dpi", 150)
        floor_cmd = floor_command(RAW, Path(""), n_png, n_svg, w, h, dpi)

        def floor(i: int) -> tuple[float, float]:
            cmd = list(floor_cmd)
            cmd[3] = str(tmp / f"floor{i}")
            elapsed, proc = run(cmd)
            return elapsed, proc.cpu

        t_build, t_floor, c_build, c_floor = [], [], [], []
        if quick:  # the first runs are the measurement
            t_build, c_build = ([elapsed0], [first.cpu]) if built else ([], [])
            elapsed, cpu = floor(0)
            t_floor, c_floor = [elapsed], [cpu]
            runs = 0
        else:
            floor(0)
        for i in range(1, runs + 1):  # alternate, so drifts in machine speed hit both alike
            if built:
                elapsed, proc = build(i)
                if proc.returncode != 0:
                    raise RuntimeError(f"build failed on run {i}: {proc.stderr[-1000:]}")
                t_build.append(elapsed)
                c_build.append(proc.cpu)
            elapsed, cpu = floor(i)
            t_floor.append(elapsed)
            c_floor.append(cpu)
        geometry = (f"{n_png} PNG + {n_svg} SVG, {w:g}×{h:g} in at {dpi:g} dpi"
                    + ("" if built else " (default: no figures from build yet)"))
        details = [f"floor: {geometry}; runs: {', '.join(fmt_s(x) for x in t_floor)}"]
        if not built:
            return [Row("1", "`build --force` (figures) vs floor.py", f"not yet: {reason}; floor "
                        f"{fmt_s(median(t_floor))}", BUILD_GOAL_TEXT, None, details)]
        ratio = median(t_build) / median(t_floor)
        details.insert(0, f"build: {', '.join(fmt_s(x) for x in t_build)}; "
                          f"{geo['png'] + geo['svg'] + geo['others']} files in figures/")
        details.append(f"CPU time medians {fmt_s(median(c_build))} vs {fmt_s(median(c_floor))} → "
                       f"{median(c_build) / median(c_floor):.2f}×")
        row = Row("1", "`build --force` (figures) vs floor.py",
                  f"{fmt_s(median(t_build))} vs {fmt_s(median(t_floor))} → **{ratio:.2f}×** "
                  f"(median of {len(t_build)}; {geo['png']} PNG + {geo['svg']} SVG)", BUILD_GOAL_TEXT,
                  ratio <= BUILD_GOAL, details)
        if not quick and not row.ok:
            out = tmp / "profile"
            _, proc = run([PY, str(BENCH / "phases.py"), str(RAW), str(out / "phases")], check=False)
            row.profile = (proc.stdout.strip() or f"(phases.py failed: {proc.stderr[-300:]})") + "\n\n"
            row.profile += "cProfile of `build --force --workers 1` (the figures drawn in the profiled process):\n"
            row.profile += cprofile_top(["-m", "ntm_analysis.cli", "build", "--force", "--workers", "1", "--raw",
                                         str(RAW), "--processed", str(out / "processed"), "--figures",
                                         str(out / "figures")], n=25)
        return [row]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---- 2. validate stays light --------------------------------------------------------------------
VALIDATE_PROBE = """
import sys
from ntm_analysis.cli import main
code = main(["validate", sys.argv[1]])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("matplotlib", "seaborn", "docx", "pdfplumber",
                                                           "pdfminer"))
print("HEAVY:" + ",".join(heavy))
"""


def heavy_imports(path: Path = PLAN) -> list[str]:
    """Modules of matplotlib, seaborn or the document carriers (python-docx,
    pdfplumber) that ``ntm-analysis validate`` of a workbook imports."""
    _, proc = run([PY, "-c", VALIDATE_PROBE, str(path)], check=False)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("HEAVY:")), None)
    if line is None:
        raise RuntimeError(f"validate probe failed: {proc.stderr[-1000:]}")
    return [m for m in line[6:].split(",") if m]


def bench_validate(runs: int, quick: bool) -> list[Row]:
    validate = [str(Path(PY).with_name("ntm-analysis")), "validate", str(PLAN), "--lang", "en"]
    if not Path(validate[0]).exists():
        validate = CLI + ["validate", str(PLAN), "--lang", "en"]  # the summary is read in English below
    floor = [PY, "-c", "import pandas, openpyxl"]
    if not quick:  # warm the OS file cache
        run(validate, check=False)
        run(floor)
    t_val, t_floor, c_val, c_floor = [], [], [], []
    for _ in range(runs):
        elapsed, proc = run(validate, check=False)
        if proc.returncode != 0:  # validate exits 1 on errors (its summary is in the chosen language)
            raise RuntimeError(f"validate failed: {proc.stdout[-500:]} {proc.stderr[-500:]}")
        t_val.append(elapsed)
        c_val.append(proc.cpu)
        elapsed, proc = run(floor)
        t_floor.append(elapsed)
        c_floor.append(proc.cpu)
    ratio = median(t_val) / median(t_floor)
    heavy = heavy_imports()
    row = Row("2", "`validate PLAN` vs `python -c \"import pandas, openpyxl\"`",
              f"{fmt_s(median(t_val))} vs {fmt_s(median(t_floor))} → **{ratio:.2f}×** (median of {runs})",
              "≤ 1.5", ratio <= 1.5,
              [f"validate: {', '.join(fmt_s(x) for x in t_val)}",
               f"import pandas, openpyxl: {', '.join(fmt_s(x) for x in t_floor)}",
               f"CPU time medians {fmt_s(median(c_val))} vs {fmt_s(median(c_floor))} → "
               f"{median(c_val) / median(c_floor):.2f}×"])
    if not quick:
        row.profile = importtime_top(["-m", "ntm_analysis.cli", "validate", str(PLAN)], n=14)
        if not row.ok:
            row.profile += "\n\n" + cprofile_top(["-m", "ntm_analysis.cli", "validate", str(PLAN)])
    row2 = Row("2b", "matplotlib/seaborn/python-docx/pdfplumber modules imported by `validate` (a workbook)",
               str(len(heavy)) +
               (f" ({', '.join(heavy[:5])}…)" if heavy else ""), "0", not heavy)
    return [row, row2]


# ---- H. hostile corpus ---------------------------------------------------------------------------
HOSTILE_SECONDS = 10.0
HOSTILE_BYTES = 1024 ** 3
HOSTILE_QUICK = ("dimension-lie.xlsx", "zip-bomb-ratio.xlsx", "entity-expansion.xlsx")


def validate_bounded(path: Path, timeout: float = 60.0) -> tuple[float, int, int, str]:
    """``ntm-analysis validate path`` in a fresh process: wall seconds, peak RSS in
    bytes (polled from /proc every 20 ms: ``wait4``'s ru_maxrss would carry this
    process's own size over the fork), exit code, and its last output line."""
    t = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(CLI + ["validate", str(path)], stdout=out, stderr=subprocess.STDOUT,
                                env=ENV, cwd=ROOT)
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        try:
            with TreeMemory(proc.pid, interval=0.02) as mem:
                _, status, _ = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - t
        out.seek(0)
        lines = out.read().decode("utf-8", "replace").strip().splitlines()
    return elapsed, mem.peak_rss * 1024, proc.returncode, (lines[-1] if lines else "")


def bench_hostile(quick: bool) -> list[Row]:
    """Each file of the hostile corpus (benchmarks/hostile.py) gets its ``validate``
    answer (exit 0 or 1, never an internal error) within 10 s and 1 GB."""
    folder = BENCH / "_work" / "hostile"
    run([PY, str(BENCH / "hostile.py"), str(folder)])  # (in its own process: this one stays small)
    listed = json.loads((folder / "corpus.json").read_text(encoding="utf-8"))
    corpus = [(folder / item["file"], item["what"]) for item in listed]
    if quick:
        corpus = [(p, w) for p, w in corpus if p.name in HOSTILE_QUICK]
    rows = []
    for i, (path, what) in enumerate(corpus, start=1):
        elapsed, peak, code, last = validate_bounded(path)
        ok = code in (0, 1) and "internal error" not in last and elapsed <= HOSTILE_SECONDS \
            and peak <= HOSTILE_BYTES
        rows.append(Row(f"H{i}", f"`validate` {path.name} ({path.stat().st_size / 1e6:.2f} MB): {what}",
                        f"{fmt_s(elapsed)}, {peak / 1024 ** 2:.0f} MB, exit {code}",
                        "exit 0/1, ≤ 10 s, ≤ 1 GB", ok, [last[:200]]))
    return rows


# ---- 3. scale ------------------------------------------------------------------------------------
def build_run(raw: Path, out: Path, workers: int) -> dict:
    """``ntm-analysis build`` (figures included) of ``raw`` into ``out`` in a fresh process, its
    process tree's memory polled from /proc; wall and CPU seconds, peak RSS and PSS (MB)."""
    cmd = CLI + ["build", "--raw", str(raw), "--processed", str(out / "processed"), "--figures",
                 str(out / "figures"), "--workers", str(workers)]
    cpu = children_cpu()
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with TreeMemory(proc.pid) as mem:
        stdout, stderr = proc.communicate(timeout=1800)
    elapsed = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"build of {raw} exited {proc.returncode}: {stdout[-1500:]} {stderr[-1500:]}")
    figures = sorted(p.suffix for p in (out / "figures").iterdir()) if (out / "figures").is_dir() else []
    return {"total_s": elapsed, "cpu_s": children_cpu() - cpu, "peak_rss_mb": mem.peak_rss / 1024,
            "peak_pss_mb": mem.peak_pss / 1024, "processes": mem.peak_procs,
            "png": figures.count(".png"), "svg": figures.count(".svg")}


def _copy_sources(files: list[Path], raw: Path) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy(f, raw / f.name)
        shutil.copy(f.with_name(f.stem + ".meta.json"), raw)


def _remove_source(path: Path) -> None:
    path.unlink()
    path.with_name(path.stem + ".meta.json").unlink()


def bench_scale(quick: bool, workers: int = 2, repeats: int = 3) -> list[Row]:
    sys.path.insert(0, str(BENCH))
    from generate import N_PROVINCES, N_YEARS, generate  # noqa: PLC0415
    from scale import check_build, same_outputs  # noqa: PLC0415

    small, large = (3, 6) if quick else (N_PROVINCES, N_PROVINCES * N_YEARS)
    repeats = 1 if quick else repeats
    tmp = Path(tempfile.mkdtemp(prefix="ntm-bench-scale-"))
    try:
        t = time.perf_counter()
        files = generate(tmp / "all", large, workers=workers)  # workbook k: province k % 63, year 2021 + k // 63
        t_gen = time.perf_counter() - t
        # a middle size (63 provinces × 3 years) tests linearity itself: the line through the two ends
        # must predict it (the ratio of the ends is 5 only when the build has no fixed cost)
        middle = (small + large) // 2
        raws = {large: tmp / "all" / "raw", small: tmp / f"n{small}" / "raw", middle: tmp / f"n{middle}" / "raw"}
        _copy_sources(files[:small], raws[small])
        _copy_sources(files[:middle], raws[middle])
        runs: dict[int, list[dict]] = {small: [], middle: [], large: []}
        checks: dict[int, dict] = {}
        for i in range(repeats):  # alternate the sizes, each build from scratch (a new folder: no cache)
            for n in (small, middle, large):
                out = tmp / f"out{n}-{i}"
                runs[n].append(build_run(raws[n], out, workers))
                if i == 0:
                    checks[n] = check_build(raws[n], out / "processed")
                    if checks[n]["problems"]:
                        raise AssertionError(f"synthetic workbooks built with problems (N={n}): "
                                             f"{checks[n]['problems'][:5]}")
                if i < repeats - 1 or n != large:
                    shutil.rmtree(out)
        a = min(runs[small], key=lambda r: r["total_s"])
        b = min(runs[large], key=lambda r: r["total_s"])
        ratio, cpu_ratio = b["total_s"] / a["total_s"], b["cpu_s"] / a["cpu_s"]
        expected = large / small
        linear_ok = abs(ratio - expected) <= expected / 5  # 5 ± 1 for 315/63
        slope = (b["total_s"] - a["total_s"]) / (large - small)
        fixed = a["total_s"] - small * slope
        m = min(runs[middle], key=lambda r: r["total_s"])
        predicted = fixed + slope * middle
        deviation = m["total_s"] / predicted - 1
        peak = max(r["peak_rss_mb"] for r in runs[large])
        peak_pss = max(r["peak_pss_mb"] for r in runs[large])
        kept = f"fastest of {repeats}" if repeats > 1 else "one run"

        # incremental: a built set of large - 1 workbooks, then the last one added
        inc_raw, inc_out = tmp / "inc" / "raw", tmp / "inc"
        _copy_sources(files[:-1], inc_raw)
        build_run(inc_raw, inc_out, workers)
        entries = inc_out / "processed" / ".cache" / "sources"
        incs, fresh = [], []
        for i in range(repeats):
            if i:  # take it out again (a build that reads nothing), then add it once more
                _remove_source(inc_raw / files[-1].name)
                build_run(inc_raw, inc_out, workers)
            _copy_sources(files[-1:], inc_raw)
            t_start = time.time()
            incs.append(build_run(inc_raw, inc_out, workers))
            fresh.append(sum(1 for e in entries.iterdir() if e.stat().st_mtime >= t_start))
        c = min(incs, key=lambda r: r["total_s"])
        differ = same_outputs(inc_out / "processed", tmp / f"out{large}-{repeats - 1}" / "processed")
        inc_share = c["total_s"] / b["total_s"]
        fig = f"{b['png']} PNG + {b['svg']} SVG"

        def per(r: dict, n: int) -> str:
            return (f"{fmt_s(r['total_s'])} → **{r['total_s'] / n * 1000:.0f} ms per workbook** "
                    f"(CPU {fmt_s(r['cpu_s'])}); {fig}; 0 errors")

        rows = [
            Row("3a", f"`ntm-analysis build` (figures), N = {small} synthetic workbooks ({workers} workers)",
                per(a, small), "–", None, _scale_details(a, runs[small], checks[small], kept, small)),
            Row("3b", f"`ntm-analysis build` (figures), N = {large} synthetic workbooks ({workers} workers)",
                per(b, large), "–", None,
                _scale_details(b, runs[large], checks[large], kept, large)
                + [f"generating the {large} workbooks: {fmt_s(t_gen)}"]),
            Row("3c", f"time ratio N = {large} / N = {small} (linear: {expected:g})",
                f"**{ratio:.2f}** (CPU time: {cpu_ratio:.2f}); fit t = {fixed:.2f} s + {slope * 1000:.0f} ms × N",
                f"{expected:g} ± {expected / 5:g}", linear_ok),
            Row("3c′", f"linearity: N = {middle} against the line through N = {small} and N = {large}",
                f"{fmt_s(m['total_s'])} measured ({kept}), {fmt_s(predicted)} on the line → **{deviation:+.0%}** "
                f"(CPU {fmt_s(m['cpu_s'])})", "within ± 10%", abs(deviation) <= 0.10),
            Row("3d", f"peak memory of the process tree, N = {large}",
                f"**{peak_pss:.0f} MB** PSS over {b['processes']} processes ({peak:.0f} MB RSS summed, which "
                f"counts the pages the forked workers share with the build once per process)",
                "< 500 MB (PSS)", peak_pss < 500),
            Row("3e", f"add one workbook to a built set of {large - 1} and build again",
                f"{fmt_s(c['total_s'])} = **{inc_share:.0%}** of the full build (3b); {max(fresh)} source read, "
                f"{large - 1} from the cache; outputs "
                + ("identical to the build from scratch" if not differ else f"DIFFER: {', '.join(differ[:5])}"),
                "≤ 10%", inc_share <= 0.10 and not differ and max(fresh) == 1,
                [f"runs {', '.join(fmt_s(r['total_s']) for r in incs)} (fastest counts); sources read afresh "
                 f"per run: {', '.join(map(str, fresh))}; peak {c['peak_rss_mb']:.0f} MB RSS"]),
        ]
        if quick:
            return rows
        by_id = {row.id: row for row in rows}
        if by_id["3c"].ok is False:
            by_id["3c"].profile = (f"t = {fixed:.2f} s + {slope * 1000:.0f} ms × N: the fixed part is "
                                   f"{fixed / a['total_s']:.0%} of N = {small} and {fixed / b['total_s']:.0%} of "
                                   f"N = {large}; phase by phase ({workers} workers):\n\n"
                                   + _phases(raws[small], tmp / "ph-small", workers) + "\n\n"
                                   + _phases(raws[large], tmp / "ph-large", workers))
        if by_id["3d"].ok is False:
            by_id["3d"].profile = _phases(raws[large], tmp / "ph-mem", workers)
        if by_id["3e"].ok is False:
            by_id["3e"].profile = ("a rebuild of the same set whose sources all come from the cache (phases.py "
                                   "on the incremental build's folders):\n\n" + _phases(inc_raw, inc_out, workers))
        return rows
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _phases(raw: Path, out: Path, workers: int) -> str:
    _, proc = run([PY, str(BENCH / "phases.py"), str(raw), str(out), "--workers", str(workers)], check=False)
    return proc.stdout.strip() or f"(phases.py failed: {proc.stderr[-300:]})"


def _scale_details(r: dict, all_runs: list[dict], check: dict, kept: str, n: int) -> list[str]:
    rows = ", ".join(f"{k} {v}" for k, v in check["rows"].items())
    return [f"N = {n} ({kept}; all runs {', '.join(fmt_s(x['total_s']) for x in all_runs)}): {check['sources']} "
            f"sources, {check['errors']} errors, {check['warnings']} warnings; rows: {rows}; peak "
            f"{r['peak_rss_mb']:.0f} MB RSS / {r['peak_pss_mb']:.0f} MB PSS ({r['processes']} processes)"]


# ---- 4. notebooks --------------------------------------------------------------------------------
def execute_notebooks(paths: list[Path], cwd: Path, parameters: dict | None = None,
                      timeout: int = 600) -> list[tuple[str, float, str]]:
    """Execute notebooks one after another with the package's runner (nbclient, a
    fresh kernel each, kernel start included); (name, seconds, error or "")."""
    from ntm_analysis.notebooks.runner import run_notebook  # noqa: PLC0415

    out = []
    for path in paths:
        result = run_notebook(path, parameters, cwd=cwd, timeout=timeout)
        error = result.error.strip().splitlines()[-1][:160] if result.error.strip() else ""
        out.append((result.notebook, result.seconds, error))
    return out


def bench_notebooks(quick: bool) -> list[Row]:
    from ntm_analysis.notebooks.runner import notebook_paths  # noqa: PLC0415

    paths = [p for p in notebook_paths(NOTEBOOKS) if p.is_file()]
    if not paths:
        return [Row("4", "execute notebooks/*.py (nbclient)", "not yet: no notebook in notebooks/",
                    "< 30 s", None)]
    if quick:
        return [Row("4", "execute notebooks/*.py (nbclient)",
                    f"skipped in --quick ({len(paths)} notebooks found)", "< 30 s", None)]
    # the notebooks read the built tables: build them into a temporary project root first
    tmp = Path(tempfile.mkdtemp(prefix="ntm-bench-nb-"))
    try:
        shutil.copytree(RAW, tmp / "data" / "raw")
        env = dict(ENV, NTM_PROJECT=str(tmp))
        _, proc = run(CLI + ["build"], env=env, check=False)
        note = "" if proc.returncode == 0 else "; build failed first, the notebooks ran without tables"
        data = tmp / "data"
        parameters = {"raw_dir": str(data / "raw"), "processed_dir": str(data / "processed"),
                      "examples_dir": str(data / "examples"), "figures_dir": str(tmp / "figures")}
        results = execute_notebooks(paths, NOTEBOOKS, parameters)
        total = sum(t for _, t, _ in results)
        failed = [f"{n}: {e}" for n, _, e in results if e]
        details = [f"{n}: {fmt_s(t)}" + (f" (failed: {e})" if e else "") for n, t, e in results]
        measured = f"**{fmt_s(total)}** for {len(results)} notebooks" + note
        if failed:
            measured += f"; {len(failed)} failed"
        return [Row("4", "execute notebooks/*.py (nbclient, a kernel each)", measured, "< 30 s",
                    (total < 30) and not failed, details)]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---- 5. make all after a data change ------------------------------------------------------------
MAKE_ALL_GOAL = 5.0  # `make all` after a data change / floor
#: The data change: one number of the plan corrected (Bát Xát's households with a hygienic
#: latrine, Biểu 02!F9: 84 % in the plan), alternately 85 and 84, so each run follows a change.
DATA_CHANGE = ("Biểu 01", "E16", (96, 95))  # communes meeting criterion 2 at end-2021 (95 in plan 05)


def change_data(raw: Path, i: int) -> str:
    """Correct the plan's number ``DATA_CHANGE`` in ``raw`` (the sidecar's sha256 follows,
    as an analyst's would); the new value."""
    import openpyxl  # noqa: PLC0415

    sheet, cell, values = DATA_CHANGE
    plan = raw / PLAN.name
    wb = openpyxl.load_workbook(plan)
    wb[sheet][cell].value = values[i % 2]
    wb.save(plan)
    sidecar = plan.with_name(plan.stem + ".meta.json")
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    meta["sha256"] = hashlib.sha256(plan.read_bytes()).hexdigest()
    sidecar.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return f"{sheet}!{cell} = {values[i % 2]}"


def bench_make_all(runs: int, quick: bool) -> list[Row]:
    """``make all`` (build, notebooks exported to HTML, the deck) after a data change, in a
    temporary project (``NTM_PROJECT``: the working tree is not written), against the floor
    of row 1 for the same figures."""
    what = "`make all` after a data change (build, notebooks → HTML, deck) vs floor.py"
    goal = f"≤ {MAKE_ALL_GOAL:g}"
    if quick:
        return [Row("5", what, "skipped in --quick (it executes every notebook)", goal, None)]
    tmp = Path(tempfile.mkdtemp(prefix="ntm-bench-all-"))
    try:
        shutil.copytree(RAW, tmp / "data" / "raw")
        if (ROOT / "data" / "examples").is_dir():
            shutil.copytree(ROOT / "data" / "examples", tmp / "data" / "examples")
        shutil.copytree(NOTEBOOKS, tmp / "notebooks", ignore=shutil.ignore_patterns("*.ipynb", ".*"))
        env = {k: v for k, v in ENV.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")} | {
            "NTM_PROJECT": str(tmp)}  # a make of its own, not a sub-make of `make bench`
        make = ["make", "-C", str(ROOT), "--no-print-directory", "all"]
        run(make, env=env)  # everything once (untimed): the reports and the deck exist, caches warm
        geo = figure_geometry(tmp / "figures")
        w, h = geo.get("inches", (16, 9))
        floor = floor_command(tmp / "data" / "raw", tmp / "floor", geo.get("png", 0), geo.get("svg", 0), w, h,
                              geo.get("dpi", 120))
        run(floor)
        load_before = loadavg()
        t_all, t_floor, c_all, c_floor, executed = [], [], [], [], []
        for i in range(runs):
            change_data(tmp / "data" / "raw", i)
            elapsed, proc = run(make, env=env)
            t_all.append(elapsed)
            c_all.append(proc.cpu)
            m = re.search(r"(\d+) executed in [\d.]+ s, (\d+) up to date", proc.stdout)
            executed.append(m.group(1) if m else "?")
            elapsed, proc = run(floor)
            t_floor.append(elapsed)
            c_floor.append(proc.cpu)
        ratio = median(t_all) / median(t_floor)
        row = Row("5", what, f"{fmt_s(median(t_all))} vs {fmt_s(median(t_floor))} → **{ratio:.2f}×** (median of "
                  f"{runs})", goal, ratio <= MAKE_ALL_GOAL,
                  [f"the change: {DATA_CHANGE[0]}!{DATA_CHANGE[1]} set to {' and '.join(map(str, DATA_CHANGE[2]))} "
                   f"in turn (sidecar sha256 updated)",
                   f"make all: {', '.join(fmt_s(x) for x in t_all)}; notebooks executed per run: "
                   f"{', '.join(executed)}",
                   f"floor: {', '.join(fmt_s(x) for x in t_floor)}",
                   f"CPU time medians {fmt_s(median(c_all))} vs {fmt_s(median(c_floor))} → "
                   f"{median(c_all) / median(c_floor):.2f}×",
                   f"load average during the row: {load_before} → {loadavg()}; make all runs up to four "
                   f"processes at once and the floor one, so on a busy machine (load above the cores) the "
                   f"scheduler gives make all a larger share than the floor and the wall ratio flatters it: "
                   f"the CPU ratio is the load-independent bound (on idle cores the wall ratio is at least "
                   f"the CPU ratio / {os.cpu_count() or 1})"])
        row.profile = make_all_profile(tmp, env, runs)  # always: the goal depends on the load
        return [row]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def make_all_profile(tmp: Path, env: dict, i: int) -> str:
    """The steps of ``make all`` after one more data change, run one at a time: wall and
    CPU time of each, and each notebook's own time as the runner reports it."""
    change_data(tmp / "data" / "raw", i)
    bin_ = Path(PY).parent
    steps = [("build", [str(bin_ / "ntm-analysis"), "build"]),
             ("notebooks (runner, a fresh kernel each, two at a time)", [PY, "-m", "ntm_analysis.notebooks.runner"]),
             ("deck (up-to-date check of the build, then the slides)", [str(bin_ / "ntm-analysis"), "deck"])]
    lines = ["make all's steps one after another (make all runs the notebooks and the deck side by side):"]
    for label, cmd in steps:
        elapsed, proc = run(cmd, env=env, cwd=ROOT)
        lines.append(f"{elapsed:8.2f} s wall {proc.cpu:8.2f} s CPU  {label}")
        if "ntm_analysis.notebooks.runner" in cmd:
            lines += [f"{'':30}{ln.strip()}" for ln in proc.stdout.splitlines() if ln.startswith(("ok", "FAILED"))]
    _, proc = run([PY, "-X", "importtime", "-c",
                   "import ntm_analysis.notebooks.runner, nbclient, nbconvert, jupytext"], env=env)
    total = sum(int(m.group(1)) for m in re.finditer(r"^import time:\s+\d+ \|\s+(\d+) \| \S", proc.stderr, re.M))
    lines.append(f"the runner's own imports (ntm_analysis.notebooks.runner, nbclient, nbconvert, jupytext): "
                 f"{total / 1e6:.2f} s")
    _, proc = run([PY, "-c", KERNEL_COST], env=env, cwd=tmp)
    lines.append(f"what every notebook pays before its own work (CPU of its kernel): {proc.stdout.strip()}")
    return "\n".join(lines)


#: Prints the CPU time of a kernel (through the runner) that only starts, that imports what
#: the notebooks import, and that loads the project as they do (from the build's reads).
KERNEL_COST = """
import resource, sys
from pathlib import Path
from ntm_analysis.notebooks.runner import execute_notebook
# one import a line (the notebooks' imports, in another order)
IMPORTS = ("from IPython.display import display\\n"
           "from ntm_analysis import analysis\\n"
           "from ntm_analysis.publishing import charts\\n"
           "from ntm_analysis.notebooks import explain, story\\n"
           "from ntm_analysis.notebooks.project import load_project")
cells = {"start": "pass", "+ imports": IMPORTS, "+ load_project": IMPORTS + "\\nload_project()"}
out = []
for name, code in cells.items():
    path = Path(f"kernel-cost-{len(out)}.py")
    path.write_text("# %%\\n" + code + "\\n", encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    execute_notebook(path)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out.append(f"{name} {after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime:.2f} s")
    path.unlink()
print(", ".join(out))
"""


# ---- report --------------------------------------------------------------------------------------
def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(ln for ln in Path("/proc/meminfo").read_text().splitlines()
                      if ln.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = {"python": platform.python_version()}
    for dist in ("pandas", "numpy", "openpyxl", "matplotlib", "seaborn", "pandera", "ntm-analysis"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    return {"cpu": f"{cpu} ({platform.machine()})", "cores": str(cores), "memory": mem,
            "os": f"{platform.system()} {platform.release()}",
            "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"), "load": loadavg(),
            "versions": ", ".join(f"{k} {v}" for k, v in versions.items())}


def render(rows: list[Row], info: dict, quick: bool, elapsed: float) -> str:
    lines = ["# Benchmark results", "",
             "Written by `make bench` (`benchmarks/run.py`); benchmarks/README.md explains each row.", ""]
    if quick:
        lines += ["**--quick run: tiny inputs, single runs; not a measurement.**", ""]
    lines += [f"- machine: {info['cpu']}, {info['cores']} cores, {info['memory']} memory, {info['os']}",
              f"- date: {info['date']}", f"- versions: {info['versions']}",
              f"- the whole run took {fmt_s(elapsed)}; load average (1, 5, 15 min) before: {info['load_before']}, "
              f"after: {info['load']} (other processes share the {info['cores']} cores: medians and "
              f"alternation temper that, CPU times are shown beside wall times)", "",
              "| # | benchmark | measured | goal | status |", "|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r.id} | {r.what} | {r.measured} | {r.goal} | {r.status} |")
    detail_rows = [r for r in rows if r.details]
    if detail_rows:
        lines += ["", "## Details", ""]
        for r in detail_rows:
            lines += [f"- **{r.id}**: " + "; ".join(r.details)]
    prof = [r for r in rows if r.profile]
    if prof:
        lines += ["", "## Where the time goes", ""]
        for r in prof:
            lines += [f"### {r.id}: {r.what} ({r.status})", "", "```", r.profile.rstrip(), "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def print_table(rows: list[Row]) -> None:
    widths = [max(len(x) for x in col) for col in zip(*[(r.id, r.what, r.measured, r.goal, r.status)
                                                        for r in rows],
                                                       ("#", "benchmark", "measured", "goal", "status"))]
    header = ("#", "benchmark", "measured", "goal", "status")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    for r in rows:
        print(
            "  ".join(
                str(x).replace("**", "").ljust(w) for x, w in zip((r.id, r.what, r.measured, r.goal, r.status), widths)
            )
        )


def _published_plan_pdf(folder: Path) -> tuple[Path, Path] | None:
    """The published plan laid out as Word (ruled tables, as tests/test_documents_other_hands.py lays it)
    and printed to PDF by LibreOffice: (docx, pdf), or None without the plan's text or soffice."""
    sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "scripts")]
    from helpers import PLAN_MD  # noqa: PLC0415
    if not PLAN_MD.exists() or not shutil.which("soffice"):
        return None
    from test_documents_other_hands import _plan_as_word  # noqa: PLC0415
    word = folder / "ke-hoach-05.docx"
    _plan_as_word(word, ruled=True)
    subprocess.run([shutil.which("soffice"), "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(word)],
                   check=True, capture_output=True, timeout=300)
    return word, word.with_suffix(".pdf")


def bench_ocr(quick: bool) -> list[Row]:
    """Rows O1–O3: scans of the published plan read by OCR (see benchmarks/ocr_scans.py)."""
    from ntm_analysis.reading.sources.ocr import engine_problem  # noqa: PLC0415
    sys.path.insert(0, str(ROOT / "scripts"))
    from make_scans import make_scans  # noqa: PLC0415
    problem = engine_problem()
    if quick:  # a scan of the whole plan takes minutes: not a --quick step
        return [Row("O1", "OCR of scans of plan 05", "not measured (--quick)", "–", None)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        made = None if problem else _published_plan_pdf(folder)
        if made is None:
            why = problem or "the plan's text (../shared/source) or LibreOffice is missing"
            return [Row("O1", "OCR of scans of plan 05", "not measured", "–", None, [why])]
        word, pdf = made
        rows = []
        kinds = [("O1", "grey", 200, "200 dpi greyscale scan of the whole plan (seal, signature, skew ≤ 1.5°, "
                                     "noise, JPEG)"),
                 ("O3", "fax", 150, "150 dpi black-and-white fax of the whole plan")]
        for row_id, mode, dpi, what in kinds:
            scan = folder / f"scan-{mode}.pdf"
            make_scans(pdf, scan, dpi=dpi, mode=mode, seed=5)
            out = folder / f"{mode}.json"
            load = loadavg()
            seconds, _proc = run([PY, str(BENCH / "ocr_scans.py"), str(scan), str(word), str(PLAN), str(out)],
                                 timeout=1800)
            r = json.loads(out.read_text(encoding="utf-8"))
            n = r["figures"]
            measured = (f"{r['exact']}/{n} exact, {r['flagged']} flagged, {r['wrong']} wrong, {r['missing']} "
                        f"missing; {r['seconds']:.0f} s wall, {r['cpu_seconds']:.0f} s CPU; "
                        f"{r['max_rss_mb']:.0f} MB")
            if mode == "grey":
                goal = "every figure exact; narrative as Word; ≤ 180 s; < 1 GB"
                ok = (r["exact"] == n and r["targets_same"] == r["targets_word"] and r["communes_same"]
                      and r["seconds"] <= 180 and r["max_rss_mb"] < 1024)
            else:
                goal = "≥ 90% exact, every other flagged"
                ok = r["exact"] >= 0.9 * n and r["wrong"] == 0 and r["missing"] == 0
            details = [f"load average before: {load}, after the read: {r['load']}; wall {seconds:.0f} s for the "
                       f"whole process; memory: the largest in use at once by the reader and its Tesseracts "
                       f"(sampled), the reader's own peak {r['own_peak_mb']:.0f} MB",
                       f"narrative: {r['targets_same']}/{r['targets_word']} targets as from Word "
                       f"({r['targets_extra']} others), named communes as Word: {r['communes_same']} "
                       f"({r['communes']}); ocr_uncertain warnings: {r['ocr_uncertain']}; errors: {r['errors']}"]
            details += [f"wrong: {w}" for w in r["wrong_list"][:10]]
            details += [f"missing: {m}" for m in r["missing_list"][:10]]
            rows.append(Row(row_id, what, measured, goal, ok, details))
            if mode == "grey":
                rows.append(_ocr_rebuild(folder, scan))
        return rows


def _ocr_rebuild(folder: Path, scan: Path) -> Row:
    """Row O2: a rebuild (``build --force``) with the scan unchanged, against the same without the scan."""
    times = {}
    for name, files in (("without", [PLAN]), ("with", [PLAN, scan])):
        raw = folder / name / "raw"
        raw.mkdir(parents=True)
        for f in files:
            shutil.copy(f, raw / f.name)
            side = f.with_name(f.stem + ".meta.json")
            if side.exists():
                shutil.copy(side, raw / side.name)
        out = folder / name
        cmd = CLI + ["build", "--force", "--raw", str(raw), "--processed", str(out / "processed"), "--figures",
                     str(out / "figures")]
        run(cmd, check=False, timeout=1800)  # the first build reads the scan and keeps its read
        times[name] = run(cmd, check=False, timeout=600)[0]
    extra = times["with"] - times["without"]
    return Row("O2", "rebuild with the scan unchanged (build --force: the scan's read from the cache)",
               f"{extra:+.2f} s ({times['with']:.2f} s against {times['without']:.2f} s)", "≤ 1 s more",
               extra <= 1.0)


SECTIONS = ("build", "validate", "scale", "notebooks", "make_all", "hostile", "ocr")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="ntm-analysis benchmarks")
    ap.add_argument("--quick", action="store_true", help="tiny inputs, single runs (for the tests)")
    ap.add_argument(
        "--out",
        type=Path,
        default=None,
        help="results file (default benchmarks/results.md; --quick writes none unless given)",
    )
    ap.add_argument("--runs", type=int, default=None, help="timed runs of rows 1 and 2 (default 5 and 9)")
    ap.add_argument("--only", default=",".join(SECTIONS), help="comma-separated: " + ",".join(SECTIONS))
    args = ap.parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        ap.error(f"unknown sections: {', '.join(sorted(unknown))}")
    out = args.out if args.out is not None else (None if args.quick else BENCH / "results.md")

    # the package as an install leaves it, its modules compiled (a wheel install compiles them, make setup
    # does it for the editable one): where PYTHONDONTWRITEBYTECODE is set, a module edited since would
    # otherwise be compiled again in every timed process, a cost the floor's libraries never pay
    compileall.compile_dir(ROOT / "ntm_analysis", quiet=1)
    load_before = loadavg()
    t0 = time.perf_counter()
    rows: list[Row] = []
    steps = {
        "build": lambda: bench_build(args.runs or (1 if args.quick else 5), args.quick),
        "validate": lambda: bench_validate(args.runs or (1 if args.quick else 9), args.quick),
        "scale": lambda: bench_scale(args.quick),
        "notebooks": lambda: bench_notebooks(args.quick),
        "make_all": lambda: bench_make_all(args.runs or 3, args.quick),
        "hostile": lambda: bench_hostile(args.quick),
        "ocr": lambda: bench_ocr(args.quick),
    }
    for name in SECTIONS:
        if name in only:
            t = time.perf_counter()
            print(f"[bench] {name} …", file=sys.stderr, flush=True)
            rows.extend(steps[name]())
            print(f"[bench] {name} done in {fmt_s(time.perf_counter() - t)}", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - t0
    if args.quick:  # tiny inputs and single runs measure nothing: no verdicts (the import check excepted)
        for r in rows:
            if r.id != "2b" and not r.id.startswith("H"):  # (the hostile rows are pass/fail answers)
                r.ok = None
    text = render(rows, machine() | {"load_before": load_before}, args.quick, elapsed)
    print_table(rows)
    if out is not None:
        out.write_text(text, encoding="utf-8")
        print(f"\nwritten to {rel(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
