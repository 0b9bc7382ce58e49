"""What the carriers share when a file cannot be read: the refusal (one error finding
naming the file, never an exception), and the guard of a zip package (.xlsx, .docx).

The guard runs on every zip-based file before any part is inflated or parsed: each
part's size, its compression ratio and the total, from the central directory alone,
against the caps of :mod:`ntm_analysis.config`; then the head of every XML part, where a
DOCTYPE or an entity declaration (entity expansion, external entities) is refused.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ... import config
from ...findings import Findings
from ...i18n import _, num
from ..grid import Grid

_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_PARTS = (".xml", ".rels", ".vml")
_MB = 1024 * 1024
#: The program that writes each zip-based format (named in what to do).
PROGRAMS: dict[str, str] = {".xlsx": "Excel", ".docx": "Word"}


class Refused(Exception):
    """The file cannot be read; ``check`` and ``message`` say why (``sheet``, ``cell``: where)."""

    def __init__(self, check: str, message: str, sheet: str = "", cell: str = ""):
        super().__init__(message)
        self.check, self.message, self.sheet, self.cell = check, message, sheet, cell


def refuse(findings: Findings, path: Path, check: str, message: str, sheet: str = "", cell: str = "") -> list[Grid]:
    """Record why ``path`` is not read (one error finding naming the file); no grids."""
    findings.add("error", check, message, file=Path(path).name, sheet=sheet, cell=cell)
    return []


def too_large(what: str) -> str:
    """The refusal of a zip package too large once inflated, with the caps."""
    return _("the file is too large: {what}; the limits are {part} MB per part, {total} MB in all and a "
             "compression ratio of {ratio}:1 on parts above {checked} MB (ntm_analysis/config.py); keep only the "
             "appendix tables in the file").format(
        what=what, part=num(config.MAX_MEMBER_BYTES // _MB), total=num(config.MAX_TOTAL_BYTES // _MB),
        ratio=num(config.MAX_COMPRESSION_RATIO), checked=num(config.RATIO_CHECKED_FROM_BYTES // _MB))


def check_sizes(archive: zipfile.ZipFile) -> None:
    """Refuse a zip bomb from the central directory alone (no part is inflated)."""
    total = 0
    for info in archive.infolist():
        size = info.file_size
        total += size
        if size > config.MAX_MEMBER_BYTES:
            raise Refused("file_too_large", too_large(_("the part '{part}' expands to {size} MB").format(
                part=info.filename, size=num(size / _MB))))
        if size > config.RATIO_CHECKED_FROM_BYTES and size > config.MAX_COMPRESSION_RATIO * max(
                info.compress_size, 1):
            raise Refused("file_too_large", too_large(
                _("the part '{part}' expands {ratio} times (to {size} MB)").format(
                    part=info.filename, ratio=num(size / max(info.compress_size, 1)), size=num(size / _MB))))
    if total > config.MAX_TOTAL_BYTES:
        raise Refused("file_too_large", too_large(_("its parts expand to {size} MB").format(size=num(total / _MB))))


def check_declarations(archive: zipfile.ZipFile, suffix: str) -> None:
    """Office never writes a DOCTYPE: one in any XML part (entity expansion, external
    entities) is refused before the part is parsed (after :func:`check_sizes`)."""
    program = PROGRAMS.get(suffix, "Office")
    for info in archive.infolist():
        if not info.filename.lower().endswith(_XML_PARTS):
            continue
        with archive.open(info) as part:
            head = part.read(4096)
        if _DECLARATION.search(head):
            raise Refused("unsafe_xml", _("the part '{part}' declares a DOCTYPE or entities, which {program} never "
                                          "writes; refused for safety: open the file in {program} and save it again "
                                          "as {suffix}").format(part=info.filename, program=program, suffix=suffix))


def guard(archive: zipfile.ZipFile, suffix: str) -> None:
    """The container guard of a zip package (sizes, ratio, total, XML declarations);
    raises :class:`Refused`. ``suffix``: the format read (".xlsx", ".docx")."""
    check_sizes(archive)
    check_declarations(archive, suffix)
