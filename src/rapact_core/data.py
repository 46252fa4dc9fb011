"""Reading a plugin's data tables, CSV and XLSX, typed and located; its to-do list.

Plugins describe the columns they expect; these readers check the header,
convert every cell (``Decimal`` for amounts) and report *every* bad cell of a
file at once, each finding naming the file, the row as the spreadsheet
numbers it (the header is row 1), the column and the expected type.
YAML files are read by :mod:`rapact_core.yamlfiles`; :mod:`rapact_core.loader`
reads a plugin's files with every error collected.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from contextvars import ContextVar
from decimal import Decimal
from itertools import islice
from pathlib import Path

from attrs import frozen

from .data_columns import convert_columns
from .errors import Finding, Level, RapactError, display_path
from .i18n import N_, _, ngettext, number_text, quoted
from .limits import MAX_CSV_BYTES, MAX_TABLE_ROWS
from .missing import MISSING
from .numbers import check_native_number, parse_decimal, parse_int, parse_percent
from .records import Record, Records, TableData
from .text import decoded_is_clean, forbidden_character

TABLE_SUFFIXES = (".csv", ".xlsx")
_UNSEEN = object()
_TO_COMPLETE: ContextVar[list | None] = ContextVar("rapact_todos", default=None)


@contextlib.contextmanager
def collect_todos():
    """Collect the to-do findings :func:`todo` records, as a list.

    A build runs its load, compute and check steps inside it: that list is the
    build's to-do list (``BuildResult.findings``, ``rapact check``). Use it in
    a plugin's unit test that calls its loader without a build::

        with collect_todos() as todos:
            data = load(ctx)
        assert [f.line for f in todos] == [3]
    """
    items: list[Finding] = []
    token = _TO_COMPLETE.set(items)
    try:
        yield items
    finally:
        _TO_COMPLETE.reset(token)


def todo(message: str, *, file=None, line: int | None = None, field: str | None = None, **details) -> Finding:
    """Record an entry of the editor's to-do list: something to fill in.

    The entry is a ``Finding`` of level ``Level.TO_COMPLETE``, returned, and
    added to the to-do list of the build running (while its plugins load,
    compute and check; see :func:`collect_todos`). ``rapact check`` lists it
    under "To complete"; it never stops a build, ``--strict`` refuses it.
    Outside a build, nothing collects it: only the returned finding remains.
    ``details`` are the finding's other fields (``hint``, ``where``, ``section``, ``facts``).
    """
    finding = Finding(message, Level.TO_COMPLETE, file, line, field, **details)
    items = _TO_COMPLETE.get()
    if items is not None:
        items.append(finding)
    return finding
TOTAL_LABELS = frozenset({"total", "total général", "total general"})


@frozen
class Col:
    """A column a plugin expects.

    ``type`` is one of ``text``, ``int``, ``decimal`` (money too), ``percent``
    (``14,36 %`` or a ratio), ``date`` (ISO or ``dd/mm/yy[yy]``, a two-digit
    year is 20yy), ``date_or_text`` (a cell written as a date is a date, any
    other text stays text: "48 mois à dater de la notification"). In a number
    column, ``-`` means "nothing" (read as ``None``). A date that does not
    exist (31/02/2021) is an error in both date types.
    ``choices`` restricts a text column to known values. ``required``
    forbids empty cells; ``optional`` lets the whole column be absent.
    """

    name: str
    type: str = "text"
    required: bool = True
    choices: tuple[str, ...] | None = None
    optional: bool = False

    def __attrs_post_init__(self):
        if self.type not in _CONVERTERS:
            raise ValueError(f"unknown column type {self.type!r}")


_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _looks_like_date(text: str) -> bool:
    s = text.strip()
    return bool(_DMY.match(s) or _YMD.match(s))


def _to_date(text: str) -> dt.date:
    s = text.strip()
    if len(s) == 10 and s[4] == "-" and s[7] == "-":
        try:  # 2021-06-22, the usual form, at C speed (a registry's thousands of dates)
            return dt.date.fromisoformat(s)
        except ValueError:
            pass  # 2021-02-31, or not digits: said below
    m = _DMY.match(s)
    if m:
        d, mth, y = (int(g) for g in m.groups())
        if y < 100:
            y += 2000
    elif _YMD.match(s):
        y, mth, d = (int(g) for g in _YMD.match(s).groups())
    else:
        try:  # the other ISO 8601 forms Python reads (20210622)
            return dt.date.fromisoformat(s)
        except ValueError:
            raise ValueError(_("expected a date such as 2021-06-22 or 22/06/2021, found {found}").format(
                found=quoted(text))) from None
    try:
        return dt.date(y, mth, d)
    except ValueError:
        why = (_("there is no month {month}").format(month=mth) if not 1 <= mth <= 12
               else _("there is no day {day} in month {month} of {year}").format(day=d, month=mth, year=y))
        raise ValueError(_("expected a date, found {found}: {why}; correct it (as 2021-06-22 or "
                           "22/06/2021)").format(found=quoted(text), why=why)) from None


def _to_date_or_text(text: str) -> dt.date | str:
    """A cell written as a date (ISO, ``dd/mm/yy[yy]``) is that date; any other text stays text."""
    return _to_date(text) if _looks_like_date(text) else text


_CONVERTERS = {
    "text": lambda s: s,
    "int": parse_int,
    "decimal": parse_decimal,
    "percent": parse_percent,
    "date": _to_date,
    "date_or_text": _to_date_or_text,
}
_TYPE_NAMES = {
    "text": N_("text"),
    "int": N_("a whole number"),
    "decimal": N_("a number"),
    "percent": N_("a percentage"),
    "date": N_("a date"),
    "date_or_text": N_("a date or a text"),
}
_DATES = ("date", "date_or_text")


def _convert_cell(raw, col: Col):
    """Convert one cell; raw is a str (CSV) or a native value (XLSX)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if col.required:
            raise ValueError(_("empty cell, expected {what}").format(what=_(_TYPE_NAMES[col.type])))
        return None
    if isinstance(raw, dt.datetime) and col.type in _DATES:
        return raw.date()
    if isinstance(raw, dt.date) and col.type in _DATES:
        return raw
    if isinstance(raw, bool):
        raw = str(raw)
    if isinstance(raw, (int, float)) and col.type in ("int", "decimal", "percent"):
        value = Decimal(str(check_native_number(raw)))
        if col.type == "int":
            if value != value.to_integral_value():
                raise ValueError(_("expected a whole number, found {found}").format(found=quoted(raw)))
            return int(value)
        return value
    text = str(raw).strip()
    if text in ("-", "–", "—", "- €") and col.type in ("int", "decimal", "percent"):
        return None  # an explicit "nothing", as accountants write it: not a figure to fill in
    bad = forbidden_character(text)
    if bad:
        raise ValueError(_("the cell holds a control character ({character}) that documents cannot contain").format(
            character=bad))
    value = _CONVERTERS[col.type](text)
    if col.choices is not None and value not in col.choices:
        raise ValueError(_("unknown value {value}, expected one of: {choices}").format(
            value=quoted(text), choices=", ".join(col.choices)))
    return value


def _blank(raw) -> bool:
    return raw is None or not str(raw).strip()


def find_table(folder: Path, stem: str) -> Path | None:
    """The CSV or XLSX file named ``stem`` in ``folder``, if any.

    :raises RapactError: when both exist: which one is current cannot be guessed.
    """
    found = [folder / f"{stem}{suffix}" for suffix in TABLE_SUFFIXES if (folder / f"{stem}{suffix}").is_file()]
    if len(found) > 1:
        raise RapactError(Finding(
            _("both {csv} and {xlsx} exist: an XLSX replaces the CSV of the same name; delete or rename the "
              "one that is out of date").format(csv=display_path(found[0]), xlsx=found[1].name),
            file=display_path(found[1])))
    return found[0] if found else None


def _read_csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    """The rows of a CSV file with their line numbers."""
    lines, rows, _clean = _read_csv(path)
    return list(zip(lines, rows))


def _read_csv(path: Path) -> tuple[Sequence[int], list[list[str]], bool]:
    """The rows of a CSV file, the line each starts on, and whether the file is
    clean: free of any character that documents cannot contain."""
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise RapactError(Finding(_("the file is {size} MB: a CSV data file may hold at most {most} MB").format(
            size=number_text(size / (1 << 20)), most=MAX_CSV_BYTES >> 20), file=display_path(path)))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RapactError(Finding(
            _("the file is not UTF-8 (byte {byte}); save it as \"CSV UTF-8\"").format(byte=f"0x{raw[exc.start]:02x}"),
            file=display_path(path), line=line)) from None
    if not text.strip():
        raise RapactError(Finding(_("the file is empty, expected a header row"), file=display_path(path), line=1))
    first_line = text.partition("\n")[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    if "\t" in first_line and first_line.count("\t") > first_line.count(delimiter):
        delimiter = "\t"
    clean = decoded_is_clean(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(islice(reader, MAX_TABLE_ROWS + 1))
    except csv.Error as exc:
        raise RapactError(Finding(_("unreadable CSV: {error}").format(error=exc), file=display_path(path),
                                  line=reader.line_num)) from None
    if len(rows) <= MAX_TABLE_ROWS and reader.line_num == len(rows):
        return range(1, len(rows) + 1), rows, clean  # each row on a line of its own
    # a cell holds a line break (or the file is too long): each row's first line, row by row
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines, rows = [], []
    start = 1
    for cells in reader:
        if len(rows) == MAX_TABLE_ROWS:
            raise RapactError(Finding(_("the file has more than {most} rows, the most a data table may have"
                                        ).format(most=number_text(MAX_TABLE_ROWS)), file=display_path(path),
                                      line=start))
        lines.append(start)
        rows.append(cells)
        start = reader.line_num + 1
    return lines, rows, clean


def _read_xlsx_rows(path: Path) -> list[tuple[int, list]]:
    from .xlsxfile import read_xlsx_rows

    return read_xlsx_rows(path)


def read_table(
    path: Path,
    columns: Sequence[Col],
    *,
    extra: Col | None = None,
    totals: bool = False,
    todo_if_empty: bool = True,
) -> TableData:
    """Read a CSV or XLSX table, checking its header and converting every cell.

    :param columns: the expected columns, in any order in the file.
    :param extra: the type of any further columns (e.g. one per year); when
        ``None``, an unexpected column is an error.
    :param totals: when true, a last row whose first cell reads "Total" (or
        "Total général") is returned apart as the file's *stated* totals.
    :param todo_if_empty: a file with a header and no rows goes on the
        editor's to-do list (as ``rapact new-year`` leaves it).

    A row whose figures (the numeric columns after the first) are all empty is
    a row still to be filled in: its figures read as ``MISSING`` ("à
    compléter") and the row goes on the to-do list, instead of being an error.
    :raises RapactError: with one finding per bad cell.
    """
    path = Path(path)
    shown = display_path(path)
    if not path.is_file():
        raise RapactError(Finding(_("missing data file"), file=shown))
    # XLSX cells are checked one by one; a clean CSV file's free text is only stripped
    try:
        if path.suffix.lower() == ".xlsx":
            pairs = _read_xlsx_rows(path)
            lines, rows, clean = [n for n, _cells in pairs], [cells for _n, cells in pairs], False
        else:
            lines, rows, clean = _read_csv(path)
    except OSError as exc:  # unreadable: permissions, a disk error
        raise RapactError(Finding(_("cannot read the file: {reason}").format(reason=exc.strerror or exc),
                                  file=shown)) from None
    header_line, header = lines[0], rows[0]
    header = [str(h).strip() for h in header]
    while header and not header[-1]:
        header.pop()
    problems: list[Finding] = []
    expected = {c.name: c for c in columns}
    missing = [c.name for c in columns if c.name not in header and not c.optional]
    if missing:
        problems.append(Finding(
            ngettext("missing column {columns}; the header must contain: {expected}",
                     "missing columns {columns}; the header must contain: {expected}", len(missing)).format(
                columns=", ".join(missing), expected=", ".join(c.name for c in columns)),
            file=shown, line=header_line))
    specs: list[Col] = []
    for name in header:
        if name in expected:
            specs.append(expected[name])
        elif extra is not None:
            specs.append(Col(name, extra.type, extra.required, extra.choices))
        else:
            problems.append(Finding(
                _("unexpected column {column}; expected: {expected}").format(
                    column=quoted(name), expected=", ".join(c.name for c in columns)),
                file=shown, line=header_line, field=name or _("(empty header)")))
    if len(set(header)) != len(header):
        problems.append(Finding(_("a column name appears twice in the header"), file=shown, line=header_line))
    if problems:
        raise RapactError(problems)

    figures = [i for i, col in enumerate(specs) if i > 0 and col.type != "text" and col.type not in _DATES]
    names = [col.name for col in specs]
    absent = [col.name for col in columns if col.name not in header]
    body_lines, body_rows = lines[1:], rows[1:]
    if [] in body_rows:  # empty lines
        body_lines = [n for n, cells in zip(body_lines, body_rows) if cells]
        body_rows = [cells for cells in body_rows if cells]
    stated_total = totals and body_rows and str(body_rows[-1][0]).strip().lower() in TOTAL_LABELS
    # a big clean CSV file (a registry) column by column; any other, or a problem, row by row
    values = None if not clean or stated_total else convert_columns(body_rows, specs, figures, _convert_cell)
    if values is not None:
        table = dict(zip(names, values))
        for name in absent:
            table[name] = [None] * len(body_rows)
        return TableData(path, tuple(header), Records(table, shown, body_lines))

    records: list[Record] = []
    total = None
    body = [(n, cells) for n, cells in zip(body_lines, body_rows) if "".join(map(str, cells)).strip()]
    # a totals row may leave any cell empty; built once, not per cell (large registries)
    total_specs = [Col(c.name, c.type, False, c.choices) for c in specs]
    if not body and todo_if_empty:
        todo(_("the file has no rows yet: add this year's rows"), file=shown, line=header_line + 1)
    # Registries run to tens of thousands of rows: a free-text cell of a file
    # already known to be clean is just stripped, and every other column
    # remembers what each distinct text converted to (dates, categories and
    # amounts repeat). Conversions are pure, and errors are never remembered.
    plain = [clean and col.type == "text" and col.choices is None for col in specs]
    memos: list[dict] = [{} for _spec in specs]
    width = len(specs)
    for index, (line, cells) in enumerate(body):
        is_total = bool(
            totals and index == len(body) - 1 and cells
            and str(cells[0]).strip().lower() in TOTAL_LABELS
        )
        if len(cells) > width and any(str(c).strip() for c in cells[width:]):
            problems.append(Finding(
                _("{cells} cells but the header has {width} columns (a decimal comma in a comma-separated file?)"
                  ).format(cells=len(cells), width=width), file=shown, line=line))
            continue
        if len(cells) < width:
            cells = list(cells) + [None] * (width - len(cells))
        to_fill = bool(figures) and not is_total and all(_blank(cells[pos]) for pos in figures)
        if to_fill:
            label = str(cells[0]).strip() if cells else ""
            columns_to_fill = ", ".join(specs[p].name for p in figures)
            todo(_("fill in {columns} for {label}").format(columns=columns_to_fill, label=label) if label
                 else _("fill in {columns}").format(columns=columns_to_fill), file=shown, line=line)
        values = {}
        if is_total or to_fill:
            for pos, raw in enumerate(cells[:width]):
                name = names[pos]
                if is_total and pos == 0:
                    values[name] = str(raw).strip()
                elif to_fill and pos in figures:
                    values[name] = MISSING
                else:
                    try:
                        values[name] = _convert_cell(raw, total_specs[pos] if is_total else specs[pos])
                    except ValueError as exc:
                        problems.append(Finding(str(exc), file=shown, line=line, field=name))
        else:
            for name, raw, is_plain, memo, spec in zip(names, cells, plain, memos, specs):
                if raw.__class__ is str:
                    if is_plain:
                        text = raw.strip()
                        if text:
                            values[name] = text
                            continue
                    else:
                        known = memo.get(raw, _UNSEEN)
                        if known is not _UNSEEN:
                            values[name] = known
                            continue
                try:
                    value = values[name] = _convert_cell(raw, spec)
                except ValueError as exc:
                    problems.append(Finding(str(exc), file=shown, line=line, field=name))
                    continue
                if raw.__class__ is str:
                    memo[raw] = value
        for name in absent:
            values[name] = None
        record = Record(values, shown, line)
        if is_total:
            total = record
        else:
            records.append(record)
    if problems:
        raise RapactError(problems)
    return TableData(path, tuple(header), records, total)
