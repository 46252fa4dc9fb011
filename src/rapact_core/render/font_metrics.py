"""The advance widths of a TrueType font, read straight from its file: for measuring text.

Column widths (:mod:`.layout`) need the width of a few hundred words in the
table's font, in every format. reportlab measures text too, but registering a
face parses its whole file in Python (~35 ms a face, plus ~0.15 s of imports):
a DOCX or HTML build that draws nothing would pay for it. This reads the three
tables a width needs (``head``, ``hhea``/``hmtx``, ``cmap``) with ``struct``
and ``array``, in about a millisecond, and gives the same widths as
reportlab's ``stringWidth`` (no kerning, as reportlab; ``tests`` compare them).
"""

from __future__ import annotations

import struct
import sys
from array import array
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path


class FontMetrics:
    """A font's advance widths by character, in thousandths of the font size."""

    def __init__(self, data: bytes):
        tables = {}
        (count,) = struct.unpack_from(">H", data, 4)
        for i in range(count):
            tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
            tables[tag.decode("latin-1")] = (offset, length)
        head, hhea, hmtx = tables["head"][0], tables["hhea"][0], tables["hmtx"][0]
        (units,) = struct.unpack_from(">H", data, head + 18)
        (n_metrics,) = struct.unpack_from(">H", data, hhea + 34)
        metrics = _u16(data, hmtx, 2 * n_metrics)
        scale = 1000 / units
        #: glyph id -> advance width; a glyph past the table has the last one's
        self.advances = [metrics[2 * g] * scale for g in range(n_metrics)]
        self.default = self.advances[0]  # glyph 0: what a missing character prints
        self._lookup = _cmap(data, tables["cmap"][0])
        self._widths: dict[str, float] = {}

    def char_width(self, ch: str) -> float:
        width = self._widths.get(ch)
        if width is None:
            glyph = self._lookup(ord(ch))
            if glyph == 0 and ch == "\u00a0":  # as reportlab: a no-break space is a space
                glyph = self._lookup(0x20)
            if glyph == 0:
                width = self.default
            else:
                width = self.advances[min(glyph, len(self.advances) - 1)]
            self._widths[ch] = width
        return width

    def width(self, text: str, size: float) -> float:
        """The width of ``text`` set at ``size`` points, in points."""
        known = self._widths
        try:  # the characters met before: one C-level pass (tens of thousands of dates)
            return sum(map(known.__getitem__, text)) * size / 1000
        except KeyError:
            for ch in set(text):
                self.char_width(ch)
            return sum(map(known.__getitem__, text)) * size / 1000


def _u16(data: bytes, offset: int, count: int) -> array:
    values = array("H", data[offset:offset + 2 * count])
    if sys.byteorder == "little":
        values.byteswap()  # TrueType is big-endian
    return values


def _cmap(data: bytes, cmap: int):
    """A function from a code point to a glyph id, from the best Unicode subtable
    (format 12, else format 4)."""
    (n,) = struct.unpack_from(">H", data, cmap + 2)
    subtables = {}
    for i in range(n):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        (fmt,) = struct.unpack_from(">H", data, cmap + offset)
        subtables[(platform, encoding, fmt)] = cmap + offset
    for key in ((3, 10, 12), (0, 4, 12), (0, 6, 12)):
        if key in subtables:
            return _format12(data, subtables[key])
    for key in ((3, 1, 4), (0, 3, 4), (0, 1, 4), (0, 0, 4)):
        if key in subtables:
            return _format4(data, subtables[key])
    raise ValueError("the font has no Unicode character map")


def _format4(data: bytes, at: int):
    (seg_x2,) = struct.unpack_from(">H", data, at + 6)
    segs = seg_x2 // 2
    ends = _u16(data, at + 14, segs)
    starts = _u16(data, at + 16 + seg_x2, segs)
    deltas = _u16(data, at + 16 + 2 * seg_x2, segs)
    ranges_at = at + 16 + 3 * seg_x2
    ranges = _u16(data, ranges_at, segs)

    def lookup(code: int) -> int:
        i = bisect_left(ends, code)
        if i == segs or starts[i] > code:
            return 0
        if ranges[i] == 0:
            return (code + deltas[i]) & 0xFFFF
        (glyph,) = struct.unpack_from(">H", data, ranges_at + 2 * i + ranges[i] + 2 * (code - starts[i]))
        return (glyph + deltas[i]) & 0xFFFF if glyph else 0

    return lookup


def _format12(data: bytes, at: int):
    (groups,) = struct.unpack_from(">I", data, at + 12)
    table = [struct.unpack_from(">III", data, at + 16 + 12 * i) for i in range(groups)]
    ends = [end for _start, end, _glyph in table]

    def lookup(code: int) -> int:
        i = bisect_left(ends, code)
        if i == groups or table[i][0] > code:
            return 0
        return table[i][2] + code - table[i][0]

    return lookup


@lru_cache(maxsize=16)
def font_metrics(path: str | Path) -> FontMetrics:
    """The metrics of the TrueType file at ``path``, read once per process."""
    return FontMetrics(Path(path).read_bytes())
