"""The flowables the PDF story is made of, and the canvas of a layout-only pass.

A report with a table of contents is laid out more than once (see
:mod:`.pdf_document`): the passes that only find page numbers run on a
:class:`DryCanvas`, which is thrown away, and the flowables here draw nothing
on it. Paragraphs keep their lines from one layout to the next.
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Image as RLImage, Paragraph as RLParagraph, Table as RLTable

from . import reportlab_adapter as rl


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


class Para(DryDraw, RLParagraph):
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
        pieces = super().split(availWidth, availHeight)
        tag = getattr(self, "rapact_tag", None)
        if tag is not None:  # each piece stands for the same block (see pdf_record)
            for piece in pieces:
                piece.rapact_tag = tag
        return pieces


class HeadingPara(Para):
    """A heading paragraph that the document template bookmarks and lists in the TOC."""

    def __init__(self, markup, style, *, key, level, text, in_toc):
        super().__init__(markup, style)
        self.outline = (key, level, text, in_toc)

    def split(self, availWidth, availHeight):  # a heading never splits: it moves
        return []


class DryImage(DryDraw, RLImage):
    pass


class DryTable(DryDraw, RLTable):
    pass


class TaggedTable(RLTable):
    """A reportlab Table whose pieces, when it splits, stand for the same block (see pdf_record)."""

    def split(self, availWidth, availHeight):
        pieces = super().split(availWidth, availHeight)
        tag = getattr(self, "rapact_tag", None)
        if tag is not None:
            for piece in pieces:
                piece.rapact_tag = tag
        return pieces
