"""The four notebooks: they run top to bottom in a fresh kernel, on the real plan
and on a synthetic one passed through their parameters; committed notebooks
carry no outputs; the sentences they render (ntm_analysis.story) are right."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers import PLAN, ROOT, edited_plan
from ntm_analysis import story
from ntm_analysis.notebooks import (NOTEBOOKS, PARAMETERS_TAG, execute_notebook, inject_parameters, load_project,
                                    main, run_notebooks)
from ntm_analysis.story import say

NOTEBOOK_DIR = ROOT / "notebooks"
PARAMETER_NAMES = {"raw_dir", "processed_dir", "figures_dir", "examples_dir", "base_year", "target_year", "lang",
                   "export_figures"}


# ---------------------------------------------------------------- story -----
def test_story_sentences_write_numbers_the_vietnamese_way():
    assert say("Năm {year}, {ntm:n} xã đạt chuẩn ({share:%1}).", year=2021, ntm=72, share=72 / 127) \
        == "Năm 2021, 72 xã đạt chuẩn (56,7%)."
    assert say("{total:n} triệu đồng ≈ {total:ty} tỷ đồng", total=661500) == "661.500 triệu đồng ≈ 661,5 tỷ đồng"
    assert say("{a:n2} so với {b:n2}", a=15.758268, b=16.15) == "15,76 so với 16,15"
    assert say("{d:+n} xã, {e:+n2} tiêu chí, {z:+n}", d=15, e=-0.39, z=0) == "+15 xã, −0,39 tiêu chí, 0"
    assert say("{v:t1} / {w:t2} / {x}", v=16.15, w=19.0, x=13500) == "16,2 / 19 / 13.500"  # half up, trimmed
    assert say("{p:p1} · {s:%1} · {one:%1}", p=95.5, s=0.795, one=1.0) == "95,5% · 79,5% · 100%"


def test_story_years_missing_values_and_words():
    # fields named *year are years (never "2.021"); so is the y spec
    assert say("{base_year} → {target_year}, {x:y}", base_year=2020, target_year=2021, x=2022) == "2020 → 2021, 2022"
    assert say("{n}", n=2021) == "2.021"  # a count of 2021 is a count
    assert say("{a} {b:n} {c:%1}", a=None, b=float("nan"), c=pd.NA) == "– – –"
    assert say("`{folder}`", folder=Path("/data/raw")) == "`/data/raw`"
    assert story.join(["Thu nhập", "Hộ nghèo", "Y tế"]) == "Thu nhập, Hộ nghèo và Y tế"
    assert story.join(["Thu nhập"]) == "Thu nhập" and story.join([]) == ""
    assert story.change_word(3) == "tăng" and story.change_word(-1) == "giảm" and story.change_word(0) == "không đổi"
    assert story.bullets(["a", "b"]) == "- a\n- b"
    import numpy as np
    assert say("{n} xã, {s:%1}", n=np.int64(77), s=np.float64(0.6063)) == "77 xã, 60,6%"


def test_story_table_formats_numbers_and_statuses():
    frame = pd.DataFrame({"status": ["target"], "year": [2021], "communes": [13500], "share": [0.795]})
    html = story.vn_table(frame, {"share": "%1", "year": "y"}, labels={"communes": "Số xã"}).to_html()
    assert "kế hoạch" in html and "2021" in html and "13.500" in html and "79,5%" in html and "Số xã" in html
    assert "2.021" not in html


# --------------------------------------------------- committed notebooks -----
def committed_notebooks() -> list[Path]:
    """git ls-files '*.ipynb' where git knows them, and every notebooks/*.ipynb."""
    paths = set(NOTEBOOK_DIR.glob("*.ipynb"))
    try:
        listed = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.split()
        paths |= {ROOT / p for p in listed}
    except (OSError, subprocess.CalledProcessError):
        pass
    return sorted(p for p in paths if p.exists())


def test_the_four_notebooks_exist():
    assert sorted(p.name for p in NOTEBOOK_DIR.glob("*.ipynb")) == sorted(NOTEBOOKS)


@pytest.mark.parametrize("path", committed_notebooks(), ids=lambda p: p.name)
def test_committed_notebooks_hold_no_outputs_and_no_execution_counts(path):
    nb = nbformat.read(str(path), as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.get("outputs") == [], f"{path.name} cell {i} holds outputs: strip them (nbstripout)"
            assert cell.get("execution_count") is None, f"{path.name} cell {i} holds an execution count"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebooks_follow_the_house_rules(name):
    nb = nbformat.read(str(NOTEBOOK_DIR / name), as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    first = code[0]
    assert PARAMETERS_TAG in first.metadata.get("tags", []), "the first code cell must be tagged 'parameters'"
    assigned = set(re.findall(r"^(\w+)\s*=", first.source, flags=re.M))
    assert PARAMETER_NAMES <= assigned
    assert "config." in first.source  # default paths come from the package config, never from the cwd
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text = re.sub(r"^# 0\d\b", "", cell.source)  # the notebook's own number in its title
            text = re.sub(r"Biểu 0\d", "", text)  # the appendices' names
            assert not re.search(r"\d", text), f"{name}: a figure typed into markdown: {cell.source[:80]!r}"
    source = "\n".join(c.source for c in code)
    assert "os.chdir" not in source and "Path.cwd" not in source and "../" not in source
    assert "data/raw" not in source and "data/examples" not in source


# ------------------------------------------------------------ the runner -----
def test_parameters_are_injected_after_the_parameters_cell():
    path = NOTEBOOK_DIR / NOTEBOOKS[1]
    before = path.read_bytes()
    nb = nbformat.read(str(path), as_version=4)
    out = inject_parameters(nb, {"raw_dir": Path("/tmp/x"), "target_year": 2022, "export_figures": False})
    index = next(i for i, c in enumerate(out.cells) if PARAMETERS_TAG in c.metadata.get("tags", []))
    injected = out.cells[index + 1]
    assert "injected-parameters" in injected.metadata["tags"]
    assert "raw_dir = '/tmp/x'" in injected.source and "target_year = 2022" in injected.source
    assert len(out.cells) == len(nb.cells) + 1
    assert len(inject_parameters(out, {"lang": "en"}).cells) == len(nb.cells) + 1  # replaced, not stacked
    assert path.read_bytes() == before
    with pytest.raises(ValueError):
        inject_parameters(nb, {"raw_dir": object()})  # only literals


def test_the_kernel_is_this_python(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("import os, sys\nprint(sys.executable)\nprint(os.getcwd())\nprint(x)")])
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, str(path))
    done = execute_notebook(path, {"x": 42})
    lines = done.cells[-1].outputs[0]["text"].split()
    assert Path(lines[0]).resolve() == Path(sys.executable).resolve()
    assert Path(lines[1]).resolve() != ROOT.resolve()  # a neutral working folder
    assert lines[2] == "42"


def test_load_project_finds_actuals_in_raw_first_and_labels_examples(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(PLAN, raw / PLAN.name)
    shutil.copy(PLAN.with_name(PLAN.stem + ".meta.json"), raw / (PLAN.stem + ".meta.json"))
    examples = ROOT / "data" / "examples"
    no_actuals = load_project(raw, tmp_path / "processed", examples_dir=None)
    assert no_actuals.actuals.origin == "none" and not no_actuals.actuals.illustrative
    with_example = load_project(raw, tmp_path / "processed", examples_dir=examples)
    if not list(examples.glob("*minh-hoa*.xlsx")):
        pytest.skip("no example results workbook yet")
    assert with_example.actuals.origin == "example" and with_example.actuals.illustrative
    assert with_example.actuals.meta[0]["illustrative"] is True
    assert "actual" in set(with_example.tables_with_actuals.criteria.status)
    assert "actual" not in set(with_example.tables.criteria.status[with_example.tables.criteria.year == 2021])
    # a results source in the raw folder wins over the example, and is real when its sidecar says so
    example = next(examples.glob("*minh-hoa*.xlsx"))
    shutil.copy(example, raw / "ket-qua-2021.xlsx")
    meta = json.loads(example.with_name(example.stem + ".meta.json").read_text(encoding="utf-8"))
    meta.update(source_id="ket-qua-2021", illustrative=False, document_number="01/BC-TEST",
                document_date="2022-01-15", citation="Báo cáo kiểm thử")
    meta.pop("sha256", None)
    (raw / "ket-qua-2021.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    real = load_project(raw, tmp_path / "processed", examples_dir=examples)
    assert real.actuals.origin == "raw" and not real.actuals.illustrative
    assert [f.name for f in real.actuals.files] == ["ket-qua-2021.xlsx"]


def test_command_line_lists_and_refuses_unknown_folders(tmp_path, capsys):
    assert main(["--list"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in NOTEBOOKS)
    assert main(["--execute", "--notebooks", str(tmp_path)]) == 2


# ------------------------------------------------ executing the notebooks -----
def synthetic_raw(folder: Path) -> Path:
    """A plan with changed numbers: income met by fewer communes than the NTM
    communes planned (the ceiling is overrun), other funding, other targets."""
    raw = folder / "raw"
    raw.mkdir(parents=True)
    edited_plan(raw, {("Biểu 01", "E24"): 70, ("Biểu 01", "E25"): 71, ("Biểu 01", "E16"): 99,
                      ("Biểu 02", "D11"): "14,1", ("Biểu 02", "C12"): 5,
                      ("Biểu 03", "D16"): "60.000", ("Biểu 03", "D6"): "671.500"},
                name="ke-hoach-thu-nghiem.xlsx")
    meta = json.loads(PLAN.with_name(PLAN.stem + ".meta.json").read_text(encoding="utf-8"))
    meta.update(source_id="ke-hoach-thu-nghiem", citation="Kế hoạch thử nghiệm (số liệu tổng hợp cho kiểm thử)")
    meta.pop("sha256", None)
    (raw / "ke-hoach-thu-nghiem.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return raw


def html_text(path: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


def assert_all_ran(results):
    failed = [f"{r.notebook}: {r.error[-1500:]}" for r in results if not r.ok]
    assert not failed, "\n\n".join(failed)
    assert [r.notebook for r in results] == list(NOTEBOOKS)


def test_notebooks_run_on_the_real_plan(tmp_path):
    results = run_notebooks(html_dir=tmp_path / "reports", jobs=2)
    assert_all_ran(results)
    texts = {r.notebook[:2]: html_text(r.html) for r in results}
    # 01: the source's own inconsistency, computed
    assert "15,76" in texts["01"] and "16,15" in texts["01"]
    # 02: the 2020 -> 2021 story, with its charts
    assert "Thu nhập" in texts["02"] and "77 xã" in texts["02"] and "Hộ nghèo" in texts["02"]
    assert "dư địa 5 xã" in texts["02"]
    raw_html = (tmp_path / "reports" / "02-criteria-gaps.html").read_text(encoding="utf-8")
    assert raw_html.count("data:image/png;base64") >= 3
    # 03: without results in data/raw, the example is used and said to be illustrative
    assert "Số liệu minh họa" in texts["03"] and "illustrative: true" in texts["03"]
    assert "661.500" in texts["04"] and "44.100" in texts["04"]
    # 05: no commune table in data/raw: the illustrative commune tables, said to be illustrative; the plan's own
    # district averages imply 15,76 against the province's 16,15 (Biểu 02)
    assert "Số liệu minh họa" in texts["05"] and "15,76" in texts["05"] and "57 xã đạt chuẩn" in texts["05"]
    for key, text in texts.items():
        assert not re.search(r"[Nn]ăm \**\d\.\d{3}\b", text), f"{key}: a year written as a number"
        assert "Traceback" not in text


def test_notebooks_run_on_another_workbook_through_their_parameters(tmp_path):
    raw = synthetic_raw(tmp_path)
    empty_examples = tmp_path / "no-examples"
    empty_examples.mkdir()
    params = {"raw_dir": str(raw), "processed_dir": str(tmp_path / "processed"), "examples_dir": str(empty_examples),
              "figures_dir": str(tmp_path / "figures"), "export_figures": True, "lang": "vi"}
    results = run_notebooks(parameters=params, html_dir=tmp_path / "reports", jobs=2)
    assert_all_ran(results)
    texts = {r.notebook[:2]: html_text(r.html) for r in results}
    assert "ke-hoach-thu-nghiem.xlsx" in texts["01"]
    assert "70 xã" in texts["02"] and "vượt mức trần 2 xã" in texts["02"]  # 72 planned, income met by 70
    assert "Chưa có số liệu thực hiện" in texts["03"] and "Số liệu minh họa" not in texts["03"]
    assert "671.500" in texts["04"]
    assert "Chưa có bảng đánh giá tiêu chí theo xã" in texts["05"]
    written = sorted(p.name for p in (tmp_path / "figures").iterdir())
    assert "criteria_gaps.png" in written and "criteria_gaps.svg" in written


def test_explain_tells_the_plans_own_inconsistency():
    from ntm_analysis import analysis, explain
    from ntm_analysis.reader import read_source
    from ntm_analysis.reference import load_reference

    reference = load_reference()
    tables = read_source(PLAN, reference).tables
    w = explain.weighted_average(tables, reference)
    assert round(w["weighted"], 2) == 15.76 and w["stated"] == 16.15 and not w["ok"]
    assert w["communes"] == 127 and w["stated_cell"] == "Biểu 02!D7"
    sentence = explain.weighted_average_sentence(w)
    assert "**15,76**" in sentence and "**16,15**" in sentence and "Biểu 02!D7" in sentence
    checks = explain.reconciliations(tables, reference)
    assert checks.loc[~checks.ok, "check"].tolist() == ["weighted_average"]
    assert len(checks) >= 15  # the sums that hold are listed too
    blanks = explain.blank_cells(tables, reference)
    assert blanks.cell.tolist() == ["Biểu 02!C10"] and "không ghi 0" in blanks.note.iloc[0]
    ceiling = analysis.ntm_ceiling(tables.criteria, tables.province)
    text = explain.ceiling_sentence(ceiling, (2021, "target"))
    assert "**Thu nhập**" in text and "**77 xã**" in text and "**Hộ nghèo** 80 xã (hơn 3)" in text
    assert "**72**" in text and "dư địa **5 xã**" in text
    money = explain.funding_summary(tables, reference, 2021)
    assert money["total"] == 661500 and money["per_new_ntm_commune"] == 44100
    assert say("{v:%1}", v=money["budget_share"]) == "47,1%"
