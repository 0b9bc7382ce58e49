"""Issue 20 §3: no import circle among the package's own modules, and the package's own modules
imported at the top of a module (a lazy import, ``# noqa: PLC0415``, is kept for a heavy
third-party library only). Read from the source with ``ast``; every module is imported too."""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import ntm_analysis

PACKAGE = Path(ntm_analysis.__file__).resolve().parent
NAME = "ntm_analysis"

#: Modules that still import modules of the package lazily (each such line is to be moved to the
#: top). The list may only shrink: a module not listed that gains one fails the test.
LAZY_OWN_IMPORTS_LEFT = {
    "ntm_analysis.cli",  # the build's and the deck's modules: multiprocessing, matplotlib, python-pptx (row 2b)
    "ntm_analysis.publishing.build",  # the charts: matplotlib, only to draw
    "ntm_analysis.publishing.charts.communes",  # save_jobs of the charts package, which imports this module
    "ntm_analysis.reading.sources",  # the PDF and OCR readers, only for PDFs and images
    "ntm_analysis.reading.sources.pdf",  # the OCR reader, which imports this module
}


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__``)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = modules()


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The package's own modules an import statement of ``module`` imports."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            base = module.split(".") if _is_package(module) else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            prefix = ".".join(base + ([node.module] if node.module else []))
        else:
            prefix = node.module or ""
        names = [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]
    return [n for n in names if n in MODULES]


def _type_checking(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def top_level_imports(module: str) -> set[str]:
    """The package's own modules ``module`` imports when it is imported (its top-level
    statements, ``if TYPE_CHECKING:`` blocks aside), with the packages they sit in."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: set[str] = set()
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for target in _targets(module, node):
                parts = target.split(".")
                found.update(".".join(parts[:i]) for i in range(2, len(parts) + 1))
        elif isinstance(node, (ast.If, ast.Try)) and not _type_checking(node):
            stack += node.body + node.orelse + getattr(node, "finalbody", []) + \
                [s for h in getattr(node, "handlers", []) for s in h.body]
    # a module's own packages are imported before it: no edge back to them
    own = {".".join(module.split(".")[:i]) for i in range(1, module.count(".") + 1)}
    return found - own - {module}


def cycles() -> list[list[str]]:
    """The import circles among the package's modules (each found once, as a path back to its start)."""
    graph = {m: sorted(top_level_imports(m)) for m in MODULES}
    found, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in graph[node]:
            if state.get(nxt) == "open":
                found.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"

    for module in graph:
        if module not in state:
            visit(module, [module])
    return found


def test_the_package_imports_no_circle():
    assert cycles() == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_imports(module):
    importlib.import_module(module)


def lazy_own_imports(module: str) -> list[str]:
    """The lines of ``module`` importing a module of the package inside a function."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    lines = set()
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)) and (
                        getattr(node, "level", 0) or _targets(module, node)):
                    lines.add(f"{module}:{node.lineno}: {ast.unparse(node)}")
    return sorted(lines)


def test_own_modules_are_imported_at_the_top():
    lazy = {m: lazy_own_imports(m) for m in MODULES}
    new = [line for m, lines in lazy.items() if m not in LAZY_OWN_IMPORTS_LEFT for line in lines]
    assert new == []
    done = sorted(m for m in LAZY_OWN_IMPORTS_LEFT if not lazy.get(m))
    assert done == [], "no lazy import of the package left there: drop them from LAZY_OWN_IMPORTS_LEFT"
