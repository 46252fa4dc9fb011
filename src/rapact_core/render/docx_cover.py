"""The cover page of the DOCX, laid out as the PDF's: a band across the top of the page
(in the cover's own header, see ``docx_setup``), the organisation, the title and subject,
the date and reference, and the signatories at the foot of the page.

Every paragraph has a style of the template ("Cover Organisation", "Title",
"Subtitle", "Cover Details", "Signatory Name", "Signatory Role"), so an
organisation's template restyles the cover; the shipped reference gives them the
PDF's look.
"""

from __future__ import annotations

from .. import model as m
from ..formatting import format_long_date
from . import docx_xml as X

RULE = '<w:top w:val="single" w:sz="4" w:space="0" w:color="C8C8C8"/>'
#: the signatories start this far above the foot of the text area, as in the PDF (6 cm)
SIGNATORIES_BAND = 3402
# what the shipped reference's cover styles take, in twips: (space before, font size in
# points, line spacing, space after); DejaVu Sans's line is 1.164 em
_ORG, _TITLE, _SUBJECT, _DETAILS = (1134, 14, 1.0, 0), (1984, 28, 250 / 240, 200), \
    (0, 14, 270 / 240, 160), (340, 10, 1.2, 0)


def _lines(text: str, points: float, width: int, bold: bool = False) -> int:
    """Lines ``text`` takes at ``points`` in a ``width`` twips wide column (a generous
    estimate: DejaVu Sans averages 0.52 em a character, 0.58 em in bold)."""
    em = (0.62 if bold else 0.56) * points * 20
    lines, used = 1, 0.0
    for word in text.split():
        w = len(word) * em
        if used and used + em + w > width:
            lines, used = lines + 1, w
        else:
            used += (em if used else 0) + w
    return lines


def _height(spec, lines: int) -> int:
    before, points, spacing, after = spec
    return round(before + lines * points * 20 * 1.164 * spacing + after)


def signatories_gap(meta: m.Meta, text_width: int, text_height: int, logo_height: int = 0) -> int:
    """The space under the cover's details that puts the signatories near the foot of the
    page, as the PDF does, from an estimate of what the cover's text takes above them."""
    used = logo_height + (680 - _ORG[0] if logo_height else 0)
    used += _height(_ORG, _lines(meta.organisation, 14, text_width, bold=True)) if meta.organisation else 0
    used += _height(_TITLE, _lines(meta.title, 28, text_width, bold=True))
    used += _height(_SUBJECT, _lines(meta.subject, 14, text_width)) if meta.subject else 0
    used += _height(_DETAILS, int(bool(meta.date)) + int(bool(meta.reference)))
    return max(240, text_height - SIGNATORIES_BAND - used)


def cover_xml(meta: m.Meta, styles: dict[str, str], text_width: int, text_height: int,
              logo_run: str = "", logo_height: int = 0) -> str:
    """The cover's paragraphs; ``logo_run`` is the logo's picture run, if any
    (``logo_height`` twips high)."""
    parts = []
    if logo_run:
        parts.append(X.paragraph(logo_run, X.ppr(jc="left", spacing='<w:spacing w:before="0" w:after="0"/>')))
    if meta.organisation:
        # below a logo, the organisation comes 1.2 cm lower, as in the PDF
        spacing = '<w:spacing w:before="680"/>' if logo_run else ""
        parts.append(X.paragraph(X.run(meta.organisation), X.ppr(style=styles["cover_org"], spacing=spacing)))
    parts.append(X.paragraph(X.run(meta.title), X.ppr(style=styles["title"])))
    if meta.subject:
        X.check_text(meta.subject, "meta.subject")
        parts.append(X.paragraph(X.run(meta.subject), X.ppr(style=styles["subtitle"])))
    info = []
    if meta.date:
        info.append(X.run(format_long_date(meta.date, meta.locale)))
    if meta.reference:
        if info:
            info.append("<w:r><w:br/></w:r>")
        info.append(X.run(meta.reference))
    gap = signatories_gap(meta, text_width, text_height, logo_height) if meta.signatories else 0
    if info:
        spacing = f'<w:spacing w:after="{gap}"/>' if gap else ""
        parts.append(X.paragraph("".join(info), X.ppr(style=styles["cover_details"], spacing=spacing)))
    elif gap:  # the subject (or title) paragraph takes the space
        last = parts[-1]
        parts[-1] = last.replace("</w:pPr>", f'<w:spacing w:after="{gap}"/></w:pPr>', 1) \
            if "<w:spacing " not in last.split("</w:pPr>")[0] else last
    if meta.signatories:
        parts.append(signatories_xml(meta.signatories, text_width, styles))
    return "".join(parts)


def signatories_xml(signatories, text_width: int, styles: dict[str, str]) -> str:
    """A table at the foot of the cover, up to three signatories a row (name in bold, role
    below), under a light rule; no borders otherwise."""
    per_row = min(len(signatories), 3)
    widths = [text_width // per_row] * per_row
    widths[-1] += text_width - sum(widths)
    nil = "".join(f'<w:{b} w:val="nil"/>' for b in ("left", "bottom", "right", "insideH", "insideV"))
    rows = []
    for start in range(0, len(signatories), per_row):
        cells = []
        chunk = list(signatories[start:start + per_row])
        chunk += [None] * (per_row - len(chunk))
        for w, sig in zip(widths, chunk):
            if sig is None:
                content = X.paragraph("", X.ppr(style=styles["signatory_role"]))
            else:
                X.check_text(sig.role, "meta.signatories")
                X.check_text(sig.name, "meta.signatories")
                content = (X.paragraph(X.run(sig.name), X.ppr(style=styles["signatory_name"]))
                           + X.paragraph(X.run(sig.role), X.ppr(style=styles["signatory_role"])))
            cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{content}</w:tc>')
        rows.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (f"<w:tbl><w:tblPr><w:tblW w:w=\"{text_width}\" w:type=\"dxa\"/>"
            f"<w:tblBorders>{RULE}{nil}</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
            '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="113" w:type="dxa"/></w:tblCellMar>'
            '<w:tblCaption w:val="Signataires"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>")
