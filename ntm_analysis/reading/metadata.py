"""Sidecar metadata files: ``name.meta.json`` beside each raw workbook."""
from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd

from ..config import REFERENCE_DIR, sidecar_path
from ..findings import Findings
from ..i18n import _, names, ngettext
from ..tables.schemas import STATUS

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


#: The columns of a sources frame (``sources.csv``), in order.
SOURCE_COLUMNS: tuple[str, ...] = tuple(SourceInfo("", "").as_row())


def sources_frame(infos) -> pd.DataFrame:
    """The sources frame of ``infos`` (``SourceInfo``s), one row each; with none, the
    empty frame with its columns (a figure drawing no source cites nothing)."""
    return pd.DataFrame([i.as_row() for i in infos], columns=list(SOURCE_COLUMNS))


def citations(sources) -> dict[str, str]:
    """How a figure cites each source (source_id -> text), from a sources frame
    (``SourceInfo.as_row`` rows): its sidecar's citation, else its file name; a
    source is never left out of a source line for want of a citation."""
    files = sources["file"] if "file" in sources else sources["source_id"]
    return {str(i): (str(c).strip() if isinstance(c, str) else "") or str(f)
            for i, c, f in zip(sources["source_id"], sources["citation"], files)}


@dataclass(frozen=True)
class SidecarField:
    """One field of a sidecar, as ``reference/sidecar_fields.csv`` declares it."""

    name: str
    type: str  # text, kind, year, status, date, bool, sha256
    required_for: tuple[str, ...]  # the kinds whose sidecar must fill it
    required_if_illustrative: bool  # still required when the figures are illustrative
    in_template: bool  # written (blank) into a fresh template's sidecar
    meaning: str


@cache
def sidecar_fields() -> tuple[SidecarField, ...]:
    """The sidecar's fields (``reference/sidecar_fields.csv``: the one place they are declared)."""
    with (REFERENCE_DIR / "sidecar_fields.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(SidecarField(r["field"], r["type"], tuple(r["required_for"].split()),
                                  r["required_if_illustrative"] == "yes", r["in_template"] == "yes", r["meaning"])
                     for r in csv.DictReader(fh))


def blank_sidecar(**values: object) -> dict:
    """The sidecar of a fresh template: every field a template carries, blank (text ""),
    ``illustrative`` false and ``sha256`` null, then ``values`` (kind, year, …) over them."""
    blank = {"bool": False, "sha256": None, "year": None}
    out = {f.name: blank.get(f.type, "") for f in sidecar_fields() if f.in_template}
    return out | values


#: A date as a sidecar writes it: YYYY-MM-DD, or YYYY-MM when only the month is known.
_ISO_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def _iso_date(text: str) -> bool:
    if not _ISO_DATE.match(text):
        return False
    try:
        date.fromisoformat(text if len(text) == 10 else text + "-01")
    except ValueError:
        return False
    return True


def _check_fields(meta: dict, info: SourceInfo, meta_path: Path, findings: Findings) -> None:
    """The sidecar against its schema: types, ISO dates, the fields its kind requires,
    and that it describes this file (not another one's, copied)."""
    where = {"file": info.file}
    sidecar = meta_path.name
    for spec in sidecar_fields():
        value = meta.get(spec.name)
        if value is None or value == "":
            continue
        if spec.type == "date" and not (isinstance(value, str) and _iso_date(value.strip())):
            day_first = _DAY_FIRST.match(str(value).strip())
            hint = ""
            if day_first:
                day, month, year = (int(g) for g in day_first.groups())
                iso = f"{year:04d}-{month:02d}-{day:02d}"
                hint = _(" ({iso})").format(iso=iso) if _iso_date(iso) else ""
            findings.add("error", "sidecar_date", _(
                "the sidecar {sidecar} gives {field} as \"{value}\": write the date as YYYY-MM-DD{hint}").format(
                    sidecar=sidecar, field=spec.name, value=value, hint=hint), **where)
        elif spec.type == "status" and value not in STATUS:
            findings.add("error", "sidecar_field", _(
                "the sidecar {sidecar} gives {field} as \"{value}\": write {choices}").format(
                    sidecar=sidecar, field=spec.name, value=value, choices=" / ".join(STATUS)), **where)
        elif spec.type == "bool" and not isinstance(value, bool):
            findings.add("error", "sidecar_field", _(
                "the sidecar {sidecar} gives {field} as \"{value}\": write true or false (without quotes)").format(
                    sidecar=sidecar, field=spec.name, value=value), **where)
    own = {"source_id": Path(info.file).stem, "file": info.file}
    for name, expected in own.items():
        value = meta.get(name)
        if value not in (None, "") and str(value) != expected:
            findings.add("warning", "sidecar_other_file", _(
                "the sidecar {sidecar} gives {field} \"{value}\", but it sits beside {file}: is it copied from "
                "another file's sidecar? Write \"{expected}\" (and this file's document fields)").format(
                    sidecar=sidecar, field=name, value=value, file=info.file, expected=expected), **where)
    if info.kind not in KINDS:
        return
    blank = [f.name for f in sidecar_fields() if info.kind in f.required_for
             and (f.required_if_illustrative or info.illustrative is not True)
             and (meta.get(f.name) is None or str(meta.get(f.name)).strip() == "")]
    if blank:
        findings.add("warning", "sidecar_blank", ngettext(
            "the sidecar {sidecar} leaves {fields} blank: fill it in from the document (a {kind} source "
            "needs it)",
            "the sidecar {sidecar} leaves {fields} blank: fill them in from the document (a {kind} source "
            "needs them)", len(blank)).format(sidecar=sidecar, fields=names(blank), kind=info.kind), **where)


def read_sidecar(path: Path, findings: Findings) -> SourceInfo:
    """Read the sidecar of ``path`` and check it against its schema
    (``reference/sidecar_fields.csv``: types, ISO dates, the fields its kind requires,
    that it describes this file) and its sha256 against the file. A missing sidecar
    is reported by the reader, which knows what it then assumed."""
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
        findings.add("error", "sidecar", _(
            "the sidecar {sidecar} says kind \"{kind}\"; it must be one of {kinds}").format(
                sidecar=meta_path.name, kind=info.kind, kinds=names(KINDS)), file=path.name)
    if info.year is not None:
        try:
            year = int(str(info.year).strip())
            if not 1990 <= year <= 2100:
                raise ValueError(year)
            info.year = year
        except (TypeError, ValueError):
            findings.add("error", "sidecar", _(
                "the sidecar {sidecar} gives year \"{year}\": write the year with four digits (2021)").format(
                    sidecar=meta_path.name, year=info.year), file=path.name)
            info.year = None
    _check_fields(meta, info, meta_path, findings)
    recorded = meta.get("sha256")
    if recorded and recorded != actual_sha:
        findings.add("warning", "sha256",
                     _("the file changed after its sidecar was written (sha256 {actual}…, sidecar says "
                       "{recorded}…); update the sidecar if the change is intended").format(
                         actual=actual_sha[:12], recorded=str(recorded)[:12]),
                     file=path.name)
    info.sha256 = actual_sha
    return info
