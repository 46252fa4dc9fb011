"""A measured table cut into pages, and its rows drawn straight on the canvas.

Row heights are known in advance (see :class:`.pdf_tables.TableSpec`), so a
page break is a bisection over their prefix sums, and a :class:`TablePart`
is only drawn, never laid out again. Rows are drawn with one ``drawString``
per line, as a reportlab Table draws its string cells, without its per-cell
machinery; the column labels are a small reportlab Table drawn once per
document as a form and reused on each page. Layout and drawing are linear in
the number of rows.
"""

from __future__ import annotations

import bisect

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from .. import model as m
from . import fonts
from . import pdf_styles as S
from . import reportlab_adapter as rl
from .pdf_flowables import is_dry
from .pdf_tables import TableSpec
from .pdf_marking import TableCallback
from .pdf_tags import ARTIFACT, marks_of


#: a table cut across pages leaves at least this many body rows on each side
MIN_ROWS = 3


class TablePart(Flowable):
    """Rows ``[start, end)`` of a table, cut into pages in linear time.

    Heights are known in advance (see :class:`.pdf_tables.TableSpec`), so splitting is a
    bisection and the reportlab Table of a part is only built when the part
    is drawn. ``header``: True/False, or None for "when at the top of a
    frame", so the column labels are repeated on every page the table runs
    over. A cut leaves at least :data:`MIN_ROWS` body rows on each side and
    never the totals alone (see :func:`allowed_cut`).
    """

    def __init__(self, spec: TableSpec, start: int, end: int, header: bool | None):
        super().__init__()
        self.spec, self.start, self.end, self.header = spec, start, end, header
        self.spaceAfter = 10 if end == spec.n_rows else 0
        self.with_header = bool(header)  # decided again by each wrap
        tag = getattr(spec, "rapact_tag", None)
        if tag is not None:
            self.rapact_tag = tag

    def wants_header(self, at_top: bool | None = None) -> bool:
        if self.header is not None:
            return self.header
        if at_top is None:
            frame = rl.frame_of(self)
            at_top = frame is None or rl.frame_at_top(frame)
        return at_top

    def wrap(self, availWidth, availHeight):
        self.with_header = self.wants_header()
        head = self.spec.header_height(self.canv) if self.with_header else 0.0
        self.width, self.height = self.spec.width, head + self.spec.rows_height(self.start, self.end)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        frame = rl.frame_of(self)
        return self.cut(availWidth, availHeight, frame, frame is None or rl.frame_at_top(frame))

    def split_below(self, availWidth, availHeight, frame, fresh: bool = False):
        """Cut below other flowables of a page (a caption kept with the table).
        ``fresh``: they are at the top of the page, so ``availHeight`` is all
        the room this part will ever have below them."""
        return self.cut(availWidth, availHeight, frame, fresh, availHeight if fresh else None)

    def cut(self, availWidth, availHeight, frame, at_top: bool, room: float | None = None) -> list:
        spec = self.spec
        header = self.wants_header(at_top) if self.header is None else self.header
        head = spec.header_height(self.canv) if header else 0.0
        remaining = self.end - self.start
        n = spec.rows_fitting(self.start, self.end, availHeight - head)
        if n >= remaining:
            return [TablePart(spec, self.start, self.end, header)]
        # the most room a page can give (a whole frame: ours have no padding, but say so)
        if room is not None:
            frame_height = room
        elif frame is None:
            frame_height = availHeight
        else:
            bottom, top = rl.frame_bounds(frame)
            frame_height = top - bottom
        # the next row cannot fit on any page: cut inside it rather than wait
        too_tall = head + spec.heights[self.start + n] > frame_height + 1e-6
        if n == 0 and too_tall:
            render = None
            if spec.element is not None:  # its pieces mark their cells, and the repeated labels
                render = TableCallback(spec.element, self.start, spec.n_header if header else 0)
            big = spec.make_table(self.start, self.start + 1, header, fixed=False,
                                  split_in_row=True, render=render)
            pieces = big.splitOn(self.canv, availWidth, availHeight)
            if not pieces:
                return [big] if at_top and room is None else []
            rest = [TablePart(spec, self.start + 1, self.end, None)] if remaining > 1 else []
            return pieces + rest
        if not too_tall:
            allowed = allowed_cut(spec.n_body, self.start, self.start + n) - self.start
            if allowed > 0 or not at_top:
                n = allowed
            # at the top of a page and no cut keeps the rules: the rows are too
            # tall for them; cut where the page ends (the layout check says so)
        if n <= 0:
            return [] if not at_top else [TablePart(spec, self.start, self.end, header)]
        return [TablePart(spec, self.start, self.start + n, header),
                TablePart(spec, self.start + n, self.end, None)]

    def drawOn(self, canvas, x, y, _sW=0):
        if is_dry(canvas):
            return  # a layout-only pass: nothing drawn is kept
        spec = self.spec
        top = y + self.height
        if self.with_header:
            top -= spec.header_height(canvas)
        draw_rows(spec, canvas, x, top, self.start, self.end, self.with_header)


def allowed_cut(n_body: int, start: int, end: int) -> int:
    """The last row index at or before ``end`` where a part starting at ``start``
    may be cut, or ``start`` when it may not be cut before ``end``.

    At least :data:`MIN_ROWS` body rows stay above the cut and below it; the
    totals and subtotals under the body are never cut from it. A table of
    fewer than twice :data:`MIN_ROWS` body rows is never cut.
    """
    cut = min(end, n_body - MIN_ROWS)
    return cut if cut - start >= MIN_ROWS else start


def draw_rows(spec: TableSpec, canv, x: float, top: float, start: int, end: int,
              header: bool = False) -> None:
    """Draw rows ``[start, end)`` below ``top``, and the column labels above
    it if ``header``, in a Table's order: backgrounds, the labels, text,
    rules. Same geometry as a Table with the spec's style: TOP-aligned
    text, padding, zebra rows, rules below each row. All cell text is in
    the text colour (a Table's string cells would be black, its Paragraph
    cells in the text colour: one colour saves a colour switch per cell).

    On a tagged canvas, each cell is marked as its ``TD`` (consecutive MCIDs,
    a row at a time), backgrounds and rules as artifacts."""
    prefix, heights, roles = spec.prefix, spec.heights, spec.roles
    col_x, aligns, ncols = spec.col_x, spec.aligns, len(spec.col_widths)
    size, leading, pad_h = spec.font_size, spec.leading, S.CELL_PAD_H
    origin = top + prefix[start]  # row i spans [origin - prefix[i+1], origin - prefix[i]]
    right = x + spec.width
    marks = marks_of(canv)
    if marks is not None and (spec.element is None or marks.open is not None):
        marks = None  # untagged, or inside a mark already: nothing to mark here
    canv.saveState()
    if marks is not None:
        marks.begin(canv, ARTIFACT)
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
        canv.rect(x, origin - prefix[i + 1], spec.width, heights[i], stroke=0, fill=1)
    if marks is not None:
        marks.end(canv)
    if header:
        draw_header(spec, canv, x, top)
    if marks is not None:
        table, n_head, cells = marks.table(spec.element), spec.element.n_head, spec.element.cells
        literal = canv.addLiteral
    # text: one drawString per line, as a Table draws its string cells
    # (each cell its own text object: text extraction reads cell by cell)
    canv.setFillColor(S.TEXT)
    state = None  # the font currently set on the canvas
    spans = spec.spans
    draw = {"left": canv.drawString, "right": canv.drawRightString,
            "center": canv.drawCentredString}
    for i in range(start, end):
        row = spec.rows[i]
        font = fonts.BOLD if i in roles else fonts.REGULAR
        baseline = origin - prefix[i] - S.CELL_PAD_V - size
        row_spans = spans.get(i)
        if marks is not None:  # one literal between two cells: "EMC /TD <</MCID n>> BDC"
            mcid = marks.row_cells(table, n_head + i, cells[n_head + i])
            close = ""
        c = 0
        while c < ncols:
            cell = row[c]
            last = c
            if row_spans:
                for c0, c1 in row_spans:
                    if c0 == c:
                        last = c1
            if marks is not None:
                literal(f"{close}/TD <</MCID {mcid}>> BDC")
                close = "EMC\n"
                mcid += 1
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
        if marks is not None:
            literal("EMC")
    # rules: below every row, then above subtotals and totals
    if marks is not None:
        marks.begin(canv, ARTIFACT)
    canv.setLineCap(1)
    canv.setLineJoin(1)
    canv.setStrokeColor(S.LIGHT_GREY)
    canv.setLineWidth(S.GRID_WIDTH)
    canv.lines([(x, origin - prefix[i + 1], right, origin - prefix[i + 1]) for i in range(start, end)])
    lo = bisect.bisect_left(spec.marked, start)
    hi = bisect.bisect_left(spec.marked, end)
    for i in spec.marked[lo:hi]:
        total = roles[i] is m.RowRole.TOTAL
        canv.setStrokeColor(S.TEXT if total else S.GREY)
        canv.setLineWidth(S.TOTAL_RULE_WIDTH if total else S.GRID_WIDTH * 2)
        canv.line(x, origin - prefix[i], right, origin - prefix[i])
    if marks is not None:
        marks.end(canv)
    canv.restoreState()

def draw_header(spec: TableSpec, canv, x: float, y: float) -> None:
    """The column labels, their bottom at ``y``: drawn once per document
    as a form (a reportlab Table: Paragraph labels, spans), then reused
    on every page the table runs over.

    On a tagged canvas the first labels drawn are the table's real ``THead``
    (drawn directly, each label marked as its ``TH``); the form, shown on the
    pages the table continues on, is an artifact."""
    marks = marks_of(canv)
    if marks is not None and spec.element is not None and marks.open is None \
            and not marks.table(spec.element).header_done:
        table = spec.make_table(0, 0, True, render=TableCallback(spec.element, 0, spec.n_header))
        table.wrapOn(canv, spec.width, 1e6)
        table.drawOn(canv, x, y)
        return
    if spec.form_canvas is not canv:
        table = spec.make_table(0, 0, True)
        table.wrapOn(canv, spec.width, 1e6)
        height = sum(spec.header_heights)
        # the margin keeps the rule under the labels (and its round caps) inside
        canv.beginForm(spec.form_name, -2, -2, spec.width + 2, height + 2)
        table.drawOn(canv, 0, 0)
        canv.endForm()
        spec.form_canvas = canv
    opened = marks is not None and marks.begin(canv, ARTIFACT)
    canv.saveState()
    canv.translate(x, y)
    canv.doForm(spec.form_name)
    canv.restoreState()
    if opened:
        marks.end(canv)
