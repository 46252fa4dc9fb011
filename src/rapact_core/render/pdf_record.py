"""Where everything landed in the PDF: one placement per flowable laid out.

The renderer tags each flowable it puts in the story with a :class:`Tag`
(what kind of block it is, its chapter, the model block it comes from); the
document template (:mod:`.pdf_document`) notes, for every flowable a frame
accepts, its page, its top and bottom, and the page's text area. The
:class:`LayoutRecord` of a pass is what the pagination rules look at between
passes and what ``rapact check --layout`` (:mod:`.layout_check`) reports on.
"""

from __future__ import annotations

from attrs import define, field, frozen

#: kinds of tagged flowables
HEADING, CAPTION, LEAD_IN, PARAGRAPH, LIST_ITEM, TABLE, FIGURE, FIGURE_CAPTION, IMAGE, TOC, COVER = (
    "heading", "caption", "lead-in", "paragraph", "list item", "table", "figure", "figure caption", "image",
    "table of contents", "cover")
#: what keeps with the block after it
KEPT_WITH_NEXT = (HEADING, CAPTION, LEAD_IN)


@frozen
class Tag:
    """What a flowable of the story stands for.

    ``block`` numbers the model blocks in reading order (the pieces of a
    split paragraph or table share it); ``chapter`` is the chapter's index,
    ``None`` on the cover. ``text`` is a short quote for messages.
    ``refers_to``: for a paragraph that announces the block below it ("le
    tableau ci-dessous", a lead-in ending with a colon), that block's
    number. ``table``: a table's number, its body and total row counts.
    """

    kind: str
    chapter: int | None
    block: int
    text: str = ""
    refers_to: int | None = None
    says_below: bool = False
    table: tuple[int | None, int, int] | None = None  # (number, body rows, all rows)


def tag(flowable, value: Tag):
    """``flowable`` carrying ``value``; the pieces it splits into carry it too."""
    flowable.rapact_tag = value
    return flowable


def tag_of(flowable) -> Tag | None:
    return getattr(flowable, "rapact_tag", None)


@frozen
class Placement:
    """One flowable on a page: its top and bottom in points from the page's bottom edge.

    ``area_top`` and ``area_height`` are the page's text frame; ``rows``:
    the table rows ``[start, end)`` a table piece holds; ``lines``: the
    lines of a paragraph piece.
    """

    page: int
    top: float
    bottom: float
    tag: Tag | None
    landscape: bool
    area_top: float
    area_height: float
    rows: tuple[int, int] | None = None
    lines: int = 0

    @property
    def kind(self) -> str:
        return self.tag.kind if self.tag else ""


@define
class LayoutRecord:
    """The placements of one layout pass, in the order they were laid out."""

    placements: list[Placement] = field(factory=list)
    #: page number -> (landscape, text area top, text area height), for every page begun
    pages: dict[int, tuple[bool, float, float]] = field(factory=dict)

    def add(self, placement: Placement) -> None:
        self.placements.append(placement)

    def on_page(self, page: int) -> list[Placement]:
        return [p for p in self.placements if p.page == page]

    @property
    def page_count(self) -> int:
        return max(self.pages, default=0)
