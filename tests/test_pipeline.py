"""One assembly of the pipeline (issue 20 §2): ``pipeline.run`` is what ``build`` writes,
``pipeline.load`` reads it back with its dtypes, and the notebooks take the loaded project
(built first when data/raw changed). For every set of sources an analyst may drop into
data/raw (the plan with each file of data/examples, and with all of them) the notebooks'
loading and story functions work, and a language other than Vietnamese never writes over
what Vietnamese wrote."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from helpers import PLAN, ROOT
from pandas.testing import assert_frame_equal

from ntm_analysis import i18n, pipeline
from ntm_analysis.config import SOURCE_DOCUMENTS_DIR
from ntm_analysis.notebooks import explain
from ntm_analysis.notebooks.communes import load_communes
from ntm_analysis.notebooks.project import load_project, resolve_periods, sheet_tables
from ntm_analysis.notebooks.text_view import text_reads
from ntm_analysis.publishing.build import build
from ntm_analysis.reading.inputs import raw_files

EXAMPLES = ROOT / "data" / "examples"
SIDECAR = PLAN.with_name(PLAN.stem + ".meta.json")
#: The plan with each example file (and its sidecar), and with all of them.
SETS = {path.stem: [path] for path in raw_files(EXAMPLES)} | {"all": raw_files(EXAMPLES)}


def raw_folder(tmp_path: Path, extra: list[Path]) -> Path:
    """tmp_path/raw: the plan and ``extra``, each with its sidecar."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for path in [PLAN, *extra]:
        shutil.copy(path, raw / path.name)
        shutil.copy(path.with_name(path.stem + ".meta.json"), raw / (path.stem + ".meta.json"))
    return raw


def test_load_reads_back_what_run_made_with_its_dtypes(tmp_path):
    raw = raw_folder(tmp_path, SETS["all"])
    result = build(raw, tmp_path / "processed", tmp_path / "figures", figures=False, workers=1)
    assert result.exit_code == 0, result.findings.report()
    loaded = pipeline.load(tmp_path / "processed")
    for name, frame in result.tables.items():
        assert_frame_equal(getattr(loaded.tables, name).reset_index(drop=True), frame.reset_index(drop=True),
                           check_exact=True)
    assert set(loaded.results) == set(result.results)
    for name, frame in result.results.items():
        assert_frame_equal(loaded.results[name], frame.reset_index(drop=True), check_exact=True, obj=name)
    assert [f.line() for f in loaded.findings] == [f.line() for f in result.findings]
    sidecars = [json.loads(p.with_name(p.stem + ".meta.json").read_text(encoding="utf-8")) for p in SETS["all"]]
    assert loaded.illustrative_ids == {m["source_id"] for m in sidecars if m.get("illustrative") is True}
    assert loaded.illustrative_ids  # (three of the four examples say so)


@pytest.mark.parametrize("name", sorted(SETS))
def test_the_notebooks_load_every_set_of_examples_dropped_into_raw(tmp_path, name):
    """What the notebooks compute, for the plan with each example (and all): the project
    built and loaded, notebook 01's explanations of every table (commune tables included),
    the periods compared, each figure's source line, notebook 05's commune data."""
    raw = raw_folder(tmp_path, SETS[name])
    project = load_project(raw, tmp_path / "processed", EXAMPLES)
    assert project.ok, [f.line() for f in project.findings.errors]
    assert project.built_now and project.manifest  # built first: nothing was there
    assert [r.info.file for r in project.reads] == [p.name for p in raw_files(raw)]
    explain.blank_cells(project.tables, project.reference)
    explain.periods(project.tables)
    explain.reconciliations(project.tables, project.reference)
    explain.weighted_average(project.tables, project.reference)
    text_reads(project.reads, SOURCE_DOCUMENTS_DIR)
    plan = sheet_tables(project, PLAN.name, "Biểu 01")  # notebook 01's tidy rows beside the raw sheet
    assert len(plan["criteria"]) == 2 * 19 and {c.split("!")[0] for c in plan["criteria"].cell} == {"Biểu 01"}
    focused = project.focus(None)
    base, compare = resolve_periods(focused.tables.criteria, 2020, 2021)
    assert (base, compare) == ((2020, "actual"), (2021, "target"))
    for figure in ("criteria_gaps", "ntm_ceiling", "commune_bands", "district_targets", "funding_sources"):
        assert focused.source_line("vi", figure=figure)
    communes = load_communes(focused, EXAMPLES)
    assert communes.origin == ("raw" if "xa-tieu-chi" in name or name == "all" else "example")
    assert "commune_readiness" in communes.results
    # loaded again: nothing built, the same tables
    again = load_project(raw, tmp_path / "processed", EXAMPLES)
    assert not again.built_now
    for table, frame in project.tables.items():
        assert_frame_equal(getattr(again.tables, table), frame)


def test_a_source_changed_since_the_build_is_built_again_before_the_notebook_loads_it(tmp_path):
    raw = raw_folder(tmp_path, [])
    assert build(raw, tmp_path / "processed", tmp_path / "figures", figures=False, workers=1).exit_code == 0
    # Bát Xát's households with a hygienic latrine (Biểu 02!F9) corrected from 84 to 85, as an analyst
    # would: the sidecar's sha256 follows
    import openpyxl

    wb = openpyxl.load_workbook(raw / PLAN.name)
    assert wb["Biểu 02"]["F9"].value == 84
    wb["Biểu 02"]["F9"].value = 85
    wb.save(raw / PLAN.name)
    meta = json.loads((raw / SIDECAR.name).read_text(encoding="utf-8"))
    meta["sha256"] = hashlib.sha256((raw / PLAN.name).read_bytes()).hexdigest()
    (raw / SIDECAR.name).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    project = load_project(raw, tmp_path / "processed", examples_dir=None)
    assert project.built_now
    latrine = project.tables.districts[project.tables.districts.cell == "Biểu 02!F9"]
    assert latrine.value.tolist() == [85]  # the new number, as the build wrote it
    assert pipeline.load(tmp_path / "processed").tables.districts.set_index("cell").loc["Biểu 02!F9", "value"] == 85
    with i18n.use_language("en"):
        assert "built now" in project.read_line


def test_the_notebooks_never_analyse_what_the_build_refuses(tmp_path):
    """Two files with the same source_id: an error of the build, and so of the notebooks
    (they used to leave that check out and analyse the data anyway)."""
    raw = raw_folder(tmp_path, [])
    shutil.copy(PLAN, raw / "copy.xlsx")
    shutil.copy(SIDECAR, raw / "copy.meta.json")  # the same source_id
    project = load_project(raw, tmp_path / "processed", EXAMPLES)
    assert "duplicate_source_id" in {f.check for f in project.findings.errors}
    assert not project.results and not (tmp_path / "processed" / "criteria.csv").exists()
    with pytest.raises(ValueError):
        project.require_ok()


def test_a_build_in_english_writes_its_own_files_beside_the_vietnamese_ones(tmp_path):
    raw = raw_folder(tmp_path, [])
    processed, figures = tmp_path / "processed", tmp_path / "figures"
    assert build(raw, processed, figures, lang="vi", workers=1).exit_code == 0
    before = {p: p.read_bytes() for p in [*processed.iterdir(), *figures.iterdir()] if p.is_file()}
    assert build(raw, processed, figures, lang="en", workers=1).exit_code == 0
    assert {p: p.read_bytes() for p in before} == before  # nothing of the Vietnamese build rewritten
    assert (figures / "en" / "criteria_gaps.png").is_file() and (processed / "en" / "ntm_tables.xlsx").is_file()
    en, vi = pipeline.load(processed, "en").validation, pipeline.load(processed, "vi").validation
    assert en["check"].tolist() == vi["check"].tolist() and en["message"].tolist() != vi["message"].tolist()
    # each is up to date in its language, and loads in it
    assert build(raw, processed, figures, lang="vi", workers=1).up_to_date
    assert build(raw, processed, figures, lang="en", workers=1).up_to_date
    assert pipeline.is_built(raw, processed, lang="en") and pipeline.is_built(raw, processed, lang="vi")
    assert_frame_equal(pipeline.load(processed, "en").tables.criteria, pipeline.load(processed, "vi").tables.criteria)
