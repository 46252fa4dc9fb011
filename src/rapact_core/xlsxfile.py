"""Reading the first sheet of an XLSX workbook: bounded, and every failure located.

An XLSX file is a zip of XML parts. Its table of contents states each part's
inflated size, and Python's zip reader never inflates more than that, so a
zip bomb is refused before anything is inflated. openpyxl's exceptions, of
many types, become findings naming the file (and row).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from .errors import Finding, RapactError, display_path
from .i18n import N_, _, number_text
from .limits import MAX_NUMBER_DIGITS, MAX_TABLE_ROWS, MAX_XLSX_UNCOMPRESSED_BYTES

# a formula element in sheet XML (<f>, <f t="shared" …/>, with or without a namespace prefix)
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_SAVE_AGAIN = N_("open the workbook in a spreadsheet (Excel, LibreOffice Calc) and save it, so that the result "
                 "of each formula is stored in the file")


def read_xlsx_rows(path: Path) -> list[tuple[int, list]]:
    """The first sheet's rows as (row number, cell values), empty cells as ``""``.

    :raises RapactError: for a workbook too big, unreadable, without sheet or
        rows, or holding a formula whose result was never computed.
    """
    shown = display_path(path)
    sheets = _check_package(path, shown)
    import openpyxl  # lazily: only XLSX users pay for it

    rows = _read(path, shown, data_only=True)
    if not rows:
        raise RapactError(Finding(_("the workbook's first sheet is empty, expected a header row"), file=shown,
                                  line=1))
    empty = {(n, i) for n, cells in rows for i, v in enumerate(cells) if v is None}
    if empty and _has_formulas(path, sheets):
        problems = []
        for n, cells in _read(path, shown, data_only=False):
            for i, v in enumerate(cells):
                if (n, i) in empty and _is_formula(v):
                    problems.append(Finding(
                        _("cell {cell} holds a formula whose result is not stored ({formula}): {what_to_do}").format(
                            cell=f"{openpyxl.utils.get_column_letter(i + 1)}{n}", formula=_formula_text(v),
                            what_to_do=_(_SAVE_AGAIN)), file=shown, line=n,
                        field=str(rows[0][1][i]) if i < len(rows[0][1]) and rows[0][1][i] is not None else None))
        if problems:
            raise RapactError(problems)
    return [(n, ["" if v is None else v for v in cells]) for n, cells in rows]


def _check_package(path: Path, shown: str) -> list[str]:
    """Refuse a workbook whose parts would inflate beyond the cap; the sheets' part names."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise RapactError(Finding(_("not a readable XLSX workbook ({error})").format(error=exc), file=shown)
                          ) from None
    total = sum(info.file_size for info in infos)
    if total > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise RapactError(Finding(
            _("the workbook holds {size} MB once uncompressed: at most {most} MB are read; save the data as CSV or "
              "split the workbook").format(size=number_text(total / (1 << 20)), most=MAX_XLSX_UNCOMPRESSED_BYTES >> 20),
            file=shown))
    return [info.filename for info in infos if info.filename.startswith("xl/worksheets/")]


def _read(path: Path, shown: str, *, data_only: bool) -> list[tuple[int, list]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many types for a bad file
        raise RapactError(Finding(_("not a readable XLSX workbook ({error})").format(
            error=f"{exc.__class__.__name__}: {exc}"), file=shown)) from None
    rows: list[tuple[int, list]] = []
    try:
        if not wb.worksheets:
            raise RapactError(Finding(_("the workbook has no sheet, expected the table on its first sheet"),
                                      file=shown))
        ws = wb.worksheets[0]
        # the stated dimension (A1:XFD1048576 after formatting whole columns) would pad every row
        ws.reset_dimensions()
        for idx, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if idx > MAX_TABLE_ROWS:
                raise RapactError(Finding(_("the sheet has more than {most} rows, the most a data table may have"
                                            ).format(most=number_text(MAX_TABLE_ROWS)), file=shown, line=idx))
            rows.append((idx, list(values)))
    except RapactError:
        raise
    except ValueError as exc:
        if "integer string conversion" not in str(exc):
            raise RapactError(Finding(_("not a readable XLSX workbook ({error})").format(error=f"ValueError: {exc}"),
                                      file=shown, line=len(rows) + 1)) from None
        # Python refuses to read an integer of more than 4,300 digits
        raise RapactError(Finding(_("a cell holds a number of thousands of digits: at most {most} are read").format(
            most=MAX_NUMBER_DIGITS), file=shown, line=len(rows) + 1)) from None
    except Exception as exc:
        raise RapactError(Finding(_("not a readable XLSX workbook ({error})").format(
            error=f"{exc.__class__.__name__}: {exc}"), file=shown, line=len(rows) + 1)) from None
    finally:
        wb.close()
    while rows and not any(v is not None and str(v).strip() for v in rows[-1][1]):
        rows.pop()  # trailing blank rows: formatting, not data
    return rows


def _has_formulas(path: Path, sheets: list[str]) -> bool:
    with zipfile.ZipFile(path) as zf:
        for name in sheets:
            with zf.open(name) as part:
                tail = b""
                while chunk := part.read(1 << 20):
                    if _FORMULA.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def _is_formula(value) -> bool:
    if isinstance(value, str):
        return value.startswith("=")
    return type(value).__name__ in ("ArrayFormula", "DataTableFormula")


def _formula_text(value) -> str:
    text = value if isinstance(value, str) else getattr(value, "text", None) or type(value).__name__
    return text if len(text) <= 40 else text[:40] + "…"
