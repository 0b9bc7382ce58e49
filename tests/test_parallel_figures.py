"""Figures drawn by several processes are the very files one process draws:
a build with two workers writes every PNG and SVG byte for byte as a serial
build does, and the figure jobs run in parallel return their texts."""
from __future__ import annotations

import os
import shutil

import pytest
from chart_fixtures import SOURCE_LINE, plan_tables
from helpers import PLAN

from ntm_analysis.analysis import run_all
from ntm_analysis.publishing import charts
from ntm_analysis.publishing.build import build
from ntm_analysis.reference import load_reference


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The plan built twice from the same raw folder: serially and with two workers."""
    raw = tmp_path_factory.mktemp("raw")
    shutil.copy(PLAN, raw / PLAN.name)
    shutil.copy(PLAN.with_name(PLAN.stem + ".meta.json"), raw)
    out = {}
    for workers in (1, 2):
        root = tmp_path_factory.mktemp(f"workers{workers}")
        with pytest.MonkeyPatch.context() as patch:  # threads left by earlier tests would make it serial
            patch.setattr(charts.threading, "active_count", lambda: 1)
            result = build(raw, root / "processed", root / "figures", workers=workers)
        assert result.exit_code == 0, [f.line() for f in result.findings.errors]
        out[workers] = root
    return out


def test_parallel_build_writes_the_serial_figures_byte_for_byte(builds):
    serial, parallel = builds[1] / "figures", builds[2] / "figures"
    names = sorted(p.name for p in serial.iterdir())
    assert names == sorted(p.name for p in parallel.iterdir())
    # the five plan figures, each as PNG and SVG
    assert len([n for n in names if n.endswith(".png")]) == 5 and len([n for n in names if n.endswith(".svg")]) == 5
    for name in names:
        assert (serial / name).read_bytes() == (parallel / name).read_bytes(), name


def test_parallel_build_writes_the_same_tables(builds):
    serial, parallel = builds[1] / "processed", builds[2] / "processed"
    csvs = sorted(p.name for p in serial.glob("*.csv"))
    assert csvs == sorted(p.name for p in parallel.glob("*.csv")) and "criteria.csv" in csvs
    for name in csvs:
        assert (serial / name).read_bytes() == (parallel / name).read_bytes(), name


def test_draw_figures_in_parallel_returns_paths_and_texts_in_job_order(tmp_path):
    tables = plan_tables()
    results = run_all(tables, load_reference())
    jobs = [(stem, draw, {}) for stem, draw in charts.figure_jobs(tables, results, source_line=SOURCE_LINE)][:3]
    meanwhile = []
    done = charts.draw_figures(jobs, tmp_path, workers=2, formats=("png",), meanwhile=lambda: meanwhile.append(1))
    assert meanwhile == [1]
    assert [[p.name for p in paths] for paths, _ in done] == [[f"{stem}.png"] for stem, _, _ in jobs]
    assert not list(tmp_path.glob("*.svg"))
    for _, texts in done:
        assert texts["source"] == SOURCE_LINE and texts["subtitle"]


def test_the_main_process_draws_the_jobs_no_worker_has_taken(tmp_path, monkeypatch):
    """Once its own work is done, the process that forked the workers draws too:
    the last jobs, which the two workers (busy with the first ones, one more queued)
    have not taken; every figure is still drawn once, and the same as serially."""
    # threads an earlier test left behind (idle pools) would make draw_figures draw serially
    monkeypatch.setattr(charts.threading, "active_count", lambda: 1)
    tables = plan_tables()
    results = run_all(tables, load_reference())
    stem, draw = charts.figure_jobs(tables, results, source_line=SOURCE_LINE)[0]

    def drawn_by(i: int):
        def job():
            (tmp_path / "pids" / str(i)).write_text(str(os.getpid()))
            return draw()
        return job
    (tmp_path / "pids").mkdir()
    jobs = [(f"{stem}_{i}", drawn_by(i), {}) for i in range(6)]
    done = charts.draw_figures(jobs, tmp_path / "parallel", workers=2, formats=("png",))
    pids = [int((tmp_path / "pids" / str(i)).read_text()) for i in range(6)]
    assert [[p.name for p in paths] for paths, _ in done] == [[f"{stem}_{i}.png"] for i in range(6)]
    assert os.getpid() not in pids[:3]  # the first two jobs and the queued one: the workers'
    assert pids[-1] == os.getpid()  # the last one: this process's
    serial = charts.draw_figures(jobs[-1:], tmp_path / "serial", workers=1, formats=("png",))
    assert serial[0][0][0].read_bytes() == done[-1][0][0].read_bytes()
    assert done[0][0][0].read_bytes() == done[-1][0][0].read_bytes()
