"""The records a plugin uses to declare itself: chapters, sections, facts."""

from __future__ import annotations

from collections.abc import Callable

import attrs
from attrs import field, frozen

# The arguments a section's ``blocks`` function may name, as hooks do.
BLOCKS_ARGUMENTS = ("section", "data", "facts", "ctx", "derived")


def _tuple(v):
    return tuple(v)


@frozen
class ChapterSpec:
    """A chapter a plugin offers.

    A chapter is built only when the report's configuration lists it
    (``[[chapters]] id = …``): installing a plugin never changes a report.

    :param id: the name editors use in ``rapact.toml`` (``[[chapters]] id = …``).
    :param title: the default title; the configuration may override it.
    :param text: the Markdown file (in the report's ``texts`` folder) that
        holds the chapter's narrative. The text pulls sections in with
        ``{{ section("members.categories") }}``. ``None``: the chapter is the
        listed ``sections`` one after the other.
    :param sections: the sections shown when there is no text.
    :param position: the chapter's default place, used when the configuration
        lists it with ``default_position = true`` instead of placing it (lower
        comes first; the bundled chapters use 10 to 90).
    :param numbered: whether the chapter heading gets a number ("4").
    :param in_toc: whether the chapter appears in the table of contents.
    """

    id: str
    title: str
    text: str | None = None
    sections: tuple[str, ...] = field(converter=_tuple, factory=tuple)
    position: int = 100
    numbered: bool = True
    in_toc: bool = True


@frozen
class SectionSpec:
    """A named group of blocks a plugin contributes (a table, a chart…).

    :param id: the section's id, ``"<namespace>.<name>"``: what a chapter's
        ``sections`` and the narrative's ``{{ section("id") }}`` name.
    :param title: a description for editors, listed by ``rapact plugins``.
        It is *not* printed in the report: a heading comes from the chapter's
        Markdown (``## Indicateurs``) or from a ``Heading`` block.
    :param blocks: the function that builds the section's blocks. It may
        name any of ``section``, ``data``, ``facts``, ``ctx`` and ``derived``
        (the same arguments as ``rapact_section_blocks``) and returns a list of
        model blocks. ``None``: the plugin's ``rapact_section_blocks`` hook
        builds the section.
    """

    id: str
    title: str = ""
    blocks: Callable | None = field(default=None, repr=False)


def section(id: str, title: str = "") -> Callable[[Callable], Callable]:
    """Declare a section together with the function that builds its blocks.

    ::

        @section("members.categories", "Membres par catégorie")
        def categories(derived):
            return [categories_table(derived)]

    The function is returned unchanged, marked with its ``SectionSpec``
    (``fn.rapact_section``). Marked functions of the plugin's module (or
    methods of a plugin object) are declared without being listed; a marked
    function of another module is listed in ``PluginSpec(sections=[...])``.
    """

    def mark(fn: Callable) -> Callable:
        fn.rapact_section = SectionSpec(id, title, blocks=fn)
        return fn

    return mark


def section_of(item) -> SectionSpec:
    """A ``SectionSpec`` from a spec, or from a function marked with :func:`section`."""
    if isinstance(item, SectionSpec):
        return item
    marked = getattr(item, "rapact_section", None)
    if isinstance(marked, SectionSpec) and callable(item):
        # a bound method keeps its object: the spec is built from what was given
        return attrs.evolve(marked, blocks=item)
    raise TypeError(f"PluginSpec(sections=...) holds SectionSpec objects or functions marked with "
                    f"@section, not {type(item).__name__}")


def _sections(items) -> tuple[SectionSpec, ...]:
    return tuple(section_of(item) for item in items)


@frozen
class PluginSpec:
    """What ``rapact_declare`` returns.

    :param namespaces: the fact namespaces the plugin publishes
        (``("members",)`` lets it publish ``members.total``).
    :param requires: the namespaces whose facts it reads; plugins are
        computed in that dependency order, and a plugin's ``facts`` shows only
        these namespaces and its own while it computes.
    :param chapters: the chapters it offers (:class:`ChapterSpec`).
    :param sections: its sections: :class:`SectionSpec` objects or functions
        marked with :func:`section`.
    :param description: one line for ``rapact plugins``.
    """

    namespaces: tuple[str, ...] = field(converter=_tuple, factory=tuple)
    requires: tuple[str, ...] = field(converter=_tuple, factory=tuple)
    chapters: tuple[ChapterSpec, ...] = field(converter=_tuple, factory=tuple)
    sections: tuple[SectionSpec, ...] = field(converter=_sections, factory=tuple)
    description: str = ""
