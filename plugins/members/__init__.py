"""Members: who the associates are, by category, population class and province."""

from __future__ import annotations

from rapact_core import (
    CellKind, ChapterSpec, Computed, Finding, Level, PluginSpec, fact, hookimpl, is_missing, slug,
    stated_total_findings,
)

from rapact_core import carry
from rapact_core.i18n import N_, _

from . import compute, load, sections


@hookimpl
def rapact_declare():
    return PluginSpec(
        namespaces=("members",),
        chapters=[ChapterSpec("participation",
                              "Participation des Pouvoirs locaux au modèle proposé par {{ report.organisation }}.",
                              text="participation.md", position=40)],
        sections=sections.SECTIONS,
        description=N_("Associates by category, population class and province; new members; registry"),
    )


@hookimpl
def rapact_load_data(ctx):
    return load.load(ctx)


@hookimpl
def rapact_compute(data):
    """The facts; the figures are kept (``derived``) for the checks and the sections."""
    fig = compute.figures(data)
    pop = fig.population_total
    s = data.settings
    facts = [
        fact("members.total", fig.total, label="Membres"),
        fact("members.communes", pop.members, label="Communes membres"),
        fact("members.communes_total", pop.communes, label="Communes"),
        fact("members.coverage", pop.coverage, CellKind.PERCENT, decimals=0, label="Couverture des communes"),
        fact("members.new_count", len(data.new_members.rows)),
        fact("members.departures_count", len(s.get("departures") or [])),
    ]
    for key, name in (("inhabitants", "inhabitants"), ("new_members_target", "new_target"),
                      ("applications_in_progress", "applications_in_progress"), ("founders", "founders")):
        if key in s:
            facts.append(fact(f"members.{name}", s[key]))
    for label, n in fig.categories:
        facts.append(fact(f"members.category.{slug(label)}", n, label=label))
    return Computed(facts, derived=fig)


@hookimpl
def rapact_check(data, derived):
    fig = derived
    findings = []
    findings += stated_total_findings(data.categories, {"nombre": fig.total}, what=_("members by category"),
                                      section="members.categories")
    pop, prov = fig.population_total, fig.provinces_total
    findings += stated_total_findings(data.population, {"membres": pop.members, "communes": pop.communes},
                                      what=_("communes by population class"), section="members.population")
    findings += stated_total_findings(data.provinces, {"membres": prov.members, "communes": prov.communes},
                                      what=_("communes by province"), section="members.provinces")
    communes_cat = dict(fig.categories).get(compute.commune_category(data))
    if communes_cat is not None and not (communes_cat == pop.members == prov.members):
        findings.append(Finding(
            _("the communes that are members are counted differently: {category} by category, {population} by "
              "population class ({population_file}), {province} by province ({province_file})").format(
                category=communes_cat, population=pop.members, population_file=data.population.path.name,
                province=prov.members, province_file=data.provinces.path.name),
            Level.WARNING, data.categories.file, _row_of(data.categories, "categorie", compute.commune_category(data)),
            section="members.categories",
            hint=_("the three tables must give the same count: correct the one that is wrong")))
    if pop.communes != prov.communes:
        findings.append(Finding(
            _("the number of communes differs: {population} by population class ({population_file}), {province} "
              "by province").format(population=pop.communes, population_file=data.population.path.name,
                                    province=prov.communes),
            Level.WARNING, data.provinces.file, None, section="members.provinces",
            hint=_("correct the column communes of the table that is wrong")))
    for line, table, section in ([(l, data.population, "members.population") for l in fig.population]
                                 + [(l, data.provinces, "members.provinces") for l in fig.provinces]):
        if not is_missing(line.members) and not is_missing(line.communes) and line.members > line.communes:
            findings.append(Finding(
                _("{label}: {members} members for {communes} communes").format(
                    label=line.label, members=line.members, communes=line.communes),
                Level.WARNING, table.file, _row_of(table, table.columns[0], line.label), section=section,
                hint=_("there cannot be more members than communes: correct the columns membres or communes")))
    return findings


def _row_of(table, column: str, label: str) -> int | None:
    return next((r.row for r in table.rows if r[column] == label), None)


@hookimpl
def rapact_new_year(source, target):
    carry.copy_data(source, target, "members/registry")
    carry.carry_table(source, target, "members/categories", keep=["categorie"])
    carry.carry_table(source, target, "members/population_classes", keep=["classe"])
    carry.carry_table(source, target, "members/provinces", keep=["province"])
    carry.carry_table(source, target, "members/new_members", keep=[], rows=False)
    carry.carry_yaml(source, target, "members/members.yaml", keep=["founders", "commune_category"],
                     clear=["inhabitants", "new_members_target", "applications_in_progress"],
                     empty_lists=["departures"])
