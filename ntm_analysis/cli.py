"""Command line: ``ntm-analysis validate | tidy | build | sources | template | deck``.

Exit codes: 0 success, 1 the input has errors (or a folder is missing), 2 usage
error, 3 a bug. Bad input never produces a Python traceback (set NTM_DEBUG=1 to
see one for a bug). Every command first prints one line with the folders it
reads and writes; the project folder is found by ``config.find_project``
(``--project``, ``NTM_PROJECT``, the current folder's data/raw/, the source
checkout).

The language is one setting: ``--lang vi|en`` on every command, else the
``NTM_LANG`` variable, else Vietnamese. It is read before anything else, so the
help, the messages and the outputs all speak it (:func:`main`).
"""
from __future__ import annotations

import argparse
import os
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from . import i18n, units
from .config import DEFAULT_WORKERS, MOST_DEFAULT_WORKERS, PROJECT_ENV, Project, ProjectNotFound, find_project
from .findings import SEVERITY_ORDER, Findings, finding_counts
from .formats import LANGS
from .i18n import N_, _, ngettext, num
from .publishing.cache import CACHE_DIR
from .publishing.commune_template import write_communes_template
from .publishing.outputs import column_labels, for_reader, staging
from .publishing.stamps import deck_inputs, forget, is_current, write_stamp
from .publishing.template import write_results_template
from .reading.reader import read_source

if TYPE_CHECKING:
    from .findings import Findings

MAX_LINES = 40  # findings printed before "… and N more" (all of them go to validation.csv)
#: argparse's own words (usage, headings, its error messages), translated through the
#: package's catalogue while a command runs (see :func:`argparse_speaks`).
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


# ----------------------------------------------------------------- output --
def _print_findings(findings: Findings, stream=None) -> None:
    """Errors, then warnings, to ``stream`` (the standard output in force when called); the info
    lines (checks that hold) are counted in the summary and written to validation.csv, not printed."""
    items = sorted((f for f in findings if f.severity != "info"),
                   key=lambda f: SEVERITY_ORDER[f.severity])
    stream = stream or sys.stdout
    for f in items[:MAX_LINES]:
        print(f.line(), file=stream)
    if len(items) > MAX_LINES:
        more = len(items) - MAX_LINES
        print(_("… and {n} more (all of them in validation.csv)").format(n=num(more)), file=stream)


def _counts_text(errors: int, warnings: int, held: int = 0) -> str:
    """"2 errors, 1 warning, 39 checks hold", in the current language."""
    text = (ngettext("{n} error", "{n} errors", errors).format(n=num(errors)) + ", "
            + ngettext("{n} warning", "{n} warnings", warnings).format(n=num(warnings)))
    if held:
        text += ", " + ngettext("{n} check holds", "{n} checks hold", held).format(n=num(held))
    return text


def _summary(findings: Findings) -> str:
    """The counts of ``findings`` (:func:`_counts_text`)."""
    counts = finding_counts(findings)
    return _counts_text(counts["errors"], counts["warnings"], counts["checks_hold"])


def _folders(args: argparse.Namespace, names: tuple[str, ...]) -> tuple[dict[str, Path], Project | None]:
    """The folders ``names`` ("raw", "processed", "figures", "reports") of a command:
    each from its option when given, else the project's (found only when needed)."""
    given = {name: getattr(args, name, None) for name in names}
    project = None if all(given.values()) else find_project(getattr(args, "project", None))
    return {name: Path(given[name]).resolve() if given[name] else getattr(project, name) for name in names}, project


def _say_folders(reads: list[Path], writes: list[Path], project: Project | None = None) -> None:
    """The one line every command prints first: what it reads, what it writes."""
    def names(paths: list[Path]) -> str:
        return ", ".join(dict.fromkeys(str(p) for p in paths)) or _("nothing")
    line = _("reading {reads}; writing {writes}").format(reads=names(reads), writes=names(writes))
    print(line + (f" ({project.describe()})" if project else ""))


def _missing_folder(folder: Path) -> bool:
    """Say so (one line) when the input folder ``folder`` does not exist."""
    if folder.is_dir():
        return False
    print(_("the raw data folder {folder} does not exist: name an existing folder with --raw DIR or "
            "--project DIR").format(folder=folder), file=sys.stderr)
    return True


# --------------------------------------------------------------- commands --
def cmd_validate(args: argparse.Namespace) -> int:
    _say_folders([Path(name).resolve().parent for name in args.files], [])
    status = 0
    for name in args.files:
        read = read_source(Path(name))
        findings = read.findings.strict() if args.strict else read.findings
        _print_findings(findings)
        print(_("{file}: {summary}").format(file=Path(name).name, summary=_summary(findings)))
        status = max(status, 1 if findings.errors else 0)
    return status


def cmd_tidy(args: argparse.Namespace) -> int:
    from .publishing.build import write_tables  # noqa: PLC0415  (multiprocessing: not for validate, row 2b)

    _say_folders([Path(args.file).resolve()], [Path(args.out).resolve()])
    read = read_source(Path(args.file))
    findings = read.findings.strict() if args.strict else read.findings
    _print_findings(findings)
    name = Path(args.file).name
    if findings.errors:
        print(_("{file}: {summary}; nothing was written").format(file=name, summary=_summary(findings)))
        return 1
    with staging(Path(args.out)) as tmp:
        write_tables(read.tables, findings, tmp)
    print(_("{file}: {summary}; tidy tables written to {folder}").format(file=name, summary=_summary(findings),
                                                                         folder=args.out))
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .publishing.build import build  # noqa: PLC0415  (multiprocessing: not for validate, row 2b)

    folders, project = _folders(args, ("raw", "processed", "figures"))
    _say_folders([folders["raw"]], [folders["processed"]] + ([folders["figures"]] if not args.no_figures else []),
                 project)
    if _missing_folder(folders["raw"]):
        return 1
    result = build(folders["raw"], folders["processed"], folders["figures"], strict=args.strict, force=args.force,
                   lang=args.lang, figures=not args.no_figures,
                   reference_dir=Path(args.reference) if args.reference else None,
                   workers=args.workers)
    if result.up_to_date:
        print(_up_to_date(result.last_counts))
        return 0
    _print_findings(result.findings)
    if result.exit_code:
        print(_("build failed: {summary}; nothing was written or replaced").format(summary=_summary(result.findings)))
        return result.exit_code
    for note in result.notes:
        print(note)
    if result.cached_files:  # a rebuild: how many sources were read again

        print(_("sources: {read} read, {cached} taken from the cache of earlier reads ({folder})").format(
            read=num(len(result.read_files)), cached=num(len(result.cached_files)),
            folder=folders["processed"] / CACHE_DIR))
    n = len(result.outputs)
    print(ngettext("build done: {summary}; {n} file written", "build done: {summary}; {n} files written", n)
          .format(summary=_summary(result.findings), n=num(n)))
    return 0


def _up_to_date(counts: dict[str, int] | None) -> str:
    """"up to date; last build: 0 errors, 1 warning (see validation.csv)"."""
    if not counts:  # a manifest written before the counts were kept
        return _("up to date (inputs, package version and options unchanged; --force rebuilds)")
    return _("up to date; last build: {summary} (see validation.csv)").format(
        summary=_counts_text(counts.get("errors", 0), counts.get("warnings", 0)))


def cmd_deck(args: argparse.Namespace) -> int:
    from .publishing.build import build  # noqa: PLC0415  (multiprocessing: not for validate, row 2b)

    folders, project = _folders(args, ("raw", "processed", "figures") + (() if args.out else ("reports",)))
    name = "briefing.pptx" if args.lang == "vi" else f"briefing-{args.lang}.pptx"  # a language never clobbers another
    out = Path(args.out).resolve() if args.out else folders["reports"] / name
    _say_folders([folders["raw"]], [folders["processed"], folders["figures"], out], project)
    if _missing_folder(folders["raw"]):
        return 1
    result = build(folders["raw"], folders["processed"], folders["figures"], lang=args.lang)
    if result.exit_code:
        _print_findings(result.findings)
        print(_("no deck: the build failed ({summary})").format(summary=_summary(result.findings)))
        return result.exit_code
    key, reads = deck_inputs(folders["processed"], args.lang)
    if not args.force and is_current(out, key):  # the same tables, package and language: the same deck
        print(_("{path} is up to date").format(path=out))
        return 0
    forget(out)
    from .publishing.deck import build_deck  # noqa: PLC0415 (matplotlib, python-pptx: only to write it)

    written = build_deck(folders["processed"], out, lang=args.lang)
    write_stamp(written, key, reads)
    print(_("wrote {path}").format(path=written))
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    folders, project = _folders(args, ("raw",))
    _say_folders([folders["raw"]], [], project)
    if _missing_folder(folders["raw"]):
        return 1
    from .publishing.sources_report import sources_report  # noqa: PLC0415  (multiprocessing: not for validate)

    frame = sources_report(folders["raw"])
    if frame.empty:
        print(_("no sources in {folder}").format(folder=folders["raw"]))
    else:
        shown = for_reader(frame, i18n.current_language()).rename(columns=column_labels(i18n.current_language()))
        print(shown.to_string(index=False))
    from .reading.inputs import unread_files, unread_message  # noqa: PLC0415  (multiprocessing: not for validate)

    for path, reason in unread_files(folders["raw"]):  # every file not read, and why
        print(f"{path.name}: {unread_message(path, reason)}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    _say_folders([], [Path(args.out).resolve().parent])
    try:
        if args.kind == "communes":
            paths = write_communes_template(args.year, Path(args.out), args.province, args.status,
                                            overwrite=args.force)
        else:
            paths = write_results_template(args.year, Path(args.out), args.province, overwrite=args.force)
    except (ValueError, FileExistsError) as exc:
        print(_("no template written: {reason}").format(reason=exc), file=sys.stderr)
        return 2
    for path in paths:
        print(_("wrote {path}").format(path=path))
    return 0


def cmd_units(args: argparse.Namespace) -> int:
    """``units successors|predecessors``: the 2021 units and their 2025 successors, or the reverse."""
    from contextlib import redirect_stdout  # noqa: PLC0415

    with redirect_stdout(sys.stderr if args.csv else sys.stdout):  # the CSV alone on the standard output
        _say_folders([units.REFERENCE_DIR], [])
    office = None
    if args.changes:
        findings = Findings()
        office = units.read_office_changes(Path(args.changes), findings)
        _print_findings(findings, sys.stderr)
    if args.direction == "successors":
        frame = units.select(units.successors(office), args.units, "commune_code", "commune")
        if args.province:
            frame = frame[frame.province_code == args.province]
    else:
        frame = units.select(units.predecessors(office), args.units, "code_2025", "commune_2025")
        if args.province:
            frame = frame[frame.province_code_2025 == args.province]
    if frame.empty:
        print(_("no unit matches {wanted}").format(wanted=", ".join(args.units) or args.province), file=sys.stderr)
        return 1
    if args.csv:
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
        return 0
    words = {"whole": _("whole"), "part": _("part"), "unchanged": _("unchanged"),
             "unknown": _("successor unknown")}
    print(frame.assign(change=frame.change.map(words)).drop(columns=["basis"]).to_string(index=False))
    unknown = frame[frame.change == "unknown"]
    if len(unknown):
        print(ngettext("{n} unit merged before 1 July 2025 has no known successor: add it to data/raw/{file}",
                       "{n} units merged before 1 July 2025 have no known successor: add them to data/raw/{file}",
                       len(unknown)).format(n=num(len(unknown)), file=units.OFFICE_CHANGES_FILE), file=sys.stderr)
    return 0


# ----------------------------------------------------------------- parser --
def year(text: str) -> int:
    """A year of four digits ("2021"); anything else is a usage error in plain words."""
    if not (len(text.strip()) == 4 and text.strip().isdigit()):
        raise argparse.ArgumentTypeError(
            _("the year must have four digits, e.g. 2021 (not {value!r})").format(value=text))
    return int(text)


def workers(text: str) -> int:
    """A number of processes: a whole number of at least 1."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(
            _("the number of processes must be a whole number of at least 1 (not {value!r})").format(value=text))
    return int(text)


def default_workers() -> int:
    """Processes ``build`` uses by default (``config.DEFAULT_WORKERS``)."""
    return DEFAULT_WORKERS


def most_default_workers() -> int:
    """The most processes ``build`` uses by default (``config.MOST_DEFAULT_WORKERS``)."""
    return MOST_DEFAULT_WORKERS


def _example(*lines: str) -> str:
    return _("example:") + "\n" + "\n".join(f"  {line}" for line in lines)


def parser() -> argparse.ArgumentParser:
    """The command line, its help in the current language (set the language first)."""
    formatter = argparse.RawDescriptionHelpFormatter
    p = argparse.ArgumentParser(
        prog="ntm-analysis", formatter_class=formatter,
        description=_("NTM plan appendices -> tidy tables, analyses and briefing figures."),
        epilog=_("examples:") + "\n" + "\n".join(f"  {line}" for line in (
            "ntm-analysis sources", "ntm-analysis validate FILE.xlsx", "ntm-analysis build --lang en",
            "ntm-analysis template results --year 2021 --out ket-qua-2021.xlsx", "ntm-analysis deck"))
        + "\n\n" + textwrap.fill(_("The folders: --project DIR, else ${project}, else the current folder if it "
                                   "holds data/raw/, else the source checkout. The language: --lang, else ${lang}, "
                                   "else vi.").format(project=PROJECT_ENV, lang=i18n.ENV_VAR), 78))
    p.add_argument("--lang", choices=LANGS, default=i18n.current_language(),
                   help=_("language of the messages and outputs, vi or en (default: {default}; "
                          "the {variable} variable sets it)").format(default=i18n.current_language(),
                                                                    variable=i18n.ENV_VAR))
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND",
                           title=_("commands"), help=_("ntm-analysis COMMAND --help describes each one"))

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=LANGS, default=i18n.current_language(),
                        help=_("language of the messages and outputs, vi or en (default: {default}; "
                               "the {variable} variable sets it)").format(default=i18n.current_language(),
                                                                         variable=i18n.ENV_VAR))
    strict = argparse.ArgumentParser(add_help=False)
    strict.add_argument("--strict", action="store_true",
                        help=_("count warnings as errors (default: off)"))
    project = argparse.ArgumentParser(add_help=False)
    project.add_argument("--project", metavar="DIR",
                         help=_("the project folder (default: ${variable}, else the current folder if it holds "
                                "data/raw/, else the source checkout)").format(variable=PROJECT_ENV))
    project.add_argument("--raw", metavar="DIR", help=_("the inputs (default: PROJECT/data/raw)"))

    def command(name: str, help: str, example: tuple[str, ...], parents: list) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, description=help, epilog=_example(*example),
                              parents=parents, formatter_class=formatter)

    v = command("validate", _("check workbooks and documents; exit 1 if any has errors"),
                ("ntm-analysis validate data/raw/ke-hoach-05-KH-UBND-2021-lao-cai.xlsx",), [common, strict])
    v.add_argument("files", nargs="+", metavar="FILE",
                   help=_("a workbook (.xlsx) or document (.docx, .pdf, .md, .txt); several may be given"))
    v.set_defaults(func=cmd_validate)

    t = command("tidy", _("write the tidy CSV tables of one workbook or document"),
                ("ntm-analysis tidy ke-hoach.xlsx --out /tmp/tidy",), [common, strict])
    t.add_argument("file", metavar="FILE", help=_("a workbook (.xlsx) or document (.docx, .pdf, .md, .txt)"))
    t.add_argument("--out", required=True, metavar="DIR", help=_("the folder the tables are written to (required)"))
    t.set_defaults(func=cmd_tidy)

    b = command("build", _("build tables, analyses and figures from data/raw"),
                ("ntm-analysis build", "ntm-analysis build --force --lang en"), [common, strict, project])
    b.add_argument("--processed", metavar="DIR", help=_("the tables (default: PROJECT/data/processed)"))
    b.add_argument("--figures", metavar="DIR", help=_("the figures (default: PROJECT/figures)"))
    b.add_argument("--force", action="store_true",
                   help=_("rebuild even when the outputs are up to date (default: off)"))
    b.add_argument("--no-figures", action="store_true", help=argparse.SUPPRESS)
    b.add_argument("--reference", metavar="DIR",
                   help=_("a folder with your own districts.csv and district_aliases.csv; its provinces replace "
                          "the packaged ones (default: the packaged gazetteer of 2021)"))
    b.add_argument("--workers", type=workers, default=default_workers(), metavar="N",
                   help=_("processes reading the sources and drawing the figures (default: {n}, this machine's "
                          "processors up to {most})").format(n=default_workers(), most=most_default_workers()))
    b.set_defaults(func=cmd_build)

    d = command("deck", _("write the briefing deck (PowerPoint), building first if out of date"),
                ("ntm-analysis deck --lang en",), [common, project])
    d.add_argument("--out", metavar="FILE.pptx", help=_(
        "the deck (default: PROJECT/reports/briefing.pptx; in English briefing-en.pptx)"))
    d.add_argument("--processed", metavar="DIR", help=_("the tables (default: PROJECT/data/processed)"))
    d.add_argument("--figures", metavar="DIR", help=_("the figures (default: PROJECT/figures)"))
    d.add_argument("--force", action="store_true",
                   help=_("write the deck even when the tables, the package and the language are those it was "
                          "written from (default: off)"))
    d.set_defaults(func=cmd_deck)

    s = command("sources", _("list the sources in data/raw and what each holds"),
                ("ntm-analysis sources --project ~/ntm-lao-cai",), [common, project])
    s.set_defaults(func=cmd_sources)

    tp = command("template", _("write a workbook to fill in"),
                 ("ntm-analysis template results --year 2021 --out ket-qua-2021.xlsx",
                  "ntm-analysis template communes --year 2021 --status actual --out xa-2021.xlsx"), [common])
    tp.add_argument("kind", choices=["results", "communes"],
                    help=_("results: the appendices of a results report; communes: the commune criteria table"))
    tp.add_argument("--year", type=year, required=True, metavar="YYYY",
                    help=_("the year the workbook reports, four digits (required)"))
    tp.add_argument("--status", choices=["actual", "target"], default="actual",
                    help=_("communes only: results at the end of the year (actual) or the plan's target "
                           "(default: actual)"))
    tp.add_argument("--out", required=True, metavar="FILE.xlsx", help=_("the workbook to write (required)"))
    tp.add_argument("--province", default="10", metavar="CODE",
                    help=_("GSO province code (default: 10, Lào Cai)"))
    tp.add_argument("--force", action="store_true",
                    help=_("replace an existing file of that name (default: off)"))
    tp.set_defaults(func=cmd_template)

    u = command("units", _("the units of 2021 and their successors from 1 July 2025, or the reverse"),
                ("ntm-analysis units successors 02872", "ntm-analysis units successors --province 10 --csv",
                 "ntm-analysis units predecessors \"Xã Bắc Hà\""), [common])
    u.add_argument("direction", choices=["successors", "predecessors"],
                   help=_("successors: each 2021 unit's 2025 unit(s); predecessors: each 2025 unit's 2021 units"))
    u.add_argument("units", nargs="*", metavar="CODE|NAME",
                   help=_("unit codes or names (default: every unit of the country)"))
    u.add_argument("--province", metavar="CODE",
                   help=_("only this province (its 2021 code for successors, its 2025 code for predecessors)"))
    u.add_argument("--csv", action="store_true", help=_("write CSV to the standard output (default: a table)"))
    u.add_argument("--changes", metavar="FILE.csv",
                   help=_("an office's own known changes (columns commune_code, code_before, source)"))
    u.set_defaults(func=cmd_units)
    return p


# ------------------------------------------------------------------- main --
def chosen_language(argv: list[str]) -> tuple[str, str]:
    """The language asked for, and where: ``--lang X`` (or ``--lang=X``) on the command
    line, else ``$NTM_LANG``, else Vietnamese ("vi", ""). A value that is not a
    language comes back as it is, for :func:`main` to refuse."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang")
    known, _rest = pre.parse_known_args(argv)
    if known.lang:
        return known.lang, "--lang"
    env = os.environ.get(i18n.ENV_VAR, "").strip()
    return (env.lower(), i18n.ENV_VAR) if env else (i18n.DEFAULT_LANG, "")


@contextmanager
def argparse_speaks() -> Iterator[None]:
    """argparse's own words (ARGPARSE_MESSAGES) in the current language, for the
    duration of one command; argparse is left as it was afterwards."""
    before = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = i18n._, i18n.ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = before


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns its exit code. The language is set first, once
    (``--lang``, else ``NTM_LANG``, else vi), so the help speaks it too."""
    argv = sys.argv[1:] if argv is None else list(argv)
    lang, how = chosen_language(argv)
    with i18n.use_language(lang if lang in LANGS else i18n.DEFAULT_LANG), argparse_speaks():
        if how == i18n.ENV_VAR and lang not in LANGS:
            print(_("{variable}={value} is not a language of ntm-analysis: use {languages}").format(
                variable=i18n.ENV_VAR, value=os.environ[i18n.ENV_VAR], languages=" / ".join(LANGS)), file=sys.stderr)
            return 2
        args = parser().parse_args(argv)  # a wrong --lang is refused here, in Vietnamese
        try:
            return args.func(args)
        except ProjectNotFound as exc:
            print(exc, file=sys.stderr)
            return 1
        except BrokenPipeError:  # the reader stopped reading (`… | head`): nothing more to say
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
            except (OSError, ValueError, AttributeError):
                pass
            return 141
        except KeyboardInterrupt:
            print(_("interrupted; nothing was replaced"), file=sys.stderr)
            return 130
        except Exception as exc:  # a bug, not bad input: keep it short unless asked
            if os.environ.get("NTM_DEBUG"):
                raise
            print(_("internal error: {kind}: {error} (set NTM_DEBUG=1 for details)").format(
                kind=type(exc).__name__, error=exc), file=sys.stderr)
            return 3


if __name__ == "__main__":
    sys.exit(main())
