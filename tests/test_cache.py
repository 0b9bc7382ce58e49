"""The per-source cache of reads (``ntm_analysis.publishing.cache``): a rebuild reads only the
sources that changed, gives the same outputs as a build from scratch, and survives
a damaged cache."""
from __future__ import annotations

import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import PLAN, ROOT

from ntm_analysis.publishing.build import build
from ntm_analysis.publishing.cache import CACHE_DIR, SourceCache, read_context, reference_version
from ntm_analysis.reading import inputs
from ntm_analysis.reading.inputs import input_hashes

sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> list[Path]:
    """Four sources of three provinces: the real Lào Cai plan and three synthetic plans
    (benchmarks/generate.py: Hà Nội, Hà Giang, Cao Bằng, 2021), each with its sidecar."""
    from generate import generate

    folder = tmp_path_factory.mktemp("generated")
    files = generate(folder, 3)
    shutil.copy(PLAN, folder / "raw" / PLAN.name)
    shutil.copy(PLAN.with_name(PLAN.stem + ".meta.json"), folder / "raw")
    return [folder / "raw" / PLAN.name, *files]


def _copy(files: list[Path], raw: Path) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy(f, raw / f.name)
        shutil.copy(f.with_name(f.stem + ".meta.json"), raw)


@pytest.fixture
def counted(monkeypatch) -> list[str]:
    """The file names ``read_source`` is called on (the reads really made)."""
    names: list[str] = []
    real = inputs.read_source

    def counting(path, *args, **kwargs):
        names.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(inputs, "read_source", counting)
    return names


def _build(root: Path, **kwargs):
    """One process (workers=1), so that ``counted`` sees every read."""
    return build(root / "raw", root / "processed", root / "figures", figures=False, workers=1, **kwargs)


def _same_outputs(a: Path, b: Path) -> None:
    """Every output of two processed folders is the same (the manifest's build time and
    the Excel file's own creation date aside)."""
    names = sorted(p.name for p in a.iterdir() if not p.name.startswith("."))
    assert names == sorted(p.name for p in b.iterdir() if not p.name.startswith("."))
    for name in names:
        if name == "manifest.json":
            continue
        if name.endswith(".xlsx"):
            with zipfile.ZipFile(a / name) as za, zipfile.ZipFile(b / name) as zb:
                parts = [n for n in za.namelist() if n != "docProps/core.xml"]
                assert parts == [n for n in zb.namelist() if n != "docProps/core.xml"]
                for part in parts:
                    assert za.read(part) == zb.read(part), f"{name}: {part} differs"
        else:
            assert (a / name).read_bytes() == (b / name).read_bytes(), f"{name} differs"


@pytest.fixture
def analysed(monkeypatch) -> list[str]:
    """The provinces whose analyses are computed (not taken from the cache)."""
    import ntm_analysis.analysis as analysis

    codes: list[str] = []
    real = analysis._run_one

    def counting(tables, reference):
        codes.extend(sorted(set(tables.criteria.province_code)))
        return real(tables, reference)

    monkeypatch.setattr(analysis, "_run_one", counting)
    return codes


def test_adding_one_workbook_reads_only_that_one(tmp_path, sources, counted, analysed, monkeypatch):
    first, added = sources[:-1], sources[-1]
    _copy(first, tmp_path / "inc" / "raw")
    result = _build(tmp_path / "inc")
    assert result.exit_code == 0, result.findings.report()
    assert sorted(counted) == sorted(f.name for f in first) and result.cached_files == []
    assert sorted(analysed) == ["01", "02", "10"]

    counted.clear()
    analysed.clear()
    _copy([added], tmp_path / "inc" / "raw")
    import ntm_analysis.publishing.build as build_module
    workbooks: list[str] = []
    real_write_excel = build_module.write_excel

    def counting_write_excel(frames, path, lang="vi"):
        workbooks.append(Path(path).name)
        return real_write_excel(frames, path, lang)

    monkeypatch.setattr(build_module, "write_excel", counting_write_excel)
    result = _build(tmp_path / "inc")
    # the national workbook and Cao Bằng's: the other provinces' workbooks are copied unchanged
    assert sorted(workbooks) == ["ntm_tables.xlsx", "ntm_tables_04_tinh-cao-bang.xlsx"]
    monkeypatch.setattr(build_module, "write_excel", real_write_excel)
    assert result.exit_code == 0, result.findings.report()
    assert counted == [added.name]  # the one workbook added, nothing else
    assert analysed == ["04"]  # Cao Bằng's analyses; the other provinces' are kept
    assert result.read_files == [added.name]
    assert sorted(result.cached_files) == sorted(f.name for f in first)

    counted.clear()
    _copy(sources, tmp_path / "scratch" / "raw")
    scratch = _build(tmp_path / "scratch")
    assert scratch.exit_code == 0 and len(counted) == len(sources)
    _same_outputs(tmp_path / "inc" / "processed", tmp_path / "scratch" / "processed")
    assert scratch.findings.to_frame().equals(result.findings.to_frame())


def test_a_corrupt_entry_is_ignored_and_read_again(tmp_path, sources, counted):
    _copy(sources[:2], tmp_path / "a" / "raw")
    assert _build(tmp_path / "a").exit_code == 0
    entries = sorted((tmp_path / "a" / "processed" / CACHE_DIR / "sources").iterdir())
    assert len(entries) == 2
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # truncated
    entries[1].write_bytes(b"not a pickle at all")
    before = (tmp_path / "a" / "processed" / "criteria.csv").read_bytes()

    counted.clear()
    result = _build(tmp_path / "a", force=True)
    assert result.exit_code == 0, result.findings.report()
    assert sorted(counted) == sorted(f.name for f in sources[:2])  # both read again
    assert (tmp_path / "a" / "processed" / "criteria.csv").read_bytes() == before

    counted.clear()
    assert _build(tmp_path / "a", force=True).exit_code == 0
    assert counted == []  # the entries were written again, whole


def test_a_changed_sidecar_or_a_removed_source_is_seen(tmp_path, sources, counted):
    raw = tmp_path / "b" / "raw"
    _copy(sources[:2], raw)
    assert _build(tmp_path / "b").exit_code == 0
    meta = raw / (sources[1].stem + ".meta.json")
    meta.write_text(meta.read_text(encoding="utf-8").replace('"received_date": "2021-02-01"',
                                                             '"received_date": "2021-02-02"'), encoding="utf-8")
    counted.clear()
    assert _build(tmp_path / "b").exit_code == 0
    assert counted == [sources[1].name]  # the workbook is the same, its sidecar is not

    (raw / sources[0].name).unlink()
    (raw / (sources[0].stem + ".meta.json")).unlink()
    assert _build(tmp_path / "b").exit_code == 0
    assert len(list((tmp_path / "b" / "processed" / CACHE_DIR / "sources").iterdir())) == 1  # its entry is gone


def test_the_key_follows_package_reference_and_language(tmp_path):
    hashes = input_hashes([PLAN])
    base = SourceCache(tmp_path, read_context("package-a", None, "vi")).key(PLAN, hashes)
    assert base == SourceCache(tmp_path, read_context("package-a", None, "vi")).key(PLAN, hashes)
    ref = tmp_path / "reference"
    ref.mkdir()
    (ref / "districts.csv").write_text("province_code\n10\n", encoding="utf-8")
    others = [SourceCache(tmp_path, read_context("package-b", None, "vi")).key(PLAN, hashes),
              SourceCache(tmp_path, read_context("package-a", ref, "vi")).key(PLAN, hashes),
              SourceCache(tmp_path, read_context("package-a", None, "en")).key(PLAN, hashes),
              SourceCache(tmp_path, read_context("package-a", None, "vi")).key(PLAN, hashes | {PLAN.name: "0" * 64})]
    assert len({base, *others}) == 5
    before = reference_version(ref)
    (ref / "districts.csv").write_text("province_code\n11\n", encoding="utf-8")
    assert reference_version(ref) != before and reference_version(None) == "packaged"


@pytest.mark.filterwarnings("ignore::ntm_analysis.analysis.CriteriaSetWarning")  # 2021 actual vs 2022 target: expected here
def test_figures_are_kept_while_their_sources_are_unchanged(tmp_path, sources, monkeypatch):
    import ntm_analysis.publishing.charts as charts

    drawn: list[str] = []
    real = charts.draw_all

    def counting(tables, *args, **kwargs):
        drawn.extend(sorted(set(tables.criteria.province_code)))
        return real(tables, *args, **kwargs)

    monkeypatch.setattr(charts, "draw_all", counting)
    root = tmp_path / "fig"
    _copy(sources[1:3], root / "raw")  # Hà Nội and Hà Giang, one plan each: the figures show Hà Nội (01)
    assert build(root / "raw", root / "processed", root / "figures").exit_code == 0
    assert drawn == ["01"]
    before = {p.name: p.read_bytes() for p in (root / "figures").iterdir()}

    _copy(sources[3:], root / "raw")  # Cao Bằng added: Hà Nội's figures stay as they are
    result = build(root / "raw", root / "processed", root / "figures")
    assert result.exit_code == 0 and drawn == ["01"]
    ranking = {"province_ranking.png", "province_ranking.svg"}  # the national figure shows every province: redrawn
    assert ranking <= set(before)
    now = {p.name: p.read_bytes() for p in (root / "figures").iterdir()}
    assert {n: b for n, b in now.items() if n not in ranking} == {n: b for n, b in before.items() if n not in ranking}
    assert now["province_ranking.png"] != before["province_ranking.png"]  # Cao Bằng is in it now
    assert sorted(Path(p).name for p in result.outputs if "/figures/" in p) == sorted(before)

    from generate import generate

    [hanoi_2022] = generate(tmp_path / "more", 1, first=63)  # Hà Nội's plan for 2022: its figures change
    _copy([hanoi_2022], root / "raw")
    assert build(root / "raw", root / "processed", root / "figures").exit_code == 0
    assert drawn == ["01", "01"]
    after = {p.name: p.read_bytes() for p in (root / "figures").iterdir()}
    assert after != before

    assert build(root / "raw", root / "processed", root / "figures", force=True).exit_code == 0
    assert drawn == ["01", "01", "01"]  # --force draws them again
    assert {p.name: p.read_bytes() for p in (root / "figures").iterdir()} == after  # and they are the same


def test_the_cli_says_how_many_sources_came_from_the_cache(tmp_path, capsys, monkeypatch):
    from ntm_analysis.cli import main

    monkeypatch.delenv("NTM_LANG", raising=False)
    _copy([PLAN], tmp_path / "raw")
    args = ["build", "--raw", str(tmp_path / "raw"), "--processed", str(tmp_path / "processed"),
            "--figures", str(tmp_path / "figures"), "--no-figures", "--force"]
    assert main(args) == 0
    assert "bộ nhớ đệm" not in capsys.readouterr().out  # a first build reads everything
    assert main(args) == 0
    assert "nguồn dữ liệu: đọc mới 0, lấy 1 từ bộ nhớ đệm của các lần đọc trước" in capsys.readouterr().out


def test_a_failed_build_writes_no_cache(tmp_path, sources, counted):
    from helpers import edited_plan

    raw = tmp_path / "raw"
    _copy(sources[1:2], raw)
    edited_plan(raw, {("Biểu 02", "F8"): 150}, name="broken.xlsx")  # 150 % of households: an error
    result = build(raw, tmp_path / "processed", tmp_path / "figures", figures=False)
    assert result.exit_code == 1 and not (tmp_path / "processed").exists()
    (raw / "broken.xlsx").unlink()
    counted.clear()
    assert build(raw, tmp_path / "processed", tmp_path / "figures", figures=False).exit_code == 0
    assert counted == [sources[1].name]  # nothing was kept from the failed build


def test_cached_tables_come_back_the_same_and_stack_as_pandas_stacks_them(sources):
    """A read's tables pickled as plain arrays (the cache, the reading processes) are the same
    frames when unpickled, and ``TidyTables.concat`` of them is ``pd.concat``'s frame."""
    import pickle

    import pandas as pd
    from pandas.testing import assert_frame_equal

    from ntm_analysis.reading.reader import read_source
    from ntm_analysis.tables.tidy import COLUMNS, TidyTables, from_plain, to_plain

    tables = [read_source(path).tables for path in sources]
    back = [pickle.loads(pickle.dumps(t, protocol=pickle.HIGHEST_PROTOCOL)) for t in tables]
    stacked, unpickled = TidyTables.concat(back), TidyTables.concat(
        [pickle.loads(pickle.dumps(t)) for t in tables])
    for name in COLUMNS:
        expected = pd.concat([getattr(t, name) for t in tables], ignore_index=True)
        assert_frame_equal(getattr(stacked, name), expected, check_exact=True)
        assert getattr(stacked, name).to_csv(index=False) == expected.to_csv(index=False)
        for a, b in zip(back, tables):
            assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
    for name in COLUMNS:
        assert_frame_equal(getattr(unpickled, name), getattr(stacked, name), check_exact=True)
    assert len(tables[0].criteria) == 2 * 19  # plan 05, Biểu 01: 19 criteria, 2020 and 2021
    odd = tables[0].criteria.iloc[::2]  # not indexed 0..n-1: kept as a frame
    assert to_plain(odd) is odd and from_plain(odd) is odd
    whole = tables[0].criteria
    assert_frame_equal(from_plain(to_plain(whole)), whole, check_exact=True)


def test_the_provinces_analyses_computed_in_processes_are_those_computed_here(tmp_path, monkeypatch):
    """A national build computes the provinces' analyses in forked processes: the outputs are
    the same frames as those of one process."""
    from generate import generate
    from pandas.testing import assert_frame_equal

    import ntm_analysis.analysis as analysis
    from ntm_analysis.findings import Findings
    from ntm_analysis.reading.reader import read_source
    from ntm_analysis.reference import load_reference
    from ntm_analysis.tables.combine import combine
    from ntm_analysis.tables.provinces import split_provinces

    files = generate(tmp_path, analysis.PARALLEL_AT)
    tables, _conflicts = combine([read_source(f) for f in files], Findings())
    reference = load_reference()
    provinces = split_provinces(tables)
    assert len(provinces) == analysis.PARALLEL_AT
    import threading  # (a thread left by an earlier test of the session would keep run_all in one process)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert set(analysis._in_processes(provinces, list(provinces), reference, 2)) == set(provinces)
    here, forked = analysis.run_all(tables, reference), analysis.run_all(tables, reference, workers=2)
    assert list(here) == list(forked)
    for name, frame in here.items():
        assert_frame_equal(forked[name], frame, check_exact=True)


def test_the_notebooks_examples_are_read_once_and_pruned_when_gone(tmp_path, counted):
    """An example the notebooks bring in (``project.read_examples``) is read on its first use
    only, comes back as read, and its entry goes when the example leaves the examples folder."""
    from ntm_analysis.notebooks.project import EXAMPLES_CACHE, read_examples

    examples, processed = tmp_path / "examples", tmp_path / "processed"
    processed.mkdir()
    _copy([ROOT / "data" / "examples" / "ket-qua-2021-minh-hoa.xlsx",
           ROOT / "data" / "examples" / "xa-tieu-chi-2020-thuc-hien-minh-hoa.xlsx"], examples)
    results = examples / "ket-qua-2021-minh-hoa.xlsx"
    first = read_examples([results], processed, examples_dir=examples)
    again = read_examples([results], processed, examples_dir=examples)
    assert counted == [results.name]  # the second time from the cache
    assert again[0].info == first[0].info and again[0].findings.to_frame().equals(first[0].findings.to_frame())
    for name, frame in first[0].tables.items():
        assert getattr(again[0].tables, name).equals(frame), name
    entries = processed / CACHE_DIR / EXAMPLES_CACHE / "sources"
    assert len(list(entries.iterdir())) == 1
    results.unlink()
    results.with_name(results.stem + ".meta.json").unlink()
    communes = examples / "xa-tieu-chi-2020-thuc-hien-minh-hoa.xlsx"
    read_examples([communes], processed, examples_dir=examples)
    assert len(list(entries.iterdir())) == 1  # the removed example's entry is gone, the new one kept
    assert counted == [results.name, communes.name]
