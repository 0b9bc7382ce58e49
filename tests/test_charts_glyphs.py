"""Every label a chart can show, in both languages, has its glyphs in the font the
house style uses (DejaVu Sans, regular, bold and italic); labels.csv is complete."""
from __future__ import annotations

import ast
import re
import string
import unicodedata
import warnings
from pathlib import Path

import pandas as pd
import pytest
from fontTools.ttLib import TTFont
from helpers import ROOT
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont

from ntm_analysis.config import REFERENCE_DIR
from ntm_analysis.publishing.charts.base import house_style
from ntm_analysis.publishing.charts.funding import PAYER_GROUPS

CHARTS_DIR = ROOT / "ntm_analysis" / "publishing" / "charts"
#: Symbols the chart code writes itself (arrows, marks, dashes, minus, dot).
SYMBOLS = "→↔✓✗–−·…%"


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE_DIR / name, dtype=str, keep_default_na=False, encoding="utf-8")


def _field_free(text: str) -> str:
    return re.sub(r"\{[a-z_]+\}", "", text)


def chart_strings() -> dict[str, str]:
    """Label name -> text, for every label of the chart reference files."""
    found = {}
    labels = _csv("labels.csv")
    for key, vi, en in zip(labels.key, labels.vi, labels.en):
        found[f"labels.csv {key} (vi)"], found[f"labels.csv {key} (en)"] = _field_free(vi), _field_free(en)
    for name, columns in {"criteria.csv": ["criterion", "criterion_en", "group", "group_en"],
                          "districts.csv": ["province", "area", "short_name", "area_en"],
                          "indicators.csv": ["label_vi", "label_en", "unit_vi", "unit"],
                          "funding_payers.csv": ["label_vi", "label_en"]}.items():
        frame = _csv(name)
        for column in columns:
            for i, value in enumerate(frame[column]):
                found[f"{name} {column} row {i + 2}"] = value
    found["symbols"] = SYMBOLS
    return {k: unicodedata.normalize("NFC", v) for k, v in found.items()}


@pytest.mark.parametrize("weight,style", [("normal", "normal"), ("bold", "normal"), ("normal", "italic")])
def test_dejavu_sans_has_every_glyph(weight, style):
    with house_style():
        path = findfont(FontProperties(family="sans-serif", weight=weight, style=style), fallback_to_default=False)
    assert Path(path).name.startswith("DejaVuSans")
    cmap = TTFont(path)["cmap"].getBestCmap()
    missing = {where: sorted({ch for ch in text if ord(ch) not in cmap and not ch.isspace()})
               for where, text in chart_strings().items()}
    assert {k: v for k, v in missing.items() if v} == {}


def test_every_label_renders_without_a_missing_glyph_warning():
    with house_style():
        fig = Figure(figsize=(16, 9))
        texts = list(chart_strings().values())
        for i, text in enumerate(texts):
            fig.text(0.01 + (i % 4) * 0.25, 0.99 - (i // 4) * 0.004, text, fontweight="bold" if i % 2 else "normal",
                     style="italic" if i % 3 == 0 else "normal", fontsize=6)
        with warnings.catch_warnings():
            warnings.filterwarnings("error", message=".*[Gg]lyph.*missing")
            fig.draw_without_rendering()


def test_labels_csv_is_complete_and_consistent():
    labels = _csv("labels.csv")
    assert list(labels.columns) == ["key", "vi", "en"]
    assert labels.key.is_unique
    assert (labels.vi.str.strip() != "").all() and (labels.en.str.strip() != "").all()
    for key, vi, en in zip(labels.key, labels.vi, labels.en):
        fields = [sorted(f for _, f, _, _ in string.Formatter().parse(t) if f) for t in (vi, en)]
        assert fields[0] == fields[1], key
        assert vi == unicodedata.normalize("NFC", vi), key


def test_every_label_the_code_asks_for_exists():
    keys = set(_csv("labels.csv").key)
    wanted = set()
    for path in CHARTS_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "label" and node.args \
                    and isinstance(node.args[0], ast.Constant):
                wanted.add(node.args[0].value)
    wanted |= {f"payer_group_{g}" for g in list(PAYER_GROUPS) + ["other"]}
    wanted |= {"status_actual", "status_target", "targets_title_actual", "targets_title_target"}
    assert len(wanted) > 40
    assert wanted - keys == set()
