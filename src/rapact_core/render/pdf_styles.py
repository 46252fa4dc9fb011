"""Page geometry, colours and paragraph styles of the PDF.

Everything visual the PDF renderer uses lives here, so the look can change
without touching the layout code (the other ``pdf_*`` modules). Every style is
built from scratch on the DejaVu Sans family (never from reportlab's sample
stylesheet, whose styles are Helvetica).
"""

from __future__ import annotations

import attrs
from attrs import frozen
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm

from . import fonts

# ---------------------------------------------------------------- page geometry

PORTRAIT = A4
LANDSCAPE = landscape(A4)
LEFT_MARGIN = 2.2 * cm
RIGHT_MARGIN = 2.2 * cm
TOP_MARGIN = 2.5 * cm
BOTTOM_MARGIN = 2.2 * cm
#: distance of the header's baseline above the frame, of the footer's below it
HEADER_OFFSET = 1.0 * cm
FOOTER_OFFSET = 1.1 * cm
#: the cover keeps its signatories in a band at the bottom of the page
COVER_BOTTOM_BAND = 6.0 * cm


def frame_size(pagesize) -> tuple[float, float]:
    """Width and height of the text frame on a page of ``pagesize``."""
    w, h = pagesize
    return w - LEFT_MARGIN - RIGHT_MARGIN, h - TOP_MARGIN - BOTTOM_MARGIN


# ---------------------------------------------------------------- colours

ACCENT = colors.HexColor("#1f5f8b")  # the first colour of the chart palette
TEXT = colors.HexColor("#1a1a1a")
GREY = colors.HexColor("#6b6b6b")
LIGHT_GREY = colors.HexColor("#c8c8c8")
LINK = colors.HexColor("#1a56b0")
HEADER_FILL = colors.HexColor("#e4edf4")
ZEBRA_FILL = colors.HexColor("#f6f8fa")
SUBTOTAL_FILL = colors.HexColor("#eef1f4")
TOTAL_FILL = colors.HexColor("#dde5ec")
KEY_FIGURE_FILL = colors.HexColor("#eef4f9")

# ---------------------------------------------------------------- tables

CELL_FONT_SIZE = 8.5
CELL_LEADING = 10.5
CELL_PAD_V = 2.5
CELL_PAD_H = 4.0
#: height of a one-line table row, the smallest a row can be
MIN_ROW_HEIGHT = CELL_LEADING + 2 * CELL_PAD_V
GRID_WIDTH = 0.25
HEADER_RULE_WIDTH = 0.8
TOTAL_RULE_WIDTH = 0.9

# ---------------------------------------------------------------- header / footer

HEADER_FONT_SIZE = 8
FOOTER_FONT_SIZE = 9

# ---------------------------------------------------------------- lists

LIST_INDENT = 16
LIST_BULLETS = ("\u2022", "\u2013", "\u25e6")  # • – ◦ by nesting level
LIST_FONT_SIZE = 10


@frozen
class Styles:
    body: ParagraphStyle
    lead: ParagraphStyle
    note: ParagraphStyle
    quote: ParagraphStyle
    key_figure: ParagraphStyle
    list_item: ParagraphStyle
    headings: tuple[ParagraphStyle, ...]  # index 0 = level 1
    toc_title: ParagraphStyle
    toc_levels: tuple[ParagraphStyle, ...]
    table_caption: ParagraphStyle
    figure_caption: ParagraphStyle
    #: (bold, align) -> style of a wrapping table cell
    cells: dict
    #: align -> style of a column label
    header_cells: dict
    cover_org: ParagraphStyle
    cover_title: ParagraphStyle
    cover_subject: ParagraphStyle
    cover_meta: ParagraphStyle
    cover_name: ParagraphStyle
    cover_role: ParagraphStyle
    _list_styles: dict = attrs.field(factory=dict, alias="_list_styles")

    def heading(self, level: int) -> ParagraphStyle:
        return self.headings[min(level, len(self.headings)) - 1]

    def list_style(self, depth: int, ordered: bool) -> ParagraphStyle:
        """A list item at nesting ``depth`` (0 = top), bullet hanging in the indent."""
        key = (depth, ordered)
        style = self._list_styles.get(key)
        if style is None:
            indent = LIST_INDENT + (6 if ordered else 0)
            style = ParagraphStyle(
                f"list-{depth}-{'ol' if ordered else 'ul'}", parent=self.list_item,
                leftIndent=depth * LIST_INDENT + indent, bulletIndent=depth * LIST_INDENT + 2,
                bulletFontName=self.list_item.fontName, bulletFontSize=self.list_item.fontSize)
            self._list_styles[key] = style
        return style


_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


def make_styles() -> Styles:
    fonts.register_fonts()
    regular, bold, italic = fonts.REGULAR, fonts.BOLD, fonts.ITALIC

    def style(name, **kw) -> ParagraphStyle:
        base = dict(fontName=regular, fontSize=10, leading=14, textColor=TEXT,
                    bulletFontName=regular, splitLongWords=1)
        base.update(kw)
        return ParagraphStyle(name, **base)

    body = style("body", alignment=TA_JUSTIFY, spaceAfter=6)
    headings = (
        style("h1", fontName=bold, fontSize=18, leading=23, textColor=ACCENT,
              spaceBefore=0, spaceAfter=14, keepWithNext=1),
        style("h2", fontName=bold, fontSize=14, leading=18, textColor=ACCENT,
              spaceBefore=16, spaceAfter=6, keepWithNext=1),
        style("h3", fontName=bold, fontSize=12, leading=15, spaceBefore=12, spaceAfter=4,
              keepWithNext=1),
        style("h4", fontName=bold, fontSize=10.5, leading=14, spaceBefore=10, spaceAfter=3,
              keepWithNext=1),
        style("h5", fontName=fonts.BOLD_ITALIC, fontSize=10, leading=14, spaceBefore=8,
              spaceAfter=2, keepWithNext=1),
        style("h6", fontName=italic, fontSize=10, leading=14, spaceBefore=8, spaceAfter=2,
              keepWithNext=1),
    )
    toc_levels = tuple(
        style(f"toc{i}", fontName=bold if i == 0 else regular,
              fontSize=10.5 if i == 0 else 10 - min(i, 2) * 0.5,
              leading=14 if i == 0 else 13,
              leftIndent=i * 0.7 * cm, firstLineIndent=0, rightIndent=1.4 * cm,
              spaceBefore=6 if i == 0 else 0)
        for i in range(6)
    )
    cells = {}
    for is_bold in (False, True):
        for align in ("left", "center", "right"):
            cells[(is_bold, align)] = style(
                f"cell-{'b' if is_bold else 'r'}-{align}", fontName=bold if is_bold else regular,
                fontSize=CELL_FONT_SIZE, leading=CELL_LEADING, alignment=_ALIGN[align])
    header_cells = {
        align: style(f"th-{align}", fontName=bold, fontSize=CELL_FONT_SIZE,
                     leading=CELL_LEADING, alignment=_ALIGN[align])
        for align in ("left", "center", "right")
    }
    return Styles(
        body=body,
        lead=style("lead", fontSize=11.5, leading=16.5, alignment=TA_JUSTIFY, spaceAfter=8,
                   textColor=colors.HexColor("#2b2b2b")),
        note=style("note", fontSize=8.5, leading=12, textColor=GREY, spaceAfter=6),
        quote=style("quote", fontName=italic, leftIndent=1.0 * cm, rightIndent=1.0 * cm,
                    textColor=colors.HexColor("#3d3d3d"), spaceBefore=4, spaceAfter=8),
        key_figure=style("key_figure", fontName=bold, fontSize=15, leading=20,
                         alignment=TA_CENTER, textColor=ACCENT, backColor=KEY_FIGURE_FILL,
                         borderPadding=(7, 8, 7, 8), spaceBefore=12, spaceAfter=14),
        list_item=style("list_item", alignment=TA_LEFT, spaceAfter=2),
        headings=headings,
        toc_title=style("toc_title", fontName=bold, fontSize=18, leading=23,
                        textColor=ACCENT, spaceAfter=14, keepWithNext=1),
        toc_levels=toc_levels,
        table_caption=style("table_caption", fontName=bold, fontSize=9, leading=12,
                            spaceBefore=8, spaceAfter=4, keepWithNext=1),
        figure_caption=style("figure_caption", fontName=italic, fontSize=9, leading=12,
                             alignment=TA_CENTER, spaceBefore=4, spaceAfter=12),
        cells=cells,
        header_cells=header_cells,
        cover_org=style("cover_org", fontName=bold, fontSize=14, leading=18, textColor=GREY),
        cover_title=style("cover_title", fontName=bold, fontSize=28, leading=34,
                          textColor=ACCENT, spaceAfter=10),
        cover_subject=style("cover_subject", fontSize=14, leading=19, textColor=TEXT,
                            spaceAfter=8),
        cover_meta=style("cover_meta", fontSize=10, leading=14, textColor=GREY),
        cover_name=style("cover_name", fontName=bold, fontSize=10, leading=13),
        cover_role=style("cover_role", fontSize=9, leading=12, textColor=GREY),
    )
