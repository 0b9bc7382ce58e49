"""What a report was made from: a stamp beside it (``.NAME.inputs``, JSON) holding the
key of its inputs and the fingerprints of the files it read, so that a report whose
inputs did not change is not made again (the notebooks' HTML, the briefing deck).

Light on purpose (no pandas, no matplotlib): a command that finds its report up to
date answers before importing what it would need to make it.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path


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


def stamp_path(out: Path) -> Path:
    """The stamp of the report ``out``: ``.STEM.inputs`` beside it."""
    out = Path(out)
    return out.with_name(f".{out.stem}.inputs")


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


def is_current(out: Path, key: str) -> bool:
    """Whether the report ``out`` exists and was made with ``key`` from files that are
    still as they were read."""
    try:
        stamp = json.loads(stamp_path(out).read_text(encoding="utf-8"))
        return (Path(out).is_file() and stamp["key"] == key
                and fingerprints(list(stamp["reads"])) == stamp["reads"])
    except (OSError, ValueError, KeyError, TypeError):
        return False


def forget(out: Path) -> None:
    """Remove the stamp of ``out`` (before the report is written again)."""
    stamp_path(out).unlink(missing_ok=True)


def write_stamp(out: Path, key: str, reads: set[str] | list[str], seconds: float | None = None) -> Path:
    """Record that ``out`` was made with ``key`` from the files ``reads`` as they are now
    (and, when given, that making it took ``seconds``: see :func:`last_seconds`)."""
    path = stamp_path(out)
    stamp: dict = {"key": key, "reads": fingerprints(reads)}
    if seconds is not None:
        stamp["seconds"] = round(seconds, 3)
    path.write_text(json.dumps(stamp, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def last_seconds(out: Path) -> float | None:
    """How long making ``out`` took last time (seconds; None: not recorded)."""
    try:
        seconds = json.loads(stamp_path(out).read_text(encoding="utf-8")).get("seconds")
    except (OSError, ValueError, AttributeError):
        return None
    return float(seconds) if isinstance(seconds, (int, float)) else None


def deck_inputs(processed_dir: Path, lang: str) -> tuple[str, list[str]]:
    """What the briefing deck is made from (``deck.load_deck_data`` reads it): the key (the
    package's files and version, the language, the reference folder the build was given)
    and the files it reads (every table of ``processed_dir``, and that reference folder's
    files). The manifest is no input of its own: it changes with every build."""
    from . import __version__  # noqa: PLC0415
    from .inputs import package_fingerprint  # noqa: PLC0415

    processed_dir = Path(processed_dir)
    try:
        manifest = json.loads((processed_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    reference_dir = str((manifest.get("options") or {}).get("reference_dir") or "")
    key = hashlib.sha256(json.dumps(["deck", __version__, package_fingerprint(), lang, reference_dir])
                         .encode()).hexdigest()
    reads = [str(processed_dir)] + [str(p) for p in sorted(processed_dir.glob("*.csv"))]
    if reference_dir:
        reads += [str(p) for p in sorted(Path(reference_dir).rglob("*")) if p.is_file()]
    return key, reads
