"""Words of a scan's text read with low confidence, named where the narrative reader
speaks of their passage (issue 23).

The OCR carrier notes, per text line, the words it read with low confidence
(:func:`note_low_confidence`: an info line ``ocr_low_confidence`` at the line, e.g.
"trang 2, dòng 11"); a finding of the narrative reader (a commune not found, a near
match, a group whose count differs from its names) whose passage holds such a line
then names those words (:func:`name_unsure_words`), so the analyst knows that the
finding may come from the scan rather than from the plan ("thành phốlào" for "thành
phố Lào Cai" loses a commune's district).
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..findings import Finding, Findings
from ..i18n import _

#: The narrative reader's findings about named communes (``narrative.read_target_communes``).
NARRATIVE_CHECKS = ("commune_not_found", "commune_near_match", "named_communes_count")
#: A line of a page, as a finding names it in either language ("trang 2, dòng 11", "page 2, line 11").
_LINE = re.compile(r"(?:trang|page) (\d+), (?:dòng|line) (\d+)")
_QUOTED = re.compile(r"'[^']+'")
_WORD = re.compile(r"[^\W\d_]{2}")


def note_low_confidence(words: list, min_confidence: float, findings: Findings, file: str, place: str) -> None:
    """An info line ``ocr_low_confidence`` at ``place`` naming the words of a text line (``ocr.Word``:
    text, conf) read with a confidence below ``min_confidence`` that hold two letters or more (the
    unsure figures have their own warning)."""
    low = [w.text for w in words if w.conf < min_confidence and not w.uncertain and _WORD.search(w.text)]
    if low:
        message = _("the text of the scan here reads {words} with low confidence")
        findings.add("info", "ocr_low_confidence", message.format(words=", ".join(f"'{t}'" for t in low)),
                     file=file, cell=place)


def _lines(place: str) -> list[tuple[int, int]]:
    return [(int(p), int(n)) for p, n in _LINE.findall(place)]


def name_unsure_words(findings: Findings) -> Findings:
    """The findings with each narrative finding (:data:`NARRATIVE_CHECKS`, a warning or an
    error) naming the words read with low confidence in its passage (the lines from its first
    to its last), as the ``ocr_low_confidence`` lines of the same file quote them."""
    notes: dict[str, list[tuple[tuple[int, int], str]]] = {}
    for f in findings:
        if f.check == "ocr_low_confidence":
            words = _QUOTED.findall(f.message)
            notes.setdefault(f.file, []).extend((line, w) for line in _lines(f.cell) for w in words)
    if not notes:
        return findings
    out: list[Finding] = []
    for f in findings:
        lines = _lines(f.cell) if f.check in NARRATIVE_CHECKS and f.severity != "info" else []
        inside = [w for line, w in notes.get(f.file, []) if lines and min(lines) <= line <= max(lines)]
        words = list(dict.fromkeys(inside))
        if words:
            f = replace(f, message=f"{f.message} " + _(
                "(the scan read {words} with low confidence in this passage: check it on the scan)").format(
                words=", ".join(words)))
        out.append(f)
    return Findings(out)
