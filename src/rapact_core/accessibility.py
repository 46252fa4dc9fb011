"""What `rapact check` says about the document's accessibility, before any format is made.

Each output format carries the model's structure (headings, alt texts, links),
so what the model lacks every format lacks. Three faults are worth a warning
(WCAG 2.1 AA, which EN 301 549 applies to documents):

* a picture without a text alternative (1.1.1): screen readers then say
  nothing, or the file name;
* a heading level skipped (1.3.1): a "###" right under a "#" breaks the
  outline readers navigate by;
* a link whose text does not say where it leads ("ici", "cliquez ici") (2.4.4).
"""

from __future__ import annotations

from . import model as m
from .errors import Finding, Level
from .i18n import _, quoted

#: link texts that say nothing on their own, compared lower-cased, without final punctuation
VAGUE_LINK_TEXTS = frozenset({
    "ici", "cliquez ici", "cliquer ici", "clic ici", "ce lien", "lien", "le lien", "voir", "voir ici",
    "plus", "en savoir plus", "lire la suite", "la suite", "suite", "page", "cette page", "this page",
    "here", "click here", "link", "this link", "more", "read more", "more info",
})


def accessibility_findings(chapters) -> list[Finding]:
    """Warnings for the pictures, headings and links of ``chapters`` (model Chapters)."""
    found = []
    previous = 0
    for chapter in chapters:
        where = _("chapter {id}").format(id=chapter.id)
        for block in _all_blocks(chapter.blocks):
            if isinstance(block, m.Image) and not block.alt.strip():
                found.append(Finding(
                    _("picture {path} has no alt text: screen readers cannot say what it shows; write it between "
                      "the brackets: ![what the picture shows]({target})").format(
                          path=quoted(block.path), target=block.path),
                    Level.WARNING, field=where))
            elif isinstance(block, m.Heading):
                if block.level > previous + 1:
                    found.append(Finding(
                        _("heading {heading} is at level {level} right after a level-{previous} heading: a level is "
                          "skipped, which breaks the outline screen readers navigate by; use one '#' more than the "
                          "heading above").format(heading=quoted(m.plain_text(block.content)[:60]),
                                                  level=block.level, previous=previous),
                        Level.WARNING, field=where))
                previous = block.level
            for link in _links(block):
                text = m.plain_text(link.content).strip().rstrip(".:!…").strip().lower()
                if text in VAGUE_LINK_TEXTS:
                    found.append(Finding(
                        _("link text {text} does not say where the link leads ({target}): name the page or the "
                          "document instead").format(text=quoted(m.plain_text(link.content)), target=link.target),
                        Level.WARNING, field=where))
    return found


def _all_blocks(blocks):
    for block in blocks:
        yield block
        if isinstance(block, m.ListBlock):
            for item in block.items:
                if item.children is not None:
                    yield from _all_blocks((item.children,))


def _links(block):
    if isinstance(block, (m.Heading, m.Paragraph)):
        contents = [block.content]
    elif isinstance(block, m.ListBlock):
        contents = [item.content for item in block.items]
    else:
        return []
    return [item for content in contents for item in content if isinstance(item, m.Link)]
