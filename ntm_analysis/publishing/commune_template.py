"""``ntm-analysis template communes``: the commune criteria table an NTM office
keeps, one row per commune of the programme and one column per criterion, to be
filled with the marks offices write ("Đ" met, "CĐ" not met; see
``reference/commune_marks.csv``).

Rows come from the gazetteer (``reference/communes.csv``), grouped by district;
the code, commune and district cells are locked, the marks and the two year
columns are not, and carry Excel data validation. From the year 2025 (its end
falls after the reform of 1 July 2025) the rows are the xã of the province in the
2025 units (``reference/units_2025.csv.gz``, no district column) and the columns
the criteria of the set in force (10 from 2026).
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import __version__, units
from ..criteria_sets import in_force
from ..i18n import _, either
from ..reading.commune_gazetteer import communes_of
from ..reading.commune_marks import MET_DEFAULT, NOT_MET_DEFAULT
from ..reading.metadata import blank_sidecar
from ..reference import Reference, load_reference
from ..units import province_name
from .template import (
    BOX,
    CENTER,
    FIRST_YEAR_2025_UNITS,
    INPUT_FILL,
    WRAP,
    _protect,
    check_template_target,
    gazetteer,
    save_template,
)

STATUSES = {"actual": "Thực hiện đến hết năm {year}", "target": "Kế hoạch (mục tiêu) đến hết năm {year}"}
FIXED_HEADERS = ["TT", "Mã xã", "Tên xã", "Huyện, thị xã, thành phố"]
YEAR_HEADERS = ["Năm đạt chuẩn NTM", "Đăng ký đạt chuẩn năm"]
SHEET = "Bảng xã"


def criterion_header(criterion_id: int, name: str) -> str:
    """The header of a criterion column: "TC1 Quy hoạch"."""
    return f"TC{criterion_id} {name}"


def _instructions(ws: Worksheet, year: int, status: str, province: str, stem: str, n: int,
                  criteria: int = 19, new_units: bool = False) -> None:
    rows_text = (f"1. Trang “{SHEET}” có {n} xã của tỉnh theo đơn vị hành chính từ ngày 01/7/2025 (không còn cấp "
                 "huyện; không gồm phường, đặc khu). Mã xã và tên xã đã khóa." if new_units else
                 f"1. Trang “{SHEET}” có {n} xã thuộc Chương trình (không gồm phường, thị trấn), xếp theo huyện. "
                 "Mã xã (mã đơn vị hành chính của Tổng cục Thống kê), tên xã và tên huyện đã khóa.")
    lines = [
        (f"HƯỚNG DẪN ĐIỀN BẢNG ĐÁNH GIÁ TIÊU CHÍ NÔNG THÔN MỚI THEO XÃ – {province.upper()}", True),
        (STATUSES[status].format(year=year), True),
        ("", False),
        (rows_text, False),
        (f"2. Mỗi cột TC1 … TC{criteria} là một tiêu chí. Ghi “{MET_DEFAULT}” nếu xã đạt tiêu chí, “{NOT_MET_DEFAULT}” "
         "nếu chưa đạt. Chương trình cũng đọc được “đạt”, “x”, “1” (đạt) và “chưa đạt”, “0”, “-” (chưa đạt).",
         False),
        ("3. Ô để trống nghĩa là chưa đánh giá: không tính là chưa đạt. Chỉ để trống khi thật sự chưa có "
         "kết quả.", False),
        ("4. Cột “Năm đạt chuẩn NTM”: năm xã được công nhận đạt chuẩn (nếu đã đạt). Cột “Đăng ký đạt chuẩn "
         "năm”: năm xã đăng ký đạt chuẩn. Hai cột này không bắt buộc.", False),
        (f"5. Sau khi điền: ghi số văn bản, ngày văn bản (YYYY-MM-DD), cơ quan ban hành và trích dẫn vào "
         f"tệp {stem}.meta.json, rồi đặt cả hai tệp vào data/raw/ và chạy make all.", False),
    ]
    ws.column_dimensions["A"].width = 110
    for r, (text, bold) in enumerate(lines, start=1):
        cell = ws.cell(r, 1, text or None)
        cell.font = Font(bold=bold, size=13 if r == 1 else 11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    _protect(ws)


def communes_workbook(year: int, status: str, province_code: str, reference: Reference,
                      stem: str) -> Workbook:
    """The commune criteria template (not saved)."""
    new_units = year >= FIRST_YEAR_2025_UNITS
    if new_units:
        every = units.units_2025()
        rows = every[(every.province_code == province_code) & (every.unit_type == "Xã")].assign(district_code="")
        name = units.province_name(province_code, "2025")
        if name is None or rows.empty:
            raise ValueError(_("{code} is not a province code of the units from 1 July 2025").format(
                code=province_code))
        districts, fixed = {}, FIXED_HEADERS[:3]
    else:
        place = gazetteer(reference, province_code, year)
        rows = communes_of(province_code)
        if rows.empty:
            raise ValueError(_("the list of communes holds no commune of province {code}").format(
                code=province_code))
        districts, fixed, name = dict(zip(place.districts.area_code, place.districts.area)), FIXED_HEADERS, place.name

    cset = in_force(year)
    crit = sorted(cset.criteria.items())
    headers = fixed + [criterion_header(cid, text) for cid, text in crit] + YEAR_HEADERS
    wb = Workbook()
    _instructions(wb.active, year, status, name, stem, len(rows), cset.count, new_units)
    wb.active.title = "Hướng dẫn"
    ws = wb.create_sheet(SHEET)
    width = len(headers)
    titles = ["BẢNG ĐÁNH GIÁ TIÊU CHÍ NÔNG THÔN MỚI THEO XÃ",
              f"{name} – {STATUSES[status].format(year=year)}",
              f"(Ghi “{MET_DEFAULT}”: đạt; “{NOT_MET_DEFAULT}”: chưa đạt; để trống: chưa đánh giá)"]
    for r, text in enumerate(titles, start=1):
        cell = ws.cell(r, 1, text)
        cell.font, cell.alignment = Font(bold=r == 1, italic=r == 3), CENTER
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    head = 5
    for c, text in enumerate(headers, start=1):
        cell = ws.cell(head, c, text)
        cell.border, cell.font, cell.alignment = BOX, Font(bold=True), CENTER
    ws.row_dimensions[head].height = 90
    for c, w in enumerate([5, 9, 20, 20][:len(fixed)] + [7] * len(crit) + [11, 11], start=1):
        ws.column_dimensions[ws.cell(head, c).column_letter].width = w
    marks = DataValidation(type="list", formula1=f'"{MET_DEFAULT},{NOT_MET_DEFAULT}"', allow_blank=True,
                           showErrorMessage=True, errorStyle="warning", errorTitle="Ký hiệu chưa chuẩn",
                           error=f"Ghi “{MET_DEFAULT}” (đạt) hoặc “{NOT_MET_DEFAULT}” (chưa đạt); để trống "
                                 f"nếu chưa đánh giá.", showInputMessage=True, promptTitle="Đánh giá",
                           prompt=f"{MET_DEFAULT}: đạt; {NOT_MET_DEFAULT}: chưa đạt; trống: chưa đánh giá")
    years = DataValidation(type="whole", operator="between", formula1="2010", formula2="2035",
                           allow_blank=True, showErrorMessage=True, errorStyle="stop",
                           errorTitle="Năm không hợp lệ", error="Năm có bốn chữ số, từ 2010 đến 2035.")
    r = head + 1
    for i, c in enumerate(rows.itertuples(), start=1):
        values = [i, c.commune_code, c.commune, districts.get(c.district_code, c.district_code)][:len(fixed)]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(r, col, value)
            cell.border, cell.alignment = BOX, WRAP if col > 2 else CENTER
            if col == 2:
                cell.number_format = "@"  # the code is text: leading zeros stay
        for col in range(len(fixed) + 1, width + 1):
            cell = ws.cell(r, col)
            cell.border, cell.fill, cell.alignment = BOX, INPUT_FILL, CENTER
            cell.protection = Protection(locked=False)
            (years if col > width - len(YEAR_HEADERS) else marks).add(cell.coordinate)
        r += 1
    ws.add_data_validation(marks)
    ws.add_data_validation(years)
    ws.freeze_panes = ws.cell(head + 1, len(fixed) + 1).coordinate
    ws.auto_filter.ref = f"A{head}:{ws.cell(r - 1, width).coordinate}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{head}:{head}"
    _protect(ws)
    ws.protection.autoFilter = False
    ws.protection.sort = False
    wb.properties.creator = f"ntm-analysis {__version__}"
    wb.properties.title = f"Bảng đánh giá tiêu chí NTM theo xã – {name} – {year}"
    return wb


def communes_sidecar(year: int, status: str, stem: str, province_code: str, province: str) -> dict:
    """The sidecar of a fresh commune template: kind ``communes``, document fields blank; from
    2025 its units ("2025") and criteria set."""
    extra = {}
    if year >= FIRST_YEAR_2025_UNITS:
        extra = {"units": "2025", "criteria_set": in_force(year).name}
    return blank_sidecar(source_id=stem, kind="communes", year=year, status=status, province_code=province_code,
                         province=province) | extra | {
        "template": f"ntm-analysis {__version__}: template communes --year {year} --status {status}"}


def write_communes_template(year: int, out: Path, province_code: str = "10", status: str = "actual", *,
                            overwrite: bool = False) -> list[Path]:
    """Write the commune criteria template and its sidecar; return both paths.
    Existing files are kept unless ``overwrite``."""
    if status not in STATUSES:
        raise ValueError(_("the status must be {statuses}, not '{status}'").format(statuses=either(STATUSES),
                                                                                   status=status))
    out = check_template_target(out, overwrite)
    reference = load_reference()
    wb = communes_workbook(year, status, province_code, reference, out.stem)
    if year >= FIRST_YEAR_2025_UNITS:
        province = province_name(province_code, "2025") or province_code
    else:
        province = gazetteer(reference, province_code, year).name
    return save_template(out, wb, communes_sidecar(year, status, out.stem, province_code, province))
