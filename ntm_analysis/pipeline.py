"""The pipeline, assembled once: ``run`` takes the files of data/raw through every stage
(read → combine → checks → analyses) and ``build`` writes what it returns; ``load`` reads
a built project back from data/processed, the interface of everything downstream (the
notebooks, the deck).

    run(files)            read each source (kept per source in data/processed/.cache),
                          check the sidecars' source_id are distinct, combine, check the
                          results' coverage and the commune tables, run the analyses
    load(processed_dir)   the tidy tables with their dtypes (``schemas.TABLES``), the
                          analyses with the dtypes the build recorded in the manifest,
                          validation, sources, conflicts and the manifest
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from . import __version__
from .analysis import run_all
from .analysis.commune_results import commune_results
from .checks.reconcile import as_findings, reconcile
from .config import OFFICE_CHANGES_FILE
from .findings import COLUMNS as FINDING_COLUMNS
from .findings import Finding, Findings
from .fingerprints import package_fingerprint
from .i18n import DEFAULT_LANG, _, current_language
from .i18n import names as i18n_names
from .publishing.cache import SourceCache, combined_key
from .reading.inputs import input_hashes, raw_files, read_all
from .reading.metadata import sources_frame
from .reading.ocr_corrections import apply_reviews
from .reference import Reference, load_reference
from .tables.combine import combine
from .tables.coverage import check_results_coverage
from .tables.schemas import validate_table
from .tables.tidy import COLUMNS as TIDY_COLUMNS
from .tables.tidy import TidyTables, to_plain
from .units import read_office_changes

#: The CSVs of data/processed that are neither a tidy table nor an analysis.
RECORDS = ("validation", "sources", "conflicts")


@dataclass
class Run:
    """What one run of the pipeline made: each source's read, every finding, the
    combined tidy tables, the conflicts between sources and the analyses (none when
    a finding is an error)."""

    reads: list  # reader.SourceRead, one per file, in the files' order
    findings: Findings  # every finding (``strict``: warnings made errors)
    tables: TidyTables
    conflicts: pd.DataFrame
    results: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: Province code -> the reads with rows of that province, and the key of its analyses.
    province_reads: dict[str, list] = field(default_factory=dict)
    province_keys: dict[str, str] = field(default_factory=dict)
    #: What to write into the cache once the outputs are in place (a failed build writes nothing).
    commits: list[Callable[[], None]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings.errors

    @property
    def sources(self) -> pd.DataFrame:
        """One row per source (``SourceInfo.as_row``): sources.csv."""
        return sources_frame(r.info for r in self.reads)


def check_source_ids(reads: list, findings: Findings) -> None:
    """An error for each source_id given to several files (e.g. a sidecar copied from
    another source without changing its source_id)."""
    files_of: dict[str, list[str]] = {}
    for read in reads:
        files_of.setdefault(read.info.source_id, []).append(read.info.file)
    for source_id, names in files_of.items():
        if len(names) > 1:
            findings.add("error", "duplicate_source_id",
                         _("{files} have the same source_id '{source_id}'; give each sidecar its own source_id "
                           "(or remove it: the file name is used)").format(files=i18n_names(names),
                                                                             source_id=source_id),
                         file=names[-1])


def office_changes(raw_dir: Path | None, findings: Findings) -> pd.DataFrame | None:
    """The office's own unit changes (``data/raw/units-changes.csv``, README "Units"), checked against
    the official conversion table (:func:`.units.read_office_changes`); None without the file."""
    path = Path(raw_dir) / OFFICE_CHANGES_FILE if raw_dir is not None else None
    return read_office_changes(path, findings) if path is not None and path.is_file() else None


def check_communes(tables: TidyTables, reference: Reference, reads: list,
                   changes: pd.DataFrame | None = None) -> tuple[Findings, dict[str, pd.DataFrame]]:
    """The commune stage: the commune tables checked against Biểu 01/02 (the engine's
    ``communes`` scope), and what is computed from them (``communes.results``; ``changes``:
    the office's own unit changes, :func:`office_changes`)."""
    findings = as_findings(reconcile(tables, reference, scopes=("communes",)),
                           files={r.info.source_id: r.info.file for r in reads})
    return findings, commune_results(tables, reference, findings, changes)


def province_reads(reads: list) -> dict[str, list]:
    """Province code -> the reads with rows of that province (the analyses of a province
    read its rows alone, ``analysis.run_all``)."""
    out: dict[str, list] = {}
    for read in reads:
        for code in read.province_codes:  # (kept with a cached read: no frame is looked at again)
            out.setdefault(code, []).append(read)
    return out


def run(files: list[Path], reference_dir: Path | None = None, findings: Findings | None = None, *,
        raw_dir: Path | None = None, strict: bool = False, workers: int = 1, cache: SourceCache | None = None,
        hashes: dict[str, str] | None = None, analyses: bool = True) -> Run:
    """The only assembly of the stages. ``files``: the sources (``inputs.raw_files``);
    ``findings``: what was found before (the files of data/raw not read), extended here.
    ``cache``: each source's read, and each province's analyses, kept while their sources
    are unchanged (``cache.SourceCache``; None: everything read and computed). The analyses
    run only when no finding is an error (and ``analyses``). ``raw_dir``: where the office's
    own unit changes are looked for (:func:`office_changes`)."""
    findings = Findings() if findings is None else findings
    reference = load_reference(reference_dir)
    as_read = read_all(files, reference_dir, workers, cache=cache, hashes=hashes)
    # a scan's figures corrected by the analyst's review (new reads: the cached ones are kept)
    reads = apply_reviews(as_read, reference)
    if cache is not None:  # what is computed from a corrected scan is keyed by its reviews too
        reviews = [cache.keys[Path(path).name] for path, read in zip(files, reads) if read.review_rows]
        for path, before, after in zip(files, as_read, reads):
            if after.tables is not before.tables:
                name = Path(path).name
                cache.keys[name] = combined_key(cache.context, [cache.keys[name], *reviews], "reviewed scan")
    for read in reads:
        findings.extend(read.findings)
    check_source_ids(reads, findings)
    tables, conflicts = combine([r for r in reads if r.ok], findings)
    check_results_coverage(tables, reads, findings)  # results for a year no plan covers: say so
    commune_findings, commune_outputs = check_communes(tables, reference, reads, office_changes(raw_dir, findings))
    findings.extend(commune_findings)
    report = findings.strict() if strict else findings
    by_province = province_reads(reads)
    out = Run(reads, report, tables, conflicts, province_reads=by_province)
    if cache is not None:
        out.commits.append(cache.commit)
    if report.errors or not analyses:
        return out
    memo, held = None, None
    if cache is not None:
        key_of = {id(read): cache.keys[Path(path).name] for path, read in zip(files, reads)}
        out.province_keys = {code: combined_key(cache.context, [key_of[id(r)] for r in rs], f"analyses of {code}")
                             for code, rs in by_province.items()}
        kept = cache.entries("analyses")

        def memo(code: str, compute: Callable[[], dict]) -> dict:  # kept while its sources are unchanged
            key = out.province_keys.get(code)
            result = kept.load(key) if key else None
            if result is None:
                result = compute()
                if key:  # as plain arrays (quicker to load than frames; run_all stacks them)
                    kept.store(key, {name: to_plain(frame) for name, frame in result.items()})
            return result

        def held(code: str) -> bool:
            return code in out.province_keys and kept.has(out.province_keys[code])

    out.results = run_all(tables, reference, memo=memo, workers=workers, kept=held) | commune_outputs
    if cache is not None:
        kept.prune(set(out.province_keys.values()))
        out.commits.append(kept.commit)
    if "province_overview" in out.results:  # derived, declared in schemas.TABLES: checked like the tidy tables
        validate_table("province_overview", out.results["province_overview"], report)
    return out


def rendering_dirs(processed_dir: Path, figures_dir: Path, lang: str) -> tuple[Path, Path]:
    """Where a build in ``lang`` writes what a reader reads in that language (validation.csv,
    whose messages are in it, the Excel workbooks, that language's manifest and cache, the
    figures): the processed and figures folders themselves in the default language
    (Vietnamese), their sub-folder ``lang`` in another (``data/processed/en/``, ``figures/en/``).
    The tidy tables and analyses are the same in every language: the processed folder's own.
    Nothing a build in one language writes is written by a build in the other."""
    if lang == DEFAULT_LANG:
        return Path(processed_dir), Path(figures_dir)
    return Path(processed_dir) / lang, Path(figures_dir) / lang


def is_built(raw_dir: Path, processed_dir: Path, reference_dir: Path | None = None, lang: str | None = None) -> bool:
    """Whether ``processed_dir`` holds a build in ``lang`` (default: the language in force)
    of the files of ``raw_dir`` as they are now (their sha256 and their sidecars'), by this
    package, with ``reference_dir``: the manifest's record, its tables still there."""
    own, _figures = rendering_dirs(processed_dir, processed_dir, lang or current_language())
    try:
        manifest = json.loads((own / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    options = manifest.get("options") or {}
    return (Path(raw_dir).is_dir() and manifest.get("inputs") == input_hashes(raw_files(Path(raw_dir)))
            and manifest.get("package_version") == __version__ and manifest.get("package") == package_fingerprint()
            and options.get("reference_dir", "") == str(reference_dir or "")
            and all(Path(p).exists() for p in manifest.get("output_paths", []) if p.endswith(".csv")))


def last_figures_dir(processed_dir: Path, lang: str | None = None) -> Path | None:
    """The folder the last build in ``lang`` drew its figures into (None: no build, or none drawn)."""
    own, _figures = rendering_dirs(processed_dir, processed_dir, lang or current_language())
    try:
        options = json.loads((own / "manifest.json").read_text(encoding="utf-8")).get("options") or {}
    except (OSError, ValueError):
        return None
    return Path(options["figures_dir"]) if options.get("figures") and options.get("figures_dir") else None


#: How the manifest marks a text column with missing values: its blank cells are read back missing, not "".
TEXT_WITH_NA = "str+na"


def dtypes_of(frames: dict[str, pd.DataFrame]) -> dict[str, dict[str, str]]:
    """Each frame's columns and dtypes, as the manifest records them for :func:`load` (a text
    column with missing values as :data:`TEXT_WITH_NA`: a CSV writes a missing text and ""
    alike, and a frame has one or the other)."""
    def dtype(column: pd.Series) -> str:
        text = not pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
        return TEXT_WITH_NA if text and column.isna().any() else str(column.dtype)
    return {name: {str(c): dtype(frame[c]) for c in frame.columns} for name, frame in frames.items()}


@dataclass
class LoadedProject:
    """A built project read back from data/processed."""

    processed_dir: Path
    tables: TidyTables  # the tidy tables, with the dtypes of ``schemas.TABLES``
    results: dict[str, pd.DataFrame]  # the analyses, by name (criteria_gaps, ntm_ceiling, commune_*, …)
    validation: pd.DataFrame  # validation.csv: every finding, and each check that holds
    sources: pd.DataFrame  # sources.csv: one row per source (illustrative as a bool)
    conflicts: pd.DataFrame  # conflicts.csv
    manifest: dict
    reference: Reference = field(repr=False)

    @property
    def findings(self) -> Findings:
        """validation.csv as findings (in the language of the build)."""
        out = Findings()
        out.extend(Finding(*(str(v) for v in row)) for row in
                   self.validation.reindex(columns=FINDING_COLUMNS, fill_value="").itertuples(index=False))
        return out

    @property
    def illustrative_ids(self) -> set[str]:
        """The source_id of the sources whose sidecar says ``illustrative``."""
        return set(self.sources.loc[self.sources["illustrative"], "source_id"]) if len(self.sources) else set()

    @property
    def ok(self) -> bool:
        return "severity" not in self.validation or not (self.validation["severity"] == "error").any()


def _csv(path: Path, dtypes: dict[str, str] | None = None) -> pd.DataFrame:
    """A CSV of data/processed as text (a blank cell: ""), each column then given its dtype
    of ``dtypes`` (a blank then missing; text columns keep "")."""
    if not path.exists():
        return pd.DataFrame()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for column, dtype in (dtypes or {}).items():
        if column in frame and dtype == TEXT_WITH_NA:
            frame[column] = frame[column].mask(frame[column] == "")
        elif column in frame and dtype not in ("str", "object"):
            frame[column] = _typed(frame[column], dtype)
    return frame


def _typed(text: pd.Series, dtype: str) -> pd.Series:
    """A column of text in ``dtype`` (numbers as Python reads them: exactly as written)."""
    blank = text == ""
    if dtype in ("bool", "boolean"):
        values = text.map({"True": True, "False": False}).astype("boolean")
        return values.astype("bool") if dtype == "bool" and not blank.any() else values
    return pd.to_numeric(text.mask(blank)).astype(dtype)


def load(processed_dir: Path, lang: str | None = None) -> LoadedProject:
    """Read the project ``build`` wrote into ``processed_dir`` in ``lang`` (default: the
    language in force) back: tidy tables, analyses (every CSV the manifest lists that is
    neither a tidy table nor a record), sources, conflicts, and that language's validation
    and manifest (:func:`rendering_dirs`), with the reference the build was given
    (``build --reference``). Raises FileNotFoundError when it holds no build in ``lang``."""
    processed_dir = Path(processed_dir)
    own, _figures = rendering_dirs(processed_dir, processed_dir, lang or current_language())
    manifest = json.loads((own / "manifest.json").read_text(encoding="utf-8"))
    reference_dir = (manifest.get("options") or {}).get("reference_dir") or None
    reference = load_reference(Path(reference_dir) if reference_dir else None)
    dtypes = manifest.get("dtypes") or {}
    results = {}
    for name in manifest.get("outputs", []):
        stem = name.removesuffix(".csv")
        if name.endswith(".csv") and stem not in TIDY_COLUMNS and stem not in RECORDS:
            results[stem] = _csv(processed_dir / name, dtypes.get(stem))
    sources = _csv(processed_dir / "sources.csv")
    if "illustrative" in sources:
        sources["illustrative"] = sources["illustrative"].str.lower().isin(["true", "1"])
    return LoadedProject(processed_dir, TidyTables.read_csv(processed_dir), results,
                         _csv(own / "validation.csv"), sources, _csv(processed_dir / "conflicts.csv"),
                         manifest, reference)
