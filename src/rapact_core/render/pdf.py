"""The PDF renderer: a visitor that turns the document model into reportlab flowables.

Layout decisions worth knowing:

* Every piece of data text goes through :func:`esc` before it enters a
  reportlab ``Paragraph`` (whose text is XML markup); only markup written here
  (``<b>``, ``<i>``, ``<a>``, ``<br/>``) stays raw.
* Fonts are DejaVu Sans (see :mod:`.fonts`), embedded; nothing uses Helvetica.
* Numbers come from :func:`rapact_core.formatting.format_value` only. Babel
  separates digit groups with U+202F, which reportlab's Paragraph treats as a
  breakable space: numeric table cells are plain (never wrapping) strings, and
  in Paragraph text and wrapped cells U+202F becomes U+00A0, never broken.
* Big tables are laid out by :class:`_TablePart`: row heights are measured
  once, a page break is a bisection, and rows are drawn straight on the
  canvas (a reportlab ``Table`` restyles and re-measures every cell, and
  splitting one is quadratic), with the column labels as a form drawn once
  and reused on each page. Layout and drawing are linear in the number of rows.
* Speed: a layout-only pass (nothing drawn) finds the TOC's page numbers,
  the TOC starting with its entries, then one pass draws everything;
  paragraphs keep their lines between passes; chart images are embedded from
  a PDF image stream cached beside their PNG. See ``benchmarks/``.
* Level-1 headings start a new page (unless already at the top of one); a
  landscape table switches to the landscape page template and back, taking
  the headings just above it along.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus import (
    Flowable,
    FrameBreak,
    Image as RLImage,
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
from .layout import split_width

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


def _dry(canvas) -> bool:
    """True during a layout-only pass (see ``_DocTemplate.build_story``)."""
    return getattr(getattr(canvas, "_doctemplate", None), "dry_run", False)


class _DryDraw:
    """Mixin: draws nothing in a layout-only pass, whose canvas is thrown away."""

    def drawOn(self, canvas, x, y, _sW=0):
        if _dry(canvas):
            return
        super().drawOn(canvas, x, y, _sW)


class _Para(_DryDraw, RLParagraph):
    """A Paragraph that remembers its lines for the width it was last wrapped to.

    Its lines depend on the width only, and one paragraph is wrapped several
    times per pass (kept with the next, split, added) and again on each pass.
    Its split halves are _Para too (reportlab splits with ``self.__class__``).
    """

    _wrapped = None

    def wrap(self, availWidth, availHeight):
        done = self._wrapped
        if done is not None and done[0] == availWidth:
            _, self.width, self._wrapWidths, self.blPara, self.height = done
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        if availWidth >= 1:  # reportlab's "cannot fit" answer is not lines
            self._wrapped = (availWidth, self.width, self._wrapWidths, self.blPara, self.height)
        return size


class _Image(_DryDraw, RLImage):
    pass


class _Table(_DryDraw, RLTable):
    pass


class _Heading(_Para):
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

    def prefill(self, entries) -> None:
        """Start from the headings the story holds, their pages still unknown.

        reportlab's TOC is empty on the first pass, so its real size is only
        known on the second, and the page numbers on the third. Given its
        entries up front, one layout-only pass finds the page numbers and the
        next pass, drawn, is already right.
        """
        self._entries = []
        for level, text, key in entries:
            self.addEntry(level, text, 0, key)

    _rows = None  # ((width, entries), the TOC table's rows): its paragraphs, kept

    def wrap(self, availWidth, availHeight):
        # reportlab's wrap, but the entries' paragraphs are made once for the
        # same entries and width instead of on every wrap (several per pass)
        from ast import literal_eval

        from reportlab.platypus.tableofcontents import drawPageNumbers

        entries = self._lastEntries or [(0, "Placeholder for table of contents", 0, None)]

        def drawTOCEntryEnd(canvas, kind, label):
            page, level, key = label.split(",")
            page, level, key = int(page), int(level), literal_eval(key)
            style = self.getLevelStyle(level)
            dot = " . " if 0 <= self.dotsMinLevel <= level else ""
            if self.formatter:
                page = self.formatter(page)
            drawPageNumbers(canvas, style, [(page, key)], availWidth, availHeight, dot)

        self.canv.setNamedCB("drawTOCEntryEnd", drawTOCEntryEnd)
        cache_key = (availWidth, tuple(entries))
        if self._rows is None or self._rows[0] != cache_key:
            rows = []
            for level, text, page, key in entries:
                style = self.getLevelStyle(level)
                if key:
                    text = f'<a href="#{key}">{text}</a>'
                    key_val = repr(key).replace(",", "\\x2c").replace('"', "\\x2c")
                else:
                    key_val = None
                para = _Para(f'{text}<onDraw name="drawTOCEntryEnd" label="{page},{level},{key_val}"/>',
                             style)
                if style.spaceBefore:
                    rows.append([Spacer(1, style.spaceBefore)])
                rows.append([para])
            self._rows = (cache_key, rows)
        self._table = RLTable(self._rows[1], colWidths=(availWidth,), style=self.tableStyle)
        self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height

    def drawOn(self, canvas, x, y, _sW=0):
        if not _dry(canvas):
            super().drawOn(canvas, x, y, _sW)


# Where a cell's text may break: any white space but U+00A0 (Babel's
# U+202F becomes U+00A0 in wrapped text), as in a reportlab Paragraph.
_BREAKS = re.compile(r"[^\S\u00a0]+")


def wrap_text(text: str, font: str, size: float, width: float, widths: dict | None = None,
              natural: list | None = None) -> list[str]:
    """``text`` broken into lines for a column ``width`` wide, as a Paragraph would.

    reportlab's greedy rule: a word joins the line if the line then fits,
    allowing each space to shrink by ``rl_config.spaceShrinkage``; a line
    break in the text starts a new line; a word wider than the column is cut
    into pieces, the first one filling the current line (``splitLongWords``).
    ``widths``: a cache of word widths for this font and size (words repeat);
    ``natural``: if given, gets each line's width with unshrunk spaces.
    """
    measure = getFont(font).stringWidth
    if widths is None:
        widths = {}
    space = measure(" ", size)
    shrink = rl_config.spaceShrinkage * space
    lines: list[str] = []
    sizes: list[float] = []
    for segment in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for word in _BREAKS.split(segment):
            if not word:
                continue
            w = widths.get(word)
            if w is None:
                w = widths[word] = measure(word, size)
            if not line:
                if w <= width:
                    line, used = [word], w
                    continue
            elif used + space + w <= width + shrink * len(line):
                line.append(word)
                used += space + w
                continue
            elif w <= width:
                lines.append(" ".join(line))
                sizes.append(used)
                line, used = [word], w
                continue
            # a word wider than the column
            pieces = _cut_word(word, font, size, width, used + space if line else 0.0)
            first = pieces.pop(0)
            if first or line:
                lines.append(" ".join(line + [first] if first else line))
                sizes.append(used + (space if line else 0.0) + measure(first, size) if first else used)
            lines.extend(pieces[:-1])
            sizes.extend(measure(piece, size) for piece in pieces[:-1])
            line = [pieces[-1]]
            used = measure(pieces[-1], size)
        lines.append(" ".join(line))
        sizes.append(used)
    if natural is not None:
        natural.extend(sizes)
    return lines


def _cut_word(word: str, font: str, size: float, width: float, start: float) -> list[str]:
    """reportlab's ``_splitWord``: the first piece fits after ``start`` points,
    the next ones on lines of their own; the last one goes on with the text."""
    pieces, piece, used = [], "", start
    for ch in word:
        w = stringWidth(ch, font, size)
        if used + w > width and (piece or w <= width):
            pieces.append(piece)
            piece, used = "", 0.0
        piece += ch
        used += w
    pieces.append(piece)
    if len(pieces) == 1:  # never cut: the first piece ends the line, the rest is empty
        pieces.insert(0, "")
    return pieces


class _Lines(Flowable):
    """A table cell too long for one line: its text broken into lines once.

    Drawn directly by :meth:`_TableSpec.draw_rows`, at the cost of a plain
    string per line (a Paragraph is parsed as markup, wrapped again on every
    layout and drawn through its own text machinery). A reportlab Table that
    must split inside a row gets the cell back as a Paragraph.
    """

    def __init__(self, text: str, lines: list[str], bold: bool, align: str, spacing: dict | None = None):
        super().__init__()
        self.text, self.lines, self.bold, self.align = text, lines, bold, align
        #: line index -> word spacing (negative) of a line that fits by shrinking its spaces
        self.spacing = spacing or {}

    @classmethod
    def wrap_cell(cls, text: str, font: str, width: float, bold: bool, align: str, widths: dict) -> _Lines:
        natural: list[float] = []
        lines = wrap_text(text, font, S.CELL_FONT_SIZE, width, widths, natural)
        spacing = {}
        for k, (line, w) in enumerate(zip(lines, natural)):
            if w > width + 1e-8:  # shrink its spaces to fit, as a Paragraph draws it
                spaces = line.count(" ") + line.count(NBSP)
                if spaces:
                    spacing[k] = (width - w) / spaces
        return cls(text, lines, bold, align, spacing)

    def wrap(self, availWidth, availHeight):
        return availWidth, len(self.lines) * S.CELL_LEADING

    def paragraph(self, styles: S.Styles) -> RLParagraph:
        """The same cell as a Paragraph, for a reportlab Table that splits inside a row."""
        return _Para(esc(self.text).replace("\n", "<br/>"), styles.cells[(self.bold, self.align)])


class _TableSpec:
    """A model table turned into cell contents, row heights and style rules.

    Row heights are measured once, here (a plain-string row is one line; a
    longer cell is broken into lines for its column), so cutting the table
    into pages is a bisection over prefix sums. Rows are drawn straight on
    the canvas (:meth:`draw_rows`): backgrounds, text and rules, as a
    reportlab Table would draw them, without its per-cell machinery; the
    column labels are a small reportlab Table (Paragraph labels, spans).
    """

    def __init__(self, table: m.Table, frame_width: float, styles: S.Styles, form_name: str = "rapacttable"):
        self.table = table
        #: the name of the column labels' form, unique in the document (see draw_header)
        self.form_name = form_name
        self._form_canvas = None
        cols = table.columns
        self.col_widths = column_widths(cols, frame_width)
        self.width = sum(self.col_widths)
        self.col_x = [0.0]  # left edge of each column, and the right edge
        for w in self.col_widths:
            self.col_x.append(self.col_x[-1] + w)
        self.aligns = [c.effective_align.value if c.effective_align is not m.Align.DEFAULT
                       else "left" for c in cols]
        self.styles = styles
        self.header_rows: list[list] = []
        self.header_cmds: list[tuple] = []
        for r, row in enumerate(table.header):
            cells, spans = self._header_row(row, r)
            self.header_rows.append(cells)
            self.header_cmds.extend(spans)
        labels = [self._label(c.label, styles.header_cells[self.aligns[i]],
                              self.col_widths[i] - 2 * S.CELL_PAD_H)
                  for i, c in enumerate(cols)]
        self.header_rows.append(labels)
        self.n_header = len(self.header_rows)
        self.header_heights: list[float] | None = None  # measured on first use

        self.rows: list[list] = []
        self.heights: list[float] = []
        self.spans: dict[int, list[tuple[int, int]]] = {}
        self.marked: list[int] = []  # indices of subtotal/total rows
        self.roles: dict[int, m.RowRole] = {}
        self._formatted: dict = {}
        self._numeric = [c.is_numeric for c in cols]
        self._word_widths: dict[str, dict[str, float]] = {}  # font -> word -> width
        self._inner = [w - 2 * S.CELL_PAD_H for w in self.col_widths]
        for row in table.body + table.foot:
            self._add_row(row)
        self._formatted = self._word_widths = {}
        self.n_body = len(table.body)
        self.n_rows = len(self.rows)
        self.prefix = [0.0]  # prefix[i] = height of rows [0, i)
        total = 0.0
        for h in self.heights:
            total += h
            self.prefix.append(total)

    # -- building
    def _header_row(self, row: m.Row, r: int):
        cells, spans, c = [], [], 0
        for cell in row.cells:
            # header labels: a year stays "2021", not "2 021"
            value = (str(cell.value) if isinstance(cell.value, int) and not isinstance(cell.value, bool)
                     else cell.value)
            text = format_value(value)
            align = "center" if cell.colspan > 1 else self.aligns[c]
            cells.append(_Para(esc(text), self.styles.header_cells[align]) if text else "")
            cells.extend([""] * (cell.colspan - 1))
            if cell.colspan > 1:
                spans.append(("SPAN", (c, r), (c + cell.colspan - 1, r)))
            c += cell.colspan
        return cells, spans

    @staticmethod
    def _label(text: str, style, width: float) -> RLParagraph:
        """A column label; one whose longest word is wider than the column gets a
        smaller font rather than a word cut in two ("% participa-tion")."""
        words = text.replace(NNBSP, NBSP).split()
        widest = max((stringWidth(w, style.fontName, style.fontSize) for w in words), default=0)
        if widest > width > 0:
            size = max(S.MIN_LABEL_FONT_SIZE, style.fontSize * width / widest)
            style = ParagraphStyle(f"{style.name}-{size:.2f}", parent=style, fontSize=size,
                                   leading=size * style.leading / style.fontSize)
        return _Para(esc(text), style)

    def _format(self, value, col: m.Column) -> str:
        if type(value) is str:  # text is itself (format_value's first rule)
            return value
        # the same value in the same column formats the same: cache (dates, rates...)
        key = (type(value), value, col.kind, col.decimals, col.unit, col.accounting)
        try:
            return self._formatted[key]
        except KeyError:
            text = self._formatted[key] = format_value(value, col.kind, col.decimals, col.unit,
                                                      col.accounting)
            return text
        except TypeError:  # unhashable: never in the model, but never fail on it
            return format_value(value, col.kind, col.decimals, col.unit, col.accounting)

    def _add_row(self, row: m.Row):
        index = len(self.rows)
        bold = row.role is not m.RowRole.BODY
        font = fonts.BOLD if bold else fonts.REGULAR
        measure = getFont(font).stringWidth
        cols = self.table.columns
        numeric = self._numeric
        inner = self._inner
        height = S.CELL_LEADING + 2 * S.CELL_PAD_V
        out, c = [], 0
        for cell in row.cells:
            col = cols[c]
            text = self._format(cell.value, col)
            span = cell.colspan
            width = inner[c] if span == 1 else sum(self.col_widths[c:c + span]) - 2 * S.CELL_PAD_H
            if (numeric[c] and not isinstance(cell.value, str)) or (
                "\n" not in text
                and (not text or measure(text, S.CELL_FONT_SIZE) <= width)
            ):
                # a plain string: one line that never wraps (amounts keep their
                # U+202F), and ~50x cheaper than a Paragraph
                out.append(text)
            else:
                align = self.aligns[c] if cell.colspan == 1 else "left"
                text = text.replace(NNBSP, NBSP)  # as in a Paragraph: never broken
                lines = _Lines.wrap_cell(text, font, width, bold, align, self._word_widths.setdefault(font, {}))
                height = max(height, len(lines.lines) * S.CELL_LEADING + 2 * S.CELL_PAD_V)
                out.append(lines)
            if cell.colspan > 1:
                out.extend([""] * (cell.colspan - 1))
                self.spans.setdefault(index, []).append((c, c + cell.colspan - 1))
            c += cell.colspan
        self.rows.append(out)
        self.heights.append(height)
        if bold:
            self.marked.append(index)
            self.roles[index] = row.role

    def header_height(self, canv) -> float:
        if self.header_heights is None:
            t = self.make_table(0, 0, True, fixed=False)
            t.wrapOn(canv, self.width, 1e6)
            self.header_heights = list(t._rowHeights)
        return sum(self.header_heights)

    def rows_height(self, start: int, end: int) -> float:
        return self.prefix[end] - self.prefix[start]

    def rows_fitting(self, start: int, end: int, height: float) -> int:
        """How many rows from ``start`` fit in ``height`` points."""
        i = bisect.bisect_right(self.prefix, self.prefix[start] + height + 1e-6, start, end + 1)
        return max(0, i - 1 - start)

    # -- drawing rows [start, end) on the canvas
    def draw_rows(self, canv, x: float, top: float, start: int, end: int, header: bool = False) -> None:
        """Draw rows ``[start, end)`` below ``top``, and the column labels above
        it if ``header``, in a Table's order: backgrounds, the labels, text,
        rules. Same geometry as a Table with this spec's style: TOP-aligned
        text, padding, zebra rows, rules below each row. All cell text is in
        the text colour (a Table's string cells would be black, its Paragraph
        cells in the text colour: one colour saves a colour switch per cell)."""
        prefix, heights, roles = self.prefix, self.heights, self.roles
        col_x, aligns, ncols = self.col_x, self.aligns, len(self.col_widths)
        size, leading, pad_h = S.CELL_FONT_SIZE, S.CELL_LEADING, S.CELL_PAD_H
        origin = top + prefix[start]  # row i spans [origin - prefix[i+1], origin - prefix[i]]
        right = x + self.width
        canv.saveState()
        # backgrounds: zebra (white rows are not painted), subtotal and total rows
        fill = None
        for i in range(start, end):
            role = roles.get(i)
            if role is not None:
                color = S.TOTAL_FILL if role is m.RowRole.TOTAL else S.SUBTOTAL_FILL
            elif i % 2:
                color = S.ZEBRA_FILL
            else:
                continue
            if color is not fill:
                canv.setFillColor(color)
                fill = color
            canv.rect(x, origin - prefix[i + 1], self.width, heights[i], stroke=0, fill=1)
        if header:
            self.draw_header(canv, x, top)
        # text: one drawString per line, as a Table draws its string cells
        # (each cell its own text object: text extraction reads cell by cell)
        canv.setFillColor(S.TEXT)
        state = None  # the font currently set on the canvas
        spans = self.spans
        draw = {"left": canv.drawString, "right": canv.drawRightString,
                "center": canv.drawCentredString}
        for i in range(start, end):
            row = self.rows[i]
            font = fonts.BOLD if i in roles else fonts.REGULAR
            baseline = origin - prefix[i] - S.CELL_PAD_V - size
            row_spans = spans.get(i)
            c = 0
            while c < ncols:
                cell = row[c]
                last = c
                if row_spans:
                    for c0, c1 in row_spans:
                        if c0 == c:
                            last = c1
                if isinstance(cell, str):
                    lines, align = ((cell,) if cell else ()), aligns[c]
                else:
                    lines, align = cell.lines, cell.align
                if lines:
                    if state != font:
                        canv.setFont(font, size, leading)
                        state = font
                    if align == "left":
                        at = x + col_x[c] + pad_h
                    elif align == "right":
                        at = x + col_x[last + 1] - pad_h
                    else:
                        at = x + (col_x[c] + col_x[last + 1]) / 2
                    spacing = None if isinstance(cell, str) else cell.spacing
                    if len(lines) == 1 and not spacing:
                        draw[align](at, baseline, lines[0])
                    else:  # one text object, as a Paragraph draws its lines
                        tx = canv.beginText()
                        y = baseline
                        for k, line in enumerate(lines):
                            if not line:
                                pass
                            elif spacing and k in spacing:  # fits with narrower spaces
                                tx.setTextOrigin(x + col_x[c] + pad_h, y)
                                tx.setWordSpace(spacing[k])
                                tx.textLine(line)
                                tx.setWordSpace(0)
                            else:
                                if align == "left":
                                    tx.setTextOrigin(at, y)
                                else:
                                    w = stringWidth(line, font, size)
                                    tx.setTextOrigin(at - (w if align == "right" else w / 2), y)
                                tx.textLine(line)  # a line break after it, as drawString
                            y -= leading
                        canv.drawText(tx)
                c = last + 1
        # rules: below every row, then above subtotals and totals
        canv.setLineCap(1)
        canv.setLineJoin(1)
        canv.setStrokeColor(S.LIGHT_GREY)
        canv.setLineWidth(S.GRID_WIDTH)
        canv.lines([(x, origin - prefix[i + 1], right, origin - prefix[i + 1]) for i in range(start, end)])
        lo = bisect.bisect_left(self.marked, start)
        hi = bisect.bisect_left(self.marked, end)
        for i in self.marked[lo:hi]:
            total = roles[i] is m.RowRole.TOTAL
            canv.setStrokeColor(S.TEXT if total else S.GREY)
            canv.setLineWidth(S.TOTAL_RULE_WIDTH if total else S.GRID_WIDTH * 2)
            canv.line(x, origin - prefix[i], right, origin - prefix[i])
        canv.restoreState()

    def draw_header(self, canv, x: float, y: float) -> None:
        """The column labels, their bottom at ``y``: drawn once per document
        as a form (a reportlab Table: Paragraph labels, spans), then reused
        on every page the table runs over."""
        if self._form_canvas is not canv:
            table = self.make_table(0, 0, True)
            table.wrapOn(canv, self.width, 1e6)
            height = sum(self.header_heights)
            # the margin keeps the rule under the labels (and its round caps) inside
            canv.beginForm(self.form_name, -2, -2, self.width + 2, height + 2)
            table.drawOn(canv, 0, 0)
            canv.endForm()
            self._form_canvas = canv
        canv.saveState()
        canv.translate(x, y)
        canv.doForm(self.form_name)
        canv.restoreState()

    # -- one reportlab Table for rows [start, end): the labels, a row cut inside
    def make_table(self, start: int, end: int, header: bool, *, fixed: bool = True,
                   split_in_row: bool = False) -> RLTable:
        h = self.n_header if header else 0
        rows = [[c.paragraph(self.styles) if isinstance(c, _Lines) else c for c in row]
                for row in self.rows[start:end]]
        data = (self.header_rows if header else []) + rows
        cmds = [
            ("FONT", (0, 0), (-1, -1), fonts.REGULAR, S.CELL_FONT_SIZE, S.CELL_LEADING),
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
        heights = None
        if fixed and (not header or self.header_heights is not None):
            heights = (self.header_heights if header else []) + self.heights[start:end]
        return RLTable(data, colWidths=self.col_widths, rowHeights=heights, style=TableStyle(cmds),
                       hAlign="LEFT", repeatRows=h if split_in_row else 0,
                       splitInRow=int(split_in_row))


class _TablePart(Flowable):
    """Rows ``[start, end)`` of a table, cut into pages in linear time.

    Heights are known in advance (see _TableSpec), so splitting is a
    bisection and the reportlab Table of a part is only built when the part
    is drawn. ``header``: True/False, or None for "when at the top of a
    frame", so a table cut in a lead (kept with its caption) and a rest reads
    as one table, with the column labels repeated on every page.
    """

    def __init__(self, spec: _TableSpec, start: int, end: int, header: bool | None):
        super().__init__()
        self.spec, self.start, self.end, self.header = spec, start, end, header
        self.spaceAfter = 10 if end == spec.n_rows else 0
        self._table = None

    def _wants_header(self) -> bool:
        if self.header is not None:
            return self.header
        frame = getattr(self, "_frame", None)
        return frame is None or bool(getattr(frame, "_atTop", True))

    def _height(self, header: bool) -> float:
        head = self.spec.header_height(self.canv) if header else 0.0
        return head + self.spec.rows_height(self.start, self.end)

    def wrap(self, availWidth, availHeight):
        self._with_header = self._wants_header()
        self.width, self.height = self.spec.width, self._height(self._with_header)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        spec = self.spec
        header = self._wants_header()
        head = spec.header_height(self.canv) if header else 0.0
        remaining = self.end - self.start
        n = spec.rows_fitting(self.start, self.end, availHeight - head)
        if n >= remaining:
            return [_TablePart(spec, self.start, self.end, header)]
        frame = getattr(self, "_frame", None)
        at_top = bool(frame is None or getattr(frame, "_atTop", False))
        frame_height = getattr(frame, "_aH", availHeight)
        # the next row cannot fit on any page: cut inside it rather than wait
        too_tall = head + spec.heights[self.start + n] > frame_height + 1e-6
        if n == 0 and too_tall:
            big = spec.make_table(self.start, self.start + 1, header, fixed=False,
                                  split_in_row=True)
            pieces = big.splitOn(self.canv, availWidth, availHeight)
            if not pieces:
                return [big] if at_top else []
            rest = [_TablePart(spec, self.start + 1, self.end, None)] if remaining > 1 else []
            return pieces + rest
        if not too_tall:
            # keep the last body row with the totals below it
            if 0 < spec.n_body < self.end and self.start + n >= spec.n_body:
                kept = spec.n_body - 1 - self.start
                if kept >= 1 or not at_top:
                    n = max(kept, 0)
            # no lone row at the bottom of a page
            if n < min(2, remaining) and not at_top:
                return []
        if n <= 0:
            return [] if not at_top else [_TablePart(spec, self.start, self.end, header)]
        return [_TablePart(spec, self.start, self.start + n, header),
                _TablePart(spec, self.start + n, self.end, None)]

    def drawOn(self, canvas, x, y, _sW=0):
        if _dry(canvas):
            return  # a layout-only pass: nothing drawn is kept
        spec = self.spec
        top = y + self.height
        if self._with_header:
            top -= spec.header_height(canvas)
        spec.draw_rows(canvas, x, top, self.start, self.end, self._with_header)


def column_widths(columns, total: float) -> list[float]:
    """Column widths in points from the relative ``Column.width`` weights (rule in ``layout``)."""
    return split_width(columns, total)


# ---------------------------------------------------------------- the document template


class _DocTemplate(BaseDocTemplate):
    def __init__(self, filename, meta: m.Meta, **kw):
        self.meta = meta
        super().__init__(filename, **kw)
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

    dry_run = False

    def build_story(self, story: list, max_passes: int = 10) -> int:
        """Lay out and save the story; return the number of passes.

        Like ``multiBuild``, passes repeat until the table of contents knows
        its page numbers; but those extra passes are layout only (nothing is
        drawn: not the tables, the bulk of the work, nor paragraphs and
        images), then one last pass draws everything. The TOC starts with its
        entries (see ``_TOC.prefill``), so a report takes two passes: one
        layout-only, one drawn.
        """
        indexing = [f for f in story if f.isIndexing()]
        self.dry_run = False
        self._doSave = 0
        if not indexing:
            self.build(story)
            self.canv.save()
            return 1
        self.dry_run = True
        self._indexingFlowables = indexing
        edits: list = []
        self._multiBuildEdits = edits.append
        passes = 0
        try:
            while True:
                passes += 1
                for f in indexing:
                    f.beforeBuild()
                self.build(story[:])
                for f in indexing:
                    f.afterBuild()
                while edits:  # undo what keepWithNext changed on the flowables
                    e = edits.pop(0)
                    e[0](*e[1:])
                if self._allSatisfied() and not self.dry_run:
                    self.canv.save()
                    return passes
                if passes > max_passes:
                    raise RapactError("PDF: the table of contents did not settle "
                                      f"after {max_passes} passes")
                # The next pass is drawn for real as soon as its layout is known:
                # the TOC lists the same headings as in the pass just done (only
                # page numbers may change, and they do not change its size).
                # With the TOC pre-filled from the model, that is the second pass.
                self.dry_run = not (self._allSatisfied() or _same_headings(indexing))
        finally:
            self.dry_run = False
            del self._multiBuildEdits

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


def _same_headings(indexing) -> bool:
    """Every index lists the same entries as on the previous pass, page numbers aside."""
    for f in indexing:
        if isinstance(f, _TOC):
            now = [(e[0], e[1], e[3]) for e in f._entries]
            before = [(e[0], e[1], e[3]) for e in f._lastEntries]
            if now != before:
                return False
        elif not f.isSatisfied():
            return False
    return True


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
        #: (level - 1, markup, key) of the headings listed in the TOC, in story order
        self.toc_entries: list[tuple[int, str, str]] = []

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
            story.append(_Para(esc(meta.organisation), st.cover_org))
        story.append(Spacer(1, 3.5 * cm))
        story.append(_Para(esc(meta.title), st.cover_title))
        if meta.subject:
            story.append(_Para(esc(meta.subject), st.cover_subject))
        story.append(Spacer(1, 0.6 * cm))
        if meta.date:
            story.append(_Para(esc(format_long_date(meta.date)), st.cover_meta))
        if meta.reference:
            story.append(_Para(esc(meta.reference), st.cover_meta))
        if meta.signatories:
            story.append(FrameBreak())
            per_row = min(3, len(meta.signatories))
            cells = [[_Para(esc(s.name), st.cover_name), _Para(esc(s.role), st.cover_role)]
                     for s in meta.signatories]
            rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
            rows[-1] += [""] * (per_row - len(rows[-1]))
            table = _Table(rows, colWidths=[fw / per_row] * per_row, hAlign="LEFT",
                            style=TableStyle([
                                ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
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
        key = self.key("h")
        self.story.append(_Heading(markup, self.styles.heading(level), key=key,
                                   level=level, text=text, in_toc=block.in_toc))
        if block.in_toc:  # what afterFlowable will notify, but for the page
            self.toc_entries.append((level - 1, esc(text), key))

    def _paragraph(self, block: m.Paragraph) -> None:
        style = {
            m.ParagraphStyle.BODY: self.styles.body,
            m.ParagraphStyle.LEAD: self.styles.lead,
            m.ParagraphStyle.NOTE: self.styles.note,
            m.ParagraphStyle.QUOTE: self.styles.quote,
            m.ParagraphStyle.KEY_FIGURE: self.styles.key_figure,
        }[m.ParagraphStyle(block.style)]
        self.story.append(_Para(inline_markup(block.content), style))

    def _listblock(self, block: m.ListBlock) -> None:
        # Plain paragraphs with a bullet, not a ListFlowable: reportlab never keeps
        # a heading with a container flowable (keepWithNext skips them).
        paragraphs: list = []
        self._list(block, 0, paragraphs)
        if paragraphs:
            paragraphs[-1].spaceAfter = max(self.styles.body.spaceAfter, 6)
        self.story.extend(paragraphs)

    def _list(self, block: m.ListBlock, depth: int, out: list) -> None:
        style = self.styles.list_style(depth, block.ordered)
        for i, item in enumerate(block.items):
            if block.ordered:
                bullet = f"{block.start + i}."
            else:
                bullet = S.LIST_BULLETS[depth % len(S.LIST_BULLETS)]
            out.append(_Para(inline_markup(item.content), style, bulletText=bullet))
            if item.children is not None:
                self._list(item.children, depth + 1, out)

    def _table(self, block: m.Table) -> None:
        self.set_orientation("landscape" if block.landscape else "portrait")
        spec = _TableSpec(block, self.frame_width, self.styles, form_name=self.key("rapacttable"))
        caption = _caption("Tableau", block.number, block.caption)
        if caption:
            self.story.append(_Para(esc(caption), self.styles.table_caption))
        n = spec.n_rows
        if n <= 12:
            self.story.append(_TablePart(spec, 0, n, header=True))
        else:  # a short lead kept with the caption, then the rest, seamlessly
            self.story.append(_TablePart(spec, 0, 3, header=True))
            self.story.append(_TablePart(spec, 3, n, header=None))

    def _figure(self, block: m.Figure) -> None:
        from .charts import chart_size

        iw, ih = chart_size(block.chart)
        width = max(0.05, min(1.0, block.width)) * self.frame_width
        scale = min(width / iw, 0.75 * self.frame_height / ih)
        image = _ChartImage(block.chart, iw * scale, ih * scale)
        self.story.append(image)
        caption = _caption("Figure", block.number, block.caption)
        if caption:
            # not a KeepTogether: keepWithNext (a heading above) skips containers
            image.keepWithNext = 1
            self.story.append(_Para(esc(caption), self.styles.figure_caption))
        else:
            self.story.append(Spacer(1, 12))

    def _image(self, block: m.Image) -> None:
        path = self._resolve(block.path, "image")
        width = max(0.05, min(1.0, block.width)) * self.frame_width
        self.story.append(_scaled_image(path, width, 0.75 * self.frame_height))
        self.story.append(Spacer(1, 8))

    def _pagebreak(self, block: m.PageBreak) -> None:
        # a page break at the top of a page would leave a blank page
        self.story.append(NotAtTopPageBreak())

    def _tableofcontents(self, block: m.TableOfContents) -> None:
        if block.title:
            # a titled TOC starts its own page; an untitled one follows its chapter heading
            self.story.append(NotAtTopPageBreak())
            self.story.append(_Heading(esc(block.title), self.styles.toc_title,
                                       key=self.key("toc"), level=1, text=block.title,
                                       in_toc=False))
        self.story.append(_TOC(max(1, block.depth), levelStyles=list(self.styles.toc_levels),
                               dotsMinLevel=0, tableStyle=_TOC_TABLE_STYLE))

    def _custom(self, block: m.Custom) -> None:
        if self.options.custom is None:
            raise RapactError(error(
                f"custom block {block.kind!r} of plugin {block.plugin!r} cannot be rendered "
                "to PDF: no custom renderer was given", plugin=block.plugin).findings)
        flowables: list = []
        self.options.custom(block, "pdf", flowables)
        self.story.extend(flowables)


# reportlab's TOC table style, plus a font: a Table sets its cells' font even
# when they hold only Paragraphs, and the default would pull in Helvetica
_TOC_TABLE_STYLE = TableStyle([
    ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
])


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
    image = _Image(str(path), width=iw * scale, height=ih * scale)
    image.hAlign = h_align
    return image


# ---------------------------------------------------------------- chart images

# reportlab embeds a PNG by decoding it and compressing its pixels again
# (zlib, ~50 ms for a 1280x680 chart, its alpha channel as a second image).
# A chart's PNG sits in the content-addressed chart cache: its PDF image
# stream is kept beside it, so a rebuild with unchanged charts embeds bytes.
_IMAGE_MAGIC = b"RAPACT-PDFIMAGE-1"


def _chart_stream(path: Path):
    """(width, height, RGB stream, alpha stream or None) of a PNG, zlib-compressed.

    Cached in ``<png stem>.<digest>.pdfimage`` next to the PNG (the digest
    is the PNG's own, so a changed PNG never reuses a stale stream).
    """
    import hashlib
    import os
    import zlib

    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:20]
    cached = path.with_name(f"{path.stem}.{digest}.pdfimage")
    try:
        blob = cached.read_bytes()
        header, _, rest = blob.partition(b"\n")
        magic, w, h, n_rgb, n_alpha = header.split()
        if magic == _IMAGE_MAGIC and len(rest) == int(n_rgb) + int(n_alpha):
            n_rgb = int(n_rgb)
            return int(w), int(h), rest[:n_rgb], rest[n_rgb:] or None
    except (OSError, ValueError):
        pass
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        im = im.convert("RGBA")
        channel = im.getchannel("A")
        alpha = None
        if channel.getextrema() != (255, 255):  # charts are opaque: no soft mask
            alpha = zlib.compress(channel.tobytes())
        w, h = im.size
        rgb = zlib.compress(im.convert("RGB").tobytes())
    blob = b"%s %d %d %d %d\n" % (_IMAGE_MAGIC, w, h, len(rgb), len(alpha or b"")) + rgb + (alpha or b"")
    try:
        tmp = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, cached)
    except OSError:  # a read-only cache still renders
        pass
    return w, h, rgb, alpha


class _ChartImage(_DryDraw, Flowable):
    """A chart, embedded from the PDF image stream cached beside its PNG (see ``_chart_stream``)."""

    def __init__(self, chart: m.Chart, width: float, height: float):
        super().__init__()
        self.chart = chart
        self.drawWidth, self.drawHeight = width, height
        self.hAlign = "CENTER"

    def wrap(self, availWidth, availHeight):
        return self.drawWidth, self.drawHeight

    def draw(self):
        from reportlab.pdfbase import pdfdoc

        from .charts import chart_key, chart_png

        canv = self.canv
        doc = canv._doc
        name = f"rapactchart{chart_key(self.chart)}"
        reg = doc.getXObjectName(name)
        if doc.idToObject.get(reg) is None:  # registered as canvas.drawImage does
            width, height, rgb, alpha = _chart_stream(chart_png(self.chart))
            image = pdfdoc.PDFImageXObject(name)
            image.width, image.height, image.streamContent = width, height, rgb
            image.bitsPerComponent, image.colorSpace, image._filters = 8, "DeviceRGB", ("FlateDecode",)
            if alpha:
                mask = pdfdoc.PDFImageXObject(name + "a")
                mask.width, mask.height, mask.bitsPerComponent = width, height, 8
                mask.colorSpace, mask.streamContent, mask._filters = "DeviceGray", alpha, ("FlateDecode",)
                canv._setXObjects(mask)
                image.smask = doc.Reference(mask, doc.getXObjectName(mask.name))
            canv._setXObjects(image)
            doc.Reference(image, reg)
            doc.addForm(name, image)
        canv._currentPageHasImages = 1
        canv.saveState()
        canv.scale(self.drawWidth, self.drawHeight)
        canv.doForm(name)
        canv.restoreState()


# ---------------------------------------------------------------- entry point


def render_pdf(doc: m.Document, target: Path, options: RenderOptions) -> None:
    """Write ``doc`` as a PDF to ``target``; the same model gives the same bytes."""
    fonts.register_fonts()
    styles = S.make_styles()
    builder = _StoryBuilder(doc, options, styles)
    story = builder.build()
    for flowable in story:
        if isinstance(flowable, _TOC):
            flowable.prefill(builder.toc_entries)
    meta = doc.meta
    saved = rl_config.invariant, rl_config.useA85
    rl_config.invariant = 1  # byte-identical output for the same model
    rl_config.useA85 = 0  # binary streams: smaller and faster than ASCII85
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
        template.build_story(story)
    finally:
        rl_config.invariant, rl_config.useA85 = saved
