"""A project as the notebooks see it: the raw folder read into tidy tables and
analyses, with every finding, the processed folder's state, and the actual
(results) figures, real or illustrative.

Inside a notebook::

    from ntm_analysis.project import load_project
    project = load_project(raw_dir, processed_dir)

reads every workbook of ``raw_dir`` (the single source of truth), combines
them, runs the analyses and, when no results source is in ``raw_dir``, brings
in the *illustrative* example results of ``data/examples/`` — never silently:
``project.actuals`` says where the actual figures come from.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .config import EXAMPLES_DIR, PROCESSED_DIR, RAW_DIR
from .findings import Findings
from .i18n import _, current_language, names, ngettext, num
from .metadata import SourceInfo, read_sidecar

#: The folder of ``processed_dir/.cache`` where the notebooks keep what they share (never the build's own).
NOTEBOOKS_CACHE = "notebooks"
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
class Project:
    """Everything a notebook shows: sources, findings, tidy tables, analyses."""

    raw_dir: Path
    processed_dir: Path
    files: list[Path]
    reads: list  # SourceRead, one per raw workbook
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
    #: The raw sources whose reads came from the build (``built_reads``: the build wrote them
    #: from these very files), and those read from ``raw_dir`` afresh (no build, or a build
    #: older than the file), by file name.
    from_build: list[str] = field(default_factory=list)
    read_afresh: list[str] = field(default_factory=list)
    #: The reference folder given to :func:`load_project` (None: the package's), and whether
    #: it took the reads the build keeps.
    reference_dir: Path | None = None
    use_build: bool = True

    def focus(self, code: str | None = None) -> "Project":
        """The project seen for one province. With several provinces in the raw folder:
        the tables, sources and analyses of ``code`` (None: the province with the most
        sources), with ``overview`` (``analysis.province_overview`` of every province)
        and ``all_sources``; with one province (or none), the project as it is.
        A code the raw folder does not hold raises a readable ValueError."""
        from dataclasses import replace  # noqa: PLC0415

        from .analysis import province_overview  # noqa: PLC0415
        from .provinces import one_province, province_of_interest, provinces_in  # noqa: PLC0415

        codes = provinces_in(self.tables)
        if len(codes) <= 1:
            return self
        code = code or province_of_interest(self.tables) or codes[0]
        if code not in codes:
            raise ValueError(f"the raw data hold no province {code}; they hold {', '.join(codes)}: change "
                             f"province_code in the parameters cell")
        tables = one_province(self.tables, code)
        ids = {str(s) for _name, frame in tables.items() for s in frame["source_id"]}
        with_actuals = one_province(self.tables_with_actuals, code) if self.tables_with_actuals is not None \
            else None
        return replace(self, reads=[r for r in self.reads if r.info.source_id in ids], tables=tables,
                       results=run_analyses(tables, self.reference) if self.results else {},
                       tables_with_actuals=with_actuals,
                       results_with_actuals=run_analyses(with_actuals, self.reference)
                       if self.results_with_actuals and with_actuals is not None else {},
                       overview=province_overview(self.tables, self.reference), all_sources=self.sources,
                       province_code=code)

    @property
    def read_line(self) -> str:
        """Where the raw sources were read from: the build's reads of them, or the files of
        ``raw_dir`` afresh (and why), in the language in force."""
        if not self.read_afresh:
            return ngettext("the source as the build read it ({folder}): it is unchanged since",
                            "all {n} sources as the build read them ({folder}): each is unchanged since",
                            len(self.from_build)).format(n=num(len(self.from_build)), folder=self.processed_dir)
        return _("{files} read afresh from {raw}: {processed} holds no read of them as they are now "
                 "(run `make build`)").format(files=names(self.read_afresh), raw=self.raw_dir,
                                               processed=self.processed_dir)

    @property
    def sources(self) -> pd.DataFrame:
        return pd.DataFrame([r.info.as_row() for r in self.reads])

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
        (an example says it is one). With ``figure`` (a briefing figure's stem,
        ``charts.FIGURE_TABLES``), only the sources whose rows that figure draws: in the
        periods it shows by default, or in ``periods`` ((year, status) pairs) when given."""
        from .charts import FIGURE_TABLES, cited_in, figure_sources, make_source_line  # noqa: PLC0415

        cite = {r.info.source_id: str(r.info.citation or "").strip() or r.info.file for r in self.reads}
        if actuals and self.actuals.origin == "example":
            cite |= {info.source_id: info.citation or f"{ILLUSTRATIVE_LABEL}: {f.name}"
                     for info, f in zip(self.actuals.sidecars, self.actuals.files)}
        if figure is None:
            return make_source_line(list(cite.values()), lang)
        tables, results = ((self.tables_with_actuals or self.tables, self.results_with_actuals or self.results)
                           if actuals else (self.tables, self.results))
        ids = (cited_in(tables, FIGURE_TABLES[figure], {(int(y), str(t)) for y, t in periods})
               if periods is not None else figure_sources(tables, results).get(figure, []))
        order = {source_id: n for n, source_id in enumerate(cite)}  # the sources' own order
        return make_source_line([cite.get(i, i) for i in sorted(ids, key=lambda i: order.get(i, len(order)))], lang)


def built_reads(processed_dir: Path, reference_dir: Path | None = None, kind: str = "") -> Any:
    """The reads the build keeps of each source (``cache.SourceCache`` under
    ``processed_dir/.cache``), keyed by the source's and its sidecar's sha256, the package,
    the reference and the language in force: a source changed since the build (or a build
    by other code, in another language) is simply not found there and is read afresh.
    ``kind`` "notebooks": what the notebooks keep for one another in ``.cache/notebooks``
    (the reads of the example sources, which the build never reads, and the analyses of
    a set of sources, see :func:`kept_analyses`). None when there is no processed folder."""
    from .cache import CACHE_DIR, SourceCache, read_context  # noqa: PLC0415
    from .inputs import package_fingerprint  # noqa: PLC0415

    processed_dir = Path(processed_dir)
    if not processed_dir.is_dir():
        return None
    root = processed_dir / CACHE_DIR / kind if kind else processed_dir / CACHE_DIR
    return SourceCache(root, read_context(package_fingerprint(), reference_dir, current_language()))


def _read_folder(files: list[Path], reference_dir: Path | None = None, cache: Any = None):
    """Read ``files`` (served from ``cache``, a ``cache.SourceCache``, where it holds them),
    combine them and check the results' coverage: (reads, findings, tables, conflicts)."""
    from .combine import combine  # noqa: PLC0415
    from .inputs import read_all  # noqa: PLC0415

    reads = read_all(files, reference_dir, cache=cache)
    findings = Findings()
    for read in reads:
        findings.extend(read.findings)
    tables, conflicts = combine([r for r in reads if r.ok], findings)
    from .coverage import check_results_coverage  # noqa: PLC0415
    check_results_coverage(tables, reads, findings)  # results for a year no plan covers: say so
    return reads, findings, tables, conflicts


def example_results(examples_dir: Path = EXAMPLES_DIR) -> list[Path]:
    """The example results workbooks of ``examples_dir``: a sidecar of kind
    ``results`` saying ``illustrative: true`` (a file without one is ignored:
    examples must say they are examples)."""
    from .inputs import raw_files  # noqa: PLC0415

    examples_dir = Path(examples_dir)
    if not examples_dir.is_dir():
        return []
    found = []
    for path in raw_files(examples_dir):
        info = read_sidecar(path, Findings())  # an unreadable sidecar: not an example
        if info.kind == "results" and info.illustrative is True:
            found.append(path)
    return found


def run_analyses(tables, reference) -> dict[str, pd.DataFrame]:
    """The package's analyses (``ntm_analysis.analysis.run_all``)."""
    from .analysis import run_all  # noqa: PLC0415

    return run_all(tables, reference)


def kept_analyses(tables, reference, cache: Any, keys: list[str]) -> dict[str, pd.DataFrame]:
    """``run_analyses(tables, reference)``, kept for the next notebook in ``cache`` (a
    ``built_reads(..., NOTEBOOKS_CACHE)``) under the keys of the sources the tables were
    combined from (``keys``: each source's cache key; the same sources read the same way
    give the same tables). Without a cache, or a key, they are computed."""
    if cache is None or not keys or None in keys:
        return run_analyses(tables, reference)
    from .cache import combined_key  # noqa: PLC0415

    entries = cache.entries("analyses")
    key = combined_key(cache.context, keys, "analyses")
    results = entries.load(key)
    if results is None:
        results = run_analyses(tables, reference)
        entries.store(key, results)
        keep_reads(entries)
    return results


#: The projects :func:`load_project` keeps in this process once :func:`remember_projects` is
#: on: by its arguments and the language, the project, the fingerprints of the files and
#: folders it read (``stamps.fingerprints``) and their paths.
_REMEMBERED: dict[tuple, tuple[Project, dict[str, str], list[str]]] = {}
_remember = False


def remember_projects(on: bool = True) -> None:
    """Have :func:`load_project` keep what it loads in this process and give it again (a copy)
    to a later call with the same arguments and language, as long as every file and folder
    listing of the raw, processed, examples and reference folders that it read is as it was
    (their sha256: never stale). The runner's kernels turn it on (``kernel.setup``): the
    notebooks a kernel executes one after another then load the project once."""
    global _remember
    _remember = on
    if not on:
        _REMEMBERED.clear()


def load_project(raw_dir: Path | str = RAW_DIR, processed_dir: Path | str = PROCESSED_DIR,
                 examples_dir: Path | str | None = EXAMPLES_DIR, *, analyses: bool = True,
                 reference_dir: Path | str | None = None, use_build: bool = True) -> Project:
    """Read ``raw_dir`` into tidy tables and analyses, and find the actuals (see
    :func:`_load_project`); with :func:`remember_projects` on, a project loaded before from
    the same files as they are now is given again (a deep copy: a notebook may change it)."""
    if not _remember:
        return _load_project(raw_dir, processed_dir, examples_dir, analyses=analyses,
                             reference_dir=reference_dir, use_build=use_build)
    import copy  # noqa: PLC0415
    import os  # noqa: PLC0415

    from .kernel import recording, tell_read  # noqa: PLC0415
    from .stamps import fingerprints  # noqa: PLC0415

    folders = [Path(f).resolve() for f in (raw_dir, processed_dir, examples_dir, reference_dir) if f is not None]
    key = (*(str(f) if f is not None else None for f in (Path(raw_dir).resolve(), Path(processed_dir).resolve(),
           Path(examples_dir).resolve() if examples_dir is not None else None,
           Path(reference_dir).resolve() if reference_dir else None)), analyses, use_build, current_language())
    kept = _REMEMBERED.get(key)
    if kept is not None and fingerprints(kept[2]) == kept[1]:  # (opening each again: a notebook's record sees it)
        project, _prints, reads = kept
        tell_read(reads)  # the paths it tried and found missing too
    else:
        roots = sorted({str(f) for f in folders} | {str(f) + os.sep for f in folders})
        with recording(roots) as reads:
            project = _load_project(raw_dir, processed_dir, examples_dir, analyses=analyses,
                                    reference_dir=reference_dir, use_build=use_build)
        _REMEMBERED[key] = (project, fingerprints(reads), sorted(reads))
    return copy.deepcopy(project, {id(project.reference): project.reference})


def _load_project(raw_dir: Path | str = RAW_DIR, processed_dir: Path | str = PROCESSED_DIR,
                  examples_dir: Path | str | None = EXAMPLES_DIR, *, analyses: bool = True,
                  reference_dir: Path | str | None = None, use_build: bool = True) -> Project:
    """Read ``raw_dir`` into tidy tables and analyses, and find the actuals.

    Each source is taken as the build read it (``built_reads``: the same tables and
    findings, without opening the workbook again) when ``processed_dir`` holds a read
    of the file as it is now; otherwise (no build, a source changed since, ``use_build``
    False) it is read from ``raw_dir``. ``project.read_line`` says which.

    Actual figures are taken from the raw folder when it holds a results
    source; otherwise from the illustrative example results of
    ``examples_dir`` (``None``: never); ``project.actuals`` records which.
    """
    from .inputs import raw_files  # noqa: PLC0415
    from .reference import load_reference  # noqa: PLC0415

    raw_dir, processed_dir = Path(raw_dir).resolve(), Path(processed_dir).resolve()
    ref_dir = Path(reference_dir) if reference_dir else None
    reference = load_reference(ref_dir)
    files = raw_files(raw_dir) if raw_dir.is_dir() else []
    built = built_reads(processed_dir, ref_dir) if use_build else None
    reads, findings, tables, conflicts = _read_folder(files, ref_dir, built)  # (the build's cache: never written)
    if raw_dir.is_dir():
        from .inputs import add_unread  # noqa: PLC0415
        add_unread(raw_dir, findings)  # every file not read, and why
    if not files:
        findings.add("error", "no_sources", _("no workbook (.xlsx) in {folder}").format(folder=raw_dir))
    shared = built_reads(processed_dir, ref_dir, NOTEBOOKS_CACHE) if use_build and analyses else None
    keys = [built.keys.get(f.name) for f in files] if built is not None else []
    results = kept_analyses(tables, reference, shared, keys) if analyses and not findings.errors else {}

    real = [r for r in reads if r.info.kind == "results" and r.ok]
    actuals = Actuals()
    tables_with, results_with = tables, results
    if real:
        actuals = Actuals("raw", [raw_dir / r.info.file for r in real],
                          pd.DataFrame([r.info.as_row() for r in real]),
                          illustrative=any(bool(r.info.illustrative) for r in real),
                          years=sorted({int(y) for r in real for y in r.tables.criteria.year}),
                          sidecars=[r.info for r in real])
    elif examples_dir is not None and not findings.errors:
        examples = example_results(Path(examples_dir))
        if examples:
            kept = shared if shared is not None else (  # (the notebooks' cache, opened once)
                built_reads(processed_dir, ref_dir, NOTEBOOKS_CACHE) if use_build else None)
            ex_reads = _read_folder(examples, ref_dir, kept)[0]
            keep_reads(kept)
            ex_ok = [r for r in ex_reads if r.ok]
            if ex_ok:
                from .combine import combine  # noqa: PLC0415

                tables_with, _conflicts = combine([r for r in reads if r.ok] + ex_ok, Findings())
                with_keys = keys + [kept.keys.get(Path(e).name) for e in examples] if kept is not None else []
                results_with = kept_analyses(tables_with, reference, kept, with_keys) if analyses else {}
                actuals = Actuals("example", [Path(examples_dir).resolve() / r.info.file for r in ex_ok],
                                  pd.DataFrame([r.info.as_row() for r in ex_ok]),
                                  illustrative=any(bool(r.info.illustrative) for r in ex_ok),
                                  years=sorted({int(y) for r in ex_ok for y in r.tables.criteria.year}),
                                  sidecars=[r.info for r in ex_ok])
    return Project(raw_dir, processed_dir, files, reads, findings, tables, conflicts, reference, results,
                   actuals, tables_with, results_with,
                   from_build=list(built.hits) if built is not None else [],
                   read_afresh=list(built.read) if built is not None else [f.name for f in files],
                   reference_dir=ref_dir, use_build=use_build)


def read_examples(project: Project, paths: list[Path]) -> list:
    """The reads (``reader.SourceRead``) of the example sources ``paths``, in that order, kept
    from one notebook to the next under ``project.processed_dir/.cache/notebooks`` (keyed like
    the build's, see :func:`built_reads`); read afresh when ``project.use_build`` is False."""
    from .inputs import read_all  # noqa: PLC0415

    kept = built_reads(project.processed_dir, project.reference_dir, NOTEBOOKS_CACHE) if project.use_build else None
    reads = read_all([Path(p) for p in paths], project.reference_dir, cache=kept)
    keep_reads(kept)
    return reads


def keep_reads(cache: Any) -> None:
    """Keep what was stored in ``cache`` (``built_reads(..., NOTEBOOKS_CACHE)``, or its ``entries``) for the next
    notebook: written atomically, none pruned (notebooks run side by side); a processed
    folder that cannot be written to only means reading them again next time."""
    if cache is None or not cache.pending:
        return
    cache.keep = None
    try:
        cache.commit()
    except OSError:
        pass


def processed_status(project: Project) -> dict[str, Any]:
    """Whether ``processed_dir`` was built from the raw files as they are now
    (its manifest's input hashes), and which tidy tables differ from a fresh read."""
    from .inputs import input_hashes  # noqa: PLC0415
    from .tidy import KEYS, TidyTables  # noqa: PLC0415

    manifest_path = project.processed_dir / "manifest.json"
    if not manifest_path.is_file():
        return {"state": "missing", "built_at": "", "differs": []}
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except ValueError:
        return {"state": "missing", "built_at": "", "differs": []}
    state = "current" if manifest.get("inputs") == input_hashes(project.files) else "stale"
    differs = []
    try:
        stored = TidyTables.read_csv(project.processed_dir)
        for name, fresh in project.tables.items():
            old = getattr(stored, name)
            cols = [c for c in fresh.columns if c in old.columns]
            a = fresh[cols].sort_values(KEYS[name]).reset_index(drop=True).astype(str)
            b = old[cols].sort_values(KEYS[name]).reset_index(drop=True).astype(str)
            if not a.equals(b):
                differs.append(name)
    except (OSError, ValueError, KeyError):
        differs = ["(unreadable)"]
    return {"state": state, "built_at": manifest.get("built_at", ""), "differs": differs}


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
    from .sources import load_grids  # noqa: PLC0415
    from .story import grid_frame  # noqa: PLC0415

    return {g.sheet: grid_frame(g) for g in load_grids(Path(path), Findings())}


def resolve_periods(frame: pd.DataFrame, base_year: int | None, target_year: int | None,
                    base_status: str = "actual", target_status: str = "target"):
    """``((base_year, 'actual'), (target_year, 'target'))``, checked against the
    periods ``frame`` holds; ``None`` years are detected (latest target, the
    latest actual before it). A missing period raises a readable ValueError."""
    from .analysis import default_comparison  # noqa: PLC0415

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
    from .outputs import value_labels  # noqa: PLC0415

    words = value_labels(current_language())["status"]
    return names([words.get(s, s) if y is None else f"{y} ({words.get(s, s)})" for y, s in periods])


