"""The PDF renderer: a hand-built document rendered, then read back with pypdf."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from rapact_core import testing

pypdf = pytest.importorskip("pypdf")

from rapact_core import model as m  # noqa: E402
from rapact_core.numbering import heading_text, number_document  # noqa: E402
from rapact_core.render import RenderOptions  # noqa: E402
from rapact_core.render import fonts  # noqa: E402
from rapact_core.render.pdf import PdfRenderer, render_pdf  # noqa: E402
from rapact_core.render.pdf_tables import TableSpec, column_widths  # noqa: E402
from rapact_core.render.pdf_text import esc  # noqa: E402

LINK = "https://www.imio.be/?a=1&b=2"


def norm(text: str) -> str:
    """pypdf text with Babel's no-break spaces made plain."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def money_table(**kw) -> m.Table:
    cols = (
        m.Column("name", "Commune", width=0.4),
        m.Column("ca", "Chiffre d'affaires", m.CellKind.MONEY),
        m.Column("share", "Part", m.CellKind.PERCENT),
        m.Column("n", "Habitants", m.CellKind.INTEGER),
        m.Column("d", "Adhésion", m.CellKind.DATE),
    )
    body = [
        m.Row(["Namur", Decimal("4753459.12"), Decimal("0.1436"), 110939, dt.date(2021, 6, 22)]),
        m.Row(["Liège & environs <ville>", Decimal("-3299312.71"), Decimal("0.5"), 1234,
               dt.date(2020, 1, 3)]),
        m.Row(["Une commune au nom vraiment très long qui doit passer à la ligne dans sa cellule",
               Decimal("12.5"), Decimal("0.0001"), 7, None]),
    ]
    foot = [
        m.Row(["Sous-total", Decimal("1454146.41"), Decimal("0.6437"), 112173, None],
              m.RowRole.SUBTOTAL),
        m.Row(["Total", Decimal("1454158.91"), Decimal("0.6438"), 112180, None], m.RowRole.TOTAL),
    ]
    header = [m.Row([m.Cell("", 1), m.Cell("CA 2021", 2), m.Cell("Population", 2)])]
    return m.Table(cols, body, foot, header, caption="Communes & CA", id="ca", **kw)


def wide_table() -> m.Table:
    cols = [m.Column("label", "Libellé", width=2)] + [
        m.Column(f"m{i}", f"Mois {i}", m.CellKind.MONEY, decimals=0, unit=False) for i in range(1, 13)
    ]
    body = [m.Row([f"Poste {r}"] + [Decimal(1000 * r + i) for i in range(1, 13)]) for r in range(1, 6)]
    return m.Table(cols, body, caption="Large tableau mensuel", id="wide", landscape=True)


def chart() -> m.Chart:
    return m.Chart(m.ChartKind.BAR, "Membres par année", ["2019", "2020", "2021"],
                   [m.Series("Communes", [120, 135, 150]), m.Series("CPAS", [80, 90, 101])])


def make_logo(path: Path) -> Path:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (240, 90), "white")
    ImageDraw.Draw(img).rectangle([10, 10, 230, 80], fill=(31, 95, 139))
    img.save(path)
    return path


def sample_document(folder: Path) -> m.Document:
    make_logo(folder / "logo.png")
    meta = m.Meta(
        title="Rapport d'activités 2021", reference="RAP-2021/01", organisation="iMio & Co",
        year=2021, subject="Exercice 2021", logo="logo.png", date=dt.date(2022, 5, 31),
        signatories=[m.Signatory("Anne Dupont", "Présidente"),
                     m.Signatory("Marc Lambert", "Directeur général")],
    )
    nested = m.ListBlock([
        m.ListItem("✓ item"),
        m.ListItem("Parent", m.ListBlock([m.ListItem("Enfant A"), m.ListItem(
            "Enfant B", m.ListBlock([m.ListItem("Petit-enfant")], ordered=True, start=3))])),
        m.ListItem([m.Text("Gras", bold=True), m.Text(" et "), m.Text("italique", italic=True)]),
    ])
    chapters = [
        m.Chapter("toc", "Sommaire", [m.TableOfContents(depth=3)], numbered=False),
        m.Chapter("intro", "Introduction", [
            m.Heading(1, "Introduction"),
            m.Paragraph([m.Text("R&D <x> "), m.Text("gras", bold=True), m.Text(" puis "),
                         m.Link([m.Text("notre site")], LINK), m.LineBreak(),
                         m.Text("a<b et AT&T; montant 4\u202f753\u202f459,12\u00a0€")]),
            m.Paragraph("Un chapeau d'introduction.", m.ParagraphStyle.LEAD),
            m.Paragraph("Une citation.", m.ParagraphStyle.QUOTE),
            m.Paragraph("Une note de bas de section.", m.ParagraphStyle.NOTE),
            m.Paragraph("150 membres", m.ParagraphStyle.KEY_FIGURE),
            nested,
            m.ListBlock([m.ListItem("troisième"), m.ListItem("quatrième")], ordered=True, start=3),
            m.Heading(2, "Chiffres clés"),
            money_table(),
            m.Heading(3, "Graphique"),
            m.Figure(chart(), caption="Évolution des membres", width=0.7),
            m.Image("logo.png", alt="logo", width=0.3),
            m.PageBreak(),
            m.Paragraph("Après le saut de page."),
        ]),
        m.Chapter("annexes", "Annexes", [
            m.Heading(1, "Annexes"),
            m.Heading(2, "Tableau large"),
            wide_table(),
            m.Heading(2, "Suite & fin"),
            m.Paragraph("Retour en portrait."),
        ]),
    ]
    return number_document(m.Document(meta, chapters))


def render(doc: m.Document, folder: Path, name: str = "out.pdf", **kw) -> Path:
    target = folder / name
    render_pdf(doc, target, RenderOptions(report_dir=folder, **kw))
    return target


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf")
    doc = sample_document(folder)
    path = render(doc, folder)
    reader = pypdf.PdfReader(str(path))
    pages = [norm(p.extract_text() or "") for p in reader.pages]
    return doc, path, reader, pages


def headings_of(doc):
    return [heading_text(b) for b in doc.blocks() if isinstance(b, m.Heading)]


def page_of(pages, text, after=0):
    for i in range(after, len(pages)):
        if text in pages[i]:
            return i
    raise AssertionError(f"{text!r} not found after page {after + 1}")


# ---------------------------------------------------------------- the sample document


def test_cover_page(rendered):
    doc, _, _, pages = rendered
    cover = pages[0]
    for text in ("iMio & Co", "Rapport d'activités 2021", "RAP-2021/01", "Anne Dupont",
                 "Présidente", "Marc Lambert", "Directeur général", "31 mai 2022"):
        assert text in cover
    assert "- 1 -" not in cover  # no footer on the cover
    assert "- 2 -" in pages[1]


def test_headings_in_order_with_numbers(rendered):
    doc, _, _, pages = rendered
    texts = headings_of(doc)
    assert texts[:3] == ["1 Introduction", "1.1 Chiffres clés", "1.1.1 Graphique"]
    toc = page_of(pages, "Table des matières")
    position = (toc + 1, 0)
    for text in texts:
        page = page_of(pages, text, after=position[0])
        offset = pages[page].index(text, position[1] if page == position[0] else 0)
        assert (page, offset) >= position, text
        position = (page, offset)


def test_level1_headings_start_a_page(rendered):
    _, _, _, pages = rendered
    toc = page_of(pages, "Table des matières")
    for text in ("1 Introduction", "2 Annexes"):
        page = page_of(pages, text, after=toc + 1)
        body = re.sub(r"^(iMio & Co|RAP-2021/01|- \d+ -)$", "", pages[page], flags=re.M).strip()
        assert body.startswith(text), pages[page][:200]


def test_outline_has_every_heading(rendered):
    doc, _, reader, _ = rendered


    outline = testing.pdf_outline(reader)
    for text in headings_of(doc):
        assert text in outline
    assert outline.index("1 Introduction") < outline.index("1.1 Chiffres clés") < outline.index("2 Annexes")


def test_toc_shows_real_page_numbers(rendered):
    doc, _, _, pages = rendered
    toc_page = page_of(pages, "Table des matières")
    toc = pages[toc_page]
    for text in headings_of(doc):
        # pypdf yields each entry's dot leader and page number just before its text
        found = re.search(r"(\d+)\n" + re.escape(text) + "$", toc, re.M)
        assert found, f"{text!r} not in the TOC:\n{toc}"
        page = page_of(pages, text, after=toc_page + 1)
        assert int(found.group(1)) == page + 1, text


def test_document_info_and_language(rendered):
    _, _, reader, _ = rendered
    assert reader.trailer["/Root"]["/Lang"] == "fr-BE"
    info = reader.metadata
    assert info.title == "Rapport d'activités 2021"
    assert info.author == "iMio & Co"
    assert info.subject == "Exercice 2021"
    assert info.creator == "rapact"


def test_table_cells_formatted_in_french(rendered):
    _, _, _, pages = rendered
    page = page_of(pages, "Tableau 1 : Communes & CA")
    text = pages[page]
    flat = re.sub(r"\s+", " ", text)  # a wrapped label spans two lines
    for cell in ("4 753 459,12 €", "-3 299 312,71 €", "14,36 %", "50,00 %", "110 939",
                 "22/06/2021", "03/01/2020", "Liège & environs <ville>", "Sous-total",
                 "1 454 158,91 €", "112 180", "CA 2021", "Population", "Chiffre d'affaires"):
        assert cell in flat, cell
    # the caption is above the table, the total after the body
    assert text.index("Tableau 1") < text.index("Commune") < text.index("Namur") < text.index("Total")


def test_document_locale_sets_language_numbers_and_dates(tmp_path):
    meta = m.Meta(title="Annual report", reference="R", organisation="O", year=2021,
                  date=dt.date(2022, 5, 31), locale="en_GB")
    table = money_table()
    doc = number_document(m.Document(meta, [m.Chapter("c", "C", [m.Heading(1, "Figures"), table])]))
    path = render(doc, tmp_path)
    reader = pypdf.PdfReader(str(path))
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    text = re.sub(r"\s+", " ", norm("\n".join(p.extract_text() for p in reader.pages)))
    assert "31 May 2022" in text  # the cover's date
    for cell in ("4,753,459.12 €", "-3,299,312.71 €", "14.36 %", "110,939", "1,454,158.91 €"):
        assert cell in text, cell
    assert "4 753 459,12" not in text and "110 939" not in text


def test_a_table_of_contents_costs_one_layout_pass(tmp_path, monkeypatch):
    """The TOC starts with its entries: one pass on a throw-away canvas finds
    the page numbers, the next one draws; never a third."""
    from rapact_core.render import pdf_document
    from rapact_core.render.pdf_flowables import DryCanvas

    canvases = []
    make_canvas = pdf_document.DocTemplate.make_canvas

    def spy(self, *args, **kw):
        canvas = make_canvas(self, *args, **kw)
        canvases.append(type(canvas))
        return canvas

    monkeypatch.setattr(pdf_document.DocTemplate, "make_canvas", spy)
    meta = m.Meta(title="T", reference="R", organisation="O", year=2021)
    chapters = [m.Chapter("toc", "Sommaire", [m.TableOfContents(depth=2)], numbered=False)] + [
        m.Chapter(f"c{i}", f"C{i}", [m.Heading(1, f"Chapitre {i}"), m.Heading(2, f"Section {i}"),
                                     m.Paragraph("Texte. " * 700 * (i % 3))]) for i in range(6)]
    doc = number_document(m.Document(meta, chapters))
    path = render(doc, tmp_path)
    assert canvases == [DryCanvas, pdf_document.TaggedCanvas]  # the drawn pass is tagged
    pages = [norm(p.extract_text()) for p in pypdf.PdfReader(str(path)).pages]
    toc = pages[page_of(pages, "Chapitre 0")]
    for i in range(6):
        found = re.search(rf"(\d+)\n{i + 1} Chapitre {i}$", toc, re.M)
        assert found, toc
        assert int(found.group(1)) == page_of(pages, f"Chapitre {i}", after=2) + 1
    assert len(pages) > 12  # chapters of several pages: the numbers are not just 3, 4, 5...


def test_an_inline_among_blocks_or_a_block_among_inlines_is_refused(tmp_path):
    from rapact_core.render.visitor import UnknownNode

    meta = m.Meta(title="T", reference="R", organisation="O", year=2021)
    with pytest.raises(m.ModelError, match="Chapter blocks"):  # the model refuses it first
        m.Chapter("c", "C", [m.Heading(1, "C"), m.Text("seul")])
    chapter = m.Chapter("c", "C", [m.Heading(1, "C")])
    object.__setattr__(chapter, "blocks", (m.Heading(1, "C"), m.Text("seul")))  # forced past the model
    doc = m.Document(meta, [chapter])
    with pytest.raises(UnknownNode, match="Text is not a block"):
        render(doc, tmp_path)
    para = m.Paragraph([m.Text("a")])
    object.__setattr__(para, "content", (m.Text("a"), m.PageBreak()))  # what a bad plugin could build
    doc = m.Document(meta, [m.Chapter("c", "C", [m.Heading(1, "C"), para])])
    with pytest.raises(UnknownNode, match="PageBreak is not an inline"):
        render(doc, tmp_path)


def test_inline_text_is_escaped_and_kept(rendered):
    _, _, reader, pages = rendered
    text = "\n".join(pages)
    assert "R&D <x>" in text
    assert "a<b et AT&T;" in text
    assert "R&D;" not in text
    assert "✓ item" in text
    assert "4 753 459,12 €" in text
    uris = [a.get_object()["/A"].get("/URI") for p in reader.pages for a in p.get("/Annots", [])
            if a.get_object().get("/Subtype") == "/Link" and "/A" in a.get_object()]
    assert LINK in uris


def test_lists_bullets_and_numbers(rendered):
    _, _, _, pages = rendered
    text = "\n".join(pages)
    for item in ("Parent", "Enfant A", "Enfant B", "Petit-enfant", "troisième", "quatrième"):
        assert item in text
    assert re.search(r"3\.\s*troisième", text)
    assert re.search(r"4\.\s*quatrième", text)
    assert re.search(r"3\.\s*Petit-enfant", text)
    assert "•" in text


def test_figure_and_image(rendered):
    _, _, reader, pages = rendered
    page = page_of(pages, "Figure 1 : Évolution des membres")
    images = reader.pages[page].images
    assert len(images) >= 1


def test_landscape_table_page(rendered):
    _, _, reader, pages = rendered
    page = page_of(pages, "Tableau 2 : Large tableau mensuel")
    box = reader.pages[page].mediabox
    assert box.width > box.height
    assert "2.1 Tableau large" in pages[page]  # the heading went along with the table
    assert "Mois 12" in pages[page]
    after = page_of(pages, "Retour en portrait.")
    assert after > page
    assert reader.pages[after].mediabox.width < reader.pages[after].mediabox.height
    assert reader.pages[0].mediabox.width < reader.pages[0].mediabox.height
    # no blank page anywhere
    assert all(p.strip() for p in pages)


def test_fonts_are_embedded_dejavu_only(rendered):
    _, _, reader, _ = rendered
    seen = set()
    for page in reader.pages:
        resources = page["/Resources"]
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            seen.add(str(font["/BaseFont"]))
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            assert descriptor is not None, font["/BaseFont"]
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile2", "/FontFile", "/FontFile3")), font
    assert seen
    assert all("DejaVuSans" in name for name in seen), seen
    assert not {n for n in seen if re.search("Helvetica|ZapfDingbats|Symbol|Times", n)}


def test_same_model_gives_identical_bytes(rendered, tmp_path):
    doc, path, _, _ = rendered
    again = render(doc, path.parent, "again.pdf")
    assert again.read_bytes() == path.read_bytes()


# ---------------------------------------------------------------- units


def test_fonts_cover_what_we_print():
    assert fonts.missing_glyphs("✓ \u202f\u00a0•–◦€éèàçôœ«»’…") == set()
    assert fonts.font_dir().name == "ttf"


def inline_markup(content) -> str:
    meta = m.Meta(title="T", reference="R", organisation="O", year=2021)
    return PdfRenderer(m.Document(meta, [])).markup(content)


def test_escaping_and_markup():
    assert esc("R&D <x>") == "R&amp;D &lt;x&gt;"
    assert esc("1\u202f234") == "1\u00a0234"
    markup = inline_markup([m.Text("a<b", bold=True), m.LineBreak(),
                            m.Link([m.Text("x")], 'https://e.be/?q="1"&r=2')])
    assert markup.startswith("<b>a&lt;b</b><br/><a href=\"https://e.be/?q=&quot;1&quot;&amp;r=2\"")
    # anything but http(s)/mailto stays text
    assert "<a" not in inline_markup([m.Link([m.Text("x")], "javascript:alert(1)")])


def test_amount_never_breaks_inside_a_paragraph():
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph

    from rapact_core.render.pdf_styles import make_styles

    style = make_styles().body
    amount = "4\u202f753\u202f459,12\u00a0€"
    width = stringWidth(amount.replace("\u202f", "\u00a0"), fonts.REGULAR, style.fontSize) + 4
    para = Paragraph(esc("Total des ventes : " + amount + " en 2021"), style)
    para.wrap(width, 1000)
    lines = ["".join(getattr(f, "text", "") for f in line.words) if hasattr(line, "words")
             else " ".join(line[1]) for line in para.blPara.lines]
    lines = [norm(line) for line in lines]
    assert "4 753 459,12 €" in lines, lines


def test_numeric_cells_are_plain_strings_and_long_text_wraps():
    spec = TableSpec(money_table(), 300, __import__(
        "rapact_core.render.pdf_styles", fromlist=["make_styles"]).make_styles())
    first = spec.rows[0]
    assert isinstance(first[1], str) and first[1] == "4\u202f753\u202f459,12\u00a0€"
    assert isinstance(spec.rows[2][0], object) and not isinstance(spec.rows[2][0], str)
    assert spec.n_header == 2 and spec.n_rows == 5


def test_amount_in_narrow_cell_stays_on_one_line(tmp_path):
    cols = (m.Column("a", "Libellé", width=0.8), m.Column("b", "Montant", m.CellKind.MONEY, width=0.2))
    table = m.Table(cols, [m.Row(["Ventes", Decimal("4753459.12")])],
                    foot=[m.Row(["Total", Decimal("4753459.12")], m.RowRole.TOTAL)])
    meta = m.Meta(title="T", reference="R", organisation="O", year=2021)
    doc = number_document(m.Document(meta, [m.Chapter("c", "C", [m.Heading(1, "C"), table])]))
    path = render(doc, tmp_path)
    text = norm("\n".join(p.extract_text() for p in pypdf.PdfReader(str(path)).pages))
    assert text.count("4 753 459,12 €") == 2


def test_column_widths():
    cols = [m.Column("a", "A", width=0.5), m.Column("b", "B"), m.Column("c", "C")]
    assert column_widths(cols, 100) == pytest.approx([50, 25, 25])
    # weights: a column without one weighs 1, as in the DOCX (one shared rule)
    cols = [m.Column("a", "A", width=3), m.Column("b", "B", width=1), m.Column("c", "C")]
    assert column_widths(cols, 100) == pytest.approx([60, 20, 20])
    assert column_widths([m.Column("a", "A"), m.Column("b", "B")], 80) == [40, 40]


def test_unknown_block_raises(tmp_path):
    meta = m.Meta(title="T", reference="R", organisation="O", year=2021)

    class Strange:
        pass

    with pytest.raises(m.ModelError, match=r"Chapter blocks\[1\]: expected a block .*, got Strange"):
        m.Chapter("c", "C", [m.Heading(1, "C"), Strange()])
    # should one get past the model (a frozen class can be forced), the renderer refuses it too
    chapter = m.Chapter("c", "C", [m.Heading(1, "C")])
    object.__setattr__(chapter, "blocks", chapter.blocks + (Strange(),))
    doc = m.Document(meta, [chapter])
    with pytest.raises(TypeError, match="Strange"):
        render(doc, tmp_path)


def test_custom_blocks_go_through_the_callback(tmp_path):
    from reportlab.platypus import Paragraph

    from rapact_core.errors import RapactError
    from rapact_core.render.pdf_styles import make_styles

    calls = []

    def custom(block, fmt, target):
        calls.append((block.kind, fmt))
        target.append(Paragraph(esc(block.data["text"]), make_styles().body))

    meta = m.Meta(title="T", reference="R", organisation="O", year=2021)
    block = m.Custom("demo", "box", {"text": "Bloc & spécial"})
    doc = m.Document(meta, [m.Chapter("c", "C", [m.Heading(1, "C"), block])])
    path = render(doc, tmp_path, custom=custom)
    assert calls == [("box", "pdf")]
    assert "Bloc & spécial" in "".join(p.extract_text() for p in pypdf.PdfReader(str(path)).pages)
    with pytest.raises(RapactError, match="demo"):
        render(doc, tmp_path, "none.pdf")


def test_edge_cases_render(tmp_path):
    """An empty table, a skipped heading level, a cell longer than a page."""
    meta = m.Meta(title="T", reference="R", organisation="O", year=2021)
    cols = (m.Column("a", "Texte"), m.Column("b", "Montant", m.CellKind.MONEY))
    huge = " ".join(f"mot{i}" for i in range(4000))
    blocks = [
        m.Heading(1, "Un"), m.Heading(3, "Trois sans deux"),
        m.Table(cols, caption="Vide"),
        m.Table(cols, [m.Row(["avant", 1]), m.Row([huge, 2]), m.Row(["après", 3])], caption="Énorme"),
        m.Paragraph("Fin."),
    ]
    doc = number_document(m.Document(meta, [m.Chapter("c", "C", blocks)]))
    path = render(doc, tmp_path)
    reader = pypdf.PdfReader(str(path))
    text = norm("\n".join(p.extract_text() for p in reader.pages))
    assert "Tableau 1 : Vide" in text and "mot3999" in text and "après" in text
    assert text.index("mot3999") < text.index("après") < text.index("Fin.")
    assert [o.title for o in reader.outline if not isinstance(o, list)] == ["1 Un"]


# ---------------------------------------------------------------- big tables


def test_big_table_renders_all_rows(tmp_path):
    n = 20_000
    cols = (m.Column("i", "N°", m.CellKind.INTEGER, width=0.1),
            m.Column("label", "Libellé", width=0.5),
            m.Column("amount", "Montant", m.CellKind.MONEY),
            m.Column("rate", "Taux", m.CellKind.PERCENT))
    body = [m.Row([i, f"Ligne {i} & <suite>", Decimal(i) * Decimal("1000.01"), Decimal(i % 100) / 100])
            for i in range(1, n + 1)]
    table = m.Table(cols, body, foot=[m.Row(["", "Total général", Decimal("1"), Decimal("1")],
                                            m.RowRole.TOTAL)], caption="Grand tableau")
    meta = m.Meta(title="Gros", reference="R", organisation="O", year=2021)
    doc = number_document(m.Document(meta, [m.Chapter("c", "C", [
        m.TableOfContents(), m.Heading(1, "Données"), table, m.Heading(1, "Après")])]))
    path = render(doc, tmp_path)
    reader = pypdf.PdfReader(str(path))
    pages = len(reader.pages)
    assert pages > 200
    tail = norm("\n".join(reader.pages[i].extract_text() for i in range(pages - 3, pages)))
    assert f"Ligne {n} & <suite>" in tail
    assert "Total général" in tail
    assert f"{n:,}".replace(",", " ") in tail  # "20 000" in the N° column
    # the header is repeated on a page in the middle, and rows are not lost there
    middle = norm(reader.pages[pages // 2].extract_text())
    assert "Libellé" in middle and "Montant" in middle
    numbers = [int(x) for x in re.findall(r"Ligne (\d+) &", middle)]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers))) and len(numbers) > 30
