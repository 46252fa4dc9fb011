"""Caption texts, the same in every format: "Tableau 3 : Membres par catégorie"."""

from __future__ import annotations

from .. import model as m

TABLE_LABEL = "Tableau"
FIGURE_LABEL = "Figure"
#: between the label and the caption: French typography wants a no-break space before the colon
SEPARATOR = "\u00a0: "


def caption_label(block: m.Table | m.Figure) -> str:
    """"Tableau 3" or "Figure 2" (the label alone when the block has no number)."""
    label = TABLE_LABEL if isinstance(block, m.Table) else FIGURE_LABEL
    return label if block.number is None else f"{label} {block.number}"


def caption_parts(block: m.Table | m.Figure) -> tuple[str, str] | None:
    """(label with its separator, caption text) to print, or None when there is nothing to print.

    A numbered block without a caption prints its label alone (``("Tableau 3", "")``),
    a caption without a number (a document not numbered yet) prints alone (``("", "…")``).
    """
    if block.number is None:
        return ("", block.caption) if block.caption else None
    if not block.caption:
        return caption_label(block), ""
    return caption_label(block) + SEPARATOR, block.caption


def caption_text(block: m.Table | m.Figure) -> str:
    """The whole caption as one string ("" when there is nothing to print)."""
    parts = caption_parts(block)
    return "".join(parts) if parts else ""
