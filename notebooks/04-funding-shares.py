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
from IPython.display import display

from ntm_analysis import analysis
from ntm_analysis.notebooks import explain
from ntm_analysis.notebooks.project import ILLUSTRATIVE_LABEL as ILLUSTRATIVE
from ntm_analysis.notebooks.project import load_project, resolve_year
from ntm_analysis.notebooks.story import (
    Figures,
    bullets,
    indent_sources,
    join,
    labels,
    md,
    say,
    show,
    vn_table,
)
from ntm_analysis.publishing import charts

project = load_project(raw_dir, processed_dir, examples_dir=examples_dir).require_ok()
tables, reference = project.tables, project.reference
names = labels(lang)
figures = Figures(export_figures, figures_dir, lang)
source_line = project.source_line(lang)

year = resolve_year(tables.funding, target_year)
period = (year, "target")
shares = analysis.funding_shares(tables.funding, period=period)
summary = explain.funding_summary(tables, reference, year)
md("Nguồn: {citation}. Tổng vốn dự kiến năm **{year}**: **{total:n} triệu đồng** (≈ {total:ty} tỷ đồng).",
   citation=project.citation, year=year, total=summary["total"])

# %% [markdown]
# ## Theo nguồn vốn
#
# Tỷ lệ được tính trên các dòng chi tiết (dòng không có dòng con), nên không số tiền nào bị tính hai lần.

# %%
level1 = shares[shares.level == 1].sort_values("share_of_total", ascending=False)
show(bullets(say("**{s}**: {a:n} triệu đồng ({p:%1})", s=r.source, a=r.amount_million_vnd, p=r.share_of_total)
             for r in level1.itertuples()))
display(vn_table(indent_sources(shares), {"share_of_total": "%1", "share_of_leaf_total": "%1", "share_of_parent": "%1"}, labels=names))

# %% [markdown]
# ## Ai chi trả

# %%
payers = summary["payers"]
top = payers.sort_values("amount_million_vnd", ascending=False).iloc[0]
show(say("Ngân sách nhà nước các cấp (trung ương, tỉnh, huyện, xã) chi **{b:n} triệu đồng ({bs:%1})**; phần còn lại "
         "**{o:n} triệu đồng ({os:%1})** đến từ lồng ghép các chương trình khác, doanh nghiệp và người dân. Nguồn lớn "
         "nhất: **{t}** ({ts:%1}).", b=summary["budget"], bs=summary["budget_share"], o=summary["other"],
         os=summary["other_share"], t=top.label_vi, ts=top.share_of_total))
display(vn_table(payers.drop(columns=["payer", "label_en" if lang == "vi" else "label_vi"]), {"share_of_total": "%1", "share_of_leaf_total": "%1"},
                 labels=names))
per = analysis.funding_per_commune(tables.funding, tables.districts, tables.province)
figures.show(charts.funding_sources(payers, per[(per.year == year) & (per.status == "target")], lang=lang,
                                    source_line=project.source_line(lang, figure="funding_sources",
                                                                    periods=[(year, "target")])), "funding_sources")

# %% [markdown]
# ## Bình quân trên mỗi xã

# %%
show(say("Chia cho **{n:n} xã** dự kiến đạt chuẩn mới trong năm {year}: **{v:n} triệu đồng/xã** (≈ {v:ty} tỷ đồng). "
         "Chia cho toàn bộ **{c:n} xã** của tỉnh: {pc:n} triệu đồng/xã.",
         n=summary["new_ntm_communes"], year=year, v=summary["per_new_ntm_commune"], c=summary["communes"],
         pc=summary["per_commune"]))
display(vn_table(per, {"year": "y"}, labels=names, lang=lang))

# %% [markdown]
# ## Kế hoạch so với vốn huy động được

# %%
actuals = project.actuals
pva = analysis.funding_plan_vs_actual(project.tables_with_actuals.funding)
pva = pva[pva.year == year]
if pva.empty:
    show(say("Chưa có số liệu vốn huy động thực tế năm {y} (không có tệp kết quả{ex}).", y=year,
             ex="" if actuals.origin == "none" else ", hoặc tệp kết quả không có biểu vốn của năm này"))
else:
    if actuals.origin == "example":
        show(say("> ⚠️ **{label} — không phải số liệu thực tế.** Thư mục dữ liệu gốc chưa có tệp kết quả; các số dưới "
                 "đây lấy từ tệp ví dụ {files}, mà tệp mô tả ghi `illustrative: {flag}`.", label=ILLUSTRATIVE,
                 files=join(f"`{f.name}`" for f in actuals.files), flag=str(actuals.illustrative).lower()))
    total = pva[pva.level == 0]
    if len(total):
        t = total.iloc[0]
        show(actuals.tag + say("Tổng vốn huy động {a:n} triệu đồng so với kế hoạch {p:n} ({pct:t1}% kế hoạch, {g:+n} "
                               "triệu đồng).", a=t.mobilised_million_vnd, p=t.planned_million_vnd,
                               pct=t.attainment_pct, g=t.gap_million_vnd))
    display(vn_table(indent_sources(pva), {"year": "y", "attainment_pct": "t1", "gap_million_vnd": "+n"},
                     labels=names).set_caption(actuals.label))
    with_actuals = project.tables_with_actuals.funding
    figures.show(charts.funding_plan_vs_actual(with_actuals[with_actuals.year == year], reference, lang=lang,
                                               source_line=project.source_line(
                                                   lang, actuals=True, figure="funding_plan_vs_actual",
                                                   periods=[(year, "target"), (year, "actual")]),
                                               illustrative=actuals.illustrative), "funding_plan_vs_actual")
