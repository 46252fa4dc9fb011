"""Inlines: the text inside blocks (runs, links, line breaks, cross-references)."""

from __future__ import annotations

from typing import Union

from attrs import field, frozen

from .model_checks import ModelError, as_sequence, shown


def _text(_instance, _attribute, value):
    if not isinstance(value, str):
        raise ModelError(f"Text text: expected str, got {shown(value)}")


@frozen
class Text:
    """A run of text, optionally bold and/or italic."""

    text: str = field(validator=_text)
    bold: bool = False
    italic: bool = False


def _link_content(value) -> tuple[Text, ...]:
    if isinstance(value, str):
        return (Text(value),)
    if isinstance(value, Text):
        return (value,)
    return _texts_or(as_sequence(value, "Link content", "Text or str, or a sequence of them"), Text,
                     "Link content", "Text or str")


def _texts_or(items: tuple, types, where: str, expected: str) -> tuple:
    """``items`` with each str made a ``Text``; anything but ``types`` raises ModelError."""
    out = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            item = Text(item)
        elif not isinstance(item, types):
            raise ModelError(f"{where}[{i}]: expected {expected}, got {shown(item)}")
        out.append(item)
    return tuple(out)


@frozen
class Link:
    """A hyperlink; ``target`` is an http, https or mailto URL. Its content is
    ``Text`` runs (a ``str`` becomes one)."""

    content: tuple[Text, ...] = field(converter=_link_content)
    target: str = ""


@frozen
class LineBreak:
    """A line break inside a paragraph."""


def _ref_target(_instance, _attribute, value):
    if not isinstance(value, str) or not value.strip():
        raise ModelError(f"Ref target: expected the id of a table or a figure, got {shown(value)}")


@frozen
class Ref:
    """A cross-reference to a numbered table or figure, printed "Tableau 12".

    ``target`` is the table's or the figure's ``id``. Numbers are assigned
    when the document is assembled, after every chapter is built, so a
    reference may point forward: :func:`rapact_core.numbering.number_document`
    fills ``label`` ("Tableau 12") and sets ``target`` to the id exactly as
    the block spells it, or reports an unknown id at ``file`` and ``line``,
    where the reference was written. Renderers print ``label`` and link it to
    the block where the format allows.
    """

    target: str = field(validator=_ref_target)
    label: str = ""
    file: str = ""
    line: int | None = None


Inline = Union[Text, Link, LineBreak, Ref]
INLINE_TYPES: tuple[type, ...] = (Text, Link, LineBreak, Ref)


def plain_text(content: tuple[Inline, ...] | str) -> str:
    """The text of a sequence of inlines, without formatting."""
    if isinstance(content, str):
        return content
    out = []
    for item in content:
        if isinstance(item, Text):
            out.append(item.text)
        elif isinstance(item, Link):
            out.append("".join(t.text for t in item.content))
        elif isinstance(item, Ref):
            out.append(item.label or item.target)
        else:
            out.append("\n")
    return "".join(out)


_AN_INLINE = "an inline (Text, Link, LineBreak, Ref) or str"


def inlines(value: str | Inline | tuple | list, owner: str = "inline") -> tuple[Inline, ...]:
    """Accept a string, one inline or a sequence of them (strings become ``Text``),
    and return a tuple of inlines; anything else raises :class:`ModelError`."""
    if isinstance(value, str):
        return (Text(value),)
    if isinstance(value, INLINE_TYPES):
        return (value,)
    items = as_sequence(value, f"{owner} content", f"{_AN_INLINE}, or a sequence of them")
    return _texts_or(items, INLINE_TYPES, f"{owner} content", _AN_INLINE)


def inlines_of(owner: str):
    def convert(value) -> tuple[Inline, ...]:
        return inlines(value, owner)

    return convert


