"""``ntm-analysis template results``: a workbook for an analyst to fill in
with one year's results, laid out like the plan's appendices.

The workbook has a first sheet of instructions ("Hướng dẫn") and the three
appendix tables (Biểu 01 criteria, Biểu 02 districts, Biểu 03 funding), whose
titles and headers say "Thực hiện năm {year}", so that the ordinary reader
finds them and reads each value column as that year's actual figures. Only
the value cells are unlocked; each carries an Excel data validation (whole
numbers of communes up to the number of communes, percentages 0–100, average
criteria 0–19, amounts ≥ 0). Beside it goes its sidecar (``<stem>.meta.json``,
kind ``results``) with the document fields left blank for the analyst.

The rows come from reference data: ``reference/results_template.csv`` (the
plan's row lists), ``criteria.csv`` (the 19 criteria of the year's set) and
``districts.csv`` (the province and its districts in force that year).
"""
from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import __version__
from ..config import REFERENCE_DIR, sidecar_path
from ..fingerprints import write_atomically, write_text_atomically
from ..i18n import _, names
from ..reading.metadata import blank_sidecar
from ..reference import Reference, load_reference
from ..tables.schemas import MEASURES

#: The first year whose commune table is laid out in the units from 1 July 2025 (the results
#: template by district stops the year before; the commune template switches units).
FIRST_YEAR_2025_UNITS = 2025
ROWS_FILE = REFERENCE_DIR / "results_template.csv"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Rule:
    """What a value cell accepts: an Excel data validation and a number format."""

    kind: str  # whole | decimal
    low: float
    high: float | None  # None: no upper bound
    number_format: str
    message: str

    def validation(self) -> DataValidation:
        bounds = dict(operator="between", formula1=_num(self.low), formula2=_num(self.high)) \
            if self.high is not None else dict(operator="greaterThanOrEqual", formula1=_num(self.low))
        return DataValidation(type=self.kind, allow_blank=True, showErrorMessage=True, showInputMessage=True,
                              errorStyle="stop", errorTitle="Giá trị không hợp lệ", error=self.message,
                              promptTitle="Nhập số liệu", prompt=self.message, **bounds)


def _num(value: float | None) -> str:
    return str(int(value)) if value is not None and float(value).is_integer() else str(value)


#: How each kind of figure is typed and explained (its bounds come from ``schemas.MEASURES``).
_PRESENTATION = {
    "communes": ("#,##0", "Số xã: số nguyên từ {low} đến {high}."),
    "average_criteria": ("0.00", "Số tiêu chí bình quân/xã: từ {low} đến {high}."),
    "percent": ("0.0#", "Tỷ lệ (%): số từ {low} đến {high}."),
    "count": ("#,##0", "Số lao động: số nguyên, không âm."),
    "amount": ("#,##0.0##", "Số tiền (triệu đồng): số không âm."),
}


def _rule(name: str, communes: int) -> Rule:
    """The rule of a ``rule`` name of results_template.csv: the bounds of
    ``schemas.MEASURES[name]``; ``communes`` bounds counts of communes."""
    if name not in MEASURES or name not in _PRESENTATION:
        raise ValueError(f"results_template.csv: unknown rule '{name}'")
    measure = MEASURES[name]
    high = communes if name == "communes" else measure.high
    number_format, message = _PRESENTATION[name]
    return Rule("whole" if measure.whole else "decimal", measure.low, high, number_format,
                message.format(low=_num(measure.low), high=_num(high)))


@dataclass(frozen=True)
class Gazetteer:
    """The province and its districts in force in a year."""

    code: str
    name: str
    communes: int
    districts: pd.DataFrame  # area_code, area, communes (GSO order)


def gazetteer(reference: Reference, province_code: str, year: int) -> Gazetteer:
    """The province and its districts listed in districts.csv for ``year`` (those with
    communes in the programme: urban districts, all wards, are left out)."""
    d = reference.districts
    rows = d[(d.province_code == province_code) & (d.valid_from <= f"{year}-12-31")
             & (d.valid_to >= f"{year}-01-01")]
    province = rows[rows.area_code == province_code]
    districts = rows[(rows.area_code != province_code) & (rows.communes > 0)].sort_values("area_code")
    if province.empty or districts.empty:
        raise ValueError(_("the list of districts (districts.csv) holds no province {code} with its districts in "
                           "{year}").format(code=province_code, year=year))
    return Gazetteer(province_code, str(province.area.iloc[0]), int(province.communes.iloc[0]),
                     districts[["area_code", "area", "communes"]].reset_index(drop=True))


class _Sheet:
    """One appendix sheet being written: titles, header, rows, value cells."""

    def __init__(self, ws: Worksheet, widths: list[int]):
        self.ws = ws
        self.width = len(widths)
        self.rules: dict[Rule, list[str]] = {}
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w

    def titles(self, lines: list[str]) -> None:
        for r, text in enumerate(lines, start=1):
            cell = self.ws.cell(r, 1, text)
            cell.font = Font(bold=r <= 2, italic=text.startswith("("))
            cell.alignment = CENTER
            self.ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=self.width)

    def header(self, row: int, values: list[object]) -> None:
        for c, value in enumerate(values, start=1):
            cell = self.ws.cell(row, c, value)
            cell.border, cell.font, cell.alignment = BOX, Font(bold=True), CENTER

    def row(self, row: int, values: list[object], bold: bool = False) -> None:
        for c, value in enumerate(values, start=1):
            cell = self.ws.cell(row, c, value)
            cell.border, cell.font = BOX, Font(bold=bold)
            cell.alignment = WRAP if c == 2 else CENTER

    def value_cell(self, row: int, col: int, rule: Rule) -> None:
        cell = self.ws.cell(row, col)
        cell.border, cell.fill, cell.number_format = BOX, INPUT_FILL, rule.number_format
        cell.protection = Protection(locked=False)
        self.rules.setdefault(rule, []).append(cell.coordinate)

    def finish(self, freeze: str) -> None:
        for rule, cells in self.rules.items():
            dv = rule.validation()
            for ref in cells:
                dv.add(ref)
            self.ws.add_data_validation(dv)
        self.ws.freeze_panes = freeze
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.fitToWidth = 1
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        _protect(self.ws)


def _protect(ws: Worksheet) -> None:
    """Protect the sheet (no password: it guards against slips, not people);
    columns and rows may still be resized."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _instructions(ws: Worksheet, year: int, place: Gazetteer, criteria_set: str, stem: str) -> None:
    lines = [
        (f"HƯỚNG DẪN ĐIỀN BIỂU MẪU KẾT QUẢ THỰC HIỆN NĂM {year}", True),
        (f"Chương trình MTQG xây dựng nông thôn mới – {place.name}", True),
        ("", False),
        ("1. Chỉ điền vào các ô nền vàng. Các ô khác (tiêu đề, tên dòng, tên cột) đã được khóa để tránh "
         "sửa nhầm; trang tính được bảo vệ không đặt mật khẩu. Không đổi tên, thêm hay xóa dòng, cột.", False),
        (f"2. Biểu 01: số xã đạt từng tiêu chí, số xã theo số tiêu chí đạt và số liệu chung của tỉnh, "
         f"lũy kế đến hết năm {year} (31/12/{year}), theo {criteria_set}.", False),
        (f"3. Biểu 02: kết quả thực hiện năm {year} của toàn tỉnh và từng huyện, thị xã, thành phố. "
         f"Cột “Số xã đạt chuẩn nông thôn mới trong năm” ghi số xã được công nhận trong năm {year}.",
         False),
        (f"4. Biểu 03: số vốn đã huy động trong năm {year} theo từng nguồn, đơn vị triệu đồng (tr.đ); "
         f"ghi cả dòng tổng và các dòng chi tiết.", False),
        ("5. Gõ số trực tiếp, không kèm chữ hay đơn vị. Ô chưa có số liệu thì để trống, không ghi 0 "
         "(0 nghĩa là kết quả bằng không). Nếu dùng công thức, hãy lưu tệp bằng Excel để giá trị được "
         "tính sẵn.", False),
        (f"6. Giới hạn (Excel từ chối giá trị ngoài giới hạn): số xã là số nguyên từ 0 đến {place.communes} "
         f"(toàn tỉnh) hoặc đến số xã của từng huyện; số tiêu chí bình quân từ 0 đến 19; tỷ lệ (%) từ 0 "
         f"đến 100; số lao động và số tiền không âm.", False),
        (f"7. Sau khi điền: mở tệp {stem}.meta.json đi kèm và ghi số văn bản (document_number), ngày văn "
         f"bản (document_date, dạng YYYY-MM-DD), cơ quan ban hành (issuer), ngày nhận (received_date) và "
         f"trích dẫn (citation). Kiểm tra bằng lệnh: ntm-analysis validate {stem}.xlsx", False),
        ("8. Đặt tệp .xlsx cùng tệp .meta.json vào thư mục data/raw/ rồi chạy make all: số liệu thực hiện "
         "được đọc và so sánh với kế hoạch.", False),
    ]
    ws.column_dimensions["A"].width = 110
    for r, (text, bold) in enumerate(lines, start=1):
        cell = ws.cell(r, 1, text or None)
        cell.font = Font(bold=bold, size=13 if r == 1 else 11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    _protect(ws)


def _template_rows() -> pd.DataFrame:
    return pd.read_csv(ROWS_FILE, dtype=str, keep_default_na=False, encoding="utf-8")


def _bieu_01(ws: Worksheet, year: int, place: Gazetteer, rows: pd.DataFrame, criteria: pd.DataFrame,
             attached: str) -> None:
    sheet = _Sheet(ws, [6, 52, 10, 24])
    sheet.titles(["Biểu 01", f"Kết quả thực hiện 19 tiêu chí nông thôn mới năm {year}", attached])
    sheet.header(5, ["TT", "Số xã đạt Tiêu chí NTM", "ĐVT",
                     f"Thực hiện năm {year}\n(lũy kế đến hết năm {year})"])
    body = [(r.code, r.label, r.unit, r.rule) for r in rows.itertuples()]
    body += [(str(c.criterion_id), f"Xã đạt tiêu chí số {c.criterion_id} ({c.criterion})", "Xã", "communes")
             for c in criteria.itertuples()]
    for r, (code, label, unit, rule) in enumerate(body, start=6):
        sheet.row(r, [code, label, unit or None, None], bold=not rule)
        if rule:
            sheet.value_cell(r, 4, _rule(rule, place.communes))
    sheet.finish("D6")


def _bieu_02(ws: Worksheet, year: int, place: Gazetteer, rows: pd.DataFrame, attached: str) -> None:
    n = len(rows)
    sheet = _Sheet(ws, [5, 24] + [15] * n)
    sheet.titles(["Biểu 02", f"KẾT QUẢ THỰC HIỆN MỘT SỐ CHỈ TIÊU NĂM {year}", attached])
    sheet.header(5, ["TT", "Huyện, thị xã, thành phố", f"Thực hiện năm {year}"] + [None] * (n - 1))
    sheet.header(6, [None, None] + rows.label.tolist())
    ws.merge_cells("A5:A6")
    ws.merge_cells("B5:B6")
    ws.merge_cells(start_row=5, start_column=3, end_row=5, end_column=2 + n)
    areas = [("", place.name, place.communes)] + [
        (str(i), d.area, int(d.communes)) for i, d in enumerate(place.districts.itertuples(), start=1)]
    for r, (code, name, communes) in enumerate(areas, start=7):
        sheet.row(r, [code or None, name], bold=not code)
        for c, rule in enumerate(rows.rule, start=3):
            sheet.value_cell(r, c, _rule(rule, communes))
    ws.row_dimensions[6].height = 75
    sheet.finish("C7")


def _bieu_03(ws: Worksheet, year: int, place: Gazetteer, rows: pd.DataFrame, attached: str) -> None:
    sheet = _Sheet(ws, [6, 62, 8, 22])
    sheet.titles(["Biểu 03", f"Kết quả huy động nguồn lực xây dựng nông thôn mới\n{place.name} năm {year}",
                  attached])
    sheet.header(5, ["TT", "Nội dung", "ĐVT", f"Thực hiện năm {year}"])
    for r, row in enumerate(rows.itertuples(), start=6):
        sheet.row(r, [row.code or None, row.label, row.unit or None], bold=r == 6 or row.code.isdigit())
        sheet.value_cell(r, 4, _rule(row.rule, place.communes))
    sheet.finish("D6")


def results_workbook(year: int, place: Gazetteer, reference: Reference, stem: str) -> Workbook:
    """The results template for ``year`` as an openpyxl workbook (not saved)."""
    criteria_set = reference.criteria_set_for(year)
    set_label = reference.criteria_sets.set_index("criteria_set").label_vi[criteria_set]
    rows = _template_rows()
    attached = (f"(Kèm theo Báo cáo kết quả thực hiện Chương trình xây dựng nông thôn mới năm {year} "
                f"của UBND {place.name[:1].lower()}{place.name[1:]})")
    wb = Workbook()
    _instructions(wb.active, year, place, set_label, stem)
    wb.active.title = "Hướng dẫn"
    criteria = reference.criteria[reference.criteria.criteria_set == criteria_set].sort_values("criterion_id")
    _bieu_01(wb.create_sheet("Biểu 01"), year, place, rows[rows.table == "criteria"], criteria, attached)
    _bieu_02(wb.create_sheet("Biểu 02"), year, place, rows[rows.table == "districts"], attached)
    _bieu_03(wb.create_sheet("Biểu 03"), year, place, rows[rows.table == "funding"], attached)
    wb.properties.creator = f"ntm-analysis {__version__}"
    wb.properties.title = f"Kết quả thực hiện năm {year} – {place.name}"
    return wb


def results_sidecar(year: int, stem: str, place: Gazetteer) -> dict:
    """The sidecar of a fresh template: kind results, the document fields blank."""
    return blank_sidecar(source_id=stem, kind="results", year=year, province_code=place.code,
                         province=place.name) | {
        "template": f"ntm-analysis {__version__}: template results --year {year}",
        "instructions": ("Điền document_number (số văn bản), document_date (YYYY-MM-DD), issuer (cơ quan "
                         "ban hành), received_date (YYYY-MM-DD) và citation (trích dẫn) của văn bản có số "
                         "liệu; sha256 để null hoặc ghi mã sha256 của tệp .xlsx đã điền."),
    }


def write_results_template(year: int, out: Path, province_code: str = "10", *,
                           overwrite: bool = False) -> list[Path]:
    """Write the results template for ``year`` to ``out`` (.xlsx) and its
    sidecar beside it; return both paths. Existing files are kept unless
    ``overwrite`` (a filled workbook must not be lost to a fresh template). From 2025 (the
    districts abolished on 1 July 2025) it is refused in plain words: its Biểu 02 by commune is
    not made yet, and a form by districts would be wrong."""
    if year >= FIRST_YEAR_2025_UNITS:
        raise ValueError(_("from {year} the units are those of 1 July 2025, without districts; the results "
                           "template by district does not apply: use 'template communes --year {year}'").format(
            year=year))
    out = check_template_target(out, overwrite)
    reference = load_reference()
    place = gazetteer(reference, province_code, year)
    wb = results_workbook(year, place, reference, out.stem)
    return save_template(out, wb, results_sidecar(year, out.stem, place))


def check_template_target(out: Path, overwrite: bool) -> Path:
    """``out`` as a Path, once it is a fine place for a fresh template: an .xlsx file,
    not under any project's data/raw/, and not replacing a workbook or its sidecar
    unless ``overwrite`` (a filled workbook must not be lost to a fresh template)."""
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ValueError(_("the template must be an .xlsx file, not '{name}'").format(name=out.name))
    parts = out.resolve().parent.parts
    if any(parts[i:i + 2] == ("data", "raw") for i in range(len(parts) - 1)):  # any project's data/raw/
        raise ValueError(_("nothing writes under {folder}: write the template elsewhere, fill it in, then copy it "
                           "(with its .meta.json) into data/raw/").format(folder=out.resolve().parent))
    existing = [p.name for p in (out, sidecar_path(out)) if p.exists()]
    if existing and not overwrite:
        raise FileExistsError(_("{files} already there; choose another name, or --force to replace (a filled "
                                "workbook would be lost)").format(files=names(existing)))
    return out


def save_template(out: Path, workbook: Workbook, sidecar: dict) -> list[Path]:
    """Write ``workbook`` to ``out`` and ``sidecar`` (JSON) beside it, both or neither (both made
    in memory first, then each written atomically); return both paths."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    text = json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n"
    write_atomically(out, lambda f: f.write(buffer.getvalue()))
    return [out, write_text_atomically(sidecar_path(out), text)]
