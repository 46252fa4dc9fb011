"""The narrative chapters: texts written by the editors in Markdown.

Their numbers come from facts (``{{ members.total }}``) and their tables from
other plugins' sections (``{{ section("procurement.contracts") }}``). This
plugin also publishes the organisation's standing figures (``org.*``) kept in
``organisation.yaml``.
"""

from __future__ import annotations

from rapact_core import carry
from rapact_core.i18n import N_, _
from rapact_core import (
    CellKind, ChapterSpec, Finding, PluginSpec, RapactError, fact, hookimpl, read_yaml, to_decimal,
)

CHAPTERS = [
    ChapterSpec("avant-propos", "Avant-propos.", text="avant-propos.md", position=10),
    ChapterSpec("mot-du-president", "Le mot du président.", text="mot-du-president.md", position=20),
    ChapterSpec("presentation", "{{ report.organisation }} en quelques mots.", text="presentation.md", position=30),
    ChapterSpec("activites", "Activités réalisées en {{ report.year }}.", text="activites.md", position=60),
    ChapterSpec("annexes", "Annexes :", text="annexes.md", position=90),
]

# organisation.yaml keys, and how each is formatted
ORG_KINDS = {"founded": None, "founders": None, "average_growth": CellKind.PERCENT}


@hookimpl
def rapact_declare():
    return PluginSpec(namespaces=("org",), chapters=CHAPTERS,
                      description=N_("Narrative chapters in Markdown; organisation facts (org.*)"))


@hookimpl
def rapact_load_data(ctx):
    path = ctx.data_path("organisation.yaml")
    data = read_yaml(path, required=False) or {}
    if not isinstance(data, dict):
        raise RapactError(Finding(_("expected a mapping of keys"), file=str(path), line=1))
    return data


@hookimpl
def rapact_compute(data):
    facts = []
    for key, value in sorted(data.items()):
        kind = ORG_KINDS.get(key)
        if isinstance(value, float) or kind is CellKind.PERCENT:
            value = to_decimal(value)
        facts.append(fact(f"org.{key}", value, kind, decimals=0 if kind is CellKind.PERCENT else None))
    return facts


@hookimpl
def rapact_new_year(source, target):
    carry.copy_data(source, target, "organisation.yaml")
