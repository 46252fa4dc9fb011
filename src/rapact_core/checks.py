"""Helpers for consistency findings: stated figures against computed ones."""

from __future__ import annotations

from decimal import Decimal

from .data import TableData
from .errors import Finding, Level, display_path
from .i18n import _
from .missing import MISSING
from .formatting import format_value
from .model import CellKind


def same_at_stated_precision(stated, computed) -> bool:
    """True when ``computed`` rounds to ``stated`` at the precision it was stated with.

    ``0.98`` stated for a computed ``0.97877…`` matches; ``221`` for ``66`` does not.
    """
    s = Decimal(str(stated))
    c = Decimal(str(computed))
    exponent = s.as_tuple().exponent
    if not isinstance(exponent, int):
        return False
    return c.quantize(Decimal(1).scaleb(exponent)) == s


def stated_total_findings(table: TableData, computed: dict[str, object], *,
                          kind: CellKind = CellKind.INTEGER, what: str = "", section: str | None = None,
                          hint: str | None = None) -> list[Finding]:
    """Compare a table's stated totals row with the sums computed from its lines.

    One warning for the table, at the row of its "Total" line, listing each
    column that differs (or saying it, for one column). ``section`` names the
    report section that shows the table, ``hint`` replaces the default "what to do".
    """
    if table.total is None:
        return []
    wrong = []
    for column, value in computed.items():
        stated = table.total.get(column)
        if stated is None or value is None or value is MISSING or stated is MISSING:
            continue
        if Decimal(str(stated)) != Decimal(str(value)):
            wrong.append((column, format_value(stated, kind), format_value(value, kind)))
    if not wrong:
        return []
    name = table.path.name
    default_hint = _("the report prints the sum of the lines; correct the line that is wrong in {file}, or the "
                     "Total row if the lines are right").format(file=name)
    if len(wrong) == 1:
        column, stated, value = wrong[0]
        message = _("the Total row states {stated} in column {column}, but the lines above it add up to "
                    "{computed}").format(stated=stated, column=column, computed=value)
        items = ()
    else:
        message = _("the Total row disagrees with the sum of the lines in {count} columns").format(count=len(wrong))
        items = tuple(_("column {column}: the Total row states {stated}, the lines add up to {computed}").format(
            column=column, stated=stated, computed=value) for column, stated, value in wrong)
    if what:
        message = _("{what}: {message}").format(what=what, message=message)
    return [Finding(message, Level.WARNING, table.file, table.total.row, items=items, section=section,
                    hint=hint or default_hint)]


def stated_value_finding(stated, computed, *, file: str, line: int | None = None, field: str | None = None,
                         what: str, kind: CellKind = CellKind.INTEGER, decimals: int | None = None,
                         facts: tuple[str, ...] = (), section: str | None = None,
                         hint: str | None = None) -> list[Finding]:
    """One finding when a stated figure differs from the computed one (at its precision).

    ``facts`` and ``section`` say where the report prints the computed figure;
    ``hint`` replaces the default "what to do".
    """
    if stated is None or computed is None or computed is MISSING or same_at_stated_precision(stated, computed):
        return []
    shown = display_path(file)
    name = shown.rsplit("/", 1)[-1] if shown else ""
    return [Finding(
        _("{what}: the text states {stated}, the data gives {computed}").format(
            what=what, stated=format_value(Decimal(str(stated)), kind, decimals),
            computed=format_value(computed, kind, decimals)),
        Level.WARNING, file, line, field, facts=facts, section=section,
        hint=hint or _("the report prints the data's figure; if the stated one is right, correct the data; "
                       "then write the figure you checked in {file}").format(file=name))]

