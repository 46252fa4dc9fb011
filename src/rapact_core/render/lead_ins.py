"""Paragraphs that announce what follows them, the same rule for every format.

A *lead-in* stays on the page of what it introduces, as a heading does:

* a paragraph ending with a colon ("Les tâches principales sont :");
* a paragraph right above a table or a chart that says it is below ("le
  tableau ci-dessous", "ci-après", "le graphique suivant");
* a short line without a full stop right above a table or a chart, which
  reads as its title ("Liste des marchés < 30 000 €").

A short paragraph all in bold, without a full stop, is a run-in title
(:func:`is_title`): it keeps with what follows as a heading does.

:func:`says_below` is also what the layout check reads: a paragraph that
says "ci-dessous" must have its table just below it on the page.
"""

from __future__ import annotations

import re

from .. import model as m

_BELOW = re.compile(
    r"\bci-(?:dessous|après)\b"
    r"|\b(?:tableau|graphique|figure|liste|schéma)\s+(?:suivante?s?|ci-joint)\b"
    r"|\bsuivante?s?\s*:?\s*$",
    re.IGNORECASE)
#: a line this short, without a full stop, right above a table reads as its title
TITLE_CHARS = 100
_SENTENCE_END = (".", "!", "?", "…", ";")


def says_below(text: str) -> bool:
    """Whether ``text`` points at what follows it ("ci-dessous", "le tableau suivant")."""
    return bool(_BELOW.search(text))


def is_title(paragraph: m.Paragraph) -> bool:
    """Whether ``paragraph`` is a title set in bold ("**Sources authentiques**")."""
    content = [item for item in paragraph.content if not (isinstance(item, m.Text) and not item.text.strip())]
    if not content or not all(isinstance(item, m.Text) and item.bold for item in content):
        return False
    text = m.plain_text(paragraph.content).strip()
    return 0 < len(text) <= TITLE_CHARS and not text.endswith(_SENTENCE_END)


def is_lead_in(paragraph: m.Paragraph, next_block) -> bool:
    """Whether ``paragraph`` introduces ``next_block`` (the block after it, or None)."""
    if next_block is None:
        return False
    text = m.plain_text(paragraph.content).strip()
    if not text:
        return False
    if text.endswith(":"):
        return True
    if isinstance(next_block, (m.Table, m.Figure)):
        return says_below(text) or (len(text) <= TITLE_CHARS and not text.endswith(_SENTENCE_END))
    return False
