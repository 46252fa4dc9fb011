"""Keep-with-next: a heading, a caption or a lead-in stays with the start of what follows.

reportlab groups the flowables marked ``keepWithNext`` with the one after
them into its document template's ``keepTogetherClass``. Its own
``KeepTogether`` moves the whole group to the next page when it does not
fit, so a heading above a long paragraph or a table left a page a third
empty. :class:`KeepWithNext` keeps the heads (headings, captions, lead-ins)
with the *start* of the last flowable instead: the group stays on this page
when the heads and the first piece of the last flowable fit (two lines of a
paragraph, three rows of a table: their own rules), and moves to the next
page only when they do not.

A flowable that can be cut below other flowables on a page defines
``split_below(width, height)`` (tables: :class:`.pdf_table_pages.TablePart`);
a paragraph splits as usual; anything else moves whole.
"""

from __future__ import annotations

from reportlab.platypus.doctemplate import FrameBreak
from reportlab.platypus.flowables import KeepTogether
from reportlab.platypus.paragraph import Paragraph

from . import reportlab_adapter as rl

_FUZZ = 1e-6


class KeepWithNext(KeepTogether):
    """The document template's ``keepTogetherClass`` (see the module's docstring)."""

    def __init__(self, flowables, maxHeight=None):
        self.members = list(flowables)
        super().__init__(flowables, maxHeight)

    def split(self, aW, aH):
        members, canv = self.members, self.canv
        frame = rl.frame_of(self)
        at_top = frame is None or rl.frame_at_top(frame)
        if len(members) < 2 or rl.wrap_list(members, aW, canv) <= aH + _FUZZ:
            return list(members)
        heads, last = members[:-1], members[-1]
        room = aH - rl.wrap_list(heads, aW, canv) - max(last.getSpaceBefore(), heads[-1].getSpaceAfter())
        # at the top of a page, this is all the room the group will ever have: cut
        # even where the rules would rather not (rows too tall for them)
        pieces = _cut_below(last, frame, canv, aW, room, at_top) if room > 0 else []
        if pieces:
            return heads + pieces
        if at_top:  # nowhere better to go: lay them out one by one
            return list(members)
        return [FrameBreak, KeepWithNext(members)]  # together at the top of the next page


def _cut_below(flowable, frame, canv, width: float, height: float, fresh: bool) -> list:
    """``flowable`` cut so that its first piece fits in ``height`` below other
    flowables on the page, or [] when no acceptable first piece fits.
    ``fresh``: the page is new, ``height`` is all the room there is."""
    if hasattr(flowable, "split_below"):
        flowable.canv = canv
        try:
            pieces = flowable.split_below(width, height, frame, fresh)
        finally:
            del flowable.canv
    elif isinstance(flowable, Paragraph):
        # a paragraph's own rule: at least two lines before the break (allowOrphans=0)
        pieces = rl.split_in_frame(flowable, frame, canv, width, height)
    else:
        return []
    if len(pieces) < 2:
        return []
    first = pieces[0]
    if first.wrapOn(canv, width, height)[1] > height + _FUZZ:
        return []
    return pieces
