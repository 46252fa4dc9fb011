"""The format-neutral document model.

Like pandoc's AST, a document is a list of *blocks*, and text inside blocks is a
list of *inlines*. The classes are frozen attrs classes: they hold typed values
(``int``, ``Decimal`` for money, ``date``) and semantic roles, never fonts or
pre-formatted strings. Renderers (``rapact_core.render``) turn them into DOCX
or PDF; ``rapact_core.serialize`` turns them into JSON and back.

The model is closed: each node checks what it is given when it is built, and
content it does not take raises :class:`ModelError` naming the node, the
position and what was expected. A plugin's mistake is then reported by
``rapact check`` with the plugin and the section, not by a renderer later.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import Enum
from itertools import chain
from math import isfinite
from operator import attrgetter
from typing import Any, Union

import attrs
from attrs import field, frozen

from .missing import MISSING, Missing


class ModelError(TypeError, ValueError):
    """Content a model node does not take.

    The message names the node, the position and what was expected, e.g.
    ``Paragraph content[0]: expected an inline (Text, Link, LineBreak, Ref) or str,
    got int 42``. A ``TypeError`` (a value of the wrong type) and a
    ``ValueError`` (a table row of the wrong width) alike.
    """


def _shown(value) -> str:
    """A value as messages show it: its type, then its repr, cut short."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def _sequence(value, where: str, expected: str) -> tuple:
    # a str is iterable, but a list of its characters is never what was meant
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ModelError(f"{where}: expected {expected}, got {_shown(value)}")
    return tuple(value)


def _only(types: type | tuple[type, ...], where: str, expected: str):
    """A converter to a tuple whose every item is one of ``types``."""

    def convert(value) -> tuple:
        items = _sequence(value, where, f"a sequence, each {expected}")
        for i, item in enumerate(items):
            if not isinstance(item, types):
                raise ModelError(f"{where}[{i}]: expected {expected}, got {_shown(item)}")
        return items

    return convert


# ---------------------------------------------------------------- inlines


def _text(_instance, _attribute, value):
    if not isinstance(value, str):
        raise ModelError(f"Text text: expected str, got {_shown(value)}")


@frozen
class Text:
    """A run of text, optionally bold and/or italic."""

    text: str = field(validator=_text)
    bold: bool = False
    italic: bool = False


def _link_content(value) -> tuple[Text, ...]:
    if isinstance(value, str):
        return (Text(value),)
    if isinstance(value, Text):
        return (value,)
    items = _sequence(value, "Link content", "Text or str, or a sequence of them")
    out = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            item = Text(item)
        elif not isinstance(item, Text):
            raise ModelError(f"Link content[{i}]: expected Text or str, got {_shown(item)}")
        out.append(item)
    return tuple(out)


@frozen
class Link:
    """A hyperlink; ``target`` is an http, https or mailto URL. Its content is
    ``Text`` runs (a ``str`` becomes one)."""

    content: tuple[Text, ...] = field(converter=_link_content)
    target: str = ""


@frozen
class LineBreak:
    """A line break inside a paragraph."""


def _ref_target(_instance, _attribute, value):
    if not isinstance(value, str) or not value.strip():
        raise ModelError(f"Ref target: expected the id of a table or a figure, got {_shown(value)}")


@frozen
class Ref:
    """A cross-reference to a numbered table or figure, printed "Tableau 12".

    ``target`` is the table's or the figure's ``id``. Numbers are assigned
    when the document is assembled, after every chapter is built, so a
    reference may point forward: :func:`rapact_core.numbering.number_document`
    fills ``label`` ("Tableau 12") and sets ``target`` to the id exactly as
    the block spells it, or reports an unknown id at ``file`` and ``line``,
    where the reference was written. Renderers print ``label`` and link it to
    the block where the format allows.
    """

    target: str = field(validator=_ref_target)
    label: str = ""
    file: str = ""
    line: int | None = None


Inline = Union[Text, Link, LineBreak, Ref]
INLINE_TYPES: tuple[type, ...] = (Text, Link, LineBreak, Ref)


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
        elif isinstance(item, Ref):
            out.append(item.label or item.target)
        else:
            out.append("\n")
    return "".join(out)


_AN_INLINE = "an inline (Text, Link, LineBreak, Ref) or str"


def inlines(value: str | Inline | tuple | list, owner: str = "inline") -> tuple[Inline, ...]:
    """Accept a string, one inline or a sequence of them (strings become ``Text``),
    and return a tuple of inlines; anything else raises :class:`ModelError`."""
    if isinstance(value, str):
        return (Text(value),)
    if isinstance(value, INLINE_TYPES):
        return (value,)
    items = _sequence(value, f"{owner} content", f"{_AN_INLINE}, or a sequence of them")
    out = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            item = Text(item)
        elif not isinstance(item, INLINE_TYPES):
            raise ModelError(f"{owner} content[{i}]: expected {_AN_INLINE}, got {_shown(item)}")
        out.append(item)
    return tuple(out)


def _inlines_of(owner: str):
    def convert(value) -> tuple[Inline, ...]:
        return inlines(value, owner)

    return convert


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


class NegativeAmounts(str, Enum):
    """How a money column prints a negative amount: ``-942 570,79 €`` or ``(942 570,79) €``.

    Chosen once for the report (``[report] negative_amounts`` in
    ``rapact.toml``, held by :class:`Meta`), so every money column of every
    plugin follows the same convention.
    """

    MINUS = "minus"
    PARENTHESES = "parentheses"


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
    percent the % sign. ``accounting`` is how negative amounts print: leave it
    ``None`` and the column follows the report's convention
    (``Meta.negative_amounts``, ``[report] negative_amounts`` in
    ``rapact.toml``); ``True`` forces parentheses and ``False`` a minus sign
    for this column alone, against the rest of the report.
    ``width`` is a relative weight; columns without one share what is left
    (every column is still at least as wide as its label's longest word:
    :mod:`rapact_core.render.layout`).
    """

    key: str
    label: str
    kind: CellKind = CellKind.TEXT
    align: Align = Align.DEFAULT
    width: float | None = None
    decimals: int | None = None
    unit: bool = True
    accounting: bool | None = None

    @property
    def is_numeric(self) -> bool:
        return self.kind in (CellKind.INTEGER, CellKind.DECIMAL, CellKind.MONEY, CellKind.PERCENT)

    @property
    def effective_align(self) -> Align:
        if self.align is not Align.DEFAULT:
            return self.align
        return Align.RIGHT if self.is_numeric else Align.LEFT


_A_CELL_VALUE = "str, int, Decimal, float, date, None or MISSING"


def _cell_value(value):
    if value is MISSING:
        return value
    # Floats would lose cents and break the JSON round trip: hold Decimals.
    if isinstance(value, float):
        return Decimal(str(value))
    if value is not None and not isinstance(value, (str, int, Decimal, _dt.date)) or isinstance(value, bool):
        raise ModelError(f"Cell value: expected {_A_CELL_VALUE}, got {_shown(value)}")
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
    kind = values.__class__
    # tuple and list first: the ABC check costs more than the rest of a registry row
    if kind is not tuple and kind is not list and (kind is str or not isinstance(values, Iterable)):
        raise ModelError(f"Row cells: expected a sequence of cells or cell values, got {_shown(values)}")
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
        elif isinstance(v, Cell):
            append(v)
        else:
            try:
                append(Cell(v))
            except ModelError:
                raise ModelError(f"Row cells[{len(cells)}]: expected a Cell or a cell value "
                                 f"({_A_CELL_VALUE}), got {_shown(v)}") from None
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
        rows = _sequence(rows, "PlainRows", "a sequence of rows of values")
        if str in set(map(type, rows)):
            i = next(i for i, r in enumerate(rows) if isinstance(r, str))
            raise ModelError(f"PlainRows[{i}]: expected a sequence of values, got {_shown(rows[i])}")
        values = tuple(map(tuple, rows))
        widths = set(map(len, values))
        if len(widths) > 1:
            raise ModelError(f"PlainRows: every row needs the same number of values, not {sorted(widths)}")
        kinds = set(map(type, chain.from_iterable(values))) - _PLAIN_VALUES - {Missing}
        if kinds:
            i, j, v = next((i, j, v) for i, row in enumerate(values) for j, v in enumerate(row)
                           if type(v) in kinds)
            raise ModelError(f"PlainRows[{i}][{j}]: expected str, int, Decimal, date, None or MISSING, "
                             f"got {_shown(v)}")
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
    return rows if isinstance(rows, PlainRows) else _sequence(rows, "Table body", "a sequence of Row or PlainRows")


def _rows(part: str):
    def convert(rows) -> tuple[Row, ...]:
        return _sequence(rows, f"Table {part}", "a sequence of Row")

    return convert


@frozen
class Table:
    """A data table.

    ``header`` holds extra header rows shown *above* the row of column
    labels (e.g. a "CA 2021" label spanning the meeting dates). ``foot``
    holds totals and subtotals computed by the plugin: renderers never add
    numbers. ``landscape`` asks for a landscape page for wide tables.
    ``number`` is assigned when the document is assembled ("Tableau N").
    """

    columns: tuple[Column, ...] = field(converter=_only(Column, "Table columns", "a Column"))
    body: tuple[Row, ...] = field(converter=_body, factory=tuple)
    foot: tuple[Row, ...] = field(converter=_rows("foot"), factory=tuple)
    header: tuple[Row, ...] = field(converter=_rows("header"), factory=tuple)
    caption: str = ""
    id: str | None = None
    landscape: bool = False
    number: int | None = None

    def __attrs_post_init__(self):
        width = len(self.columns)
        for part, rows in (("header", self.header), ("body", self.body), ("foot", self.foot)):
            if isinstance(rows, PlainRows):
                if rows.values and rows.width != width:
                    raise ModelError(f"table {self.caption or self.id!r}: {part} rows hold {rows.width} "
                                     f"values, expected {width}")
                continue
            if set(map(type, rows)) - {Row}:  # one pass at C speed: registries
                i, row = next((i, r) for i, r in enumerate(rows) if not isinstance(r, Row))
                raise ModelError(f"table {self.caption or self.id!r}: {part}[{i}]: expected a Row, "
                                 f"got {_shown(row)}")
            # the usual case, one cell per column, is checked at C speed (registries)
            cells = list(map(_CELLS, rows))
            if all(n == width for n in set(map(len, cells))) and \
                    max(map(_COLSPAN, chain.from_iterable(cells)), default=1) == 1:
                continue
            for i, row in enumerate(rows):
                span = sum(c.colspan for c in row.cells)
                if span != width:
                    raise ModelError(
                        f"table {self.caption or self.id!r}: {part} row {i + 1} spans {span} "
                        f"columns, expected {width}"
                    )


# ---------------------------------------------------------------- figures


class ChartKind(str, Enum):
    BAR = "bar"
    HBAR = "hbar"
    LINE = "line"
    STACKED_BAR = "stacked_bar"


ChartValue = Union[Decimal, Missing]


def _chart_value(value):
    if value is None or value is MISSING:
        return MISSING
    if isinstance(value, int) and not isinstance(value, bool) or isinstance(value, float) and isfinite(value):
        return Decimal(str(value))
    return value  # a Decimal, or what _check_values reports


def _check_values(instance, _attribute, values):
    for i, v in enumerate(values):
        if not (v is MISSING or isinstance(v, Decimal) and v.is_finite()):
            raise ModelError(f"Series {instance.name!r} values[{i}]: expected a number (int, Decimal, float) "
                             f"or MISSING, got {_shown(v)}")


@frozen
class Series:
    """One named series of values, one per chart category.

    A value not known yet (``MISSING``, or ``None``) stays ``MISSING``: a
    chart draws a gap there and marks it, never a zero.
    """

    name: str
    values: tuple[ChartValue, ...] = field(
        converter=lambda vs: tuple(map(_chart_value, _sequence(vs, "Series values", "a sequence of numbers"))),
        validator=_check_values,
    )


@frozen
class Chart:
    """A chart described by its data; renderers draw it."""

    kind: ChartKind
    title: str
    categories: tuple[str, ...] = field(converter=_only(str, "Chart categories", "a str"))
    series: tuple[Series, ...] = field(converter=_only(Series, "Chart series", "a Series"))
    unit: CellKind = CellKind.INTEGER
    y_label: str = ""

    def __attrs_post_init__(self):
        for i, s in enumerate(self.series):
            if len(s.values) != len(self.categories):
                raise ModelError(f"Chart {self.title!r} series[{i}] {s.name!r}: {len(s.values)} values "
                                 f"for {len(self.categories)} categories")


def _chart(_instance, _attribute, value):
    if not isinstance(value, Chart):
        raise ModelError(f"Figure chart: expected a Chart, got {_shown(value)}")


@frozen
class Figure:
    """A chart with a caption; ``width`` is a fraction of the text width."""

    chart: Chart = field(validator=_chart)
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
    content: tuple[Inline, ...] = field(converter=_inlines_of("Heading"))
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

    content: tuple[Inline, ...] = field(converter=_inlines_of("Paragraph"))
    style: ParagraphStyle = ParagraphStyle.BODY


@frozen
class ListItem:
    """A list item: its text, and optionally a nested list."""

    content: tuple[Inline, ...] = field(converter=_inlines_of("ListItem"))
    children: "ListBlock | None" = field(default=None)

    @children.validator
    def _check_children(self, _attribute, value):
        if value is not None and not isinstance(value, ListBlock):
            raise ModelError(f"ListItem children: expected a ListBlock or None, got {_shown(value)}")


def _bullet(instance, _attribute, value):
    if value is None:
        return
    if not isinstance(value, str) or not 1 <= len(value) <= 2 or any(ch.isspace() for ch in value):
        raise ModelError(f"ListBlock bullet: expected None or a symbol of one or two characters, "
                         f"got {_shown(value)}")
    if instance.ordered:
        raise ModelError(f"ListBlock bullet: a numbered list has numbers, not the bullet {value!r}")


@frozen
class ListBlock:
    """A bullet (``ordered=False``) or numbered list; items may nest lists.

    ``bullet`` is the symbol a bullet list shows before each item ("✓"):
    ``None``, the renderers' own bullet by nesting level (•, –, ▪). The
    narrative sets it for a Markdown list whose items all start with the same
    symbol (:data:`rapact_core.markdown.SYMBOL_BULLETS`), taken off the items'
    text.
    """

    items: tuple[ListItem, ...] = field(converter=_only(ListItem, "ListBlock items", "a ListItem"))
    ordered: bool = False
    start: int = 1
    bullet: str | None = field(default=None, validator=_bullet)


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
    ``data`` must be JSON-compatible. ``alt`` describes the block for readers
    who cannot see it: the tagged PDF reads the block as a figure with this
    text (``rapact check`` refuses a custom block without one).
    """

    plugin: str
    kind: str
    data: dict[str, Any] = field(factory=dict)
    fallback_text: str = ""
    alt: str = ""


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
    signatories: tuple[Signatory, ...] = field(converter=_only(Signatory, "Meta signatories", "a Signatory"),
                                               factory=tuple)
    logo: str | None = None
    date: _dt.date | None = None
    negative_amounts: NegativeAmounts = field(default=NegativeAmounts.MINUS, converter=NegativeAmounts)


@frozen
class Chapter:
    """A chapter: its id (from the configuration), title and blocks."""

    id: str
    title: str
    blocks: tuple[Block, ...] = field(
        converter=_only(BLOCK_TYPES, "Chapter blocks", "a block (" + ", ".join(t.__name__ for t in BLOCK_TYPES) + ")"),
        factory=tuple)
    plugin: str = ""
    numbered: bool = True


@frozen
class Document:
    meta: Meta
    chapters: tuple[Chapter, ...] = field(converter=_only(Chapter, "Document chapters", "a Chapter"),
                                          factory=tuple)
    schema_version: int = 1

    def blocks(self):
        """Every block of the document in reading order, chapter headings included."""
        for chapter in self.chapters:
            yield from chapter.blocks


attrs.resolve_types(ListItem, globals(), locals())
