"""Reading the governance data files."""

from __future__ import annotations

import datetime as dt

from attrs import frozen

from rapact_core import Col, DataLoader, Finding, RapactError, TableData, is_missing, read_table, to_decimal, todo
from rapact_core.i18n import _

SEAT_VALUES = ("OUI", "NON", "OBS")
SEATS = (("ca", "CA"), ("be", "BE"), ("cr", "CR"), ("audit", "AUDIT"))


@frozen
class GovernanceData:
    bodies: TableData
    administrators: TableData
    meetings: TableData
    attendance: TableData
    staff: TableData
    settings: dict
    settings_file: str

    def attendance_columns(self) -> list[str]:
        return [c for c in self.attendance.columns[1:] if not c.startswith("stated_")]


def load(ctx) -> GovernanceData:
    load = DataLoader(ctx, "governance")
    bodies = load.table("bodies", [Col("code"), Col("organe"), Col("taille_indiquee", "int", required=False),
                                   Col("unite", required=False)])
    codes = tuple(r["code"] for r in bodies.rows) if bodies else None
    administrators = load.table("administrators", [Col("nom"), Col("membre")]
                                + [Col(k, choices=SEAT_VALUES) for k, _ in SEATS] + [Col("debut_mandat", "date")])
    meetings = load.table("meetings", [Col("organe", choices=codes), Col("date", "date", required=False),
                                       Col("type", required=False)])
    attendance = load.table("attendance", [Col("administrateur"), Col("stated_total", "int", required=False, optional=True),
                                           Col("stated_rate", "percent", required=False, optional=True)],
                            extra=Col("meeting", "int"))
    if attendance is not None and attendance.rows and len(attendance.columns) == 1:
        todo(_("add one column per board meeting of the year, named by its date (2022-02-22), with 1 (present) "
               "or 0 for each administrator"), file=attendance.file, line=1, section="governance.attendance")
    if attendance is not None:
        for r in attendance.rows:
            for c in attendance.columns[1:]:
                if not c.startswith("stated_") and r[c] not in (0, 1) and not is_missing(r[c]):
                    load.error(_("expected 0 or 1, found {found}").format(found=r[c]), file=attendance.file,
                               line=r.row, field=c)
    staff = _staff_history(ctx, load.problems)
    settings_path = ctx.data_path("governance", "governance.yaml")
    settings = load.settings("governance.yaml", {"dso_team_size": "int", "recruited": "int"}) or {}
    for i, p in enumerate(settings.get("participations") or []):
        if not isinstance(p, dict) or "organisation" not in p:
            load.error(_("expected a mapping with organisation, part, price"), file=settings_path,
                       field=f"participations[{i}]")
        elif "price" in p:
            p["price"] = to_decimal(p["price"])
    load.done()
    return GovernanceData(bodies, administrators, meetings, attendance, staff, settings, str(settings_path))


def _staff_history(ctx, problems) -> TableData | None:
    """This year's staff rows, after those of the earlier years' folders.

    Each year's folder holds its own year-end figure; the history is the chain
    of folders, so a figure is typed once.
    """
    try:
        own = read_table(ctx.table_file("governance/staff"), [Col("annee", "int"), Col("effectif", "int")])
    except RapactError as exc:
        problems.extend(exc.findings)
        return None
    rows = list(own.rows)
    previous = ctx.previous()
    while previous is not None:
        path = previous.table_file("governance/staff")
        if not path.is_file():
            break
        try:
            earlier = read_table(path, [Col("annee", "int"), Col("effectif", "int")])
        except RapactError as exc:
            problems.extend(exc.findings)
            break
        seen = {r["annee"]: r for r in rows}
        for r in earlier.rows:
            if r["annee"] in seen:
                problems.append(Finding(_("year {year} is also given in {file} (row {row}); a figure is held once"
                                          ).format(year=r["annee"], file=seen[r["annee"]].file,
                                                   row=seen[r["annee"]].row),
                                        file=r.file, line=r.row, field="annee"))
        rows = list(earlier.rows) + rows
        previous = previous.previous()
    return TableData(own.path, own.columns, rows, own.total)


def meeting_date(column: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(column)
    except ValueError:
        return None
