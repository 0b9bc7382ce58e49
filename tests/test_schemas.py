"""Each tidy table is declared once (``schemas.TABLES``): the pandas fast path and
pandera read the same rule list and decide alike on every rule; everything else
(dtypes, keys, labels, the template's bounds) follows the declaration."""
from __future__ import annotations

import pandas as pd
import pytest
from helpers import PLAN

from ntm_analysis.findings import Findings
from ntm_analysis.publishing import template
from ntm_analysis.publishing.outputs import column_labels
from ntm_analysis.reading.reader import read_source
from ntm_analysis.tables import schemas, tidy


@pytest.fixture(scope="module")
def plan_tables() -> dict[str, pd.DataFrame]:
    """Every declared table with rows: the plan's, the illustrative commune table's, and the
    plan's province_overview (derived)."""
    from ntm_analysis.analysis import province_overview  # noqa: PLC0415
    from ntm_analysis.config import EXAMPLES_DIR  # noqa: PLC0415
    from ntm_analysis.reference import load_reference  # noqa: PLC0415

    communes = read_source(EXAMPLES_DIR / "xa-tieu-chi-2020-thuc-hien-minh-hoa.xlsx").tables
    plan = read_source(PLAN).tables
    return (dict(plan.items()) | {name: getattr(communes, name) for name in tidy.OPTIONAL_TABLES}
            | {"province_overview": province_overview(plan, load_reference())})


def _pandera_findings(name: str, frame: pd.DataFrame) -> list[str]:
    findings = Findings()
    original = schemas.passes_fast
    schemas.passes_fast = lambda *a: False  # pandera always
    try:
        schemas.validate_table(name, frame, findings, file="f.xlsx")
    finally:
        schemas.passes_fast = original
    return [f.message for f in findings]


def _breaking(rule: schemas.Rule, dtype: str) -> object:
    """A value of the column's dtype that the rule refuses."""
    if rule.kind == "in_range":
        return rule.args[1] + 1
    if rule.kind == "isin":
        return "không có"
    if rule.kind == "ge":
        return rule.args[0] - 1
    if rule.kind == "gt":
        return rule.args[0]
    if rule.kind == "str_matches":
        return "x y"
    raise AssertionError(f"no breaking value for {rule.kind}: add one here")


COLUMN_RULES = [(name, col, i) for name, table in schemas.TABLES.items()
                for col, c in table.columns.items() for i in range(len(c.rules))]


@pytest.mark.parametrize("name, col, i", COLUMN_RULES, ids=[f"{n}.{c}.{i}" for n, c, i in COLUMN_RULES])
def test_both_paths_refuse_each_column_rule(plan_tables, name, col, i):
    rule = schemas.TABLES[name].columns[col].rules[i]
    frame = plan_tables[name].copy()
    frame.loc[0, col] = _breaking(rule, schemas.TABLES[name].columns[col].dtype)
    assert not schemas.passes_fast(name, frame)
    messages = _pandera_findings(name, frame)
    assert messages, f"pandera accepts what the fast path refuses: {name}.{col}"
    if rule.error:
        assert any(schemas.check_message(rule.error) in m for m in messages), messages  # in the analyst's language


#: One edit per table-wide check, that breaks it and no other rule: (table, row filter, column, value).
FRAME_EDITS = {
    "more communes meet the criterion than there are communes":
        ("criteria", lambda d: d.criterion_id == 1, "communes", 128),
    "a band's lower bound is above its upper bound":
        ("commune_bands", lambda d: d.band == "19", "max_criteria", 18),
    "the average number of criteria must be between 0 and 19":
        ("province", lambda d: d.indicator == "avg_criteria", "value", 19.5),
    "a number of communes must be a whole number":
        ("province", lambda d: d.indicator == "ntm_communes", "value", 57.5),
    "a percentage cannot be above 100":
        ("districts", lambda d: d.unit == "%", "value", 100.5),
    "a count must be a whole number":
        ("districts", lambda d: d.unit == "workers", "value", 1410.5),
}


def test_every_table_wide_check_has_an_edit_here():
    declared = {check.error for table in schemas.TABLES.values() for check in table.checks}
    assert declared == set(FRAME_EDITS)


@pytest.mark.parametrize("error", sorted(FRAME_EDITS))
def test_both_paths_refuse_each_table_wide_check(plan_tables, error):
    name, where, col, value = FRAME_EDITS[error]
    frame = plan_tables[name].copy()
    frame.loc[frame.index[where(frame)][0], col] = value
    assert not schemas.passes_fast(name, frame)
    assert any(schemas.check_message(error) in m for m in _pandera_findings(name, frame))


def test_both_paths_accept_the_plan(plan_tables):
    for name, frame in plan_tables.items():
        assert schemas.passes_fast(name, frame), name
        assert _pandera_findings(name, frame) == [], name


def test_the_tidy_frames_follow_the_declaration():
    for name, table in schemas.TABLES.items():
        empty = tidy.empty_frame(name)
        assert list(empty.columns) == list(table.columns) + tidy.PROVENANCE + list(table.trailing)
        for col, c in table.columns.items():
            assert empty[col].dtype == schemas.FAST_DTYPES[c.dtype], (name, col)
        assert set(table.keys) <= set(table.columns) and table.value in table.columns


def test_every_declared_column_has_a_label_in_both_languages():
    declared = {col for table in schemas.TABLES.values() for col in table.columns} | set(tidy.PROVENANCE)
    for lang in ("vi", "en"):
        labels = column_labels(lang)
        assert declared <= set(labels), declared - set(labels)


@pytest.mark.parametrize("name, low, high, kind", [
    ("average_criteria", 0, 19, "decimal"),  # 19 criteria
    ("percent", 0, 100, "decimal"),
    ("count", 0, None, "whole"),
    ("amount", 0, None, "decimal"),
    ("communes", 0, 20, "whole"),  # Bát Xát: 20 communes
])
def test_the_template_bounds_come_from_the_measures(name, low, high, kind):
    rule = template._rule(name, 20)
    assert (rule.low, rule.high, rule.kind) == (low, high, kind)
    measure = schemas.MEASURES[name]
    assert rule.low == measure.low and (name == "communes" or rule.high == measure.high)
