"""What the deck is built from: the processed tables, the analyses run on them,
the sources, the findings and the manifest (``load_deck_data``)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pandas as pd

from ... import pipeline, units
from ...reference import Reference, is_province
from ...tables.provinces import key_parts, one_province, province_of_interest, provinces_in, results_of
from ...tables.tidy import TidyTables
from ..charts import figure_sources
from ..charts.base import english_citation, label, source_line


# ----------------------------------------------------------------- data -----
@dataclass
class DeckData:
    """What the deck is built from: the processed tables, the analyses run on
    them, the sources, the validation findings and the manifest."""

    tables: TidyTables
    results: dict[str, pd.DataFrame]
    sources: pd.DataFrame
    validation: pd.DataFrame
    conflicts: pd.DataFrame
    manifest: dict
    reference: Reference = field(repr=False)
    #: With several provinces: ``province_overview`` of them all, their sources, and the
    #: province the deck is about (the one with the most sources); the other fields then
    #: hold that province's tables, analyses and sources only.
    overview: pd.DataFrame | None = None
    all_sources: pd.DataFrame | None = None
    province_code: str = ""
    #: For a province of the 2025 units: the plans of the 2021 provinces it was made from, each
    #: as the deck of that province alone would tell it (their history, after the new province's story).
    predecessors: list["DeckData"] = field(default_factory=list)

    @property
    def illustrative_ids(self) -> set[str]:
        flags = self.sources["illustrative"].astype(str).str.lower().isin(["true", "1"])
        return set(self.sources.loc[flags, "source_id"].astype(str))

    @property
    def several_sources(self) -> bool:
        """More than one source: cells are then named with their source id."""
        return len(self.sources) > 1

    @property
    def data_date(self) -> date:
        """The newest source document's date (the deck's date)."""
        dates = pd.to_datetime(self.sources["document_date"], errors="coerce").dropna()
        return dates.max().date() if len(dates) else date(2000, 1, 1)

    @property
    def cited(self) -> dict[str, str]:
        """How each source is cited, in the sources' order: its citation, else its file
        name (a source is never left out)."""
        return {str(r.source_id): (str(r.citation) if pd.notna(r.citation) and str(r.citation).strip() else
                                   str(r.file)) for r in self.sources.itertuples()} if len(self.sources) else {}

    def source_line(self, ids, lang: str = "vi") -> str:
        """The source line of a slide drawing the rows of the sources ``ids``, each named
        once, in the sources' order ("Nguồn: …"); the deck's line when ``ids`` is empty."""
        cited = self.cited
        wanted = {str(i) for i in ids}
        names = list(dict.fromkeys(c for i, c in cited.items() if i in wanted)) or list(dict.fromkeys(cited.values()))
        return source_line(names, lang) or label("source_unknown", lang)

    def citations(self, lang: str = "vi") -> list[str]:
        cited = [str(c) for c in self.sources["citation"].dropna() if str(c).strip()]
        return [english_citation(c) for c in cited] if lang == "en" else cited


def load_deck_data(processed_dir: Path, lang: str | None = None) -> DeckData:
    """The built project of ``processed_dir`` in ``lang`` (``pipeline.load``). With several
    provinces the deck is about the one with the most sources; ``overview`` holds them all."""
    loaded = pipeline.load(processed_dir, lang)
    tables, results, sources = loaded.tables, loaded.results, loaded.sources
    validation, conflicts = loaded.validation, loaded.conflicts
    overview, all_sources, main = None, None, ""
    codes = provinces_in(tables)
    if len(codes) > 1:
        main = province_of_interest(tables) or codes[0]
        overview, all_sources = results.get("province_overview"), sources
        tables, results = one_province(tables, main), results_of(results, main)
        timeline = loaded.results.get("province_timeline")
        if timeline is not None and not timeline.empty:  # keyed by the 2025 province: the one the deck's became
            olds = timeline["provinces_2021"].fillna("").astype(str).str.split(";")
            system, code = key_parts(main)
            mine = olds.map(lambda codes: code in [c.strip() for c in codes])
            new = {code} if system == "2025" else set(timeline.loc[mine, "province_code"]) or {code}
            results["province_timeline"] = timeline[timeline["province_code"].isin(new)].reset_index(drop=True)
        ids = {str(s) for _name, frame in tables.items() for s in frame["source_id"]}
        sources = sources[sources["source_id"].isin(ids)].reset_index(drop=True)
    if main and "file" in validation:  # the findings of the deck's province's files (and of no file)
        validation = validation[validation["file"].isin(set(sources["file"])) | (validation["file"] == "")]
    if main and "key" in conflicts:
        conflicts = _conflicts_of(conflicts, main)
    olds = []
    if key_parts(main)[0] == "2025":
        for old in units.predecessor_provinces(key_parts(main)[1]):
            part = one_province(loaded.tables, old) if old in codes else None
            if part is None or not any(len(getattr(part, name)) for name in PLAN_TABLES):
                continue
            ids = {str(s) for _name, frame in part.items() for s in frame["source_id"]}
            own = loaded.sources[loaded.sources["source_id"].isin(ids)].reset_index(drop=True)
            found = loaded.validation
            if "file" in found:
                found = found[found["file"].isin(set(own["file"])) | (found["file"] == "")]
            olds.append(DeckData(part, results_of(loaded.results, old), own, found,
                                 _conflicts_of(loaded.conflicts, old) if "key" in loaded.conflicts
                                 else loaded.conflicts, loaded.manifest, loaded.reference, None, None, old))
    return DeckData(tables, results, sources, validation, conflicts, loaded.manifest, loaded.reference, overview,
                    all_sources, main, olds)


#: The tables of a plan (not of a commune table): a predecessor with rows in one of them has a plan to tell.
PLAN_TABLES = ("criteria", "province", "districts", "funding")


def _conflicts_of(conflicts: pd.DataFrame, key: str) -> pd.DataFrame:
    """The conflicts of one province (``key``: its ``provinces.province_key``)."""
    system, code = key_parts(key)
    return conflicts[conflicts["key"].str.contains(f"province_code={code}, units={system},", regex=False)]


# -------------------------------------------------------- what is shown -----
def _periods(data: DeckData) -> tuple[tuple[int, str], tuple[int, str]] | None:
    gaps = data.results.get("criteria_gaps")
    if gaps is None or gaps.empty:
        return None
    row = gaps.iloc[0]
    return (int(row.base_year), str(row.base_status)), (int(row.compare_year), str(row.compare_status))


#: The analyses that compare a year's plan with its results (one row per year and line).
PLAN_VS_ACTUAL = ("plan_vs_actual_criteria", "district_attainment", "funding_plan_vs_actual")


def of_year(data: DeckData, year: int) -> DeckData:
    """``data`` seen as if ``year`` were the latest year with results: the plan-against-results
    analyses, Biểu 02 and Biểu 03 of that year alone, so that the plan-vs-actual figures, their
    notes and the sources they cite tell ``year`` (the deck's earlier comparisons)."""
    results = dict(data.results)
    for name in PLAN_VS_ACTUAL:
        frame = results.get(name)
        if frame is not None and "year" in frame:
            results[name] = frame[frame["year"] == year].reset_index(drop=True)
    t = data.tables
    tables = replace(t, districts=t.districts[t.districts["year"] == year].reset_index(drop=True),
                     funding=t.funding[t.funding["year"] == year].reset_index(drop=True))
    return replace(data, tables=tables, results=results)


def figure_is_illustrative(data: DeckData, stem: str) -> bool:
    """Whether a figure draws on rows of an illustrative source for a period it shows:
    for the briefing figures, the sources ``charts.figure_sources`` says they draw; for
    the national context, the province's rows (it shows every period of them)."""
    if stem == "national_context":
        return bool(set(data.tables.province["source_id"].astype(str)) & data.illustrative_ids)
    return bool(set(figure_sources(data.tables, data.results).get(stem, [])) & data.illustrative_ids)


def _province(data: DeckData, lang: str) -> tuple[str, str]:
    """The province's name for the title ("tỉnh Lào Cai" / "Lào Cai province")
    and for a legend ("Lào Cai"), from the province code of the district table
    (the gazetteer's names; the table's own name if the code is unknown)."""
    key = data.province_code or next(iter(provinces_in(data.tables)), "")  # one province: its key
    system, code = key_parts(key) if key else ("2021", "")
    if system == "2025":  # a province of the 2025 units: its name in the list of 2025
        full = units.province_name(code, "2025") or code
        en = units.province_name(code, "2025", "en") or full
        short = full.split(" ", 1)[1] if full.lower().startswith("tỉnh ") else full
        return (full[0].lower() + full[1:] if lang == "vi" else en), short
    d = data.tables.districts
    codes = [str(c) for c in d.area_code if len(str(c)) == 2]
    rows = data.reference.districts
    row = rows[rows.area_code == (codes[0] if codes else "")]
    if row.empty:
        prov = d[is_province(d.area_code.astype(str))]
        name = str(prov.area.iloc[0]) if len(prov) else ""
        return name, name
    full, en = str(row.area.iloc[0]), str(row.area_en.iloc[0])
    short = full.split(" ", 1)[1] if full.lower().startswith("tỉnh ") else full
    return (full[0].lower() + full[1:] if lang == "vi" else en), short
