"""A table's cell texts, each distinct value of a column formatted once.

The column-width planner (:func:`.layout.plan_table`) measures a table's
figures and dates, and the renderer then prints them: a renderer gives the
planner its table's :class:`CellTexts`, so that the thousands of dates of a
registry are formatted once between them. The texts are
:func:`rapact_core.formatting.cell_text`'s.
"""

from __future__ import annotations

import datetime as dt
from collections import namedtuple
from decimal import Decimal

from .. import model as m
from ..formatting import cell_text, format_date

# what cell_text reads of a cell: making a model Cell per distinct value checks it again
_Cell = namedtuple("_Cell", "value kind")
_NUMBERS = frozenset({int, float, Decimal, bool})


class CellTexts:
    """The texts of one table's cells, remembered per column, value and cell kind."""

    def __init__(self, table: m.Table, locale: str, negatives=m.NegativeAmounts.MINUS):
        self.columns = table.columns
        self.locale = locale
        self.negatives = negatives
        # the key holds the type, so that 1, True and Decimal(1) stay apart; equal Decimals format alike
        self._memo: list[dict] = [{} for _ in self.columns]

    def text(self, col: int, value, kind=None) -> str:
        """The text of ``value`` in a cell starting at column ``col``; ``kind``: the cell's own kind, if any."""
        if value.__class__ is str:
            return value
        key = (value.__class__, value, kind)
        memo = self._memo[col]
        found = memo.get(key)
        if found is None:
            if value.__class__ is dt.date:  # what cell_text gives a date of any kind, at a third of the cost
                found = memo[key] = format_date(value, self.locale)
            else:
                found = memo[key] = cell_text(_Cell(value, kind), self.columns[col], self.locale, self.negatives)
        return found

    def column(self, col: int, values: list) -> list[str]:
        """The texts of ``values``, cells of column ``col`` without a kind of their own (a big body's column)."""
        kinds = set(map(type, values))
        if kinds == {str}:  # a str is its own text
            return values
        if len(kinds & _NUMBERS) <= 1:
            # values that are equal format alike unless they are numbers of two types
            # (2021 and Decimal(2021) in a text column): one look-up per cell
            found = {value: self.text(col, value) for value in set(values)}
            return list(map(found.__getitem__, values))
        return [self.text(col, value) for value in values]
