"""The members' sections: tables and a chart, each declared with ``@section``.

``derived`` is the plugin's :class:`~rapact_members.compute.MembersFigures`,
computed once by ``rapact_compute``.
"""

from __future__ import annotations

from operator import itemgetter

from rapact_core import (
    Cell, CellKind, Chart, ChartKind, Column, Figure, Paragraph, PlainRows, Row, RowRole, Series, Table, section,
)

from .compute import MembersFigures


@section("members.categories", "Membres par catégorie")
def categories_table(derived: MembersFigures) -> Table:
    fig = derived
    return Table(
        columns=[Column("categorie", "Catégorie de membres", width=3),
                 Column("nombre", "Nbr", CellKind.INTEGER, width=1)],
        body=[Row([label, n]) for label, n in fig.categories],
        foot=[Row(["TOTAL", fig.total], RowRole.TOTAL)],
        caption="Membres par catégorie", id="members-categories",
    )


def coverage_table(lines, total, first_label: str, caption: str, id: str) -> Table:
    cols = [
        Column("label", first_label, width=3),
        Column("membres", "Nbr membres", CellKind.INTEGER, width=1.2),
        Column("communes", "Nbr communes", CellKind.INTEGER, width=1.2),
        Column("reste", "Reste", CellKind.INTEGER, width=1),
        Column("pct", "En %", CellKind.PERCENT, decimals=0, width=1),
    ]

    def row(line, role=RowRole.BODY):
        return Row([line.label, line.members, line.communes, line.rest, line.coverage], role)

    return Table(cols, [row(l) for l in lines], [row(total, RowRole.TOTAL)], caption=caption, id=id)


@section("members.population", "Communes membres par classe de population")
def population_table(derived: MembersFigures) -> Table:
    fig = derived
    return coverage_table(fig.population, fig.population_total, "Catégories (nbre habitants)",
                          "Communes membres par classe de population", "members-population")


@section("members.provinces", "Communes membres par province, avec graphique")
def provinces_blocks(derived: MembersFigures) -> list:
    fig = derived
    table = coverage_table(fig.provinces, fig.provinces_total, "Province",
                           "Communes membres par province", "members-provinces")
    chart = Chart(
        ChartKind.HBAR, "Communes membres par province",
        [l.label.replace("Province de ", "").replace("Province du ", "") for l in fig.provinces],
        [Series("Membres", [l.members for l in fig.provinces]),
         Series("Communes", [l.communes for l in fig.provinces])],
        CellKind.INTEGER,
    )
    return [table, Figure(chart, "Communes membres et communes par province", "members-provinces-chart", 0.8)]


@section("members.new", "Nouveaux membres de l'année")
def new_members_table(data) -> Table:
    return Table(
        columns=[Column("numero", "N°", CellKind.INTEGER, width=0.5), Column("categorie", "Catégorie", width=1.6),
                 Column("nom", "Nom", width=2), Column("adresse", "Adresse", width=4)],
        body=[Row([r["numero"], r["categorie"], r["nom"], r["adresse"] or ""]) for r in data.new_members.rows],
        caption="Nouveaux membres de l'année", id="members-new",
    )


@section("members.departures", "Départs de l'année")
def departures_blocks(data) -> list:
    departures = data.settings.get("departures") or []
    if not departures:
        return [Paragraph("Aucun membre n'a quitté l'intercommunale cette année.")]
    return [Paragraph(f"{' '.join(filter(None, [d.get('categorie'), d['nom']]))} a décidé de ne plus être "
                      "membre de notre intercommunale.") for d in departures]


@section("members.registry", "Registre des associés (annexe, si le fichier existe)")
def registry_blocks(data) -> list:
    if data.registry is None:
        return []
    # By category, then name. A registry can hold tens of thousands of associates:
    # its columns without a Record per row, one tuple per row made once, and two
    # stable sorts on plain strings (a third of the time of one on tuples).
    registry = data.registry
    addresses = ["" if address is None else address for address in registry.column("adresse")]
    rows = list(zip(registry.column("nom"), registry.column("categorie"), addresses,
                    registry.column("date_adhesion")))
    rows.sort(key=itemgetter(0))
    rows.sort(key=itemgetter(1))
    return [Table(
        columns=[Column("nom", "Associé", width=3), Column("categorie", "Catégorie", width=2),
                 Column("adresse", "Adresse", width=4), Column("date", "Adhésion", CellKind.DATE, width=1.3)],
        body=PlainRows(rows),
        foot=[Row([Cell("Total", colspan=3), Cell(len(rows))], RowRole.TOTAL)],
        caption="Registre des associés", id="members-registry",
    )]


SECTIONS = (categories_table, population_table, provinces_blocks, new_members_table, departures_blocks,
            registry_blocks)
