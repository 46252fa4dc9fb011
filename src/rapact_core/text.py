"""Checks on text that ends up in documents."""

from __future__ import annotations

import re

from .i18n import _

# Characters XML 1.0 forbids (python-docx raises on them, and a failed
# add_paragraph leaves an empty paragraph behind): reject them at the source.
FORBIDDEN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def forbidden_character(text: str) -> str | None:
    """A description of the first character XML forbids in ``text``, or None."""
    m = FORBIDDEN_XML.search(text)
    if m is None:
        return None
    return _("{character} at position {position}").format(character=f"U+{ord(m.group()):04X}", position=m.start() + 1)
