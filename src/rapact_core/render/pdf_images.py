"""Pictures in the PDF: charts from cached image streams, and scaled image files.

reportlab embeds a PNG by decoding it and compressing its pixels again (zlib,
~50 ms for a 1280x680 chart, its alpha channel as a second image). A chart's
PNG sits in the content-addressed chart cache: its PDF image stream is kept
beside it, so a rebuild with unchanged charts embeds bytes and never
recompresses a pixel.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from pathlib import Path

from reportlab.platypus import Flowable

from .. import model as m
from . import reportlab_adapter as rl
from .pdf_flowables import DryDraw, DryImage
from .pdf_marking import Tagged

_IMAGE_MAGIC = b"RAPACT-PDFIMAGE-1"


def chart_stream(path: Path) -> tuple[int, int, bytes, bytes | None]:
    """(width, height, RGB stream, alpha stream or None) of a PNG, zlib-compressed.

    Cached in ``<png stem>.<digest>.pdfimage`` next to the PNG (the digest
    is the PNG's own, so a changed PNG never reuses a stale stream).
    """
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:20]
    cached = path.with_name(f"{path.stem}.{digest}.pdfimage")
    try:
        blob = cached.read_bytes()
        header, _, rest = blob.partition(b"\n")
        magic, w, h, n_rgb, n_alpha = header.split()
        if magic == _IMAGE_MAGIC and len(rest) == int(n_rgb) + int(n_alpha):
            n_rgb = int(n_rgb)
            return int(w), int(h), rest[:n_rgb], rest[n_rgb:] or None
    except (OSError, ValueError):
        pass
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        im = im.convert("RGBA")
        channel = im.getchannel("A")
        alpha = None
        if channel.getextrema() != (255, 255):  # charts are opaque: no soft mask
            alpha = zlib.compress(channel.tobytes())
        w, h = im.size
        rgb = zlib.compress(im.convert("RGB").tobytes())
    blob = b"%s %d %d %d %d\n" % (_IMAGE_MAGIC, w, h, len(rgb), len(alpha or b"")) + rgb + (alpha or b"")
    try:
        tmp = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, cached)
    except OSError:  # a read-only cache still renders
        pass
    return w, h, rgb, alpha


class ChartImage(Tagged, DryDraw, Flowable):
    """A chart, embedded from the PDF image stream cached beside its PNG (see :func:`chart_stream`)."""

    def __init__(self, chart: m.Chart, width: float, height: float, anchor: str | None = None):
        super().__init__()
        self.chart = chart
        self.drawWidth, self.drawHeight = width, height
        self.hAlign = "CENTER"
        #: the destination cross-references to this figure jump to
        self.anchor = anchor

    def wrap(self, availWidth, availHeight):
        self.width, self.height = self.drawWidth, self.drawHeight
        return self.drawWidth, self.drawHeight

    def draw(self):
        from .charts import chart_key, chart_png

        canv = self.canv
        if self.anchor:
            canv.bookmarkHorizontal(self.anchor, 0, self.drawHeight)
        name = f"rapactchart{chart_key(self.chart)}"
        if not canv.hasForm(name):  # once per document, however often it is drawn
            rl.add_flate_image(canv, name, *chart_stream(chart_png(self.chart)))
        rl.note_page_has_images(canv)
        canv.saveState()
        canv.scale(self.drawWidth, self.drawHeight)
        canv.doForm(name)
        canv.restoreState()


def scaled_image(path: Path, max_width: float, max_height: float, h_align="CENTER") -> DryImage:
    """The picture at ``path``, as large as fits in ``max_width`` x ``max_height``."""
    from reportlab.lib.utils import ImageReader

    iw, ih = ImageReader(str(path)).getSize()
    scale = min(max_width / iw, max_height / ih)
    image = DryImage(str(path), width=iw * scale, height=ih * scale)
    image.hAlign = h_align
    return image
