"""Text for the PDF: escaping into Paragraph markup, and breaking cell text into lines.

* Every piece of data text goes through :func:`esc` before it enters a
  reportlab ``Paragraph`` (whose text is XML markup); only markup written by
  the renderer (``<b>``, ``<i>``, ``<a>``, ``<br/>``) stays raw.
* Babel separates digit groups with U+202F, which reportlab's Paragraph treats
  as a breakable space: in Paragraph text and wrapped cells U+202F becomes
  U+00A0, never broken.
* :func:`wrap_text` breaks a table cell into lines exactly as a Paragraph
  would, at the cost of a few dictionary look-ups per word, so the linear
  table engine (:mod:`.pdf_tables`) can measure rows without Paragraphs.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

from .. import model as m
from . import pdf_styles as S

NBSP = "\u00a0"
NNBSP = "\u202f"
LINK_SCHEMES = ("http://", "https://", "mailto:")
LINK_COLOR = "#" + S.LINK.hexval()[2:]


def esc(text: str) -> str:
    """Data text made safe for Paragraph markup; digit groups never break."""
    return escape(text).replace(NNBSP, NBSP)


def attr(text: str) -> str:
    """Text made safe for a markup attribute between double quotes."""
    return escape(text, {'"': "&quot;"})


def text_markup(item: m.Text) -> str:
    """A run of text as Paragraph markup, bold and italic as asked."""
    s = esc(item.text)
    if item.bold:
        s = f"<b>{s}</b>"
    if item.italic:
        s = f"<i>{s}</i>"
    return s


def link_markup(inner: str, target: str) -> str:
    """A link around the markup ``inner``; a target that is not an http(s) or
    mailto URL keeps the words and drops the link."""
    target = target.strip()
    if target.lower().startswith(LINK_SCHEMES):
        return f'<a href="{attr(target)}" color="{LINK_COLOR}">{inner}</a>'
    return inner


def ref_markup(label: str, anchor: str | None) -> str:
    """A cross-reference ("Tableau 12"): a link to ``anchor``, a destination in the
    document, that never breaks between its words."""
    text = esc(label).replace(" ", NBSP)
    if anchor is None:
        return text
    return f'<a href="#{attr(anchor)}" color="{LINK_COLOR}">{text}</a>'


# Where a cell's text may break: any white space but U+00A0 (Babel's
# U+202F becomes U+00A0 in wrapped text), as in a reportlab Paragraph.
_BREAKS = re.compile(r"[^\S\u00a0]+")


def wrap_text(text: str, font: str, size: float, width: float, widths: dict | None = None,
              natural: list | None = None) -> list[str]:
    """``text`` broken into lines for a column ``width`` wide, as a Paragraph would.

    reportlab's greedy rule: a word joins the line if the line then fits,
    allowing each space to shrink by ``rl_config.spaceShrinkage``; a line
    break in the text starts a new line; a word wider than the column is cut
    into pieces, the first one filling the current line (``splitLongWords``).
    ``widths``: a cache of word widths for this font and size (words repeat);
    ``natural``: if given, gets each line's width with unshrunk spaces.
    """
    measure = getFont(font).stringWidth
    if widths is None:
        widths = {}
    space = measure(" ", size)
    shrink = rl_config.spaceShrinkage * space
    lines: list[str] = []
    sizes: list[float] = []
    for segment in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for word in _BREAKS.split(segment):
            if not word:
                continue
            w = widths.get(word)
            if w is None:
                w = widths[word] = measure(word, size)
            if not line:
                if w <= width:
                    line, used = [word], w
                    continue
            elif used + space + w <= width + shrink * len(line):
                line.append(word)
                used += space + w
                continue
            elif w <= width:
                lines.append(" ".join(line))
                sizes.append(used)
                line, used = [word], w
                continue
            # a word wider than the column
            pieces = cut_word(word, font, size, width, used + space if line else 0.0)
            first = pieces.pop(0)
            if first or line:
                lines.append(" ".join(line + [first] if first else line))
                sizes.append(used + (space if line else 0.0) + measure(first, size) if first else used)
            lines.extend(pieces[:-1])
            sizes.extend(measure(piece, size) for piece in pieces[:-1])
            line = [pieces[-1]]
            used = measure(pieces[-1], size)
        lines.append(" ".join(line))
        sizes.append(used)
    if natural is not None:
        natural.extend(sizes)
    return lines


def cut_word(word: str, font: str, size: float, width: float, start: float) -> list[str]:
    """reportlab's ``_splitWord``: the first piece fits after ``start`` points,
    the next ones on lines of their own; the last one goes on with the text."""
    pieces, piece, used = [], "", start
    for ch in word:
        w = stringWidth(ch, font, size)
        if used + w > width and (piece or w <= width):
            pieces.append(piece)
            piece, used = "", 0.0
        piece += ch
        used += w
    pieces.append(piece)
    if len(pieces) == 1:  # never cut: the first piece ends the line, the rest is empty
        pieces.insert(0, "")
    return pieces
