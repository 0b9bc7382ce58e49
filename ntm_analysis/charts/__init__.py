"""Briefing figures: 16:9 slides (PNG 1920 × 1080 px and SVG with editable text),
Vietnamese by default (``lang="en"`` for English), in the house style
(``ntm.mplstyle``, Okabe–Ito colours, DejaVu Sans).

Every figure function takes analysis frames (``ntm_analysis.analysis``) or tidy
tables and returns a ``matplotlib.figure.Figure`` with a title, a subtitle that
states the finding (computed from the data), the unit and the source line;
``save_figure`` writes it. ``draw_all`` draws every figure that the data allows.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Mapping

import pandas as pd
from matplotlib.figure import Figure

from ..reference import Reference, is_province, load_reference
from .base import DPI, FIGSIZE, english_citation, figure_texts, house_style, label, save_figure
from .base import source_line as make_source_line
from .communes import commune_jobs, draw_communes
from .criteria import commune_bands, criteria_gaps, ntm_ceiling, plan_vs_actual_criteria
from .districts import district_attainment, district_targets
from .funding import funding_plan_vs_actual, funding_sources, mobilised_reported

__all__ = ["DPI", "FIGSIZE", "commune_bands", "commune_jobs", "criteria_gaps", "district_attainment",
           "district_targets", "draw_all", "english_citation", "figure_jobs", "figure_texts",
           "funding_plan_vs_actual", "funding_sources", "house_style", "make_source_line", "ntm_ceiling",
           "plan_vs_actual_criteria", "save_figure"]


def _table(tables, name: str) -> pd.DataFrame:
    return tables[name] if isinstance(tables, Mapping) else getattr(tables, name)


def _has(results: Mapping[str, pd.DataFrame], *names: str) -> bool:
    return all(name in results and not results[name].empty for name in names)


def draw_all(tables, results: Mapping[str, pd.DataFrame] | None, out_dir: Path, lang: str = "vi",
             source_line: str = "", illustrative: bool = False, reference: Reference | None = None,
             left_out: list[str] | None = None, sources: pd.DataFrame | None = None) -> list[Path]:
    """Draw and save every figure the data allows into ``out_dir``; return the files.

    ``tables``: the tidy tables (``TidyTables`` or a dict of frames); ``results``: the
    analyses keyed as ``analysis.run_all`` keys them (run here when ``None``).
    ``source_line``: printed at the foot of every figure, e.g. "Nguồn: Kế hoạch số
    05/KH-UBND ngày 12/01/2021 của UBND tỉnh Lào Cai" (``make_source_line`` builds it
    from the sidecar citations); when empty, the source ids of the tables are cited.
    ``illustrative``: mark every figure "Số liệu minh họa" / "Illustrative data".
    ``reference``: the reference the tables were read with (``build --reference``);
    names of criteria, districts and indicators come from it (the package's when None).
    ``left_out``: when given, receives one sentence (in ``lang``) per figure the data
    would call for but cannot honestly draw (results whose cells are all blank).
    ``sources``: the build's sources (source_id, citation, illustrative): each commune
    figure then cites, and is marked by, only the commune tables it draws.

    Stems: criteria_gaps, ntm_ceiling, commune_bands, district_targets,
    funding_sources; with results for a planned year also district_attainment,
    plan_vs_actual_criteria, funding_plan_vs_actual; with a commune table the
    commune figures (``charts.communes.draw_communes``).
    """
    paths: list[Path] = []
    for stem, draw in figure_jobs(tables, results, lang, source_line, illustrative, reference, left_out):
        paths += save_figure(draw(), stem, out_dir)
    if results and _has(results, "commune_readiness"):
        paths += draw_communes(tables, results, out_dir, lang=lang, source_line=source_line,
                               illustrative=illustrative, reference=reference, sources=sources)
    return paths


def figure_jobs(tables, results: Mapping[str, pd.DataFrame] | None, lang: str = "vi", source_line: str = "",
                illustrative: bool = False, reference: Reference | None = None,
                left_out: list[str] | None = None) -> list[tuple[str, Callable[[], Figure]]]:
    """The briefing figures the data allow, in briefing order, as (stem, draw)
    pairs: ``draw()`` makes the figure (arguments as for ``draw_all``; ``left_out``
    receives a sentence per figure left out because its results are all blank)."""
    reference = reference or load_reference()
    if results is None:
        from ..analysis import run_all  # noqa: PLC0415
        results = run_all(tables, reference)
    if not source_line:
        ids = sorted({str(s) for name in ("criteria", "districts", "funding")
                      for s in _table(tables, name)["source_id"].dropna()})
        source_line = f"{label('source_prefix', lang)} {', '.join(ids)}" if ids else label("source_unknown", lang)
    common = {"lang": lang, "source_line": source_line, "illustrative": illustrative, "reference": reference}
    jobs = []
    notes: list[str] = [] if left_out is None else left_out
    if _has(results, "criteria_gaps"):
        jobs.append(("criteria_gaps", lambda: criteria_gaps(results["criteria_gaps"], results.get("ntm_ceiling"),
                                                            **common)))
    if _has(results, "criteria_gaps", "ntm_ceiling"):
        jobs.append(("ntm_ceiling", lambda: ntm_ceiling(results["ntm_ceiling"], results["criteria_gaps"], **common)))
    if _has(results, "band_shift"):
        jobs.append(("commune_bands", lambda: commune_bands(results["band_shift"], **common)))
    if _has(results, "district_overview"):
        jobs.append(("district_targets", lambda: district_targets(results["district_overview"], **common)))
    if _has(results, "funding_by_payer") and results["funding_by_payer"]["amount_million_vnd"].notna().any():
        jobs.append(("funding_sources", lambda: funding_sources(results["funding_by_payer"],
                                                                results.get("funding_per_commune"), **common)))
    if _has(results, "district_attainment"):
        att = results["district_attainment"]
        latest = att[att["year"] == att["year"].max()]
        districts_known = latest[~is_province(latest["area_code"]) & latest["actual"].notna()]
        if len(districts_known):
            jobs.append(("district_attainment", lambda: district_attainment(att, **common)))
        else:
            notes.append(label("left_out_attainment", lang, year=int(att["year"].max())))
    if _has(results, "plan_vs_actual_criteria"):
        pva = results["plan_vs_actual_criteria"]
        if pva.loc[pva["year"] == pva["year"].max(), "actual"].notna().any():
            jobs.append(("plan_vs_actual_criteria", lambda: plan_vs_actual_criteria(pva, **common)))
        else:
            notes.append(label("left_out_pva_criteria", lang, year=int(pva["year"].max())))
    if _has(results, "funding_plan_vs_actual"):
        year, reported = mobilised_reported(_table(tables, "funding"))
        if reported:
            jobs.append(("funding_plan_vs_actual",
                         lambda: funding_plan_vs_actual(_table(tables, "funding"), **common)))
        elif year is not None:
            notes.append(label("left_out_funding_pva", lang, year=year))
    return jobs
