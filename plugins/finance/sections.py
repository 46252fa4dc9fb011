"""The accounts' tables and chart, each declared with ``@section``.

``derived`` is the year's :class:`~rapact_finance.compute.Accounts`, computed
once by ``rapact_compute``.
"""

from __future__ import annotations

from rapact_core import CellKind, Chart, ChartKind, Column, Figure, Row, RowRole, Series, Table, section

from .compute import Accounts


def _role(i: int, count: int, line) -> RowRole:
    if i == count - 1:
        return RowRole.TOTAL
    # a line taken from another table (one formula term) is not a subtotal
    return RowRole.SUBTOTAL if len(line.formula) > 1 else RowRole.BODY


@section("finance.pnl", "Compte de résultats, année et année précédente, variations")
def pnl_table(derived: Accounts, ctx) -> Table:
    rows, year = derived.pnl, ctx.year
    money = dict(kind=CellKind.MONEY, width=1.4)
    cols = [Column("libelle", "", width=3.6), Column("n", str(year), **money), Column("n1", str(year - 1), **money),
            Column("var", f"Variation {year - 1}/{year}", **money),
            Column("pct", f"Variation {year - 1}/{year} (%)", CellKind.PERCENT, width=1.3)]
    body = [Row([r.line.label, r.n, r.n1, r.change, r.change_pct], _role(i, len(rows), r.line))
            for i, r in enumerate(rows)]
    return Table(cols, body, caption=f"Compte de résultats {year} et {year - 1}", id="finance-pnl")


@section("finance.analytic", "Regroupement analytique")
def analytic_table(derived: Accounts, ctx) -> Table:
    rows, year = derived.analytic, ctx.year
    money = dict(kind=CellKind.MONEY, width=1.6)
    cols = [Column("libelle", "", width=3.4), Column("n", str(year), **money), Column("n1", str(year - 1), **money),
            Column("pct", "Variation", CellKind.PERCENT, decimals=1, width=1.1)]
    body = [Row([r.line.label, r.n, r.n1, r.change_pct], _role(i, len(rows), r.line)) for i, r in enumerate(rows)]
    return Table(cols, body, caption="Regroupement suivant nos axes analytiques", id="finance-analytic")


@section("finance.budget", "Comparaison avec le budget")
def budget_table(derived: Accounts, ctx) -> Table:
    rows, year = derived.analytic, ctx.year
    money = dict(kind=CellKind.MONEY, width=1.6)
    cols = [Column("libelle", "", width=3.2), Column("budget", f"Budget {year}", **money),
            Column("n", str(year), **money), Column("pct", "Variation budget (%)", CellKind.PERCENT, decimals=1,
                                                    width=1.2),
            Column("var", "Variation budget", **money)]
    body = [Row([r.line.label, r.budget, r.n, r.budget_pct, r.budget_change], _role(i, len(rows), r.line))
            for i, r in enumerate(rows)]
    return Table(cols, body, caption=f"Comparaison avec le budget {year}", id="finance-budget")


@section("finance.revenue", "Chiffre d'affaires par solution, avec graphique")
def revenue_blocks(derived: Accounts, ctx) -> list:
    lines, total, year = derived.revenue, derived.revenue_total, ctx.year
    money = dict(kind=CellKind.MONEY, width=1.6)
    cols = [Column("solution", "Solutions", width=2.4), Column("n", str(year), **money),
            Column("n1", str(year - 1), **money),
            Column("pct", f"Variation {year - 1}/{year}", CellKind.PERCENT, width=1.3)]
    table = Table(cols, [Row([l.label, l.n, l.n1, l.change_pct]) for l in lines],
                  [Row(["Total", total.n, total.n1, total.change_pct], RowRole.TOTAL)],
                  caption="Ventilation du chiffre d'affaires par solution", id="finance-revenue")
    chart = Chart(ChartKind.HBAR, f"Chiffre d'affaires par solution, {year} et {year - 1}",
                  [l.label for l in lines],
                  [Series(str(year), [l.n for l in lines]), Series(str(year - 1), [l.n1 or 0 for l in lines])],
                  CellKind.MONEY)
    return [table, Figure(chart, f"Chiffre d'affaires par solution, {year} et {year - 1}", "finance-revenue-chart", 0.9)]


@section("finance.budget_revenue", "Chiffre d'affaires par solution et budget")
def budget_revenue_table(derived: Accounts, ctx) -> Table:
    lines, total, year = derived.revenue, derived.revenue_total, ctx.year
    money = dict(kind=CellKind.MONEY, width=1.6)
    cols = [Column("solution", "Solutions", width=2.2), Column("budget", f"Budget {year}", **money),
            Column("n", str(year), **money), Column("var", "Variation budget", **money),
            Column("pct", "Variation budget (%)", CellKind.PERCENT, decimals=1, width=1.2)]
    return Table(cols, [Row([l.label, l.budget, l.n, l.budget_change, l.budget_pct]) for l in lines],
                 [Row(["Total", total.budget, total.n, total.budget_change, total.budget_pct], RowRole.TOTAL)],
                 caption=f"Chiffre d'affaires par solution par rapport au budget {year}", id="finance-budget-revenue")


SECTIONS = (pnl_table, analytic_table, revenue_blocks, budget_table, budget_revenue_table)
