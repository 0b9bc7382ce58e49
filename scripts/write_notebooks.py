"""Write the five notebooks of notebooks/ (nbformat 4, no outputs, no execution
counts), from the cell texts below.

The notebooks are ordinary notebooks: edit them in JupyterLab if you prefer
(nbstripout keeps their outputs out of git). This script is how they were
first written and a quick way to rewrite them all consistently:

    .venv/bin/python scripts/write_notebooks.py

Rules the cells follow (tests/test_notebooks.py checks them): logic lives in
the package; markdown cells carry no figures (every number in the text is
rendered from data with ntm_analysis.story); the first code cell is tagged
``parameters``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from ntm_analysis.config import NOTEBOOKS_DIR  # noqa: E402

PARAMETERS = '''\
# Tham số (parameters) — change only this cell to re-run the notebook on other data.
from ntm_analysis import config

raw_dir = config.RAW_DIR              # dữ liệu gốc: workbook(s) + sidecar .meta.json
processed_dir = config.PROCESSED_DIR  # bảng đã xử lý do `make build` ghi
figures_dir = config.FIGURES_DIR      # nơi ghi hình khi export_figures = True
examples_dir = config.EXAMPLES_DIR    # ví dụ minh họa: chỉ dùng khi raw_dir chưa có kết quả thực hiện
base_year = 2020                      # năm gốc (số liệu thực hiện); None: tự xác định từ dữ liệu
target_year = 2021                    # năm kế hoạch được so sánh; None: tự xác định
lang = "vi"                           # ngôn ngữ của hình và tên cột: "vi" hoặc "en" (lời văn luôn tiếng Việt)
export_figures = False                # True: ghi hình PNG + SVG vào figures_dir
'''

SETUP = '''\
from IPython.display import display

from ntm_analysis import analysis, charts, explain
from ntm_analysis.notebooks import ILLUSTRATIVE_LABEL as ILLUSTRATIVE, Figures, labels, load_project
from ntm_analysis.notebooks import resolve_periods, resolve_year
from ntm_analysis.story import bullets, join, md, say, show, vn_table

project = load_project(raw_dir, processed_dir, examples_dir={examples}).require_ok()
tables, reference = project.tables, project.reference
names = labels(lang)
figures = Figures(export_figures, figures_dir, lang)
source_line = project.source_line(lang)
'''


def md(text: str):
    return new_markdown_cell(text.strip("\n"))


def code(text: str, tags: list[str] | None = None):
    cell = new_code_cell(text.strip("\n"))
    if tags:
        cell.metadata["tags"] = tags
    return cell


def notebook(cells: list, stem: str) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells)
    for i, cell in enumerate(nb.cells):
        cell.id = f"{stem[:2]}-{i:02d}"  # stable ids: rewriting gives the same file
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


# ---------------------------------------------------------------------------
# 01 · data cleaning
# ---------------------------------------------------------------------------
NB01 = [
    md('''
# 01 · Làm sạch dữ liệu (Data cleaning)

Sổ tay này đi từ **bảng tính gốc** của kế hoạch đến các **bảng dữ liệu gọn** (tidy tables) mà các sổ tay
sau dùng: bố cục gốc của từng trang tính đặt cạnh bảng gọn đọc được từ nó, mọi phát hiện khi kiểm tra
(validation findings) và những chỗ văn bản gốc tự mâu thuẫn, giải thích bằng lời.

Mọi con số trong phần chữ được tính từ dữ liệu (`ntm_analysis.story`), không gõ tay.
'''),
    code(PARAMETERS, ["parameters"]),
    code('''
from IPython.display import display

from ntm_analysis import explain
from ntm_analysis.notebooks import labels, load_project, processed_status, raw_layout, sheet_tables, side_by_side
from ntm_analysis.story import bullets, join, md, say, show, vn_table

# 01 reads the raw folder only: no analyses, no example results.
project = load_project(raw_dir, processed_dir, examples_dir=None, analyses=False)
names = labels(lang)
sources = project.sources
show(
    say("Thư mục dữ liệu gốc `{folder}` có **{n} tệp**.", folder=project.raw_dir, n=len(project.files)),
    bullets(say("`{file}`: {kind_vi}, {citation}; năm {year}; số liệu minh họa theo tệp mô tả (sidecar): **{ill}**.",
                file=r.info.file, kind_vi={"plan": "kế hoạch", "results": "kết quả thực hiện",
                                           "correction": "đính chính"}.get(r.info.kind, r.info.kind),
                citation=r.info.citation or "(không có trích dẫn)", year=r.info.year or "–",
                ill="có" if r.info.illustrative else "không")
            for r in project.reads),
)
'''),
    md('''
## Bố cục gốc và bảng gọn (Raw layout beside the tidy tables)

Bên trái: các ô của trang tính đúng như trong tệp (hàng theo số, cột theo chữ; ô gộp chỉ hiện một lần ở góc
trên bên trái). Bên phải: các dòng của bảng gọn đọc từ trang đó. Trình đọc tìm mỗi biểu theo **chữ của tiêu đề
và dòng tiêu đề cột**, không theo tên trang hay vị trí; đọc số viết kiểu Việt Nam; ô trống giữ là trống.
Cột `cell` của mỗi dòng gọn chỉ ô gốc của số liệu đó, nên mọi con số đều truy được về tệp, trang và ô.
'''),
    code('''
for read in project.reads:
    layout = raw_layout(project.raw_dir / read.info.file)
    for sheet, grid in layout.items():
        tidy = sheet_tables(project, read.info.file, sheet)
        show(say("### {file} › {sheet}", file=read.info.file, sheet=sheet),
             say("Trang tính có {rows:n} hàng × {cols:n} cột ô; đọc ra {n:n} dòng gọn: {what}.",
                 rows=grid.shape[0], cols=grid.shape[1], n=sum(len(t) for t in tidy.values()),
                 what=join(say("`{name}` ({k:n} dòng)", name=name, k=len(t)) for name, t in tidy.items())
                 or "không có"))
        blocks = [(say("Bố cục gốc (raw layout): {sheet}", sheet=sheet), grid)]
        blocks += [(say("Bảng gọn (tidy): {name}", name=name),
                    vn_table(t, {"share": "%1", "share_of_total": "%1", "year": "y"}, labels=names, lang=lang))
                   for name, t in tidy.items()]
        display(side_by_side(*blocks))
'''),
    code('''
sizes = {name: len(frame) for name, frame in project.tables.items()}
blanks = explain.blank_cells(project.tables, project.reference)
show(
    say("Kết quả: **{k} bảng gọn**, tổng {rows:n} dòng ({detail}). Mỗi dòng kết thúc bằng `source_id` (tệp gốc) "
        "và `cell` (ô gốc).", k=len(sizes), rows=sum(sizes.values()),
        detail=join(say("`{n}` {r:n}", n=n, r=r) for n, r in sizes.items())),
    say("Ô để trống trong văn bản gốc: **{n:n}**. Ô trống được giữ là trống (thiếu), không bao giờ thành 0:",
        n=len(blanks)) if len(blanks) else "Văn bản gốc không có ô số liệu nào để trống.",
    bullets(say("{what} (ô {cell}){note}", what=b.what, cell=b.cell, note=f": {b.note}" if b.note else "")
            for b in blanks.itertuples()),
)
display(vn_table(explain.periods(project.tables), {"year": "y"}, labels=names, lang=lang))
'''),
    md('''
## Các phát hiện khi kiểm tra (Validation findings)

Trình đọc kiểm tra từng giá trị (kiểu, khoảng hợp lệ, tên huyện, mã tiêu chí) và đối chiếu các giá trị với nhau
(các phần cộng lại có bằng tổng đã ghi không). **Lỗi** (error) dừng việc dựng bảng; **cảnh báo** (warning) là
mâu thuẫn nằm ngay trong văn bản: được báo cáo, không sửa, không làm dừng.
'''),
    code('''
findings = project.findings.to_frame()
count = findings.severity.value_counts() if len(findings) else {}
show(say("Tổng cộng **{n:n} phát hiện**: {e:n} lỗi, {w:n} cảnh báo, {i:n} thông tin.",
         n=len(findings), e=count.get("error", 0), w=count.get("warning", 0), i=count.get("info", 0)))
if len(findings):
    display(vn_table(findings, labels=names))
    show(bullets(explain.explain_finding(f) for _, f in findings.iterrows()))
else:
    show("Không có phát hiện nào: mọi giá trị hợp lệ và mọi phép đối chiếu đều khớp.")
'''),
    md('''
### Mọi phép đối chiếu, khớp hay không (Every reconciliation, passing or not)

Kiểm tra chỉ báo khi có chỗ sai; bảng dưới đây liệt kê cả những phép đối chiếu **khớp**, với số ghi trong văn bản
và số tính lại từ các phần.
'''),
    code('''
checks = explain.reconciliations(project.tables, project.reference)
failed = checks[~checks.ok]
show(say("**{ok:n}/{n:n}** phép đối chiếu khớp.", ok=int(checks.ok.sum()), n=len(checks))
     + (say(" Không khớp: {what}.", what=join(f"{r.description} ({r.cell})" for r in failed.itertuples()))
        if len(failed) else ""))
display(vn_table(checks.drop(columns=["check"]),
                 {"year": "y", "stated": "t2", "computed": "t2", "difference": "+t2"}, labels=names, lang=lang))
'''),
    md('''
## Mâu thuẫn thực sự của văn bản (Real inconsistencies of the source)

Biểu 01 (theo từng tiêu chí) và Biểu 02 (theo từng huyện) cùng nói về số tiêu chí bình quân của một xã.
Đặt hai cách tính cạnh nhau:
'''),
    code('''
w = explain.weighted_average(project.tables, project.reference)
if w:
    display(vn_table(w["districts"], {"avg_criteria": "t2", "criteria_met": "t1", "weight": "%1"}, labels=names))
    avg = checks[(checks.check == "average_criteria") & (checks.year == w["year"])]
    show(explain.weighted_average_sentence(w))
    if len(avg):
        a = avg.iloc[0]
        show(say("Trong khi đó, theo {sheet}, tổng số lượt xã đạt từng tiêu chí chia cho tổng số xã cho {computed:n2} "
                 "tiêu chí/xã, {verdict} số {stated:n2} ghi ở ô {cell}. Vậy mục tiêu của tỉnh nhất quán với chỉ tiêu "
                 "từng tiêu chí; {where}.",
                 sheet=a.cell.rpartition("!")[0], computed=a.computed, stated=a.stated, cell=a.cell,
                 verdict="khớp với" if a.ok else "khác",
                 where=say("chỗ lệch nằm ở các chỉ tiêu giao cho huyện ({sheet})",
                           sheet=w["stated_cell"].rpartition("!")[0]) if not w["ok"]
                 else "các chỉ tiêu giao cho huyện cũng cộng lại đúng"))
else:
    show("Dữ liệu không có chỉ tiêu bình quân tiêu chí/xã theo huyện: không đối chiếu được.")
'''),
    md('''
## Thư mục dữ liệu đã xử lý (Processed folder)

`make build` ghi các bảng gọn vào thư mục dữ liệu đã xử lý. Ô dưới đây kiểm tra thư mục đó có được dựng từ
đúng các tệp gốc hiện có không, và so từng bảng với bảng vừa đọc ở trên.
'''),
    code('''
status = processed_status(project)
state = {"current": "được dựng từ đúng các tệp gốc hiện có", "stale": "được dựng từ tệp gốc cũ hơn (cần chạy lại `make build`)",
         "missing": "chưa có (chạy `make build` để tạo)"}[status["state"]]
show(say("Thư mục `{folder}`: {state}{when}.", folder=project.processed_dir, state=state,
         when=say(", dựng lúc {t}", t=status["built_at"]) if status["built_at"] else ""),
     (say("Các bảng khác với bảng vừa đọc: {t}.", t=join(status["differs"])) if status["differs"]
      else "Các bảng trong đó giống hệt bảng vừa đọc." if status["state"] != "missing" else ""))
periods = explain.periods(project.tables)
years = set(zip(periods.year, periods.status))
show(say("Năm gốc được so sánh ở các sổ tay sau: {base_year} (thực hiện) {bok}; năm kế hoạch: {target_year} (kế hoạch) {tok}.",
         base_year=base_year if base_year is not None else "tự xác định",
         target_year=target_year if target_year is not None else "tự xác định",
         bok="— có trong dữ liệu" if base_year is None or (base_year, "actual") in years else "— **không có trong dữ liệu**",
         tok="— có trong dữ liệu" if target_year is None or (target_year, "target") in years else "— **không có trong dữ liệu**"))
'''),
]


# ---------------------------------------------------------------------------
# 02 · criteria gaps
# ---------------------------------------------------------------------------
NB02 = [
    md('''
# 02 · Khoảng cách theo tiêu chí (Criteria gaps)

Từ số xã đạt từng tiêu chí năm gốc đến chỉ tiêu của năm kế hoạch: tiêu chí nào tăng nhiều, tiêu chí nào còn xa,
điều gì giới hạn số xã có thể đạt chuẩn nông thôn mới, và các xã dịch chuyển giữa các nhóm số tiêu chí ra sao.
'''),
    code(PARAMETERS, ["parameters"]),
    code(SETUP.format(examples="None") + '''
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
'''),
    md('''
## Từng tiêu chí (Criterion by criterion)
'''),
    code('''
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
figures.show(charts.criteria_gaps(gaps, ceiling, lang=lang, source_line=source_line), "criteria_gaps")
'''),
    md('''
## Theo nhóm tiêu chí (Group summary)
'''),
    code('''
groups = analysis.criteria_gap_groups(gaps)
fastest = groups.sort_values("mean_change_pp", ascending=False).iloc[0]
weakest = groups.sort_values("mean_compare_share").iloc[0]
show(say("Nhóm tăng nhanh nhất: **{g}** (trung bình {pp:+t1} điểm %, nhiều nhất là {c}). Nhóm còn thấp nhất năm "
         "{year}: **{w}** (trung bình {s:%1} số xã đạt; thấp nhất là {lc}).",
         g=fastest.group, pp=fastest.mean_change_pp, c=fastest.largest_gain_criterion, year=compare[0],
         w=weakest.group, s=weakest.mean_compare_share, lc=weakest.lowest_criterion))
display(vn_table(groups, {"mean_base_share": "%1", "mean_compare_share": "%1", "mean_change_pp": "+t1",
                          "total_change": "+n"}, labels=names))
'''),
    md('''
## Điều gì giới hạn số xã đạt chuẩn (What caps the number of NTM communes)

Một xã chỉ được công nhận đạt chuẩn khi đạt **đủ mọi tiêu chí**, nên số xã đạt chuẩn không thể vượt số xã đạt
tiêu chí ít được đạt nhất: đó là **mức trần** (ceiling); tiêu chí ở mức trần là tiêu chí **ràng buộc** (binding),
tiêu chí chỉ cao hơn vài xã là **sát ngưỡng** (near).
'''),
    code('''
summary = analysis.ceiling_summary(ceiling)

show(explain.ceiling_sentence(ceiling, compare), explain.ceiling_sentence(ceiling, base),
     "Muốn tăng số xã đạt chuẩn vượt mức trần, phải nâng trước hết các tiêu chí ràng buộc và sát ngưỡng.")
display(vn_table(summary, {"year": "y"}, labels=names, lang=lang))
figures.show(charts.ntm_ceiling(ceiling, gaps, lang=lang, source_line=source_line), "ntm_ceiling")
'''),
    md('''
## Dịch chuyển giữa các nhóm số tiêu chí (Band shift)
'''),
    code('''
bands = analysis.band_shift(tables.commune_bands, base, compare)
show(say("Từ {base_year} đến {target_year}: {moves}.", base_year=base[0], target_year=compare[0], moves="; ".join(
    say("nhóm **{band}** tiêu chí {x:n} → {y:n} xã ({d:+n})", band=r.band, x=r.base_communes, y=r.compare_communes,
        d=r.change) for r in bands.itertuples())))
display(vn_table(bands[["band", "base_communes", "compare_communes", "change", "base_share", "compare_share",
                        "change_pp"]],
                 {"base_share": "%1", "compare_share": "%1", "change_pp": "+t1", "change": "+n"}, labels=names))
figures.show(charts.commune_bands(bands, lang=lang, source_line=source_line), "commune_bands")
'''),
    code('''
show(say("Đã ghi {n:n} tệp hình vào `{folder}`.", n=len(figures.written), folder=figures.folder) if figures.export
     else "Hình chỉ hiển thị trong sổ tay (export_figures = False); `make build` ghi bộ hình đầy đủ.")
'''),
]


# ---------------------------------------------------------------------------
# 03 · district targets vs achievements
# ---------------------------------------------------------------------------
NB03 = [
    md('''
# 03 · Chỉ tiêu huyện và kết quả (District targets vs the province and achievements)

Chỉ tiêu của từng huyện, thị xã, thành phố đặt cạnh chỉ tiêu của tỉnh; rồi, khi có số liệu thực hiện, chỉ tiêu
đặt cạnh kết quả. Số liệu thực hiện lấy từ thư mục dữ liệu gốc khi ở đó có tệp kết quả; nếu chưa có, sổ tay dùng
**ví dụ minh họa** trong thư mục ví dụ và nói rõ như vậy ở mọi bảng, câu và hình.
'''),
    code(PARAMETERS, ["parameters"]),
    code(SETUP.format(examples="examples_dir") + '''
from ntm_analysis.notebooks import district_wide, indicator_labels

year = resolve_year(tables.districts, target_year)
overview = analysis.district_overview(tables.districts, reference, year, "target")
show(say("Nguồn: {citation}. Chỉ tiêu năm **{year}** của **{n:n}** huyện, thị xã, thành phố.",
         citation=project.citation, year=year, n=overview.area_code.nunique()))
display(vn_table(district_wide(overview, tables.districts, reference, lang), labels=names))
'''),
    md('''
## Chỉ tiêu huyện so với tỉnh (District targets against the province)

Hai chỉ tiêu cộng được (số xã đạt chuẩn mới, số lao động có việc làm tăng thêm) phải cộng lại bằng chỉ tiêu
của tỉnh; chỉ tiêu bình quân tiêu chí/xã phải khớp khi lấy bình quân theo số xã của từng huyện. Các tỷ lệ (%)
không cộng được vì không có dân số của từng huyện.
'''),
    code('''
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
figures.show(charts.district_targets(overview, lang=lang, source_line=source_line), "district_targets")
'''),
    md('''
## Chỉ tiêu so với kết quả thực hiện (Targets against achievements)
'''),
    code('''
actuals = project.actuals
if actuals.origin == "raw":
    show(say("Kết quả thực hiện lấy từ {files} trong thư mục dữ liệu gốc (loại `results` theo tệp mô tả). "
             "Tệp mô tả ghi `illustrative: {flag}`{warn}.",
             files=join(f"`{f.name}`" for f in actuals.files), flag=str(actuals.illustrative).lower(),
             warn=": đây là **số liệu minh họa**, không phải kết quả thực tế" if actuals.illustrative
             else ": đây là số liệu thực"))
elif actuals.origin == "example":
    meta = actuals.meta[0] if actuals.meta else {}
    show(say("> ⚠️ **{label} (illustrative figures) — không phải kết quả thực tế.** Thư mục dữ liệu gốc `{raw}` chưa có "
             "tệp kết quả thực hiện, nên phần này dùng tệp ví dụ {files}. Tệp mô tả (sidecar) của nó ghi "
             "`kind: {kind}`, `illustrative: {flag}`: «{note}». Mọi bảng, câu và hình dưới đây đều mang nhãn "
             "«{label}». Khi có báo cáo kết quả thật, đặt nó (kèm tệp mô tả) vào thư mục dữ liệu gốc và chạy lại.",
             label=ILLUSTRATIVE, raw=project.raw_dir, files=join(f"`{f.name}`" for f in actuals.files),
             kind=meta.get("kind", ""), flag=str(meta.get("illustrative", "")).lower(),
             note=meta.get("note") or meta.get("citation", "")))
else:
    show(say("Chưa có số liệu thực hiện: thư mục dữ liệu gốc `{raw}` không có tệp kết quả (loại `results`) và "
             "không dùng ví dụ minh họa. Phần này tự điền khi có tệp kết quả.", raw=project.raw_dir))
'''),
    code('''
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
        short = crit[crit.met == False].sort_values("gap")  # noqa: E712
        if len(short):
            show(actuals.tag + say("Tiêu chí chưa đạt kế hoạch: {items}.", items=", ".join(
                say("{c} {a:n}/{t:n} xã ({g:+n})", c=r.criterion, a=r.actual, t=r.target, g=r.gap)
                for r in short.itertuples())))
        display(vn_table(attain.assign(indicator=attain.indicator.map(lambda i: ind.get(i, i))),
                         {"year": "y", "attainment_pct": "t1", "gap": "+t2"}, labels=names, lang=lang)
                .set_caption(caption))
        display(vn_table(crit, {"year": "y", "attainment_pct": "t1", "gap": "+n"}, labels=names).set_caption(caption))
        with_source = project.source_line(lang, actuals=True)
        if len(attain):
            figures.show(charts.district_attainment(attain, lang=lang, source_line=with_source,
                                                    illustrative=actuals.illustrative), "district_attainment")
        if len(crit):
            figures.show(charts.plan_vs_actual_criteria(crit, lang=lang, source_line=with_source,
                                                        illustrative=actuals.illustrative), "plan_vs_actual_criteria")
'''),
]


# ---------------------------------------------------------------------------
# 04 · funding shares
# ---------------------------------------------------------------------------
NB04 = [
    md('''
# 04 · Cơ cấu nguồn vốn (Funding shares)

Vốn huy động cho chương trình theo từng nguồn và theo **ai chi trả** (ngân sách các cấp, lồng ghép, doanh
nghiệp, người dân), tỷ lệ của mỗi nguồn, và số vốn bình quân trên mỗi xã.
'''),
    code(PARAMETERS, ["parameters"]),
    code(SETUP.format(examples="examples_dir") + '''
from ntm_analysis.notebooks import indent_sources

year = resolve_year(tables.funding, target_year)
period = (year, "target")
shares = analysis.funding_shares(tables.funding, period=period)
summary = explain.funding_summary(tables, reference, year)
md("Nguồn: {citation}. Tổng vốn dự kiến năm **{year}**: **{total:n} triệu đồng** (≈ {total:ty} tỷ đồng).",
   citation=project.citation, year=year, total=summary["total"])
'''),
    md('''
## Theo nguồn vốn (By funding source)

Tỷ lệ được tính trên các dòng chi tiết (dòng không có dòng con), nên không số tiền nào bị tính hai lần.
'''),
    code('''
level1 = shares[shares.level == 1].sort_values("share_of_total", ascending=False)
show(bullets(say("**{s}**: {a:n} triệu đồng ({p:%1})", s=r.source, a=r.amount_million_vnd, p=r.share_of_total)
             for r in level1.itertuples()))
display(vn_table(indent_sources(shares), {"share_of_total": "%1", "share_of_parent": "%1"}, labels=names))
'''),
    md('''
## Ai chi trả (Who pays)
'''),
    code('''
payers = summary["payers"]
top = payers.sort_values("amount_million_vnd", ascending=False).iloc[0]
show(say("Ngân sách nhà nước các cấp (trung ương, tỉnh, huyện, xã) chi **{b:n} triệu đồng ({bs:%1})**; phần còn lại "
         "**{o:n} triệu đồng ({os:%1})** đến từ lồng ghép các chương trình khác, doanh nghiệp và người dân. Nguồn lớn "
         "nhất: **{t}** ({ts:%1}).", b=summary["budget"], bs=summary["budget_share"], o=summary["other"],
         os=summary["other_share"], t=top.label_vi, ts=top.share_of_total))
display(vn_table(payers.drop(columns=["payer", "label_en" if lang == "vi" else "label_vi"]), {"share_of_total": "%1"},
                 labels=names))
per = analysis.funding_per_commune(tables.funding, tables.districts, tables.province)
figures.show(charts.funding_sources(payers, per[(per.year == year) & (per.status == "target")], lang=lang,
                                    source_line=source_line), "funding_sources")
'''),
    md('''
## Bình quân trên mỗi xã (Per-commune amounts)
'''),
    code('''
show(say("Chia cho **{n:n} xã** dự kiến đạt chuẩn mới trong năm {year}: **{v:n} triệu đồng/xã** (≈ {v:ty} tỷ đồng). "
         "Chia cho toàn bộ **{c:n} xã** của tỉnh: {pc:n} triệu đồng/xã.",
         n=summary["new_ntm_communes"], year=year, v=summary["per_new_ntm_commune"], c=summary["communes"],
         pc=summary["per_commune"]))
display(vn_table(per, {"year": "y"}, labels=names, lang=lang))
'''),
    md('''
## Kế hoạch so với vốn huy động được (Plan against funds mobilised)
'''),
    code('''
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
                                               source_line=project.source_line(lang, actuals=True),
                                               illustrative=actuals.illustrative), "funding_plan_vs_actual")
'''),
]


NB05 = [
    md('''
# 05 · Từng xã (Commune by commune)

Bảng đánh giá tiêu chí nông thôn mới **theo từng xã**: mỗi xã đạt hay chưa đạt từng tiêu chí. Từ bảng này tính lại
các số của Biểu 01 và Biểu 02 (số xã đạt từng tiêu chí, số xã theo nhóm số tiêu chí đạt, số tiêu chí bình quân, số xã
đạt chuẩn) và đối chiếu với số kế hoạch công bố; rồi chỉ ra các xã **gần đạt chuẩn** và các tiêu chí đang giữ chúng lại.

Ô để trống là **chưa đánh giá**, không bao giờ được tính là chưa đạt; một số chỉ được đối chiếu khi mọi xã của địa bàn
đã được đánh giá.
'''),
    code(PARAMETERS, ["parameters"]),
    code(SETUP.format(examples="None") + '''
from IPython.display import Image

from ntm_analysis.charts import communes as commune_charts
from ntm_analysis.charts.base import save_figure
from ntm_analysis.communes.notebook import load_communes
from ntm_analysis.notebooks import figure_png

communes = load_communes(project, examples_dir)
if not communes.available:
    show("Chưa có bảng đánh giá tiêu chí theo xã: thư mục dữ liệu gốc không có bảng xã nào, và không có bảng xã minh "
         "họa. Tạo mẫu bằng `ntm-analysis template communes --year … --status actual --out …`, điền rồi đặt vào "
         "thư mục dữ liệu gốc.")
elif communes.origin == "example":
    show(say("> ⚠️ **{label} — không phải số liệu thực tế.** Thư mục dữ liệu gốc chưa có bảng xã; các bảng dưới đây "
             "lấy từ tệp ví dụ {files} (tệp mô tả ghi `illustrative: true`). Các bảng này được dựng để khớp đúng các "
             "số của Biểu 01, số xã đạt chuẩn mới của từng huyện ở Biểu 02 và các xã kế hoạch nêu tên; phần còn lại "
             "là bịa.", label=ILLUSTRATIVE, files=join(f"`{f.name}`" for f in communes.files)))
commune_source = source_line if communes.origin != "example" else say("{s}; {label}", s=source_line,
                                                                        label=ILLUSTRATIVE)
'''),
    md('''
## Đối chiếu với số công bố (Against the published figures)

Mỗi số tính từ bảng xã được đặt cạnh số của Biểu 01, Biểu 02 cùng năm và cùng loại (thực hiện / kế hoạch). Số khớp
được ghi nhận; số lệch là cảnh báo nêu cả hai nguồn và ô.
'''),
    code('''
if communes.available:
    checks = [f for f in communes.findings if f.check == "commune_vs_published"]
    warned = [f for f in checks if f.severity == "warning"]
    show(say("**{n:n}** số được đối chiếu hoặc ghi nhận: **{w:n}** lệch với số công bố.", n=len(checks),
             w=len(warned)))
    if warned:
        show(bullets(f.message for f in warned))
    averages = communes.results["commune_district_averages"]
    implied = averages[averages.area_code == "implied_by_districts"]
    for r in implied.itertuples():
        province = averages[(averages.year == r.year) & (averages.status == r.status)
                            & (averages.area_code.str.len() == 2)]
        show(say("Số tiêu chí bình quân các huyện đặt ra ({year}) tính gộp theo số xã là **{i:n2}**, trong khi số của "
                 "tỉnh là **{p:n2}**: không bảng xã nào khớp được cả hai.", year=r.year, i=r.stated,
                 p=province.stated.iloc[0] if len(province) else float("nan")))
    display(vn_table(averages, {"year": "y", "stated": "n2", "from_communes": "n2", "difference": "+n2"},
                     labels=names))
'''),
    md('''
## Xã gần đạt chuẩn (Communes close to the standard)

Một xã **gần đạt chuẩn** khi đã được đánh giá đủ mọi tiêu chí và chỉ còn thiếu từ một đến ba tiêu chí.
'''),
    code('''
if communes.available:
    ready = communes.results["commune_readiness"]
    for (y, s), part in ready.groupby(["year", "status"]):
        counts = part.state.value_counts()
        show(say("**{year}** ({s}): {ntm:n} xã đạt chuẩn, {near:n} xã gần đạt chuẩn, {far:n} xã còn xa, {partial:n} xã "
                 "chưa được đánh giá đủ.", year=y, s="thực hiện" if s == "actual" else "kế hoạch",
                 ntm=counts.get("ntm", 0), near=counts.get("near", 0), far=counts.get("far", 0),
                 partial=counts.get("partial", 0)))
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
'''),
    md('''
## Các xã kế hoạch nêu tên (The communes the plan names)

Khi đã đọc được danh sách xã kế hoạch nêu tên (bảng `target_communes`), mỗi xã được đặt cạnh kết quả thực hiện gần
nhất trước năm mục tiêu.
'''),
    code('''
if communes.available:
    distance = communes.results.get("commune_target_distance")
    if distance is None:
        show(join(f.message for f in communes.findings if f.check == "commune_targets") + ".")
    else:
        display(vn_table(distance, {"target_year": "y", "base_year": "y"}, labels=names))
'''),
    md('''
## Bảng tường (Wall chart)

Toàn tỉnh trên một tờ khổ lớn nằm ngang: mỗi hàng một xã, mỗi cột một tiêu chí; đạt, chưa đạt và chưa đánh giá có ba màu khác
nhau cả khi in đen trắng.
'''),
    code('''
if communes.available:
    ready = communes.results["commune_readiness"]
    periods = sorted({(int(y), s) for y, s in zip(ready.year, ready.status)})
    y, s = max([p for p in periods if p[1] == "actual"] or periods)
    wall = commune_charts.commune_wall(communes.tables.commune_criteria, ready, y, s, lang=lang,
                                       source_line=commune_source, illustrative=communes.illustrative)
    display(Image(data=figure_png(wall), format="png"))
    if export_figures:
        figures.written.extend(save_figure(wall, f"commune_wall_{y}_{s}", figures_dir, size=commune_charts.A3,
                                           dpi=commune_charts.A3_DPI))
    now = ready[(ready.year == y) & (ready.status == s)]
    closest_district = (now.state == "near").groupby(now.district_code).sum().idxmax()  # most communes close to it
    figures.show(commune_charts.commune_wall(communes.tables.commune_criteria, ready, y, s, closest_district, lang=lang,
                                             source_line=commune_source, illustrative=communes.illustrative),
                 f"commune_wall_{closest_district}_{y}_{s}")
'''),
]


NOTEBOOK_CELLS = {
    "01-data-cleaning.ipynb": NB01,
    "02-criteria-gaps.ipynb": NB02,
    "03-district-targets-vs-achievements.ipynb": NB03,
    "04-funding-shares.ipynb": NB04,
    "05-communes.ipynb": NB05,
}


def main() -> None:
    NOTEBOOKS_DIR.mkdir(parents=True, exist_ok=True)
    for name, cells in NOTEBOOK_CELLS.items():
        nb = notebook(cells, name)
        nbformat.validate(nb)
        nbformat.write(nb, str(NOTEBOOKS_DIR / name))
        print(NOTEBOOKS_DIR / name)


if __name__ == "__main__":
    main()
