"""Finance: profit and loss, analytic grouping, revenue by solution, budget comparison."""

from __future__ import annotations

from decimal import Decimal

from rapact_core import (
    MISSING, CellKind, ChapterSpec, Computed, Finding, Level, PluginSpec, fact, format_value, hookimpl,
    stated_total_findings, stated_value_finding, yaml_line,
)
from rapact_core.i18n import N_, _

from rapact_core import carry

from . import compute, load, sections

# The codes of the account lines the narrative quotes (ids in the data files).
REVENUE, SUBSIDIES, OPERATING_INCOME = "chiffre_affaires", "subsides", "total_produits"
CAPITALISED, PERSONNEL, SUBCONTRACTING = "productions_immobilisees", "charges_personnel", "sous_traitance_hebergement"
MARGIN, OVERHEADS, EBITDA, EBIT, RESULT = "marge_activite", "frais_generaux", "ebitda", "ebit", "resultat_final"


@hookimpl
def rapact_declare():
    return PluginSpec(
        namespaces=("finance",),
        chapters=[ChapterSpec("comptes", "Comptes temporaires {{ report.year }}.", text="comptes.md", position=70)],
        sections=sections.SECTIONS,
        description=N_("P&L with variations, analytic grouping, revenue by solution, budget comparison"),
    )


@hookimpl
def rapact_load_data(ctx):
    return load.load(ctx)


@hookimpl
def rapact_compute(data):
    """Every fact is published each year; one that the data cannot give yet is
    MISSING, printed "à compléter" (a draft year, a first year without N-1).
    The year's accounts are kept (``derived``) for the checks and the sections."""
    acc = compute.accounts(data)
    pnl, ana = acc.pnl_by_code(), acc.analytic_by_code()
    facts = []

    def add(name, value, kind=CellKind.MONEY, decimals=None):
        facts.append(fact(f"finance.{name}", MISSING if value is None else value, kind, decimals))

    def get(rows, code, attr):
        row = rows.get(code)
        return getattr(row, attr) if row is not None else None

    add("revenue", get(pnl, REVENUE, "n"))
    add("revenue_n1", get(pnl, REVENUE, "n1"))
    add("revenue_change", get(pnl, REVENUE, "change"))
    add("revenue_growth", get(pnl, REVENUE, "change_pct"), CellKind.PERCENT, 2)
    add("subsidies", get(pnl, SUBSIDIES, "n"))
    add("subsidies_change", get(pnl, SUBSIDIES, "change_pct"), CellKind.PERCENT, 0)
    sub, income = get(pnl, SUBSIDIES, "n"), get(pnl, OPERATING_INCOME, "n")
    add("revenue_excluding_subsidies_share", (income - sub) / income if sub is not None and income else None,
        CellKind.PERCENT, 0)
    for name, code in (("capitalised_production", CAPITALISED), ("margin", MARGIN), ("ebitda", EBITDA),
                       ("ebit", EBIT), ("result", RESULT)):
        add(name, get(ana, code, "n"))
    for name, code, places in (("personnel_growth", PERSONNEL, 1), ("subcontracting_growth", SUBCONTRACTING, 1),
                               ("overheads_growth", OVERHEADS, 0)):
        add(name, get(ana, code, "change_pct"), CellKind.PERCENT, places)
    revenue, budget = get(ana, REVENUE, "n"), get(ana, REVENUE, "budget")
    add("budget_achievement", revenue / budget if revenue is not None and budget else None, CellKind.PERCENT, 1)
    add("personnel_vs_budget", get(ana, PERSONNEL, "budget_pct"), CellKind.PERCENT, 0)
    add("unbudgeted_products", sum(1 for l in acc.revenue if not l.budget and l.n), CellKind.INTEGER)
    add("revenue_by_solution_total", acc.revenue_total.n)
    return Computed(facts, derived=acc)


@hookimpl
def rapact_check(data, facts, derived):
    out = _check_year(data, derived)
    if data.previous is not None:
        out += _check_year(data.previous, compute.accounts(data.previous))
    out += _cross_checks(data, derived)
    return out + _stated_checks(data, facts)


def _check_year(data, acc):
    """Stated subtotals and totals of one year's files against their lines."""
    out = []
    for rows_file, lines, ext in ((data.pnl_file, data.pnl, acc.pnl_external),
                                  (data.analytic_file, data.analytic, acc.analytic_external)):
        for line, attr, stated, computed in compute.formula_mismatches(lines, ext):
            out.append(Finding(
                _("{label}: {column} is typed as {stated}, but its lines add up to {computed}; the report prints "
                  "{computed}").format(label=line.label, column=attr, stated=format_value(stated, CellKind.MONEY),
                                       computed=format_value(computed, CellKind.MONEY)),
                Level.WARNING, rows_file, line.row,
                section="finance.pnl" if rows_file == data.pnl_file else "finance.analytic",
                hint=_("correct the line that is wrong among those it adds up (column formule), or the subtotal")))
    total = acc.revenue_total
    own = {"n": total.n, "budget": total.budget}
    if data.previous is None:
        own["n1"] = total.n1
    out += stated_total_findings(data.revenue, own, kind=CellKind.MONEY, what=_("revenue by solution"),
                                 section="finance.revenue")
    return out


def _cross_checks(data, acc):
    out = []
    total = acc.revenue_total
    pnl, ana = acc.pnl_by_code(), acc.analytic_by_code()
    for where, row in ((_("the P&L"), pnl.get(REVENUE)), (_("the analytic grouping"), ana.get(REVENUE))):
        for attr in ("n", "n1"):
            if row is not None and getattr(row, attr) is not None and getattr(total, attr) is not None \
                    and getattr(row, attr) != getattr(total, attr):
                out.append(Finding(
                    _("revenue in {where}, column {column} ({amount}), differs from the sum of revenue by solution "
                      "({total})").format(where=where, column=attr, amount=format_value(getattr(row, attr), CellKind.MONEY),
                                          total=format_value(getattr(total, attr), CellKind.MONEY)),
                    Level.WARNING, data.revenue.file, None, section="finance.revenue",
                    hint=_("correct the revenue lines or the revenue line of the accounts, so that they agree")))
    return out


def _stated_checks(data, facts):
    out = []
    s, f = data.settings, data.settings_file
    for key, name, kind, what in (
            ("stated_revenue_growth", "finance.revenue_growth", CellKind.PERCENT, _("revenue growth")),
            ("stated_share_revenue_excluding_subsidies", "finance.revenue_excluding_subsidies_share",
             CellKind.PERCENT, _("share of income excluding subsidies")),
            ("stated_unbudgeted_new_products", "finance.unbudgeted_products", CellKind.INTEGER,
             _("new products not in the budget (revenue lines without a budget)")),
            ("stated_overheads_growth", "finance.overheads_growth", CellKind.PERCENT, _("growth of overheads")),
            ("stated_personnel_vs_budget", "finance.personnel_vs_budget", CellKind.PERCENT,
             _("personnel costs against the budget")),
            ("stated_budget_achievement", "finance.budget_achievement", CellKind.PERCENT,
             _("revenue against the budget"))):
        if key in s and facts.value(name) is not None:
            stated = Decimal(str(s[key]))
            out += stated_value_finding(stated, facts.value(name), file=f, line=yaml_line(f, key), what=what,
                                        kind=kind, facts=(name,),
                                        decimals=max(0, -stated.as_tuple().exponent - (2 if kind is CellKind.PERCENT else 0)))
    return out


def _subtotals_computed(row):
    # a subtotal is computed from its formula: nothing to type ("-")
    if row.get("formule"):
        for key in ("n", "budget"):
            if key in row:
                row[key] = "-"
    return row


@hookimpl
def rapact_new_year(source, target):
    carry.carry_table(source, target, "finance/pnl", keep=["code", "libelle", "sens", "formule"],
                      header=["code", "libelle", "sens", "formule", "n"], transform=_subtotals_computed)
    carry.carry_table(source, target, "finance/analytic", keep=["code", "libelle", "formule"],
                      header=["code", "libelle", "formule", "n", "budget"], transform=_subtotals_computed)
    carry.carry_table(source, target, "finance/revenue_by_solution", keep=["solution"],
                      header=["solution", "n", "budget"])
