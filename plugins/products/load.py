"""Reading the products' data files."""

from __future__ import annotations

from attrs import frozen

from rapact_core import Col, DataLoader, Finding, RapactError, Record, TableData, read_table
from rapact_core.i18n import _, quoted

REQUEST_TYPES = (("demande_adaptation", "Demande d'adaptation"), ("demande_amelioration", "Demande d'amélioration"),
                 ("probleme", "Problème"), ("question", "Question"))
INTERNAL_TYPES = (("analyse", "Analyse"), ("bug", "Bug"), ("configuration", "Configuration"),
                  ("developpement", "Développement"), ("scenario", "Scénario"), ("gestion", "Gestion"),
                  ("incident", "Incident"), ("proposition", "Proposition"), ("tache", "Tâche"))
SETTINGS_INT = ("deliberations_be_installations", "website_migrations", "servers_vm", "services",
                "hosted_instances", "agents")


def _year_table(ctx, problems) -> TableData | None:
    try:
        t = read_table(ctx.table_file("products/new_clients"), [Col("produit")],
                       extra=Col("year", "int", required=False), totals=True)
    except RapactError as exc:
        problems.extend(exc.findings)
        return None
    for name in t.columns[1:]:
        if not (name.isdigit() and len(name) == 4):
            problems.append(Finding(_("column {column} should be a year such as 2021").format(column=quoted(name)),
                                    file=t.file, line=1, field=name))
    return t


def _new_clients_history(ctx, problems) -> TableData | None:
    """New clients per product and year: this year's columns after those of the
    earlier years' folders (each folder holds its own year)."""
    own = _year_table(ctx, problems)
    if own is None:
        return None
    columns = list(own.columns[1:])
    by_product = {r["produit"]: dict(r.values) for r in own.rows}
    order = [r["produit"] for r in own.rows]
    total = dict(own.total.values) if own.total else None
    previous = ctx.previous()
    while previous is not None and previous.table_file("products/new_clients").is_file():
        earlier = _year_table(previous, problems)
        if earlier is None:
            break
        twice = [c for c in earlier.columns[1:] if c in columns]
        for c in twice:
            problems.append(Finding(_("year {year} is also a column of {file}; a figure is held once").format(
                                        year=c, file=own.file),
                                    file=earlier.file, line=1, field=c))
        columns = [c for c in earlier.columns[1:] if c not in columns] + columns
        for r in earlier.rows:
            if r["produit"] not in by_product:
                by_product[r["produit"]] = {"produit": r["produit"]}
                order.append(r["produit"])
            for c in earlier.columns[1:]:
                by_product[r["produit"]].setdefault(c, r[c])
        if total is not None and earlier.total is not None:
            for c in earlier.columns[1:]:
                total.setdefault(c, earlier.total[c])
        previous = previous.previous()
    header = ("produit", *sorted(columns))
    rows = [Record({c: by_product[p].get(c) for c in header}, own.file, i + 2) for i, p in enumerate(order)]
    total_record = Record({c: total.get(c) for c in header}, own.file, own.total.row) if total else None
    return TableData(own.path, header, rows, total_record)


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
    load = DataLoader(ctx, "products")
    catalogue = load.table("catalogue", [Col("nom"), Col("domaine"), Col("description")])
    solutions = load.table("solutions", [Col("produit"), Col("en_production", "int"),
                                         Col("nouvelles_installations", "int"), Col("en_commande", "int")], totals=True)
    orders = load.table("orders", [Col("service"), Col("commandes", "int")], totals=True)
    new_clients = _new_clients_history(ctx, load.problems)
    installations = load.table("installations", [Col("produit"), Col("installations", "int")], totals=True)
    requests = load.table("requests", [Col("produit")] + [Col(k, "int") for k, _ in REQUEST_TYPES], totals=True)
    internal = load.table("internal_activity", [Col("produit")] + [Col(k, "int") for k, _ in INTERNAL_TYPES],
                          totals=True)
    settings_path = ctx.data_path("products", "products.yaml")
    figures = {k: "int" for k in SETTINGS_INT} | {"orders_amount": "decimal", "member_requests_growth": "decimal"}
    settings = load.settings("products.yaml", figures, required=True) or {}
    load.done()
    return ProductsData(catalogue, solutions, orders, new_clients, installations, requests, internal,
                        settings, str(settings_path))
