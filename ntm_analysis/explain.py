"""What the notebooks explain about the source itself: every reconciliation
(passing or not) with its stated and computed figures, the districts' weighted
average of criteria, and each validation finding in plain Vietnamese.

``checks.py`` raises findings only when something fails; the notebooks also
show what *holds*, so this module recomputes each reconciliation as data.
"""
from __future__ import annotations

import math

import pandas as pd

from .reference import Reference
from .story import say
from .tidy import FROM_TEXT, TidyTables

RECONCILIATION_COLUMNS = ["check", "year", "status", "description", "stated", "computed", "difference",
                          "ok", "cell"]
#: Same tolerances as checks.py.
AVERAGE_ROUNDING = 0.005
WEIGHTED_AVERAGE_TOLERANCE = 0.05


def _is_province(codes: pd.Series) -> pd.Series:
    return codes.astype(str).str.len() == 2


def _value(frame: pd.DataFrame, year: int, status: str, indicator: str) -> pd.Series | None:
    hit = frame[(frame.year == year) & (frame.status == status) & (frame.indicator == indicator)
                & frame.value.notna()]
    return hit.iloc[0] if len(hit) else None


def weighted_average(tables: TidyTables, reference: Reference, year: int | None = None,
                     status: str = "target") -> dict:
    """The districts' average-criteria figures weighted by their communes, against
    the province's stated average (Biểu 02), with the districts' rows.

    Built on ``analysis.district_overview`` / ``implied_province_average``.
    Returns ``{"year", "status", "districts": frame(area_code, area, communes,
    avg_criteria, criteria_met, weight), "communes", "weighted", "stated",
    "stated_cell", "gap", "criteria_short", "ok"}``; ``gap`` = stated − weighted;
    ``criteria_short`` = gap × communes, the criteria still to be met somewhere
    for the districts' targets to add up to the province's. Empty dict without data.
    """
    from .analysis import district_overview, implied_province_average  # noqa: PLC0415

    d = tables.districts
    if year is None:
        years = d[(d.indicator == "avg_criteria") & (d.status == status)].year
        if years.empty:
            return {}
        year = int(years.max())
    implied = implied_province_average(d[(d.year == year) & (d.status == status)], reference)
    overview = district_overview(d, reference, year, status)
    rows = overview[(overview.indicator == "avg_criteria") & overview.value.notna()]
    if implied.empty or rows.empty:
        return {}
    frame = rows[["area_code", "area", "communes", "value", "implied_criteria"]].rename(
        columns={"value": "avg_criteria", "implied_criteria": "criteria_met"}).reset_index(drop=True)
    frame["weight"] = frame.communes.astype("float64") / float(frame.communes.sum())
    first = implied.iloc[0]
    prov = d[(d.year == year) & (d.status == status) & (d.indicator == "avg_criteria")
             & _is_province(d.area_code)]
    weighted, stated = float(first.implied_average), float(first.stated_average)
    gap = stated - weighted
    return {"year": int(year), "status": status, "districts": frame, "communes": int(first.communes),
            "weighted": weighted, "stated": stated, "stated_cell": str(prov.cell.iloc[0]) if len(prov) else "",
            "gap": gap, "criteria_short": gap * int(first.communes),
            "ok": bool(math.isnan(gap) or abs(gap) <= WEIGHTED_AVERAGE_TOLERANCE)}


def reconciliations(tables: TidyTables, reference: Reference) -> pd.DataFrame:
    """Every reconciliation the source allows, one row each, passing or not:
    ``stated`` (the figure printed), ``computed`` (from its parts), ``ok``."""
    rows: list[dict] = []

    def add(check, year, status, description, stated, computed, ok, cell=""):
        diff = (computed - stated) if stated is not None and computed is not None else math.nan
        rows.append({"check": check, "year": int(year), "status": status, "description": description,
                     "stated": stated, "computed": computed, "difference": diff, "ok": bool(ok),
                     "cell": cell})

    prov = tables.province
    for (year, status), bands in tables.commune_bands.groupby(["year", "status"]):
        total = _value(prov, year, status, "total_communes")
        if total is not None and bands.communes.notna().all():
            s = float(bands.communes.sum())
            add("bands_sum", year, status, "Tổng số xã của các nhóm số tiêu chí = tổng số xã",
                float(total.value), s, s == total.value, total.cell)
        ntm = _value(prov, year, status, "ntm_communes")
        full = bands[(bands.min_criteria == 19) & bands.communes.notna()]
        if ntm is not None and len(full):
            s = float(full.communes.iloc[0])
            add("ntm_vs_19", year, status, "Số xã đạt chuẩn NTM = số xã đạt đủ 19 tiêu chí",
                float(ntm.value), s, s == ntm.value, ntm.cell)
    for (year, status), crit in tables.criteria.groupby(["year", "status"]):
        avg = _value(prov, year, status, "avg_criteria")
        total = _value(prov, year, status, "total_communes")
        counts = crit.communes.dropna()
        if avg is not None and total is not None and len(counts) == 19:
            implied = float(counts.sum()) / float(total.value)
            add("average_criteria", year, status,
                "Số tiêu chí bình quân/xã = tổng số lượt xã đạt từng tiêu chí ÷ tổng số xã",
                float(avg.value), implied, abs(implied - avg.value) <= AVERAGE_ROUNDING + 1e-9, avg.cell)
        if total is not None and len(counts):
            top = float(counts.max())
            add("count_above_total", year, status, "Không tiêu chí nào có số xã đạt vượt tổng số xã",
                float(total.value), top, top <= total.value, total.cell)

    # new NTM communes of the year: previous actual + new = target
    d = tables.districts
    for (year, status), part in d.groupby(["year", "status"]):
        p, dist = part[_is_province(part.area_code)], part[~_is_province(part.area_code)]
        for indicator, text in (("new_ntm_communes", "Tổng số xã đạt chuẩn mới của các huyện = của tỉnh"),
                                ("jobs_added", "Tổng số lao động có việc làm tăng thêm của các huyện = của tỉnh")):
            pv = p[(p.indicator == indicator) & p.value.notna()]
            dv = dist[dist.indicator == indicator].value.dropna()
            if len(pv) and len(dv):
                s = float(dv.sum())
                add("districts_sum", year, status, text, float(pv.value.iloc[0]), s,
                    math.isclose(s, pv.value.iloc[0], abs_tol=1e-6), pv.cell.iloc[0])
        new = p[(p.indicator == "new_ntm_communes") & p.value.notna()]
        before = _value(prov, year - 1, "actual", "ntm_communes")
        after = _value(prov, year, status, "ntm_communes")
        if len(new) and before is not None and after is not None:
            s = float(before.value + new.value.iloc[0])
            add("ntm_cumulative", year, status,
                "Số xã đạt chuẩn năm trước + số xã đạt chuẩn mới = số xã đạt chuẩn lũy kế",
                float(after.value), s, s == after.value, after.cell)
    w = weighted_average(tables, reference)
    if w and not math.isnan(w["stated"]):
        add("weighted_average", w["year"], w["status"],
            "Bình quân tiêu chí/xã của các huyện, có trọng số là số xã = bình quân của tỉnh",
            w["stated"], w["weighted"], w["ok"], w["stated_cell"])

    for (year, status), fund in tables.funding.groupby(["year", "status"]):
        fund = fund[fund.amount_million_vnd.notna()]
        for parent, children in fund[fund.parent_code.notna()].groupby("parent_code"):
            prow = fund[fund.code == parent]
            if prow.empty:
                continue
            prow = prow.iloc[0]
            s = float(children.amount_million_vnd.sum())
            add("funding_sum", year, status, say("Các dòng con cộng lại = dòng «{name}»", name=prow.source),
                float(prow.amount_million_vnd), s, math.isclose(s, prow.amount_million_vnd, abs_tol=0.5),
                prow.cell)
        total = fund[fund.level == 0]
        leaves = fund[fund.is_leaf & (fund.level > 0)]
        if len(total) and len(leaves):
            s = float(leaves.amount_million_vnd.sum())
            add("funding_total", year, status, "Các dòng chi tiết cộng lại = Tổng cộng",
                float(total.amount_million_vnd.iloc[0]), s,
                math.isclose(s, total.amount_million_vnd.iloc[0], abs_tol=0.5), total.cell.iloc[0])
    return pd.DataFrame(rows, columns=RECONCILIATION_COLUMNS)


#: Plain Vietnamese for each kind of finding (the message keeps the details).
CHECK_TEXT_VI = {
    "weighted_average": "chỉ tiêu bình quân tiêu chí/xã giao cho các huyện không cộng lại thành chỉ tiêu của tỉnh",
    "average_criteria": "số tiêu chí bình quân/xã ghi trong biểu khác với số tính từ số xã đạt từng tiêu chí",
    "bands_sum": "các nhóm số tiêu chí không cộng lại thành tổng số xã",
    "ntm_vs_19": "số xã đạt chuẩn NTM khác số xã đạt đủ 19 tiêu chí",
    "districts_sum": "chỉ tiêu của các huyện không cộng lại thành chỉ tiêu của tỉnh",
    "funding_sum": "các dòng vốn con không cộng lại thành dòng cha",
    "funding_total": "các dòng vốn chi tiết không cộng lại thành Tổng cộng",
    "count_above_total": "một số đếm vượt quá tổng số xã",
    "all_missing": "mọi ô số liệu đều trống: biểu chưa được điền",
    "sha256": "tệp đã thay đổi sau khi tệp mô tả (sidecar) được ghi",
    "period_mismatch": "năm hoặc trạng thái ở tiêu đề cột không khớp với tệp mô tả",
    "conflict": "hai nguồn cho hai giá trị khác nhau của cùng một số liệu",
}
SEVERITY_VI = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin"}


def explain_finding(row: pd.Series | dict, tables: TidyTables | None = None,
                    reference: Reference | None = None) -> str:
    """One finding in plain Vietnamese, with its place (file › sheet!cell).

    The weighted-average finding gets the full arithmetic, computed from the
    tables; other kinds a sentence naming what does not add up, followed by the
    reader's own message (English)."""
    row = dict(row)
    where = " › ".join(x for x in (row.get("file", ""), row.get("sheet", "")) if x)
    if row.get("cell"):
        where += f"!{row['cell']}"
    head = f"**{SEVERITY_VI.get(row.get('severity'), row.get('severity'))}** ({where})"
    check = row.get("check", "")
    if check == "weighted_average" and tables is not None and reference is not None:
        w = weighted_average(tables, reference)
        if w:
            return head + ": " + weighted_average_sentence(w)
    text = CHECK_TEXT_VI.get(check)
    if text:
        return f"{head}: {text}. Chi tiết (của trình đọc): {row.get('message', '')}"
    return f"{head}: {row.get('message', '')}"


def weighted_average_sentence(w: dict) -> str:
    """The weighted-average check of Biểu 02 told with its figures."""
    if w["ok"]:
        return say("Bình quân có trọng số của các huyện ({weighted:n2} tiêu chí/xã) khớp với chỉ tiêu của tỉnh "
                   "({stated:n2}).", weighted=w["weighted"], stated=w["stated"])
    frame = w["districts"]
    low = frame.sort_values("avg_criteria").head(3)
    lows = ", ".join(say("{a} ({v:t2})", a=a, v=v) for a, v in zip(low.area, low.avg_criteria))
    if w["gap"] > 0:
        outcome = say("toàn tỉnh vẫn thiếu khoảng {v:n} lượt xã đạt tiêu chí so với mục tiêu của tỉnh",
                      v=w["criteria_short"])
    else:
        outcome = say("toàn tỉnh sẽ vượt mục tiêu của tỉnh khoảng {v:n} lượt xã đạt tiêu chí", v=-w["criteria_short"])
    return say(
        "{sheet} giao cho {n} huyện, thị xã, thành phố chỉ tiêu số tiêu chí bình quân/xã năm {year}. "
        "Lấy bình quân các chỉ tiêu đó theo số xã của từng đơn vị ({communes:n} xã) được **{weighted:n2}** "
        "tiêu chí/xã, trong khi tỉnh ghi **{stated:n2}** (ô {cell}): {direction} {gap:n2} tiêu chí/xã. "
        "Nếu mọi huyện đạt đúng chỉ tiêu của mình, {outcome}. Bình quân giản đơn (không trọng số) của các "
        "chỉ tiêu huyện là {simple:n2}. Các chỉ tiêu thấp nhất: {lows}.",
        sheet=str(w["stated_cell"]).rpartition("!")[0] or "Biểu chỉ tiêu huyện",
        n=len(frame), year=w["year"], communes=w["communes"], weighted=w["weighted"], stated=w["stated"],
        cell=w["stated_cell"], direction="thấp hơn" if w["gap"] > 0 else "cao hơn", gap=abs(w["gap"]),
        outcome=outcome, simple=float(frame.avg_criteria.mean()), lows=lows)


# ---------------------------------------------------------------------------
# Figures the narratives quote
# ---------------------------------------------------------------------------
#: Payers that are state budgets (funding_payers.csv ids).
BUDGET_PAYERS = ("central", "provincial", "district", "commune")


def province_figures(tables: TidyTables, year: int, status: str) -> dict[str, float]:
    """The province table's figures of one period: {indicator: value} (NaN if blank)."""
    p = tables.province
    part = p[(p.year == year) & (p.status == status)]
    return {str(i): (float(v) if pd.notna(v) else math.nan) for i, v in zip(part.indicator, part.value)}


def periods(tables: TidyTables) -> pd.DataFrame:
    """Which (year, status) periods each tidy table holds."""
    rows = []
    for name, frame in tables.items():
        if name in FROM_TEXT:  # the text's tables: shown by text_view, not here
            continue
        for (year, status), part in frame.groupby(["year", "status"]):
            rows.append({"table": name, "year": int(year), "status": status, "rows": len(part)})
    return pd.DataFrame(rows, columns=["table", "year", "status", "rows"])


def blank_cells(tables: TidyTables, reference: Reference | None = None) -> pd.DataFrame:
    """Every figure left blank in the source (kept missing, never 0), with what
    it is and, where the data tell why, a note."""
    rows = []
    for name, frame in tables.items():
        if name in FROM_TEXT:
            continue
        value = {"criteria": "communes", "commune_bands": "communes", "province": "value",
                 "districts": "value", "funding": "amount_million_vnd"}[name]
        for _, row in frame[frame[value].isna()].iterrows():
            what = {"criteria": lambda r: f"tiêu chí {r.criterion_id} ({r.criterion})",
                    "commune_bands": lambda r: f"nhóm {r.band} tiêu chí",
                    "province": lambda r: r.indicator,
                    "districts": lambda r: f"{r.area}: {r.indicator}",
                    "funding": lambda r: r.source}[name](row)
            note = ""
            if name == "districts" and row.indicator == "new_ntm_communes":
                same = frame[(frame.area_code == row.area_code) & (frame.year == row.year)
                             & (frame.status == row.status) & (frame.indicator == "avg_criteria")]
                if len(same) and same.value.iloc[0] >= 19:
                    note = say("chỉ tiêu bình quân {v:t2} tiêu chí/xã nghĩa là mọi xã của đơn vị đạt đủ tiêu chí, nên "
                               "có thể hiểu là không còn xã nào phải đạt chuẩn mới; nhưng văn bản không ghi số, "
                               "nên dữ liệu để trống (thiếu), không ghi 0", v=same.value.iloc[0])
            rows.append({"table": name, "year": int(row.year), "status": row.status, "what": what,
                         "cell": row.cell, "note": note})
    return pd.DataFrame(rows, columns=["table", "year", "status", "what", "cell", "note"])


def funding_summary(tables: TidyTables, reference: Reference, year: int, status: str = "target") -> dict:
    """Key funding figures of one period (million VND unless said otherwise):
    total, budget (state budgets: central, provincial, district, commune) and
    its share, the rest, per new NTM commune, per commune of the province."""
    from .analysis import funding_by_payer, funding_per_commune  # noqa: PLC0415

    period = (year, status)
    payers = funding_by_payer(tables.funding, reference, period=period)
    per = funding_per_commune(tables.funding, tables.districts, tables.province)
    per = per[(per.year == year) & (per.status == status)]
    if payers.empty or per.empty:
        return {}
    total = float(per.total_million_vnd.iloc[0])
    budget = float(payers[payers.payer.isin(BUDGET_PAYERS)].amount_million_vnd.sum())
    leaves = float(payers.amount_million_vnd.sum())
    communes = province_figures(tables, year, status).get("total_communes", math.nan)
    new = per.new_ntm_communes.iloc[0]
    return {"year": year, "status": status, "total": total, "leaves": leaves, "budget": budget,
            "budget_share": budget / leaves if leaves else math.nan, "other": leaves - budget,
            "other_share": (leaves - budget) / leaves if leaves else math.nan,
            "new_ntm_communes": float(new) if pd.notna(new) else math.nan,
            "per_new_ntm_commune": float(per.million_vnd_per_new_ntm_commune.iloc[0]),
            "communes": communes, "per_commune": total / communes if communes else math.nan,
            "payers": payers}


def ceiling_sentence(ceiling: pd.DataFrame, period: tuple[int, str]) -> str:
    """What caps the NTM communes of one period (``analysis.ntm_ceiling``), in words."""
    part = ceiling[(ceiling.year == period[0]) & (ceiling.status == period[1])]
    if part.empty:
        return ""
    first = part.iloc[0]
    binding, near = part[part.role == "binding"], part[part.role == "near"]
    near_text = say("Sát ngưỡng: {items}. ", items=", ".join(
        say("**{c}** {k:n} xã (hơn {d:n})", c=r.criterion, k=r.communes, d=r.above_ceiling)
        for r in near.itertuples())) if len(near) else ""
    head = say("Năm **{year}** ({status}): tiêu chí ràng buộc là {binding}, với **{c:n} xã** — số xã đạt chuẩn không "
               "thể vượt con số này. {near}",
               year=period[0], status="thực hiện" if period[1] == "actual" else "kế hoạch",
               binding=" và ".join(f"**{c}**" for c in binding.criterion), c=first.ceiling, near=near_text)
    verb = "thực tế" if period[1] == "actual" else "theo kế hoạch"
    if pd.isna(first.ntm_communes):
        return head + "Văn bản không ghi số xã đạt chuẩn của năm này."
    if first.headroom < 0:
        return head + say("Số xã đạt chuẩn {verb} là **{ntm:n}**, **vượt mức trần {h:n} xã**: không thể đạt nếu các "
                          "tiêu chí ràng buộc không tăng thêm.", verb=verb, ntm=first.ntm_communes, h=-first.headroom)
    return head + say("Số xã đạt chuẩn {verb} là **{ntm:n}**, còn dư địa **{h:n} xã**.", verb=verb,
                      ntm=first.ntm_communes, h=first.headroom)


def attainment_counts(attainment: pd.DataFrame, reference: Reference | None = None) -> dict:
    """How many district targets were met (``analysis.district_attainment``;
    districts only, pairs with both figures): totals, per indicator, per district."""
    part = attainment[~_is_province(attainment.area_code)].dropna(subset=["met"])
    if part.empty:
        return {"met": 0, "pairs": 0, "by_indicator": pd.DataFrame(), "by_area": pd.DataFrame()}
    met = part.assign(met=part.met.astype(bool))
    by_indicator = met.groupby("indicator", sort=False).met.agg(["sum", "count"]).reset_index()
    by_area = met.groupby(["area_code", "area"], sort=False).met.agg(["sum", "count"]).reset_index()
    by_area["share"] = by_area["sum"] / by_area["count"]
    return {"met": int(met.met.sum()), "pairs": len(met),
            "by_indicator": by_indicator.rename(columns={"sum": "met", "count": "pairs"}),
            "by_area": by_area.rename(columns={"sum": "met", "count": "pairs"})
                              .sort_values(["share", "area"], ascending=[False, True]).reset_index(drop=True)}
