"""The commune data a notebook works on: the commune tables of the raw folder,
or else the illustrative example commune tables (sidecar kind ``communes`` and
``illustrative: true``), with the plan's tables beside them for the comparison."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..findings import Findings
from ..reconcile import as_findings, reconcile
from ..tidy import TidyTables
from .results import commune_results


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


def example_communes(examples_dir: Path) -> list[Path]:
    """The example commune tables of ``examples_dir`` (sidecar kind ``communes``,
    ``illustrative: true``; examples must say they are examples)."""
    from ..build import raw_files  # noqa: PLC0415
    from ..metadata import read_sidecar  # noqa: PLC0415

    examples_dir = Path(examples_dir)
    if not examples_dir.is_dir():
        return []
    found = []
    for path in raw_files(examples_dir):
        info = read_sidecar(path, Findings())
        if info.kind == "communes" and info.illustrative is True:
            found.append(path)
    return found


def load_communes(project, examples_dir: Path | str | None) -> CommuneData:
    """Commune data for ``project`` (``notebooks.load_project``): its own commune
    tables when the raw folder has any, else the examples (``None``: never)."""
    from ..combine import combine  # noqa: PLC0415
    from ..project import read_examples  # noqa: PLC0415

    tables, origin, files, illustrative = project.tables, "none", [], False
    own = [r for r in project.reads if r.ok and not r.tables.commune_criteria.empty]
    if own:
        origin, files = "raw", [project.raw_dir / r.info.file for r in own]
        illustrative = any(bool(r.info.illustrative) for r in own)
    elif examples_dir is not None:
        paths = example_communes(Path(examples_dir))
        reads = [r for r in read_examples(project, paths) if r.ok]  # kept between notebooks
        if reads:
            tables, _ = combine([r for r in project.reads if r.ok] + reads, Findings())
            origin, files, illustrative = "example", paths, True
    if origin == "none":
        return CommuneData(tables, {}, Findings())
    findings = as_findings(reconcile(tables, project.reference, scopes=("communes",)),
                           files={r.info.source_id: r.info.file for r in project.reads})
    results = commune_results(tables, project.reference, findings)
    return CommuneData(tables, results, findings, origin, files, illustrative)


#: The folder of ``examples_dir`` holding the illustrative table of the new Lào Cai (2026, 10 criteria).
REFORM_EXAMPLES = "lao-cai-2026"


@dataclass
class ReformData:
    """The commune tables of both unit systems together: readiness (``ready``), the roll-up onto
    the 2025 units (``successors``), ``timeline`` (``province_timeline``), their findings, the
    example files added (``files``: the illustrative 2026 table when the raw data hold no table in
    the 2025 units) and whether any table drawn is illustrative."""

    ready: pd.DataFrame
    successors: pd.DataFrame
    timeline: pd.DataFrame
    findings: Findings
    files: list[Path] = field(default_factory=list)
    illustrative: bool = False


def load_reform(project, communes: CommuneData, examples_dir: Path | str | None) -> ReformData:
    """``communes``'s tables (:func:`load_communes`) and, when none is in the 2025 units, the
    illustrative tables of ``examples_dir/REFORM_EXAMPLES``; rolled onto the 2025 units."""
    from ..project import read_examples  # noqa: PLC0415
    from .readiness import readiness  # noqa: PLC0415
    from .successors import by_successor, province_timeline  # noqa: PLC0415

    frames = [communes.tables.commune_criteria] if communes.available else []
    files: list[Path] = []
    illustrative = communes.illustrative
    has_new = any((f.units == "2025").any() for f in frames if "units" in f)
    if not has_new and examples_dir is not None:
        paths = example_communes(Path(examples_dir) / REFORM_EXAMPLES)
        reads = [r for r in read_examples(project, paths) if r.ok]
        if reads:
            frames += [r.tables.commune_criteria for r in reads]
            files, illustrative = paths, True
    frames = [f for f in frames if not f.empty]
    findings = Findings()
    if not frames:
        return ReformData(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), findings)
    ready = readiness(pd.concat(frames, ignore_index=True))
    return ReformData(ready, by_successor(ready, findings), province_timeline(ready, findings), findings, files,
                      illustrative)
