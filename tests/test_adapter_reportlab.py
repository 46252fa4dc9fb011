"""Guards for render/reportlab_adapter.py: every private reportlab name it relies on.

Each test exercises one function of the adapter against the installed
reportlab and fails, naming the attribute, when a reportlab release renames
or drops it; where it is cheap, it also checks that the function still does
its job. The last test keeps every other private reportlab use out of src/.
"""

from __future__ import annotations

import ast
import io
import re
import zlib
from pathlib import Path

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table
from reportlab.platypus.frames import Frame

from rapact_core.render import fonts
from rapact_core.render import reportlab_adapter as rl

pypdf = pytest.importorskip("pypdf")

SRC = Path(__file__).resolve().parents[1] / "src"
ADAPTER = SRC / "rapact_core" / "render" / "reportlab_adapter.py"


def changed(what: str, function: str) -> str:
    return f"reportlab no longer has {what}: update render/reportlab_adapter.py ({function})"


def style() -> ParagraphStyle:
    fonts.register_fonts()
    return ParagraphStyle("guard", fontName=fonts.REGULAR, fontSize=10, leading=12)


def drawn(flowable, width: float, height: float) -> bytes:
    """The PDF of one page with ``flowable`` drawn at its top left."""
    out = io.BytesIO()
    canv = Canvas(out, invariant=1)
    flowable.drawOn(canv, 20, 800 - height)
    canv.showPage()
    canv.save()
    return out.getvalue()


@pytest.mark.parametrize("word_wrap", ["LTR", "RTL"])  # RTL drawing reads _wrapWidths again
def test_paragraph_lines_can_be_given_back_without_breaking_the_text_again(word_wrap):
    text = "Le rapport d'activités de l'intercommunale, " * 12
    para = Paragraph(text, ParagraphStyle("wrap", parent=style(), wordWrap=word_wrap))
    w, h = para.wrap(200, 1000)
    assert hasattr(para, "_wrapWidths"), changed("Paragraph._wrapWidths", "paragraph_lines")
    assert hasattr(para, "blPara"), changed("Paragraph.blPara", "paragraph_lines")
    lines = rl.paragraph_lines(para)
    assert len(lines[1].lines) > 3  # the text was broken into several lines

    fresh = Paragraph(text, para.style)  # never wrapped: it only gets the lines back
    fresh.width, fresh.height = w, h
    rl.restore_paragraph_lines(fresh, lines)
    assert drawn(fresh, w, h) == drawn(para, w, h), \
        "a Paragraph given its lines back draws differently: update render/reportlab_adapter.py"


def test_table_row_heights_are_the_measured_rows():
    table = Table([["une ligne"], [Paragraph("deux<br/>lignes", style())]], colWidths=[100])
    w, h = table.wrapOn(Canvas(io.BytesIO()), 100, 1000)
    assert hasattr(table, "_rowHeights"), changed("Table._rowHeights", "table_row_heights")
    heights = rl.table_row_heights(table)
    assert len(heights) == 2 and sum(heights) == pytest.approx(h)
    assert heights[1] > heights[0]


class Probe(Flowable):
    """Records, when laid out, the frame it is in and whether it is at the top of it."""

    def __init__(self, height: float):
        super().__init__()
        self.size = height
        self.seen = None

    def wrap(self, availWidth, availHeight):
        frame = rl.frame_of(self)
        self.seen = (frame, frame is not None and rl.frame_at_top(frame))
        return availWidth, self.size

    def draw(self):
        pass


def test_frame_of_a_flowable_and_whether_it_is_at_the_top():
    canv = Canvas(io.BytesIO())
    frame = Frame(0, 0, 300, 300, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    assert hasattr(frame, "_atTop"), changed("Frame._atTop", "frame_at_top")
    first, second = Probe(50), Probe(50)
    assert frame.add(first, canv) and frame.add(second, canv)
    assert first.seen[0] is frame, changed("Flowable._frame (set by Frame.add)", "frame_of")
    assert first.seen == (frame, True) and second.seen == (frame, False)
    assert rl.frame_of(Probe(1)) is None  # not being laid out


def test_add_flate_image_embeds_pixels_compressed_beforehand():
    assert hasattr(pdfdoc.PDFImageXObject("x"), "_filters"), \
        changed("PDFImageXObject._filters", "add_flate_image")
    out = io.BytesIO()
    canv = Canvas(out, invariant=1)
    assert hasattr(canv, "_doc"), changed("Canvas._doc", "add_flate_image")
    w, h = 3, 2
    rgb = bytes([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90])
    alpha = bytes([255, 128, 0, 255, 255, 255])
    rl.add_flate_image(canv, "pixels", w, h, zlib.compress(rgb), zlib.compress(alpha))
    assert canv.hasForm("pixels")
    rl.add_flate_image(canv, "opaque", w, h, zlib.compress(rgb), None)
    for name in ("pixels", "opaque"):
        canv.saveState()
        canv.scale(30, 20)
        canv.doForm(name)
        canv.restoreState()
    canv.showPage()
    canv.save()

    page = pypdf.PdfReader(io.BytesIO(out.getvalue())).pages[0]
    xobjects = {name: obj.get_object() for name, obj in page["/Resources"]["/XObject"].items()}
    images = [x for x in xobjects.values() if x["/Subtype"] == "/Image"]
    assert len(images) == 2
    masked = next(x for x in images if "/SMask" in x)
    assert (masked["/Width"], masked["/Height"], masked["/ColorSpace"]) == (3, 2, "/DeviceRGB")
    assert masked.get_data() == rgb
    assert masked["/SMask"].get_object().get_data() == alpha
    opaque = next(x for x in images if "/SMask" not in x)
    assert opaque.get_data() == rgb


def test_note_page_has_images():
    out = io.BytesIO()
    canv = Canvas(out, invariant=1)
    assert hasattr(canv, "_currentPageHasImages"), \
        changed("Canvas._currentPageHasImages", "note_page_has_images")
    rl.note_page_has_images(canv)
    canv.showPage()
    canv.save()
    page = pypdf.PdfReader(io.BytesIO(out.getvalue())).pages[0]
    assert "/ImageC" in page["/Resources"]["/ProcSet"]


# ---------------------------------------------------------------- tagged PDF


def test_document_of_a_canvas():
    canv = Canvas(io.BytesIO(), invariant=1)
    assert isinstance(rl.document_of(canv), pdfdoc.PDFDocument), changed("Canvas._doc", "document_of")


def test_link_annotations_of_a_page_get_contents_and_a_struct_parent():
    out = io.BytesIO()
    canv = Canvas(out, invariant=1)
    assert hasattr(canv, "_annotationrefs"), changed("Canvas._annotationrefs", "page_annotation_names")
    doc = rl.document_of(canv)
    canv.bookmarkPage("here")
    canv.linkURL("https://example.org/a", (10, 10, 50, 20))
    canv.linkRect("", "here", (10, 30, 50, 40))  # a link inside the document: a LinkAnnotation
    assert rl.page_annotation_count(canv) == 2
    first, second = rl.page_annotation_names(canv)
    assert rl.page_annotation_names(canv, 1) == [second]
    assert rl.annotation_target(doc, first) == "https://example.org/a"
    assert rl.annotation_target(doc, second) == "#here", changed("LinkAnnotation.Destination.name", "annotation_target")
    rl.tag_annotation(doc, first, "le site", 3)
    rl.tag_annotation(doc, second, "ici", 4)
    canv.showPage()
    canv.save()
    annots = [a.get_object() for a in pypdf.PdfReader(io.BytesIO(out.getvalue())).pages[0]["/Annots"]]
    assert [(a["/Contents"], a["/StructParent"]) for a in annots] == [("le site", 3), ("ici", 4)]
    assert annots[0]["/A"]["/URI"] == "https://example.org/a" and "/Dest" in annots[1]


def test_page_entries_reportlab_does_not_write():
    out = io.BytesIO()
    canv = Canvas(out, invariant=1)
    canv.drawString(10, 10, "x")
    canv.showPage()
    doc = rl.document_of(canv)
    assert hasattr(doc.Pages, "pages"), changed("PDFPages.pages", "last_page")
    page = rl.last_page(doc)
    assert hasattr(page, "__NoDefault__"), changed("PDFPage.__NoDefault__", "set_page_entries")
    rl.set_page_entries(page, StructParents=7, Tabs="/S")
    canv.drawString(10, 10, "y")
    canv.showPage()
    canv.save()
    number = rl.page_object_number(doc, 0)
    first, second = pypdf.PdfReader(io.BytesIO(out.getvalue())).pages
    assert (first["/StructParents"], first["/Tabs"]) == (7, "/S") and "/Tabs" not in second
    assert first.indirect_reference.idnum == number, changed("page names Page1, Page2…", "page_object_number")


def drawn_document(block: bool):
    """A small document, its bytes written by reportlab's own ``format`` or by the adapter's."""
    out = io.BytesIO()
    canv = Canvas(out, invariant=1)
    canv.setFont(fonts.register_fonts() and fonts.REGULAR, 10)
    canv.drawString(10, 10, "Rapport d'activités")
    canv.bookmarkPage("p1")
    canv.addOutlineEntry("Un", "p1")
    canv.showPage()
    doc = rl.document_of(canv)
    if block is None:
        doc.format = lambda: rl.format_document(doc)
    elif block:
        # object n in an object stream (n + 1), object n + 2 at the top level
        n = rl.reserve_objects(doc, 3)
        assert rl.next_object_number(doc) == n + 3
        inner, head = b"<</Answer 42>>", b"%d 0\n" % n
        stream = zlib.compress(head + inner)
        data = (b"%d 0 obj\n<</Type/ObjStm/N 1/First %d/Filter/FlateDecode/Length %d>>\nstream\n"
                % (n + 1, len(head), len(stream)) + stream + b"\nendstream\nendobj\n")
        top = len(data)
        data += b"%d 0 obj\n<</Question (six fois sept)>>\nendobj\n" % (n + 2)
        rl.insert_objects(doc, n, 3, data, (b"\x02\x01\x01", [n + 1, 0, top], [0, 0, 0]))
        doc.Catalog.StructTreeRoot = b"%d 0 R" % n
        doc.Catalog.MarkInfo = b"%d 0 R" % (n + 2)
    canv.save()
    return out.getvalue()


def test_format_document_writes_reportlab_s_bytes():
    assert hasattr(pdfdoc.PDFDocument(), "_pdfVersion"), changed("PDFDocument._pdfVersion", "format_document")
    assert drawn_document(block=None) == drawn_document(block=False)


def test_objects_inserted_as_a_block():
    data = drawn_document(block=True)
    assert data.startswith(b"%PDF-1.7")  # object streams need 1.5
    reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
    root = reader.trailer["/Root"]
    assert root["/StructTreeRoot"] == {"/Answer": 42}  # read from its object stream
    assert root["/MarkInfo"] == {"/Question": "six fois sept"}
    assert reader.outline[0].title == "Un" and "Rapport d'activités" in reader.pages[0].extract_text()


def test_ttfont_to_unicode_maps_skip_unused_codes():
    from reportlab.pdfbase import pdfmetrics, ttfonts

    fonts.register_fonts()
    source = pdfmetrics.getFont(fonts.REGULAR).face.filename
    assert isinstance(pdfmetrics.getFont(fonts.REGULAR), rl.TTFont)
    out = io.BytesIO()
    canv = Canvas(out, invariant=1)
    canv.setFont(fonts.REGULAR, 10)
    canv.drawString(10, 10, "Été 4\u202f753 €")
    canv.showPage()
    canv.save()
    page = pypdf.PdfReader(io.BytesIO(out.getvalue())).pages[0]
    (font,) = [f.get_object() for f in page["/Resources"]["/Font"].values() if "/ToUnicode" in f.get_object()]
    cmap = font["/ToUnicode"].get_object().get_data()
    assert b"<0000>" not in cmap, changed("TTFont.state / toUnicodeCMap:<name> registration", "_ToUnicodeCleanFont")
    assert "Été 4\u202f753 €" in page.extract_text()
    # reportlab's own maps still write the unused codes as U+0000: the fix is still needed
    plain = ttfonts.TTFont("guard-plain", source)
    assert "<00> <0000>" in ttfonts.makeToUnicodeCMap("guard", [0] * 32 + list(range(32, 128)))
    assert not isinstance(plain, rl.TTFont)


# ---------------------------------------------------------------- pagination


def test_frame_cursor_and_bounds_follow_what_was_added():
    canv = Canvas(io.BytesIO())
    frame = Frame(10, 20, 300, 400, leftPadding=0, rightPadding=0, topPadding=5, bottomPadding=7)
    for name in ("_y", "_y1p", "_y2", "_topPadding"):
        assert hasattr(frame, name), changed(f"Frame.{name}", "frame_cursor / frame_bounds")
    assert rl.frame_bounds(frame) == (27, 415)
    assert rl.frame_cursor(frame) == 415
    assert frame.add(Probe(100), canv)
    assert rl.frame_cursor(frame) == 315


def test_set_frame_bottom_ends_a_frame_higher():
    canv = Canvas(io.BytesIO())
    frame = Frame(0, 0, 300, 300, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    rl.set_frame_bottom(frame, 150)
    assert rl.frame_bounds(frame) == (150, 300)
    assert frame.add(Probe(125), canv)
    assert not frame.add(Probe(30), canv), "a frame ended higher still took a flowable below its new bottom"
    first = frame.split(Paragraph("un mot " * 200, style()), canv)[0]
    assert first.wrap(300, 1000)[1] <= 25 + 1e-6  # what is left above the new bottom


def test_wrap_list_measures_as_a_frame_lays_out():
    canv = Canvas(io.BytesIO())
    first = Paragraph("un", ParagraphStyle("a", parent=style(), spaceAfter=6))
    second = Paragraph("deux", ParagraphStyle("b", parent=style(), spaceBefore=10))
    frame = Frame(0, 0, 300, 300, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    assert frame.add(first, canv) and frame.add(second, canv)
    # what the two took in the frame, the space after the last left out
    assert rl.wrap_list([first, second], 300, canv) == pytest.approx(300 - rl.frame_cursor(frame))


def test_split_in_frame_gives_the_flowable_its_frame_while_it_answers():
    canv = Canvas(io.BytesIO())
    frame = Frame(0, 0, 300, 300, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    seen = []

    class Splitting(Probe):
        def split(self, availWidth, availHeight):
            seen.append((rl.frame_of(self), self.canv, availHeight))
            return [Probe(availHeight), Probe(1)]

    flowable = Splitting(500)
    pieces = rl.split_in_frame(flowable, frame, canv, 300, 120)
    assert len(pieces) == 2 and seen == [(frame, canv, 120)]
    assert rl.frame_of(flowable) is None and not hasattr(flowable, "canv")


# ---------------------------------------------------------------- nothing else touches a private name


def reportlab_private_names() -> set[str]:
    """Every ``._name`` reportlab's own source uses (not dunders)."""
    import reportlab

    names: set[str] = set()
    for path in Path(reportlab.__file__).parent.rglob("*.py"):
        names |= set(re.findall(r"\.(_[A-Za-z]\w*)", path.read_text(encoding="utf-8", errors="replace")))
    return {n for n in names if not n.endswith("__")}


def private_uses(tree: ast.AST) -> list[tuple[int, str]]:
    """``x._name`` attributes and ``getattr(x, "_name")``-style look-ups in a module."""
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.endswith("__"):
            uses.append((node.lineno, node.attr))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in ("getattr", "setattr", "hasattr", "delattr") and len(node.args) > 1
              and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)
              and node.args[1].value.startswith("_")):
            uses.append((node.lineno, node.args[1].value))
    return uses


def uses_reportlab(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reportlab"):
            return True
        if isinstance(node, ast.Import) and any(a.name.startswith("reportlab") for a in node.names):
            return True
    return False


def test_no_private_reportlab_name_outside_the_adapter():
    private = reportlab_private_names()
    assert {"_rowHeights", "_atTop", "_doc"} <= private  # the scan sees reportlab's source
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path == ADAPTER:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if not uses_reportlab(tree):
            continue
        found += [f"{path.relative_to(SRC)}:{line}: {name}" for line, name in private_uses(tree)
                  if name in private]
    assert not found, ("private reportlab names used outside render/reportlab_adapter.py "
                       "(move them behind a function there, with a test here):\n" + "\n".join(found))
