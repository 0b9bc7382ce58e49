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
import pandas as pd
from IPython.display import display

from ntm_analysis import analysis
from ntm_analysis.formats import number, share, signed
from ntm_analysis.notebooks.project import load_project, resolve_periods
from ntm_analysis.notebooks.story import Figures, labels, show, vn_table
from ntm_analysis.publishing import charts
from ntm_analysis.publishing.charts.provinces import ranking_job

project = load_project(raw_dir, processed_dir, examples_dir=None).require_ok().focus(province_code)
tables, reference = project.tables, project.reference
names = labels(lang)
figures = Figures(export_figures, figures_dir, lang)
source_line = project.source_line(lang)

base, compare = resolve_periods(tables.criteria, base_year, target_year)  # (2020, "actual"), (2021, "target")
province = tables.province.set_index(["year", "status", "indicator"]).value  # Biểu 01, phần toàn tỉnh
ntm0, total0, avg0 = (province.get((*base, i), pd.NA) for i in ("ntm_communes", "total_communes", "avg_criteria"))
ntm1, total1, avg1 = (province.get((*compare, i), pd.NA) for i in ("ntm_communes", "total_communes", "avg_criteria"))
show(f"Nguồn: {project.citation}. Đến hết năm **{base[0]}**, **{number(ntm0)}/{number(total0)}** xã đạt chuẩn "
     f"nông thôn mới ({share(ntm0 / total0)}), bình quân **{number(avg0, 2)}** tiêu chí/xã. Kế hoạch năm "
     f"**{compare[0]}**: **{number(ntm1)}** xã đạt chuẩn ({share(ntm1 / total1)}), bình quân **{number(avg1, 2)}** "
     f"tiêu chí/xã, tức {signed(ntm1 - ntm0)} xã và {signed(avg1 - avg0, 2)} tiêu chí/xã.")

# %% [markdown]
# ## Từng tiêu chí
#
# Với mỗi tiêu chí: số xã đạt ở năm gốc và ở năm kế hoạch, mức tăng (kế hoạch trừ thực hiện), tỷ lệ trên tổng số xã
# và số xã còn phải đạt.

# %%
criteria = tables.criteria.set_index("criterion_id")
was = criteria[(criteria.year == base[0]) & (criteria.status == base[1])]           # thực hiện năm gốc
plan = criteria[(criteria.year == compare[0]) & (criteria.status == compare[1])]    # kế hoạch năm so sánh
gaps = pd.DataFrame({
    "criterion": plan.criterion, "group": plan.group,
    "base_communes": was.communes,                        # số xã đạt tiêu chí, năm gốc
    "compare_communes": plan.communes,                    # số xã đạt tiêu chí, năm kế hoạch
    "change": plan.communes - was.communes,               # kế hoạch − thực hiện (xã)
    "base_share": was.communes / was.total_communes,      # tỷ lệ trên tổng số xã (0–1)
    "compare_share": plan.communes / plan.total_communes,
    "remaining": plan.total_communes - plan.communes,     # số xã còn phải đạt
}).reset_index()
gaps["change_pp"] = (gaps.compare_share - gaps.base_share) * 100  # điểm phần trăm

top = gaps.sort_values(["change", "criterion_id"], ascending=[False, True]).head(3)
flat = gaps[gaps.change == 0]
full = gaps[gaps.remaining == 0]
low = gaps.sort_values(["compare_share", "criterion_id"]).head(3)
show(
    "Tăng nhiều nhất: " + ", ".join(f"**{r.criterion}** {number(r.base_communes)} → {number(r.compare_communes)} xã "
                                    f"({signed(r.change)})" for r in top.itertuples()) + ".",
    f"Không đổi ({len(flat)} tiêu chí): {', '.join(flat.criterion)}." if len(flat) else "",
    f"Đạt ở mọi xã năm {compare[0]} ({len(full)} tiêu chí): {', '.join(full.criterion)}." if len(full) else "",
    f"Còn xa nhất năm {compare[0]}: " + ", ".join(f"**{r.criterion}** {number(r.compare_communes)} xã "
                                                 f"({share(r.compare_share)}, còn {number(r.remaining)} xã)"
                                                 for r in low.itertuples()) + ".",
)
display(vn_table(gaps[["criterion_id", "criterion", "group", "base_communes", "compare_communes", "change",
                       "base_share", "compare_share", "change_pp", "remaining"]],
                 {"base_share": "%1", "compare_share": "%1", "change_pp": "+t1", "change": "+n"}, labels=names))
ceiling = analysis.ntm_ceiling(tables.criteria, tables.province, near=5)
periods = {"base_year": base[0], "base_status": base[1], "compare_year": compare[0], "compare_status": compare[1]}
figures.show(charts.criteria_gaps(gaps.assign(**periods), ceiling, lang=lang, source_line=project.source_line(
    lang, figure="criteria_gaps", periods=[base, compare])), "criteria_gaps")

# %% [markdown]
# ## Theo nhóm tiêu chí

# %%
groups = analysis.criteria_gap_groups(gaps)  # bình quân giản đơn các tiêu chí của mỗi nhóm
fastest = groups.sort_values("mean_change_pp", ascending=False).iloc[0]
weakest = groups.sort_values("mean_compare_share").iloc[0]
show(f"Nhóm tăng nhanh nhất: **{fastest.group}** (trung bình {signed(fastest.mean_change_pp, 1, trim=True)} điểm %, "
     f"nhiều nhất là {fastest.largest_gain_criterion}). Nhóm còn thấp nhất năm {compare[0]}: **{weakest.group}** "
     f"(trung bình {share(weakest.mean_compare_share)} số xã đạt; thấp nhất là {weakest.lowest_criterion}).")
display(vn_table(groups, {"mean_base_share": "%1", "mean_compare_share": "%1", "mean_change_pp": "+t1",
                          "total_change": "+n"}, labels=names))

# %% [markdown]
# ## Điều gì giới hạn số xã đạt chuẩn
#
# Một xã chỉ được công nhận đạt chuẩn khi đạt **đủ mọi tiêu chí**, nên số xã đạt chuẩn không thể vượt số xã đạt
# tiêu chí ít được đạt nhất: đó là **mức trần** (ceiling); tiêu chí ở mức trần là tiêu chí **ràng buộc** (binding),
# tiêu chí chỉ cao hơn vài xã (ở đây: năm xã) là **sát ngưỡng** (near).

# %%
for (year, status), communes, ntm in ((compare, gaps.set_index("criterion").compare_communes, ntm1),
                                     (base, gaps.set_index("criterion").base_communes, ntm0)):
    cap = communes.min()                                  # mức trần: số xã của tiêu chí ít được đạt nhất
    binding = communes[communes == cap].index             # tiêu chí ràng buộc
    near = communes[(communes > cap) & (communes <= cap + 5)].sort_values(kind="stable")  # sát ngưỡng: hơn tối đa 5 xã
    headroom = cap - ntm                                  # dư địa: số xã đạt chuẩn còn có thể thêm
    text = (f"Năm **{year}** ({'thực hiện' if status == 'actual' else 'kế hoạch'}): tiêu chí ràng buộc là "
            f"{' và '.join(f'**{c}**' for c in binding)}, với **{number(cap)} xã** — số xã đạt chuẩn không thể vượt "
            f"con số này. ")
    if len(near):
        text += "Sát ngưỡng: " + ", ".join(f"**{c}** {number(k)} xã (hơn {number(k - cap)})"
                                           for c, k in near.items()) + ". "
    verb = "thực tế" if status == "actual" else "theo kế hoạch"
    if pd.isna(ntm):
        text += "Văn bản không ghi số xã đạt chuẩn của năm này."
    elif headroom < 0:
        text += (f"Số xã đạt chuẩn {verb} là **{number(ntm)}**, **vượt mức trần {number(-headroom)} xã**: không thể "
                 "đạt nếu các tiêu chí ràng buộc không tăng thêm.")
    else:
        text += f"Số xã đạt chuẩn {verb} là **{number(ntm)}**, còn dư địa **{number(headroom)} xã**."
    show(text)
show("Muốn tăng số xã đạt chuẩn vượt mức trần, phải nâng trước hết các tiêu chí ràng buộc và sát ngưỡng.")
display(vn_table(analysis.ceiling_summary(ceiling), {"year": "y"}, labels=names, lang=lang))
figures.show(charts.ntm_ceiling(ceiling, gaps.assign(**periods), lang=lang, source_line=project.source_line(
    lang, figure="ntm_ceiling", periods=[base, compare])), "ntm_ceiling")

# %% [markdown]
# ## Dịch chuyển giữa các nhóm số tiêu chí

# %%
bands = tables.commune_bands.set_index(["band", "min_criteria", "max_criteria"])
before = bands[(bands.year == base[0]) & (bands.status == base[1])].communes
after = bands[(bands.year == compare[0]) & (bands.status == compare[1])].communes
shift = pd.DataFrame({"base_communes": before, "compare_communes": after, "change": after - before,
                      "base_share": before / before.sum(skipna=False),  # tỷ lệ trên tổng số xã của các nhóm
                      "compare_share": after / after.sum(skipna=False)}).reset_index()  # một nhóm trống: không rõ
shift["change_pp"] = (shift.compare_share - shift.base_share) * 100
show(f"Từ {base[0]} đến {compare[0]}: " + "; ".join(
    f"nhóm **{r.band}** tiêu chí {number(r.base_communes)} → {number(r.compare_communes)} xã ({signed(r.change)})"
    for r in shift.itertuples()) + ".")
display(vn_table(shift.drop(columns=["min_criteria", "max_criteria"]), {"base_share": "%1", "compare_share": "%1", "change_pp": "+t1", "change": "+n"},
                 labels=names))
figures.show(charts.commune_bands(shift.assign(**periods), lang=lang,
                                  source_line=project.source_line(lang, figure="commune_bands",
                                                                  periods=[base, compare])), "commune_bands")

# %%
if project.overview is not None:  # raw_dir holds several provinces: them side by side (issue 13)
    show("## So sánh giữa các tỉnh (Provinces side by side)")
    display(vn_table(project.overview.drop(columns=["source_id", "cell"]),
                     {"year": "y", "ntm_share_pct": "p1", "avg_criteria": "n2", "central_share_pct": "p1"},
                     labels=names, lang=lang))
    job = ranking_job(project.overview, project.province_code, project.all_sources, lang=lang, reference=reference)
    if job:
        ranking = job[1]()
        show(" ".join(charts.figure_texts(ranking)["subtitle"].split()))
        figures.show(ranking, job[0])

# %%
show(f"Đã ghi {number(len(figures.written))} tệp hình vào `{figures.folder}`." if figures.export
     else "Hình chỉ hiển thị trong sổ tay (export_figures = False); `make build` ghi bộ hình đầy đủ.")
