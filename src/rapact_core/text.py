"""Checks on text that ends up in documents."""

from __future__ import annotations

import re

from .i18n import _

# Characters XML 1.0 forbids (python-docx raises on them, and a failed
# add_paragraph leaves an empty paragraph behind): reject them at the source.
FORBIDDEN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# the same but surrogates, which no text decoded from UTF-8 holds
_FORBIDDEN_DECODED = tuple(map(chr, (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)))


def decoded_is_clean(text: str) -> bool:
    """Whether ``text``, decoded from UTF-8, holds no character XML forbids.

    One search per forbidden character: a tenth of the time of
    ``FORBIDDEN_XML.search`` on a data file of megabytes (a registry).
    """
    return not any(ch in text for ch in _FORBIDDEN_DECODED)


def forbidden_character(text: str) -> str | None:
    """A description of the first character XML forbids in ``text``, or None."""
    m = FORBIDDEN_XML.search(text)
    if m is None:
        return None
    return _("{character} at position {position}").format(character=f"U+{ord(m.group()):04X}", position=m.start() + 1)


def forbidden_strings(value, path: str = ""):
    """(key path, description) of each string in nested dicts and lists (a YAML
    document, a TOML configuration) holding a character documents cannot contain.
    The path reads ``chapters[2].title``; a bare string at the top has the path ""."""
    if isinstance(value, str):
        bad = forbidden_character(value)
        if bad:
            yield path, bad
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from forbidden_strings(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from forbidden_strings(v, f"{path}[{i}]")
