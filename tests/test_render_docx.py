"""The DOCX renderer: structure, French formatting, determinism and scale.

Each test builds a small model by hand, renders it with ``render_docx`` and
reads the file back with python-docx / lxml.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import struct
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from rapact_core import model as m
from rapact_core import testing
from rapact_core.errors import RapactError
from rapact_core.numbering import number_document
from rapact_core.render import RenderOptions
from rapact_core.render.chart_text import describe_chart
from rapact_core.render.docx import column_widths, render_docx
from rapact_core.render.visitor import UnknownNode

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def spaces(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def _png(path: Path, width: int = 40, height: int = 20) -> Path:
    """A tiny valid RGB PNG, written without any imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x1f\x5f\x8b" * width for _ in range(height))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return path


MONEY_COLS = (
    m.Column("label", "Poste", width=2),
    m.Column("n", "Nombre", kind=m.CellKind.INTEGER),
    m.Column("amount", "Montant", kind=m.CellKind.MONEY),
    m.Column("share", "Part", kind=m.CellKind.PERCENT),
    m.Column("date", "Date", kind=m.CellKind.DATE),
)


def sample_document(report_dir: Path) -> m.Document:
    _png(report_dir / "logo.png", 60, 30)
    _png(report_dir / "photo.png", 80, 40)
    money = m.Table(
        columns=MONEY_COLS,
        header=[m.Row([m.Cell("", colspan=2), m.Cell("Exercice 2021", colspan=3)])],
        body=[
            m.Row(["Recettes ordinaires", 12, Decimal("4753459.12"), Decimal("0.1436"), dt.date(2021, 6, 22)]),
            m.Row(["Dépenses & <charges>", 1234567, Decimal("-3299312.71"), Decimal("0.5"), dt.date(2021, 12, 31)]),
            m.Row(["Sous-total", 1234579, Decimal("1454146.41"), None, None], role=m.RowRole.SUBTOTAL),
            m.Row([m.Cell("non ventilé", colspan=2), "n.d.", Decimal("0"), None]),
        ],
        foot=[m.Row(["Total", 1234579, Decimal("1454146.41"), Decimal("1"), None], role=m.RowRole.TOTAL)],
        caption="Budget communal",
    )
    wide_cols = tuple(m.Column(f"c{i}", f"Séance {i}", kind=m.CellKind.INTEGER) for i in range(1, 13))
    wide = m.Table(
        columns=(m.Column("name", "Membre", width=0.2),) + wide_cols,
        body=[m.Row([f"Membre {r}"] + [r * i for i in range(1, 13)]) for r in range(1, 8)],
        caption="Présences aux séances",
        landscape=True,
    )
    chart = m.Chart(kind=m.ChartKind.BAR, title="Recettes par année", categories=("2019", "2020", "2021"),
                    series=(m.Series("Recettes", (1200, 1500, 1750)),), unit=m.CellKind.MONEY)
    nested = m.ListBlock(items=[
        m.ListItem("Premier point", children=m.ListBlock(items=[m.ListItem("sous-point a"),
                                                                m.ListItem("sous-point b")])),
        m.ListItem("Deuxième point"),
    ])
    chapters = [
        m.Chapter("toc", "Sommaire", blocks=[m.TableOfContents()], numbered=False),
        m.Chapter("intro", "Introduction", blocks=[
            m.Heading(1, "Introduction"),
            m.Paragraph([m.Text("Le rapport "), m.Text("annuel", bold=True), m.Text(" de "),
                         m.Text("l'intercommunale", italic=True), m.Text(". Voir "),
                         m.Link([m.Text("le site")], "https://www.imio.be"), m.LineBreak(),
                         m.Text("Deuxième ligne.")]),
            m.Paragraph("Chiffre clé", style=m.ParagraphStyle.KEY_FIGURE),
            m.Paragraph("Une note.", style=m.ParagraphStyle.NOTE),
            nested,
            m.ListBlock(items=[m.ListItem("troisième"), m.ListItem("quatrième")], ordered=True, start=3),
            m.Heading(2, "iMio."),
        ]),
        m.Chapter("finances", "Finances", blocks=[
            m.Heading(1, "Finances"),
            m.Heading(2, "Budget"),
            money,
            m.Figure(chart, caption="Évolution des recettes", width=0.7),
            m.Heading(2, "Présences"),
            wide,
            m.Paragraph("Retour en portrait.", style=m.ParagraphStyle.QUOTE),
            m.Image("photo.png", alt="Une photo", width=0.3),
            m.PageBreak(),
            m.Paragraph("Après le saut de page.", style=m.ParagraphStyle.LEAD),
            m.Heading(3, "Détail", in_toc=True),
        ]),
    ]
    meta = m.Meta(title="Rapport d'activités 2021", reference="RA-2021-01", organisation="iMio",
                  year=2021, subject="Exercice 2021",
                  signatories=(m.Signatory("Jean Dupont", "Directeur général"),
                               m.Signatory("Marie Martin", "Présidente")),
                  logo="logo.png", date=dt.date(2022, 3, 15))
    return number_document(m.Document(meta, chapters))


@pytest.fixture(autouse=True)
def _chart_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("RAPACT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "charts"))


@pytest.fixture
def rendered(tmp_path):
    doc = sample_document(tmp_path)
    target = tmp_path / "out.docx"
    render_docx(doc, target, RenderOptions(report_dir=tmp_path))
    return target


def _body_children(d):
    return list(d.element.body)


def _style_name(d, p):
    return p.style.name if p.style is not None else None


def _tables(d):
    return d.element.body.findall(f"{W}tbl")


def _row_texts(tr):
    return ["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in tr.findall(f"{W}tc")]


# ---------------------------------------------------------------- tests


def test_headings_numbered_and_styled(rendered):
    d = docx.Document(str(rendered))
    heads = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Heading")]
    # the numbers are Word's (list numbering), not typed into the text
    assert heads == [
        ("Heading 1", "Introduction"),
        ("Heading 2", "iMio."),
        ("Heading 1", "Finances"),
        ("Heading 2", "Budget"),
        ("Heading 2", "Présences"),
        ("Heading 3", "Détail"),
    ]
    assert testing.docx_headings(rendered) == [
        "1 Introduction", "1.1 iMio.", "2 Finances", "2.1 Budget", "2.2 Présences", "2.2.1 Détail"]
    # level-1 chapters start a new page
    for p in d.paragraphs:
        if p.style.name == "Heading 1":
            assert p.paragraph_format.page_break_before


def test_cover_page(rendered):
    d = docx.Document(str(rendered))
    texts = [p.text for p in d.paragraphs]
    assert "iMio" in texts[:4]
    title = next(p for p in d.paragraphs if p.style.name == "Title")
    assert title.text == "Rapport d'activités 2021"
    assert any("RA-2021-01" in t for t in texts[:6])
    cover_table = _tables(d)[0]
    cells = " ".join(" ".join(_row_texts(tr)) for tr in cover_table.findall(f"{W}tr"))
    assert "Jean Dupont" in cells and "Présidente" in cells
    assert d.element.body.find(f".//{W}drawing") is not None  # the logo
    # the cover has no header/footer, the other pages do
    s0 = d.sections[0]
    assert s0.different_first_page_header_footer
    assert s0.first_page_header.paragraphs[0].text == ""


def test_paragraphs_runs_link_styles(rendered):
    d = docx.Document(str(rendered))
    p = next(p for p in d.paragraphs if p.text.startswith("Le rapport"))
    runs = {r.text: r for r in p.runs}
    assert runs["annuel"].bold and runs["l'intercommunale"].italic
    link = p._p.find(f"{W}hyperlink")
    assert link is not None
    rid = link.get(qn("r:id"))
    assert d.part.rels[rid].target_ref == "https://www.imio.be"
    assert d.part.rels[rid].is_external
    assert "".join(t.text for t in link.iter(f"{W}t")) == "le site"
    assert link.find(f".//{W}rStyle").get(qn("w:val")) == "Hyperlink"
    assert p._p.find(f".//{W}br") is not None
    styles = {p.text: p.style.name for p in d.paragraphs}
    assert styles["Chiffre clé"] == "Key Figure"
    assert styles["Une note."] == "Note"
    assert styles["Retour en portrait."] == "Quote"
    assert styles["Après le saut de page."] == "Lead"
    assert d.paragraphs[[p.text for p in d.paragraphs].index("Après le saut de page.")] \
        .paragraph_format.page_break_before


def test_lists_use_word_numbering(rendered):
    d = docx.Document(str(rendered))

    def num(p):
        pr = p._p.pPr.numPr
        return int(pr.numId.val), int(pr.ilvl.val)

    items = {p.text: p for p in d.paragraphs}
    assert items["Premier point"].style.name == "List Bullet"
    assert items["sous-point a"].style.name == "List Bullet 2"
    assert num(items["Premier point"])[1] == 0 and num(items["sous-point a"])[1] == 1
    assert items["troisième"].style.name == "List Number"
    numbering = d.part.numbering_part.element
    num_id = num(items["troisième"])[0]
    assert num(items["quatrième"])[0] == num_id
    w_num = next(n for n in numbering.findall(f"{W}num") if n.get(qn("w:numId")) == str(num_id))
    assert w_num.find(f"{W}lvlOverride/{W}startOverride").get(qn("w:val")) == "3"
    abstract = w_num.find(f"{W}abstractNumId").get(qn("w:val"))
    an = next(a for a in numbering.findall(f"{W}abstractNum") if a.get(qn("w:abstractNumId")) == abstract)
    assert an.find(f"{W}lvl/{W}numFmt").get(qn("w:val")) == "decimal"


def test_money_table(rendered):
    d = docx.Document(str(rendered))
    caption = next(p for p in d.paragraphs if "Budget communal" in p.text)
    assert spaces(caption.text) == "Tableau 1 : Budget communal"
    assert caption.style.name == "Caption"
    tbl = _tables(d)[1]
    rows = tbl.findall(f"{W}tr")
    # the spanning header cell ("Exercice 2021" over three columns) is folded into the labels
    # it spans: one header row, no merged cell (a screen reader names a cell by its column)
    labels = [c.text for c in d.tables[1].rows[0].cells]
    assert labels == ["Poste", "Nombre", "Exercice 2021\nMontant", "Exercice 2021\nPart", "Exercice 2021\nDate"]
    assert rows[0].find(f".//{W}gridSpan") is None and rows[0].find(f".//{W}vMerge") is None
    assert [spaces(t) for t in _row_texts(rows[1])] == [
        "Recettes ordinaires", "12", "4 753 459,12 €", "14,36 %", "22/06/2021"]
    assert "\u202f" in _row_texts(rows[1])[2]  # Babel's narrow no-break space kept
    assert [spaces(t) for t in _row_texts(rows[2])] == [
        "Dépenses & <charges>", "1 234 567", "-3 299 312,71 €", "50,00 %", "31/12/2021"]
    assert _row_texts(rows[4]) == ["non ventilé", "n.d.", "0,00\u00a0%", ""]  # colspan + str as is
    total = rows[-1]
    assert [spaces(t) for t in _row_texts(total)] == ["Total", "1 234 579", "1 454 146,41 €", "100,00 %", ""]
    # the header row repeats; no row splits; total and subtotal bold
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    for tr in rows:
        assert tr.find(f"{W}trPr/{W}cantSplit") is not None
    for tr in rows[1:]:
        assert tr.find(f"{W}trPr/{W}tblHeader") is None
    for tr in (rows[3], total):
        assert all(r.find(f"{W}rPr/{W}b") is not None for r in tr.iter(f"{W}r"))
    assert total.find(f".//{W}tcBorders/{W}top") is not None
    assert all(r.find(f"{W}rPr/{W}b") is None for r in rows[1].iter(f"{W}r"))
    # numbers right, text left
    jcs = [tc.find(f".//{W}jc").get(qn("w:val")) for tc in rows[1].findall(f"{W}tc")]
    assert jcs == ["left", "right", "right", "right", "left"]
    # widths: fixed layout, grid = 16 cm text width, label column 2x a default one
    assert tbl.find(f"{W}tblPr/{W}tblLayout").get(qn("w:type")) == "fixed"
    grid = [int(g.get(qn("w:w"))) for g in tbl.findall(f"{W}tblGrid/{W}gridCol")]
    assert sum(grid) == 9412 and abs(grid[0] - 2 * grid[1]) <= 3  # the PDF's text width, 16.6 cm
    tcw = [int(tc.find(f"{W}tcPr/{W}tcW").get(qn("w:w"))) for tc in rows[1].findall(f"{W}tc")]
    assert tcw == grid


def test_landscape_section(rendered):
    d = docx.Document(str(rendered))
    sections = d.sections
    assert len(sections) == 3
    portrait, land, back = sections
    assert portrait.page_width < portrait.page_height
    assert land.page_width > land.page_height
    assert land.orientation == docx.enum.section.WD_ORIENT.LANDSCAPE
    assert land.left_margin == portrait.left_margin and land.top_margin == portrait.top_margin
    assert back.page_width < back.page_height
    # the landscape table uses the landscape text width and sits in the landscape section
    wide = _tables(d)[2]
    grid = [int(g.get(qn("w:w"))) for g in wide.findall(f"{W}tblGrid/{W}gridCol")]
    assert sum(grid) == (land.page_width - land.left_margin - land.right_margin) // 635
    assert len(grid) == 13
    # the heading above the landscape table moved into the landscape section with it
    body = _body_children(d)
    section_ends = [i for i, el in enumerate(body) if el.find(f"{W}pPr/{W}sectPr") is not None]
    heading = next(i for i, el in enumerate(body) if "Présences" in "".join(el.itertext())
                   and el.tag == f"{W}p" and el.find(f".//{W}pStyle") is not None
                   and el.find(f".//{W}pStyle").get(qn("w:val")) == "Heading2")
    assert section_ends[0] < heading < body.index(wide) < section_ends[1]
    # only the first section has a different (empty) first page
    assert portrait.different_first_page_header_footer
    assert not land.different_first_page_header_footer and not back.different_first_page_header_footer


def test_table_of_contents_field_prefilled(rendered):
    d = docx.Document(str(rendered))
    body = d.element.body
    instr = [t.text for t in body.iter(f"{W}instrText")]
    assert any(i.strip().startswith('TOC \\o "1-3" \\h \\z \\u') for i in instr)
    toc = [(p.style.name, spaces(p.text)) for p in d.paragraphs if p.style.name.startswith("toc")]
    assert [t[0] for t in toc] == ["toc 1", "toc 2", "toc 1", "toc 2", "toc 2", "toc 3"]
    assert [t[1] for t in toc] == [
        "1 Introduction", "1.1 iMio.", "2 Finances", "2.1 Budget", "2.2 Présences", "2.2.1 Détail"]
    # one field spanning the entries: begin/separate in the first, end in the last
    first, last = (p for p in d.paragraphs if p.style.name.startswith("toc") and p.text.startswith(("1 I", "2.2.1")))
    assert [f.get(qn("w:fldCharType")) for f in first._p.iter(f"{W}fldChar")] == ["begin", "separate"]
    assert [f.get(qn("w:fldCharType")) for f in last._p.iter(f"{W}fldChar")] == ["end"]
    # every TOC entry links to a bookmark on its heading
    anchors = {h.get(qn("w:anchor")) for h in body.iter(f"{W}hyperlink") if h.get(qn("w:anchor"))}
    marks = {b.get(qn("w:name")) for b in body.iter(f"{W}bookmarkStart")}
    assert len(anchors) == 6 and anchors <= marks
    settings = d.settings.element
    uf = settings.find(f"{W}updateFields")
    assert uf is not None and uf.get(qn("w:val")) == "true"
    assert uf.getnext() is not None  # schema position: before compat & co, not appended


def test_header_footer_page_field(rendered):
    d = docx.Document(str(rendered))
    section = d.sections[0]
    # as in the PDF: the organisation at the left, the reference at the right margin
    assert section.header.paragraphs[0].text == "iMio\tRA-2021-01"
    footer = section.footer._element
    instr = "".join(t.text for t in footer.iter(f"{W}instrText"))
    assert instr.strip() == "PAGE"
    assert section.footer.paragraphs[0].text == "- 1 -"


def test_core_properties_and_template(rendered):
    d = docx.Document(str(rendered))
    cp = d.core_properties
    assert cp.title == "Rapport d'activités 2021"
    assert cp.author == "iMio" and cp.last_modified_by == "iMio"
    assert cp.subject == "Exercice 2021"
    assert cp.language == "fr-BE"
    assert cp.created == dt.datetime(2022, 3, 15, tzinfo=dt.timezone.utc)
    assert cp.revision == 1 and not cp.comments
    section = d.sections[0]
    assert (section.page_width, section.page_height) == (docx.shared.Twips(11906), docx.shared.Twips(16838))
    lang = d.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(qn("w:val")) == "fr-BE"
    with zipfile.ZipFile(rendered) as z:
        names = z.namelist()
        assert "docProps/thumbnail.jpeg" not in names
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist())


def test_figure_and_image(rendered):
    d = docx.Document(str(rendered))
    docprs = list(d.element.body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"))
    descr = [p.get("descr") for p in docprs]
    # a chart's alt text is the description of its data, not its title
    figure = next(b for b in sample_document(rendered.parent).blocks() if isinstance(b, m.Figure))
    chart_alt = describe_chart(figure.chart)
    assert chart_alt in descr and "Une photo" in descr
    assert "1 750,00 € en 2021" in spaces(chart_alt)
    assert len({p.get("id") for p in docprs}) == len(docprs)
    caption = next(p for p in d.paragraphs if "Évolution" in p.text)
    assert spaces(caption.text) == "Figure 1 : Évolution des recettes"
    shapes = {s._inline.docPr.get("descr"): s for s in d.inline_shapes}
    text_width = d.sections[0].page_width - d.sections[0].left_margin - d.sections[0].right_margin
    assert abs(shapes[chart_alt].width - 0.7 * text_width) < 1000
    assert abs(shapes["Une photo"].width - 0.3 * text_width) < 1000
    assert shapes["Une photo"].height == pytest.approx(shapes["Une photo"].width / 2, rel=0.01)


def test_deterministic(tmp_path):
    doc = sample_document(tmp_path)
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    render_docx(doc, a, RenderOptions(report_dir=tmp_path))
    render_docx(doc, b, RenderOptions(report_dir=tmp_path))
    assert hashlib.sha256(a.read_bytes()).hexdigest() == hashlib.sha256(b.read_bytes()).hexdigest()


def test_large_table(tmp_path):
    n = 20_000
    table = m.Table(
        columns=MONEY_COLS,
        body=[m.Row([f"Ligne {i}", i, Decimal(i) * Decimal("1.01"), Decimal(i % 100) / 100,
                     dt.date(2021, 1 + i % 12, 1 + i % 28)]) for i in range(n)],
        foot=[m.Row(["Total", n, Decimal("1"), Decimal("1"), None], role=m.RowRole.TOTAL)],
        caption="Grand tableau",
    )
    doc = number_document(m.Document(
        m.Meta(title="T", reference="R", organisation="O", year=2021),
        [m.Chapter("c", "C", blocks=[m.Heading(1, "Données"), table])]))
    target = tmp_path / "big.docx"
    render_docx(doc, target, RenderOptions(report_dir=tmp_path))
    with zipfile.ZipFile(target) as z:
        xml = z.read("word/document.xml")
    from lxml import etree

    root = etree.fromstring(xml)
    tbl = root.findall(f".//{W}tbl")[-1]
    rows = tbl.findall(f"{W}tr")
    assert len(rows) == n + 2  # labels + body + total
    assert spaces(_row_texts(rows[-2])[2]) == spaces("20\u202f198,99\u00a0€")


def test_unknown_block_raises(tmp_path):
    @m.frozen
    class Weird:
        pass

    with pytest.raises(m.ModelError, match=r"Chapter blocks\[0\]: expected a block .*, got Weird"):
        m.Chapter("c", "C", blocks=[Weird()])
    # should one get past the model (a frozen class can be forced), the renderer refuses it too
    chapter = m.Chapter("c", "C")
    object.__setattr__(chapter, "blocks", (Weird(),))
    doc = m.Document(m.Meta(title="T", reference="R", organisation="O", year=2021), [chapter])
    with pytest.raises(UnknownNode, match=r"DOCX: Weird is not a node .*in chapter 'c'"):
        render_docx(doc, tmp_path / "x.docx", RenderOptions())


def test_renderer_is_a_visitor_of_every_node_type():
    """One visit method per node type, dispatched by Visitor.visit; anything else raises."""
    from rapact_core.render.docx import DocxRenderer
    from rapact_core.render.visitor import Visitor, missing_visits

    assert issubclass(DocxRenderer, Visitor) and DocxRenderer.format_name == "DOCX"
    assert missing_visits(DocxRenderer) == []
    renderer = DocxRenderer(m.Document(m.Meta(title="T", reference="R", organisation="O", year=2021)),
                            RenderOptions())
    assert renderer.visit(m.Text("a & b", bold=True), "here") == "<w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t>a &amp; b</w:t></w:r>"
    assert renderer.visit(m.LineBreak(), "here") == "<w:r><w:br/></w:r>"
    for stranger in (m.ListItem("x"), "texte", 42):
        with pytest.raises(UnknownNode, match=f"DOCX: {type(stranger).__name__} is not a node"):
            renderer.visit(stranger, "here")


def test_captions_are_the_shared_ones(tmp_path):
    """Caption paragraphs read "Tableau 2 : …", the label alone without a caption, the
    caption alone without a number: the texts of render/captions.py, as in the PDF."""
    from rapact_core.render.captions import caption_text

    chart = m.Chart(m.ChartKind.BAR, "Recettes", ["2020", "2021"], [m.Series("R", [1, 2])])
    blocks = [
        m.Table(columns=[m.Column("a", "A")], body=[m.Row(["x"])], caption="Avec numéro", number=1),
        m.Table(columns=[m.Column("a", "A")], body=[m.Row(["y"])], number=2),
        m.Table(columns=[m.Column("a", "A")], body=[m.Row(["z"])], caption="Sans numéro"),
        m.Figure(chart, caption="Évolution", number=1),
        m.Figure(chart, number=2),
    ]
    doc = m.Document(m.Meta(title="T", reference="R", organisation="O", year=2021),
                     [m.Chapter("c", "C", blocks=blocks)])
    target = tmp_path / "c.docx"
    render_docx(doc, target, RenderOptions())
    captions = [spaces(p.text) for p in docx.Document(str(target)).paragraphs if p.style.name == "Caption"]
    assert captions == ["Tableau 1 : Avec numéro", "Tableau 2", "Sans numéro", "Figure 1 : Évolution", "Figure 2"]
    assert captions == [spaces(caption_text(b)) for b in blocks]


def test_custom_block(tmp_path):
    calls = []

    def custom(block, fmt, target):
        calls.append((block.kind, fmt))
        target.add_paragraph(f"custom {block.data['x']}")
        return True

    doc = m.Document(m.Meta(title="T", reference="R", organisation="O", year=2021),
                     [m.Chapter("c", "C", blocks=[m.Paragraph("avant"), m.Custom("plug", "thing", {"x": 1}),
                                                  m.Paragraph("après")])])
    target = tmp_path / "c.docx"
    render_docx(doc, target, RenderOptions(custom=custom))
    assert calls == [("thing", "docx")]
    texts = [p.text for p in docx.Document(str(target)).paragraphs]
    assert texts.index("avant") < texts.index("custom 1") < texts.index("après")
    with pytest.raises(RapactError, match="plug"):
        render_docx(doc, tmp_path / "d.docx", RenderOptions())


def test_custom_block_after_a_page_break(tmp_path):
    """What a plugin adds itself starts the page that is due; a table it adds is kept
    apart from the next one by a spacer paragraph, as the renderer's own tables are."""
    def custom(block, fmt, target):
        if block.kind == "para":
            target.add_paragraph("custom paragraph")
        else:
            target.add_table(rows=1, cols=1).cell(0, 0).text = "custom cell"
        return True

    table = m.Table(columns=[m.Column("a", "A")], body=[m.Row(["suivant"])])
    doc = m.Document(m.Meta(title="T", reference="R", organisation="O", year=2021),
                     [m.Chapter("c", "C", blocks=[m.Paragraph("avant"), m.PageBreak(), m.Custom("plug", "para"),
                                                  m.PageBreak(), m.Custom("plug", "table"), table])])
    target = tmp_path / "c.docx"
    render_docx(doc, target, RenderOptions(custom=custom))
    d = docx.Document(str(target))
    para = next(p for p in d.paragraphs if p.text == "custom paragraph")
    assert para.paragraph_format.page_break_before is True
    body = _body_children(d)
    tables = [i for i, el in enumerate(body) if el.tag == f"{W}tbl"]
    custom_table = next(i for i in tables if "custom cell" in "".join(body[i].itertext()))
    before = body[custom_table - 1]
    assert before.tag == f"{W}p" and before.findall(f".//{W}br[@{W}type='page']")
    assert body[custom_table + 1].tag == f"{W}p" and body[custom_table + 2].tag == f"{W}tbl"


@pytest.mark.parametrize("rows", [2, 2500])  # a big table is written out at save time, checked before
@pytest.mark.parametrize("plain", [False, True])
def test_bad_characters_name_the_table(tmp_path, rows, plain):
    values = [[f"ok {i}"] for i in range(rows)]
    values[1] = ["bad\x0bvalue"]
    body = m.PlainRows(values) if plain else [m.Row(v) for v in values]
    table = m.Table(columns=[m.Column("a", "A")], body=body, caption="Liste des marchés")
    doc = number_document(m.Document(m.Meta(title="T", reference="R", organisation="O", year=2021),
                                     [m.Chapter("c", "C", blocks=[table])]))
    with pytest.raises(ValueError, match="Liste des marchés.*body row 2"):
        render_docx(doc, tmp_path / "x.docx", RenderOptions())
    assert not (tmp_path / "x.docx").exists()
    doc = m.Document(m.Meta(title="T", reference="R", organisation="O", year=2021),
                     [m.Chapter("c", "C", blocks=[m.Paragraph("nul\x00")])])
    with pytest.raises(ValueError, match="paragraph"):
        render_docx(doc, tmp_path / "y.docx", RenderOptions())


def test_missing_image_is_reported(tmp_path):
    doc = m.Document(m.Meta(title="T", reference="R", organisation="O", year=2021),
                     [m.Chapter("c", "C", blocks=[m.Image("nowhere.png")])])
    with pytest.raises(RapactError, match="nowhere.png"):
        render_docx(doc, tmp_path / "x.docx", RenderOptions(report_dir=tmp_path))


def test_document_ending_in_landscape_and_user_template(tmp_path):
    # a bare python-docx template: US Letter, none of rapact's styles
    template = tmp_path / "plain.docx"
    docx.Document().save(str(template))
    table = m.Table(columns=[m.Column("a", "A"), m.Column("b", "B", kind=m.CellKind.MONEY)],
                    body=[m.Row(["x", Decimal("1.5")])], landscape=True)
    doc = number_document(m.Document(m.Meta(title="T", reference="R", organisation="O", year=2021),
                                     [m.Chapter("c", "C", blocks=[m.Heading(1, "Un"), table])]))
    target = tmp_path / "t.docx"
    render_docx(doc, target, RenderOptions(template=template))
    d = docx.Document(str(target))
    assert len(d.sections) == 2
    assert d.sections[-1].page_width > d.sections[-1].page_height
    # rapact's styles the template lacks are copied in; the template's own (its Caption, its
    # headings) are used as they are, never doubled
    own = {s.name for s in docx.Document(str(template)).styles}
    names = [s.name for s in d.styles]
    assert set(names) - own == {"Hyperlink", "Key Figure", "Lead", "Note", "rapact Table",
                                *(f"toc {i}" for i in range(1, 7)), "Cover Band", "Cover Organisation",
                                "Cover Details", "Signatory Name", "Signatory Role"}
    assert "Caption" in own and len(names) == len(set(names))
    assert spaces(_row_texts(_tables(d)[-1].findall(f"{W}tr")[-1])[1]) == "1,50 €"


def test_column_widths():
    cols = [m.Column("a", "A", width=0.5), m.Column("b", "B"), m.Column("c", "C")]
    assert column_widths(cols, 1000) == [500, 250, 250]
    cols = [m.Column("a", "A", width=2), m.Column("b", "B", width=1), m.Column("c", "C")]
    assert column_widths(cols, 1000) == [500, 250, 250]
    assert sum(column_widths([m.Column("a", "A")] * 7, 9070)) == 9070


def test_landscape_runs_do_not_leave_blank_pages(tmp_path):
    def land(caption):
        return m.Table(columns=[m.Column("a", "A"), m.Column("b", "B", kind=m.CellKind.MONEY)],
                       body=[m.Row(["x", Decimal("1.5")])], landscape=True, caption=caption)

    blocks = [land("après la couverture"), m.Heading(1, "Un"), land("L1"), land("L2"),
              m.PageBreak(), land("L3 after a page break"),
              m.Heading(1, "Deux"), m.Paragraph("texte"), m.PageBreak(), m.PageBreak(),
              m.Heading(1, "Trois"), land("fin")]
    doc = number_document(m.Document(m.Meta(title="T", reference="R", organisation="O", year=2021),
                                     [m.Chapter("c", "C", blocks=blocks)]))
    target = tmp_path / "edge.docx"
    render_docx(doc, target, RenderOptions())
    d = docx.Document(str(target))
    # cover | landscape (3 tables, chapter 1 on its own landscape page) | portrait | landscape
    shapes = [s.page_width > s.page_height for s in d.sections]
    assert shapes == [False, True, False, True]
    heads = {p.text: p.paragraph_format.page_break_before for p in d.paragraphs
             if p.style.name == "Heading 1"}
    # "Un" stays in the landscape section of the first table: it needs its page break;
    # "Trois" opens a new section, which already starts a page
    assert heads == {"Un": True, "Deux": None, "Trois": None}
    # the PageBreak between two landscape tables is kept (on the caption)
    breaks = [spaces(p.text) for p in d.paragraphs if p.paragraph_format.page_break_before]
    assert breaks == ["Un", "Tableau 4 : L3 after a page break"]


def _table_xml(table: m.Table, *, whole_table_pass: bool, monkeypatch) -> str:
    from rapact_core.render.docx_tables import TableWriter

    with monkeypatch.context() as mp:
        if not whole_table_pass:
            mp.setattr(TableWriter, "_plain_texts", lambda self: None)
        writer = TableWriter(table, column_widths(table.columns, 9000), "TableGrid", "fr_BE")
        return writer.xml()


@pytest.mark.parametrize("odd", [None, "a\nb", " lead", "trail ", "two  spaces", "tab\there"])
def test_whole_table_pass_writes_what_the_row_writer_writes(monkeypatch, odd):
    """Big tables are written in one pass over all their text; the XML must be the
    row-by-row writer's, byte for byte, and a text needing care falls back to it."""
    from rapact_core.missing import MISSING

    cols = [m.Column("nom", "Nom"), m.Column("montant", "Montant", m.CellKind.MONEY),
            m.Column("date", "Date", m.CellKind.DATE), m.Column("taux", "Taux", m.CellKind.PERCENT)]
    body = [m.Row([f"Asso & fils <{i}> 100%s", Decimal(i) * Decimal("1234.5"), dt.date(2021, 1 + i % 12, 1),
                   Decimal("0.1436")]) for i in range(30)]
    body += [m.Row(["", None, None, MISSING]), m.Row(["Commune de Liège", -3, dt.date(2020, 2, 29), 0])]
    if odd is not None:
        body.append(m.Row([odd, 1, None, None]))
    table = m.Table(columns=cols, body=body,
                    foot=[m.Row([m.Cell("Total", colspan=3), m.Cell(Decimal(1))], m.RowRole.TOTAL)])
    fast = _table_xml(table, whole_table_pass=True, monkeypatch=monkeypatch)
    slow = _table_xml(table, whole_table_pass=False, monkeypatch=monkeypatch)
    assert fast == slow
    # the same body given as plain values (m.PlainRows) is read without Row or Cell objects
    plain = m.Table(columns=cols, body=m.PlainRows([[c.value for c in r.cells] for r in body]), foot=table.foot)
    assert _table_xml(plain, whole_table_pass=True, monkeypatch=monkeypatch) == slow
    from rapact_core.render.docx_tables import TableWriter

    took_fast_path = TableWriter(table, column_widths(cols, 9000), "TableGrid", "fr_BE")._plain_texts() is not None
    assert took_fast_path == (odd is None)
    assert "Asso &amp; fils &lt;29&gt; 100%s" in fast
    assert fast.count("<w:tr>") == len(body) + 2


from hypothesis import given, strategies as st  # noqa: E402


def test_table_writer_cares_for_the_forbidden_xml_characters_of_text_py():
    """The one-pass table writer's own character class is text.FORBIDDEN_XML less NUL
    (its separator), plus what becomes w:br or w:tab."""
    from rapact_core.render.docx_tables import _NEEDS_CARE
    from rapact_core.text import FORBIDDEN_XML

    chars = [chr(c) for c in range(0x110000)]
    forbidden = {c for c in chars if FORBIDDEN_XML.match(c)}
    assert {c for c in chars if _NEEDS_CARE.match(c)} == (forbidden - {"\0"}) | {"\n", "\t", "\r"}


@given(st.text())
def test_escaping_is_the_standard_librarys(text):
    from xml.sax.saxutils import escape

    from rapact_core.render.docx_xml import esc, esc_attr

    assert esc(text) == escape(text)
    assert esc_attr(text) == escape(text, {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


@pytest.mark.parametrize("odd", [None, "ligne 1\nligne 2"])
def test_big_table_written_at_save_time_reads_back(tmp_path, odd):
    """A table of more than 300 rows is written into document.xml when the file is
    saved, by batches of rows, while it is deflated: every row must be there once."""
    values = [[f"Associé {i:04d}", Decimal(i)] for i in range(4321)]
    if odd is not None:
        values[2500][0] = odd  # a text that needs care: the rows are written one by one
    table = m.Table(columns=[m.Column("nom", "Nom"), m.Column("n", "N", m.CellKind.INTEGER)],
                    body=m.PlainRows(values), caption="Registre")
    doc = number_document(m.Document(m.Meta(title="T", reference="R", organisation="O", year=2021),
                                     [m.Chapter("c", "C", blocks=[table])]))
    target = tmp_path / "big.docx"
    render_docx(doc, target, RenderOptions())
    read = docx.Document(str(target)).tables[0]
    names = [row.cells[0].text for row in read.rows]
    assert len(names) == 1 + 4321
    assert names[1] == "Associé 0000" and names[-1] == "Associé 4320"
    assert names[2501] == (odd or "Associé 2500")
    assert read.rows[4000].cells[1].text == "3\u202f999"
