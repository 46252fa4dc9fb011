"""Products: the catalogue, solutions in production, orders, new clients, support activity."""

from __future__ import annotations

from rapact_core import (
    CellKind, Finding, Level, PluginSpec, fact, hookimpl, is_missing, stated_total_findings, stated_value_finding,
    slug, yaml_line,
)
from rapact_core.i18n import N_, _

from rapact_core import carry

from . import compute, load, sections
from .load import INTERNAL_TYPES, REQUEST_TYPES

@hookimpl
def rapact_declare():
    return PluginSpec(namespaces=("products",),
                      sections=sections.SECTIONS,
                      description=N_("Solutions, orders, new clients, installations, support requests, "
                                     "infrastructure"))


@hookimpl
def rapact_load_data(ctx):
    return load.load(ctx)


@hookimpl
def rapact_compute(data):
    s = data.settings
    sol = compute.column_sums(data.solutions, ("en_production", "nouvelles_installations", "en_commande"))
    ys = compute.years(data.new_clients)
    new_by_year = compute.column_sums(data.new_clients, ys)
    last_year_new = new_by_year[ys[-1]] if ys else 0
    req = sum(compute.column_sums(data.requests, [k for k, _ in REQUEST_TYPES]).values())
    internal = sum(compute.column_sums(data.internal, [k for k, _ in INTERNAL_TYPES]).values())
    facts = [
        fact("products.in_production", sol["en_production"]),
        fact("products.solutions_in_use", sol["en_production"]),
        fact("products.new_installations", sol["nouvelles_installations"]),
        fact("products.on_order", sol["en_commande"]),
        fact("products.orders_count", compute.column_sums(data.orders, ["commandes"])["commandes"]),
        fact("products.new_clients_year", last_year_new),
        fact("products.installations_year", compute.column_sums(data.installations, ["installations"])["installations"]),
        fact("products.member_requests", req),
        fact("products.internal_tasks", internal),
        fact("products.catalogue_count", len(data.catalogue.rows)),
    ]
    extra_installs = 0
    for key in ("deliberations_be_installations", "website_migrations", "servers_vm", "services",
                "hosted_instances", "agents"):
        if key in s:
            facts.append(fact(f"products.{key}", s[key]))
    extra_installs = s.get("deliberations_be_installations", 0) + s.get("website_migrations", 0)
    facts.append(fact("products.new_implementations", last_year_new + extra_installs))
    if "orders_amount" in s:
        facts.append(fact("products.orders_amount", s["orders_amount"], CellKind.MONEY))
    if "member_requests_growth" in s:
        facts.append(fact("products.member_requests_growth", s["member_requests_growth"], CellKind.PERCENT,
                          decimals=0))
    for r in data.solutions.rows:
        facts.append(fact(f"products.production.{slug(r['produit'])}", r["en_production"], label=r["produit"]))
    return facts


@hookimpl
def rapact_check(data, facts):
    out = []
    sol_keys = ("en_production", "nouvelles_installations", "en_commande")
    out += stated_total_findings(data.solutions, compute.column_sums(data.solutions, sol_keys),
                                 what=_("solutions"), section="products.solutions")
    out += stated_total_findings(data.orders, compute.column_sums(data.orders, ["commandes"]), what=_("orders"),
                                 section="products.orders")
    ys = compute.years(data.new_clients)
    out += stated_total_findings(data.new_clients, compute.column_sums(data.new_clients, ys),
                                 what=_("new clients per year"), section="products.new_clients")
    out += stated_total_findings(data.installations, compute.column_sums(data.installations, ["installations"]),
                                 what=_("installations"), section="products.installations")
    for table, types, what, section in ((data.requests, REQUEST_TYPES, _("member requests"), "products.requests"),
                                        (data.internal, INTERNAL_TYPES, _("internal activity"), "products.internal")):
        out += stated_total_findings(table, compute.column_sums(table, [k for k, _label in types]), what=what,
                                     section=section)
    s, f = data.settings, data.settings_file
    checks = (("stated_member_requests", "products.member_requests", _("member requests")),
              ("stated_internal_tasks", "products.internal_tasks", _("internal tasks")),
              ("stated_solutions_in_use", "products.solutions_in_use", _("solutions in use")))
    for key, name, what in checks:
        if key in s:
            out += stated_value_finding(s[key], facts.value(name), file=f, line=yaml_line(f, key), what=what,
                                        facts=(name,))
    implemented = facts.value("products.new_implementations")
    if "stated_new_implementations" in s and not is_missing(implemented) \
            and not is_missing(s["stated_new_implementations"]) and implemented <= s["stated_new_implementations"]:
        out.append(Finding(
            _("the text says more than {stated} new implementations, the data gives {computed}").format(
                stated=s["stated_new_implementations"], computed=implemented),
            Level.WARNING, f, yaml_line(f, "stated_new_implementations"), facts=("products.new_implementations",),
            hint=_("correct the figures it adds up (new clients of the year, deliberations_be_installations, "
                   "website_migrations), or stated_new_implementations")))
    return out


@hookimpl
def rapact_new_year(source, target, year):
    carry.copy_data(source, target, "products/catalogue")
    for stem, key in (("solutions", "produit"), ("orders", "service"), ("installations", "produit"),
                      ("requests", "produit"), ("internal_activity", "produit")):
        carry.carry_table(source, target, f"products/{stem}", keep=[key])
    carry.carry_table(source, target, "products/new_clients", keep=["produit"], header=["produit", str(year)])
    carry.carry_yaml(source, target, "products/products.yaml",
                     clear=["orders_amount", "deliberations_be_installations", "website_migrations",
                            "member_requests_growth", "servers_vm", "services", "hosted_instances", "agents"],
                     empty_lists=["infrastructure_improvements"])
