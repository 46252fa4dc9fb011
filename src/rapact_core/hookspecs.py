"""The hooks a rapact plugin can implement.

A plugin is a module (or object) registered under the ``rapact`` entry-point
group, whose functions carry the ``@rapact_core.hookimpl`` marker and are
named after the specifications below. A plugin implements only the hooks it
needs, and each implementation may accept only the arguments it uses.

The life of a build, and the hook called at each step:

1. ``rapact_declare``: every plugin says which chapters, sections and fact
   namespaces it offers. The configuration lists, orders and enables the
   chapters built: a chapter it does not list is not built.
2. ``rapact_load_data``: each plugin reads and validates its own data files.
3. ``rapact_compute``: each plugin publishes facts, in dependency order, and
   may keep what it derived for its later hooks (``Computed(facts, derived)``).
4. ``rapact_check``: each plugin reports consistency findings.
5. Each section shown is turned into model blocks: by the function declared
   with it (``SectionSpec(..., blocks=fn)`` or ``@section``), else by the
   plugin's ``rapact_section_blocks``.
6. ``rapact_render_custom``: only for ``Custom`` blocks, per output format.

``rapact new-year`` calls ``rapact_new_year`` instead, to prepare next year's
data folder.

Hooks are always called one plugin at a time by the core, with that plugin's
own data, through the typed methods of :class:`rapact_core.plugins.Plugins`
(``plugins.rapact_compute(name, data=…, facts=…, ctx=…)``); the order of chapters comes from the configuration, never from the
order in which plugins were registered.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("rapact")


@hookspec
def rapact_declare():
    """Declare what the plugin offers.

    Called once per build, before anything else.

    :return: a :class:`rapact_core.PluginSpec` with the plugin's chapters
        (``ChapterSpec``), its sections (``SectionSpec``), the fact
        namespaces it publishes and the namespaces it reads. A chapter id or
        a section id taken by two plugins is an error at start-up.

    Example::

        @hookimpl
        def rapact_declare():
            return PluginSpec(
                namespaces=("cyber",), requires=("members",),
                chapters=[ChapterSpec("cyber", "Mission cybersécurité", text="cyber.md")],
                sections=[SectionSpec("cyber.kpis", "Indicateurs", blocks=kpis_blocks)],
            )

    A section's function may also be declared with ``@section("cyber.kpis")``.
    """


@hookspec
def rapact_load_data(ctx):
    """Read and validate the plugin's data files.

    Called once per build, for every plugin. Read files with
    ``rapact_core.read_table`` / ``read_yaml`` from ``ctx.data_path(...)``:
    they check headers and types and raise :class:`rapact_core.RapactError`
    with one finding per bad cell (file, row, column, expected type). Raise
    it yourself for your own rules, or collect several findings into one
    ``RapactError`` so the editor sees them all at once.

    :param ctx: the :class:`rapact_core.BuildContext` (configuration, data
        folder, report year).
    :return: any object holding the plugin's data; the core hands it back to
        the plugin's other hooks as ``data``. ``None`` if the plugin has no data.
    """


@hookspec
def rapact_compute(data, facts, ctx):
    """Compute the plugin's figures and publish them as facts.

    Called once per build, after every plugin's data is loaded, in the
    dependency order given by ``PluginSpec.requires``: facts of the required
    namespaces are already in ``facts``.

    :param data: what this plugin's ``rapact_load_data`` returned.
    :param facts: a read-only :class:`rapact_core.FactView` of the facts
        published so far (``facts["members.total"].value``).
    :param ctx: the build context.
    :return: an iterable of :class:`rapact_core.Fact` whose names start with
        one of the plugin's namespaces (``members.total``). The narrative reads
        them as ``{{ members.total }}``. Or ``rapact_core.Computed(facts,
        derived=…)``: ``derived`` (the plugin's figures, anything) is kept for
        the rest of the build and handed to the plugin's ``rapact_check``,
        ``rapact_section_blocks`` and section functions as ``derived``, so that
        they do not compute it again.
    """


@hookspec
def rapact_check(data, facts, ctx, derived):
    """Report consistency problems for ``rapact check``.

    Called once per build, after all facts are computed. Compare stated
    figures with computed ones (a stated total against the sum of its
    lines), and identities across tables.

    :param data: what this plugin's ``rapact_load_data`` returned.
    :param facts: every published fact.
    :param ctx: the build context.
    :param derived: what this plugin's ``rapact_compute`` kept
        (``Computed(..., derived=…)``), else ``None``.
    :return: an iterable of :class:`rapact_core.Finding` (use
        ``Level.WARNING`` for a difference the build can live with: the report
        always shows computed values; ``--strict`` turns findings into failures).
    """


@hookspec
def rapact_section_blocks(section, data, facts, ctx, derived):
    """Return the blocks of one of the plugin's sections.

    Called once for each section a chapter shows, only on the plugin that
    declared the section, and only for a section declared without its own
    ``blocks`` function (``SectionSpec(..., blocks=fn)`` or ``@section``):
    declaring the function with the section spares an if-chain on
    ``section.id`` here.

    :param section: the :class:`rapact_core.SectionSpec` to render.
    :param data: what this plugin's ``rapact_load_data`` returned.
    :param facts: every published fact.
    :param ctx: the build context.
    :param derived: what this plugin's ``rapact_compute`` kept, else ``None``.
    :return: a list of model blocks (``Paragraph``, ``Table``, ``Figure``,
        ``Heading`` of level 3 or more…). Anything else is an error that names
        the plugin.
    """


@hookspec
def rapact_render_custom(block, format, target, ctx):
    """Render one of the plugin's own :class:`rapact_core.Custom` blocks.

    Called for each ``Custom`` block whose ``plugin`` is this plugin, once
    per output format.

    :param block: the ``Custom`` block (``block.kind``, ``block.data``).
    :param format: ``"docx"``, ``"pdf"`` or ``"html"``.
    :param target: for ``docx``, the python-docx ``Document`` to append to;
        for ``pdf``, a list of reportlab flowables to extend; for ``html``, a
        list to append to: a ``str`` is text, escaped and set as a paragraph,
        a ``markupsafe.Markup`` is HTML inserted as it is (build it with
        ``Markup("<p>{}</p>").format(text)``, which escapes ``text``).
    :param ctx: the build context.
    :return: ``True`` when rendered. ``None`` (not handled) for a requested
        format is an error naming the plugin.

    Render from ``block.data`` and ``ctx`` only, and keep ``block.data``
    plain (str, numbers, lists, dicts) so the model stays serialisable.
    """


@hookspec
def rapact_new_year(source, target, year, ctx):
    """Prepare the plugin's data for next year's report (``rapact new-year``).

    Called once per plugin when ``rapact new-year YEAR`` creates the folder
    of YEAR from the folder of the year before.

    :param source: the data folder of the year carried over (``reports/2021/data``).
    :param target: the new year's data folder to write into (``reports/2022/data``).
    :param year: the new year.
    :param ctx: the build context of the source year.
    :return: ``None``. Write the plugin's files into ``target``: copy the
        reference lists that carry over and leave the yearly figures empty
        with their headers, so that the draft builds with "à compléter" marks.
        ``rapact_core.carry`` has helpers (``copy_data``, ``carry_table``,
        ``carry_yaml``, ``write_csv``).

    Example::

        @hookimpl
        def rapact_new_year(source, target, year):
            carry.copy_data(source, target, "cyber/targets.yaml")
            carry.carry_table(source, target, "cyber/kpis", keep=["indicateur"])
    """
