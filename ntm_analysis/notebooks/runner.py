"""Execute the five notebooks and export them to HTML (``make notebooks``).

The notebooks are the percent-format ``.py`` files of ``notebooks/`` (jupytext);
the ``.ipynb`` beside them are written from them (``make sync-notebooks``).
From the shell::

    python -m ntm_analysis.notebooks.runner --html reports
    python -m ntm_analysis.notebooks.runner -p raw_dir /tmp/other --only 02 --html /tmp/reports

Each notebook runs with nbclient in a fresh kernel of its own, of this very Python (the
``ntm-analysis`` kernel, registered with ``ipykernel install --sys-prefix``), at most
``--jobs`` (two) at a time, the longest first. Each notebook has
its parameters injected after the cell tagged ``parameters`` (as papermill
would, without its import and its guessing at the cell's types); nbconvert then
exports it to HTML without the code cells (the story, tables and figures;
``--show-code`` keeps them). The notebook files are never written to.

A report whose inputs did not change since it was written is not executed
again (``--force`` executes it anyway). Its inputs are the notebook, its
parameters, the package (version and files), and the files and folder listings
of the raw, processed and examples folders *that the notebook read* when it
last ran: the kernel records them (an audit hook on ``open``, ``os.listdir``
and ``os.scandir``), so a report that reads only the raw workbooks is not
executed again because a build rewrote ``data/processed/``; files are compared by the
sha256 of their bytes (``fingerprints.fingerprints``), so a build that rewrites a table
with the same content makes no report stale.
"""
from __future__ import annotations

import argparse
import ast
import asyncio
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__, config
from ..cli import argparse_speaks, chosen_language
from ..fingerprints import write_text_atomically
from ..formats import LANGS
from ..i18n import DEFAULT_LANG, _, current_language, num, use_language
from ..publishing.stamps import forget, hash_folder, is_current, last_seconds, write_stamp

if TYPE_CHECKING:
    from jupyter_client.manager import AsyncKernelManager
    from nbformat import NotebookNode

# nbformat validates notebooks with jsonschema, which imports its optional checker of the
# "iri" format when it is installed (rfc3987_syntax, brought in by Jupyter's own dependencies):
# that import compiles a grammar, about a second, for a format no notebook schema uses. The
# runner goes without it (jsonschema then skips that format, as when it is not installed).
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

NOTEBOOKS: tuple[str, ...] = (
    "01-data-cleaning.py",
    "02-criteria-gaps.py",
    "03-district-targets-vs-achievements.py",
    "04-funding-shares.py",
    "05-communes.py",
)
PARAMETERS_TAG = "parameters"
#: The kernel the runner registers (in this Python's prefix) and executes the notebooks with.
KERNEL_NAME = "ntm-analysis"
#: Notebooks executed at once, each in a kernel of its own: two, or one on a single core.
DEFAULT_JOBS = max(1, min(2, os.cpu_count() or 1))
#: The parameters naming the folders a notebook reads, with their defaults
#: (those of the notebooks' ``parameters`` cell): what a report depends on.
INPUT_FOLDERS: dict[str, Path] = {
    "raw_dir": config.RAW_DIR,
    "processed_dir": config.PROCESSED_DIR,
    "examples_dir": config.EXAMPLES_DIR,
}


# ---------------------------------------------------------------------------
# The notebooks
# ---------------------------------------------------------------------------
def notebook_paths(folder: Path = config.NOTEBOOKS_DIR, only: list[str] | None = None) -> list[Path]:
    """The five notebooks' ``.py`` files (or those whose name starts with one of ``only``)."""
    paths = [Path(folder) / name for name in NOTEBOOKS]
    if only:
        paths = [p for p in paths if any(p.name.startswith(o) or p.stem == o for o in only)]
    return paths


def read_notebook(path: Path) -> NotebookNode:
    """A notebook (``nbformat`` node) read from its ``.py`` (jupytext percent format) or ``.ipynb``."""
    import jupytext  # noqa: PLC0415

    return jupytext.read(str(path))


def write_ipynb(path: Path) -> Path:
    """Write the ``.ipynb`` of the notebook ``path`` (a ``.py``) beside it, without
    outputs; the ids of the cells it already had are kept (``jupytext --update``)."""
    import jupytext  # noqa: PLC0415
    from jupytext.combine import combine_inputs_with_outputs  # noqa: PLC0415

    path = Path(path)
    out = path.with_suffix(".ipynb")
    nb = read_notebook(path)
    if out.is_file():
        nb = combine_inputs_with_outputs(nb, jupytext.read(str(out)), fmt="ipynb")
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    jupytext.write(nb, str(out), fmt="ipynb")
    return out


def check_parameters(parameters: dict[str, Any] | None) -> dict[str, Any]:
    """``parameters`` as papermill injects them: paths as text; anything but a
    plain literal (text, number, bool, None, list, dict) raises ValueError."""
    checked = {}
    for name, value in (parameters or {}).items():
        value = str(value) if isinstance(value, Path) else value
        try:
            ast.literal_eval(repr(value))
        except (ValueError, SyntaxError):
            raise ValueError(f"the parameter {name} must be a plain literal (text, number, bool, None, list…), "
                             f"not {type(value).__name__}") from None
        checked[name] = value
    return checked


# ---------------------------------------------------------------------------
# The kernel
# ---------------------------------------------------------------------------
def kernel_dir() -> Path:
    """Where ``ipykernel install --sys-prefix`` puts the kernel: inside this Python's prefix."""
    return Path(sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME


def ensure_kernel() -> Path:
    """Register the ``ntm-analysis`` kernel (this interpreter) with
    ``ipykernel install --sys-prefix`` unless it is there already."""
    spec = kernel_dir() / "kernel.json"
    try:
        if json.loads(spec.read_text(encoding="utf-8"))["argv"][0] == sys.executable:
            return spec.parent
    except (OSError, ValueError, KeyError, IndexError):
        pass
    subprocess.run([sys.executable, "-m", "ipykernel", "install", "--sys-prefix", "--name", KERNEL_NAME,
                    "--display-name", f"Python (ntm-analysis, {sys.prefix})"],
                   check=True, capture_output=True, text=True)
    return spec.parent


def kernel_manager() -> AsyncKernelManager:
    """A kernel manager (asynchronous, as nbclient drives it) that looks for the kernel in
    this Python's prefix only (a kernel of the same name elsewhere, e.g. in the user's
    folder, is ignored)."""
    from jupyter_client.kernelspec import KernelSpecManager  # noqa: PLC0415
    from jupyter_client.manager import AsyncKernelManager  # noqa: PLC0415

    ensure_kernel()
    specs = KernelSpecManager(kernel_dirs=[str(kernel_dir().parent)], ensure_native_kernel=False)
    return AsyncKernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=specs)


# ---------------------------------------------------------------------------
# Executing and exporting
# ---------------------------------------------------------------------------
class NotebookFailed(Exception):
    """A cell failed; ``notebook`` is the notebook executed up to (and with) the error."""

    def __init__(self, message: str, notebook: NotebookNode | None):
        super().__init__(message)
        self.notebook = notebook


#: Tag of the cell holding the parameters given to a run (papermill's name for it).
INJECTED_TAG = "injected-parameters"


def input_roots(parameters: dict[str, Any] | None) -> list[str]:
    """The folders a notebook reads its data from (``INPUT_FOLDERS``, as the parameters
    set them), as absolute paths, with and without symbolic links resolved."""
    parameters = check_parameters(parameters)
    roots = []
    for name, default in INPUT_FOLDERS.items():
        value = parameters.get(name, default)
        if value is not None:
            for folder in (os.path.abspath(value), os.path.realpath(value)):
                roots += [folder, folder.rstrip(os.sep) + os.sep]
    return sorted(set(roots))


def parameter_names(nb: NotebookNode) -> set[str]:
    """The names the notebook's ``parameters`` cell assigns (none without such a cell)."""
    names: set[str] = set()
    for cell in nb.cells:
        if cell.cell_type == "code" and PARAMETERS_TAG in cell.metadata.get("tags", []):
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, (ast.Assign, ast.AnnAssign)):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def _literal(value: Any) -> str:
    """A parameter's value as Python source (text in double quotes, as JSON writes it)."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def inject_parameters(nb: NotebookNode, parameters: dict[str, Any] | None) -> list[str]:
    """Insert a cell tagged ``injected-parameters`` assigning ``parameters`` right after
    the cell tagged ``parameters`` (at the top without one), as papermill does; the names
    the notebook does not declare in that cell are returned (they are set all the same)."""
    import nbformat  # noqa: PLC0415

    parameters = check_parameters(parameters)
    if not parameters:
        return []
    source = "# Parameters\n" + "".join(f"{name} = {_literal(value)}\n" for name, value in parameters.items())
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": [INJECTED_TAG]})
    tagged = [i for i, c in enumerate(nb.cells) if PARAMETERS_TAG in c.metadata.get("tags", [])]
    nb.cells.insert(tagged[0] + 1 if tagged else 0, cell)
    return sorted(set(parameters) - parameter_names(nb))


#: The audit events that count as reading a path (their first argument).
_READ_EVENTS = frozenset({"open", "os.listdir", "os.scandir"})
#: What the kernel has read under the roots given to :func:`record_reads` (kernel side).
_read: set[str] = set()


def record_reads(roots: list[str]) -> None:
    """(In the notebook's kernel, before its first cell.) Record every path under ``roots``
    that this process opens or lists (an audit hook: :func:`recorded` returns them), but
    the cache of a processed folder (``config.CACHE_DIR``): its entries are keyed by the
    files they were read from, which are recorded when read (or hashed)."""
    prefixes = tuple(roots)
    cache = f"{os.sep}{config.CACHE_DIR}"

    def audit(event: str, args: tuple) -> None:
        if event in _READ_EVENTS and args and isinstance(args[0], (str, bytes, os.PathLike)):
            name = os.path.abspath(os.fsdecode(args[0]))
            if name.startswith(prefixes) and f"{cache}{os.sep}" not in name and not name.endswith(cache):
                _read.add(name)

    sys.addaudithook(audit)


def recorded() -> list[str]:
    """(In the notebook's kernel, after its last cell.) What :func:`record_reads` recorded, sorted."""
    return sorted(_read)


#: This module as the kernel reaches it in a silent execution (no cell, no execution count,
#: no name bound in the notebook's namespace).
_IN_KERNEL = '__import__("ntm_analysis.notebooks.runner").notebooks.runner'


async def _silent(kc: Any, code: str, expression: str, timeout: int) -> Any:
    """Execute ``code`` silently in the kernel of ``kc``; the value of ``expression`` (a literal), if given."""
    msg_id = kc.execute(code, silent=True, store_history=False,
                        user_expressions={"value": expression} if expression else {})
    while True:
        reply = await kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    content = reply["content"]
    if content["status"] != "ok":
        raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")
    if not expression:
        return None
    value = content["user_expressions"]["value"]
    if value.get("status") != "ok":
        raise RuntimeError(f"{value.get('ename')}: {value.get('evalue')}")
    return ast.literal_eval(value["data"]["text/plain"])


async def _execute(nb: NotebookNode, roots: list[str], cwd: str, timeout: int) -> list[str]:
    """Execute ``nb`` (in place) in a fresh kernel working in ``cwd``, shut down afterwards;
    the files and folders under ``roots`` it read."""
    from nbclient import NotebookClient  # noqa: PLC0415 (Jupyter: only when a notebook runs)

    km = kernel_manager()
    # its log lines (not the cells' output) kept out of the run's output, speaking the runner's
    # language (``--lang``, else $NTM_LANG) whatever the caller's environment, and without a
    # history database (the notebooks are no session of the user's)
    await km.start_kernel(cwd=cwd, stderr=subprocess.DEVNULL, env=dict(os.environ, NTM_LANG=current_language()),
                          extra_arguments=["--HistoryManager.enabled=False"])
    kc = km.client()
    try:
        kc.start_channels()
        await kc.wait_for_ready(timeout=60)
        await _silent(kc, f"{_IN_KERNEL}.record_reads({roots!r})", "", timeout)
        client = NotebookClient(nb, km=km, timeout=timeout, kernel_name=KERNEL_NAME, allow_errors=False,
                                record_timing=False)
        client.kc = kc  # (its constructor drops a ``kc`` given, and would open a client of its own)
        await client.async_execute()
        return await _silent(kc, "", f"{_IN_KERNEL}.recorded()", timeout)
    finally:
        kc.stop_channels()
        if km.has_kernel:
            await km.shutdown_kernel(now=True)


def execute_notebook(path: Path, parameters: dict[str, Any] | None = None, *, cwd: Path | None = None,
                     timeout: int = 600, reads: set[str] | None = None) -> NotebookNode:
    """Execute a notebook (read from ``path``, never written back) with nbclient in a fresh
    kernel of its own, its ``parameters`` injected after its ``parameters`` cell, and return
    it. ``cwd`` is the kernel's working folder (default: a neutral temporary folder, so a
    notebook that depended on the working folder fails). ``reads``: when given, receives the
    files and folders of ``input_roots`` that the notebook opened or listed. A failing cell
    raises :class:`NotebookFailed`, carrying the notebook executed up to it."""
    from nbclient.exceptions import CellExecutionError  # noqa: PLC0415 (Jupyter: only when a notebook runs)

    nb = read_notebook(path)
    unknown = inject_parameters(nb, parameters)
    if unknown:
        print(_("{notebook}: no parameter {names} in its parameters cell (set all the same)").format(
            notebook=Path(path).name, names=", ".join(unknown)), file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="ntm-nb-", ignore_cleanup_errors=True) as tmp:
        try:
            found = asyncio.run(_execute(nb, input_roots(parameters), str(cwd or tmp), timeout))
        except CellExecutionError as exc:
            failed = next((c for c in nb.cells if c.cell_type == "code"
                           and any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
            count = failed.execution_count if failed is not None else "?"
            raise NotebookFailed(f"{exc.ename}: {exc.evalue} (cell {count})", nb) from exc
    if reads is not None:
        reads.update(found)
    return nb


_EXPORTERS = threading.local()


def _exporter(hide_code: bool) -> Any:
    """nbconvert's HTML exporter (template "lab"), one per thread and setting: loading the
    template costs more than most exports, so it is loaded once per thread."""
    made = getattr(_EXPORTERS, "made", None)
    if made is None:
        made = _EXPORTERS.made = {}
    if hide_code not in made:
        from nbconvert import HTMLExporter  # noqa: PLC0415

        exporter = HTMLExporter(template_name="lab")
        exporter.exclude_input = exporter.exclude_input_prompt = exporter.exclude_output_prompt = hide_code
        made[hide_code] = exporter
    return made[hide_code]


def export_html(nb: NotebookNode, out: Path, hide_code: bool = False) -> Path:
    """The executed notebook as a self-contained HTML file (images embedded),
    written to a temporary file first and moved into place."""
    body, _resources = _exporter(hide_code).from_notebook_node(nb)
    return write_text_atomically(Path(out), body)


# ---------------------------------------------------------------------------
# What a report depends on
# ---------------------------------------------------------------------------
def inputs_key(path: Path, parameters: dict[str, Any] | None, hide_code: bool) -> str:
    """A hash of what a notebook's report depends on besides the data it reads: the
    notebook, its parameters, whether code is shown, the language its kernel speaks
    (``i18n.current_language``), and the package (its version and files). The data are
    keyed by ``stamps.fingerprints``."""
    parameters = check_parameters(parameters)
    digest = hashlib.sha256()
    digest.update(Path(path).read_bytes())
    digest.update(json.dumps([parameters, hide_code, current_language(), __version__], sort_keys=True,
                             default=str).encode())
    hash_folder(digest, config.PACKAGE_DIR)
    return digest.hexdigest()


@dataclass
class RunResult:
    """One notebook run: ``skipped`` when its report was up to date."""

    notebook: str
    ok: bool
    seconds: float
    html: Path | None = None
    error: str = ""
    skipped: bool = False


def _report(path: Path, parameters: dict[str, Any] | None, html_dir: Path | None, hide_code: bool,
            force: bool) -> tuple[Path | None, str, bool]:
    """The report of ``path`` in ``html_dir`` (None without one), the key of its inputs, and
    whether it is up to date (never when ``force``, or when the notebook writes figures)."""
    html = Path(html_dir) / f"{Path(path).stem}.html" if html_dir is not None else None
    key = inputs_key(path, parameters, hide_code) if html is not None else ""
    writes_figures = bool((parameters or {}).get("export_figures"))
    current = html is not None and not force and not writes_figures and is_current(html, key)
    return html, key, current


def run_notebook(
    path: Path,
    parameters: dict[str, Any] | None = None,
    *,
    html_dir: Path | None = None,
    timeout: int = 600,
    hide_code: bool = False,
    cwd: Path | None = None,
    force: bool = False,
) -> RunResult:
    """Execute one notebook (in a fresh kernel of its own) and export
    it to ``html_dir`` (a failing notebook is exported too, with its error, and reported).
    With ``html_dir``, a report whose inputs did not change is kept as it is (unless
    ``force``, or the notebook writes figures)."""
    start = time.perf_counter()
    html, key, current = _report(path, parameters, html_dir, hide_code, force)
    if current:
        return RunResult(Path(path).name, True, time.perf_counter() - start, html, skipped=True)
    error, nb = "", None
    roots = input_roots(parameters)
    reads: set[str] = {r for r in roots if not r.endswith(os.sep)}  # the folders' listings, whatever is read
    try:
        nb = execute_notebook(path, parameters, cwd=cwd, timeout=timeout, reads=reads)
    except Exception as exc:  # a failing cell, a dead kernel: report it, never hide it
        nb = getattr(exc, "notebook", None)
        error = f"{type(exc).__name__}: {exc}"
    if html is not None and nb is not None:
        forget(html)
        export_html(nb, html, hide_code)
        if not error:
            write_stamp(html, key, reads, seconds=time.perf_counter() - start)
    return RunResult(Path(path).name, not error, time.perf_counter() - start, html if nb is not None else None, error)


def run_notebooks(
    only: list[str] | None = None,
    parameters: dict[str, Any] | None = None,
    *,
    html_dir: Path | None = None,
    folder: Path = config.NOTEBOOKS_DIR,
    timeout: int = 600,
    hide_code: bool = False,
    cwd: Path | None = None,
    jobs: int = 1,
    force: bool = False,
) -> list[RunResult]:
    """Execute the notebooks, each in a fresh kernel of its own, at most ``jobs`` at a time
    (the longest first, by the time their report last took), and export each to ``html_dir``;
    the reports that are up to date are kept without a kernel. Results come back in notebook order."""
    paths = notebook_paths(folder, only)
    results: dict[Path, RunResult] = {}
    todo: list[Path] = []
    for path in paths:
        start = time.perf_counter()
        html, _key, current = _report(path, parameters, html_dir, hide_code, force)
        if current:
            results[path] = RunResult(path.name, True, time.perf_counter() - start, html, skipped=True)
        else:
            todo.append(path)
    if todo:
        ensure_kernel()  # once, before the threads
        if html_dir is not None:  # the longest first (a report never made: first of all)
            todo.sort(key=lambda p: -(last_seconds(Path(html_dir) / f"{p.stem}.html") or float("inf")))

        def run(path: Path) -> RunResult:
            return run_notebook(path, parameters, html_dir=html_dir, timeout=timeout, hide_code=hide_code,
                                cwd=cwd, force=True)

        with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(todo))), thread_name_prefix="ntm-notebook") as pool:
            results.update(zip(todo, pool.map(run, todo)))
    return [results[p] for p in paths]


def _parse_value(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def main(argv: list[str] | None = None) -> int:
    """Execute the notebooks; the help and the messages in the language asked (``--lang``,
    else ``$NTM_LANG``, else Vietnamese), as the ``ntm-analysis`` command does."""
    argv = sys.argv[1:] if argv is None else list(argv)
    lang, _how = chosen_language(argv)
    with use_language(lang if lang in LANGS else DEFAULT_LANG), argparse_speaks():
        args = _parser().parse_args(argv)
        with use_language(args.lang):
            return _main(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ntm_analysis.notebooks.runner",
        description=_("Execute the five notebooks and export them to HTML.")
    )
    parser.add_argument(
        "--html",
        default=str(config.REPORTS_DIR),
        metavar=_("DIR"),
        help=_("export each executed notebook to DIR/<name>.html (default {folder})").format(
            folder=config.REPORTS_DIR),
    )
    parser.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=(_("NAME"), _("VALUE")),
        help=_("override a parameter (a Python literal, else text), e.g. -p raw_dir /tmp/x"),
    )
    parser.add_argument("--only", nargs="+", help=_("only these notebooks (01, 02-criteria-gaps, …)"))
    parser.add_argument("--notebooks", default=str(config.NOTEBOOKS_DIR), help=_("folder of the notebooks"))
    parser.add_argument("--timeout", type=int, default=600, help=_("seconds allowed per cell"))
    parser.add_argument(
        "--show-code",
        action="store_true",
        help=_("keep the code cells in the HTML (default: the story, tables and figures only)"),
    )
    parser.add_argument(
        "--jobs", type=int, default=DEFAULT_JOBS,
        help=_("notebooks executed at the same time (default {n})").format(n=DEFAULT_JOBS)
    )
    parser.add_argument("--force", action="store_true",
                        help=_("execute even the notebooks whose report is up to date"))
    parser.add_argument("--list", action="store_true", help=_("list the notebooks and exit"))
    parser.add_argument(
        "--sync", action="store_true", help=_("write notebooks/*.ipynb from the .py files (cell ids kept) and exit")
    )
    parser.add_argument("--lang", choices=LANGS, default=current_language(),
                        help=_("the notebooks' `lang` parameter (tables and figures), unless -p lang is given "
                               "(default: $NTM_LANG, else vi)"))
    return parser


def _main(args: argparse.Namespace) -> int:

    paths = notebook_paths(Path(args.notebooks), args.only)
    missing = [p for p in paths if not p.is_file()]
    if missing or not paths:
        named = ", ".join(str(p) for p in missing or [Path(args.notebooks)])
        print(_("notebooks not found: {paths}").format(paths=named), file=sys.stderr)
        return 2
    if args.list:
        for p in paths:
            print(p)
        return 0
    if args.sync:
        for p in paths:
            print(write_ipynb(p))
        return 0
    try:
        given = {name: _parse_value(value) for name, value in args.parameter}
        parameters = check_parameters({"lang": args.lang} | given)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    results = run_notebooks(
        args.only,
        parameters,
        html_dir=Path(args.html).resolve(),
        folder=Path(args.notebooks),
        timeout=args.timeout,
        hide_code=not args.show_code,
        jobs=args.jobs,
        force=args.force,
    )
    for r in results:
        where = f" -> {r.html}" if r.html else ""
        state = _("up to date") if r.skipped else _("{seconds} s").format(seconds=num(r.seconds, 1))
        outcome = _("ok") if r.ok else _("FAILED")
        print(f"{outcome:8} {r.notebook} ({state}){where}")
        if r.error:
            last = re.sub(r"\x1b\[[0-9;]*m", "", r.error.strip()).splitlines()[-1]
            print(" " * 9 + last[:300], file=sys.stderr)
    failed = [r for r in results if not r.ok]
    ran = [r for r in results if not r.skipped]
    print(_("{ok}/{n} notebooks ok; {ran} executed in {seconds} s, {kept} up to date").format(
        ok=num(len(results) - len(failed)), n=num(len(results)), ran=num(len(ran)),
        seconds=num(sum(r.seconds for r in ran), 1), kept=num(len(results) - len(ran))))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
