"""The PDF document: page templates and furniture, outline, table of contents, passes.

:func:`write_story` lays a story out and writes the file. A report with a
table of contents is laid out more than once, with reportlab's ``multiBuild``:

* the TOC starts with its entries, their pages unknown
  (:meth:`ContentsTable.prefill`), so its size is right from the first pass;
* a pass runs on a :class:`.pdf_flowables.DryCanvas` (layout only: nothing is
  drawn, not the tables, the bulk of the work, nor paragraphs and images)
  until the TOC lists the same headings twice in a row: from then on only
  page numbers may change, and they do not change its size; and until no
  chapter ends with a line or two alone (:mod:`.pdf_pagefill`, which ends a
  page higher and checks the result on the next pass);
* the next pass is drawn for real. A report takes two to three passes: one
  or two layout-only, one drawn.

Each pass records where every flowable landed (:attr:`DocTemplate.record`,
see :mod:`.pdf_record`), for the page fill and for ``rapact check --layout``.

Level-1 headings are bookmarked in the PDF outline; pages carry the
organisation and reference on top and the page number below, marked as
pagination artifacts. The drawn pass runs on a :class:`.pdf_marking.TaggedCanvas`,
which marks the content and writes the structure tree (see :mod:`.pdf_tags`).
"""

from __future__ import annotations

from ast import literal_eval
from xml.sax.saxutils import unescape

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer, TableStyle
from reportlab.platypus.doctemplate import ActionFlowable, BaseDocTemplate, PageTemplate
from reportlab.platypus.flowables import PageBreak
from reportlab.platypus.frames import Frame
from reportlab.platypus.tableofcontents import TableOfContents as RLTableOfContents, drawPageNumbers

from .. import model as m
from ..errors import RapactError
from . import fonts
from . import pdf_styles as S
from . import reportlab_adapter as rl
from .pdf_floats import FloatingPages
from .pdf_flowables import DryCanvas, Para, RecordedTable, is_dry
from .pdf_keep import KeepWithNext
from .pdf_marking import TableCallback, TaggedCanvas
from .pdf_pagefill import MAX_FIXES, PageFill
from .pdf_record import LayoutRecord, Placement, tag_of
from .pdf_tags import Element, Marks, TocEntry, marks_of
from .pdf_text import esc

# reportlab's TOC table style, plus a font: a Table sets its cells' font even
# when they hold only Paragraphs, and the default would pull in Helvetica
TOC_TABLE_STYLE = TableStyle([
    ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
])


class ContentsTable(RLTableOfContents):
    """reportlab's TableOfContents, keeping only the entries down to ``depth``.

    It keeps its entries itself, through the indexing protocol
    (``beforeBuild``, ``addEntry``, ``isSatisfied``), and draws them as
    reportlab's does: a table of paragraphs, the page number at the end of
    each, the entries' paragraphs made once for the same entries and width
    instead of on every wrap (several per pass).
    """

    def __init__(self, depth: int, element: Element | None = None, **kw):
        super().__init__(**kw)
        self.depth = depth
        #: the TOC structure element: each entry drawn is a TOCI holding a Link
        self.element = element
        #: (level, markup, page, key) notified in this pass, and in the pass before
        self.entries: list[tuple] = []
        self.previous: list[tuple] = []
        #: whether the last two passes listed the same headings, pages aside
        self.settled = False
        #: whether this pass is drawn (set by the DocTemplate)
        self.drawn = False
        self.table = None
        self.cached_rows = None  # ((width, entries), the table's rows)

    def prefill(self, entries) -> None:
        """Start from the headings the story holds, their pages still unknown.

        reportlab's TOC is empty on the first pass, so its real size is only
        known on the second, and the page numbers on the third. Given its
        entries up front, one layout-only pass finds the page numbers and the
        next pass, drawn, is already right.
        """
        self.entries = []
        for level, text, key in entries:
            self.addEntry(level, text, 0, key)

    def beforeBuild(self):
        self.settled = _headings(self.entries) == _headings(self.previous)
        self.previous, self.entries = self.entries, []

    def clearEntries(self):
        self.entries = []

    def addEntry(self, level, text, pageNum, key=None):
        if level < self.depth:
            self.entries.append((level, text, pageNum, key))

    def isSatisfied(self):
        return self.drawn and self.entries == self.previous

    def wrap(self, availWidth, availHeight):
        # reportlab's wrap: this pass draws the entries of the pass before
        entries = self.previous or [(0, "Placeholder for table of contents", 0, None)]

        def drawTOCEntryEnd(canvas, kind, label):
            page, level, key = label.split(",")
            page, level, key = int(page), int(level), literal_eval(key)
            style = self.getLevelStyle(level)
            dot = " . " if 0 <= self.dotsMinLevel <= level else ""
            if self.formatter:
                page = self.formatter(page)
            drawPageNumbers(canvas, style, [(page, key)], availWidth, availHeight, dot)
            # the page number is drawn before the entry's text (a Paragraph draws its
            # text last): the entry's mark was opened as read last (see Marks.begin)
            marks = marks_of(canvas)
            link = marks.open if marks is not None else None
            if isinstance(link, Element) and link.role == "Link":
                marks.end(canvas)
                marks.begin(canvas, link)

        self.canv.setNamedCB("drawTOCEntryEnd", drawTOCEntryEnd)
        cache_key = (availWidth, tuple(entries))
        if self.cached_rows is None or self.cached_rows[0] != cache_key:
            rows = []
            for level, text, page, key in entries:
                style = self.getLevelStyle(level)
                if key:
                    text = f'<a href="#{key}">{text}</a>'
                    key_val = repr(key).replace(",", "\\x2c").replace('"', "\\x2c")
                else:
                    key_val = None
                para = Para(f'{text}<onDraw name="drawTOCEntryEnd" label="{page},{level},{key_val}"/>', style)
                if self.element is not None:
                    para.tag = TocEntry(self.element, unescape(text_of(text)))
                if style.spaceBefore:
                    rows.append([Spacer(1, style.spaceBefore)])
                rows.append([para])
            self.cached_rows = (cache_key, rows)
        self.table = RecordedTable(self.cached_rows[1], colWidths=(availWidth,), style=self.tableStyle,
                                   renderCB=TableCallback())
        if tag_of(self) is not None:
            self.table.rapact_tag = tag_of(self)
        self.width, self.height = self.table.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        return self.table.splitOn(self.canv, availWidth, availHeight)

    def drawOn(self, canvas, x, y, _sW=0):
        if not is_dry(canvas):
            self.table.drawOn(canvas, x, y, _sW)


def _headings(entries) -> list[tuple]:
    return [(level, text, key) for level, text, _, key in entries]


def text_of(markup: str) -> str:
    """The text of an entry's markup: its link tag taken off."""
    if markup.startswith("<a href=") and markup.endswith("</a>"):
        return markup[markup.index(">") + 1:-4]
    return markup


class DocTemplate(FloatingPages, BaseDocTemplate):
    """The page templates (cover, portrait, landscape), their furniture, the outline.

    Headings, captions and lead-ins keep with the start of what follows
    (:mod:`.pdf_keep`), landscape tables float (:mod:`.pdf_floats`), and
    each pass records where every flowable landed (:attr:`record`).
    """

    def __init__(self, filename, meta: m.Meta, structure: Element | None = None, **kw):
        self.meta = meta
        #: the root of the structure tree the renderer made (None: an untagged PDF)
        self.structure = structure
        #: where everything landed in the last pass (see pdf_record)
        self.record = LayoutRecord()
        super().__init__(filename, keepTogetherClass=KeepWithNext, **kw)
        fw, fh = S.frame_size(S.PORTRAIT)
        lw, lh = S.frame_size(S.LANDSCAPE)
        pad = dict(leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover_top = Frame(S.LEFT_MARGIN, S.BOTTOM_MARGIN + S.COVER_BOTTOM_BAND, fw,
                          fh - S.COVER_BOTTOM_BAND, id="cover-main", **pad)
        cover_bottom = Frame(S.LEFT_MARGIN, S.BOTTOM_MARGIN, fw, S.COVER_BOTTOM_BAND,
                             id="cover-signatories", **pad)
        self.addPageTemplates([
            PageTemplate("cover", [cover_top, cover_bottom], onPage=self.on_cover,
                         pagesize=S.PORTRAIT),
            PageTemplate("portrait", [Frame(S.LEFT_MARGIN, S.BOTTOM_MARGIN, fw, fh,
                                            id="portrait", **pad)],
                         onPage=self.on_page, pagesize=S.PORTRAIT),
            PageTemplate("landscape", [Frame(S.LEFT_MARGIN, S.BOTTOM_MARGIN, lw, lh,
                                             id="landscape", **pad)],
                         onPage=self.on_page, pagesize=S.LANDSCAPE),
        ])
        self.contents: list[ContentsTable] = []
        self.page_fill = PageFill()
        self.frame_bottoms: dict[int, float] = {}  # id(frame) -> the bottom of its text area
        self.cursor = 0.0  # the frame's cursor after the last flowable recorded
        self.passes = 0
        self.max_passes = 10
        self.outline_depth = -1  # of the last outline entry
        #: layout only: every pass, the last one too, on a DryCanvas (nothing drawn), for a layout record alone
        self.dry = False

    def build_story(self, story: list, max_passes: int = 10) -> int:
        """Lay out and save the story (see the module's docstring); return the number of passes."""
        self.contents = [f for f in story if isinstance(f, ContentsTable)]
        self.page_fill = PageFill()
        self.passes, self.max_passes = 0, max_passes + 2 * MAX_FIXES
        # the passes are counted by make_canvas, which stops first with a clear message
        return self.multiBuild([self.page_fill] + story, maxPasses=self.max_passes + 1,
                               canvasmaker=self.make_canvas)

    def make_canvas(self, *args, **kw) -> Canvas:
        """The canvas of the next pass: a DryCanvas until the TOC's headings and the pages settle."""
        self.passes += 1
        if self.passes > self.max_passes:
            raise RapactError(f"PDF: the table of contents did not settle after {self.max_passes} passes")
        drawn = all(toc.settled for toc in self.contents) and self.page_fill.settled
        for toc in self.contents:
            toc.drawn = drawn
        self.page_fill.drawn = drawn
        if not drawn or self.dry:
            return DryCanvas(*args, **kw)
        if self.structure is None:
            return Canvas(*args, **kw)
        canv = TaggedCanvas(*args, **kw)
        canv.rapact_marks = Marks(self.structure, self.meta, self.lang)
        return canv

    # -- page furniture: pagination artifacts
    def on_cover(self, canv, doc):
        marks = marks_of(canv)
        opened = marks is not None and marks.begin_pagination(canv)
        w, h = doc.pageTemplate.pagesize
        canv.saveState()
        canv.setFillColor(S.ACCENT)
        canv.rect(0, h - 0.9 * S.TOP_MARGIN, w, 0.35 * S.TOP_MARGIN, stroke=0, fill=1)
        canv.restoreState()
        if opened:
            marks.end(canv)

    def on_page(self, canv, doc):
        marks = marks_of(canv)
        opened = marks is not None and marks.begin_pagination(canv)
        w, h = doc.pageTemplate.pagesize
        canv.saveState()
        canv.setFillColor(S.GREY)
        canv.setStrokeColor(S.LIGHT_GREY)
        canv.setLineWidth(0.4)
        top = h - S.TOP_MARGIN + S.HEADER_OFFSET
        canv.setFont(fonts.REGULAR, S.HEADER_FONT_SIZE)
        if self.meta.reference:
            canv.drawRightString(w - S.RIGHT_MARGIN, top, self.meta.reference)
        if self.meta.organisation:
            canv.drawString(S.LEFT_MARGIN, top, self.meta.organisation)
        canv.line(S.LEFT_MARGIN, top - 4, w - S.RIGHT_MARGIN, top - 4)
        canv.setFont(fonts.REGULAR, S.FOOTER_FONT_SIZE)
        canv.drawCentredString(w / 2, S.BOTTOM_MARGIN - S.FOOTER_OFFSET, f"- {doc.page} -")
        canv.restoreState()
        if opened:
            marks.end(canv)

    # -- where everything landed
    def beforePage(self):
        frame = self.pageTemplate.frames[0]
        bottom, top = rl.frame_bounds(frame)
        bottom = self.frame_bottoms.setdefault(id(frame), bottom)  # as built, not as last shortened
        self.record.pages[self.page] = (self.pageTemplate.id == "landscape", top, top - bottom)
        self.cursor = top
        # a page ended higher so that its chapter's last page holds more (see pdf_pagefill)
        rl.set_frame_bottom(frame, bottom + self.page_fill.shorten.get(self.page, 0.0))

    def note_placement(self, flowable) -> None:
        if isinstance(flowable, (ActionFlowable, PageBreak)) or not isinstance(flowable, Flowable):
            return
        cursor = rl.frame_cursor(self.frame)
        before, self.cursor = self.cursor, cursor
        tag = tag_of(flowable)
        if cursor >= before and tag is None:  # took no room (a Spacer at the top of a frame)
            return
        bottom = cursor + flowable.getSpaceAfter()
        height = getattr(flowable, "height", None)
        top = bottom + height if height else before
        landscape, area_top, area = self.record.pages[self.page]
        rows = (flowable.start, flowable.end) if hasattr(flowable, "spec") else None
        lines = len(getattr(getattr(flowable, "blPara", None), "lines", ()) or ())
        self.record.add(Placement(self.page, top, bottom, tag, landscape, area_top, area, rows, lines))

    # -- outline and table of contents
    def beforeDocument(self):
        self.outline_depth = -1
        self.record = self.page_fill.record = LayoutRecord()
        self.canv.showOutline()

    def afterFlowable(self, flowable):
        self.note_placement(flowable)
        info = getattr(flowable, "outline", None)
        if info is None:
            return
        key, level, text, in_toc = info
        canv = self.canv
        canv.bookmarkPage(key)
        # the PDF outline cannot skip levels (1 then 3): clamp to one deeper
        depth = max(0, min(level - 1, self.outline_depth + 1))
        self.outline_depth = depth
        canv.addOutlineEntry(text, key, depth, closed=depth >= 1)
        if in_toc:
            self.notify("TOCEntry", (level - 1, esc(text), self.page, key))


def write_story(story: list, target, meta: m.Meta, *, lang: str, toc_entries,
                structure: Element | None = None, dry: bool = False) -> LayoutRecord:
    """Lay ``story`` out into the PDF file ``target``; return where everything landed.

    ``toc_entries``: (level - 1, markup, key) of the headings the TOC lists,
    in story order. ``structure``: the root of the structure tree, whose
    elements the story's flowables are tagged with; the PDF is then tagged
    (PDF/UA). The same story gives the same bytes. ``dry``: lay out only; the
    last pass, which would be drawn, runs on a DryCanvas too (``target`` may be
    a BytesIO), and places everything where the drawn pass would.
    """
    for flowable in story:
        if isinstance(flowable, ContentsTable):
            flowable.prefill(toc_entries)
    saved = rl_config.invariant, rl_config.useA85
    rl_config.invariant = 1  # byte-identical output for the same model
    rl_config.useA85 = 0  # binary streams: smaller and faster than ASCII85
    try:
        template = DocTemplate(
            target if hasattr(target, "write") else str(target), meta, structure,
            pagesize=S.PORTRAIT,
            leftMargin=S.LEFT_MARGIN, rightMargin=S.RIGHT_MARGIN,
            topMargin=S.TOP_MARGIN, bottomMargin=S.BOTTOM_MARGIN,
            title=meta.title, author=meta.organisation, subject=meta.subject or None,
            creator="rapact", lang=lang, invariant=1, displayDocTitle=1,
            initialFontName=fonts.REGULAR, initialFontSize=10, initialLeading=12,
        )
        template.dry = dry
        template.build_story(story)
        return template.record
    finally:
        rl_config.invariant, rl_config.useA85 = saved
