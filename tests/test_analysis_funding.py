"""funding_shares, funding_by_payer, funding_per_commune, funding_plan_vs_actual (Biểu 03)."""
from __future__ import annotations

import math

import analysis_fixtures as fx
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from ntm_analysis.analysis import funding_by_payer, funding_per_commune, funding_plan_vs_actual, funding_shares
from ntm_analysis.reference import load_reference

TOTAL = 661500


@pytest.fixture(scope="module")
def reference():
    return load_reference()


def test_shares_of_the_plan():
    out = funding_shares(fx.funding())
    expected = pd.DataFrame({
        "code": ["0", "1", "1.1", "1.1.1", "1.1.2", "1.2", "1.2.1", "1.2.2", "2", "3", "4"],
        "source": [line[3] for line in fx.FUNDING_2021],
        "level": [0, 1, 2, 3, 3, 2, 3, 3, 1, 1, 1],
        "amount_million_vnd": [661500.0, 311500, 31500, 25500, 6000, 280000, 250000, 30000, 270000, 30000, 50000],
        "share_of_total": [1.0, 311500 / TOTAL, 31500 / TOTAL, 25500 / TOTAL, 6000 / TOTAL, 280000 / TOTAL,
                           250000 / TOTAL, 30000 / TOTAL, 270000 / TOTAL, 30000 / TOTAL, 50000 / TOTAL],
        "share_of_leaf_total": [1.0, 311500 / TOTAL, 31500 / TOTAL, 25500 / TOTAL, 6000 / TOTAL, 280000 / TOTAL,
                                250000 / TOTAL, 30000 / TOTAL, 270000 / TOTAL, 30000 / TOTAL, 50000 / TOTAL],
        "share_of_parent": [math.nan, 311500 / TOTAL, 31500 / 311500, 25500 / 31500, 6000 / 31500,
                            280000 / 311500, 250000 / 280000, 30000 / 280000, 270000 / TOTAL, 30000 / TOTAL,
                            50000 / TOTAL]})
    assert_frame_equal(out, expected)
    central = out.set_index("code").share_of_total["1.1"]
    assert round(central * 100, 2) == 4.76  # 31 500 / 661 500


def test_shares_come_from_the_leaves():
    lines = list(fx.FUNDING_2021)
    lines[2] = ("1.1", "1", 2, "Ngân sách Trung ương", 99999)  # a wrong subtotal in the document
    out = funding_shares(fx.funding(fx.funding_rows(2021, "target", lines))).set_index("code")
    assert out.amount_million_vnd["1.1"] == 99999  # shown as stated
    assert out.share_of_total["1.1"] == pytest.approx(99999 / TOTAL)  # over the stated total
    assert out.share_of_leaf_total["1.1"] == pytest.approx((25500 + 6000) / TOTAL)  # from its leaves
    leaves = ["1.1.1", "1.1.2", "1.2.1", "1.2.2", "2", "3", "4"]
    assert out.share_of_leaf_total[leaves].sum() == pytest.approx(1.0)


def test_shares_of_a_chosen_period():
    plan = fx.funding_rows(2021, "target")
    mobilised = fx.funding_rows(2021, "actual", [("0", None, 0, "Tổng cộng", 100000),
                                                 ("1", "0", 1, "Ngân sách Trung ương", 40000),
                                                 ("2", "0", 1, "Huy động từ nhân dân", 60000)])
    table = fx.funding(plan, mobilised)
    assert len(funding_shares(table)) == 11  # default: the plan
    out = funding_shares(table, period=(2021, "actual"))
    assert out.share_of_total.tolist() == [1.0, 0.4, 0.6]
    assert out.share_of_leaf_total.tolist() == [1.0, 0.4, 0.6]


def test_by_payer(reference):
    out = funding_by_payer(fx.funding(), reference)
    expected = pd.DataFrame({
        "payer": ["central", "provincial", "district", "integrated", "enterprises", "people"],
        "label_vi": ["Ngân sách Trung ương", "Ngân sách cấp tỉnh", "Ngân sách cấp huyện",
                     "Lồng ghép chương trình khác", "Doanh nghiệp, HTX, tổ chức", "Nhân dân đóng góp"],
        "label_en": ["Central budget", "Provincial budget", "District budget", "Integrated programmes",
                     "Enterprises and cooperatives", "People's contributions"],
        # central = Đầu tư phát triển 25 500 + Vốn sự nghiệp 6 000, named by their parent line
        "amount_million_vnd": [31500.0, 250000, 30000, 270000, 30000, 50000],
        "share_of_total": [31500 / TOTAL, 250000 / TOTAL, 30000 / TOTAL, 270000 / TOTAL, 30000 / TOTAL,
                           50000 / TOTAL],
        "share_of_leaf_total": [31500 / TOTAL, 250000 / TOTAL, 30000 / TOTAL, 270000 / TOTAL, 30000 / TOTAL,
                                50000 / TOTAL],
        "lines": [2, 1, 1, 1, 1, 1]})
    assert_frame_equal(out, expected)
    assert [round(s * 100, 2) for s in out.share_of_total] == [4.76, 37.79, 4.54, 40.82, 4.54, 7.56]


def test_unmatched_lines_are_other(reference):
    lines = [("0", None, 0, "Tổng cộng", 1000), ("1", "0", 1, "Ngân sách cấp tỉnh", 600),
             ("2", "0", 1, "Nguồn vốn khác", 400)]
    out = funding_by_payer(fx.funding(fx.funding_rows(2022, "target", lines)), reference)
    assert out.payer.tolist() == ["provincial", "other"]
    assert out.share_of_total.tolist() == [0.6, 0.4]
    assert out.share_of_leaf_total.tolist() == [0.6, 0.4]


def test_payer_shares_of_the_stated_total_and_of_the_leaves(reference):
    """The document's total (1 000) is above its lines (600 + 300 = 900): the stated
    total gives 60 % and 30 %, the leaves 600/900 and 300/900."""
    lines = [("0", None, 0, "Tổng cộng", 1000), ("1", "0", 1, "Ngân sách cấp tỉnh", 600),
             ("2", "0", 1, "Nhân dân đóng góp", 300)]
    out = funding_by_payer(fx.funding(fx.funding_rows(2022, "target", lines)), reference)
    assert out.payer.tolist() == ["provincial", "people"]
    assert out.share_of_total.tolist() == pytest.approx([0.6, 0.3])
    assert out.share_of_leaf_total.tolist() == pytest.approx([600 / 900, 300 / 900])


def test_per_new_ntm_commune():
    out = funding_per_commune(fx.funding(), fx.districts(), fx.province())
    expected = pd.DataFrame({"year": [2021], "status": ["target"], "total_million_vnd": [661500.0],
                             "new_ntm_communes": pd.array([15], dtype="Int64"),
                             "communes_basis": ["province row of the district table"],
                             "million_vnd_per_new_ntm_commune": [661500 / 15]})
    assert_frame_equal(out, expected)
    assert out.million_vnd_per_new_ntm_commune[0] == 44100


def test_per_commune_falls_back_to_the_districts_then_the_province():
    without_province_row = fx.districts(fx.district_rows(2021, "target", fx.DISTRICTS_2021[1:]))
    out = funding_per_commune(fx.funding(), without_province_row)
    assert out.new_ntm_communes[0] == 1 + 1 + 1 + 4 + 3 + 1 + 3 + 1  # Bảo Thắng blank
    assert out.communes_basis[0] == "sum of the districts"
    out = funding_per_commune(fx.funding(), fx.districts([]), fx.province())
    assert out.new_ntm_communes[0] == 72 - 57
    assert out.million_vnd_per_new_ntm_commune[0] == 44100
    out = funding_per_commune(fx.funding(), fx.districts([]))
    assert pd.isna(out.new_ntm_communes[0]) and math.isnan(out.million_vnd_per_new_ntm_commune[0])


def test_plan_vs_mobilised():
    plan = fx.funding_rows(2021, "target", [("0", None, 0, "Tổng cộng", 1000), ("1", "0", 1, "Ngân sách", 600),
                                            ("2", "0", 1, "Nhân dân", 400)])
    mobilised = fx.funding_rows(2021, "actual", [("0", None, 0, "Tổng cộng", 900),
                                                 ("1", "0", 1, "Ngân sách", 450), ("2", "0", 1, "Nhân dân", 450)])
    out = funding_plan_vs_actual(fx.funding(plan, mobilised))
    expected = pd.DataFrame({
        "year": [2021] * 3, "code": ["0", "1", "2"], "source": ["Tổng cộng", "Ngân sách", "Nhân dân"],
        "level": [0, 1, 1], "planned_million_vnd": [1000.0, 600, 400],
        "mobilised_million_vnd": [900.0, 450, 450], "gap_million_vnd": [-100.0, -150, 50],
        "attainment_pct": [90.0, 75.0, 112.5], "met": pd.array([False, False, True], dtype="boolean")})
    assert_frame_equal(out, expected)


def test_plan_vs_mobilised_empty_without_results():
    out = funding_plan_vs_actual(fx.funding())
    assert out.empty
    assert list(out.columns) == ["year", "code", "source", "level", "planned_million_vnd",
                                 "mobilised_million_vnd", "gap_million_vnd", "attainment_pct", "met"]


def test_empty_funding(reference):
    empty = fx.funding([])
    assert funding_shares(empty).empty and funding_by_payer(empty, reference).empty
    assert funding_per_commune(empty, fx.districts()).empty
