"""Display-ready frames of what a plan's text says, for notebook 01: the
narrative targets beside Biểu 01, the named communes with their GSO codes and
match quality, and every text ↔ table cross-check (column names are the
package's; ``notebooks.labels`` gives their Vietnamese headers)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..checks.reconcile import reconcile
from ..reading.narrative import narrative_indicators
from ..reading.reader import SourceRead, read_source
from ..reading.sources import READABLE
from ..reference import Reference, load_reference

AGREE_WORDS = {"vi": {True: "khớp", False: "không khớp"}, "en": {True: "agrees", False: "differs"}}
MATCH_WORDS = {"vi": {"exact": "khớp đúng", "near": "gần đúng (khác chính tả)", "none": "không tìm thấy"},
               "en": {"exact": "exact", "near": "near (spelled otherwise)", "none": "not found"}}


def text_reads(reads: list[SourceRead], folder: Path | None = None) -> list[SourceRead]:
    """The sources whose text was read (documents). When none of ``reads`` is
    a document, the plan documents of ``folder`` (if it exists) are read."""
    found = [r for r in reads if not r.tables.narrative_targets.empty or not r.tables.target_communes.empty]
    if found or folder is None or not Path(folder).is_dir():
        return found
    paths = sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in READABLE)
    return [r for r in (read_source(p) for p in paths) if not r.tables.narrative_targets.empty]


def narrative_beside_tables(read: SourceRead, lang: str = "vi") -> pd.DataFrame:
    """Each target of the text beside the same figure of the appendix tables
    (Biểu 01 for criteria and NTM communes; Biểu 03 for funding): indicator,
    criterion, the text's value and paragraph, the table's value and cell, and
    whether they agree (in words; "–" where the tables hold no such figure)."""
    rows = reconcile(read.tables, load_reference(), scopes=("text",))
    nt = read.tables.narrative_targets
    crit_names = dict(zip(read.tables.criteria.criterion_id, read.tables.criteria.criterion))
    out = []
    for _, t in nt.iterrows():
        same_year = rows.year.eq(t.year).fillna(False) if not pd.isna(t.year) else rows.year.isna()
        if t.indicator == "criterion_communes":
            check = rows[(rows.check == "text_criterion_target") & same_year
                         & rows.criterion_id.eq(t.criterion_id).fillna(False)]
        elif t.indicator in ("new_ntm_communes", "ntm_communes", "avg_criteria"):
            check = rows[(rows.check == f"text_{t.indicator}") & same_year]
        elif t.indicator.startswith("funding_"):
            check = rows[(rows.check == "text_funding") & same_year & (rows.indicator == t.indicator)]
        else:
            check = rows.iloc[0:0]
        c = check.iloc[0] if len(check) else None
        table_cells = "" if c is None else "; ".join(c.cells.split("; ")[1:])
        labels = narrative_indicators()
        out.append(
            {
                "indicator": t.indicator,
                "indicator_label": labels[f"label_{lang}" if lang in ("vi", "en") else "label_vi"].get(
                    t.indicator, t.indicator
                ),
                "criterion_id": t.criterion_id,
                "criterion": crit_names.get(t.criterion_id, "") if not pd.isna(t.criterion_id) else "",
                "text_value": t.value,
                "value_max": t.value_max,
                "unit": t.unit,
                "text_cell": t.cell,
                "table_value": None if c is None else c.computed,
                "table_cell": table_cells,
                "agrees": "–" if c is None or pd.isna(c.ok) else AGREE_WORDS.get(lang, AGREE_WORDS["vi"])[bool(c.ok)],
                "quote": t.quote,
            }
        )
    frame = pd.DataFrame(out)
    if len(frame):
        frame["criterion_id"] = frame.criterion_id.astype("Int64")
    return frame


def named_communes(read: SourceRead, reference: Reference, lang: str = "vi") -> pd.DataFrame:
    """The communes the text names: as written, official name, GSO codes,
    district, match quality in words, paragraph."""
    tc = read.tables.target_communes
    if tc.empty:
        return pd.DataFrame(
            columns=["commune_as_written", "commune", "commune_code", "district_code", "area", "match", "cell"]
        )
    return pd.DataFrame(
        {
            "commune_as_written": tc.commune_as_written,
            "commune": tc.commune,
            "commune_code": tc.commune_code,
            "district_code": tc.district_code,
            "area": [reference.area_name(c) if isinstance(c, str) else None for c in tc.district_code],
            "match": tc.match.map(MATCH_WORDS.get(lang, MATCH_WORDS["vi"])),
            "cell": tc.cell,
        }
    )


def crosschecks(read: SourceRead, reference: Reference) -> pd.DataFrame:
    """Every text ↔ table cross-check of one source, holding or not: the rows of the
    reconciliation engine's ``text`` scope (``reconcile.COLUMNS`` but the indicator's
    code and the criterion's number, which the message names in words)."""
    return reconcile(read.tables, reference, scopes=("text",)).drop(columns=["indicator", "criterion_id"])
