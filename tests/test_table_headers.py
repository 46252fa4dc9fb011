"""Column labels never break inside a word: every table of the 2021 report, in the PDF, in
the DOCX as LibreOffice lays it out, and in the HTML edition as Chromium lays it out.

Read back from where each word landed: pdftotext's word boxes for both PDFs (a label cut
as "Développeme" / "nt" is a piece of a known word with the rest right below it), and in
the browser the number of line boxes each label word takes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal

import pytest

from rapact_core import model as m
from rapact_core import testing
from rapact_core.render import layout
from rapact_core.render.pdf_tables import pdf_metrics, plan

from conftest import ROOT, build_2021
from split_words import pdf_words, split_words

NAME = "rapport-activites-2021"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def label_words(doc: m.Document) -> set[str]:
    """The words of every column label of the report's tables, as pdftotext splits them
    (at any space), those with two letters or more: a column of figures stacks digits
    one above the other, which would pass for a cut number."""
    out = set()
    for t in testing.tables(doc):
        labels = [c.label for c in t.columns] + [c.value for r in t.header for c in r.cells if isinstance(c.value, str)]
        for label in labels:
            for word in re.split(r"\s+", label.replace("\u202f", " ")):
                if len(re.findall(r"[^\W\d_]", word)) >= 2:
                    out.add(word)
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("headers")
    build_2021(out)
    doc = testing.build_result(ROOT / "rapact.toml", bundled=True).document
    return out, doc


def _check(pdf, vocabulary):
    words = pdf_words(pdf)
    assert split_words(words, vocabulary) == []
    # the labels the source cut are there whole (the read-back works)
    assert {"Développement", "Configuration", "Proposition", "participation", "d'adaptation",
            "d'amélioration"} <= {w.text for w in words}


def test_the_pdf_cuts_no_label_word(built):
    out, doc = built
    _check(out / f"{NAME}.pdf", label_words(doc))


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
def test_the_docx_in_libreoffice_cuts_no_label_word(built, tmp_path):
    out, doc = built
    proc = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(out / f"{NAME}.docx")],
                          capture_output=True, text=True, timeout=300)
    pdf = tmp_path / f"{NAME}.pdf"
    assert pdf.exists(), proc.stdout + proc.stderr  # LibreOffice exits 0 even when it cannot load a file
    _check(pdf, label_words(doc))


def test_the_html_cuts_no_label_word(built):
    from browser import chromium, set_width

    out, doc = built
    cut = {}
    with chromium(1280) as driver:
        for width in (1280, 390):  # a desktop, a phone (where tables scroll)
            set_width(driver, width)
            driver.get((out / f"{NAME}.html").as_uri())
            # each label word's line boxes: one, unless the browser broke it
            cut[width] = driver.execute_script("""
              const cut = [];
              for (const th of document.querySelectorAll('main thead th')) {
                const text = th.firstChild;
                if (!text || text.nodeType !== Node.TEXT_NODE) continue;
                const re = /[^ \\t\\n]+/g;
                let found;
                while ((found = re.exec(text.data)) !== null) {
                  const range = document.createRange();
                  range.setStart(text, found.index);
                  range.setEnd(text, found.index + found[0].length);
                  const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                  if (tops.size > 1) cut.push(found[0]);
                }
              }
              return cut;""")
            labels = driver.execute_script("return document.querySelectorAll('main thead th').length")
    assert labels > 100 and cut == {1280: [], 390: []}


# ---------------------------------------------------------------- the rule, on purpose-built tables


def _table(labels, landscape=False, weights=None, values=None):
    cols = [m.Column(f"c{i}", label, m.CellKind.INTEGER if i else m.CellKind.TEXT,
                     width=(weights[i] if weights else None)) for i, label in enumerate(labels)]
    body = [m.Row(["ligne"] + [v for v in (values or [1] * (len(labels) - 1))])]
    return m.Table(cols, body, landscape=landscape)


def test_each_column_holds_its_longest_label_word():
    metrics = pdf_metrics()
    labels = ["Produit", "Configuration", "Développement", "Proposition", "Bug"]
    table = _table(labels, weights=[6, 1, 1, 1, 1])  # the weights alone would squeeze the labels
    widths = layout.plan_table(table, metrics, 400, 600).widths
    assert sum(widths) == pytest.approx(400)
    for label, width in zip(labels, widths):
        word = layout.text_width(label, metrics.bold, metrics.size)
        assert width >= word + 2 * metrics.pad
    # the first column gave up its share; the others kept theirs where the weights allowed
    assert widths[0] < 400 * 6 / 10
    # a figure never wraps: its column holds the widest one
    money = m.Table([m.Column("a", "A", width=9), m.Column("b", "B", m.CellKind.MONEY, width=0.1)],
                    [m.Row(["x", Decimal("-3299312.71")])], foot=[m.Row(["Total", Decimal("4753459.12")],
                                                                         m.RowRole.TOTAL)])
    widths = layout.plan_table(money, metrics, 400, 600).widths
    assert widths[1] >= layout.text_width("-3\u202f299\u202f312,71\u00a0€", metrics.font, metrics.size) + 2 * metrics.pad
    assert widths[1] >= layout.text_width("4\u202f753\u202f459,12\u00a0€", metrics.bold, metrics.size) + 2 * metrics.pad


def test_too_wide_for_portrait_goes_landscape_then_smaller():
    metrics = pdf_metrics()
    portrait, landscape = 470, 720
    labels = ["Produit"] + ["Développement"] * 6
    wide = layout.plan_table(_table(labels), metrics, portrait, landscape)
    assert wide.landscape and wide.scale == 1 and sum(wide.widths) == pytest.approx(landscape)
    labels = ["Produit"] + ["Développement"] * 12
    smaller = layout.plan_table(_table(labels), metrics, portrait, landscape)
    assert smaller.landscape and 0.5 <= smaller.scale < 1 and sum(smaller.widths) == pytest.approx(landscape)
    for width in smaller.widths[1:]:
        word = layout.text_width("Développement", metrics.bold, metrics.size * smaller.scale)
        assert width >= word + 2 * metrics.pad
    # a table that fits keeps its orientation and its size
    fits = layout.plan_table(_table(["Produit", "Bug", "Tâche"]), metrics, portrait, landscape)
    assert not fits.landscape and fits.scale == 1


def test_a_spanning_label_spreads_over_its_columns():
    metrics = pdf_metrics()
    cols = [m.Column("a", "Nom"), m.Column("b", "1", m.CellKind.INTEGER), m.Column("c", "2", m.CellKind.INTEGER)]
    table = m.Table(cols, [m.Row(["x", 1, 2])], header=[m.Row([m.Cell(""), m.Cell("Anticonstitutionnellement", 2)])])
    widths = layout.plan_table(table, metrics, 200, 300, "fr_BE").widths
    word = layout.text_width("Anticonstitutionnellement", metrics.bold, metrics.size)
    assert widths[1] + widths[2] >= word + 2 * metrics.pad


def test_the_pdf_and_the_docx_give_a_wide_table_a_landscape_page_and_a_small_font(tmp_path):
    """Twelve long labels: more than a landscape page holds at the table's size."""
    from rapact_core.numbering import number_document
    from rapact_core.render import RenderOptions, renderer

    labels = ["Produit"] + [f"Développement{i}" for i in range(12)]
    table = m.Table([m.Column("p", "Produit")] + [m.Column(f"c{i}", l, m.CellKind.INTEGER) for i, l in
                                                  enumerate(labels[1:])],
                    [m.Row(["iA.Délib"] + list(range(12)))], caption="Très large")
    meta = m.Meta(title="T", reference="R", organisation="O", year=2021)
    doc = number_document(m.Document(meta, [m.Chapter("c", "C", [m.Heading(1, "C"), table])]))
    layout_pdf = plan(table)
    assert layout_pdf.landscape and layout_pdf.scale < 1
    pdf = tmp_path / "t.pdf"
    renderer("pdf")(doc, pdf, RenderOptions())
    vocabulary = set(labels)
    words = pdf_words(pdf)
    assert split_words(words, vocabulary) == [] and vocabulary <= {w.text for w in words}
    page = [w for w in words if w.text == "Développement11"][0]
    import pypdf

    box = pypdf.PdfReader(str(pdf)).pages[page.page - 1].mediabox
    assert box.width > box.height  # a landscape page
    docx_path = tmp_path / "t.docx"
    renderer("docx")(doc, docx_path, RenderOptions())
    import docx

    d = docx.Document(str(docx_path))
    assert any(s.page_width > s.page_height for s in d.sections)
    sizes = {r.font.size.pt for c in d.tables[0].rows[0].cells for p in c.paragraphs for r in p.runs}
    assert sizes and max(sizes) < 8.5


def test_the_docx_measures_with_its_template_s_table_font_and_margins():
    import copy

    from docx.oxml.ns import qn

    from rapact_core.render import fonts
    from rapact_core.render import pdf_styles as S
    from rapact_core.render.docx_setup import ensure_styles, open_template
    from rapact_core.render.docx_tables import table_metrics

    document = open_template(None)
    styles = document.styles.element
    style_id = ensure_styles(document)["table"]
    shipped = table_metrics(styles, style_id)
    # the shipped reference carries the PDF's design: DejaVu Sans 8.5 pt, cells 80 twips
    # (the PDF's 4 pt) in from each side
    assert (shipped.font, shipped.bold, shipped.size, shipped.pad) == (fonts.REGULAR, fonts.BOLD, 8.5, 80 / 20)
    assert (shipped.size, shipped.pad) == (S.CELL_FONT_SIZE, S.CELL_PAD_H)
    # an organisation's template: its own size and margins; a family reportlab does not
    # know is measured with DejaVu Sans, wider than most
    own = copy.deepcopy(styles)
    (table_style,) = own.xpath(f'w:style[@w:styleId="{style_id}"]')
    table_style.find(qn("w:rPr")).find(qn("w:sz")).set(qn("w:val"), "20")
    for side in ("left", "right"):
        table_style.find(qn("w:tblPr")).find(qn("w:tblCellMar")).find(qn(f"w:{side}")).set(qn("w:w"), "150")
    own.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts")).set(
        qn("w:ascii"), "Aptos")
    theirs = table_metrics(own, style_id)
    assert (theirs.font, theirs.size, theirs.pad) == (fonts.REGULAR, 10.0, 7.5)
    # a wider margin or a bigger size asks for wider columns
    table = _table(["Produit", "Développement", "Configuration"], weights=[8, 1, 1])
    narrow = layout.plan_table(table, shipped, 400, 600).widths
    wide = layout.plan_table(table, theirs, 400, 600).widths
    assert wide[1] > narrow[1] and wide[2] > narrow[2]


def test_widths_read_from_the_font_file_are_reportlab_s():
    """The layout measures with the TrueType file's own advance widths (no reportlab to load
    for a DOCX or an HTML build): the same widths reportlab's stringWidth gives the PDF."""
    import random

    from reportlab.pdfbase.pdfmetrics import stringWidth

    from rapact_core.render import fonts

    fonts.register_fonts()
    doc = testing.build_result(ROOT / "rapact.toml", bundled=True).document
    samples = sorted(label_words(doc)) + ["4\u202f753\u202f459,12\u00a0€", "✓ → – ’ «»", "\u4e2d\U0001F600"]
    rng = random.Random(15)
    alphabet = [chr(c) for c in range(0x20, 0x2600) if not 0xD800 <= c < 0xE000]
    samples += ["".join(rng.choice(alphabet) for _ in range(10)) for _ in range(500)]
    for face in fonts.FILES:
        for text in samples:
            assert layout.text_width(text, face, 8.5) == pytest.approx(stringWidth(text, face, 8.5), abs=1e-6), \
                (face, text)
