# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 04 · Cơ cấu nguồn vốn
#
# Vốn huy động cho chương trình theo từng nguồn và theo **ai chi trả** (ngân sách các cấp, lồng ghép, doanh
# nghiệp, người dân), tỷ lệ của mỗi nguồn, và số vốn bình quân trên mỗi xã.

# %% tags=["parameters"]
# Tham số (parameters) — change only this cell to re-run the notebook on other data.
from ntm_analysis import config

raw_dir = config.RAW_DIR              # dữ liệu gốc: workbook(s) + sidecar .meta.json
processed_dir = config.PROCESSED_DIR  # bảng đã xử lý do `make build` ghi
figures_dir = config.FIGURES_DIR      # nơi ghi hình khi export_figures là True
examples_dir = config.EXAMPLES_DIR    # ví dụ minh họa: chỉ dùng khi raw_dir chưa có kết quả thực hiện
base_year = 2020                      # năm gốc (số liệu thực hiện); None: tự xác định từ dữ liệu
target_year = 2021                    # năm kế hoạch được so sánh; None: tự xác định
lang = "vi"                           # ngôn ngữ của hình và tên cột: "vi" hoặc "en" (lời văn luôn tiếng Việt)
export_figures = False                # True: ghi hình PNG + SVG vào figures_dir

# %%
import pandas as pd
from IPython.display import display

from ntm_analysis import analysis
from ntm_analysis.formats import join, number, share, signed
from ntm_analysis.notebooks.explain import BUDGET_PAYERS
from ntm_analysis.notebooks.project import ILLUSTRATIVE_LABEL as ILLUSTRATIVE
from ntm_analysis.notebooks.project import load_project, resolve_year
from ntm_analysis.notebooks.story import Figures, bullets, indent_sources, labels, show, vn_table
from ntm_analysis.publishing import charts

project = load_project(raw_dir, processed_dir, examples_dir=examples_dir).require_ok()
tables, reference = project.tables, project.reference
names = labels(lang)
figures = Figures(export_figures, figures_dir, lang)
source_line = project.source_line(lang)


def billion(million_vnd: float) -> str:
    """Triệu đồng viết thành tỷ đồng: 661500 -> "661,5"."""
    return number(million_vnd / 1000, 1, trim=True)


year = resolve_year(tables.funding, target_year)
period = (year, "target")
funding = tables.funding[(tables.funding.year == year) & (tables.funding.status == "target")]  # Biểu 03
total = funding.loc[funding.level == 0, "amount_million_vnd"].sum(min_count=1)  # dòng «Tổng cộng», triệu đồng
show(f"Nguồn: {project.citation}. Tổng vốn dự kiến năm **{year}**: **{number(total)} triệu đồng** "
     f"(≈ {billion(total)} tỷ đồng).")

# %% [markdown]
# ## Theo nguồn vốn
#
# Tỷ lệ của mỗi nguồn là số tiền của nó chia cho tổng vốn. Trong bảng, tỷ lệ trên tổng các dòng chi tiết được tính
# trên các dòng không có dòng con, nên không số tiền nào bị tính hai lần.

# %%
sources = funding[funding.level == 1].assign(share=lambda d: d.amount_million_vnd / total)  # triệu đồng ÷ tổng
sources = sources.sort_values("share", ascending=False)
show(bullets(f"**{r.source}**: {number(r.amount_million_vnd)} triệu đồng ({share(r.share)})"
             for r in sources.itertuples()))
shares = analysis.funding_shares(tables.funding, period=period)  # mọi dòng, kể cả dòng con
display(vn_table(indent_sources(shares), {"share_of_total": "%1", "share_of_leaf_total": "%1", "share_of_parent": "%1"},
                 labels=names))

# %% [markdown]
# ## Ai chi trả

# %%
payers = analysis.funding_by_payer(tables.funding, reference, period=period)  # các dòng chi tiết, theo nguồn chi
paid = payers.amount_million_vnd.sum(min_count=1)  # mọi dòng trống: không rõ, không phải 0
budget = payers[payers.payer.isin(BUDGET_PAYERS)].amount_million_vnd.sum(min_count=1)  # ngân sách các cấp
other = paid - budget
top = payers.sort_values("amount_million_vnd", ascending=False).iloc[0]
show(f"Ngân sách nhà nước các cấp (trung ương, tỉnh, huyện, xã) chi **{number(budget)} triệu đồng "
     f"({share(budget / paid)})**; phần còn lại **{number(other)} triệu đồng ({share(other / paid)})** đến từ lồng "
     f"ghép các chương trình khác, doanh nghiệp và người dân. Nguồn lớn nhất: **{top.label_vi}** "
     f"({share(top.share_of_total)}).")
display(vn_table(payers.drop(columns=["payer", "label_en" if lang == "vi" else "label_vi"]),
                 {"share_of_total": "%1", "share_of_leaf_total": "%1"}, labels=names))
per = analysis.funding_per_commune(tables.funding, tables.districts, tables.province)
per = per[(per.year == year) & (per.status == "target")]
figures.show(charts.funding_sources(payers, per, lang=lang, source_line=project.source_line(
    lang, figure="funding_sources", periods=[period])), "funding_sources")

# %% [markdown]
# ## Bình quân trên mỗi xã

# %%
new_ntm = per.new_ntm_communes.iloc[0]  # số xã đạt chuẩn mới trong năm (Biểu 02, dòng toàn tỉnh)
province = tables.province.set_index(["year", "status", "indicator"]).value
communes = province.get((year, "target", "total_communes"), pd.NA)  # tổng số xã của tỉnh (Biểu 01)
show(f"Chia cho **{number(new_ntm)} xã** dự kiến đạt chuẩn mới trong năm {year}: **{number(total / new_ntm)} triệu "
     f"đồng/xã** (≈ {billion(total / new_ntm)} tỷ đồng). Chia cho toàn bộ **{number(communes)} xã** của tỉnh: "
     f"{number(total / communes)} triệu đồng/xã.")
display(vn_table(per, {"year": "y"}, labels=names, lang=lang))

# %% [markdown]
# ## Kế hoạch so với vốn huy động được

# %%
actuals = project.actuals
pva = analysis.funding_plan_vs_actual(project.tables_with_actuals.funding)
pva = pva[pva.year == year]
if pva.empty:
    why = "" if actuals.origin == "none" else ", hoặc tệp kết quả không có biểu vốn của năm này"
    show(f"Chưa có số liệu vốn huy động thực tế năm {year} (không có tệp kết quả{why}).")
else:
    if actuals.origin == "example":
        show(f"> ⚠️ **{ILLUSTRATIVE} — không phải số liệu thực tế.** Thư mục dữ liệu gốc chưa có tệp kết quả; các số "
             f"dưới đây lấy từ tệp ví dụ {join(f'`{f.name}`' for f in actuals.files)}, mà tệp mô tả ghi "
             f"`illustrative: {str(actuals.illustrative).lower()}`.")
    for r in pva[pva.level == 0].itertuples():  # dòng «Tổng cộng»
        show(actuals.tag + f"Tổng vốn huy động {number(r.mobilised_million_vnd)} triệu đồng so với kế hoạch "
             f"{number(r.planned_million_vnd)} ({number(r.mobilised_million_vnd / r.planned_million_vnd * 100, 1, trim=True)}% "
             f"kế hoạch, {signed(r.mobilised_million_vnd - r.planned_million_vnd)} triệu đồng).")
    display(vn_table(indent_sources(pva), {"year": "y", "attainment_pct": "t1", "gap_million_vnd": "+n"},
                     labels=names).set_caption(actuals.label))
    with_actuals = project.tables_with_actuals.funding
    figures.show(charts.funding_plan_vs_actual(with_actuals[with_actuals.year == year], reference, lang=lang,
                                               source_line=project.source_line(
                                                   lang, actuals=True, figure="funding_plan_vs_actual",
                                                   periods=[(year, "target"), (year, "actual")]),
                                               illustrative=actuals.illustrative), "funding_plan_vs_actual")
