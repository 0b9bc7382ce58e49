"""A project as the notebooks see it: the project ``build`` wrote into data/processed,
read back (``pipeline.load``), built first when data/raw changed since, and the actual
(results) figures, real or illustrative.

Inside a notebook::

    from ntm_analysis.notebooks.project import load_project
    project = load_project(raw_dir, processed_dir)

builds ``processed_dir`` from ``raw_dir`` when it is not built from the files as they are
now (``pipeline.is_built``), then loads it: the notebooks analyse what the build accepted,
never a second reading of the raw files. When no results source is in ``raw_dir``, the
*illustrative* example results of ``data/examples/`` are brought in, never silently:
``project.actuals`` says where the actual figures come from.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from .. import pipeline
from ..analysis import default_comparison, province_overview, run_all
from ..config import EXAMPLES_DIR, PROCESSED_DIR, RAW_DIR
from ..findings import Findings
from ..fingerprints import package_fingerprint
from ..i18n import _, current_language, names
from ..publishing.build import build
from ..publishing.cache import CACHE_DIR, SourceCache, read_context
from ..publishing.charts import FIGURES, cited_in, figure_sources, make_source_line
from ..publishing.outputs import value_labels
from ..reading.inputs import input_hashes, raw_files, read_all
from ..reading.metadata import SourceInfo, read_sidecar, sources_frame
from ..reading.sources import load_grids
from ..reference import load_reference
from ..tables.combine import combine
from ..tables.provinces import keys_of, one_province, province_of_interest, provinces_in, results_of
from ..tables.tidy import TidyTables
from .story import grid_frame

#: The label every figure or table drawn from example (not real) figures carries.
ILLUSTRATIVE_LABEL = "Số liệu minh họa"


@dataclass
class Actuals:
    """Where the actual (results) figures come from.

    ``origin`` is ``"raw"`` (a results source in the raw folder: real figures),
    ``"example"`` (the illustrative example of ``data/examples/``) or ``"none"``.
    ``illustrative`` is read from the sidecars, never assumed.
    """

    origin: str = "none"
    files: list[Path] = field(default_factory=list)
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    illustrative: bool = False
    years: list[int] = field(default_factory=list)
    #: The sidecar of each file (``metadata.read_sidecar``; ``illustrative`` comes from here).
    sidecars: list[SourceInfo] = field(default_factory=list)

    @property
    def tag(self) -> str:
        """"**[Số liệu minh họa]** " before every sentence quoting illustrative figures."""
        return f"**[{ILLUSTRATIVE_LABEL}]** " if self.illustrative else ""

    @property
    def available(self) -> bool:
        return self.origin != "none"

    @property
    def label(self) -> str:
        return ILLUSTRATIVE_LABEL if self.illustrative else ""


@dataclass
class BuiltSource:
    """One source as the build kept it: its sidecar's fields (``sources.csv``), its rows of
    the tidy tables and its findings (``validation.csv``); what ``reader.SourceRead`` is
    for a source just read."""

    info: SourceInfo
    tables: TidyTables
    findings: Findings

    @property
    def ok(self) -> bool:
        return not self.findings.errors


def _info(row: dict) -> SourceInfo:
    """A source's ``SourceInfo`` from its row of sources.csv (text as the CSV holds it)."""
    year = str(row.get("year", "")).strip()
    return SourceInfo(**{k: str(row.get(k, "")) for k in ("source_id", "file", "kind", "document_number",
                                                          "document_date", "issuer", "received_date", "citation",
                                                          "sha256")},
                      year=int(float(year)) if year else None, illustrative=bool(row.get("illustrative")),
                      has_sidecar=True)


def built_sources(loaded: pipeline.LoadedProject) -> list[BuiltSource]:
    """Each source of a loaded project, in the build's order, with its rows and findings."""
    findings = loaded.findings
    out = []
    for row in loaded.sources.to_dict("records"):
        info = _info(row)
        own = Findings()
        own.extend(f for f in findings if f.file == info.file)
        tables = TidyTables(**{name: frame[frame["source_id"] == info.source_id].reset_index(drop=True)
                               for name, frame in loaded.tables.items()})
        out.append(BuiltSource(info, tables, own))
    return out


@dataclass
class Project:
    """Everything a notebook shows: sources, findings, tidy tables, analyses."""

    raw_dir: Path
    processed_dir: Path
    reads: list  # BuiltSource (or reader.SourceRead when the build failed), one per raw source
    findings: Any  # Findings of every raw source (and of combining them)
    tables: Any  # TidyTables of the raw folder
    conflicts: pd.DataFrame
    reference: Any
    results: dict[str, pd.DataFrame]
    actuals: Actuals
    #: Tables and analyses with the actuals brought in (== tables/results when
    #: the actuals come from the raw folder or do not exist).
    tables_with_actuals: Any = None
    results_with_actuals: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: Set by :meth:`focus` when the raw folder holds several provinces:
    #: ``province_overview`` of them all, the sources of them all, and the province in focus.
    overview: pd.DataFrame | None = None
    all_sources: pd.DataFrame | None = None
    province_code: str = ""
    #: The build's manifest (empty when the build failed: nothing was written) and whether this
    #: load built it (data/raw changed since the last build).
    manifest: dict = field(default_factory=dict)
    built_now: bool = False
    reference_dir: Path | None = None

    @property
    def files(self) -> list[Path]:
        """The raw files read, one per source."""
        return [self.raw_dir / r.info.file for r in self.reads]

    def focus(self, code: str | None = None) -> "Project":
        """The project seen for one province. With several provinces in the raw folder:
        the tables, sources and analyses of ``code`` (None: of the provinces with a plan's
        Biểu 01, which the notebooks tell, the one with the most sources), with ``overview``
        (``analysis.province_overview`` of every province) and ``all_sources``; with one
        province (or none), the project as it is.
        A code the raw folder does not hold raises a readable ValueError."""
        codes = provinces_in(self.tables)
        if len(codes) <= 1:
            return self
        planned = set(keys_of(self.tables.criteria))  # the notebooks tell a plan: its province first
        code = code or province_of_interest(self.tables, among=planned) or codes[0]
        if code not in codes:
            raise ValueError(f"the raw data hold no province {code}; they hold {', '.join(codes)}: change "
                             f"province_code in the parameters cell")
        tables = one_province(self.tables, code)
        ids = {str(s) for _name, frame in tables.items() for s in frame["source_id"]}
        with_actuals = one_province(self.tables_with_actuals, code) if self.tables_with_actuals is not None \
            else None
        return replace(self, reads=[r for r in self.reads if r.info.source_id in ids], tables=tables,
                       results=results_of(self.results, code) if self.results else {},
                       tables_with_actuals=with_actuals,
                       results_with_actuals=run_all(with_actuals, self.reference)
                       if self.results_with_actuals and with_actuals is not None else {},
                       overview=self.results.get("province_overview", province_overview(self.tables, self.reference)),
                       all_sources=self.sources, province_code=code)

    @property
    def read_line(self) -> str:
        """Where the notebooks' tables come from, in the language in force."""
        if not self.manifest:
            return _("{raw} read afresh: the build found errors and wrote nothing to {processed}").format(
                raw=self.raw_dir, processed=self.processed_dir)
        line = _("the tables the build wrote to {folder} on {when}").format(folder=self.processed_dir,
                                                                             when=self.manifest.get("built_at", ""))
        return line + (_(" (built now: data/raw had changed)") if self.built_now else "")

    @property
    def sources(self) -> pd.DataFrame:
        return sources_frame(r.info for r in self.reads)

    @property
    def citation(self) -> str:
        return "; ".join(r.info.citation for r in self.reads if r.info.citation)

    @property
    def ok(self) -> bool:
        return not self.findings.errors

    def require_ok(self) -> "Project":
        """Stop (with the findings) when the raw folder has errors: the analyses
        would be built on incomplete tables. Notebook 01 shows them in full."""
        if self.findings.errors:
            raise ValueError(_("the raw data have errors; see notebook 01 or `ntm-analysis validate`:") + "\n"
                             + "\n".join(f.line() for f in self.findings.errors))
        return self

    def source_line(self, lang: str = "vi", actuals: bool = False, figure: str | None = None,
                    periods: list[tuple[int, str]] | None = None) -> str:
        """The "Nguồn: …" line of a chart: the raw sources' citations (a source without
        one by its file name), and with ``actuals`` the citations of the actuals' sources
        (an example says it is one). With ``figure`` (a briefing figure's name,
        ``charts.FIGURES``), only the sources whose rows that figure draws: in the
        periods it shows by default, or in ``periods`` ((year, status) pairs) when given."""
        cite = {r.info.source_id: str(r.info.citation or "").strip() or r.info.file for r in self.reads}
        if actuals and self.actuals.origin == "example":
            cite |= {info.source_id: info.citation or f"{ILLUSTRATIVE_LABEL}: {f.name}"
                     for info, f in zip(self.actuals.sidecars, self.actuals.files)}
        if figure is None:
            return make_source_line(list(cite.values()), lang)
        tables, results = ((self.tables_with_actuals or self.tables, self.results_with_actuals or self.results)
                           if actuals else (self.tables, self.results))
        ids = (cited_in(tables, FIGURES[figure].tables, {(int(y), str(t)) for y, t in periods})
               if periods is not None else figure_sources(tables, results).get(figure, []))
        order = {source_id: n for n, source_id in enumerate(cite)}  # the sources' own order
        return make_source_line([cite.get(i, i) for i in sorted(ids, key=lambda i: order.get(i, len(order)))], lang)


def example_results(examples_dir: Path = EXAMPLES_DIR) -> list[Path]:
    """The example results workbooks of ``examples_dir``: a sidecar of kind
    ``results`` saying ``illustrative: true`` (a file without one is ignored:
    examples must say they are examples)."""
    return examples_of(examples_dir, "results")


def examples_of(examples_dir: Path, kind: str) -> list[Path]:
    """The files of ``examples_dir`` whose sidecar is of ``kind`` and says ``illustrative: true``."""
    examples_dir = Path(examples_dir)
    if not examples_dir.is_dir():
        return []
    found = []
    for path in raw_files(examples_dir):
        info = read_sidecar(path, Findings())  # an unreadable sidecar: not an example
        if info.kind == kind and info.illustrative is True:
            found.append(path)
    return found


#: The folder, under the processed folder's cache, of the examples' reads (:func:`read_examples`).
EXAMPLES_CACHE = "examples"


def read_examples(paths: list[Path], processed_dir: Path, reference_dir: Path | None = None,
                  examples_dir: Path | str = EXAMPLES_DIR) -> list:
    """The reads of the example files ``paths`` (``reader.SourceRead``), kept as the build keeps
    a source's read (``publishing.cache``: the file's and its sidecar's sha256, the package,
    the reference folder, the language) in ``processed_dir/.cache/examples/``, so that a
    notebook reads an example once, not at every run. The entries of files no longer in
    ``examples_dir`` (or changed) are pruned; without a processed folder nothing is kept."""
    if not Path(processed_dir).is_dir():
        return read_all(paths, reference_dir)
    cache = SourceCache(Path(processed_dir) / CACHE_DIR / EXAMPLES_CACHE,
                        read_context(package_fingerprint(), reference_dir, current_language()))
    reads = read_all(paths, reference_dir, cache=cache)
    used = set(cache.keys.values())
    folders = [Path(examples_dir), *sorted(Path(examples_dir).rglob("*"))] if Path(examples_dir).is_dir() else []
    present = [p for folder in folders if folder.is_dir() for p in raw_files(folder)]
    hashes = input_hashes(present)
    cache.prune(used | {cache.key(p, hashes) for p in present})
    cache.commit()
    return reads


def load_project(raw_dir: Path | str = RAW_DIR, processed_dir: Path | str = PROCESSED_DIR,
                 examples_dir: Path | str | None = EXAMPLES_DIR, *, analyses: bool = True,
                 reference_dir: Path | str | None = None) -> Project:
    """The project of ``raw_dir`` as the build wrote it into ``processed_dir``: built first
    when it is not built from the files of ``raw_dir`` as they are now, with this package,
    reference and language (``pipeline.is_built``; the figures then go where the last build
    put them, none without one), then read back (``pipeline.load``). When the build finds
    errors it writes nothing: the project then holds the sources as read now, with their
    findings, and no analyses (notebook 01 shows them).

    Actual figures are taken from the raw folder when it holds a results
    source; otherwise from the illustrative example results of
    ``examples_dir`` (``None``: never); ``project.actuals`` records which.
    ``analyses`` False: no analyses (notebook 01)."""
    raw_dir, processed_dir = Path(raw_dir).resolve(), Path(processed_dir).resolve()
    ref_dir = Path(reference_dir) if reference_dir else None
    built_now = False
    if not pipeline.is_built(raw_dir, processed_dir, ref_dir):
        figures_dir = pipeline.last_figures_dir(processed_dir)
        result = build(raw_dir, processed_dir, figures_dir or processed_dir / "figures", figures=bool(figures_dir),
                       reference_dir=ref_dir)
        built_now = True
        if result.exit_code:  # nothing written: the sources as read now, with their findings
            run = result.run
            if run is None:  # no source at all, or no raw folder
                return Project(raw_dir, processed_dir, [], result.findings, TidyTables.empty(), pd.DataFrame(),
                               load_reference(ref_dir), {}, Actuals(), reference_dir=ref_dir)
            return Project(raw_dir, processed_dir, run.reads, run.findings, run.tables, run.conflicts,
                           load_reference(ref_dir), {}, Actuals(), run.tables, {}, reference_dir=ref_dir)
    loaded = pipeline.load(processed_dir)
    sources = built_sources(loaded)
    results = loaded.results if analyses else {}
    project = Project(raw_dir, processed_dir, sources, loaded.findings, loaded.tables, loaded.conflicts,
                      loaded.reference, results, Actuals(), loaded.tables, results, manifest=loaded.manifest,
                      built_now=built_now, reference_dir=ref_dir)
    real = [r for r in sources if r.info.kind == "results"]
    if real:
        project.actuals = Actuals("raw", [raw_dir / r.info.file for r in real],
                                  sources_frame(r.info for r in real),
                                  illustrative=any(r.info.illustrative for r in real),
                                  years=sorted({int(y) for r in real for y in r.tables.criteria.year}),
                                  sidecars=[r.info for r in real])
    elif examples_dir is not None and project.ok:
        examples = example_results(Path(examples_dir))
        ex_ok = [r for r in read_examples(examples, processed_dir, ref_dir, Path(examples_dir)) if r.ok]
        if ex_ok:
            project.tables_with_actuals, _conflicts = combine(sources + ex_ok, Findings())
            project.results_with_actuals = run_all(project.tables_with_actuals, loaded.reference) if analyses else {}
            project.actuals = Actuals("example", [Path(examples_dir).resolve() / r.info.file for r in ex_ok],
                                      sources_frame(r.info for r in ex_ok),
                                      illustrative=any(bool(r.info.illustrative) for r in ex_ok),
                                      years=sorted({int(y) for r in ex_ok for y in r.tables.criteria.year}),
                                      sidecars=[r.info for r in ex_ok])
    return project


def processed_status(project: Project) -> dict[str, str]:
    """Whether ``processed_dir`` holds a build of the raw files as they are now
    ("current"; "missing": the build found errors and wrote nothing) and when it was built."""
    if not project.manifest:
        return {"state": "missing", "built_at": ""}
    return {"state": "current", "built_at": project.manifest.get("built_at", "")}


def sheet_tables(project: Project, file: str, sheet: str, drop: tuple[str, ...] = ("source_id",)
                 ) -> dict[str, pd.DataFrame]:
    """The tidy rows read from one sheet of one raw file (by their ``cell``)."""
    read = next((r for r in project.reads if r.info.file == file), None)
    if read is None:
        return {}
    out = {}
    for name, frame in read.tables.items():
        part = frame[frame.cell.astype(str).str.startswith(f"{sheet}!")]
        if len(part):
            out[name] = part.drop(columns=[c for c in drop if c in part.columns]).reset_index(drop=True)
    return out


def raw_layout(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet of a raw workbook as a frame of its cells (see :func:`grid_frame`)."""
    return {g.sheet: grid_frame(g) for g in load_grids(Path(path), Findings())}


def resolve_periods(frame: pd.DataFrame, base_year: int | None, target_year: int | None,
                    base_status: str = "actual", target_status: str = "target"):
    """``((base_year, 'actual'), (target_year, 'target'))``, checked against the
    periods ``frame`` holds; ``None`` years are detected (latest target, the
    latest actual before it). A missing period raises a readable ValueError."""

    present = sorted({(int(y), str(s)) for y, s in zip(frame.year, frame.status)})
    if base_year is None or target_year is None:
        pair = default_comparison(frame)
        if pair is None:
            raise ValueError(_("cannot detect the years to compare; the data hold {periods}").format(
                periods=_periods(present)))
        base_year = base_year if base_year is not None else pair[0][0]
        target_year = target_year if target_year is not None else pair[1][0]
    base, compare = (int(base_year), base_status), (int(target_year), target_status)
    missing = [p for p in (base, compare) if p not in present]
    if missing:
        raise ValueError(_("the data hold no {missing}; they hold {periods}: change base_year/target_year in "
                           "the parameters cell").format(missing=_periods(missing), periods=_periods(present)))
    return base, compare


def resolve_year(frame: pd.DataFrame, year: int | None, status: str = "target") -> int:
    """``year`` checked against the years ``frame`` holds with ``status``
    (``None``: the latest); a missing year raises a readable ValueError."""
    years = sorted({int(y) for y, s in zip(frame.year, frame.status) if s == status})
    if not years:
        raise ValueError(_("the data hold no figures of the status {status}").format(status=_periods([(None, status)])))
    if year is None:
        return years[-1]
    if int(year) not in years:
        raise ValueError(_("the data hold no {missing}; they hold {periods}: change target_year in the parameters "
                           "cell").format(missing=_periods([(year, status)]), periods=_periods([(y, status)
                                                                                                for y in years])))
    return int(year)


def _periods(periods) -> str:
    """Periods for a message: "2020 (thực hiện) và 2021 (kế hoạch)" (a year of None: the status alone)."""

    words = value_labels(current_language())["status"]
    return names([words.get(s, s) if y is None else f"{y} ({words.get(s, s)})" for y, s in periods])


