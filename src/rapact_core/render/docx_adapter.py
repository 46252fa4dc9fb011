"""Every use of a private API behind the DOCX renderer, in one place.

python-docx has no public API for some of what a report needs, and the
standard library's ``zipfile`` exposes a member's compression level only from
Python 3.13. Each function here says what it relies on; ``tests/test_adapters.py``
fails, naming the attribute, as soon as a library changes it.
"""

from __future__ import annotations

import zipfile


def set_compress_level(info: zipfile.ZipInfo, level: int) -> None:
    """Deflate the member ``info`` at ``level`` when it is written with ``ZipFile.open``.

    ``ZipInfo.compress_level`` is public from Python 3.13; before, the same
    setting is the private ``_compresslevel``, which ``ZipFile.writestr`` sets.
    """
    if hasattr(info, "compress_level"):
        info.compress_level = level
    else:
        info._compresslevel = level
