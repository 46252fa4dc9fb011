"""Reading the members' data files."""

from __future__ import annotations

from attrs import frozen

from rapact_core import Col, DataLoader, TableData
from rapact_core.i18n import _


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
    load = DataLoader(ctx, "members")
    categories = load.table("categories", [Col("categorie"), Col("nombre", "int")], totals=True)
    population = load.table("population_classes", [Col("classe"), Col("membres", "int"), Col("communes", "int")],
                            totals=True)
    provinces = load.table("provinces", [Col("province"), Col("membres", "int"), Col("communes", "int")],
                           totals=True)
    known = tuple(r["categorie"] for r in categories.rows) if categories else None
    new_members = load.table("new_members", [Col("numero", "int"), Col("categorie", choices=known), Col("nom"),
                                             Col("adresse", required=False)])
    registry = None
    if ctx.table_file("members/registry").is_file():
        registry = load.table("registry", [Col("nom"), Col("categorie", choices=known),
                                           Col("adresse", required=False),
                                           Col("date_adhesion", "date", required=False)])
    settings_path = ctx.data_path("members", "members.yaml")
    settings = load.settings("members.yaml", {k: "int" for k in (
        "founders", "inhabitants", "new_members_target", "applications_in_progress")}, required=True) or {}
    for i, dep in enumerate(settings.get("departures") or []):
        if not isinstance(dep, dict) or "nom" not in dep:
            load.error(_("expected a mapping with keys categorie and nom"), file=settings_path,
                       field=f"departures[{i}]")
    load.done()
    return MembersData(categories, population, provinces, new_members, registry, settings, str(settings_path))
