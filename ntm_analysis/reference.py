"""Reference data: criteria catalogues, the district gazetteer and its aliases,
the indicator catalogue, the funding payers. All of it lives in CSV/JSON files
under ``ntm_analysis/reference/``; this module only loads and looks up."""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd

from .config import REFERENCE_DIR
from .i18n import current_language
from .text import fold, key

#: GSO codes a province with two characters ('10') and its districts with three ('080');
#: the schemas accept nothing else.
PROVINCE_CODE_LENGTH = 2


def is_province(area_code: pd.Series) -> pd.Series:
    """True for province rows (a code of :data:`PROVINCE_CODE_LENGTH` characters)."""
    return area_code.astype("str").str.len() == PROVINCE_CODE_LENGTH


def is_province_code(area_code: object) -> bool:
    """:func:`is_province` for one code (a blank is no province)."""
    return isinstance(area_code, str) and len(area_code) == PROVINCE_CODE_LENGTH


#: Unit prefixes (as ``key`` gives them) that a label may carry before a known name.
_PREFIXES = ("huyện ", "thị xã ", "thành phố ", "quận ", "tx ", "tp ", "h ", "q ")
_FOLDED_PREFIXES = tuple(dict.fromkeys(fold(p) + " " for p in _PREFIXES))
#: Kind of unit (prefix of its official name) -> the prefixes plans write before its bare name.
_ALIAS_PREFIXES = {"Huyện": ("Huyện ", "H. ", ""), "Thị xã": ("Thị xã ", "TX ", ""),
                   "Thành phố": ("Thành phố ", "TP ", "TP. ", ""), "Quận": ("Quận ", "Q. ", ""),
                   "Tỉnh": ("Tỉnh ", "Toàn tỉnh ", "")}


class _Names(dict):
    """province_code -> official name; hashable by identity so it can key a cache."""

    __hash__ = object.__hash__


@dataclass(frozen=True)
class AreaMatch:
    """How a label resolves: ``code`` when one unit; ``candidates`` (GSO codes) when
    several units of the province share it; ``elsewhere`` when only units of
    other provinces carry it. All empty: an unknown name. ``unaccented``: found only
    once accents were removed (đ read as d) from the label and the known names."""

    code: str | None = None
    candidates: tuple[str, ...] = ()
    elsewhere: tuple[str, ...] = ()
    #: True when the label matched only once its accents were removed ("Huyen Bat Xat").
    unaccented: bool = False


def _generated_aliases(area: str, short_name: str) -> list[str]:
    """The spellings plans use for a unit, from its official name: "Huyện X",
    "H. X", "X"; "Thành phố X", "TP X", "TP. X", "X"; "Thị xã X", "TX X", "X";
    a province "Tỉnh X", "Toàn tỉnh X", "X"; and the gazetteer's short name.
    A bare number ("Quận 1" -> "1") is not a name and is left out."""
    out = [area, short_name]
    for kind, prefixes in _ALIAS_PREFIXES.items():
        if area.startswith(kind + " "):
            bare = area[len(kind) + 1:]
            out += [p + bare for p in prefixes if p or not bare.isdigit()]
            break
    return out


@lru_cache(maxsize=8)
def _title_index(names: _Names) -> tuple[dict[str, str], re.Pattern]:
    """fold("tỉnh lào cai") -> "10", and one pattern that finds any of them."""
    by_title = {fold(name): code for code, name in names.items()}
    alternatives = "|".join(re.escape(t) for t in sorted(by_title, key=len, reverse=True))
    return by_title, re.compile(rf"(?<![a-z])({alternatives})(?![a-z])")


def _nineteen_names(criteria: pd.DataFrame) -> dict[str, int]:
    """fold(name) -> id over the 19-criteria sets (2016–2020, 2021–2025): the 10 criteria of
    2026–2030 are named in :mod:`.criteria_sets`, never taken for one of the 19."""
    sets = _csv(REFERENCE_DIR / "criteria_sets.csv")
    nineteen = set(sets.criteria_set[sets.criteria.astype(int) == 19])
    rows = criteria[criteria.criteria_set.isin(nineteen)]
    return {fold(n): int(i) for n, i in zip(rows.criterion.tolist(), rows.criterion_id.tolist())}


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


@dataclass(frozen=True)
class Reference:
    """Loaded reference tables (see ``reference/README.md`` for their sources)."""

    criteria: pd.DataFrame  # criteria_set, criterion_id (int), criterion, group, *_en
    criteria_sets: pd.DataFrame
    districts: pd.DataFrame  # gazetteer: province_code, area_code, area, communes (int) ...
    aliases: dict[str, dict[str, tuple[str, ...]]]  # key(alias) -> {province_code: area codes}
    indicators: pd.DataFrame
    payers: pd.DataFrame
    tables: dict
    criterion_names: dict[str, int]  # fold(name) -> id, both sets
    province_names: "_Names"  # province_code -> official name ("Tỉnh Lào Cai")
    units: dict[str, tuple[str, str, int]]  # area_code -> (province_code, area, communes): fast look-ups

    @cached_property
    def folded_aliases(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """The aliases once accents are removed (``fold``): fold(alias) -> {province_code: area codes}.
        Built on first use (a label typed without accents): folding every alias of the
        country costs more than reading a plan that needs none of them."""
        folded: dict[str, dict[str, list[str]]] = {}
        for alias_key, by_province in self.aliases.items():
            for province, codes in by_province.items():
                known = folded.setdefault(fold(alias_key), {}).setdefault(province, [])
                known.extend(c for c in codes if c not in known)
        return {k: {p: tuple(c) for p, c in by_province.items()} for k, by_province in folded.items()}

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
    def match_area(self, name: str, province_code: str | None = None) -> AreaMatch:
        """How a district (or province) label resolves within ``province_code``
        (the whole country when None): one unit, several (ambiguous), or only
        units of other provinces. Aliases are generated from the gazetteer's names
        (see ``_generated_aliases``) plus the hand-written ``district_aliases.csv``.
        A label typed without any accent that matches no name as written is looked up
        again among the names without their accents (``unaccented`` is then True:
        "Huyen Bat Xat" is Huyện Bát Xát); a name with wrong accents ("Bảo Thăng") is not."""
        hits, unaccented = self._alias_hits(name), False
        if not hits and fold(key(name)) == key(name):  # typed without any accent
            hits, unaccented = self._alias_hits(name, folded=True), True
        if not hits:
            return AreaMatch()
        if province_code is None:
            codes = tuple(dict.fromkeys(c for part in hits.values() for c in part))
            return AreaMatch(code=codes[0], unaccented=unaccented) if len(codes) == 1 else \
                AreaMatch(candidates=codes, unaccented=unaccented)
        own = hits.get(province_code, ())
        if len(own) == 1:
            return AreaMatch(code=own[0], unaccented=unaccented)
        if own:
            return AreaMatch(candidates=own, unaccented=unaccented)
        return AreaMatch(elsewhere=tuple(c for part in hits.values() for c in part), unaccented=unaccented)

    def _alias_hits(self, name: str, folded: bool = False) -> dict[str, tuple[str, ...]] | None:
        """The units an alias names, as written or (``folded``) without accents; a unit
        prefix ("Huyện ", "TP ") before a known name is allowed."""
        index, text = (self.folded_aliases, fold(key(name))) if folded else (self.aliases, key(name))
        hits = index.get(text)
        if hits is None:  # "Huyện Bát Xát" when only "Bát Xát" is known, and so on
            for prefix in _FOLDED_PREFIXES if folded else _PREFIXES:
                if text.startswith(prefix) and text[len(prefix):] in index:
                    return index[text[len(prefix):]]
        return hits

    def resolve_area(self, name: str, province_code: str | None = None) -> str | None:
        """GSO code for a district (or province) name, or None when the name is
        unknown or ambiguous (see ``match_area``)."""
        return self.match_area(name, province_code).code

    def suggest_areas(self, name: str, n: int = 3, province_code: str | None = None) -> list[str]:
        """The closest known spellings (within the province, if given), for an
        'unknown district' message."""
        from difflib import get_close_matches  # noqa: PLC0415 - only for an unknown name

        d = self.districts if province_code is None else \
            self.districts[self.districts.province_code == province_code]
        names = list(dict.fromkeys(d.area.tolist() + d.short_name.tolist()))
        by_key = {key(x): x for x in names}
        close = get_close_matches(key(name), list(by_key), n=n, cutoff=0.4)
        return [by_key[c] for c in close]

    def area_name(self, code: str) -> str:
        unit = self.units.get(code)
        return unit[1] if unit else code

    def communes(self, code: str) -> int | None:
        """Communes (xã) of a district or province in the programme (number of communes)."""
        unit = self.units.get(code)
        return unit[2] if unit else None

    def province_code_of(self, area_code: str) -> str | None:
        """The province (GSO code) that a district or province code belongs to."""
        unit = self.units.get(area_code)
        return unit[0] if unit else None

    def province_of(self, codes: list[str]) -> str | None:
        rows = self.districts[self.districts.area_code.isin(codes)]
        provinces = rows.province_code.unique().tolist()
        return provinces[0] if len(provinces) == 1 else None

    def is_province(self, code: str) -> bool:
        """True for a province code known to the gazetteer ("10")."""
        return code in self.province_names

    def infer_province(self, labels: list[str]) -> str | None:
        """The province whose units most of ``labels`` name (None on a tie or
        when no label is known)."""
        votes: dict[str, int] = {}
        for label in labels:
            hits = self._alias_hits(label) or (self._alias_hits(label, folded=True)
                                               if fold(key(label)) == key(label) else None) or {}
            for province in hits:
                votes[province] = votes.get(province, 0) + 1
        if not votes:
            return None
        best = max(votes.values())
        top = [p for p, v in votes.items() if v == best]
        return top[0] if len(top) == 1 else None

    def province_in_text(self, text: str) -> str | None:
        """The province a title names ("… tỉnh Lào Cai", "… thành phố Hà Nội"), by
        its full official name; None when it names none or several."""
        found = {self._province_by_title[m] for m in self._title_pattern.findall(fold(text))}
        return found.pop() if len(found) == 1 else None

    def valid_to(self, province_code: str) -> str:
        """Last day (ISO date) the gazetteer's units of a province are valid."""
        rows = self.districts[self.districts.province_code == province_code]
        return str(rows.valid_to.max()) if len(rows) else ""

    @property
    def _province_by_title(self) -> dict[str, str]:
        return _title_index(self.province_names)[0]

    @property
    def _title_pattern(self) -> re.Pattern:
        return _title_index(self.province_names)[1]

    # ---- indicators -----------------------------------------------------------
    def indicator(self, name: str) -> pd.Series:
        return self.indicators.set_index("indicator").loc[name]

    def table_name(self, kind: str, lang: str | None = None) -> str:
        """An appendix table's name (tables.json ``name_vi`` / ``name_en``) in ``lang``
        (default: the current language)."""
        spec = self.tables[kind]
        return spec["name_en"] if (lang or current_language()) == "en" else spec["name_vi"]

    def indicator_labels(self, lang: str | None = None) -> dict[str, str]:
        """Indicator code -> its label as plans write it (indicators.csv ``label_vi`` /
        ``label_en``), in ``lang`` (default: the current language)."""
        return dict(self._indicator_labels["en" if (lang or current_language()) == "en" else "vi"])

    @cached_property
    def _indicator_labels(self) -> dict[str, dict[str, str]]:
        """language -> {indicator: label}, made once (the checks name indicators often)."""
        codes = self.indicators.indicator.tolist()
        return {lang: dict(zip(codes, self.indicators[f"label_{lang}"].tolist())) for lang in ("vi", "en")}

    def indicator_label(self, name: str, lang: str | None = None) -> str:
        """The label of one indicator ("Số xã đạt chuẩn NTM mới trong năm"); an
        indicator the catalogue does not hold keeps its code."""
        return self.indicator_labels(lang).get(name, name)


# ---- labels (reference/labels.csv) ---------------------------------------------
@lru_cache(maxsize=1)
def label_table() -> dict[str, dict[str, str]]:
    """key -> {"vi": …, "en": …}: the labels of charts and messages (labels.csv, NFC;
    leading and trailing spaces kept)."""
    frame = _csv(REFERENCE_DIR / "labels.csv")
    nfc = lambda text: unicodedata.normalize("NFC", text)  # noqa: E731
    return {k: {"vi": nfc(v), "en": nfc(e)} for k, v, e in zip(frame.key, frame.vi, frame.en)}


def status_label(status: str, lang: str | None = None) -> str:
    """"kế hoạch" / "thực hiện" ("target" / "actual" in English); any other status as it is."""
    text = label_table().get(f"status_{status}")
    return text[lang or current_language()] if text else str(status)


def period_label(year: object, status: str, lang: str | None = None) -> str:
    """"2021 (kế hoạch)", "2020 (thực hiện)" in ``lang`` (default: the current language)."""
    lang = lang or current_language()
    return label_table()["period"][lang].format(year=year, status=status_label(status, lang))


def load_reference(extra_dir: Path | None = None) -> Reference:
    """Load the packaged reference data: the national gazetteer of 2021 (all 63
    provinces) and its aliases. ``extra_dir`` may hold a ``districts.csv`` /
    ``district_aliases.csv`` of its own (a gazetteer written by hand, such as the
    synthetic one of the benchmarks): its provinces and codes replace the
    packaged rows with the same codes."""
    return _load(str(extra_dir) if extra_dir else "")


@lru_cache(maxsize=4)
def _load(extra: str) -> Reference:
    districts = _csv(REFERENCE_DIR / "districts.csv")
    aliases_frame = _csv(REFERENCE_DIR / "district_aliases.csv")
    if extra and (Path(extra) / "districts.csv").exists():  # replaces the provinces and codes it lists
        more = _csv(Path(extra) / "districts.csv")
        districts = pd.concat([districts[~districts.province_code.isin(more.province_code)
                                         & ~districts.area_code.isin(more.area_code)], more],
                              ignore_index=True)
    if extra and (Path(extra) / "district_aliases.csv").exists():
        aliases_frame = pd.concat([aliases_frame, _csv(Path(extra) / "district_aliases.csv")], ignore_index=True)
    # plain lists: iterating a pandas string column element by element costs ten times more
    area_codes, province_codes = districts.area_code.tolist(), districts.province_code.tolist()
    areas = districts.area.tolist()
    province_of = dict(zip(area_codes, province_codes))
    generated: dict[str, dict[str, list[str]]] = {}
    for code, province, area, short in zip(area_codes, province_codes, areas, districts.short_name.tolist()):
        for alias in _generated_aliases(area, short):  # gazetteer names are NFC, single-spaced:
            alias_key = " ".join(alias.lower().replace(".", " ").split())  # == key(alias), 5x faster
            codes = generated.setdefault(alias_key, {}).setdefault(province, [])
            if code not in codes:
                codes.append(code)
    for alias, code in zip(aliases_frame.alias.tolist(), aliases_frame.area_code.tolist()):
        if code in province_of:  # hand-written spellings win
            generated.setdefault(key(alias), {})[province_of[code]] = [code]
    aliases = {k: {p: tuple(c) for p, c in by_province.items()} for k, by_province in generated.items()}
    provinces = districts[districts.area_code == districts.province_code]
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
        criterion_names=_nineteen_names(criteria),
        tables=json.loads((REFERENCE_DIR / "tables.json").read_text(encoding="utf-8")),
        province_names=_Names(zip(provinces.area_code.tolist(), provinces.area.tolist())),
        units={c: (p, a, int(n)) for c, p, a, n in zip(area_codes, province_codes, areas,
                                                         districts.communes.tolist())},
    )
