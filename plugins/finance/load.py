"""Reading the accounts: P&L, analytic grouping with budget, revenue by solution."""

from __future__ import annotations

from decimal import Decimal

from attrs import frozen

from rapact_core import Col, DataLoader, Finding, TableData
from rapact_core.i18n import _, quoted

NATURES = ("produit", "charge", "resultat")


@frozen
class Line:
    """One line of an account table; ``formula`` lists the codes it adds up."""

    code: str
    label: str
    nature: str
    formula: tuple[str, ...]
    n: Decimal | None
    n1: Decimal | None
    budget: Decimal | None
    row: int


@frozen
class FinanceData:
    pnl: tuple[Line, ...]
    analytic: tuple[Line, ...]
    revenue: TableData
    pnl_file: str
    analytic_file: str
    settings: dict
    settings_file: str
    previous: "FinanceData | None" = None
    year: int = 0


def _lines(table: TableData, problems: list[Finding], external=()) -> tuple[Line, ...]:
    codes = [r["code"] for r in table.rows] + list(external)
    lines = []
    for r in table.rows:
        formula = tuple(p.strip() for p in (r.get("formule") or "").split("+") if p.strip())
        for part in formula:
            if part not in codes:
                problems.append(Finding(_("the formula names an unknown code {code} (known: {known})").format(
                    code=quoted(part), known=", ".join(codes)), file=table.file, line=r.row, field="formule"))
        if codes.count(r["code"]) > 1:
            problems.append(Finding(_("code {code} appears twice").format(code=quoted(r["code"])), file=table.file,
                                    line=r.row, field="code"))
        lines.append(Line(r["code"], r["libelle"], r.get("sens") or ("resultat" if formula else "produit"),
                          formula, r.get("n"), r.get("n1"), r.get("budget"), r.row))
    return tuple(lines)


def load(ctx) -> FinanceData:
    """The year's accounts, with year N-1's own accounts when its folder exists."""
    previous_ctx = ctx.previous()
    previous = None
    if previous_ctx is not None and previous_ctx.table_file("finance/pnl").is_file():
        previous = load(previous_ctx)
    data = _load_year(ctx, previous)
    return data


def _load_year(ctx, previous) -> FinanceData:
    load = DataLoader(ctx, "finance")
    problems = load.problems
    table = load.table

    amount = dict(type="decimal", required=False)
    # n1 is only for a first year without the previous year's folder; budget is optional.
    extra = dict(type="decimal", required=False, optional=True)
    pnl = table("pnl", [Col("code"), Col("libelle"), Col("sens", choices=NATURES), Col("formule", required=False),
                        Col("n", **amount), Col("n1", **extra)])
    analytic = table("analytic", [Col("code"), Col("libelle"), Col("formule", required=False), Col("n", **amount),
                                  Col("n1", **extra), Col("budget", **extra)])
    revenue = table("revenue_by_solution", [Col("solution"), Col("n", "decimal"), Col("n1", **extra),
                                            Col("budget", **extra)], totals=True)
    if previous is not None:
        for t in (pnl, analytic, revenue):
            if t is None:
                continue
            for r in t.rows:
                if r.get("n1") is not None:
                    problems.append(Finding(
                        _("the previous year's figures come from its own folder ({folder}); leave n1 empty so that a "
                          "figure is held once").format(folder=previous.pnl_file.rsplit("/", 2)[0]),
                        file=t.file, line=r.row, field="n1"))
    # A P&L line may add up the revenue by solution ("revenue.total"); an analytic line
    # may take a P&L line ("pnl.chiffre_affaires"), so a figure is typed once.
    pnl_lines = _lines(pnl, problems, external=("revenue.total",)) if pnl else ()
    analytic_lines = _lines(analytic, problems, external=[f"pnl.{l.code}" for l in pnl_lines]) if analytic else ()
    settings_path = ctx.data_path("finance", "finance.yaml")
    settings = load.settings("finance.yaml") or {}
    load.done()
    return FinanceData(pnl_lines, analytic_lines, revenue, pnl.file, analytic.file, settings, str(settings_path),
                       previous, ctx.year)
