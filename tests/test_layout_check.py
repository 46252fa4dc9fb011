"""The layout check: documents built to provoke each fault, and the 2021 report, which has none.

The PDF renderer's rules avoid these faults wherever a layout allows it, so
each document here makes them unavoidable: a page break right after a
heading or a lead-in, rows too tall to cut a table by the rules, a text
saying "ci-dessous" with another paragraph between it and a table that
floats. ``rapact check --layout`` prints them with their page and exits 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from rapact_core import model as m
from rapact_core.cli import main
from rapact_core.numbering import number_document
from rapact_core.render import RenderOptions
from rapact_core.render import pdf_record as R
from rapact_core.render import pdf_styles as S
from rapact_core.render.layout_check import Fault, check_layout
from rapact_core.render.pdf import layout_pdf

from conftest import ROOT

pypdf = pytest.importorskip("pypdf")

META = m.Meta(title="Essai", reference="REF-1", organisation="Org", year=2021)


def lines(n: int, word: str = "Ligne") -> list[m.Paragraph]:
    return [m.Paragraph(f"{word} {i} de remplissage.") for i in range(1, n + 1)]


def faults_of(blocks: list, folder: Path) -> list[str]:
    doc = number_document(m.Document(META, [m.Chapter("c1", "Essai", [m.Heading(1, "Essai")] + blocks)]))
    return [f.format("essai.pdf") for f in check_layout(layout_pdf(doc, folder / "essai.pdf", RenderOptions()))]


def tall_rows(*line_counts: int, caption: str = "Grandes lignes") -> m.Table:
    """A table whose body rows hold that many lines each."""
    body = [m.Row([f"Rangée {r}", "\n".join(f"texte {k}" for k in range(n))]) for r, n in enumerate(line_counts, 1)]
    return m.Table([m.Column("nom", "Nom"), m.Column("texte", "Texte")], body,
                   [m.Row(["Total", ""], m.RowRole.TOTAL)], caption=caption)


def row_lines(points: float) -> int:
    """The lines a cell needs for its row to be about ``points`` tall."""
    return int((points - 2 * S.CELL_PAD_V) // S.CELL_LEADING)


def test_a_nearly_empty_page(tmp_path):
    faults = faults_of(lines(3) + [m.PageBreak()] + lines(30), tmp_path)
    assert faults == ["essai.pdf: page 2: the page holds 13 % of its text area (a heading and 3 lines)"]


def test_a_heading_alone_at_the_foot_of_a_page(tmp_path):
    faults = faults_of(lines(28) + [m.Heading(2, "Une section"), m.PageBreak()] + lines(12, "Suite"), tmp_path)
    assert faults == ["essai.pdf: page 2: the heading “1.1 Une section” is alone at the foot of the page; "
                      "what it introduces starts on page 3"]


def test_a_lead_in_alone_at_the_foot_of_a_page(tmp_path):
    items = m.ListBlock([m.ListItem(f"Point {i}") for i in range(1, 8)])
    faults = faults_of(lines(28) + [m.Paragraph("Les points suivants :"), m.PageBreak(), items] + lines(10), tmp_path)
    assert faults == ["essai.pdf: page 2: the lead-in “Les points suivants :” is alone at the foot of the page; "
                      "what it introduces starts on page 3"]


def test_a_table_cut_with_fewer_than_three_rows_on_a_side(tmp_path):
    frame = S.frame_size(S.PORTRAIT)[1]
    rows = [row_lines(frame / 3.4)] * 5  # three rows to a page: five cannot be cut three and three
    faults = faults_of([tall_rows(*rows)], tmp_path)
    assert faults == ["essai.pdf: page 3: Tableau 1 is cut with 2 body rows on this page (at least 3 on each side "
                      "of a cut)"]


def test_the_totals_of_a_table_alone_on_a_page(tmp_path):
    # two rows that fill a page below the chapter's heading, the caption and the column
    # labels, leaving no room for the totals: at one height of theirs; look for it
    found = {}
    for lines_in_rows in range(50, 66):
        faults = faults_of([tall_rows(30, lines_in_rows - 30)] + lines(20, "Suite"), tmp_path)
        if any("totals" in f for f in faults):
            found[lines_in_rows] = faults
    assert found, "no row height left the totals alone"
    for faults in found.values():
        assert faults == ["essai.pdf: page 2: Tableau 1 is cut with 2 body rows on this page (at least 3 on each "
                          "side of a cut)",
                          "essai.pdf: page 3: the totals of Tableau 1 stand alone on the page"]


def test_a_text_saying_ci_dessous_when_its_table_floated_away(tmp_path):
    wide = m.Table([m.Column(f"c{i}", f"Colonne {i}") for i in range(8)],
                   [m.Row([f"v{r}{i}" for i in range(8)]) for r in range(10)], caption="Les marchés",
                   landscape=True)
    blocks = lines(5) + [m.Paragraph("Le tableau ci-dessous présente les marchés."),
                         m.Paragraph("Un autre paragraphe s'intercale."), wide] + lines(30, "Après")
    faults = faults_of(blocks, tmp_path)
    assert faults == ["essai.pdf: page 2: the text “Le tableau ci-dessous présente les marchés.” says "
                      "“Tableau 1 : Les marchés” is below, but it is on page 3, after other text"]


def test_what_no_document_provokes_any_more_read_from_a_record():
    """A table's caption alone at the foot of a page (a table is cut inside a row rather
    than leave it), a chart apart from its caption (kept together), an empty page:
    read from a record made by hand."""
    area = (False, 760.0, 700.0)
    caption = R.Tag(R.CAPTION, 0, 4, "Tableau 1 : Membres")
    rows = R.Tag(R.TABLE, 0, 4, "Tableau 1 : Membres", table=(1, 10, 11))
    chart = R.Tag(R.FIGURE, 0, 5, "Figure 1 : Membres")
    chart_caption = R.Tag(R.FIGURE_CAPTION, 0, 5, "Figure 1 : Membres")
    text = R.Tag(R.PARAGRAPH, 0, 6, "Suite.")
    record = R.LayoutRecord()
    for page in (1, 2, 3, 4):
        record.pages[page] = area
    record.add(R.Placement(1, 760, 90, text, *area, lines=40))
    record.add(R.Placement(1, 90, 78, caption, *area))
    record.add(R.Placement(2, 760, 400, rows, *area, rows=(0, 11)))
    record.add(R.Placement(2, 390, 80, chart, *area))
    record.add(R.Placement(3, 760, 740, chart_caption, *area))
    record.add(R.Placement(3, 740, 100, text, *area, lines=40))
    assert [f.format() for f in check_layout(record)] == [
        "page 1: the caption “Tableau 1 : Membres” is alone at the foot of the page; what it introduces starts "
        "on page 2",
        "page 2: the chart “Figure 1 : Membres” is on this page and its caption on page 3",
        "page 4: the page is empty",
    ]
    assert check_layout(record)[1] == Fault(2, "the chart “Figure 1 : Membres” is on this page and its caption "
                                               "on page 3", "alone at the foot")


def test_check_layout_on_the_2021_report_finds_no_fault():
    result = CliRunner().invoke(main, ["check", "--layout", "--config", str(ROOT / "rapact.toml")])
    assert result.exit_code == 0, result.output
    assert "0 layout faults" in result.output
    assert "rapport-activites-2021.pdf: page" not in result.output


def test_check_layout_names_the_page_and_exits_1(report_copy, in_dir):
    in_dir(report_copy)
    text = report_copy / "reports" / "2021" / "texts" / "activites.md"
    source = text.read_text(encoding="utf-8")
    # an editor's page break right after a heading leaves the heading at the foot of its page
    text.write_text(source.replace("## Modification de nos statuts.\n", "## Modification de nos statuts.\n\n---\n"),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--layout"])
    assert result.exit_code == 1, result.output
    faults = [line for line in result.output.splitlines() if line.startswith("rapport-activites-2021.pdf: page ")]
    page = int(faults[0].split()[2].rstrip(":"))
    assert faults == [
        f"rapport-activites-2021.pdf: page {page}: the heading “6.4 Modification de nos statuts.” is alone at the "
        f"foot of the page; what it introduces starts on page {page + 1}",
        f"rapport-activites-2021.pdf: page {page}: the page holds 21 % of its text area (2 headings and 6 lines)",
    ]
    assert "2 layout faults" in result.output
    assert not (report_copy / "output" / "rapport-activites-2021.pdf").exists()  # nothing written beside the report
