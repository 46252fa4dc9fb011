"""``rapact new-plugin NAME``: write an installable plugin package to start from.

The package holds everything a chapter plugin needs, working as generated:

- ``pyproject.toml``: a setuptools project registering ``rapact_<name>``
  under the ``rapact`` entry-point group, so ``pip install -e DIR`` is enough
  for ``rapact plugins`` to list it and ``rapact build`` to include it;
- ``rapact_<name>/__init__.py``: hook implementations that read a small CSV,
  compute facts, check a stated total, and one section declared with
  ``@section`` (a paragraph quoting a fact, a table with a total row and a
  chart), shown by a chapter whose default position is 85, before the
  annexes; and carry the CSV's labels over to next year's folder
  (``rapact new-year``). A report builds the chapter once its ``rapact.toml``
  lists it;
- ``rapact_<name>/data/<name>/kpis.csv``: the sample data, used while the
  report's data folder has no ``<name>/kpis.csv`` (``rapact check`` says so);
- ``tests/test_<name>.py``: tests using :mod:`rapact_core.testing`;
- ``README.md``: what to edit next.
"""

from __future__ import annotations

import importlib.metadata
import keyword
import re
from pathlib import Path

from .errors import Finding, RapactError, display_path
from .i18n import N_, _, quoted

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
ENTRY_POINT_GROUP = "rapact"


def validate_name(name: str) -> None:
    """Refuse a name that cannot be a module suffix, a fact namespace and a chapter id."""
    if not NAME_RE.match(name or "") or name.endswith("_") or "__" in name:
        raise RapactError(Finding(
            _("invalid plugin name {name}: use a lower-case identifier such as 'cyber' or 'cyber_security' "
              "(letters, digits and single underscores, starting with a letter)").format(name=quoted(name)),
            field="NAME"), exit_code=2)
    if keyword.iskeyword(name):
        raise RapactError(Finding(_("invalid plugin name {name}: it is a Python keyword").format(name=quoted(name)),
                                  field="NAME"), exit_code=2)
    taken = sorted(ep.name for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP))
    if name in taken:
        raise RapactError(Finding(
            _("a plugin named {name} is already installed (installed plugins: {installed}); choose another name"
              ).format(name=quoted(name), installed=", ".join(taken)), field="NAME"), exit_code=2)
    try:  # the name is also a chapter id and a fact namespace: they must be free too
        from .plugins import load_plugins

        installed = load_plugins()
    except RapactError:  # a broken installed plugin is not this command's business
        return
    for what, owners in ((N_("{name} is already the chapter id of plugin {plugin}; choose another name"),
                          installed.chapters),
                         (N_("{name} is already the fact namespace of plugin {plugin}; choose another name"),
                          installed.namespaces)):
        if name in owners:
            owner = owners[name][0] if isinstance(owners[name], tuple) else owners[name]
            raise RapactError(Finding(_(what).format(name=quoted(name), plugin=quoted(owner)), field="NAME"),
                              exit_code=2)


# What a virtual environment made with `python -m venv DIR` holds at its top.
VENV_ENTRIES = frozenset({"pyvenv.cfg", "bin", "Scripts", "lib", "Lib", "lib64", "include", "Include", "share",
                          "etc"})


def _may_stay(entry: Path, directory_is_venv: bool) -> bool:
    """Hidden files and virtual environments may share the package's folder."""
    if entry.name.startswith("."):
        return True
    if entry.is_dir() and (entry / "pyvenv.cfg").is_file():
        return True
    return directory_is_venv and entry.name in VENV_ENTRIES


def _check_directory(directory: Path, tops: set[str]) -> None:
    """The folder must be new, empty, or hold only a virtual environment (``DIR/.venv``, or DIR
    itself made by ``python -m venv DIR``) and hidden files, none of them in the package's way."""
    shown = display_path(directory)
    if directory.exists() and not directory.is_dir():
        raise RapactError(Finding(_("{folder} exists and is not a folder; give a new folder with --dir").format(
            folder=shown)), exit_code=2)
    if not directory.is_dir():
        return
    is_venv = (directory / "pyvenv.cfg").is_file()
    entries = sorted(directory.iterdir())
    in_the_way = [e.name for e in entries if e.name in tops or not _may_stay(e, is_venv)]
    if in_the_way:
        listed = ", ".join(in_the_way[:6]) + (", …" if len(in_the_way) > 6 else "")
        raise RapactError(Finding(
            _("{folder} already exists and is not empty (it holds {listed}); the package is written only into a "
              "new or empty folder, or one that holds nothing but a virtual environment (such as {folder}/.venv) "
              "and hidden files: give another folder with --dir, or move those out").format(
                  folder=shown, listed=listed)), exit_code=2)


def create_plugin(name: str, directory: Path | str) -> Path:
    """Write the plugin package ``rapact_<name>`` into ``directory`` and return it.

    :param name: the plugin's name: its entry-point name, fact namespace and
        chapter id (a lower-case identifier, e.g. ``cyber``).
    :param directory: the project folder to create; it must not exist, be
        empty, or hold only a virtual environment and hidden files.
    :raises RapactError: (exit code 2) for an invalid or already installed
        name, or a folder holding anything else.
    """
    validate_name(name)
    directory = Path(directory)
    files = {
        "pyproject.toml": PYPROJECT,
        "README.md": README,
        f"rapact_{name}/__init__.py": PLUGIN,
        f"rapact_{name}/data/{name}/kpis.csv": SAMPLE_CSV,
        f"tests/test_{name}.py": TEST,
    }
    _check_directory(directory, {Path(relative).parts[0] for relative in files})
    title = name.replace("_", " ").capitalize()
    for relative, template in files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        text = (template.replace("__NAME__", name).replace("__TITLE__", title)
                .replace("__DIST__", "rapact-" + name.replace("_", "-")))
        path.write_text(text.lstrip("\n"), encoding="utf-8")
    return directory


# ---------------------------------------------------------------- templates

PYPROJECT = '''
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "__DIST__"
version = "0.1.0"
description = "rapact plugin: the __TITLE__ chapter of the activity report"
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["rapact"]

[project.optional-dependencies]
test = ["pytest>=7"]

# This is what makes rapact find the plugin: entry-point group "rapact",
# name = the plugin's name, value = the module holding the hook implementations.
[project.entry-points.rapact]
__NAME__ = "rapact___NAME__"

[tool.setuptools]
packages = ["rapact___NAME__"]

[tool.setuptools.package-data]
rapact___NAME__ = ["data/*/*.csv"]

[tool.pytest.ini_options]
testpaths = ["tests"]
'''

README = '''
# __DIST__

A rapact plugin: the "__TITLE__" chapter of the activity report, generated by
`rapact new-plugin __NAME__`.

## Install and see it in the report

```sh
pip install -e .        # in the environment where rapact is installed
rapact plugins          # lists plugin "__NAME__"; chapter "__NAME__" is offered, not built yet
```

Installing a plugin never changes a report: a report builds the chapter once its `rapact.toml`
(`reports/2021/rapact.toml` for the 2021 report) lists it. Put the entry where the chapter should
appear among the `[[chapters]]` blocks:

```toml
[[chapters]]
id = "__NAME__"
title = "__TITLE__"      # optional: another title
# enabled = false        # leaves the chapter out
```

or anywhere with `default_position = true`, to place it at its default position (85: after the
accounts, before the annexes). Then `rapact build`: the chapter is in the DOCX and the PDF.

## The data

The plugin reads `__NAME__/kpis.csv` (or `__NAME__/kpis.xlsx`) in the report's data folder
(`reports/2021/data/__NAME__/kpis.csv` for the 2021 report):

| column | type | |
| --- | --- | --- |
| `indicateur` | text | the indicator's label |
| `nombre` | whole number | its value for the year |

A last row whose first cell reads `Total` states the total: `rapact check` warns when the lines do
not add up to it. The report always shows the computed total.

Until the report's data folder has that file, the plugin uses the sample bundled in
`rapact___NAME__/data/__NAME__/kpis.csv`, and `rapact check` warns about it (`rapact build --strict`
refuses it). To start from the sample, copy the folder: `cp -r rapact___NAME__/data/__NAME__ <report>/data/`.

## Facts

- `__NAME__.total`: the sum of the `nombre` column;
- `__NAME__.count`: the number of indicators.

Any chapter's Markdown can quote them (`{{ __NAME__.total }}`) and show the section with
`{{ section("__NAME__.kpis") }}`.

## Develop

```sh
pip install -e ".[test]" && python -m pytest -q
```

Edit `rapact___NAME__/__init__.py`. The plugin author's guide (`docs/plugins.md`) and the hook
reference (`docs/hooks.md`) in rapact's source explain every hook and block type.
'''

SAMPLE_CSV = '''
indicateur,nombre
Projets accompagnés,14
Demandes traitées,9
Sessions de formation,23
Total,46
'''

PLUGIN = '''
"""rapact plugin "__NAME__": the __TITLE__ chapter, with its key figures.

Generated by ``rapact new-plugin __NAME__``; see README.md. Data: the report's
``<data>/__NAME__/kpis.csv`` (columns ``indicateur``, ``nombre``; an optional
last row "Total" states the total), or, while the report has none, the
sample bundled in ``data/__NAME__/kpis.csv`` next to this file.
"""

from __future__ import annotations

from pathlib import Path

from rapact_core import (
    CellKind, ChapterSpec, Chart, ChartKind, Col, Column, Figure, Finding, Level, Paragraph, PluginSpec,
    Row, RowRole, Series, Table, carry, fact, format_value, hookimpl, read_table, section,
    stated_total_findings,
)

NAME = "__NAME__"
KPIS = f"{NAME}.kpis"
SAMPLE_DATA = Path(__file__).resolve().parent / "data"
SAMPLE = SAMPLE_DATA / NAME / "kpis.csv"
COLUMNS = [Col("indicateur"), Col("nombre", "int")]


@hookimpl
def rapact_declare():
    # The chapter is built once a report's rapact.toml lists it ([[chapters]] id = "__NAME__");
    # position 85 is its place when listed with default_position = true.
    # The section is declared by @section below.
    return PluginSpec(
        namespaces=(NAME,),
        chapters=[ChapterSpec(NAME, "__TITLE__", sections=(KPIS,), position=85)],
        description="__TITLE__: key figures of the year (generated by rapact new-plugin)",
    )


@hookimpl
def rapact_load_data(ctx):
    # read_table checks the header and every cell, and raises RapactError
    # naming the file, row and column of each bad cell.
    path = ctx.table_file(f"{NAME}/kpis")
    sample = not path.is_file()
    kpis = read_table(SAMPLE if sample else path, COLUMNS, totals=True)
    return {"kpis": kpis, "sample": sample, "expected": path}


def total(data):
    # A figure left empty in a draft year reads as MISSING, and so does any sum it
    # enters: the report prints "à compléter" and `rapact check` lists it to fill in.
    return sum(r["nombre"] for r in data["kpis"].rows)


@hookimpl
def rapact_compute(data):
    return [
        fact(f"{NAME}.total", total(data), CellKind.INTEGER, label="Total"),
        fact(f"{NAME}.count", len(data["kpis"].rows), CellKind.INTEGER, label="Indicateurs"),
    ]


@hookimpl
def rapact_check(data, ctx):
    findings = stated_total_findings(data["kpis"], {"nombre": total(data)}, what="__TITLE__")
    # the sample matters only to a report that shows the chapter: it lists it in its rapact.toml
    if data["sample"] and any(chapter.id == NAME for chapter in ctx.config.chapters):
        findings.append(Finding(
            "missing data file: the chapter shows the sample figures bundled with the plugin",
            Level.WARNING, file=data["expected"]))
    return findings


# The title is for editors (`rapact plugins`); the report prints the blocks only.
@section(KPIS, "Indicateurs de l'année")
def kpis_blocks(data, facts, ctx):
    rows = data["kpis"].rows
    t = facts[f"{NAME}.total"]
    text = (f"En {ctx.year}, les {len(rows)} indicateurs totalisent "
            f"{format_value(t.value, t.kind, t.decimals)}.")
    table = Table(
        columns=[Column("indicateur", "Indicateur", width=3),
                 Column("nombre", "Nombre", CellKind.INTEGER, width=1)],
        body=[Row([r["indicateur"], r["nombre"]]) for r in rows],
        foot=[Row(["Total", t.value], RowRole.TOTAL)],
        caption=f"Indicateurs {ctx.year}", id=f"{NAME}-kpis",
    )
    chart = Chart(ChartKind.HBAR, f"Indicateurs {ctx.year}", [r["indicateur"] for r in rows],
                  [Series("Nombre", [r["nombre"] for r in rows])], CellKind.INTEGER)
    figure = Figure(chart, f"Répartition des indicateurs {ctx.year}", f"{NAME}-kpis-chart", width=0.7)
    return [Paragraph(text), table, figure]


@hookimpl
def rapact_new_year(source, target):
    # `rapact new-year`: next year's file keeps the labels, with the figures to fill in
    # (from the sample when this year's report has no file of its own).
    stem = f"{NAME}/kpis"
    if carry.carry_table(source, target, stem, keep=["indicateur"]) is None:
        carry.carry_table(SAMPLE_DATA, target, stem, keep=["indicateur"])
'''

TEST = '''
"""Tests of the __NAME__ plugin, with rapact's test kit (no installation needed)."""

import pytest

import rapact___NAME__
from rapact_core import Level, RapactError, testing


@pytest.fixture
def report(tmp_path):
    """An empty report whose configuration lists the chapter; returns its rapact.toml."""
    config = testing.make_report(tmp_path, year=2021, chapters=["__NAME__"])
    (tmp_path / "data" / "__NAME__").mkdir()
    return config


def build(report):
    return testing.build_result(report, {"__NAME__": rapact___NAME__})


def test_the_sample_builds_the_chapter(report):
    result = build(report)
    assert result.facts["__NAME__.total"].value == 46
    assert "1 __TITLE__" in testing.headings(result.document)
    assert testing.paragraph(result.document, "indicateurs totalisent") == (
        "En 2021, les 3 indicateurs totalisent 46.")
    rows = testing.table_rows(result.document, "Indicateurs 2021")
    assert rows[0] == ["Indicateur", "Nombre"]
    assert rows[-1] == ["Total", "46"]
    chart = testing.figure(result.document, "Répartition des indicateurs 2021").chart
    assert [s.values for s in chart.series] == [(14, 9, 23)]
    assert any("sample figures" in f.message for f in result.findings)


def test_the_report_data_is_used(report):
    (report.parent / "data" / "__NAME__" / "kpis.csv").write_text(
        "indicateur,nombre\\nA,1000\\nB,234\\nTotal,1200\\n", encoding="utf-8")
    result = build(report)
    assert result.facts["__NAME__.total"].value == 1234
    assert testing.table_rows(result.document, "__NAME__-kpis")[-1] == ["Total", "1 234"]
    [finding] = result.findings
    assert (finding.file.endswith("kpis.csv"), finding.line) == (True, 4)
    assert "the Total row states" in finding.message and "in column nombre" in finding.message


def test_next_year_keeps_the_labels_with_figures_to_fill_in(report, tmp_path_factory):
    source = tmp_path_factory.mktemp("source")  # a year without its own file: the sample's labels
    rapact___NAME__.rapact_new_year(source=source, target=report.parent / "data")
    result = build(report)
    assert testing.table_rows(result.document, "__NAME__-kpis")[1:] == [
        ["Projets accompagnés", "à compléter"], ["Demandes traitées", "à compléter"],
        ["Sessions de formation", "à compléter"], ["Total", "à compléter"]]
    assert len([f for f in result.findings if f.level is Level.TO_COMPLETE]) == 3


def test_a_bad_cell_is_reported_with_file_and_row(report):
    (report.parent / "data" / "__NAME__" / "kpis.csv").write_text(
        "indicateur,nombre\\nA,beaucoup\\n", encoding="utf-8")
    with pytest.raises(RapactError) as info:
        build(report)
    finding = info.value.findings[0]
    assert finding.file.endswith("kpis.csv") and finding.line == 2 and finding.field == "nombre"
'''
