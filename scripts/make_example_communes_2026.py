"""Make the illustrative 2026 commune table of the new Lào Cai (code 15 from 1 July 2025: old Lào Cai
and Yên Bái) under the 10 criteria of 2026–2030 (QĐ 51/2025/QĐ-TTg).

No 2026 assessment is public: every mark is MADE UP (seeded random draws, each criterion met with a
probability drawn per commune), labelled illustrative in its sidecar and wherever it is drawn. The layout is
the package's own template (`ntm-analysis template communes --year 2026 --province 15`): the 89 xã of the
new province, no district column, TC1 … TC10.

    python scripts/make_example_communes_2026.py   # writes data/examples/lao-cai-2026/xa-tieu-chi-2026-...
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import openpyxl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ntm_analysis.config import EXAMPLES_DIR, sidecar_path  # noqa: E402
from ntm_analysis.publishing.commune_template import SHEET, write_communes_template  # noqa: E402
from ntm_analysis.reading.commune_marks import MET_DEFAULT, NOT_MET_DEFAULT  # noqa: E402
from ntm_analysis.reading.reader import read_source  # noqa: E402

#: In a folder of its own, so that the notebooks and the deck of the 2021 examples stay as they are.
FOLDER = EXAMPLES_DIR / "lao-cai-2026"
OUT = FOLDER / "xa-tieu-chi-2026-lao-cai-moi-minh-hoa.xlsx"
SEED = 20260101
CRITERIA = 10
HEADER_ROW = 5


def main() -> int:
    FOLDER.mkdir(parents=True, exist_ok=True)
    write_communes_template(2026, OUT, "15", "actual", overwrite=True)
    rng = np.random.default_rng(SEED)
    wb = openpyxl.load_workbook(OUT)
    ws = wb[SHEET]
    marks: dict[str, list[bool]] = {}
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        code = ws.cell(row, 2).value
        if not code:
            continue
        p = rng.uniform(0.75, 1.0)  # how far along this commune is (made up)
        met = list(rng.random(CRITERIA) < p)
        marks[code] = met
        for i, flag in enumerate(met):
            ws.cell(row, 4 + i, MET_DEFAULT if flag else NOT_MET_DEFAULT)
    wb.save(OUT)
    meta = json.loads(sidecar_path(OUT).read_text(encoding="utf-8"))
    meta.update({"issuer": "ntm-analysis (số liệu minh họa)", "illustrative": True,
                 "citation": "Số liệu minh họa theo xã (thực hiện 2026) của tỉnh Lào Cai mới (mã 15, từ 01/7/2025), "
                             "theo Bộ tiêu chí xã NTM 2026–2030 (QĐ 51/2025/QĐ-TTg)",
                 "note": "MADE UP: no 2026 commune assessment of the new Lào Cai is public. The 89 xã and their codes "
                         "are the official list from 1 July 2025; every mark is drawn at random "
                         f"(scripts/make_example_communes_2026.py, seed {SEED})."})
    meta.pop("template", None)
    sidecar_path(OUT).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    read = read_source(OUT)
    assert not read.findings.errors, read.findings.report()
    cc = read.tables.commune_criteria
    assert len(cc) == 89 * CRITERIA and set(cc.units) == {"2025"} and set(cc.criteria_set) == {"2026-2030"}
    assert cc.district_code.isna().all()
    for code, met in marks.items():
        got = cc[cc.commune_code == code].sort_values("criterion_id").criterion_met.tolist()
        assert got == met, code
    ntm = sum(all(m) for m in marks.values())
    print(f"wrote {OUT.relative_to(ROOT)}: 89 xã, {ntm} meeting all 10 criteria (made up)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
