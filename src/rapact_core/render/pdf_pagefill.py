"""A chapter must not end with a line or two alone on a page.

No rule applied while laying out sees it coming: the page before is full and
the chapter's last lines spill over. A typesetter ends the page before a
little higher, so that the last page holds a few lines more. This needs the
layout first, so it runs between passes, as the table of contents does:
:class:`PageFill` is an indexing flowable that reads each pass's
:class:`.pdf_record.LayoutRecord`. For each chapter whose last page holds
less than :data:`.layout_check.MIN_LAST_FILL`, it shortens the text area of
the page its text flows from (:attr:`PageFill.shorten`, applied by the
document template) by the room the last page lacks to hold
:data:`TARGET_LAST_FILL`, and asks for another pass. Chapters start on a
page of their own, so the fixes of different chapters do not meet: they are
all tried in the same pass, and a fix that does not lower its chapter's
faults is undone.
"""

from __future__ import annotations

from .layout_check import MIN_FILL, check_layout, page_fills
from .pdf_floats import Marker

#: how full the last page of a chapter is made when it was too short
TARGET_LAST_FILL = 0.18
#: chapters fixed per document at most
MAX_FIXES = 8


class PageFill(Marker):
    """The story's fixer of short chapter endings (see the module's docstring)."""

    def __init__(self):
        super().__init__()
        #: page number -> points its text area ends higher
        self.shorten: dict[int, float] = {}
        self.record = None  # set by the document template: the record of the pass
        self.drawn = False  # set by the document template: whether this pass is drawn
        self.changed = False
        self.tried: set = set()  # chapters
        self.trials: dict = {}  # chapter -> (page shortened, the chapter's faults before)

    def isIndexing(self):
        return 1

    def beforeBuild(self):
        pass

    def notify(self, kind, stuff):  # the TOC's entries: not ours
        pass

    def afterBuild(self):
        self.changed = False
        if self.record is None:
            return
        fills = page_fills(self.record)
        chapter_of = {fill.page: fill.chapter for fill in fills}
        faults: dict = {}
        for fault in check_layout(self.record):
            chapter = chapter_of.get(fault.page)
            faults[chapter] = faults.get(chapter, 0) + 1
        for chapter, (page, before) in self.trials.items():
            if faults.get(chapter, 0) >= before:  # no better: undo it
                del self.shorten[page]
                self.changed = True
        self.trials = {}
        for chapter, page, points in next_fixes(fills, self.tried):
            if len(self.tried) >= MAX_FIXES:
                break
            self.tried.add(chapter)
            self.shorten[page] = points
            self.trials[chapter] = (page, faults.get(chapter, 0))
            self.changed = True

    def isSatisfied(self):
        return self.drawn and not self.changed

    @property
    def settled(self) -> bool:
        return not self.changed


def next_fixes(fills, tried: set) -> list[tuple]:
    """(chapter, page to end higher, by how many points) for each chapter ending too short.

    The page to end higher is the one the last page's text flows from: the
    page before, or the page before the landscape tables floated between them.
    """
    out = []
    for i, last in enumerate(fills):
        if not (last.last_of_chapter and last.placements and not last.cover and last.share < last.limit - 1e-9):
            continue
        if last.chapter in tried or last.chapter is None:
            continue
        landscape = last.placements[0].landscape
        before = next((f for f in reversed(fills[:i])
                       if f.placements and f.placements[0].landscape == landscape), None)
        if before is None or before.cover or before.chapter != last.chapter:
            continue
        lack = TARGET_LAST_FILL - last.share
        if before.share - lack < MIN_FILL:
            continue
        out.append((last.chapter, before.page, lack * before.placements[0].area_height))
    return out
