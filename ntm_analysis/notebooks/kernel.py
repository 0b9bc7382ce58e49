"""What the runner does inside the kernel that executes the notebooks, one after another.

The runner (``runner.Kernel``) keeps a kernel for several notebooks, so that the imports and
:func:`project.load_project`'s work are paid once per kernel, not once per notebook. It calls
these functions by silent executions (no cell, no execution count, no name bound in the
user's namespace):

- :func:`setup` once, when the kernel has started: an audit hook is installed (hooks cannot
  be removed, so there is one per kernel, outside the user's namespace) and the state a
  notebook may change is noted;
- :func:`begin` before each notebook: the state of a fresh kernel is put back (the user's
  namespace emptied as ``%reset -f`` does, the execution count back to 1, open pyplot
  figures closed, the pandas, numpy, matplotlib and warnings settings, the environment,
  ``sys.path`` and the language restored) and the notebook's record of reads started;
- :func:`reads` after it: the files and folders under the input folders that the notebook
  opened or listed (the record ``runner.run_notebook`` stamps the report with);

pyplot, once imported (seaborn imports it), stays: its inline backend changes no setting but
``backend`` and ``interactive`` (which ``matplotlib.rc_file_defaults`` keeps, as a fresh import
would set them) and adds hooks that act on pyplot's figures only (closed between notebooks).
A notebook that displayed a ``Figure`` object before anything imported pyplot would show it as
a picture after a notebook that did, and as text in a fresh kernel: the notebooks show their
figures as PNG bytes (``story.figure_png``).

:func:`recording` is the same record for code of the package (``project.load_project``
remembers what it read, and tells a notebook's record about it with :data:`READ_EVENT`
when it serves a remembered project).
"""
from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

#: The audit event by which code of the package says it read a path (without opening it again).
READ_EVENT = "ntm_analysis.read"
#: The audit events that count as reading a path (their first argument).
_EVENTS = frozenset({"open", "os.listdir", "os.scandir", READ_EVENT})

_recorders: list[tuple[tuple[str, ...], set[str]]] = []
_hooked = False
_notebook: set[str] | None = None
_fresh: dict[str, object] = {}


def _audit(event: str, args: tuple) -> None:
    if not _recorders or event not in _EVENTS or not args:
        return
    path = args[0]
    if not isinstance(path, (str, bytes, os.PathLike)):
        return
    name = os.path.abspath(os.fsdecode(path))
    for roots, found in _recorders:
        if name.startswith(roots):
            found.add(name)


def _install() -> None:
    global _hooked
    if not _hooked:
        sys.addaudithook(_audit)
        _hooked = True


@contextmanager
def recording(roots: list[str] | tuple[str, ...]) -> Iterator[set[str]]:
    """Within the block, the absolute paths under ``roots`` (absolute folder paths) that
    this process opens or lists, or that :data:`READ_EVENT` names, are added to the set yielded."""
    _install()
    entry = (tuple(roots), set())
    _recorders.append(entry)
    try:
        yield entry[1]
    finally:
        _recorders.remove(entry)


def tell_read(paths: list[str] | set[str]) -> None:
    """Say that ``paths`` were read (for the records of :func:`recording` in force)."""
    for path in sorted(paths):
        sys.audit(READ_EVENT, path)


def setup() -> None:
    """Install the audit hook and note the settings of the fresh kernel (called once)."""
    _install()
    import numpy  # noqa: PLC0415

    _fresh["environ"] = dict(os.environ)
    _fresh["path"] = list(sys.path)
    _fresh["warnings"] = list(warnings.filters)
    _fresh["numpy"] = numpy.get_printoptions()


def _restore_settings() -> None:
    os.environ.clear()
    os.environ.update(_fresh["environ"])  # type: ignore[arg-type]
    sys.path[:] = _fresh["path"]  # type: ignore[index]
    warnings.filters[:] = _fresh["warnings"]  # type: ignore[index]
    mutated = getattr(warnings, "_filters_mutated", None) or getattr(warnings, "_filters_mutated_lock_held", None)
    if mutated is not None:  # as warnings.resetwarnings() does: each warning shows again as in a fresh kernel
        mutated()
    import numpy  # noqa: PLC0415

    numpy.set_printoptions(**_fresh["numpy"])  # type: ignore[arg-type]
    if "pandas" in sys.modules:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sys.modules["pandas"].reset_option("all")
    mpl = sys.modules.get("matplotlib")
    if mpl is not None:  # as its import left them
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mpl.rc_file_defaults()
    if "ntm_analysis.i18n" in sys.modules:
        sys.modules["ntm_analysis.i18n"].set_language(None)


def begin(roots: list[str], cwd: str, first: bool) -> None:
    """Make the kernel as it was fresh (unless ``first``: it is), work in ``cwd``, and start
    recording what the notebook reads under ``roots``."""
    global _notebook
    os.chdir(cwd)  # first: the folder the last notebook worked in may be gone
    _stop_recording()
    if not first:
        shell = _shell()
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")
        shell.reset(new_session=True)  # %reset -f, and the history and its line numbers anew
        _restore_settings()
        shell.execution_count = 1
    _install()
    entry: tuple[tuple[str, ...], set[str]] = (tuple(roots), set())
    _recorders.append(entry)
    _notebook = entry[1]


def reads() -> list[str]:
    """What the notebook read (see :func:`begin`), sorted; the record stops."""
    found = sorted(_notebook or ())
    _stop_recording()
    return found


def _stop_recording() -> None:
    """The current notebook's record (if any) leaves the audit hook's list."""
    global _notebook
    if _notebook is not None:
        _recorders[:] = [r for r in _recorders if r[1] is not _notebook]
        _notebook = None


def _shell():
    from IPython import get_ipython  # noqa: PLC0415

    return get_ipython()
