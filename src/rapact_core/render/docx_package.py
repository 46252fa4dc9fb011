"""Writing the .docx package: deterministic zip members, big tables spliced in at save time.

python-docx builds the package and ``Document.save`` writes it; the result is
read back and written again with :mod:`zipfile`, with fixed timestamps and
attributes, so that the same model gives the same bytes. Tables of more than a
few hundred rows never become lxml trees: the body holds a placeholder
paragraph for each, and the table's XML, made row batch by row batch, replaces
it while ``word/document.xml`` is deflated.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from .docx_adapter import set_compress_level

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
SPLICE_MARK = "\ue000rapact-table-{}\ue000"
BIG_PART_BYTES = 4 * 1024 * 1024


def splice_placeholder(n: int):
    """A paragraph standing for big table ``n`` until the document is written."""
    return parse_xml(f"<w:p {nsdecls('w')}><w:r><w:t>{SPLICE_MARK.format(n)}</w:t></w:r></w:p>")


def splice_pieces(blob: bytes, tables: dict[int, Iterable[str]]) -> Iterator[bytes]:
    """``document.xml`` in pieces, each placeholder paragraph replaced by its table's XML.

    Big tables never become lxml trees: parsing a 50,000-row table and
    serializing it again cost about a second and several hundred MiB. Their
    pieces are made as they are asked for, while earlier ones are deflated.
    """
    pos = 0
    for n in sorted(tables):
        mark = SPLICE_MARK.format(n).encode("utf-8")
        at = blob.find(mark, pos)
        start = blob.rfind(b"<w:p>", pos, at) if at >= 0 else -1
        end = blob.find(b"</w:p>", at) if at >= 0 else -1
        if at < 0 or start < 0 or end < 0:
            raise ValueError(f"DOCX: the place of table {n} was lost")
        yield blob[pos:start]
        for piece in tables[n]:
            yield piece.encode("utf-8")
        pos = end + len(b"</w:p>")
    yield blob[pos:]


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 0
    return info


def _level(size: int) -> int:
    # level 6 takes twice as long as level 3 on a part of tens of MB (a
    # registry annex) for a file ~20 % smaller; small parts keep level 6
    return 6 if size < BIG_PART_BYTES else 3


def save_deterministic(document, spliced: dict[int, Iterable[str]] | None = None) -> bytes:
    """The package python-docx saves, rewritten with fixed timestamps and attributes.

    Same member order as ``Document.save``. Each placeholder of a big table in
    ``document.xml`` is replaced by the table's XML while the part is
    deflated (see ``splice_pieces``).
    """
    saved = io.BytesIO()
    document.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for member in src.infolist():
            data = src.read(member.filename)
            info = _zip_info(member.filename)
            if spliced and member.filename == "word/document.xml":
                set_compress_level(info, 3)  # a document with big tables: see ``_level``
                with dst.open(info, "w") as part:
                    for piece in splice_pieces(data, spliced):
                        part.write(piece)
            else:
                dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=_level(len(data)))
    return out.getvalue()
