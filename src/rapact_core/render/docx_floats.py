"""Landscape tables float in the DOCX where they float in the PDF.

Word needs a section of its own for a landscape table, so a portrait page
ends where the table is met, however little it holds. The PDF has no such
fault: its landscape tables float (:mod:`.pdf_floats`), the portrait text
after them filling the page first. The DOCX follows the PDF: the chapters
holding a table the DOCX lays out landscape are laid out as the PDF would
lay them out (layout passes only, nothing drawn, in memory: the DOCX does
not depend on a PDF being built), and each landscape table the PDF floated,
with what its float carries (caption, lead-in, headings), is written after
the last portrait blocks laid out before it.

The PDF never lets a float pass a portrait table (table numbers, SEQ
captions and REF fields stay in order) nor a chapter start, so neither does
the DOCX. A table the PDF keeps portrait and the DOCX turns landscape (they
measure with their own metrics) stays where it is. Only the order the DOCX
visitor reads the blocks in changes: the model is untouched.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Sequence

import attrs
from attrs import frozen

from .. import model as m
from . import RenderOptions
from .docx_float_cache import cached
from .pdf_record import KEPT_WITH_NEXT, LIST_ITEM, LayoutRecord


@frozen
class Move:
    """A floated group: blocks ``first``..``table`` (the table and what its float carries),
    to be read right after block ``after`` (block numbers in reading order). ``cut``: the
    float cut ``after``, a list, after that many of its item paragraphs (0: not cut)."""

    first: int
    table: int
    after: int
    cut: int = 0


def float_moves(record: LayoutRecord, tables: Collection[int], barriers: Collection[int] = ()) -> list[Move]:
    """Where each of ``tables`` (block numbers) goes, as the PDF laid it out in ``record``.

    A table the PDF put on a landscape page goes after the blocks laid out
    before its float began, as long as they follow it in reading order, in
    its chapter, one after the other. A paragraph the float cut counts as
    before; a list the float cut is cut there too (``cut``). A block with no
    placement (a page break) or among ``barriers`` (where the DOCX starts a
    page: a level-1 heading) stops the walk. Groups waiting for the same page
    end keep their order. Tables the PDF did not float do not move.
    """
    first: dict[int, int] = {}
    chapter: dict[int, int | None] = {}
    pieces: dict[int, list[int]] = {}
    for i, p in enumerate(record.placements):
        if p.tag is None or p.tag.block < 0:
            continue
        first.setdefault(p.tag.block, i)
        chapter.setdefault(p.tag.block, p.tag.chapter)
        pieces.setdefault(p.tag.block, []).append(i)
    moves: dict[int, Move] = {}  # first block of the group -> its move
    for table in sorted(tables, reverse=True):  # a later group's move is known when an earlier one walks past it
        start = first.get(table)
        if start is None or not record.placements[start].landscape:
            continue
        group, at = table, start - 1
        # what the float carries: headings and lead-ins just before it, on the landscape page with it
        while at >= 0:
            p = record.placements[at]
            if not (p.landscape and p.tag is not None and p.kind in KEPT_WITH_NEXT
                    and p.tag.block in (group, group - 1)):
                break
            group, at = p.tag.block, at - 1
        float_start = first.get(group, start)
        after, block = table, table + 1
        while True:
            later = moves.get(block)
            if later is not None:  # a group floated further: passed over, as in the PDF
                block = later.table + 1
                continue
            if block not in first or block in barriers or chapter[block] != chapter[table] \
                    or first[block] > float_start:
                break
            after, block = block, block + 1
        if after != table:
            moves[group] = Move(group, table, after, _items_before(record, pieces[after], float_start))
    return sorted(moves.values(), key=lambda move: move.first)


def _items_before(record: LayoutRecord, pieces: list[int], start: int) -> int:
    """The list items laid out whole before placement ``start``, when the float cut a list
    (its ``pieces``, placement indices); 0 when it did not."""
    placements = record.placements
    if placements[pieces[0]].kind != LIST_ITEM or pieces[-1] < start:
        return 0
    before = [i for i in pieces if i < start]
    # the pieces of an item cut by a page carry the same tag, one after the other
    items = sum(1 for n, i in enumerate(before) if not n or placements[before[n - 1]].tag != placements[i].tag)
    cut_item = placements[before[-1]].tag == placements[pieces[len(before)]].tag
    return items - cut_item


def reading_order(blocks: Sequence[int], moves: Sequence[Move]) -> list[int]:
    """``blocks`` (block numbers in reading order), each moved group right after its
    ``after`` block; groups going after the same block keep their order. A list the
    groups cut (``Move.cut``) is listed twice: its first items before them, the rest after."""
    moved: dict[int, Move] = {}
    for move in moves:
        for block in range(move.first, move.table + 1):
            moved[block] = move
    by_after: dict[int, list[Move]] = {}
    for move in moves:
        by_after.setdefault(move.after, []).append(move)
    out: list[int] = []

    def place(block: int) -> None:
        out.append(block)
        groups = by_after.get(block, ())
        for move in groups:
            for b in range(move.first, move.table + 1):
                place(b)
        if any(move.cut for move in groups):
            out.append(block)

    for block in blocks:
        if block not in moved:
            place(block)
    if len(set(out)) != len(blocks):  # a group's block is missing, or it moves after itself
        raise ValueError(f"moves {moves} do not fit blocks {blocks[0] if blocks else ''}..")
    return out


@frozen
class Orders:
    """The order the DOCX writes blocks in: ``chapters``, chapter index -> its blocks, for
    each chapter where a landscape table moves; ``groups``, the ids of the first blocks
    of the groups that moved (what was written before them stays on the portrait page)."""

    chapters: dict[int, tuple] = attrs.field(factory=dict)
    groups: frozenset[int] = frozenset()


def chapter_orders(doc: m.Document, landscape: Collection[int], options: RenderOptions) -> Orders:
    """The order the DOCX writes the blocks in (see :class:`Orders`). ``landscape``: ids of
    the tables the DOCX lays out landscape. Only the chapters holding one are laid out."""
    wanted = [i for i, chapter in enumerate(doc.chapters) if any(id(b) in landscape for b in chapter.blocks)]
    if not wanted:
        return Orders()
    sub = m.Document(doc.meta, tuple(doc.chapters[i] for i in wanted), doc.schema_version)
    blocks = [(i, block) for i in wanted for block in doc.chapters[i].blocks]  # numbered as the PDF numbers them
    tables = [n for n, (_, block) in enumerate(blocks) if id(block) in landscape]
    barriers = [n for n, (_, block) in enumerate(blocks) if _starts_a_page(block)]
    moves = cached(sub, tables, barriers, options, lambda: _laid_out_moves(sub, tables, barriers, options))
    out: dict[int, tuple] = {}
    start = 0
    for i in wanted:
        numbers = range(start, start + len(doc.chapters[i].blocks))
        start += len(numbers)
        mine = [move for move in moves if move.first in numbers]
        if mine:
            cuts = {move.after: move.cut for move in mine if move.cut}
            order, seen = [], set()
            for n in reading_order(list(numbers), mine):
                block = blocks[n][1]
                if n in cuts:
                    head, tail = split_list(block, cuts[n])
                    block = tail if n in seen else head
                    seen.add(n)
                if block is not None:
                    order.append(block)
            out[i] = tuple(order)
    return Orders(out, frozenset(id(blocks[move.first][1]) for move in moves))


def _laid_out_moves(sub: m.Document, tables: list[int], barriers: list[int], options: RenderOptions) -> list[Move]:
    """The moves of ``sub``'s floated ``tables``, from its PDF layout (nothing drawn, in memory)."""
    from reportlab.platypus.doctemplate import LayoutError

    from .pdf import layout_pdf

    try:
        record = layout_pdf(sub, io.BytesIO(), options, dry=True)
    except LayoutError:  # the PDF build says what cannot be laid out; the DOCX keeps the reading order
        return []
    return float_moves(record, tables, barriers)


def _starts_a_page(block) -> bool:
    """Whether the DOCX starts a page at ``block``: a float does not pass it."""
    return isinstance(block, (m.PageBreak, m.TableOfContents)) or (isinstance(block, m.Heading) and block.level == 1)


def split_list(block: m.ListBlock, paragraphs: int) -> tuple[m.ListBlock | None, m.ListBlock | None]:
    """The list's items whose paragraphs (nested items included, in reading order) are
    among its first ``paragraphs``, and the rest (None where there are none)."""
    count = 0
    for top, item in enumerate(block.items):
        count += _paragraphs(item)
        if count > paragraphs:
            break
    else:
        return block, None
    if not top:
        return None, block
    return (attrs.evolve(block, items=block.items[:top]),
            attrs.evolve(block, items=block.items[top:], start=block.start + top))


def _paragraphs(item: m.ListItem) -> int:
    children = item.children.items if item.children is not None else ()
    return 1 + sum(_paragraphs(child) for child in children)
