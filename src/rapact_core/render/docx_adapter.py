"""Every use of a private or undocumented API behind the DOCX renderer, in one place.

python-docx has no public API for some of what a report needs, and the
standard library's ``zipfile`` exposes a member's compression level only from
Python 3.13. Each function here says what it relies on and fails with a
message naming it when the library no longer provides it;
``tests/test_adapter_docx.py`` checks each against the installed versions.
Nothing else in ``src/`` touches a python-docx attribute whose name starts
with ``_``.
"""

from __future__ import annotations

import zipfile


class LibraryChanged(RuntimeError):
    """A library no longer has the private attribute an adapter function relies on."""


def _changed(library: str, attribute: str, function: str) -> LibraryChanged:
    if library == "python-docx":
        from importlib.metadata import version

        installed = f"python-docx {version('python-docx')}"
    else:
        import platform

        installed = f"{library} of Python {platform.python_version()}"
    return LibraryChanged(f"{installed} no longer provides {attribute}, which "
                          f"rapact_core.render.docx_adapter.{function} relies on: update that function")


def set_compress_level(info: zipfile.ZipInfo, level: int) -> None:
    """Deflate the member ``info`` at ``level`` when it is written with ``ZipFile.open``.

    ``ZipInfo.compress_level`` is public from Python 3.13; before, the same
    setting is the private ``_compresslevel``, which ``ZipFile.writestr`` sets.
    """
    if hasattr(info, "compress_level"):
        info.compress_level = level
    elif "_compresslevel" in getattr(zipfile.ZipInfo, "__slots__", ()):
        info._compresslevel = level
    else:
        raise _changed("zipfile", "ZipInfo._compresslevel", "set_compress_level")


def header_footer_root(header_footer):
    """The ``w:hdr``/``w:ftr`` root element of a section's header or footer (python-docx ``_Header``/``_Footer``).

    Relies on ``part``, which python-docx keeps public "to support image
    insertion" but does not document as an interface, and on the part's
    ``element``. Call it after ``is_linked_to_previous = False``, or the root
    of the definition the header or footer inherits is returned.
    """
    part = getattr(header_footer, "part", None)
    root = getattr(part, "element", None)
    if root is None:
        raise _changed("python-docx", f"{type(header_footer).__name__}.part.element", "header_footer_root")
    return root


def replace_part_blob(part, blob: bytes) -> None:
    """Replace the bytes of a package part python-docx keeps as bytes (``docx.opc.part.Part``).

    Such a part (``app.xml``, the font table, the theme) has a read-only
    ``blob``; its bytes live in the private ``_blob``.
    """
    name = type(part).__name__
    if "_blob" not in vars(part):
        raise _changed("python-docx", f"{name}._blob", "replace_part_blob")
    old = part._blob
    part._blob = blob
    if part.blob != blob:  # an XML part serializes its element instead
        part._blob = old
        raise _changed("python-docx", f"{name}._blob as the bytes {name}.blob returns", "replace_part_blob")
