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
        return f"{where}page {self.page}: {self.message}"


def check_layout(record: R.LayoutRecord) -> list[Fault]:
    """Every fault of ``record``, by page."""
    faults = nearly_empty_pages(record) + kept_apart(record) + table_cuts(record) + not_below(record)
    return sorted(faults, key=lambda f: (f.page, f.rule, f.message))


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f"“{text[:_QUOTE - 1]}…”" if len(text) > _QUOTE else f"“{text}”"


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
            faults.append(Fault(fill.page, "the page is empty", "nearly empty"))
        elif fill.share < fill.limit - 1e-9:
            faults.append(Fault(fill.page, f"the page holds {round(100 * fill.share)} % of its text area "
                                           f"({describe(list(fill.placements))})", "nearly empty"))
    return faults


def describe(placements: list[R.Placement]) -> str:
    """What a page holds, in a few words: "one line", "2 table rows and the totals"."""
    lines = sum(p.lines for p in placements if p.kind in (R.PARAGRAPH, R.LIST_ITEM, R.LEAD_IN))
    parts = []
    headings = [p for p in placements if p.kind == R.HEADING]
    captions = [p for p in placements if p.kind == R.CAPTION]
    if len(placements) == 1 and (headings or captions):
        return f"only the {placements[0].kind} {_quote(placements[0].tag.text)}"
    if headings:
        parts.append("a heading" if len(headings) == 1 else f"{len(headings)} headings")
    if lines:
        parts.append("one line" if lines == 1 else f"{lines} lines")
    body = foot = 0
    for p in placements:
        if p.kind == R.TABLE and p.rows and p.tag.table:
            n_body = p.tag.table[1]
            body += max(0, min(p.rows[1], n_body) - p.rows[0])
            foot += max(0, p.rows[1] - max(p.rows[0], n_body))
    if body:
        parts.append("one table row" if body == 1 else f"{body} table rows")
    if foot:
        parts.append("the totals")
    figures = sum(1 for p in placements if p.kind in (R.FIGURE, R.IMAGE))
    if figures:
        parts.append("a chart" if figures == 1 else f"{figures} charts")
    if not parts:
        parts.append(", ".join(sorted({p.kind or "other content" for p in placements})))
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)


def kept_apart(record: R.LayoutRecord) -> list[Fault]:
    faults = []
    placements = record.placements
    for p, q in zip(placements, placements[1:]):
        if q.page == p.page or p.tag is None:
            continue
        if p.kind in R.KEPT_WITH_NEXT:
            what = "lead-in" if p.kind == R.LEAD_IN else p.kind
            faults.append(Fault(p.page, f"the {what} {_quote(p.tag.text)} is alone at the foot of the page; "
                                        f"what it introduces starts on page {q.page}", "alone at the foot"))
        elif p.kind == R.FIGURE and q.kind == R.FIGURE_CAPTION and q.tag.block == p.tag.block:
            faults.append(Fault(p.page, f"the chart {_quote(q.tag.text)} is on this page and its caption "
                                        f"on page {q.page}", "alone at the foot"))
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
                faults.append(Fault(p.page, f"the totals of {name} stand alone on the page", "totals alone"))
            elif (k == 0 or k == len(parts) - 1) and body < MIN_ROWS:
                rows = "one body row" if body == 1 else f"{body} body rows"
                faults.append(Fault(p.page, f"{name} is cut with {rows} on this page (at least {MIN_ROWS} on "
                                            "each side of a cut)", "table cut"))
    return faults


def _table_name(tag: R.Tag) -> str:
    number = tag.table[0] if tag.table else None
    return f"Tableau {number}" if number is not None else f"the table {_quote(tag.text)}"


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
        faults.append(Fault(p.page, f"the text {_quote(tag.text)} says {_quote(target.tag.text)} is below, "
                                    f"but it is on page {target.page}, after other text", "not below"))
    return faults
