"""Text normalisation: NFC for output, a folded form for matching."""
from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

_SPACE = re.compile(r"\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"), None)


def clean_text(value: object) -> str:
    """NFC-normalise, drop invisible characters and collapse white space
    (line breaks included) into single spaces."""
    text = unicodedata.normalize("NFC", str(value)).translate(_INVISIBLE)
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


def fold(value: object) -> str:
    """Matching key: lower case, no diacritics (đ -> d), single spaces.

    ``fold("Chỉ tiêu  Huyện")`` == ``fold("Chi tiêu huyện")`` == ``"chi tieu huyen"``,
    which is how the reader tolerates the document's own typos.
    """
    text = unicodedata.normalize("NFD", clean_text(value).lower())
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text.replace("đ", "d")


def key(value: object) -> str:
    """Name key for alias tables: lower case NFC, dots as spaces, single spaces
    (keeps diacritics: "TP. Lào Cai" -> "tp lào cai")."""
    text = clean_text(value).lower().replace(".", " ")
    return _SPACE.sub(" ", text).strip()


@lru_cache(maxsize=1)
def _place_pattern() -> tuple[re.Pattern, dict[str, str]]:
    path = Path(__file__).resolve().parent / "reference" / "place_words.csv"
    with path.open(encoding="utf-8") as handle:
        words = {row["vi"]: row["en"] for row in csv.DictReader(handle)}
    alternatives = "|".join(sorted(words, key=len, reverse=True))
    return re.compile(rf"\b({alternatives})(?= \d)", re.IGNORECASE), words


def place_text(text: str, lang: str = "vi") -> str:
    """A document's places ("trang 2, dòng 2", "Bảng 2, hàng 5, cột 3"), as the readers of
    a document name them, in ``lang``: English "page 2, line 2", "Table 2, row 5, column 3"
    (the words of ``reference/place_words.csv``; only a word followed by its number is
    taken for a place). Vietnamese text is returned as it is."""
    if lang == "vi" or not text:
        return text
    pattern, words = _place_pattern()

    def swap(match: re.Match) -> str:
        word = words[match.group(1).lower()]
        return word.capitalize() if match.group(1)[0].isupper() else word
    return pattern.sub(swap, unicodedata.normalize("NFC", text))
