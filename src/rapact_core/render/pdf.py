"""The PDF renderer: a visitor that turns the document model into reportlab flowables.

:class:`PdfRenderer` has one ``visit_<Node>`` method per node type of the
model (see :mod:`.visitor`): blocks append flowables to the story, inlines
return Paragraph markup. The rest of the PDF lives in modules named for
their job:

* :mod:`.pdf_text`: escaping data into Paragraph markup, breaking cell text;
* :mod:`.pdf_tables` and :mod:`.pdf_table_pages`: the linear table engine;
* :mod:`.pdf_images`: charts from cached image streams, scaled pictures;
* :mod:`.pdf_document`: page templates, outline, TOC and the layout passes;
* :mod:`.pdf_styles`: geometry, colours and styles;
* :mod:`.reportlab_adapter`: every private reportlab attribute we rely on.

Fonts are DejaVu Sans (see :mod:`.fonts`), embedded; nothing uses Helvetica.
Numbers and dates are formatted in the document's locale (``meta.locale``),
which is also the PDF's ``/Lang``. Level-1 headings start a new page (unless
already at the top of one); a landscape table switches to the landscape page
template and back, taking the headings just above it along.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import cm
from reportlab.platypus import FrameBreak, NextPageTemplate, PageBreak as RLPageBreak, Spacer, TableStyle
from reportlab.platypus.doctemplate import NotAtTopPageBreak

from .. import model as m
from ..errors import RapactError, error
from ..formatting import format_long_date, language_tag
from ..numbering import heading_text
from . import RenderOptions, fonts
from . import pdf_styles as S
from .captions import caption_text
from .pdf_document import TOC_TABLE_STYLE, ContentsTable, write_story
from .pdf_flowables import DryTable, HeadingPara, Para
from .pdf_images import ChartImage, scaled_image
from .pdf_table_pages import TablePart
from .pdf_tables import TableSpec, plan as table_layout
from .pdf_text import esc, link_markup, text_markup
from .pictures import resolve_picture
from .visitor import UnknownNode, Visitor

#: a table this long is cut into a short lead, kept with its caption, and the rest
LEAD_ROWS = 3
SHORT_TABLE = 12


class PdfRenderer(Visitor):
    """Builds the reportlab story of a document (:meth:`build`)."""

    format_name = "PDF"

    def __init__(self, doc: m.Document, options: RenderOptions | None = None, styles: S.Styles | None = None):
        self.doc = doc
        self.options = options or RenderOptions()
        self.styles = styles or S.make_styles()
        self.locale = doc.meta.locale
        self.story: list = []
        self.orientation = "cover"
        self.switch: tuple[int, str] | None = None  # (story length after, previous orientation)
        self.keys = 0
        #: (level - 1, markup, key) of the headings listed in the TOC, in story order
        self.toc_entries: list[tuple[int, str, str]] = []

    # -- the whole document
    def build(self) -> list:
        self.cover()
        self.set_orientation("portrait")
        for block in self.doc.blocks():
            _expect(block, m.BLOCK_TYPES, "a block")
            # a table picks its page's orientation; a page break keeps it
            if not isinstance(block, (m.Table, m.PageBreak)):
                self.set_orientation("portrait")
            self.visit(block)
        return self.story

    def markup(self, content) -> str:
        """Paragraph markup for a sequence of inlines."""
        out = []
        for item in content:
            _expect(item, m.INLINE_TYPES, "an inline")
            out.append(self.visit(item))
        return "".join(out)

    def cover(self) -> None:
        meta, st, story = self.doc.meta, self.styles, self.story
        fw = S.frame_size(S.PORTRAIT)[0]
        if meta.logo:
            logo = resolve_picture(meta.logo, self.options.report_dir, "logo")
            story.append(scaled_image(logo, 6 * cm, 3 * cm, h_align="LEFT"))
            story.append(Spacer(1, 1.2 * cm))
        else:
            story.append(Spacer(1, 2 * cm))
        if meta.organisation:
            story.append(Para(esc(meta.organisation), st.cover_org))
        story.append(Spacer(1, 3.5 * cm))
        story.append(Para(esc(meta.title), st.cover_title))
        if meta.subject:
            story.append(Para(esc(meta.subject), st.cover_subject))
        story.append(Spacer(1, 0.6 * cm))
        if meta.date:
            story.append(Para(esc(format_long_date(meta.date, self.locale)), st.cover_meta))
        if meta.reference:
            story.append(Para(esc(meta.reference), st.cover_meta))
        if meta.signatories:
            story.append(FrameBreak())
            per_row = min(3, len(meta.signatories))
            cells = [[Para(esc(s.name), st.cover_name), Para(esc(s.role), st.cover_role)]
                     for s in meta.signatories]
            rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
            rows[-1] += [""] * (per_row - len(rows[-1]))
            table = DryTable(rows, colWidths=[fw / per_row] * per_row, hAlign="LEFT",
                             style=TableStyle([
                                 ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                                 ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("TOPPADDING", (0, 0), (-1, -1), 10),
                                 ("LINEABOVE", (0, 0), (-1, 0), 0.5, S.LIGHT_GREY),
                             ]))
            story.append(table)

    # -- orientation
    def set_orientation(self, wanted: str) -> None:
        """Continue on a portrait or landscape page, breaking the page only if needed."""
        if wanted == self.orientation:
            return
        story = self.story
        moved = []  # headings just above a landscape table go along with it
        while story and isinstance(story[-1], (HeadingPara, NotAtTopPageBreak)):
            moved.insert(0, story.pop())
        if self.switch and self.switch[0] == len(story):
            # nothing was laid out since the last switch: change it instead of adding a page
            previous = self.switch[1]
            if previous == "cover":  # the cover always ends with its page break
                story[-2] = NextPageTemplate(wanted)
                self.orientation = wanted
                story.extend(moved)
                return
            del story[-2:]
            self.orientation, self.switch = previous, None
            if previous == wanted:
                story.extend(moved)
                return
        self.story += [NextPageTemplate(wanted), RLPageBreak()]
        self.switch = (len(self.story), self.orientation)
        self.orientation = wanted
        story.extend(moved)

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
        self.story.append(HeadingPara(markup, self.styles.heading(level), key=key,
                                      level=level, text=text, in_toc=block.in_toc))
        if block.in_toc:  # what afterFlowable will notify, but for the page
            self.toc_entries.append((level - 1, esc(text), key))

    def visit_Paragraph(self, block: m.Paragraph) -> None:
        style = {
            m.ParagraphStyle.BODY: self.styles.body,
            m.ParagraphStyle.LEAD: self.styles.lead,
            m.ParagraphStyle.NOTE: self.styles.note,
            m.ParagraphStyle.QUOTE: self.styles.quote,
            m.ParagraphStyle.KEY_FIGURE: self.styles.key_figure,
        }[m.ParagraphStyle(block.style)]
        self.story.append(Para(self.markup(block.content), style))

    def visit_ListBlock(self, block: m.ListBlock, depth: int = 0, out: list | None = None) -> None:
        # Plain paragraphs with a bullet, not a ListFlowable: reportlab never keeps
        # a heading with a container flowable (keepWithNext skips them).
        outer = out is None
        if outer:
            out = []
        style = self.styles.list_style(depth, block.ordered)
        for i, item in enumerate(block.items):
            if block.ordered:
                bullet = f"{block.start + i}."
            else:
                bullet = block.bullet or S.LIST_BULLETS[depth % len(S.LIST_BULLETS)]
            out.append(Para(self.markup(item.content), style, bulletText=bullet))
            if item.children is not None:
                self.visit(item.children, depth + 1, out)
        if outer:
            if out:
                out[-1].spaceAfter = max(self.styles.body.spaceAfter, 6)
            self.story.extend(out)

    def visit_Table(self, block: m.Table) -> None:
        # a portrait table whose columns' minimums cannot fit goes on a landscape page
        layout = table_layout(block, self.locale, self.doc.meta.negative_amounts)
        self.set_orientation("landscape" if layout.landscape else "portrait")
        spec = TableSpec(block, self.frame_width, self.styles, form_name=self.key("rapacttable"),
                         locale=self.locale, negatives=self.doc.meta.negative_amounts, layout=layout)
        caption = caption_text(block)
        if caption:
            self.story.append(Para(esc(caption), self.styles.table_caption))
        n = spec.n_rows
        if n <= SHORT_TABLE:
            self.story.append(TablePart(spec, 0, n, header=True))
        else:  # a short lead kept with the caption, then the rest, seamlessly
            self.story.append(TablePart(spec, 0, LEAD_ROWS, header=True))
            self.story.append(TablePart(spec, LEAD_ROWS, n, header=None))

    def visit_Figure(self, block: m.Figure) -> None:
        from .charts import chart_size

        iw, ih = chart_size(block.chart)
        width = max(0.05, min(1.0, block.width)) * self.frame_width
        scale = min(width / iw, 0.75 * self.frame_height / ih)
        image = ChartImage(block.chart, iw * scale, ih * scale)
        self.story.append(image)
        caption = caption_text(block)
        if caption:
            # not a KeepTogether: keepWithNext (a heading above) skips containers
            image.keepWithNext = 1
            self.story.append(Para(esc(caption), self.styles.figure_caption))
        else:
            self.story.append(Spacer(1, 12))

    def visit_Image(self, block: m.Image) -> None:
        path = resolve_picture(block.path, self.options.report_dir, "image")
        width = max(0.05, min(1.0, block.width)) * self.frame_width
        self.story.append(scaled_image(path, width, 0.75 * self.frame_height))
        self.story.append(Spacer(1, 8))

    def visit_PageBreak(self, block: m.PageBreak) -> None:
        # a page break at the top of a page would leave a blank page
        self.story.append(NotAtTopPageBreak())

    def visit_TableOfContents(self, block: m.TableOfContents) -> None:
        if block.title:
            # a titled TOC starts its own page; an untitled one follows its chapter heading
            self.story.append(NotAtTopPageBreak())
            self.story.append(HeadingPara(esc(block.title), self.styles.toc_title,
                                          key=self.key("toc"), level=1, text=block.title,
                                          in_toc=False))
        self.story.append(ContentsTable(max(1, block.depth), levelStyles=list(self.styles.toc_levels),
                                        dotsMinLevel=0, tableStyle=TOC_TABLE_STYLE))

    def visit_Custom(self, block: m.Custom) -> None:
        if self.options.custom is None:
            raise RapactError(error(
                f"custom block {block.kind!r} of plugin {block.plugin!r} cannot be rendered "
                "to PDF: no custom renderer was given", plugin=block.plugin).findings)
        flowables: list = []
        self.options.custom(block, "pdf", flowables)
        self.story.extend(flowables)

    # -- inlines: each returns its Paragraph markup
    def visit_Text(self, item: m.Text) -> str:
        return text_markup(item)

    def visit_Link(self, item: m.Link) -> str:
        inner = self.markup(item.content) or esc(item.target)
        return link_markup(inner, item.target)

    def visit_LineBreak(self, item: m.LineBreak) -> str:
        return "<br/>"


def _expect(node, kinds: tuple[type, ...], what: str) -> None:
    """Refuse a node out of place (an inline among blocks, a block among inlines)."""
    if not isinstance(node, kinds):
        raise UnknownNode(f"PDF: {type(node).__name__} is not {what} of the document model "
                          f"(expected one of {', '.join(t.__name__ for t in kinds)})")


def render_pdf(doc: m.Document, target: Path, options: RenderOptions) -> None:
    """Write ``doc`` as a PDF to ``target``; the same model gives the same bytes."""
    fonts.register_fonts()
    renderer = PdfRenderer(doc, options)
    story = renderer.build()
    write_story(story, target, doc.meta, lang=language_tag(doc.meta.locale), toc_entries=renderer.toc_entries)
