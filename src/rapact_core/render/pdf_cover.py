"""The cover page of the PDF: logo, organisation, title, date, reference, and the signatories
at the foot, each tagged with its structure element (see :mod:`.pdf_tags`)."""

from __future__ import annotations

from reportlab.lib.units import cm
from reportlab.platypus import FrameBreak, Spacer, TableStyle

from .. import model as m
from ..formatting import format_long_date
from ..i18n import N_
from . import RenderOptions, fonts
from . import pdf_styles as S
from .pdf_flowables import DryTable, Para
from .pdf_images import scaled_image
from .pdf_marking import TableCallback
from .pdf_tags import Element
from .pdf_text import esc
from .pictures import resolve_picture


def cover_story(meta: m.Meta, st: S.Styles, options: RenderOptions, root: Element) -> list:
    """The cover's flowables; their structure elements are added under ``root``."""

    def tagged(flowable, role: str, **kw):
        flowable.tag = Element(role, root, **kw)
        return flowable

    story: list = []
    fw = S.frame_size(S.PORTRAIT)[0]
    if meta.logo:
        logo = resolve_picture(meta.logo, options.report_dir, N_("logo"))
        alt = f"Logo {meta.organisation}" if meta.organisation else "Logo"
        story.append(tagged(scaled_image(logo, 6 * cm, 3 * cm, h_align="LEFT"), "Figure", alt=alt))
        story.append(Spacer(1, 1.2 * cm))
    else:
        story.append(Spacer(1, 2 * cm))
    if meta.organisation:
        story.append(tagged(Para(esc(meta.organisation), st.cover_org), "P"))
    story.append(Spacer(1, 3.5 * cm))
    story.append(tagged(Para(esc(meta.title), st.cover_title), "P"))
    if meta.subject:
        story.append(tagged(Para(esc(meta.subject), st.cover_subject), "P"))
    story.append(Spacer(1, 0.6 * cm))
    if meta.date:
        story.append(tagged(Para(esc(format_long_date(meta.date, meta.locale)), st.cover_meta), "P"))
    if meta.reference:
        story.append(tagged(Para(esc(meta.reference), st.cover_meta), "P"))
    if meta.signatories:
        story.append(FrameBreak())
        per_row = min(3, len(meta.signatories))
        signatories = Element("L", root)  # laid out as a table, read as a list
        cells = []
        for s in meta.signatories:
            body = signatories.add("LI").add("LBody")
            name, role = Para(esc(s.name), st.cover_name), Para(esc(s.role), st.cover_role)
            name.tag = role.tag = body
            cells.append([name, role])
        rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
        rows[-1] += [""] * (per_row - len(rows[-1]))
        story.append(DryTable(rows, colWidths=[fw / per_row] * per_row, hAlign="LEFT",
                              renderCB=TableCallback(),  # its rule an artifact, its cells the list's
                              style=TableStyle([
                                  ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                                  ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("TOPPADDING", (0, 0), (-1, -1), 10),
                                  ("LINEABOVE", (0, 0), (-1, 0), 0.5, S.LIGHT_GREY),
                              ])))
    return story
