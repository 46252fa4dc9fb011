"""Low-level WordprocessingML helpers for the DOCX renderer.

The renderer writes body content as XML *strings* and parses them in large
chunks with :func:`docx.oxml.parse_xml`: python-docx's per-element API
(``add_paragraph``, ``add_row``, ``row.cells``) is quadratic on large bodies and
tables (see the performance notes). Everything here returns ``str`` fragments
that use the ``w:``/``r:``/``wp:``/``a:``/``pic:`` prefixes declared by
:data:`NSDECLS`; element order inside ``pPr``, ``rPr``, ``tcPr`` and ``tblPr``
follows the OOXML schema sequences (Word is strict about it).
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterable, Iterator
import re
import zipfile

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECLS = nsdecls("w", "r", "wp", "a", "pic")

#: Characters XML 1.0 forbids (and lone surrogates, which cannot be encoded).
BAD_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

TWIPS_PER_EMU = 1 / 635  # 1 twip = 635 EMU
EMU_PER_TWIP = 635

# ---------------------------------------------------------------- text


def check_text(text: str, where: str) -> None:
    """Raise ValueError when ``text`` holds a character XML cannot carry."""
    bad = BAD_XML_CHARS.search(text)
    if bad is not None:
        raise ValueError(
            f"{where}: text contains the character U+{ord(bad.group()):04X}, which a DOCX "
            f"file cannot hold (control character): {text[:60]!r}"
        )


def esc(text: str) -> str:
    """Escape text for an XML text node (``&``, ``<``, ``>``).

    What ``xml.sax.saxutils.escape`` does; that module imports urllib.request
    and http.client, ~10 ms of every DOCX build's start-up.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc_attr(text: str) -> str:
    """Escape text for a double-quoted XML attribute."""
    return (esc(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
            .replace("\t", "&#9;"))


def rpr(*, style: str | None = None, bold: bool = False, italic: bool = False,
        color: str | None = None, size: int | None = None, underline: bool = False,
        extra: str = "") -> str:
    """A ``w:rPr`` in schema order, or ``""`` when empty. ``size`` in half-points."""
    parts = []
    if style:
        parts.append(f'<w:rStyle w:val="{esc_attr(style)}"/>')
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic:
        parts.append("<w:i/><w:iCs/>")
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if size:
        parts.append(f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')
    if underline:
        parts.append('<w:u w:val="single"/>')
    parts.append(extra)
    body = "".join(parts)
    return f"<w:rPr>{body}</w:rPr>" if body else ""


def t(text: str) -> str:
    """A ``w:t`` element; ``xml:space="preserve"`` only where spaces would be lost."""
    if text[0] == " " or text[-1] == " " or "  " in text:
        return f'<w:t xml:space="preserve">{esc(text)}</w:t>'
    return f"<w:t>{esc(text)}</w:t>"


def run(text: str, run_props: str = "") -> str:
    """One or more ``w:r`` for ``text``: newlines become ``w:br``, tabs ``w:tab``.

    ``text`` must already be checked with :func:`check_text`.
    """
    if "\n" not in text and "\t" not in text and "\r" not in text:
        if not text:
            return ""
        return f"<w:r>{run_props}{t(text)}</w:r>"
    pieces = []
    for i, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        if i:
            pieces.append("<w:br/>")
        for j, chunk in enumerate(line.split("\t")):
            if j:
                pieces.append("<w:tab/>")
            if chunk:
                pieces.append(t(chunk))
    return f"<w:r>{run_props}{''.join(pieces)}</w:r>"


def ppr(*, style: str | None = None, keep_next: bool = False, keep_lines: bool = False,
        page_break_before: bool = False, num: tuple[int, int] | None = None,
        spacing: str = "", ind: str = "", jc: str | None = None, outline: int | None = None,
        run_props: str = "", sect_pr: str = "") -> str:
    """A ``w:pPr`` in schema order, or ``""`` when empty. ``num`` is (numId, ilvl)."""
    parts = []
    if style:
        parts.append(f'<w:pStyle w:val="{esc_attr(style)}"/>')
    if keep_next:
        parts.append("<w:keepNext/>")
    if keep_lines:
        parts.append("<w:keepLines/>")
    if page_break_before:
        parts.append("<w:pageBreakBefore/>")
    if num is not None:
        parts.append(f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>')
    parts.append(spacing)
    parts.append(ind)
    if jc:
        parts.append(f'<w:jc w:val="{jc}"/>')
    if outline is not None:
        parts.append(f'<w:outlineLvl w:val="{outline}"/>')
    parts.append(run_props)
    parts.append(sect_pr)
    body = "".join(parts)
    return f"<w:pPr>{body}</w:pPr>" if body else ""


def paragraph(content: str = "", props: str = "") -> str:
    return f"<w:p>{props}{content}</w:p>"


def page_break_paragraph() -> str:
    """A paragraph holding only a page break (used before a table)."""
    return '<w:p><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr><w:r><w:br w:type="page"/></w:r></w:p>'


# ---------------------------------------------------------------- fields


def field(instr: str, result_runs: str, run_props: str = "") -> str:
    """A complex field in one paragraph: begin / instr / separate / result / end."""
    return (
        f'<w:r>{run_props}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{run_props}<w:instrText xml:space="preserve">{esc(instr)}</w:instrText></w:r>'
        f'<w:r>{run_props}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"{result_runs}"
        f'<w:r>{run_props}<w:fldChar w:fldCharType="end"/></w:r>'
    )


def fld_begin(instr: str, dirty: bool = False) -> str:
    d = ' w:dirty="true"' if dirty else ""
    return (
        f'<w:r><w:fldChar w:fldCharType="begin"{d}/></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{esc(instr)}</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )


FLD_END = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'


def bookmark(bid: int, name: str, inner: str) -> str:
    return (f'<w:bookmarkStart w:id="{bid}" w:name="{esc_attr(name)}"/>{inner}'
            f'<w:bookmarkEnd w:id="{bid}"/>')


# ---------------------------------------------------------------- pictures


def inline_picture(rid: str, cx: int, cy: int, docpr_id: int, name: str, descr: str) -> str:
    """A ``w:drawing``/``wp:inline`` picture run; ``cx``/``cy`` in EMU."""
    return (
        "<w:r><w:drawing>"
        f'<wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{docpr_id}" name="{esc_attr(name)}" descr="{esc_attr(descr)}"/>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        "<pic:pic>"
        f'<pic:nvPicPr><pic:cNvPr id="{docpr_id}" name="{esc_attr(name)}" descr="{esc_attr(descr)}"/>'
        "<pic:cNvPicPr/></pic:nvPicPr>"
        f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
        "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


# ---------------------------------------------------------------- parsing


def parse_fragment(xml: str):
    """Parse body-level fragments; returns the list of top-level elements."""
    wrapper = parse_xml(f"<w:body {NSDECLS}>{xml}</w:body>")
    return list(wrapper)


def parse_table(xml: str):
    """Parse one ``<w:tbl>…</w:tbl>`` string, declaring the namespaces on its root."""
    if not xml.startswith("<w:tbl>"):
        raise ValueError("parse_table expects a string starting with <w:tbl>")
    return parse_xml(f"<w:tbl {nsdecls('w', 'r')}>" + xml[len("<w:tbl>"):])


def adopt_before(anchor, el) -> None:
    """Insert ``el`` (parsed by :func:`parse_fragment`) before ``anchor``, in linear time.

    lxml moves a subtree between documents in time quadratic in its size when
    its namespaces are declared on an ancestor left behind (10k-row table:
    seconds). Large elements are therefore moved child by child into an
    empty shell of the same tag that declares the namespaces itself.
    """
    if len(el) < 64:
        anchor.addprevious(el)
        return
    prefix = "w" if el.tag.startswith("{" + W_NS) else None
    if prefix is None or el.attrib:
        anchor.addprevious(el)
        return
    shell = parse_xml(f"<w:{el.tag.split('}')[1]} {nsdecls('w', 'r')}/>")
    anchor.addprevious(shell)
    shell.extend(list(el))


def parse_element(xml: str):
    """Parse one element written with the usual prefixes."""
    xml = xml.strip()
    # insert the namespace declarations into the root start tag
    end = re.match(r"<[\w:]+", xml).end()
    return parse_xml(xml[:end] + " " + NSDECLS + xml[end:])


# ---------------------------------------------------------------- sections


def landscape_sect_pr(sect_pr):
    """A copy of a (portrait) ``w:sectPr`` with width and height swapped."""
    out = copy.deepcopy(sect_pr)
    pg = out.find(qn("w:pgSz"))
    if pg is None:
        raise ValueError("the template's section has no page size (w:pgSz)")
    w, h = int(pg.get(qn("w:w"))), int(pg.get(qn("w:h")))
    if w < h:
        pg.set(qn("w:w"), str(h))
        pg.set(qn("w:h"), str(w))
    pg.set(qn("w:orient"), "landscape")
    return out


def strip_first_page(sect_pr) -> None:
    """Remove the different-first-page setting and its header/footer references."""
    for el in list(sect_pr):
        if el.tag == qn("w:titlePg"):
            sect_pr.remove(el)
        elif el.tag in (qn("w:headerReference"), qn("w:footerReference")) and \
                el.get(qn("w:type")) == "first":
            sect_pr.remove(el)


def text_width_twips(sect_pr, landscape: bool = False) -> int:
    """The width between the margins, in twips."""
    pg = sect_pr.find(qn("w:pgSz"))
    mar = sect_pr.find(qn("w:pgMar"))
    w, h = int(pg.get(qn("w:w"))), int(pg.get(qn("w:h")))
    width = max(w, h) if landscape else min(w, h)
    left = int(mar.get(qn("w:left"), 1418)) if mar is not None else 1418
    right = int(mar.get(qn("w:right"), 1418)) if mar is not None else 1418
    gutter = int(mar.get(qn("w:gutter"), 0) or 0) if mar is not None else 0
    return width - left - right - gutter


# ---------------------------------------------------------------- settings

# CT_Settings is a sequence: updateFields must come before these elements.
_AFTER_UPDATE_FIELDS = {
    qn(f"w:{n}") for n in (
        "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids",
        "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
        "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
        "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
        "decimalSymbol", "listSeparator",
    )
} | {"{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr"}


def ensure_update_fields(settings) -> None:
    """Put ``<w:updateFields w:val="true"/>`` at its schema position."""
    existing = settings.find(qn("w:updateFields"))
    if existing is not None:
        existing.set(qn("w:val"), "true")
        return
    el = parse_element('<w:updateFields w:val="true"/>')
    for child in settings:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _AFTER_UPDATE_FIELDS or (tag.startswith("{") and not tag.startswith("{" + W_NS)):
            child.addprevious(el)
            return
    settings.append(el)


# ---------------------------------------------------------------- numbering

BULLET_NAME = "rapact-bullet"
DECIMAL_NAME = "rapact-decimal"
BULLET_CHARS = ("\u2022", "\u2013", "\u25aa")


def abstract_num_xml(abstract_id: int, name: str) -> str:
    """A nine-level abstract numbering: bullets (``rapact-bullet``) or decimals."""
    levels = []
    for i in range(9):
        if name == BULLET_NAME:
            step = 360
            fmt, text = "bullet", BULLET_CHARS[i % 3]
        else:
            step = 425
            fmt, text = "decimal", f"%{i + 1}."
        left = step * (i + 1)
        levels.append(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{left}" w:hanging="{step}"/></w:pPr></w:lvl>'
        )
    nsid = "5241" + ("4231" if name == BULLET_NAME else "4431")
    return (
        f'<w:abstractNum w:abstractNumId="{abstract_id}"><w:nsid w:val="{nsid}"/>'
        f'<w:multiLevelType w:val="multilevel"/><w:name w:val="{name}"/>'
        + "".join(levels) + "</w:abstractNum>"
    )


def find_abstract_num(numbering, name: str) -> int | None:
    for an in numbering.findall(qn("w:abstractNum")):
        n = an.find(qn("w:name"))
        if n is not None and n.get(qn("w:val")) == name:
            return int(an.get(qn("w:abstractNumId")))
    return None


def ensure_abstract_num(numbering, name: str) -> int:
    """The id of the abstract numbering called ``name``, added when missing."""
    found = find_abstract_num(numbering, name)
    if found is not None:
        return found
    ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    new_id = max(ids, default=-1) + 1
    el = parse_element(abstract_num_xml(new_id, name))
    nums = numbering.findall(qn("w:num"))
    if nums:
        nums[0].addprevious(el)  # abstractNum elements come before num elements
    else:
        cleanup = numbering.find(qn("w:numIdMacAtCleanup"))
        if cleanup is not None:
            cleanup.addprevious(el)
        else:
            numbering.append(el)
    return new_id


def add_num(numbering, abstract_id: int, num_id: int, restart: tuple[int, int] | None = None):
    """Append a ``w:num`` instance; ``restart`` = (ilvl, start) adds a startOverride."""
    override = ""
    if restart is not None:
        override = (f'<w:lvlOverride w:ilvl="{restart[0]}">'
                    f'<w:startOverride w:val="{restart[1]}"/></w:lvlOverride>')
    el = parse_element(f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
                       f"{override}</w:num>")
    cleanup = numbering.find(qn("w:numIdMacAtCleanup"))
    if cleanup is not None:
        cleanup.addprevious(el)
    else:
        numbering.append(el)


# ---------------------------------------------------------------- zip

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


SPLICE_MARK = "\ue000rapact-table-{}\ue000"


def splice_placeholder(n: int):
    """A paragraph standing for big table ``n`` until the document is written."""
    return parse_xml(f"<w:p {nsdecls('w')}><w:r><w:t>{SPLICE_MARK.format(n)}</w:t></w:r></w:p>")


def splice_pieces(blob: bytes, tables: dict[int, Iterable[str]]) -> Iterator[bytes]:
    """``document.xml`` in pieces, each placeholder paragraph replaced by its table's XML.

    Big tables never become lxml trees: parsing a 50,000-row table and
    serializing it again cost about a second and several hundred MiB. Their
    pieces are made as they are asked for, while earlier ones are deflated.
    """
    pos = 0
    for n in sorted(tables):
        mark = SPLICE_MARK.format(n).encode("utf-8")
        at = blob.find(mark, pos)
        start = blob.rfind(b"<w:p>", pos, at) if at >= 0 else -1
        end = blob.find(b"</w:p>", at) if at >= 0 else -1
        if at < 0 or start < 0 or end < 0:
            raise ValueError(f"DOCX: the place of table {n} was lost")
        yield blob[pos:start]
        for piece in tables[n]:
            yield piece.encode("utf-8")
        pos = end + len(b"</w:p>")
    yield blob[pos:]


BIG_PART_BYTES = 4 * 1024 * 1024


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 0
    return info


def _level(size: int) -> int:
    # level 6 takes twice as long as level 3 on a part of tens of MB (a
    # registry annex) for a file ~20 % smaller; small parts keep level 6
    return 6 if size < BIG_PART_BYTES else 3


def save_deterministic(document, spliced: dict[int, Iterable[str]] | None = None) -> bytes:
    """The package python-docx saves, rewritten with fixed timestamps and attributes.

    Same member order as ``Document.save``. Each placeholder of a big table in
    ``document.xml`` is replaced by the table's XML while the part is
    deflated (see ``splice_pieces``).
    """
    from .docx_adapter import set_compress_level

    saved = io.BytesIO()
    document.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for member in src.infolist():
            data = src.read(member.filename)
            info = _zip_info(member.filename)
            if spliced and member.filename == "word/document.xml":
                set_compress_level(info, 3)  # a document with big tables: see ``_level``
                with dst.open(info, "w") as part:
                    for piece in splice_pieces(data, spliced):
                        part.write(piece)
            else:
                dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=_level(len(data)))
    return out.getvalue()
