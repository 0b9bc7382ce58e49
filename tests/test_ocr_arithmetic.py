"""A scan's uncertain figures settled by the plan's own arithmetic (issue 23): the
reconciliation engine's rules choose between candidate readings, on hand-made
tables whose sums are computed by hand. No OCR engine is needed."""
from __future__ import annotations

import pytest

from ntm_analysis.checks.ocr_arithmetic import _patched, settle_doubts, settled_message, undecided_message
from ntm_analysis.findings import Findings
from ntm_analysis.i18n import use_language
from ntm_analysis.reference import load_reference
from ntm_analysis.tables.tidy import TidyTables, frame_from_rows

PAGE = "trang 3, bảng 1"


@pytest.fixture(autouse=True)
def english():
    with use_language("en"):
        yield


def _tables(band_19: int, total: int = 127, district_new: int | None = None, province_new: int | None = None,
            ntm: int = 89) -> TidyTables:
    """Biểu 01 by hand: 127 communes in three bands (89 + 30 + 8 = 127), the NTM communes
    (89: those meeting all 19); Biểu 02: Bát Xát's new NTM communes (Bát Xát has 20
    communes), the province's when given."""
    base = {"province_code": "10", "year": 2021, "status": "target", "source_id": "quet"}
    province = [base | {"indicator": "total_communes", "value": total, "unit": "communes",
                        "cell": f"{PAGE}, hàng 5, cột 3"},
                base | {"indicator": "ntm_communes", "value": ntm, "unit": "communes",
                        "cell": f"{PAGE}, hàng 6, cột 3"}]
    bands = [base | {"band": "19", "min_criteria": 19, "max_criteria": 19, "communes": band_19,
                     "cell": f"{PAGE}, hàng 7, cột 3"},
             base | {"band": "15-18", "min_criteria": 15, "max_criteria": 18, "communes": 30,
                     "cell": f"{PAGE}, hàng 8, cột 3"},
             base | {"band": "10-14", "min_criteria": 10, "max_criteria": 14, "communes": 8,
                     "cell": f"{PAGE}, hàng 9, cột 3"}]
    districts = []
    if district_new is not None:
        districts.append(base | {"area_code": "082", "area": "Huyện Bát Xát", "indicator": "new_ntm_communes",
                                 "value": district_new, "unit": "communes", "cell": "trang 5, bảng 1, hàng 4, cột 3"})
    if province_new is not None:
        districts.append(base | {"area_code": "10", "area": "Tỉnh Lào Cai", "indicator": "new_ntm_communes",
                                 "value": province_new, "unit": "communes", "cell": "trang 5, bảng 1, hàng 3, cột 3"})
    empty = TidyTables.empty()
    return TidyTables(criteria=empty.criteria, commune_bands=frame_from_rows("commune_bands", bands),
                      province=frame_from_rows("province", province),
                      districts=frame_from_rows("districts", districts), funding=empty.funding)


def test_only_the_candidate_that_makes_the_bands_sum_to_the_total_is_taken():
    doubt = {"cell": f"{PAGE}, hàng 7, cột 3", "reading": "39", "alternatives": ["89"]}
    [s] = settle_doubts(_tables(band_19=39), [doubt], load_reference())
    # 39 + 30 + 8 = 77, not 127; 89 + 30 + 8 = 127, and 89 is the NTM count (all 19 criteria)
    assert (s.chosen, s.fitting) == ("89", ("89",))
    message = settled_message(s)
    assert "'39'" in message and "'89' is taken" in message and "127" in message


def test_two_candidates_that_both_fit_stay_uncertain():
    # Bát Xát's new NTM communes, read '3' or '8'; nothing sums them (no province figure): both are within
    # its 20 communes, so the arithmetic cannot choose
    doubt = {"cell": "trang 5, bảng 1, hàng 4, cột 3", "reading": "3", "alternatives": ["8"]}
    [s] = settle_doubts(_tables(band_19=89, district_new=3), [doubt], load_reference())
    assert s.chosen == "" and s.fitting == ("3", "8")
    assert "does not decide between '3' and '8'" in undecided_message(s)


def test_a_bound_excludes_a_candidate_a_sum_pins_one_and_none_fitting_stays():
    reference = load_reference()
    # '32' for Bát Xát is more than its 20 communes: only '2' fits (the bound decides between two readings)
    doubt = {"cell": "trang 5, bảng 1, hàng 4, cột 3", "reading": "32", "alternatives": ["2"]}
    [s] = settle_doubts(_tables(band_19=89, district_new=32), [doubt], reference)
    assert s.chosen == "2"
    # one uncertain reading: the province's 5 new NTM communes equal Bát Xát's 5 (the only district), pinned
    doubt = {"cell": "trang 5, bảng 1, hàng 4, cột 3", "reading": "5", "alternatives": []}
    [s] = settle_doubts(_tables(band_19=89, district_new=5, province_new=5), [doubt], reference)
    assert s.chosen == "5" and "confirms" in settled_message(s)
    # one uncertain reading held only by a bound: not confirmed
    doubt = {"cell": "trang 5, bảng 1, hàng 4, cột 3", "reading": "5", "alternatives": []}
    [s] = settle_doubts(_tables(band_19=89, district_new=5), [doubt], reference)
    assert s.chosen == "" and "does not pin" in undecided_message(s)
    # neither '39' nor '38' makes the bands sum to 127: it stays, saying which comparison fails
    doubt = {"cell": f"{PAGE}, hàng 7, cột 3", "reading": "39", "alternatives": ["38"]}
    [s] = settle_doubts(_tables(band_19=39), [doubt], reference)
    assert s.chosen == "" and s.fitting == ()
    assert "no reading makes" in undecided_message(s) and "77" in undecided_message(s)


def test_two_doubts_in_one_sum_are_settled_one_after_the_other():
    # the 19 band reads '39' or '89', the total '127' unsure: the second pass confirms the total once 89 is taken
    doubts = [{"cell": f"{PAGE}, hàng 5, cột 3", "reading": "127", "alternatives": []},
              {"cell": f"{PAGE}, hàng 7, cột 3", "reading": "39", "alternatives": ["89"]}]
    settled = {s.cell: s.chosen for s in settle_doubts(_tables(band_19=39), doubts, load_reference())}
    assert settled == {f"{PAGE}, hàng 5, cột 3": "127", f"{PAGE}, hàng 7, cột 3": "89"}


def test_the_warning_of_a_settled_figure_becomes_an_info_line_and_an_undecided_one_says_why():
    findings = Findings()
    findings.add("warning", "ocr_uncertain", "the scan reads '39' here", file="quet.pdf", cell=f"{PAGE}, hàng 7, cột 3")
    findings.add("warning", "ocr_uncertain", "the scan reads '3' here", file="quet.pdf",
                 cell="trang 5, bảng 1, hàng 4, cột 3")
    tables = _tables(band_19=39, district_new=3)
    settled = settle_doubts(tables, [{"cell": f"{PAGE}, hàng 7, cột 3", "reading": "39", "alternatives": ["89"]},
                                     {"cell": "trang 5, bảng 1, hàng 4, cột 3", "reading": "3",
                                      "alternatives": ["8"]}], load_reference())
    first, second = _patched(list(findings), settled)
    assert (first.severity, first.check, first.cell) == ("info", "ocr_settled", "page 3, table 1, row 7, column 3")
    assert (second.severity, second.check) == ("warning", "ocr_uncertain")
    assert second.message.startswith("the scan reads '3' here") and "does not decide" in second.message


def test_two_figures_misread_alike_do_not_confirm_each_other():
    # the NTM communes and the 19-criteria band both read '39' (both 89): 39 = 39 would make "the NTM communes
    # meet all 19 criteria" hold, but it rests on another unsure figure; the bands' sum settles the band first
    # (89 + 30 + 8 = 127), then the NTM count follows it
    doubts = [{"cell": f"{PAGE}, hàng 6, cột 3", "reading": "39", "alternatives": ["89"]},
              {"cell": f"{PAGE}, hàng 7, cột 3", "reading": "39", "alternatives": ["89"]}]
    settled = settle_doubts(_tables(band_19=39, ntm=39), doubts, load_reference())
    assert [(s.cell, s.chosen) for s in settled] == [(f"{PAGE}, hàng 6, cột 3", "89"), (f"{PAGE}, hàng 7, cột 3", "89")]
