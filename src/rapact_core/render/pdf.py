"""The PDF renderer: a visitor that turns the document model into reportlab flowables.

Layout decisions worth knowing:

* Every piece of data text goes through :func:`esc` before it enters a
  reportlab ``Paragraph`` (whose text is XML markup); only markup written here
  (``<b>``, ``<i>``, ``<a>``, ``<br/>``) stays raw.
* Fonts are DejaVu Sans (see :mod:`.fonts`), embedded; nothing uses Helvetica.
* Numbers come from :func:`rapact_core.formatting.format_value` only. Babel
  separates digit groups with U+202F, which reportlab's Paragraph treats as a
  breakable space: numeric table cells are plain (never wrapping) strings, and
  in Paragraph text U+202F becomes U+00A0, which reportlab does not break.
* Big tables are laid out by :class:`_TablePart`, which cuts one page-sized
  reportlab ``Table`` at a time, so layout is linear in the number of rows
  (reportlab's own Table splitting is quadratic).
* Level-1 headings start a new page (unless already at the top of one); a
  landscape table switches to the landscape page template and back, taking
  the headings just above it along.
"""

from __future__ import annotations

import bisect
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    FrameBreak,
    Image as RLImage,
    KeepTogether,
    ListFlowable,
    ListItem as RLListItem,
    NextPageTemplate,
    PageBreak as RLPageBreak,
    Paragraph as RLParagraph,
    Spacer,
    Table as RLTable,
    TableStyle,
)
from reportlab.platypus.doctemplate import BaseDocTemplate, NotAtTopPageBreak, PageTemplate
from reportlab.platypus.frames import Frame
from reportlab.platypus.tableofcontents import TableOfContents as RLTableOfContents

from .. import model as m
from ..errors import RapactError, error
from ..formatting import format_long_date, format_value
from ..numbering import heading_text
from . import RenderOptions, fonts
from . import pdf_styles as S

NBSP = "\u00a0"
NNBSP = "\u202f"
LANG = "fr-BE"
_LINK_SCHEMES = ("http://", "https://", "mailto:")
LINK_COLOR = "#" + S.LINK.hexval()[2:]


# ---------------------------------------------------------------- text


def esc(text: str) -> str:
    """Data text made safe for Paragraph markup; digit groups never break."""
    return escape(text).replace(NNBSP, NBSP)


def _attr(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def inline_markup(content) -> str:
    """Paragraph markup for a sequence of inlines (Text, Link, LineBreak)."""
    out = []
    for item in content:
        if isinstance(item, m.Text):
            out.append(_text_markup(item))
        elif isinstance(item, m.Link):
            inner = "".join(_text_markup(t) for t in item.content) or esc(item.target)
            target = item.target.strip()
            if target.lower().startswith(_LINK_SCHEMES):
                out.append(f'<a href="{_attr(target)}" color="{LINK_COLOR}">{inner}</a>')
            else:  # not a URL we let through: keep the words, drop the link
                out.append(inner)
        elif isinstance(item, m.LineBreak):
            out.append("<br/>")
        else:
            raise TypeError(f"PDF renderer: unsupported inline {type(item).__name__}")
    return "".join(out)


def _text_markup(item: m.Text) -> str:
    s = esc(item.text)
    if item.bold:
        s = f"<b>{s}</b>"
    if item.italic:
        s = f"<i>{s}</i>"
    return s


# ---------------------------------------------------------------- flowables


class _Heading(RLParagraph):
    """A heading paragraph that the document template bookmarks and lists in the TOC."""

    def __init__(self, markup, style, *, key, level, text, in_toc):
        super().__init__(markup, style)
        self.outline = (key, level, text, in_toc)

    def split(self, availWidth, availHeight):  # a heading never splits: it moves
        return []


class _TOC(RLTableOfContents):
    """reportlab's TableOfContents, keeping only the entries down to ``depth``."""

    def __init__(self, depth: int, **kw):
        super().__init__(**kw)
        self.depth = depth

    def addEntry(self, level, text, pageNum, key=None):
        if level < self.depth:
            super().addEntry(level, text, pageNum, key)


class _TableSpec:
    """A model table turned into cell contents and style rules, ready to cut into parts."""

    def __init__(self, table: m.Table, frame_width: float, styles: S.Styles):
        self.table = table
        cols = table.columns
        self.col_widths = column_widths(cols, frame_width)
        self.aligns = [c.effective_align.value if c.effective_align is not m.Align.DEFAULT
                       else "left" for c in cols]
        self.styles = styles
        self.header_rows: list[list] = []
        self.header_cmds: list[tuple] = []
        for r, row in enumerate(table.header):
            cells, spans = self._header_row(row, r)
            self.header_rows.append(cells)
            self.header_cmds.extend(spans)
        labels = [RLParagraph(esc(c.label), styles.header_cells[self.aligns[i]])
                  for i, c in enumerate(cols)]
        self.header_rows.append(labels)
        self.n_header = len(self.header_rows)

        self.rows: list[list] = []
        self.spans: dict[int, list[tuple[int, int]]] = {}
        self.marked: list[int] = []  # indices of subtotal/total rows
        self.roles: dict[int, m.RowRole] = {}
        for row in table.body + table.foot:
            self._add_row(row)
        self.n_body = len(table.body)
        self.n_rows = len(self.rows)

    # -- building
    def _header_row(self, row: m.Row, r: int):
        cells, spans, c = [], [], 0
        for cell in row.cells:
            # header labels: a year stays "2021", not "2 021"
            value = (str(cell.value) if isinstance(cell.value, int) and not isinstance(cell.value, bool)
                     else cell.value)
            text = format_value(value)
            align = "center" if cell.colspan > 1 else self.aligns[c]
            cells.append(RLParagraph(esc(text), self.styles.header_cells[align]) if text else "")
            cells.extend([""] * (cell.colspan - 1))
            if cell.colspan > 1:
                spans.append(("SPAN", (c, r), (c + cell.colspan - 1, r)))
            c += cell.colspan
        return cells, spans

    def _add_row(self, row: m.Row):
        index = len(self.rows)
        bold = row.role is not m.RowRole.BODY
        font = fonts.BOLD if bold else fonts.REGULAR
        cols = self.table.columns
        out, c = [], 0
        for cell in row.cells:
            col = cols[c]
            text = format_value(cell.value, col.kind, col.decimals, col.unit, col.accounting)
            width = sum(self.col_widths[c:c + cell.colspan]) - 2 * S.CELL_PAD_H
            if col.is_numeric and not isinstance(cell.value, str):
                out.append(text)  # a plain string: never wraps, keeps U+202F
            elif "\n" not in text and (
                not text or stringWidth(text, font, S.CELL_FONT_SIZE) <= width
            ):
                out.append(text)  # fits on one line: a plain string is ~50x cheaper
            else:
                align = self.aligns[c] if cell.colspan == 1 else "left"
                out.append(RLParagraph(esc(text).replace("\n", "<br/>"),
                                       self.styles.cells[(bold, align)]))
            if cell.colspan > 1:
                out.extend([""] * (cell.colspan - 1))
                self.spans.setdefault(index, []).append((c, c + cell.colspan - 1))
            c += cell.colspan
        self.rows.append(out)
        if bold:
            self.marked.append(index)
            self.roles[index] = row.role

    # -- one reportlab Table for rows [start, end)
    def make_table(self, start: int, end: int, header: bool, last: bool = False,
                   split_in_row: bool = False) -> RLTable:
        h = self.n_header if header else 0
        data = (self.header_rows if header else []) + self.rows[start:end]
        cmds = [
            ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
            ("FONTSIZE", (0, 0), (-1, -1), S.CELL_FONT_SIZE),
            ("LEADING", (0, 0), (-1, -1), S.CELL_LEADING),
            ("TEXTCOLOR", (0, 0), (-1, -1), S.TEXT),
            ("TOPPADDING", (0, 0), (-1, -1), S.CELL_PAD_V),
            ("BOTTOMPADDING", (0, 0), (-1, -1), S.CELL_PAD_V),
            ("LEFTPADDING", (0, 0), (-1, -1), S.CELL_PAD_H),
            ("RIGHTPADDING", (0, 0), (-1, -1), S.CELL_PAD_H),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        for i, align in enumerate(self.aligns):
            if align != "left":
                cmds.append(("ALIGN", (i, 0), (i, -1), align.upper()))
        if header:
            cmds += [
                ("BACKGROUND", (0, 0), (-1, h - 1), S.HEADER_FILL),
                ("FONTNAME", (0, 0), (-1, h - 1), fonts.BOLD),
                ("VALIGN", (0, 0), (-1, h - 1), "BOTTOM"),
                ("LINEBELOW", (0, h - 1), (-1, h - 1), S.HEADER_RULE_WIDTH, S.ACCENT),
            ]
            cmds += self.header_cmds
        if end > start:
            zebra = [colors.white, S.ZEBRA_FILL] if start % 2 == 0 else [S.ZEBRA_FILL, colors.white]
            cmds += [
                ("ROWBACKGROUNDS", (0, h), (-1, -1), zebra),
                ("LINEBELOW", (0, h), (-1, -1), S.GRID_WIDTH, S.LIGHT_GREY),
            ]
            lo = bisect.bisect_left(self.marked, start)
            hi = bisect.bisect_left(self.marked, end)
            for index in self.marked[lo:hi]:
                r = index - start + h
                total = self.roles[index] is m.RowRole.TOTAL
                cmds += [
                    ("FONTNAME", (0, r), (-1, r), fonts.BOLD),
                    ("BACKGROUND", (0, r), (-1, r), S.TOTAL_FILL if total else S.SUBTOTAL_FILL),
                    ("LINEABOVE", (0, r), (-1, r),
                     S.TOTAL_RULE_WIDTH if total else S.GRID_WIDTH * 2,
                     S.TEXT if total else S.GREY),
                ]
            if self.spans:
                for index in range(start, end):
                    for c0, c1 in self.spans.get(index, ()):
                        r = index - start + h
                        cmds.append(("SPAN", (c0, r), (c1, r)))
        t = RLTable(data, colWidths=self.col_widths, style=TableStyle(cmds), hAlign="LEFT",
                    repeatRows=h if split_in_row else 0, splitInRow=int(split_in_row),
                    spaceBefore=0, spaceAfter=10 if last else 0)
        return t


class _TablePart(Flowable):
    """Rows ``[start, end)`` of a table, laid out one page at a time in linear time.

    At each page break it measures only about a page worth of rows, draws
    those as one reportlab Table (with the column header), and hands the
    remaining rows on as a new _TablePart. A part that does not start a
    table shows the header only when it lands at the top of a frame, so a
    table cut in a "lead" (kept with its caption) and a rest reads as one.
    """

    def __init__(self, spec: _TableSpec, start: int, end: int, always_header: bool):
        super().__init__()
        self.spec, self.start, self.end = spec, start, end
        self.always_header = always_header
        self._measured = None  # (key, table, row heights, all rows fit)
        self._table = None

    def _header(self) -> bool:
        if self.always_header:
            return True
        frame = getattr(self, "_frame", None)
        return frame is None or bool(getattr(frame, "_atTop", True))

    def _measure(self, aw: float, ah: float):
        header = self._header()
        key = (aw, ah, header)
        if self._measured and self._measured[0] == key:
            return self._measured
        remaining = self.end - self.start
        cap = max(1, min(remaining, int(ah / S.MIN_ROW_HEIGHT) + 1, 2000))
        last = self.start + cap == self.spec.n_rows
        table = self.spec.make_table(self.start, self.start + cap, header, last=last)
        w, h = table.wrapOn(self.canv, aw, ah)
        fits = cap == remaining and h <= ah + 1e-6
        self._measured = (key, table, list(table._rowHeights), fits, w, h, header)
        return self._measured

    def wrap(self, availWidth, availHeight):
        _, table, heights, fits, w, h, header = self._measure(availWidth, availHeight)
        if fits:
            self._table = table
            return w, h
        # Too tall: report an honest lower bound bigger than the space, so we get split.
        rows = self.end - self.start
        return w, max(availHeight + 1, h + (rows - len(heights)) * S.MIN_ROW_HEIGHT)

    def split(self, availWidth, availHeight):
        _, table, heights, fits, w, h, header = self._measure(availWidth, availHeight)
        spec = self.spec
        nh = spec.n_header if header else 0
        used = sum(heights[:nh])
        n = 0
        for rh in heights[nh:]:
            if used + rh > availHeight + 1e-6:
                break
            used += rh
            n += 1
        remaining = self.end - self.start
        if n >= remaining:
            return [table]
        frame = getattr(self, "_frame", None)
        at_top = bool(frame is None or getattr(frame, "_atTop", False))
        # keep the last body row with the totals below it
        if spec.n_body > 0 and self.start + n >= spec.n_body and self.end > spec.n_body:
            n = min(n, spec.n_body - 1 - self.start)
        # no lone row at the bottom of a page
        if n < min(2, remaining) and not at_top:
            return []
        if n <= 0:
            # A row taller than a whole page: let reportlab cut inside it.
            first = spec.make_table(self.start, self.start + 1, header, split_in_row=True,
                                    last=self.start + 1 == spec.n_rows)
            rest = [_TablePart(spec, self.start + 1, self.end, False)] if remaining > 1 else []
            return [first] + rest
        first = spec.make_table(self.start, self.start + n, header)
        return [first, _TablePart(spec, self.start + n, self.end, False)]

    def drawOn(self, canvas, x, y, _sW=0):
        self._table.drawOn(canvas, x, y, _sW)


def column_widths(columns, total: float) -> list[float]:
    """Column widths in points from the relative ``Column.width`` weights.

    Weights summing to less than 1 are fractions of the width and the columns
    without one share what is left; otherwise they are relative weights and a
    column without one weighs as much as the average given weight.
    """
    given = [c.width for c in columns if c.width is not None and c.width > 0]
    missing = sum(1 for c in columns if c.width is None or c.width <= 0)
    if not given:
        weights = [1.0] * len(columns)
    else:
        known = sum(given)
        if missing and known < 1:
            fill = (1 - known) / missing
        else:
            fill = known / len(given)
        weights = [c.width if c.width is not None and c.width > 0 else fill for c in columns]
    scale = total / sum(weights)
    return [w * scale for w in weights]


# ---------------------------------------------------------------- the document template


class _DocTemplate(BaseDocTemplate):
    def __init__(self, filename, meta: m.Meta, **kw):
        self.meta = meta
        super().__init__(filename, **kw)
        pw, ph = S.PORTRAIT
        fw, fh = S.frame_size(S.PORTRAIT)
        lw, lh = S.frame_size(S.LANDSCAPE)
        pad = dict(leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover_top = Frame(S.LEFT_MARGIN, S.BOTTOM_MARGIN + S.COVER_BOTTOM_BAND, fw,
                          fh - S.COVER_BOTTOM_BAND, id="cover-main", **pad)
        cover_bottom = Frame(S.LEFT_MARGIN, S.BOTTOM_MARGIN, fw, S.COVER_BOTTOM_BAND,
                             id="cover-signatories", **pad)
        self.addPageTemplates([
            PageTemplate("cover", [cover_top, cover_bottom], onPage=self._on_cover,
                         pagesize=S.PORTRAIT),
            PageTemplate("portrait", [Frame(S.LEFT_MARGIN, S.BOTTOM_MARGIN, fw, fh,
                                            id="portrait", **pad)],
                         onPage=self._on_page, pagesize=S.PORTRAIT),
            PageTemplate("landscape", [Frame(S.LEFT_MARGIN, S.BOTTOM_MARGIN, lw, lh,
                                             id="landscape", **pad)],
                         onPage=self._on_page, pagesize=S.LANDSCAPE),
        ])

    # -- page decorations
    def _on_cover(self, canv, doc):
        w, h = canv._pagesize
        canv.saveState()
        canv.setFillColor(S.ACCENT)
        canv.rect(0, h - 0.9 * S.TOP_MARGIN, w, 0.35 * S.TOP_MARGIN, stroke=0, fill=1)
        canv.restoreState()

    def _on_page(self, canv, doc):
        w, h = canv._pagesize
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

    # -- outline and table of contents
    def beforeDocument(self):
        self._outline_level = -1
        self.canv.showOutline()

    def afterFlowable(self, flowable):
        info = getattr(flowable, "outline", None)
        if info is None:
            return
        key, level, text, in_toc = info
        canv = self.canv
        canv.bookmarkPage(key)
        # the PDF outline cannot skip levels (1 then 3): clamp to one deeper
        outline_level = max(0, min(level - 1, self._outline_level + 1))
        self._outline_level = outline_level
        canv.addOutlineEntry(text, key, outline_level, closed=outline_level >= 1)
        if in_toc:
            self.notify("TOCEntry", (level - 1, esc(text), self.page, key))


# ---------------------------------------------------------------- the story


class _StoryBuilder:
    def __init__(self, doc: m.Document, options: RenderOptions, styles: S.Styles):
        self.doc = doc
        self.options = options
        self.styles = styles
        self.story: list = []
        self.orientation = "cover"
        self._switch: tuple[int, str] | None = None  # (story length after, previous orientation)
        self._keys = 0

    # -- orientation
    def set_orientation(self, wanted: str) -> None:
        """Continue on a portrait or landscape page, breaking the page only if needed."""
        if wanted == self.orientation:
            return
        story = self.story
        moved = []  # headings just above a landscape table go along with it
        while story and isinstance(story[-1], (_Heading, NotAtTopPageBreak)):
            moved.insert(0, story.pop())
        if self._switch and self._switch[0] == len(story):
            # nothing was laid out since the last switch: change it instead of adding a page
            previous = self._switch[1]
            if previous == "cover":  # the cover always ends with its page break
                story[-2] = NextPageTemplate(wanted)
                self.orientation = wanted
                story.extend(moved)
                return
            del story[-2:]
            self.orientation, self._switch = previous, None
            if previous == wanted:
                story.extend(moved)
                return
        self._switch_to(wanted)
        story.extend(moved)

    def _switch_to(self, wanted: str) -> None:
        self.story += [NextPageTemplate(wanted), RLPageBreak()]
        self._switch = (len(self.story), self.orientation)
        self.orientation = wanted

    @property
    def frame_width(self) -> float:
        return S.frame_size(S.LANDSCAPE if self.orientation == "landscape" else S.PORTRAIT)[0]

    @property
    def frame_height(self) -> float:
        return S.frame_size(S.LANDSCAPE if self.orientation == "landscape" else S.PORTRAIT)[1]

    def key(self, prefix: str) -> str:
        self._keys += 1
        return f"{prefix}{self._keys}"

    # -- the whole document
    def build(self) -> list:
        self.cover()
        self.set_orientation("portrait")
        for block in self.doc.blocks():
            self.block(block)
        return self.story

    def cover(self) -> None:
        meta, st, story = self.doc.meta, self.styles, self.story
        fw, fh = S.frame_size(S.PORTRAIT)
        if meta.logo:
            logo = self._resolve(meta.logo, "logo")
            story.append(_scaled_image(logo, 6 * cm, 3 * cm, h_align="LEFT"))
            story.append(Spacer(1, 1.2 * cm))
        else:
            story.append(Spacer(1, 2 * cm))
        if meta.organisation:
            story.append(RLParagraph(esc(meta.organisation), st.cover_org))
        story.append(Spacer(1, 3.5 * cm))
        story.append(RLParagraph(esc(meta.title), st.cover_title))
        if meta.subject:
            story.append(RLParagraph(esc(meta.subject), st.cover_subject))
        story.append(Spacer(1, 0.6 * cm))
        if meta.date:
            story.append(RLParagraph(esc(format_long_date(meta.date)), st.cover_meta))
        if meta.reference:
            story.append(RLParagraph(esc(meta.reference), st.cover_meta))
        if meta.signatories:
            story.append(FrameBreak())
            per_row = min(3, len(meta.signatories))
            cells = [[RLParagraph(esc(s.name), st.cover_name), RLParagraph(esc(s.role), st.cover_role)]
                     for s in meta.signatories]
            rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
            rows[-1] += [""] * (per_row - len(rows[-1]))
            table = RLTable(rows, colWidths=[fw / per_row] * per_row, hAlign="LEFT",
                            style=TableStyle([
                                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("TOPPADDING", (0, 0), (-1, -1), 10),
                                ("LINEABOVE", (0, 0), (-1, 0), 0.5, S.LIGHT_GREY),
                            ]))
            story.append(table)

    def _resolve(self, path: str, what: str) -> Path:
        p = Path(path)
        if not p.is_absolute() and self.options.report_dir is not None:
            p = Path(self.options.report_dir) / p
        if not p.is_file():
            raise error(f"{what} not found: {path}", file=p)
        return p

    # -- blocks
    def block(self, block) -> None:
        method = {
            m.Heading: self._heading,
            m.Paragraph: self._paragraph,
            m.ListBlock: self._listblock,
            m.Table: self._table,
            m.Figure: self._figure,
            m.Image: self._image,
            m.PageBreak: self._pagebreak,
            m.TableOfContents: self._tableofcontents,
            m.Custom: self._custom,
        }.get(type(block))
        if method is None:
            raise TypeError(f"PDF renderer: unsupported block type {type(block).__name__}")
        if not isinstance(block, (m.Table, m.PageBreak)):
            self.set_orientation("portrait")
        method(block)

    def _heading(self, block: m.Heading) -> None:
        text = heading_text(block)
        level = block.level
        if level == 1:
            self.story.append(NotAtTopPageBreak())
        markup = inline_markup(block.content)
        if block.number:
            markup = f"{esc(block.number)} {markup}"
        self.story.append(_Heading(markup, self.styles.heading(level), key=self.key("h"),
                                   level=level, text=text, in_toc=block.in_toc))

    def _paragraph(self, block: m.Paragraph) -> None:
        style = {
            m.ParagraphStyle.BODY: self.styles.body,
            m.ParagraphStyle.LEAD: self.styles.lead,
            m.ParagraphStyle.NOTE: self.styles.note,
            m.ParagraphStyle.QUOTE: self.styles.quote,
            m.ParagraphStyle.KEY_FIGURE: self.styles.key_figure,
        }[m.ParagraphStyle(block.style)]
        self.story.append(RLParagraph(inline_markup(block.content), style))

    def _listblock(self, block: m.ListBlock) -> None:
        self.story.append(self._list(block, 0))

    def _list(self, block: m.ListBlock, depth: int) -> ListFlowable:
        items = []
        for item in block.items:
            flowables = [RLParagraph(inline_markup(item.content), self.styles.list_item)]
            if item.children is not None:
                flowables.append(self._list(item.children, depth + 1))
            items.append(RLListItem(flowables))
        common = dict(bulletFontName=fonts.REGULAR, bulletFontSize=S.LIST_FONT_SIZE,
                      leftIndent=S.LIST_INDENT + (4 if block.ordered else 0),
                      spaceAfter=6 if depth == 0 else 0)
        if block.ordered:
            return ListFlowable(items, bulletType="1", start=block.start, bulletFormat="%s.",
                                **common)
        bullet = S.LIST_BULLETS[depth % len(S.LIST_BULLETS)]
        return ListFlowable(items, bulletType="bullet", start=bullet, **common)

    def _table(self, block: m.Table) -> None:
        self.set_orientation("landscape" if block.landscape else "portrait")
        spec = _TableSpec(block, self.frame_width, self.styles)
        caption = _caption("Tableau", block.number, block.caption)
        if caption:
            self.story.append(RLParagraph(esc(caption), self.styles.table_caption))
        n = spec.n_rows
        if n <= 12:
            self.story.append(_TablePart(spec, 0, n, always_header=True))
        else:  # a short lead kept with the caption, then the rest, seamlessly
            self.story.append(_TablePart(spec, 0, 3, always_header=True))
            self.story.append(_TablePart(spec, 3, n, always_header=False))

    def _figure(self, block: m.Figure) -> None:
        from .charts import chart_png

        png = chart_png(block.chart)
        width = max(0.05, min(1.0, block.width)) * self.frame_width
        image = _scaled_image(png, width, 0.75 * self.frame_height)
        parts = [image]
        caption = _caption("Figure", block.number, block.caption)
        if caption:
            parts.append(RLParagraph(esc(caption), self.styles.figure_caption))
        else:
            parts.append(Spacer(1, 12))
        self.story.append(KeepTogether(parts))

    def _image(self, block: m.Image) -> None:
        path = self._resolve(block.path, "image")
        width = max(0.05, min(1.0, block.width)) * self.frame_width
        self.story.append(_scaled_image(path, width, 0.75 * self.frame_height))
        self.story.append(Spacer(1, 8))

    def _pagebreak(self, block: m.PageBreak) -> None:
        # a page break at the top of a page would leave a blank page
        self.story.append(NotAtTopPageBreak())

    def _tableofcontents(self, block: m.TableOfContents) -> None:
        self.story.append(NotAtTopPageBreak())
        if block.title:
            self.story.append(_Heading(esc(block.title), self.styles.toc_title,
                                       key=self.key("toc"), level=1, text=block.title,
                                       in_toc=False))
        self.story.append(_TOC(max(1, block.depth), levelStyles=list(self.styles.toc_levels),
                               dotsMinLevel=0))

    def _custom(self, block: m.Custom) -> None:
        if self.options.custom is None:
            raise RapactError(error(
                f"custom block {block.kind!r} of plugin {block.plugin!r} cannot be rendered "
                "to PDF: no custom renderer was given", plugin=block.plugin).findings)
        flowables: list = []
        self.options.custom(block, "pdf", flowables)
        self.story.extend(flowables)


def _caption(label: str, number: int | None, caption: str) -> str:
    if number is not None and caption:
        return f"{label} {number}{NBSP}: {caption}"
    if number is not None:
        return f"{label} {number}"
    return caption


def _scaled_image(path: Path, max_width: float, max_height: float, h_align="CENTER") -> RLImage:
    from reportlab.lib.utils import ImageReader

    iw, ih = ImageReader(str(path)).getSize()
    scale = min(max_width / iw, max_height / ih)
    image = RLImage(str(path), width=iw * scale, height=ih * scale)
    image.hAlign = h_align
    return image


# ---------------------------------------------------------------- entry point


def render_pdf(doc: m.Document, target: Path, options: RenderOptions) -> None:
    """Write ``doc`` as a PDF to ``target``; the same model gives the same bytes."""
    fonts.register_fonts()
    styles = S.make_styles()
    story = _StoryBuilder(doc, options, styles).build()
    meta = doc.meta
    saved = rl_config.invariant
    rl_config.invariant = 1
    try:
        template = _DocTemplate(
            str(target), meta,
            pagesize=S.PORTRAIT,
            leftMargin=S.LEFT_MARGIN, rightMargin=S.RIGHT_MARGIN,
            topMargin=S.TOP_MARGIN, bottomMargin=S.BOTTOM_MARGIN,
            title=meta.title, author=meta.organisation, subject=meta.subject or None,
            creator="rapact", lang=LANG, invariant=1, displayDocTitle=1,
            initialFontName=fonts.REGULAR, initialFontSize=10, initialLeading=12,
        )
        template.multiBuild(story)
    finally:
        rl_config.invariant = saved
