"""The DOCX package around the story: template, styles, settings, page furniture, core properties.

The output is based on a reference template (``options.template`` or the
shipped ``templates/reference.docx``, built by ``templates/make_reference.py``):
its styles, page size, margins and numbering win; its body is discarded.
Styles rapact needs and the template lacks are copied from the shipped
reference, so any Word template works.
"""

from __future__ import annotations

import copy
import datetime as _dt
import zipfile
from functools import lru_cache
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from .. import model as m
from ..errors import display_path, error
from ..i18n import _
from . import docx_xml as X
from .docx_adapter import header_footer_root

TEMPLATE = Path(__file__).resolve().parent / "templates" / "reference.docx"
FIXED_DATE = _dt.date(2000, 1, 1)

# Semantic key -> style name as written in styles.xml (w:name, matched case-insensitively).
STYLE_NAMES = {
    "normal": "Normal",
    **{f"h{i}": f"heading {i}" for i in range(1, 7)},
    "title": "Title",
    "subtitle": "Subtitle",
    "caption": "caption",
    "toc_heading": "TOC Heading",
    **{f"toc{i}": f"toc {i}" for i in range(1, 7)},
    "bullet1": "List Bullet",
    "bullet2": "List Bullet 2",
    "bullet3": "List Bullet 3",
    "number1": "List Number",
    "number2": "List Number 2",
    "number3": "List Number 3",
    "quote": "Quote",
    "lead": "Lead",
    "note": "Note",
    "key_figure": "Key Figure",
    "header": "header",
    "footer": "footer",
    "hyperlink": "Hyperlink",
    "table": "rapact Table",
    "cover_band": "Cover Band",
    "cover_org": "Cover Organisation",
    "cover_details": "Cover Details",
    "signatory_name": "Signatory Name",
    "signatory_role": "Signatory Role",
}

# CT_Settings is a sequence (ECMA-376 Part 1, §17.15.1.78): its children in schema order
SETTINGS_ORDER = tuple(qn(f"w:{n}") for n in (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges",
    "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter", "gutterAtTop", "hideSpellingErrors",
    "hideGrammaticalErrors", "activeWritingStyle", "proofState", "formsDesign", "attachedTemplate",
    "linkStyles", "stylePaneFormatFilter", "stylePaneSortMethod", "documentType", "mailMerge",
    "revisionView", "trackRevisions", "doNotTrackMoves", "doNotTrackFormatting", "documentProtection",
    "autoFormatOverride", "styleLockTheme", "styleLockQFSet", "defaultTabStop", "autoHyphenation",
    "consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps", "showEnvelope", "summaryLength",
    "clickAndTypeStyle", "defaultTableStyle", "evenAndOddHeaders", "bookFoldRevPrinting",
    "bookFoldPrinting", "bookFoldPrintingSheets", "drawingGridHorizontalSpacing",
    "drawingGridVerticalSpacing", "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin", "drawingGridHorizontalOrigin", "drawingGridVerticalOrigin",
    "doNotShadeFormData", "noPunctuationKerning", "characterSpacingControl", "printTwoOnOne",
    "strictFirstAndLastChars", "noLineBreaksAfter", "noLineBreaksBefore", "savePreviewPicture",
    "doNotValidateAgainstSchema", "saveInvalidXml", "ignoreMixedContent", "alwaysShowPlaceholderText",
    "doNotDemarcateInvalidXml", "saveXmlDataOnly", "useXSLTWhenSaving", "saveThroughXslt", "showXMLTags",
    "alwaysMergeEmptyNamespace", "updateFields", "hdrShapeDefaults", "footnotePr", "endnotePr", "compat",
    "docVars", "rsids",
)) + ("{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr",) + tuple(qn(f"w:{n}") for n in (
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
    "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
))
_RANK = {tag: i for i, tag in enumerate(SETTINGS_ORDER)}


def locale_tag(locale: str) -> str:
    """``fr_BE`` as Word writes it: ``fr-BE``."""
    return (locale or "fr_BE").replace("_", "-")


def open_template(template: Path | None):
    """The python-docx Document of ``template``, or of the shipped reference."""
    import docx

    path = Path(template) if template else TEMPLATE
    if not path.is_file():
        raise error(_("DOCX template not found: {path}").format(path=display_path(path)), file=display_path(path))
    return docx.Document(str(path))


# ---------------------------------------------------------------- styles


@lru_cache(maxsize=1)
def _reference_styles():
    """The ``w:style`` elements of the shipped reference, by lower-case name."""
    from lxml import etree

    with zipfile.ZipFile(TEMPLATE) as z:
        root = etree.fromstring(z.read("word/styles.xml"))
    out = {}
    for st in root.iter(f"{{{X.W_NS}}}style"):
        name = st.find(f"{{{X.W_NS}}}name")
        if name is not None:
            out[name.get(f"{{{X.W_NS}}}val").lower()] = st
    return out


def ensure_styles(document) -> dict[str, str]:
    """Map the keys of :data:`STYLE_NAMES` to style ids, copying missing styles from the reference."""
    root = document.styles.element
    by_name: dict[str, str] = {}
    ids = set()
    for st in root.findall(qn("w:style")):
        name = st.find(qn("w:name"))
        sid = st.get(qn("w:styleId"))
        ids.add(sid)
        if name is not None:
            by_name.setdefault(name.get(qn("w:val")).lower(), sid)
    out = {}
    for key, name in STYLE_NAMES.items():
        sid = by_name.get(name.lower())
        if sid is None:
            ref = _reference_styles().get(name.lower())
            if ref is None:  # pragma: no cover - the reference defines them all
                raise ValueError(f"style {name!r} missing from the reference template")
            el = copy.deepcopy(ref)
            sid = el.get(qn("w:styleId"))
            if sid in ids:
                sid = f"rapact{sid}"
                el.set(qn("w:styleId"), sid)
            root.append(el)
            ids.add(sid)
            by_name[name.lower()] = sid
        out[key] = sid
    return out


def space_before(styles_root):
    """``f(style_id)``: the space above a paragraph of that style in twips (None: the
    default paragraph style), following ``w:basedOn`` down to the document defaults."""
    by_id = {st.get(qn("w:styleId")): st for st in styles_root.findall(qn("w:style"))}
    default = next((sid for sid, st in by_id.items()
                    if st.get(qn("w:type")) == "paragraph" and st.get(qn("w:default")) in ("1", "true", "on")), None)
    base = styles_root.find(f'{qn("w:docDefaults")}/{qn("w:pPrDefault")}/{qn("w:pPr")}/{qn("w:spacing")}')
    fallback = int(base.get(qn("w:before"), 0)) if base is not None and base.get(qn("w:before"), "").isdigit() else 0
    cache: dict = {}

    def before(style_id: str | None) -> int:
        sid = style_id or default
        if sid in cache:
            return cache[sid]
        seen, found, cur = set(), None, sid
        while cur in by_id and cur not in seen and found is None:
            seen.add(cur)
            spacing = by_id[cur].find(f'{qn("w:pPr")}/{qn("w:spacing")}')
            value = spacing.get(qn("w:before")) if spacing is not None else None
            if value is not None and value.lstrip("-").isdigit():
                found = int(value)
            based = by_id[cur].find(qn("w:basedOn"))
            cur = based.get(qn("w:val")) if based is not None else None
        cache[sid] = fallback if found is None else found
        return cache[sid]

    return before


# ---------------------------------------------------------------- settings


def ensure_setting(settings, name: str, value: str | None = None) -> None:
    """``<w:name w:val="value"/>`` in the settings, at its schema position (existing: set)."""
    tag = qn(f"w:{name}")
    el = settings.find(tag)
    if el is None:
        el = OxmlElement(f"w:{name}")
        rank = _RANK[tag]
        later = next((c for c in settings if isinstance(c.tag, str)
                      and _RANK.get(c.tag, -1 if c.tag.startswith("{" + X.W_NS) else len(_RANK)) > rank), None)
        if later is not None:
            later.addprevious(el)
        else:
            settings.append(el)
    if value is not None:
        el.set(qn("w:val"), value)


def ensure_update_fields(settings) -> None:
    """Put ``<w:updateFields w:val="true"/>`` at its schema position."""
    ensure_setting(settings, "updateFields", "true")


def setup_settings(document, locale: str) -> None:
    """Fields updated on open (the table of contents), no stale styles copy, the document's language."""
    ensure_update_fields(document.settings.element)
    # Word 2010's stylesWithEffects.xml duplicates styles.xml; it is stale as soon
    # as styles are added, and Word rebuilds it: drop it
    part = document.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            part.rels.pop(rid)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        rpr = rpr_default.find(qn("w:rPr")) if rpr_default is not None else None
        if rpr is not None:
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = X.parse_element("<w:lang/>")
                rpr.append(lang)
            lang.set(qn("w:val"), locale_tag(locale))


def first_free_docpr(document) -> int:
    """The first drawing id (``wp:docPr``) the template's headers and footers leave free."""
    found = 1
    for rel in document.part.rels.values():
        if not rel.is_external and rel.reltype in (RT.HEADER, RT.FOOTER):
            for pr in rel.target_part.element.iter(qn("wp:docPr")):
                found = max(found, int(pr.get("id", 0)) + 1)
    return found


# ---------------------------------------------------------------- page furniture


def setup_page_furniture(document, meta: m.Meta, styles: dict[str, str], widths: tuple[int, int]) -> str:
    """The running header (organisation at the left, reference at the right, as in the
    PDF), a footer "- N -"; on the cover (``titlePg``) the band across the page instead.

    ``widths``: the text width of portrait and landscape pages, in twips. Returns the
    relationship id of the header for landscape pages (see ``docx_sections``).
    """
    X.check_text(meta.reference, "meta.reference")
    X.check_text(meta.organisation, "meta.organisation")
    section = document.sections[0]
    section.different_first_page_header_footer = True
    # an absolute tab to the right margin (Word), which LibreOffice reads as the next tab
    # stop: one at the right margin, in a header of its own for landscape pages
    right = '<w:r><w:ptab w:relativeTo="margin" w:alignment="right" w:leader="none"/></w:r>'
    text = X.run(meta.organisation) + (right + X.run(meta.reference) if meta.reference else "")
    portrait, landscape = widths

    def header(tabs: str) -> str:
        return X.paragraph(text, X.ppr(style=styles["header"]).replace("</w:pPr>", f"<w:tabs>{tabs}</w:tabs></w:pPr>"))

    header_xml = header(f'<w:tab w:val="right" w:pos="{portrait}"/>')
    landscape_xml = header(f'<w:tab w:val="clear" w:pos="{portrait}"/><w:tab w:val="right" w:pos="{landscape}"/>')
    footer_xml = X.paragraph(
        X.run("- ") + X.field(" PAGE ", X.run("1")) + X.run(" -"),
        X.ppr(style=styles["footer"], jc="center"))
    band = X.paragraph("", X.ppr(style=styles["cover_band"]))
    empty = X.paragraph("", X.ppr(style=styles["footer"]))
    furniture = [(section.header, header_xml), (section.footer, footer_xml),
                 (section.first_page_header, band), (section.first_page_footer, empty)]
    if document.settings.odd_and_even_pages_header_footer:
        furniture += [(section.even_page_header, header_xml), (section.even_page_footer, footer_xml)]
    for hf, xml in furniture:
        hf.is_linked_to_previous = False
        el = header_footer_root(hf)
        for child in list(el):
            el.remove(child)
        for child in X.parse_fragment(xml):
            el.append(child)
    part, rid = document.part.add_header_part()
    for child in list(part.element):
        part.element.remove(child)
    for child in X.parse_fragment(landscape_xml):
        part.element.append(child)
    return rid


def set_core_properties(document, meta: m.Meta) -> None:
    """Title, author, language and fixed dates: the same model gives the same file."""
    for name in ("title", "organisation", "subject"):
        X.check_text(getattr(meta, name) or "", f"meta.{name}")
    cp = document.core_properties
    when = _dt.datetime.combine(meta.date or FIXED_DATE, _dt.time())
    cp.title = meta.title
    cp.author = meta.organisation
    cp.subject = meta.subject or ""
    cp.last_modified_by = meta.organisation
    cp.language = locale_tag(meta.locale)
    cp.created = when
    cp.modified = when
    cp.revision = 1
    cp.comments = ""
    cp.keywords = ""
    cp.category = ""
