"""Governance tables and chart, each declared with ``@section``."""

from __future__ import annotations

from decimal import Decimal

from rapact_core import (
    MISSING, Cell, CellKind, Chart, ChartKind, Column, Figure, Row, RowRole, Series, Table, is_missing, section,
)

from . import compute
from .load import SEATS, meeting_date


@section("governance.bodies", "Organes de gestion et leur taille")
def bodies_table(data) -> Table:
    sizes = compute.body_sizes(data)
    rows = []
    for r in data.bodies.rows:
        n = sizes.get(r["code"], r["taille_indiquee"])
        rows.append(Row([r["organe"], n, r["unite"] or ""]))
    return Table([Column("organe", "Organe", width=2.5), Column("n", "Membres", CellKind.INTEGER, width=1),
                  Column("unite", "Qualité", width=3)], rows, caption="Organes de gestion", id="governance-bodies")


@section("governance.administrators", "Liste des administrateurs")
def administrators_table(data) -> Table:
    cols = [Column("nom", "Nom administrateur", width=2.4), Column("membre", "Membre", width=2.2)]
    cols += [Column(key, f"Membre du {'C Audit' if code == 'AUDIT' else code}", width=1) for key, code in SEATS]
    cols += [Column("debut", "Date début mandat", CellKind.DATE, width=1.3)]
    body = [Row([r["nom"], r["membre"]] + [r[k] for k, _ in SEATS] + [r["debut_mandat"]])
            for r in data.administrators.rows]
    return Table(cols, body, caption="Liste des administrateurs", id="governance-administrators")


@section("governance.attendance", "Participation des administrateurs aux conseils")
def attendance_table(data, ctx) -> Table:
    year = ctx.year
    cols_keys = data.attendance_columns()
    cols = [Column("nom", "Nom administrateur", width=3)]
    for key in cols_keys:
        d = meeting_date(key)
        cols.append(Column(key, d.strftime("%d/%m/%y") if d else "(sans date)", CellKind.INTEGER, width=1))
    cols += [Column("total", "Total", CellKind.INTEGER, width=0.9),
             Column("rate", "% participation", CellKind.PERCENT, decimals=0, width=1.3)]
    rows = compute.attendance(data)
    body = [Row([a.name, *a.marks, a.total, a.rate]) for a in rows]
    header = [Row([Cell(""), Cell(f"CA {year}", colspan=len(cols_keys)), Cell(""), Cell("")])] if cols_keys else []
    per_meeting = [sum(a.marks[i] for a in rows) for i in range(len(cols_keys))]
    total = sum(a.total for a in rows) if cols_keys else MISSING  # no meeting column yet: to fill in
    seats = len(rows) * len(cols_keys)
    rate = MISSING if is_missing(total) else (Decimal(total) / seats) if seats else None
    foot = [Row(["Présences", *per_meeting, total, rate], RowRole.TOTAL)]
    return Table(cols, body, foot, header=header, caption=f"Participation aux conseils d'administration {year}",
                 id="governance-attendance", landscape=True)


@section("governance.meetings", "Réunions par organe")
def meetings_table(data, ctx) -> Table:
    year = ctx.year
    per_body = compute.meetings_per_body(data)
    listed = compute.meetings_listed(data)
    rows = []
    for r in data.bodies.rows:
        n = per_body.get(r["code"], 0) if listed else MISSING
        types = compute.meetings_by_type(data, r["code"])
        detail = ", ".join(f"{v} {k}" for k, v in sorted(types.items()) if k) if any(types) else ""
        rows.append(Row([r["organe"], n, detail]))
    return Table([Column("organe", "Organe", width=2.5), Column("n", f"Réunions en {year}", CellKind.INTEGER),
                  Column("detail", "Dont", width=2)], rows,
                 foot=[Row(["Total", sum(per_body.values()) if listed else MISSING, ""], RowRole.TOTAL)],
                 caption=f"Réunions des organes de gestion en {year}", id="governance-meetings")


@section("governance.staff", "Effectifs par année, avec graphique")
def staff_blocks(data) -> list:
    growth = compute.staff_growth(data)
    table = Table([Column("annee", "Année", width=1), Column("n", "Effectif 31/12", CellKind.INTEGER, width=1.3),
                   Column("g", "Croissance", CellKind.INTEGER, width=1.2)],
                  [Row([str(y), n, g]) for y, n, g in growth],
                  caption="Évolution des effectifs", id="governance-staff")
    chart = Chart(ChartKind.BAR, "Effectif au 31 décembre", [str(y) for y, _, _ in growth],
                  [Series("Effectif", [n for _, n, _ in growth])], CellKind.INTEGER)
    return [table, Figure(chart, "Évolution des effectifs depuis la création", "governance-staff-chart", 0.75)]


SECTIONS = (bodies_table, administrators_table, attendance_table, meetings_table, staff_blocks)
