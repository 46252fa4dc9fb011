"""A clean CSV table read column by column: each distinct text of a column converted once.

``read_table`` reads a registry of tens of thousands of rows this way, with no
Python work per cell: a free-text column is stripped at C speed, any other
column converts each of its distinct texts once (dates, categories and
amounts repeat). It takes only the usual file: every row has one cell per
column, no character that documents cannot contain, no cell in error, no row
that may be blank or still to fill in. For anything else
:func:`convert_columns` answers ``None`` and ``read_table`` reads row by row,
which says where each problem is; tests compare the two readers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence


def convert_columns(body: Sequence[Sequence[str]], specs: Sequence, figures: Sequence[int],
                    convert: Callable) -> list[list] | None:
    """Each column's converted values, or ``None`` when a row needs the row-by-row reader.

    :param body: the rows of cells of a CSV file free of forbidden characters.
    :param specs: each column's ``Col``.
    :param figures: the positions of the columns whose empty cells, all empty
        in one row, make it a row still to fill in.
    :param convert: ``data._convert_cell``: a cell's value, or ``ValueError``.
    """
    width = len(specs)
    if not body or width == 0 or set(map(len, body)) != {width}:
        return None
    columns, has_blank = [], []
    for spec, texts in zip(specs, zip(*body)):
        if spec.type == "text" and spec.choices is None:
            values = list(map(str.strip, texts))
            blank = "" in values
            if blank:
                if spec.required:
                    return None  # an error, told with its line by the row reader
                values = [value or None for value in values]
        else:
            distinct = set(texts)
            known = _iso_dates(distinct - {""}) if spec.type == "date" and spec.choices is None else {}
            try:
                for text in distinct - known.keys():
                    known[text] = convert(text, spec)
            except ValueError:
                return None
            blank = any(not text.strip() for text in known)
            values = list(map(known.__getitem__, texts))
        columns.append(values)
        has_blank.append(blank)
    if all(has_blank) or (figures and all(has_blank[i] for i in figures)):
        return None  # some row may be blank, or still to fill in
    return columns


def _iso_dates(texts: set[str]) -> dict:
    """Each text's date when every one is an ISO date (a registry's thousands), read at
    C speed: what ``convert`` reads them as (``data._to_date`` reads such a text with
    ``fromisoformat`` too). Empty when one is not (another form, an error): ``convert``
    then reads each."""
    try:
        return dict(zip(texts, map(dt.date.fromisoformat, texts)))
    except ValueError:
        return {}
