"""``build``: every raw source -> combined tidy tables, analyses, figures,
Excel workbook, validation report and manifest. Incremental and atomic."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import __version__
from .combine import combine
from .communes.compare import compare_published
from .communes.results import commune_results
from .config import DEFAULT_WORKERS, ProjectNotFound, find_project
from .findings import Findings
from .inputs import input_hashes, package_fingerprint, raw_files, read_all
from .outputs import staging, write_csv, write_excel
from .reference import load_reference
from .tidy import COLUMNS, TidyTables

TABLE_NAMES = tuple(COLUMNS)


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


def write_tables(tables: TidyTables, findings: Findings, folder: Path) -> list[Path]:
    """The tidy CSV files and validation.csv."""
    paths = [write_csv(frame, folder / f"{name}.csv") for name, frame in tables.items()]
    paths.append(write_csv(findings.to_frame(), folder / "validation.csv"))
    return paths


def build(raw_dir: Path | None = None, processed_dir: Path | None = None, figures_dir: Path | None = None,
          *, strict: bool = False, force: bool = False, lang: str = "vi", figures: bool = True,
          reference_dir: Path | None = None, workers: int | None = None) -> BuildResult:
    """Build everything from ``raw_dir``. Nothing is written unless all of it succeeds.
    A folder not given is the project's (``config.find_project``). ``workers``:
    processes reading the sources and drawing the figures at once (default
    ``config.DEFAULT_WORKERS``; the outputs are the same bytes whatever the number)."""
    workers = DEFAULT_WORKERS if workers is None else max(1, workers)
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
        findings.add("error", "missing_folder", f"the raw data folder {raw_dir} does not exist")
        return BuildResult(1, findings)
    files = raw_files(raw_dir)
    if not files:
        findings.add("error", "no_sources", f"no workbook (.xlsx) or document (.docx, .pdf, .md, .txt) in {raw_dir}")
        return BuildResult(1, findings)

    options = {"strict": strict, "lang": lang, "figures": figures, "figures_dir": str(figures_dir),
               "reference_dir": str(reference_dir or "")}
    manifest_path = processed_dir / "manifest.json"
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
            return BuildResult(0, findings, up_to_date=True, message="up to date")

    reference = load_reference(reference_dir)
    reads = read_all(files, reference_dir, workers)
    for read in reads:
        findings.extend(read.findings)
    files_of: dict[str, list[str]] = {}
    for read in reads:
        files_of.setdefault(read.info.source_id, []).append(read.info.file)
    for source_id, names in files_of.items():
        if len(names) > 1:  # e.g. a sidecar copied from another source without changing its source_id
            findings.add("error", "duplicate_source_id",
                         f"{' and '.join(names)} have the same source_id '{source_id}'; give each "
                         f"sidecar its own source_id (or remove it: the file name is used)", file=names[-1])
    tables, conflicts = combine([r for r in reads if r.ok], findings)
    commune_findings = Findings()
    compare_published(tables, reference, commune_findings, {r.info.source_id: r.info.file for r in reads})
    commune_outputs = commune_results(tables, reference, commune_findings)
    findings.extend(commune_findings)
    report = findings.strict() if strict else findings
    if report.errors:
        return BuildResult(1, report, message="errors: nothing was written")

    from .analysis import run_all  # noqa: PLC0415
    results = run_all(tables, reference) | commune_outputs
    sources = pd.DataFrame([r.info.as_row() for r in reads])
    written: list[Path] = []
    notes: list[str] = []  # figures left out, and why
    with staging(processed_dir) as tmp_processed, staging(figures_dir) as tmp_figures:
        tables_written = []

        def write_all_tables() -> None:  # once; while the figure workers draw, when there are figures
            if tables_written:
                return
            write_tables(tables, report, tmp_processed)
            write_csv(sources, tmp_processed / "sources.csv")
            write_csv(conflicts, tmp_processed / "conflicts.csv")
            for name, frame in results.items():
                write_csv(frame, tmp_processed / f"{name}.csv")
            write_excel(tables.as_dict() | results | {"validation": report.to_frame(), "sources": sources},
                        tmp_processed / "ntm_tables.xlsx", lang)
            tables_written.append(True)

        if figures:
            from .charts import draw_all, make_source_line  # noqa: PLC0415
            from .provinces import one_province, province_of_interest, provinces_in, results_of  # noqa: PLC0415
            fig_tables, fig_results, fig_reads = tables, results, reads
            if len(codes := provinces_in(tables)) > 1:  # the figures are drawn for one province
                main = province_of_interest(tables) or codes[0]
                fig_tables, fig_results = one_province(tables, main), results_of(results, main)
                fig_reads = [r for r in reads if r.info.source_id in set(fig_tables.criteria.source_id)
                             | set(fig_tables.districts.source_id) | set(fig_tables.funding.source_id)]
                report.add(
                    "info",
                    "several_provinces",
                    f"data/raw holds {len(codes)} provinces ({', '.join(reference.area_name(c) for c in codes)});"
                    f" the tables hold them all, the figures show {reference.area_name(main)}, the "
                    f"province with the most sources",
                )
            source_line = make_source_line([r.info.citation for r in fig_reads if r.info.citation], lang)
            draw_all(
                fig_tables,
                fig_results,
                tmp_figures,
                lang=lang,
                source_line=source_line,
                illustrative=any(r.info.illustrative for r in fig_reads),
                reference=reference,
                left_out=notes,
                workers=workers,
                meanwhile=write_all_tables,
            )
        write_all_tables()
        names = sorted(p.name for p in tmp_processed.iterdir()) + ["manifest.json"]
        figure_names = sorted(p.name for p in tmp_figures.iterdir())
        output_paths = [str(processed_dir / n) for n in names] + [str(figures_dir / n) for n in figure_names]
        manifest = {
            "package_version": __version__,
            "package": package,
            "options": options,
            "inputs": inputs,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "outputs": names + figure_names,
            "output_paths": output_paths,
        }
        (tmp_processed / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        written = [Path(p) for p in output_paths]
    for stale in set(old.get("output_paths", [])) - set(output_paths):  # outputs no longer produced
        Path(stale).unlink(missing_ok=True)
    return BuildResult(0, report, tables, results, [str(p) for p in written], notes=notes)
