"""Validation findings: what is wrong, where (file, sheet, cell) and how bad.

Messages are written in the analyst's language when the finding is made
(``i18n._``); ``check`` is the stable machine key (the ``check`` column of
validation.csv), the same in every language. One cause met in many cells (a
sidecar year that no header states, once per column) is reported once, listing
its cells: :meth:`Findings.grouped`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Iterable, Literal

import pandas as pd

from .i18n import _, current_language, names, num
from .publishing.outputs import value_labels
from .text import place_text

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
COLUMNS = ["severity", "check", "file", "sheet", "cell", "message"]


@dataclass(frozen=True)
class Finding:
    """One validation finding. ``cell`` is in A1 notation ("" for the whole file)."""

    severity: Severity
    check: str
    file: str
    sheet: str
    cell: str
    message: str
    #: The cause without the cell's own details (the message that fits every cell
    #: of a repeated cause); findings with the same check, file and ``group`` are
    #: reported as one (:meth:`Findings.grouped`). "" for a finding that stands alone.
    group: str = ""

    def line(self) -> str:
        """One readable line in the current language: ``CẢNH BÁO plan.xlsx › Biểu 02!D7: message``
        (``WARNING …`` in English); a finding about no file in particular has no place."""
        words = value_labels(current_language()).get("severity", {})
        width = max((len(w) for w in words.values()), default=7)
        tag = words.get(self.severity, self.severity).upper()
        where = self.file
        if self.sheet and self.cell:
            where += f" › {self.sheet}!{self.cell}"
        elif self.sheet or self.cell:  # a document place ("Bảng 2, hàng 5, cột 3") stands alone
            where += f" › {self.sheet or self.cell}"
        return f"{tag:{width}} {where}: {self.message}" if where else f"{tag:{width}} {self.message}"


def finding_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Errors, warnings and checks that hold (info lines): what a summary says (number of findings)."""
    severities = [f.severity for f in findings]
    return {"errors": severities.count("error"), "warnings": severities.count("warning"),
            "checks_hold": severities.count("info")}


@dataclass
class Findings:
    """An ordered collection of findings, with helpers to report them."""

    items: list[Finding] = field(default_factory=list)

    def add(self, severity: Severity, check: str, message: str, *, file: str = "",
            sheet: str = "", cell: str = "", group: str = "") -> None:
        """Add a finding; ``group``: the cause in words that fit every cell it is met in
        (see :attr:`Finding.group`). A document's places ("trang 2, dòng 2") are written in
        the current language."""
        lang = current_language()
        self.items.append(Finding(severity, check, file, place_text(sheet, lang), place_text(cell, lang),
                                  place_text(message, lang), place_text(group, lang)))

    def extend(self, other: Iterable[Finding]) -> None:
        self.items.extend(other.items if isinstance(other, Findings) else other)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.items if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.items if f.severity == "warning"]

    def strict(self) -> "Findings":
        """Warnings become errors (``--strict``)."""
        return Findings([replace(f, severity="error") if f.severity == "warning" else f for f in self.items])

    def grouped(self) -> "Findings":
        """One finding per repeated cause: findings with the same severity, check,
        file and :attr:`Finding.group` become one, whose message is the group's
        followed by the cells it is met in ("… (3 cells: Biểu 01!C5, Biểu 02!D4 and
        Biểu 03!D5)"), at the place of the first. A cause met once keeps its own
        message; the order is that of each cause's first finding."""
        buckets: dict[tuple, list[Finding]] = {}
        order: list[object] = []
        for f in self.items:
            if not f.group:
                order.append(f)
                continue
            key = (f.severity, f.check, f.file, f.group)
            if key not in buckets:
                buckets[key] = []
                order.append(key)
            buckets[key].append(f)
        out = []
        for item in order:
            if isinstance(item, Finding):
                out.append(item)
                continue
            members = buckets[item]
            if len(members) == 1:
                out.append(members[0])
                continue
            first = members[0]
            one_sheet = len({m.sheet for m in members}) == 1
            places = list(dict.fromkeys(
                m.cell if one_sheet else "!".join(x for x in (m.sheet, m.cell) if x) for m in members))
            message = _("{cause} ({n} cells: {cells})").format(cause=first.group, n=num(len(places)),
                                                                cells=names(places))
            out.append(replace(first, message=message))
        return Findings(out)

    def to_frame(self) -> pd.DataFrame:
        rows = [asdict(f) for f in self.items]
        frame = pd.DataFrame(rows, columns=COLUMNS)
        return frame.astype("str") if len(frame) else frame

    def report(self) -> str:
        return "\n".join(f.line() for f in self.items)


class InputError(Exception):
    """Input that cannot be turned into tidy tables. Carries the findings."""

    def __init__(self, findings: Findings):
        self.findings = findings
        super().__init__(findings.report())
