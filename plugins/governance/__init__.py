"""Governance: bodies, administrators, board attendance, representation, staff."""

from __future__ import annotations

from rapact_core import (
    CellKind, ChapterSpec, Finding, Level, PluginSpec, fact, hookimpl, stated_value_finding,
)

from rapact_core import carry

from . import compute, load, sections
from .load import meeting_date



@hookimpl
def rapact_declare():
    return PluginSpec(
        namespaces=("governance",),
        chapters=[ChapterSpec("structure", "Structure de l'intercommunale.", text="structure.md", position=50)],
        sections=sections.SECTIONS,
        description="Bodies, administrators, attendance rates, representation, staff",
    )


@hookimpl
def rapact_load_data(ctx):
    return load.load(ctx)


@hookimpl
def rapact_compute(data):
    sizes = compute.body_sizes(data)
    meetings = compute.meetings_per_body(data)
    staff = compute.staff_growth(data)
    facts = [fact(f"governance.{code.lower()}_size", n) for code, n in sizes.items()]
    for r in data.bodies.rows:
        if r["code"] not in sizes and r["taille_indiquee"] is not None:
            facts.append(fact(f"governance.{r['code'].lower()}_size", r["taille_indiquee"]))
    for r in data.bodies.rows:
        facts.append(fact(f"governance.{r['code'].lower()}_meetings", meetings.get(r["code"], 0)))
    ag = compute.meetings_by_type(data, "AG")
    facts += [fact("governance.ag_ordinary", ag.get("ordinaire", 0)),
              fact("governance.ag_extraordinary", ag.get("extraordinaire", 0))]
    if staff:
        year, n, growth = staff[-1]
        facts += [fact("governance.staff", n), fact("governance.recruited", growth or 0)]
    if len(staff) > 1:  # the staff taken on the year before ("6 ETP en 2020")
        facts.append(fact("governance.recruited_previous", staff[-2][2] or 0, label="Recrutés l'année précédente"))
    if "dso_team_size" in data.settings:
        facts.append(fact("governance.dso_team_size", data.settings["dso_team_size"]))
    rates = [a.rate for a in compute.attendance(data) if a.rate is not None]
    if rates:
        facts.append(fact("governance.attendance_rate", sum(rates) / len(rates), CellKind.PERCENT, decimals=0))
    for p in data.settings.get("participations") or []:
        if p.get("price") is not None:
            key = "".join(ch for ch in str(p["organisation"]).lower() if ch.isalnum())
            facts.append(fact(f"governance.{key}_share_price", p["price"], CellKind.MONEY))
    return facts


@hookimpl
def rapact_check(data, facts):
    out = []
    sizes = compute.body_sizes(data)
    for r in data.bodies.rows:
        computed = sizes.get(r["code"])
        if computed is not None and r["taille_indiquee"] is not None and computed != r["taille_indiquee"]:
            out.append(Finding(
                f"{r['organe']}: stated size {r['taille_indiquee']}, but {computed} administrators have a "
                f"seat marked OUI", Level.WARNING, data.bodies.file, r.row, "taille_indiquee"))
    meetings = compute.meetings_per_body(data)
    stated = data.settings.get("stated_meetings") or {}
    for code, n in stated.items():
        out += stated_value_finding(n, meetings.get(code, 0), file=data.settings_file, field=f"stated_meetings.{code}",
                                    what=f"{code} meetings (listed in {data.meetings.file})")
    cols = data.attendance_columns()
    dated = [c for c in cols if meeting_date(c)]
    ca_dates = {r["date"] for r in data.meetings.rows if r["organe"] == "CA" and r["date"]}
    if len(cols) != len(ca_dates):
        out.append(Finding(
            f"attendance is given over {len(cols)} columns but {len(ca_dates)} board meeting dates are listed",
            Level.WARNING, data.attendance.file, 1, None))
    for c in dated:
        if meeting_date(c) not in ca_dates:
            out.append(Finding(f"column {c} is not a listed board meeting date", Level.WARNING,
                               data.attendance.file, 1, c))
    for a, r in zip(compute.attendance(data), data.attendance.rows):
        if a.total > len(ca_dates):
            out.append(Finding(f"{a.name} attended {a.total} meetings, more than the {len(ca_dates)} listed",
                               Level.WARNING, data.attendance.file, r.row, None))
        if r["stated_total"] is not None and r["stated_total"] != a.total:
            out.append(Finding(f"{a.name}: stated total {r['stated_total']}, the marks add up to {a.total}",
                               Level.WARNING, data.attendance.file, r.row, "stated_total"))
    admins = {r["nom"] for r in data.administrators.rows}
    for r in data.attendance.rows:
        if r["administrateur"] not in admins:
            out.append(Finding(f"{r['administrateur']!r} is not in the list of administrators",
                               Level.WARNING, data.attendance.file, r.row, "administrateur"))
    if "recruited" in data.settings:
        out += stated_value_finding(data.settings["recruited"], facts.value("governance.recruited"),
                                    file=data.settings_file, field="recruited", what="staff recruited")
    return out


@hookimpl
def rapact_new_year(source, target, year):
    carry.copy_data(source, target, "governance/bodies", "governance/administrators")
    carry.carry_table(source, target, "governance/meetings", keep=[], rows=False)
    carry.carry_table(source, target, "governance/attendance", keep=["administrateur"], header=["administrateur"])
    carry.write_csv(target / "governance" / "staff.csv", ["annee", "effectif"], [[year, ""]])
    carry.carry_yaml(source, target, "governance/governance.yaml", keep=["participations"],
                     clear=["dso_team_size"])
