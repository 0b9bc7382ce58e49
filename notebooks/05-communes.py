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
# # 05 · Từng xã
#
# Bảng đánh giá tiêu chí nông thôn mới **theo từng xã**: mỗi xã đạt hay chưa đạt từng tiêu chí. Từ bảng này tính lại
# các số của Biểu 01 và Biểu 02 (số xã đạt từng tiêu chí, số xã theo nhóm số tiêu chí đạt, số tiêu chí bình quân, số xã
# đạt chuẩn) và đối chiếu với số kế hoạch công bố; rồi chỉ ra các xã **gần đạt chuẩn** và các tiêu chí đang giữ chúng lại.
#
# Ô để trống là **chưa đánh giá**, không bao giờ được tính là chưa đạt; một số chỉ được đối chiếu khi mọi xã của địa bàn
# đã được đánh giá.

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
from IPython.display import Image, display

from ntm_analysis.analysis.commune_readiness import NEAR_MAX
from ntm_analysis.formats import join, number
from ntm_analysis.notebooks.communes import load_communes, load_reform, new_unit_walls
from ntm_analysis.notebooks.project import ILLUSTRATIVE_LABEL as ILLUSTRATIVE
from ntm_analysis.notebooks.project import load_project
from ntm_analysis.notebooks.story import Figures, bullets, figure_png, labels, show, vn_table
from ntm_analysis.publishing.charts import communes as commune_charts
from ntm_analysis.publishing.charts.base import save_figure
from ntm_analysis.publishing.charts.timeline import province_timeline_chart

project = load_project(raw_dir, processed_dir, examples_dir=None).require_ok()
tables, reference = project.tables, project.reference
names = labels(lang)
figures = Figures(export_figures, figures_dir, lang)
source_line = project.source_line(lang)

communes = load_communes(project, examples_dir)
if not communes.available:
    show("Chưa có bảng đánh giá tiêu chí theo xã: thư mục dữ liệu gốc không có bảng xã nào, và không có bảng xã minh "
         "họa. Tạo mẫu bằng `ntm-analysis template communes --year … --status actual --out …`, điền rồi đặt vào "
         "thư mục dữ liệu gốc.")
elif communes.origin == "example":
    show(f"> ⚠️ **{ILLUSTRATIVE} — không phải số liệu thực tế.** Thư mục dữ liệu gốc chưa có bảng xã; các bảng dưới "
         f"đây lấy từ tệp ví dụ {join(f'`{f.name}`' for f in communes.files)} (tệp mô tả ghi `illustrative: true`). "
         "Các bảng này được dựng để khớp đúng các số của Biểu 01, số xã đạt chuẩn mới của từng huyện ở Biểu 02 và các "
         "xã kế hoạch nêu tên; phần còn lại là bịa.")
commune_source = source_line if communes.origin != "example" else f"{source_line}; {ILLUSTRATIVE}"

# %% [markdown]
# ## Đối chiếu với số công bố
#
# Mỗi số tính từ bảng xã được đặt cạnh số của Biểu 01, Biểu 02 cùng năm và cùng loại (thực hiện / kế hoạch). Số khớp
# được ghi nhận; số lệch là cảnh báo nêu cả hai nguồn và ô.

# %%
if communes.available:
    checks = [f for f in communes.findings if f.check == "commune_vs_published"]
    warned = [f for f in checks if f.severity == "warning"]
    show(f"**{number(len(checks))}** số được đối chiếu hoặc ghi nhận: **{number(len(warned))}** lệch với số công bố.")
    if warned:
        show(bullets(f.message for f in warned))
    averages = communes.results["commune_district_averages"]
    implied = averages[averages.area_code == "implied_by_districts"]
    for r in implied.itertuples():
        province = averages[(averages.year == r.year) & (averages.status == r.status)
                            & (averages.area_code.str.len() == 2)]
        stated = province.stated.iloc[0] if len(province) else pd.NA
        show(f"Số tiêu chí bình quân các huyện đặt ra ({r.year}) tính gộp theo số xã là **{number(r.stated, 2)}**, "
             f"trong khi số của tỉnh là **{number(stated, 2)}**: không bảng xã nào khớp được cả hai.")
    display(vn_table(averages, {"year": "y", "stated": "n2", "from_communes": "n2", "difference": "+n2"},
                     labels=names))

# %% [markdown]
# ## Xã gần đạt chuẩn
#
# Một xã **gần đạt chuẩn** khi đã được đánh giá đủ mọi tiêu chí và chỉ còn thiếu từ một đến ba tiêu chí.

# %%
if communes.available:
    ready = communes.results["commune_readiness"]  # một dòng mỗi xã và kỳ: tiêu chí đạt, đã đánh giá, chưa đạt
    # ntm: đạt mọi tiêu chí; near: đánh giá đủ, thiếu 1 đến NEAR_MAX tiêu chí; far: thiếu nhiều hơn; partial: chưa đánh
    # giá đủ (ô trống không bao giờ tính là chưa đạt)
    states = pd.crosstab([ready.year, ready.status], ready.state).reindex(
        columns=["ntm", "near", "far", "partial"], fill_value=0)  # số xã mỗi nhóm
    for (y, s), row in states.iterrows():
        show(f"**{y}** ({'thực hiện' if s == 'actual' else 'kế hoạch'}): {number(row.ntm)} xã đạt chuẩn, "
             f"{number(row.near)} xã gần đạt chuẩn (thiếu 1–{NEAR_MAX} tiêu chí), {number(row.far)} xã còn xa, "
             f"{number(row.partial)} xã chưa được đánh giá đủ.")
    display(vn_table(communes.results["commune_district_summary"], {"year": "y", "avg_criteria": "n2"}, labels=names))
    crit = reference.criteria
    for (y, s), part in ready.groupby(["year", "status"]):
        names_of = crit[crit.criteria_set == reference.criteria_set_for(int(y))]
        criterion_names = dict(zip(names_of.criterion_id.astype(int), names_of.criterion))
        figures.show(commune_charts.near_communes(ready, criterion_names, int(y), s, lang=lang,
                                                  source_line=commune_source,
                                                  illustrative=communes.illustrative), f"commune_near_{y}_{s}")
        blocking = communes.results["commune_blocking_criteria"]
        if len(blocking[(blocking.year == y) & (blocking.status == s)]):
            figures.show(commune_charts.blocking_criteria(
                blocking, criterion_names, int(y), s, near_total=int((part.state == "near").sum()), lang=lang,
                source_line=commune_source, illustrative=communes.illustrative), f"commune_blocking_{y}_{s}")

# %% [markdown]
# ## Các xã kế hoạch nêu tên
#
# Khi đã đọc được danh sách xã kế hoạch nêu tên (bảng `target_communes`), mỗi xã được đặt cạnh kết quả thực hiện gần
# nhất trước năm mục tiêu.

# %%
if communes.available:
    distance = communes.results.get("commune_target_distance")
    if distance is None:
        show(join(f.message for f in communes.findings if f.check == "commune_targets") + ".")
    else:
        display(vn_table(distance, {"target_year": "y", "base_year": "y"}, labels=names))

# %% [markdown]
# ## Bảng tường
#
# Toàn tỉnh trên một tờ khổ lớn nằm ngang: mỗi hàng một xã, mỗi cột một tiêu chí; đạt, chưa đạt và chưa đánh giá có ba màu khác
# nhau cả khi in đen trắng.

# %%
ready = communes.results.get("commune_readiness")
by_district = ready[ready.units.astype(str).eq("2021")] if ready is not None else None  # 2025 units: see below
if by_district is not None and len(by_district):
    periods = sorted({(int(y), s) for y, s in zip(by_district.year, by_district.status)})
    y, s = max([p for p in periods if p[1] == "actual"] or periods)
    wall = commune_charts.commune_wall(communes.tables.commune_criteria, ready, y, s, lang=lang,
                                       source_line=commune_source, illustrative=communes.illustrative)
    display(Image(data=figure_png(wall), format="png"))
    if export_figures:
        figures.written.extend(save_figure(wall, f"commune_wall_{y}_{s}", figures_dir, size=commune_charts.A3,
                                           dpi=commune_charts.A3_DPI))
    now = by_district[(by_district.year == y) & (by_district.status == s)]
    closest_district = (now.state == "near").groupby(now.district_code).sum().idxmax()  # most communes close to it
    figures.show(commune_charts.commune_wall(communes.tables.commune_criteria, ready, y, s, closest_district, lang=lang,
                                             source_line=commune_source, illustrative=communes.illustrative),
                 f"commune_wall_{closest_district}_{y}_{s}")

# %% [markdown]
# ## Sau sắp xếp đơn vị hành chính: tỉnh Lào Cai mới
#
# Từ ngày mồng một tháng Bảy năm hai nghìn không trăm hai mươi lăm, Lào Cai và Yên Bái hợp thành tỉnh Lào Cai mới,
# không còn cấp huyện, các xã được sắp xếp lại; giai đoạn mới dùng bộ tiêu chí xã nông thôn mới với mười tiêu chí.
# Các bảng xã theo đơn vị cũ được quy về xã mới theo bảng chuyển đổi chính thức; một xã có ô trống là chưa đánh giá,
# không phải chưa đạt. Mười tiêu chí mới và mười chín tiêu chí cũ không so sánh từng tiêu chí: chỉ so số xã đạt chuẩn.

# %%
reform = load_reform(project, communes, examples_dir)
if reform.timeline.empty:
    show("Chưa có bảng xã nào để quy về đơn vị hành chính mới.")
else:
    if reform.files:
        show(f"> ⚠️ **{ILLUSTRATIVE} — không phải số liệu thực tế.** Bảng xã theo đơn vị mới lấy từ tệp ví dụ "
             f"{join(f'`{f.name}`' for f in reform.files)} (đánh dấu bịa, `illustrative: true`).")
    for r in reform.timeline.itertuples():
        units = "đơn vị năm 2021 của các tỉnh cũ" if r.units == "2021" else "đơn vị từ 1/7/2025"
        show(f"**{r.province}**, {r.year} ({units}, bộ tiêu chí {r.criteria_set}): {number(r.ntm_communes)}/"
             f"{number(r.communes)} xã đạt chuẩn{'' if r.complete else ' — chưa đủ số liệu'}.")
    show(bullets(f.message for f in reform.findings if f.check in ("timeline_incomplete", "criteria_sets_compared",
                                                                      "successor_unknown")))
    display(vn_table(reform.timeline, {"year": "y", "ntm_share_pct": "n1"}, labels=names))
    with_share = reform.timeline[reform.timeline.ntm_share_pct.notna()]
    line = f"{source_line}; {ILLUSTRATIVE}" if reform.illustrative else source_line
    for code in sorted(set(with_share.province_code)):
        figures.show(province_timeline_chart(reform.timeline, code, lang=lang, source_line=line,
                                             illustrative=reform.illustrative), f"province_timeline_{code}")
    for stem, wall in new_unit_walls(reform, lang=lang, source_line=line, illustrative=reform.illustrative):
        figures.show(wall, stem)  # where the new communes stand on the 2026–2030 set (10 criteria)
    latest = reform.successors[reform.successors.year == reform.successors.year.max()]
    merged = latest[latest.predecessors > 1]
    show(f"Ở năm gần nhất theo đơn vị cũ, **{number(len(merged))}** xã mới được hợp thành từ hai xã cũ trở lên; bảng "
         "dưới nêu các xã cũ, số xã có số liệu và số xã đạt chuẩn (để trống khi chưa đủ số liệu).")
    display(vn_table(merged.head(15), {"year": "y"}, labels=names))
