"""What the notebooks explain about the source itself: every reconciliation
(passing or not) with its stated and computed figures, the districts' weighted
average of criteria, and each validation finding in plain Vietnamese.

The reconciliations are the rows of the one engine (``reconcile.py``), passing
or not; this module puts them into words and never recomputes them.
"""
from __future__ import annotations

import math

import pandas as pd

from ..analysis import district_overview, implied_province_average
from ..checks.reconcile import reconcile
from ..i18n import N_, _
from ..reference import Reference, is_province
from ..tables.tidy import FROM_TEXT, VALUE_COLUMN, TidyTables
from .story import say

RECONCILIATION_COLUMNS = ["check", "year", "status", "description", "stated", "computed", "difference",
                          "ok", "cell"]


def weighted_average(tables: TidyTables, reference: Reference, year: int | None = None,
                     status: str = "target") -> dict:
    """The districts' average-criteria figures weighted by their communes, against
    the province's stated average (Biểu 02), with the districts' rows.

    The comparison (``weighted``, ``stated``, ``stated_cell``, ``ok``) is the
    ``weighted_average`` row of the reconciliation engine (``reconcile.py``); the
    districts' rows come from ``analysis.district_overview`` /
    ``implied_province_average``. Returns ``{"year", "status", "districts":
    frame(area_code, area, communes, avg_criteria, criteria_met, weight),
    "communes", "weighted", "stated", "stated_cell", "gap", "criteria_short",
    "ok"}``; ``gap`` = stated − weighted (criteria per commune); ``criteria_short``
    = gap × communes, the criteria still to be met somewhere for the districts'
    targets to add up to the province's. Empty dict without data.
    """
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
    engine = reconcile(tables, reference, scopes=("tables",))
    row = engine[(engine.check == "weighted_average") & (engine.year == year) & (engine.status == status)]
    if len(row):  # the engine's comparison
        weighted, stated = float(row.computed.iloc[0]), float(row.stated.iloc[0])
        ok = bool(row.ok.fillna(False).iloc[0])
        cell = str(row.cells.iloc[0]).split("; ")[0]
    else:  # nothing to compare with: the province states no average
        weighted, stated, ok, cell = float(first.implied_average), math.nan, True, ""
    gap = stated - weighted
    return {"year": int(year), "status": status, "districts": frame, "communes": int(first.communes),
            "weighted": weighted, "stated": stated, "stated_cell": cell,
            "gap": gap, "criteria_short": gap * int(first.communes), "ok": ok}


#: What each reconciliation of the tables compares (``check`` or ``check:indicator``; gettext ids,
#: translated at use; ``{...}``: fields of the tidy row of its first cell, e.g. the parent line's ``source``).
RECONCILIATION_TEXT = {
    "bands_sum": N_("The bands of communes by criteria met add up to the total communes"),
    "count_above_total": N_("No count of communes (a band of criteria, the NTM communes, a district's new NTM "
                            "communes) exceeds the communes it belongs to"),
    "ntm_vs_19": N_("NTM communes = communes meeting all 19 criteria"),
    "average_criteria": N_("Average criteria per commune = the communes meeting each criterion, summed, ÷ the "
                           "total communes"),
    "funding_sum": N_("The lines under it add up to the line «{source}»"),
    "funding_total": N_("The detailed lines add up to the total"),
    "districts_sum:new_ntm_communes": N_("The districts' new NTM communes add up to the province's"),
    "districts_sum:jobs_added": N_("The districts' additional workers employed add up to the province's"),
    "ntm_cumulative": N_("NTM communes of the year before + new NTM communes = NTM communes (cumulative)"),
    "weighted_average": N_("The districts' average criteria per commune, weighted by their communes = the "
                           "province's average"),
}


def _describe(check: str, indicator: object, first: dict) -> str:
    text = RECONCILIATION_TEXT.get(f"{check}:{indicator}") or RECONCILIATION_TEXT.get(check)
    if not text:
        return check
    text = _(text)
    try:
        return say(text, **first)
    except KeyError:  # the row of its first cell was not found: the text without the name
        return text.replace(" «{source}»", "")


def reconciliations(tables: TidyTables, reference: Reference) -> pd.DataFrame:
    """Every reconciliation of the period figures, one row each, holding or not:
    the rows of the engine (``reconcile.reconcile``, scope ``tables``) put into
    words: ``stated`` (the figure printed), ``computed`` (from its parts),
    ``difference`` = computed − stated, ``ok`` (NA: could not be compared, a part
    being blank), ``cell`` (the places), ``description`` (current language)."""
    engine = reconcile(tables, reference, scopes=("tables",))
    engine = engine[engine.year.notna()]  # checks on the whole source (all_missing) are no reconciliation
    at = {(str(r["source_id"]), str(r["cell"])): r for _name, frame in tables.items()
          for r in frame.to_dict("records")}
    rows = []
    for r in engine.itertuples(index=False):
        first = at.get((r.source_id.split("; ")[0], r.cells.split("; ")[0]), {})
        rows.append({"check": r.check, "year": int(r.year), "status": r.status,
                     "description": _describe(r.check, r.indicator, first), "stated": r.stated,
                     "computed": r.computed, "difference": r.computed - r.stated, "ok": r.ok, "cell": r.cells})
    frame = pd.DataFrame(rows, columns=RECONCILIATION_COLUMNS)
    frame["ok"] = pd.array(frame["ok"], dtype="boolean")
    return frame


#: Each kind of finding in plain words (message ids; the finding's message keeps the details).
CHECK_TEXT = {
    "weighted_average": N_("the districts' average-criteria targets do not add up to the province's target"),
    "average_criteria": N_("the average criteria per commune stated in the table differs from the one computed from "
                           "the communes meeting each criterion"),
    "bands_sum": N_("the criteria bands do not add up to all communes"),
    "ntm_vs_19": N_("the NTM communes differ from the communes meeting all 19 criteria"),
    "districts_sum": N_("the districts' targets do not add up to the province's"),
    "funding_sum": N_("the funding lines under a line do not add up to it"),
    "funding_total": N_("the detailed funding lines do not add up to the total"),
    "count_above_total": N_("a count exceeds the communes it belongs to"),
    "ntm_cumulative": N_("the NTM communes of the year before plus the new ones differ from the year's NTM "
                         "communes"),
    "all_missing": N_("every figure is blank: the tables were not filled in"),
    "sha256": N_("the file changed after its sidecar was written"),
    "period_mismatch": N_("a column header's year or status does not match the sidecar"),
    "conflict": N_("two sources give two different values of the same figure"),
}
#: The severities as a reader reads them (message ids).
SEVERITY_TEXT = {"error": N_("Error"), "warning": N_("Warning"), "info": N_("Information")}


def explain_finding(row: pd.Series | dict, tables: TidyTables | None = None,
                    reference: Reference | None = None) -> str:
    """One finding in plain words (the current language), with its place (file › sheet!cell).

    The weighted-average finding gets the full arithmetic, computed from the
    tables (in Vietnamese); other kinds a sentence naming what does not add up,
    followed by the finding's own message; an info line (a check that holds) its message."""
    row = dict(row)
    where = " › ".join(x for x in (row.get("file", ""), row.get("sheet", "")) if x)
    if row.get("cell"):
        where += f"!{row['cell']}"
    severity = SEVERITY_TEXT.get(row.get("severity"))
    head = f"**{_(severity) if severity else row.get('severity')}** ({where})"
    check = row.get("check", "")
    if row.get("severity") == "info":
        return f"{head}: {row.get('message', '')}"
    if check == "weighted_average" and tables is not None and reference is not None:
        w = weighted_average(tables, reference)
        if w:
            return head + ": " + weighted_average_sentence(w)
    text = CHECK_TEXT.get(check)
    if text:
        return _("{head}: {what}. Details: {message}").format(head=head, what=_(text),
                                                             message=row.get("message", ""))
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


def periods(tables: TidyTables) -> pd.DataFrame:
    """Which (year, status) periods each tidy table holds."""
    rows = []
    for name, frame in tables.items():
        if name in FROM_TEXT:  # the text's tables: shown by text_view, not here
            continue
        for (year, status), part in frame.groupby(["year", "status"]):
            rows.append({"table": name, "year": int(year), "status": status, "rows": len(part)})
    return pd.DataFrame(rows, columns=["table", "year", "status", "rows"])


#: What a blank figure of each appendix table is, in words. A commune table's blanks are no
#: missing figure: a criterion not assessed, a commune not (yet) recognised (notebook 05).
_BLANK_WHAT = {"criteria": lambda r: f"tiêu chí {r.criterion_id} ({r.criterion})",
               "commune_bands": lambda r: f"nhóm {r.band} tiêu chí",
               "province": lambda r: r.indicator,
               "districts": lambda r: f"{r.area}: {r.indicator}",
               "funding": lambda r: r.source}


def blank_cells(tables: TidyTables, reference: Reference | None = None) -> pd.DataFrame:
    """Every figure left blank in the source's appendix tables (kept missing, never 0),
    with what it is and, where the data tell why, a note."""
    rows = []
    for name, frame in tables.items():
        if name not in _BLANK_WHAT:
            continue
        value = VALUE_COLUMN[name]
        for _i, row in frame[frame[value].isna()].iterrows():
            what = _BLANK_WHAT[name](row)
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


def attainment_counts(attainment: pd.DataFrame, reference: Reference | None = None) -> dict:
    """How many district targets were met (``analysis.district_attainment``;
    districts only, pairs with both figures): totals, per indicator, per district."""
    part = attainment[~is_province(attainment.area_code)].dropna(subset=["met"])
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
