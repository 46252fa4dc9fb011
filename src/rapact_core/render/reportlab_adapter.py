"""Every use of a private reportlab attribute, in one place.

reportlab has no public API for a few things the PDF renderer needs to stay
fast: keeping a paragraph's lines between layouts, reading the row heights a
Table measured, knowing whether a flowable sits at the top of its frame, and
embedding an image from pixels compressed on an earlier build. Nor for what a
tagged PDF (PDF/UA) needs: the link annotations of a page, entries of a page
dictionary that reportlab does not write, objects written as preformatted
bytes, and ToUnicode maps without entries to U+0000; nor for what its
pagination needs: where a frame's cursor stands, measuring flowables one
after the other as a frame does, asking a flowable to split below others,
and ending a page higher. Each function
here names what it relies on; ``tests/test_adapter_reportlab.py`` fails,
naming the attribute, as soon as a reportlab release changes one of them.
Nothing else in ``src/`` touches a reportlab name starting with ``_``.
"""

from __future__ import annotations

import struct
import zlib

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, ttfonts


def paragraph_lines(para) -> tuple:
    """The lines a wrapped ``Paragraph`` broke its text into, to give back with
    :func:`restore_paragraph_lines` instead of breaking them again.

    ``Paragraph.wrap`` stores them in ``_wrapWidths`` (the widths they were
    broken for, read again by ``split`` and ``draw``) and ``blPara``.
    """
    return para._wrapWidths, para.blPara


def restore_paragraph_lines(para, lines: tuple) -> None:
    """Give ``para`` the lines :func:`paragraph_lines` returned, as ``wrap`` would set them."""
    para._wrapWidths, para.blPara = lines


def table_row_heights(table) -> list[float]:
    """The height of each row of a ``Table`` after ``wrapOn`` (``Table._rowHeights``)."""
    return list(table._rowHeights)


def frame_of(flowable):
    """The ``Frame`` a flowable is being laid out in, or None.

    ``Frame.add`` and ``Frame.split`` set ``flowable._frame`` while they call
    the flowable's ``wrap`` and ``split``.
    """
    return getattr(flowable, "_frame", None)


def frame_at_top(frame) -> bool:
    """Whether nothing has been added to ``frame`` on this page yet (``Frame._atTop``)."""
    return bool(frame._atTop)


def add_flate_image(canv, name: str, width: int, height: int, rgb: bytes, alpha: bytes | None) -> None:
    """Register the image XObject ``name`` from zlib-compressed 8-bit pixels.

    Registered as ``Canvas.drawImage`` registers one (then ``canv.doForm(name)``
    draws it, ``canv.hasForm(name)`` tells whether it is there), but from
    pixel streams already compressed: ``drawImage`` decodes the picture and
    compresses its pixels again on every build. ``rgb`` is the RGB stream,
    ``alpha`` the soft mask's grey stream or None. Relies on ``Canvas._doc``
    (the document being written) and ``PDFImageXObject._filters`` (the
    stream's filters, set by its loaders).
    """
    doc = canv._doc
    image = pdfdoc.PDFImageXObject(name)
    image.width, image.height, image.streamContent = width, height, rgb
    image.bitsPerComponent, image.colorSpace, image._filters = 8, "DeviceRGB", ("FlateDecode",)
    if alpha:
        mask = pdfdoc.PDFImageXObject(name + "a")
        mask.width, mask.height, mask.bitsPerComponent = width, height, 8
        mask.colorSpace, mask.streamContent, mask._filters = "DeviceGray", alpha, ("FlateDecode",)
        image.smask = doc.Reference(mask, doc.getXObjectName(mask.name))
    doc.Reference(image, doc.getXObjectName(name))
    doc.addForm(name, image)


def note_page_has_images(canv) -> None:
    """Tell the canvas its page shows an image (``Canvas._currentPageHasImages``,
    which ``drawImage`` sets and the page's resources read)."""
    canv._currentPageHasImages = 1


# ---------------------------------------------------------------- tagged PDF


def document_of(canv):
    """The ``PDFDocument`` a canvas writes into (``Canvas._doc``)."""
    return canv._doc


def page_annotation_count(canv) -> int:
    """How many annotations the current page holds so far (``Canvas._annotationrefs``,
    the list ``linkURL`` and ``linkRect`` append a reference to)."""
    return len(canv._annotationrefs)


def page_annotation_names(canv, start: int = 0) -> list[str]:
    """The document names of the current page's annotations from the ``start``-th on
    (``Canvas._annotationrefs``: ``PDFObjectReference`` objects, each with its ``name``)."""
    return [ref.name for ref in canv._annotationrefs[start:]]


def tag_annotation(doc, name: str, contents: str, struct_parent: int) -> None:
    """Give the annotation registered as ``name`` a ``/Contents`` text and a ``/StructParent`` key.

    ``linkURL`` registers a ``PDFDictionary``, set directly; ``linkRect`` (an
    internal link) a ``LinkAnnotation``, whose ``permitted`` keys leave out
    ``StructParent``: it is replaced by the dictionary it would write
    (``Dict()``, its destination still resolved when the file is written).
    Relies on ``PDFDocument.idToObject``.
    """
    annotation = doc.idToObject[name]
    if isinstance(annotation, pdfdoc.Annotation):
        annotation.Contents = contents
        annotation = doc.idToObject[name] = annotation.Dict()
    annotation["Contents"] = pdfdoc.PDFString(contents)
    annotation["StructParent"] = struct_parent


def last_page(doc):
    """The ``PDFPage`` that ``showPage`` added last (``PDFDocument.Pages.pages``)."""
    return doc.Pages.pages[-1]


def set_page_entries(page, **entries) -> None:
    """Write entries reportlab's ``PDFPage`` has no attribute for (``/StructParents``, ``/Tabs``).

    ``PDFPage.format`` writes the attributes its ``__NoDefault__`` list names:
    the page gets its own, longer list.
    """
    names = list(page.__NoDefault__)
    for key, value in entries.items():
        if key not in names:
            names.append(key)
        setattr(page, key, value)
    page.__NoDefault__ = names


def page_object_number(doc, index: int) -> int:
    """The object number of the ``index``-th page (0-based): pages are registered as
    ``Page1``, ``Page2``… (``PDFDocument.thisPageName``)."""
    return doc.idToObjectNumberAndVersion[f"Page{index + 1}"][0]


def object_number(doc, name: str) -> int:
    """The object number of the object registered as ``name`` (``PDFDocument.idToObjectNumberAndVersion``)."""
    return doc.idToObjectNumberAndVersion[name][0]


def next_object_number(doc) -> int:
    """The number the next registered object gets (``PDFDocument.objectcounter`` + 1)."""
    return doc.objectcounter + 1


def reserve_objects(doc, count: int) -> int:
    """Reserve ``count`` consecutive object numbers; return the first.

    Objects registered afterwards are numbered after them
    (``PDFDocument.objectcounter``). Write them with :func:`insert_objects`.
    """
    first = doc.objectcounter + 1
    doc.objectcounter += count
    return first


def insert_objects(doc, first: int, count: int, data, entries) -> None:
    """Have ``doc`` write the objects numbered ``first`` to ``first + count - 1``, already
    formatted, in their place among its own objects.

    ``data`` holds the ones written at the top level (``N 0 obj … endobj``),
    object streams among them; ``entries`` says where each number is, as
    cross-reference stream entries (ISO 32000-1, 7.5.8): ``(types, field2,
    field3)``, type 1 an object at offset ``field2`` in ``data``, type 2 the
    ``field3``-th object of the object stream numbered ``field2``.

    A tagged report has hundreds of thousands of structure elements:
    registered one by one (``PDFDocument.Reference``) each would cost four
    dictionary entries, a name and a tuple, and its own bytes in the file.
    They are written as one block instead, by :func:`format_document`, which
    the document uses in place of its ``format`` method.
    """
    doc.format = lambda: format_document(doc, (first, count, data, entries))


_XREF_ENTRY = struct.Struct(">BIH")  # /W [1 4 2]


def format_document(doc, block=None) -> bytes:
    """``PDFDocument.format``, writing ``block`` (see :func:`insert_objects`) in its place.

    The same steps as reportlab's: each registered object in number order
    (``numberToId``, ``idToObject``, ``idToOffset``), the cross-reference
    table, the trailer. Without a block, the same bytes as reportlab's own
    (``tests/test_adapter_reportlab.py`` checks it). With one, the
    cross-reference table is a stream (objects inside object streams need
    it), and the file says PDF 1.7. Relies on ``PDFDocument._pdfVersion``
    and the ``__accum__`` attribute objects may read while formatted.
    """
    if not isinstance(doc.encrypt, pdfdoc.NoEncryption):
        raise ValueError("an encrypted PDF cannot hold preformatted objects")
    if getattr(doc, "_digiSigs", None):
        raise ValueError("a signed PDF cannot hold preformatted objects")
    doc.encrypt.prepare(doc)
    cat, info = doc.Catalog, doc.info
    doc.Reference(cat)
    doc.Reference(info)
    numbertoid, idToOb, idToOf = doc.numberToId, doc.idToObject, doc.idToOffset
    first, count, data, (types, field2, field3) = block or (0, 0, b"", (b"", (), ()))
    if block:
        doc._pdfVersion = max(doc._pdfVersion, (1, 7))
    doc.__accum__ = out = pdfdoc.PDFFile(doc._pdfVersion)
    entry, size = _XREF_ENTRY, _XREF_ENTRY.size
    table = bytearray(entry.pack(0, 0, 65535))  # the cross-reference stream's entries, from object 0
    offsets = []  # of objects 1, 2… for a cross-reference table
    counter = 0
    while True:
        counter += 1
        if counter == first:
            start = out.add(data)
            at = len(table)
            table += bytes(size * count)
            for t, f2, f3 in zip(types, field2, field3):
                entry.pack_into(table, at, t, start + f2 if t == 1 else f2, f3)
                at += size
            counter += count - 1
            continue
        if counter not in numbertoid:
            break
        oid = numbertoid[counter]
        obj = idToOb[oid]
        formatted = pdfdoc.PDFIndirectObject(oid, obj).format(doc)
        if not rl_config.invariant and rl_config.pdfComments:
            out.add("%% %s: class %s \n" % (ascii(oid), obj.__class__.__name__[:50]))
        offset = out.add(formatted)
        idToOf[oid] = offset
        if block:
            table += entry.pack(1, offset, 0)
        else:
            offsets.append(offset)
    del doc.__accum__
    objects = counter  # objects 1 .. counter - 1, and the free entry 0
    written = len(table) // size - 1 if block else len(offsets)
    if written != objects - 1:
        raise ValueError(f"{written} objects written for {objects - 1} numbers")
    root, info_ref = doc.Reference(cat), doc.Reference(info)
    if not block:
        lines = [b"%d %d" % (0, objects), b"0000000000 65535 f "]
        lines += [b"%010d 00000 n " % offset for offset in offsets]
        lines.append(b"")
        xref = out.add(b"xref\n" + b"\n".join(lines))
        trailer = pdfdoc.PDFTrailer(startxref=xref, Size=objects, Root=root, Info=info_ref, ID=doc.ID())
        out.add(trailer.format(doc))
        return out.format(doc)
    # a cross-reference stream, itself object number ``objects``
    xref_at = out.offset
    table += entry.pack(1, xref_at, 0)
    content = zlib.compress(bytes(table))
    head = (b"%d 0 obj\n<</Type/XRef/Size %d/W [1 4 2]/Root %s/Info %s/ID %s/Filter/FlateDecode/Length %d>>"
            b"\nstream\n" % (objects, objects + 1, root.format(doc), info_ref.format(doc),
                             doc.ID().strip().split(b"\n")[0], len(content)))
    out.add(head + content + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at)
    return out.format(doc)


class _ToUnicodeCleanFont:
    """Mixin for ``TTFont``: ToUnicode maps without entries to U+0000.

    reportlab's subsets keep the codes they have not used yet (0-31 of the
    first subset, code 0 of each) mapped to glyph 0, and
    ``ttfonts.makeToUnicodeCMap`` writes them as ``<00> <0000>``, which
    PDF/UA forbids (ISO 14289-1, 7.21.7). ``addObjects`` writes the subsets
    (``TTFont.state[doc].subsets``, then deleted) and registers each map as
    ``toUnicodeCMap:<base font name>``: they are written again without those
    entries, with the same code space.
    """

    def addObjects(self, doc):
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)
        face = self.face
        for n, subset in enumerate(subsets):
            base = (b"".join((ttfonts.SUBSETN(n), b"+", face.name, face.subfontNameX))).decode("pdfdoc")
            stream = doc.idToObject.get("toUnicodeCMap:" + base)
            if stream is not None:
                stream.content = to_unicode_cmap(base, subset)


def to_unicode_cmap(name: str, subset: list[int]) -> str:
    """A ToUnicode CMap for a font subset (code ``i`` is ``subset[i]``), leaving out
    the codes mapped to U+0000 (unused): the code space stays the whole subset."""
    pairs = ["<%02X> <%04X>" % (i, v) for i, v in enumerate(subset) if v]
    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo", f"<< /Registry ({name})", f"/Ordering ({name})", "/Supplement 0", ">> def",
        f"/CMapName /{name} def", "/CMapType 2 def",
        "1 begincodespacerange", "<00> <%02X>" % (len(subset) - 1), "endcodespacerange",
    ]
    for i in range(0, len(pairs), 100):  # at most 100 entries per block (PDF reference, 5.9.2)
        chunk = pairs[i:i + 100]
        lines += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


class TTFont(_ToUnicodeCleanFont, ttfonts.TTFont):
    """reportlab's ``TTFont`` with ToUnicode maps PDF/UA accepts (see :class:`_ToUnicodeCleanFont`)."""


def annotation_target(doc, name: str) -> str | None:
    """The target of the link annotation registered as ``name`` (``PDFDocument.idToObject``):
    its URL (``linkURL`` writes it in its action's ``URI``), or ``#`` and the destination's
    name for a link inside the document (``linkRect`` makes a ``LinkAnnotation`` whose
    ``Destination`` keeps its ``name``), as a Paragraph's ``<a href>`` spells them; None
    when it has neither."""
    annotation = doc.idToObject[name]
    if isinstance(annotation, pdfdoc.LinkAnnotation):
        destination = getattr(annotation.Destination, "name", None)
        return f"#{destination}" if destination else None
    if not isinstance(annotation, pdfdoc.PDFDictionary):
        return None
    action = annotation.dict.get("A")
    uri = action.dict.get("URI") if isinstance(action, pdfdoc.PDFDictionary) else None
    return uri.s if isinstance(uri, pdfdoc.PDFString) else None


# ---------------------------------------------------------------- pagination


def frame_cursor(frame) -> float:
    """How far down ``frame`` is filled: the y (from the page's bottom) where the
    next flowable's space would start (``Frame._y``, moved by ``Frame.add``)."""
    return frame._y


def frame_bounds(frame) -> tuple[float, float]:
    """The bottom and the top of ``frame``'s text area, paddings left out
    (``Frame._y1p`` and ``Frame._y2`` less ``Frame._topPadding``)."""
    return frame._y1p, frame._y2 - frame._topPadding


def wrap_list(flowables, width: float, canv) -> float:
    """The height ``flowables`` take one after the other, spaces between them
    merged as a frame merges them (``flowables._listWrapOn``, what
    ``KeepTogether`` measures its content with)."""
    from reportlab.platypus.flowables import _listWrapOn

    return _listWrapOn(flowables, width, canv)[1]


def split_in_frame(flowable, frame, canv, width: float, height: float) -> list:
    """Ask ``flowable`` to split into ``height`` as ``Frame.split`` asks it, with
    ``flowable._frame`` and ``flowable.canv`` set while it answers."""
    flowable._frame = frame
    flowable.canv = canv
    try:
        return flowable.split(width, height)
    finally:
        for name in ("canv", "_frame"):
            if hasattr(flowable, name):
                delattr(flowable, name)


def set_frame_bottom(frame, bottom: float) -> None:
    """Move the bottom of ``frame``'s text area (``Frame._y1p``, the lowest y
    ``Frame.add`` and ``Frame.split`` fill down to): a page ends higher.
    The frame keeps it for the pages after: set it back when they begin."""
    frame._y1p = bottom
