"""The one function every message meant for an editor goes through: ``_()``.

Messages are written in English and passed through ``_()`` where they are
written, so that a later step can extract them with Babel's message tools
(``pybabel extract``) and translate them (French first) in gettext catalogs.
Until those catalogs exist, ``_()`` returns its text unchanged.
"""

from __future__ import annotations


def _(message: str) -> str:
    """The editor's translation of ``message``; for now the English text itself.

    Pass the literal text, then fill in values with ``.format``:
    ``_("{name}: stated {stated}").format(name=..., stated=...)``, so that the
    catalogs hold one entry per sentence, not one per value.
    """
    return message
