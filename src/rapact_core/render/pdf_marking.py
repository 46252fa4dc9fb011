"""Marking content while it is drawn: the tagged canvas, the flowables' mixin, tables.

The drawn pass of a tagged PDF runs on a :class:`TaggedCanvas`, which carries
the :class:`.pdf_tags.Marks` recorder and writes the structure tree when it
is saved. What draws marks its content:

* a flowable with a ``tag`` (the :class:`Tagged` mixin) brackets its whole
  drawing in the mark of its element;
* a reportlab ``Table`` gets a :class:`TableCallback` (its public render
  callback), which marks backgrounds and rules as artifacts and each cell as
  its ``TH``/``TD``, or leaves the cell to the flowables inside it;
* the table engine and the page furniture mark theirs themselves
  (:mod:`.pdf_table_pages`, :mod:`.pdf_document`).
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.tables import TableRenderCB

from .pdf_structure import write_structure
from .pdf_tags import ARTIFACT, Element, Marks, TableElement, marks_of


class TaggedCanvas(Canvas):
    """The canvas of the drawn pass: records marks and writes the structure tree when saved."""

    rapact_marks: Marks | None = None
    #: called once after the next text object is drawn (a list item's bullet, see ListPara)
    rapact_after_text = None

    def drawText(self, aTextObject):
        super().drawText(aTextObject)
        hook = self.rapact_after_text
        if hook is not None:
            self.rapact_after_text = None
            hook()

    def showPage(self):
        marks = self.rapact_marks
        if marks is not None:
            marks.end_page(self)
        super().showPage()
        if marks is not None:
            marks.page_shown(self)

    def save(self):
        marks = self.rapact_marks
        if marks is not None:
            if not self.pageHasData():  # reportlab's name: True when the page is empty
                self.showPage()
            write_structure(self, marks)
        super().save()


class Tagged:
    """Mixin for flowables: what ``draw`` paints is marked as content of ``self.tag``
    (an Element, a TocEntry, or ARTIFACT; None: not marked here)."""

    tag = None

    def drawOn(self, canvas, x, y, _sW=0):
        marks = marks_of(canvas)
        tag = self.tag
        if marks is None or tag is None:
            return super().drawOn(canvas, x, y, _sW)
        bbox = None
        if isinstance(tag, Element) and tag.role == "Figure":
            bbox = self.rapact_bbox(x, y, _sW)
        opened = marks.begin(canvas, tag, bbox)
        super().drawOn(canvas, x, y, _sW)
        if opened:
            marks.end(canvas)

    def rapact_bbox(self, x, y, _sW) -> tuple:
        width = getattr(self, "drawWidth", None) or getattr(self, "width", 0)
        height = getattr(self, "drawHeight", None) or getattr(self, "height", 0)
        return placed(self, x, y, _sW, width, height)


def placed(flowable, x: float, y: float, _sW: float, width: float, height: float) -> tuple:
    """Where a flowable drawn at ``x, y`` lands (``Flowable.drawOn`` shifts it by its
    ``hAlign`` in the ``_sW`` points left over), as a bounding box."""
    align = getattr(flowable, "hAlign", "LEFT")
    if align in ("CENTER", "CENTRE"):
        x += _sW / 2.0
    elif align == "RIGHT":
        x += _sW
    return (x, y, x + width, y + height)


class TableCallback(TableRenderCB):
    """Marks what a reportlab ``Table`` draws: backgrounds and rules as artifacts, cells as
    the cells of ``table`` (a TableElement; struct rows from ``first_row``, the first
    ``header_rows`` rows being the column labels repeated when a row is cut), or, with no
    ``table``, each cell as its flowables' own tags (artifact when they have none)."""

    def __init__(self, table: TableElement | None = None, first_row: int = 0, header_rows: int = 0):
        self.element, self.first_row, self.header_rows = table, first_row, header_rows
        self.opened = False
        self.cell_mark = False  # whether the open mark is a cell's (else an artifact)
        self.row = None  # struct row being drawn, None when its cells are artifacts

    def _begin(self, T, tag) -> None:
        marks = marks_of(T.canv)
        self.opened = marks is not None and marks.begin(T.canv, tag)

    def _end(self, T) -> None:
        if self.opened:
            self.opened = False
            marks_of(T.canv).end(T.canv)

    def startTable(self, T):
        pass

    def endTable(self, T):
        marks = marks_of(T.canv)
        if marks is not None and self.element is not None and self.header_rows:
            marks.table(self.element).header_done = True

    def startBG(self, T):
        self._begin(T, ARTIFACT)

    def endBG(self, T):
        self._end(T)

    def startLines(self, T):
        self._begin(T, ARTIFACT)

    def endLines(self, T):
        self._end(T)

    def startRow(self, T, rowNo):
        self.row = None
        if self.element is None:
            return
        marks = marks_of(T.canv)
        if rowNo < self.header_rows:
            if marks is not None and marks.table(self.element).header_done:
                return  # labels repeated on a continuation page: an artifact
            self.row = rowNo + (self.element.n_head - self.header_rows)
        else:
            self.row = self.element.n_head + self.first_row + rowNo - self.header_rows

    def endRow(self, T):
        pass

    def startCell(self, T, rowNo, colNo, cellval, cellstyle, pos, size):
        marks = marks_of(T.canv)
        if marks is None:
            return
        if self.element is None:
            tagged = any(getattr(f, "tag", None) is not None for f in
                         (cellval if isinstance(cellval, (list, tuple)) else [cellval]))
            self.opened = not tagged and marks.begin(T.canv, ARTIFACT)
            self.cell_mark = False
            return
        if self.row is None:
            self.opened = marks.begin(T.canv, ARTIFACT)
            self.cell_mark = False
            return
        table = marks.table(self.element)
        cell = self.element.cell_of_column(self.row, colNo)
        self.opened = marks.begin_cell(T.canv, table, self.row, cell)
        self.cell_mark = True

    def endCell(self, T):
        if self.opened:
            self.opened = False
            marks = marks_of(T.canv)
            if self.cell_mark:
                marks.end_cell(T.canv)
            else:
                marks.end(T.canv)
