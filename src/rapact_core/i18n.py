"""Messages in the editor's language: ``_()``, ``ngettext()`` and which language speaks.

Every message meant for an editor is written in English in the code and passed
through ``_()`` (or ``ngettext()`` when a count decides its form) where it is
made; Babel's message tools extract them into ``locale/messages.pot`` and the
translators' catalogs (``locale/fr/LC_MESSAGES/rapact.po``). English is the
source text: it needs no catalog. See docs/translations.md.

The language, first that applies (:func:`resolve`):

1. ``rapact --lang fr|en``, else the ``RAPACT_LANG`` environment variable;
2. the system's language: the first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG``
   that is set, when it names French or English (``C`` and ``POSIX``, the
   default of servers and containers, name no language);
3. the report's ``locale`` (``[report] locale`` in rapact.toml, ``fr_BE``),
   once its configuration is read (:func:`follow_report`);
4. French.

Catalogs are compiled to ``.mo`` files when rapact is installed (setup.py); a
``.po`` newer than its ``.mo`` (or without one: a checkout not yet installed)
is compiled in memory by Babel, once per process.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "rapact"
#: the languages rapact speaks: English is the messages' source text
LANGUAGES = ("fr", "en")
DEFAULT = "fr"
LOCALE_DIR = Path(__file__).parent / "locale"
_ENVIRONMENT = ("LC_ALL", "LC_MESSAGES", "LANG")

_chosen: str | None = None  # --lang
_report: str | None = None  # the report's locale, once read
_catalogs: dict[str, gettext.NullTranslations] = {}


def _(message: str) -> str:
    """``message`` in the editor's language.

    Pass the literal text, then fill in values with ``.format``:
    ``_("{file}: stated {stated}").format(file=..., stated=...)``, so that the
    catalog holds one whole sentence per entry, not one per value.
    """
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message for ``count`` ("1 erreur", "3 erreurs"; French
    says "0 erreur"); fill in ``{count}`` with ``.format`` afterwards."""
    return _translations().ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark a text for extraction without translating it yet: help texts and
    constants made at import time, translated by ``_()`` where they are shown."""
    return message


def language() -> str:
    """The language messages are in now: ``"fr"`` or ``"en"``."""
    return resolve(_chosen, os.environ, _report)


def choose(lang: str | None) -> None:
    """The language asked for on the command line (``--lang``), or ``None``."""
    global _chosen
    _chosen = lang


def follow_report(locale: str | None) -> None:
    """The report's locale (``fr_BE``): its language speaks unless ``--lang``,
    ``RAPACT_LANG`` or the system names one."""
    global _report
    _report = locale


def reset() -> None:
    """Forget the language chosen and the report's locale (a new command, a test)."""
    choose(None)
    follow_report(None)


def resolve(chosen: str | None, environ: Mapping[str, str], report_locale: str | None) -> str:
    """The language of the messages, by the precedence of this module's docstring."""
    for asked in (chosen, environ.get("RAPACT_LANG")):
        lang = _language_of(asked)
        if lang is not None:
            return lang
    for name in _ENVIRONMENT:
        value = environ.get(name)
        if value:  # POSIX: the first one set decides, even when rapact does not speak its language
            lang = _language_of(value)
            if lang is not None:
                return lang
            break
    return _language_of(report_locale) or DEFAULT


def _language_of(value: str | None) -> str | None:
    """``fr_BE.UTF-8`` → ``"fr"``; ``C``, ``POSIX`` or a language rapact does not speak → ``None``."""
    if not value:
        return None
    lang = value.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return lang if lang in LANGUAGES else None


def _translations() -> gettext.NullTranslations:
    # resolved at each message (a few lookups): the environment may change between commands of one process
    return catalog(language())


def catalog(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of ``lang`` (English: the source text itself), loaded once."""
    if lang not in _catalogs:
        _catalogs[lang] = _load(lang)
    return _catalogs[lang]


def _load(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    po_time = _mtime(po)
    mo_time = _mtime(mo)
    if mo_time is not None and (po_time is None or mo_time >= po_time):
        with mo.open("rb") as fp:
            return gettext.GNUTranslations(fp)
    if po_time is not None:  # a checkout not yet installed, or a catalog edited since
        return compile_po(po)
    return gettext.NullTranslations()


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def compile_po(po: Path) -> gettext.GNUTranslations:
    """A ``.po`` catalog compiled in memory by Babel (fuzzy entries left out, as ``pybabel compile`` does)."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fp:
        messages = read_po(fp, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, messages)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


# ---------------------------------------------------------------- values inside messages

def quoted(value) -> str:
    """A value the editor typed, quoted in a message: « 2021-13-45 » in French, '2021-13-45' in
    English. Control characters show escaped (``\\n``), as Python's ``repr`` shows them."""
    if not isinstance(value, str):
        return repr(value)
    if language() == "en":
        return repr(value)
    shown = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in value)
    return f"«\u00a0{shown}\u00a0»"


def number_text(value, decimals: int = 0) -> str:
    """A count or size in a message: ``200 000`` and ``3,6`` in French, ``200,000`` and ``3.6`` in English."""
    text = f"{value:,.{decimals}f}"
    if language() == "en":
        return text
    return text.replace(",", "\u00a0").replace(".", ",")
