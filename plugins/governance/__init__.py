"""Governance: bodies, administrators, board attendance, representation, staff."""

from __future__ import annotations

import difflib
from pathlib import Path

from rapact_core import (
    MISSING, CellKind, ChapterSpec, Finding, Level, PluginSpec, fact, hookimpl, is_missing, stated_value_finding,
    yaml_line,
)
from rapact_core.i18n import N_, _, ngettext

from rapact_core import carry

from . import compute, load, sections
from .load import SEATS, meeting_date



@hookimpl
def rapact_declare():
    return PluginSpec(
        namespaces=("governance",),
        chapters=[ChapterSpec("structure", "Structure de l'intercommunale.", text="structure.md", position=50)],
        sections=sections.SECTIONS,
        description=N_("Bodies, administrators, attendance rates, representation, staff"),
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
    # no meeting listed yet (a draft year): the counts are to be filled in, not zero
    listed = compute.meetings_listed(data)
    for r in data.bodies.rows:
        facts.append(fact(f"governance.{r['code'].lower()}_meetings", meetings.get(r["code"], 0) if listed else MISSING,
                          CellKind.INTEGER))
    ag = compute.meetings_by_type(data, "AG")
    facts += [fact("governance.ag_ordinary", ag.get("ordinaire", 0) if listed else MISSING, CellKind.INTEGER),
              fact("governance.ag_extraordinary", ag.get("extraordinaire", 0) if listed else MISSING,
                   CellKind.INTEGER)]
    if staff:
        year, n, growth = staff[-1]
        facts += [fact("governance.staff", n), fact("governance.recruited", growth or 0)]
    if len(staff) > 1:  # the staff taken on the year before ("6 ETP en 2020")
        facts.append(fact("governance.recruited_previous", staff[-2][2] or 0, label="Recrutés l'année précédente"))
    if "dso_team_size" in data.settings:
        facts.append(fact("governance.dso_team_size", data.settings["dso_team_size"]))
    rates = [a.rate for a in compute.attendance(data) if a.rate is not None]
    if rates:
        rate = MISSING if any(is_missing(r) for r in rates) else sum(rates) / len(rates)
        facts.append(fact("governance.attendance_rate", rate, CellKind.PERCENT, decimals=0))
    for p in data.settings.get("participations") or []:
        if p.get("price") is not None:
            key = "".join(ch for ch in str(p["organisation"]).lower() if ch.isalnum())
            facts.append(fact(f"governance.{key}_share_price", p["price"], CellKind.MONEY))
    return facts


@hookimpl
def rapact_check(data, facts):
    out = _body_sizes(data)
    meetings = compute.meetings_per_body(data)
    stated = data.settings.get("stated_meetings") or {}
    for code, n in stated.items():
        out += stated_value_finding(
            n, meetings.get(code, 0), file=data.settings_file, line=yaml_line(data.settings_file, f"stated_meetings.{code}"),
            what=_("meetings of the {body}").format(body=_body_name(data, code)), section="governance.meetings",
            hint=_("the report counts the meetings listed in {meetings}: add the meeting missing there (or remove "
                   "one listed twice), or correct stated_meetings in {file}").format(
                meetings=data.meetings.path.name, file=Path(data.settings_file).name))
    out += attendance_findings(data)
    if "recruited" in data.settings:
        out += stated_value_finding(data.settings["recruited"], facts.value("governance.recruited"),
                                    file=data.settings_file, line=yaml_line(data.settings_file, "recruited"),
                                    what=_("staff recruited"), facts=("governance.recruited",))
    return out


def _body_name(data, code: str) -> str:
    return next((r["organe"] for r in data.bodies.rows if r["code"] == code), code)


def _body_sizes(data) -> list:
    out = []
    sizes = compute.body_sizes(data)
    seats = {code: key for key, code in SEATS}
    for r in data.bodies.rows:
        computed = sizes.get(r["code"])
        if computed is not None and r["taille_indiquee"] is not None and computed != r["taille_indiquee"]:
            out.append(Finding(
                _("{body}: the size typed is {stated}, but {computed} administrators have a seat marked OUI "
                  "in {admins}; the report prints {computed}").format(
                    body=r["organe"], stated=r["taille_indiquee"], computed=computed,
                    admins=data.administrators.path.name),
                Level.WARNING, data.bodies.file, r.row, section="governance.bodies",
                hint=_("correct the size (column taille_indiquee of {bodies}), or the seats (column {column} of "
                       "{admins})").format(bodies=data.bodies.path.name, column=seats[r["code"]],
                                            admins=data.administrators.path.name)))
    return out


def attendance_findings(data) -> list:
    """The attendance grid against the meetings listed: one finding per cause, listing its rows.

    An extra column of marks makes every administrator marked present at it
    attend "more meetings than listed" and differ from the total typed for
    them: one cause, one finding, with the rows it shows in.
    """
    out = []
    file, name = data.attendance.file, data.attendance.path.name
    cols = data.attendance_columns()
    ca_dates = {r["date"] for r in data.meetings.rows if r["organe"] == "CA" and r["date"]}
    undated = [c for c in cols if not meeting_date(c) or meeting_date(c) not in ca_dates]
    marks = list(zip(compute.attendance(data), data.attendance.rows))
    known = [(a, r) for a, r in marks if not is_missing(a.total)]
    too_many = [(a, r) for a, r in known if a.total > len(ca_dates)]
    totals = [(a, r) for a, r in known if r["stated_total"] is not None and r["stated_total"] != a.total]
    where = {"section": "governance.attendance"}
    if cols and len(cols) != len(ca_dates):
        extra = ", ".join(_("“{sentence}”").format(sentence=c) for c in undated)
        by_row: dict[int, list[str]] = {}
        names = {}
        for a, r in too_many:
            by_row.setdefault(r.row, []).append(_("{total} marks for {listed} meetings listed").format(
                total=a.total, listed=len(ca_dates)))
            names[r.row] = a.name
        for a, r in totals:
            by_row.setdefault(r.row, []).append(_("total typed {stated}, the marks add up to {total}").format(
                stated=r["stated_total"], total=a.total))
            names[r.row] = a.name
        items = [_("line {line}, {name}: {details}").format(line=row, name=names[row], details=_("; ").join(by_row[row]))
                 for row in sorted(by_row)]
        out.append(Finding(
            _("the attendance grid has {columns} columns of marks, but {meetings} lists {listed} board meeting "
              "dates{extra}; so {over} administrators attend more meetings than listed and {wrong} totals "
              "typed differ from their marks").format(
                columns=len(cols), meetings=data.meetings.path.name, listed=len(ca_dates),
                extra=_(" (columns not listed: {columns})").format(columns=extra) if extra else "",
                over=len(too_many), wrong=len(totals)),
            Level.WARNING, file, 1, items=items,
            hint=_("if there was a meeting on another date, add it to {meetings} and give its column that date; "
                   "if not, remove the column from {file}; then check the totals (column stated_total)").format(
                meetings=data.meetings.path.name, file=name), **where))
    else:
        for c in undated:
            out.append(Finding(_("column {column} is not a board meeting date listed in {meetings}").format(
                column=c, meetings=data.meetings.path.name), Level.WARNING, file, 1,
                hint=_("name the column by the date of the meeting, as listed in {meetings}").format(
                    meetings=data.meetings.path.name), **where))
        if too_many:
            out.append(Finding(
                ngettext("{count} administrator attends more meetings than the {listed} listed",
                         "{count} administrators attend more meetings than the {listed} listed", len(too_many)).format(
                    count=len(too_many), listed=len(ca_dates)), Level.WARNING, file, too_many[0][1].row,
                items=[_("line {line}, {name}: {total}").format(line=r.row, name=a.name, total=a.total)
                       for a, r in too_many],
                hint=_("correct their marks in {file}").format(file=name), **where))
        if totals:
            out.append(Finding(
                ngettext("{count} total typed differs from the marks it sums up",
                         "{count} totals typed differ from the marks they sum up", len(totals)).format(
                    count=len(totals)),
                Level.WARNING, file, totals[0][1].row,
                items=[_("line {line}, {name}: total typed {stated}, the marks add up to {total}").format(
                    line=r.row, name=a.name, stated=r["stated_total"], total=a.total) for a, r in totals],
                hint=_("the report prints the marks' sum; correct the marks or the totals (column stated_total) "
                       "in {file}").format(file=name), **where))
    admins = [r["nom"] for r in data.administrators.rows]
    for r in data.attendance.rows:
        if r["administrateur"] not in admins:
            close = difflib.get_close_matches(r["administrateur"], admins, n=1, cutoff=0.8)
            out.append(Finding(
                _("“{name}” is not in the list of administrators ({admins})").format(
                    name=r["administrateur"], admins=data.administrators.path.name),
                Level.WARNING, file, r.row, **where,
                hint=(_("write the name as in {admins}: “{close}”").format(admins=data.administrators.path.name,
                                                                           close=close[0]) if close else
                      _("add the administrator to {admins}, or correct the name").format(
                          admins=data.administrators.path.name))))
    return out


@hookimpl
def rapact_new_year(source, target, year):
    carry.copy_data(source, target, "governance/bodies", "governance/administrators")
    carry.carry_table(source, target, "governance/meetings", keep=[], rows=False)
    carry.carry_table(source, target, "governance/attendance", keep=["administrateur"], header=["administrateur"])
    carry.write_csv(target / "governance" / "staff.csv", ["annee", "effectif"], [[year, ""]])
    carry.carry_yaml(source, target, "governance/governance.yaml", keep=["participations"],
                     clear=["dso_team_size"])
