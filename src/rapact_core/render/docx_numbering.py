"""List numbering in ``numbering.xml``: one bullet and one decimal definition, one instance per list.

Word numbers the paragraphs of a list through a ``w:num`` instance of an
abstract definition. Every bullet list shares one instance; each numbered list
gets its own, restarted at its ``start``, so that two lists never continue
each other's count.
"""

from __future__ import annotations

from docx.oxml.ns import qn

from .docx_xml import esc_attr, parse_element

BULLET_NAME = "rapact-bullet"
DECIMAL_NAME = "rapact-decimal"
BULLET_CHARS = ("\u2022", "\u2013", "\u25aa")


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


def find_abstract_num(numbering, name: str) -> int | None:
    for an in numbering.findall(qn("w:abstractNum")):
        n = an.find(qn("w:name"))
        if n is not None and n.get(qn("w:val")) == name:
            return int(an.get(qn("w:abstractNumId")))
    return None


def ensure_abstract_num(numbering, name: str, symbol: str | None = None) -> int:
    """The id of the abstract numbering called ``name``, added when missing."""
    found = find_abstract_num(numbering, name)
    if found is not None:
        return found
    ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    new_id = max(ids, default=-1) + 1
    el = parse_element(abstract_num_xml(new_id, name, symbol))
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
                abstract = ensure_abstract_num(self.numbering, symbol_name(symbol), symbol)
                self._symbol_nums[symbol] = self._new_num(abstract)
            return self._symbol_nums[symbol]
        if self._bullet_num is None:
            self._bullet_num = self._new_num(self._bullet_abs)
        return self._bullet_num

    def numbered(self, ilvl: int, start: int) -> int:
        """A new numId for a numbered list at level ``ilvl``, counting from ``start``."""
        return self._new_num(self._decimal_abs, (ilvl, start))
