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


def nearly_empty_pages(record: R.LayoutRecord) -> list[Fault]:
    by_page: dict[int, list[R.Placement]] = {n: [] for n in record.pages}
    for p in record.placements:
        by_page.setdefault(p.page, []).append(p)
    pages = sorted(by_page)
    faults = []
    for i, page in enumerate(pages):
        here = by_page[page]
        if here and all(p.kind == R.COVER for p in here):
            continue
        if not here:
            faults.append(Fault(page, "the page is empty", "nearly empty"))
            continue
        top, area = here[0].area_top, here[0].area_height
        used = max(0.0, top - min(p.bottom for p in here))
        share = used / area if area else 1.0
        chapter = _chapter_of_page(here)
        later = [_chapter_of_page(by_page[n]) for n in pages[i + 1:] if by_page[n]]
        last_of_chapter = not later or later[0] != chapter
        limit = MIN_LAST_FILL if last_of_chapter else MIN_FILL
        if share < limit - 1e-9:
            faults.append(Fault(page, f"the page holds {round(100 * share)} % of its text area "
                                      f"({describe(here)})", "nearly empty"))
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
        if i + 1 < len(placements) and placements[i + 1].tag is not None and placements[i + 1].tag.block == tag.block:
            continue  # the paragraph goes on: judge its last piece
        nxt = placements[i + 1] if i + 1 < len(placements) else None
        if nxt is not None and nxt.tag is not None and nxt.tag.block == tag.refers_to:
            continue
        target = first_of.get(tag.refers_to)
        where = f"it is on page {target.page}" if target is not None else "it is not in the document"
        if target is not None and target.page == p.page:
            where = "other content comes between them"
        label = target.tag.text if target is not None else ""
        what = _quote(label) if label else "the table or chart"
        faults.append(Fault(p.page, f"the text {_quote(tag.text)} says {what} is below, but {where}",
                            "not below"))
    return faults
