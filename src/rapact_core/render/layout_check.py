"""The layout check: what a typesetter would not sign, read from where everything landed.

:func:`check_layout` reads a :class:`.pdf_record.LayoutRecord` (see
:mod:`.pdf_record`) and returns a :class:`Fault` per problem, with its page:

* a page holding less than :data:`MIN_FILL` of its text area (the cover and
  the last page of a chapter may hold less, down to :data:`MIN_LAST_FILL`);
* a heading, a table caption or a lead-in left alone at the foot of a page,
  what it introduces starting on the next one (a chart and its caption
  apart alike);
* a table cut with fewer than three body rows on one side, or its totals
  alone on a page;
* a text saying its table is "ci-dessous" when something else comes between
  them.

``rapact check --layout`` builds the PDF to a temporary place and prints
these faults; the pagination rules of the PDF renderer exist so that the
2021 report has none.
"""

from __future__ import annotations

from attrs import frozen

from ..i18n import N_, _, ngettext
from . import pdf_record as R

#: the share of a page's text area a page must fill
MIN_FILL = 0.30
#: the share the last page of a chapter must fill: less is a line or two left over
MIN_LAST_FILL = 0.10
#: body rows on each side of a table's cut (as pdf_table_pages.MIN_ROWS)
MIN_ROWS = 3
_QUOTE = 60


@frozen
class Fault:
    """One layout problem: its page and what is wrong, for an editor."""

    page: int
    message: str
    rule: str

    def format(self, file: str = "") -> str:
        where = f"{file}: " if file else ""
        return where + _("page {page}: {message}").format(page=self.page, message=self.message)


def check_layout(record: R.LayoutRecord) -> list[Fault]:
    """Every fault of ``record``, by page."""
    faults = nearly_empty_pages(record) + kept_apart(record) + table_cuts(record) + not_below(record)
    return sorted(faults, key=lambda f: (f.page, f.rule, f.message))


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return _("“{sentence}”").format(sentence=f"{text[:_QUOTE - 1]}…" if len(text) > _QUOTE else text)


def _chapter_of_page(placements: list[R.Placement]):
    chapters = [p.tag.chapter for p in placements if p.tag is not None and p.tag.kind != R.COVER]
    return chapters[-1] if chapters else None


@frozen
class PageFill:
    """How full a page is: the share of its text area used, its chapter, whether it ends it."""

    page: int
    placements: tuple
    share: float
    chapter: int | None
    last_of_chapter: bool
    cover: bool

    @property
    def limit(self) -> float:
        return MIN_LAST_FILL if self.last_of_chapter else MIN_FILL


def page_fills(record: R.LayoutRecord) -> list[PageFill]:
    """Every page begun, in order, with how full it is."""
    by_page: dict[int, list[R.Placement]] = {n: [] for n in record.pages}
    for p in record.placements:
        by_page.setdefault(p.page, []).append(p)
    pages = sorted(by_page)
    chapters = [_chapter_of_page(by_page[n]) for n in pages]
    # the chapter of the next page holding anything, page by page from the end
    following: list = [None] * len(pages)
    ahead, found = None, False
    for i in range(len(pages) - 1, -1, -1):
        following[i] = (found, ahead)
        if by_page[pages[i]]:
            ahead, found = chapters[i], True
    out = []
    for i, page in enumerate(pages):
        here = by_page[page]
        cover = bool(here) and all(p.kind == R.COVER for p in here)
        share = 0.0
        if here:
            top, area = here[0].area_top, here[0].area_height
            share = max(0.0, top - min(p.bottom for p in here)) / area if area else 1.0
        more, next_chapter = following[i]
        out.append(PageFill(page, tuple(here), share, chapters[i], not more or next_chapter != chapters[i], cover))
    return out


def nearly_empty_pages(record: R.LayoutRecord) -> list[Fault]:
    faults = []
    for fill in page_fills(record):
        if fill.cover:
            continue
        if not fill.placements:
            faults.append(Fault(fill.page, _("the page is empty"), "nearly empty"))
        elif fill.share < fill.limit - 1e-9:
            share = _("{value} %").format(value=round(100 * fill.share))
            faults.append(Fault(fill.page, _("the page holds {share} of its text area ({holds})").format(
                share=share, holds=describe(list(fill.placements))), "nearly empty"))
    return faults


def describe(placements: list[R.Placement]) -> str:
    """What a page holds, in a few words: "one line", "2 table rows and the totals"."""
    lines = sum(p.lines for p in placements if p.kind in (R.PARAGRAPH, R.LIST_ITEM, R.LEAD_IN))
    parts = []
    headings = [p for p in placements if p.kind == R.HEADING]
    captions = [p for p in placements if p.kind == R.CAPTION]
    if len(placements) == 1 and (headings or captions):
        only = _("only the heading {text}") if headings else _("only the caption {text}")
        return only.format(text=_quote(placements[0].tag.text))
    if headings:
        parts.append(ngettext("a heading", "{count} headings", len(headings)).format(count=len(headings)))
    if lines:
        parts.append(ngettext("one line", "{count} lines", lines).format(count=lines))
    body = foot = 0
    for p in placements:
        if p.kind == R.TABLE and p.rows and p.tag.table:
            n_body = p.tag.table[1]
            body += max(0, min(p.rows[1], n_body) - p.rows[0])
            foot += max(0, p.rows[1] - max(p.rows[0], n_body))
    if body:
        parts.append(ngettext("one table row", "{count} table rows", body).format(count=body))
    if foot:
        parts.append(_("the totals"))
    figures = sum(1 for p in placements if p.kind in (R.FIGURE, R.IMAGE))
    if figures:
        parts.append(ngettext("a chart", "{count} charts", figures).format(count=figures))
    if not parts:
        parts.append(", ".join(sorted({_(_KINDS.get(p.kind, N_("other content"))) for p in placements})))
    if len(parts) == 1:
        return parts[0]
    return _("{items} and {last}").format(items=", ".join(parts[:-1]), last=parts[-1])


# what a page holding none of the above holds, in words
_KINDS = {R.HEADING: N_("heading"), R.CAPTION: N_("caption"), R.LEAD_IN: N_("lead-in"), R.PARAGRAPH: N_("paragraph"),
          R.LIST_ITEM: N_("list item"), R.TABLE: N_("table"), R.FIGURE: N_("figure"),
          R.FIGURE_CAPTION: N_("figure caption"), R.IMAGE: N_("image"), R.TOC: N_("table of contents"),
          R.COVER: N_("cover")}
# a heading, a caption or a lead-in left at the foot of a page
_ALONE = {R.HEADING: N_("the heading {text} is alone at the foot of the page; what it introduces starts on page "
                        "{page}"),
          R.CAPTION: N_("the caption {text} is alone at the foot of the page; what it introduces starts on page "
                        "{page}"),
          R.LEAD_IN: N_("the lead-in {text} is alone at the foot of the page; what it introduces starts on page "
                        "{page}")}


def kept_apart(record: R.LayoutRecord) -> list[Fault]:
    faults = []
    placements = record.placements
    for p, q in zip(placements, placements[1:]):
        if q.page == p.page or p.tag is None:
            continue
        if p.kind in R.KEPT_WITH_NEXT:
            faults.append(Fault(p.page, _(_ALONE[p.kind]).format(text=_quote(p.tag.text), page=q.page),
                                "alone at the foot"))
        elif p.kind == R.FIGURE and q.kind == R.FIGURE_CAPTION and q.tag.block == p.tag.block:
            faults.append(Fault(p.page, _("the chart {text} is on this page and its caption on page {page}").format(
                text=_quote(q.tag.text), page=q.page), "alone at the foot"))
    return faults


def table_cuts(record: R.LayoutRecord) -> list[Fault]:
    pieces: dict[int, list[R.Placement]] = {}
    for p in record.placements:
        if p.kind == R.TABLE and p.rows is not None and p.tag.table is not None:
            pieces.setdefault(p.tag.block, []).append(p)
    faults = []
    for parts in pieces.values():
        if len(parts) < 2:
            continue
        name = _table_name(parts[0].tag)
        n_body = parts[0].tag.table[1]
        for k, p in enumerate(parts):
            body = max(0, min(p.rows[1], n_body) - p.rows[0])
            if body == 0 and p.rows[1] > p.rows[0]:
                faults.append(Fault(p.page, _("the totals of {table} stand alone on the page").format(table=name),
                                    "totals alone"))
            elif (k == 0 or k == len(parts) - 1) and body < MIN_ROWS:
                faults.append(Fault(p.page, ngettext(
                    "{table} is cut with one body row on this page (at least {most} on each side of a cut)",
                    "{table} is cut with {count} body rows on this page (at least {most} on each side of a cut)",
                    body).format(table=name, count=body, most=MIN_ROWS), "table cut"))
    return faults


def _table_name(tag: R.Tag) -> str:
    number = tag.table[0] if tag.table else None
    # "Tableau 3": the table's label as the report prints it
    return f"Tableau {number}" if number is not None else _("the table {text}").format(text=_quote(tag.text))


def not_below(record: R.LayoutRecord) -> list[Fault]:
    """A paragraph saying "ci-dessous" whose table or chart is not below it: neither
    further down its page nor the very next thing laid out."""
    placements = record.placements
    first_of: dict[int, R.Placement] = {}
    for p in placements:
        if p.tag is not None:
            first_of.setdefault(p.tag.block, p)
    faults = []
    for i, p in enumerate(placements):
        tag = p.tag
        if tag is None or not tag.says_below or tag.refers_to is None:
            continue
        nxt = placements[i + 1] if i + 1 < len(placements) else None
        if nxt is not None and nxt.tag is not None and nxt.tag.block == tag.block:
            continue  # the paragraph goes on: judge its last piece
        target = first_of.get(tag.refers_to)
        if target is None:
            continue
        if (nxt is not None and nxt.tag is not None and nxt.tag.block == tag.refers_to) or \
                (target.page == p.page and target.top <= p.bottom + 1e-6):
            continue
        faults.append(Fault(p.page, _("the text {text} says {target} is below, but it is on page {page}, after "
                                      "other text").format(text=_quote(tag.text), target=_quote(target.tag.text),
                                                           page=target.page), "not below"))
    return faults
