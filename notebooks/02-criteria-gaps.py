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
# # 02 · Khoảng cách theo tiêu chí
#
# Từ số xã đạt từng tiêu chí năm gốc đến chỉ tiêu của năm kế hoạch: tiêu chí nào tăng nhiều, tiêu chí nào còn xa,
# điều gì giới hạn số xã có thể đạt chuẩn nông thôn mới, và các xã dịch chuyển giữa các nhóm số tiêu chí ra sao.

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
province_code = None                  # khi raw_dir có nhiều tỉnh: mã tỉnh được phân tích; None: tỉnh có nhiều nguồn nhất
export_figures = False                # True: ghi hình PNG + SVG vào figures_dir

# %%
from IPython.display import display

from ntm_analysis import analysis
from ntm_analysis.notebooks import explain
from ntm_analysis.notebooks.project import load_project, resolve_periods
from ntm_analysis.notebooks.story import Figures, labels, md, say, show, vn_table
from ntm_analysis.publishing import charts

project = load_project(raw_dir, processed_dir, examples_dir=None).require_ok().focus(province_code)
tables, reference = project.tables, project.reference
names = labels(lang)
figures = Figures(export_figures, figures_dir, lang)
source_line = project.source_line(lang)

base, compare = resolve_periods(tables.criteria, base_year, target_year)
before = explain.province_figures(tables, *base)
after = explain.province_figures(tables, *compare)
md("Nguồn: {citation}. Đến hết năm **{base_year}**, **{ntm0:n}/{total0:n}** xã đạt chuẩn nông thôn mới ({s0:%1}), "
   "bình quân **{avg0:n2}** tiêu chí/xã. Kế hoạch năm **{target_year}**: **{ntm1:n}** xã đạt chuẩn ({s1:%1}), "
   "bình quân **{avg1:n2}** tiêu chí/xã, tức {d_ntm:+n} xã và {d_avg:+n2} tiêu chí/xã.",
   citation=project.citation, base_year=base[0], target_year=compare[0],
   ntm0=before["ntm_communes"], total0=before["total_communes"], s0=before["ntm_communes"] / before["total_communes"],
   avg0=before["avg_criteria"], ntm1=after["ntm_communes"], s1=after["ntm_communes"] / after["total_communes"],
   avg1=after["avg_criteria"], d_ntm=after["ntm_communes"] - before["ntm_communes"],
   d_avg=after["avg_criteria"] - before["avg_criteria"])

# %% [markdown]
# ## Từng tiêu chí

# %%
gaps = analysis.criteria_gaps(tables.criteria, base, compare)
top = gaps.sort_values(["change", "criterion_id"], ascending=[False, True]).head(3)
flat = gaps[gaps.change == 0]
low = gaps.sort_values(["compare_share", "criterion_id"]).head(3)
full = gaps[gaps.remaining == 0]
show(
    say("Tăng nhiều nhất: {top}.", top=", ".join(
        say("**{c}** {b:n} → {a:n} xã ({d:+n})", c=r.criterion, b=r.base_communes, a=r.compare_communes, d=r.change)
        for r in top.itertuples())),
    say("Không đổi ({n:n} tiêu chí): {names}.", n=len(flat), names=", ".join(flat.criterion)) if len(flat) else "",
    say("Đạt ở mọi xã năm {year} ({n:n} tiêu chí): {names}.", year=compare[0], n=len(full),
        names=", ".join(full.criterion))
    if len(full) else "",
    say("Còn xa nhất năm {year}: {low}.", year=compare[0], low=", ".join(
        say("**{c}** {a:n} xã ({s:%1}, còn {r:n} xã)", c=r.criterion, a=r.compare_communes, s=r.compare_share,
            r=r.remaining) for r in low.itertuples())),
)
display(vn_table(gaps[["criterion_id", "criterion", "group", "base_communes", "compare_communes", "change",
                       "base_share", "compare_share", "change_pp", "remaining"]],
                 {"base_share": "%1", "compare_share": "%1", "change_pp": "+t1", "change": "+n"}, labels=names))
ceiling = analysis.ntm_ceiling(tables.criteria, tables.province)
figures.show(charts.criteria_gaps(gaps, ceiling, lang=lang, source_line=project.source_line(
    lang, figure="criteria_gaps", periods=[base, compare])), "criteria_gaps")

# %% [markdown]
# ## Theo nhóm tiêu chí

# %%
groups = analysis.criteria_gap_groups(gaps)
fastest = groups.sort_values("mean_change_pp", ascending=False).iloc[0]
weakest = groups.sort_values("mean_compare_share").iloc[0]
show(say("Nhóm tăng nhanh nhất: **{g}** (trung bình {pp:+t1} điểm %, nhiều nhất là {c}). Nhóm còn thấp nhất năm "
         "{year}: **{w}** (trung bình {s:%1} số xã đạt; thấp nhất là {lc}).",
         g=fastest.group, pp=fastest.mean_change_pp, c=fastest.largest_gain_criterion, year=compare[0],
         w=weakest.group, s=weakest.mean_compare_share, lc=weakest.lowest_criterion))
display(vn_table(groups, {"mean_base_share": "%1", "mean_compare_share": "%1", "mean_change_pp": "+t1",
                          "total_change": "+n"}, labels=names))

# %% [markdown]
# ## Điều gì giới hạn số xã đạt chuẩn
#
# Một xã chỉ được công nhận đạt chuẩn khi đạt **đủ mọi tiêu chí**, nên số xã đạt chuẩn không thể vượt số xã đạt
# tiêu chí ít được đạt nhất: đó là **mức trần** (ceiling); tiêu chí ở mức trần là tiêu chí **ràng buộc** (binding),
# tiêu chí chỉ cao hơn vài xã là **sát ngưỡng** (near).

# %%
summary = analysis.ceiling_summary(ceiling)

show(explain.ceiling_sentence(ceiling, compare), explain.ceiling_sentence(ceiling, base),
     "Muốn tăng số xã đạt chuẩn vượt mức trần, phải nâng trước hết các tiêu chí ràng buộc và sát ngưỡng.")
display(vn_table(summary, {"year": "y"}, labels=names, lang=lang))
figures.show(charts.ntm_ceiling(ceiling, gaps, lang=lang, source_line=project.source_line(
    lang, figure="ntm_ceiling", periods=[base, compare])), "ntm_ceiling")

# %% [markdown]
# ## Dịch chuyển giữa các nhóm số tiêu chí

# %%
bands = analysis.band_shift(tables.commune_bands, base, compare)
show(say("Từ {base_year} đến {target_year}: {moves}.", base_year=base[0], target_year=compare[0], moves="; ".join(
    say("nhóm **{band}** tiêu chí {x:n} → {y:n} xã ({d:+n})", band=r.band, x=r.base_communes, y=r.compare_communes,
        d=r.change) for r in bands.itertuples())))
display(vn_table(bands[["band", "base_communes", "compare_communes", "change", "base_share", "compare_share",
                        "change_pp"]],
                 {"base_share": "%1", "compare_share": "%1", "change_pp": "+t1", "change": "+n"}, labels=names))
figures.show(charts.commune_bands(bands, lang=lang, source_line=project.source_line(
    lang, figure="commune_bands", periods=[base, compare])), "commune_bands")

# %%
if project.overview is not None:  # raw_dir holds several provinces: them side by side (issue 13)
    from ntm_analysis.publishing.charts.provinces import ranking_job

    md("## So sánh giữa các tỉnh (Provinces side by side)")
    display(vn_table(project.overview.drop(columns=["source_id", "cell"]),
                     {"year": "y", "ntm_share_pct": "p1", "avg_criteria": "n2", "central_share_pct": "p1"},
                     labels=names, lang=lang))
    job = ranking_job(project.overview, project.province_code, project.all_sources, lang=lang, reference=reference)
    if job:
        ranking = job[1]()
        show(" ".join(charts.figure_texts(ranking)["subtitle"].split()))
        figures.show(ranking, job[0])

# %%
show(say("Đã ghi {n:n} tệp hình vào `{folder}`.", n=len(figures.written), folder=figures.folder) if figures.export
     else "Hình chỉ hiển thị trong sổ tay (export_figures = False); `make build` ghi bộ hình đầy đủ.")
