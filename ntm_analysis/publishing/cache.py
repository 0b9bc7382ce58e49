"""A per-source cache of reads: each source's validated tidy tables and findings,
kept under the processed folder (``data/processed/.cache/sources/``) so that a
build re-reads only the sources that changed.

An entry is keyed by everything a read depends on:

- the source file's name and sha256, and its sidecar's sha256 (or its absence);
- the package (``fingerprints.package_fingerprint``: code and packaged reference data);
- the reference folder in use (``build --reference``: a hash of its files);
- the language of the findings' messages and the versions of Python and of the
  libraries that read workbooks (pandas, numpy, openpyxl).

A read's tables are pickled as plain arrays (``tidy.TidyTables.__getstate__``), and so are
a province's analyses (``tidy.to_plain``): loading hundreds of entries makes no frame,
and ``TidyTables.concat`` / ``analysis.run_all`` stack their arrays column by column.

The cache is disposable: deleting it only makes the next build read everything.
Entries are written only when a build succeeds, each atomically (a temporary
file renamed into place); an entry
that cannot be loaded (truncated, corrupt, another format) is ignored, deleted
and written again from a fresh read. Entries are pickles written by this package
into the project's own processed folder, as trusted as the project's code; they
are never loaded from anywhere else. Checks across sources (conflicts,
reconciliation of the combined tables) are not cached: ``build`` runs them on
the whole set every time.
"""
from __future__ import annotations

import hashlib
import pickle
import shutil
import sys
from pathlib import Path
from typing import Any

from ..config import CACHE_DIR as CACHE_DIR  # (re-exported: where the cache is kept)
from ..config import sidecar_path
from ..fingerprints import hash_folder, write_atomically
from ..reading.reader import SourceRead

#: Bumped when the layout of an entry changes (older entries are then ignored).
FORMAT = 3
#: The file suffix of an entry.
ENTRY_SUFFIX = ".pickle"


def reference_version(reference_dir: Path | None) -> str:
    """sha256 of the reference folder in use: "packaged" for the package's own (its
    files are part of the package fingerprint), else a hash of the folder's files."""
    if reference_dir is None or not str(reference_dir):
        return "packaged"
    digest = hashlib.sha256()
    hash_folder(digest, Path(reference_dir))
    return digest.hexdigest()


def _library_versions() -> str:
    import numpy  # noqa: PLC0415
    import openpyxl  # noqa: PLC0415
    import pandas  # noqa: PLC0415

    return f"python {sys.version.split()[0]}, pandas {pandas.__version__}, numpy {numpy.__version__}, " \
           f"openpyxl {openpyxl.__version__}"


def read_context(package: str, reference_dir: Path | None, lang: str) -> str:
    """The part of every key shared by all sources of a build: package fingerprint,
    reference version, language of the messages, library versions."""
    text = f"format {FORMAT}\npackage {package}\nreference {reference_version(reference_dir)}\n" \
           f"lang {lang}\n{_library_versions()}\n"
    return hashlib.sha256(text.encode()).hexdigest()


class Entries:
    """One kind of cached value (``sources``, ``analyses``): a pickle per key in ``folder``,
    written atomically when committed, an unreadable entry deleted and reported missing."""

    def __init__(self, folder: Path, kind: type | tuple[type, ...] = object) -> None:
        self.folder, self.kind = Path(folder), kind
        self.pending: dict[str, Any] = {}
        self.keep: set[str] | None = None

    def has(self, key: str) -> bool:
        """Whether an entry is stored under ``key`` (not whether it is readable: :meth:`load` says)."""
        return (self.folder / f"{key}{ENTRY_SUFFIX}").is_file()

    def load(self, key: str) -> Any:
        """The value stored under ``key``, or None (missing, or unreadable: then deleted)."""
        file = self.folder / f"{key}{ENTRY_SUFFIX}"
        try:
            with open(file, "rb") as handle:
                stored_format, stored_key, value = pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception:  # noqa: BLE001 - any damage (truncated, garbage, an old layout) means: compute again
            file.unlink(missing_ok=True)
            return None
        if stored_format != FORMAT or stored_key != key or not isinstance(value, self.kind):
            file.unlink(missing_ok=True)
            return None
        return value

    def store(self, key: str, value: Any) -> None:
        """Keep ``value`` to be written under ``key`` by :meth:`commit`."""
        self.pending[key] = value

    def prune(self, keep: set[str]) -> None:
        """Have :meth:`commit` delete the entries (and leftover temporary files) not in ``keep``."""
        self.keep = set(keep)

    def commit(self) -> None:
        """Write the values stored, each atomically (a temporary file, then a rename), and
        prune. ``build`` commits only when it has written its outputs: a failed build
        writes nothing, the cache included."""
        for key, value in self.pending.items():
            write_atomically(self.folder / f"{key}{ENTRY_SUFFIX}", lambda out, value=value, key=key:
                             pickle.dump((FORMAT, key, value), out, protocol=pickle.HIGHEST_PROTOCOL))
        self.pending.clear()
        _prune(self.folder, ENTRY_SUFFIX, self.keep)


class FileEntries:
    """Files kept by key (``workbooks``: each province's Excel workbook of a national build):
    ``load`` gives the kept file's path, ``store`` names a written output to keep, and
    ``commit`` copies it in (a temporary file, then a rename) and prunes the others."""

    def __init__(self, folder: Path, suffix: str) -> None:
        self.folder, self.suffix = Path(folder), suffix
        self.pending: dict[str, Path] = {}
        self.keep: set[str] | None = None

    def load(self, key: str) -> Path | None:
        """The file kept under ``key``, or None."""
        file = self.folder / f"{key}{self.suffix}"
        return file if file.is_file() else None

    def store(self, key: str, path: Path) -> None:
        """Keep a copy of ``path`` (read at :meth:`commit`, once the build has moved it into place)."""
        self.pending[key] = Path(path)

    def prune(self, keep: set[str]) -> None:
        """Have :meth:`commit` delete the files (and leftover temporary files) not in ``keep``."""
        self.keep = set(keep)

    def commit(self) -> None:
        for key, path in self.pending.items():
            write_atomically(self.folder / f"{key}{self.suffix}", lambda out, path=path: _copy(path, out))
        self.pending.clear()
        _prune(self.folder, self.suffix, self.keep)


def _copy(path: Path, out) -> None:
    with path.open("rb") as source:
        shutil.copyfileobj(source, out)


def _prune(folder: Path, suffix: str, keep: set[str] | None) -> None:
    """Delete the entries of ``folder`` not in ``keep`` (None: keep all), and leftover temporary files."""
    if keep is not None and folder.is_dir():
        for file in folder.iterdir():
            if file.name.startswith(".") or file.suffix != suffix or file.stem not in keep:
                file.unlink(missing_ok=True)


def combined_key(context: str, keys: list[str], what: str) -> str:
    """The key of a value computed from several sources (``keys``: their source keys, in
    any order): e.g. the analyses of one province, from that province's sources."""
    return hashlib.sha256("\n".join([context, what, *sorted(keys)]).encode()).hexdigest()


class SourceCache(Entries):
    """The cached reads of one processed folder (``folder`` is ``PROCESSED/.cache``; the
    reads are in its ``sources/``, other values in sibling folders, see ``entries``).

    ``hits`` and ``read`` list the file names served from the cache and read afresh
    during this build (the tests count reads with them); ``keys`` maps each file name
    to its key."""

    def __init__(self, folder: Path, context: str) -> None:
        super().__init__(Path(folder) / "sources", SourceRead)
        self.root, self.context = Path(folder), context
        self.hits: list[str] = []
        self.read: list[str] = []
        self.keys: dict[str, str] = {}

    def entries(self, kind: str) -> Entries:
        """Another kind of cached value beside the reads, e.g. ``entries("analyses")``."""
        return Entries(self.root / kind)

    def files(self, kind: str, suffix: str) -> FileEntries:
        """Files kept beside the reads, e.g. ``files("workbooks", ".xlsx")``."""
        return FileEntries(self.root / kind, suffix)

    def key(self, path: Path, hashes: dict[str, str]) -> str:
        """The key of one source: this cache's context, the file's name and sha256, its sidecar's sha256.
        ``hashes``: sha256 by file name, as ``inputs.input_hashes`` gives them."""
        path = Path(path)
        meta = sidecar_path(path)
        text = f"{self.context}\n{path.name}\n{hashes[path.name]}\n{meta.name} {hashes.get(meta.name, 'none')}\n"
        self.keys[path.name] = key = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return key
