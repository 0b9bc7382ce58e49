"""Briefing figures: 16:9 slides (PNG 1920 × 1080 px and SVG with editable text),
Vietnamese by default (``lang="en"`` for English), in the house style
(``ntm.mplstyle``, Okabe–Ito colours, DejaVu Sans).

Every figure function takes analysis frames (``ntm_analysis.analysis``) or tidy
tables and returns a ``matplotlib.figure.Figure`` with a title, a subtitle that
states the finding (computed from the data), the unit and the source line;
``save_figure`` writes it. ``draw_all`` draws every figure that the data allows.
"""
from __future__ import annotations

import gc
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

import pandas as pd
from matplotlib.figure import Figure

from ...analysis import run_all
from ...analysis.common import default_period
from ...reading.metadata import citations
from ...reference import Reference, is_province, load_reference
from ...tables.tidy import VALUE_COLUMN
from .base import DPI, FIGSIZE, FORMATS, english_citation, figure_texts, house_style, label, save_figure
from .base import source_line as make_source_line
from .communes import commune_figure_jobs, commune_jobs
from .criteria import commune_bands, criteria_gaps, ntm_ceiling, plan_vs_actual_criteria
from .districts import district_attainment, district_targets
from .funding import funding_plan_vs_actual, funding_sources, mobilised_reported
from .timeline import province_timeline_chart, timeline_jobs

__all__ = ["DPI", "FIGSIZE", "FIGURES", "FIGURE_TABLES", "FigureRecord", "cited_in", "commune_bands", "commune_jobs",
           "criteria_gaps", "district_attainment", "district_targets", "draw_all", "draw_figures",
           "english_citation", "figure_is_illustrative", "figure_jobs", "figure_sources", "figure_texts",
           "funding_plan_vs_actual", "funding_sources", "house_style", "illustrative_sources", "make_source_line",
           "ntm_ceiling", "plan_vs_actual_criteria", "save_figure", "save_jobs"]

#: A figure to save: (stem, draw, save options) — ``save_figure(draw(), stem, folder, **options)``.
Job = tuple[str, Callable[[], Figure], dict]


def _table(tables, name: str) -> pd.DataFrame:
    return tables[name] if isinstance(tables, Mapping) else getattr(tables, name)


def _has(results: Mapping[str, pd.DataFrame], *names: str) -> bool:
    return all(name in results and not results[name].empty for name in names)


def draw_all(tables, results: Mapping[str, pd.DataFrame] | None, out_dir: Path, lang: str = "vi",
             source_line: str = "", illustrative: bool = False, reference: Reference | None = None,
             left_out: list[str] | None = None, sources: pd.DataFrame | None = None, workers: int = 1,
             meanwhile: Callable[[], None] | None = None) -> list[Path]:
    """Draw and save every figure the data allows into ``out_dir``; return the files.

    ``tables``: the tidy tables (``TidyTables`` or a dict of frames); ``results``: the
    analyses keyed as ``analysis.run_all`` keys them (run here when ``None``).
    ``source_line``: printed at the foot of every figure, e.g. "Nguồn: Kế hoạch số
    05/KH-UBND ngày 12/01/2021 của UBND tỉnh Lào Cai" (``make_source_line`` builds it
    from the sidecar citations); when empty, the source ids of the tables are cited.
    ``sources``: the build's sources (``sources.csv`` rows: source_id, file, citation,
    illustrative); when given, each figure cites only the sources whose rows it draws
    (see :func:`figure_sources`; by citation, else file name), each figure is marked
    illustrative only by the sources it draws (:func:`figure_is_illustrative`; a commune
    figure by the commune table it draws), and neither ``source_line`` nor ``illustrative``
    is used. ``illustrative``: mark every figure "Số liệu minh họa" / "Illustrative data".
    ``reference``: the reference the tables were read with (``build --reference``);
    names of criteria, districts and indicators come from it (the package's when None).
    ``left_out``: when given, receives one sentence (in ``lang``) per figure the data
    would call for but cannot honestly draw (results whose cells are all blank).
    ``workers``: processes drawing the figures at once (``save_jobs``; the files
    are the same bytes whatever the number). ``meanwhile``: work for this process
    while the workers draw (the build writes its tables), called once in any case.

    Stems: criteria_gaps, ntm_ceiling, commune_bands, district_targets,
    funding_sources; with results for a planned year also district_attainment,
    plan_vs_actual_criteria, funding_plan_vs_actual; with a commune table the
    commune figures (``charts.communes.commune_figure_jobs``).
    """
    cites = citations(sources) if sources is not None else None
    jobs: list[Job] = [(stem, draw, {}) for stem, draw in
                       figure_jobs(tables, results, lang, source_line, illustrative, reference, left_out, cites,
                                   illustrative_ids=illustrative_sources(sources) if sources is not None else None)]
    if results and _has(results, "commune_readiness"):  # each commune figure cites the commune rows it draws
        jobs += commune_figure_jobs(tables, results, lang=lang, source_line=source_line, illustrative=illustrative,
                                    reference=reference, sources=sources)
    if results and _has(results, "province_timeline"):  # the NTM share over the years, across the 2025 reform

        jobs += timeline_jobs(results, lang=lang, source_line=source_line, illustrative=illustrative,
                              reference=reference, sources=sources)
    return save_jobs(jobs, out_dir, workers, meanwhile=meanwhile)


#: The jobs of the ``save_jobs`` call under way: the forked workers inherit them
#: (a drawing function is a closure over the tables, which pickling cannot carry).
_PENDING: list[Job] = []


def _draw_and_save(job: Job, out_dir: Path, formats: tuple[str, ...]) -> tuple[list[Path], dict[str, str]]:
    """Draw one job's figure and save it; (paths, figure texts)."""
    stem, draw, options = job
    fig = draw()
    texts = figure_texts(fig)
    return save_figure(fig, stem, out_dir, formats=formats, **options), texts


def _save_pending(index: int, out_dir: Path, formats: tuple[str, ...]) -> tuple[list[Path], dict[str, str]]:
    """In a worker: job ``index`` of ``_PENDING`` (``_draw_and_save``)."""
    return _draw_and_save(_PENDING[index], out_dir, formats)


def draw_figures(jobs: list[Job], out_dir: Path, workers: int = 1, *, formats: tuple[str, ...] = FORMATS,
                 meanwhile: Callable[[], None] | None = None) -> list[tuple[list[Path], dict[str, str]]]:
    """Draw and save ``jobs`` ((stem, draw, save options), see ``draw_all``) into
    ``out_dir``, ``workers`` at a time; per job, in order, the files written and
    the figure's texts by gid (``figure_texts``: title, subtitle, …).

    With more than one worker the figures are drawn by processes forked from this
    one (the figure functions, tables and fonts come along without pickling). On a
    platform without ``fork``, or in a process running other threads (a Jupyter
    kernel: forking those is unsafe), they are drawn here, one after another. Each
    figure is drawn and saved by one process alone, exactly as a serial run does
    it, so the files are byte for byte the same. ``meanwhile`` runs here while the workers
    draw (before the figures when drawing serially); then this process draws the jobs
    that no worker has taken yet, the last first, while the workers take them from the
    front (the pool queues one job ahead of its workers), so that no core idles while
    a figure is left."""
    out_dir = Path(out_dir)
    workers = min(workers, len(jobs) + (meanwhile is not None))  # one job and ``meanwhile``: at once too
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        if meanwhile is not None:
            meanwhile()
        return [_draw_and_save(job, out_dir, formats) for job in jobs]
    global _PENDING
    _PENDING = list(jobs)
    gc.freeze()  # the objects made so far stay out of the workers' collections, which would copy their pages
    try:
        with ProcessPoolExecutor(min(workers, len(jobs)), mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_save_pending, i, out_dir, formats) for i in range(len(jobs))]
            if meanwhile is not None:
                meanwhile()
            here = {}  # then this process draws too: the jobs no worker has taken yet, from the last one back
            for i in reversed(range(len(jobs))):
                if futures[i].cancel():
                    here[i] = _draw_and_save(jobs[i], out_dir, formats)
            return [here[i] if i in here else f.result() for i, f in enumerate(futures)]
    finally:
        _PENDING = []
        gc.unfreeze()


def save_jobs(jobs: list[Job], out_dir: Path, workers: int = 1, *,
              meanwhile: Callable[[], None] | None = None) -> list[Path]:
    """Draw and save ``jobs`` into ``out_dir`` (``draw_figures``); the files, in job order."""
    return [p for paths, _ in draw_figures(jobs, out_dir, workers, meanwhile=meanwhile) for p in paths]


def figure_jobs(tables, results: Mapping[str, pd.DataFrame] | None, lang: str = "vi", source_line: str = "",
                illustrative: bool = False, reference: Reference | None = None,
                left_out: list[str] | None = None, sources: Mapping[str, str] | None = None,
                illustrative_ids: set[str] | None = None) -> list[tuple[str, Callable[[], Figure]]]:
    """The briefing figures the data allow, in briefing order, as (stem, draw)
    pairs: ``draw()`` makes the figure (arguments as for ``draw_all``; ``left_out``
    receives a sentence per figure left out because its results are all blank;
    with ``sources``, each figure's source line names the sources it draws; with
    ``illustrative_ids``, a figure is marked illustrative when it draws rows of one of
    those sources, :func:`figure_is_illustrative`, and ``illustrative`` is not used)."""
    reference = reference or load_reference()
    if results is None:
        results = run_all(tables, reference)
    if not source_line:
        ids = sorted({str(s) for name in ("criteria", "districts", "funding")
                      for s in _table(tables, name)["source_id"].dropna()})
        source_line = f"{label('source_prefix', lang)} {', '.join(ids)}" if ids else label("source_unknown", lang)
    common = {"lang": lang, "source_line": source_line, "illustrative": illustrative, "reference": reference}
    drawn = figure_sources(tables, results) if sources is not None or illustrative_ids is not None else {}

    def cite(stem: str) -> dict:
        """The arguments of figure ``stem``: with ``sources``, its own source line; with
        ``illustrative_ids``, its own mark."""
        own = {} if sources is None else {"source_line": _line(sources, drawn.get(stem, []), lang)}
        if illustrative_ids is not None:
            own["illustrative"] = figure_is_illustrative(stem, drawn, illustrative_ids)
        return common | own
    jobs = []
    notes: list[str] = [] if left_out is None else left_out
    if _has(results, "criteria_gaps"):
        jobs.append(("criteria_gaps", lambda: criteria_gaps(results["criteria_gaps"], results.get("ntm_ceiling"),
                                                            **cite("criteria_gaps"))))
    if _has(results, "criteria_gaps", "ntm_ceiling"):
        jobs.append(("ntm_ceiling", lambda: ntm_ceiling(results["ntm_ceiling"], results["criteria_gaps"],
                                                        **cite("ntm_ceiling"))))
    if _has(results, "band_shift"):
        jobs.append(("commune_bands", lambda: commune_bands(results["band_shift"], **cite("commune_bands"))))
    if _has(results, "district_overview"):
        jobs.append(("district_targets", lambda: district_targets(results["district_overview"],
                                                                  **cite("district_targets"))))
    if _has(results, "funding_by_payer") and results["funding_by_payer"]["amount_million_vnd"].notna().any():
        jobs.append(("funding_sources", lambda: funding_sources(results["funding_by_payer"],
                                                                results.get("funding_per_commune"),
                                                                **cite("funding_sources"))))
    if _has(results, "district_attainment"):
        att = results["district_attainment"]
        latest = att[att["year"] == att["year"].max()]
        districts_known = latest[~is_province(latest["area_code"]) & latest["actual"].notna()]
        if len(districts_known):
            jobs.append(("district_attainment", lambda: district_attainment(att, **cite("district_attainment"))))
        else:
            notes.append(label("left_out_attainment", lang, year=int(att["year"].max())))
    if _has(results, "plan_vs_actual_criteria"):
        pva = results["plan_vs_actual_criteria"]
        if pva.loc[pva["year"] == pva["year"].max(), "actual"].notna().any():
            jobs.append(("plan_vs_actual_criteria",
                         lambda: plan_vs_actual_criteria(pva, **cite("plan_vs_actual_criteria"))))
        else:
            notes.append(label("left_out_pva_criteria", lang, year=int(pva["year"].max())))
    if _has(results, "funding_plan_vs_actual"):
        year, reported = mobilised_reported(_table(tables, "funding"))
        if reported:
            jobs.append(("funding_plan_vs_actual",
                         lambda: funding_plan_vs_actual(_table(tables, "funding"), **cite("funding_plan_vs_actual"))))
        elif year is not None:
            notes.append(label("left_out_funding_pva", lang, year=year))
    return jobs


def _frame_periods(frame: pd.DataFrame | None) -> set[tuple[int, str]]:
    """The (year, status) periods an analysis frame shows (its year/status columns,
    base_ and compare_ ones included)."""
    out: set[tuple[int, str]] = set()
    if frame is None or frame.empty:
        return out
    for prefix in ("", "base_", "compare_"):
        year, status = f"{prefix}year", f"{prefix}status"
        if year in frame and status in frame:
            out |= {(int(y), str(t)) for y, t in zip(frame[year], frame[status]) if not pd.isna(y)}
    return out


def _latest_year(frame: pd.DataFrame | None) -> set[tuple[int, str]]:
    """Target and actual of the latest year of a plan-vs-actual frame."""
    if frame is None or frame.empty:
        return set()
    year = int(frame["year"].max())
    return {(year, "target"), (year, "actual")}


def _shown_in(result: str) -> Callable[[object, Mapping[str, pd.DataFrame]], set[tuple[int, str]]]:
    """The periods a figure shows: those of the analysis ``result`` it draws."""
    return lambda tables, results: _frame_periods(results.get(result))


def _latest_of(result: str) -> Callable[[object, Mapping[str, pd.DataFrame]], set[tuple[int, str]]]:
    """The periods a plan-vs-actual figure shows: target and actual of its latest year."""
    return lambda tables, results: _latest_year(results.get(result))


def _funding_plan(tables, results) -> set[tuple[int, str]]:
    funding = _table(tables, "funding")
    plan = default_period(funding) if not funding.empty else None
    return {tuple(plan)} if plan else set()


def _funding_reported(tables, results) -> set[tuple[int, str]]:
    funding = _table(tables, "funding")
    year, _reported = mobilised_reported(funding) if not funding.empty else (None, False)
    return {(year, "target"), (year, "actual")} if year is not None else set()


@dataclass(frozen=True)
class FigureRecord:
    """One briefing figure, declared once: its name (the files' stem), the tidy tables whose
    rows it draws, the periods it shows (``periods(tables, results)`` -> {(year, status)}),
    and its drawing function. It cites, and is marked illustrative by, only the sources of
    the rows of ``tables`` with a value in those periods (:func:`figure_sources`)."""

    name: str
    tables: tuple[str, ...]
    periods: Callable[[object, Mapping[str, pd.DataFrame]], set[tuple[int, str]]]
    draw: Callable[..., Figure]


#: The briefing figures, in briefing order (the commune figures: ``charts.communes``, each
#: job with the commune table it draws; the national context and ranking: the deck, the build;
#: ``province_timeline``: drawn per 2025 province by ``charts.timeline.timeline_jobs``).
FIGURES: dict[str, FigureRecord] = {f.name: f for f in (
    FigureRecord("criteria_gaps", ("criteria",), _shown_in("criteria_gaps"), criteria_gaps),
    FigureRecord("ntm_ceiling", ("criteria", "province"), _shown_in("criteria_gaps"), ntm_ceiling),
    FigureRecord("commune_bands", ("commune_bands",), _shown_in("band_shift"), commune_bands),
    FigureRecord("district_targets", ("districts",), _shown_in("district_overview"), district_targets),
    FigureRecord("funding_sources", ("funding",), _funding_plan, funding_sources),
    FigureRecord("district_attainment", ("districts",), _latest_of("district_attainment"), district_attainment),
    FigureRecord("plan_vs_actual_criteria", ("criteria",), _latest_of("plan_vs_actual_criteria"),
                 plan_vs_actual_criteria),
    FigureRecord("funding_plan_vs_actual", ("funding",), _funding_reported, funding_plan_vs_actual),
    FigureRecord("province_timeline", ("commune_criteria",), _shown_in("province_timeline"),
                 province_timeline_chart),
)}

#: The tidy tables each figure draws its figures from (:data:`FIGURES`).
FIGURE_TABLES: dict[str, tuple[str, ...]] = {name: f.tables for name, f in FIGURES.items()}


def cited_in(tables, names: tuple[str, ...], periods: set[tuple[int, str]] | None) -> list[str]:
    """The source_id of the rows of ``names`` with a value (blank cells draw nothing) in
    ``periods`` (None: every period), in the order they first appear."""
    ids: dict[str, None] = {}
    for name in names:
        frame = _table(tables, name)
        if frame is None or frame.empty:
            continue
        frame = frame[frame[VALUE_COLUMN[name]].notna()]
        if periods is not None:
            keys = pd.Series([(int(y), str(t)) for y, t in zip(frame["year"], frame["status"])], index=frame.index,
                             dtype=object)
            frame = frame[keys.isin(periods)]
        ids.update(dict.fromkeys(str(s) for s in frame["source_id"].dropna()))
    return list(ids)


def figure_sources(tables, results: Mapping[str, pd.DataFrame]) -> dict[str, list[str]]:
    """For each briefing figure (by name), the source_id of the rows it draws: the rows
    of its tables in the periods it shows (:data:`FIGURES`). A 2020→2021 chart does not
    cite a report on 2022."""
    return {name: cited_in(tables, f.tables, f.periods(tables, results)) for name, f in FIGURES.items()}


def illustrative_sources(sources: pd.DataFrame) -> set[str]:
    """The source_id of the sources (``sources.csv`` rows) whose sidecar says ``illustrative``
    (a bool, or its text as read from the CSV)."""
    if not len(sources) or "illustrative" not in sources:
        return set()
    flags = sources["illustrative"].astype(str).str.lower().isin(["true", "1"])
    return set(sources.loc[flags, "source_id"].astype(str))


def figure_is_illustrative(name: str, drawn: Mapping[str, list[str]], illustrative_ids: set[str]) -> bool:
    """Whether figure ``name`` draws rows of an illustrative source (``drawn``: what
    :func:`figure_sources` gives; ``illustrative_ids``: the source_id of the sources whose
    sidecar says ``illustrative``). A figure is never marked for a source it does not draw."""
    return bool(set(drawn.get(name, [])) & set(illustrative_ids))


def _line(sources: Mapping[str, str], ids: list[str], lang: str) -> str:
    """The source line naming ``ids`` as ``sources`` cites them (a source without a
    citation by its name: never dropped)."""
    order = {source_id: n for n, source_id in enumerate(sources)}  # the sources' own order (plan, then results)
    ids = sorted(ids, key=lambda i: order.get(i, len(order)))
    return make_source_line([sources.get(i) or i for i in ids], lang) or label("source_unknown", lang)
