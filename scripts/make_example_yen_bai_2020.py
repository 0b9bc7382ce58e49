"""Make the illustrative 2020 commune table of old Yên Bái (code 15 in the units of 2021), so that the
notebooks and the deck show new Lào Cai's 2020 as both its old provinces summed.

No commune-level 2020 assessment of Yên Bái is carried: every mark is MADE UP by a rule (the same as
tests/test_reform.py's): of the 150 xã of the 2021 list, in their order, the 1st, 4th, 7th … meet all 19
criteria (50 NTM), every other one misses criterion (its position mod 19) + 1. It is laid out by another
hand than the template's: a title row, then "Mã xã", "Tên xã", "Huyện" and the 19 criteria by their names
(QĐ 1980/QĐ-TTg), "đạt" / "chưa đạt". Labelled illustrative in its sidecar and wherever it is drawn.

    python scripts/make_example_yen_bai_2020.py   # writes data/examples/lao-cai-2026/xa-tieu-chi-2020-yen-bai-...
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ntm_analysis.config import EXAMPLES_DIR, sidecar_path  # noqa: E402
from ntm_analysis.reading.commune_gazetteer import communes_of  # noqa: E402
from ntm_analysis.reference import load_reference  # noqa: E402

OUT = EXAMPLES_DIR / "lao-cai-2026" / "xa-tieu-chi-2020-yen-bai-minh-hoa.xlsx"


def write_marks(out: Path, title: str) -> Path:
    """Old Yên Bái's 150 xã with their made-up 2020 marks (the rule of this module's docstring), laid out
    by another hand than the template's, written to ``out`` (through a temporary file); also the tests' table."""
    reference = load_reference()
    crit = reference.criteria
    crit = crit[crit.criteria_set == "2016-2020"].sort_values("criterion_id")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Yên Bái"
    ws.append([title])
    ws.append(["Mã xã", "Tên xã", "Huyện", *crit.criterion])
    for i, c in enumerate(communes_of("15").itertuples()):
        unmet = None if i % 3 == 0 else i % 19 + 1
        ws.append([c.commune_code, c.commune, reference.area_name(c.district_code),
                   *["chưa đạt" if cid == unmet else "đạt" for cid in range(1, 20)]])
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    tmp.replace(out)
    return out


def main() -> None:
    write_marks(OUT, "Bảng tổng hợp mức độ đạt tiêu chí NTM của các xã tỉnh Yên Bái năm 2020 (số liệu minh họa)")
    meta = {"source_id": OUT.stem, "kind": "communes", "year": 2020, "status": "actual", "province_code": "15",
            "province": "Tỉnh Yên Bái", "units": "2021", "criteria_set": "2016-2020",
            "issuer": "ntm-analysis (số liệu minh họa)", "illustrative": True,
            "citation": "Số liệu minh họa theo xã (thực hiện 2020) của tỉnh Yên Bái cũ (mã 15 theo đơn vị năm "
                        "2021), theo Bộ tiêu chí xã NTM 2016–2020 (QĐ 1980/QĐ-TTg)",
            "note": "MADE UP: no commune-level 2020 assessment of Yên Bái is carried. The 150 xã and their codes "
                    "are the GSO list of 2021; the marks follow a rule (scripts/make_example_yen_bai_2020.py): "
                    "every third xã meets all 19 criteria, each other one misses one."}
    sidecar_path(OUT).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(OUT)


if __name__ == "__main__":
    main()
