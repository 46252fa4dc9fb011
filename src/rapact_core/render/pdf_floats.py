"""Landscape tables float, as LaTeX floats do.

A landscape table met in the middle of a portrait page does not end that
page: the portrait text after it fills the page first, and the table goes on
the next page(s), turned to landscape; then the portrait text goes on. The
story holds the table as a :class:`Float` (its caption, rows, and the
lead-in or headings it carries); :class:`FloatingPages`, a mixin of the
document template, keeps floats aside until the page ends, then lays them
out on landscape pages followed by an :class:`EndFloats`, which turns the
pages back to portrait.

Floats keep their order. They wait no further than a :class:`FloatBarrier`
(put before each portrait table, so table numbers read in order on the
pages, and at the end of the story) and a chapter's first page. A float
carrying a heading (a section that starts with its landscape table) or met
at the top of an empty page is placed at once.
"""

from __future__ import annotations

from reportlab.platypus import Flowable
from reportlab.platypus.doctemplate import NextPageTemplate
from reportlab.platypus.flowables import PageBreak

PORTRAIT, LANDSCAPE = "portrait", "landscape"


class Marker(Flowable):
    """A story entry the document template acts on; never laid out."""

    locChanger = 1  # never kept together with a flowable around it

    def wrap(self, availWidth, availHeight):  # pragma: no cover - taken before any frame
        raise AssertionError(f"{type(self).__name__} reached a frame")

    def draw(self):  # pragma: no cover
        pass


class Float(Marker):
    """A landscape table and what goes with it: ``content``, laid out as is
    on landscape pages. ``immediate``: it carries a heading, so it cannot wait."""

    def __init__(self, content: list, immediate: bool = False):
        super().__init__()
        self.content, self.immediate = content, immediate


class FloatBarrier(Marker):
    """Floats waiting for the page to end are placed before what follows."""


class EndFloats(Marker):
    """After floats: back to portrait pages."""


class FloatingPages:
    """Mixin of the document template: places :class:`Float` entries (see the module's docstring).

    ``self.main`` is the story being laid out, ``self.pending`` the floats
    waiting for the current page to end.
    """

    main: list | None = None
    pending: list | None = None

    def build(self, flowables, *args, **kw):
        self.main, self.pending = flowables, []
        return super().build(flowables, *args, **kw)

    @property
    def landscape(self) -> bool:
        return self.pageTemplate.id == LANDSCAPE

    def handle_flowable(self, flowables):
        if flowables is not self.main or not flowables or not isinstance(flowables[0], Marker):
            return super().handle_flowable(flowables)
        marker = flowables.pop(0)
        if isinstance(marker, Float):
            if self.landscape:
                flowables[0:0] = marker.content + [EndFloats()]
            else:
                self.pending.append(marker)
                if marker.immediate:
                    self.place_pending()
        elif isinstance(marker, FloatBarrier):
            if self.pending:
                self.place_pending()
        elif isinstance(marker, EndFloats):
            if not (flowables and isinstance(flowables[0], Float)):  # the next float joins these pages
                self.handle_nextPageTemplate(PORTRAIT)
                self.handle_pageBreak()

    def place_pending(self) -> None:
        """End the page now; the floats waiting go on the next pages."""
        content = [f for flt in self.pending for f in flt.content]
        self.pending = []
        self.main[0:0] = [NextPageTemplate(LANDSCAPE), PageBreak()] + content + [EndFloats()]

    def handle_pageBegin(self):
        main = self.main
        if main is not None:
            if main and isinstance(main[0], Float):  # a float at the top of a page: no need to wait
                self.pending.append(main.pop(0))
            if self.pending:
                content = [f for flt in self.pending for f in flt.content]
                self.pending = []
                main[0:0] = content + [EndFloats()]
                self.pageTemplate = self.template(LANDSCAPE)
            elif main and isinstance(main[0], EndFloats) and not (len(main) > 1 and isinstance(main[1], Float)):
                main.pop(0)
                self.pageTemplate = self.template(PORTRAIT)
        return super().handle_pageBegin()

    def template(self, name: str):
        return next(t for t in self.pageTemplates if t.id == name)
