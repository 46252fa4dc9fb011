"""DOCX tables: one ``w:tbl`` written as a string in a single linear pass.

python-docx's table API (``add_row``, ``table.cell()``, ``row.cells``) is
quadratic in the number of rows; a registry annex has tens of thousands. The
writer makes the XML itself, cell templates cached per column and role, and
for a plain body (every row a body row of simple texts) pours all the texts
into a row template at once. A table of more than :data:`SPLICE_ROWS` rows is
written into ``document.xml`` only when the file is saved, by batches of
:data:`BATCH_ROWS` rows (see ``docx_package``).
"""

from __future__ import annotations

import re
from functools import cached_property
from itertools import chain
from operator import attrgetter

from docx.oxml.ns import qn

from .. import model as m
from ..formatting import cell_text, format_value
from ..text import FORBIDDEN_XML
from . import docx_xml as X
from .cell_texts import CellTexts
from .layout import Metrics, TableLayout, measuring_font, plan_table, split_width

# a table with more body rows is spliced into document.xml at save time
SPLICE_ROWS = 300
# the PDF's table design (render/pdf_styles.py); rules between rows come from the table style
HEADER_FILL = "E4EDF4"
TOTAL_FILL = "DDE5EC"
SUBTOTAL_FILL = "EEF1F4"
HEADER_RULE = '<w:tcBorders><w:bottom w:val="single" w:sz="6" w:space="0" w:color="1F5F8B"/></w:tcBorders>'
TOTAL_BORDER = '<w:tcBorders><w:top w:val="single" w:sz="7" w:space="0" w:color="1A1A1A"/></w:tcBorders>'
SUBTOTAL_BORDER = '<w:tcBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="6B6B6B"/></w:tcBorders>'
JC = {m.Align.LEFT: "left", m.Align.CENTER: "center", m.Align.RIGHT: "right", m.Align.DEFAULT: "left"}


def column_widths(columns, total: int) -> list[int]:
    """Split ``total`` (twips) between columns by their weights alone (see ``layout``); sums exactly to ``total``."""
    return _twips(split_width(columns, total), total)


def _twips(widths, total: int) -> list[int]:
    out = [int(w) for w in widths]
    out[-1] += total - sum(out)
    return out


# Word's own defaults, for a template that says nothing
_WORD_CELL_MARGIN = 108  # twips, each side
_WORD_FONT_SIZE = 10.0  # points


def _chain(styles, style_id: str):
    """The style ``style_id`` of ``styles`` (the ``w:styles`` element), then the styles it is based on."""
    seen = set()
    while style_id and style_id not in seen:
        seen.add(style_id)
        found = styles.xpath(f'w:style[@w:styleId="{style_id}"]')
        if not found:
            return
        yield found[0]
        based = found[0].find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None


def table_metrics(styles, style_id: str) -> Metrics:
    """How Word sets a table of style ``style_id``: the font family and size of its
    text, and its cells' left and right margins, read from the template's
    ``w:styles`` element (the style, the styles it is based on, the default
    paragraph style, the document's defaults, then Word's own). Widths are in
    points: the column widths are planned in points, then written in twips."""
    family = size = margin = None
    defaults = styles.find(qn("w:docDefaults"))
    sources = list(_chain(styles, style_id))
    normal = styles.xpath('w:style[@w:type="paragraph"][@w:default="1"]/@w:styleId')
    if normal:  # the cells' paragraphs have the default paragraph style
        sources += list(_chain(styles, normal[0]))
    if defaults is not None:
        sources.append(defaults.find(qn("w:rPrDefault")))
    for el in filter(lambda e: e is not None, sources):
        rpr = el.find(qn("w:rPr"))
        if rpr is not None:
            fonts = rpr.find(qn("w:rFonts"))
            if family is None and fonts is not None and fonts.get(qn("w:ascii")):
                family = fonts.get(qn("w:ascii"))
            sz = rpr.find(qn("w:sz"))
            if size is None and sz is not None and sz.get(qn("w:val"), "").isdigit():
                size = int(sz.get(qn("w:val"))) / 2
        tblpr = el.find(qn("w:tblPr"))
        mar = tblpr.find(qn("w:tblCellMar")) if tblpr is not None else None
        if margin is None and mar is not None:
            sides = [mar.find(qn(f"w:{name}")) for name in ("left", "start", "right", "end")]
            values = [int(e.get(qn("w:w"))) for e in sides if e is not None and e.get(qn("w:w"), "").isdigit()]
            if values:
                margin = max(values)
    margin = _WORD_CELL_MARGIN if margin is None else margin
    # a point and a half of slack: Word and LibreOffice break lines with their own
    # rounding, and a cell's borders take a little of its width
    return Metrics(measuring_font(family), measuring_font(family, bold=True), size or _WORD_FONT_SIZE,
                   margin / 20, slack=1.5)


def plan_widths(table: m.Table, metrics: Metrics, portrait: int, landscape: int, locale: str,
                negatives=m.NegativeAmounts.MINUS, texts: CellTexts | None = None) -> tuple[TableLayout, list[int]]:
    """The table's layout (see :func:`.layout.plan_table`) and its column widths in
    twips, on a page ``portrait`` or ``landscape`` twips wide. The labels are measured
    as the DOCX prints them: a spanning header cell folded into each label it spans
    (:func:`column_labels`), so each of those columns holds its words. ``texts``: the
    table's cell texts, shared with its :class:`TableWriter`."""
    header = [m.Row([m.Cell(t) for t in texts]) for texts in plain_header_rows(table.header, locale)]
    layout = plan_table(table, metrics, portrait / 20, landscape / 20, locale, negatives,
                        labels=column_labels(table, locale), header=header, texts=texts)
    total = landscape if layout.landscape else portrait
    if layout.scale < 1 or abs(sum(layout.widths) * 20 - total) > 1:  # overflowing: the minimums as they are
        return layout, [round(w * 20) for w in layout.widths]
    return layout, _twips([w * 20 for w in layout.widths], total)


# rows of a big table made at a time when the file is saved
BATCH_ROWS = 2000
_COLSPAN = attrgetter("colspan")
_VALUE = attrgetter("value")
_KIND = attrgetter("kind")
# in a cell's text: what XML cannot hold (text.FORBIDDEN_XML less NUL, which
# joins the texts) and what becomes w:br or w:tab; tests/test_render_docx.py
# checks that it stays FORBIDDEN_XML's set
_NEEDS_CARE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff\n\t\r]")


class TableWriter:
    """One table as a WordprocessingML string, built in a single linear pass."""

    def __init__(self, table: m.Table, widths: list[int], style_id: str, locale: str,
                 negatives=m.NegativeAmounts.MINUS, size: float | None = None, texts: CellTexts | None = None):
        self.t = table
        self.widths = widths
        self.style_id = style_id
        self.locale = locale
        self.negatives = negatives
        #: the font size of every run, in points, when the layout set the table smaller than its style
        self.size = size
        cols = table.columns
        self.jc = [JC[c.effective_align] for c in cols]
        # per column "<w:p><w:pPr>…</w:pPr>" openers
        self.p_open = [f'<w:p><w:pPr><w:jc w:val="{j}"/></w:pPr>' for j in self.jc]
        self._tc_cache: dict[tuple, str] = {}
        # the cells' texts, each distinct value once per column: dates, rates and labels
        # repeat a lot in large tables and Babel costs ~10-20 us a call
        self.texts = texts if texts is not None else CellTexts(table, locale, negatives)

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
            f'<w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
            f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>{caption}</w:tblPr>'
            "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in self.widths) + "</w:tblGrid>"
        ]
        for row in plain_header_rows(t.header, self.locale):
            head.append(self._header_row(row))
        head.append(self._header_row(column_labels(t, self.locale), labels=True))
        head = "".join(head)
        foot = [self._row(row) for row in t.foot]
        n = len(t.body)
        first, last = _kept(n)
        # the foot's rows stay with the body's last ones (a total never stands alone)
        tail = "".join(_keep(row) if i < len(foot) - 1 else row for i, row in enumerate(foot)) + "</w:tbl>"
        plain = self._plain_texts()
        # the table's very last row keeps with nothing: the text after the table may go on
        ends = not foot
        if plain is not None:  # the body's text was checked: the rest of the table is left
            self.bad_chars = FORBIDDEN_XML.search(head + tail) is not None
            yield head
            rows = self._plain_rows(plain, 0, first)
            yield _keep_but_last(rows) if ends and first == n else _keep(rows)
            for start in range(first, last, BATCH_ROWS):
                yield self._plain_rows(plain, start, min(start + BATCH_ROWS, last))
            rows = self._plain_rows(plain, last, n)
            yield _keep_but_last(rows) if ends else _keep(rows)
            yield tail
            return
        rows = [_keep(row) if (i < first or i >= last) and not (ends and i == n - 1) else row
                for i, row in enumerate(map(self._row, t.body))]
        self.bad_chars = any(FORBIDDEN_XML.search(piece) for piece in (head, *rows, tail))
        yield head
        yield from rows
        yield tail

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
        if len(body) < 2 or n == 0 or self.size is not None:  # a size of its own: row by row
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
            if max(map(_COLSPAN, cells)) != 1 or any(map(_KIND, cells)):
                return None  # spans, or cells of a kind of their own: row by row
            texts = list(map(_VALUE, cells))
        for col in range(n):
            values = texts[col::n]
            column = self.texts.column(col, values)
            if column is not values:
                texts[col::n] = column
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

    @cached_property
    def _size_xml(self) -> str:
        if self.size is None:
            return ""
        half = max(2, round(self.size * 2))
        return f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'

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
        elif role == "labels":  # the last header row: a rule under it
            extra += f'{HEADER_RULE}<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/><w:vAlign w:val="bottom"/>'
        elif role == m.RowRole.TOTAL:
            extra += f'{TOTAL_BORDER}<w:shd w:val="clear" w:color="auto" w:fill="{TOTAL_FILL}"/>'
        elif role == m.RowRole.SUBTOTAL:
            extra += f'{SUBTOTAL_BORDER}<w:shd w:val="clear" w:color="auto" w:fill="{SUBTOTAL_FILL}"/>'
        found = f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{extra}</w:tcPr>'
        self._tc_cache[key] = found
        return found

    def _header_row(self, texts: list[str], labels: bool = False) -> str:
        """A header row: one cell per column (never merged), repeated on each page."""
        out = ["<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"]
        bold = f"<w:rPr><w:b/><w:bCs/>{self._size_xml}</w:rPr>"
        for col, text in enumerate(texts):
            out.append(self._tc_open(col, 1, "labels" if labels else "header"))
            out.append(f'<w:p><w:pPr><w:keepNext/><w:jc w:val="{self.jc[col]}"/></w:pPr>')
            out.append(X.run(text, bold))
            out.append("</w:p></w:tc>")
        out.append("</w:tr>")
        return "".join(out)

    def _row(self, row: m.Row) -> str:
        role = row.role
        bold = "" if role is m.RowRole.BODY else "<w:b/><w:bCs/>"
        rpr = f"<w:rPr>{bold}{self._size_xml}</w:rPr>" if bold or self.size else ""
        out = ["<w:tr><w:trPr><w:cantSplit/></w:trPr>"]
        col = 0
        for cell in row.cells:
            span = cell.colspan
            text = self.texts.text(col, cell.value, cell.kind)
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


# a table is cut with at least KEPT_ROWS body rows on each side, as the PDF's
# tables are; a shorter one is kept on one page
KEPT_ROWS = 3


def _kept(body: int) -> tuple[int, int]:
    """The body rows kept with the rows after them: those before ``first``
    (with the header, which keeps with them) and those from ``last`` on."""
    if body < 2 * KEPT_ROWS:
        return body, body
    return min(KEPT_ROWS - 1, body), max(KEPT_ROWS - 1, body - KEPT_ROWS)


def _keep(rows: str) -> str:
    """Rows whose paragraphs keep with the next one: Word and LibreOffice then
    do not cut the table after them."""
    return rows.replace("<w:p><w:pPr>", "<w:p><w:pPr><w:keepNext/>")


def _keep_but_last(rows: str) -> str:
    cut = rows.rfind("<w:tr>")
    return _keep(rows[:cut]) + rows[cut:] if cut > 0 else rows


def _spans(row: m.Row) -> bool:
    return any(cell.colspan > 1 for cell in row.cells)


def plain_header_rows(header, locale: str) -> list[list[str]]:
    """The header rows above the column labels that stay rows: those without a spanning cell.

    A header row of merged cells is not accessible in Word: a screen reader names a
    cell by one header per column. A row with a spanning cell ("CA 2021" over the
    meeting dates) is folded into the column labels instead (:func:`column_labels`).
    """
    return [[format_value(cell.value, locale=locale) for cell in row.cells] for row in header if not _spans(row)]


def column_labels(table: m.Table, locale: str) -> list[str]:
    """The column labels, each prefixed with the text of the spanning header cells above it
    ("CA 2021" / "23/02/21" as two lines: "CA 2021\n23/02/21")."""
    n = len(table.columns)
    labels = [c.label for c in table.columns]
    groups = [[] for _ in range(n)]
    for row in table.header:
        if not _spans(row):
            continue
        col = 0
        for cell in row.cells:
            text = format_value(cell.value, locale=locale).strip()
            for k in range(col, min(n, col + max(1, cell.colspan))):
                if text:
                    groups[k].append(text)
            col += max(1, cell.colspan)
    return ["\n".join([*g, label]) if g else label for g, label in zip(groups, labels)]


def raise_bad_cell(table: m.Table, where: str, locale: str):
    """Find the first cell holding a character XML forbids and raise a ValueError naming it."""
    if FORBIDDEN_XML.search(table.caption or ""):
        X.check_text(table.caption, f"{where}: caption")
    for c in table.columns:
        X.check_text(c.label, f"{where}: label of column {c.key!r}")
    for part, rows in (("header", table.header), ("body", table.body), ("foot", table.foot)):
        for i, row in enumerate(rows, start=1):
            col = 0
            for cell in row.cells:
                c = table.columns[col]
                X.check_text(cell_text(cell, c, locale), f"{where}: {part} row {i}, column {c.label!r}")
                col += cell.colspan
    raise ValueError(f"{where}: contains a character a DOCX file cannot hold")  # pragma: no cover
