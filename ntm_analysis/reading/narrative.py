"""The plan's narrative: targets stated in words, and the communes it names.

Plans state many targets in sentences ("Phấn đấu đến hết năm 2021 có 95 xã
đạt tiêu chí giao thông", "120/127 xã", "duy trì 100% các xã …"), and section
II names the communes that are to reach the standard, grouped by district.
This module reads both from a document's paragraphs (see
:attr:`ntm_analysis.reading.grid.Grid.paragraphs`).

Each kind of sentence has one small pattern below, matched on the folded text
(lower case, no tone marks), so the document's typos ("Phân đấu", "Phần đầu")
do not matter. Criterion names go through ``reference/criterion_aliases.csv``,
the funding payers through ``reference/narrative_funding.csv``, the communes
through the gazetteer ``reference/communes.csv``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from ..config import REFERENCE_DIR
from ..findings import Findings
from ..i18n import _, either
from ..i18n import names as enumerate_names
from ..reference import Reference
from ..text import clean_text, fold
from .commune_gazetteer import bare_name, communes
from .numbers import number_or_none

QUOTE_CHARS = 200
_NUM = r"\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?"
# a colon does not end a paragraph: "… 03 xã:" | "Nậm Mòn, …" is one sentence broken by the page's
# width; a list announced by a colon starts its lines with a list mark ("- Ngân sách …")
_END = re.compile(r"[.;!?)”\"»]$")
# a list item starts "1. ", "1.2. ", "1.2 ", "II. ", "a) ", "- ", "(": a figure ("2021 toàn tỉnh …",
# "15 xã …", "13.500 lao động") starting a line is the rest of a sentence broken by the page's width
_LIST_START = re.compile(r"^([-–+•*]|\d{1,2}(\.\d{1,2})*\.\s|\d{1,2}(\.\d{1,2})+\s|[IVXLC]+\.\s|[a-zđ]\)\s|\()")


# --------------------------------------------------------------------------- paragraphs
def starts_list_item(text: str) -> bool:
    """A line that starts an item of a list ("- ", "1. ", "a) "): a new paragraph."""
    return bool(_LIST_START.match(text))


def join_broken_paragraphs(paragraphs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Paragraphs split in the middle of a sentence (a conversion breaking "…
    thành phố Lào" | "Cai; …") are joined back; the place names both ends."""
    out: list[tuple[str, str]] = []
    first_place = ""
    for text, place in paragraphs:
        if out and not _END.search(out[-1][0]) and not _LIST_START.match(text) and \
                not out[-1][0].isupper():
            prev_text, prev_place = out.pop()
            out.append((f"{prev_text} {text}", f"{first_place} – {place}"))
        else:
            first_place = place.split(" – ")[0]
            out.append((text, place))
    return out


def _folded(text: str) -> str:
    """fold() keeping one character per character of ``text`` (NFC), so that
    positions found in the folded text cut the original text."""
    out = []
    for ch in text:
        base = "".join(c for c in unicodedata.normalize("NFD", ch.lower()) if unicodedata.category(c) != "Mn")
        out.append(("d" if base == "đ" else base)[:1] if base else " ")
    return "".join(out)


def _clause(text: str, start: int, end: int) -> str:
    """The clause of ``text`` around [start, end): between ";", ". " or the
    paragraph's ends; at most :data:`QUOTE_CHARS` characters."""
    left = max(text.rfind(";", 0, start), text.rfind(". ", 0, start))
    right_candidates = [i for i in (text.find(";", end), text.find(". ", end)) if i >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    clause = text[left + 1:right].strip(" ;.")
    if len(clause) > QUOTE_CHARS:
        clause = text[start:end][:QUOTE_CHARS]
    return clause


# --------------------------------------------------------------------------- reference data
@lru_cache(maxsize=1)
def criterion_aliases() -> dict[str, int]:
    """Folded criterion name or alias -> criterion id (catalogue names of both
    sets, then ``criterion_aliases.csv``)."""
    frame = pd.read_csv(REFERENCE_DIR / "criterion_aliases.csv", dtype=str, keep_default_na=False)
    catalogue = pd.read_csv(REFERENCE_DIR / "criteria.csv", dtype=str, keep_default_na=False)
    names = {fold(n): int(i) for n, i in zip(catalogue.criterion, catalogue.criterion_id)}
    names.update({fold(a): int(i) for a, i in zip(frame.alias, frame.criterion_id)})
    return names


@lru_cache(maxsize=1)
def narrative_indicators() -> pd.DataFrame:
    """The indicators read from the text: unit and labels (``narrative_indicators.csv``)."""
    return pd.read_csv(REFERENCE_DIR / "narrative_indicators.csv", dtype=str,
                       keep_default_na=False).set_index("indicator")


def unit_of(indicator: str) -> str:
    return str(narrative_indicators().unit[indicator])


@lru_cache(maxsize=1)
def funding_payers() -> pd.DataFrame:
    """Payers named in the narrative's funding lines (``narrative_funding.csv``)."""
    return pd.read_csv(REFERENCE_DIR / "narrative_funding.csv", dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def gazetteer() -> pd.DataFrame:
    """The communes of the gazetteer (``communes.csv``: every xã of 2021), with
    their bare name (without "Xã")."""
    frame = communes().copy()
    frame["name"] = frame.commune.map(bare_name)
    return frame


def _criterion_from(name_text: str) -> int | None:
    """The criterion whose name (or alias) starts ``name_text`` (folded);
    the longest name wins ("cơ sở vật chất văn hóa" before "văn hóa")."""
    name_text = name_text.strip()
    best = None
    for alias, cid in criterion_aliases().items():
        if (name_text == alias or name_text.startswith(alias + " ") or name_text.startswith(alias + ",")) \
                and (best is None or len(alias) > len(best[0])):
            best = (alias, cid)
    return best[1] if best else None


# --------------------------------------------------------------------------- targets
@dataclass
class Hit:
    indicator: str
    value: float | None
    value_max: float | None
    unit: str
    start: int
    end: int
    criterion_id: int | None = None


_CRITERION = re.compile(
    r"(?P<n>\d+)(?:/(?P<of>\d+))?\s*(?P<pct>%)?\s*(?:cac |so )?xa (?:dat|hoan thanh) (?:cac )?"
    r"tieu chi\b(?: ve| so \d+)?(?P<name>[a-z ,]*)")


_BULLET_LABEL = re.compile(r"^[-–+•*]?\s*([^:]{2,60}):")


def _criterion_hits(f: str, total: int | None) -> list[Hit]:
    """Criterion targets; a sentence that names no criterion ("… có 120/127 xã
    đạt tiêu chí.") takes the one named by its bullet ("- Thông tin và truyền
    thông: …")."""
    hits = []
    label = _BULLET_LABEL.match(f)
    for m in _CRITERION.finditer(f):
        cid = _criterion_from(m["name"])
        if cid is None and not m["name"].strip(" ,") and label:
            cid = _criterion_from(label[1])
        if cid is None:
            continue
        value, unit = float(m["n"]), unit_of("criterion_communes")
        if m["pct"]:
            if value == 100 and total:
                value = float(total)
            else:
                unit = "%"
        hits.append(Hit("criterion_communes", value, None, unit, m.start(), m.end(), cid))
    return hits


def _simple(indicator: str, pattern: str, with_max: bool = False):
    """A target read by one pattern: group 1 the value, group 2 the upper end of a range."""
    regex = re.compile(pattern)

    def find(f: str, original: str) -> list[Hit]:
        out = []
        for m in regex.finditer(f):
            value = number_or_none(original[m.start(1):m.end(1)])
            high = number_or_none(original[m.start(2):m.end(2)]) if with_max and m.lastindex and m.lastindex >= 2 \
                and m.group(2) else None
            out.append(Hit(indicator, value, high, unit_of(indicator), m.start(1), m.end()))
        return out
    return find


#: One small pattern per headline target (folded text; value in group 1, range end in group 2).
HEADLINE_PATTERNS = [
    _simple("new_ntm_communes", r"(?:them|moi)\s+(?:it nhat\s+)?(\d+)\s+xa\s+(?:hoan thanh|dat chuan|duoc cong nhan)"),
    _simple("ntm_communes", r"luy ke[^;.]*?(\d+)\s+xa\b"),
    _simple("district_avg_increase",
            rf"(?:moi|cac|tung) huyen[^;.]*?(?:tang|nang)[^;.]*?({_NUM})\s*[-–]\s*({_NUM})\s*tieu chi", True),
    _simple("avg_criteria", rf"(?:binh quan|trung binh)[^;.]*?(?:dat|la)\s+({_NUM})\s*tieu chi\s*/\s*xa"),
    _simple("jobs_added", rf"viec lam[^;]*?cho\s+({_NUM})\s+lao dong"),
    _simple("new_cooperatives",
            r"thanh lap moi\s+(?:tu\s+)?(\d+)(?:\s*[-–]\s*(\d+))?\s+hop tac xa", True),
    _simple("funding_total", rf"tong (?:nguon )?von[^;]*?({_NUM})\s*trieu dong"),
]
_VILLAGES = re.compile(r"(\d+)\s+thon\b[^;,]*?(kieu mau|nong thon moi)")
_FUNDING_LINE = re.compile(rf"^[-–+•*]?\s*(?P<label>[^:;]{{3,160}}?)\s*:?\s*(?:ho tro\s+)?(?P<n>{_NUM})\s*trieu dong")


def _village_hits(f: str) -> list[Hit]:
    hits = []
    for m in _VILLAGES.finditer(f):
        clause_start = max(f.rfind(";", 0, m.start()), f.rfind(". ", 0, m.start()), 0)
        cumulative = "luy ke" in f[clause_start:m.start()]
        kind = "model" if m[2] == "kieu mau" else "ntm"
        name = f"{kind}_villages" if cumulative else f"new_{kind}_villages"
        hits.append(Hit(name, float(m[1]), None, unit_of(name), m.start(), m.end()))
    return hits


def _funding_hits(f: str, original: str) -> list[Hit]:
    m = _FUNDING_LINE.match(f)
    if not m or m["label"].startswith("tong"):
        return []
    for payer, pattern in zip(funding_payers().payer, funding_payers().pattern):
        if re.search(pattern, m["label"]):
            return [Hit(f"funding_{payer}", number_or_none(original[m.start("n"):m.end("n")]), None,
                        unit_of(f"funding_{payer}"), m.start(), m.end())]
    return []


def read_narrative_targets(paragraphs: list[tuple[str, str]], year: int | None, source_id: str,
                           total_communes: int | None) -> list[dict]:
    """Targets stated in the text, one dict per target (columns of
    ``narrative_targets``). ``total_communes`` (communes) turns "100% các xã"
    into a count. The first statement of a target wins; a restatement later
    in the document is not a second target."""
    rows: list[dict] = []
    seen: set[tuple] = set()
    in_funding = False
    for text, place in join_broken_paragraphs(paragraphs):
        f = _folded(text)
        hits = _criterion_hits(f, total_communes) + _village_hits(f)
        for find in HEADLINE_PATTERNS:
            hits.extend(find(f, text))
        if any(h.indicator == "funding_total" for h in hits):
            in_funding = True
        elif in_funding:
            payer_hits = _funding_hits(f, text)
            hits.extend(payer_hits)
            in_funding = bool(payer_hits)
        for hit in sorted(hits, key=lambda h: h.start):
            key = (hit.indicator, hit.criterion_id)
            if key in seen or hit.value is None:
                continue
            seen.add(key)
            clause = _clause(text, hit.start, hit.end)
            years = re.findall(r"nam ((?:19|20)\d\d)", _folded(clause))
            rows.append({"year": int(years[0]) if years else year, "status": "target",
                         "indicator": hit.indicator, "criterion_id": hit.criterion_id,
                         "value": hit.value, "value_max": hit.value_max, "unit": hit.unit,
                         "source_id": source_id, "cell": place, "quote": clause})
    return rows


# --------------------------------------------------------------------------- named communes
_GROUP_START = re.compile(r"(?<![\d/,])(\d{1,2})\s+xã\b\s*:?\s*", re.IGNORECASE)
_GROUP = re.compile(r"^(?P<names>.+),\s*(?P<district>(?:huyện|thị xã|thành phố|tp\.?|tx\.?)\s+.+?)\s*,?\s*$",
                    re.IGNORECASE)
def _groups(text: str) -> list[tuple[int, str, list[str]]]:
    """(announced count, district as written, names) for each group
    "04 xã: A, B, C, D, huyện X" of a paragraph."""
    starts = list(_GROUP_START.finditer(text))
    out = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        chunk = re.split(r"[;)]", text[m.end():end])[0]
        g = _GROUP.match(chunk.strip())
        if g:
            names = [clean_text(n) for n in g["names"].split(",") if clean_text(n)]
            out.append((int(m[1]), clean_text(g["district"]).rstrip(".,"), names))
    return out


def match_commune(name: str, district_code: str) -> tuple[str, pd.Series | None, list[str]]:
    """Match a commune name within its district: ("exact" | "near" | "none",
    the gazetteer row or None, the closest names of the district)."""
    from rapidfuzz import process  # noqa: PLC0415
    from rapidfuzz.distance import Levenshtein  # noqa: PLC0415  (only documents name communes)

    places = gazetteer()[gazetteer().district_code == district_code]
    wanted = clean_text(name).casefold()
    exact = places[[n.casefold() == wanted for n in places.name]]
    if len(exact) == 1:
        return "exact", exact.iloc[0], []
    near = places[[fold(n) == fold(name) or Levenshtein.distance(n.casefold(), wanted) <= 2
                   for n in places.name]]
    closest = [c for c, _, _ in process.extract(wanted, [n.casefold() for n in places.name],
                                                scorer=Levenshtein.distance, limit=3)]
    closest = [places.name.iloc[[n.casefold() for n in places.name].index(c)] for c in closest]
    if len(near) == 1:
        return "near", near.iloc[0], closest
    return "none", None, closest


def read_target_communes(paragraphs: list[tuple[str, str]], year: int | None, source_id: str,
                         reference: Reference, findings: Findings, file: str) -> list[dict]:
    """The communes named as targets, grouped by district, matched to the
    gazetteer (columns of ``target_communes``). A near match is a warning, no
    match an error, and a group whose announced count differs from the names
    listed a warning; each names the paragraph."""
    for text, place in join_broken_paragraphs(paragraphs):
        groups = _groups(text)
        if len(groups) < 1:
            continue
        rows = []
        for count, district, names in groups:
            code = reference.resolve_area(district)
            if len(names) != count:
                findings.add("warning", "named_communes_count",
                             _("'{count} xã' of {district} announces {n} communes but lists {listed}: "
                               "{communes}").format(count=f"{count:02d}", district=district, n=count,
                                                    listed=len(names), communes=enumerate_names(names)),
                             file=file, cell=place)
            for name in names:
                match, row, closest = ("none", None, []) if code is None else match_commune(name, code)
                if match == "near":
                    findings.add("warning", "commune_near_match",
                                 _("commune '{name}' ({district}) is spelled '{spelled}' in the GSO list; read as "
                                   "{commune} ({code})").format(name=name, district=district, spelled=row["name"],
                                                                commune=row["commune"], code=row["commune_code"]),
                                 file=file, cell=place)
                elif match == "none":
                    message = (_("commune '{name}' is not a commune of {district}") if code else
                               _("commune '{name}' is not a commune of a known district ('{district}' is not in "
                                 "the district list)"))
                    message = message.format(name=name, district=district)
                    if closest:
                        message = _("{problem}; closest: {closest}").format(problem=message,
                                                                           closest=either(closest))
                    findings.add("error", "commune_not_found", message, file=file, cell=place)
                rows.append({"year": year, "commune_as_written": name, "district_code": code,
                             "commune_code": None if row is None else row["commune_code"],
                             "commune": None if row is None else row["commune"], "match": match,
                             "source_id": source_id, "cell": place})
        return rows
    return []
