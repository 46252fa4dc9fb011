"""The rows ``read_table`` returns: ``Record``s, in a ``TableData``.

A big clean CSV file (a registry of tens of thousands of associates) is read
column by column (:mod:`rapact_core.data_columns`); its rows are then a
:class:`Records`, which makes the ``Record`` objects only when something
reads them. A plugin that wants plain values asks :meth:`TableData.values`,
which a ``Records`` answers from its columns, without a ``Record`` per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import repeat
from pathlib import Path
from typing import Any

from attrs import field, frozen

from .errors import display_path
from .lazy_rows import LazyRows


@frozen
class Record:
    """One row of a data table, with where it came from."""

    values: dict[str, Any]
    file: str
    row: int

    def __getitem__(self, key):
        return self.values[key]

    def get(self, key, default=None):
        return self.values.get(key, default)


class Records(LazyRows):
    """A table's rows held as its columns; the ``Record``s are made on first use.

    It equals the tuple of the same ``Record``s, and reads as one.
    """

    __slots__ = ("columns", "file", "lines", "_rows")

    def __init__(self, columns: dict[str, list], file: str, lines: Sequence[int]):
        #: column name -> its values, one per row, in the file's order
        self.columns = columns
        self.file = file
        #: each row's line in the file
        self.lines = lines
        self._rows: tuple[Record, ...] | None = None

    def rows(self) -> tuple[Record, ...]:
        if self._rows is None:
            names = tuple(self.columns)
            dicts = map(dict, map(zip, repeat(names), zip(*self.columns.values())))
            self._rows = tuple(map(Record, dicts, repeat(self.file), self.lines))
        return self._rows

    def values(self, names: Iterable[str]) -> list[tuple]:
        return list(zip(*[self.columns[name] for name in names]))

    def column(self, name: str) -> list:
        return list(self.columns[name])

    def __len__(self) -> int:
        return len(self.lines)

    def __repr__(self) -> str:
        return f"Records(<{len(self)} rows of {', '.join(self.columns)} from {self.file}>)"


def _records(rows) -> tuple[Record, ...] | Records:
    return rows if isinstance(rows, Records) else tuple(rows)


@frozen
class TableData:
    """The rows of a data table, and its stated totals row if it has one."""

    path: Path
    columns: tuple[str, ...]
    rows: tuple[Record, ...] = field(converter=_records)
    total: Record | None = None

    @property
    def file(self) -> str:
        return display_path(self.path)

    def values(self, *names: str) -> list[tuple]:
        """The values of the columns ``names``, one tuple per row, in the file's order.

        ``table.values("nom", "date")`` is ``[(r["nom"], r["date"]) for r in
        table.rows]``, without making a ``Record`` per row when the table was read
        column by column (a big CSV file): what a registry of tens of thousands
        of rows wants.
        """
        if isinstance(self.rows, Records):
            return self.rows.values(names)
        return [tuple(record.values[name] for name in names) for record in self.rows]

    def column(self, name: str) -> list:
        """The values of the column ``name``, in the file's order: ``[r[name] for r in table.rows]``,
        without a ``Record`` per row when the table was read column by column."""
        if isinstance(self.rows, Records):
            return self.rows.column(name)
        return [record.values[name] for record in self.rows]
