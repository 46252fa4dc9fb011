"""Account arithmetic: subtotals from their lines, variations and rates.

Amounts are signed as in the accounts (costs negative). A cost's variation is
shown as the change of the cost itself (a cost that grows gives a positive
variation), as the source report does.
"""

from __future__ import annotations

from decimal import Decimal

import attrs
from attrs import frozen

from rapact_core import MISSING, is_missing
from rapact_core.i18n import _

from .load import Line


def evaluate(lines: tuple[Line, ...], attr: str, external: dict | None = None) -> dict[str, Decimal | None]:
    """Every line's value for ``attr`` (n, n1, budget), subtotals computed from their formula.

    ``external`` holds values a formula may name from another table
    (``revenue.total``, ``pnl.chiffre_affaires``).
    """
    by_code = {l.code: l for l in lines}
    done: dict[str, Decimal | None] = dict(external or {})

    def value(code: str, stack=()) -> Decimal | None:
        if code in done:
            return done[code]
        if code in stack:
            raise ValueError(_("circular formula: {chain}").format(chain=" -> ".join(stack + (code,))))
        line = by_code[code]
        if line.formula:
            parts = [value(c, stack + (code,)) for c in line.formula]
            result = None if all(p is None for p in parts) else sum((p or Decimal(0) for p in parts), Decimal(0))
        else:
            result = getattr(line, attr)
        done[code] = result
        return result

    return {l.code: value(l.code) for l in lines}


def ratio_change(new: Decimal | None, old: Decimal | None) -> Decimal | None:
    """(new − old) / old; undefined when old is zero or the sign flips."""
    if is_missing(new) or is_missing(old):
        return MISSING
    if new is None or old is None or old == 0:
        return None
    if new != 0 and (new > 0) != (old > 0):
        return None
    return (new - old) / old


def variation(new: Decimal | None, old: Decimal | None, cost: bool) -> Decimal | None:
    if new is None or old is None:
        return None
    return (old - new) if cost else (new - old)


def is_cost(line: Line, reference: Decimal | None = None) -> bool:
    if line.nature == "charge":
        return True
    if line.nature == "produit":
        return False
    return reference is not None and not is_missing(reference) and reference < 0


@frozen
class AccountRow:
    line: Line
    n: Decimal | None
    n1: Decimal | None
    budget: Decimal | None

    @property
    def change(self) -> Decimal | None:
        return variation(self.n, self.n1, is_cost(self.line, self.n1))

    @property
    def change_pct(self) -> Decimal | None:
        return ratio_change(self.n, self.n1)

    @property
    def budget_change(self) -> Decimal | None:
        if self.budget is None or self.n is None:
            return None
        if is_missing(self.budget) or is_missing(self.n):
            return MISSING
        cost = self.budget < 0 or (self.budget == 0 and self.n < 0)
        return variation(self.n, self.budget, cost)

    @property
    def budget_pct(self) -> Decimal | None:
        return ratio_change(self.n, self.budget)


def account_rows(lines: tuple[Line, ...], external: dict | None = None) -> list[AccountRow]:
    ext = external or {}
    n, n1, budget = (evaluate(lines, a, ext.get(a)) for a in ("n", "n1", "budget"))
    return [AccountRow(l, n[l.code], n1[l.code], budget[l.code]) for l in lines]


def formula_mismatches(lines: tuple[Line, ...], external: dict | None = None) -> list[tuple[Line, str, Decimal, Decimal]]:
    """(line, column, stated, computed) for each subtotal whose stated value differs."""
    out = []
    for attr in ("n", "n1", "budget"):
        computed = evaluate(lines, attr, (external or {}).get(attr))
        for l in lines:
            stated = getattr(l, attr)
            if l.formula and stated is not None and computed[l.code] is not None and stated != computed[l.code]:
                out.append((l, attr, stated, computed[l.code]))
    return out


@frozen
class Revenue:
    label: str
    n: Decimal
    n1: Decimal | None
    budget: Decimal | None

    @property
    def change_pct(self):
        return ratio_change(self.n, self.n1)

    @property
    def budget_change(self):
        return None if self.budget is None else self.n - self.budget

    @property
    def budget_pct(self):
        return ratio_change(self.n, self.budget)


def revenue_lines(table, previous: dict | None = None) -> list[Revenue]:
    """Revenue per solution; N-1 from the previous year's lines when given (by label)."""
    if previous is None:
        return [Revenue(r["solution"], r["n"], r["n1"], r["budget"]) for r in table.rows]
    return [Revenue(r["solution"], r["n"], previous.get(r["solution"]), r["budget"]) for r in table.rows]


def revenue_total(lines: list[Revenue]) -> Revenue:
    def total(attr):
        values = [getattr(l, attr) for l in lines if getattr(l, attr) is not None]
        return sum(values, Decimal(0)) if values else None

    return Revenue("Total", total("n"), total("n1"), total("budget"))


@frozen
class Accounts:
    """Every account table of the year, with cross-table formulas resolved."""

    pnl: tuple[AccountRow, ...]
    analytic: tuple[AccountRow, ...]
    revenue: tuple[Revenue, ...]
    revenue_total: Revenue
    pnl_external: dict
    analytic_external: dict

    def pnl_by_code(self) -> dict[str, AccountRow]:
        return {r.line.code: r for r in self.pnl}

    def analytic_by_code(self) -> dict[str, AccountRow]:
        return {r.line.code: r for r in self.analytic}


def accounts(data) -> Accounts:
    """All account tables of a year. When the previous year's folder exists, every
    N-1 figure is that year's own computed N figure, matched by code or label."""
    prev = accounts(data.previous) if data.previous is not None else None
    revenue = tuple(revenue_lines(data.revenue, {r.label: r.n for r in prev.revenue} if prev else None))
    total = revenue_total(list(revenue))
    attrs_ = ("n", "n1", "budget")
    pnl_ext = {a: {"revenue.total": getattr(total, a)} for a in attrs_}
    pnl_values = {a: evaluate(data.pnl, a, pnl_ext[a]) for a in attrs_}
    ana_ext = {a: {f"pnl.{code}": v for code, v in pnl_values[a].items() if code != "revenue.total"} for a in attrs_}
    pnl_rows = account_rows(data.pnl, pnl_ext)
    analytic_rows = account_rows(data.analytic, ana_ext)
    if prev is not None:
        pnl_prev = {r.line.code: r.n for r in prev.pnl}
        ana_prev = {r.line.code: r.n for r in prev.analytic}
        pnl_rows = [attrs.evolve(r, n1=pnl_prev.get(r.line.code)) for r in pnl_rows]
        analytic_rows = [attrs.evolve(r, n1=ana_prev.get(r.line.code)) for r in analytic_rows]
    return Accounts(tuple(pnl_rows), tuple(analytic_rows), revenue, total, pnl_ext, ana_ext)
