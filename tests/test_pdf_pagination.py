"""The PDF's pagination rules, on small documents laid out at every height that matters.

Each test slides a block down the page with one-line paragraphs above it,
so that it meets the foot of the page in every way, then reads the PDF back
(pypdf: which text is on which page, which pages are landscape):

* a heading, a caption, a lead-in ending with ":" stays with the start of
  what follows, and what follows is cut rather than moved whole;
* a table is cut with at least three body rows on each side, never its
  totals alone;
* a landscape table floats: the portrait text after it fills the page, the
  table comes on the next page, then the text goes on;
* a chapter does not end with a line or two alone on a page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rapact_core import model as m
from rapact_core.numbering import number_document
from rapact_core.render import RenderOptions
from rapact_core.render.layout_check import MIN_FILL, MIN_LAST_FILL, check_layout, page_fills
from rapact_core.render.pdf import layout_pdf

pypdf = pytest.importorskip("pypdf")

META = m.Meta(title="Essai de mise en page", reference="REF-1", organisation="Org", year=2021)


def lines(n: int, word: str = "Ligne") -> list[m.Paragraph]:
    return [m.Paragraph(f"{word} {i} de remplissage.") for i in range(1, n + 1)]


def long_paragraph(first: str, last: str) -> m.Paragraph:
    return m.Paragraph(f"{first} " + "une phrase assez longue qui remplit la ligne, " * 30 + last)


def document(*chapters: list) -> m.Document:
    out = [m.Chapter(f"c{i}", f"Chapitre {i}", [m.Heading(1, f"Chapitre {i}")] + list(blocks))
           for i, blocks in enumerate(chapters, 1)]
    return number_document(m.Document(META, out))


def table(n_body: int, *, name: str = "Rangée", caption: str = "Un tableau", landscape: bool = False,
          columns: int = 2, id_: str | None = None) -> m.Table:
    cols = [m.Column("nom", "Nom")] + [m.Column(f"v{i}", f"Valeur {i}", m.CellKind.INTEGER) for i in range(columns - 1)]
    body = [m.Row([f"{name} {r:02d}"] + [r * 10 + i for i in range(columns - 1)]) for r in range(1, n_body + 1)]
    foot = [m.Row(["Total général"] + [0] * (columns - 1), m.RowRole.TOTAL)]
    return m.Table(cols, body, foot, caption=caption, landscape=landscape, id=id_)


class Laid:
    """A document laid out: its record, its pages' texts and orientation."""

    def __init__(self, doc: m.Document, folder: Path):
        path = folder / "out.pdf"
        self.record = layout_pdf(doc, path, RenderOptions(report_dir=folder))
        reader = pypdf.PdfReader(str(path))
        self.pages = [(p.extract_text() or "").replace("\u00a0", " ").replace("\u202f", " ") for p in reader.pages]
        self.landscape = [float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages]
        self.faults = check_layout(self.record)

    def page_of(self, text: str) -> int:
        found = [i for i, page in enumerate(self.pages) if text in page]
        assert found, f"{text!r} is on no page"
        return found[0]

    def count(self, pattern: str, page: int) -> int:
        return len(re.findall(pattern, self.pages[page]))


def test_a_lead_in_ending_with_a_colon_stays_with_what_follows(tmp_path):
    for k in range(26, 36):
        items = m.ListBlock([m.ListItem(f"Tâche numéro {i}") for i in range(1, 6)])
        laid = Laid(document(lines(k) + [m.Paragraph("Les tâches principales sont :"), items]), tmp_path)
        assert laid.page_of("Les tâches principales sont :") == laid.page_of("Tâche numéro 1"), k
        assert laid.faults == [], (k, laid.faults)


def test_a_heading_keeps_with_the_first_lines_of_its_paragraph_which_is_cut(tmp_path):
    cut_after_heading = 0
    for k in range(22, 34):
        blocks = lines(k) + [m.Heading(2, "Une section"), long_paragraph("DÉBUT", "FIN.")]
        laid = Laid(document(blocks), tmp_path)
        heading = laid.page_of("1.1 Une section")
        assert laid.page_of("DÉBUT") == heading, k
        if laid.page_of("FIN.") > heading and heading == laid.page_of(f"Ligne {k} de"):
            cut_after_heading += 1  # the heading stayed where it was, its paragraph cut below it
        assert laid.faults == [], (k, laid.faults)
    # moving heading and paragraph whole to the next page would leave a third of a page blank
    assert cut_after_heading >= 5


def test_a_bold_title_keeps_with_what_follows(tmp_path):
    for k in range(28, 36):
        blocks = lines(k) + [m.Paragraph([m.Text("Sources authentiques", bold=True)]),
                             long_paragraph("SUITE", "FIN.")]
        laid = Laid(document(blocks), tmp_path)
        assert laid.page_of("Sources authentiques") == laid.page_of("SUITE"), k


def test_a_table_is_cut_with_three_rows_on_each_side_and_never_its_totals_alone(tmp_path):
    cuts = set()
    for k in range(0, 36, 2):
        laid = Laid(document(lines(k) + [table(24)]), tmp_path)
        first, last = laid.page_of("Rangée 01"), laid.page_of("Total général")
        assert laid.page_of("Tableau 1 : Un tableau") == first  # the caption stays with the first rows
        if first == last:
            continue
        above, below = laid.count(r"Rangée \d\d", first), laid.count(r"Rangée \d\d", last)
        assert above >= 3 and below >= 3, (k, above, below)
        assert "Nom" in laid.pages[last] and "Valeur" in laid.pages[last]  # the column labels repeat
        cuts.add(above)
        assert laid.faults == [], (k, laid.faults)
    assert len(cuts) > 3  # the table was cut at many heights, not moved to the next page


def test_a_short_table_is_never_cut(tmp_path):
    for k in range(26, 36):
        laid = Laid(document(lines(k) + [table(5)]), tmp_path)
        assert laid.page_of("Rangée 01") == laid.page_of("Total général") == laid.page_of("Tableau 1 :"), k


def test_a_landscape_table_floats_while_the_text_after_it_fills_the_page(tmp_path):
    blocks = lines(8) + [m.Paragraph([m.Text("Le "), m.Ref("large"), m.Text(" détaille les marchés.")]),
                         table(12, landscape=True, columns=8, caption="Marchés", id_="large")] + lines(45, "Après")
    laid = Laid(document(blocks), tmp_path)
    table_page = laid.page_of("Tableau 1 : Marchés")
    assert laid.landscape[table_page] and not laid.landscape[table_page - 1]
    # the text after the table filled the portrait page it started on, then goes on after the table
    assert laid.page_of("Après 1 de") == table_page - 1 == laid.page_of("Ligne 8 de")
    assert laid.page_of("Après 20 de") == table_page - 1
    assert laid.page_of("Après 45 de") == table_page + 1 and not laid.landscape[table_page + 1]
    assert "Le Tableau 1 détaille les marchés." in laid.pages[table_page - 1]
    assert laid.faults == []


def test_a_lead_in_or_a_heading_travels_with_its_landscape_table(tmp_path):
    lead = lines(8) + [m.Paragraph("Liste des marchés :"), table(6, landscape=True, columns=8)] + lines(5, "Après")
    laid = Laid(document(lead), tmp_path)
    page = laid.page_of("Tableau 1 :")
    assert laid.page_of("Liste des marchés :") == page and laid.landscape[page]
    assert laid.page_of("Après 5 de") == page - 1  # the text after it still fills the page before
    headed = lines(8) + [m.Heading(2, "Marchés publics"), table(6, landscape=True, columns=8)] + lines(5, "Après")
    laid = Laid(document(headed), tmp_path)
    page = laid.page_of("Tableau 1 :")
    # a section that starts with its landscape table cannot let text of its own go before its heading
    assert laid.page_of("1.1 Marchés publics") == page and laid.landscape[page]
    assert laid.page_of("Après 1 de") == page + 1 and not laid.landscape[page + 1]


def test_tables_keep_their_order_when_one_floats(tmp_path):
    blocks = (lines(6) + [table(8, landscape=True, columns=8, caption="Paysage")] + lines(3, "Entre")
              + [table(4, caption="Portrait")] + lines(3, "Fin"))
    laid = Laid(document(blocks), tmp_path)
    first, second = laid.page_of("Tableau 1 : Paysage"), laid.page_of("Tableau 2 : Portrait")
    assert laid.landscape[first] and not laid.landscape[second]
    assert laid.page_of("Entre 3 de") < first < second  # the text filled the page, table 2 waited for table 1


def test_consecutive_landscape_tables_share_their_pages(tmp_path):
    blocks = (lines(6) + [table(20, landscape=True, columns=8, caption="Premier"),
                          m.Paragraph("Liste des petits marchés"),
                          table(10, landscape=True, columns=8, caption="Second", name="Petit")] + lines(30, "Après"))
    laid = Laid(document(blocks), tmp_path)
    first, second = laid.page_of("Tableau 1 : Premier"), laid.page_of("Tableau 2 : Second")
    assert laid.landscape[first] and laid.landscape[second]
    assert laid.page_of("Liste des petits marchés") == second
    assert second - first <= 1  # the second starts below the end of the first, on a landscape page
    assert laid.faults == [], laid.faults


def test_a_chapter_does_not_end_with_a_line_or_two_alone(tmp_path):
    fixed = 0
    for k in range(30, 40):
        laid = Laid(document(lines(k), lines(3, "Autre")), tmp_path)
        fills = [f for f in page_fills(laid.record) if not f.cover]
        for fill in fills:
            assert fill.share >= (MIN_LAST_FILL if fill.last_of_chapter else MIN_FILL) - 1e-9, (k, fill.page)
        ends = laid.page_of(f"Ligne {k} de")
        if ends == laid.page_of("Ligne 1 de") + 1 and laid.count(r"Ligne \d+ de", ends) >= 4:
            fixed += 1  # the chapter's last page got a few lines from the page before
        assert laid.faults == [], (k, laid.faults)
    assert fixed >= 2
