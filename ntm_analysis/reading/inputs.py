"""The inputs of a build: which files of a raw folder are read, their content
hashes (to tell whether a build is up to date), and reading them all, in
parallel processes when asked."""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import LOCK_MESSAGE, LOCK_PREFIX, OFFICE_CHANGES_FILE, SIDECAR_SUFFIX, sidecar_path
from ..findings import Findings, Severity
from ..i18n import N_, _, current_language, use_language
from ..reference import load_reference
from .metadata import sha256
from .reader import SourceRead, read_source
from .sources import LOADERS

if TYPE_CHECKING:
    from ..publishing.cache import SourceCache

def raw_files(raw_dir: Path) -> list[Path]:
    """The workbooks and documents of a raw folder, those of a type a carrier reads or
    refuses with a reason (``sources.LOADERS``); Office lock files ~$…, hidden files and
    README files skipped (:func:`unread_files` says why)."""
    return sorted(p for p in Path(raw_dir).iterdir()
                  if p.is_file() and p.suffix.lower() in LOADERS
                  and not p.name.startswith((LOCK_PREFIX, ".")) and not p.stem.lower().startswith("readme"))


#: Why a file of a raw folder is not read: check -> (severity, message). A message
#: may name {file} (the file), {workbook} (the file a lock file or sidecar belongs to)
#: and {suffix}.
UNREAD: dict[str, tuple[Severity, str]] = {
    "lock_file": ("warning", LOCK_MESSAGE),
    "orphan_sidecar": ("warning", N_("a sidecar without its file: no {workbook}.xlsx (or .docx, .pdf, .md) "
                                     "is beside it, so nothing is read for it")),
    "csv_file": ("warning", N_("CSV files are not read: open it in Excel and save it as a workbook (.xlsx)")),
    "stray_json": ("warning", N_("not read: a sidecar is named after its file (FILE{suffix}), beside it")),
    "unsupported_file": ("warning", N_("files of type '{suffix}' are not read: give a workbook (.xlsx), a Word "
                                       "document (.docx), a PDF, a scan (.png, .jpg, .tif) or Markdown/text "
                                       "(.md, .txt)")),
    "folder": ("warning", N_("a folder: the files of data/raw are read, not those of its sub-folders")),
    "readme": ("info", N_("a README: notes, not a source")),
    "hidden_file": ("info", N_("a hidden file: not a source")),
}


def unread_files(raw_dir: Path) -> list[tuple[Path, str]]:
    """Every entry of a raw folder that is neither read as a source nor the sidecar of
    one, with why (a key of :data:`UNREAD`): Office lock files, sidecars without
    their file, CSV and other files, sub-folders, README and hidden files."""
    raw_dir = Path(raw_dir)
    read = set(raw_files(raw_dir))
    sidecars = {sidecar_path(p) for p in read}
    out: list[tuple[Path, str]] = []
    for path in sorted(raw_dir.iterdir()):
        if path in read or path in sidecars or path.name == OFFICE_CHANGES_FILE:  # (read by the build)
            continue
        name, suffix = path.name, path.suffix.lower()
        if path.is_dir():
            reason = "hidden_file" if name.startswith(".") else "folder"
        elif name.startswith(LOCK_PREFIX):
            reason = "lock_file"
        elif name.startswith("."):
            reason = "hidden_file"
        elif path.stem.lower().startswith("readme"):
            reason = "readme"
        elif name.lower().endswith(SIDECAR_SUFFIX):
            reason = "orphan_sidecar"
        elif suffix == ".csv":
            reason = "csv_file"
        elif suffix == ".json":
            reason = "stray_json"
        else:
            reason = "unsupported_file"
        out.append((path, reason))
    return out


def unread_message(path: Path, reason: str) -> str:
    """Why ``path`` is not read (:data:`UNREAD`), in the current language."""
    name = Path(path).name
    workbook = name[len(LOCK_PREFIX):] if reason == "lock_file" else name[:-len(SIDECAR_SUFFIX)] \
        if reason == "orphan_sidecar" else name
    return _(UNREAD[reason][1]).format(file=name, workbook=workbook, suffix=SIDECAR_SUFFIX
                                        if reason == "stray_json" else Path(path).suffix or "''")


def add_unread(raw_dir: Path, findings: Findings) -> list[tuple[Path, str]]:
    """A finding for every file of ``raw_dir`` that is not read (:func:`unread_files`),
    naming the file and why; returns them."""
    unread = unread_files(raw_dir)
    for path, reason in unread:
        findings.add(UNREAD[reason][0], f"not_read_{reason}", unread_message(path, reason), file=path.name)
    return unread


def input_hashes(files: list[Path]) -> dict[str, str]:
    """SHA-256 of each workbook and of its sidecar, by file name."""
    hashes = {}
    for path in files:
        hashes[path.name] = sha256(path)
        meta = sidecar_path(path)
        if meta.exists():
            hashes[meta.name] = sha256(meta)
    for folder in {Path(p).parent for p in files}:  # the office's own unit changes, read with the sources
        changes = folder / OFFICE_CHANGES_FILE
        if changes.is_file():
            hashes[changes.name] = sha256(changes)
    return hashes


def _read(args: tuple[str, str, str]) -> SourceRead:
    path, reference_dir, lang = args
    with use_language(lang):  # a worker process speaks the language of the build that started it
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
    jobs = [(str(files[i]), str(reference_dir or ""), current_language()) for i in todo]
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
