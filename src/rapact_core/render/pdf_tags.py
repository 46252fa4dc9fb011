"""Tagged PDF: the document's logical structure, and its content marked while drawn.

PDF/UA (ISO 14289-1) asks that every piece of a page be either real content,
inside a marked-content sequence whose MCID ties it to a structure element,
or an artifact (running header and footer, rules, backgrounds, a table header
repeated on a continuation page). reportlab's open-source edition has no
tagging API; its public hooks are enough:

* the renderer builds the structure tree in model order (:class:`Element`,
  :class:`TableElement`) while it builds the story, and gives each flowable
  the element its content belongs to (``flowable.tag``);
* the canvas of the drawn pass, a :class:`.pdf_marking.TaggedCanvas`, carries a
  :class:`Marks` recorder. Flowables bracket what they draw with
  ``/P <</MCID n>> BDC … EMC`` (``canvas.addLiteral``); the recorder notes
  which element owns each MCID of each page, and turns the link annotations
  drawn inside into ``Link`` elements;
* at ``save``, :func:`.pdf_structure.write_structure` writes the tree, in
  the same pass (nothing reads the file again).

Layout-only passes draw on a DryCanvas and record nothing. A recorder
belongs to one canvas, so a second drawn pass never mixes its marks with
the first one's.
"""

from __future__ import annotations

from array import array

from . import reportlab_adapter as rl

#: the tag of decoration (table backgrounds and rules, the column labels repeated on a
#: continuation page, a picture without alt text): outside the structure
ARTIFACT = "Artifact"
LAYOUT = "/Artifact <</Type /Layout>> BDC"
#: the marked-content prefix of page furniture (header, footer, cover band)
PAGINATION = "/Artifact <</Type /Pagination>> BDC"


class Element:
    """A structure element, made in model order by the renderer.

    ``kids``: the elements under it in the model (a list's items, a table's
    caption); the content its flowables draw is recorded by :class:`Marks`.
    ``alt`` is its alternate text (a figure's description); ``attrs`` extra
    entries in PDF syntax (``/A <<…>>``); ``contents`` the ``/Contents`` of
    the link annotations inside it, by target (``None``: the target itself).
    """

    __slots__ = ("role", "kids", "alt", "attrs", "contents", "number")

    def __init__(self, role: str, parent: Element | None = None, *, alt: str | None = None,
                 attrs: str = "", contents: dict | None = None):
        self.role = role
        self.kids: list[Element] = []
        self.alt = alt
        self.attrs = attrs
        self.contents = contents
        self.number = 0  # its object number, set when the tree is written
        if parent is not None:
            parent.kids.append(self)

    def add(self, role: str, **kw) -> Element:
        return Element(role, self, **kw)

    def __repr__(self) -> str:
        return f"<{self.role}>"


class TableElement(Element):
    """A ``Table`` whose rows and cells are generated when the tree is written.

    A big table has hundreds of thousands of cells: no object is made per
    cell. The header rows (the model's extra header rows, then the column
    labels) make the ``THead``, the body rows the ``TBody``, the total rows
    the ``TFoot``. Struct row ``r`` counts the header rows first.
    """

    __slots__ = ("n_head", "n_body", "n_foot", "cells", "spans")

    def __init__(self, parent: Element, *, header_spans: list[list[int]], n_body: int, n_foot: int,
                 ncols: int, row_spans: dict[int, list[tuple[int, int]]]):
        super().__init__("Table", parent)
        self.n_head = len(header_spans) + 1  # the column labels are the last header row
        self.n_body, self.n_foot = n_body, n_foot
        n_rows = self.n_head + n_body + n_foot
        #: number of cells of each struct row
        self.cells = array("l", [ncols]) * n_rows
        #: (struct row, cell) -> columns it spans, when more than one
        self.spans: dict[tuple[int, int], int] = {}
        for r, spans in enumerate(header_spans):
            self.cells[r] = len(spans)
            for k, span in enumerate(spans):
                if span > 1:
                    self.spans[(r, k)] = span
        for i, spans in row_spans.items():  # body and foot rows: (first, last column) spanned
            r, k, c, row = self.n_head + i, 0, 0, dict(spans)
            while c < ncols:
                last = row.get(c, c)
                if last > c:
                    self.spans[(r, k)] = last - c + 1
                k, c = k + 1, last + 1
            self.cells[r] = k

    def cell_of_column(self, r: int, col: int) -> int:
        """The cell of struct row ``r`` that starts at column ``col``."""
        k = c = 0
        while c < col:
            c += self.spans.get((r, k), 1)
            k += 1
        return k


class TableMarks:
    """What was drawn of one table on one canvas.

    Cells drawn by the table engine get consecutive MCIDs, a row at a time:
    ``page[r]`` and ``mcid[r]`` give its first cell's, the others follow.
    Cells drawn otherwise (the first column labels, a row cut inside) are
    listed one by one in ``extra``.
    """

    __slots__ = ("element", "page", "mcid", "extra", "header_done", "row_base", "sections")

    def __init__(self, element: TableElement):
        self.element = element
        n = len(element.cells)
        self.page = array("l", [-1]) * n
        self.mcid = array("l", [-1]) * n
        self.extra: dict[tuple[int, int], list[tuple[int, int]]] = {}
        #: whether the column labels were drawn as real content (once per table)
        self.header_done = False
        self.row_base: array | None = None  # object number of each TR, when written
        self.sections: list = []


class TocEntry:
    """The tag of a table of contents entry: a ``TOCI`` holding a ``Link``, made
    under ``toc`` when the entry is drawn (entries are only known then)."""

    __slots__ = ("toc", "text")

    def __init__(self, toc: Element, text: str):
        self.toc, self.text = toc, text


class ListTag:
    """The tag of a list item's paragraph: its bullet is the ``Lbl``, its text the ``LBody``."""

    __slots__ = ("lbl", "lbody")

    def __init__(self, lbl: Element, lbody: Element):
        self.lbl, self.lbody = lbl, lbody


class Marks:
    """Records, while a canvas is drawn, which element owns each MCID of each page.

    Marks never nest: what is drawn inside an open mark belongs to it (a
    paragraph in a table cell already marked, a plugin's table inside its
    figure), so :meth:`begin` then returns False and the caller does not
    :meth:`end`.
    """

    def __init__(self, root: Element, meta, lang: str):
        self.root, self.meta, self.lang = root, meta, lang
        self.page = 0  # index of the page being drawn
        #: owner of each MCID of the page: an Element, or (TableMarks, row, first cell, count)
        self.owners: list = []
        self.next_mcid = 0
        #: for each page shown: (its /StructParents key or None, owners)
        self.pages: list[tuple[int | None, list]] = []
        #: element -> recorded content, in order: (page, mcid), (page, annotation name), Element
        self.items: dict[Element, list] = {}
        #: element -> content read after its items (see begin)
        self.later: dict[Element, list] = {}
        self.bbox: dict[Element, tuple] = {}
        self.tables: dict[TableElement, TableMarks] = {}
        self.dynamic: dict[TocEntry, Element] = {}  # the Link made for each TOC entry drawn
        #: (key, Link element) of each link annotation
        self.annotations: list[tuple[int, Element]] = []
        self.next_key = 0
        self.open = None  # the open mark: an Element, ARTIFACT or None
        self.annotations_seen = 0  # annotations of this page already tied to an element

    # -- marking
    def begin(self, canv, tag, bbox: tuple | None = None, later: bool = False) -> bool:
        """Open the mark of ``tag``; False if a mark is open already (then do not :meth:`end`).

        ``later``: this content is read after the element's other content,
        wherever it stands in the page. A TOC entry begins so: reportlab draws
        its dot leader and page number first, its text last (the entry's
        callback then opens the text's mark, see ContentsTable).
        """
        later = later or isinstance(tag, TocEntry)
        if self.open is not None:
            return False
        if tag is ARTIFACT:
            canv.addLiteral(LAYOUT)
            self.open = ARTIFACT
            return True
        element = self.resolve(tag)
        mcid = self.next_mcid
        self.next_mcid = mcid + 1
        self.owners.append(element)
        (self.later if later else self.items).setdefault(element, []).append((self.page, mcid))
        if bbox is not None and element not in self.bbox:
            self.bbox[element] = bbox
        canv.addLiteral(f"/{element.role} <</MCID {mcid}>> BDC")
        self.open = element
        return True

    def end(self, canv) -> None:
        element, self.open = self.open, None
        canv.addLiteral("EMC")
        if element is not ARTIFACT:
            self.link_annotations(canv, element)

    def begin_pagination(self, canv) -> bool:
        """Open an artifact mark for the page's furniture (header, footer, cover band)."""
        if self.open is not None:
            return False
        canv.addLiteral(PAGINATION)
        self.open = ARTIFACT
        return True

    def resolve(self, tag) -> Element:
        if isinstance(tag, Element):
            return tag
        if isinstance(tag, TocEntry):
            link = self.dynamic.get(tag)
            if link is None:
                toci = Element("TOCI")
                self.items.setdefault(tag.toc, []).append(toci)
                link = self.dynamic[tag] = Element("Link", contents={None: tag.text})
                self.items[toci] = [link]
            return link
        raise TypeError(f"not a structure tag: {tag!r}")

    def table(self, element: TableElement) -> TableMarks:
        marks = self.tables.get(element)
        if marks is None:
            marks = self.tables[element] = TableMarks(element)
        return marks

    def row_cells(self, table: TableMarks, row: int, count: int) -> int:
        """Reserve ``count`` consecutive MCIDs for the cells of struct row ``row``; return the first."""
        first = self.next_mcid
        self.next_mcid = first + count
        self.owners.append((table, row, 0, count))
        table.page[row] = self.page
        table.mcid[row] = first
        return first

    def begin_cell(self, canv, table: TableMarks, row: int, cell: int) -> bool:
        """Open the mark of one cell drawn outside the table engine (see :class:`TableMarks`)."""
        if self.open is not None:
            return False
        mcid = self.next_mcid
        self.next_mcid = mcid + 1
        self.owners.append((table, row, cell, 1))
        table.extra.setdefault((row, cell), []).append((self.page, mcid))
        role = "TH" if row < table.element.n_head else "TD"
        canv.addLiteral(f"/{role} <</MCID {mcid}>> BDC")
        self.open = table.element
        return True

    def end_cell(self, canv) -> None:
        self.open = None
        canv.addLiteral("EMC")

    # -- annotations and pages
    def link_annotations(self, canv, element: Element | None) -> None:
        """Tie the link annotations drawn since the last call to ``Link`` elements:
        ``element`` itself if it is one, else a new ``Link`` inside it."""
        names = rl.page_annotation_names(canv, self.annotations_seen)
        if not names:
            return
        self.annotations_seen += len(names)
        doc = rl.document_of(canv)
        for name in names:
            parent = element if element is not None else self.root
            if parent.role == "Link":
                link = parent
            else:
                link = Element("Link", contents=parent.contents)
                self.items.setdefault(parent, []).append(link)
            target = rl.annotation_target(doc, name)
            contents = link.contents or {}
            text = contents.get(target) or contents.get(None) or target or "lien"
            key = self.next_key
            self.next_key += 1
            rl.tag_annotation(doc, name, text, key)
            self.annotations.append((key, link))
            self.items.setdefault(link, []).append((self.page, name))

    def end_page(self, canv) -> None:
        if self.open is not None:  # never left open by our flowables; close it on its page
            self.end(canv)
        self.link_annotations(canv, None)

    def page_shown(self, canv) -> None:
        key = None
        if self.owners:
            key = self.next_key
            self.next_key += 1
        self.pages.append((key, self.owners))
        entries = {"Tabs": "/S"}
        if key is not None:
            entries["StructParents"] = key
        rl.set_page_entries(rl.last_page(rl.document_of(canv)), **entries)
        self.owners, self.next_mcid, self.annotations_seen = [], 0, 0
        self.page += 1


def marks_of(canvas) -> Marks | None:
    """The recorder of a canvas being drawn for real, else None."""
    return getattr(canvas, "rapact_marks", None)
