"""Cross-references: ``{{ ref("id") }}`` in the narrative prints "Tableau 12" in every format,
a link to the table in the PDF, the DOCX and the HTML edition; an unknown id names its file and line."""

from __future__ import annotations

import re
import zipfile

import pytest
from click.testing import CliRunner

from rapact_core import model as m
from rapact_core.cli import main
from rapact_core.errors import RapactError
from rapact_core.facts import FactStore, fact
from rapact_core.numbering import UNRESOLVED, number_document
from rapact_core.narrative import markdown_to_blocks, render_text
from rapact_core.render import RenderOptions
from rapact_core.serialize import from_json, to_json

pypdf = pytest.importorskip("pypdf")

META = m.Meta(title="Essai de renvois", reference="REF-1", organisation="Org", year=2021)


def facts():
    store = FactStore()
    store.publish("core", ("report",), [fact("report.year", 2021, m.CellKind.TEXT)])
    return store.view()


def narrative(source: str, file: str = "texts/essai.md") -> list:
    """The blocks of a chapter's Markdown, as the pipeline makes them."""
    text = render_text(source, file=file, facts=facts(), year=2021, sections=lambda s: False)
    return markdown_to_blocks(text.text, file=file, line_map=text.source_line)


def table(id_: str, caption: str, landscape: bool = False) -> m.Table:
    return m.Table([m.Column("a", "Nom"), m.Column("b", "Valeur", m.CellKind.INTEGER)],
                   [m.Row([f"ligne {i}", i]) for i in range(1, 5)], caption=caption, id=id_,
                   landscape=landscape)


def document(*blocks) -> m.Document:
    chapter = m.Chapter("c1", "Chapitre", [m.Heading(1, "Chapitre")] + list(blocks))
    return number_document(m.Document(META, [chapter]))


def referring_document() -> m.Document:
    chart = m.Chart(m.ChartKind.BAR, "Membres", ["2020", "2021"], [m.Series("Communes", [1, 2])])
    return document(
        *narrative('Le {{ ref("essai.premier") }} et la {{ ref("essai-graphique") }} le montrent.\n\n'
                   'Voir aussi le {{ ref("essai.second") }}, plus loin.\n'),
        table("essai-premier", "Premier tableau"),
        m.Figure(chart, "Un graphique", id="essai-graphique"),
        table("essai-second", "Second tableau"),
    )


def test_ref_prints_the_number_assigned_when_the_document_is_assembled():
    doc = document(*narrative('Un renvoi en avant : le {{ ref("essai.second") }}.\n'),
                   table("essai-premier", "Premier"), table("essai-second", "Second"))
    ref = next(i for i in doc.chapters[0].blocks[1].content if isinstance(i, m.Ref))
    assert (ref.label, ref.target) == ("Tableau 2", "essai-second")  # the id as the table spells it
    assert m.plain_text(doc.chapters[0].blocks[1].content) == "Un renvoi en avant : le Tableau 2."


def test_ref_survives_a_json_round_trip():
    doc = referring_document()
    assert from_json(to_json(doc)) == doc


def test_unknown_id_names_the_file_and_the_line_with_a_suggestion():
    source = "Première ligne.\n\nDeuxième paragraphe,\nsur deux lignes, {{ ref(\"essai.premeir\") }}.\n"
    with pytest.raises(RapactError) as info:
        document(*narrative(source), table("essai-premier", "Premier"))
    (finding,) = info.value.findings
    assert finding.format() == ("texts/essai.md:4: error: ref('essai.premeir') names no table or figure of "
                                "the report (did you mean 'essai-premier'?)")


def test_ref_takes_an_id_and_stays_out_of_links_and_titles():
    with pytest.raises(RapactError) as info:
        narrative('Ligne.\n\n{{ ref("pas un id !") }}\n')
    assert info.value.findings[0].line == 3 and "takes the id of a table or a figure" in info.value.findings[0].message
    with pytest.raises(RapactError, match="ref\\(\\) cannot be inside a link"):
        narrative('[le {{ ref("essai.premier") }}](https://example.org)\n')


def test_pdf_prints_the_label_and_links_it_to_the_table(tmp_path):
    from rapact_core.render.pdf import render_pdf

    path = tmp_path / "renvois.pdf"
    render_pdf(referring_document(), path, RenderOptions(report_dir=tmp_path))
    reader = pypdf.PdfReader(str(path))
    text = " ".join((p.extract_text() or "") for p in reader.pages).replace("\u00a0", " ")
    assert "Le Tableau 1 et la Figure 1 le montrent." in text
    assert "Voir aussi le Tableau 2, plus loin." in text
    # reportlab resolves a link to a named place into the page and height it points at
    number_of = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    links = [a.get_object() for p in reader.pages for a in (p.get("/Annots") or [])
             if a.get_object().get("/Subtype") == "/Link" and "/Dest" in a.get_object()]
    assert len(links) == 3
    lines: list[tuple[int, float, str]] = []  # (page, baseline, text) of every text run
    for i, page in enumerate(reader.pages):
        page.extract_text(visitor_text=lambda t, cm, tm, font, size, i=i: lines.append(
            (i, tm[4] * cm[1] + tm[5] * cm[3] + cm[5], t)))
    targets = ["Tableau 1 :", "Figure 1 :", "Tableau 2 :"]
    for link, caption in zip(links, targets):
        dest = link["/Dest"]
        page, height = number_of[dest[0].idnum], float(dest[3])
        place = next((p, y) for p, y, t in lines if t.replace("\u00a0", " ").startswith(caption))
        assert page == place[0], caption
        if caption.startswith("Figure"):  # the chart's top, above its caption
            assert height > place[1] + 50
        else:  # the caption's line
            assert 0 < height - place[1] < 20, (caption, height, place)


def test_docx_links_the_label_to_a_bookmark_on_the_caption(tmp_path):
    import docx

    from rapact_core.render.docx import render_docx

    path = tmp_path / "renvois.docx"
    render_docx(referring_document(), path, RenderOptions(report_dir=tmp_path))
    d = docx.Document(str(path))
    texts = [p.text.replace("\u00a0", " ") for p in d.paragraphs]
    assert "Le Tableau 1 et la Figure 1 le montrent." in texts
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    anchors = re.findall(r'<w:hyperlink w:anchor="([^"]+)"[^>]*>.*?<w:t[^>]*>([^<]+)</w:t>', xml)
    assert [label.replace("\u00a0", " ") for _, label in anchors] == ["Tableau 1", "Figure 1", "Tableau 2"]
    for name, label in anchors:
        # the bookmark of that name holds the caption's label and its SEQ number, as Word bookmarks
        # a caption for a cross-reference: the reference is a REF field to it, which Word updates
        # when it renumbers the captions
        start = re.search(rf'<w:bookmarkStart w:id="\d+" w:name="{name}"/>(.*?)<w:bookmarkEnd', xml)
        assert start, name
        caption = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", start.group(1)))
        assert caption == label.replace("\u00a0", " ")
        assert re.search(r"<w:instrText[^>]*> SEQ (Tableau|Figure) \\\* ARABIC </w:instrText>", start.group(1))
        link = re.search(rf'<w:hyperlink w:anchor="{name}"[^>]*>(.*?)</w:hyperlink>', xml).group(1)
        assert f"> REF {name} \\h </w:instrText>" in link


def test_html_links_the_label_to_the_table(tmp_path):
    from rapact_core.render.html import render_html

    path = tmp_path / "renvois.html"
    render_html(referring_document(), path, RenderOptions(report_dir=tmp_path))
    html = path.read_text(encoding="utf-8")
    assert '<a class="ref" href="#essai-premier">Tableau&nbsp;1</a>' in html
    assert '<a class="ref" href="#essai-graphique">Figure&nbsp;1</a>' in html
    assert re.search(r'<table[^>]* id="essai-premier"', html)
    assert '<figure class="chart" id="essai-graphique">' in html


def test_the_2021_report_refers_to_its_floating_tables_by_number(tmp_path):
    from conftest import build_2021

    build_2021(tmp_path, "--format", "pdf", "--format", "docx")
    pdf = re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in
                                      pypdf.PdfReader(str(tmp_path / "rapport-activites-2021.pdf")).pages))
    pdf = pdf.replace("\u00a0", " ")
    assert "Le Tableau 12 présente le taux de participation des administrateurs" in pdf
    assert "Le Tableau 18 reprend l'activité interne par produit." in pdf
    assert "(voir Tableau 14)" in pdf
    assert "Tableau 12 : Participation aux conseils d'administration" in pdf
    import docx

    paragraphs = [p.text.replace("\u00a0", " ") for p in docx.Document(str(tmp_path / "rapport-activites-2021.docx"))
                  .paragraphs]
    assert any(p.startswith("Le Tableau 12 présente le taux de participation") for p in paragraphs)


def test_a_ref_to_a_disabled_plugins_table_prints_question_marks_and_warns(report_copy, in_dir):
    in_dir(report_copy)
    cfg = report_copy / "reports" / "2021" / "rapact.toml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text.replace('formats = ["docx", "pdf", "html"]',
                                'formats = ["docx", "pdf", "html"]\ndisabled_plugins = ["procurement"]'),
                   encoding="utf-8")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert (f"reports/2021/texts/activites.md:11: warning: ref('procurement.contracts') names a table or figure "
            f"of a plugin this build leaves out; it prints {UNRESOLVED}") in result.output


def test_check_reports_an_unknown_reference_at_its_line(report_copy, in_dir):
    in_dir(report_copy)
    texts = report_copy / "reports" / "2021" / "texts" / "structure.md"
    source = texts.read_text(encoding="utf-8")
    lines = source.splitlines()
    n = next(i for i, line in enumerate(lines, 1) if 'ref("governance.attendance")' in line)
    texts.write_text(source.replace('ref("governance.attendance")', 'ref("governance.attendence")'), encoding="utf-8")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert (f"reports/2021/texts/structure.md:{n}: error: ref('governance.attendence') names no table or figure "
            "of the report (did you mean 'governance-attendance'?)") in result.output
