"""Every commune-level output the build writes, from the tidy tables."""
from __future__ import annotations

import pandas as pd

from ..checks.communes import district_averages
from ..findings import Findings
from ..i18n import _, ngettext, num
from ..reference import Reference
from .commune_aggregates import commune_aggregates
from .commune_readiness import blocking_criteria, district_summary, readiness, target_distance
from .commune_successors import by_successor, province_timeline, with_successors


def target_communes_distance(tables, ready: pd.DataFrame, findings: Findings | None = None) -> pd.DataFrame:
    """The named target communes (``tables.target_communes``, made by the document
    reader) against the latest actual commune table before their target year;
    empty with an info line when either is missing."""
    findings = Findings() if findings is None else findings
    targets = getattr(tables, "target_communes", None)
    if targets is None or targets.empty or "commune_code" not in targets:
        findings.add("info", "commune_targets", _("no plan names target communes: the distance of named communes "
                                                  "to the standard is not computed"))
        return pd.DataFrame()
    targets = targets.dropna(subset=["commune_code"])
    actual = ready[ready.status == "actual"]
    frames = []
    for year, part in targets.groupby("year"):
        before = actual[actual.year < int(year)]
        if before.empty:
            findings.add("info", "commune_targets",
                         ngettext("no actual commune table before {year}: the distance of its {n} named commune to "
                                  "the standard is not computed",
                                  "no actual commune table before {year}: the distance of its {n} named communes "
                                  "to the standard is not computed", len(part)).format(year=year,
                                                                                      n=num(len(part))))
            continue
        base = int(before.year.max())
        frames.append(target_distance(ready, part, base).assign(base_year=base))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def commune_results(tables, reference: Reference, findings: Findings | None = None,
                    office: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The commune outputs keyed by file stem (empty when there is no commune table):
    commune_aggregates, commune_readiness (with the 2025 successors),
    commune_blocking_criteria, commune_district_summary,
    commune_district_averages, commune_successors_2025, province_timeline and, when the plan's
    target communes are known, commune_target_distance. ``office``: an office's own
    unit changes (:func:`ntm_analysis.units.read_office_changes`)."""
    cc = tables.commune_criteria
    if cc.empty:
        return {}
    ready = readiness(cc)
    out = {"commune_aggregates": commune_aggregates(cc),
           "commune_readiness": with_successors(ready),
           "commune_blocking_criteria": blocking_criteria(ready),
           "commune_district_summary": district_summary(ready),
           "commune_district_averages": district_averages(tables),
           "commune_successors_2025": by_successor(ready, findings, office),
           "province_timeline": province_timeline(ready, findings)}
    distance = target_communes_distance(tables, ready, findings)
    if not distance.empty:
        out["commune_target_distance"] = distance
    return out
