"""The products' tables and charts, each declared with ``@section``."""

from __future__ import annotations

from rapact_core import (
    CellKind, Chart, ChartKind, Column, Figure, ListBlock, ListItem, Paragraph, Row, RowRole, Series, Table,
    Text, format_value, section,
)

from .compute import column_sums, row_total, years
from .load import INTERNAL_TYPES, REQUEST_TYPES


@section("products.catalogue", "Catalogue des solutions")
def catalogue_table(data) -> Table:
    return Table(
        [Column("nom", "Solution", width=1.2), Column("domaine", "Domaine", width=1.6),
         Column("description", "Description", width=4)],
        [Row([r["nom"], r["domaine"], r["description"]]) for r in data.catalogue.rows],
        caption="Logiciels métiers disponibles", id="products-catalogue")


@section("products.solutions", "Solutions en production, nouvelles installations et commandes")
def solutions_table(data, ctx) -> Table:
    year = ctx.year
    keys = ("en_production", "nouvelles_installations", "en_commande")
    sums = column_sums(data.solutions, keys)
    return Table(
        [Column("produit", "Produit", width=2), Column("en_production", "En production", CellKind.INTEGER),
         Column("nouvelles_installations", f"Nouvelles installations {year}", CellKind.INTEGER),
         Column("en_commande", "En commande", CellKind.INTEGER)],
        [Row([r["produit"]] + [r[k] for k in keys]) for r in data.solutions.rows],
        [Row(["Total"] + [sums[k] for k in keys], RowRole.TOTAL)],
        caption="Solutions en production, installées et commandées", id="products-solutions")


@section("products.orders", "Commandes de l'année par service")
def orders_table(data) -> Table:
    total = column_sums(data.orders, ["commandes"])["commandes"]
    return Table(
        [Column("service", "Services", width=2), Column("commandes", "Total", CellKind.INTEGER)],
        [Row([r["service"], r["commandes"]]) for r in data.orders.rows],
        [Row(["Total général", total], RowRole.TOTAL)],
        caption="Nouvelles commandes par service", id="products-orders")


@section("products.new_clients", "Nouveaux clients par produit et par an, avec graphique")
def new_clients_blocks(data) -> list:
    ys = years(data.new_clients)
    sums = column_sums(data.new_clients, ys)
    table = Table(
        [Column("produit", "Produit", width=2.2)] + [Column(y, y, CellKind.INTEGER, width=1) for y in ys],
        [Row([r["produit"]] + [r[y] for y in ys]) for r in data.new_clients.rows],
        [Row(["Total"] + [sums[y] for y in ys], RowRole.TOTAL)],
        caption="Nouveaux clients mis en production par produit et par an", id="products-new-clients")
    chart = Chart(ChartKind.STACKED_BAR, "Nouveaux clients mis en production par an", ys,
                  [Series(r["produit"], [r[y] or 0 for y in ys]) for r in data.new_clients.rows], CellKind.INTEGER)
    return [table, Figure(chart, "Nouveaux clients par produit et par an", "products-new-clients-chart", 0.9)]


@section("products.installations", "Installations de l'année")
def installations_table(data, ctx) -> Table:
    year = ctx.year
    total = column_sums(data.installations, ["installations"])["installations"]
    return Table(
        [Column("produit", "Produit", width=2), Column("installations", str(year), CellKind.INTEGER)],
        [Row([r["produit"], r["installations"]]) for r in data.installations.rows],
        [Row(["Total", total], RowRole.TOTAL)],
        caption=f"Nouvelles solutions mises en place en {year}", id="products-installations")


def _matrix(table_data, types, caption, id, landscape=False) -> Table:
    keys = [k for k, _ in types]
    sums = column_sums(table_data, keys)
    body = [Row([r["produit"]] + [r[k] for k in keys] + [row_total(r, keys)]) for r in table_data.rows]
    return Table(
        [Column("produit", "Produit", width=2.4)] + [Column(k, label, CellKind.INTEGER) for k, label in types]
        + [Column("total", "Total", CellKind.INTEGER)],
        body, [Row(["Total"] + [sums[k] for k in keys] + [sum(sums.values())], RowRole.TOTAL)],
        caption=caption, id=id, landscape=landscape)


@section("products.requests", "Demandes des membres par produit et type")
def requests_table(data) -> Table:
    return _matrix(data.requests, REQUEST_TYPES, "Demandes des membres par produit et par type", "products-requests")


@section("products.internal", "Activité interne par produit et type")
def internal_table(data) -> Table:
    return _matrix(data.internal, INTERNAL_TYPES, "Activité interne par produit et par type", "products-internal",
                   landscape=True)


@section("products.infrastructure", "Chiffres de l'infrastructure")
def infrastructure_blocks(data) -> list:
    s = data.settings
    items = []
    if "servers_vm" in s:
        items.append(ListItem(f"{format_value(s['servers_vm'], CellKind.INTEGER)} Serveurs/VM"))
    if "services" in s:
        items.append(ListItem(f"{format_value(s['services'], CellKind.INTEGER)} services"))
    blocks = [ListBlock(items)] if items else []
    improvements = s.get("infrastructure_improvements") or []
    if improvements:
        blocks.append(Paragraph([Text("Améliorations majeures :")]))
        blocks.append(ListBlock([ListItem(str(i)) for i in improvements]))
    return blocks


SECTIONS = (catalogue_table, solutions_table, orders_table, new_clients_blocks, installations_table, requests_table,
            internal_table, infrastructure_blocks)
