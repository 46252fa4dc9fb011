"""The DOCX renderer: a visitor over the document model that writes WordprocessingML.

:class:`DocxRenderer` has one ``visit_<Node>`` method per node type of the
model (see :mod:`.visitor`); block visits append to the body, inline visits
return the runs' XML. Around it, one module per job:

* ``docx_setup``: the template, styles, settings, page furniture (the cover's
  band, a running header with the organisation and the reference, a footer
  "- N -" with a PAGE field) and the core properties;
* ``docx_sections``: the body as it is written, page breaks (level-1 headings
  start a new page) and the landscape sections of landscape tables;
* ``docx_tables``: tables written as strings in one linear pass;
* ``docx_floats``: the order blocks are written in, landscape tables placed
  where the PDF floats them (the portrait text after them fills the page first);
* ``docx_cover``, ``docx_numbering`` (lists, and the headings' multilevel
  list), ``docx_fonts`` (DejaVu Sans embedded), ``docx_xml`` (XML string
  helpers), ``docx_package`` (the deterministic zip, big tables spliced in at
  save time) and ``docx_adapter`` (what python-docx does not offer publicly).

Body content is generated as XML strings, buffered, and parsed in large chunks
(python-docx's per-element API is quadratic on large bodies). Numbers and
dates are only ever turned into text by
:func:`rapact_core.formatting.format_value`; caption texts come from
:mod:`.captions`. Word numbers what staff may insert more of: headings through
a multilevel list linked to the heading styles (an unnumbered heading opts out
with ``numId`` 0), captions through ``SEQ Tableau``/``SEQ Figure`` fields
whose results are the model's numbers (``rapact_core.numbering``). The table
of contents is a real ``TOC`` field, pre-filled with one entry per heading
("3.1 Titre", hyperlinked to a bookmark on the heading; no page numbers, which
only a layout engine knows), and ``updateFields`` asks Word to refresh it,
page numbers included, on open; its title is a "TOC Heading", which the
contents do not list.
"""

from __future__ import annotations

from itertools import chain
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT

from .. import model as m
from ..errors import error
from ..i18n import N_, _, quoted
from ..numbering import toc_entries
from . import RenderOptions
from . import docx_xml as X
from .captions import FIGURE_LABEL, TABLE_LABEL, caption_label, caption_parts
from .cell_texts import CellTexts
from .chart_text import describe_chart
from .docx_cover import cover_xml
from .docx_floats import chapter_orders
from .docx_fonts import document_chars, embed_fonts
from .docx_numbering import HEADING_LEVELS, ListNumbering, link_heading_numbering
from .docx_package import save_deterministic, splice_placeholder
from .docx_sections import BodyFlow, BreakableParagraph, text_height_twips, text_width_twips
from .docx_setup import (ensure_setting, ensure_styles, first_free_docpr, open_template, set_core_properties,
                         setup_page_furniture, setup_settings, space_before)
from .docx_tables import SPLICE_ROWS, TableWriter, column_widths, plan_widths, raise_bad_cell, table_metrics
from .pictures import resolve_picture
from .visitor import UnknownNode, Visitor

__all__ = ["DocxRenderer", "column_widths", "render_docx"]

EMU_PER_TWIP = 635
EMU_PER_CM = 360000
# a paragraph this short ("Liste des marchés :") is a lead-in: it moves with a
# landscape table below it instead of being left alone on a portrait page
LEAD_IN_CHARS = 160

# a figure's caption is in italics, centred under it (a table's takes the Caption style as is)
FIGURE_CAPTION_RPR = "<w:rPr><w:b w:val=\"0\"/><w:bCs w:val=\"0\"/><w:i/><w:iCs/></w:rPr>"
FIGURE_CAPTION_SPACING = '<w:spacing w:before="80" w:after="240"/>'

PARAGRAPH_STYLE_KEYS = {
    m.ParagraphStyle.BODY: "normal",
    m.ParagraphStyle.LEAD: "lead",
    m.ParagraphStyle.NOTE: "note",
    m.ParagraphStyle.QUOTE: "quote",
    m.ParagraphStyle.KEY_FIGURE: "key_figure",
}


def render_docx(doc: m.Document, target: Path, options: RenderOptions) -> None:
    """Write ``doc`` as a complete .docx file at ``target``."""
    data = DocxRenderer(doc, options).render()
    Path(target).write_bytes(data)


#: bookmark ids of the captions' bookmarks start here, above the headings' ones
REF_BOOKMARK_IDS = 900_000


def _bookmark_name(index: int) -> str:
    return f"_TocRapact{index:05d}"


class DocxRenderer(Visitor):
    """Renders one document; :meth:`render` returns the .docx file's bytes."""

    format_name = "DOCX"

    def __init__(self, doc: m.Document, options: RenderOptions):
        self.doc = doc
        self.options = options
        self.docx = open_template(options.template)
        self.part = self.docx.part
        self.styles = ensure_styles(self.docx)
        self.flow = BodyFlow(self.docx, space_before(self.docx.styles.element))
        link_heading_numbering(self.part.numbering_part.element, self.docx.styles.element,
                               [self.styles[f"h{i}"] for i in range(1, HEADING_LEVELS + 1)])
        self.text_width = text_width_twips(self.flow.sect)
        self.text_width_landscape = text_width_twips(self.flow.sect, landscape=True)
        self.lists = ListNumbering(self.part.numbering_part.element)
        # the font, size and cell margins the template sets tables in: what column widths must hold
        self.table_metrics = table_metrics(self.docx.styles.element, self.styles["table"])
        self._next_docpr = 1
        self._headings = 0           # headings so far: their bookmarks' numbers
        # a heading left out of the contents right above a TableOfContents is its title
        self._toc_titles = {id(blocks[i - 1]) for blocks in (c.blocks for c in doc.chapters)
                            for i, b in enumerate(blocks) if isinstance(b, m.TableOfContents) and i
                            and isinstance(blocks[i - 1], m.Heading) and not blocks[i - 1].in_toc}
        #: table or figure id -> the bookmark on its caption's label, which cross-references link to
        self.ref_bookmarks: dict[str, str] = {}
        self._bookmarked: dict[int, str] = {}  # id(block) -> the bookmark on its caption (the first of an id)
        for block in doc.blocks():
            if isinstance(block, (m.Table, m.Figure)) and block.id and block.id not in self.ref_bookmarks:
                name = self.ref_bookmarks[block.id] = f"_RefRapact{len(self.ref_bookmarks):05d}"
                self._bookmarked[id(block)] = name
        self.spliced: dict = {}      # big tables, as XML pieces made at save time
        #: id(table) -> its cell texts, layout and column widths, planned before the body is written
        self._plans: dict[int, tuple] = {}
        self._last_picture_height = 0  # EMU

    def render(self) -> bytes:
        meta = self.doc.meta
        setup_settings(self.docx, meta.locale)
        self._next_docpr = first_free_docpr(self.docx)
        self.flow.landscape_header = setup_page_furniture(self.docx, meta, self.styles,
                                                          (self.text_width, self.text_width_landscape))
        set_core_properties(self.docx, meta)
        logo, logo_height = "", 0
        if meta.logo:
            path = resolve_picture(meta.logo, self.options.report_dir, N_("logo"))
            logo = self._picture_run(path, max_width=0.35, max_height_cm=3.5, descr=f"Logo {meta.organisation}")
            logo_height = self._last_picture_height // EMU_PER_TWIP
        self.flow.emit_page(cover_xml(meta, self.styles, self.text_width, text_height_twips(self.flow.sect),
                                      logo, logo_height))
        orders = chapter_orders(self.doc, self._landscape_tables(), self.options)
        for index, chapter in enumerate(self.doc.chapters):
            for block in orders.chapters.get(index, chapter.blocks):
                if not (isinstance(block, m.Table) and block.landscape):
                    self.flow.close_landscape()
                if id(block) in orders.groups:
                    self.flow.hold_lead_ins()
                try:
                    self.visit(block)
                except UnknownNode as exc:
                    raise UnknownNode(f"{exc}, in chapter {chapter.id!r}") from None
        self.flow.finish()
        if embed_fonts(self.docx, document_chars(self.doc)):
            ensure_setting(self.docx.settings.element, "embedTrueTypeFonts")  # Word keeps them on saving
        return save_deterministic(self.docx, self.spliced)

    # ------------------------------------------------------------ inlines: they return XML

    def _inlines(self, content, where: str) -> str:
        return "".join([self.visit(item, where) for item in content])

    def visit_Text(self, node: m.Text, where: str, style: str | None = None) -> str:
        X.check_text(node.text, where)
        return X.run(node.text, X.rpr(style=style, bold=node.bold, italic=node.italic))

    def visit_Link(self, node: m.Link, where: str, style: str | None = None) -> str:
        X.check_text(node.target, where)
        runs = "".join([self.visit(t, where, self.styles["hyperlink"]) for t in node.content])
        if not node.target:
            return runs
        rid = self.part.relate_to(node.target, RT.HYPERLINK, is_external=True)
        return f'<w:hyperlink r:id="{rid}" w:history="1">{runs}</w:hyperlink>'

    def visit_LineBreak(self, node: m.LineBreak, where: str, style: str | None = None) -> str:
        return "<w:r><w:br/></w:r>"

    def visit_Ref(self, node: m.Ref, where: str, style: str | None = None) -> str:
        # "Tableau 12": a REF field to the bookmark on the caption's label and SEQ number,
        # as Word writes a cross-reference, so that Word renumbers it with the captions;
        # its result is the model's label, and a link to the caption
        label = node.label or node.target
        X.check_text(label, where)
        props = X.rpr(style=style)
        run = X.run(label.replace(" ", "\u00a0"), props)
        anchor = self.ref_bookmarks.get(node.target) if node.label else None
        if not anchor:
            return run
        field = X.field(f" REF {anchor} \\h ", run, props)
        return f'<w:hyperlink w:anchor="{anchor}" w:history="1">{field}</w:hyperlink>'

    # ------------------------------------------------------------ text blocks

    def visit_Heading(self, block: m.Heading) -> None:
        if block.level == 1:
            self.flow.request_break()
        pb = self.flow.consume_break()
        where = f"heading {block.number or ''} {m.plain_text(block.content)[:60]!r}".replace("  ", " ")
        text = self._inlines(block.content, where)
        self._headings += 1
        if id(block) in self._toc_titles:
            # the table of contents' own title: not a heading Word would list in it
            style, numbering = self.styles["toc_heading"], ""
        else:
            # Word numbers the heading through its style; an unnumbered one opts out (numId 0)
            style = self.styles[f"h{min(block.level, 6)}"]
            numbering = "" if block.number else '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'
        pre = f'<w:p><w:pPr><w:pStyle w:val="{X.esc_attr(style)}"/>'
        post = f"</w:pPr>{X.bookmark(self._headings, _bookmark_name(self._headings), text)}</w:p>"
        self.flow.emit(BreakableParagraph(pre + numbering + post, pre + "<w:pageBreakBefore/>" + numbering + post, pb),
                       lead_in=True)

    def visit_Paragraph(self, block: m.Paragraph) -> None:
        pb = self.flow.consume_break()
        where = f"paragraph {m.plain_text(block.content)[:60]!r}"
        style = self.styles[PARAGRAPH_STYLE_KEYS.get(block.style, "normal")]
        if block.style is m.ParagraphStyle.BODY:
            style = None  # Normal is the default paragraph style
        inlines = self._inlines(block.content, where)
        text = m.plain_text(block.content)
        keep = text.rstrip().endswith(":")  # a lead-in ("… comme suit :") stays with what follows
        if len(text) <= LEAD_IN_CHARS:
            self.flow.emit(BreakableParagraph(
                X.paragraph(inlines, X.ppr(style=style, keep_next=keep, page_break_before=False)),
                X.paragraph(inlines, X.ppr(style=style, keep_next=keep, page_break_before=True)), pb), lead_in=True)
            return
        self.flow.emit(X.paragraph(inlines, X.ppr(style=style, keep_next=keep, page_break_before=pb)))

    def visit_ListBlock(self, block: m.ListBlock, depth: int = 0) -> None:
        ilvl = min(depth, 8)
        if block.ordered:
            num_id = self.lists.numbered(ilvl, block.start)
            style = self.styles[f"number{min(depth, 2) + 1}"]
        else:
            num_id = self.lists.bullets(block.bullet)
            style = self.styles[f"bullet{min(depth, 2) + 1}"]
        for item in block.items:
            pb = self.flow.consume_break()
            where = f"list item {m.plain_text(item.content)[:60]!r}"
            self.flow.emit(X.paragraph(self._inlines(item.content, where),
                                       X.ppr(style=style, page_break_before=pb, num=(num_id, ilvl))))
            if item.children is not None:
                self.visit(item.children, depth + 1)

    def visit_PageBreak(self, block: m.PageBreak) -> None:
        self.flow.request_break()

    def visit_TableOfContents(self, block: m.TableOfContents) -> None:
        pb = self.flow.consume_break()
        depth = max(1, min(block.depth, 9))
        parts = []
        if block.title:
            X.check_text(block.title, "table of contents title")
            parts.append(X.paragraph(X.run(block.title),
                                     X.ppr(style=self.styles["toc_heading"], page_break_before=pb)))
            pb = False
        # bookmarks follow the same filter and order as numbering.toc_entries
        bookmarks = []
        index = 0
        for b in self.doc.blocks():
            if isinstance(b, m.Heading):
                index += 1
                if b.in_toc and b.level <= depth:
                    bookmarks.append(_bookmark_name(index))
        entries = toc_entries(self.doc, depth)
        if len(entries) != len(bookmarks):  # pragma: no cover - same filter
            raise AssertionError("table of contents entries and headings disagree")
        paragraphs = []
        for (level, number, text), anchor in zip(entries, bookmarks):
            X.check_text(text, "table of contents")
            label = f"{number} {text}" if number else text
            # no page number: it is unknown before layout, and a cached "0" or
            # a dot leader to nothing would show as such until fields are updated
            link = f'<w:hyperlink w:anchor="{anchor}" w:history="1">{X.run(label)}</w:hyperlink>'
            paragraphs.append((self.styles[f"toc{min(level, 6)}"], link))
        if not paragraphs:
            paragraphs.append((self.styles["toc1"],
                               X.run("(Aucun titre\u00a0: mettez à jour la table des matières.)")))
        begin = X.fld_begin(f' TOC \\o "1-{depth}" \\h \\z \\u ')
        for i, (style, content) in enumerate(paragraphs):
            if i == 0:
                content = begin + content
            if i == len(paragraphs) - 1:
                content = content + X.FLD_END
            parts.append(X.paragraph(content, X.ppr(style=style, page_break_before=pb and i == 0)))
        self.flow.emit("".join(parts))
        self.flow.request_break()

    # ------------------------------------------------------------ tables and pictures

    def _caption(self, block: m.Table | m.Figure, where: str, run_props: str = "", **props) -> str:
        """A caption paragraph: "Tableau ", a SEQ field holding the number, " : ", the caption.

        Word numbers the captions (``SEQ Tableau``), so a table inserted in Word
        renumbers the ones after it; the field's result is the model's number,
        which reads right before any update. The label and number of a block
        with an id are bookmarked, as Word bookmarks a caption for its
        cross-references: a ``Ref`` is a REF field to that bookmark.
        """
        label, text = caption_parts(block)
        X.check_text(text, where)
        runs = X.run(label, run_props)
        if block.number is not None:
            name = TABLE_LABEL if isinstance(block, m.Table) else FIGURE_LABEL
            number = X.field(f" SEQ {name} \\* ARABIC ", X.run(str(block.number), run_props), run_props)
            runs = X.run(f"{name} ", run_props) + number
            bookmark = self._bookmarked.get(id(block))
            if bookmark:
                runs = X.bookmark(REF_BOOKMARK_IDS + int(bookmark[-5:]), bookmark, runs)
            runs += X.run(label[len(caption_label(block)):], run_props)
        return X.paragraph(runs + X.run(text, run_props), X.ppr(style=self.styles["caption"], **props))

    def _plan(self, table: m.Table) -> tuple:
        """The table's cell texts, layout and column widths (planned once)."""
        if id(table) not in self._plans:
            texts = CellTexts(table, self.doc.meta.locale, self.doc.meta.negative_amounts)
            self._plans[id(table)] = (texts, *plan_widths(table, self.table_metrics, self.text_width,
                                                          self.text_width_landscape, self.doc.meta.locale,
                                                          self.doc.meta.negative_amounts, texts))
        return self._plans[id(table)]

    def _landscape_tables(self) -> set[int]:
        """The ids of the tables this DOCX lays out landscape (with its own metrics): they may float."""
        return {id(b) for b in self.doc.blocks() if isinstance(b, m.Table) and self._plan(b)[1].landscape}

    def visit_Table(self, table: m.Table) -> None:
        # a portrait table whose columns' minimums cannot fit goes on a landscape page
        texts, layout, widths = self._plan(table)
        del self._plans[id(table)]  # its texts are not needed any more
        if layout.landscape:
            self.flow.open_landscape()
        where = f"table {caption_label(table)} {table.caption!r}" if table.caption else \
            f"table {table.number if table.number is not None else ''} {table.id or ''}".strip()
        pb = self.flow.consume_break()
        if caption_parts(table) is not None:
            self.flow.emit(self._caption(table, where, keep_next=True, page_break_before=pb))
        elif pb:
            self.flow.emit(X.page_break_paragraph())
        size = self.table_metrics.size * layout.scale if layout.scale < 1 else None
        writer = TableWriter(table, widths, self.styles["table"], self.doc.meta.locale,
                             self.doc.meta.negative_amounts, size, texts)
        if len(table.body) > SPLICE_ROWS:
            # big tables go into document.xml at save time, their rows made while the
            # file is deflated (see docx_package.splice_pieces); checked now
            pieces = writer.pieces()
            first = next(pieces)
            if writer.bad_chars:
                raise_bad_cell(table, where, self.doc.meta.locale)
            n = len(self.spliced)
            self.spliced[n] = chain((first,), pieces)
            self.flow.add_table(splice_placeholder(n))
        else:
            xml = writer.xml()
            if writer.bad_chars:
                raise_bad_cell(table, where, self.doc.meta.locale)
            self.flow.add_table(X.parse_table(xml))

    def _picture_run(self, path: Path, *, max_width: float, descr: str,
                     max_height_cm: float | None = None, name: str | None = None) -> str:
        """A run holding the picture at ``path``, ``max_width`` a fraction of the text width."""
        rid, image = self.part.get_or_add_image(str(path))
        cx = int(self.text_width * EMU_PER_TWIP * max(0.05, min(float(max_width), 1.0)))
        px_w, px_h = image.px_width or 1, image.px_height or 1
        cy = int(cx * px_h / px_w)
        if max_height_cm is not None and cy > max_height_cm * EMU_PER_CM:
            cy = int(max_height_cm * EMU_PER_CM)
            cx = int(cy * px_w / px_h)
        docpr = self._next_docpr
        self._next_docpr += 1
        self._last_picture_height = cy
        X.check_text(descr, "image description")
        return X.inline_picture(rid, cx, cy, docpr, name or f"Image {docpr}", descr)

    def visit_Figure(self, block: m.Figure) -> None:
        from . import charts

        pb = self.flow.consume_break()
        caption = caption_parts(block)
        pic = self._picture_run(charts.chart_png(block.chart), max_width=block.width,
                                descr=describe_chart(block.chart, self.doc.meta.locale), name=caption_label(block))
        self.flow.emit(X.paragraph(pic, X.ppr(keep_next=caption is not None, page_break_before=pb, jc="center",
                                              spacing='<w:spacing w:before="120" w:after="60"/>')))
        if caption is not None:
            self.flow.emit(self._caption(block, f"figure {block.number}", FIGURE_CAPTION_RPR, jc="center",
                                         spacing=FIGURE_CAPTION_SPACING))

    def visit_Image(self, block: m.Image) -> None:
        pb = self.flow.consume_break()
        path = resolve_picture(block.path, self.options.report_dir, N_("picture"))
        # no alt text: none is made up (a file name describes nothing); `rapact check` warns
        pic = self._picture_run(path, max_width=block.width, descr=block.alt)
        self.flow.emit(X.paragraph(pic, X.ppr(page_break_before=pb, jc="center")))

    # ------------------------------------------------------------ plugins

    def visit_Custom(self, block: m.Custom) -> None:
        if self.options.custom is None:
            raise error(_("custom block {kind} cannot be rendered in {format}: no custom renderer was given").format(
                kind=quoted(block.kind), format="DOCX"), plugin=block.plugin)
        self.flow.add_external(lambda: self.options.custom(block, "docx", self.docx))
