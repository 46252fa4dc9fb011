"""The core's own plugin: report facts, the table of contents, stated figures.

Registered through the same ``rapact`` entry point group as every other
plugin, so it can be listed, ordered and disabled the same way.

``<data>/stated.yaml`` lists figures the narrative of a previous edition
stated by hand (``{fact: members.total, value: 366, where: "2 Le mot du
président"}``); ``rapact check`` compares each with the computed fact and
reports a difference at the line of its ``value``.
"""

from __future__ import annotations

from decimal import Decimal

from attrs import frozen

from .loader import to_decimal
from .yamlfiles import read_yaml, yaml_item_lines
from .errors import Finding, Level, RapactError, display_path
from .facts import fact
from .formatting import format_value
from .i18n import N_, _, quoted
from .markers import hookimpl
from .model import CellKind, TableOfContents
from .specs import ChapterSpec, PluginSpec, section


@frozen
class Stated:
    """One entry of ``stated.yaml``, with the lines of its ``fact`` and ``value``."""

    fact: str
    value: Decimal
    where: str
    fact_line: int | None
    value_line: int | None


@hookimpl
def rapact_declare():
    return PluginSpec(
        namespaces=("report",),
        chapters=[ChapterSpec("toc", "Table des matières", sections=("core.toc",), position=25,
                              numbered=False, in_toc=False)],
        description=N_("Report facts (report.year…), table of contents, stated-figure checks"),
    )


@hookimpl
def rapact_load_data(ctx):
    path = ctx.data_path("stated.yaml")
    shown = display_path(path)
    items = read_yaml(path, required=False) or []
    if not isinstance(items, list):
        raise RapactError(Finding(_("expected a list of {fact, value, where}"), file=shown, line=1))
    lines = yaml_item_lines(path) if items else []
    stated, problems = [], []
    for i, item in enumerate(items):
        at = lines[i] if i < len(lines) else {}
        if not isinstance(item, dict) or not {"fact", "value"} <= set(item):
            problems.append(Finding(_("expected a mapping with keys fact, value and where"),
                                    file=shown, line=at.get(""), field=_("item {number}").format(number=i + 1)))
            continue
        try:
            stated.append(Stated(str(item["fact"]), to_decimal(item["value"]), str(item.get("where", "")),
                                 at.get("fact"), at.get("value")))
        except (ValueError, ArithmeticError):
            problems.append(Finding(_("expected a number, found {found}").format(found=quoted(item["value"])),
                                    file=shown, line=at.get("value"), field="value"))
    if problems:
        raise RapactError(problems)
    return {"stated": stated, "path": path}


@hookimpl
def rapact_compute(ctx):
    r = ctx.config.report
    return [
        fact("report.year", r.year, CellKind.TEXT),
        fact("report.previous_year", r.year - 1, CellKind.TEXT),
        fact("report.organisation", r.organisation),
        fact("report.title", r.title),
        fact("report.reference", r.reference),
    ]


@hookimpl
def rapact_check(data, facts):
    """Each figure a previous text stated that the data does not give; the figures one
    place states for the same fact (366 and 333 members, both in the president's
    message) make one finding."""
    findings = []
    shown = display_path(data["path"])
    differing: dict[tuple[str, str], list[Stated]] = {}
    for item in data["stated"]:
        if item.fact not in facts:
            findings.append(Finding(_("the figure names {fact}, which no plugin computes").format(fact=item.fact),
                                    Level.WARNING, shown, item.fact_line,
                                    hint=_("correct the name (`rapact check --facts` lists them), or remove the "
                                           "entry")))
            continue
        computed = facts[item.fact].value
        if isinstance(computed, (int, Decimal)) and Decimal(str(computed)) != item.value:
            differing.setdefault((item.fact, item.where), []).append(item)
    for (name, where), items in differing.items():
        f = facts[name]
        kind = f.kind if f.kind is not CellKind.TEXT else CellKind.DECIMAL
        stated = _(" and ").join(format_value(i.value, kind, f.decimals) for i in items)
        what = f"{f.label} ({{{{ {name} }}}})" if f.label else f"{{{{ {name} }}}}"
        findings.append(Finding(
            _("{where} stated {stated} for {what}; the data gives {computed}, which the report prints").format(
                where=_("“{sentence}”").format(sentence=where) if where else _("the previous text"),
                stated=stated, what=what,
                computed=format_value(f.value, f.kind, f.decimals)),
            Level.WARNING, shown, items[0].value_line, facts=(name,),
            items=[_("line {line}: {value}").format(line=i.value_line, value=format_value(i.value, kind, f.decimals))
                   for i in items] if len(items) > 1 else (),
            hint=_("if the data is wrong, correct it; once the figure is settled, remove these lines from "
                   "{file}").format(file=data["path"].name)))
    return findings


@section("core.toc", "Table des matières")
def toc_blocks():
    return [TableOfContents(title="", depth=4)]
