"""Build ``fonts/``: the DejaVu Sans faces the DOCX embeds, cut down to the characters of any report.

Run from the repository root::

    PYTHONPATH=src python src/rapact_core/render/templates/make_fonts.py

Each of the four faces of matplotlib's DejaVu Sans (the PDF's and the charts'
font) is cut with fontTools to :data:`rapact_core.render.docx_fonts.BASE`
(Latin, punctuation, currency and the report's symbols), hinting, kerning and
names kept: ~70 KB a face instead of 700. Cutting takes ~0.6 s a face, so it is
done here once and the result is shipped; a document holding characters beyond
the base is cut at build time instead (``docx_fonts.subset_font``). The fonts'
licence (Bitstream Vera and DejaVu changes, which allow modified copies that are
not named "Bitstream" or "Vera") is copied beside them.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
try:
    import rapact_core  # noqa: F401
except ImportError:  # run directly from a checkout without PYTHONPATH
    sys.path.insert(0, str(HERE.parents[2]))
from rapact_core.render import docx_fonts, fonts

TARGET = HERE / "fonts"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    target = Path(argv[0]) if argv else TARGET
    target.mkdir(parents=True, exist_ok=True)
    source = fonts.font_dir()
    for name in fonts.FILES.values():
        (target / name).write_bytes(docx_fonts.cut(source / name, docx_fonts.BASE))
        print(f"wrote {target / name}")
    shutil.copy(source / "LICENSE_DEJAVU", target / "LICENSE_DEJAVU")  # matplotlib ships it beside the fonts
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
