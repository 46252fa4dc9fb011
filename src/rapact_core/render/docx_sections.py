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
"""

from __future__ import annotations

import copy

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from . import docx_xml as X

SPACER = ('<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
          '<w:rPr><w:sz w:val="12"/><w:szCs w:val="12"/></w:rPr></w:pPr></w:p>')


def landscape_sect_pr(sect_pr):
    """A copy of a (portrait) ``w:sectPr`` with width and height swapped."""
    out = copy.deepcopy(sect_pr)
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
    """A tiny paragraph that closes a section described by ``sect_pr``."""
    return X.paragraph("", X.ppr(
        spacing='<w:spacing w:before="0" w:after="0" w:line="14" w:lineRule="exact"/>',
        run_props=X.rpr(size=2), sect_pr=X.element_xml(sect_pr)))


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

    Content is buffered as XML strings (and :class:`BreakableParagraph`) and
    parsed in large chunks before the body's final ``w:sectPr`` (``sect``).
    """

    def __init__(self, document):
        self.document = document
        body = document.element.body
        self.sect = body.get_or_add_sectPr()
        for child in list(body):
            if child is not self.sect:
                body.remove(child)
        self.body = body
        self.buf: list = []          # str or BreakableParagraph
        self.break_pending = False   # a page break is due before the next content
        self.fresh_page = True       # nothing emitted since the last page start
        self.in_landscape = False
        self.sections_closed = 0
        self.after_table = False     # the last element emitted is a table
        self.lead_in_start: int | None = None       # buffer index of the trailing headings/lead-ins
        self.landscape_close_at: int | None = None  # buffer index of the last landscape end
        self.suppressed_break = False  # a break was asked for on a fresh page

    # ------------------------------------------------------------ content

    def emit(self, xml, *, lead_in: bool = False) -> None:
        """Buffer ``xml``; ``lead_in``: it moves with a landscape table right after it."""
        if self.after_table:
            self.buf.append(SPACER)
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
        for el in X.parse_fragment("".join(map(str, self.buf))):
            X.adopt_before(self.sect, el)
        self.buf.clear()
        self.lead_in_start = None
        self.landscape_close_at = None

    def add_table(self, el) -> None:
        """Append a table element, parsed on its own (lxml then moves it in constant time)."""
        self.emit("")  # the spacer that keeps two consecutive tables apart, if due
        self.flush()
        self.sect.addprevious(el)
        self.after_table = True

    def add_external(self, write) -> None:
        """Let ``write()`` append elements to the body itself (a plugin's custom block);
        what it added gets the page break that is due, and a spacer if it ends with a table."""
        if self.after_table:
            self.buf.append(SPACER)
            self.after_table = False
        self.flush()
        before = self.sect.getprevious()
        write()
        first = before.getnext() if before is not None else self.body[0]
        if first is None or first is self.sect:
            return
        if self.consume_break():
            if first.tag == qn("w:p"):
                Paragraph(first, self.document).paragraph_format.page_break_before = True
            else:
                first.addprevious(X.parse_fragment(X.page_break_paragraph())[0])
        last = self.sect.getprevious()
        self.after_table = last is not None and last.tag == qn("w:tbl")

    def finish(self) -> None:
        """Close the document: the last section, the final spacer, what is still buffered."""
        if self.in_landscape:
            # the document ends in landscape: the last section itself turns landscape
            land = landscape_sect_pr(self.sect)
            self.sect.getparent().replace(self.sect, land)
            self.sect = land
            self.in_landscape = False
            self.after_table = False
            self.buf.append(SPACER)
        if self.after_table:
            self.buf.append(SPACER)
            self.after_table = False
        self.flush()
        if self.sections_closed:
            strip_first_page(self.sect)

    # ------------------------------------------------------------ pages

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
            self.buf.insert(idx, _section_paragraph(portrait))
            idx += 1
            self.sections_closed += 1
        wants_break = merge and self.suppressed_break
        if moving:
            self.buf[idx].page_break = wants_break
            self.break_pending = False
        else:
            self.after_table = False  # the section paragraph separates two tables
            self.break_pending = wants_break
        self.lead_in_start = None
        self.landscape_close_at = None
        self.suppressed_break = False
        self.in_landscape = True
        self.fresh_page = True

    def close_landscape(self) -> None:
        if not self.in_landscape:
            return
        land = landscape_sect_pr(self.sect)
        strip_first_page(land)
        self.landscape_close_at = len(self.buf)
        self.buf.append(_section_paragraph(land))
        self.after_table = False
        self.lead_in_start = None
        self.sections_closed += 1
        self.in_landscape = False
        self.break_pending = False
        self.suppressed_break = False
        self.fresh_page = True
