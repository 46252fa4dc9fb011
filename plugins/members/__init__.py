"""Members: who the associates are, by category, population class and province."""

from __future__ import annotations

from rapact_core import (
    CellKind, ChapterSpec, Computed, Finding, Level, PluginSpec, fact, hookimpl, is_missing, slug,
    stated_total_findings,
)

from rapact_core import carry

from . import compute, load, sections


@hookimpl
def rapact_declare():
    return PluginSpec(
        namespaces=("members",),
        chapters=[ChapterSpec("participation",
                              "Participation des Pouvoirs locaux au modèle proposé par {{ report.organisation }}.",
                              text="participation.md", position=40)],
        sections=sections.SECTIONS,
        description="Associates by category, population class and province; new members; registry",
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
    findings += stated_total_findings(data.categories, {"nombre": fig.total}, what="members by category")
    pop, prov = fig.population_total, fig.provinces_total
    findings += stated_total_findings(data.population, {"membres": pop.members, "communes": pop.communes},
                                      what="communes by population class")
    findings += stated_total_findings(data.provinces, {"membres": prov.members, "communes": prov.communes},
                                      what="communes by province")
    communes_cat = dict(fig.categories).get(compute.commune_category(data))
    if communes_cat is not None and not (communes_cat == pop.members == prov.members):
        findings.append(Finding(
            f"communes members disagree: {communes_cat} by category, {pop.members} by population class, "
            f"{prov.members} by province", Level.WARNING, data.categories.file, None, "nombre"))
    if pop.communes != prov.communes:
        findings.append(Finding(
            f"number of communes disagree: {pop.communes} by population class, {prov.communes} by province",
            Level.WARNING, data.provinces.file, None, "communes"))
    for line, table in [(l, data.population) for l in fig.population] + [(l, data.provinces) for l in fig.provinces]:
        if not is_missing(line.members) and not is_missing(line.communes) and line.members > line.communes:
            findings.append(Finding(f"{line.label}: {line.members} members for {line.communes} communes",
                                    Level.WARNING, table.file, None, "membres"))
    return findings


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
