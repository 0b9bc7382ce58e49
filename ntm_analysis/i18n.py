"""The analyst's language: every message the package writes for a reader goes
through gettext, with catalogues managed by Babel (``make messages``).

- The message ids in the code are English; ``ntm_analysis/locale/vi/LC_MESSAGES/
  ntm_analysis.po`` holds their Vietnamese. English is the ids themselves.
- Vietnamese is the default. ``NTM_LANG=en`` (or ``set_language("en")``, or the
  ``--lang en`` option of every command) switches everything to English.
- ``_("...")`` translates a message; placeholders are named and filled with
  ``.format`` after translation, and numbers in them are written by
  :mod:`ntm_analysis.formats` in the same language (:func:`num`).
- The compiled ``.mo`` file is made by ``make setup`` (``pybabel compile``); when
  it is missing or older than its ``.po`` the catalogue is compiled in memory,
  so a checkout without the build step still speaks Vietnamese.
"""
from __future__ import annotations

import gettext
import io
import os
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, Iterator

from .formats import LANGS, join, number

#: The gettext domain (the catalogue's file name).
DOMAIN: str = "ntm_analysis"
#: Where the catalogues live: locale/<lang>/LC_MESSAGES/ntm_analysis.po.
LOCALE_DIR: Path = Path(__file__).with_name("locale")
#: The environment variable that chooses the language.
ENV_VAR: str = "NTM_LANG"
#: The default language.
DEFAULT_LANG: str = LANGS[0]

_current: str | None = None


def check_language(lang: str) -> str:
    """``lang`` if it is one of :data:`formats.LANGS`, else a ValueError in plain words."""
    if lang not in LANGS:
        raise ValueError(f"the language must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


def current_language() -> str:
    """The language in force: set by :func:`set_language`, else ``$NTM_LANG``, else "vi"."""
    if _current is not None:
        return _current
    env = os.environ.get(ENV_VAR, "").strip().lower()
    return env if env in LANGS else DEFAULT_LANG


def set_language(lang: str | None) -> str:
    """Choose the language of every message from now on (None: back to ``$NTM_LANG``/default)."""
    global _current
    _current = None if lang is None else check_language(lang)
    return current_language()


@contextmanager
def use_language(lang: str) -> Iterator[str]:
    """Within the block, messages are written in ``lang``."""
    global _current
    before = _current
    _current = check_language(lang)
    try:
        yield lang
    finally:
        _current = before


def catalogue_path(lang: str, suffix: str = ".po") -> Path:
    """The catalogue file of ``lang`` (``.po`` source or compiled ``.mo``)."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of ``lang``: the compiled ``.mo`` when it is current, else the
    ``.po`` compiled in memory; English (the message ids) needs none."""
    po, mo = catalogue_path(lang), catalogue_path(lang, ".mo")
    if not po.exists():
        return gettext.NullTranslations()
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    from babel.messages.mofile import write_mo  # noqa: PLC0415 - only when the .mo is stale
    from babel.messages.pofile import read_po  # noqa: PLC0415

    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _(message: str) -> str:
    """``message`` (an English id) in the current language."""
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for ``n``, in the current language."""
    return translations(current_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it yet (module constants)."""
    return message


def num(value: Any, decimals: int = 0, **kwargs: Any) -> str:
    """A number for a message, in the current language ("661.500", "16,15")."""
    return number(value, decimals, current_language(), **kwargs)


def value_text(value: Any) -> str:
    """A value quoted in a message: a number as the reader writes it ("57,5"; a whole
    number without decimals), anything else as text."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return num(value, 6, trim=True)


def names(items: Any) -> str:
    """A list for a message, in the current language ("a, b và c")."""
    return join(items, current_language())


def either(items: Any) -> str:
    """Alternatives for a message, in the current language ("a, b hoặc c")."""
    return join(items, current_language(), style="or")
