"""Fonts that travel with the DOCX: DejaVu Sans embedded the way Word embeds TrueType fonts.

Office PCs do not have DejaVu Sans, the report's font (the PDF's and the
charts'); without it Word substitutes another font and the layout moves. So
the DOCX carries it (ECMA-376 Part 1, §17.8.3): each face is an obfuscated
part (``word/fonts/fontN.odttf``) that ``fontTable.xml`` names in
``w:embedRegular``/``w:embedBold``/``w:embedItalic``/``w:embedBoldItalic``
with the key that undoes the obfuscation (§17.8.1: the first 32 bytes are
XORed with the key's 16 bytes, taken in reverse order). ``w:embedTrueTypeFonts``
in the settings asks Word to keep them when the file is saved again.

Each face is cut down to the characters a French-speaking editor types
(Latin, punctuation, currency and the few symbols the report uses) plus every
character of the document, with fontTools (a dependency of matplotlib): about
70 KB a face instead of 700. Cutting takes ~0.6 s a face, so the result is
kept in the chart cache, keyed by the font file and the characters, and
checked (a SHA-256 trailer) before it is used. The
fonts are embedded only when the document's styles use them: an
organisation's template set in Office fonts gets none.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn

from .. import model as m
from . import docx_xml as X
from . import fonts
from .docx_adapter import replace_part_blob

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
#: the faces cut to BASE, shipped (templates/make_fonts.py)
SHIPPED = Path(__file__).resolve().parent / "templates" / "fonts"
#: font family as the styles name it -> (fontTable element, font file name) per face
EMBEDDABLE = {
    "DejaVu Sans": (("embedRegular", fonts.FILES[fonts.REGULAR]), ("embedBold", fonts.FILES[fonts.BOLD]),
                    ("embedItalic", fonts.FILES[fonts.ITALIC]),
                    ("embedBoldItalic", fonts.FILES[fonts.BOLD_ITALIC])),
}
#: what an editor may type in any report, embedded whatever the document holds
BASE_RANGES = (
    (0x20, 0x7E), (0xA0, 0x17F),        # Basic Latin, Latin-1, Latin Extended-A
    (0x2000, 0x206F),                   # general punctuation: dashes, quotes, narrow no-break space
    (0x20AC, 0x20AC), (0x2122, 0x2122),  # €, ™
    (0x2190, 0x2193), (0x2212, 0x2212),  # arrows, minus
    (0x25AA, 0x25AA), (0x25E6, 0x25E6), (0x2713, 0x2718),  # list bullets, ✓ ✗
)
BASE = frozenset(c for lo, hi in BASE_RANGES for c in range(lo, hi + 1))
_OUTSIDE_BASE = re.compile("[^" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in BASE_RANGES) + "\n\t]")
# the face's own tables fontTools cannot cut, dropped with a warning otherwise
_DROP_TABLES = ["FFTM"]


# ---------------------------------------------------------------- which characters


def document_chars(doc: m.Document) -> set[str]:
    """The characters of ``doc``'s text outside :data:`BASE`, control characters aside
    (numbers and dates are formatted with characters of the base: only strings are read)."""
    texts: list[str] = []
    add = texts.append
    meta = doc.meta
    for value in (meta.title, meta.organisation, meta.subject, meta.reference):
        add(value or "")
    for s in meta.signatories:
        add(s.name)
        add(s.role)

    def inlines(content) -> None:
        for item in content:
            if isinstance(item, m.Text):
                add(item.text)
            elif isinstance(item, m.Link):
                inlines(item.content)

    def rows_of(rows) -> None:
        if isinstance(rows, m.PlainRows):  # a registry of thousands of rows: joined at C speed
            try:
                add("".join(map("".join, rows.values)))
            except TypeError:  # not only strings
                add("".join([v for row in rows.values for v in row if v.__class__ is str]))
            return
        for row in rows:
            add("".join([c.value for c in row.cells if c.value.__class__ is str]))

    def block(b) -> None:
        if isinstance(b, (m.Heading, m.Paragraph)):
            inlines(b.content)
        elif isinstance(b, m.ListBlock):
            add(b.bullet or "")  # a list's own symbol ("►") is drawn in the text's font
            for item in b.items:
                inlines(item.content)
                if item.children is not None:
                    block(item.children)
        elif isinstance(b, m.Table):
            add(b.caption)
            add("".join(c.label for c in b.columns))
            for rows in (b.header, b.body, b.foot):
                rows_of(rows)
        elif isinstance(b, m.Figure):
            add(b.caption)
        elif isinstance(b, m.TableOfContents):
            add(b.title)
        elif isinstance(b, m.Custom):
            add(b.fallback_text)

    for b in doc.blocks():
        block(b)
    found: set[str] = set()
    for text in texts:
        try:
            text.encode("latin-1")  # the usual case (a registry's rows), ten times faster than the search
        except UnicodeEncodeError:
            found.update(_OUTSIDE_BASE.findall(text))
    return found


# ---------------------------------------------------------------- subsets


def _cache_folder() -> Path | None:
    from .charts import cache_dir

    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # no cache: the subset is made again next time
    return folder if folder.is_dir() else None


def subset_font(path: Path, codepoints: frozenset[int]) -> bytes:
    """The TrueType font at ``path`` cut down to ``codepoints`` (hinting, kerning and
    names kept): the shipped cut for :data:`BASE`, else from the cache when it holds it."""
    if codepoints == BASE and (SHIPPED / path.name).is_file():
        return (SHIPPED / path.name).read_bytes()
    st = path.stat()
    key = hashlib.sha256(repr((3, path.name, st.st_size, st.st_mtime_ns,
                                sorted(codepoints))).encode()).hexdigest()[:24]
    folder = _cache_folder()
    cached = folder / f"font-{key}.bin" if folder else None
    if cached is not None:
        with contextlib.suppress(OSError):
            blob = cached.read_bytes()
            data, digest = blob[:-32], blob[-32:]
            if len(blob) > 32 and hashlib.sha256(data).digest() == digest:
                return data
    data = cut(path, codepoints)
    if cached is not None:
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(data + hashlib.sha256(data).digest())
            os.replace(tmp, cached)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()
    return data


def cut(path: Path, codepoints: frozenset[int]) -> bytes:
    """The font at ``path`` cut to ``codepoints`` with fontTools, the same bytes every time."""
    import io
    import logging

    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), recalcTimestamp=False)  # the same bytes from one build to the next
    cmap = font.getBestCmap()
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.layout_features = ["*"]
    options.notdef_outline = True
    options.drop_tables += _DROP_TABLES
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(c for c in codepoints if c in cmap))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- obfuscation


def font_key(data: bytes) -> str:
    """A GUID for the font part, ``{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}``, from its bytes."""
    h = hashlib.sha256(data).hexdigest()[:32].upper()
    return "{" + f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}" + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 Part 1 §17.8.1: XOR the first 32 bytes with the key's bytes in reverse
    order (the same operation undoes it)."""
    raw = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ raw[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


# ---------------------------------------------------------------- the package


def fonts_in_use(document) -> set[str]:
    """The font names the document's default run properties and styles give."""
    names = set()
    root = document.styles.element
    for rfonts in root.iter(qn("w:rFonts")):
        for attr in ("w:ascii", "w:hAnsi"):
            value = rfonts.get(qn(attr))
            if value:
                names.add(value)
    return names


def _font_table_part(document):
    for rel in document.part.rels.values():
        if rel.reltype == RT.FONT_TABLE and not rel.is_external:
            return rel.target_part
    return None


def embed_fonts(document, extra_chars: set[str]) -> list[str]:
    """Embed each :data:`EMBEDDABLE` family the document's styles use, cut to :data:`BASE`
    and ``extra_chars``. Returns the families embedded; a template that embeds a family
    itself keeps its own."""
    table_part = _font_table_part(document)
    wanted = sorted(fonts_in_use(document) & EMBEDDABLE.keys())
    if table_part is None or not wanted:
        return []
    from lxml import etree

    root = etree.fromstring(table_part.blob)
    embedded = []
    codepoints = BASE | {ord(c) for c in extra_chars} if extra_chars else BASE
    folder = fonts.font_dir()
    for family in wanted:
        font = next((f for f in root.findall(qn("w:font")) if f.get(qn("w:name")) == family), None)
        if font is None:
            font = X.parse_element(f'<w:font w:name="{X.esc_attr(family)}"><w:family w:val="swiss"/>'
                                   '<w:pitch w:val="variable"/></w:font>')
            root.append(font)
        if any(child.tag.startswith(qn("w:embed")) for child in font):
            continue
        for element, file in EMBEDDABLE[family]:
            data = subset_font(folder / file, codepoints)
            key = font_key(data)
            partname = document.part.package.next_partname("/word/fonts/font%d.odttf")
            part = Part(PackURI(partname), OBFUSCATED_FONT, obfuscate(data, key), document.part.package)
            rid = table_part.relate_to(part, RT.FONT)
            font.append(X.parse_element(f'<w:{element} r:id="{rid}" w:fontKey="{key}"/>'))
        embedded.append(family)
    replace_part_blob(table_part, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
    return embedded
