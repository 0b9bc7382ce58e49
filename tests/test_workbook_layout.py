"""ntm_tables.xlsx readable and printable (issue 21): number formats by kind of column,
no sheet for a table without rows, page setup for printing."""
from __future__ import annotations

import openpyxl
import pandas as pd

from ntm_analysis.publishing.outputs import write_excel


def test_formats_page_setup_and_no_empty_sheet(tmp_path):
    overview = pd.DataFrame({"province_code": ["10"], "year": [2021], "total_communes": [127],
                             "ntm_share_pct": [44.8818897637795], "funding_million_vnd": [661500.0],
                             "avg_criteria": [16.15], "source_id": ["plan"]})
    funding = pd.DataFrame({"year": [2021], "share_of_total": [0.4708], "source_id": ["plan"]})
    sources = pd.DataFrame({"source_id": ["plan"], "file": ["plan.xlsx"], "citation": ["Kế hoạch số 05/KH-UBND"]})
    path = write_excel({"province_overview": overview, "funding_shares": funding,
                        "narrative_targets": pd.DataFrame({"year": pd.Series([], dtype=int)}), "sources": sources},
                       tmp_path / "t.xlsx", "vi")
    book = openpyxl.load_workbook(path)
    assert len(book.worksheets) == 3  # the table without rows has no sheet
    sheet = book.worksheets[0]
    formats = {sheet.cell(1, c).value: sheet.cell(2, c).number_format for c in range(1, sheet.max_column + 1)}
    by_column = dict(zip(overview.columns, formats.values()))
    assert by_column["year"].endswith("0") and "," not in by_column["year"]      # 2021, never 2.021
    assert by_column["total_communes"].endswith("#,##0")                         # a count
    assert by_column["ntm_share_pct"].endswith("0.0")                            # 44,9 (a % 0–100)
    assert by_column["funding_million_vnd"].endswith("#,##0")                    # 661.500
    assert by_column["avg_criteria"].endswith("#,##0.00")                        # 16,15
    assert book.worksheets[1].cell(2, 2).number_format.endswith("0.0%")          # 47,1%
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$1:$1"
    assert sheet.freeze_panes == "A2"
    assert "Kế hoạch số 05/KH-UBND" in sheet.oddFooter.left.text
