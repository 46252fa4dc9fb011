"""The body of the DOCX as it is written: buffered XML, page breaks, landscape sections.

WordprocessingML has no "landscape table": a landscape page is a section of
its own, closed by a paragraph that holds the section's properties
(``w:sectPr``), while the body's last ``w:sectPr`` describes the last section.
:class:`BodyFlow` decides where sections open and close so that

* the headings and the short lead-in just above a landscape table move into
  its section with it, instead of being left alone on a portrait page;
* two landscape tables separated only by headings share one section (no empty
  portrait page between them), a page break asked for in between is kept;
* a page break is never written on a page that has just started (no blank
  page), and only the first section keeps the cover's "different first page".

No empty paragraph is written for spacing. The paragraph after a table gets
the space above it (:data:`TABLE_GAP`) unless its style gives more. A section
break is carried by the last paragraph of its section; only where that is a
table is a paragraph of its own written, one line of 0.7 pt, since a
``w:sectPr`` lives in a paragraph and a table cannot hold one (Word, too,
always has a paragraph mark after a table). Two tables with nothing between
them are kept apart the same way, or Word would join them into one table.
"""

from __future__ import annotations

import copy
import re

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from . import docx_xml as X

#: the space above the paragraph that follows a table, in twips (8 pt)
TABLE_GAP = 160
# the paragraph between two tables: one line of 0.7 pt
SEPARATOR = ('<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="14" w:lineRule="exact"/>'
             '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>')
_PSTYLE = re.compile(r'<w:p><w:pPr><w:pStyle w:val="([^"]*)"/>')
# the pPr children X.ppr writes after w:spacing
_AFTER_SPACING = re.compile(r"<w:(?:ind|jc|outlineLvl|rPr|sectPr)[ />]|</w:pPr>")


def landscape_sect_pr(sect_pr, header_rid: str | None = None):
    """A copy of a (portrait) ``w:sectPr`` with width and height swapped; ``header_rid``:
    the running header laid out for landscape pages, instead of the portrait one."""
    out = copy.deepcopy(sect_pr)
    if header_rid:
        for ref in out.findall(qn("w:headerReference")):
            if ref.get(qn("w:type")) in ("default", "even"):
                ref.set(qn("r:id"), header_rid)
    pg = out.find(qn("w:pgSz"))
    if pg is None:
        raise ValueError("the template's section has no page size (w:pgSz)")
    w, h = int(pg.get(qn("w:w"))), int(pg.get(qn("w:h")))
    if w < h:
        pg.set(qn("w:w"), str(h))
        pg.set(qn("w:h"), str(w))
    pg.set(qn("w:orient"), "landscape")
    return out


def strip_first_page(sect_pr) -> None:
    """Remove the different-first-page setting and its header/footer references."""
    for el in list(sect_pr):
        if el.tag == qn("w:titlePg"):
            sect_pr.remove(el)
        elif el.tag in (qn("w:headerReference"), qn("w:footerReference")) and \
                el.get(qn("w:type")) == "first":
            sect_pr.remove(el)


def text_width_twips(sect_pr, landscape: bool = False) -> int:
    """The width between the margins, in twips."""
    pg = sect_pr.find(qn("w:pgSz"))
    mar = sect_pr.find(qn("w:pgMar"))
    w, h = int(pg.get(qn("w:w"))), int(pg.get(qn("w:h")))
    width = max(w, h) if landscape else min(w, h)
    left = int(mar.get(qn("w:left"), 1418)) if mar is not None else 1418
    right = int(mar.get(qn("w:right"), 1418)) if mar is not None else 1418
    gutter = int(mar.get(qn("w:gutter"), 0) or 0) if mar is not None else 0
    return width - left - right - gutter


def _section_paragraph(sect_pr) -> str:
    """A tiny paragraph that closes a section described by ``sect_pr``, where no
    paragraph of the section can (it ends with a table)."""
    return X.paragraph("", X.ppr(
        spacing='<w:spacing w:before="0" w:after="0" w:line="14" w:lineRule="exact"/>',
        run_props=X.rpr(size=2), sect_pr=X.element_xml(sect_pr)))


def text_height_twips(sect_pr) -> int:
    """The height between the top and bottom margins of a portrait page, in twips."""
    pg = sect_pr.find(qn("w:pgSz"))
    mar = sect_pr.find(qn("w:pgMar"))
    h = max(int(pg.get(qn("w:w"))), int(pg.get(qn("w:h"))))
    top = abs(int(mar.get(qn("w:top"), 1418))) if mar is not None else 1418
    bottom = abs(int(mar.get(qn("w:bottom"), 1418))) if mar is not None else 1418
    return h - top - bottom


class SectionBreak:
    """The end of a section in the buffer: its properties go to the last paragraph before it."""

    __slots__ = ("sect_pr",)

    def __init__(self, sect_pr):
        self.sect_pr = sect_pr


def with_space_before(xml: str, twips: int, style_before) -> str:
    """``xml``, whose first element is a paragraph written by ``X.paragraph``, with at
    least ``twips`` of space above it; ``style_before(style_id)`` is what its style gives."""
    if not xml.startswith("<w:p>"):
        return xml
    found = _PSTYLE.match(xml)
    if style_before(found.group(1) if found else None) >= twips:
        return xml
    spacing = f'<w:spacing w:before="{twips}"/>'
    if not xml.startswith("<w:p><w:pPr>"):
        return f"<w:p><w:pPr>{spacing}</w:pPr>" + xml[len("<w:p>"):]
    head, rest = xml.split("</w:pPr>", 1)
    head += "</w:pPr>"
    if "<w:spacing " in head:
        if " w:before=" in head:
            return xml
        return head.replace("<w:spacing ", f'<w:spacing w:before="{twips}" ', 1) + rest
    at = _AFTER_SPACING.search(head).start()
    return head[:at] + spacing + head[at:] + rest


class BreakableParagraph:
    """A buffered paragraph (heading, short lead-in) whose page break may still change.

    When a landscape table follows, the paragraphs above it move into its
    section, which decides whether they need ``pageBreakBefore``.
    """

    __slots__ = ("plain", "broken", "page_break")

    def __init__(self, plain: str, broken: str, page_break: bool):
        self.plain, self.broken, self.page_break = plain, broken, page_break

    def __str__(self) -> str:
        return self.broken if self.page_break else self.plain


class BodyFlow:
    """The body of ``document`` (a python-docx Document), emptied, then written in order.

    Content is buffered as XML strings (and :class:`BreakableParagraph`,
    :class:`SectionBreak`) and parsed in large chunks before the body's final
    ``w:sectPr`` (``sect``). ``style_before(style_id)`` is the space above a
    paragraph of that style (None: the default paragraph style), in twips.
    """

    def __init__(self, document, style_before=lambda style_id: 0):
        self.document = document
        self.style_before = style_before
        body = document.element.body
        self.sect = body.get_or_add_sectPr()
        for child in list(body):
            if child is not self.sect:
                body.remove(child)
        self.body = body
        self.buf: list = []          # str, BreakableParagraph or SectionBreak
        self.break_pending = False   # a page break is due before the next content
        self.fresh_page = True       # nothing emitted since the last page start
        self.in_landscape = False
        self.sections_closed = 0
        self.after_table = False     # the last element emitted is a table
        self.last_table = None       # that table's element (or a big table's placeholder)
        self.lead_in_start: int | None = None       # buffer index of the trailing headings/lead-ins
        self.landscape_close_at: int | None = None  # buffer index of the last landscape end
        self.suppressed_break = False  # a break was asked for on a fresh page
        self.landscape_header: str | None = None  # rId of the landscape pages' header

    # ------------------------------------------------------------ content

    def _spaced(self, xml):
        """``xml`` given the space above it that a table before it calls for."""
        if isinstance(xml, BreakableParagraph):
            return BreakableParagraph(with_space_before(xml.plain, TABLE_GAP, self.style_before),
                                      with_space_before(xml.broken, TABLE_GAP, self.style_before), xml.page_break)
        return with_space_before(xml, TABLE_GAP, self.style_before)

    def emit(self, xml, *, lead_in: bool = False) -> None:
        """Buffer ``xml``; ``lead_in``: it moves with a landscape table right after it."""
        if self.after_table:
            xml = self._spaced(xml)
            self.after_table = False
        if lead_in:
            if self.lead_in_start is None:
                self.lead_in_start = len(self.buf)
        else:
            self.lead_in_start = None
        self.buf.append(xml)

    def emit_page(self, xml: str) -> None:
        """Content that has a page of its own (the cover): what follows starts a new page."""
        self.emit(xml)
        self.fresh_page = False
        self.request_break()

    def flush(self) -> None:
        if not self.buf:
            return
        chunk: list[str] = []
        for item in self.buf:
            if isinstance(item, SectionBreak):
                self._adopt(chunk)
                chunk = []
                self._end_section(item.sect_pr)
            else:
                chunk.append(str(item))
        self._adopt(chunk)
        self.buf.clear()
        self.lead_in_start = None
        self.landscape_close_at = None

    def _adopt(self, chunk: list[str]) -> None:
        xml = "".join(chunk)
        if xml:
            for el in X.parse_fragment(xml):
                X.adopt_before(self.sect, el)

    def _end_section(self, sect_pr) -> None:
        """Close a section: its last paragraph carries ``sect_pr``, or, after a table, a paragraph of its own."""
        last = self.sect.getprevious()
        if last is None or last.tag != qn("w:p") or last is self.last_table \
                or last.find(qn("w:pPr") + "/" + qn("w:sectPr")) is not None:
            self.sect.addprevious(X.parse_fragment(_section_paragraph(sect_pr))[0])
            return
        ppr = last.find(qn("w:pPr"))
        if ppr is None:
            ppr = X.parse_element("<w:pPr/>")
            last.insert(0, ppr)
        change = ppr.find(qn("w:pPrChange"))
        if change is not None:
            change.addprevious(copy.deepcopy(sect_pr))
        else:
            ppr.append(copy.deepcopy(sect_pr))

    def add_table(self, el) -> None:
        """Append a table element, parsed on its own (lxml then moves it in constant time)."""
        if self.after_table:  # two tables in a row: Word would make them one
            self.buf.append(SEPARATOR)
            self.after_table = False
        self.flush()
        self.sect.addprevious(el)
        self.after_table = True
        self.last_table = el

    def add_external(self, write) -> None:
        """Let ``write()`` append elements to the body itself (a plugin's custom block);
        what it added gets the page break that is due, and is kept apart from a table before it."""
        table_before = self.after_table
        self.after_table = False
        self.flush()
        before = self.sect.getprevious()
        write()
        first = before.getnext() if before is not None else self.body[0]
        if first is None or first is self.sect:
            self.after_table = table_before
            return
        if table_before and first.tag == qn("w:tbl"):
            first.addprevious(X.parse_fragment(SEPARATOR)[0])
        if self.consume_break():
            if first.tag == qn("w:p"):
                Paragraph(first, self.document).paragraph_format.page_break_before = True
            else:
                first.addprevious(X.parse_fragment(X.page_break_paragraph())[0])
        last = self.sect.getprevious()
        self.after_table = last is not None and last.tag == qn("w:tbl")
        self.last_table = last if self.after_table else self.last_table

    def finish(self) -> None:
        """Close the document: the last section, what is still buffered."""
        if self.in_landscape:
            # the document ends in landscape: the last section itself turns landscape
            land = landscape_sect_pr(self.sect, self.landscape_header)
            self.sect.getparent().replace(self.sect, land)
            self.sect = land
            self.in_landscape = False
        self.flush()
        last = self.sect.getprevious()
        if last is not None and last.tag == qn("w:tbl"):
            # a body ends with a paragraph mark: Word adds one after a final table
            self.sect.addprevious(X.parse_fragment(SEPARATOR)[0])
        self.after_table = False
        if self.sections_closed:
            strip_first_page(self.sect)

    # ------------------------------------------------------------ pages

    def hold_lead_ins(self) -> None:
        """The headings and lead-ins emitted so far stay where they are, whatever follows:
        a floated landscape table takes along only what its float carries."""
        self.lead_in_start = None

    def request_break(self) -> None:
        self.lead_in_start = None  # what came before a new page stays before it
        if not self.fresh_page:
            self.break_pending = True
        else:
            self.suppressed_break = True  # see open_landscape

    def consume_break(self) -> bool:
        """Called by every block that emits content: whether it must start a page."""
        pending = self.break_pending
        self.break_pending = False
        self.fresh_page = False
        return pending

    def open_landscape(self) -> None:
        """Start a landscape section before the table about to be emitted.

        The headings and lead-ins emitted just before the table move into the
        landscape section with it. When only those separate this table from
        the end of a previous landscape section, that section simply continues
        (no empty portrait section, hence no blank page); a page break
        requested in between (chapter heading, PageBreak) is then kept.
        """
        if self.in_landscape:
            return
        idx = self.lead_in_start
        moving = idx is not None and idx < len(self.buf)
        if not moving:
            idx = len(self.buf)
        merge = self.landscape_close_at is not None and self.landscape_close_at == idx - 1
        if merge:
            del self.buf[idx - 1]
            idx -= 1
            self.sections_closed -= 1
        else:
            portrait = copy.deepcopy(self.sect)
            if self.sections_closed:
                strip_first_page(portrait)
            self.buf.insert(idx, SectionBreak(portrait))
            idx += 1
            self.sections_closed += 1
        wants_break = merge and self.suppressed_break
        if moving:
            self.buf[idx].page_break = wants_break
            self.break_pending = False
        else:
            self.after_table = False  # the section's end separates two tables
            self.break_pending = wants_break
        self.lead_in_start = None
        self.landscape_close_at = None
        self.suppressed_break = False
        self.in_landscape = True
        self.fresh_page = True

    def close_landscape(self) -> None:
        if not self.in_landscape:
            return
        land = landscape_sect_pr(self.sect, self.landscape_header)
        strip_first_page(land)
        self.landscape_close_at = len(self.buf)
        self.buf.append(SectionBreak(land))
        self.after_table = False  # what follows starts a page
        self.lead_in_start = None
        self.sections_closed += 1
        self.in_landscape = False
        self.break_pending = False
        self.suppressed_break = False
        self.fresh_page = True
