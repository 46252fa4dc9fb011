"""The 2021 report's layout, read back from the generated files: DOCX XML, PDF outline, fonts, text."""

import html
import re
import zipfile

import pytest
from click.testing import CliRunner

from rapact_core import testing
from rapact_core.cli import main
from rapact_core.formatting import normalise_spaces
from rapact_core.render.chart_text import describe_chart

from conftest import ROOT, build_2021

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("layout")
    build_2021(folder)
    return folder


@pytest.fixture(scope="module")
def docx_path(out):
    return out / "rapport-activites-2021.docx"


@pytest.fixture(scope="module")
def pdf_path(out):
    return out / "rapport-activites-2021.pdf"


@pytest.fixture(scope="module")
def document_xml(docx_path):
    with zipfile.ZipFile(docx_path) as zf:
        return zf.read("word/document.xml").decode("utf-8")


def test_docx_page_language_and_properties(docx_path, document_xml):
    import docx

    d = docx.Document(str(docx_path))
    first = d.sections[0]
    assert (round(first.page_width.cm, 1), round(first.page_height.cm, 1)) == (21.0, 29.7)
    with zipfile.ZipFile(docx_path) as zf:
        styles = zf.read("word/styles.xml").decode("utf-8")
    assert 'w:lang w:val="fr-BE"' in styles
    props = d.core_properties
    assert props.title == "Rapport d'activités – année de référence 2021"
    assert props.author == "iMio" and props.subject.startswith("Rapport d'activités 2021")
    for name in ("Heading 1", "Heading 2", "Caption", "Header", "Footer", "toc 1"):
        assert name in d.styles, name


def test_docx_cover_toc_header_footer(docx_path, document_xml):
    import docx

    d = docx.Document(str(docx_path))
    cover = " ".join(p.text for p in d.paragraphs[:12]) + " ".join(
        c.text for t in d.tables[:1] for r in t.rows for c in r.cells)
    for text in ("iMio", "RAPACT2021-V1.0", "Marc Barvais", "Frédéric Rasic", "Joël Lambillotte"):
        assert text in cover
    assert re.search(r"TOC \\o (&quot;|\")1-4(&quot;|\")", document_xml)
    toc = [p.text for p in d.paragraphs if p.style.name.lower().startswith("toc ")]
    assert "6.6.7.1 Introduction" in toc and "3.1 iMio." in toc
    with zipfile.ZipFile(docx_path) as zf:
        settings = zf.read("word/settings.xml").decode("utf-8")
        parts = {n: zf.read(n).decode("utf-8") for n in zf.namelist() if re.match(r"word/(header|footer)\d*\.xml", n)}
    assert "updateFields" in settings
    assert any("RAPACT2021-V1.0" in x for n, x in parts.items() if "header" in n)
    assert any("PAGE" in x and "- " in x for n, x in parts.items() if "footer" in n)


def test_docx_tables(docx_path, document_xml):
    import docx

    d = docx.Document(str(docx_path))
    captions = [p.text for p in d.paragraphs if p.style.name == "Caption" and p.text.startswith("Tableau")]
    assert captions[0].startswith("Tableau 1") and len(captions) >= 20
    for table in d.tables[1:]:
        first = table.rows[0]._tr
        assert first.find(f"{W}trPr/{W}tblHeader") is not None
        assert all(r._tr.find(f"{W}trPr/{W}cantSplit") is not None for r in table.rows)
    cats = next(t for t in d.tables if t.rows[0].cells[0].text == "Catégorie de membres")
    total = cats.rows[-1]
    assert total.cells[0].text == "TOTAL"
    assert all(r.bold for p in total.cells[1].paragraphs for r in p.runs)
    assert total.cells[1].paragraphs[0].alignment == 2  # right
    sections = d.sections
    landscape = [s for s in sections if s.page_width > s.page_height]
    assert len(landscape) >= 2
    text_width = max(s.page_width - s.left_margin - s.right_margin for s in sections)
    for shape in d.inline_shapes:
        assert shape.width <= text_width
    assert len(d.inline_shapes) >= 4
    descr = [html.unescape(a) for a in re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', document_xml)]
    # each chart's alt text describes its data (the same text as in the PDF and HTML)
    figures = testing.figures(testing.build_result(ROOT / "rapact.toml", bundled=True).document)
    assert len(figures) == 4 and [describe_chart(f.chart) for f in figures] == descr
    assert any(a.startswith("Histogramme, effectif au 31 décembre, de 2012 à 2021") for a in descr), descr


def test_pdf_outline_info_fonts(pdf_path):
    from pypdf import PdfReader

    reader = PdfReader(str(pdf_path))
    meta = reader.metadata
    assert meta.title == "Rapport d'activités – année de référence 2021" and meta.author == "iMio"
    assert reader.trailer["/Root"]["/Lang"] == "fr-BE"

    outline = testing.pdf_outline(reader)
    assert "6.6.7.1 Introduction" in outline and "7.15 Comparaison par rapport aux objectifs fixés." in outline
    fonts = set()
    for page in reader.pages:
        for f in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(f.get_object()["/BaseFont"]))
    assert fonts and all("DejaVu" in f for f in fonts), fonts
    landscape = [p for p in reader.pages if float(p.mediabox.width) > float(p.mediabox.height)]
    assert landscape


def test_pdf_toc_has_page_numbers_and_footer(pdf_path):
    from pypdf import PdfReader

    reader = PdfReader(str(pdf_path))
    assert any("Table des matières" in (p.extract_text() or "") for p in reader.pages[:6])
    text = normalise_spaces("\n".join(p.extract_text() or "" for p in reader.pages[:8]))
    # the extracted order of an entry and its dotted page number depends on the PDF's text runs
    m = re.search(r"7 Comptes temporaires 2021\.[ .]*(\d+)", text) or \
        re.search(r"(\d+)\s*\n\s*7 Comptes temporaires 2021\.", text)
    assert m, text
    page = int(m.group(1))
    assert "Comptes temporaires 2021" in reader.pages[page - 1].extract_text()
    assert f"- {page} -" in reader.pages[page - 1].extract_text()


def test_pdf_money_amounts_stay_on_one_line(pdf_path):
    import subprocess

    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True).stdout \
        if __import__("shutil").which("pdftotext") else testing.pdf_text(pdf_path)
    text = normalise_spaces(text)
    assert "4 753 459,12 € en progression de 14,36 %" in re.sub(r"\s+", " ", text)
    for amount in ("1 182 708,47 €", "2 016 268,08 €", "-3 299 312,71 €"):
        assert amount in text


def test_font_covers_every_character_of_the_document():
    from reportlab.pdfbase.ttfonts import TTFont

    from rapact_core.render import fonts

    result = testing.build_result(ROOT / "rapact.toml", bundled=True)
    chars = set()
    for block in result.document.blocks():
        chars |= set(repr(block))
    for t in testing.tables(result.document):
        for row in testing.table_rows(t, spaces=False):
            chars |= set("".join(row))
    cmap = TTFont("probe", str(fonts.font_dir() / "DejaVuSans.ttf")).face.charToGlyph
    missing = sorted(c for c in chars if c.isprintable() and c != " " and ord(c) not in cmap)
    assert missing == []
    assert {"✓", "\u202f", "€", "é", "«", "»", "’"} <= chars


def test_same_inputs_same_bytes(out, tmp_path):
    result = CliRunner().invoke(main, ["build", "--config", str(ROOT / "rapact.toml"), "--output", str(tmp_path)])
    assert result.exit_code == 0
    for name in ("rapport-activites-2021.docx", "rapport-activites-2021.pdf"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes()


def test_parity_between_docx_and_pdf(docx_path, pdf_path):
    import docx

    d = docx.Document(str(docx_path))
    docx_heads = testing.docx_headings(docx_path)

    pdf_heads = testing.pdf_outline(pdf_path)
    # the same headings in the same order, numbered by Word as in the PDF; the table of
    # contents' own title is in the PDF's outline, and in the DOCX a "TOC Heading", not a heading
    assert docx_heads == [h for h in pdf_heads if h != "Table des matières"]
    assert "" not in docx_heads and pdf_heads.index("Table des matières") == 2
    toc_title = [p.text for p in d.paragraphs if p.style.name == "TOC Heading"]
    assert toc_title == ["Table des matières"]
    pdf_text = re.sub(r"\s+", "", testing.pdf_text(pdf_path))
    for table in testing.docx_tables(docx_path)[1:]:
        for row in table:
            for cell in row:
                # a label under a spanning header ("CA 2021" over the dates) holds both, a line each
                for line in cell.split("\n"):
                    assert re.sub(r"\s+", "", line) in pdf_text, cell
    docx_captions = [p.text for p in d.paragraphs if p.style.name == "Caption"]
    for caption in docx_captions:
        assert re.sub(r"\s+", "", caption) in pdf_text, caption
