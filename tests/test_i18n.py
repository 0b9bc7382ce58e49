"""The message catalogue: every message of the package has its Vietnamese, and the
language is one setting (set_language / NTM_LANG)."""
from __future__ import annotations

import re
import string

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from ntm_analysis import i18n

PACKAGE = i18n.LOCALE_DIR.parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def _catalogue():
    with i18n.catalogue_path("vi").open("rb") as fh:
        return read_po(fh, locale="vi")


def _ids_in_code() -> dict[str, str]:
    """msgid -> where it is written, for every message marked in the package."""
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(PACKAGE), keywords=KEYWORDS, comment_tags=()):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_every_message_has_its_vietnamese():
    catalogue = _catalogue()
    missing = []
    for msgid, where in _ids_in_code().items():
        message = catalogue.get(msgid)
        strings = message.string if message is not None else ""
        strings = strings if isinstance(strings, tuple) else (strings,)
        if message is None or not all(strings) or message.fuzzy:
            missing.append(f"{where}: {msgid!r}")
    assert not missing, ("messages without their Vietnamese (run `make messages`, then translate them in "
                         f"{i18n.catalogue_path('vi').relative_to(PACKAGE.parent)}):\n" + "\n".join(missing))


def test_translations_keep_every_placeholder():
    wrong = []
    for message in _catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set().union(*(_fields(i) for i in ids))
        for text in strings:
            if text and _fields(text) != expected:
                wrong.append(f"{ids[0]!r}: {text!r}")
    assert not wrong, "translations whose {placeholders} differ from the message:\n" + "\n".join(wrong)


def test_language_is_one_setting(monkeypatch):
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    i18n.set_language(None)
    assert i18n.current_language() == "vi"
    assert i18n.ngettext("{n} error", "{n} errors", 2).format(n=i18n.num(1200)) == "1.200 lỗi"
    monkeypatch.setenv(i18n.ENV_VAR, "en")
    assert i18n.current_language() == "en"
    assert i18n.ngettext("{n} error", "{n} errors", 2).format(n=i18n.num(1200)) == "1,200 errors"
    with i18n.use_language("vi"):
        assert i18n.names(["a", "b", "c"]) == "a, b và c"
    assert i18n.current_language() == "en"
    with pytest.raises(ValueError, match="vi, en"):
        i18n.set_language("fr")


def test_catalogue_compiles_in_memory_when_no_mo(tmp_path, monkeypatch):
    """A checkout where `make setup` has not compiled the catalogue still speaks Vietnamese."""
    po = i18n.catalogue_path("vi")
    target = tmp_path / "vi" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / po.name).write_bytes(po.read_bytes())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    try:
        assert re.fullmatch(r"3 cảnh báo", i18n.translations("vi").ngettext("{n} warning", "{n} warnings", 3)
                            .format(n=3))
    finally:
        i18n.translations.cache_clear()
