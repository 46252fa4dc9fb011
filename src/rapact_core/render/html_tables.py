"""Tables of the HTML edition: ``<caption>``, ``<thead>``/``<tbody>``/``<tfoot>``, ``<th scope>``.

A table is written as strings in one pass. A big body (a registry of tens of
thousands of rows) takes the fast path of :meth:`HtmlTable.body`: every
cell's text is formatted once per distinct value, all texts are escaped in
one ``html.escape`` call, and each row is one ``%`` of a row template: no
object per cell, one join for the whole body.
"""

from __future__ import annotations

import html
from itertools import chain
from operator import attrgetter

from .. import model as m
from ..formatting import DEFAULT_LOCALE, format_value
from .captions import caption_parts, caption_text
from . import fonts
from .cell_texts import CellTexts
from .layout import Metrics, TableLayout, plan_table

_COLSPAN = attrgetter("colspan")
_VALUE = attrgetter("value")
_KIND = attrgetter("kind")
_ROW_CLASS = {m.RowRole.BODY: "", m.RowRole.SUBTOTAL: ' class="subtotal"', m.RowRole.TOTAL: ' class="total"'}


def esc(text: str) -> str:
    """Text as element content: ``&``, ``<`` and ``>`` escaped, line breaks kept."""
    text = html.escape(text, quote=False)
    if "\n" in text or "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")
    return text


def attr(text: str) -> str:
    """Text as an attribute value (between double quotes)."""
    return html.escape(text, quote=True)


def has_row_headers(table: m.Table) -> bool:
    """Whether the first column labels its row: a text column followed by figures."""
    cols = table.columns
    return len(cols) > 1 and cols[0].kind is m.CellKind.TEXT and any(c.is_numeric for c in cols[1:])


def _align_class(column: m.Column) -> str:
    align = column.effective_align
    if align is m.Align.RIGHT:
        return "num" if column.is_numeric else "right"
    if align is m.Align.CENTER:
        return "center"
    return ""


# How edition.css prints a table: A4 pages with 2.2 cm margins (@page), body text at 10 pt and
# tables at 0.875 of it, cells padded by 0.5rem (the root's 16 px = 12 pt) on each side. In points.
_CM = 72 / 2.54
PRINT_WIDTH = (21.0 - 2 * 2.2) * _CM
PRINT_WIDTH_LANDSCAPE = (29.7 - 2 * 2.2) * _CM
PRINT_METRICS = Metrics(fonts.REGULAR, fonts.BOLD, 10 * 0.875, 0.5 * 12, slack=1.0)


def print_layout(table: m.Table, locale: str = DEFAULT_LOCALE, negatives=m.NegativeAmounts.MINUS,
                 texts: CellTexts | None = None) -> TableLayout:
    """The table's columns as the edition prints them (:data:`PRINT_METRICS`): their
    proportions, which a screen keeps, and whether a table too wide for a portrait page
    prints on a landscape one (``@page wide``). A browser itself never makes a column
    narrower than its longest word (``thead th`` keeps its words whole)."""
    return plan_table(table, PRINT_METRICS, PRINT_WIDTH, PRINT_WIDTH_LANDSCAPE, locale, negatives, texts=texts)


class HtmlTable:
    """One model table as HTML.

    :param caption_id: the id of the ``<caption>``, which names the scrolling box around the table.
    """

    def __init__(self, table: m.Table, locale: str, caption_id: str, *, table_id: str | None = None,
                 css_class: str = "", negatives=m.NegativeAmounts.MINUS):
        self.t = table
        self.locale = locale
        self.negatives = negatives
        #: the cells' texts, each distinct value formatted once per column, shared with the layout
        self.texts = CellTexts(table, locale, negatives)
        self.layout = print_layout(table, locale, negatives, self.texts)
        self.caption_id = caption_id
        self.table_id = table_id
        self.css_class = css_class
        cols = table.columns
        self.row_headers = has_row_headers(table)
        self.classes = [_align_class(c) for c in cols]
        # per column, the opening and closing tags of a plain body cell
        self.opens, self.closes = [], []
        for i, cls in enumerate(self.classes):
            tag = "th" if i == 0 and self.row_headers else "td"
            scope = ' scope="row"' if tag == "th" else ""
            cls = f' class="{cls}"' if cls else ""
            self.opens.append(f"<{tag}{scope}{cls}>")
            self.closes.append(f"</{tag}>")

    # -- the whole table
    def parts(self) -> list[str]:
        t = self.t
        wide = " wide" if self.layout.landscape else ""
        caption = caption_text(t)
        name = f'aria-labelledby="{self.caption_id}"' if caption else 'aria-label="Tableau"'
        out = [f'<div class="table-scroll{wide}" role="region" {name} tabindex="0">\n',
               "<table" + (f' id="{attr(self.table_id)}"' if self.table_id else "")
               + (f' class="{self.css_class}"' if self.css_class else "") + ">\n"]
        if caption:
            label, text = caption_parts(t)
            label_html = f'<span class="label">{esc(label)}</span>' if label else ""
            out.append(f'<caption id="{self.caption_id}">{label_html}{esc(text)}</caption>\n')
        out.append(self.colgroup())
        out.append(self.head())
        out.append("<tbody>\n")
        out.extend(self.body())
        out.append("</tbody>\n")
        if t.foot:
            out.append("<tfoot>\n" + "".join(self.row(r) for r in t.foot) + "</tfoot>\n")
        out.append("</table>\n</div>\n")
        return out

    def colgroup(self) -> str:
        widths = self.layout.widths
        total = sum(widths) or 1
        cols = "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in widths)
        return f"<colgroup>{cols}</colgroup>\n"

    def head(self) -> str:
        out = ["<thead>\n"]
        for row in self.t.header:
            out.append("<tr>")
            col = 0
            for cell in row.cells:
                text = format_value(cell.value, locale=self.locale)
                span = f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
                cls = self.classes[col] if cell.colspan == 1 else ""
                cls = f' class="{cls}"' if cls else ""
                if text.strip():
                    out.append(f'<th scope="col"{span}{cls}>{esc(text)}</th>')
                else:  # an empty corner is no header
                    out.append(f"<td{span}{cls}></td>")
                col += cell.colspan
            out.append("</tr>\n")
        out.append("<tr>")
        for column, cls in zip(self.t.columns, self.classes):
            cls = f' class="{cls}"' if cls else ""
            if column.label.strip():
                out.append(f'<th scope="col"{cls}>{esc(column.label)}</th>')
            else:
                out.append(f"<td{cls}></td>")
        out.append("</tr>\n</thead>\n")
        return "".join(out)

    # -- cells
    def row(self, row: m.Row) -> str:
        out = [f"<tr{_ROW_CLASS[m.RowRole(row.role)]}>"]
        col = 0
        for cell in row.cells:
            span = cell.colspan
            text = esc(self.texts.text(col, cell.value, cell.kind))
            if span == 1:
                out.append(f"{self.opens[col]}{text}{self.closes[col]}")
            else:
                tag = "th" if col == 0 and self.row_headers else "td"
                scope = ' scope="row"' if tag == "th" else ""
                cls = self.classes[col + span - 1]  # a spanning total reads like its last column
                cls = f' class="{cls}"' if cls else ""
                out.append(f'<{tag}{scope} colspan="{span}"{cls}>{text}</{tag}>')
            col += span
        out.append("</tr>\n")
        return "".join(out)

    def body(self) -> list[str]:
        columns = self._plain_columns()
        if columns is None:
            return [self.row(r) for r in self.t.body]
        template = "<tr>" + "".join(
            (o + "%s" + c) for o, c in zip((o.replace("%", "%%") for o in self.opens), self.closes)) + "</tr>\n"
        return ["".join(map(template.__mod__, zip(*columns)))]

    def _plain_columns(self) -> list[list[str]] | None:
        """The escaped texts of the body cells, column by column, when every row is a
        plain body row of one cell per column; else None (``row`` writes the rows)."""
        body = self.t.body
        n = len(self.classes)
        if len(body) < 2 or n == 0:
            return None
        if isinstance(body, m.PlainRows):  # the values themselves: no Row or Cell to make
            columns = list(map(list, zip(*body.values)))
        else:
            cells = [row.cells for row in body]
            if any(row.role is not m.RowRole.BODY or len(row.cells) != n for row in body):
                return None
            flat = list(chain.from_iterable(cells))
            if max(map(_COLSPAN, flat)) != 1 or any(map(_KIND, flat)):
                return None  # spans, or cells of a kind of their own: row by row
            columns = [list(map(_VALUE, column)) for column in zip(*cells)]
        out = []
        for col, values in enumerate(columns):
            texts = self.texts.column(col, values)
            blob = "\0".join(texts)
            if blob.count("\0") != len(texts) - 1:
                return None  # a text holds NUL itself: cell by cell
            escaped = esc(blob)
            out.append(texts if escaped == blob else escaped.split("\0"))
        return out
