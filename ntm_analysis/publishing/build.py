"""``build``: every raw source -> combined tidy tables, analyses, figures,
Excel workbook, validation report and manifest. Incremental and atomic."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import __version__, pipeline, units
from ..config import DEFAULT_WORKERS, ProjectNotFound, find_project
from ..findings import Findings, finding_counts
from ..fingerprints import package_fingerprint
from ..i18n import _, check_language, current_language, ngettext, num, use_language
from ..i18n import names as i18n_names
from ..reading.inputs import add_unread, input_hashes, raw_files
from ..reading.metadata import citations, sources_frame
from ..reference import load_reference
from ..tables.provinces import (
    SPLIT_AT,
    key_parts,
    one_province,
    province_label,
    province_of_interest,
    provinces_in,
    results_of,
    split_provinces,
    split_results,
)
from ..tables.tidy import TidyTables
from ..text import fold
from .cache import CACHE_DIR, SourceCache, combined_key, read_context
from .outputs import staging, write_csv, write_excel


@dataclass
class BuildResult:
    """What a build did: exit code, findings, tables and written files."""

    exit_code: int
    findings: Findings
    tables: TidyTables | None = None
    results: dict[str, pd.DataFrame] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)
    up_to_date: bool = False
    message: str = ""
    notes: list[str] = field(default_factory=list)  # figures left out, and why (in the build's language)
    #: With ``up_to_date``: the counts of the build that made the outputs ({"errors", "warnings",
    #: "checks_hold"}, from its manifest), or None when that manifest does not hold them.
    last_counts: dict[str, int] | None = None
    read_files: list[str] = field(default_factory=list)  # sources read afresh (the others came from the cache)
    cached_files: list[str] = field(default_factory=list)  # sources whose read came from the cache
    run: pipeline.Run | None = None  # what the pipeline made (None: it did not run)


def write_tables(tables: TidyTables, findings: Findings, folder: Path,
                 validation: pd.DataFrame | None = None) -> list[Path]:
    """The tidy CSV files and validation.csv (``validation``: ``findings.to_frame()`` when
    already made)."""
    paths = [write_csv(frame, folder / f"{name}.csv") for name, frame in tables.items()]
    paths.append(write_csv(findings.to_frame() if validation is None else validation, folder / "validation.csv"))
    return paths


#: The sheets of ``ntm_tables.xlsx`` when data/raw holds several provinces (each province's
#: tables and analyses are in its own workbook, ``province_workbook``).
NATIONAL_SHEETS = ("province_overview", "validation", "sources")




def province_workbook(code: str, reference) -> str:
    """The file name of one province's Excel workbook in a national build (``code``: its
    ``provinces.province_key``): ``ntm_tables_<key>_<province name, folded>.xlsx``, e.g.
    ``ntm_tables_10_tinh-lao-cai.xlsx`` (old Lào Cai, 2021 units) and
    ``ntm_tables_2025-15_tinh-lao-cai.xlsx`` (new Lào Cai, 2025 units; "15" alone is old Yên Bái)."""
    units_of, number = key_parts(code)
    name = reference.area_name(number) if units_of == "2021" else units.province_name(number, units_of) or number
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")
    return f"ntm_tables_{code}_{slug}.xlsx"


def _digest(frame: pd.DataFrame) -> str:
    return hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()


def write_province_workbooks(tables: TidyTables, results: dict[str, pd.DataFrame], validation: pd.DataFrame,
                             sources: pd.DataFrame, files_of: dict[str, list[str]], keys: dict[str, str],
                             kept, context: str, folder: Path, reference, lang: str) -> list[tuple[str, str, bool]]:
    """One Excel workbook per province into ``folder`` (a national build): the province's tidy
    tables and analyses (as a build of that province alone would write them), and the
    validation and sources rows of its files. A workbook whose province's sources, findings,
    package, reference and language are unchanged is copied from ``kept`` (the cache's
    ``workbooks``) instead of written again. ``files_of``: code -> its source files;
    ``keys``: code -> the key of its analyses. Returns (cache key, file name, written afresh)
    per workbook."""

    codes = sorted(files_of)
    whole = "\n".join(f"{name} {_digest(frame)}" for name, frame in results.items()  # in every workbook
                       if "province_code" not in frame)
    written, missing = [], {}
    for code in codes:
        files = set(files_of[code])
        own_findings = validation[validation["file"].isin(files)] if len(validation) else validation
        own_sources = sources[sources["file"].isin(files)]
        name = province_workbook(code, reference)
        key = combined_key(context, [keys.get(code, "")],
                           f"workbook {name}\n{_digest(own_findings)}\n{_digest(own_sources)}\n{whole}")
        copy = kept.load(key)
        if copy is not None:
            shutil.copyfile(copy, folder / name)
        else:
            missing[code] = (name, own_findings, own_sources)
        written.append((key, name, copy is None))
    if len(missing) > SPLIT_AT:  # many to write (a first build): split the tables and analyses in one pass
        parts, shares = split_provinces(tables), split_results(results, list(missing))
    else:  # a few (a source added or changed): take their rows alone
        parts = {code: one_province(tables, code) for code in missing}
        shares = {code: results_of(results, code) for code in missing}
    for code, (name, own_findings, own_sources) in missing.items():
        write_excel(parts[code].as_dict() | shares[code] | {"validation": own_findings, "sources": own_sources},
                    folder / name, lang)
    return written


def national_validation(validation: pd.DataFrame) -> pd.DataFrame:
    """The validation sheet of the national workbook (several provinces): every error and
    warning, the info lines that name no file, and for each source one line counting its
    checks that hold (``check`` "checks_hold"), where its first one was. The checks that
    hold are listed one by one in validation.csv and in each province's workbook."""
    if not len(validation):
        return validation
    counted = (validation["severity"] == "info") & (validation["file"] != "")
    held = validation[counted]
    first = held[~held["file"].duplicated()]
    sizes = held.groupby("file", sort=False).size()
    lines = pd.DataFrame({
        "severity": "info", "check": "checks_hold", "file": first["file"], "sheet": "", "cell": "",
        "message": [ngettext("{n} check holds: each is listed in validation.csv and in the province's workbook",
                             "{n} checks hold: each is listed in validation.csv and in the province's workbook",
                             int(sizes[f])).format(n=num(int(sizes[f]))) for f in first["file"]],
    }, index=first.index, columns=validation.columns).astype(validation.dtypes.to_dict())
    return pd.concat([validation[~counted], lines]).sort_index(kind="stable").reset_index(drop=True)


#: Sources whose read is kept in the cache even by a build that stops on errors (OCR takes minutes).
SLOW_TO_READ = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")


def write_ocr_review(reads: list, folder: Path) -> pd.DataFrame:
    """A crop of the scan (PNG, in ``folder/ocr_review/``) for each uncertain figure
    of the scans read, and the review sheet's rows: file, cell, what was read, the
    other readings, confidence (0–100) and the crop's file. Empty without scans."""
    rows = []
    for read in reads:
        for k, doubt in enumerate(getattr(read, "ocr_review", []), start=1):
            picture = ""
            if doubt.get("crop"):
                picture = f"ocr_review/{read.info.source_id}-{k:03d}.png"
                (folder / "ocr_review").mkdir(exist_ok=True)
                (folder / picture).write_bytes(doubt["crop"])
            rows.append({"file": doubt["file"], "cell": doubt["cell"], "reading": doubt["reading"],
                         "alternatives": ", ".join(doubt["alternatives"]), "confidence": doubt["confidence"],
                         "picture": picture, "correction": None})
    return pd.DataFrame(rows, columns=["file", "cell", "reading", "alternatives", "confidence", "picture",
                                       "correction"])


def cite_sources(reads: list) -> dict[str, str]:
    """How a figure cites each source: its sidecar's citation, else its file name (a
    source is never left out of a source line for want of a citation)."""
    return citations(sources_frame(r.info for r in reads))


def build(raw_dir: Path | None = None, processed_dir: Path | None = None, figures_dir: Path | None = None,
          *, strict: bool = False, force: bool = False, lang: str | None = None, figures: bool = True,
          reference_dir: Path | None = None, workers: int | None = None) -> BuildResult:
    """Build everything from ``raw_dir``. Nothing is written unless all of it succeeds.
    A folder not given is the project's (``config.find_project``). ``lang`` ("vi" or "en";
    default: the language in force, ``i18n.current_language``) is the language of the
    findings, the workbook and the figures. ``workers``: processes reading the sources and
    drawing the figures at once (default ``config.DEFAULT_WORKERS``; the outputs are the
    same bytes whatever the number)."""
    lang = check_language(lang) if lang else current_language()
    workers = DEFAULT_WORKERS if workers is None else max(1, workers)
    with use_language(lang):
        return _build(raw_dir, processed_dir, figures_dir, strict=strict, force=force, lang=lang, figures=figures,
                      reference_dir=reference_dir, workers=workers)


def _build(raw_dir: Path | None, processed_dir: Path | None, figures_dir: Path | None, *, strict: bool,
           force: bool, lang: str, figures: bool, reference_dir: Path | None, workers: int) -> BuildResult:
    findings = Findings()
    if None in (raw_dir, processed_dir, figures_dir):
        try:
            project = find_project()
        except ProjectNotFound as exc:
            findings.add("error", "no_project", str(exc))
            return BuildResult(1, findings)
        raw_dir, processed_dir, figures_dir = (raw_dir or project.raw, processed_dir or project.processed,
                                               figures_dir or project.figures)
    raw_dir, processed_dir, figures_dir = (Path(d).resolve() for d in (raw_dir, processed_dir, figures_dir))
    if not raw_dir.is_dir():
        findings.add("error", "missing_folder", _("the raw data folder {folder} does not exist").format(folder=raw_dir))
        return BuildResult(1, findings)
    files = raw_files(raw_dir)
    unread = add_unread(raw_dir, findings)  # every file not read, and why
    if not files:
        findings.add("error", "no_sources", _("no workbook (.xlsx) or document (.docx, .pdf, .md, .txt) in {folder}")
                     .format(folder=raw_dir))
        return BuildResult(1, findings)

    options = {"strict": strict, "lang": lang, "figures": figures, "figures_dir": str(figures_dir),
               "reference_dir": str(reference_dir or ""), "unread": sorted(p.name for p, _ in unread)}
    processed_lang, figures_dir = pipeline.rendering_dirs(processed_dir, figures_dir, lang)
    manifest_path = processed_lang / "manifest.json"
    inputs = input_hashes(files)
    package = package_fingerprint()
    try:
        old = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    except ValueError:
        old = {}
    if not force and old:
        outputs_exist = all(Path(p).exists() for p in old.get("output_paths", []))
        if (old.get("inputs") == inputs and old.get("package_version") == __version__
                and old.get("package") == package
                and old.get("options") == options and outputs_exist):
            return BuildResult(0, findings, up_to_date=True, message="up to date", last_counts=old.get("counts"))

    reference = load_reference(reference_dir)
    cache = SourceCache(processed_lang / CACHE_DIR, read_context(package, reference_dir, lang))
    done = {"read_files": cache.read, "cached_files": cache.hits}
    run = pipeline.run(files, reference_dir, findings, raw_dir=raw_dir, strict=strict, workers=workers, cache=cache,
                       hashes=inputs)
    reads, report, tables, conflicts, results = run.reads, run.findings, run.tables, run.conflicts, run.results
    if report.errors:
        if any(Path(name).suffix.lower() in SLOW_TO_READ for name in cache.read):
            cache.commit()  # a scan's read (minutes of OCR) is kept even so: it is what the file gives
        return BuildResult(1, report, message="errors: nothing was written", run=run, **done)
    province_files, province_keys = run.province_reads, run.province_keys
    key_of = {id(read): cache.keys[path.name] for path, read in zip(files, reads)}  # each read's source key
    sources = run.sources
    codes = provinces_in(tables)
    written: list[Path] = []
    notes: list[str] = []  # figures left out, and why
    ranking: dict = {}  # the national roll-up figure: its key and files (several provinces)
    workbooks = cache.files("workbooks", ".xlsx")  # each province's workbook (several provinces)
    kept_workbooks: list[tuple[str, str, bool]] = []
    with ExitStack() as stack:
        tmp_processed = stack.enter_context(staging(processed_dir))
        tmp_lang = tmp_processed if processed_lang == processed_dir else stack.enter_context(staging(processed_lang))
        tmp_figures = stack.enter_context(staging(figures_dir)) if figures else None
        tables_written = []

        def write_all_tables() -> None:  # once; while the figure workers draw, when there are figures
            if tables_written:
                return
            validation = report.to_frame()
            for name, frame in tables.items():
                write_csv(frame, tmp_processed / f"{name}.csv")
            write_csv(validation, tmp_lang / "validation.csv")  # its messages are in the build's language
            write_csv(sources, tmp_processed / "sources.csv")
            write_csv(conflicts, tmp_processed / "conflicts.csv")
            for name, frame in results.items():
                write_csv(frame, tmp_processed / f"{name}.csv")
            frames = tables.as_dict() | results | {"validation": validation, "sources": sources}
            review = write_ocr_review(reads, tmp_processed)
            if not review.empty:  # a scan's uncertain figures: a sheet to check them against their crops
                frames["ocr_review"] = review
            if len(codes) > 1:  # a national workbook, and one per province (kept while unchanged)
                frames = {name: frames[name] for name in NATIONAL_SHEETS if name in frames}
                frames["validation"] = national_validation(validation)  # the checks that hold: counted
                files = {code: [r.info.file for r in rs] for code, rs in province_files.items() if code in codes}
                kept_workbooks.extend(write_province_workbooks(
                    tables, results, validation, sources, files, province_keys, workbooks, cache.context,
                    tmp_lang, reference, lang))
            write_excel(frames, tmp_lang / "ntm_tables.xlsx", lang)
            tables_written.append(True)

        if figures:
            from .charts import draw_all  # noqa: PLC0415 (matplotlib: only to draw)
            fig_tables, fig_results, fig_reads = tables, results, reads
            shown = sorted(key_of.values())  # the sources the figures may draw on (commune tables included)
            if len(codes) > 1:  # the figures are drawn for one province
                main = province_of_interest(tables) or codes[0]
                shown = [province_keys.get(main, "")]
                fig_tables, fig_results = one_province(tables, main), results_of(results, main)
                drawn = set(fig_tables.criteria.source_id) | set(fig_tables.districts.source_id) \
                    | set(fig_tables.funding.source_id) | set(fig_tables.commune_criteria.source_id)  # (once)
                fig_reads = [r for r in reads if r.info.source_id in drawn]
                report.add(
                    "info",
                    "several_provinces",
                    _("data/raw holds {n} provinces ({provinces}); the tables hold them all, the figures show "
                      "{province}, the province with the most sources (a province of 2025 counts those of the "
                      "provinces it was made from)").format(
                        n=num(len(codes)), provinces=i18n_names([province_label(c, reference) for c in codes]),
                        province=province_label(main, reference)),
                )
            cited = cite_sources(fig_reads)  # each figure cites the sources whose rows it draws
            figures_key = combined_key(cache.context, shown,
                                       f"figures\n{json.dumps(cited, sort_keys=True)}\n"
                                       f"{json.dumps(options, sort_keys=True)}")
            kept = old.get("figures") or {}
            if (not force and kept.get("key") == figures_key
                    and all((figures_dir / n).is_file() for n in kept.get("files", []))):
                # the same sources, code, reference and options as the figures already there: keep them
                figure_names, notes = list(kept["files"]), list(kept.get("notes", []))
            else:
                draw_all(
                    fig_tables,
                    fig_results,
                    tmp_figures,
                    lang=lang,
                    reference=reference,
                    left_out=notes,
                    sources=sources,
                    workers=workers,
                    meanwhile=write_all_tables,  # the tables are written while the workers draw
                )
                figure_names = sorted(p.name for p in tmp_figures.iterdir())
            if len(codes) > 1:  # several provinces: the national roll-up figure, drawn from every province
                from .charts import save_jobs  # noqa: PLC0415 (matplotlib: only to draw)
                from .charts.provinces import ranking_job  # noqa: PLC0415 (matplotlib: only to draw)

                overview = results.get("province_overview")
                ranking_key = combined_key(cache.context, [], "ranking\n" + "\n".join(
                    [main, _digest(overview) if overview is not None else "", _digest(sources),
                     json.dumps(options, sort_keys=True)]))
                kept = old.get("ranking") or {}
                if (not force and kept.get("key") == ranking_key
                        and all((figures_dir / n).is_file() for n in kept.get("files", []))):
                    ranking_names = list(kept["files"])  # the same overview, sources and options: kept
                else:  # drawn by a worker while this process writes the tables (when not yet written)
                    job = ranking_job(overview, main, sources, lang=lang, reference=reference)
                    ranking_names = [p.name for p in save_jobs([(job[0], job[1], {})], tmp_figures, workers,
                                                               meanwhile=write_all_tables)] if job else []
                figure_names = sorted(set(figure_names) | set(ranking_names))
                ranking = {"key": ranking_key, "files": ranking_names}
        else:
            figures_key, figure_names = "", []
        write_all_tables()  # (already done when figures were drawn)
        names = sorted(p.name for p in tmp_processed.iterdir())  # the tables, and in Vietnamese the rest too
        own = sorted(p.name for p in tmp_lang.iterdir()) if tmp_lang != tmp_processed else []
        output_paths = ([str(processed_dir / n) for n in names] + [str(processed_lang / n) for n in own]
                        + [str(processed_lang / "manifest.json")] + [str(figures_dir / n) for n in figure_names])
        manifest = {
            "package_version": __version__,
            "package": package,
            "options": options,
            "inputs": inputs,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "outputs": sorted(set(names) | set(own) | {"manifest.json"}) + figure_names,
            "counts": finding_counts(report),
            "output_paths": output_paths,
            "figures": {"key": figures_key, "files": figure_names, "notes": notes},
            "ranking": ranking,
            "dtypes": pipeline.dtypes_of(results),  # the analyses' dtypes, for pipeline.load
        }
        if {k: v for k, v in old.items() if k != "built_at"} == {k: v for k, v in manifest.items() if k != "built_at"}:
            # the same build again: the same manifest, bytes and all, so that no report that read it is stale
            manifest["built_at"] = old.get("built_at", manifest["built_at"])
        (tmp_lang / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                                 encoding="utf-8")
        written = [Path(p) for p in output_paths]
    for stale in set(old.get("output_paths", [])) - set(output_paths):  # outputs no longer produced
        Path(stale).unlink(missing_ok=True)
    for commit in run.commits:
        commit()
    for key, name, fresh in kept_workbooks:
        if fresh:
            workbooks.store(key, processed_lang / name)
    workbooks.prune({key for key, _name, _fresh in kept_workbooks})
    workbooks.commit()
    return BuildResult(0, report, tables, results, [str(p) for p in written], notes=notes, run=run, **done)

