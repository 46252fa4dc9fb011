"""The DOCX renderer: a visitor over the document model that writes WordprocessingML.

Design, in short:

* The output is based on a reference template (``options.template`` or the
  shipped ``templates/reference.docx``, built by ``templates/make_reference.py``):
  its styles, page size, margins and numbering win. The body of the template is
  discarded. Styles rapact needs and the template lacks are copied from the
  shipped reference, so any Word template works.
* Body content is generated as XML strings, buffered, and parsed in large
  chunks with ``docx.oxml.parse_xml``; elements are inserted before the body's
  final ``w:sectPr``. Tables are built row by row as strings in one pass: no
  ``table.cell()``/``row.cells``/``add_row`` (quadratic in python-docx).
* Numbers and dates are only ever turned into text by
  :func:`rapact_core.formatting.format_value`; heading, table and figure
  numbers come from the model (``rapact_core.numbering``).
* Page furniture: a cover page without header/footer (``titlePg``), a header
  with the reference, a footer "- N -" with a PAGE field. Level-1 headings
  start a new page. Landscape tables get their own landscape section(s).
* The table of contents is a real ``TOC`` field, pre-filled with one entry per
  heading ("3.1 Titre", hyperlinked to a bookmark on the heading; no page
  numbers, which only a layout engine knows), and ``updateFields`` asks Word
  to refresh it, page numbers included, on open.
* Output is deterministic: fixed core properties and zip timestamps.
"""

from __future__ import annotations

import datetime as _dt
import re
import zipfile
from collections.abc import Iterator
from functools import cached_property, lru_cache
from itertools import chain
from operator import attrgetter
from pathlib import Path

from .. import model as m
from ..errors import display_path, error
from ..formatting import format_long_date, format_value
from ..numbering import toc_entries
from . import RenderOptions
from . import docx_xml as X
from .layout import split_width

TEMPLATE = Path(__file__).resolve().parent / "templates" / "reference.docx"

TABLE_LABEL = "Tableau"
FIGURE_LABEL = "Figure"
CAPTION_SEP = "\u00a0: "  # French typography: no-break space before the colon
FIXED_DATE = _dt.date(2000, 1, 1)

EMU_PER_TWIP = 635
EMU_PER_CM = 360000

# Semantic key -> style name as written in styles.xml (w:name, matched case-insensitively).
STYLE_NAMES = {
    "normal": "Normal",
    **{f"h{i}": f"heading {i}" for i in range(1, 7)},
    "title": "Title",
    "subtitle": "Subtitle",
    "caption": "caption",
    "toc_heading": "TOC Heading",
    **{f"toc{i}": f"toc {i}" for i in range(1, 4)},
    "bullet1": "List Bullet",
    "bullet2": "List Bullet 2",
    "bullet3": "List Bullet 3",
    "number1": "List Number",
    "number2": "List Number 2",
    "number3": "List Number 3",
    "quote": "Quote",
    "lead": "Lead",
    "note": "Note",
    "key_figure": "Key Figure",
    "header": "header",
    "footer": "footer",
    "hyperlink": "Hyperlink",
    "table": "rapact Table",
}

PARAGRAPH_STYLE_KEYS = {
    m.ParagraphStyle.BODY: "normal",
    m.ParagraphStyle.LEAD: "lead",
    m.ParagraphStyle.NOTE: "note",
    m.ParagraphStyle.QUOTE: "quote",
    m.ParagraphStyle.KEY_FIGURE: "key_figure",
}

HEADER_FILL = "DCE6F0"
TOTAL_FILL = "F2F2F2"
SUBTOTAL_FILL = "F7F7F7"
TOTAL_BORDER = '<w:tcBorders><w:top w:val="single" w:sz="8" w:space="0" w:color="404040"/></w:tcBorders>'

_JC = {m.Align.LEFT: "left", m.Align.CENTER: "center", m.Align.RIGHT: "right", m.Align.DEFAULT: "left"}


def render_docx(doc: m.Document, target: Path, options: RenderOptions) -> None:
    """Write ``doc`` as a complete .docx file at ``target``."""
    data = _DocxRenderer(doc, options).render()
    Path(target).write_bytes(data)


# ---------------------------------------------------------------- helpers


def column_widths(columns, total: int) -> list[int]:
    """Split ``total`` (twips) between columns by their weights (see ``layout``); sums exactly to ``total``."""
    out = [int(w) for w in split_width(columns, total)]
    out[-1] += total - sum(out)
    return out


@lru_cache(maxsize=1)
def _reference_styles():
    """The ``w:style`` elements of the shipped reference, by lower-case name."""
    from lxml import etree

    with zipfile.ZipFile(TEMPLATE) as z:
        root = etree.fromstring(z.read("word/styles.xml"))
    out = {}
    for st in root.iter(f"{{{X.W_NS}}}style"):
        name = st.find(f"{{{X.W_NS}}}name")
        if name is not None:
            out[name.get(f"{{{X.W_NS}}}val").lower()] = st
    return out


def _locale_tag(locale: str) -> str:
    return (locale or "fr_BE").replace("_", "-")


# ---------------------------------------------------------------- renderer


class _DocxRenderer:
    def __init__(self, doc: m.Document, options: RenderOptions):
        import docx
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.oxml.ns import qn

        self._qn = qn
        self._RT = RT
        self.doc = doc
        self.options = options
        template = Path(options.template) if options.template else TEMPLATE
        if not template.is_file():
            raise error(f"DOCX template not found: {display_path(template)}",
                        file=display_path(template))
        self.docx = docx.Document(str(template))
        self.part = self.docx.part

        body = self.docx.element.body
        self.sect = body.get_or_add_sectPr()
        for child in list(body):
            if child is not self.sect:
                body.remove(child)
        self.body = body

        self.styles = self._ensure_styles()
        self.text_width = X.text_width_twips(self.sect)
        self.text_width_landscape = X.text_width_twips(self.sect, landscape=True)

        numbering = self.part.numbering_part.element
        self.numbering = numbering
        self._bullet_abs = X.ensure_abstract_num(numbering, X.BULLET_NAME)
        self._decimal_abs = X.ensure_abstract_num(numbering, X.DECIMAL_NAME)
        ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
        self._next_num = max(ids, default=0) + 1
        self._bullet_num: int | None = None

        self._next_docpr = 1
        self._next_bookmark = 1
        self._heading_index = 0

        self.buf: list = []  # str, or _HeadingXml
        self.break_pending = False   # a page break is due before the next content
        self.fresh_page = True       # nothing emitted since the last page start
        self.in_landscape = False
        self.spliced: dict[int, Iterator[str]] = {}  # big tables, as XML pieces made at save time
        self.sections_closed = 0
        self.after_table = False     # the last element emitted is a table
        self.heading_run_start: int | None = None  # buffer index of trailing headings
        self.landscape_close_at: int | None = None  # buffer index of the last landscape end
        self.suppressed_break = False  # a break was asked for on a fresh page

    # ------------------------------------------------------------ driver

    def render(self) -> bytes:
        self._setup_settings()
        self._setup_page_furniture()
        self._set_core_properties()
        self._cover()
        handlers = {
            m.Heading: self._heading,
            m.Paragraph: self._paragraph,
            m.ListBlock: self._list,
            m.Table: self._table,
            m.Figure: self._figure,
            m.Image: self._image,
            m.PageBreak: self._page_break,
            m.TableOfContents: self._toc,
            m.Custom: self._custom,
        }
        for chapter in self.doc.chapters:
            for block in chapter.blocks:
                handler = handlers.get(type(block))
                if handler is None:
                    raise TypeError(
                        f"DOCX renderer: unknown block type {type(block).__name__} "
                        f"in chapter {chapter.id!r}"
                    )
                if not (isinstance(block, m.Table) and block.landscape):
                    self._close_landscape()
                handler(block)
        self._finish()
        return X.save_deterministic(self.docx, self.spliced)

    def _finish(self) -> None:
        if self.in_landscape:
            # the document ends in landscape: the last section itself turns landscape
            land = X.landscape_sect_pr(self.sect)
            self.sect.getparent().replace(self.sect, land)
            self.sect = land
            self.in_landscape = False
            self.after_table = False
            self.buf.append(self._spacer())
        if self.after_table:
            self.buf.append(self._spacer())
            self.after_table = False
        self._flush()
        if self.sections_closed:
            X.strip_first_page(self.sect)

    # ------------------------------------------------------------ output buffer

    def _emit(self, xml, *, heading: bool = False) -> None:
        if self.after_table:
            self.buf.append(self._spacer())
            self.after_table = False
        if heading:
            if self.heading_run_start is None:
                self.heading_run_start = len(self.buf)
        else:
            self.heading_run_start = None
        self.buf.append(xml)

    def _flush(self) -> None:
        if not self.buf:
            return
        for el in X.parse_fragment("".join(map(str, self.buf))):
            X.adopt_before(self.sect, el)
        self.buf.clear()
        self.heading_run_start = None
        self.landscape_close_at = None

    @staticmethod
    def _spacer() -> str:
        """A small empty paragraph (after a table; at the end of the document)."""
        return ('<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
                '<w:rPr><w:sz w:val="12"/><w:szCs w:val="12"/></w:rPr></w:pPr></w:p>')

    # ------------------------------------------------------------ pages

    def _request_break(self) -> None:
        self.heading_run_start = None  # what came before a new page stays before it
        if not self.fresh_page:
            self.break_pending = True
        else:
            self.suppressed_break = True  # see _open_landscape

    def _consume_break(self) -> bool:
        """Called by every block that emits content: whether it must start a page."""
        pending = self.break_pending
        self.break_pending = False
        self.fresh_page = False
        return pending

    def _section_paragraph(self, sect_xml: str) -> str:
        return X.paragraph("", X.ppr(
            spacing='<w:spacing w:before="0" w:after="0" w:line="14" w:lineRule="exact"/>',
            run_props=X.rpr(size=2), sect_pr=sect_xml))

    def _sect_xml(self, el) -> str:
        from lxml import etree

        return etree.tostring(el, encoding="unicode")

    def _open_landscape(self) -> None:
        """Start a landscape section before the table about to be emitted.

        The headings emitted just before the table move into the landscape
        section with it. When only those headings separate this table from the
        end of a previous landscape section, that section simply continues (no
        empty portrait section, hence no blank page); a page break requested
        in between (chapter heading, PageBreak) is then kept.
        """
        if self.in_landscape:
            return
        import copy

        idx = self.heading_run_start
        moving = idx is not None and idx < len(self.buf)
        if not moving:
            idx = len(self.buf)
        merge = self.landscape_close_at is not None and self.landscape_close_at == idx - 1
        if merge:
            del self.buf[idx - 1]
            idx -= 1
            self.sections_closed -= 1
        else:
            portrait = copy.deepcopy(self.sect)
            if self.sections_closed:
                X.strip_first_page(portrait)
            self.buf.insert(idx, self._section_paragraph(self._sect_xml(portrait)))
            idx += 1
            self.sections_closed += 1
        wants_break = merge and self.suppressed_break
        if moving:
            self.buf[idx].page_break = wants_break
            self.break_pending = False
        else:
            self.after_table = False  # the section paragraph separates two tables
            self.break_pending = wants_break
        self.heading_run_start = None
        self.landscape_close_at = None
        self.suppressed_break = False
        self.in_landscape = True
        self.fresh_page = True

    def _close_landscape(self) -> None:
        if not self.in_landscape:
            return
        land = X.landscape_sect_pr(self.sect)
        X.strip_first_page(land)
        self.landscape_close_at = len(self.buf)
        self.buf.append(self._section_paragraph(self._sect_xml(land)))
        self.after_table = False
        self.heading_run_start = None
        self.sections_closed += 1
        self.in_landscape = False
        self.break_pending = False
        self.suppressed_break = False
        self.fresh_page = True

    # ------------------------------------------------------------ setup

    def _ensure_styles(self) -> dict[str, str]:
        """Map semantic keys to style ids, copying missing styles from the reference."""
        import copy

        qn = self._qn
        root = self.docx.styles.element
        by_name: dict[str, str] = {}
        ids = set()
        for st in root.findall(qn("w:style")):
            name = st.find(qn("w:name"))
            sid = st.get(qn("w:styleId"))
            ids.add(sid)
            if name is not None:
                by_name.setdefault(name.get(qn("w:val")).lower(), sid)
        out = {}
        for key, name in STYLE_NAMES.items():
            sid = by_name.get(name.lower())
            if sid is None:
                ref = _reference_styles().get(name.lower())
                if ref is None:  # pragma: no cover - the reference defines them all
                    raise ValueError(f"style {name!r} missing from the reference template")
                el = copy.deepcopy(ref)
                sid = el.get(qn("w:styleId"))
                if sid in ids:
                    sid = f"rapact{sid}"
                    el.set(qn("w:styleId"), sid)
                root.append(el)
                ids.add(sid)
                by_name[name.lower()] = sid
            out[key] = sid
        return out

    def _setup_settings(self) -> None:
        X.ensure_update_fields(self.docx.settings.element)
        # Word 2010's stylesWithEffects.xml duplicates styles.xml; it is stale as soon
        # as styles are added, and Word rebuilds it: drop it
        for rid, rel in list(self.part.rels.items()):
            if rel.reltype.endswith("/stylesWithEffects"):
                self.part.rels.pop(rid)
        # language of the whole document, from the metadata
        qn = self._qn
        styles = self.docx.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr_default = defaults.find(qn("w:rPrDefault"))
            rpr = rpr_default.find(qn("w:rPr")) if rpr_default is not None else None
            if rpr is not None:
                lang = rpr.find(qn("w:lang"))
                if lang is None:
                    lang = X.parse_element("<w:lang/>")
                    rpr.append(lang)
                lang.set(qn("w:val"), _locale_tag(self.doc.meta.locale))
        for part in self._header_footer_parts():
            for pr in part.element.iter(qn("wp:docPr")):
                self._next_docpr = max(self._next_docpr, int(pr.get("id", 0)) + 1)

    def _header_footer_parts(self):
        RT = self._RT
        return [rel.target_part for rel in self.part.rels.values()
                if not rel.is_external and rel.reltype in (RT.HEADER, RT.FOOTER)]

    def _setup_page_furniture(self) -> None:
        meta = self.doc.meta
        X.check_text(meta.reference, "meta.reference")
        section = self.docx.sections[0]
        section.different_first_page_header_footer = True
        header_xml = X.paragraph(X.run(meta.reference), X.ppr(style=self.styles["header"], jc="right"))
        footer_xml = X.paragraph(
            X.run("- ") + X.field(" PAGE ", X.run("1")) + X.run(" -"),
            X.ppr(style=self.styles["footer"], jc="center"))
        empty = X.paragraph("", X.ppr(style=self.styles["header"]))
        furniture = [(section.header, header_xml), (section.footer, footer_xml),
                     (section.first_page_header, empty), (section.first_page_footer, empty)]
        if self.docx.settings.odd_and_even_pages_header_footer:
            furniture += [(section.even_page_header, header_xml), (section.even_page_footer, footer_xml)]
        for hf, xml in furniture:
            hf.is_linked_to_previous = False
            el = hf._element
            for child in list(el):
                el.remove(child)
            for child in X.parse_fragment(xml):
                el.append(child)

    def _set_core_properties(self) -> None:
        meta = self.doc.meta
        for name in ("title", "organisation", "subject"):
            X.check_text(getattr(meta, name) or "", f"meta.{name}")
        cp = self.docx.core_properties
        when = _dt.datetime.combine(meta.date or FIXED_DATE, _dt.time())
        cp.title = meta.title
        cp.author = meta.organisation
        cp.subject = meta.subject or ""
        cp.last_modified_by = meta.organisation
        cp.language = _locale_tag(meta.locale)
        cp.created = when
        cp.modified = when
        cp.revision = 1
        cp.comments = ""
        cp.keywords = ""
        cp.category = ""

    # ------------------------------------------------------------ inlines

    def _inlines(self, content, where: str) -> str:
        out = []
        for item in content:
            if isinstance(item, m.Text):
                X.check_text(item.text, where)
                out.append(X.run(item.text, X.rpr(bold=item.bold, italic=item.italic)))
            elif isinstance(item, m.Link):
                X.check_text(item.target, where)
                runs = []
                for t in item.content:
                    X.check_text(t.text, where)
                    runs.append(X.run(t.text, X.rpr(style=self.styles["hyperlink"],
                                                    bold=t.bold, italic=t.italic)))
                if item.target:
                    rid = self.part.relate_to(item.target, self._RT.HYPERLINK, is_external=True)
                    out.append(f'<w:hyperlink r:id="{rid}" w:history="1">{"".join(runs)}</w:hyperlink>')
                else:
                    out.append("".join(runs))
            elif isinstance(item, m.LineBreak):
                out.append("<w:r><w:br/></w:r>")
            else:
                raise TypeError(f"{where}: unknown inline type {type(item).__name__}")
        return "".join(out)

    # ------------------------------------------------------------ cover

    def _cover(self) -> None:
        meta = self.doc.meta
        st = self.styles
        parts = []
        if meta.logo:
            parts.append(X.paragraph(
                self._picture_run(self._resolve(meta.logo, "meta.logo"), max_width=0.35,
                                  max_height_cm=3.5, descr=f"Logo {meta.organisation}"),
                X.ppr(jc="center", spacing='<w:spacing w:before="600" w:after="0"/>')))
        parts.append(X.paragraph(
            X.run(meta.organisation, X.rpr(bold=True)),
            X.ppr(style=st["subtitle"], spacing='<w:spacing w:before="1200" w:after="0"/>')))
        parts.append(X.paragraph(X.run(meta.title), X.ppr(style=st["title"])))
        if meta.subject:
            X.check_text(meta.subject, "meta.subject")
            parts.append(X.paragraph(X.run(meta.subject), X.ppr(style=st["subtitle"])))
        info = []
        grey = X.rpr(color="404040")
        if meta.reference:
            info.append(X.run(f"Référence\u00a0: {meta.reference}", grey))
        if meta.date:
            if info:
                info.append("<w:r><w:br/></w:r>")
            info.append(X.run(format_long_date(meta.date, meta.locale), grey))
        if info:
            parts.append(X.paragraph("".join(info), X.ppr(
                jc="center", spacing='<w:spacing w:before="480" w:after="0"/>')))
        if meta.signatories:
            parts.append(X.paragraph("", X.ppr(spacing='<w:spacing w:before="2400" w:after="0"/>')))
            parts.append(self._signatories(meta.signatories))
        self._emit("".join(parts))
        self.fresh_page = False
        self._request_break()

    def _signatories(self, signatories) -> str:
        per_row = min(len(signatories), 3)
        widths = [self.text_width // per_row] * per_row
        widths[-1] += self.text_width - sum(widths)
        nil = "".join(f'<w:{b} w:val="nil"/>' for b in ("top", "left", "bottom", "right", "insideH", "insideV"))
        rows = []
        for start in range(0, len(signatories), per_row):
            cells = []
            chunk = list(signatories[start:start + per_row])
            chunk += [None] * (per_row - len(chunk))
            for w, sig in zip(widths, chunk):
                if sig is None:
                    content = "<w:p/>"
                else:
                    X.check_text(sig.role, "meta.signatories")
                    X.check_text(sig.name, "meta.signatories")
                    p = X.ppr(jc="center", spacing='<w:spacing w:before="0" w:after="40"/>')
                    content = (X.paragraph(X.run(sig.role, X.rpr(italic=True)), p)
                               + X.paragraph(X.run(sig.name, X.rpr(bold=True)), p))
                cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{content}</w:tc>')
            rows.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr>")
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        return (f'<w:tbl><w:tblPr><w:tblW w:w="{self.text_width}" w:type="dxa"/><w:jc w:val="center"/>'
                f'<w:tblBorders>{nil}</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr>'
                f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl><w:p/>")

    # ------------------------------------------------------------ blocks

    def _heading(self, block: m.Heading) -> None:
        level = block.level
        if level == 1:
            self._request_break()
        pb = self._consume_break()
        where = f"heading {block.number or ''} {m.plain_text(block.content)[:60]!r}".replace("  ", " ")
        text = self._inlines(block.content, where)
        if block.number:
            text = X.run(f"{block.number} ") + text
        self._heading_index += 1
        name = self._bookmark_name(self._heading_index)
        bid = self._next_bookmark
        self._next_bookmark += 1
        style = X.esc_attr(self.styles[f"h{min(level, 6)}"])
        entry = _HeadingXml(f'<w:p><w:pPr><w:pStyle w:val="{style}"/>',
                            f"</w:pPr>{X.bookmark(bid, name, text)}</w:p>", pb, level)
        self._emit(entry, heading=True)

    @staticmethod
    def _bookmark_name(index: int) -> str:
        return f"_TocRapact{index:05d}"

    def _paragraph(self, block: m.Paragraph) -> None:
        pb = self._consume_break()
        where = f"paragraph {m.plain_text(block.content)[:60]!r}"
        style = self.styles[PARAGRAPH_STYLE_KEYS.get(block.style, "normal")]
        if block.style is m.ParagraphStyle.BODY:
            style = None  # Normal is the default paragraph style
        inlines = self._inlines(block.content, where)
        if len(m.plain_text(block.content)) <= LEAD_IN_CHARS:
            # a short lead-in ("Liste des marchés :") moves with a landscape table below it,
            # instead of being left alone on a portrait page
            self._emit(_LeadXml(X.paragraph(inlines, X.ppr(style=style, page_break_before=False)),
                                X.paragraph(inlines, X.ppr(style=style, page_break_before=True)), pb),
                       heading=True)
            return
        self._emit(X.paragraph(inlines, X.ppr(style=style, page_break_before=pb)))

    def _new_num(self, abstract_id: int, restart=None) -> int:
        num_id = self._next_num
        self._next_num += 1
        X.add_num(self.numbering, abstract_id, num_id, restart)
        return num_id

    def _list(self, block: m.ListBlock, depth: int = 0) -> None:
        ilvl = min(depth, 8)
        if block.ordered:
            num_id = self._new_num(self._decimal_abs, (ilvl, block.start))
            style = self.styles[f"number{min(depth, 2) + 1}"]
        else:
            if self._bullet_num is None:
                self._bullet_num = self._new_num(self._bullet_abs)
            num_id = self._bullet_num
            style = self.styles[f"bullet{min(depth, 2) + 1}"]
        for item in block.items:
            pb = self._consume_break()
            where = f"list item {m.plain_text(item.content)[:60]!r}"
            self._emit(X.paragraph(self._inlines(item.content, where),
                                   X.ppr(style=style, page_break_before=pb, num=(num_id, ilvl))))
            if item.children is not None:
                self._list(item.children, depth + 1)

    def _page_break(self, block: m.PageBreak) -> None:
        self._request_break()

    def _toc(self, block: m.TableOfContents) -> None:
        pb = self._consume_break()
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
                    bookmarks.append(self._bookmark_name(index))
        entries = toc_entries(self.doc, depth)
        if len(entries) != len(bookmarks):  # pragma: no cover - same filter
            raise AssertionError("table of contents entries and headings disagree")
        begin = X.fld_begin(f' TOC \\o "1-{depth}" \\h \\z \\u ')
        paragraphs = []
        for (level, number, text), anchor in zip(entries, bookmarks):
            X.check_text(text, "table of contents")
            label = f"{number} {text}" if number else text
            style = self._toc_style(level)
            # no page number: it is unknown before layout, and a cached "0" or
            # a dot leader to nothing would show as such until fields are updated
            inner = X.run(label)
            paragraphs.append((style, f'<w:hyperlink w:anchor="{anchor}" w:history="1">{inner}</w:hyperlink>'))
        if not paragraphs:
            paragraphs.append((self.styles["toc1"],
                               X.run("(Aucun titre\u00a0: mettez à jour la table des matières.)")))
        for i, (style, content) in enumerate(paragraphs):
            if i == 0:
                content = begin + content
            if i == len(paragraphs) - 1:
                content = content + X.FLD_END
            parts.append(X.paragraph(content, X.ppr(style=style, page_break_before=pb and i == 0)))
        self._emit("".join(parts))
        self._request_break()

    def _toc_style(self, level: int) -> str:
        return self.styles[f"toc{min(level, 3)}"]

    # ------------------------------------------------------------ tables

    def _table(self, table: m.Table) -> None:
        if table.landscape:
            self._open_landscape()
        width = self.text_width_landscape if table.landscape else self.text_width
        label = f"{TABLE_LABEL} {table.number}" if table.number is not None else TABLE_LABEL
        where = f"table {label} {table.caption!r}" if table.caption else \
            f"table {table.number if table.number is not None else ''} {table.id or ''}".strip()
        pb = self._consume_break()
        if table.caption:
            X.check_text(table.caption, where)
            self._emit(X.paragraph(
                X.run(label + CAPTION_SEP, X.rpr(bold=True)) + X.run(table.caption),
                X.ppr(style=self.styles["caption"], keep_next=True, page_break_before=pb)))
        elif pb:
            self._emit(X.page_break_paragraph())
        writer = _TableWriter(table, column_widths(table.columns, width), self.styles["table"],
                              self.doc.meta.locale)
        big = len(table.body) > SPLICE_ROWS
        if big:
            # big tables go into document.xml at save time, their rows made while the
            # file is deflated (see X.splice_pieces); checked now
            pieces = writer.pieces()
            first = next(pieces)
        else:
            xml = writer.xml()
        if writer.bad_chars:
            _raise_bad_cell(table, where, self.doc.meta.locale)
        # a table is parsed on its own, namespaces declared on its root: lxml
        # then moves it into the document in constant time. (_emit("") adds the
        # spacer paragraph that keeps two consecutive tables apart.)
        self._emit("")
        self._flush()
        if big:
            self.spliced[len(self.spliced)] = chain((first,), pieces)
            self.sect.addprevious(X.splice_placeholder(len(self.spliced) - 1))
        else:
            self.sect.addprevious(X.parse_table(xml))
        self.after_table = True

    # ------------------------------------------------------------ pictures

    def _resolve(self, path: str, what: str) -> Path:
        p = Path(path)
        if not p.is_absolute():
            p = Path(self.options.report_dir or ".") / p
        if not p.is_file():
            raise error(f"{what}: image file not found: {display_path(p)}", file=display_path(p))
        return p

    def _picture_run(self, path: Path, *, max_width: float, descr: str,
                     max_height_cm: float | None = None, name: str | None = None) -> str:
        rid, image = self.part.get_or_add_image(str(path))
        return self._inline_picture(rid, (image.px_width, image.px_height), max_width=max_width, descr=descr,
                                    max_height_cm=max_height_cm, name=name)

    def _inline_picture(self, rid: str, px_size: tuple[int, int], *, max_width: float, descr: str,
                        max_height_cm: float | None = None, name: str | None = None) -> str:
        text_emu = self.text_width * EMU_PER_TWIP
        frac = max(0.05, min(float(max_width), 1.0))
        cx = int(text_emu * frac)
        px_w, px_h = px_size[0] or 1, px_size[1] or 1
        cy = int(cx * px_h / px_w)
        if max_height_cm is not None and cy > max_height_cm * EMU_PER_CM:
            cy = int(max_height_cm * EMU_PER_CM)
            cx = int(cy * px_w / px_h)
        docpr = self._next_docpr
        self._next_docpr += 1
        X.check_text(descr, "image description")
        return X.inline_picture(rid, cx, cy, docpr, name or f"Image {docpr}", descr)

    def _figure(self, block: m.Figure) -> None:
        from . import charts

        pb = self._consume_break()
        label = f"{FIGURE_LABEL} {block.number}" if block.number is not None else FIGURE_LABEL
        descr = block.chart.title or block.caption
        pic = self._picture_run(charts.chart_png(block.chart), max_width=block.width, descr=descr, name=label)
        self._emit(X.paragraph(pic, X.ppr(keep_next=bool(block.caption), page_break_before=pb,
                                          jc="center", spacing='<w:spacing w:before="120" w:after="60"/>')))
        if block.caption:
            X.check_text(block.caption, f"figure {block.number}")
            self._emit(X.paragraph(
                X.run(label + CAPTION_SEP, X.rpr(bold=True)) + X.run(block.caption),
                X.ppr(style=self.styles["caption"], jc="center")))

    def _image(self, block: m.Image) -> None:
        pb = self._consume_break()
        path = self._resolve(block.path, "image")
        pic = self._picture_run(path, max_width=block.width, descr=block.alt or path.name)
        self._emit(X.paragraph(pic, X.ppr(page_break_before=pb, jc="center")))

    # ------------------------------------------------------------ plugins

    def _custom(self, block: m.Custom) -> None:
        if self.options.custom is None:
            raise error(f"custom block {block.kind!r} cannot be rendered in DOCX: "
                        "no custom renderer was given", plugin=block.plugin)
        if self.after_table:
            self.buf.append(self._spacer())
            self.after_table = False
        self._flush()
        before = self.sect.getprevious()
        self.options.custom(block, "docx", self.docx)
        first = before.getnext() if before is not None else self.body[0]
        if first is None or first is self.sect:
            return
        if self._consume_break():
            if first.tag == self._qn("w:p"):
                from docx.text.paragraph import Paragraph

                Paragraph(first, self.docx._body).paragraph_format.page_break_before = True
            else:
                first.addprevious(X.parse_fragment(X.page_break_paragraph())[0])
        last = self.sect.getprevious()
        self.after_table = last is not None and last.tag == self._qn("w:tbl")


LEAD_IN_CHARS = 160
SPLICE_ROWS = 300


class _HeadingXml:
    """A buffered heading paragraph whose page break may still change.

    When a landscape table follows, the headings above it move into its
    section, which decides whether they need ``pageBreakBefore``.
    """

    __slots__ = ("pre", "post", "page_break", "level")

    def __init__(self, pre: str, post: str, page_break: bool, level: int):
        self.pre, self.post, self.page_break, self.level = pre, post, page_break, level

    def __str__(self) -> str:
        return self.pre + ("<w:pageBreakBefore/>" if self.page_break else "") + self.post


class _LeadXml:
    """A buffered short paragraph whose page break may still change (see ``_HeadingXml``)."""

    __slots__ = ("plain", "broken", "page_break", "level")

    def __init__(self, plain: str, broken: str, page_break: bool):
        self.plain, self.broken, self.page_break, self.level = plain, broken, page_break, 99

    def __str__(self) -> str:
        return self.broken if self.page_break else self.plain


# ---------------------------------------------------------------- tables


# rows of a big table made at a time when the file is saved
BATCH_ROWS = 2000
_COLSPAN = attrgetter("colspan")
_VALUE = attrgetter("value")
# in a cell's text: what XML cannot hold (NUL aside: it joins the texts) and
# what becomes w:br or w:tab
_NEEDS_CARE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff\n\t\r]")


class _TableWriter:
    """One table as a WordprocessingML string, built in a single linear pass."""

    def __init__(self, table: m.Table, widths: list[int], style_id: str, locale: str):
        self.t = table
        self.widths = widths
        self.style_id = style_id
        self.locale = locale
        cols = table.columns
        self.jc = [_JC[c.effective_align] for c in cols]
        # per column "<w:p><w:pPr>…</w:pPr>" openers
        self.p_open = [f'<w:p><w:pPr><w:jc w:val="{j}"/></w:pPr>' for j in self.jc]
        self._tc_cache: dict[tuple, str] = {}
        # format_value results per column: dates, rates and labels repeat a lot in
        # large tables and Babel costs ~10-20 us a call. The key holds the type so
        # that 1, True and Decimal(1) stay apart; equal Decimals format alike.
        self._memo: list[dict] = [{} for _ in cols]

    def xml(self) -> str:
        """The whole table; sets ``bad_chars``."""
        return "".join(self.pieces())

    def pieces(self):
        """The table's XML in pieces, the body rows by batches of ``BATCH_ROWS``.

        ``bad_chars`` (a character XML cannot hold, anywhere in the table) is
        set before the first piece: a big table is checked when it is
        rendered, and its rows are written out only when the file is saved.
        """
        t = self.t
        total = sum(self.widths)
        caption = f'<w:tblCaption w:val="{X.esc_attr(t.caption)}"/>' if t.caption else ""
        head = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{X.esc_attr(self.style_id)}"/>'
            f'<w:tblW w:w="{total}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            f'<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" '
            f'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>{caption}</w:tblPr>'
            "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in self.widths) + "</w:tblGrid>"
        ]
        for row in t.header:
            head.append(self._header_row(row.cells, spanned_center=True))
        head.append(self._header_row([m.Cell(c.label) for c in t.columns], labels=True))
        head = "".join(head)
        tail = "".join(self._row(row) for row in t.foot) + "</w:tbl>"
        plain = self._plain_texts()
        if plain is not None:  # the body's text was checked: the rest of the table is left
            self.bad_chars = X.BAD_XML_CHARS.search(head + tail) is not None
            yield head
            for start in range(0, len(t.body), BATCH_ROWS):
                yield self._plain_rows(plain, start, start + BATCH_ROWS)
            yield tail
            return
        rows = [self._row(row) for row in t.body]
        self.bad_chars = any(X.BAD_XML_CHARS.search(piece) for piece in (head, *rows, tail))
        yield head
        yield from rows
        yield tail

    def _text(self, col: int, value) -> str:
        """A cell's text, remembered per column (see ``_memo``)."""
        if value.__class__ is str:
            return value
        key = (value.__class__, value)
        memo = self._memo[col]
        text = memo.get(key)
        if text is None:
            c = self.t.columns[col]
            text = memo[key] = format_value(value, c.kind, c.decimals, c.unit, c.accounting, self.locale)
        return text

    def _plain_texts(self):
        """The texts of the body cells, escaped, row after row, when every row is a
        plain body row and no text needs more than escaping; else None (then ``_row``
        writes the rows).

        The texts are joined with NUL (which no text may hold), checked and
        escaped at once and split again; ``_plain_rows`` pours them into a row
        template: the same XML as ``_row``, ~10 times faster on a registry of
        thousands of rows.
        """
        body = self.t.body
        n = len(self.jc)
        if len(body) < 2 or n == 0:
            return None
        if isinstance(body, m.PlainRows):  # the values themselves: no Row or Cell to make
            texts = list(chain.from_iterable(body.values))
        else:
            cells: list = []
            extend = cells.extend
            for row in body:
                if row.role is not m.RowRole.BODY or len(row.cells) != n:
                    return None
                extend(row.cells)
            if max(map(_COLSPAN, cells)) != 1:
                return None
            texts = list(map(_VALUE, cells))
        for col in range(n):
            values = texts[col::n]
            if set(map(type, values)) != {str}:  # a str is its own text
                texts[col::n] = [self._text(col, v) for v in values]
        blob = "\0".join(texts)
        if blob.count("\0") != len(texts) - 1 or _NEEDS_CARE.search(blob) is not None \
                or "  " in blob or " \0" in blob or "\0 " in blob or blob[:1] == " " or blob[-1:] == " ":
            return None  # control characters, line breaks, tabs or spaces to keep: cell by cell
        if "&" in blob or "<" in blob or ">" in blob:
            blob = X.esc(blob)
        return blob.split("\0")

    def _plain_rows(self, texts: list[str], start: int, stop: int) -> str:
        """Rows ``start`` to ``stop`` (excluded) of the body, from ``_plain_texts``."""
        n = len(self.jc)
        part = texts[start * n:stop * n]
        rows = "".join(map(self._row_template.__mod__, zip(*[iter(part)] * n)))
        if "" in part:  # an empty cell has no run, as _row writes it
            rows = rows.replace("<w:r><w:t></w:t></w:r>", "")
        return rows

    @cached_property
    def _row_template(self) -> str:
        """A plain body row with ``%s`` for each cell's text, as ``_row`` writes it."""
        cells = "".join(
            (self._tc_open(col, 1, m.RowRole.BODY) + self.p_open[col]).replace("%", "%%")
            + "<w:r><w:t>%s</w:t></w:r></w:p></w:tc>" for col in range(len(self.jc)))
        return "<w:tr><w:trPr><w:cantSplit/></w:trPr>" + cells + "</w:tr>"

    def _tc_open(self, col: int, span: int, role: str) -> str:
        """``<w:tc><w:tcPr>…</w:tcPr>`` for a cell, cached by (column, span, role)."""
        key = (col, span, role)
        found = self._tc_cache.get(key)
        if found is not None:
            return found
        width = sum(self.widths[col:col + span])
        extra = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        if role == "header":
            extra += f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/><w:vAlign w:val="bottom"/>'
        elif role == m.RowRole.TOTAL:
            extra += f'{TOTAL_BORDER}<w:shd w:val="clear" w:color="auto" w:fill="{TOTAL_FILL}"/>'
        elif role == m.RowRole.SUBTOTAL:
            extra += f'<w:shd w:val="clear" w:color="auto" w:fill="{SUBTOTAL_FILL}"/>'
        found = f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{extra}</w:tcPr>'
        self._tc_cache[key] = found
        return found

    def _header_row(self, cells, labels: bool = False, spanned_center: bool = False) -> str:
        out = ["<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"]
        col = 0
        bold = "<w:rPr><w:b/><w:bCs/></w:rPr>"
        for cell in cells:
            span = max(1, cell.colspan)
            text = format_value(cell.value, locale=self.locale)
            jc = "center" if (span > 1 and spanned_center) else self.jc[col]
            out.append(self._tc_open(col, span, "header"))
            out.append(f'<w:p><w:pPr><w:keepNext/><w:jc w:val="{jc}"/></w:pPr>')
            out.append(X.run(text, bold))
            out.append("</w:p></w:tc>")
            col += span
        out.append("</w:tr>")
        return "".join(out)

    def _row(self, row: m.Row) -> str:
        role = row.role
        rpr = "" if role is m.RowRole.BODY else "<w:rPr><w:b/><w:bCs/></w:rPr>"
        out = ["<w:tr><w:trPr><w:cantSplit/></w:trPr>"]
        col = 0
        for cell in row.cells:
            span = cell.colspan
            text = self._text(col, cell.value)
            out.append(self._tc_open(col, span, role))
            out.append(self.p_open[col])
            if text:
                if "\n" in text or "\t" in text or "\r" in text:
                    out.append(X.run(text, rpr))
                else:
                    out.append(f"<w:r>{rpr}{X.t(text)}</w:r>")
            out.append("</w:p></w:tc>")
            col += span
        out.append("</w:tr>")
        return "".join(out)


def _raise_bad_cell(table: m.Table, where: str, locale: str):
    """Find the first cell holding a character XML forbids and raise a ValueError naming it."""
    if X.BAD_XML_CHARS.search(table.caption or ""):
        X.check_text(table.caption, f"{where}: caption")
    for c in table.columns:
        X.check_text(c.label, f"{where}: label of column {c.key!r}")
    for part, rows in (("header", table.header), ("body", table.body), ("foot", table.foot)):
        for i, row in enumerate(rows, start=1):
            col = 0
            for cell in row.cells:
                c = table.columns[col]
                text = format_value(cell.value, c.kind, c.decimals, c.unit, c.accounting, locale)
                X.check_text(text, f"{where}: {part} row {i}, column {c.label!r}")
                col += cell.colspan
    raise ValueError(f"{where}: contains a character a DOCX file cannot hold")  # pragma: no cover
