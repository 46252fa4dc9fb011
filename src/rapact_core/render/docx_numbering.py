"""Numbering in ``numbering.xml``: lists, and the headings' multilevel list.

Word numbers the paragraphs of a list through a ``w:num`` instance of an
abstract definition. Every bullet list shares one instance; each numbered list
gets its own, restarted at its ``start``, so that two lists never continue
each other's count.

Headings are numbered by Word too ("3", "3.1", "6.6.7.1"), not typed: one
multilevel list whose levels name the heading styles (``w:pStyle``), and whose
instance the heading styles name (``w:numPr``), so a section inserted in Word
renumbers the ones after it. The model's numbers (``rapact_core.numbering``)
follow the same rule, which the tests check by reading the DOCX back.
"""

from __future__ import annotations

from docx.oxml.ns import qn

from .docx_xml import esc_attr, parse_element

BULLET_NAME = "rapact-bullet"
DECIMAL_NAME = "rapact-decimal"
HEADING_NAME = "rapact-headings"
BULLET_CHARS = ("\u2022", "\u2013", "\u25aa")
#: heading levels Word numbers (Heading 1 to Heading 6, the model's levels)
HEADING_LEVELS = 6


def symbol_name(symbol: str) -> str:
    """The name of the abstract numbering of bullet lists marked with ``symbol``."""
    return f"{BULLET_NAME}-{'-'.join(f'{ord(ch):04x}' for ch in symbol)}"


def abstract_num_xml(abstract_id: int, name: str, symbol: str | None = None) -> str:
    """A nine-level abstract numbering: bullets (``rapact-bullet``), bullets whose
    first level is ``symbol`` ("✓"), or decimals."""
    levels = []
    for i in range(9):
        if name == BULLET_NAME or symbol is not None:
            step = 360
            fmt, text = "bullet", symbol if (symbol is not None and i == 0) else BULLET_CHARS[i % 3]
        else:
            step = 425
            fmt, text = "decimal", f"%{i + 1}."
        left = step * (i + 1)
        levels.append(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{esc_attr(text)}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{left}" w:hanging="{step}"/></w:pPr></w:lvl>'
        )
    if symbol is not None:  # one definition per symbol, each its own id
        nsid = "52" + f"{sum(ord(ch) for ch in symbol) & 0xFFFFFF:06X}"
    else:
        nsid = "5241" + ("4231" if name == BULLET_NAME else "4431")
    return (
        f'<w:abstractNum w:abstractNumId="{abstract_id}"><w:nsid w:val="{nsid}"/>'
        f'<w:multiLevelType w:val="multilevel"/><w:name w:val="{name}"/>'
        + "".join(levels) + "</w:abstractNum>"
    )


def heading_abstract_num_xml(abstract_id: int, style_ids: list[str]) -> str:
    """The headings' multilevel list: level ``i`` is style ``style_ids[i]``, numbered
    "%1.%2…" (no final dot, a space after, no indent), as the model numbers them."""
    levels = []
    for i in range(9):
        link = f'<w:pStyle w:val="{style_ids[i]}"/>' if i < len(style_ids) else ""
        text = ".".join(f"%{k + 1}" for k in range(i + 1))
        levels.append(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>{link}'
            f'<w:suff w:val="space"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            '<w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl>'
        )
    return (
        f'<w:abstractNum w:abstractNumId="{abstract_id}"><w:nsid w:val="52414844"/>'
        f'<w:multiLevelType w:val="multilevel"/><w:name w:val="{HEADING_NAME}"/>'
        + "".join(levels) + "</w:abstractNum>"
    )


def find_abstract_num(numbering, name: str) -> int | None:
    for an in numbering.findall(qn("w:abstractNum")):
        n = an.find(qn("w:name"))
        if n is not None and n.get(qn("w:val")) == name:
            return int(an.get(qn("w:abstractNumId")))
    return None


def ensure_abstract_num(numbering, name: str, make=None, symbol: str | None = None) -> int:
    """The id of the abstract numbering called ``name``, added when missing
    (``make(abstract_id)`` writes it; by default a bullet list, one whose first
    level is ``symbol``, or a decimal list)."""
    found = find_abstract_num(numbering, name)
    if found is not None:
        return found
    ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    new_id = max(ids, default=-1) + 1
    el = parse_element(make(new_id) if make else abstract_num_xml(new_id, name, symbol))
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


def _num_of(numbering, abstract_id: int) -> int | None:
    """The first ``w:num`` instance of abstract numbering ``abstract_id`` without overrides."""
    for num in numbering.findall(qn("w:num")):
        ref = num.find(qn("w:abstractNumId"))
        if ref is not None and ref.get(qn("w:val")) == str(abstract_id) and num.find(qn("w:lvlOverride")) is None:
            return int(num.get(qn("w:numId")))
    return None


# the pPr children that come before numPr in a paragraph's or style's properties
_BEFORE_NUMPR = {qn(f"w:{n}") for n in ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr",
                                         "widowControl")}


def _style_numbered(style) -> bool:
    ppr = style.find(qn("w:pPr"))
    return ppr is not None and ppr.find(qn("w:numPr")) is not None


def link_heading_numbering(numbering, styles_root, heading_ids: list[str]) -> None:
    """Number the heading styles ``heading_ids`` (Heading 1, 2…) with the headings' multilevel list.

    A template whose Heading 1 style is numbered already keeps its own numbering
    (the organisation's template wins).
    """
    by_id = {s.get(qn("w:styleId")): s for s in styles_root.findall(qn("w:style"))}
    styles = [by_id.get(sid) for sid in heading_ids]
    if styles and styles[0] is not None and _style_numbered(styles[0]):
        return
    abstract_id = ensure_abstract_num(numbering, HEADING_NAME,
                                      lambda new_id: heading_abstract_num_xml(new_id, heading_ids))
    num_id = _num_of(numbering, abstract_id)
    if num_id is None:
        ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
        num_id = max(ids, default=0) + 1
        add_num(numbering, abstract_id, num_id)
    for level, style in enumerate(styles):
        if style is None or _style_numbered(style):
            continue
        ppr = style.find(qn("w:pPr"))
        if ppr is None:
            ppr = parse_element("<w:pPr/>")
            after = [c for c in style if c.tag in {qn(f"w:{n}") for n in (
                "name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority",
                "semiHidden", "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose",
                "personalReply", "rsid")}]
            if after:
                after[-1].addnext(ppr)
            else:
                style.insert(0, ppr)
        num_pr = parse_element(f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
        before = [c for c in ppr if c.tag in _BEFORE_NUMPR]
        if before:
            before[-1].addnext(num_pr)
        else:
            ppr.insert(0, num_pr)


class ListNumbering:
    """The ``w:num`` instances of a document's lists, added to ``numbering`` (the ``w:numbering`` root)."""

    def __init__(self, numbering):
        self.numbering = numbering
        self._bullet_abs = ensure_abstract_num(numbering, BULLET_NAME)
        self._decimal_abs = ensure_abstract_num(numbering, DECIMAL_NAME)
        ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
        self._next_num = max(ids, default=0) + 1
        self._bullet_num: int | None = None
        self._symbol_nums: dict[str, int] = {}

    def _new_num(self, abstract_id: int, restart=None) -> int:
        num_id = self._next_num
        self._next_num += 1
        add_num(self.numbering, abstract_id, num_id, restart)
        return num_id

    def bullets(self, symbol: str | None = None) -> int:
        """The numId every bullet list shares, or every list marked with ``symbol``."""
        if symbol is not None:
            if symbol not in self._symbol_nums:
                abstract = ensure_abstract_num(self.numbering, symbol_name(symbol), symbol=symbol)
                self._symbol_nums[symbol] = self._new_num(abstract)
            return self._symbol_nums[symbol]
        if self._bullet_num is None:
            self._bullet_num = self._new_num(self._bullet_abs)
        return self._bullet_num

    def numbered(self, ilvl: int, start: int) -> int:
        """A new numId for a numbered list at level ``ilvl``, counting from ``start``."""
        return self._new_num(self._decimal_abs, (ilvl, start))
