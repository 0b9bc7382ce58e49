"""Language everywhere (issue 21): a document's places, the runner's help and the
notebooks' headings in the language asked."""
from __future__ import annotations

import re
import subprocess
import sys

from helpers import ROOT

from ntm_analysis.findings import Findings
from ntm_analysis.i18n import use_language
from ntm_analysis.text import place_text


def test_document_places_in_english():
    assert place_text("trang 2, dòng 2", "en") == "page 2, line 2"
    assert place_text("Bảng 2, hàng 5, cột 3", "en") == "Table 2, row 5, column 3"
    assert place_text("trang 14, bảng 1, hàng 10, cột 3", "en") == "page 14, table 1, row 10, column 3"
    assert place_text("đoạn 12", "en") == "paragraph 12"
    # a word not followed by its number is no place; Vietnamese stays as it is
    assert place_text("các dòng con", "en") == "các dòng con"
    assert place_text("Bảng 2, hàng 5, cột 3", "vi") == "Bảng 2, hàng 5, cột 3"


def test_a_finding_in_english_names_its_place_in_english():
    findings = Findings()
    with use_language("en"):
        findings.add("warning", "x", "the figure at trang 2, dòng 7 is blank", file="plan.pdf", cell="trang 2, dòng 7")
    finding = findings.items[0]
    assert finding.cell == "page 2, line 7" and finding.message == "the figure at page 2, line 7 is blank"


def _help(lang: str) -> str:
    return subprocess.run([sys.executable, "-m", "ntm_analysis.notebooks.runner", "--help", "--lang", lang],
                          capture_output=True, text=True, check=True, cwd=ROOT).stdout


def test_runner_help_in_the_language_asked():
    vi, en = _help("vi"), _help("en")
    assert "Chạy năm notebook" in vi and "tùy chọn" in vi
    assert "Execute the five notebooks" in en and "options" in en


def test_notebook_headings_without_english_in_brackets():
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.py")):
        headings = re.findall(r"^# #+ (.*)$", path.read_text(encoding="utf-8"), flags=re.M)
        assert headings, path
        assert not [h for h in headings if re.search(r"\([A-Z][a-z]+[^()]*\)$", h)], path
