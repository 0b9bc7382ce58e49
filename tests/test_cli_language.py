"""The command line as a new user meets it (issue 15 §2–3): one language setting for
every command (``--lang``, ``NTM_LANG``, Vietnamese by default), help with every
option's default and an example, plain one-line answers to a wrong folder or year,
an up-to-date build that repeats its last summary, and the Excel workbook in the
reader's language with ✓/✗ for met / not met."""
from __future__ import annotations

import argparse
import re
import shutil
import sys

import openpyxl
import pandas as pd
import pytest
from helpers import PLAN, ROOT, run_cli

from ntm_analysis import cli, i18n
from ntm_analysis.notebooks import story
from ntm_analysis.pipeline import rendering_dirs
from ntm_analysis.publishing.build import build
from ntm_analysis.publishing.outputs import sheet_labels
from ntm_analysis.tables.schemas import TABLES

COMMANDS = ("validate", "tidy", "build", "deck", "sources", "template")


run = run_cli  # in this process, with NTM_LANG set or unset


@pytest.fixture
def vietnamese(monkeypatch):
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)


def _help(capsys, *args: str) -> str:
    with pytest.raises(SystemExit) as stop:
        cli.main([*args, "--help"])
    assert stop.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_takes_lang_and_its_help_speaks_it(command, capsys, vietnamese):
    vi = _help(capsys, command)
    assert vi.startswith("cách dùng: ntm-analysis " + command) and "--lang {vi,en}" in vi
    assert "\ntùy chọn:\n" in vi and "hiện hướng dẫn này rồi thoát" in vi
    assert "\nví dụ:\n  ntm-analysis " + command in vi  # an example per command
    en = _help(capsys, command, "--lang", "en")
    assert en.startswith("usage: ntm-analysis " + command) and "\nexample:\n  ntm-analysis " + command in en
    assert argparse._("options") == "options"  # argparse is left as it was


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_says_its_default(command, capsys, vietnamese):
    """Each option's help ends with its default, or says it is required."""
    text = _help(capsys, command, "--lang", "en")
    options = text.split("\noptions:\n", 1)[1].split("\nexample:", 1)[0]
    entries = re.split(r"\n  (?=-)", "\n" + options.strip("\n"))
    for entry in entries[1:]:
        flag = entry.split()[0]
        if flag.startswith("-h"):
            continue
        said = " ".join(entry.split())
        assert "(default:" in said or "(required)" in said, f"{command} {flag}: {said}"


def test_build_help_names_the_folders_and_workers(capsys, vietnamese):
    text = " ".join(_help(capsys, "build", "--lang", "en").split())
    for option in ("--raw", "--processed", "--figures", "--lang", "--strict", "--force", "--workers", "--project"):
        assert option in text
    assert f"(default: {cli.default_workers()}, this machine's processors up to {cli.most_default_workers()})" in text
    assert "(default: PROJECT/data/raw)" in text


def test_ntm_lang_sets_the_language_of_every_line(tmp_path):
    vi = run("validate", str(PLAN))
    assert vi.returncode == 0
    assert vi.stdout.splitlines()[0] == f"đọc: {PLAN.parent}; ghi: không có"
    assert re.fullmatch(rf"{re.escape(PLAN.name)}: 0 lỗi, 1 cảnh báo, \d+ phép kiểm tra đạt", vi.stdout.splitlines()[-1])
    en = run("validate", str(PLAN), lang="en")
    assert en.stdout.splitlines()[0] == f"reading {PLAN.parent}; writing nothing"
    assert re.fullmatch(rf"{re.escape(PLAN.name)}: 0 errors, 1 warning, \d+ checks hold", en.stdout.splitlines()[-1])
    assert run("validate", str(PLAN), "--lang", "en").stdout == en.stdout  # the option, same answer
    assert run("--lang", "en", "validate", str(PLAN)).stdout == en.stdout  # before the command too
    assert run("validate", "--lang=vi", str(PLAN), lang="en").stdout == vi.stdout  # the option wins
    wrong = run("validate", str(PLAN), lang="fr")
    assert wrong.returncode == 2 and wrong.stderr.strip() == (
        "NTM_LANG=fr không phải ngôn ngữ ntm-analysis hỗ trợ: dùng vi / en")


@pytest.mark.parametrize("command", ["sources", "build", "deck"])
def test_a_raw_folder_that_does_not_exist_is_one_plain_line(command, tmp_path):
    nope = tmp_path / "nope"
    result = run(command, "--raw", str(nope), "--processed", str(tmp_path / "p"), "--figures",
                 str(tmp_path / "f")) if command != "sources" else run(command, "--raw", str(nope))
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.splitlines() == [f"thư mục dữ liệu gốc {nope} không tồn tại: hãy chỉ một thư mục "
                                          "có thật bằng --raw DIR hoặc --project DIR"]
    assert result.stdout.startswith(f"đọc: {nope}; ghi: ")  # the folders line comes first, as always
    assert not (tmp_path / "p").exists()
    english = run("sources", "--raw", str(nope), "--lang", "en")
    assert english.stderr.startswith(f"the raw data folder {nope} does not exist")


@pytest.mark.parametrize("year", ["22", "202", "20211", "năm"])
def test_a_year_needs_four_digits(year, tmp_path):
    result = run("template", "results", "--year", year, "--out", str(tmp_path / "t.xlsx"))
    assert result.returncode == 2 and not (tmp_path / "t.xlsx").exists()
    assert result.stderr.splitlines()[-1] == (f"ntm-analysis template: lỗi: tham số --year: năm phải có bốn chữ số, "
                                              f"ví dụ 2021 (không phải {year!r})")
    assert "Traceback" not in result.stderr
    english = run("template", "results", "--year", year, "--out", str(tmp_path / "t.xlsx"), "--lang", "en")
    assert english.stderr.splitlines()[-1].endswith("the year must have four digits, e.g. 2021 "
                                                    f"(not {year!r})")


def test_workers_must_be_at_least_one(capsys, vietnamese):
    with pytest.raises(SystemExit) as stop:
        cli.main(["build", "--workers", "0"])
    assert stop.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "ntm-analysis build: lỗi: tham số --workers: số tiến trình phải là số nguyên từ 1 trở lên (không phải '0')")


def test_an_up_to_date_build_repeats_the_last_summary(tmp_path, capsys, vietnamese):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(PLAN, raw / PLAN.name)
    shutil.copy(PLAN.with_name(PLAN.stem + ".meta.json"), raw / (PLAN.stem + ".meta.json"))
    args = ["build", "--raw", str(raw), "--processed", str(tmp_path / "processed"), "--figures",
            str(tmp_path / "figures"), "--no-figures", "--workers", "1"]
    assert cli.main(args) == 0
    first = capsys.readouterr().out.splitlines()
    # plan 05 has one inconsistency: the districts' weighted average criteria (15,76) against the province's 16,15
    assert re.fullmatch(r"dựng xong: 0 lỗi, 1 cảnh báo, \d+ phép kiểm tra đạt; đã ghi \d+ tệp", first[-1])
    assert cli.main(args) == 0
    again = capsys.readouterr().out.splitlines()
    assert again[1:] == ["kết quả đã cập nhật; lần dựng trước: 0 lỗi, 1 cảnh báo (xem validation.csv)"]
    assert cli.main(args + ["--lang", "en"]) == 0  # another language is another build
    assert capsys.readouterr().out.splitlines()[-1].startswith("build done: 0 errors, 1 warning")
    assert cli.main(args + ["--lang", "en"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "up to date; last build: 0 errors, 1 warning (see validation.csv)"


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    """The plan built in Vietnamese and in English (tables only): {lang: the folder of that
    language's workbook and validation, ``pipeline.rendering_dirs``}."""
    out = {}
    for lang in ("vi", "en"):
        base = tmp_path_factory.mktemp(f"book-{lang}")
        raw = base / "raw"
        raw.mkdir()
        shutil.copy(PLAN, raw / PLAN.name)
        shutil.copy(PLAN.with_name(PLAN.stem + ".meta.json"), raw / (PLAN.stem + ".meta.json"))
        assert build(raw, base / "processed", base / "figures", figures=False, lang=lang).exit_code == 0
        out[lang] = rendering_dirs(base / "processed", base / "figures", lang)[0]
    return out


def _sheet(path, name: str) -> pd.DataFrame:
    return pd.read_excel(path / "ntm_tables.xlsx", sheet_name=name, dtype=object)


def test_the_workbook_speaks_vietnamese_by_default(workbooks):
    path = workbooks["vi"]
    names = openpyxl.load_workbook(path / "ntm_tables.xlsx", read_only=True).sheetnames
    assert names[:5] == ["Tiêu chí", "Xã theo số tiêu chí", "Chỉ tiêu toàn tỉnh", "Chỉ tiêu cấp huyện", "Nguồn vốn"]
    assert {"Kết quả kiểm tra", "Nguồn dữ liệu", "Trần số xã đạt chuẩn NTM"} <= set(names)
    province = _sheet(path, "Chỉ tiêu toàn tỉnh")
    assert set(province["Trạng thái"]) == {"thực hiện", "kế hoạch"}
    assert set(province["Chỉ tiêu"]) == {"Tổng số xã", "Số tiêu chí bình quân/xã", "Số xã đạt chuẩn NTM (lũy kế)"}
    assert set(province["Đơn vị"]) == {"xã", "tiêu chí/xã"}
    districts = _sheet(path, "Chỉ tiêu cấp huyện")
    assert "Giảm tỷ lệ hộ nghèo (điểm %)" in set(districts["Chỉ tiêu"])  # as the plan names it
    assert set(districts["Đơn vị"]) == {"xã", "tiêu chí/xã", "%", "lao động"}
    funding = _sheet(path, "Nguồn vốn")
    # Biểu 03's 11 lines: the total (0), line 1 and its two budgets (1.1, 1.2) have parts; the other 7 do not
    assert sorted(funding["Dòng chi tiết"]) == ["✓"] * 7 + ["✗"] * 4
    validation = _sheet(path, "Kết quả kiểm tra")
    assert set(validation["Mức độ"]) == {"cảnh báo", "thông tin"}
    # a number stays a number: 661.500 million VND in all (Biểu 03, the total line)
    assert funding.loc[funding["Mã dòng"] == "0", "Số tiền (triệu đồng)"].tolist() == [661500]


def test_the_workbook_never_shows_true_or_false(workbooks):
    for lang, path in workbooks.items():
        book = openpyxl.load_workbook(path / "ntm_tables.xlsx", read_only=True)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                assert not any(isinstance(v, bool) or v in ("True", "False", "true", "false") for v in row), \
                    (lang, sheet.title, row)


def test_the_workbook_in_english_and_the_csvs_stay_machine_tables(workbooks):
    path = workbooks["en"]
    names = openpyxl.load_workbook(path / "ntm_tables.xlsx", read_only=True).sheetnames
    assert names[:3] == ["Criteria", "Communes by criteria met", "Province indicators"]
    province = _sheet(path, "Province indicators")
    assert set(province["Status"]) == {"actual", "target"} and set(province["Unit"]) == {
        "communes", "criteria per commune"}
    assert "NTM communes (cumulative)" in set(province["Indicator"])
    assert path == path.parent / "en"  # English beside the tables, which are the same in every language
    for processed in (workbooks["vi"], path.parent):  # the CSVs: codes and true/false, whatever the language
        csv = pd.read_csv(processed / "province.csv")
        assert set(csv.indicator) == {"total_communes", "avg_criteria", "ntm_communes"}
        assert set(csv.status) == {"actual", "target"} and set(csv.unit) == {"communes", "criteria per commune"}
        assert pd.read_csv(processed / "funding.csv").is_leaf.dtype == bool


def test_every_table_has_a_valid_sheet_name():
    for lang in ("vi", "en"):
        names = sheet_labels(lang)
        assert set(TABLES) <= set(names)
        assert len(set(names.values())) == len(names), lang  # one sheet per table
        for table, name in names.items():
            assert 0 < len(name) <= 31 and not set(name) & set("[]:*?/\\"), (lang, table, name)


def test_notebook_tables_show_met_as_marks(vietnamese):
    frame = pd.DataFrame({"status": ["target", "actual", "actual"],
                          "met": pd.array([True, False, None], dtype="boolean"), "ok": [True, False, True]})
    html = story.vn_table(frame).to_html()
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", html)
    assert cells == ["kế hoạch", "✓", "✓", "thực hiện", "✗", "✗", "thực hiện", "–", "✓"]
    assert "True" not in html and "False" not in html
    assert re.findall(r"<td[^>]*>([^<]*)</td>", story.vn_table(frame, lang="en").to_html())[:3] == [
        "target", "✓", "✓"]


def test_a_skipped_test_says_in_words_what_was_not_checked_and_why():
    """`make test` lists skipped tests with their reason (-ra): it must read as a sentence
    an analyst understands: what is missing, so what was not checked."""
    reasons = []
    for path in sorted((ROOT / "tests").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        for found in re.findall(r'(?:reason=|pytest\.skip\()((?:\s*"[^"]*")+)', text):
            reasons.append((path.name, "".join(re.findall(r'"([^"]*)"', found))))
    assert reasons  # the pattern finds them (LibreOffice, the GSO list, the plan document)
    for name, reason in reasons:
        assert re.search(r"\bis not\b.*, so .*\bnot\b", reason), f"{name}: {reason!r}"


def test_setup_says_one_line_per_pip_step():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import pip_steps
    finally:
        sys.path.pop(0)
    pip_output = ["Obtaining file:///work/ntm", "  Installing build dependencies: started",
                  "  Installing build dependencies: finished with status 'done'", "Collecting pandas<4,>=3.0",
                  "Collecting numpy<3,>=2.0", "  Downloading numpy-2.3.0.whl (16.6 MB)",
                  "Installing collected packages: numpy, pandas, ntm-analysis", "Successfully installed numpy pandas"]
    said = [pip_steps.step_of(line) for line in pip_output]
    assert said == ["reading the project (pyproject.toml)", "preparing the build tools (setuptools)",
                    "preparing the build tools (setuptools)", "resolving the dependencies",
                    "resolving the dependencies", "downloading the packages not yet installed",
                    "installing 3 packages", "done"]
    assert pip_steps.step_of("  Using cached numpy-2.3.0.whl") is None
    assert pip_steps.step_of("Installing collected packages: ntm-analysis") == "installing 1 package"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'license = "MIT"' in pyproject and '"setuptools>=77"' in pyproject  # no deprecation warning


def test_a_finding_line_names_its_severity_in_the_language(vietnamese):
    from ntm_analysis.findings import Finding

    placed = Finding("warning", "x", "plan.xlsx", "Biểu 02", "D7", "m")
    assert placed.line() == "CẢNH BÁO  plan.xlsx › Biểu 02!D7: m"
    nowhere = Finding("error", "missing_folder", "", "", "", "the folder is missing")
    assert nowhere.line() == "LỖI       the folder is missing"  # no empty place before a colon
    with i18n.use_language("en"):
        assert placed.line() == "WARNING plan.xlsx › Biểu 02!D7: m"
        assert nowhere.line() == "ERROR   the folder is missing"


def test_a_notebook_asking_for_a_missing_year_is_told_in_words(vietnamese):
    from ntm_analysis.notebooks.project import resolve_periods

    frame = pd.DataFrame({"year": [2020, 2021], "status": ["actual", "target"]})  # plan 05: end-2020, 2021 target
    with pytest.raises(ValueError) as told:
        resolve_periods(frame, 2019, 2021)
    assert str(told.value) == ("dữ liệu không có 2019 (thực hiện); chỉ có 2020 (thực hiện) và 2021 (kế hoạch): "
                               "hãy sửa base_year/target_year trong ô tham số")


def test_argparse_words_keep_their_placeholders():
    """argparse fills its own words with %-placeholders: the Vietnamese must keep them all."""
    pattern = re.compile(r"%(?:\((\w+)\))?[sr]")
    with i18n.use_language("vi"):
        for message in cli.ARGPARSE_MESSAGES:
            translated = i18n._(message)
            assert translated != message, message  # translated
            assert sorted(pattern.findall(translated)) == sorted(pattern.findall(message)), message


def test_the_english_deck_has_a_file_of_its_own(tmp_path):
    """`deck --lang en` writes reports/briefing-en.pptx, never over the Vietnamese reports/briefing.pptx
    (the folders line names the deck before anything is read)."""
    nope = tmp_path / "nope"
    folders = ("--raw", str(nope), "--processed", str(tmp_path / "p"), "--figures", str(tmp_path / "f"))
    english = run("deck", *folders, "--lang", "en").stdout.splitlines()[0]
    vietnamese = run("deck", *folders).stdout.splitlines()[0]
    assert "reports/briefing-en.pptx" in english
    assert "reports/briefing.pptx" in vietnamese and "briefing-en" not in vietnamese
