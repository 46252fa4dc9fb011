"""The PDF's fonts: the DejaVu Sans family, embedded.

reportlab's standard Helvetica is WinAnsi only (it silently falls back to
ZapfDingbats/Symbol for ✓ or →) and its bundled Vera lacks ✓ and U+202F, the
group separator of every French amount. DejaVu Sans has them all, and
matplotlib, one of our dependencies, ships the four faces we need. We locate
them through the import system *without importing matplotlib* (its import
costs ~0.65 s), so a fresh machine without /usr/share/fonts works too.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

FAMILY = "DejaVuSans"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"

#: font name -> file name inside matplotlib/mpl-data/fonts/ttf
FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}

_lock = threading.Lock()
_registered = False


def font_dir() -> Path:
    """The folder holding matplotlib's DejaVu TTF files (matplotlib is not imported)."""
    spec = importlib.util.find_spec("matplotlib")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        folder = Path(location) / "mpl-data" / "fonts" / "ttf"
        if all((folder / name).is_file() for name in FILES.values()):
            return folder
    from ..errors import RapactError
    from ..i18n import _

    raise RapactError(_("the DejaVu Sans fonts were not found: the PDF renderer takes them from matplotlib "
                        "(mpl-data/fonts/ttf); reinstall matplotlib"))


def register_fonts() -> str:
    """Register the DejaVu Sans family with reportlab once per process; return its name.

    After this, Paragraph markup ``<b>``/``<i>`` maps to the bold/oblique faces.
    """
    global _registered
    if _registered:
        return FAMILY
    with _lock:
        if _registered:
            return FAMILY
        from reportlab.pdfbase import pdfmetrics

        from .reportlab_adapter import TTFont  # ToUnicode maps that PDF/UA accepts

        folder = font_dir()
        for name, file in FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(folder / file)))
        pdfmetrics.registerFontFamily(
            FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
        )
        _registered = True
    return FAMILY


def missing_glyphs(text: str, name: str = REGULAR) -> set[str]:
    """The characters of ``text`` that the font cannot draw (they would print as boxes)."""
    register_fonts()
    from reportlab.pdfbase import pdfmetrics

    cmap = pdfmetrics.getFont(name).face.charToGlyph
    return {ch for ch in set(text) if ch not in "\n\t" and ord(ch) not in cmap}
