"""Validation findings: what is wrong, where (file, sheet, cell) and how bad."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Iterable, Literal

import pandas as pd

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

    def line(self) -> str:
        """One readable line in the current language: ``CẢNH BÁO plan.xlsx › Biểu 02!D7: message``
        (``WARNING …`` in English); a finding about no file in particular has no place."""
        from .i18n import current_language  # noqa: PLC0415 - findings are made before the language matters
        from .outputs import value_labels  # noqa: PLC0415

        words = value_labels(current_language()).get("severity", {})
        width = max((len(w) for w in words.values()), default=7)
        tag = words.get(self.severity, self.severity).upper()
        where = self.file
        if self.sheet and self.cell:
            where += f" › {self.sheet}!{self.cell}"
        elif self.sheet or self.cell:  # a document place ("Bảng 2, hàng 5, cột 3") stands alone
            where += f" › {self.sheet or self.cell}"
        return f"{tag:{width}} {where}: {self.message}" if where else f"{tag:{width}} {self.message}"


@dataclass
class Findings:
    """An ordered collection of findings, with helpers to report them."""

    items: list[Finding] = field(default_factory=list)

    def add(self, severity: Severity, check: str, message: str, *, file: str = "",
            sheet: str = "", cell: str = "") -> None:
        self.items.append(Finding(severity, check, file, sheet, cell, message))

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
        return Findings([Finding("error" if f.severity == "warning" else f.severity,
                                 f.check, f.file, f.sheet, f.cell, f.message) for f in self.items])

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
