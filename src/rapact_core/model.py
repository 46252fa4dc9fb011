"""The format-neutral document model.

Like pandoc's AST, a document is a list of *blocks*, and text inside blocks is a
list of *inlines*. The classes are frozen attrs classes: they hold typed values
(``int``, ``Decimal`` for money, ``date``) and semantic roles, never fonts or
pre-formatted strings. Renderers (``rapact_core.render``) turn them into DOCX
or PDF; ``rapact_core.serialize`` turns them into JSON and back.

The model is closed: each node checks what it is given when it is built, and
content it does not take raises :class:`ModelError` naming the node, the
position and what was expected. A plugin's mistake is then reported by
``rapact check`` with the plugin and the section, not by a renderer later.

The nodes live in small modules by kind (:mod:`.model_inlines`,
:mod:`.model_tables`, :mod:`.model_figures`); this module holds the blocks and
the document, and is the one to import from.
"""

from __future__ import annotations

import datetime as _dt
from enum import Enum
from typing import Any, Union

import attrs
from attrs import field, frozen

from .missing import MISSING  # noqa: F401  (a chart's or a cell's unknown figure, as m.MISSING)
from .model_checks import ModelError, shown, tuple_of
from .model_figures import Chart, ChartKind, ChartValue, Figure, Image, Series
from .model_inlines import INLINE_TYPES, Inline, LineBreak, Link, Ref, Text, inlines, inlines_of, plain_text
from .model_tables import (
    Align, Cell, CellKind, CellValue, Column, NegativeAmounts, PlainRows, Row, RowRole, Table,
)

__all__ = [
    "Align", "BLOCK_TYPES", "Block", "Cell", "CellKind", "CellValue", "Chapter", "Chart", "ChartKind",
    "ChartValue", "Column", "Custom", "Document", "Figure", "Heading", "INLINE_TYPES", "Image", "Inline",
    "LineBreak", "Link", "ListBlock", "ListItem", "Meta", "ModelError", "NegativeAmounts", "PageBreak",
    "Paragraph", "ParagraphStyle", "PlainRows", "Ref", "Row", "RowRole", "Series", "Signatory", "Table",
    "TableOfContents", "Text", "inlines", "plain_text",
]


@frozen
class Heading:
    """A heading. Level 1 is a chapter, 2 a section (3.1), 3 a subsection…

    ``number`` ("3.1") is assigned once when the document is assembled, so
    every renderer prints the same numbers.
    """

    level: int = field(validator=attrs.validators.in_(range(1, 7)))
    content: tuple[Inline, ...] = field(converter=inlines_of("Heading"))
    id: str | None = None
    numbered: bool = True
    in_toc: bool = True
    number: str | None = None


class ParagraphStyle(str, Enum):
    BODY = "body"
    LEAD = "lead"
    NOTE = "note"
    QUOTE = "quote"
    KEY_FIGURE = "key_figure"


@frozen
class Paragraph:
    """A paragraph of inlines with a semantic style."""

    content: tuple[Inline, ...] = field(converter=inlines_of("Paragraph"))
    style: ParagraphStyle = ParagraphStyle.BODY


@frozen
class ListItem:
    """A list item: its text, and optionally a nested list."""

    content: tuple[Inline, ...] = field(converter=inlines_of("ListItem"))
    children: "ListBlock | None" = field(default=None)

    @children.validator
    def _check_children(self, _attribute, value):
        if value is not None and not isinstance(value, ListBlock):
            raise ModelError(f"ListItem children: expected a ListBlock or None, got {shown(value)}")


def _bullet(instance, _attribute, value):
    if value is None:
        return
    if not isinstance(value, str) or not 1 <= len(value) <= 2 or any(ch.isspace() for ch in value):
        raise ModelError(f"ListBlock bullet: expected None or a symbol of one or two characters, "
                         f"got {shown(value)}")
    if instance.ordered:
        raise ModelError(f"ListBlock bullet: a numbered list has numbers, not the bullet {value!r}")


@frozen
class ListBlock:
    """A bullet (``ordered=False``) or numbered list; items may nest lists.

    ``bullet`` is the symbol a bullet list shows before each item ("✓"):
    ``None``, the renderers' own bullet by nesting level (•, –, ▪). The
    narrative sets it for a Markdown list whose items all start with the same
    symbol (:data:`rapact_core.markdown.SYMBOL_BULLETS`), taken off the items'
    text.
    """

    items: tuple[ListItem, ...] = field(converter=tuple_of(ListItem, "ListBlock items", "a ListItem"))
    ordered: bool = False
    start: int = 1
    bullet: str | None = field(default=None, validator=_bullet)


@frozen
class PageBreak:
    """Start a new page."""


@frozen
class TableOfContents:
    """The table of contents, filled from the numbered headings."""

    title: str = "Table des matières"
    depth: int = 3


@frozen
class Custom:
    """A plugin's own fragment, for what the model cannot express.

    The plugin named in ``plugin`` must implement ``rapact_render_custom``
    for every requested format, or the build fails naming that plugin.
    ``data`` must be JSON-compatible. ``alt`` describes the block for readers
    who cannot see it: the tagged PDF reads the block as a figure with this
    text (``rapact check`` refuses a custom block without one).
    """

    plugin: str
    kind: str
    data: dict[str, Any] = field(factory=dict)
    fallback_text: str = ""
    alt: str = ""


Block = Union[
    Heading, Paragraph, ListBlock, Table, Figure, Image, PageBreak, TableOfContents, Custom
]
BLOCK_TYPES: tuple[type, ...] = (
    Heading, Paragraph, ListBlock, Table, Figure, Image, PageBreak, TableOfContents, Custom,
)


# ---------------------------------------------------------------- document


@frozen
class Signatory:
    name: str
    role: str


@frozen
class Meta:
    """Document metadata, from the configuration."""

    title: str
    reference: str
    organisation: str
    year: int
    locale: str = "fr_BE"
    subject: str = ""
    signatories: tuple[Signatory, ...] = field(converter=tuple_of(Signatory, "Meta signatories", "a Signatory"),
                                               factory=tuple)
    logo: str | None = None
    date: _dt.date | None = None
    negative_amounts: NegativeAmounts = field(default=NegativeAmounts.MINUS, converter=NegativeAmounts)


@frozen
class Chapter:
    """A chapter: its id (from the configuration), title and blocks."""

    id: str
    title: str
    blocks: tuple[Block, ...] = field(
        converter=tuple_of(BLOCK_TYPES, "Chapter blocks", "a block (" + ", ".join(t.__name__ for t in BLOCK_TYPES) + ")"),
        factory=tuple)
    plugin: str = ""
    numbered: bool = True


@frozen
class Document:
    meta: Meta
    chapters: tuple[Chapter, ...] = field(converter=tuple_of(Chapter, "Document chapters", "a Chapter"),
                                          factory=tuple)
    schema_version: int = 1

    def blocks(self):
        """Every block of the document in reading order, chapter headings included."""
        for chapter in self.chapters:
            yield from chapter.blocks


attrs.resolve_types(ListItem, globals(), locals())
