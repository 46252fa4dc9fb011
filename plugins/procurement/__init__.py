"""Procurement: public contracts awarded during the year, above and below the threshold."""

from __future__ import annotations

from decimal import Decimal

from rapact_core import carry

from rapact_core import (
    Cell, CellKind, Col, Column, DataLoader, Finding, Level, PluginSpec, Row, RowRole, Table, fact,
    format_value, hookimpl, section,
)

CONTRACT_COLS = [Col("marche"), Col("lot", "int", required=False), Col("attributaire", required=False),
                 Col("date_attribution", "date", required=False),
                 # a start or an end is a date, or a text: "48 mois à dater de la notification"
                 Col("debut", "date_or_text", required=False), Col("fin", "date_or_text", required=False),
                 Col("montant_htva", "decimal", required=False),
                 Col("remarque", required=False)]
SMALL_COLS = [Col("procedure"), Col("marche"), Col("attributaire"), Col("date_attribution", "date"),
              Col("montant_services", "decimal", required=False),
              Col("montant_fournitures", "decimal", required=False)]


@hookimpl
def rapact_declare():
    return PluginSpec(
        namespaces=("procurement",),  # its @section functions below are declared with the plugin
        description="Public contracts: awardees, dates, amounts per lot; services/supplies split",
    )


@hookimpl
def rapact_load_data(ctx):
    load = DataLoader(ctx, "procurement")
    contracts = load.table("contracts", CONTRACT_COLS)
    small = load.table("small_contracts", SMALL_COLS)
    if small is not None:
        for r in small.rows:
            if (r["montant_services"] is None) == (r["montant_fournitures"] is None):
                load.error("fill exactly one of montant_services and montant_fournitures",
                           file=small.file, line=r.row, field="montant_services")
    settings = load.settings("procurement.yaml", {"threshold": "decimal"}) or {}
    load.done()
    return {"contracts": contracts, "small": small, "threshold": settings.get("threshold"),
            "settings_file": str(ctx.data_path("procurement", "procurement.yaml"))}


def _sum(values) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def _totals(data):
    small = data["small"].rows
    return {
        "contracts": _sum(r["montant_htva"] for r in data["contracts"].rows),
        "services": _sum(r["montant_services"] for r in small),
        "supplies": _sum(r["montant_fournitures"] for r in small),
    }


@hookimpl
def rapact_compute(data):
    t = _totals(data)
    contracts = data["contracts"].rows
    facts = [
        fact("procurement.contracts_count", len({r["marche"] for r in contracts})),
        fact("procurement.contracts_total", t["contracts"], CellKind.MONEY),
        fact("procurement.small_count", len(data["small"].rows)),
        fact("procurement.small_services_total", t["services"], CellKind.MONEY),
        fact("procurement.small_supplies_total", t["supplies"], CellKind.MONEY),
        fact("procurement.small_total", t["services"] + t["supplies"], CellKind.MONEY),
    ]
    if data["threshold"] is not None:
        facts.append(fact("procurement.threshold", data["threshold"], CellKind.MONEY, decimals=0))
    return facts


@hookimpl
def rapact_check(data):
    threshold = data["threshold"]
    if threshold is None:
        return []
    out = []
    shown = format_value(threshold, CellKind.MONEY, 0)
    per_contract: dict[str, list] = {}
    for r in data["contracts"].rows:
        per_contract.setdefault(r["marche"], []).append(r)
    for rows in per_contract.values():
        amounts = [r["montant_htva"] for r in rows if r["montant_htva"] is not None]
        if amounts and sum(amounts) < threshold:
            out.append(Finding(f"listed among contracts above {shown} but awarded for "
                               f"{format_value(sum(amounts), CellKind.MONEY)}", Level.WARNING,
                               data["contracts"].file, rows[0].row, "montant_htva"))
    for r in data["small"].rows:
        amount = r["montant_services"] or r["montant_fournitures"]
        if amount is not None and amount >= threshold:
            out.append(Finding(f"listed among contracts below {shown} but awarded for "
                               f"{format_value(amount, CellKind.MONEY)}", Level.WARNING,
                               data["small"].file, r.row, None))
    return out


def _lot_label(r) -> str:
    return f"Lot {r['lot']}" if r["lot"] is not None else ""


@section("procurement.contracts", "Marchés au-dessus du seuil, par lot")
def contracts_table(data) -> Table:
    cols = [Column("marche", "Description du marché", width=4), Column("lot", "Lot", width=0.8),
            Column("attributaire", "Attribué à", width=2), Column("date", "Date attribution", CellKind.DATE, width=1.3),
            Column("debut", "Début mission", CellKind.DATE, width=1.6),
            Column("fin", "Fin de mission", CellKind.DATE, width=1.8),
            Column("montant", "Montant attribué (HTVA)", CellKind.MONEY, width=1.8)]
    body, previous = [], None
    for r in data["contracts"].rows:
        awardee = r["attributaire"] or r["remarque"] or ""
        body.append(Row(["" if r["marche"] == previous else r["marche"], _lot_label(r), awardee,
                         r["date_attribution"], r["debut"] or "", r["fin"] or "", r["montant_htva"]]))
        previous = r["marche"]
    foot = [Row([Cell("Total", colspan=6), Cell(_totals(data)["contracts"])], RowRole.TOTAL)]
    return Table(cols, body, foot, caption="Liste des marchés", id="procurement-contracts", landscape=True)


@section("procurement.small_contracts", "Marchés sous le seuil, services et fournitures")
def small_contracts_table(data) -> Table:
    t = _totals(data)
    threshold = data["threshold"]
    cols = [Column("procedure", "Type de procédure", width=2.2), Column("marche", "Description du marché", width=4),
            Column("attributaire", "Attribué à", width=1.8), Column("date", "Date attribution", CellKind.DATE, width=1.3),
            Column("services", "Montant HTVA MP Service", CellKind.MONEY, width=1.6),
            Column("fournitures", "Montant HTVA MP Fournitures", CellKind.MONEY, width=1.6)]
    body = [Row([r["procedure"], r["marche"], r["attributaire"], r["date_attribution"], r["montant_services"],
                 r["montant_fournitures"]]) for r in data["small"].rows]
    foot = [Row([Cell("Total", colspan=4), Cell(t["services"]), Cell(t["supplies"])], RowRole.SUBTOTAL),
            Row([Cell("Total services et fournitures", colspan=4), Cell(t["services"] + t["supplies"], colspan=2)],
                RowRole.TOTAL)]
    caption = "Liste des marchés"
    if threshold is not None:
        caption += f" < {format_value(threshold, CellKind.MONEY, 0)}"
    return Table(cols, body, foot, caption=caption, id="procurement-small", landscape=True)


@hookimpl
def rapact_new_year(source, target):
    carry.copy_data(source, target, "procurement/procurement.yaml")
    carry.carry_table(source, target, "procurement/contracts", keep=[], rows=False)
    carry.carry_table(source, target, "procurement/small_contracts", keep=[], rows=False)
