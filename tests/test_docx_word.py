"""The DOCX is a Word document staff can edit, and an accessible one (issues 15 and 16 §3).

Read back with python-docx (and lxml on its parts): Word numbers the headings
and the captions, the table of contents does not list its own title, no empty
paragraph makes spacing, the fonts travel with the file, pictures have alt
texts, header rows are marked and never merged, and an organisation's template
keeps winning over the shipped design.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from lxml import etree

from rapact_core import model as m
from rapact_core import testing
from rapact_core.accessibility import accessibility_findings
from rapact_core.cli import main
from rapact_core.formatting import normalise_spaces
from rapact_core.numbering import number_document
from rapact_core.render import RenderOptions, pdf_styles
from rapact_core.render.chart_text import describe_chart
from rapact_core.render.docx import render_docx
from rapact_core.render.docx_fonts import BASE, obfuscate
from rapact_core.render.docx_sections import TABLE_GAP

from conftest import ROOT, build_2021

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
R_ID = qn("r:id")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("word")
    build_2021(out, "--format", "docx", "--format", "pdf")
    return out


@pytest.fixture(scope="module")
def path(built):
    return built / "rapport-activites-2021.docx"


@pytest.fixture(scope="module")
def d(path):
    return docx.Document(str(path))


@pytest.fixture(scope="module")
def model():
    return testing.build_result(ROOT / "rapact.toml", bundled=True).document


def _style(d, p_el) -> str | None:
    st = p_el.find(f"{W}pPr/{W}pStyle")
    return st.get(qn("w:val")) if st is not None else None


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


def _abstract_of(d, num_id: str):
    numbering = d.part.numbering_part.element
    num = next(n for n in numbering.findall(f"{W}num") if n.get(qn("w:numId")) == num_id)
    aid = num.find(f"{W}abstractNumId").get(qn("w:val"))
    return next(a for a in numbering.findall(f"{W}abstractNum") if a.get(qn("w:abstractNumId")) == aid)


def render(tmp_path, blocks, *, meta=None, template=None, name="t.docx", number=True):
    meta = meta or m.Meta(title="Rapport", reference="R-1", organisation="Org", year=2021)
    doc = m.Document(meta, [m.Chapter("c", "C", blocks=blocks)])
    target = tmp_path / name
    render_docx(number_document(doc) if number else doc, target, RenderOptions(template=template, report_dir=tmp_path))
    return target


# ---------------------------------------------------------------- headings numbered by Word


def test_heading_styles_are_linked_to_a_multilevel_list(d):
    styles = {s.style_id: s for s in d.styles if s.type == docx.enum.style.WD_STYLE_TYPE.PARAGRAPH}
    num_ids = set()
    for level in range(1, 7):
        num_pr = styles[f"Heading{level}"].element.find(f"{W}pPr/{W}numPr")
        assert num_pr is not None, f"Heading {level} has no numbering"
        assert num_pr.find(f"{W}ilvl").get(qn("w:val")) == str(level - 1)
        num_ids.add(num_pr.find(f"{W}numId").get(qn("w:val")))
    assert len(num_ids) == 1
    abstract = _abstract_of(d, num_ids.pop())
    assert abstract.find(f"{W}multiLevelType").get(qn("w:val")) == "multilevel"
    levels = {int(lv.get(qn("w:ilvl"))): lv for lv in abstract.findall(f"{W}lvl")}
    for level in range(1, 7):
        lv = levels[level - 1]
        assert lv.find(f"{W}pStyle").get(qn("w:val")) == f"Heading{level}"
        assert lv.find(f"{W}lvlText").get(qn("w:val")) == ".".join(f"%{k}" for k in range(1, level + 1))
        assert lv.find(f"{W}numFmt").get(qn("w:val")) == "decimal"
        assert lv.find(f"{W}suff").get(qn("w:val")) == "space"


def test_heading_numbers_are_words_and_match_the_pdf(d, built):
    heads = [p for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert len(heads) == 67
    # no number typed into the text: Word's list numbering shows it
    assert not [p.text for p in heads if re.match(r"\d+(\.\d+)*\s", p.text)]
    numbered = testing.docx_headings(built / "rapport-activites-2021.docx")
    assert numbered[:3] == ["1 Avant-propos.", "2 Le mot du président.", "3 iMio en quelques mots."]
    assert "6.6.7.1 Introduction" in numbered and "7.15 Comparaison par rapport aux objectifs fixés." in numbered
    outline = testing.pdf_outline(built / "rapport-activites-2021.pdf")
    assert numbered == [h for h in outline if h != "Table des matières"]


def test_unnumbered_headings_opt_out_of_the_list(tmp_path):
    target = render(tmp_path, [m.Heading(1, "Avant-propos", numbered=False), m.Paragraph("texte"),
                               m.Heading(1, "Premier"), m.Heading(2, "Détail"),
                               m.Heading(2, "Note", numbered=False), m.Heading(1, "Second")])
    d = docx.Document(str(target))
    by_text = {p.text: p._p for p in d.paragraphs if p.style.name.startswith("Heading")}
    for text in ("Avant-propos", "Note"):
        assert by_text[text].find(f"{W}pPr/{W}numPr/{W}numId").get(qn("w:val")) == "0"
    assert by_text["Premier"].find(f"{W}pPr/{W}numPr") is None  # the style's numbering
    assert testing.docx_headings(target) == ["Avant-propos", "1 Premier", "1.1 Détail", "Note", "2 Second"]


def test_a_template_numbering_its_headings_keeps_its_numbering(tmp_path):
    plain = render(tmp_path, [m.Heading(1, "Un")], name="first.docx")
    # an organisation's template whose Heading 1 is numbered by its own list ("Chapitre 1")
    d = docx.Document(str(plain))
    h1 = next(s for s in d.styles if s.name == "Heading 1").element
    num_id = h1.find(f"{W}pPr/{W}numPr/{W}numId").get(qn("w:val"))
    abstract = _abstract_of(d, num_id)
    abstract.find(f"{W}name").set(qn("w:val"), "org-chapters")
    abstract.find(f"{W}lvl/{W}lvlText").set(qn("w:val"), "Chapitre %1")
    template = tmp_path / "org.docx"
    d.save(str(template))
    target = render(tmp_path, [m.Heading(1, "Un"), m.Heading(1, "Deux")], template=template)
    assert testing.docx_headings(target) == ["Chapitre 1 Un", "Chapitre 2 Deux"]


# ---------------------------------------------------------------- captions numbered by Word


def _seq(p_el) -> tuple[str, str]:
    """(field instruction, cached result) of the caption paragraph's field."""
    instr = "".join(t.text for t in p_el.iter(f"{W}instrText"))
    runs = list(p_el.iter(f"{W}r"))
    kinds = [r.find(f"{W}fldChar").get(qn("w:fldCharType")) if r.find(f"{W}fldChar") is not None else None
             for r in runs]
    result = "".join(_text(r) for r in runs[kinds.index("separate") + 1:kinds.index("end")])
    return instr, result


def test_captions_are_seq_fields_with_the_right_numbers(d, model):
    captions = [p for p in d.paragraphs if p.style.name == "Caption"]
    tables = [p for p in captions if p.text.startswith("Tableau")]
    figures = [p for p in captions if p.text.startswith("Figure")]
    assert len(tables) == len(testing.tables(model)) == 23 and len(figures) == len(testing.figures(model)) == 4
    for kind, paragraphs, blocks in (("Tableau", tables, testing.tables(model)),
                                     ("Figure", figures, testing.figures(model))):
        for p, block in zip(paragraphs, blocks):
            instr, result = _seq(p._p)
            assert re.fullmatch(rf"\s*SEQ {kind} \\\* ARABIC\s*", instr), instr
            assert result == str(block.number)
            assert normalise_spaces(p.text) == normalise_spaces(f"{kind} {block.number} : {block.caption}")


# ---------------------------------------------------------------- table of contents


def test_the_table_of_contents_does_not_list_its_own_title(d, path):
    titles = [p for p in d.paragraphs if p.text == "Table des matières"]
    assert len(titles) == 1 and titles[0].style.name == "TOC Heading"
    style = titles[0].style.element
    assert style.find(f"{W}pPr/{W}outlineLvl").get(qn("w:val")) == "9"  # body text, not an outline level
    assert titles[0]._p.find(f"{W}pPr/{W}outlineLvl") is None
    entries = [p.text for p in d.paragraphs if p.style.name.startswith("toc ")]
    assert "Table des matières" not in entries and len(entries) == 67
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode()
        settings = z.read("word/settings.xml").decode()
    assert re.search(r'TOC \\o "1-4" \\h \\z \\u', xml.replace("&quot;", '"'))
    assert '<w:updateFields w:val="true"/>' in settings  # Word fills the page numbers on opening


# ---------------------------------------------------------------- no empty paragraphs


def _empty_paragraphs(body):
    """(index, kind) of the body's paragraphs with no text, drawing or field; kind "after table"
    for one that carries a section break (or ends the body) right after a table."""
    out = []
    children = list(body)
    for i, el in enumerate(children):
        if el.tag != f"{W}p" or _text(el).strip():
            continue
        if any(el.find(f".//{tag}") is not None for tag in (f"{W}drawing", f"{W}fldChar", f"{W}fldSimple")):
            continue
        ends = el.find(f"{W}pPr/{W}sectPr") is not None or children[i + 1].tag == f"{W}sectPr"
        justified = ends and i > 0 and children[i - 1].tag == f"{W}tbl"
        out.append((i, "after table" if justified else "spacer"))
    return out


def test_no_empty_paragraphs_for_spacing(d):
    body = d.element.body
    found = _empty_paragraphs(body)
    assert [f for f in found if f[1] == "spacer"] == []
    # a section break after a landscape table needs a paragraph of its own (a table cannot
    # carry w:sectPr): one per landscape run ending or portrait run ending on a table
    assert len(found) <= 6
    section_ends = body.findall(f"{W}p/{W}pPr/{W}sectPr")
    assert len(section_ends) == 6
    carried = [s.getparent().getparent() for s in section_ends if _text(s.getparent().getparent()).strip()]
    assert len(carried) == len(section_ends) - len(found)


def test_spacing_after_a_table_is_the_next_paragraphs(tmp_path):
    table = m.Table(columns=[m.Column("a", "A")], body=[m.Row(["x"])], caption="Un")
    target = render(tmp_path, [m.Paragraph("Avant."), table, m.Paragraph("Après le tableau."),
                               m.Table(columns=[m.Column("a", "A")], body=[m.Row(["y"])]),
                               m.Table(columns=[m.Column("a", "A")], body=[m.Row(["z"])]),
                               m.Heading(2, "Titre")], number=False)  # no caption between the last two
    d = docx.Document(str(target))
    after = next(p for p in d.paragraphs if p.text == "Après le tableau.")
    assert after.paragraph_format.space_before == docx.shared.Twips(TABLE_GAP)
    # a heading keeps its own, larger, space before
    heading = next(p for p in d.paragraphs if p.text == "Titre")
    assert heading.paragraph_format.space_before is None
    # two tables in a row are kept apart by one tiny paragraph (else Word joins them)
    body = list(d.element.body)
    tables = [i for i, el in enumerate(body) if el.tag == f"{W}tbl"]
    assert tables[-1] - tables[-2] == 2 and not _text(body[tables[-1] - 1])
    assert [f for f in _empty_paragraphs(d.element.body) if f[1] == "spacer"] == [(tables[-1] - 1, "spacer")]


def test_a_section_break_rides_on_the_last_paragraph_of_its_section(tmp_path):
    land = m.Table(columns=[m.Column("a", "A"), m.Column("b", "B")], body=[m.Row(["x", "y"])],
                   caption="Large", landscape=True)
    last = "Le dernier paragraphe en portrait, assez long pour ne pas être l'introduction du tableau " * 2
    target = render(tmp_path, [m.Heading(1, "Un"), m.Paragraph(last), m.Heading(2, "Large"),
                               land, m.Paragraph("Retour en portrait.")])
    d = docx.Document(str(target))
    body = d.element.body
    ends = [s.getparent().getparent() for s in body.findall(f"{W}p/{W}pPr/{W}sectPr")]
    assert _text(ends[0]) == last  # portrait ends on real content
    assert not _text(ends[1]) and ends[1].getprevious().tag == f"{W}tbl"  # landscape ends on its table
    assert [f[1] for f in _empty_paragraphs(body)] == ["after table"]


# ---------------------------------------------------------------- accessibility


def test_every_picture_has_its_alt_text(path, model):
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    descr = [p.get("descr") for p in root.iter(f"{WP}docPr")]
    assert descr == [describe_chart(f.chart) for f in testing.figures(model)]
    assert all(len(x) > 60 for x in descr)


def test_image_alt_text_and_the_check_warning(tmp_path):
    from test_render_docx import _png

    _png(tmp_path / "photo.png")
    blocks = [m.Heading(1, "Photos"), m.Image("photo.png", alt="L'équipe en 2021"), m.Image("photo.png")]
    target = render(tmp_path, blocks)
    with zipfile.ZipFile(target) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    assert [p.get("descr") for p in root.iter(f"{WP}docPr")] == ["L'équipe en 2021", ""]  # no file name
    [warning] = accessibility_findings([m.Chapter("photos", "Photos", blocks=blocks)])
    assert warning.level.value == "warning" and warning.field == "chapter photos"
    assert "'photo.png' has no alt text" in warning.message


def test_rapact_check_warns_about_a_picture_without_alt_text(report_copy, in_dir):
    from test_render_docx import _png

    in_dir(report_copy)
    _png(report_copy / "reports" / "2021" / "equipe.png")
    text = report_copy / "reports" / "2021" / "texts" / "avant-propos.md"
    text.write_text(text.read_text(encoding="utf-8") + "\n![](equipe.png)\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check"])
    assert "chapter avant-propos: picture 'equipe.png' has no alt text" in result.output, result.output


def test_header_rows_are_marked_and_never_merged(d):
    for table in d.tables[1:]:  # the cover's signatories are no data table
        rows = [r._tr for r in table.rows]
        marked = [tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in rows]
        assert marked[0], "a table without a header row"
        count = marked.index(False) if False in marked else len(marked)
        assert not any(marked[count:]), "header rows must be the table's first rows"
        for tr in rows[:count]:
            assert tr.find(f".//{W}gridSpan") is None and tr.find(f".//{W}vMerge") is None
            assert tr.find(f".//{W}hMerge") is None
    # the attendance table's "CA 2021" over the meeting dates is in each date's label
    attendance = next(t for t in d.tables if t.rows[0].cells[-1].text.startswith("% participation"))
    labels = [c.text for c in attendance.rows[0].cells]
    assert labels[1] == "CA 2021\n23/02/21" and labels[9] == "CA 2021\n(sans date)"
    assert labels[10] == "Total"


def _kept_rows(table) -> list[bool]:
    """For each row after the header rows: do its paragraphs keep with the next one?"""
    out = []
    for row in table.rows:
        tr = row._tr
        if tr.find(f"{W}trPr/{W}tblHeader") is not None:
            continue
        keeps = {p.find(f"{W}pPr/{W}keepNext") is not None for p in tr.iter(f"{W}p")}
        assert len(keeps) == 1, "every paragraph of a row keeps, or none"
        out.append(keeps.pop())
    return out


def test_a_short_table_stays_on_one_page_and_a_long_one_is_cut_three_rows_a_side(d):
    by_caption = {}
    for table in d.tables[1:]:
        caption = table._tbl.find(f"{W}tblPr/{W}tblCaption")
        if caption is not None:
            by_caption[caption.get(f"{W}val")] = table
    # five bodies and a total: kept whole, the total with them, the text after it free
    meetings = _kept_rows(by_caption["Réunions des organes de gestion en 2021"])
    assert meetings == [True] * 5 + [False]
    # nineteen administrators and no foot: three rows with the header, three at the end
    administrators = _kept_rows(by_caption["Liste des administrateurs"])
    assert len(administrators) == 19
    assert administrators == [True, True] + [False] * 14 + [True, True, False]
    # a body and its total row: the last three body rows keep with the total
    attendance = _kept_rows(by_caption["Participation aux conseils d'administration 2021"])
    assert attendance[:3] == [True, True, False] and attendance[-5:] == [False, True, True, True, False]


@pytest.mark.parametrize("rows", ["plain", "cells"])
def test_a_long_table_keeps_its_ends_only_on_either_writer_path(tmp_path, rows):
    """Plain rows (a registry) take the writer's fast path; rows with a cell of its own
    kind take the row-by-row one: both keep the same rows."""
    columns = (m.Column("n", "N°", m.CellKind.INTEGER), m.Column("nom", "Nom"))
    values = [(i, f"Membre {i}") for i in range(1, 40)]
    if rows == "plain":
        body = m.PlainRows(values)
    else:
        body = [m.Row([m.Cell(Decimal("0.5"), kind=m.CellKind.PERCENT), name]) for _, name in values]
    table = m.Table(columns, body, foot=[m.Row([39, "Total"], role=m.RowRole.TOTAL)], caption="Registre")
    meta = m.Meta(title="t", reference="r", organisation="o", year=2021)
    doc = number_document(m.Document(meta, (m.Chapter("c", "C", (table,)),)))
    path = tmp_path / "big.docx"
    render_docx(doc, path, RenderOptions(report_dir=tmp_path))
    kept = _kept_rows(docx.Document(str(path)).tables[-1])
    assert kept == [True, True] + [False] * 34 + [True, True, True, False]


def test_core_properties_title_and_language(d, path):
    cp = d.core_properties
    assert cp.title == "Rapport d'activités – année de référence 2021" and cp.language == "fr-BE"
    with zipfile.ZipFile(path) as z:
        styles = z.read("word/styles.xml").decode()
    assert '<w:lang w:val="fr-BE"' in styles


def test_headings_use_heading_styles_and_skip_no_level(d):
    levels = [int(p.style.name.split()[-1]) for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))
    assert accessibility_findings([m.Chapter("x", "X", blocks=[m.Heading(1, "A"), m.Heading(3, "C")])])


def test_link_texts_say_where_they_lead(d):
    links = [_text(h) for h in d.element.body.iter(f"{W}hyperlink") if h.get(R_ID)]
    assert links == ["contact@imio.be", "http://www.imio.be", "https://geonature.fr/",
                     "https://www.champs-libres.coop/"]
    vague = m.Paragraph([m.Text("Voir "), m.Link([m.Text("ici")], "https://example.org")])
    [warning] = accessibility_findings([m.Chapter("x", "X", blocks=[vague])])
    assert "'ici' does not say where the link leads" in warning.message


# ---------------------------------------------------------------- fonts travel with the file


def _embedded_fonts(path) -> dict[str, bytes]:
    """{"embedRegular": the de-obfuscated font, …} of DejaVu Sans, read from the package."""
    with zipfile.ZipFile(path) as z:
        table = etree.fromstring(z.read("word/fontTable.xml"))
        rels = etree.fromstring(z.read("word/_rels/fontTable.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        font = next(f for f in table.findall(f"{W}font") if f.get(qn("w:name")) == "DejaVu Sans")
        out = {}
        for el in font:
            if el.tag.startswith(f"{W}embed"):
                part = z.read("word/" + targets[el.get(R_ID)])
                out[el.tag[len(W):]] = obfuscate(part, el.get(qn("w:fontKey")))
        content_types = z.read("[Content_Types].xml").decode()
    assert content_types.count("application/vnd.openxmlformats-officedocument.obfuscatedFont") == len(out)
    return out


def test_fonts_are_embedded_and_cover_the_text(path):
    from fontTools.ttLib import TTFont

    faces = _embedded_fonts(path)
    assert sorted(faces) == ["embedBold", "embedBoldItalic", "embedItalic", "embedRegular"]
    with zipfile.ZipFile(path) as z:
        text = "".join(_text(etree.fromstring(z.read(n))) for n in z.namelist()
                       if re.fullmatch(r"word/(document|header\d+|footer\d+)\.xml", n))
        settings = etree.fromstring(z.read("word/settings.xml"))
    assert settings.find(f"{W}embedTrueTypeFonts") is not None
    used = {ord(c) for c in text}
    for element, data in faces.items():
        font = TTFont(io.BytesIO(data))
        assert font["name"].getDebugName(1) == "DejaVu Sans"
        cmap = font.getBestCmap()
        assert used <= set(cmap), sorted(chr(c) for c in used - set(cmap))
        assert len(cmap) < 1000 and len(data) < 120_000  # cut to Latin and the document's characters
    assert path.stat().st_size < 500_000


def test_characters_beyond_latin_are_embedded_too(tmp_path):
    from fontTools.ttLib import TTFont

    target = render(tmp_path, [m.Paragraph("Ελληνικά ≈ ∑")])
    regular = TTFont(io.BytesIO(_embedded_fonts(target)["embedRegular"])).getBestCmap()
    assert {ord(c) for c in "Ελληνικά≈∑"} <= set(regular) and not {ord(c) for c in "Ελληνικά"} & BASE


def test_a_template_in_other_fonts_embeds_none(tmp_path):
    d = docx.Document()  # python-docx's own template: Office theme fonts, set here to Arial
    defaults = d.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    defaults.insert(0, etree.fromstring(f'<w:rFonts xmlns:w="{W[1:-1]}" w:ascii="Arial" w:hAnsi="Arial"/>'))
    template = tmp_path / "arial.docx"
    d.save(str(template))
    with zipfile.ZipFile(render(tmp_path, [m.Paragraph("x")], template=template)) as z:
        assert not [n for n in z.namelist() if n.endswith(".odttf")]
        assert b"embedTrueTypeFonts" not in z.read("word/settings.xml")
        assert b'w:ascii="Arial"' in z.read("word/styles.xml")


# ---------------------------------------------------------------- one design in both formats


def test_the_reference_template_carries_the_pdfs_design(d, path):
    twips = 20  # per point
    section = d.sections[0]
    assert round(section.left_margin.pt) == round(pdf_styles.LEFT_MARGIN) == round(section.right_margin.pt)
    assert round(section.top_margin.pt) == round(pdf_styles.TOP_MARGIN)
    assert round(section.bottom_margin.pt) == round(pdf_styles.BOTTOM_MARGIN)
    styles = {s.name: s for s in d.styles}
    assert styles["Normal"].paragraph_format.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.JUSTIFY
    for name, size in (("Heading 1", 18), ("Heading 2", 14), ("Heading 3", 12), ("Title", 28)):
        assert styles[name].font.size.pt == size
    # light-rule tables: rules between rows, none between columns, every other row shaded
    table = styles["rapact Table"].element
    borders = {b.tag[len(W):]: b.get(qn("w:val")) for b in table.find(f"{W}tblPr/{W}tblBorders")}
    assert borders == {"top": "nil", "left": "nil", "bottom": "single", "right": "nil", "insideH": "single",
                       "insideV": "nil"}
    band = table.find(f"{W}tblStylePr[@{qn('w:type')}='band2Horz']/{W}tcPr/{W}shd")
    assert band.get(qn("w:fill")) == "F6F8FA"
    margins = {c.tag[len(W):]: int(c.get(qn("w:w"))) for c in table.find(f"{W}tblPr/{W}tblCellMar")}
    assert margins == {"top": round(pdf_styles.CELL_PAD_V * twips), "left": round(pdf_styles.CELL_PAD_H * twips),
                       "bottom": round(pdf_styles.CELL_PAD_V * twips), "right": round(pdf_styles.CELL_PAD_H * twips)}
    # the running header: organisation and reference, a rule under them; the cover: the band
    assert section.header.paragraphs[0].text == "iMio\tRAPACT2021-V1.0"
    assert styles["Header"].element.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None
    band = section.first_page_header.paragraphs[0]
    assert band.style.name == "Cover Band" and band.text == ""
    assert band.style.element.find(f"{W}pPr/{W}shd").get(qn("w:fill")) == "1F5F8B"
    # landscape pages have a header of their own, with the right tab at their own margin
    landscape = next(s for s in d.sections if s.page_width > s.page_height)
    assert landscape.header.paragraphs[0].text == "iMio\tRAPACT2021-V1.0"
    tabs = landscape.header.paragraphs[0]._p.findall(f"{W}pPr/{W}tabs/{W}tab")
    assert tabs[-1].get(qn("w:pos")) == str((landscape.page_width - landscape.left_margin
                                             - landscape.right_margin) // 635)


def test_an_organisations_template_wins_over_the_shipped_design(tmp_path):
    first = docx.Document(str(render(tmp_path, [m.Paragraph("x")], name="first.docx")))
    styles = {s.name: s for s in first.styles}
    styles["Heading 1"].font.size = docx.shared.Pt(24)
    styles["Heading 1"].font.color.rgb = docx.shared.RGBColor(0xC0, 0x00, 0x00)
    styles["Cover Band"].element.find(f"{W}pPr/{W}shd").set(qn("w:fill"), "C00000")
    table_style = styles["rapact Table"].element.find(f"{W}tblPr/{W}tblBorders/{W}insideV")
    table_style.set(qn("w:val"), "single")
    first.save(str(tmp_path / "org.docx"))
    table = m.Table(columns=[m.Column("a", "A"), m.Column("n", "N", kind=m.CellKind.INTEGER)],
                    body=[m.Row(["x", Decimal(1)])], caption="Chiffres")
    target = render(tmp_path, [m.Heading(1, "Un"), table], template=tmp_path / "org.docx")
    out = {s.name: s for s in docx.Document(str(target)).styles}
    assert out["Heading 1"].font.size.pt == 24 and str(out["Heading 1"].font.color.rgb) == "C00000"
    assert out["Cover Band"].element.find(f"{W}pPr/{W}shd").get(qn("w:fill")) == "C00000"
    assert out["rapact Table"].element.find(f"{W}tblPr/{W}tblBorders/{W}insideV").get(qn("w:val")) == "single"


def test_the_shipped_reference_is_what_make_reference_builds():
    from rapact_core.render.docx_setup import TEMPLATE
    from rapact_core.render.templates.make_reference import build

    with zipfile.ZipFile(io.BytesIO(build())) as fresh, zipfile.ZipFile(TEMPLATE) as shipped:
        assert fresh.namelist() == shipped.namelist()
        for name in fresh.namelist():
            assert fresh.read(name) == shipped.read(name), f"{name}: run templates/make_reference.py"


def test_the_shipped_fonts_are_dejavu_cut_to_the_base():
    """templates/fonts holds what templates/make_fonts.py cuts: each face of matplotlib's DejaVu
    Sans with exactly the base characters it has, its names, and the fonts' licence beside."""
    from fontTools.ttLib import TTFont

    from rapact_core.render import fonts
    from rapact_core.render.docx_fonts import SHIPPED

    for name in fonts.FILES.values():
        full, cut = TTFont(fonts.font_dir() / name), TTFont(SHIPPED / name)
        assert set(cut.getBestCmap()) == BASE & set(full.getBestCmap())
        for name_id in (1, 2, 4, 6, 13):  # family, style, full name, PostScript name, licence
            assert cut["name"].getDebugName(name_id) == full["name"].getDebugName(name_id)
        assert cut["OS/2"].fsType == 0  # installable embedding, as the original
        assert cut["glyf"]["A"].coordinates == full["glyf"]["A"].coordinates
    assert "Bitstream Vera" in (SHIPPED / "LICENSE_DEJAVU").read_text(encoding="utf-8")
