"""The inputs of a build: which files of a raw folder are read, their content
hashes (to tell whether a build is up to date), and reading them all, in
parallel processes when asked."""
from __future__ import annotations

import hashlib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from .config import PACKAGE_DIR, sidecar_path
from .metadata import sha256
from .reader import SourceRead, read_source
from .reference import load_reference

if TYPE_CHECKING:
    from .cache import SourceCache

#: File suffixes read as workbooks.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
#: Documents read (or refused with a reason) beside the workbooks; a README is not a source.
DOCUMENT_SUFFIXES = (".docx", ".pdf", ".md", ".txt", ".docm", ".doc", ".rtf", ".odt")


def raw_files(raw_dir: Path) -> list[Path]:
    """The workbooks and documents of a raw folder (Office lock files ~$…, hidden
    files and README files skipped)."""
    return sorted(p for p in Path(raw_dir).iterdir()
                  if p.suffix.lower() in WORKBOOK_SUFFIXES + DOCUMENT_SUFFIXES
                  and not p.name.startswith(("~$", ".")) and not p.stem.lower().startswith("readme"))


def input_hashes(files: list[Path]) -> dict[str, str]:
    """SHA-256 of each workbook and of its sidecar, by file name."""
    hashes = {}
    for path in files:
        hashes[path.name] = sha256(path)
        meta = sidecar_path(path)
        if meta.exists():
            hashes[meta.name] = sha256(meta)
    return hashes


def _read(args: tuple[str, str]) -> SourceRead:
    path, reference_dir = args
    return read_source(Path(path), load_reference(Path(reference_dir) if reference_dir else None))


def read_all(files: list[Path], reference_dir: Path | None = None, workers: int = 1,
             cache: "SourceCache | None" = None, hashes: dict[str, str] | None = None) -> list[SourceRead]:
    """Read sources, in parallel processes when ``workers`` > 1, in the order of ``files``.

    With a ``cache`` (``cache.SourceCache``), a source whose key is cached is not read
    again; the others are read and stored, and the entries of sources no longer present
    deleted, when the caller commits the cache (``cache.commit()``). ``hashes``: sha256
    by file name (``input_hashes(files)``; computed when not given)."""
    reads: dict[int, SourceRead] = {}
    keys: dict[int, str] = {}
    if cache is not None:
        hashes = hashes if hashes is not None else input_hashes(files)
        for i, path in enumerate(files):
            keys[i] = cache.key(path, hashes)
            hit = cache.load(keys[i])
            if hit is not None:
                reads[i] = hit
                cache.hits.append(Path(path).name)
    todo = [i for i in range(len(files)) if i not in reads]
    jobs = [(str(files[i]), str(reference_dir or "")) for i in todo]
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
            # one workbook per task: a read takes ~0.1 s, far more than handing out a task,
            # and large chunks leave one worker idle at the end while the other finishes its last
            fresh = list(pool.map(_read, jobs, chunksize=1))
    else:
        fresh = [_read(job) for job in jobs]
    for i, read in zip(todo, fresh):
        reads[i] = read
        if cache is not None:
            cache.read.append(Path(files[i]).name)
            cache.store(keys[i], read)
    if cache is not None:
        cache.prune(set(keys.values()))
    return [reads[i] for i in range(len(files))]


def hash_folder(digest, folder: Path) -> None:
    """Feed every file of ``folder`` (name and sha256) into ``digest``: the key of what a
    build or a report depends on."""
    folder = Path(folder)
    if not folder.is_dir():
        digest.update(f"{folder}: none\n".encode())
        return
    for file in sorted(folder.rglob("*")):
        parts = file.relative_to(folder).parts
        if (
            not file.is_file()
            or ".tmp-" in file.name
            or "__pycache__" in parts
            or any(part.startswith((".", "~$")) for part in parts)
        ):
            continue  # bytecode, temporary, hidden and Excel lock files are no input
        digest.update(f"{file.relative_to(folder).as_posix()}\n".encode())
        digest.update(hashlib.sha256(file.read_bytes()).digest())


def package_fingerprint() -> str:
    """sha256 over the package's files (code and reference data): a build made by other code
    is not up to date, even under the same version number."""
    digest = hashlib.sha256()
    hash_folder(digest, PACKAGE_DIR)
    return digest.hexdigest()
