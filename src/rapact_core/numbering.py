"""Numbers assigned once, when the document is assembled.

Headings get "3", "3.1", "6.6.7.1"; tables "Tableau N" and figures "Figure N".
Renderers print these numbers and never count by themselves, so the DOCX
and the PDF cannot disagree.
"""

from __future__ import annotations

import attrs

from . import model as m


def number_document(doc: m.Document) -> m.Document:
    counters = [0] * 7
    tables = figures = 0
    chapters = []
    for chapter in doc.chapters:
        blocks = []
        for block in chapter.blocks:
            if isinstance(block, m.Heading) and block.numbered:
                level = block.level
                counters[level] += 1
                for deeper in range(level + 1, len(counters)):
                    counters[deeper] = 0
                parts = [str(counters[i]) for i in range(1, level + 1)]
                block = attrs.evolve(block, number=".".join(p if p != "0" else "1" for p in parts))
            elif isinstance(block, m.Table):
                tables += 1
                block = attrs.evolve(block, number=tables)
            elif isinstance(block, m.Figure):
                figures += 1
                block = attrs.evolve(block, number=figures)
            blocks.append(block)
        chapters.append(attrs.evolve(chapter, blocks=tuple(blocks)))
    return attrs.evolve(doc, chapters=tuple(chapters))


def toc_entries(doc: m.Document, depth: int = 3) -> list[tuple[int, str, str]]:
    """(level, number, text) for each heading shown in the table of contents."""
    out = []
    for block in doc.blocks():
        if isinstance(block, m.Heading) and block.in_toc and block.level <= depth:
            out.append((block.level, block.number or "", m.plain_text(block.content)))
    return out


def heading_text(block: m.Heading) -> str:
    text = m.plain_text(block.content)
    return f"{block.number} {text}" if block.number else text
