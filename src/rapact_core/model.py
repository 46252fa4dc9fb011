"""The format-neutral document model.

Like pandoc's AST, a document is a list of *blocks*, and text inside blocks is a
list of *inlines*. The classes are frozen attrs classes: they hold typed values
(``int``, ``Decimal`` for money, ``date``) and semantic roles, never fonts or
pre-formatted strings. Renderers (``rapact_core.render``) turn them into DOCX
or PDF; ``rapact_core.serialize`` turns them into JSON and back.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import Enum
from itertools import chain
from operator import attrgetter
from typing import Any, Union

import attrs
from attrs import field, frozen

from .missing import MISSING, Missing


def _tuple(value):
    return tuple(value)


# ---------------------------------------------------------------- inlines


@frozen
class Text:
    """A run of text, optionally bold and/or italic."""

    text: str
    bold: bool = False
    italic: bool = False


@frozen
class Link:
    """A hyperlink; ``target`` is an http, https or mailto URL."""

    content: tuple[Text, ...] = field(converter=_tuple)
    target: str = ""


@frozen
class LineBreak:
    """A line break inside a paragraph."""


Inline = Union[Text, Link, LineBreak]
INLINE_TYPES: tuple[type, ...] = (Text, Link, LineBreak)


def plain_text(content: tuple[Inline, ...] | str) -> str:
    """The text of a sequence of inlines, without formatting."""
    if isinstance(content, str):
        return content
    out = []
    for item in content:
        if isinstance(item, Text):
            out.append(item.text)
        elif isinstance(item, Link):
            out.append("".join(t.text for t in item.content))
        else:
            out.append("\n")
    return "".join(out)


def inlines(value: str | Inline | tuple | list) -> tuple[Inline, ...]:
    """Accept a string, one inline or a sequence, and return a tuple of inlines."""
    if isinstance(value, str):
        return (Text(value),)
    if isinstance(value, (Text, Link, LineBreak)):
        return (value,)
    return tuple(Text(v) if isinstance(v, str) else v for v in value)


# ---------------------------------------------------------------- tables


class CellKind(str, Enum):
    """How a column's values are typed and formatted."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    MONEY = "money"
    PERCENT = "percent"
    DATE = "date"


class Align(str, Enum):
    """Horizontal alignment; DEFAULT puts numbers right and text left."""

    DEFAULT = "default"
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


class RowRole(str, Enum):
    """The role of a row: subtotal and total rows are set in bold."""

    BODY = "body"
    SUBTOTAL = "subtotal"
    TOTAL = "total"


CellValue = Union[str, int, Decimal, _dt.date, Missing, None]


@frozen
class Column:
    """A table column.

    ``decimals`` overrides the kind's default number of decimals (money 2,
    percent 2, decimal 2). ``unit`` says whether money shows the € sign and
    percent the % sign. ``accounting`` prints negative amounts in parentheses.
    ``width`` is a relative weight; columns without one share what is left.
    """

    key: str
    label: str
    kind: CellKind = CellKind.TEXT
    align: Align = Align.DEFAULT
    width: float | None = None
    decimals: int | None = None
    unit: bool = True
    accounting: bool = False

    @property
    def is_numeric(self) -> bool:
        return self.kind in (CellKind.INTEGER, CellKind.DECIMAL, CellKind.MONEY, CellKind.PERCENT)

    @property
    def effective_align(self) -> Align:
        if self.align is not Align.DEFAULT:
            return self.align
        return Align.RIGHT if self.is_numeric else Align.LEFT


def _cell_value(value):
    if value is MISSING:
        return value
    # Floats would lose cents and break the JSON round trip: hold Decimals.
    if isinstance(value, float):
        return Decimal(str(value))
    if value is not None and not isinstance(value, (str, int, Decimal, _dt.date)) or isinstance(value, bool):
        raise TypeError(f"a cell holds str, int, Decimal, date or None, not {type(value).__name__}")
    return value


@frozen
class Cell:
    """One cell. A ``str`` value in a numeric column is shown as text.

    ``kind`` overrides the column's kind for this cell (a "Variation" row of
    percentages under INTEGER columns): ``Cell(Decimal("0.396"),
    kind=CellKind.PERCENT)``. Such a cell is formatted with its kind's
    defaults; the column's ``decimals``, ``unit`` and ``accounting`` are for
    the column's kind. ``None``: the column's kind
    (:func:`rapact_core.formatting.cell_text` applies the rule).
    """

    value: CellValue = field(default=None, converter=_cell_value)
    colspan: int = field(default=1, validator=attrs.validators.ge(1))
    kind: CellKind | None = field(default=None, converter=attrs.converters.optional(CellKind))


# Values a cell holds as they are: _cell_value would return them unchanged.
_PLAIN_VALUES = frozenset({str, int, Decimal, _dt.date, type(None)})
_COLSPAN = attrgetter("colspan")
_CELLS = attrgetter("cells")
_new = object.__new__
_set = object.__setattr__


def _cells(values) -> tuple[Cell, ...]:
    cells = []
    append = cells.append
    for v in values:
        if v.__class__ in _PLAIN_VALUES:
            # Cell(v) without the converter and validator calls, for a value
            # _cell_value accepts as it is: a registry builds hundreds of thousands
            cell = _new(Cell)
            _set(cell, "value", v)
            _set(cell, "colspan", 1)
            _set(cell, "kind", None)
            append(cell)
        else:
            append(v if isinstance(v, Cell) else Cell(v))
    return tuple(cells)


@frozen
class Row:
    """A table row; plain values are wrapped into cells."""

    cells: tuple[Cell, ...] = field(converter=_cells)
    role: RowRole = RowRole.BODY


class PlainRows(Sequence):
    """The body of a big table, held as plain values: one tuple per row.

    A registry of tens of thousands of associates would otherwise hold one
    ``Row`` and one ``Cell`` per value, built once and thrown away. Values are
    those a ``Cell`` holds as they are (``str``, ``int``, ``Decimal``, ``date``,
    ``None``, ``MISSING``), one per column. A renderer that can use the values
    directly does (the DOCX writer); any other reader sees ordinary body
    ``Row`` objects, made on first use.
    """

    __slots__ = ("values", "width", "_rows")

    def __init__(self, rows: Iterable[Sequence[CellValue]]):
        values = tuple(map(tuple, rows))
        widths = set(map(len, values))
        if len(widths) > 1:
            raise ValueError(f"PlainRows: every row needs the same number of values, not {sorted(widths)}")
        kinds = set(map(type, chain.from_iterable(values))) - _PLAIN_VALUES - {Missing}
        if kinds:
            raise TypeError("PlainRows holds str, int, Decimal, date, None or MISSING, not "
                            + ", ".join(sorted(k.__name__ for k in kinds)))
        self.values: tuple[tuple, ...] = values
        self.width: int = widths.pop() if widths else 0
        self._rows: tuple[Row, ...] | None = None

    def rows(self) -> tuple[Row, ...]:
        if self._rows is None:
            self._rows = tuple(Row(v) for v in self.values)
        return self._rows

    def __len__(self) -> int:
        return len(self.values)

    def __getitem__(self, index):
        return self.rows()[index]

    def __iter__(self):
        return iter(self.rows())

    def __eq__(self, other) -> bool:
        if isinstance(other, PlainRows):
            return self.values == other.values
        if isinstance(other, tuple):
            return self.rows() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.rows())

    def __add__(self, other):
        return self.rows() + tuple(other)

    def __radd__(self, other):
        return tuple(other) + self.rows()

    def __repr__(self) -> str:
        return f"PlainRows(<{len(self.values)} rows of {self.width} values>)"


def _body(rows) -> tuple[Row, ...] | PlainRows:
    return rows if isinstance(rows, PlainRows) else tuple(rows)


@frozen
class Table:
    """A data table.

    ``header`` holds extra header rows shown *above* the row of column
    labels (e.g. a "CA 2021" label spanning the meeting dates). ``foot``
    holds totals and subtotals computed by the plugin: renderers never add
    numbers. ``landscape`` asks for a landscape page for wide tables.
    ``number`` is assigned when the document is assembled ("Tableau N").
    """

    columns: tuple[Column, ...] = field(converter=_tuple)
    body: tuple[Row, ...] = field(converter=_body, factory=tuple)
    foot: tuple[Row, ...] = field(converter=_tuple, factory=tuple)
    header: tuple[Row, ...] = field(converter=_tuple, factory=tuple)
    caption: str = ""
    id: str | None = None
    landscape: bool = False
    number: int | None = None

    def __attrs_post_init__(self):
        width = len(self.columns)
        for part, rows in (("header", self.header), ("body", self.body), ("foot", self.foot)):
            if isinstance(rows, PlainRows):
                if rows.values and rows.width != width:
                    raise ValueError(f"table {self.caption or self.id!r}: {part} rows hold {rows.width} "
                                     f"values, expected {width}")
                continue
            # the usual case, one cell per column, is checked at C speed (registries)
            cells = list(map(_CELLS, rows))
            if all(n == width for n in set(map(len, cells))) and \
                    max(map(_COLSPAN, chain.from_iterable(cells)), default=1) == 1:
                continue
            for i, row in enumerate(rows):
                span = sum(c.colspan for c in row.cells)
                if span != width:
                    raise ValueError(
                        f"table {self.caption or self.id!r}: {part} row {i + 1} spans {span} "
                        f"columns, expected {width}"
                    )


# ---------------------------------------------------------------- figures


class ChartKind(str, Enum):
    BAR = "bar"
    HBAR = "hbar"
    LINE = "line"
    STACKED_BAR = "stacked_bar"


@frozen
class Series:
    """One named series of values, one per chart category."""

    name: str
    values: tuple[Decimal, ...] = field(
        # a figure still to be filled in is drawn as zero
        converter=lambda vs: tuple(Decimal(0) if v is MISSING or v is None else Decimal(str(v)) for v in vs)
    )


@frozen
class Chart:
    """A chart described by its data; renderers draw it."""

    kind: ChartKind
    title: str
    categories: tuple[str, ...] = field(converter=_tuple)
    series: tuple[Series, ...] = field(converter=_tuple)
    unit: CellKind = CellKind.INTEGER
    y_label: str = ""


@frozen
class Figure:
    """A chart with a caption; ``width`` is a fraction of the text width."""

    chart: Chart
    caption: str = ""
    id: str | None = None
    width: float = 0.8
    number: int | None = None


@frozen
class Image:
    """A picture from the report folder (e.g. a logo)."""

    path: str
    alt: str = ""
    width: float = 0.5


# ---------------------------------------------------------------- blocks


@frozen
class Heading:
    """A heading. Level 1 is a chapter, 2 a section (3.1), 3 a subsection…

    ``number`` ("3.1") is assigned once when the document is assembled, so
    every renderer prints the same numbers.
    """

    level: int = field(validator=attrs.validators.in_(range(1, 7)))
    content: tuple[Inline, ...] = field(converter=inlines)
    id: str | None = None
    numbered: bool = True
    in_toc: bool = True
    number: str | None = None


class ParagraphStyle(str, Enum):
    BODY = "body"
    LEAD = "lead"
    NOTE = "note"
    QUOTE = "quote"
    KEY_FIGURE = "key_figure"


@frozen
class Paragraph:
    """A paragraph of inlines with a semantic style."""

    content: tuple[Inline, ...] = field(converter=inlines)
    style: ParagraphStyle = ParagraphStyle.BODY


@frozen
class ListItem:
    """A list item: its text, and optionally a nested list."""

    content: tuple[Inline, ...] = field(converter=inlines)
    children: "ListBlock | None" = None


@frozen
class ListBlock:
    """A bullet (``ordered=False``) or numbered list; items may nest lists."""

    items: tuple[ListItem, ...] = field(converter=_tuple)
    ordered: bool = False
    start: int = 1


@frozen
class PageBreak:
    """Start a new page."""


@frozen
class TableOfContents:
    """The table of contents, filled from the numbered headings."""

    title: str = "Table des matières"
    depth: int = 3


@frozen
class Custom:
    """A plugin's own fragment, for what the model cannot express.

    The plugin named in ``plugin`` must implement ``rapact_render_custom``
    for every requested format, or the build fails naming that plugin.
    ``data`` must be JSON-compatible.
    """

    plugin: str
    kind: str
    data: dict[str, Any] = field(factory=dict)
    fallback_text: str = ""


Block = Union[
    Heading, Paragraph, ListBlock, Table, Figure, Image, PageBreak, TableOfContents, Custom
]
BLOCK_TYPES: tuple[type, ...] = (
    Heading, Paragraph, ListBlock, Table, Figure, Image, PageBreak, TableOfContents, Custom,
)


# ---------------------------------------------------------------- document


@frozen
class Signatory:
    name: str
    role: str


@frozen
class Meta:
    """Document metadata, from the configuration."""

    title: str
    reference: str
    organisation: str
    year: int
    locale: str = "fr_BE"
    subject: str = ""
    signatories: tuple[Signatory, ...] = field(converter=_tuple, factory=tuple)
    logo: str | None = None
    date: _dt.date | None = None


@frozen
class Chapter:
    """A chapter: its id (from the configuration), title and blocks."""

    id: str
    title: str
    blocks: tuple[Block, ...] = field(converter=_tuple, factory=tuple)
    plugin: str = ""
    numbered: bool = True


@frozen
class Document:
    meta: Meta
    chapters: tuple[Chapter, ...] = field(converter=_tuple, factory=tuple)
    schema_version: int = 1

    def blocks(self):
        """Every block of the document in reading order, chapter headings included."""
        for chapter in self.chapters:
            yield from chapter.blocks


attrs.resolve_types(ListItem, globals(), locals())
