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
# # 01 · Làm sạch dữ liệu
#
# Sổ tay này đi từ **bảng tính gốc** của kế hoạch đến các **bảng dữ liệu gọn** (tidy tables) mà các sổ tay
# sau dùng: bố cục gốc của từng trang tính đặt cạnh bảng gọn đọc được từ nó, mọi phát hiện khi kiểm tra
# (validation findings) và những chỗ văn bản gốc tự mâu thuẫn, giải thích bằng lời.
#
# Mọi con số trong phần chữ được tính từ dữ liệu (`ntm_analysis.notebooks.story`), không gõ tay.

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

from ntm_analysis.formats import number
from ntm_analysis.notebooks import explain
from ntm_analysis.notebooks.project import (
    load_project,
    processed_status,
    raw_layout,
    sheet_tables,
)
from ntm_analysis.notebooks.story import bullets, join, labels, show, side_by_side, told_period, told_sentence, vn_table
from ntm_analysis.notebooks.text_view import crosschecks, named_communes, narrative_beside_tables, text_reads

# 01: the project as the build wrote it (built first when a raw file changed), without analyses or example results.
project = load_project(raw_dir, processed_dir, examples_dir=None, analyses=False)
names = labels(lang)
kinds = {"plan": "kế hoạch", "results": "kết quả thực hiện", "correction": "đính chính"}
show(
    f"Thư mục dữ liệu gốc `{project.raw_dir}` có **{number(len(project.files))} tệp**.",
    bullets(f"`{r.info.file}`: {kinds.get(r.info.kind, r.info.kind)}, {r.info.citation or '(không có trích dẫn)'}; "
            f"năm {r.info.year or '–'}; số liệu minh họa theo tệp mô tả (sidecar): "
            f"**{'có' if r.info.illustrative else 'không'}**." for r in project.reads),
)

# %% [markdown]
# ## Kỳ báo cáo
#
# Kỳ mà các sổ tay và bản trình chiếu kể được chọn từ dữ liệu: đã có kết quả thực hiện của một năm có
# kế hoạch thì so sánh thực hiện với kế hoạch năm đó (năm gần nhất trước); chỉ có kế hoạch thì trình bày kế hoạch.

# %%
show(told_sentence(told_period(project.tables), "vi"))

# %% [markdown]
# ## Bố cục gốc và bảng gọn
#
# Bên trái: các ô của trang tính đúng như trong tệp (hàng theo số, cột theo chữ; ô gộp chỉ hiện một lần ở góc
# trên bên trái). Bên phải: các dòng của bảng gọn đọc từ trang đó. Trình đọc tìm mỗi biểu theo **chữ của tiêu đề
# và dòng tiêu đề cột**, không theo tên trang hay vị trí; đọc số viết kiểu Việt Nam; ô trống giữ là trống.
# Cột `cell` của mỗi dòng gọn chỉ ô gốc của số liệu đó, nên mọi con số đều truy được về tệp, trang và ô.

# %%
for read in project.reads:
    layout = raw_layout(project.raw_dir / read.info.file)
    for sheet, grid in layout.items():
        tidy = sheet_tables(project, read.info.file, sheet)
        rows = sum(len(t) for t in tidy.values())
        show(f"### {read.info.file} › {sheet}",
             f"Trang tính có {number(grid.shape[0])} hàng × {number(grid.shape[1])} cột ô; đọc ra {number(rows)} dòng "
             f"gọn: {join(f'`{name}` ({number(len(t))} dòng)' for name, t in tidy.items()) or 'không có'}.")
        blocks = [(f"Bố cục gốc (raw layout): {sheet}", grid)]
        blocks += [(f"Bảng gọn (tidy): {name}",
                    vn_table(t, {"share": "%1", "share_of_total": "%1", "year": "y"}, labels=names, lang=lang))
                   for name, t in tidy.items()]
        display(side_by_side(*blocks))

# %%
sizes = {name: len(frame) for name, frame in project.tables.items()}
blanks = explain.blank_cells(project.tables, project.reference)
show(
    f"Kết quả: **{len(sizes)} bảng gọn**, tổng {number(sum(sizes.values()))} dòng "
    f"({join(f'`{n}` {number(r)}' for n, r in sizes.items())}). Mỗi dòng kết thúc bằng `source_id` (tệp gốc) và "
    "`cell` (ô gốc).",
    f"Ô để trống trong văn bản gốc: **{number(len(blanks))}**. Ô trống được giữ là trống (thiếu), không bao giờ "
    "thành 0:" if len(blanks) else "Văn bản gốc không có ô số liệu nào để trống.",
    bullets(f"{b.what} (ô {b.cell}){f': {b.note}' if b.note else ''}" for b in blanks.itertuples()),
)
display(vn_table(explain.periods(project.tables), {"year": "y"}, labels=names, lang=lang))

# %% [markdown]
# ## Các phát hiện khi kiểm tra
#
# Trình đọc kiểm tra từng giá trị (kiểu, khoảng hợp lệ, tên huyện, mã tiêu chí) và đối chiếu các giá trị với nhau
# (các phần cộng lại có bằng tổng đã ghi không). **Lỗi** (error) dừng việc dựng bảng; **cảnh báo** (warning) là
# mâu thuẫn nằm ngay trong văn bản: được báo cáo, không sửa, không làm dừng.

# %%
findings = project.findings.to_frame()
count = findings.severity.value_counts() if len(findings) else {}
show(f"Tổng cộng **{number(len(findings))} phát hiện**: {number(count.get('error', 0))} lỗi, "
     f"{number(count.get('warning', 0))} cảnh báo, {number(count.get('info', 0))} thông tin.")
if len(findings):
    display(vn_table(findings, labels=names))
    show(bullets(explain.explain_finding(f) for _, f in findings.iterrows()))
else:
    show("Không có phát hiện nào: mọi giá trị hợp lệ và mọi phép đối chiếu đều khớp.")

# %% [markdown]
# ### Mọi phép đối chiếu, khớp hay không
#
# Kiểm tra chỉ báo khi có chỗ sai; bảng dưới đây liệt kê cả những phép đối chiếu **khớp**, với số ghi trong văn bản
# và số tính lại từ các phần.

# %%
checks = explain.reconciliations(project.tables, project.reference)
failed = checks[~checks.ok]
show(f"**{number(checks.ok.sum())}/{number(len(checks))}** phép đối chiếu khớp."
     + (f" Không khớp: {join(f'{r.description} ({r.cell})' for r in failed.itertuples())}." if len(failed) else ""))
display(vn_table(checks.drop(columns=["check"]),
                 {"year": "y", "stated": "t2", "computed": "t2", "difference": "+t2"}, labels=names, lang=lang))

# %% [markdown]
# ## Lời văn của kế hoạch
#
# Kế hoạch nêu nhiều chỉ tiêu ngay trong lời văn, không chỉ trong các biểu. Khi văn bản gốc (Word, PDF hay
# Markdown) có trong thư mục dữ liệu gốc, hoặc bên cạnh dự án, trình đọc lấy ra: **các chỉ tiêu bằng lời**
# (`narrative_targets`), đặt cạnh số tương ứng của Biểu 01 và Biểu 03; **các xã được nêu tên** (`target_communes`)
# với mã xã của Tổng cục Thống kê và mức khớp tên; và **mọi phép đối chiếu** giữa lời văn và các biểu, khớp hay không.

# %%
documents = text_reads(project.reads, config.SOURCE_DOCUMENTS_DIR)
if not documents:
    show("Không có văn bản gốc (Word, PDF, Markdown) nào để đọc lời văn: chỉ có các biểu đã nhập.")
for doc in documents:
    beside = narrative_beside_tables(doc, lang)
    agree = beside.agrees[beside.agrees != "–"]
    show(f"### {doc.info.file}",
         f"Lời văn nêu **{number(len(beside))} chỉ tiêu**, trong đó "
         f"{number((beside.indicator == 'criterion_communes').sum())} chỉ tiêu theo từng tiêu chí; "
         f"{number(agree.isin(['khớp', 'agrees']).sum())}/{number(len(agree))} chỉ tiêu có số tương ứng trong biểu "
         "thì khớp.")
    display(vn_table(beside.drop(columns=["quote", "indicator"]),
                     {"text_value": "t2", "value_max": "t2", "table_value": "t2"}, labels=names, lang=lang))
    communes = named_communes(doc, project.reference, lang)
    near = communes[doc.tables.target_communes.match.values != "exact"] if len(communes) else communes
    renamed = join(f"{r.commune_as_written} → {r.commune}" for r in near.itertuples())
    show(f"Các xã được nêu tên: **{number(len(communes))} xã**; {number(len(near))} tên viết khác danh mục của Tổng "
         f"cục Thống kê{f' ({renamed})' if len(near) else ''}.")
    display(vn_table(communes, labels=names, lang=lang))
    checks_text = crosschecks(doc, project.reference)
    held = checks_text.ok.eq(True)
    show(f"Đối chiếu lời văn với các biểu: **{number(held.sum())}/{number(len(checks_text))}** phép đối chiếu khớp; "
         f"không kiểm được: {number(checks_text.ok.isna().sum())}.")
    display(vn_table(checks_text.drop(columns=["source_id"]), {"year": "y", "stated": "t2", "computed": "t2"},
                     labels=names, lang=lang))

# %% [markdown]
# ## Mâu thuẫn thực sự của văn bản
#
# Biểu 01 (theo từng tiêu chí) và Biểu 02 (theo từng huyện) cùng nói về số tiêu chí bình quân của một xã.
# Đặt hai cách tính cạnh nhau:

# %%
w = explain.weighted_average(project.tables, project.reference)
if w:
    display(vn_table(w["districts"], {"avg_criteria": "t2", "criteria_met": "t1", "weight": "%1"}, labels=names))
    avg = checks[(checks.check == "average_criteria") & (checks.year == w["year"])]
    show(explain.weighted_average_sentence(w))
    if len(avg):
        a = avg.iloc[0]
        where = (f"chỗ lệch nằm ở các chỉ tiêu giao cho huyện ({w['stated_cell'].rpartition('!')[0]})" if not w["ok"]
                 else "các chỉ tiêu giao cho huyện cũng cộng lại đúng")
        show(f"Trong khi đó, theo {a.cell.rpartition('!')[0]}, tổng số lượt xã đạt từng tiêu chí chia cho tổng số xã "
             f"cho {number(a.computed, 2)} tiêu chí/xã, {'khớp với' if a.ok else 'khác'} số {number(a.stated, 2)} ghi "
             f"ở ô {a.cell}. Vậy mục tiêu của tỉnh nhất quán với chỉ tiêu từng tiêu chí; {where}.")
else:
    show("Dữ liệu không có chỉ tiêu bình quân tiêu chí/xã theo huyện: không đối chiếu được.")

# %% [markdown]
# ## Thư mục dữ liệu đã xử lý
#
# `make build` ghi các bảng gọn vào thư mục dữ liệu đã xử lý; sổ tay này và các sổ tay sau đọc lại chính các bảng
# đó (dựng lại trước khi đọc khi tệp gốc đã thay đổi), nên không bao giờ phân tích dữ liệu mà bước dựng đã từ chối.

# %%
status = processed_status(project)
state = {"current": "được dựng từ đúng các tệp gốc hiện có",
         "missing": "chưa có bảng nào: dữ liệu gốc có lỗi (xem các phát hiện ở trên)"}[status["state"]]
built = f", dựng lúc {status['built_at']}" if status["built_at"] else ""
show(f"Thư mục `{project.processed_dir}`: {state}{built}.",
     f"Sổ tay này và các sổ tay sau lấy dữ liệu như sau: {project.read_line}.")
periods = explain.periods(project.tables)
years = set(zip(periods.year, periods.status))


def found(year: int | None, status: str) -> str:
    """Whether the notebooks' parameter ``year`` is among the periods of the data."""
    return "— có trong dữ liệu" if year is None or (year, status) in years else "— **không có trong dữ liệu**"


show(f"Năm gốc được so sánh ở các sổ tay sau: {base_year or 'tự xác định'} (thực hiện) {found(base_year, 'actual')}; "
     f"năm kế hoạch: {target_year or 'tự xác định'} (kế hoạch) {found(target_year, 'target')}.")
