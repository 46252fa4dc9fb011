"""WordprocessingML as strings: the XML helpers of the DOCX renderer.

The renderer writes body content as XML *strings* and parses them in large
chunks with :func:`docx.oxml.parse_xml`: python-docx's per-element API
(``add_paragraph``, ``add_row``, ``row.cells``) is quadratic on large bodies and
tables (see the performance notes). Everything here returns ``str`` fragments
that use the ``w:``/``r:``/``wp:``/``a:``/``pic:`` prefixes declared by
:data:`NSDECLS`; element order inside ``pPr``, ``rPr``, ``tcPr`` and ``tblPr``
follows the OOXML schema sequences (Word is strict about it).
"""

from __future__ import annotations

import re

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from ..text import FORBIDDEN_XML

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECLS = nsdecls("w", "r", "wp", "a", "pic")

# ---------------------------------------------------------------- text


def check_text(text: str, where: str) -> None:
    """Raise ValueError when ``text`` holds a character XML cannot carry."""
    bad = FORBIDDEN_XML.search(text)
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


def element_xml(el) -> str:
    """An lxml element back as a string (to buffer it with the strings written here)."""
    from lxml import etree

    return etree.tostring(el, encoding="unicode")
