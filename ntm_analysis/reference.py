"""Reference data: criteria catalogues, the district gazetteer and its aliases,
the indicator catalogue, the funding payers. All of it lives in CSV/JSON files
under ``ntm_analysis/reference/``; this module only loads and looks up."""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .config import REFERENCE_DIR
from .text import fold, key


def is_province(area_code: pd.Series) -> pd.Series:
    """True for province rows. GSO codes the province with two characters ('10')
    and its districts with three ('080'); the schemas accept nothing else."""
    return area_code.astype("str").str.len() == 2


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


@dataclass(frozen=True)
class Reference:
    """Loaded reference tables (see ``reference/README.md`` for their sources)."""

    criteria: pd.DataFrame  # criteria_set, criterion_id (int), criterion, group, *_en
    criteria_sets: pd.DataFrame
    districts: pd.DataFrame  # gazetteer: province_code, area_code, area, communes (int) ...
    aliases: dict[str, str]  # key(alias) -> area_code
    indicators: pd.DataFrame
    payers: pd.DataFrame
    tables: dict
    criterion_names: dict[str, int]  # fold(name) -> id, both sets

    # ---- criteria -------------------------------------------------------------
    def criteria_set_for(self, year: int) -> str:
        """The national criteria set in force for ``year`` ("2016-2020" or "2021-2025")."""
        sets = self.criteria_sets
        hit = sets[(sets.first_year.astype(int) <= year) & (sets.last_year.astype(int) >= year)]
        if hit.empty:
            return sets.criteria_set.iloc[0 if year < int(sets.first_year.min()) else -1]
        return str(hit.criteria_set.iloc[0])

    def criterion_by_name(self, label: str) -> int | None:
        """Criterion id whose official name (either set) equals ``label`` (folded)."""
        return self.criterion_names.get(fold(label))

    # ---- districts ------------------------------------------------------------
    def resolve_area(self, name: str) -> str | None:
        """GSO code for a district (or province) name, through the alias table."""
        text = key(name)
        code = self.aliases.get(text)
        if code is None:  # "Huyện Bát Xát" when only "Bát Xát" is listed, and so on
            for prefix in ("huyện ", "thị xã ", "thành phố ", "tx ", "tp ", "h "):
                if text.startswith(prefix) and text[len(prefix):] in self.aliases:
                    return self.aliases[text[len(prefix):]]
        return code

    def suggest_areas(self, name: str, n: int = 3) -> list[str]:
        """The closest known spellings, for an 'unknown district' message."""
        names = list(dict.fromkeys(self.districts.area.tolist() + self.districts.short_name.tolist()))
        by_key = {key(x): x for x in names}
        close = difflib.get_close_matches(key(name), list(by_key), n=n, cutoff=0.4)
        return [by_key[c] for c in close]

    def area_name(self, code: str) -> str:
        row = self.districts[self.districts.area_code == code]
        return str(row.area.iloc[0]) if len(row) else code

    def communes(self, code: str) -> int | None:
        row = self.districts[self.districts.area_code == code]
        return int(row.communes.iloc[0]) if len(row) else None

    def province_of(self, codes: list[str]) -> str | None:
        rows = self.districts[self.districts.area_code.isin(codes)]
        provinces = rows.province_code.unique().tolist()
        return provinces[0] if len(provinces) == 1 else None

    # ---- indicators -----------------------------------------------------------
    def indicator(self, name: str) -> pd.Series:
        return self.indicators.set_index("indicator").loc[name]


def load_reference(extra_dir: Path | None = None) -> Reference:
    """Load the packaged reference data. ``extra_dir`` may hold more
    ``districts.csv`` / ``district_aliases.csv`` rows (another province's
    gazetteer), which are appended to the packaged ones."""
    return _load(str(extra_dir) if extra_dir else "")


@lru_cache(maxsize=4)
def _load(extra: str) -> Reference:
    dirs = [REFERENCE_DIR] + ([Path(extra)] if extra else [])
    districts = pd.concat([_csv(d / "districts.csv") for d in dirs if (d / "districts.csv").exists()],
                          ignore_index=True)
    aliases_frame = pd.concat([_csv(d / "district_aliases.csv") for d in dirs
                               if (d / "district_aliases.csv").exists()], ignore_index=True)
    aliases = {key(a): c for a, c in zip(aliases_frame.alias, aliases_frame.area_code)}
    for code, area, short in zip(districts.area_code, districts.area, districts.short_name):
        aliases.setdefault(key(area), code)
        aliases.setdefault(key(short), code)
    criteria = _csv(REFERENCE_DIR / "criteria.csv")
    criteria["criterion_id"] = criteria.criterion_id.astype(int)
    districts["communes"] = districts.communes.astype(int)
    return Reference(
        criteria=criteria,
        criteria_sets=_csv(REFERENCE_DIR / "criteria_sets.csv"),
        districts=districts,
        aliases=aliases,
        indicators=_csv(REFERENCE_DIR / "indicators.csv"),
        payers=_csv(REFERENCE_DIR / "funding_payers.csv"),
        criterion_names={fold(n): int(i) for n, i in zip(criteria.criterion, criteria.criterion_id)},
        tables=json.loads((REFERENCE_DIR / "tables.json").read_text(encoding="utf-8")),
    )
