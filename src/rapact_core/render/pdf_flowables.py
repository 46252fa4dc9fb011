"""The flowables the PDF story is made of, and the canvas of a layout-only pass.

A report with a table of contents is laid out more than once (see
:mod:`.pdf_document`): the passes that only find page numbers run on a
:class:`DryCanvas`, which is thrown away, and the flowables here draw nothing
on it. Paragraphs keep their lines from one layout to the next. On the drawn
pass, each marks what it draws as the content of its structure element
(``tag``, see :mod:`.pdf_tags`). Apart from that, a flowable may carry what it
stands for in the layout record (``rapact_tag``, see :mod:`.pdf_record`); the
pieces it splits into carry both.
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Image as RLImage, Paragraph as RLParagraph, Table as RLTable
from reportlab.platypus.doctemplate import ActionFlowable

from . import reportlab_adapter as rl
from .pdf_marking import Tagged, placed
from .pdf_tags import Element, ListTag, marks_of


class DryCanvas(Canvas):
    """The canvas of a layout-only pass: never saved, nothing needs drawing on it."""

    rapact_dry = True


def is_dry(canvas) -> bool:
    """True during a layout-only pass."""
    return getattr(canvas, "rapact_dry", False)


class DryDraw:
    """Mixin: draws nothing in a layout-only pass."""

    def drawOn(self, canvas, x, y, _sW=0):
        if is_dry(canvas):
            return
        super().drawOn(canvas, x, y, _sW)


class Para(Tagged, DryDraw, RLParagraph):
    """A Paragraph that remembers its lines for the width it was last wrapped to.

    Its lines depend on the width only, and one paragraph is wrapped several
    times per pass (kept with the next, split, added) and again on each pass.
    Its split halves are Para too (reportlab splits with ``self.__class__``).
    """

    wrapped_lines = None  # (width, its lines, height) of the last wrap

    def wrap(self, availWidth, availHeight):
        done = self.wrapped_lines
        if done is not None and done[0] == availWidth:
            _, lines, self.height = done
            self.width = availWidth
            rl.restore_paragraph_lines(self, lines)
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        if availWidth >= 1:  # reportlab's "cannot fit" answer is not lines
            self.wrapped_lines = (availWidth, rl.paragraph_lines(self), self.height)
        return size

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        record = getattr(self, "rapact_tag", None)
        for part in parts:  # both halves are content of the same element, and the same block
            part.tag = self.tag
            if record is not None:  # (see pdf_record)
                part.rapact_tag = record
        return parts


class ListPara(Para):
    """A list item's paragraph: its bullet is marked as the ``Lbl``, its text as the
    ``LBody`` (``tag`` is a :class:`.pdf_tags.ListTag`).

    reportlab draws the bullet as a text object of its own, before the text:
    the mark switches once that text object is drawn.
    """

    def drawOn(self, canvas, x, y, _sW=0):
        marks = marks_of(canvas)
        tag = self.tag
        if marks is None or not isinstance(tag, ListTag):
            return super().drawOn(canvas, x, y, _sW)
        bullet = bool(self.bulletText)
        if not marks.begin(canvas, tag.lbl if bullet else tag.lbody):
            return super(Tagged, self).drawOn(canvas, x, y, _sW)
        if bullet:
            def to_body():
                marks.end(canvas)
                marks.begin(canvas, tag.lbody)

            canvas.rapact_after_text = to_body
        super(Tagged, self).drawOn(canvas, x, y, _sW)
        canvas.rapact_after_text = None
        if marks.open is not None:
            marks.end(canvas)


class HeadingPara(Para):
    """A heading paragraph that the document template bookmarks and lists in the TOC."""

    def __init__(self, markup, style, *, key, level, text, in_toc):
        super().__init__(markup, style)
        self.outline = (key, level, text, in_toc)

    def split(self, availWidth, availHeight):  # a heading never splits: it moves
        return []


class DryImage(Tagged, DryDraw, RLImage):
    pass


class FigureWrap(Flowable):
    """A plugin's flowable, marked as content of a ``Figure`` (its alt text the plugin's).

    Layout is the wrapped flowable's own: size, split (each part wrapped
    again), spacing, keep-with-next.
    """

    def __init__(self, inner: Flowable, element: Element):
        super().__init__()
        self.inner, self.tag = inner, element

    def wrap(self, availWidth, availHeight):
        self.width, self.height = self.inner.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        return [wrap_figure(part, self.tag) for part in self.inner.splitOn(self.canv, availWidth, availHeight)]

    def getSpaceBefore(self):
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self):
        return self.inner.getSpaceAfter()

    def getKeepWithNext(self):
        return self.inner.getKeepWithNext()

    def identity(self, maxLen=None):
        return self.inner.identity(maxLen)

    def drawOn(self, canvas, x, y, _sW=0):
        marks = marks_of(canvas)
        opened = False
        if marks is not None:
            opened = marks.begin(canvas, self.tag, placed(self.inner, x, y, _sW, self.width, self.height))
        self.inner.drawOn(canvas, x, y, _sW)
        if opened:
            marks.end(canvas)


def wrap_figure(flowable, element: Element):
    """``flowable`` marked as content of ``element``; page and frame actions stay as they are."""
    if isinstance(flowable, ActionFlowable) or getattr(flowable, "isIndexing", lambda: 0)():
        return flowable
    return FigureWrap(flowable, element)


class DryTable(DryDraw, RLTable):
    pass


class RecordedTable(RLTable):
    """A reportlab Table whose pieces, when it splits, stand for the same block (see pdf_record)."""

    def split(self, availWidth, availHeight):
        pieces = super().split(availWidth, availHeight)
        tag = getattr(self, "rapact_tag", None)
        if tag is not None:
            for piece in pieces:
                piece.rapact_tag = tag
        return pieces
