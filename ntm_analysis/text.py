"""Text normalisation: NFC for output, a folded form for matching."""
from __future__ import annotations

import re
import unicodedata

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
