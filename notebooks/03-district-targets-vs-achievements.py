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
from IPython.display import display

from ntm_analysis import analysis
from ntm_analysis.notebooks import explain
from ntm_analysis.notebooks.project import ILLUSTRATIVE_LABEL as ILLUSTRATIVE
from ntm_analysis.notebooks.project import load_project, resolve_year
from ntm_analysis.notebooks.story import (
    Figures,
    bullets,
    district_wide,
    indicator_labels,
    join,
    labels,
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

year = resolve_year(tables.districts, target_year)
overview = analysis.district_overview(tables.districts, reference, year, "target")
show(say("Nguồn: {citation}. Chỉ tiêu năm **{year}** của **{n:n}** huyện, thị xã, thành phố.",
         citation=project.citation, year=year, n=overview.area_code.nunique()))
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
for indicator, part in overview.groupby("indicator", sort=False):
    part = part.dropna(subset=["value"])
    if part.empty:
        continue
    best, worst = part.sort_values("rank").iloc[0], part.sort_values("rank").iloc[-1]
    implied = part.implied_province_value.iloc[0]
    check = ""
    if indicator in ("new_ntm_communes", "jobs_added"):
        check = say(" Cộng các huyện: {v:n}, tỉnh ghi {p:n} — {ok}.", v=implied, p=part.province_value.iloc[0],
                    ok="khớp" if implied == part.province_value.iloc[0] else "**không khớp**")
    lines.append(say("**{label}**: cao nhất {b} ({bv:t2}), thấp nhất {w} ({wv:t2}); tỉnh {p:t2}.{check}",
                     label=ind.get(indicator, indicator), b=best.area, bv=best.value, w=worst.area, wv=worst.value,
                     p=part.province_value.iloc[0], check=check))
show(bullets(lines))
w = explain.weighted_average(tables, reference, year)
if w:
    show(explain.weighted_average_sentence(w))
figures.show(charts.district_targets(overview, lang=lang, source_line=project.source_line(
    lang, figure="district_targets", periods=[(year, "target")])), "district_targets")

# %% [markdown]
# ## Chỉ tiêu so với kết quả thực hiện

# %%
actuals = project.actuals
if actuals.origin == "raw":
    show(say("Kết quả thực hiện lấy từ {files} trong thư mục dữ liệu gốc (loại `results` theo tệp mô tả). "
             "Tệp mô tả ghi `illustrative: {flag}`{warn}.",
             files=join(f"`{f.name}`" for f in actuals.files), flag=str(actuals.illustrative).lower(),
             warn=": đây là **số liệu minh họa**, không phải kết quả thực tế" if actuals.illustrative
             else ": đây là số liệu thực"))
elif actuals.origin == "example":
    sidecar = actuals.sidecars[0]
    show(say("> ⚠️ **{label} (illustrative figures) — không phải kết quả thực tế.** Thư mục dữ liệu gốc `{raw}` chưa có "
             "tệp kết quả thực hiện, nên phần này dùng tệp ví dụ {files}. Tệp mô tả (sidecar) của nó ghi "
             "`kind: {kind}`, `illustrative: {flag}`: «{note}». Mọi bảng, câu và hình dưới đây đều mang nhãn "
             "«{label}». Khi có báo cáo kết quả thật, đặt nó (kèm tệp mô tả) vào thư mục dữ liệu gốc và chạy lại.",
             label=ILLUSTRATIVE, raw=project.raw_dir, files=join(f"`{f.name}`" for f in actuals.files),
             kind=sidecar.kind, flag=str(sidecar.illustrative).lower(),
             note=sidecar.extra.get("note") or sidecar.citation))
else:
    show(say("Chưa có số liệu thực hiện: thư mục dữ liệu gốc `{raw}` không có tệp kết quả (loại `results`) và "
             "không dùng ví dụ minh họa. Phần này tự điền khi có tệp kết quả.", raw=project.raw_dir))

# %%
if actuals.available:
    with_actuals = project.tables_with_actuals
    attain = analysis.district_attainment(with_actuals.districts, reference)
    attain = attain[attain.year == year]
    crit = analysis.plan_vs_actual_criteria(with_actuals.criteria)
    crit = crit[crit.year == year]
    caption = actuals.label
    if attain.empty and crit.empty:
        show(say("Số liệu thực hiện có năm {years}, không có năm {year}: chưa so sánh được.",
                 years=join(str(x) for x in actuals.years), year=year))
    else:
        ntm_plan = explain.province_figures(tables, year, "target")
        ntm_real = explain.province_figures(with_actuals, year, "actual")
        counts = explain.attainment_counts(attain)
        show(actuals.tag + say(
            "Năm {year}: **{a:n}** xã đạt chuẩn nông thôn mới so với kế hoạch **{p:n}** ({d:+n}); bình quân **{aa:n2}** "
            "tiêu chí/xã so với kế hoạch {pa:n2}. Các huyện đạt **{m:n}/{n:n}** chỉ tiêu có đủ số liệu; "
            "{cm:n}/{cn:n} tiêu chí có số xã đạt bằng hoặc hơn kế hoạch.",
            year=year, a=ntm_real.get("ntm_communes"), p=ntm_plan.get("ntm_communes"),
            d=ntm_real.get("ntm_communes", float("nan")) - ntm_plan.get("ntm_communes", float("nan")),
            aa=ntm_real.get("avg_criteria"), pa=ntm_plan.get("avg_criteria"),
            m=counts["met"], n=counts["pairs"], cm=int(crit.met.sum()), cn=int(crit.met.notna().sum())))
        if counts["pairs"]:
            show(actuals.tag + "Theo chỉ tiêu: " + "; ".join(
                say("{label} {m:n}/{n:n} huyện đạt", label=ind.get(r.indicator, r.indicator), m=r.met, n=r.pairs)
                for r in counts["by_indicator"].itertuples()) + ". Theo huyện: " + "; ".join(
                say("{area} {m:n}/{n:n}", area=r.area, m=r.met, n=r.pairs) for r in counts["by_area"].itertuples())
                + ".")
        short = crit[crit.met.eq(False)].sort_values("gap")
        if len(short):
            show(actuals.tag + say("Tiêu chí chưa đạt kế hoạch: {items}.", items=", ".join(
                say("{c} {a:n}/{t:n} xã ({g:+n})", c=r.criterion, a=r.actual, t=r.target, g=r.gap)
                for r in short.itertuples())))
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
