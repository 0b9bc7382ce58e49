"""The commune data a notebook works on: the commune tables of the raw folder,
or else the illustrative example commune tables (sidecar kind ``communes`` and
``illustrative: true``), with the plan's tables beside them for the comparison."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..combine import combine
from ..findings import Findings
from ..inputs import read_all
from ..pipeline import check_communes
from ..project import examples_of
from ..tidy import TidyTables


@dataclass
class CommuneData:
    """Commune tables and what is computed from them. ``origin``: ``raw``,
    ``example`` (illustrative tables of the examples folder) or ``none``."""

    tables: TidyTables
    results: dict[str, pd.DataFrame]
    findings: Findings
    origin: str = "none"
    files: list[Path] = field(default_factory=list)
    illustrative: bool = False

    @property
    def available(self) -> bool:
        return self.origin != "none"


def load_communes(project, examples_dir: Path | str | None) -> CommuneData:
    """Commune data for ``project`` (``project.load_project``): its own commune tables, as
    the build checked them, when the raw folder has any; else the examples (``None``:
    never), read and taken through the pipeline's commune stage with the raw tables."""
    own = [r for r in project.reads if r.ok and not r.tables.commune_criteria.empty]
    if own:
        results = {name: frame for name, frame in project.results.items() if name.startswith("commune_")}
        return CommuneData(project.tables, results, project.findings, "raw", [project.raw_dir / r.info.file
                                                                              for r in own],
                           any(bool(r.info.illustrative) for r in own))
    paths = examples_of(Path(examples_dir), "communes") if examples_dir is not None else []
    reads = [r for r in read_all(paths, project.reference_dir) if r.ok]
    if not reads:
        return CommuneData(project.tables, {}, Findings())
    both = [r for r in project.reads if r.ok] + reads
    tables, _conflicts = combine(both, Findings())
    findings, results = check_communes(tables, project.reference, both)
    return CommuneData(tables, results, findings, "example", paths, True)
