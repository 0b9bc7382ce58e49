"""The commune data a notebook works on: the commune tables of the raw folder,
or else the illustrative example commune tables (sidecar kind ``communes`` and
``illustrative: true``), with the plan's tables beside them for the comparison."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..analysis.commune_readiness import readiness
from ..analysis.commune_successors import by_successor, province_timeline
from ..findings import Findings
from ..pipeline import check_communes
from ..publishing.charts.communes import commune_wall
from ..tables.combine import combine
from ..tables.tidy import TidyTables
from .project import examples_of, read_examples


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
    reads = [r for r in read_examples(paths, project.processed_dir, project.reference_dir, Path(examples_dir))
             if r.ok] if paths else []
    if not reads:
        return CommuneData(project.tables, {}, Findings())
    both = [r for r in project.reads if r.ok] + reads
    tables, _conflicts = combine(both, Findings())
    findings, results = check_communes(tables, project.reference, both)
    return CommuneData(tables, results, findings, "example", paths, True)


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
    #: the commune marks behind ``ready`` (``commune_criteria`` rows of both systems)
    marks: pd.DataFrame = field(default_factory=pd.DataFrame)


def new_unit_walls(reform: ReformData, *, lang: str = "vi", source_line: str = "",
                   illustrative: bool = False, reference=None) -> list[tuple[str, object]]:
    """Where the communes of the 2025 units stand on the criteria set of their table (10 for
    2026–2030): one wall chart per period, (stem, figure) pairs (``commune_wall_{year}_{status}``;
    communes and wards × criteria, a blank drawn as not assessed, never as not met)."""
    if reform.marks.empty or "units" not in reform.marks:
        return []
    marks = reform.marks[(reform.marks.units == "2025").to_numpy(dtype=bool)]
    ready = reform.ready[(reform.ready.units == "2025").to_numpy(dtype=bool)] if "units" in reform.ready \
        else reform.ready.iloc[0:0]
    periods = sorted({(int(y), str(st)) for y, st in zip(ready.year, ready.status)})
    return [(f"commune_wall_{y}_{st}", commune_wall(marks, ready, y, st, lang=lang, source_line=source_line,
                                                    illustrative=illustrative, reference=reference))
            for y, st in periods]


def load_reform(project, communes: CommuneData, examples_dir: Path | str | None) -> ReformData:
    """``communes``'s tables (:func:`load_communes`) and, when none is in the 2025 units, the
    illustrative tables of ``examples_dir/REFORM_EXAMPLES``; rolled onto the 2025 units."""
    frames = [communes.tables.commune_criteria] if communes.available else []
    files: list[Path] = []
    illustrative = communes.illustrative
    has_new = any((f.units == "2025").any() for f in frames if "units" in f)
    if not has_new and examples_dir is not None:
        paths = examples_of(Path(examples_dir) / REFORM_EXAMPLES, "communes")
        reads = [r for r in read_examples(paths, project.processed_dir, project.reference_dir, Path(examples_dir))
                 if r.ok]
        if reads:
            frames += [r.tables.commune_criteria for r in reads]
            files, illustrative = paths, True
    frames = [f for f in frames if not f.empty]
    findings = Findings()
    if not frames:
        return ReformData(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), findings)
    marks = pd.concat(frames, ignore_index=True)
    ready = readiness(marks)
    return ReformData(ready, by_successor(ready, findings), province_timeline(ready, findings), findings, files,
                      illustrative, marks)
