"""The four notebooks: they run top to bottom in a fresh kernel, on the real plan
and on a synthetic one passed through their parameters; each .ipynb says what
its .py (the source) says, without outputs; the runner skips a report whose
inputs did not change; the sentences they render (ntm_analysis.notebooks.story) are right."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest
from helpers import PLAN, ROOT, edited_plan
from test_rerun import EXAMPLES, built_project

from ntm_analysis.notebooks import story
from ntm_analysis.notebooks.project import load_project
from ntm_analysis.notebooks.runner import (
    NOTEBOOKS,
    PARAMETERS_TAG,
    check_parameters,
    execute_notebook,
    inputs_key,
    main,
    read_notebook,
    run_notebooks,
    write_ipynb,
)
from ntm_analysis.notebooks.story import say
from ntm_analysis.publishing.build import build
from ntm_analysis.publishing.stamps import stamp_path

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


def test_story_table_shows_a_blank_text_cell_as_a_blank():
    # the funding total's parent row code is blank: not "nan" (text columns have no format of their own)
    frame = pd.DataFrame({"row_code": ["0", "1"], "parent_code": pd.array([None, "0"], dtype="string"),
                          "amount": [661500.0, None]})
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", story.vn_table(frame).to_html())
    assert cells == ["0", "–", "661.500", "1", "0", "–"]


def test_notebook_tables_have_their_own_labels_and_the_excel_headers_keep_theirs():
    from ntm_analysis.publishing.outputs import column_labels

    names, excel = story.labels("vi"), column_labels("vi")
    assert names["share"] == "Tỷ lệ" and excel["share"] == "Tỷ lệ (0–1)"  # notebooks show shares in %
    assert names["year"] == excel["year"] == "Năm"  # no notebook label: the same one
    assert names["weight"] == "Trọng số" and "weight" not in excel  # notebooks only
    assert excel["kind"] == "Loại văn bản" and excel["citation"] == "Trích dẫn"  # the sources sheet too
    assert story.labels("en")["change_pp"] == "Change (pp)" and column_labels("en")["change_pp"] == \
        "Change (percentage points)"


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


def test_the_four_notebooks_exist_as_pairs():
    assert sorted(p.name for p in NOTEBOOK_DIR.glob("*.py")) == sorted(NOTEBOOKS)
    assert sorted(p.name for p in NOTEBOOK_DIR.glob("*.ipynb")) == sorted(Path(n).stem + ".ipynb" for n in NOTEBOOKS)


@pytest.mark.parametrize("path", committed_notebooks(), ids=lambda p: p.name)
def test_committed_notebooks_hold_no_outputs_and_no_execution_counts(path):
    nb = nbformat.read(str(path), as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.get("outputs") == [], f"{path.name} cell {i} holds outputs: strip them (nbstripout)"
            assert cell.get("execution_count") is None, f"{path.name} cell {i} holds an execution count"


def cell_contents(nb) -> list[tuple[str, str, list[str]]]:
    return [(c.cell_type, c.source, list(c.metadata.get("tags", []))) for c in nb.cells]


@pytest.mark.parametrize("path", committed_notebooks(), ids=lambda p: p.name)
def test_each_committed_ipynb_says_what_its_py_says(path):
    source = path.with_suffix(".py")
    assert source.is_file(), f"{path.name} has no {source.name}: the .py is the notebook's source"
    assert cell_contents(nbformat.read(str(path), as_version=4)) == cell_contents(read_notebook(source)), \
        f"{path.name} and {source.name} disagree: run `make sync-notebooks` (the .py is the source)"


def test_rewriting_an_ipynb_keeps_its_cell_ids(tmp_path):
    name = Path(NOTEBOOKS[1])
    source, pair = tmp_path / name.name, tmp_path / f"{name.stem}.ipynb"
    shutil.copy(NOTEBOOK_DIR / name, source)
    shutil.copy(NOTEBOOK_DIR / pair.name, pair)
    ids = [c.id for c in nbformat.read(str(pair), as_version=4).cells]
    write_ipynb(source)
    assert [c.id for c in nbformat.read(str(pair), as_version=4).cells] == ids  # nothing changed: same ids
    text = source.read_text(encoding="utf-8")
    heading = "# %% [markdown]\n# ## Theo nhóm tiêu chí"
    assert heading in text
    source.write_text(text.replace(heading, "# %%\nx = 1\n\n" + heading), encoding="utf-8")
    after = [c.id for c in nbformat.read(str(write_ipynb(source)), as_version=4).cells]
    assert len(after) == len(ids) + 1 and len(set(after)) == len(after)
    assert [i for i in after if i in ids] == ids  # a new cell in between: the others keep theirs


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebooks_follow_the_house_rules(name):
    nb = read_notebook(NOTEBOOK_DIR / name)
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
PROBE = """\
# %% tags=["parameters"]
x = 1
raw_dir = None

# %%
import os
import sys

print(sys.executable)
print(os.getcwd())
print(x)
"""


def test_the_kernel_is_this_python_and_parameters_come_after_their_cell(tmp_path):
    path = tmp_path / "probe.py"
    path.write_text(PROBE, encoding="utf-8")
    done = execute_notebook(path, {"x": 42, "raw_dir": tmp_path})
    tags = [c.metadata.get("tags", []) for c in done.cells]
    assert PARAMETERS_TAG in tags[0] and "injected-parameters" in tags[1]  # papermill: right after the cell
    assert f'raw_dir = "{tmp_path}"' in done.cells[1].source  # a path goes in as text
    lines = done.cells[-1].outputs[0]["text"].split()
    assert Path(lines[0]).resolve() == Path(sys.executable).resolve()
    assert Path(lines[1]).resolve() != ROOT.resolve()  # a neutral working folder
    assert lines[2] == "42"
    assert path.read_text(encoding="utf-8") == PROBE  # the notebook is never written to
    with pytest.raises(ValueError, match="raw_dir"):
        check_parameters({"raw_dir": object()})  # only literals


READER = """\
# %% tags=["parameters"]
raw_dir = None
processed_dir = None
examples_dir = None

# %%
from pathlib import Path

print(sorted(p.name for p in Path(raw_dir).iterdir()))
print(Path(raw_dir, "a.xlsx").read_text())
"""


def test_a_report_is_executed_again_only_when_what_it_read_changed(tmp_path):
    from ntm_analysis.notebooks.runner import _report, run_notebook

    path, reports, raw, processed = tmp_path / "reader.py", tmp_path / "reports", tmp_path / "raw", tmp_path / "pr"
    path.write_text(READER, encoding="utf-8")
    raw.mkdir()
    processed.mkdir()
    (raw / "a.xlsx").write_text("one", encoding="utf-8")
    (raw / "b.xlsx").write_text("unread", encoding="utf-8")
    (processed / "manifest.json").write_text("{}", encoding="utf-8")
    params = {"raw_dir": str(raw), "processed_dir": str(processed), "examples_dir": None}
    first = run_notebook(path, params, html_dir=reports)
    assert first.ok and not first.skipped and first.html.is_file()
    assert "_ntm_audit" not in first.html.read_text(encoding="utf-8")  # the recording cells are not exported
    assert run_notebook(path, params, html_dir=reports).skipped
    # files it did not read changed (a rebuild rewrote the processed folder, another workbook): still up to date
    (processed / "manifest.json").write_text('{"built_at": "later"}', encoding="utf-8")
    (raw / "b.xlsx").write_text("changed", encoding="utf-8")
    assert run_notebook(path, params, html_dir=reports).skipped
    (raw / "a.xlsx").write_text("two", encoding="utf-8")  # a file it read changed: out of date
    changed = run_notebook(path, params, html_dir=reports)
    assert changed.ok and not changed.skipped
    assert run_notebook(path, params, html_dir=reports).skipped
    stat = (raw / "a.xlsx").stat()  # written again with the same bytes (as a build rewrites a table): up to date
    (raw / "a.xlsx").write_text("two", encoding="utf-8")
    os.utime(raw / "a.xlsx", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert run_notebook(path, params, html_dir=reports).skipped
    # from here on the runner's own decision (what run_notebook asks before it starts a kernel)
    def up_to_date(force: bool = False) -> bool:
        return _report(path, params, reports, False, force)[2]

    assert up_to_date() and not up_to_date(force=True)
    (raw / "c.xlsx").write_text("new", encoding="utf-8")  # a new file in a folder it listed: out of date
    assert not up_to_date()
    (raw / "c.xlsx").unlink()
    assert up_to_date()
    key = inputs_key(path, params, False)
    assert inputs_key(path, params | {"x": 2}, False) != key  # other parameters: out of date
    path.write_text(READER + "print(1)\n", encoding="utf-8")
    assert inputs_key(path, params, False) != key  # the notebook changed: out of date
    assert not up_to_date()


def test_load_project_finds_actuals_in_raw_first_and_labels_examples(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(PLAN, raw / PLAN.name)
    shutil.copy(PLAN.with_name(PLAN.stem + ".meta.json"), raw / (PLAN.stem + ".meta.json"))
    examples = ROOT / "data" / "examples"
    no_actuals = load_project(raw, tmp_path / "processed", examples_dir=None)
    assert no_actuals.actuals.origin == "none" and not no_actuals.actuals.illustrative
    with_example = load_project(raw, tmp_path / "processed", examples_dir=examples)
    assert list(examples.glob("*minh-hoa*.xlsx")), "data/examples/ has lost its illustrative results workbook"
    assert with_example.actuals.origin == "example" and with_example.actuals.illustrative
    assert with_example.actuals.sidecars[0].illustrative is True
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
    assert main(["--notebooks", str(tmp_path)]) == 2
    assert "không tìm thấy sổ tính (notebook)" in capsys.readouterr().err  # notebooks not found


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


@pytest.fixture(scope="module")
def plan_reports(tmp_path_factory):
    """The five notebooks executed once (two at a time, each in a kernel of its own) on plan 05, built
    into a temporary folder, with the illustrative results and commune tables of data/examples; the
    tests below read their reports (the checkout's data/processed is not touched: tests run in parallel)."""
    folder = tmp_path_factory.mktemp("notebooks-plan")
    raw, processed = built_project(folder)
    params = {"raw_dir": str(raw), "processed_dir": str(processed), "examples_dir": str(EXAMPLES), "lang": "vi"}
    results = run_notebooks(parameters=params, html_dir=folder / "reports", jobs=2)
    return SimpleNamespace(folder=folder, raw=raw, processed=processed, params=params, results=results,
                           reports=folder / "reports")


def test_notebooks_run_on_the_real_plan(plan_reports):
    results = plan_reports.results
    assert_all_ran(results)
    texts = {r.notebook[:2]: html_text(r.html) for r in results}
    # 01: the source's own inconsistency, computed
    assert "15,76" in texts["01"] and "16,15" in texts["01"]
    # 02, typed from Biểu 01 (127 communes; NTM 57 -> 72; 15,15 -> 16,15 criteria per commune) and computed by hand
    assert "57/127 xã đạt chuẩn nông thôn mới (44,9%), bình quân 15,15 tiêu chí/xã" in texts["02"]  # 57/127
    assert "72 xã đạt chuẩn (56,7%), bình quân 16,15 tiêu chí/xã, tức +15 xã và +1,00 tiêu chí/xã" in texts["02"]
    # criterion 7: 90 -> 115; 18: 78 -> 101; 11 (poverty): 65 -> 80; 10 (income) 77 of 127 in 2021: 60,6%, 50 to go
    assert "Cơ sở hạ tầng thương mại nông thôn 90 → 115 xã (+25)" in texts["02"]
    assert "Hệ thống chính trị và tiếp cận pháp luật 78 → 101 xã (+23)" in texts["02"]
    assert "Thu nhập 77 xã (60,6%, còn 50 xã)" in texts["02"]
    # the ceiling: income is the least-met criterion, 77 (2021) and 64 (2020); poverty 80 and 65 right above it
    assert "Thu nhập , với 77 xã" in texts["02"] and "Hộ nghèo 80 xã (hơn 3)" in texts["02"]
    assert "72 , còn dư địa 5 xã" in texts["02"] and "57 , còn dư địa 7 xã" in texts["02"]  # 77 − 72, 64 − 57
    assert "nhóm 19 tiêu chí 57 → 72 xã (+15); nhóm 15-18 tiêu chí 7 → 17 xã (+10); nhóm 10-14 tiêu chí 48 → 31 xã " \
           "(−17); nhóm 5-9 tiêu chí 15 → 7 xã (−8)" in texts["02"]
    raw_html = (plan_reports.reports / "02-criteria-gaps.html").read_text(encoding="utf-8")
    assert raw_html.count("data:image/png;base64") >= 3
    # 03, typed from Biểu 02: Văn Bàn's 4 new NTM communes the most, five districts with 1, Bảo Thắng's cell blank
    assert "cao nhất Huyện Văn Bàn (4), thấp nhất Thành phố Lào Cai, Huyện Bát Xát, Thị xã Sa Pa, Huyện Mường " \
           "Khương và Huyện Si Ma Cai (1); tỉnh 15" in texts["03"]
    assert "Cộng các huyện: 15, tỉnh ghi 15 — khớp" in texts["03"]  # 1+1+1+4+3+1+3+1
    assert "Cộng các huyện: 13.500, tỉnh ghi 13.500 — khớp" in texts["03"]  # 2.650+1.410+…+700
    assert "cao nhất Thành phố Lào Cai và Huyện Bảo Thắng (19), thấp nhất Thị xã Sa Pa (13,2); tỉnh 16,15" \
        in texts["03"]
    # without results in data/raw, the example is used and said to be illustrative
    assert "Số liệu minh họa" in texts["03"] and "illustrative: true" in texts["03"]
    # 04, typed from Biểu 03: 661.500 in all; 311.500 direct (47,1%), 270.000 integrated (40,8%); the state
    # budgets 31.500 + 250.000 + 30.000 = 311.500, the rest 350.000 (52,9%); 661.500 / 15 and / 127 communes
    assert "661.500 triệu đồng (≈ 661,5 tỷ đồng)" in texts["04"]
    assert "Vốn đầu tư trực tiếp cho Chương trình NTM : 311.500 triệu đồng (47,1%)" in texts["04"]
    assert "trên địa bàn : 270.000 triệu đồng (40,8%)" in texts["04"]
    assert "chi 311.500 triệu đồng (47,1%) ; phần còn lại 350.000 triệu đồng (52,9%)" in texts["04"]
    assert "44.100 triệu đồng/xã (≈ 44,1 tỷ đồng)" in texts["04"] and "127 xã của tỉnh: 5.209 triệu đồng/xã" \
        in texts["04"]
    # 05: no commune table in data/raw: the illustrative commune tables, said to be illustrative; the plan's own
    # district averages imply 15,76 against the province's 16,15 (Biểu 02); the NTM communes are Biểu 01's
    assert "Số liệu minh họa" in texts["05"] and "15,76" in texts["05"] and "57 xã đạt chuẩn" in texts["05"]
    assert "2021 (kế hoạch): 72 xã đạt chuẩn" in texts["05"]
    for key, text in texts.items():
        assert not re.search(r"[Nn]ăm \**\d\.\d{3}\b", text), f"{key}: a year written as a number"
        blank = re.search(r"\bnan\b|\bNaN\b|&lt;NA&gt;|<NA>", text)
        assert not blank, f"{key}: a blank written as a value: …{text[blank.start() - 200:blank.end() + 40]}…"
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
    from ntm_analysis import analysis
    from ntm_analysis.notebooks import explain
    from ntm_analysis.reading.reader import read_source
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
    plan = ceiling[(ceiling.year == 2021) & (ceiling.status == "target")]
    # Biểu 01, 2021: income (10) met by 77 communes, the fewest; poverty (11) by 80; 72 NTM communes: 77 − 72 = 5
    assert plan[["criterion_id", "role", "communes"]].values.tolist() == [[10, "binding", 77], [11, "near", 80]]
    assert plan.ntm_communes.tolist() == [72, 72] and plan.headroom.tolist() == [5, 5]
    payers = analysis.funding_by_payer(tables.funding, reference, period=(2021, "target"))
    budget = payers[payers.payer.isin(explain.BUDGET_PAYERS)].amount_million_vnd.sum()
    assert budget == 31500 + 250000 + 30000  # Biểu 03: central, provincial and district budgets
    assert say("{v:%1}", v=budget / payers.amount_million_vnd.sum()) == "47,1%"  # 311.500 / 661.500


def test_the_runner_keeps_the_up_to_date_reports_and_records_what_each_read(plan_reports):
    """Each report's stamp names the files that notebook read (the built tables; the illustrative
    results for 03, not for 02); run again, every report is up to date (no kernel), and so after a
    build that writes the same tables again."""
    params, reports = plan_reports.params, plan_reports.reports
    assert_all_ran(plan_reports.results)
    for r in plan_reports.results:
        stamp = json.loads(stamp_path(r.html).read_text(encoding="utf-8"))
        assert stamp["seconds"] > 0
        assert any(p.startswith(str(plan_reports.processed)) and p.endswith(".csv") for p in stamp["reads"]), \
            r.notebook
        if r.notebook[:2] in ("02", "03"):
            assert any(p.startswith(str(EXAMPLES.resolve())) and p.endswith(".xlsx") for p in stamp["reads"]) \
                == r.notebook.startswith("03"), r.notebook
    assert all(r.skipped for r in run_notebooks(parameters=params, html_dir=reports, jobs=2))
    rebuilt = build(plan_reports.raw, plan_reports.processed, plan_reports.folder / "figures", figures=False,
                    workers=1, force=True)
    assert rebuilt.exit_code == 0
    assert all(r.skipped for r in run_notebooks(parameters=params, html_dir=reports, jobs=2))


def test_every_example_in_raw_tells_the_plan_and_the_2025_units_apart(tmp_path):
    """data/examples copied into data/raw with new Lào Cai's 2026 table and old Yên Bái's 2020 one: new
    Lào Cai ("2025-15") has the most sources but no plan, so notebook 02 tells the province whose Biểu 01
    it holds (old Lào Cai: 57/127 in 2020, typed from Biểu 01), and notebook 05 draws its wall by districts
    from the 2021 units only (the 2026 communes have no district)."""
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    for path in [PLAN, PLAN.with_name(PLAN.stem + ".meta.json"), *sorted((EXAMPLES / "lao-cai-2026").iterdir())]:
        shutil.copy(path, raw / path.name)
    assert build(raw, processed, tmp_path / "figures", figures=False, workers=1).exit_code == 0
    params = {"raw_dir": str(raw), "processed_dir": str(processed), "examples_dir": str(EXAMPLES), "lang": "vi"}
    results = run_notebooks(["02", "05"], parameters=params, html_dir=tmp_path / "reports", jobs=2)
    failed = [f"{r.notebook}: {r.error[-1500:]}" for r in results if not r.ok]
    assert not failed, "\n\n".join(failed)
    texts = {r.notebook[:2]: html_text(r.html) for r in results}
    assert "57/127 xã đạt chuẩn nông thôn mới (44,9%)" in texts["02"]  # 57 / 127 = 44,88%
