"""Workbooks saved by LibreOffice Calc read as the plan itself does (issue 20: one with
formulas was refused as damaged, "list index out of range", because the streaming reader
looked for its shared strings where a read-only workbook does not keep them).

The fixtures are what LibreOffice 7.4 really writes (text in sharedStrings.xml, merged
header cells, formulas with their calculated values); scripts/make_libreoffice_workbooks.py
makes them again where soffice is present."""
from __future__ import annotations

import zipfile

import pytest
from helpers import PLAN, ROOT
from pandas.testing import assert_frame_equal

from ntm_analysis.reading.reader import read_source

FIXTURES = ROOT / "tests" / "documents" / "libreoffice"
WORKBOOKS = ["plan-libreoffice.xlsx", "plan-formulas-libreoffice.xlsx"]


@pytest.fixture(scope="module")
def plan():
    return read_source(PLAN)


@pytest.mark.parametrize("name", WORKBOOKS)
def test_the_fixture_is_what_libreoffice_writes(name):
    with zipfile.ZipFile(FIXTURES / name) as package:
        assert "<Application>LibreOffice" in package.read("docProps/app.xml").decode()
        assert "xl/sharedStrings.xml" in package.namelist()
        assert b"<mergeCell " in package.read("xl/worksheets/sheet2.xml")


@pytest.mark.parametrize("name", WORKBOOKS)
def test_a_workbook_saved_by_libreoffice_reads_as_the_plan(plan, name):
    read = read_source(FIXTURES / name)
    assert [f.check for f in read.findings.errors] == []
    assert [f.check for f in read.findings if f.severity == "warning" and f.check != "no_sidecar"] == \
        [f.check for f in plan.findings if f.severity == "warning" and f.check != "no_sidecar"]
    for table, frame in plan.tables.items():
        assert_frame_equal(getattr(read.tables, table).drop(columns="source_id"), frame.drop(columns="source_id"),
                           check_dtype=True, obj=table)


def test_formulas_saved_by_libreoffice_are_read_as_their_values():
    tables = read_source(FIXTURES / "plan-formulas-libreoffice.xlsx").tables
    # plan 05, Biểu 02: 15 new NTM communes in 2021 (C7 = SUM of the districts);
    # Biểu 03: 31.500 million VND from the central budget (D8 = D9 + D10 = 25.500 + 6.000)
    province = tables.districts.set_index(["area_code", "indicator"]).loc[("10", "new_ntm_communes")]
    assert (province.value, province.cell) == (15, "Biểu 02!C7")
    central = tables.funding[tables.funding.cell == "Biểu 03!D8"]
    assert central.amount_million_vnd.tolist() == [31500]
