"""A plugin's settings and files, read with every error collected: ``setting``
and ``DataLoader``."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .data import Col, TableData, read_table, todo
from .errors import Finding, RapactError, display_path
from .i18n import _, quoted
from .missing import MISSING
from .numbers import check_native_number, parse_decimal, parse_int
from .yamlfiles import read_yaml, yaml_line


def to_decimal(value) -> Decimal:
    """A YAML number as an exact Decimal (YAML floats go through ``str``)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        return parse_decimal(value)
    return Decimal(str(value))


def setting(data: dict, key: str, file, *, type: str = "int", required: bool = False):
    """A figure from a YAML mapping of settings.

    Absent: ``None`` (or an error when ``required``). Present but empty (as
    ``rapact new-year`` leaves it): ``MISSING``, and an entry on the to-do list.
    Otherwise the value as an ``int`` or exact ``Decimal``.

    :raises RapactError: for a value of the wrong type, naming the file and key.
    """
    shown = display_path(file)
    if key not in data:
        if required:
            raise RapactError(Finding(_("missing key"), file=shown, line=None, field=key))
        return None
    value = data[key]
    if value is None or (isinstance(value, str) and not value.strip()):
        todo(_("to fill in"), file=shown, line=yaml_line(file, key), field=key)
        return MISSING
    try:
        if isinstance(value, bool):
            raise ValueError
        if type == "int":
            if isinstance(value, int):
                return check_native_number(value)
            return parse_int(str(value))
        return check_native_number(to_decimal(value))
    except (ValueError, ArithmeticError):
        message = (_("expected a whole number, found {found}") if type == "int"
                   else _("expected a number, found {found}"))
        raise RapactError(Finding(message.format(found=quoted(value)), file=shown,
                                  line=yaml_line(file, key), field=key)) from None


class DataLoader:
    """Reads a plugin's files, collecting every error so one run reports them all.

        load = DataLoader(ctx, "members")
        categories = load.table("categories", [Col("categorie"), Col("nombre", "int")], totals=True)
        settings = load.settings("members.yaml", figures={"inhabitants": "int"})
        last = load.previous()   # the same folder of last year's report, or None
        before = last.table("categories", [Col("categorie"), Col("nombre", "int")]) if last else None
        load.done()          # raises one RapactError with every problem found, of both years

    ``table`` and ``settings`` return ``None`` for a file that could not be read.

    :param ctx: the plugin's ``BuildContext`` (``ctx.table_file`` and
        ``ctx.data_path`` find the files).
    :param folder: the plugin's folder in the data folder (``"members"``).
    :param problems: the list to collect findings into; ``previous()`` shares it.
    """

    def __init__(self, ctx, folder: str, problems: list[Finding] | None = None):
        self.ctx = ctx
        self.folder = folder
        self.problems: list[Finding] = [] if problems is None else problems

    def previous(self) -> "DataLoader | None":
        """A loader of the same folder in the previous year's report
        (``ctx.previous()``), collecting into the same findings; ``None`` when
        that year has no folder."""
        previous = self.ctx.previous()
        return None if previous is None else DataLoader(previous, self.folder, self.problems)

    def table(self, stem: str, columns: Sequence[Col], **kwargs) -> TableData | None:
        try:
            return read_table(self.ctx.table_file(f"{self.folder}/{stem}"), columns, **kwargs)
        except RapactError as exc:
            self.problems.extend(exc.findings)
            return None

    def settings(self, name: str, figures: dict[str, str] | None = None, *, required: bool = False) -> dict | None:
        """A YAML mapping; each key of ``figures`` (key → "int" or "decimal") read with :func:`setting`."""
        path = self.ctx.data_path(self.folder, name)
        try:
            data = read_yaml(path, required=required)
        except RapactError as exc:
            self.problems.extend(exc.findings)
            return None
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.problems.append(Finding(_("expected a mapping of keys"), file=display_path(path), line=1))
            return None
        for key, kind in (figures or {}).items():
            try:
                value = setting(data, key, path, type=kind)
            except RapactError as exc:
                self.problems.extend(exc.findings)
                continue
            if value is not None:
                data[key] = value
        return data

    def error(self, message: str, **where) -> None:
        """Record a problem of the plugin's own (``file=``, ``line=``, ``field=``)."""
        self.problems.append(Finding(message, **where))

    def done(self) -> None:
        """Raise one ``RapactError`` with every problem recorded, if any."""
        if self.problems:
            raise RapactError(self.problems)
