"""The reconciliation engine on hand-made tables: its rows (stated, computed, ok,
severity, cells) where a check holds and where it fails, and the findings made of them."""
from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from ntm_analysis.checks.reconcile import CHECKS, COLUMNS, as_findings, reconcile
from ntm_analysis.notebooks import explain
from ntm_analysis.reference import is_province, load_reference
from ntm_analysis.tables.tidy import TidyTables, frame_from_rows

SOURCE = "thu-nghiem"


@pytest.fixture(scope="module")
def reference():
    return load_reference()


def _tables(bands: list[tuple[str, int, int, int | None]], total: int, ntm: int | None = None,
            funding: list[tuple] = ()) -> TidyTables:
    """2021 (target): bands (band, min, max, communes) in Biểu 01!E10…, the total in
    Biểu 01!E6, the NTM communes in Biểu 01!E8; funding lines in Biểu 03!D6…."""
    band_rows = [{"province_code": "10", "year": 2021, "status": "target", "band": b, "min_criteria": lo, "max_criteria": hi,
                  "communes": n, "source_id": SOURCE, "cell": f"Biểu 01!E{10 + i}"}
                 for i, (b, lo, hi, n) in enumerate(bands)]
    province = [{"province_code": "10", "year": 2021, "status": "target", "indicator": "total_communes", "value": total,
                 "unit": "communes", "source_id": SOURCE, "cell": "Biểu 01!E6"}]
    if ntm is not None:
        province.append({"province_code": "10", "year": 2021, "status": "target", "indicator": "ntm_communes", "value": ntm,
                         "unit": "communes", "source_id": SOURCE, "cell": "Biểu 01!E8"})
    lines = [{"province_code": "10", "year": 2021, "status": "target", "code": code, "parent_code": parent, "level": level,
              "source": name, "amount_million_vnd": amount, "is_leaf": leaf, "share_of_total": None,
              "source_id": SOURCE, "cell": f"Biểu 03!D{6 + i}"}
             for i, (code, parent, level, name, amount, leaf) in enumerate(funding)]
    return TidyTables(
        criteria=frame_from_rows("criteria", []), commune_bands=frame_from_rows("commune_bands", band_rows),
        province=frame_from_rows("province", province), districts=frame_from_rows("districts", []),
        funding=frame_from_rows("funding", lines))


def _expected(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["year"] = pd.array(frame["year"], dtype="Int64")
    return frame.astype({c: d for c, d in COLUMNS.items() if c in frame and c != "year"})


SHOWN = ["check", "year", "status", "area_code", "stated", "computed", "ok", "severity", "cells", "source_id"]
BANDS_OK = [("19", 19, 19, 12), ("15-18", 15, 18, 18)]  # 12 + 18 = 30 communes


@pytest.mark.parametrize("bands, ntm, band_sum, ok, severity", [
    (BANDS_OK, 12, 30.0, True, "info"),  # 12 + 18 = 30 as stated; 12 NTM communes = the 19-criteria band
    ([("19", 19, 19, 12), ("15-18", 15, 18, 20)], 13, 32.0, False, "warning"),  # 12 + 20 = 32; 13 ≠ 12
])
def test_band_rows_where_the_checks_hold_and_where_they_fail(reference, bands, ntm, band_sum, ok, severity):
    out = reconcile(_tables(bands, total=30, ntm=ntm), reference)
    got = out[out.check.isin(["bands_sum", "ntm_vs_19"])][SHOWN].reset_index(drop=True)
    common = {"year": 2021, "status": "target", "area_code": "10", "ok": ok, "severity": severity,
              "source_id": SOURCE}
    expected = _expected([
        {"check": "bands_sum", "stated": 30.0, "computed": band_sum, "cells": "Biểu 01!E6"} | common,
        {"check": "ntm_vs_19", "stated": float(ntm), "computed": 12.0, "cells": "Biểu 01!E8; Biểu 01!E10"} | common,
    ])[SHOWN]
    assert_frame_equal(got, expected)
    findings = as_findings(out, "f.xlsx")
    if ok:
        assert not findings.warnings and not findings.errors
        assert [f.check for f in findings if f.check in ("bands_sum", "ntm_vs_19")] == ["bands_sum", "ntm_vs_19"]
    else:
        assert [(f.check, f.sheet, f.cell) for f in findings.warnings] == [("bands_sum", "Biểu 01", "E6"),
                                                                           ("ntm_vs_19", "Biểu 01", "E8")]
        assert findings.warnings[0].message == ("2021 (kế hoạch): các nhóm số tiêu chí cộng lại được 32 xã, "
                                                "nhưng tổng số xã là 30")


def test_a_band_above_the_total_is_an_error_row_at_the_band(reference):
    bands = [("19", 19, 19, 31), ("15-18", 15, 18, 0)]
    out = reconcile(_tables(bands, total=30), reference)
    got = out[out.check == "count_above_total"][SHOWN].reset_index(drop=True)
    expected = _expected([
        {"check": "count_above_total", "year": 2021, "status": "target", "area_code": "10", "stated": 30.0,
         "computed": 31.0, "ok": False, "severity": "error", "cells": "Biểu 01!E10; Biểu 01!E6",
         "source_id": SOURCE}])
    assert_frame_equal(got, expected)
    [error] = as_findings(out, "f.xlsx").errors
    assert (error.sheet, error.cell) == ("Biểu 01", "E10")


def test_funding_rows_hold_and_fail_within_half_a_million(reference):
    # total 100; its lines 60 + 40.4 = 100.4 (within 0.5 million VND); under line 1: 30 + 20 = 50, not 60
    lines = [("0", None, 0, "Tổng cộng", 100.0, False), ("1", "0", 1, "Ngân sách", 60.0, False),
             ("1.1", "1", 2, "Trung ương", 30.0, True), ("1.2", "1", 2, "Tỉnh", 20.0, True),
             ("2", "0", 1, "Nhân dân", 40.4, True)]
    out = reconcile(_tables(BANDS_OK, total=30, funding=lines), reference)
    got = out[out.check.str.startswith("funding")][SHOWN].reset_index(drop=True)
    expected = _expected([
        {"check": "funding_sum", "year": 2021, "status": "target", "area_code": "10", "stated": 100.0,
         "computed": 100.4, "ok": True, "severity": "info", "cells": "Biểu 03!D6", "source_id": SOURCE},
        {"check": "funding_sum", "year": 2021, "status": "target", "area_code": "10", "stated": 60.0,
         "computed": 50.0, "ok": False, "severity": "warning", "cells": "Biểu 03!D7", "source_id": SOURCE},
        {"check": "funding_total", "year": 2021, "status": "target", "area_code": "10", "stated": 100.0,
         "computed": 90.4, "ok": False, "severity": "warning", "cells": "Biểu 03!D6", "source_id": SOURCE}])
    assert_frame_equal(got, expected)


def test_the_notebook_reconciliations_are_the_engine_rows_in_words(reference):
    lines = [("0", None, 0, "Tổng cộng", 100.0, False), ("1", "0", 1, "Ngân sách", 60.0, True),
             ("2", "0", 1, "Nhân dân", 40.0, True)]
    tables = _tables(BANDS_OK, total=30, ntm=12, funding=lines)
    engine = reconcile(tables, reference)
    words = explain.reconciliations(tables, reference)
    with_year = engine[engine.year.notna()].reset_index(drop=True)
    assert words.check.tolist() == with_year.check.tolist()
    assert words.stated.tolist() == with_year.stated.tolist()
    assert words.computed.tolist() == with_year.computed.tolist()
    assert words.ok.tolist() == with_year.ok.tolist()
    assert words.cell.tolist() == with_year.cells.tolist()
    assert "Các dòng con cộng lại = dòng «Tổng cộng»" in words.description.tolist()


def test_empty_tables_give_an_empty_frame_with_the_columns(reference):
    out = reconcile(TidyTables.empty(), reference)
    assert out.empty and list(out.columns) == list(COLUMNS)
    assert out.dtypes.astype(str).to_dict() == {c: str(pd.Series(dtype=d).dtype) for c, d in COLUMNS.items()}


def test_every_check_has_a_unique_code_and_a_description():
    from ntm_analysis.checks import communes as compare  # noqa: F401
    from ntm_analysis.checks import text as crosschecks  # noqa: F401 - every check module registers on import
    codes = [c.code for c in CHECKS]
    assert len(codes) == len(set(codes))
    assert {c.scope for c in CHECKS} == {"tables", "text", "communes"}
    tables = {c.code for c in CHECKS if c.scope == "tables"}
    described = {k.split(":")[0] for k in explain.RECONCILIATION_TEXT} | {"all_missing"}
    assert tables <= described
    assert tables <= set(explain.CHECK_TEXT)  # a failing row is explained in words


def test_one_province_test():
    assert is_province(pd.Series(["10", "080", "01", "001"])).tolist() == [True, False, True, False]
