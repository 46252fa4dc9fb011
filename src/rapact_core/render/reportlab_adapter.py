"""Every use of a private reportlab attribute, in one place.

reportlab has no public API for a few things the PDF renderer needs to stay
fast: keeping a paragraph's lines between layouts, reading the row heights a
Table measured, knowing whether a flowable sits at the top of its frame, and
embedding an image from pixels compressed on an earlier build; nor for what
its pagination needs: where a frame's cursor stands, measuring flowables
one after the other as a frame does, asking a flowable to split below
others, and ending a page higher. Each function
here names what it relies on; ``tests/test_adapter_reportlab.py`` fails,
naming the attribute, as soon as a reportlab release changes one of them.
Nothing else in ``src/`` touches a reportlab name starting with ``_``.
"""

from __future__ import annotations

from reportlab.pdfbase import pdfdoc


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
