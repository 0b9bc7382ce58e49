"""Move the modules of ``ntm_analysis/`` into stage sub-packages (issue 20 § 3), as
``scripts/relayout.csv`` maps them, and rewrite every reference to them.

    .venv/bin/python scripts/relayout.py --check   # the plan: moves, edits per file, modules without a row
    .venv/bin/python scripts/relayout.py           # do it (refused while a module has no row)

What it does, on any checkout of this repository (idempotent: a second run finds nothing to do):

1. ``git mv`` each mapped module or package (a package row moves its folder, data files included),
   creating the stage packages with an ``__init__.py`` (docstring from the csv's ``note``) and
   removing a package left empty (a row with no new name);
2. rewrites, in ``ntm_analysis/``, ``tests/``, ``notebooks/*.py``, ``scripts/``, ``benchmarks/`` and
   the repository's text files (README, Makefile, pyproject.toml, ...):
   - ``from`` imports, relative (re-expressed from the file's new place) and absolute, splitting
     ``from ntm_analysis import a, b`` when a and b now live in different packages;
   - dotted names anywhere (``import ntm_analysis.x as y``, ``mock.patch("ntm_analysis.x.f")``,
     ``python -m ntm_analysis.runner``, ``__import__("ntm_analysis.kernel").kernel``);
   - paths into the package: ``ntm_analysis/charts/ntm.mplstyle`` in text, ``PACKAGE_DIR / "charts"``
     and ``ROOT / "ntm_analysis" / "charts"`` in Python, pyproject's package-data globs, the
     Makefile's ``$(wildcard ntm_analysis/*.py ...)`` depth;
3. lists the modules that have no row (new modules of other branches): nothing is moved until each
   has one (or ``--allow-unmapped`` leaves them where they are);
4. runs ``ruff check --fix --select I`` (import order) and writes ``notebooks/*.ipynb`` again
   from their ``.py`` pairs (the runner's ``--sync``), then says what it could not rewrite.
"""
from __future__ import annotations

import argparse
import ast
import csv
import io
import re
import shutil
import subprocess
import sys
import textwrap
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

PKG = "ntm_analysis"
ROOT = Path(__file__).resolve().parents[1]
MAPPING = Path(__file__).with_suffix(".csv")
#: folders whose Python files are rewritten (besides the package)
PY_FOLDERS = ("tests", "scripts", "benchmarks", "notebooks")
#: text files whose dotted names and paths are rewritten
TEXT_SUFFIXES = {".md", ".toml", ".cfg", ".ini", ".txt", ".yml", ".yaml", ".po", ".pot"}
TEXT_NAMES = {"Makefile"}
#: never touched: data, generated outputs, fixtures
SKIP_PREFIXES = ("data/", "figures/", "reports/", "tests/documents/", "benchmarks/_work/", ".venv/",
                 "benchmarks/results.md")  # measurements as they were taken (make bench writes it again)
LINE_LENGTH = 120


# ---------------------------------------------------------------------------------------------
# the mapping and the tree


@dataclass
class Row:
    old: str
    new: str
    note: str = ""


@dataclass
class Plan:
    rows: list[Row]
    modules: dict[str, Path]  # dotted name -> file (a package: its __init__.py), as the tree is now
    packages: set[str]
    renames: dict[str, str] = field(default_factory=dict)  # old -> new, pending and done rows
    pending: dict[str, str] = field(default_factory=dict)  # old -> new, old still in the tree
    done: dict[str, str] = field(default_factory=dict)  # old -> new, already moved
    create: dict[str, str] = field(default_factory=dict)  # stage package -> docstring
    delete: list[str] = field(default_factory=list)  # packages to remove once empty
    problems: list[str] = field(default_factory=list)


def read_rows(path: Path) -> list[Row]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows = []
    for rec in csv.DictReader(lines):
        rows.append(Row((rec["old"] or "").strip(), (rec["new"] or "").strip(), (rec.get("note") or "").strip()))
    return rows


def scan(root: Path) -> tuple[dict[str, Path], set[str]]:
    """Every module of the package as the tree is now (dotted name -> file)."""
    modules: dict[str, Path] = {}
    packages: set[str] = set()
    for path in sorted((root / PKG).rglob("*.py")):
        rel = path.relative_to(root)
        if "__pycache__" in rel.parts:
            continue
        parts = list(rel.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
            packages.add(".".join(parts))
        modules[".".join(parts)] = path
    return modules, packages


def make_plan(root: Path, rows: list[Row]) -> Plan:
    modules, packages = scan(root)
    plan = Plan(rows, modules, packages)
    for name in sorted(packages):
        twin = root / Path(*name.split(".")).with_suffix(".py")
        if name != PKG and twin.exists():  # e.g. deck.py kept by a merge beside the deck/ package that replaced it
            package = twin.with_suffix("").relative_to(root)
            plan.problems.append(f"both {twin.relative_to(root)} and {package}/ exist: keep one, then run again")
    for row in rows:
        if not row.old and row.new:
            plan.create[row.new] = row.note
        elif row.old and not row.new:
            plan.delete.append(row.old)
        elif row.old != row.new:
            plan.renames[row.old] = row.new
            old_there, new_there = row.old in modules, row.new in modules
            if old_there and new_there and row.new.startswith(row.old + ".") and row.old in packages:
                plan.done[row.old] = row.new  # the old module's name is now its stage package (checks)
            elif old_there and new_there:
                plan.problems.append(f"both {row.old} and {row.new} exist: move by hand or drop the row")
            elif old_there:
                plan.pending[row.old] = row.new
            elif new_there:
                plan.done[row.old] = row.new
    return plan


def unmapped(plan: Plan) -> list[str]:
    """Modules of the tree that no row places (neither as old nor as new name, nor inside a moved package)."""
    placed_exact = {r.old for r in plan.rows if r.old} | {r.new for r in plan.rows if r.new}
    placed_pkgs = {r.old for r in plan.rows if r.old and r.new and r.old in plan.packages and r.old != PKG}
    placed_pkgs |= {r.new for r in plan.rows if r.old and r.new and r.new in plan.packages and r.new != PKG}
    out = []
    for name in plan.modules:
        if name in placed_exact:
            continue
        if any(name.startswith(p + ".") for p in placed_pkgs):
            continue
        out.append(name)
    return sorted(out)


# ---------------------------------------------------------------------------------------------
# renaming dotted names


class Renamer:
    """Old dotted names -> new ones, by the longest row that prefixes them."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.ambiguous: list[str] = []

    def _row(self, dotted: str) -> str | None:
        parts = dotted.split(".")
        for n in range(len(parts), 0, -1):
            prefix = ".".join(parts[:n])
            if prefix in self.plan.renames:
                return prefix
        return None

    def _longest_existing(self, dotted: str) -> str | None:
        parts = dotted.split(".")
        for n in range(len(parts), 0, -1):
            prefix = ".".join(parts[:n])
            if prefix in self.plan.modules:
                return prefix
        return None

    def defines(self, module: str, name: str) -> bool:
        """Whether ``module`` (as the tree is now) defines or imports ``name`` at its top level."""
        path = self.plan.modules.get(module)
        if path is None:
            return False
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except SyntaxError:
            return False
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
                return True
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                    return True
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                if any((a.asname or a.name.split(".")[0]) == name for a in node.names):
                    return True
        return False

    def rename(self, dotted: str) -> str:
        """The new name of a dotted name (a module, or a module then attributes); itself if none."""
        prefix = self._row(dotted)
        if prefix is None:
            return dotted
        new = self.plan.renames[prefix] + dotted[len(prefix):]
        if prefix in self.plan.pending:
            return new
        if prefix not in self.plan.done:
            return dotted  # a row for a module this tree does not have (yet)
        existing = self._longest_existing(dotted)
        if existing is None or len(existing) < len(prefix):
            return new  # the old name is gone: a reference left behind (e.g. merged after the move)
        if len(existing) > len(prefix):
            return dotted  # a module of the new layout whose name starts like an old one
        # the old name is a package of the new layout (``checks``): an attribute it lacks is the old module's
        rest = dotted[len(prefix) + 1:].split(".")[0] if dotted != prefix else ""
        if rest and not self.defines(prefix, rest):
            return new
        if not rest:
            self.ambiguous.append(dotted)
        return dotted

    def is_module(self, dotted: str) -> bool:
        """Whether a dotted name is a module (now, or by an old name of a row)."""
        return dotted in self.plan.modules or self._row(dotted) == dotted or dotted in self.plan.renames

    # paths inside the package ------------------------------------------------------------
    def path(self, rel: str) -> str:
        """A path inside the package (``charts/ntm.mplstyle``, ``sources/pdf_layout.py``) after the move."""
        trailing = rel.endswith("/")
        parts = [p for p in rel.split("/") if p]
        for n in range(len(parts), 0, -1):
            head, tail = parts[:n], parts[n:]
            candidates = []
            if head[-1].endswith(".py"):
                candidates.append(".".join([PKG, *head[:-1], head[-1][:-3]]))
            else:
                candidates.append(".".join([PKG, *head]))
            for dotted in candidates:
                if dotted not in self.plan.renames:
                    continue
                if dotted in self.plan.done and (ROOT_OF[0] / PKG / "/".join(head)).exists():
                    return rel  # that path is of the new layout
                new = self.plan.renames[dotted].split(".")[1:]
                if head[-1].endswith(".py"):
                    new[-1] += ".py"
                out = "/".join(new + tail)
                return out + ("/" if trailing and out else "")
        return rel


ROOT_OF = [ROOT]  # the checkout being changed (set by main)


# ---------------------------------------------------------------------------------------------
# rewriting one file


@dataclass
class Edits:
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    statements: list[tuple[int, int]] = field(default_factory=list)  # the import statements of the code

    def in_statement(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.statements)

    def add(self, start: int, end: int, text: str, kind: str) -> None:
        self.spans.append((start, end, text))
        self.counts[kind] = self.counts.get(kind, 0) + 1

    def covers(self, pos: int) -> bool:
        return any(s <= pos < e for s, e, _ in self.spans)

    def apply(self, source: str) -> str:
        out, last = [], 0
        for start, end, text in sorted(self.spans):
            if start < last:
                raise RuntimeError(f"overlapping edits at {start}")
            out.append(source[last:start])
            out.append(text)
            last = end
        out.append(source[last:])
        return "".join(out)


def offsets(source: str) -> list[int]:
    starts, pos = [0], 0
    for line in source.splitlines(keepends=True):
        pos += len(line)
        starts.append(pos)
    return starts


def module_of(rel: Path) -> tuple[str, bool] | None:
    """The dotted module of a file of the package, and whether it is a package's ``__init__``."""
    if not rel.parts or rel.parts[0] != PKG or rel.suffix != ".py":
        return None
    parts = list(rel.with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def relative(from_package: str, target: str) -> str:
    """``target`` written relative to ``from_package`` (``..reading.reader``)."""
    a, b = from_package.split("."), target.split(".")
    common = 0
    while common < min(len(a), len(b)) and a[common] == b[common]:
        common += 1
    common = max(common, 1)
    return "." * (len(a) - common + 1) + ".".join(b[common:])


def rewrite_imports(source: str, tree: ast.AST, rel: Path, new_rel: Path, ren: Renamer, edits: Edits) -> None:
    starts = offsets(source)
    old = module_of(rel)
    new = module_of(new_rel)
    old_pkg = new_pkg = None
    if old and new:
        old_pkg = old[0] if old[1] else old[0].rsplit(".", 1)[0]
        new_pkg = new[0] if new[1] else new[0].rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            if old_pkg is None:
                continue
            base = old_pkg.split(".")
            base = base[: len(base) - node.level + 1]
            absolute = ".".join(base + ([node.module] if node.module else []))
        elif node.module and (node.module == PKG or node.module.startswith(PKG + ".")):
            absolute = node.module
        else:
            continue
        groups: dict[str, list[str]] = {}
        for alias in node.names:
            sub = f"{absolute}.{alias.name}"
            if alias.name != "*" and ren.is_module(sub):
                target = ren.rename(sub)
                parent, last = target.rsplit(".", 1)
                local = alias.asname or alias.name
                groups.setdefault(parent, []).append(last if last == local else f"{last} as {local}")
            else:
                parent = ren.rename(absolute)
                groups.setdefault(parent, []).append(alias.name + (f" as {alias.asname}" if alias.asname else ""))

        def spelled(target: str) -> str:
            if node.level and new_pkg is not None:
                return relative(new_pkg, target)
            return target

        start = starts[node.lineno - 1] + node.col_offset
        end = starts[node.end_lineno - 1] + node.end_col_offset
        edits.statements.append((start, end))
        text = source[start:end]
        match = re.match(r"from\s+(\S+)\s+import\b", text)
        if not match:
            edits.notes.append(f"{rel}:{node.lineno}: an import not understood, left alone")
            continue
        if len(groups) == 1:
            parent = next(iter(groups))
            names_same = [a.name + (f" as {a.asname}" if a.asname else "") for a in node.names] == groups[parent]
            if names_same:
                module_text = spelled(parent)
                if module_text != match.group(1):
                    edits.add(start + match.start(1), start + match.end(1), module_text, "from-import")
                continue
        # split: one statement per package
        line_end = source.find("\n", end)
        line_end = len(source) if line_end < 0 else line_end
        trailing = source[end:line_end]
        comment = trailing.strip() if trailing.strip().startswith("#") else ""
        if "#" in text:
            edits.notes.append(f"{rel}:{node.lineno}: comments inside a split import were dropped")
        indent = " " * node.col_offset
        lines = []
        for parent, names in groups.items():
            line = f"from {spelled(parent)} import {', '.join(names)}"
            if comment:
                line += f"  {comment}"
            lines.append(line)
        edits.add(start, line_end if comment else end, ("\n" + indent).join(lines), "from-import split")


DOTTED = re.compile(r"\b" + PKG + r"((?:\.[A-Za-z_]\w*)+)")
DUNDER_IMPORT = re.compile(r"""__import__\((["'])(""" + PKG + r"""(?:\.\w+)+)\1\)((?:\.\w+)+)""")
PATH_TEXT = re.compile(r"(?<![\w.])" + PKG + r"/([\w.*/-]*[\w*/])")
PY_PATH_JOIN = re.compile(r"""(\bPACKAGE_DIR|\bpackage_dir|(["'])""" + PKG + r"""\2)((?:\s*/\s*(["'])[\w.*-]+\4)+)""")
SEGMENT = re.compile(r"""(["'])([\w.*-]+)\1""")


#: ``from ntm_analysis import a, b`` written in a string (code run by a subprocess or a kernel), maybe
#: across two adjacent string literals (``"...import a, "\n    "b, c"``)
STRING_IMPORT = re.compile(r"(?:(?<=\\n)|(?<!\w))from (" + PKG + r"(?:\.\w+)*) import "
                           r"(\w+(?: as \w+)?(?:,[ ]*(?:[\"'][ \t]*\n[ \t]*[\"'])?[ ]*\w+(?: as \w+)?)*)")
BOUNDARY = re.compile(r"""[\"'][ \t]*\n[ \t]*[\"']""")


def rewrite_string_imports(source: str, ren: Renamer, edits: Edits) -> None:
    for m in STRING_IMPORT.finditer(source):
        if edits.covers(m.start()) or edits.in_statement(m.start()):
            continue
        boundary = BOUNDARY.search(m.group(2))
        names = [n.strip() for n in BOUNDARY.sub("", m.group(2)).split(",")]
        groups: dict[str, list[str]] = {}
        for name in names:
            base, _, alias = name.partition(" as ")
            sub = f"{m.group(1)}.{base}"
            if ren.is_module(sub):
                parent, last = ren.rename(sub).rsplit(".", 1)
                local = alias or base
                groups.setdefault(parent, []).append(last if last == local else f"{last} as {local}")
            else:
                groups.setdefault(ren.rename(m.group(1)), []).append(name)
        text = "; ".join(f"from {parent} import {', '.join(group)}" for parent, group in groups.items())
        if text == f"from {m.group(1)} import {', '.join(names)}":
            continue
        if boundary:  # the literals' boundary again: after each statement, or after a comma
            text = text.replace("; ", "; " + boundary.group(0)) if "; " in text else \
                text.replace(", ", ", " + boundary.group(0), 1)
        edits.add(m.start(), m.end(), text, "import in a string")


def rewrite_dotted(source: str, ren: Renamer, edits: Edits) -> None:
    for m in DUNDER_IMPORT.finditer(source):
        new = ren.rename(m.group(2))
        if new != m.group(2):
            chain = "." + ".".join(new.split(".")[1:])
            edits.add(m.start(), m.end(), f"__import__({m.group(1)}{new}{m.group(1)}){chain}", "__import__")
    for m in DOTTED.finditer(source):
        if edits.covers(m.start()) or edits.in_statement(m.start()):  # import statements: rewrite_imports
            continue
        name = m.group(0).rstrip(".")
        new = ren.rename(name)
        if new != name:
            edits.add(m.start(), m.start() + len(name), new, "dotted name")


def rewrite_paths(source: str, ren: Renamer, edits: Edits, python: bool) -> None:
    for m in PATH_TEXT.finditer(source):
        if edits.covers(m.start()):
            continue
        new = ren.path(m.group(1))
        if new != m.group(1):
            edits.add(m.start(1), m.end(1), new, "path")
    if not python:
        return
    for m in PY_PATH_JOIN.finditer(source):
        segments = list(SEGMENT.finditer(m.group(3)))
        rel = "/".join(s.group(2) for s in segments)
        new = ren.path(rel)
        if new == rel or edits.covers(m.start(3)):
            continue
        quote = segments[0].group(1)
        joined = " / ".join(f"{quote}{part}{quote}" for part in new.split("/"))
        edits.add(m.start(3), m.end(3), " / " + joined, "path join")


def breaks(line: str, inside: bool = False) -> list[tuple[int, int, str]]:
    """Where a Python line may break (position, indent of the continuation): after ``, `` or before
    `` or ``/`` and ``/`` ``if`` inside brackets, outside strings; the continuation aligned on the bracket."""
    out, stack, quote, prefix, braces, i = [], [], "", "", 0, 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if line.startswith(quote, i):
                i += len(quote)
                quote = ""
                continue
            if "f" in prefix.lower() and ch in "{}":
                braces += 1 if ch == "{" else -1
            elif ch == " " and len(quote) == 1 and braces == 0 and (stack or inside):
                # a string split in two (implicit concatenation): the break text carries the quotes
                indent = stack[-1] + 1 if stack else len(line) - len(line.lstrip())
                out.append((i + 1, indent, quote + "\n" + " " * indent + prefix + quote))
        elif ch == "#":
            break
        elif ch in "\"'":
            quote = line[i:i + 3] if line[i:i + 3] in ('"""', "'''") else ch
            prefix = re.search(r"[rbfuRBFU]*$", line[:i]).group(0)
            braces = 0
            i += len(quote)
            continue
        elif ch in "([{":
            stack.append(i)
        elif ch in ")]}" and stack:
            stack.pop()
        elif (stack or inside) and line.startswith(", ", i):
            out.append((i + 2, stack[-1] + 1 if stack else len(line) - len(line.lstrip()), ""))
        elif (stack or inside) and any(line.startswith(w, i) for w in (" or ", " and ", " if ", " for ")):
            out.append((i + 1, stack[-1] + 1 if stack else len(line) - len(line.lstrip()), ""))
        i += 1
    return out


def wrap_long(text: str, before: str) -> tuple[str, list[int]]:
    """Lines the rewrite made longer than ``LINE_LENGTH``, broken inside their brackets where they can be;
    the numbers of those that could not."""
    known = set(before.splitlines())
    open_at: dict[int, int] = {}  # line number -> brackets open at its start
    depth = 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            open_at.setdefault(tok.start[0], depth)
            if tok.type == tokenize.OP and tok.string in "([{":
                depth += 1
            elif tok.type == tokenize.OP and tok.string in ")]}":
                depth -= 1
    except (tokenize.TokenError, SyntaxError):
        pass
    lines, left = [], []
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        body = line.rstrip("\n")
        inside = open_at.get(number, 0) > 0
        while len(body) > LINE_LENGTH and body not in known:
            found = breaks(body, inside)
            plain = [b for b in found if not b[2] and b[0] <= LINE_LENGTH and b[1] < b[0]]
            split = [b for b in found if b[2] and b[0] < LINE_LENGTH - 1 and b[1] < b[0]]
            if not plain and not split:
                left.append(number)
                break
            pos, indent, joint = (plain or split)[-1]
            if joint:
                head, tail = joint.split("\n")
                lines.append(body[:pos] + head + "\n")
                body = tail + body[pos:]
            else:
                lines.append(body[:pos].rstrip() + "\n")
                body = " " * indent + body[pos:].lstrip()
        lines.append(body + line[len(line.rstrip("\n")):])
    return "".join(lines), left


def rewrite_package_data(source: str, ren: Renamer, edits: Edits) -> None:
    """pyproject's ``[tool.setuptools.package-data]``: globs relative to the package."""
    section = re.search(r"^\[tool\.setuptools\.package-data\]\n(.*?)(?=^\[|\Z)", source, re.S | re.M)
    if not section:
        return
    for m in re.finditer(r'"([^"]+)"', section.group(1)):
        start = section.start(1) + m.start(1)
        new = ren.path(m.group(1))
        if new != m.group(1):
            edits.add(start, start + len(m.group(1)), new, "package-data")


# ---------------------------------------------------------------------------------------------
# the run


def repo_files(root: Path) -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=root, check=True,
                             capture_output=True, text=True).stdout.splitlines()
        files = [Path(f) for f in out]
    except (OSError, subprocess.CalledProcessError):
        files = [p.relative_to(root) for p in root.rglob("*") if p.is_file() and ".git" not in p.parts]
    keep = []
    for rel in files:
        posix = rel.as_posix()
        if posix.startswith(SKIP_PREFIXES) or "__pycache__" in rel.parts or not (root / rel).is_file() \
                or posix.startswith("scripts/relayout"):  # this script and its mapping name the old layout
            continue
        if rel.suffix == ".py" and (rel.parts[0] == PKG or rel.parts[0] in PY_FOLDERS):
            keep.append(rel)
        elif rel.suffix in TEXT_SUFFIXES or rel.name in TEXT_NAMES:
            keep.append(rel)
    return sorted(set(keep))


def new_path_of(rel: Path, plan: Plan) -> Path:
    """Where a file of the package goes (a module of a pending row, or inside a pending package)."""
    if not rel.parts or rel.parts[0] != PKG:
        return rel
    parts = list(rel.parts[1:])
    for n in range(len(parts), 0, -1):
        head = parts[:n]
        if n == len(parts) and head[-1].endswith(".py"):
            dotted = ".".join([PKG, *head[:-1], head[-1][:-3]])
            if dotted in plan.pending and dotted not in plan.packages:
                new = plan.pending[dotted].split(".")
                return Path(*new[:-1], new[-1] + ".py")
        dotted = ".".join([PKG, *head])
        if dotted in plan.pending and dotted in plan.packages:
            return Path(*plan.pending[dotted].split("."), *parts[n:])
    return rel


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True)


def move(root: Path, plan: Plan, dry: bool) -> list[str]:
    said: list[str] = []
    stage_inits = []
    # every package the new names need, with its __init__.py
    needed: set[str] = set()
    for new in plan.pending.values():
        parts = new.split(".")
        for n in range(2, len(parts)):
            needed.add(".".join(parts[:n]))
    needed |= {p for p in plan.create if any(n.startswith(p + ".") for n in plan.pending.values())}
    for package in sorted(needed):
        init = root / Path(*package.split(".")) / "__init__.py"
        if init.exists() or package in plan.pending.values():
            continue
        doc = plan.create.get(package) or f"The {package.rsplit('.', 1)[1]} stage of the package."
        said.append(f"create {init.relative_to(root)}")
        stage_inits.append(init)
        if not dry:
            init.parent.mkdir(parents=True, exist_ok=True)
            init.write_text('"""' + "\n".join(textwrap.wrap(doc, 100)) + '"""\n', encoding="utf-8")
    # packages first (a whole folder), then single modules
    order = sorted(plan.pending.items(), key=lambda kv: (kv[0] not in plan.packages, kv[0]))
    for old, new in order:
        if old in plan.packages:
            src, dst = Path(*old.split(".")), Path(*new.split("."))
        else:
            src = Path(*old.split(".")).with_suffix(".py")
            parts = new.split(".")
            dst = Path(*parts[:-1], parts[-1] + ".py")
        said.append(f"git mv {src} {dst}")
        if (root / dst).is_dir():  # left by an earlier run: only caches (git mv would move src into it)
            kept = [p for p in (root / dst).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
            if kept:
                plan.problems.append(f"{dst} exists and holds {kept[0].relative_to(root)}: {src} not moved")
                continue
            if not dry:
                shutil.rmtree(root / dst)
        if not dry:
            (root / dst).parent.mkdir(parents=True, exist_ok=True)
            git(root, "mv", str(src), str(dst))
    if not dry:
        for init in stage_inits:
            git(root, "add", str(init.relative_to(root)))
    for package in plan.delete:
        folder = root / Path(*package.split("."))
        if not folder.is_dir():
            continue
        left = [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        remaining = [p for p in left if p.name != "__init__.py" or folder / "__init__.py" != p]
        init = folder / "__init__.py"
        if not dry and remaining:
            plan.problems.append(f"{package} still holds {', '.join(str(p.relative_to(root)) for p in remaining)}: "
                                 "not removed")
            continue
        if init.exists():
            body = ast.parse(init.read_text(encoding="utf-8")).body
            if any(not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)) for n in body):
                plan.problems.append(f"{init.relative_to(root)} holds code: not removed")
                continue
        said.append(f"git rm {folder.relative_to(root)}/__init__.py (an empty package)")
        if not dry:
            if init.exists():
                git(root, "rm", "-q", str(init.relative_to(root)))
            shutil.rmtree(folder, ignore_errors=True)
    return said


def fix_makefile_depth(root: Path, dry: bool) -> int:
    """``$(wildcard ntm_analysis/*.py ntm_analysis/*/*.py)`` down to the package's deepest module."""
    makefile = root / "Makefile"
    if not makefile.exists():
        return 0
    text = makefile.read_text(encoding="utf-8")
    depth = max(len(p.relative_to(root / PKG).parts) for p in (root / PKG).rglob("*.py"))
    globs = " ".join(PKG + "/*" * (n + 1) + ".py" for n in range(depth))
    pattern = re.compile(r"\$\(wildcard " + PKG + r"/\*\.py(?: " + PKG + r"(?:/\*)+\.py)*\)")
    new, n = pattern.subn(f"$(wildcard {globs})", text)
    if n and new != text and not dry:
        makefile.write_text(new, encoding="utf-8")
    return int(new != text)


def leftovers(root: Path, plan: Plan, files: list[Path]) -> list[str]:
    """What the script leaves for a reader: moved modules named by file name only, ``__file__`` in moved modules."""
    out = []
    moved_names = {old.rsplit(".", 1)[1] for old in plan.pending if old not in plan.packages}
    bare = re.compile(r"(?<![\w/.])(" + "|".join(sorted(map(re.escape, moved_names))) + r")\.py\b") \
        if moved_names else None
    for rel in files:
        path = root / new_path_of(rel, plan) if (root / new_path_of(rel, plan)).exists() else root / rel
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        if bare:
            hits = sorted({m.group(0) for m in bare.finditer(text)})
            if hits:
                out.append(f"{path.relative_to(root)}: names {', '.join(hits)} by file name only (prose; check it)")
        if rel.parts[0] == PKG and new_path_of(rel, plan) != rel and "__file__" in text:
            out.append(f"{path.relative_to(root)}: moved and uses __file__ (paths relative to it moved too)")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to change (default: this one)")
    parser.add_argument("--mapping", type=Path, default=MAPPING)
    parser.add_argument("--check", action="store_true", help="say what would change; change nothing")
    parser.add_argument("--allow-unmapped", action="store_true", help="leave modules without a row where they are")
    parser.add_argument("--no-ruff", action="store_true")
    parser.add_argument("--no-sync", action="store_true", help="do not write notebooks/*.ipynb again")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    ROOT_OF[0] = root
    plan = make_plan(root, read_rows(args.mapping))
    missing = unmapped(plan)
    if missing:
        print("modules without a row in " + str(args.mapping.name) + " (add one each, then run again):")
        for name in missing:
            print(f"  {name}")
        if not args.allow_unmapped and not args.check:
            return 1
    for problem in plan.problems:
        print(f"problem: {problem}")
    if plan.problems and not args.check:
        return 1
    said_problems = len(plan.problems)
    rows_absent = [r.old for r in plan.rows if r.old and r.new and r.old != r.new
                   and r.old not in plan.pending and r.old not in plan.done]
    if rows_absent:
        print(f"rows for modules this tree does not have (ignored): {', '.join(rows_absent)}")
    print(f"{len(plan.pending)} to move, {len(plan.done)} moved already, {len(plan.modules)} modules in the tree")

    ren = Renamer(plan)
    files = repo_files(root)
    changed: dict[Path, str] = {}
    totals: dict[str, int] = {}
    notes: list[str] = []
    for rel in files:
        path = root / rel
        source = path.read_text(encoding="utf-8")
        edits = Edits()
        if rel.suffix == ".py":
            try:
                tree = ast.parse(source)
            except SyntaxError as exc:
                notes.append(f"{rel}: not Python ({exc.msg}); only names and paths rewritten")
            else:
                rewrite_imports(source, tree, rel, new_path_of(rel, plan), ren, edits)
                rewrite_string_imports(source, ren, edits)
        rewrite_dotted(source, ren, edits)
        rewrite_paths(source, ren, edits, python=rel.suffix == ".py")
        if rel.name == "pyproject.toml":
            rewrite_package_data(source, ren, edits)
        notes += edits.notes
        if edits.spans:
            new = edits.apply(source)
            if new != source:
                changed[rel] = new
                for kind, n in edits.counts.items():
                    totals[kind] = totals.get(kind, 0) + n
                if args.check:
                    print(f"  {rel}: {', '.join(f'{n} {k}' for k, n in sorted(edits.counts.items()))}")
    for rel, text in changed.items():
        if rel.suffix == ".py":
            text, long_lines = wrap_long(text, (root / rel).read_text(encoding="utf-8"))
            changed[rel] = text
            if args.no_ruff:
                notes += [f"{new_path_of(rel, plan)}:{n}: longer than {LINE_LENGTH} characters after the rewrite"
                          for n in long_lines]
        if not args.check:
            (root / rel).write_text(text, encoding="utf-8")
    for line in move(root, plan, dry=args.check):
        print(("would " if args.check else "") + line)
    for problem in plan.problems[said_problems:]:
        print(f"problem: {problem}")
    make_depth = fix_makefile_depth(root, dry=args.check)
    print(f"{len(changed)} files rewritten: " + ", ".join(f"{n} {k}" for k, n in sorted(totals.items()))
          + (", Makefile's module globs" if make_depth else ""))
    if ren.ambiguous:
        notes.append("names of an old module that is now a package, left alone: "
                     + ", ".join(sorted(set(ren.ambiguous))))
    if not args.check and (changed or plan.pending):
        if not args.no_ruff:
            ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
            if ruff:
                proc = subprocess.run([ruff, "check", "--fix", "--select", "I", "--quiet", "."], cwd=root,
                                      capture_output=True, text=True)
                print("ruff --select I --fix: " + ("clean" if proc.returncode == 0 else proc.stdout + proc.stderr))
                touched = [str(new_path_of(rel, plan)) for rel in changed
                           if rel.suffix == ".py" and (root / new_path_of(rel, plan)).exists()]
                proc = subprocess.run([ruff, "check", "--select", "E501", "--output-format", "concise", *touched],
                                      cwd=root, capture_output=True, text=True)
                notes += [f"{line} (made longer by the rewrite; break it by hand)"
                          for line in proc.stdout.splitlines() if ": E501 " in line]
            else:
                notes.append("ruff not found: run `ruff check --fix --select I .`")
        if not args.no_sync:
            runner = ren.rename(f"{PKG}.runner")
            proc = subprocess.run([sys.executable, "-m", runner, "--sync"], cwd=root, capture_output=True, text=True)
            print(f"notebooks synced ({runner} --sync)" if proc.returncode == 0
                  else f"notebook sync failed, run `python -m {runner} --sync`: {proc.stderr.strip()[-400:]}")
    for line in notes + (leftovers(root, plan, files) if plan.pending else []):
        print(f"note: {line}")
    if not plan.pending and not changed:
        print("nothing to do: the tree has the layout of the mapping")
    return 0


if __name__ == "__main__":
    sys.exit(main())
