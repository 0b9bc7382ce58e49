"""What a report was made from: a stamp beside it (``.NAME.inputs``, JSON) holding the
key of its inputs and the fingerprints of the files it read, so that a report whose
inputs did not change is not made again (the notebooks' HTML, the briefing deck).

Light on purpose (no pandas, no matplotlib): a command that finds its report up to
date answers before importing what it would need to make it.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import __version__
from ..fingerprints import fingerprints, hash_folder, package_fingerprint, write_text_atomically
from ..i18n import DEFAULT_LANG

__all__ = ["deck_inputs", "fingerprints", "forget", "hash_folder", "is_current", "last_seconds", "stamp_path",
           "write_stamp"]


def stamp_path(out: Path) -> Path:
    """The stamp of the report ``out``: ``.STEM.inputs`` beside it."""
    out = Path(out)
    return out.with_name(f".{out.stem}.inputs")


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
    return write_text_atomically(path, json.dumps(stamp, ensure_ascii=False, indent=1))


def last_seconds(out: Path) -> float | None:
    """How long making ``out`` took last time (seconds; None: not recorded)."""
    try:
        seconds = json.loads(stamp_path(out).read_text(encoding="utf-8")).get("seconds")
    except (OSError, ValueError, AttributeError):
        return None
    return float(seconds) if isinstance(seconds, (int, float)) else None


def deck_inputs(processed_dir: Path, lang: str) -> tuple[str, list[str]]:
    """What the briefing deck is made from (``pipeline.load`` reads it): the key (the
    package's files and version, the language, the reference folder the build was given)
    and the files it reads (every table of ``processed_dir``, and that reference folder's
    files). The manifest is no input of its own: it changes with every build."""
    processed_dir = Path(processed_dir)
    try:
        manifest = json.loads((processed_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    reference_dir = str((manifest.get("options") or {}).get("reference_dir") or "")
    key = hashlib.sha256(json.dumps(["deck", __version__, package_fingerprint(), lang, reference_dir])
                         .encode()).hexdigest()
    reads = [str(processed_dir)] + [str(p) for p in sorted(processed_dir.glob("*.csv"))]
    if lang != DEFAULT_LANG:  # that language's validation.csv (pipeline.rendering_dirs)
        reads += [str(p) for p in sorted((processed_dir / lang).glob("*.csv"))]
    if reference_dir:
        reads += [str(p) for p in sorted(Path(reference_dir).rglob("*")) if p.is_file()]
    return key, reads
