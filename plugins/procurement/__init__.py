"""Procurement: public contracts awarded during the year, above and below the threshold."""

from __future__ import annotations

from decimal import Decimal

from rapact_core import carry
from rapact_core.i18n import N_, _, ngettext

from rapact_core import (
    MISSING, Cell, CellKind, Col, Column, DataLoader, Finding, Level, Paragraph, PluginSpec, Row, RowRole, Table,
    fact, format_value, hookimpl, section,
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
        description=N_("Public contracts: awardees, dates, amounts per lot; services/supplies split"),
    )


@hookimpl
def rapact_load_data(ctx):
    load = DataLoader(ctx, "procurement")
    contracts = load.table("contracts", CONTRACT_COLS)
    small = load.table("small_contracts", SMALL_COLS)
    if small is not None:
        for r in small.rows:
            if (r["montant_services"] is None) == (r["montant_fournitures"] is None):
                load.error(_("fill exactly one of montant_services and montant_fournitures"),
                           file=small.file, line=r.row, field="montant_services")
    settings = load.settings("procurement.yaml", {"threshold": "decimal"}) or {}
    load.done()
    return {"contracts": contracts, "small": small, "threshold": settings.get("threshold"),
            "settings_file": str(ctx.data_path("procurement", "procurement.yaml"))}


def _sum(values) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def _totals(data):
    """The totals of the year's contracts; "à compléter" (MISSING) while a list has no rows
    yet (a draft year), rather than a total of 0,00 €."""
    small = data["small"].rows
    contracts = data["contracts"].rows
    return {
        "contracts": _sum(r["montant_htva"] for r in contracts) if contracts else MISSING,
        "services": _sum(r["montant_services"] for r in small) if small else MISSING,
        "supplies": _sum(r["montant_fournitures"] for r in small) if small else MISSING,
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
    small = []
    for rows in per_contract.values():
        amounts = [r["montant_htva"] for r in rows if r["montant_htva"] is not None]
        if amounts and sum(amounts) < threshold:
            small.append((rows[0], sum(amounts)))
    contracts, small_file = data["contracts"], data["small"]
    if small:
        out.append(Finding(
            _("{count} contracts listed among those above {threshold} were awarded for less").format(
                count=len(small), threshold=shown) if len(small) > 1 else
            _("a contract listed among those above {threshold} was awarded for {amount}").format(
                threshold=shown, amount=format_value(small[0][1], CellKind.MONEY)),
            Level.WARNING, contracts.file, small[0][0].row, section="procurement.contracts",
            items=[_("line {line}, “{name}”: {amount}").format(line=r.row, name=_short(r["marche"]),
                                                                 amount=format_value(amount, CellKind.MONEY))
                   for r, amount in small] if len(small) > 1 else (),
            hint=(_("move them to {small} (contracts below the threshold), or correct their amounts (column "
                    "montant_htva)") if len(small) > 1 else
                  _("move it to {small} (contracts below the threshold), or correct its amount (column "
                    "montant_htva)")).format(small=small_file.path.name)))
    large = []
    for r in small_file.rows:
        amount = r["montant_services"] or r["montant_fournitures"]
        if amount is not None and amount >= threshold:
            large.append((r, amount))
    if large:
        out.append(Finding(
            ngettext("{count} contract listed among those below {threshold} was awarded for more",
                     "{count} contracts listed among those below {threshold} were awarded for more", len(large)).format(
                count=len(large), threshold=shown),
            Level.WARNING, small_file.file, large[0][0].row, section="procurement.small_contracts",
            items=[_("line {line}, “{name}”: {amount}").format(line=r.row, name=_short(r["marche"]),
                                                                 amount=format_value(amount, CellKind.MONEY))
                   for r, amount in large],
            hint=ngettext("move it to {contracts} (contracts above the threshold), or correct its amount",
                          "move them to {contracts} (contracts above the threshold), or correct their amounts",
                          len(large)).format(contracts=contracts.path.name)))
    return out


def _short(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[:size - 1].rstrip() + "…"


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


@section("procurement.below_threshold", "Ligne « Liste des marchés < seuil » (le seuil des données)")
def below_threshold_line(data) -> list:
    # the threshold comes from procurement.yaml; the line goes with the plugin's tables when it is disabled
    if data["threshold"] is None:
        return [Paragraph("Liste des marchés")]
    return [Paragraph(f"Liste des marchés < {format_value(data['threshold'], CellKind.MONEY, 0)}")]


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
