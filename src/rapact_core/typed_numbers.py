"""Numbers typed by hand in the narrative: each is a figure that does not come from data.

rapact's promise is that every number of the report comes from its data. A
number written in a text ("de 6 ETP en 2020") goes stale the next year, when
the data moves on and the sentence does not. :func:`typed_numbers` finds every
run of digits of a chapter's Markdown outside its placeholders, except what is
not a figure:

- dates (``31/12/2021``, ``17 juin 2016``, ``31/12/{{ report.year }}``) and
  years other than the report's own and its neighbours (``en 2012``, ``les
  années 90``, ``DPR 2010-2014``): a year from the year before the report to
  two years after is reported, since it moves with the report
  (``{{ report.year }}``, ``{{ report.year + 1 }}``);
- legal references (``article 5``, ``n° 12``, ``directive 2016/2102``);
- phone numbers, postal codes and house numbers of an address;
- ordinal list markers (``1.`` at the start of a list item) and ordinals
  (``1er``, ``3e``), digits within a name (``Plone5``, ``GPL2``, ``v6``) and
  version numbers (``version 15``, ``1.2.3``);
- links and e-mail addresses.

A number that is text and not a figure is written as a placeholder,
``{{ "7"|texte }}``, and is no longer reported.
"""

from __future__ import annotations

import re

from attrs import frozen

MONTHS = ("janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|"
          "decembre")
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_HIDE = "\x00"
# each pattern's match is hidden before numbers are looked for: none of it is a figure
_NOT_FIGURES = [re.compile(p, re.I) for p in (
    r"\]\([^)]*\)",  # a link's or picture's target
    r"<[a-z]+:[^>]*>",  # an autolink
    r"\b(?:https?://|www\.)\S+",
    r"[\w.+-]+@[\w-]+\.[\w.]+",
    r"^\s*\d+[.)](?=\s)",  # an ordinal list marker
    r"\b\d{1,2}/\d{1,2}/(?:\d{2,4}|\x00+)",  # 31/12/2021, 31/12/{{ report.year }}
    r"\b\d{4}-\d{2}-\d{2}\b",
    rf"\b\d{{1,2}}(?:er)?\s+(?:{MONTHS})(?:\s+\d{{4}})?",  # 17 juin 2016, 1er mars
    r"(?:\+|\b0)[\d(][\d(). /-]{6,}\d",  # phone numbers: 0032(81)586.100, +32 81 58 61 00
    r"(?:^|(?<=[-,–]\s)|(?<=B-))[1-9]\d{3}(?=\s+[A-ZÀ-Ý])",  # a postal code before its town: - 5032 Isnes
    r"\b(?:rue|avenue|av\.|chaussée|place|boulevard|bd|quai|square|allée|chemin|route)\s[^,\n]*,\s*\d+\w*",
    r"(?:\barticles?|\bart\.|\balinéas?|§|\bn°|\bno\.|\bdirective|\brèglement|\bannexe)\s*\d+(?:[/.-]\d+)*",
    r"\b(?:version|release|v\.)\s*\d+(?:\.\d+)*",
    r"\b\d+(?:\.\d+){2,}\b",  # 1.2.3
    r"\bannées\s+\d{2,4}",  # les années 90, les années 2000
    r"[^\W\d_]\d+|\d+(?=[^\W\d_])",  # digits within a word: Plone5, GPL2, v6, 1er, 3e, 2ème
)]
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?(?:\s?%)?")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_DIGIT = re.compile(r"\d")


@frozen
class TypedNumber:
    """One number typed in a text: its line and the number as written."""

    line: int
    text: str
    is_year: bool
    column: int


def mask_placeholders(source: str) -> str:
    """The source with every placeholder and tag replaced by invisible marks (lines kept)."""
    return _TAG.sub(lambda m: re.sub(r"[^\n]", _HIDE, m.group(0)), source)


def typed_numbers(source: str, year: int) -> list[TypedNumber]:
    """Every number typed by hand in a chapter's Markdown ``source`` of the report of ``year``."""
    found = []
    for number, line in enumerate(mask_placeholders(source).splitlines(), 1):
        if _DIGIT.search(line) is None:
            continue  # most lines: nothing to hide, no number to find
        for pattern in _NOT_FIGURES:
            line = pattern.sub(lambda m: _HIDE * len(m.group(0)), line)
        for match in _NUMBER.finditer(line):
            text = match.group(0).rstrip()
            digits = text.rstrip(" %")
            if _YEAR.match(digits):
                if not year - 1 <= int(digits) <= year + 2:
                    continue  # a date in the organisation's history, fixed
                found.append(TypedNumber(number, text, True, match.start()))
                continue
            found.append(TypedNumber(number, text, False, match.start()))
    return found
