"""Products' figures: sums by row and by column, pure functions."""

from __future__ import annotations

from rapact_core import TableData


def column_sums(table: TableData, columns) -> dict[str, int]:
    return {c: sum(r[c] or 0 for r in table.rows) for c in columns}


def row_total(record, columns) -> int:
    return sum(record[c] or 0 for c in columns)


def years(table: TableData) -> list[str]:
    return [c for c in table.columns[1:]]
