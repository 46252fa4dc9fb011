"""Reading the members' data files."""

from __future__ import annotations

from attrs import frozen

from rapact_core import Col, Finding, RapactError, TableData, read_table, read_yaml, setting


@frozen
class MembersData:
    categories: TableData
    population: TableData
    provinces: TableData
    new_members: TableData
    registry: TableData | None
    settings: dict
    settings_file: str


def load(ctx) -> MembersData:
    problems: list[Finding] = []

    def table(stem, cols, **kw):
        try:
            return read_table(ctx.table_file(f"members/{stem}"), cols, **kw)
        except RapactError as exc:
            problems.extend(exc.findings)
            return None

    categories = table("categories", [Col("categorie"), Col("nombre", "int")], totals=True)
    population = table("population_classes", [Col("classe"), Col("membres", "int"), Col("communes", "int")],
                       totals=True)
    provinces = table("provinces", [Col("province"), Col("membres", "int"), Col("communes", "int")], totals=True)
    known = tuple(r["categorie"] for r in categories.rows) if categories else None
    new_members = table("new_members", [Col("numero", "int"), Col("categorie", choices=known), Col("nom"),
                                        Col("adresse", required=False)])
    registry = None
    registry_path = ctx.table_file("members/registry")
    if registry_path.is_file():
        registry = table("registry", [Col("nom"), Col("categorie", choices=known), Col("adresse", required=False),
                                      Col("date_adhesion", "date", required=False)])
    settings_path = ctx.data_path("members", "members.yaml")
    settings = {}
    try:
        settings = read_yaml(settings_path) or {}
        if not isinstance(settings, dict):
            raise RapactError(Finding("expected a mapping of keys", file=str(settings_path), line=1))
        for key in ("founders", "inhabitants", "new_members_target", "applications_in_progress"):
            try:
                value = setting(settings, key, settings_path)
            except RapactError as exc:
                problems.extend(exc.findings)
                continue
            if value is not None:
                settings[key] = value
        for i, dep in enumerate(settings.get("departures") or []):
            if not isinstance(dep, dict) or "nom" not in dep:
                problems.append(Finding("expected a mapping with keys categorie and nom",
                                        file=str(settings_path), field=f"departures[{i}]"))
    except RapactError as exc:
        problems.extend(exc.findings)
    if problems:
        raise RapactError(problems)
    return MembersData(categories, population, provinces, new_members, registry, settings, str(settings_path))
