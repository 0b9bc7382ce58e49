"""The communes of 2021 and their successors after the reform of 1 July 2025
(``code_2025``, ``commune_2025`` in ``reference/communes.csv``; Lào Cai only,
blank elsewhere and never guessed)."""
from __future__ import annotations

import pandas as pd

from .gazetteer import communes


def with_successors(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (with ``commune_code``) plus ``code_2025`` and ``commune_2025``;
    blank where the reference has no successor."""
    ref = communes()[["commune_code", "code_2025", "commune_2025"]].replace("", pd.NA)
    return frame.merge(ref, on="commune_code", how="left")


def by_successor(ready: pd.DataFrame) -> pd.DataFrame:
    """Per period and 2025 unit: how many of its 2021 communes are in the table and
    how many are at the standard (``ntm``), and their names. Communes without a
    successor in the reference are left out. Units: communes."""
    frame = with_successors(ready).dropna(subset=["code_2025"])
    rows = []
    for (year, status, code, name), part in frame.groupby(["year", "status", "code_2025", "commune_2025"]):
        rows.append({"year": year, "status": status, "code_2025": code, "commune_2025": name,
                     "communes_2021": len(part), "ntm": int((part.state == "ntm").sum()),
                     "all_ntm": bool((part.state == "ntm").all()), "communes": "; ".join(part.commune)})
    return pd.DataFrame(rows, columns=["year", "status", "code_2025", "commune_2025", "communes_2021", "ntm",
                                       "all_ntm", "communes"])
