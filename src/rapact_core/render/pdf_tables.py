"""A model table turned into what the PDF draws: cell texts, row heights, styles.

Big tables are laid out by :mod:`.pdf_table_pages`, not by reportlab's
``Table`` (which restyles and re-measures every cell, and whose splitting is
quadratic). A :class:`TableSpec` measures every row once: a cell that fits
on one line stays a plain string, never wrapped (amounts keep their U+202F),
a longer one is broken into lines once (:class:`CellLines`). Numbers and
dates are formatted in the document's locale, by
:func:`rapact_core.formatting.format_value` only.
"""

from __future__ import annotations

import bisect

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.platypus import Flowable, Paragraph as RLParagraph, Table as RLTable, TableStyle

from .. import model as m
from ..formatting import DEFAULT_LOCALE, cell_text, format_value
from . import fonts
from . import pdf_styles as S
from . import reportlab_adapter as rl
from .layout import Metrics, TableLayout, plan_table, split_width
from .pdf_flowables import Para
from .pdf_text import NBSP, NNBSP, esc, wrap_text


class CellLines(Flowable):
    """A table cell too long for one line: its text broken into lines once.

    Drawn directly by :func:`.pdf_table_pages.draw_rows`, at the cost of a plain
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
    def wrap_cell(cls, text: str, font: str, width: float, bold: bool, align: str, widths: dict,
                  size: float = S.CELL_FONT_SIZE, leading: float = S.CELL_LEADING) -> CellLines:
        natural: list[float] = []
        lines = wrap_text(text, font, size, width, widths, natural)
        spacing = {}
        for k, (line, w) in enumerate(zip(lines, natural)):
            if w > width + 1e-8:  # shrink its spaces to fit, as a Paragraph draws it
                spaces = line.count(" ") + line.count(NBSP)
                if spaces:
                    spacing[k] = (width - w) / spaces
        cell = cls(text, lines, bold, align, spacing)
        cell.leading = leading
        return cell

    leading = S.CELL_LEADING

    def wrap(self, availWidth, availHeight):
        return availWidth, len(self.lines) * self.leading

    def paragraph(self, styles: dict) -> RLParagraph:
        """The same cell as a Paragraph, for a reportlab Table that splits inside a row;
        ``styles``: the table's cell styles by (bold, align)."""
        return Para(esc(self.text).replace("\n", "<br/>"), styles[(self.bold, self.align)])


def pdf_metrics() -> Metrics:
    """How the PDF sets a table: DejaVu Sans at the cell size, the cells' padding."""
    # half a point of slack: a label word that fits exactly stays within reportlab's tolerance
    return Metrics(fonts.REGULAR, fonts.BOLD, S.CELL_FONT_SIZE, S.CELL_PAD_H, slack=0.5)


def plan(table: m.Table, locale: str = DEFAULT_LOCALE, negatives=m.NegativeAmounts.MINUS) -> TableLayout:
    """The table's column widths and page orientation on the PDF's pages (see :mod:`.layout`)."""
    return plan_table(table, pdf_metrics(), S.frame_size(S.PORTRAIT)[0], S.frame_size(S.LANDSCAPE)[0],
                      locale, negatives)


def _scaled(style: ParagraphStyle, scale: float) -> ParagraphStyle:
    if scale == 1:
        return style
    return ParagraphStyle(f"{style.name}-x{scale:.3f}", parent=style, fontSize=style.fontSize * scale,
                          leading=style.leading * scale)


class TableSpec:
    """A model table turned into cell contents, row heights and style rules.

    Row heights are measured once, here (a plain-string row is one line; a
    longer cell is broken into lines for its column), so cutting the table
    into pages is a bisection over prefix sums (:meth:`rows_fitting`). The
    rows are drawn by :func:`.pdf_table_pages.draw_rows`; the column labels,
    and a row too tall for a page, are a small reportlab Table
    (:meth:`make_table`).
    """

    def __init__(self, table: m.Table, frame_width: float, styles: S.Styles, form_name: str = "rapacttable",
                 locale: str = DEFAULT_LOCALE, negatives=m.NegativeAmounts.MINUS, layout: TableLayout | None = None):
        self.table = table
        self.locale = locale
        self.negatives = negatives
        #: the name of the column labels' form, unique in the document (see draw_header)
        self.form_name = form_name
        #: the canvas the labels' form was drawn on (see draw_header)
        self.form_canvas = None
        #: the table's structure element (a TableElement), when the PDF is tagged
        self.element = None
        cols = table.columns
        if layout is None:  # the frame's width, whatever the table's orientation
            layout = plan_table(table, pdf_metrics(), frame_width, frame_width, locale, negatives)
        self.layout = layout
        #: the table's font size and leading: the styles' own unless the layout scaled them down
        self.font_size = S.CELL_FONT_SIZE * layout.scale
        self.leading = S.CELL_LEADING * layout.scale
        self.cell_styles = {k: _scaled(v, layout.scale) for k, v in styles.cells.items()}
        header_styles = {k: _scaled(v, layout.scale) for k, v in styles.header_cells.items()}
        self.col_widths = list(layout.widths)
        self.width = sum(self.col_widths)
        self.col_x = [0.0]  # left edge of each column, and the right edge
        for w in self.col_widths:
            self.col_x.append(self.col_x[-1] + w)
        self.aligns = [c.effective_align.value if c.effective_align is not m.Align.DEFAULT
                       else "left" for c in cols]
        self.styles = styles
        self.header_rows: list[list] = []
        self.header_cmds: list[tuple] = []
        self.header_styles = header_styles
        for r, row in enumerate(table.header):
            cells, spans = self._header_row(row, r)
            self.header_rows.append(cells)
            self.header_cmds.extend(spans)
        # every column is at least as wide as its label's longest word (layout): never cut
        labels = [Para(esc(c.label), header_styles[self.aligns[i]]) for i, c in enumerate(cols)]
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
            text = format_value(value, locale=self.locale)
            align = "center" if cell.colspan > 1 else self.aligns[c]
            cells.append(Para(esc(text), self.header_styles[align]) if text else "")
            cells.extend([""] * (cell.colspan - 1))
            if cell.colspan > 1:
                spans.append(("SPAN", (c, r), (c + cell.colspan - 1, r)))
            c += cell.colspan
        return cells, spans

    def _format(self, cell: m.Cell, col: m.Column) -> str:
        value = cell.value
        if type(value) is str:  # text is itself (format_value's first rule)
            return value
        # the same value in the same column formats the same: cache (dates, rates...)
        key = (type(value), value, cell.kind, col.kind, col.decimals, col.unit, col.accounting)
        try:
            return self._formatted[key]
        except KeyError:
            text = self._formatted[key] = cell_text(cell, col, self.locale, self.negatives)
            return text
        except TypeError:  # unhashable: never in the model, but never fail on it
            return cell_text(cell, col, self.locale, self.negatives)

    def _add_row(self, row: m.Row):
        index = len(self.rows)
        bold = row.role is not m.RowRole.BODY
        font = fonts.BOLD if bold else fonts.REGULAR
        measure = getFont(font).stringWidth
        cols = self.table.columns
        numeric = self._numeric
        inner = self._inner
        size, leading = self.font_size, self.leading
        height = leading + 2 * S.CELL_PAD_V
        out, c = [], 0
        for cell in row.cells:
            col = cols[c]
            text = self._format(cell, col)
            span = cell.colspan
            width = inner[c] if span == 1 else sum(self.col_widths[c:c + span]) - 2 * S.CELL_PAD_H
            if (numeric[c] and not isinstance(cell.value, str)) or (
                "\n" not in text
                and (not text or measure(text, size) <= width)
            ):
                # a plain string: one line that never wraps (amounts keep their
                # U+202F), and ~50x cheaper than a Paragraph
                out.append(text)
            else:
                align = self.aligns[c] if cell.colspan == 1 else "left"
                text = text.replace(NNBSP, NBSP)  # as in a Paragraph: never broken
                lines = CellLines.wrap_cell(text, font, width, bold, align, self._word_widths.setdefault(font, {}),
                                            size, leading)
                height = max(height, len(lines.lines) * leading + 2 * S.CELL_PAD_V)
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
        """The height of the column labels, measured by reportlab once."""
        if self.header_heights is None:
            t = self.make_table(0, 0, True, fixed=False)
            t.wrapOn(canv, self.width, 1e6)
            self.header_heights = rl.table_row_heights(t)
        return sum(self.header_heights)

    def rows_height(self, start: int, end: int) -> float:
        return self.prefix[end] - self.prefix[start]

    def rows_fitting(self, start: int, end: int, height: float) -> int:
        """How many rows from ``start`` fit in ``height`` points."""
        i = bisect.bisect_right(self.prefix, self.prefix[start] + height + 1e-6, start, end + 1)
        return max(0, i - 1 - start)

    # -- one reportlab Table for rows [start, end): the labels, a row cut inside
    def make_table(self, start: int, end: int, header: bool, *, fixed: bool = True,
                   split_in_row: bool = False, render=None) -> RLTable:
        """``render``: the Table's render callback (see :class:`.pdf_tags.TableCallback`)."""
        h = self.n_header if header else 0
        rows = [[c.paragraph(self.cell_styles) if isinstance(c, CellLines) else c for c in row]
                for row in self.rows[start:end]]
        data = (self.header_rows if header else []) + rows
        cmds = [
            ("FONT", (0, 0), (-1, -1), fonts.REGULAR, self.font_size, self.leading),
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
                       splitInRow=int(split_in_row), renderCB=render)


def column_widths(columns, total: float) -> list[float]:
    """``total`` points split by the relative ``Column.width`` weights alone, the
    starting point of :func:`.layout.plan_table` (which also gives every column
    its minimum)."""
    return split_width(columns, total)
