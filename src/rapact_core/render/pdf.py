"""The PDF renderer: a visitor that turns the document model into reportlab flowables.

:class:`PdfRenderer` has one ``visit_<Node>`` method per node type of the
model (see :mod:`.visitor`): blocks append flowables to the story, inlines
return Paragraph markup. The rest of the PDF lives in modules named for
their job:

* :mod:`.pdf_text`: escaping data into Paragraph markup, breaking cell text;
* :mod:`.pdf_tables` and :mod:`.pdf_table_pages`: the linear table engine;
* :mod:`.pdf_images`: charts from cached image streams, scaled pictures;
* :mod:`.pdf_document`: page templates, outline, TOC and the layout passes;
* :mod:`.pdf_cover`: the cover page;
* :mod:`.pdf_styles`: geometry, colours and styles;
* :mod:`.pdf_tags`, :mod:`.pdf_marking` and :mod:`.pdf_structure`: the tagged PDF (PDF/UA-1);
* :mod:`.reportlab_adapter`: every private reportlab attribute we rely on.

The PDF is tagged: while it builds the story, the renderer builds the
structure tree in model order (``Document`` › ``H1``–``H6``, ``P``,
``L``/``LI``/``Lbl``/``LBody``, ``Table``, ``Figure`` with its generated
description as ``/Alt``, ``Caption``, ``TOC``…) and tags each flowable with the
element its content belongs to. A link, a cross-reference (``Ref``) among them,
is a ``Link`` element whose annotation's ``/Contents`` is its text ("Tableau 12").

Fonts are DejaVu Sans (see :mod:`.fonts`), embedded; nothing uses Helvetica.
Numbers and dates are formatted in the document's locale (``meta.locale``),
which is also the PDF's ``/Lang``. Level-1 headings start a new page (unless
already at the top of one). Pagination follows a typesetter's rules:

* headings, table captions and lead-ins (:mod:`.lead_ins`) keep with the start
  of what follows (:mod:`.pdf_keep`);
* a table cut across pages leaves at least three body rows on each side,
  never its totals alone (:mod:`.pdf_table_pages`);
* a landscape table floats to the next page while the portrait text after it
  fills the current one (:mod:`.pdf_floats`), taking its lead-in, or the
  headings just above it, along.

Every flowable also carries a :class:`.pdf_record.Tag` (its kind, chapter
and block), so each pass records where everything landed (:mod:`.pdf_record`).
The two never mix: the structure tree is in model order, whatever order
floats and keep groups lay the flowables out in, and only the drawn pass
marks content (layout-only passes draw nothing).
"""

from __future__ import annotations

from pathlib import Path

from reportlab.platypus import NextPageTemplate, PageBreak as RLPageBreak, Spacer
from reportlab.platypus.doctemplate import NotAtTopPageBreak

from .. import model as m
from ..errors import RapactError, error
from ..formatting import language_tag
from ..i18n import N_, _, quoted
from ..numbering import heading_text
from . import RenderOptions, fonts
from . import pdf_styles as S
from . import pdf_record as R
from .captions import caption_text
from .chart_text import describe_chart
from .lead_ins import is_lead_in, is_title, says_below
from .pdf_cover import cover_story
from .pdf_document import TOC_TABLE_STYLE, ContentsTable, write_story
from .pdf_floats import Float, FloatBarrier, Marker
from .pdf_flowables import HeadingPara, ListPara, Para, wrap_figure
from .pdf_images import ChartImage, scaled_image
from .pdf_record import LayoutRecord
from .pdf_table_pages import TablePart
from .pdf_tables import TableSpec, plan as table_layout
from .pdf_tags import ARTIFACT, Element, ListTag, TableElement
from .pdf_text import attr, esc, link_markup, ref_markup, text_markup
from .pictures import resolve_picture
from .visitor import UnknownNode, Visitor


class PdfRenderer(Visitor):
    """Builds the reportlab story of a document (:meth:`build`)."""

    format_name = "PDF"

    def __init__(self, doc: m.Document, options: RenderOptions | None = None, styles: S.Styles | None = None):
        self.doc = doc
        self.options = options or RenderOptions()
        self.styles = styles or S.make_styles()
        self.locale = doc.meta.locale
        self.story: list = []
        self.orientation = "portrait"  # of the block being visited
        self.chapter: int | None = None
        self.block_no = -1
        self.next_block = None
        self.next_numbered = None  # the next table or figure of this section
        self.numbers: dict[int, int] = {}  # id(block) -> its number in reading order
        self.keys = 0
        #: (level - 1, markup, key) of the headings listed in the TOC, in story order
        self.toc_entries: list[tuple[int, str, str]] = []
        #: the structure tree, in model order (see pdf_tags)
        self.root = Element("Document")
        self.heading_level = 0  # of the last heading tagged: the next may go one deeper only

    # -- the whole document
    def build(self) -> list:
        self.cover()
        self.story += [NextPageTemplate("portrait"), RLPageBreak()]
        blocks = [(c, block) for c, chapter in enumerate(self.doc.chapters) for block in chapter.blocks]
        self.numbers = {id(block): n for n, (_, block) in enumerate(blocks)}
        for n, (chapter, block) in enumerate(blocks):
            _expect(block, m.BLOCK_TYPES, "a block")
            self.chapter, self.block_no = chapter, n
            self.next_block = blocks[n + 1][1] if n + 1 < len(blocks) and blocks[n + 1][0] == chapter else None
            if self.next_numbered is block or isinstance(block, m.Heading) or (n and blocks[n - 1][0] != chapter):
                self.next_numbered = _next_numbered(blocks, n)
            self.visit(block)
        self.story.append(FloatBarrier())  # landscape tables still waiting go before the end
        return self.story

    def tagged(self, flowable, role: str, parent: Element | None = None, **kw):
        """``flowable``, tagged with a new structure element of ``role`` (under the document by default)."""
        flowable.tag = Element(role, parent or self.root, **kw)
        return flowable

    def recorded(self, flowable, kind: str, text: str = "", **kw):
        """``flowable``, carrying what it stands for in the layout record (see :class:`.pdf_record.Tag`)."""
        return R.tag(flowable, R.Tag(kind, self.chapter, self.block_no, text, **kw))

    def markup(self, content) -> str:
        """Paragraph markup for a sequence of inlines."""
        out = []
        for item in content:
            _expect(item, m.INLINE_TYPES, "an inline")
            out.append(self.visit(item))
        return "".join(out)

    def cover(self) -> None:
        cover = R.Tag(R.COVER, None, -1)
        self.story += [R.tag(f, cover) for f in cover_story(self.doc.meta, self.styles, self.options, self.root)]

    @property
    def frame_width(self) -> float:
        return S.frame_size(S.LANDSCAPE if self.orientation == "landscape" else S.PORTRAIT)[0]

    @property
    def frame_height(self) -> float:
        return S.frame_size(S.LANDSCAPE if self.orientation == "landscape" else S.PORTRAIT)[1]

    def key(self, prefix: str) -> str:
        """A name unique in the document, for a bookmark or a form."""
        self.keys += 1
        return f"{prefix}{self.keys}"

    # -- blocks: each appends its flowables to the story
    def visit_Heading(self, block: m.Heading) -> None:
        text = heading_text(block)
        level = block.level
        if level == 1:
            self.story.append(NotAtTopPageBreak())
        markup = self.markup(block.content)
        if block.number:
            markup = f"{esc(block.number)} {markup}"
        key = self.key("h")
        heading = HeadingPara(markup, self.styles.heading(level), key=key,
                              level=level, text=text, in_toc=block.in_toc)
        self.tagged(heading, self.heading_role(level), contents=link_texts(block.content))
        self.story.append(self.recorded(heading, R.HEADING, text))
        if block.in_toc:  # what afterFlowable will notify, but for the page
            self.toc_entries.append((level - 1, esc(text), key))

    def heading_role(self, level: int) -> str:
        """``H1``–``H6`` for a heading of the model's ``level``, never skipping a level."""
        self.heading_level = max(1, min(level, self.heading_level + 1, 6))
        return f"H{self.heading_level}"

    def visit_Paragraph(self, block: m.Paragraph) -> None:
        style = {
            m.ParagraphStyle.BODY: self.styles.body,
            m.ParagraphStyle.LEAD: self.styles.lead,
            m.ParagraphStyle.NOTE: self.styles.note,
            m.ParagraphStyle.QUOTE: self.styles.quote,
            m.ParagraphStyle.KEY_FIGURE: self.styles.key_figure,
        }[m.ParagraphStyle(block.style)]
        role = "BlockQuote" if m.ParagraphStyle(block.style) is m.ParagraphStyle.QUOTE else "P"
        para = self.tagged(Para(self.markup(block.content), style), role, contents=link_texts(block.content))
        text = m.plain_text(block.content).strip()
        if is_title(block):
            kind = R.HEADING
        elif is_lead_in(block, self.next_block):
            kind = R.LEAD_IN
        else:
            kind = R.PARAGRAPH
        if kind != R.PARAGRAPH and self.next_block is not None:
            para.keepWithNext = 1
        target = self.next_numbered
        self.story.append(self.recorded(para, kind, text, says_below=says_below(text),
                                        refers_to=None if target is None else self.numbers[id(target)]))

    def visit_ListBlock(self, block: m.ListBlock, depth: int = 0, out: list | None = None,
                        parent: Element | None = None) -> None:
        # Plain paragraphs with a bullet, not a ListFlowable: reportlab never keeps
        # a heading with a container flowable (keepWithNext skips them).
        # A nested list is an L inside its item's LBody.
        outer = out is None
        if outer:
            out = []
        style = self.styles.list_style(depth, block.ordered)
        element = Element("L", parent or self.root)
        for i, item in enumerate(block.items):
            if block.ordered:
                bullet = f"{block.start + i}."
            else:
                bullet = block.bullet or S.LIST_BULLETS[depth % len(S.LIST_BULLETS)]
            li = element.add("LI")
            lbl, lbody = li.add("Lbl"), li.add("LBody", contents=link_texts(item.content))
            para = ListPara(self.markup(item.content), style, bulletText=bullet)
            para.tag = ListTag(lbl, lbody)
            out.append(self.recorded(para, R.LIST_ITEM, m.plain_text(item.content)))
            if item.children is not None:
                self.visit(item.children, depth + 1, out, lbody)
        if outer:
            if out:
                out[-1].spaceAfter = max(self.styles.body.spaceAfter, 6)
            self.story.extend(out)

    def visit_Table(self, block: m.Table) -> None:
        # a portrait table whose columns' minimums cannot fit goes on a landscape page,
        # and floats there like the tables that ask for one
        layout = table_layout(block, self.locale, self.doc.meta.negative_amounts)
        self.orientation = "landscape" if layout.landscape else "portrait"
        spec = TableSpec(block, self.frame_width, self.styles, form_name=self.key("rapacttable"),
                         locale=self.locale, negatives=self.doc.meta.negative_amounts, layout=layout)
        # one Table element, however many pages the table runs over
        spec.element = TableElement(self.root, header_spans=[[c.colspan for c in row.cells] for row in block.header],
                                    n_body=spec.n_body, n_foot=spec.n_rows - spec.n_body,
                                    ncols=len(block.columns), row_spans=spec.spans)
        caption = caption_text(block)
        spec.rapact_tag = R.Tag(R.TABLE, self.chapter, self.block_no, caption or block.caption,
                                table=(block.number, spec.n_body, spec.n_rows))
        flowables = []
        if caption:
            anchor = f'<a name="{attr(ref_anchor(block.id))}"/>' if block.id else ""
            para = self.tagged(Para(anchor + esc(caption), self.styles.table_caption), "Caption", spec.element)
            flowables.append(self.recorded(para, R.CAPTION, caption))
        flowables.append(TablePart(spec, 0, spec.n_rows, header=True))
        # the headings and lead-in just above go along with the table
        start = len(self.story)
        while start and _keeps_with_next(self.story[start - 1]):
            start -= 1
        carried = self.story[start:]
        if layout.landscape:
            del self.story[start:]
            immediate = any(getattr(R.tag_of(f), "kind", "") == R.HEADING for f in carried)
            self.story.append(Float(carried + flowables, immediate))
        else:
            # floats waiting go first: tables keep their numbers' order on the pages
            self.story.insert(start, FloatBarrier())
            self.story.extend(flowables)
        self.orientation = "portrait"

    def visit_Figure(self, block: m.Figure) -> None:
        from .charts import chart_size

        iw, ih = chart_size(block.chart)
        width = max(0.05, min(1.0, block.width)) * self.frame_width
        scale = min(width / iw, 0.75 * self.frame_height / ih)
        image = ChartImage(block.chart, iw * scale, ih * scale, anchor=ref_anchor(block.id) if block.id else None)
        caption = caption_text(block)
        self.tagged(image, "Figure", alt=describe_chart(block.chart, self.locale))
        self.story.append(self.recorded(image, R.FIGURE, caption))
        if caption:
            # not a KeepTogether: keepWithNext (a heading above) skips containers
            image.keepWithNext = 1
            para = self.tagged(Para(esc(caption), self.styles.figure_caption), "Caption")
            self.story.append(self.recorded(para, R.FIGURE_CAPTION, caption))
        else:
            self.story.append(Spacer(1, 12))

    def visit_Image(self, block: m.Image) -> None:
        path = resolve_picture(block.path, self.options.report_dir, N_("picture"))
        width = max(0.05, min(1.0, block.width)) * self.frame_width
        image = scaled_image(path, width, 0.75 * self.frame_height)
        if block.alt:
            self.tagged(image, "Figure", alt=block.alt)
        else:  # no alt text: decoration, as in the HTML edition (alt="")
            image.tag = ARTIFACT
        self.story.append(self.recorded(image, R.IMAGE, block.alt))
        self.story.append(Spacer(1, 8))

    def visit_PageBreak(self, block: m.PageBreak) -> None:
        # a page break at the top of a page would leave a blank page
        self.story.append(NotAtTopPageBreak())

    def visit_TableOfContents(self, block: m.TableOfContents) -> None:
        if block.title:
            # a titled TOC starts its own page; an untitled one follows its chapter heading
            self.story.append(NotAtTopPageBreak())
            title = HeadingPara(esc(block.title), self.styles.toc_title, key=self.key("toc"), level=1,
                                text=block.title, in_toc=False)
            self.tagged(title, self.heading_role(1))
            self.story.append(self.recorded(title, R.HEADING, block.title))
        contents = ContentsTable(max(1, block.depth), Element("TOC", self.root),
                                 levelStyles=list(self.styles.toc_levels),
                                 dotsMinLevel=0, tableStyle=TOC_TABLE_STYLE)
        self.story.append(self.recorded(contents, R.TOC))

    def visit_Custom(self, block: m.Custom) -> None:
        if self.options.custom is None:
            raise RapactError(error(
                _("custom block {kind} cannot be rendered in {format}: no custom renderer was given").format(
                    kind=quoted(block.kind), format="PDF"), plugin=block.plugin).findings)
        flowables: list = []
        self.options.custom(block, "pdf", flowables)
        # read as one Figure with the alt text the plugin gave (rapact check refuses a block without)
        element = Element("Figure", self.root, alt=block.alt or block.fallback_text or block.kind)
        self.story.extend(wrap_figure(f, element) for f in flowables)

    # -- inlines: each returns its Paragraph markup
    def visit_Text(self, item: m.Text) -> str:
        return text_markup(item)

    def visit_Link(self, item: m.Link) -> str:
        inner = self.markup(item.content) or esc(item.target)
        return link_markup(inner, item.target)

    def visit_LineBreak(self, item: m.LineBreak) -> str:
        return "<br/>"

    def visit_Ref(self, item: m.Ref) -> str:
        return ref_markup(item.label or item.target, ref_anchor(item.target) if item.label else None)


def ref_anchor(block_id: str) -> str:
    """The PDF destination of a table's or a figure's id, for cross-references."""
    return f"ref-{block_id}"


def link_texts(content) -> dict | None:
    """The text of each link among inlines, by target as its markup spells it: the
    ``/Contents`` of its annotation. A cross-reference's is its label ("Tableau 12")."""
    links = {}
    for item in content:
        if isinstance(item, m.Link):
            links[item.target.strip()] = m.plain_text(item.content) or item.target.strip()
        elif isinstance(item, m.Ref) and item.label:
            links[f"#{ref_anchor(item.target)}"] = item.label
    return links or None


def _next_numbered(blocks: list, n: int):
    """The first table or figure after block ``n``, in its chapter and before the next heading."""
    chapter = blocks[n][0]
    for c, block in blocks[n + 1:]:
        if c != chapter or isinstance(block, m.Heading):
            return None
        if isinstance(block, (m.Table, m.Figure)):
            return block
    return None


def _keeps_with_next(flowable) -> bool:
    return not isinstance(flowable, Marker) and bool(getattr(flowable, "getKeepWithNext", lambda: 0)())


def _expect(node, kinds: tuple[type, ...], what: str) -> None:
    """Refuse a node out of place (an inline among blocks, a block among inlines)."""
    if not isinstance(node, kinds):
        raise UnknownNode(f"PDF: {type(node).__name__} is not {what} of the document model "
                          f"(expected one of {', '.join(t.__name__ for t in kinds)})")


def render_pdf(doc: m.Document, target: Path, options: RenderOptions) -> None:
    """Write ``doc`` as a tagged PDF to ``target``; the same model gives the same bytes."""
    layout_pdf(doc, target, options)


def layout_pdf(doc: m.Document, target, options: RenderOptions, *, dry: bool = False) -> LayoutRecord:
    """Write ``doc`` as a tagged PDF to ``target``; return where everything landed (see :mod:`.layout_check`).

    ``dry``: lay the pages out without drawing them (``target`` may then be a BytesIO): the
    record is the same, at the cost of the layout passes only.
    """
    fonts.register_fonts()
    renderer = PdfRenderer(doc, options)
    story = renderer.build()
    return write_story(story, target, doc.meta, lang=language_tag(doc.meta.locale),
                       toc_entries=renderer.toc_entries, structure=renderer.root, dry=dry)
