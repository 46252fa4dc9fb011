"""Guards for ``render/docx_adapter.py``: each private or undocumented API it relies on.

When python-docx (or the standard library's zipfile) changes one of them, the
guard test of that function fails with a message naming the attribute, and a
behavioural test shows what broke. A last test checks that no other module of
the DOCX renderer reaches into a private attribute.
"""

from __future__ import annotations

import ast
import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from rapact_core.render import docx_adapter as A

SRC = Path(__file__).resolve().parents[1] / "src" / "rapact_core" / "render"


# ---------------------------------------------------------------- set_compress_level (zipfile)


def _raw_member(archive: bytes, name: str) -> bytes:
    """The deflated bytes of member ``name`` as stored in the archive."""
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        info = z.getinfo(name)
    start = info.header_offset
    name_len, extra_len = struct.unpack("<HH", archive[start + 26:start + 30])
    data = start + 30 + name_len + extra_len
    return archive[data:data + info.compress_size]


def _written_at(level: int, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        info = zipfile.ZipInfo("word/document.xml", date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        A.set_compress_level(info, level)
        with z.open(info, "w") as member:
            member.write(data)
    archive = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        assert z.read("word/document.xml") == data
    return _raw_member(archive, "word/document.xml")


def test_set_compress_level_guard():
    if sys.version_info >= (3, 13):
        assert hasattr(zipfile.ZipInfo("x"), "compress_level"), (
            "zipfile changed: ZipInfo.compress_level (public from Python 3.13) is gone; "
            "update docx_adapter.set_compress_level")
    else:
        assert "_compresslevel" in zipfile.ZipInfo.__slots__, (
            "zipfile changed: ZipInfo._compresslevel, which ZipFile.open(info, 'w') reads for the "
            "deflate level, is gone; update docx_adapter.set_compress_level")


def test_member_written_through_open_is_deflated_at_the_level_set():
    data = b"".join(b'<w:p><w:r><w:t>Ligne %d de la table</w:t></w:r></w:p>' % i for i in range(20000))
    for level in (1, 3, 9):
        deflater = zlib.compressobj(level, zlib.DEFLATED, -15)
        expected = deflater.compress(data) + deflater.flush()
        assert _written_at(level, data) == expected, f"the member was not deflated at level {level}"
    assert len(_written_at(1, data)) > len(_written_at(9, data))


def test_set_compress_level_names_the_attribute_when_zipfile_lacks_it(monkeypatch):
    class OldZipInfo:  # neither compress_level nor a _compresslevel slot
        __slots__ = ("filename",)

    monkeypatch.setattr(zipfile, "ZipInfo", OldZipInfo)
    info = OldZipInfo()
    with pytest.raises(A.LibraryChanged, match=r"ZipInfo\._compresslevel.*set_compress_level"):
        A.set_compress_level(info, 3)


# ---------------------------------------------------------------- header_footer_root (python-docx)


def test_header_footer_root_guard():
    section = docx.Document().sections[0]
    for hf, tag in ((section.header, "w:hdr"), (section.footer, "w:ftr"),
                    (section.first_page_header, "w:hdr")):
        hf.is_linked_to_previous = False
        part = getattr(hf, "part", None)
        assert part is not None, (
            f"python-docx changed: {type(hf).__name__}.part (the header/footer part) is gone; "
            "update docx_adapter.header_footer_root")
        assert getattr(part, "element", None) is not None and part.element.tag == qn(tag), (
            f"python-docx changed: {type(hf).__name__}.part.element is no longer the {tag} root; "
            "update docx_adapter.header_footer_root")


def test_header_footer_root_is_what_the_saved_header_holds():
    from rapact_core.render.docx_xml import parse_fragment

    d = docx.Document()
    section = d.sections[0]
    for hf, text in ((section.header, "RAPPORT 2021"), (section.footer, "- 1 -")):
        hf.is_linked_to_previous = False
        root = A.header_footer_root(hf)
        for child in list(root):
            root.remove(child)
        root.append(parse_fragment(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")[0])
    out = io.BytesIO()
    d.save(out)
    back = docx.Document(io.BytesIO(out.getvalue())).sections[0]
    assert [p.text for p in back.header.paragraphs] == ["RAPPORT 2021"]
    assert [p.text for p in back.footer.paragraphs] == ["- 1 -"]


def test_header_footer_root_names_the_attribute_when_python_docx_lacks_it():
    class Header:  # what a python-docx without ``part`` would give
        pass

    with pytest.raises(A.LibraryChanged, match=r"python-docx .*Header\.part\.element.*header_footer_root"):
        A.header_footer_root(Header())


# ---------------------------------------------------------------- replace_part_blob (python-docx)


def _app_part(document):
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    return next(r.target_part for r in document.part.package.rels.values() if r.reltype == RT.EXTENDED_PROPERTIES)


def test_replace_part_blob_guard():
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    part = Part(PackURI("/docProps/app.xml"), "application/xml", b"<old/>")
    assert "_blob" in vars(part), (
        "python-docx changed: docx.opc.part.Part no longer keeps its bytes in _blob; "
        "update docx_adapter.replace_part_blob")
    assert part.blob == b"<old/>", "python-docx changed: Part.blob no longer returns Part._blob"
    assert type(_app_part(docx.Document())) is Part, (
        "python-docx changed: app.xml is no longer a plain docx.opc.part.Part")


def test_replaced_blob_is_what_the_package_saves():
    d = docx.Document()
    new = b"<?xml version='1.0'?><Properties><Application>rapact</Application></Properties>"
    A.replace_part_blob(_app_part(d), new)
    out = io.BytesIO()
    d.save(out)
    with zipfile.ZipFile(out) as z:
        assert z.read("docProps/app.xml") == new


def test_replace_part_blob_names_the_attribute_for_a_part_without_it():
    d = docx.Document()
    with pytest.raises(A.LibraryChanged, match=r"python-docx .*DocumentPart\._blob.*replace_part_blob"):
        A.replace_part_blob(d.part, b"<w:document/>")  # an XML part: its bytes are its element


# ---------------------------------------------------------------- nothing else is private


def _private_uses(path: Path) -> list[str]:
    """``obj._name`` on anything but ``self``/``cls``, and ``from x import _name``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                found.append(f"{path.name}:{node.lineno} .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("docx"):
            found += [f"{path.name}:{node.lineno} import {a.name}" for a in node.names if a.name.startswith("_")]
            if any(part.startswith("_") for part in node.module.split(".")):
                found.append(f"{path.name}:{node.lineno} from {node.module}")
    return found


def test_only_the_adapter_reaches_into_private_attributes():
    files = sorted(SRC.glob("docx*.py")) + [SRC / "templates" / "make_reference.py"]
    assert len(files) > 5
    uses = [use for f in files if f.name != "docx_adapter.py" for use in _private_uses(f)]
    assert uses == [], "private attributes used outside render/docx_adapter.py: " + ", ".join(uses)
    assert _private_uses(SRC / "docx_adapter.py"), "the scan finds nothing: it is broken"
