"""Build ``reference.docx``, the DOCX renderer's default template.

Run from the repository root::

    PYTHONPATH=src python src/rapact_core/render/templates/make_reference.py

It starts from python-docx's default template and replaces what is wrong for a
Belgian report: US Letter becomes A4 (the PDF's margins, text width 16.6 cm), ``en-US`` becomes
``fr-BE``, Calibri/Cambria theme fonts become DejaVu Sans (present on every
Linux with LibreOffice, and the font the charts use; the renderer embeds it,
see ``docx_fonts``). Styles, margins, the running header and the cover carry
the PDF's design (``render/pdf_styles.py``). The 160 table styles of
the default template are replaced by the few styles rapact uses (every one is
listed in :data:`STYLES`); numbering holds one bullet and one decimal
multi-level list, and the headings' multilevel list linked to Heading 1-6
(``docx_numbering``). python-docx's junk goes: author/comments, the thumbnail, the
Mac ``app.xml``, ``stylesWithEffects.xml`` and the bibliography customXml.

The output is deterministic (fixed dates and zip timestamps): running the
script twice gives the same bytes. A user template (``options.template``) may
lack some of these styles: the renderer copies the missing ones from this file.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
try:
    import rapact_core  # noqa: F401
except ImportError:  # run directly from a checkout without PYTHONPATH
    sys.path.insert(0, str(HERE.parents[2]))
from rapact_core.render import docx_numbering as N
from rapact_core.render import docx_xml as X
from rapact_core.render.docx_adapter import replace_part_blob
from rapact_core.render.docx_package import save_deterministic

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

FONT = "DejaVu Sans"
# the PDF's colours (render/pdf_styles.py)
ACCENT = "1F5F8B"  # the first colour of the chart palette
TEXT = "1A1A1A"
GREY = "6B6B6B"
LIGHT_GREY = "C8C8C8"
LINK = "1A56B0"
HEADER_FILL = "E4EDF4"
ZEBRA_FILL = "F6F8FA"
KEY_FIGURE_FILL = "EEF4F9"
LANG = "fr-BE"

# A4 in twips with the PDF's margins: 2.2 cm left, right and bottom, 2.5 cm at the top;
# text width 11906 - 2 * 1247 = 9412 twips = 16.6 cm.
PAGE_W, PAGE_H = 11906, 16838
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_SIDE = 1418, 1247, 1247
# the running header's baseline 1 cm above the text, the footer's 1.1 cm below it
HEADER_DIST, FOOTER_DIST = 680, 567
TEXT_W = PAGE_W - 2 * MARGIN_SIDE
# the cover's band: the PDF's, 1.375 cm to 2.25 cm from the top of the page
BAND_BEFORE, BAND_HEIGHT = 780 - HEADER_DIST, 496


def _p(style_id, name, body, *, based="Normal", next_=None, ui=None, qformat=True, default=False,
       hidden=False):
    attrs = ' w:default="1"' if default else ""
    parts = [f'<w:style w:type="paragraph"{attrs} w:styleId="{style_id}"><w:name w:val="{name}"/>']
    if based:
        parts.append(f'<w:basedOn w:val="{based}"/>')
    if next_:
        parts.append(f'<w:next w:val="{next_}"/>')
    if ui is not None:
        parts.append(f'<w:uiPriority w:val="{ui}"/>')
    if hidden:
        parts.append("<w:semiHidden/><w:unhideWhenUsed/>")
    if qformat:
        parts.append("<w:qFormat/>")
    parts.append(body)
    parts.append("</w:style>")
    return "".join(parts)


def _rpr(size, *, bold=False, italic=False, color=None):
    b = "<w:b/><w:bCs/>" if bold else ""
    i = "<w:i/><w:iCs/>" if italic else ""
    c = f'<w:color w:val="{color}"/>' if color else ""
    return f'<w:rPr>{b}{i}{c}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'


def _heading(level, size, before, after, *, italic=False, bold=True, color=TEXT):
    # sizes and spacing of the PDF's h1-h6; Word numbers them (docx_numbering)
    return _p(
        f"Heading{level}", f"heading {level}",
        f'<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="{after}" '
        f'w:line="240" w:lineRule="auto"/><w:jc w:val="left"/><w:outlineLvl w:val="{level - 1}"/></w:pPr>'
        + _rpr(size, bold=bold, italic=italic, color=color),
        next_="Normal", ui=9,
    )


def _toc(level):
    bold = "<w:b/><w:bCs/>" if level == 1 else ""
    size = 21 if level == 1 else 20 if level == 2 else 19
    before = 120 if level == 1 else 0
    return _p(
        f"TOC{level}", f"toc {level}",
        f'<w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_W}"/></w:tabs>'
        f'<w:spacing w:before="{before}" w:after="20"/><w:ind w:left="{397 * (level - 1)}" w:right="794"/>'
        f'<w:jc w:val="left"/></w:pPr><w:rPr>{bold}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>',
        next_="Normal", ui=39, qformat=False, hidden=True,
    )


def _list(style_id, name, num_id, ilvl):
    return _p(
        style_id, name,
        f'<w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
        '<w:spacing w:after="40"/><w:jc w:val="left"/></w:pPr>',
        ui=99, qformat=False,
    )


RULE = f'w:val="single" w:sz="2" w:space="0" w:color="{LIGHT_GREY}"'
NONE = 'w:val="nil"'

STYLES = [
    # defaults: the PDF's body text, 10 pt on 14 pt, justified
    _p("Normal", "Normal", '<w:pPr><w:jc w:val="both"/></w:pPr>', based=None, default=True),
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
    "<w:unhideWhenUsed/></w:style>",
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
    '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
    '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
    '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
    # headings: level 1 chapters start on a new page, the renderer inserts the break
    _heading(1, 36, 0, 280, color=ACCENT),
    _heading(2, 28, 320, 120, color=ACCENT),
    _heading(3, 24, 240, 80),
    _heading(4, 21, 200, 60),
    _heading(5, 20, 160, 40, italic=True),
    _heading(6, 20, 160, 40, italic=True, bold=False),
    # cover: a band across the top of the page (in the cover's header), the organisation,
    # the title and subject, the details, the signatories at the foot
    _p("CoverBand", "Cover Band",
       f'<w:pPr><w:shd w:val="clear" w:color="auto" w:fill="{ACCENT}"/>'
       f'<w:spacing w:before="{BAND_BEFORE}" w:after="0" w:line="{BAND_HEIGHT}" w:lineRule="exact"/>'
       f'<w:ind w:left="-{MARGIN_SIDE}" w:right="-{MARGIN_SIDE}"/></w:pPr>'
       '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>', ui=12),
    _p("CoverOrganisation", "Cover Organisation",
       '<w:pPr><w:spacing w:before="1134" w:after="0"/><w:jc w:val="left"/></w:pPr>'
       + _rpr(28, bold=True, color=GREY), next_="Normal", ui=12),
    _p("Title", "Title",
       '<w:pPr><w:spacing w:before="1984" w:after="200" w:line="250" w:lineRule="auto"/>'
       '<w:jc w:val="left"/></w:pPr>' + _rpr(56, bold=True, color=ACCENT).replace(
           "<w:sz ", '<w:kern w:val="28"/><w:sz '), next_="Normal", ui=10),
    _p("Subtitle", "Subtitle",
       '<w:pPr><w:spacing w:after="160" w:line="270" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr>'
       + _rpr(28, color=TEXT), next_="Normal", ui=11),
    _p("CoverDetails", "Cover Details",
       '<w:pPr><w:spacing w:before="340" w:after="0"/><w:jc w:val="left"/></w:pPr>' + _rpr(20, color=GREY),
       next_="Normal", ui=12),
    _p("SignatoryName", "Signatory Name",
       '<w:pPr><w:spacing w:before="200" w:after="0"/><w:jc w:val="left"/></w:pPr>' + _rpr(20, bold=True),
       next_="SignatoryRole", ui=12),
    _p("SignatoryRole", "Signatory Role",
       '<w:pPr><w:spacing w:after="0"/><w:jc w:val="left"/></w:pPr>' + _rpr(18, color=GREY), ui=12),
    # captions: "Tableau N : …" above tables in bold (a figure's is set in italics, centred)
    _p("Caption", "caption",
       '<w:pPr><w:spacing w:before="160" w:after="80" w:line="240" w:lineRule="auto"/>'
       '<w:jc w:val="left"/></w:pPr>' + _rpr(18, bold=True, color=TEXT),
       next_="Normal", ui=35),
    # table of contents: its title is no heading (outline level 9: body text), so
    # the contents never list it
    _p("TOCHeading", "TOC Heading",
       '<w:pPr><w:keepNext/><w:spacing w:before="0" w:after="280" w:line="240" w:lineRule="auto"/>'
       '<w:jc w:val="left"/><w:outlineLvl w:val="9"/></w:pPr>' + _rpr(36, bold=True, color=ACCENT),
       next_="Normal", ui=39),
    *[_toc(level) for level in range(1, 7)],
    # lists (numId 1 = bullets, 2 = decimals; the renderer sets numPr on each item)
    _list("ListBullet", "List Bullet", 1, 0),
    _list("ListBullet2", "List Bullet 2", 1, 1),
    _list("ListBullet3", "List Bullet 3", 1, 2),
    _list("ListNumber", "List Number", 2, 0),
    _list("ListNumber2", "List Number 2", 2, 1),
    _list("ListNumber3", "List Number 3", 2, 2),
    # paragraph styles of the model (ParagraphStyle)
    _p("Quote", "Quote",
       '<w:pPr><w:spacing w:before="80" w:after="160"/><w:ind w:left="567" w:right="567"/></w:pPr>'
       '<w:rPr><w:i/><w:iCs/><w:color w:val="3D3D3D"/></w:rPr>',
       next_="Normal", ui=29),
    _p("Lead", "Lead",
       '<w:pPr><w:spacing w:after="160" w:line="276" w:lineRule="auto"/></w:pPr>' + _rpr(23, color="2B2B2B"),
       next_="Normal", ui=30),
    _p("Note", "Note",
       '<w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr>'
       + _rpr(17, color=GREY), next_="Normal", ui=31),
    _p("KeyFigure", "Key Figure",
       f'<w:pPr><w:keepNext/><w:pBdr><w:top w:val="single" w:sz="4" w:space="7" w:color="{KEY_FIGURE_FILL}"/>'
       f'<w:bottom w:val="single" w:sz="4" w:space="7" w:color="{KEY_FIGURE_FILL}"/></w:pBdr>'
       f'<w:shd w:val="clear" w:color="auto" w:fill="{KEY_FIGURE_FILL}"/>'
       '<w:spacing w:before="240" w:after="280" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr>'
       + _rpr(30, bold=True, color=ACCENT), next_="Normal", ui=32),
    # running header: the organisation at the left, the reference at the right, a rule under them
    _p("Header", "header",
       f'<w:pPr><w:pBdr><w:bottom w:val="single" w:sz="3" w:space="2" w:color="{LIGHT_GREY}"/></w:pBdr>'
       f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_W}"/></w:tabs>'
       '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr>'
       + _rpr(16, color=GREY), ui=99, qformat=False, hidden=True),
    _p("Footer", "footer",
       f'<w:pPr><w:tabs><w:tab w:val="center" w:pos="{TEXT_W // 2}"/><w:tab w:val="right" w:pos="{TEXT_W}"/>'
       '</w:tabs><w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr>'
       + _rpr(18, color=GREY), ui=99, qformat=False, hidden=True),
    # links
    '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>'
    '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
    f'<w:rPr><w:color w:val="{LINK}"/><w:u w:val="single"/></w:rPr></w:style>',
    # data tables, as in the PDF: light rules between rows, no vertical rules, every other
    # row lightly shaded, 8.5 pt, cells padded 2.5 pt by 4 pt; the renderer shades the
    # column labels (with a rule in the accent colour under them) and the totals
    '<w:style w:type="table" w:styleId="rapactTable"><w:name w:val="rapact Table"/>'
    '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>'
    '<w:pPr><w:spacing w:before="0" w:after="0" w:line="252" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr>'
    '<w:rPr><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr>'
    '<w:tblPr><w:tblStyleRowBandSize w:val="1"/><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>'
    f"<w:top {NONE}/><w:left {NONE}/><w:bottom {RULE}/><w:right {NONE}/>"
    f"<w:insideH {RULE}/><w:insideV {NONE}/></w:tblBorders>"
    '<w:tblCellMar><w:top w:w="50" w:type="dxa"/><w:left w:w="80" w:type="dxa"/>'
    '<w:bottom w:w="50" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr>'
    '<w:tblStylePr w:type="band2Horz"><w:tblPr/><w:tcPr>'
    f'<w:shd w:val="clear" w:color="auto" w:fill="{ZEBRA_FILL}"/></w:tcPr></w:tblStylePr></w:style>',
]

DOC_DEFAULTS = (
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    f'<w:rFonts w:ascii="{FONT}" w:eastAsia="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/>'
    f'<w:color w:val="{TEXT}"/><w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="{LANG}" w:eastAsia="{LANG}" w:bidi="ar-SA"/>'
    "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
    '<w:spacing w:after="120" w:line="288" w:lineRule="auto"/>'
    "</w:pPr></w:pPrDefault></w:docDefaults>"
)

SECT_PR = (
    f'<w:sectPr><w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
    f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_SIDE}" w:bottom="{MARGIN_BOTTOM}" '
    f'w:left="{MARGIN_SIDE}" w:header="{HEADER_DIST}" w:footer="{FOOTER_DIST}" w:gutter="0"/>'
    '<w:cols w:space="708"/><w:docGrid w:linePitch="360"/></w:sectPr>'
)

FONT_TABLE = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    # DejaVu Sans's panose: Word substitutes a sans-serif font where it is missing
    f'<w:font w:name="{FONT}"><w:panose1 w:val="020B0603030804020204"/><w:charset w:val="00"/>'
    '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
    '<w:font w:name="Symbol"><w:panose1 w:val="05050102010706020507"/><w:charset w:val="02"/>'
    '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'
    "</w:fonts>"
).encode()

APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Template>reference.docx</Template><Application>rapact</Application><DocSecurity>0</DocSecurity>"
    "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
).encode()


def build() -> bytes:
    doc = docx.Document()
    package = doc.part.package

    # -- drop junk parts: thumbnail, stylesWithEffects, customXml (unreferenced parts are not saved)
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rid)
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype == RT.CUSTOM_XML or rel.reltype.endswith("/stylesWithEffects"):
            doc.part.rels.pop(rid)

    # -- app.xml, font table, theme fonts
    for rel in package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            replace_part_blob(rel.target_part, APP_XML)
    for rel in doc.part.rels.values():
        if rel.reltype == RT.FONT_TABLE:
            replace_part_blob(rel.target_part, FONT_TABLE)
        elif rel.reltype == RT.THEME:
            blob = rel.target_part.blob.decode("utf-8")
            blob = re.sub(r'<a:latin typeface="[^"]*"', f'<a:latin typeface="{FONT}"', blob)
            replace_part_blob(rel.target_part, blob.encode("utf-8"))

    # -- styles: keep latentStyles, replace docDefaults and every style
    styles = doc.styles.element
    for child in list(styles):
        if child.tag != qn("w:latentStyles"):
            styles.remove(child)
    latent = styles.find(qn("w:latentStyles"))
    for el in X.parse_fragment(DOC_DEFAULTS):
        if latent is not None:
            latent.addprevious(el)
        else:
            styles.insert(0, el)
    for xml in STYLES:
        styles.append(X.parse_element(xml))

    # -- numbering: one bullet and one decimal multi-level list (numId 1 and 2)
    numbering = doc.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    bullets = N.ensure_abstract_num(numbering, N.BULLET_NAME)
    decimals = N.ensure_abstract_num(numbering, N.DECIMAL_NAME)
    N.add_num(numbering, bullets, 1)
    N.add_num(numbering, decimals, 2)
    # headings: a multilevel list linked to Heading 1-6 (numId 3)
    N.link_heading_numbering(numbering, styles, [f"Heading{i}" for i in range(1, N.HEADING_LEVELS + 1)])

    # -- settings: French separators, no preview picture, no rsids
    settings = doc.settings.element
    for child in list(settings):
        local = child.tag.split("}")[1] if "}" in child.tag else child.tag
        if local in ("savePreviewPicture", "rsids", "proofState"):
            settings.remove(child)
        elif local == "themeFontLang":
            child.set(qn("w:val"), LANG)
            for attr in list(child.attrib):
                if attr != qn("w:val"):
                    del child.attrib[attr]
        elif local == "decimalSymbol":
            child.set(qn("w:val"), ",")
        elif local == "listSeparator":
            child.set(qn("w:val"), ";")

    # -- page: A4 portrait, the PDF's margins
    body = doc.element.body
    for child in list(body):
        body.remove(child)
    body.append(X.parse_element(SECT_PR))

    # -- core properties: empty and fixed
    cp = doc.core_properties
    cp.author = ""
    cp.comments = ""
    cp.title = ""
    cp.subject = ""
    cp.keywords = ""
    cp.category = ""
    cp.last_modified_by = ""
    cp.language = LANG
    cp.revision = 1
    cp.created = dt.datetime(2000, 1, 1)
    cp.modified = dt.datetime(2000, 1, 1)

    return save_deterministic(doc)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    target = Path(argv[0]) if argv else HERE / "reference.docx"
    target.write_bytes(build())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
