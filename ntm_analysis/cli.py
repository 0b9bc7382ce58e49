"""Command line: ``ntm-analysis validate | tidy | build | sources | template``.

Exit codes: 0 success, 1 the input has errors, 2 usage error. Bad input never
produces a Python traceback (set NTM_DEBUG=1 to see one for a bug). Every
command first prints one line with the folders it reads and writes; the project
folder is found by ``config.find_project`` (``--project``, ``NTM_PROJECT``, the
current folder's data/raw/, the source checkout).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Project, ProjectNotFound, find_project

if TYPE_CHECKING:
    from .findings import Findings

PROJECT_HELP = ("the project folder (default: $NTM_PROJECT, else the current folder if it holds data/raw/, "
                "else the source checkout)")
MAX_LINES = 40  # findings printed before "… and N more" (all of them go to validation.csv)


def _print_findings(findings: Findings, stream=sys.stdout) -> None:
    """Errors, then warnings; the info lines (checks that hold) are counted in the
    summary and written to validation.csv, not printed."""
    items = sorted((f for f in findings if f.severity != "info"),
                   key=lambda f: {"error": 0, "warning": 1}[f.severity])
    for f in items[:MAX_LINES]:
        print(f.line(), file=stream)
    if len(items) > MAX_LINES:
        print(f"… and {len(items) - MAX_LINES} more (all of them in validation.csv)", file=stream)


def _summary(findings: Findings) -> str:
    """"2 errors, 1 warning, 39 checks hold", in the current language."""
    from .i18n import ngettext, num  # noqa: PLC0415

    e, w = len(findings.errors), len(findings.warnings)
    held = sum(f.severity == "info" for f in findings)
    text = (ngettext("{n} error", "{n} errors", e).format(n=num(e)) + ", "
            + ngettext("{n} warning", "{n} warnings", w).format(n=num(w)))
    if held:
        text += ", " + ngettext("{n} check holds", "{n} checks hold", held).format(n=num(held))
    return text


def _folders(args: argparse.Namespace, names: tuple[str, ...]) -> tuple[dict[str, Path], Project | None]:
    """The folders ``names`` ("raw", "processed", "figures") of a command: each from
    its option when given, else the project's (found only when needed)."""
    given = {name: getattr(args, name, None) for name in names}
    project = None if all(given.values()) else find_project(getattr(args, "project", None))
    return {name: Path(given[name]).resolve() if given[name] else getattr(project, name) for name in names}, project


def _say_folders(reads: list[Path], writes: list[Path], project: Project | None = None) -> None:
    """The one line every command prints first: what it reads, what it writes."""
    def names(paths: list[Path]) -> str:
        return ", ".join(dict.fromkeys(str(p) for p in paths)) or "nothing"
    print(f"reading {names(reads)}; writing {names(writes)}" + (f" ({project.describe()})" if project else ""))


def cmd_validate(args: argparse.Namespace) -> int:
    from .reader import read_source  # noqa: PLC0415

    _say_folders([Path(name).resolve().parent for name in args.files], [])
    status = 0
    for name in args.files:
        read = read_source(Path(name))
        findings = read.findings.strict() if args.strict else read.findings
        _print_findings(findings)
        print(f"{Path(name).name}: {_summary(findings)}")
        status = max(status, 1 if findings.errors else 0)
    return status


def cmd_tidy(args: argparse.Namespace) -> int:
    from .build import write_tables  # noqa: PLC0415
    from .outputs import staging  # noqa: PLC0415
    from .reader import read_source  # noqa: PLC0415

    _say_folders([Path(args.file).resolve()], [Path(args.out).resolve()])
    read = read_source(Path(args.file))
    findings = read.findings.strict() if args.strict else read.findings
    _print_findings(findings)
    if findings.errors:
        print(f"{Path(args.file).name}: {_summary(findings)}; nothing was written")
        return 1
    with staging(Path(args.out)) as tmp:
        write_tables(read.tables, findings, tmp)
    print(f"{Path(args.file).name}: {_summary(findings)}; tidy tables written to {args.out}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build  # noqa: PLC0415

    folders, project = _folders(args, ("raw", "processed", "figures"))
    _say_folders([folders["raw"]], [folders["processed"]] + ([folders["figures"]] if not args.no_figures else []),
                 project)
    result = build(folders["raw"], folders["processed"], folders["figures"], strict=args.strict, force=args.force,
                   lang=args.lang, figures=not args.no_figures,
                   reference_dir=Path(args.reference) if args.reference else None,
                   workers=args.workers)
    if result.up_to_date:
        print("up to date (inputs, package version and options unchanged; --force rebuilds)")
        return 0
    _print_findings(result.findings)
    if result.exit_code:
        print(f"build failed: {_summary(result.findings)}; nothing was written or replaced")
        return result.exit_code
    for note in result.notes:
        print(note)
    print(f"build done: {_summary(result.findings)}; {len(result.outputs)} files written")
    return 0


def cmd_deck(args: argparse.Namespace) -> int:
    from .build import build  # noqa: PLC0415
    from .config import FIGURES_DIR, PROCESSED_DIR, RAW_DIR, REPORTS_DIR  # noqa: PLC0415
    from .deck import build_deck  # noqa: PLC0415

    processed = Path(args.processed or PROCESSED_DIR)
    result = build(Path(args.raw or RAW_DIR), processed, Path(args.figures or FIGURES_DIR))
    if result.exit_code:
        _print_findings(result.findings)
        print(f"no deck: the build failed ({_summary(result.findings)})")
        return result.exit_code
    out = build_deck(processed, Path(args.out or REPORTS_DIR / "briefing.pptx"), lang=args.lang)
    print(f"wrote {out}")
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    folders, project = _folders(args, ("raw",))
    _say_folders([folders["raw"]], [], project)
    if not folders["raw"].is_dir():
        print(f"the raw data folder {folders['raw']} does not exist", file=sys.stderr)
        return 1
    from .sources_report import sources_report  # noqa: PLC0415

    frame = sources_report(folders["raw"])
    if frame.empty:
        print("no sources")
        return 0
    print(frame.to_string(index=False))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from .communes.template import write_communes_template  # noqa: PLC0415
    from .template import write_results_template  # noqa: PLC0415

    _say_folders([], [Path(args.out).resolve().parent])
    try:
        if args.kind == "communes":
            paths = write_communes_template(args.year, Path(args.out), args.province, args.status,
                                            overwrite=args.force)
        else:
            paths = write_results_template(args.year, Path(args.out), args.province, overwrite=args.force)
    except (ValueError, FileExistsError) as exc:
        print(f"no template written: {exc}", file=sys.stderr)
        return 2
    for path in paths:
        print(f"wrote {path}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ntm-analysis", description="NTM plan appendices -> tidy tables, "
                                "analyses and briefing figures.")
    sub = p.add_subparsers(dest="command", required=True)

    v = sub.add_parser("validate", help="check workbooks; exit 1 if any has errors")
    v.add_argument("files", nargs="+", metavar="FILE")
    v.add_argument("--strict", action="store_true", help="warnings count as errors")
    v.set_defaults(func=cmd_validate)

    t = sub.add_parser("tidy", help="write the tidy CSV tables of one workbook")
    t.add_argument("file", metavar="FILE")
    t.add_argument("--out", required=True, metavar="DIR")
    t.add_argument("--strict", action="store_true")
    t.set_defaults(func=cmd_tidy)

    b = sub.add_parser("build", help="build tables, analyses and figures from data/raw")
    b.add_argument("--project", metavar="DIR", help=PROJECT_HELP)
    b.add_argument("--raw", metavar="DIR", help="inputs (default: PROJECT/data/raw)")
    b.add_argument("--processed", metavar="DIR", help="tables (default: PROJECT/data/processed)")
    b.add_argument("--figures", metavar="DIR", help="figures (default: PROJECT/figures)")
    b.add_argument("--strict", action="store_true")
    b.add_argument("--force", action="store_true", help="rebuild even when up to date")
    b.add_argument("--lang", choices=["vi", "en"], default="vi")
    b.add_argument("--no-figures", action="store_true", help=argparse.SUPPRESS)
    b.add_argument("--reference", metavar="DIR",
                   help="a hand-made districts.csv/district_aliases.csv; its provinces replace the packaged ones")
    b.add_argument("--workers", type=int, default=None,
                   help="processes reading the sources and drawing the figures (default: 2, or 1 on one core)")
    b.set_defaults(func=cmd_build)

    d = sub.add_parser("deck", help="write the briefing deck (PowerPoint), building first if out of date")
    d.add_argument("--lang", choices=["vi", "en"], default="vi")
    d.add_argument("--out", metavar="FILE.pptx", help="default reports/briefing.pptx")
    d.add_argument("--raw", metavar="DIR")
    d.add_argument("--processed", metavar="DIR")
    d.add_argument("--figures", metavar="DIR")
    d.set_defaults(func=cmd_deck)

    s = sub.add_parser("sources", help="list the sources in data/raw and what each holds")
    s.add_argument("--project", metavar="DIR", help=PROJECT_HELP)
    s.add_argument("--raw", metavar="DIR", help="inputs (default: PROJECT/data/raw)")
    s.set_defaults(func=cmd_sources)

    tp = sub.add_parser("template", help="write a workbook to fill in")
    tp.add_argument("kind", choices=["results", "communes"],
                    help="results: the appendices of a results report; communes: the commune criteria table")
    tp.add_argument("--year", type=int, required=True)
    tp.add_argument("--status", choices=["actual", "target"], default="actual",
                    help="communes only: results at the end of the year (actual) or the plan's target")
    tp.add_argument("--out", required=True, metavar="FILE.xlsx")
    tp.add_argument("--province", default="10", metavar="CODE", help="GSO province code (default 10, Lào Cai)")
    tp.add_argument("--force", action="store_true", help="replace an existing file of that name")
    tp.set_defaults(func=cmd_template)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except ProjectNotFound as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; nothing was replaced", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: keep it short unless asked
        if os.environ.get("NTM_DEBUG"):
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (set NTM_DEBUG=1 for details)", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
