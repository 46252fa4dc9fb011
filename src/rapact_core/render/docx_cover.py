"""The cover page of the DOCX: logo, organisation, title, subject, reference, date, signatories."""

from __future__ import annotations

from .. import model as m
from ..formatting import format_long_date
from . import docx_xml as X


def cover_xml(meta: m.Meta, styles: dict[str, str], text_width: int, logo_run: str = "") -> str:
    """The cover's paragraphs; ``logo_run`` is the logo's picture run, if any."""
    parts = []
    if logo_run:
        parts.append(X.paragraph(logo_run, X.ppr(jc="center", spacing='<w:spacing w:before="600" w:after="0"/>')))
    parts.append(X.paragraph(
        X.run(meta.organisation, X.rpr(bold=True)),
        X.ppr(style=styles["subtitle"], spacing='<w:spacing w:before="1200" w:after="0"/>')))
    parts.append(X.paragraph(X.run(meta.title), X.ppr(style=styles["title"])))
    if meta.subject:
        X.check_text(meta.subject, "meta.subject")
        parts.append(X.paragraph(X.run(meta.subject), X.ppr(style=styles["subtitle"])))
    info = []
    grey = X.rpr(color="404040")
    if meta.reference:
        info.append(X.run(f"Référence\u00a0: {meta.reference}", grey))
    if meta.date:
        if info:
            info.append("<w:r><w:br/></w:r>")
        info.append(X.run(format_long_date(meta.date, meta.locale), grey))
    if info:
        parts.append(X.paragraph("".join(info), X.ppr(
            jc="center", spacing='<w:spacing w:before="480" w:after="0"/>')))
    if meta.signatories:
        parts.append(X.paragraph("", X.ppr(spacing='<w:spacing w:before="2400" w:after="0"/>')))
        parts.append(signatories_xml(meta.signatories, text_width))
    return "".join(parts)


def signatories_xml(signatories, text_width: int) -> str:
    """A borderless table, up to three signatories a row (role in italics, name in bold)."""
    per_row = min(len(signatories), 3)
    widths = [text_width // per_row] * per_row
    widths[-1] += text_width - sum(widths)
    nil = "".join(f'<w:{b} w:val="nil"/>' for b in ("top", "left", "bottom", "right", "insideH", "insideV"))
    rows = []
    for start in range(0, len(signatories), per_row):
        cells = []
        chunk = list(signatories[start:start + per_row])
        chunk += [None] * (per_row - len(chunk))
        for w, sig in zip(widths, chunk):
            if sig is None:
                content = "<w:p/>"
            else:
                X.check_text(sig.role, "meta.signatories")
                X.check_text(sig.name, "meta.signatories")
                p = X.ppr(jc="center", spacing='<w:spacing w:before="0" w:after="40"/>')
                content = (X.paragraph(X.run(sig.role, X.rpr(italic=True)), p)
                           + X.paragraph(X.run(sig.name, X.rpr(bold=True)), p))
            cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{content}</w:tc>')
        rows.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{text_width}" w:type="dxa"/><w:jc w:val="center"/>'
            f'<w:tblBorders>{nil}</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl><w:p/>")
