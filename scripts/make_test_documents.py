"""Write the test documents of the Word, PDF and text carriers (run once; the
outputs are committed so the tests need neither this script nor LibreOffice).

tests/documents/plan-test.docx  the plan's three appendix tables, transcribed
    from the raw workbook (data/raw), in a landscape appendix section, Biểu 02
    with merged header cells (gridSpan and vMerge) and Biểu 01 split over a
    page break into two tables, its header repeated; before them, target
    sentences written for these tests (our own words, following the patterns
    provincial plans use, with typos of the kind such plans carry).
tests/documents/plan-test.pdf   the same document exported by LibreOffice.
tests/documents/plan-test.md    the same content as Markdown.
tests/documents/plan-test-no-rules.pdf  the same, its tables without rules (read by the
    alignment of their words).

Usage: python scripts/make_test_documents.py
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from ntm_analysis.findings import Findings  # noqa: E402
from ntm_analysis.formats import number as format_vn_number  # noqa: E402
from ntm_analysis.reading.sources import load_grids  # noqa: E402

WORKBOOK = ROOT / "data" / "raw" / "ke-hoach-05-KH-UBND-2021-lao-cai.xlsx"
OUT = ROOT / "tests" / "documents"

#: Target sentences written for the tests (not the plan's wording).
NARRATIVE = [
    "KẾ HOẠCH THỬ NGHIỆM",
    "Xây dựng nông thôn mới tỉnh Lào Cai năm 2021 (văn bản viết để kiểm thử bộ đọc)",
    "I. MỤC ĐÍCH",
    "Văn bản này chỉ dùng để kiểm tra việc đọc tài liệu Word, PDF và văn bản thuần.",
    "II. MỤC TIÊU",
    "1. Trong năm 2021 phấn đấu có thêm ít nhất 15 xã đạt chuẩn nông thôn mới (cụ thể: 04 xã: "
    "Tân Thượng, Minh Lương, Chiềng Ken, Nậm Dạng, huyện Văn Bàn; 03 xã: Xuân Thượng, Bảo Hà, "
    "Vĩnh Yên, huyện Bảo Yên; 03 xã: Nậm Mòn, Cốc Lầu, Bản Liền, huyện Bắc Hà; 01 xã Thống Nhất, "
    "thành phố Lào Cai; 01 xã Nậm Cháy, huyện Mường Khương; 01 xã Trịnh Tường, huyện Bát Xát; "
    "01 xã Mường Hoa, thị xã Sa Pa; 01 xã Sán Chải, huyện Si Ma Cai); tính lũy kế đến cuối năm "
    "2021 toàn tỉnh có 72 xã đạt chuẩn nông thôn mới.",
    "2. Bình quân toàn tỉnh đạt 16,15 tiêu chí/xã.",
    "3. Mỗi huyện, thị xã nâng bình quân thêm 1,0 – 1,5 tiêu chí/xã.",
    "4. Phân đấu công nhận mới ít nhất 25 thôn kiểu mẫu và 35 thôn nông thôn mới; lũy kế đến "
    "cuối năm 2021 có 169 thôn kiểu mẫu và 158 thôn nông thôn mới.",
    "III. NHIỆM VỤ",
    "- Quy hoạch: rà soát quy hoạch chung. Phấn đấu 100% số xã đạt tiêu chí quy hoạch.",
    "- Giao thông: làm mới đường thôn. Phấn đấu cuối năm 2021 có 95 xã đạt tiêu chí giao thông.",
    "- Thủy lợi: duy tu công trình. Phân đấu giữ 100% các xã đạt tiêu chí thủy lợi.",
    "- Điện: cải tạo lưới. Phân đấu cuối năm 2021 có 119 xã đạt tiêu chí điện nông thôn.",
    "- Trường học: sửa chữa lớp học. Phấn đấu cuối năm 2021 có 100 xã đạt tiêu chí trường học.",
    "- Văn hóa cơ sở: Phấn đấu có 92 xã đạt tiêu chí cơ sở vật chất văn hóa.",
    "- Chợ: Phấn đấu có 115 xã đạt tiêu chí cơ sở hạ tầng thương mại.",
    "- Truyền thanh: Phấn đấu toàn tỉnh có 120/127 xã đạt tiêu chí thông tin và truyền thông.",
    "- Nhà ở: Phần đầu có 98 xã đạt tiêu chí nhà ở dân cư.",
    "- Sản xuất: Phân đầu trong năm tạo việc làm mới cho 13.500 lao động.",
    "- Hợp tác xã: Phân đầu thành lập mới 40 - 50 hợp tác xã trong năm.",
    "- Phân đầu cuối năm 2021 có 77 xã đạt tiêu chí thu nhập; 80 xã đạt tiêu chí hộ nghèo; "
    "giữ 100% xã đạt tiêu chí lao động có việc làm; 115 xã đạt tiêu chí tổ chức sản xuất.",
    "- Giáo dục: Phấn đấu có 120 xã đạt tiêu chí giáo dục và đào tạo.",
    "- Y tế: Phấn đấu có 120 xã đạt tiêu chí về y tế.",
    "- Văn hóa: Phấn đấu có 112 xã đạt tiêu chí văn hóa.",
    "- Môi trường: Phấn đấu có 91 xã đạt tiêu chí môi trường và an toàn thực phẩm.",
    "- Chính trị: Phấn đấu có 101 xã đạt tiêu chí hệ thống chính trị và tiếp cận pháp luật.",
    "- An ninh: Phần đầu có 115 xã đạt tiêu chí quốc phòng và an ninh.",
    "IV. NGUỒN LỰC",
    "Tổng vốn dự kiến huy động năm 2021 là 661.500 triệu đồng, gồm:",
    "- Ngân sách Trung ương: 31.500 triệu đồng;",
    "- Ngân sách địa phương: 280.000 triệu đồng;",
    "- Lồng ghép các chương trình, dự án khác: 270.000 triệu đồng;",
    "- Doanh nghiệp, tổ chức và nhân dân đóng góp: 80.000 triệu đồng.",
]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_vn_number(value, 0 if float(value).is_integer() else 2, trim=True)
    return str(value)


def _borders(table) -> None:
    """Single rules on every cell edge (so the PDF has a bordered table)."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        borders.append(el)
    tbl_pr.append(borders)


def _add_table(document, grid, rows: list[int], header_rows: list[int], ruled: bool = True) -> None:
    """One Word table of ``rows`` (grid rows), merged ranges as Word merges."""
    all_rows = header_rows + [r for r in rows if r not in header_rows]
    table = document.add_table(rows=len(all_rows), cols=grid.n_cols)
    if ruled:
        _borders(table)
    for i, r in enumerate(all_rows):
        for c in range(grid.n_cols):
            if not grid.is_merged_into(r, c):
                table.cell(i, c).text = _text(grid.get(r, c))
    for r0, c0, r1, c1 in grid.merges:
        if r0 in all_rows and r1 in all_rows and r0 >= all_rows[0]:
            a, b = all_rows.index(r0), all_rows.index(r1)
            table.cell(a, c0).merge(table.cell(b, c1))
            table.cell(a, c0).text = _text(grid.get(r0, c0))


def _page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def write_docx(path: Path, ruled: bool = True) -> None:
    grids = {g.sheet: g for g in load_grids(WORKBOOK, Findings())}
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    for text in NARRATIVE:
        document.add_paragraph(text)
    appendix = document.add_section()  # the appendix: a landscape section
    appendix.orientation = WD_ORIENT.LANDSCAPE
    appendix.page_width, appendix.page_height = appendix.page_height, appendix.page_width
    for sheet, grid in grids.items():
        header = next(r for r in range(grid.n_rows) if len(grid.row(r)) >= 3)
        header_rows = [r for r in range(header, header + 2)
                       if r == header or any(grid.is_merged_into(r, c) for c in range(grid.n_cols))]
        for r in range(header):
            if grid.row(r):
                document.add_paragraph(_text(grid.get(r, 0)))
        body = list(range(header_rows[-1] + 1, grid.n_rows))
        if sheet == "Biểu 01":  # split over a page break, the header repeated
            _add_table(document, grid, body[:14], header_rows, ruled)
            _page_break(document)
            _add_table(document, grid, body[14:], header_rows, ruled)
        else:
            _add_table(document, grid, body, header_rows, ruled)
        _page_break(document)
    document.save(path)


def write_markdown(path: Path) -> None:
    grids = load_grids(WORKBOOK, Findings())
    lines = [*NARRATIVE]
    for grid in grids:
        lines.append("")
        header = next(r for r in range(grid.n_rows) if len(grid.row(r)) >= 3)
        lines.extend(_text(grid.get(r, 0)) for r in range(header) if grid.row(r))
        lines.append("")
        for r in range(header, grid.n_rows):
            cells = [_text(grid.get(r, c)) for c in range(grid.n_cols)]
            lines.append("| " + " | ".join(cells) + " |")
            if r == header:
                lines.append("|" + "---|" * grid.n_cols)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    docx_path = OUT / "plan-test.docx"
    write_docx(docx_path)
    write_markdown(OUT / "plan-test.md")
    unruled = OUT / "plan-test-no-rules.docx"  # tables without rules: only the PDF is kept
    write_docx(unruled, ruled=False)
    soffice = shutil.which("soffice")
    if soffice:
        for path in (docx_path, unruled):
            subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(OUT), str(path)],
                           check=True, capture_output=True, timeout=180)
    else:
        print("LibreOffice not found: the PDF was not regenerated")
    unruled.unlink()


if __name__ == "__main__":
    main()
