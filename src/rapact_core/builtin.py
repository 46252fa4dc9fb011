"""The core's own plugin: report facts, the table of contents, stated figures.

Registered through the same ``rapact`` entry point group as every other
plugin, so it can be listed, ordered and disabled the same way.

``<data>/stated.yaml`` lists figures the narrative of a previous edition
stated by hand (``{fact: members.total, value: 366, where: "2 Le mot du
président"}``); ``rapact check`` compares each with the computed fact.
"""

from __future__ import annotations

from decimal import Decimal

from .data import read_yaml, to_decimal
from .errors import Finding, Level, RapactError, display_path
from .facts import fact
from .formatting import format_value
from .markers import hookimpl
from .model import CellKind, TableOfContents
from .specs import ChapterSpec, PluginSpec, SectionSpec


@hookimpl
def rapact_declare():
    return PluginSpec(
        namespaces=("report",),
        chapters=[ChapterSpec("toc", "Table des matières", sections=("core.toc",), position=25,
                              numbered=False, in_toc=False)],
        sections=[SectionSpec("core.toc", "Table des matières")],
        description="Report facts (report.year…), table of contents, stated-figure checks",
    )


@hookimpl
def rapact_load_data(ctx):
    path = ctx.data_path("stated.yaml")
    items = read_yaml(path, required=False) or []
    if not isinstance(items, list):
        raise RapactError(Finding("expected a list of {fact, value, where}", file=display_path(path), line=1))
    stated, problems = [], []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not {"fact", "value"} <= set(item):
            problems.append(Finding("expected a mapping with keys fact, value and where",
                                    file=display_path(path), field=f"[{i}]"))
            continue
        try:
            stated.append((str(item["fact"]), to_decimal(item["value"]), str(item.get("where", "")), i))
        except (ValueError, ArithmeticError):
            problems.append(Finding(f"expected a number, found {item['value']!r}",
                                    file=display_path(path), field=f"[{i}].value"))
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
    findings = []
    shown = display_path(data["path"])
    for name, value, where, index in data["stated"]:
        if name not in facts:
            findings.append(Finding(f"stated figure names an unknown fact {name!r}", Level.WARNING,
                                    shown, None, f"[{index}].fact"))
            continue
        f = facts[name]
        computed = f.value
        if isinstance(computed, (int, Decimal)) and Decimal(str(computed)) != value:
            shown_value = format_value(value, f.kind if f.kind is not CellKind.TEXT else CellKind.DECIMAL,
                                       f.decimals)
            findings.append(Finding(
                f"{where or 'the source'} states {name} = {shown_value}, the data gives "
                f"{format_value(computed, f.kind, f.decimals)}", Level.WARNING, shown, None, f"[{index}].value"))
    return findings


@hookimpl
def rapact_section_blocks(section):
    if section.id == "core.toc":
        return [TableOfContents(title="", depth=4)]
    return None
