"""Reading the products' data files."""

from __future__ import annotations

from attrs import frozen

from rapact_core import Col, Finding, RapactError, TableData, read_table, read_yaml

REQUEST_TYPES = (("demande_adaptation", "Demande d'adaptation"), ("demande_amelioration", "Demande d'amélioration"),
                 ("probleme", "Problème"), ("question", "Question"))
INTERNAL_TYPES = (("analyse", "Analyse"), ("bug", "Bug"), ("configuration", "Configuration"),
                  ("developpement", "Développement"), ("scenario", "Scénario"), ("gestion", "Gestion"),
                  ("incident", "Incident"), ("proposition", "Proposition"), ("tache", "Tâche"))
SETTINGS_INT = ("deliberations_be_installations", "website_migrations", "servers_vm", "services",
                "hosted_instances", "agents")


@frozen
class ProductsData:
    catalogue: TableData
    solutions: TableData
    orders: TableData
    new_clients: TableData
    installations: TableData
    requests: TableData
    internal: TableData
    settings: dict
    settings_file: str


def load(ctx) -> ProductsData:
    problems: list[Finding] = []

    def table(stem, cols, **kw):
        try:
            return read_table(ctx.table_file(f"products/{stem}"), cols, **kw)
        except RapactError as exc:
            problems.extend(exc.findings)
            return None

    catalogue = table("catalogue", [Col("nom"), Col("domaine"), Col("description")])
    solutions = table("solutions", [Col("produit"), Col("en_production", "int"), Col("nouvelles_installations", "int"),
                                    Col("en_commande", "int")], totals=True)
    orders = table("orders", [Col("service"), Col("commandes", "int")], totals=True)
    new_clients = table("new_clients", [Col("produit")], extra=Col("year", "int", required=False), totals=True)
    if new_clients is not None:
        for name in new_clients.columns[1:]:
            if not (name.isdigit() and len(name) == 4):
                problems.append(Finding(f"column {name!r} should be a year such as 2021",
                                        file=new_clients.file, line=1, field=name))
    installations = table("installations", [Col("produit"), Col("installations", "int")], totals=True)
    requests = table("requests", [Col("produit")] + [Col(k, "int") for k, _ in REQUEST_TYPES], totals=True)
    internal = table("internal_activity", [Col("produit")] + [Col(k, "int") for k, _ in INTERNAL_TYPES], totals=True)
    settings_path = ctx.data_path("products", "products.yaml")
    settings = {}
    try:
        settings = read_yaml(settings_path) or {}
        if not isinstance(settings, dict):
            raise RapactError(Finding("expected a mapping of keys", file=str(settings_path), line=1))
        for key in SETTINGS_INT:
            if key in settings and (not isinstance(settings[key], int) or isinstance(settings[key], bool)):
                problems.append(Finding(f"expected a whole number, found {settings[key]!r}",
                                        file=str(settings_path), field=key))
    except RapactError as exc:
        problems.extend(exc.findings)
    if problems:
        raise RapactError(problems)
    return ProductsData(catalogue, solutions, orders, new_clients, installations, requests, internal,
                        settings, str(settings_path))
