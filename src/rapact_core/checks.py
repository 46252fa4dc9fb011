"""Helpers for consistency findings: stated figures against computed ones."""

from __future__ import annotations

from decimal import Decimal

from .data import TableData
from .errors import Finding, Level
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
                          kind: CellKind = CellKind.INTEGER, what: str = "") -> list[Finding]:
    """Compare a table's stated totals row with the sums computed from its lines."""
    if table.total is None:
        return []
    findings = []
    for column, value in computed.items():
        stated = table.total.get(column)
        if stated is None or value is None or value is MISSING or stated is MISSING:
            continue
        if Decimal(str(stated)) != Decimal(str(value)):
            findings.append(Finding(
                f"{what + ': ' if what else ''}the stated total is {format_value(stated, kind)} "
                f"but the lines add up to {format_value(value, kind)}",
                Level.WARNING, table.file, table.total.row, column))
    return findings


def stated_value_finding(stated, computed, *, file: str, line: int | None = None, field: str,
                         what: str, kind: CellKind = CellKind.INTEGER, decimals: int | None = None) -> list[Finding]:
    """One finding when a stated figure differs from the computed one (at its precision)."""
    if stated is None or computed is None or computed is MISSING or same_at_stated_precision(stated, computed):
        return []
    return [Finding(
        f"{what}: stated {format_value(Decimal(str(stated)), kind, decimals)}, "
        f"computed {format_value(computed, kind, decimals)}",
        Level.WARNING, file, line, field)]

