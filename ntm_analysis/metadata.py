"""Sidecar metadata files: ``name.meta.json`` beside each raw workbook."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .config import sidecar_path
from .findings import Findings
from .i18n import _, names

KINDS = ("plan", "results", "correction", "communes")


def sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class SourceInfo:
    """What a raw file is: read from its sidecar (or assumed, without one)."""

    source_id: str
    file: str
    kind: str = "plan"
    year: int | None = None
    document_number: str = ""
    document_date: str = ""
    issuer: str = ""
    received_date: str = ""
    citation: str = ""
    sha256: str = ""
    illustrative: bool = False
    has_sidecar: bool = False
    extra: dict = field(default_factory=dict)

    def as_row(self) -> dict:
        return {"source_id": self.source_id, "file": self.file, "kind": self.kind, "year": self.year,
                "document_number": self.document_number, "document_date": self.document_date,
                "issuer": self.issuer, "received_date": self.received_date, "citation": self.citation,
                "sha256": self.sha256, "illustrative": self.illustrative}


def read_sidecar(path: Path, findings: Findings) -> SourceInfo:
    """Read the sidecar of ``path``; check its kind and sha256 against the file."""
    path = Path(path)
    meta_path = sidecar_path(path)
    actual_sha = sha256(path) if path.is_file() else ""
    info = SourceInfo(source_id=path.stem, file=path.name, sha256=actual_sha)
    if not meta_path.is_file():
        return info
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if not isinstance(meta, dict):
            raise ValueError(_("not a JSON object"))
    except (ValueError, UnicodeDecodeError) as exc:
        findings.add("error", "sidecar", _("the sidecar {sidecar} is not valid JSON ({reason})").format(
            sidecar=meta_path.name, reason=exc), file=path.name)
        return info
    info.has_sidecar = True
    known = {f for f in SourceInfo.__dataclass_fields__} - {"file", "sha256", "has_sidecar", "extra"}
    for name in known:
        if meta.get(name) is not None:
            setattr(info, name, meta[name])
    info.extra = {k: v for k, v in meta.items() if k not in known}
    info.source_id = str(meta.get("source_id") or path.stem)
    if info.kind not in KINDS:
        findings.add("error", "sidecar", _("the sidecar says kind '{kind}'; it must be one of {kinds}").format(
            kind=info.kind, kinds=names(KINDS)), file=path.name)
    if info.year is not None:
        try:
            info.year = int(info.year)
        except (TypeError, ValueError):
            findings.add("error", "sidecar", _("the sidecar's year '{year}' is not a year").format(year=info.year),
                         file=path.name)
            info.year = None
    recorded = meta.get("sha256")
    if recorded and recorded != actual_sha:
        findings.add("warning", "sha256",
                     _("the file changed after its sidecar was written (sha256 {actual}…, sidecar says "
                       "{recorded}…); update the sidecar if the change is intended").format(
                         actual=actual_sha[:12], recorded=str(recorded)[:12]),
                     file=path.name)
    info.sha256 = actual_sha
    return info
