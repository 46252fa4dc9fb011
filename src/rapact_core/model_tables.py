"""Tables: columns, cells, rows and the big-table body held as plain values."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import Enum
from itertools import chain
from operator import attrgetter
from typing import Union

import attrs
from attrs import field, frozen

from .lazy_rows import LazyRows
from .missing import MISSING, Missing
from .model_checks import ModelError, as_sequence, shown, tuple_of


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
        raise ModelError(f"Cell value: expected {_A_CELL_VALUE}, got {shown(value)}")
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
        raise ModelError(f"Row cells: expected a sequence of cells or cell values, got {shown(values)}")
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
                                 f"({_A_CELL_VALUE}), got {shown(v)}") from None
    return tuple(cells)


@frozen
class Row:
    """A table row; plain values are wrapped into cells."""

    cells: tuple[Cell, ...] = field(converter=_cells)
    role: RowRole = RowRole.BODY


class PlainRows(LazyRows):
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
        rows = as_sequence(rows, "PlainRows", "a sequence of rows of values")
        if str in set(map(type, rows)):
            i = next(i for i, r in enumerate(rows) if isinstance(r, str))
            raise ModelError(f"PlainRows[{i}]: expected a sequence of values, got {shown(rows[i])}")
        values = tuple(map(tuple, rows))
        widths = set(map(len, values))
        if len(widths) > 1:
            raise ModelError(f"PlainRows: every row needs the same number of values, not {sorted(widths)}")
        kinds = set(map(type, chain.from_iterable(values))) - _PLAIN_VALUES - {Missing}
        if kinds:
            i, j, v = next((i, j, v) for i, row in enumerate(values) for j, v in enumerate(row)
                           if type(v) in kinds)
            raise ModelError(f"PlainRows[{i}][{j}]: expected str, int, Decimal, date, None or MISSING, "
                             f"got {shown(v)}")
        self.values: tuple[tuple, ...] = values
        self.width: int = widths.pop() if widths else 0
        self._rows: tuple[Row, ...] | None = None

    def rows(self) -> tuple[Row, ...]:
        if self._rows is None:
            self._rows = tuple(Row(v) for v in self.values)
        return self._rows

    def __len__(self) -> int:
        return len(self.values)

    def _key(self):
        return self.values

    def __repr__(self) -> str:
        return f"PlainRows(<{len(self.values)} rows of {self.width} values>)"


def _body(rows) -> tuple[Row, ...] | PlainRows:
    return rows if isinstance(rows, PlainRows) else as_sequence(rows, "Table body", "a sequence of Row or PlainRows")


def _rows(part: str):
    def convert(rows) -> tuple[Row, ...]:
        return as_sequence(rows, f"Table {part}", "a sequence of Row")

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

    columns: tuple[Column, ...] = field(converter=tuple_of(Column, "Table columns", "a Column"))
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
                                 f"got {shown(row)}")
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
