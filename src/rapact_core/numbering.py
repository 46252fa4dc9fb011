"""Numbers assigned once, when the document is assembled.

Headings get "3", "3.1", "6.6.7.1"; tables "Tableau N" and figures "Figure N".
Renderers print these numbers and never count by themselves, so the DOCX
and the PDF cannot disagree. Cross-references (:class:`~rapact_core.model.Ref`)
get their label here too, once every table and figure has its number.
"""

from __future__ import annotations

import difflib
import re

import attrs

from . import model as m
from .errors import Finding, Level, RapactError
from .i18n import _


#: what a reference prints when the table it names was left out of this build (LaTeX prints "??" too)
UNRESOLVED = "??"


def number_document(doc: m.Document, absent: frozenset[str] | set[str] = frozenset()) -> m.Document:
    """``doc`` with its headings, tables and figures numbered and its references resolved.

    ``absent``: the plugins this build leaves out. A reference to an id of
    theirs ("procurement.contracts" when ``procurement`` is disabled) prints
    :data:`UNRESOLVED`, and :func:`unresolved_refs` lists it as a warning.

    :raises RapactError: for each reference to an id no table or figure has,
        at the file and line where it was written.
    """
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
    return resolve_refs(attrs.evolve(doc, chapters=tuple(chapters)), absent)


def ref_key(block_id: str) -> str:
    """How ids compare: ``.``, ``_`` and ``-`` alike, so the id of a plugin's
    section names the table it builds (``governance.attendance`` and the
    table ``governance-attendance``)."""
    return re.sub(r"[._-]+", "-", block_id.strip())


def ref_label(block: m.Table | m.Figure) -> str:
    from .render.captions import caption_label

    return caption_label(block)


def resolve_refs(doc: m.Document, absent: frozenset[str] | set[str] = frozenset()) -> m.Document:
    """Fill every :class:`~rapact_core.model.Ref` of a numbered document (see :func:`number_document`)."""
    targets: dict[str, list] = {}
    for block in doc.blocks():
        if isinstance(block, (m.Table, m.Figure)) and block.id:
            targets.setdefault(ref_key(block.id), []).append(block)
    problems: list[Finding] = []

    def resolve(content: tuple) -> tuple:
        if not any(isinstance(item, m.Ref) for item in content):
            return content
        out = []
        for item in content:
            if isinstance(item, m.Ref):
                found = targets.get(ref_key(item.target), [])
                if len(found) == 1:
                    item = attrs.evolve(item, target=found[0].id, label=ref_label(found[0]))
                elif not found and ref_key(item.target).split("-")[0] in absent:
                    item = attrs.evolve(item, label=UNRESOLVED)
                else:
                    problems.append(_unknown(item, found, targets))
            out.append(item)
        return tuple(out)

    def resolve_list(block: m.ListBlock) -> m.ListBlock:
        items = tuple(attrs.evolve(item, content=resolve(item.content),
                                   children=resolve_list(item.children) if item.children else None)
                      for item in block.items)
        return attrs.evolve(block, items=items)

    chapters = []
    for chapter in doc.chapters:
        blocks = []
        for block in chapter.blocks:
            if isinstance(block, (m.Paragraph, m.Heading)):
                content = resolve(block.content)
                if content is not block.content:
                    block = attrs.evolve(block, content=content)
            elif isinstance(block, m.ListBlock):
                block = resolve_list(block)
            blocks.append(block)
        chapters.append(attrs.evolve(chapter, blocks=tuple(blocks)))
    if problems:
        raise RapactError(problems)
    return attrs.evolve(doc, chapters=tuple(chapters))


def unresolved_refs(doc: m.Document) -> list[Finding]:
    """A warning for each reference to a table this build left out (see :func:`number_document`)."""
    out = []

    def scan(content):
        for item in content:
            if isinstance(item, m.Ref) and item.label == UNRESOLVED:
                out.append(Finding(_("ref({target!r}) names a table or figure of a plugin this build leaves out; "
                                     "it prints {unresolved}").format(target=item.target, unresolved=UNRESOLVED),
                                   Level.WARNING, item.file or None, item.line))

    def scan_list(block: m.ListBlock):
        for item in block.items:
            scan(item.content)
            if item.children:
                scan_list(item.children)

    for block in doc.blocks():
        if isinstance(block, (m.Paragraph, m.Heading)):
            scan(block.content)
        elif isinstance(block, m.ListBlock):
            scan_list(block)
    return out


def _unknown(ref: m.Ref, found: list, targets: dict[str, list]) -> Finding:
    if found:
        ids = ", ".join(f"{ref_label(b)} ({b.id})" for b in found)
        message = _("ref({target!r}) is ambiguous: {ids} share that id").format(target=ref.target, ids=ids)
    else:
        ids = sorted(b.id for blocks in targets.values() for b in blocks)
        close = difflib.get_close_matches(ref_key(ref.target), [ref_key(i) for i in ids], n=1)
        hint = (_(" (did you mean {id!r}?)").format(id=next(i for i in ids if ref_key(i) == close[0])) if close
                else _(" (tables and figures with an id: {ids})").format(
                    ids=", ".join(ids[:12]) + (", …" if len(ids) > 12 else "")))
        message = _("ref({target!r}) names no table or figure of the report").format(target=ref.target) + hint
    return Finding(message, file=ref.file or None, line=ref.line)


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
