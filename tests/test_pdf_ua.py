"""The tagged PDF: PDF/UA-1 by a checker, and its structure read back against the model.

The checker is ``page-validation`` (a veraPDF-compatible PDF/UA-1 profile, a
test dependency). The structure tree is read back with pypdf, and its text
with poppler's ``pdfinfo -struct-text``. Negative controls break one thing
at a time in a passing PDF and check that the checker then fails the rule.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections import Counter

import pytest

from rapact_core import ChapterSpec, Custom, PluginSpec, RapactError, SectionSpec, hookimpl, testing
from rapact_core import model as m
from rapact_core.formatting import language_tag
from rapact_core.numbering import heading_text, number_document
from rapact_core.render import RenderOptions, fonts
from rapact_core.render.chart_text import describe_chart
from rapact_core.render.pdf import PdfRenderer, render_pdf
from rapact_core.render.pdf_document import write_story

from conftest import ROOT

page = pytest.importorskip("page", reason="pip install page-validation (the test extra) to check PDF/UA-1")
pypdf = pytest.importorskip("pypdf")
from pypdf.generic import NameObject  # noqa: E402

REPORT = "rapport-activites-2021"


def validate(data: bytes):
    return page.validate_pdf_bytes(data, profile="ua1", limits=page.SafetyLimits.unlimited())


def failed_rules(data: bytes) -> list[str]:
    return sorted({f.rule_id for f in validate(data).failures})


def explain(report) -> str:
    seen = {}
    for f in report.failures:
        seen.setdefault(f.rule_id, f.message)
    return "\n".join(f"{rule}: {message}" for rule, message in seen.items())


def kids(element) -> list:
    """The structure elements among an element's /K (marked content and objects left out)."""
    k = element.get("/K")
    if k is None:
        return []
    k = k.get_object()
    out = []
    for item in k if isinstance(k, list) else [k]:
        item = item.get_object() if hasattr(item, "get_object") else item
        if isinstance(item, dict) and "/S" in item:
            out.append(item)
    return out


def elements(pdf) -> list:
    """Every structure element of a PdfReader's or PdfWriter's PDF, in reading order (depth first)."""
    out = []

    def walk(element):
        out.append(element)
        for kid in kids(element):
            walk(kid)

    catalog = pdf.root_object if isinstance(pdf, pypdf.PdfWriter) else pdf.trailer["/Root"]
    for kid in kids(catalog["/StructTreeRoot"].get_object()):
        walk(kid)
    return out


def page_number(element) -> int:
    """The object number of an element's page (/Pg)."""
    return element.raw_get("/Pg").idnum


def roles(reader) -> Counter:
    return Counter(str(e["/S"])[1:] for e in elements(reader))


def struct_text(path) -> list[tuple[str, str]]:
    """(role, text) of each element that holds text, in reading order, by ``pdfinfo -struct-text``
    (an element's marked-content sequences joined: a paragraph split over two pages is one)."""
    if not shutil.which("pdfinfo"):
        pytest.skip("poppler's pdfinfo is not installed (apt install poppler-utils)")
    out = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True).stdout
    found: list[list] = []
    for line in out.splitlines():
        stripped = line.strip()
        if stripped.startswith('"') and found:
            found[-1][1].append(stripped.strip('"'))
        elif stripped and not stripped.startswith(("/", "Object")):
            found.append([stripped.split()[0].rstrip(":"), []])
    return [(role, "".join(parts)) for role, parts in found if parts]


def squeeze(text: str) -> str:
    """Text without any white space: pdfinfo joins a wrapped line to the next without one."""
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------- the 2021 report


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("ua")
    (path,) = testing.render(ROOT / "rapact.toml", output=out, bundled=True, formats=("pdf",))
    result = testing.build_result(ROOT / "rapact.toml", bundled=True)
    return path, result.document


def test_2021_pdf_passes_pdf_ua_1(report):
    path, _ = report
    result = validate(path.read_bytes())
    assert result.rules.failed == 0 and result.is_compliant, explain(result)


def test_structure_counts_match_the_model(report):
    path, doc = report
    found = roles(pypdf.PdfReader(str(path)))
    blocks = list(doc.blocks())
    assert found["Document"] == 1
    assert found["Table"] == sum(isinstance(b, m.Table) for b in blocks) == 23
    figures = sum(isinstance(b, m.Figure) for b in blocks) + sum(isinstance(b, m.Image) and bool(b.alt) for b in blocks)
    assert found["Figure"] == figures + bool(doc.meta.logo) == 4
    levels = [b.level for b in blocks if isinstance(b, m.Heading)]
    assert all(b <= a + 1 for a, b in zip([0] + levels, levels))  # the model skips no level...
    for level, count in Counter(levels).items():  # ...so each heading keeps its level
        assert found[f"H{level}"] == count, level
    assert sum(found[f"H{n}"] for n in range(1, 7)) == len(levels) + sum(
        isinstance(b, m.TableOfContents) and bool(b.title) for b in blocks)
    assert found["TOC"] == 1 and found["TOCI"] == sum(isinstance(b, m.Heading) and b.in_toc and b.level <= 4
                                                      for b in blocks)
    assert found["Caption"] == sum(isinstance(b, (m.Table, m.Figure)) and bool(b.caption or b.number) for b in blocks)
    assert found["L"] >= sum(isinstance(b, m.ListBlock) for b in blocks)


def test_each_table_holds_its_rows_once(report):
    """A table split over pages is one Table whose rows are its model rows: the column labels
    repeated on each page are artifacts, not rows."""
    path, doc = report
    reader = pypdf.PdfReader(str(path))
    tables = [e for e in elements(reader) if e["/S"] == "/Table"]
    model = [b for b in doc.blocks() if isinstance(b, m.Table)]
    page_of = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    spread = 0
    for element, table in zip(tables, model):
        sections = {str(s["/S"]): kids(s) for s in kids(element) if s["/S"] != "/Caption"}
        assert len(sections["/THead"]) == len(table.header) + 1
        assert len(sections["/TBody"]) == len(table.body)
        assert len(sections.get("/TFoot", [])) == len(table.foot)
        head = sections["/THead"][-1]
        assert [str(c["/S"]) for c in kids(head)] == ["/TH"] * len(table.columns)
        assert all(c["/A"]["/Scope"] == "/Column" for c in kids(head))
        pages = {page_of[page_number(c)] for tr in sections["/TBody"] for c in kids(tr) if "/Pg" in c}
        spread += len(pages) > 1
    assert spread >= 3  # several tables run over more than one page, each still one Table


def test_figure_alt_text_is_the_generated_description(report):
    path, doc = report
    figures = [e for e in elements(pypdf.PdfReader(str(path))) if e["/S"] == "/Figure"]
    charts = [b.chart for b in doc.blocks() if isinstance(b, m.Figure)]
    assert [str(f["/Alt"]) for f in figures] == [describe_chart(c, doc.meta.locale) for c in charts]
    assert all(len(f["/A"]["/BBox"]) == 4 for f in figures)


def test_reading_order_follows_the_model(report):
    path, doc = report
    headings = [squeeze(text) for role, text in struct_text(path) if re.fullmatch(r"H[1-6]", role)]
    assert headings == [squeeze(heading_text(b)) for b in doc.blocks() if isinstance(b, m.Heading)]
    paragraphs = [squeeze(text) for role, text in struct_text(path) if role == "P"]
    wanted = [squeeze(m.plain_text(b.content)) for b in doc.blocks() if isinstance(b, m.Paragraph)]
    assert [p for p in paragraphs if p in set(wanted)] == wanted  # each body paragraph, in order


def test_links_annotations_and_metadata(report):
    path, _ = report
    reader = pypdf.PdfReader(str(path))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == True and catalog["/Lang"] == "fr-BE"  # noqa: E712 (pypdf's boolean)
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp and "Rapport d'activités" in xmp
    annotations = 0
    for p in reader.pages:
        assert p["/Tabs"] == "/S"
        for annot in p.get("/Annots", []):
            annot = annot.get_object()
            annotations += 1
            assert annot["/Contents"].strip() and isinstance(annot["/StructParent"], int)
    links = [e for e in elements(reader) if e["/S"] == "/Link"]
    objrs = [k for e in links for k in (e["/K"] if isinstance(e["/K"], list) else [e["/K"]])
             if isinstance(k, dict) and k.get("/Type") == "/OBJR"]
    assert annotations > 60 and len(objrs) == annotations  # every annotation sits in a Link


def test_fonts_map_no_code_to_u0000(report):
    path, _ = report
    maps = 0
    for p in pypdf.PdfReader(str(path)).pages:
        for font in p["/Resources"]["/Font"].values():
            cmap = font.get_object()["/ToUnicode"].get_object().get_data()
            maps += 1
            assert not re.search(rb"<[0-9A-F]{2}> <0000>", cmap)
    assert maps > 40


# ---------------------------------------------------------------- negative controls


def edited(path, change) -> bytes:
    """The PDF at ``path`` written again by pypdf, after ``change(writer)``."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(str(path)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def drop_first_alt(writer):
    figure = next(e for e in elements(writer) if e["/S"] == "/Figure")
    del figure[NameObject("/Alt")]


def drop_lang(writer):
    del writer.root_object[NameObject("/Lang")]


def drop_pdfua_id(writer):
    metadata = writer.root_object["/Metadata"].get_object()
    xmp = metadata.get_data()
    without = re.sub(rb"<rdf:Description[^>]*pdfuaid[^>]*>.*?</rdf:Description>", b"", xmp, flags=re.S)
    assert without != xmp
    metadata.set_data(without)


def test_the_checker_passes_the_pdf_written_again(report):
    """The control of the controls: pypdf's copy, unchanged, still passes."""
    path, _ = report
    assert failed_rules(edited(path, lambda writer: None)) == []


@pytest.mark.parametrize("change, rule", [
    (drop_first_alt, "PDFUA1-FIGURE-ALTERNATIVE-TEXT-001"),
    (drop_lang, "PDFUA1-TEXT-LANGUAGE-001"),
    (drop_pdfua_id, "PDFUA1-ID-PART-001"),
])
def test_negative_controls(report, change, rule):
    path, _ = report
    assert rule in failed_rules(edited(path, change))


# ---------------------------------------------------------------- hard cases, hand-made


def seal(block, fmt, target):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table

    style = ParagraphStyle("seal", fontName=fonts.REGULAR)
    target.append(Paragraph(f"Sceau de {block.data['who']}", style))
    target.append(Table([["a", "b"], ["c", "d"]], style=[("GRID", (0, 0), (-1, -1), 0.5, "black"),
                                                       ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR)]))
    return True


def hard_document(folder):
    from test_render_pdf import make_logo

    make_logo(folder / "pic.png")
    cols = [m.Column("a", "Nom"), m.Column("b", "Texte long"), m.Column("n", "N", m.CellKind.INTEGER)]
    rows = [m.Row([f"Ligne {i}", "mot " * (3 if i % 7 else 30), i]) for i in range(120)]
    spans = [m.Row([m.Cell("Deux colonnes", colspan=2), 1]), m.Row(["a", "b", 2])]
    meta = m.Meta(title="Essai", reference="R", organisation="O", year=2021, logo="pic.png")
    return number_document(m.Document(meta, [m.Chapter("c", "C", [
        m.TableOfContents(title="Sommaire", depth=2),
        m.Heading(1, "Titre"),
        m.ListBlock([m.ListItem(["Voir ", m.Link("le site", "https://example.org"), " pour plus."],
                                m.ListBlock([m.ListItem("Dessous")], ordered=True))]),
        m.Table(cols, rows, foot=[m.Row(["Total", "", 7140], role=m.RowRole.TOTAL)], caption="Longue"),
        m.Heading(3, "Un niveau sauté"),
        m.Table(cols, [m.Row(["a", "b", 1]), m.Row(["Énorme", "très long texte " * 900, 1]), m.Row(["c", "d", 2])],
                caption="Une ligne plus haute qu'une page"),
        m.Table(cols, spans, header=[m.Row(["", m.Cell("Groupe", colspan=2)])], caption="Cellules fusionnées"),
        m.Table(cols, [], foot=[m.Row(["Total", "", 0])], caption="Sans corps"),
        m.Table(cols, [], caption="Vide"),
        m.Image("pic.png"),
        m.Image("pic.png", alt="Une image décrite"),
        m.Custom("plug", "seal", {"who": "Jeanne"}, alt="Sceau de Jeanne"),
        m.Paragraph("Fin."),
    ])]))


@pytest.fixture(scope="module")
def hard(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hard")
    doc = hard_document(folder)
    path = folder / "hard.pdf"
    render_pdf(doc, path, RenderOptions(report_dir=folder, custom=seal))
    return path, doc


def test_hard_cases_pass_pdf_ua_1(hard):
    path, _ = hard
    result = validate(path.read_bytes())
    assert result.rules.failed == 0, explain(result)


def test_hard_cases_structure(hard):
    path, _ = hard
    reader = pypdf.PdfReader(str(path))
    all_elements = elements(reader)
    found = roles(reader)
    assert found["Table"] == 5 and found["Caption"] == 5
    # the logo, the described image and the plugin's block; the image without alt is decoration
    figures = [e for e in all_elements if e["/S"] == "/Figure"]
    assert [str(f["/Alt"]) for f in figures] == ["Logo O", "Une image décrite", "Sceau de Jeanne"]
    # a heading never skips a level: the model's level 3 after a level 1 reads as H2
    assert [str(e["/S"]) for e in all_elements if re.fullmatch(r"/H\d", str(e["/S"]))] == ["/H1", "/H1", "/H2"]
    # the 120-row table over several pages: one Table, its labels once
    first = next(e for e in all_elements if e["/S"] == "/Table")
    sections = {str(s["/S"]): kids(s) for s in kids(first)}
    assert [len(sections[k]) for k in ("/THead", "/TBody", "/TFoot")] == [1, 120, 1]
    assert sum(1 for tr in sections["/THead"] for c in kids(tr) if c["/S"] == "/TH") == 3
    pages = {page_number(c) for tr in sections["/TBody"] for c in kids(tr)}
    assert len(pages) >= 3
    # a row cut inside: its cells hold marked content on two pages
    cut = [tr for e in all_elements if e["/S"] == "/Table" for s in kids(e) if s["/S"] == "/TBody"
           for tr in kids(s)][120 + 1]  # the second row of the second table
    long_cell = kids(cut)[1]
    assert any(isinstance(k, dict) and k.get("/Type") == "/MCR" for k in long_cell["/K"])
    # spans are declared, so rows and columns add up
    merged = [e for e in all_elements if e["/S"] == "/Table"][2]
    head = kids(kids(merged)[1])
    assert [c.get("/A", {}).get("/ColSpan", 1) for c in kids(head[0])] == [1, 2]
    body = kids(kids(merged)[2])
    assert kids(body[0])[0]["/A"]["/ColSpan"] == 2
    # lists: L > LI > Lbl, LBody; the nested list inside its item's LBody; a link inside
    li = next(e for e in all_elements if e["/S"] == "/LI")
    assert [str(k["/S"]) for k in kids(li)] == ["/Lbl", "/LBody"]
    assert [str(k["/S"]) for k in kids(kids(li)[1])] == ["/Link", "/L"]
    link = kids(kids(li)[1])[0]
    annot = link["/K"]["/Obj"].get_object()
    assert annot["/Contents"] == "le site" and annot["/A"]["/URI"] == "https://example.org"


def test_the_repeated_labels_are_drawn_but_not_read_twice(hard):
    path, _ = hard
    texts = [p.extract_text() for p in pypdf.PdfReader(str(path)).pages]
    pages = [i for i, t in enumerate(texts) if "Ligne 50" in t or "Ligne 100" in t]
    assert pages and all("Texte long" in texts[i] for i in pages)  # the labels are on each page
    assert sum(1 for role, text in struct_text(path) if role == "TH" and text == "Texte long") == 5  # 5 tables


# ---------------------------------------------------------------- cross-references and floats


def floating_document():
    """A paragraph referring to a landscape table (which floats past the text after it) and to a
    chart; a heading holding a reference too."""
    cols = [m.Column("a", "Nom"), m.Column("n", "N", m.CellKind.INTEGER)]
    chart = m.Chart(m.ChartKind.BAR, "Membres", ["2020", "2021"], [m.Series("Communes", [1, 2])])
    meta = m.Meta(title="Renvois", reference="R", organisation="O", year=2021)
    return number_document(m.Document(meta, [m.Chapter("c", "C", [
        m.Heading(1, "Titre"),
        m.Paragraph(["Le ", m.Ref("essai-large"), " et la ", m.Ref("essai-graphique"), " le montrent ; voir ",
                     m.Link("le site", "https://example.org"), "."]),
        m.Table(cols, [m.Row([f"Ligne {i}", i]) for i in range(8)], caption="Large", id="essai-large",
                landscape=True),
        m.Paragraph("Le texte qui suit le tableau large remplit la page en portrait."),
        m.Heading(2, ["Retour au ", m.Ref("essai-large")]),
        m.Figure(chart, "Un graphique", id="essai-graphique"),
    ])]))


@pytest.fixture(scope="module")
def floating(tmp_path_factory):
    folder = tmp_path_factory.mktemp("floating")
    path = folder / "renvois.pdf"
    render_pdf(floating_document(), path, RenderOptions(report_dir=folder))
    return path


def test_a_ref_is_a_tagged_link_with_its_label_as_contents(floating):
    reader = pypdf.PdfReader(str(floating))
    assert validate(floating.read_bytes()).rules.failed == 0
    links = {}  # /Contents -> the role of the element holding the Link, for each link annotation
    for element in elements(reader):
        if element["/S"] != "/Link":
            continue
        for k in element["/K"] if isinstance(element["/K"], list) else [element["/K"]]:
            if isinstance(k, dict) and k.get("/Type") == "/OBJR":
                annot = k["/Obj"].get_object()
                key = "/Dest" if "/Dest" in annot else "/URI"
                links.setdefault(str(annot["/Contents"]), []).append((str(element["/P"]["/S"]), key))
                parent_tree = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
                tree = dict(zip(parent_tree[::2], parent_tree[1::2]))
                assert tree[annot["/StructParent"]].get_object() == element  # the annotation's way back
    # each reference: a Link inside the element whose text holds it, named by its label
    assert links == {"Tableau 1": [("/P", "/Dest"), ("/H2", "/Dest")], "Figure 1": [("/P", "/Dest")],
                     "le site": [("/P", "/URI")]}


def test_a_floating_table_is_read_where_the_model_has_it(floating):
    reader = pypdf.PdfReader(str(floating))
    page_of = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    everything = elements(reader)
    body = everything[[str(e["/S"]) for e in everything].index("/H1"):]  # the cover left out
    order = [(str(e["/S"]), e) for e in body if e["/S"] in ("/P", "/Table", "/H2", "/Figure")]
    assert [role for role, _ in order] == ["/P", "/Table", "/P", "/H2", "/Figure"]

    def first_page(element):
        found = [page_of[page_number(e)] for e in [element] + elements_under(element) if "/Pg" in e]
        return min(found)

    (_, before), (_, table), (_, after) = order[:3]
    # on the pages, the text after the landscape table comes first: the table floated
    assert first_page(before) == first_page(after) < first_page(table)
    assert reader.pages[first_page(table)].mediabox.width > reader.pages[first_page(table)].mediabox.height


def elements_under(element) -> list:
    out = []
    for kid in kids(element):
        out += [kid] + elements_under(kid)
    return out


def test_tagging_changes_no_text(tmp_path):
    """The same story drawn untagged and tagged reads the same, page by page."""
    from test_render_pdf import sample_document

    doc = sample_document(tmp_path)

    def write(name, tagged):
        fonts.register_fonts()
        renderer = PdfRenderer(doc, RenderOptions(report_dir=tmp_path))
        story = renderer.build()
        write_story(story, tmp_path / name, doc.meta, lang=language_tag(doc.meta.locale),
                    toc_entries=renderer.toc_entries, structure=renderer.root if tagged else None)
        return pypdf.PdfReader(str(tmp_path / name))

    plain, tagged = write("plain.pdf", False), write("tagged.pdf", True)
    assert "/StructTreeRoot" not in plain.trailer["/Root"] and "/StructTreeRoot" in tagged.trailer["/Root"]
    if not shutil.which("pdftotext"):
        pytest.skip("poppler's pdftotext is not installed (apt install poppler-utils)")

    def text(name):
        return subprocess.run(["pdftotext", "-layout", str(tmp_path / name), "-"],
                              capture_output=True, check=True).stdout

    assert text("tagged.pdf") == text("plain.pdf")
    assert failed_rules((tmp_path / "tagged.pdf").read_bytes()) == []
    assert "PDFUA1-STRUCT-TREE-ROOT-001" in failed_rules((tmp_path / "plain.pdf").read_bytes())


# ---------------------------------------------------------------- custom blocks need alt text


class Seals:
    def __init__(self, alt):
        self.alt = alt

    @hookimpl
    def rapact_declare(self):
        return PluginSpec(chapters=[ChapterSpec("seals", "Sceaux", sections=("seals.a",), position=5)],
                          sections=[SectionSpec("seals.a", "Sceau")])

    @hookimpl
    def rapact_section_blocks(self, section):
        return [Custom("seals", "seal", {"who": "Jeanne"}, alt=self.alt)]

    @hookimpl
    def rapact_render_custom(self, block, format, target, ctx):
        return seal(block, format, target) if format == "pdf" else None


def test_a_custom_block_without_alt_text_is_an_error_naming_the_plugin(tmp_path):
    cfg = testing.make_report(tmp_path / "rep", chapters=["seals"])
    with pytest.raises(RapactError) as info:
        testing.build_result(cfg, plugins={"seals": Seals(alt=" ")})
    (finding,) = info.value.findings
    assert finding.plugin == "seals" and "custom block 'seal' has no alt text" in finding.message
    assert "[seals]" in finding.format()

    (path,) = testing.render(cfg, plugins={"seals": Seals(alt="Sceau de Jeanne")}, output=tmp_path / "out",
                             formats=("pdf",))
    figure = next(e for e in elements(pypdf.PdfReader(str(path))) if e["/S"] == "/Figure")
    assert figure["/Alt"] == "Sceau de Jeanne"
    assert failed_rules(path.read_bytes()) == []
