"""Reading the accounts: P&L, analytic grouping with budget, revenue by solution."""

from __future__ import annotations

from decimal import Decimal

from attrs import frozen

from rapact_core import Col, Finding, RapactError, TableData, read_table, read_yaml

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


def _lines(table: TableData, problems: list[Finding], external=()) -> tuple[Line, ...]:
    codes = [r["code"] for r in table.rows] + list(external)
    lines = []
    for r in table.rows:
        formula = tuple(p.strip() for p in (r.get("formule") or "").split("+") if p.strip())
        for part in formula:
            if part not in codes:
                problems.append(Finding(f"the formula names an unknown code {part!r} (known: "
                                        f"{', '.join(codes)})", file=table.file, line=r.row, field="formule"))
        if codes.count(r["code"]) > 1:
            problems.append(Finding(f"code {r['code']!r} appears twice", file=table.file, line=r.row, field="code"))
        lines.append(Line(r["code"], r["libelle"], r.get("sens") or ("resultat" if formula else "produit"),
                          formula, r.get("n"), r.get("n1"), r.get("budget"), r.row))
    return tuple(lines)


def load(ctx) -> FinanceData:
    problems: list[Finding] = []

    def table(stem, cols, **kw):
        try:
            return read_table(ctx.table_file(f"finance/{stem}"), cols, **kw)
        except RapactError as exc:
            problems.extend(exc.findings)
            return None

    amount = dict(type="decimal", required=False)
    pnl = table("pnl", [Col("code"), Col("libelle"), Col("sens", choices=NATURES), Col("formule", required=False),
                        Col("n", **amount), Col("n1", **amount)])
    analytic = table("analytic", [Col("code"), Col("libelle"), Col("formule", required=False), Col("n", **amount),
                                  Col("n1", **amount), Col("budget", **amount)])
    revenue = table("revenue_by_solution", [Col("solution"), Col("n", "decimal"), Col("n1", **amount),
                                            Col("budget", **amount)], totals=True)
    # A P&L line may add up the revenue by solution ("revenue.total"); an analytic line
    # may take a P&L line ("pnl.chiffre_affaires"), so a figure is typed once.
    pnl_lines = _lines(pnl, problems, external=("revenue.total",)) if pnl else ()
    analytic_lines = _lines(analytic, problems, external=[f"pnl.{l.code}" for l in pnl_lines]) if analytic else ()
    settings_path = ctx.data_path("finance", "finance.yaml")
    try:
        settings = read_yaml(settings_path, required=False) or {}
    except RapactError as exc:
        problems.extend(exc.findings)
        settings = {}
    if problems:
        raise RapactError(problems)
    return FinanceData(pnl_lines, analytic_lines, revenue, pnl.file, analytic.file, settings, str(settings_path))
