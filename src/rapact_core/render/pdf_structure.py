"""The structure tree of a tagged PDF, written when the drawn canvas is saved.

:func:`write_structure` turns the elements the renderer made (see
:mod:`.pdf_tags`) and the marks recorded while drawing into PDF objects, in
the same pass as the rest of the file:

* every element becomes one object, written as preformatted bytes (a big
  table has hundreds of thousands of cells: one ``PDFDictionary`` each would
  cost more than drawing them). Numbers are given first, in reading order,
  then each object is written knowing its parent's and its kids';
* the ``StructTreeRoot`` with its ``ParentTree``: each page's
  ``/StructParents`` key gives the element of each of its MCIDs, each link
  annotation's ``/StructParent`` key its ``Link`` element;
* the catalog's ``/MarkInfo``, and XMP metadata with the title and the
  PDF/UA identification (``pdfuaid:part`` 1); ``/Lang`` and
  ``/ViewerPreferences /DisplayDocTitle`` are written by reportlab.

Elements that got no content (nothing drawn) are left out.
"""

from __future__ import annotations

import zlib
from array import array
from itertools import accumulate, chain, repeat
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfdoc

from . import reportlab_adapter as rl
from .pdf_tags import Element, Marks, TableElement, TableMarks

#: elements per object stream: compressed together, the elements of a big table take
#: a few bytes each; a reader inflates one stream to reach one element
PER_STREAM = 200


def pdf_text(text: str) -> str:
    """A PDF text string, UTF-16BE in hex: any character, nothing to escape."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class _Writer:
    def __init__(self, canv, marks: Marks):
        self.marks = marks
        self.doc = rl.document_of(canv)
        self.pages = [rl.page_object_number(self.doc, i) for i in range(marks.page)]
        self.kept: set[int] = set()  # ids of the elements written
        self.first = 0  # the number of the first element
        self.streams_first = 0  # the number of the first object stream (after the elements)
        self.data = bytearray()  # the object streams, formatted, one after the other
        self.streams = array("q")  # offset of each object stream in data
        self.pending: list[str] = []  # elements not in a stream yet, in number order
        self.flushed = 0  # elements in streams

    # -- which elements are written, and their numbers
    def kids(self, element: Element) -> list:
        """The K items of an element: recorded content first, then its kept model kids."""
        marks = self.marks
        return (marks.items.get(element, []) + marks.later.get(element, [])
                + [k for k in element.kids if id(k) in self.kept])

    def keep(self, element: Element) -> bool:
        """Mark the elements of ``element``'s subtree that have content; True if it has."""
        if isinstance(element, TableElement):
            kept = element in self.marks.tables
            for kid in element.kids:  # its caption
                self.keep(kid)
        else:
            kept = element in self.marks.later
            for item in self.marks.items.get(element, ()):
                kept = True
                if isinstance(item, Element):
                    self.keep(item)
            for kid in element.kids:
                kept = self.keep(kid) or kept
        if kept:
            self.kept.add(id(element))
        return kept

    def number(self, element: Element, n: int) -> int:
        """Give ``element`` and its subtree numbers from ``n`` on, in reading order; return the next."""
        element.number = n
        n += 1
        if isinstance(element, TableElement):
            return self.number_table(element, n)
        for item in self.kids(element):
            if isinstance(item, Element):
                n = self.number(item, n)
        return n

    def number_table(self, element: TableElement, n: int) -> int:
        table = self.marks.tables[element]
        for kid in element.kids:
            if id(kid) in self.kept:
                n = self.number(kid, n)
        cells = element.cells
        table.row_base = bases = array("l", bytes(len(cells) * array("l").itemsize))
        table.sections = []
        r = 0
        head, body, foot = element.n_head, element.n_body, element.n_foot
        if not body:  # a THead or TFoot needs a TBody: the totals are the body, or the rows stand alone
            sections = (("THead", head), ("TBody", foot)) if foot else (("TR", head),)
        else:
            sections = (("THead", head), ("TBody", body), ("TFoot", foot))
        for role, count in sections:
            if not count:
                continue
            if role != "TR":  # header rows right in the Table have no section of their own
                table.sections.append((role, n, r, r + count))
                n += 1
            else:
                table.sections.append((role, 0, r, r + count))
            for i in range(r, r + count):
                bases[i] = n
                n += 1 + cells[i]
            r += count
        return n

    # -- writing
    def write(self, element: Element, parent: int) -> None:
        if isinstance(element, TableElement):
            self.write_table(element, parent)
            return
        items = self.kids(element)
        k, first_page = [], None
        for item in items:
            if isinstance(item, Element):
                k.append(f"{item.number} 0 R")
                continue
            page, what = item
            if first_page is None:
                first_page = page
            if isinstance(what, str):  # an annotation
                obj = rl.object_number(self.doc, what)
                k.append(f"<</Type/OBJR/Pg {self.pages[page]} 0 R/Obj {obj} 0 R>>")
            elif page == first_page:
                k.append(str(what))
            else:
                k.append(f"<</Type/MCR/Pg {self.pages[page]} 0 R/MCID {what}>>")
        out = [f"<</Type/StructElem/S/{element.role}/P {parent} 0 R"]
        if first_page is not None:
            out.append(f"/Pg {self.pages[first_page]} 0 R")
        if k:
            out.append(f"/K {k[0]}" if len(k) == 1 else f"/K [{' '.join(k)}]")
        if element.alt is not None:
            out.append(f"/Alt {pdf_text(element.alt)}")
        bbox = self.marks.bbox.get(element)
        if bbox is not None:
            out.append("/A <</O/Layout/BBox [%s]>>" % " ".join(f"{v:.2f}" for v in bbox))
        out.append(element.attrs)
        out.append(">>")
        self.add(element.number, "".join(out))
        for item in items:
            if isinstance(item, Element):
                self.write(item, element.number)

    def write_table(self, element: TableElement, parent: int) -> None:
        table: TableMarks = self.marks.tables[element]
        caption = [kid for kid in element.kids if id(kid) in self.kept]
        k = [f"{c.number} 0 R" for c in caption]
        for role, number, start, end in table.sections:
            k += [f"{table.row_base[r]} 0 R" for r in range(start, end)] if role == "TR" else [f"{number} 0 R"]
        self.add(element.number, f"<</Type/StructElem/S/Table/P {parent} 0 R/K [{' '.join(k)}]>>")
        for kid in caption:
            self.write(kid, element.number)
        cells, spans, bases, pages = element.cells, element.spans, table.row_base, self.pages
        row_page, row_mcid, extra = table.page, table.mcid, table.extra
        pending = self.pending
        for role, number, start, end in table.sections:
            if role == "TR":  # rows right in the Table
                number = element.number
            else:
                self.add(number, f"<</Type/StructElem/S/{role}/P {element.number} 0 R/K [%s]>>"
                         % " ".join([f"{bases[r]} 0 R" for r in range(start, end)]))
            header = start < element.n_head
            cell_role = "TH" if header else "TD"
            scope = "/Scope/Column" if header else ""
            plain = f"/A <</O/Table{scope}>>" if scope else ""
            for r in range(start, end):
                tr, count, page, mcid = bases[r], cells[r], row_page[r], row_mcid[r]
                pending.append(f"<</S/TR/P {number} 0 R/K [%s]>>"
                               % " ".join([f"{tr + 1 + c} 0 R" for c in range(count)]))
                if page >= 0 and not (spans and any((r, c) in spans for c in range(count))) \
                        and not (extra and any((r, c) in extra for c in range(count))):
                    # the usual row: one MCID per cell, on one page, in order
                    head = f"<</S/{cell_role}/P {tr} 0 R/Pg {pages[page]} 0 R/K "
                    pending.extend([f"{head}{mcid + c}{plain}>>" for c in range(count)])
                else:
                    pending.extend([self.cell(cell_role, tr, r, c, scope, spans, extra, page, mcid)
                                    for c in range(count)])
                if len(pending) >= PER_STREAM:
                    self.flush()

    def cell(self, role: str, tr: int, r: int, c: int, scope: str, spans, extra, page: int, mcid: int) -> str:
        """A cell that spans columns, or was drawn outside the table engine, or not at all."""
        span = spans.get((r, c))
        a = scope + (f"/ColSpan {span}" if span else "")
        a = f"/A <</O/Table{a}>>" if a else ""
        drawn = extra.get((r, c))
        if drawn:
            first = drawn[0][0]
            k = [str(m) if p == first else f"<</Type/MCR/Pg {self.pages[p]} 0 R/MCID {m}>>" for p, m in drawn]
            k = k[0] if len(k) == 1 else "[" + " ".join(k) + "]"
            return f"<</S/{role}/P {tr} 0 R/Pg {self.pages[first]} 0 R/K {k}{a}>>"
        if page >= 0:
            return f"<</S/{role}/P {tr} 0 R/Pg {self.pages[page]} 0 R/K {mcid + c}{a}>>"
        return f"<</S/{role}/P {tr} 0 R{a}>>"  # never drawn: an empty cell keeps the table regular

    def add(self, number: int, data: str) -> None:
        """Write element ``number``; elements are written in number order."""
        if number != self.first + self.flushed + len(self.pending):
            raise RuntimeError(f"tagged PDF: object {number} written out of order")
        self.pending.append(data)
        if len(self.pending) >= PER_STREAM:
            self.flush()

    def flush(self, last: bool = False) -> None:
        """Write full object streams (and the last, partial one when ``last``), compressed.

        Elements go into streams in number order, ``PER_STREAM`` each: where
        each one is follows from its number (see :meth:`entries`).
        """
        pending = self.pending
        while len(pending) >= PER_STREAM or (last and pending):
            chunk = pending[:PER_STREAM]
            del pending[:PER_STREAM]
            first = self.first + self.flushed
            offsets = accumulate([len(x) + 1 for x in chunk], initial=0)  # ASCII: one byte a character
            head = (" ".join([f"{first + i} {o}" for i, o in zip(range(len(chunk)), offsets)]) + "\n").encode()
            content = zlib.compress(head + "\n".join(chunk).encode("ascii") + b"\n")
            self.streams.append(len(self.data))
            self.data += b"%d 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>\nstream\n" % (
                self.streams_first + len(self.streams) - 1, len(chunk), len(head), len(content))
            self.data += content
            self.data += b"\nendstream\nendobj\n"
            self.flushed += len(chunk)

    def entries(self) -> tuple:
        """Cross-reference entries of the elements (in object streams), then of the streams."""
        n, s = self.flushed, len(self.streams)
        types = b"\x02" * n + b"\x01" * s
        field2 = chain(map(self.streams_first.__add__, map(PER_STREAM.__rfloordiv__, range(n))), self.streams)
        field3 = chain(map(PER_STREAM.__rmod__, range(n)), repeat(0, s))
        return types, field2, field3

    # -- the parent tree
    def parent_tree(self) -> str:
        entries: list[tuple[int, str]] = []
        for key, owners in self.marks.pages:
            if key is None:
                continue
            refs = []
            for owner in owners:
                if isinstance(owner, Element):
                    refs.append(f"{owner.number} 0 R")
                else:
                    table, row, first, count = owner
                    base = table.row_base[row] + 1
                    refs.extend([f"{base + c} 0 R" for c in range(first, first + count)])
            entries.append((key, f"{key} [{' '.join(refs)}]"))
        for key, link in self.marks.annotations:
            entries.append((key, f"{key} {link.number} 0 R"))
        entries.sort()
        return "<</Nums [%s]>>" % "\n".join(e for _, e in entries)


def write_structure(canv, marks: Marks) -> None:
    """Write the structure tree, the parent tree, ``/MarkInfo`` and the XMP metadata.

    The tree is numbered in reading order (the StructTreeRoot first, the
    parent tree last), the numbers reserved, then the objects formatted
    into one block the document writes in their place.
    """
    w = _Writer(canv, marks)
    doc, root = w.doc, marks.root
    w.keep(root)
    w.kept.add(id(root))
    w.first = start = rl.next_object_number(doc)
    tree_number = w.number(root, start + 1)
    elements = tree_number + 1 - start
    streams = -(-elements // PER_STREAM)
    w.streams_first = start + elements
    if rl.reserve_objects(doc, elements + streams) != start:
        raise RuntimeError("tagged PDF: object numbers taken while the structure was numbered")
    w.add(start, f"<</Type/StructTreeRoot/K {root.number} 0 R/ParentTree {tree_number} 0 R"
                 f"/ParentTreeNextKey {marks.next_key}>>")
    w.write(root, start)
    w.add(tree_number, w.parent_tree())
    w.flush(last=True)
    if w.flushed != elements or len(w.streams) != streams:
        raise RuntimeError(f"tagged PDF: {w.flushed} elements written for {elements}")
    rl.insert_objects(doc, start, elements + streams, w.data, w.entries())
    catalog = doc.Catalog
    catalog.StructTreeRoot = b"%d 0 R" % start
    catalog.MarkInfo = pdfdoc.PDFDictionary({"Marked": pdfdoc.PDFtrue})
    catalog.Metadata = pdfdoc.PDFStream(
        pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("Metadata"), "Subtype": pdfdoc.PDFName("XML")}),
        xmp(marks.meta, marks.lang).encode("utf-8"))  # no filter: plain XML, readable by any tool


def xmp(meta, lang: str) -> str:
    """XMP metadata: title, author, subject, language, and the PDF/UA-1 identification."""
    def alt(text: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li></rdf:Alt>'

    creator = f"<dc:creator><rdf:Seq><rdf:li>{escape(meta.organisation)}</rdf:li></rdf:Seq></dc:creator>" \
        if meta.organisation else ""
    subject = f"<dc:description>{alt(meta.subject)}</dc:description>" if meta.subject else ""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f"<dc:title>{alt(meta.title)}</dc:title>{creator}{subject}"
        f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>\n"
        "</rdf:Description>\n"
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">\n'
        "<pdf:Producer>rapact (ReportLab)</pdf:Producer>\n</rdf:Description>\n"
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">\n'
        "<xmp:CreatorTool>rapact</xmp:CreatorTool>\n</rdf:Description>\n"
        '<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
        "<pdfuaid:part>1</pdfuaid:part>\n</rdf:Description>\n"
        "</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
