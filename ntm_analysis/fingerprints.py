"""Fingerprints of files and folders (sha256), and the one way a file is written
atomically. A leaf: it imports nothing of the package, so that ``inputs``, ``cache`` and
``stamps`` all take from it without importing one another."""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import IO, Callable

#: The package's folder (its code and reference data).
PACKAGE_DIR = Path(__file__).resolve().parent


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


def fingerprints(paths: set[str] | list[str]) -> dict[str, str]:
    """For each path: the sha256 of a file's bytes, of a folder's sorted entry names,
    or "missing"."""
    out = {}
    for name in sorted(paths):
        path = Path(name)
        if path.is_file():
            out[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir():
            out[name] = "dir:" + hashlib.sha256("\n".join(sorted(os.listdir(path))).encode()).hexdigest()
        else:
            out[name] = "missing"
    return out


def write_atomically(target: Path, write: Callable[[IO[bytes]], object]) -> Path:
    """Write ``target`` through ``write(binary file)`` into a temporary file of its folder
    (hidden, ``.NAME.tmp-…``), then rename it into place: a reader never sees half a file,
    and a failure leaves ``target`` as it was. The file gets the ordinary permissions of a
    new file (the umask's), not those of a private temporary file."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{target.name[:24]}.tmp-", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_text_atomically(target: Path, text: str) -> Path:
    """``text`` (UTF-8) written to ``target`` by :func:`write_atomically`."""
    return write_atomically(target, lambda out: out.write(text.encode("utf-8")))
