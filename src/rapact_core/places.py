"""Where a figure appears in the report, said as the reader of the report sees it.

A finding about a data file says which file and line to correct; the editor
also needs to know where the figure shows in the report: "chapter 6
« Structure de l'intercommunale », 6.2 « Taux de participation… », table 11
« Participation aux conseils d'administration 2021 »", or the sentence of a
text that prints it. A plugin names the section (``Finding.section``) or the
facts (``Finding.facts``); :func:`locate` fills in ``Finding.where`` from the
built document and the narrative's sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs
from attrs import frozen

from . import model as m
from .errors import Finding
from .i18n import _

_MAX_SENTENCE = 90
_HEADING = re.compile(r"^(#{2,6})\s+(.*)$")


@frozen
class TextSource:
    """A chapter's narrative as the editor wrote it."""

    chapter: str
    file: str
    source: str


@frozen
class SectionPlace:
    """The blocks a plugin's section put into a chapter: ``chapter``, ``start``–``end`` (block indexes)."""

    chapter: str
    start: int
    end: int


def _chapter_label(chapter: m.Chapter) -> str:
    first = chapter.blocks[0] if chapter.blocks else None
    is_heading = isinstance(first, m.Heading)
    number = first.number if is_heading and first.number else ""
    # the heading as printed: the configured title may hold placeholders ({{ report.year }})
    title = (m.plain_text(first.content) if is_heading else chapter.title).rstrip(" .:")
    if number:
        return _("chapter {number} “{title}”").format(number=number, title=title)
    return _("“{sentence}”").format(sentence=title)


def _heading_label(heading: m.Heading) -> str:
    text = m.plain_text(heading.content).rstrip(" .:")
    if heading.number:
        return _("{number} “{title}”").format(number=heading.number, title=text)
    return _("“{sentence}”").format(sentence=text)


class ReportIndex:
    """The built document's chapters, the sections' places and the texts' sources."""

    def __init__(self, doc: m.Document | None, sections: dict[str, SectionPlace], texts: Iterable[TextSource]):
        self.chapters = {c.id: c for c in doc.chapters} if doc is not None else {}
        self.sections = sections
        self.texts = list(texts)

    def _heading_before(self, chapter: m.Chapter, index: int) -> m.Heading | None:
        for block in reversed(chapter.blocks[1:index + 1]):
            if isinstance(block, m.Heading):
                return block
        return None

    def section(self, section_id: str) -> str | None:
        """"chapter 6 “Structure…”, 6.2 “Taux…”, table 11 “…”" for a section, or None when not shown."""
        place = self.sections.get(section_id)
        chapter = self.chapters.get(place.chapter) if place else None
        if chapter is None:
            return None
        parts = [_chapter_label(chapter)]
        heading = self._heading_before(chapter, place.start)
        if heading is not None:
            parts.append(_heading_label(heading))
        for block in chapter.blocks[place.start:place.end]:
            if isinstance(block, m.Table):
                parts.append(_("table {number} “{caption}”").format(number=block.number or "", caption=block.caption))
                break
            if isinstance(block, m.Figure):
                parts.append(_("figure {number} “{caption}”").format(number=block.number or "", caption=block.caption))
                break
        return ", ".join(parts)

    def heading_at_chapter(self, chapter_id: str) -> str:
        """"chapter 5 “Structure de l'intercommunale”"."""
        chapter = self.chapters.get(chapter_id)
        return _chapter_label(chapter) if chapter is not None else ""

    def heading_at(self, text: TextSource, line: int) -> str:
        """The chapter and the heading a line of a text stands under, as the report numbers them."""
        chapter = self.chapters.get(text.chapter)
        if chapter is None:
            return ""
        # the n-th heading of the source is the n-th heading of the chapter after its title
        count = sum(1 for source_line in text.source.splitlines()[:line] if _HEADING.match(source_line))
        headings = [b for b in chapter.blocks[1:] if isinstance(b, m.Heading)]
        parts = [_chapter_label(chapter)]
        if 0 < count <= len(headings):
            parts.append(_heading_label(headings[count - 1]))
        return ", ".join(parts)

    def fact_uses(self, name: str) -> list[str]:
        """Each sentence of the narrative printing fact ``name``: "file:line (chapter …): « … »"."""
        pattern = re.compile(r"\{\{-?\s*" + re.escape(name) + r"(?![\w.])")
        uses = []
        for text in self.texts:
            for number, source_line in enumerate(text.source.splitlines(), 1):
                match = pattern.search(source_line)
                if match:
                    uses.append(_("{file}:{line} ({heading}): “{sentence}”").format(
                        file=text.file, line=number, heading=self.heading_at(text, number),
                        sentence=sentence_around(source_line, match.start())))
        return uses


def sentence_around(line: str, position: int) -> str:
    """The sentence of ``line`` holding ``position``, shortened around it."""
    start = max(line.rfind(". ", 0, position) + 2, 0) if line.rfind(". ", 0, position) >= 0 else 0
    end = line.find(". ", position)
    sentence = line[start:end + 1 if end >= 0 else len(line)].strip().lstrip("#-*0123456789. ").strip()
    if len(sentence) <= _MAX_SENTENCE:
        return sentence
    offset = position - start
    begin = max(0, offset - _MAX_SENTENCE // 2)
    cut = sentence[begin:begin + _MAX_SENTENCE]
    return ("…" if begin else "") + cut + ("…" if begin + _MAX_SENTENCE < len(sentence) else "")


def locate(findings: Iterable[Finding], index: ReportIndex) -> list[Finding]:
    """The findings with ``where`` filled in from their ``section`` or ``facts``."""
    out = []
    for f in findings:
        if f.where or not (f.section or f.facts):
            out.append(f)
            continue
        places = []
        if f.section:
            shown = index.section(f.section)
            if shown:
                places.append(shown)
        for name in f.facts:
            places.extend(index.fact_uses(name))
        out.append(attrs.evolve(f, where="\n".join(places)) if places else f)
    return out
