"""Make the illustrative commune criteria tables of data/examples/ (end-2020
actual, end-2021 target) for Lào Cai.

No commune-level data of Lào Cai is public. These tables are MADE UP, except
for what plan 05/KH-UBND states, which they reproduce exactly:
- Biểu 01, both years: every criterion count, every band (19 / 15–18 / 10–14 /
  5–9 / under 5), hence the average and the NTM communes (57 → 72);
- Biểu 02: each district's new NTM communes of 2021 (with the district commune
  counts of the gazetteer);
- section II.1: the 15 named communes are not at the standard at end-2020 and
  are at it at end-2021; all of Bảo Thắng's communes are at the standard
  (the district reached it in 2020).
No criterion is lost between the two years. Everything else (which other
commune meets which criterion) is drawn with a seeded random generator.

    python scripts/make_example_communes.py      # writes data/examples/xa-tieu-chi-*-minh-hoa.xlsx
"""
from __future__ import annotations

import json
import sys
from collections import deque
from pathlib import Path

import numpy as np
import openpyxl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ntm_analysis.config import EXAMPLES_DIR, RAW_DIR, sidecar_path  # noqa: E402
from ntm_analysis.publishing.commune_template import FIXED_HEADERS, SHEET, write_communes_template  # noqa: E402
from ntm_analysis.reading.commune_gazetteer import communes_of, match_commune  # noqa: E402
from ntm_analysis.reading.commune_marks import MET_DEFAULT, NOT_MET_DEFAULT  # noqa: E402
from ntm_analysis.reading.reader import read_source  # noqa: E402

PLAN = RAW_DIR / "ke-hoach-05-KH-UBND-2021-lao-cai.xlsx"
SEED = 20210112
CRITERIA = 19
BANDS = ((15, 18), (10, 14), (5, 9), (0, 4))  # below the standard
#: Plan 05/KH-UBND section II.1: the communes to reach the standard in 2021, by district (GSO code).
NAMED_2021 = {"089": ["Tân Thượng", "Minh Lương", "Chiềng Ken", "Nậm Dạng"],
              "087": ["Xuân Thượng", "Bảo Hà", "Vĩnh Yên"],
              "085": ["Nậm Mòn", "Cốc Lầu", "Bản Liền"],
              "080": ["Thống Nhất"], "083": ["Nậm Cháy"], "082": ["Trịnh Tường"], "088": ["Mường Hoa"],
              "084": ["Sán Chải"]}
#: Districts whose every commune is at the standard at end-2020 (plan 05, section I).
ALL_NTM_2020 = ("086",)  # Huyện Bảo Thắng
#: Districts whose every commune is at the standard at end-2021 (Biểu 02: average 19,00).
ALL_NTM_2021 = ("080",)  # Thành phố Lào Cai
OUTPUTS = {(2020, "actual"): "xa-tieu-chi-2020-thuc-hien-minh-hoa.xlsx",
           (2021, "target"): "xa-tieu-chi-2021-ke-hoach-minh-hoa.xlsx"}


def published() -> dict:
    """Criterion counts and bands per period, from the plan's Biểu 01 (read from data/raw)."""
    t = read_source(PLAN).tables
    out = {}
    for period in OUTPUTS:
        crit = t.criteria[(t.criteria.year == period[0]) & (t.criteria.status == period[1])]
        bands = t.commune_bands[(t.commune_bands.year == period[0]) & (t.commune_bands.status == period[1])]
        counts = dict(zip(crit.criterion_id.astype(int), crit.communes.astype(int)))
        band = {(int(lo), int(hi)): int(n) for lo, hi, n in zip(bands.min_criteria, bands.max_criteria,
                                                                bands.communes.fillna(0))}
        out[period] = counts, band
    return out


def max_flow_assign(rows: dict[str, int], cols: dict[int, int], allowed: dict[str, list[int]],
                    rng: np.random.Generator) -> dict[str, set[int]] | None:
    """A 0/1 assignment: row r gets exactly rows[r] columns among allowed[r], column c
    exactly cols[c] rows (Edmonds–Karp on the bipartite graph); None when impossible."""
    need = sum(rows.values())
    if need != sum(cols.values()):
        return None
    order = list(rows)
    rng.shuffle(order)
    assigned: dict[str, set[int]] = {r: set() for r in rows}
    col_used = dict.fromkeys(cols, 0)
    row_used = dict.fromkeys(rows, 0)
    for _ in range(need):
        # BFS from rows with spare demand to columns with spare capacity, through alternating paths
        parent: dict[object, object] = {}
        queue = deque()
        for r in order:
            if row_used[r] < rows[r]:
                parent[("r", r)] = None
                queue.append(("r", r))
        end = None
        while queue and end is None:
            kind, node = queue.popleft()
            if kind == "r":
                for c in allowed[node]:
                    if c not in assigned[node] and ("c", c) not in parent:
                        parent[("c", c)] = (kind, node)
                        if col_used[c] < cols[c]:
                            end = ("c", c)
                            break
                        queue.append(("c", c))
            else:
                for r in order:
                    if node in assigned[r] and ("r", r) not in parent:
                        parent[("r", r)] = (kind, node)
                        queue.append(("r", r))
        if end is None:
            return None
        node = end
        col_used[end[1]] += 1
        while parent[node] is not None:
            prev = parent[node]
            if node[0] == "c":  # prev is a row: it takes column node
                assigned[prev[1]].add(node[1])
            else:  # prev is a column: row node gives it up
                assigned[node[1]].discard(prev[1])
            node = prev
        row_used[node[1]] += 1
    return assigned


def row_sums(n_by_band: dict[tuple[int, int], int], total: int, rng: np.random.Generator,
             low_first: list[int] | None = None) -> list[int]:
    """Row sums, band by band, adding up to ``total`` (made up within the bands)."""
    sums = []
    for (lo, hi), n in n_by_band.items():
        sums += [int(v) for v in rng.integers(lo, hi + 1, size=n)]
    bounds = [next((lo, hi) for (lo, hi), _ in n_by_band.items() if lo <= s <= hi) for s in sums]
    while sum(sums) != total:
        i = int(rng.integers(len(sums)))
        step = 1 if sum(sums) < total else -1
        if bounds[i][0] <= sums[i] + step <= bounds[i][1]:
            sums[i] += step
    return sums


def build(rng: np.random.Generator) -> tuple[dict, dict, list[str]]:
    pub = published()
    (c20, b20), (c21, b21) = pub[(2020, "actual")], pub[(2021, "target")]
    units = communes_of("10")
    codes = units.commune_code.tolist()
    district = dict(zip(units.commune_code, units.district_code))
    named = [match_commune(n, d).commune_code for d, names in NAMED_2021.items() for n in names]
    assert None not in named and len(set(named)) == 15
    n20, n21 = b20[(19, 19)], b21[(19, 19)]
    assert n21 - n20 == len(named)
    fixed20 = [c for c in codes if district[c] in ALL_NTM_2020]
    fixed21 = [c for c in codes if district[c] in ALL_NTM_2021 and c not in named]
    pool = [c for c in codes if c not in named and c not in fixed20 and c not in fixed21]
    rng.shuffle(pool)
    ntm20 = fixed20 + fixed21 + pool[: n20 - len(fixed20) - len(fixed21)]
    others = [c for c in codes if c not in ntm20 and c not in named]  # below the standard in 2021
    for _ in range(200):
        # 2021: NTM communes meet all; the others get row sums inside the 2021 bands
        bands21 = {b: b21.get(b, 0) for b in BANDS}
        s21 = dict(zip(others, row_sums(bands21, sum(c21.values()) - n21 * CRITERIA, rng)))
        m21 = max_flow_assign(s21, {k: c21[k] - n21 for k in c21}, {c: list(c21) for c in others}, rng)
        if m21 is None:
            continue
        # 2020: remove marks from the named and the other communes (2021 ⊇ 2020)
        below20 = named + others
        bands20 = {b: b20.get(b, 0) for b in BANDS}
        s20 = row_sums(bands20, sum(c20.values()) - n20 * CRITERIA, rng)
        s20.sort()
        ranked = sorted(others, key=lambda c: s21[c])  # keep each commune's 2020 sum ≤ its 2021 sum
        named_sums = sorted(s20, reverse=True)[:len(named)]  # the named: the highest 2020 sums
        rest = list(s20)
        for s in named_sums:
            rest.remove(s)
        rest.sort()
        if any(r > s21[c] for r, c in zip(rest, ranked)):
            continue
        removals = {c: CRITERIA - s for c, s in zip(named, named_sums)}
        removals |= {c: s21[c] - r for c, r in zip(ranked, rest)}
        had = {c: sorted(m21[c]) for c in others} | {c: list(c21) for c in named}
        cut = max_flow_assign(removals, {k: c21[k] - c20[k] for k in c21}, had, rng)
        if cut is None:
            continue
        full = set(range(1, CRITERIA + 1))
        marks21 = {c: full for c in ntm20 + named} | {c: set(m21[c]) for c in others}
        marks20 = {c: full for c in ntm20} | {c: set(had[c]) - cut[c] for c in below20}
        return marks20, marks21, named
    raise RuntimeError("no assignment found: the published figures cannot be reproduced")


def write(year: int, status: str, marks: dict[str, set[int]], named: list[str]) -> Path:
    out = EXAMPLES_DIR / OUTPUTS[(year, status)]
    write_communes_template(year, out, "10", status, overwrite=True)
    wb = openpyxl.load_workbook(out)
    ws = wb[SHEET]
    head = next(r for r in range(1, 20) if ws.cell(r, 2).value == FIXED_HEADERS[1])
    planned_col = ws.max_column
    for r in range(head + 1, ws.max_row + 1):
        code = ws.cell(r, 2).value
        for k in range(1, CRITERIA + 1):
            ws.cell(r, len(FIXED_HEADERS) + k, MET_DEFAULT if k in marks[code] else NOT_MET_DEFAULT)
        if code in named:
            ws.cell(r, planned_col, 2021)
    wb.save(out)
    meta = json.loads(sidecar_path(out).read_text(encoding="utf-8"))
    meta.update({
        "source_id": out.stem, "illustrative": True,
        "issuer": "ntm-analysis (số liệu minh họa)",
        "citation": f"Số liệu minh họa theo xã ({'thực hiện' if status == 'actual' else 'kế hoạch'} "
                    f"{year}), dựng khớp Biểu 01, 02 của Kế hoạch 05/KH-UBND ngày 12/01/2021 của UBND tỉnh Lào Cai",
        "note": ("MADE UP: no commune-level data of Lào Cai is public. Reproduced exactly from plan 05/KH-UBND: "
                 "Biểu 01 criterion counts and bands (hence average and NTM communes), Biểu 02 new NTM communes "
                 "by district, the 15 communes named in section II.1 (not NTM at end-2020, NTM at end-2021, "
                 "planned year 2021) and Bảo Thắng's communes all NTM. Which other commune meets which "
                 "criterion is drawn at random (scripts/make_example_communes.py, seed "
                 f"{SEED})."),
    })
    for drop in ("template",):
        meta.pop(drop, None)
    sidecar_path(out).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return out


def check(paths: list[Path]) -> None:
    """Read the written tables back and assert every published equality."""
    import pandas as pd  # noqa: PLC0415

    from ntm_analysis.analysis.commune_aggregates import commune_aggregates  # noqa: PLC0415
    from ntm_analysis.checks.communes import new_ntm_by_area  # noqa: PLC0415

    cc = pd.concat([read_source(p).tables.commune_criteria for p in paths], ignore_index=True)
    assert cc.criterion_met.notna().all()
    agg = commune_aggregates(cc)
    agg = agg[agg.area_code == "10"]
    for (year, status), (counts, bands) in published().items():
        mine = agg[(agg.year == year) & (agg.status == status)]
        crit = mine[mine.indicator == "criterion_communes"]
        assert dict(zip(crit.criterion_id.astype(int), crit.value.astype(int))) == counts, (year, "criteria")
        got = {b: int(v) for b, v in zip(mine[mine.indicator == "band_communes"].band,
                                         mine[mine.indicator == "band_communes"].value)}
        for (lo, hi), n in bands.items():
            assert got[str(lo) if lo == hi else f"{lo}-{hi}"] == n, (year, lo, hi)
    plan = read_source(PLAN).tables.districts
    stated = plan[plan.indicator == "new_ntm_communes"]
    new = new_ntm_by_area(cc, 2021, "target").set_index("area_code").value
    for area, value in zip(stated.area_code, stated.value):
        assert new[area] == (0 if pd.isna(value) else value), (area, "new NTM communes")


def main() -> int:
    marks20, marks21, named = build(np.random.default_rng(SEED))
    paths = []
    for (year, status), marks in (((2020, "actual"), marks20), ((2021, "target"), marks21)):
        paths.append(write(year, status, marks, named))
        print(f"wrote {paths[-1].relative_to(ROOT)}")
    check(paths)
    print("every figure of Biểu 01 and Biểu 02's new NTM communes reproduced")
    return 0


if __name__ == "__main__":
    sys.exit(main())
