"""``build``: every raw source -> combined tidy tables, analyses, figures,
Excel workbook, validation report and manifest. Incremental and atomic."""
from __future__ import annotations

import json
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import __version__
from .combine import combine
from .communes.compare import compare_published
from .communes.results import commune_results
from .config import FIGURES_DIR, PROCESSED_DIR, RAW_DIR, SIDECAR_SUFFIX
from .findings import Findings
from .metadata import sha256
from .outputs import staging, write_csv, write_excel
from .reader import SourceRead, read_source
from .reference import load_reference
from .tidy import TidyTables

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
TABLE_NAMES = ("criteria", "commune_bands", "province", "districts", "funding")


def raw_files(raw_dir: Path) -> list[Path]:
    """The workbooks of a raw folder (Excel lock files ~$… skipped)."""
    return sorted(p for p in Path(raw_dir).iterdir()
                  if p.suffix.lower() in WORKBOOK_SUFFIXES and not p.name.startswith(("~$", ".")))


def input_hashes(files: list[Path]) -> dict[str, str]:
    hashes = {}
    for path in files:
        hashes[path.name] = sha256(path)
        meta = path.with_name(path.stem + SIDECAR_SUFFIX)
        if meta.exists():
            hashes[meta.name] = sha256(meta)
    return hashes


def _read(args: tuple[str, str]) -> SourceRead:
    path, reference_dir = args
    return read_source(Path(path), load_reference(Path(reference_dir) if reference_dir else None))


def read_all(files: list[Path], reference_dir: Path | None = None, workers: int = 1) -> list[SourceRead]:
    """Read sources, in parallel processes when ``workers`` > 1."""
    jobs = [(str(f), str(reference_dir or "")) for f in files]
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            # one workbook per task: a read takes ~0.1 s, far more than handing out a task,
            # and large chunks leave one worker idle at the end while the other finishes its last
            return list(pool.map(_read, jobs, chunksize=1))
    return [_read(job) for job in jobs]


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


def write_tables(tables: TidyTables, findings: Findings, folder: Path) -> list[Path]:
    """The five tidy CSV files and validation.csv."""
    paths = [write_csv(frame, folder / f"{name}.csv") for name, frame in tables.items()]
    paths.append(write_csv(findings.to_frame(), folder / "validation.csv"))
    return paths


def build(raw_dir: Path = RAW_DIR, processed_dir: Path = PROCESSED_DIR, figures_dir: Path = FIGURES_DIR,
          *, strict: bool = False, force: bool = False, lang: str = "vi", figures: bool = True,
          reference_dir: Path | None = None, workers: int = 1) -> BuildResult:
    """Build everything from ``raw_dir``. Nothing is written unless all of it succeeds."""
    raw_dir, processed_dir, figures_dir = (Path(d).resolve() for d in (raw_dir, processed_dir, figures_dir))
    findings = Findings()
    if not raw_dir.is_dir():
        findings.add("error", "missing_folder", f"the raw data folder {raw_dir} does not exist")
        return BuildResult(1, findings)
    files = raw_files(raw_dir)
    if not files:
        findings.add("error", "no_sources", f"no workbook (.xlsx) in {raw_dir}")
        return BuildResult(1, findings)

    options = {"strict": strict, "lang": lang, "figures": figures, "figures_dir": str(figures_dir),
               "reference_dir": str(reference_dir or "")}
    manifest_path = processed_dir / "manifest.json"
    inputs = input_hashes(files)
    try:
        old = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    except ValueError:
        old = {}
    if not force and old:
        outputs_exist = all(Path(p).exists() for p in old.get("output_paths", []))
        if (old.get("inputs") == inputs and old.get("package_version") == __version__
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
    with staging(processed_dir) as tmp_processed, staging(figures_dir) as tmp_figures:
        write_tables(tables, report, tmp_processed)
        write_csv(sources, tmp_processed / "sources.csv")
        write_csv(conflicts, tmp_processed / "conflicts.csv")
        for name, frame in results.items():
            write_csv(frame, tmp_processed / f"{name}.csv")
        write_excel(tables.as_dict() | results | {"validation": report.to_frame(), "sources": sources},
                    tmp_processed / "ntm_tables.xlsx", lang)
        if figures:
            from .charts import draw_all  # noqa: PLC0415
            citations = [r.info.citation for r in reads if r.info.citation]
            source_line = ("Nguồn: " if lang == "vi" else "Source: ") + "; ".join(citations) if citations else ""
            draw_all(tables, results, tmp_figures, lang=lang, source_line=source_line,
                     illustrative=any(r.info.illustrative for r in reads))
        names = sorted(p.name for p in tmp_processed.iterdir()) + ["manifest.json"]
        figure_names = sorted(p.name for p in tmp_figures.iterdir())
        output_paths = [str(processed_dir / n) for n in names] + [str(figures_dir / n) for n in figure_names]
        manifest = {"package_version": __version__, "options": options, "inputs": inputs,
                    "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"), "outputs": names + figure_names,
                    "output_paths": output_paths}
        (tmp_processed / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                                     encoding="utf-8")
        written = [Path(p) for p in output_paths]
    for stale in set(old.get("output_paths", [])) - set(output_paths):  # outputs no longer produced
        Path(stale).unlink(missing_ok=True)
    return BuildResult(0, report, tables, results, [str(p) for p in written])
