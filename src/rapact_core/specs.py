"""The records a plugin uses to declare itself: chapters, sections, facts."""

from __future__ import annotations

from attrs import field, frozen


def _tuple(v):
    return tuple(v)


@frozen
class ChapterSpec:
    """A chapter a plugin offers.

    :param id: the name editors use in ``rapact.toml`` (``[[chapters]] id = …``).
    :param title: the default title; the configuration may override it.
    :param text: the Markdown file (in the report's ``texts`` folder) that
        holds the chapter's narrative. The text pulls sections in with
        ``{{ section("members.categories") }}``. ``None``: the chapter is the
        listed ``sections`` one after the other.
    :param sections: the sections shown when there is no text.
    :param position: the default place when the configuration does not
        list the chapter (lower comes first).
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
    """A named group of blocks a plugin contributes (a table, a chart…)."""

    id: str
    title: str = ""


@frozen
class PluginSpec:
    """What ``rapact_declare`` returns.

    :param namespaces: the fact namespaces the plugin publishes
        (``("members",)`` lets it publish ``members.total``).
    :param requires: the namespaces whose facts it reads while computing;
        plugins are computed in that dependency order.
    """

    namespaces: tuple[str, ...] = field(converter=_tuple, factory=tuple)
    requires: tuple[str, ...] = field(converter=_tuple, factory=tuple)
    chapters: tuple[ChapterSpec, ...] = field(converter=_tuple, factory=tuple)
    sections: tuple[SectionSpec, ...] = field(converter=_tuple, factory=tuple)
    description: str = ""
