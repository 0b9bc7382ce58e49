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
# # 03 · Chỉ tiêu huyện và kết quả
#
# Chỉ tiêu của từng huyện, thị xã, thành phố đặt cạnh chỉ tiêu của tỉnh; rồi, khi có số liệu thực hiện, chỉ tiêu
# đặt cạnh kết quả. Số liệu thực hiện lấy từ thư mục dữ liệu gốc khi ở đó có tệp kết quả; nếu chưa có, sổ tay dùng
# **ví dụ minh họa** trong thư mục ví dụ và nói rõ như vậy ở mọi bảng, câu và hình.

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
from ntm_analysis.formats import join, number, signed
from ntm_analysis.notebooks import explain
from ntm_analysis.notebooks.project import ILLUSTRATIVE_LABEL as ILLUSTRATIVE
from ntm_analysis.notebooks.project import load_project, resolve_year
from ntm_analysis.notebooks.story import Figures, bullets, district_wide, indicator_labels, labels, show, vn_table
from ntm_analysis.publishing import charts

project = load_project(raw_dir, processed_dir, examples_dir=examples_dir).require_ok()
tables, reference = project.tables, project.reference
names = labels(lang)
figures = Figures(export_figures, figures_dir, lang)
source_line = project.source_line(lang)

year = resolve_year(tables.districts, target_year)
overview = analysis.district_overview(tables.districts, reference, year, "target")  # huyện cạnh tỉnh, xếp hạng
show(f"Nguồn: {project.citation}. Chỉ tiêu năm **{year}** của **{number(overview.area_code.nunique())}** huyện, "
     "thị xã, thành phố.")
display(vn_table(district_wide(overview, tables.districts, reference, lang), labels=names))

# %% [markdown]
# ## Chỉ tiêu huyện so với tỉnh
#
# Hai chỉ tiêu cộng được (số xã đạt chuẩn mới, số lao động có việc làm tăng thêm) phải cộng lại bằng chỉ tiêu
# của tỉnh; chỉ tiêu bình quân tiêu chí/xã phải khớp khi lấy bình quân theo số xã của từng huyện. Các tỷ lệ (%)
# không cộng được vì không có dân số của từng huyện.

# %%
ind = indicator_labels(reference)
lines = []
for indicator, part in overview.dropna(subset=["value"]).groupby("indicator", sort=False):
    high, low = part.value.max(), part.value.min()
    province = part.province_value.iloc[0]  # chỉ tiêu của tỉnh (dòng toàn tỉnh của Biểu 02)
    line = (f"**{ind.get(indicator, indicator)}**: cao nhất {join(part.area[part.value == high])} "
            f"({number(high, 2, trim=True)}), thấp nhất {join(part.area[part.value == low])} "
            f"({number(low, 2, trim=True)}); tỉnh {number(province, 2, trim=True)}.")
    if indicator in ("new_ntm_communes", "jobs_added"):  # cộng được: tổng các huyện phải bằng số của tỉnh
        summed = part.value.sum()
        line += (f" Cộng các huyện: {number(summed)}, tỉnh ghi {number(province)} — "
                 f"{'khớp' if summed == province else '**không khớp**'}.")
    lines.append(line)
show(bullets(lines))
w = explain.weighted_average(tables, reference, year)  # bình quân tiêu chí/xã của các huyện, theo số xã
if w:
    show(explain.weighted_average_sentence(w))
figures.show(charts.district_targets(overview, lang=lang, source_line=project.source_line(
    lang, figure="district_targets", periods=[(year, "target")])), "district_targets")

# %% [markdown]
# ## Chỉ tiêu so với kết quả thực hiện

# %%
actuals = project.actuals
files = join(f"`{f.name}`" for f in actuals.files)
if actuals.origin == "raw":
    kind = ("**số liệu minh họa**, không phải kết quả thực tế" if actuals.illustrative else "số liệu thực")
    show(f"Kết quả thực hiện lấy từ {files} trong thư mục dữ liệu gốc (loại `results` theo tệp mô tả). Tệp mô tả ghi "
         f"`illustrative: {str(actuals.illustrative).lower()}`: đây là {kind}.")
elif actuals.origin == "example":
    sidecar = actuals.sidecars[0]
    show(f"> ⚠️ **{ILLUSTRATIVE} (illustrative figures) — không phải kết quả thực tế.** Thư mục dữ liệu gốc "
         f"`{project.raw_dir}` chưa có tệp kết quả thực hiện, nên phần này dùng tệp ví dụ {files}. Tệp mô tả (sidecar) "
         f"của nó ghi `kind: {sidecar.kind}`, `illustrative: {str(sidecar.illustrative).lower()}`: "
         f"«{sidecar.extra.get('note') or sidecar.citation}». Mọi bảng, câu và hình dưới đây đều mang nhãn "
         f"«{ILLUSTRATIVE}». Khi có báo cáo kết quả thật, đặt nó (kèm tệp mô tả) vào thư mục dữ liệu gốc và chạy lại.")
else:
    show(f"Chưa có số liệu thực hiện: thư mục dữ liệu gốc `{project.raw_dir}` không có tệp kết quả (loại `results`) "
         "và không dùng ví dụ minh họa. Phần này tự điền khi có tệp kết quả.")

# %%
if actuals.available:
    with_actuals = project.tables_with_actuals
    attain = analysis.district_attainment(with_actuals.districts, reference)
    attain = attain[attain.year == year]
    crit = analysis.plan_vs_actual_criteria(with_actuals.criteria)
    crit = crit[crit.year == year]
    caption = actuals.label
    if attain.empty and crit.empty:
        show(f"Số liệu thực hiện có năm {join(str(x) for x in actuals.years)}, không có năm {year}: chưa so sánh "
             "được.")
    else:
        plan = tables.province.set_index(["year", "status", "indicator"]).value           # kế hoạch (Biểu 01)
        real = with_actuals.province.set_index(["year", "status", "indicator"]).value     # kết quả thực hiện
        ntm_plan, avg_plan = (plan.get((year, "target", i), pd.NA) for i in ("ntm_communes", "avg_criteria"))
        ntm_real, avg_real = (real.get((year, "actual", i), pd.NA) for i in ("ntm_communes", "avg_criteria"))
        counts = explain.attainment_counts(attain)  # chỉ tiêu huyện đạt / có đủ số liệu, theo chỉ tiêu và theo huyện
        show(actuals.tag + f"Năm {year}: **{number(ntm_real)}** xã đạt chuẩn nông thôn mới so với kế hoạch "
             f"**{number(ntm_plan)}** ({signed(ntm_real - ntm_plan)}); bình quân **{number(avg_real, 2)}** tiêu chí/xã so "
             f"với kế hoạch {number(avg_plan, 2)}. Các huyện đạt **{number(counts['met'])}/{number(counts['pairs'])}** "
             f"chỉ tiêu có đủ số liệu; {number(crit.met.sum())}/{number(crit.met.notna().sum())} tiêu chí có số xã đạt "
             "bằng hoặc hơn kế hoạch.")
        if counts["pairs"]:
            show(actuals.tag + "Theo chỉ tiêu: " + "; ".join(
                f"{ind.get(r.indicator, r.indicator)} {number(r.met)}/{number(r.pairs)} huyện đạt"
                for r in counts["by_indicator"].itertuples()) + ". Theo huyện: " + "; ".join(
                f"{r.area} {number(r.met)}/{number(r.pairs)}" for r in counts["by_area"].itertuples()) + ".")
        short = crit[crit.met.eq(False)].sort_values("gap")  # gap = thực hiện − kế hoạch (xã)
        if len(short):
            show(actuals.tag + "Tiêu chí chưa đạt kế hoạch: " + ", ".join(
                f"{r.criterion} {number(r.actual)}/{number(r.target)} xã ({signed(r.gap)})"
                for r in short.itertuples()) + ".")
        display(vn_table(attain.assign(indicator=attain.indicator.map(lambda i: ind.get(i, i))),
                         {"year": "y", "attainment_pct": "t1", "gap": "+t2"}, labels=names, lang=lang)
                .set_caption(caption))
        display(vn_table(crit, {"year": "y", "attainment_pct": "t1", "gap": "+n"}, labels=names).set_caption(caption))
        compared = [(year, "target"), (year, "actual")]  # the sources of the year's targets and results only
        if len(attain):
            with_source = project.source_line(lang, actuals=True, figure="district_attainment", periods=compared)
            figures.show(charts.district_attainment(attain, lang=lang, source_line=with_source,
                                                    illustrative=actuals.illustrative), "district_attainment")
        if len(crit):
            with_source = project.source_line(lang, actuals=True, figure="plan_vs_actual_criteria", periods=compared)
            figures.show(charts.plan_vs_actual_criteria(crit, lang=lang, source_line=with_source,
                                                        illustrative=actuals.illustrative), "plan_vs_actual_criteria")
