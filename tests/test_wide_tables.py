"""Tables the column width rule sets apart, in the tagged, paginated PDF and in the Word file.

The width rule (render/layout.py) sends a portrait table whose label words
cannot fit to a landscape page, and, when even that is too narrow, sets the
whole table in a smaller font. Here, on purpose-built documents read back:

* such a table floats like a table that asks for a landscape page: the
  portrait text after it fills the page first, and the layout record knows
  its landscape pages (``rapact check --layout`` finds nothing);
* a table set smaller is drawn at its own size, cells and labels, and cut
  across pages by its own row heights, three rows a side;
* the PDF stays PDF/UA-1; a list's own bullet ("✓") is its items' ``Lbl``;
* the Word file measures its labels as it prints them: a header cell spanning
  columns is folded into each label it spans, so each column holds its words.
"""

from __future__ import annotations

import pytest

from rapact_core import model as m
from rapact_core.numbering import number_document
from rapact_core.render import RenderOptions, layout
from rapact_core.render.layout_check import check_layout
from rapact_core.render.pdf import layout_pdf
from rapact_core.render.pdf_record import TABLE
from rapact_core.render.pdf_tables import plan

from test_pdf_pagination import lines
from test_pdf_ua import explain, struct_text, validate

pypdf = pytest.importorskip("pypdf")

META = m.Meta(title="Tableaux larges", reference="R", organisation="O", year=2021)
CELL_SIZE = 8.5  # pdf_styles.CELL_FONT_SIZE


def wide(n_labels: int, rows: int, caption: str, name: str) -> m.Table:
    """A table the model leaves portrait, with ``n_labels`` long label words."""
    cols = [m.Column("p", "Produit")] + [m.Column(f"c{i}", f"Développement{i}", m.CellKind.INTEGER)
                                         for i in range(n_labels)]
    body = [m.Row([f"{name}{r:02d}"] + [r + i for i in range(n_labels)]) for r in range(1, rows + 1)]
    foot = [m.Row(["Total"] + [0] * n_labels, m.RowRole.TOTAL)]
    return m.Table(cols, body, foot, caption=caption)


def wide_document() -> m.Document:
    goes_landscape = wide(7, 10, "Sept colonnes", "Large")
    smaller = wide(12, 90, "Douze colonnes", "Petite")
    checks = m.ListBlock([m.ListItem("La gestion de projets"), m.ListItem("L'accompagnement")], bullet="✓")
    blocks = (lines(8) + [goes_landscape] + lines(30, "Après") + [m.Heading(2, "Suite"), checks]
              + lines(3, "Avant") + [smaller] + lines(3, "Fin"))
    return number_document(m.Document(META, [m.Chapter("c", "C", [m.Heading(1, "Chapitre")] + blocks)]))


@pytest.fixture(scope="module")
def laid(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wide")
    doc = wide_document()
    path = folder / "wide.pdf"
    record = layout_pdf(doc, path, RenderOptions(report_dir=folder))
    reader = pypdf.PdfReader(str(path))
    texts = [(p.extract_text() or "") for p in reader.pages]
    return doc, path, record, reader, texts


def _page_of(texts, text: str) -> int:
    found = [i for i, t in enumerate(texts) if text in t]
    assert found, f"{text!r} is on no page"
    return found[0]


def _landscape(reader, page: int) -> bool:
    box = reader.pages[page].mediabox
    return float(box.width) > float(box.height)


def test_the_tables_are_what_the_width_rule_sets_apart(laid):
    doc = laid[0]
    first, second = [b for b in doc.blocks() if isinstance(b, m.Table)]
    assert not first.landscape and not second.landscape  # the model asks for no landscape page
    assert plan(first).landscape and plan(first).scale == 1
    assert plan(second).landscape and plan(second).scale < 1


def test_a_table_the_width_rule_turns_floats_like_a_landscape_table(laid):
    _, _, record, reader, texts = laid
    page = _page_of(texts, "Tableau 1 : Sept colonnes")
    assert _landscape(reader, page) and not _landscape(reader, page - 1)
    # the portrait text after it filled the page it was met on, then goes on after it
    assert _page_of(texts, "Ligne 8 de") == _page_of(texts, "Après 1 de") == page - 1
    assert _page_of(texts, "Après 30 de") >= page + 1 and not _landscape(reader, _page_of(texts, "Après 30 de"))
    # the layout record has the table on its landscape page, and finds nothing to say
    pieces = [p for p in record.placements if p.kind == TABLE and p.tag.table[0] == 1]
    assert pieces and all(p.landscape and p.page == page + 1 for p in pieces)
    assert record.pages[page + 1][0] is True
    assert check_layout(record) == []


def _sizes(page) -> dict[str, set[float]]:
    """Each text drawn on a page -> the font sizes it is drawn at."""
    found: dict[str, set[float]] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.setdefault(text.strip(), set()).add(round(size * tm[3] if tm[3] else size, 2))

    page.extract_text(visitor_text=visit)
    return found


def test_a_table_set_smaller_is_drawn_at_its_size_and_cut_by_its_rows(laid):
    doc, _, record, reader, texts = laid
    table = [b for b in doc.blocks() if isinstance(b, m.Table)][1]
    size = round(CELL_SIZE * plan(table).scale, 2)
    assert size < CELL_SIZE
    first = _page_of(texts, "Tableau 2 : Douze colonnes")
    last = _page_of(texts, "Petite90")
    assert last > first
    for number in range(first, last + 1):
        assert _landscape(reader, number)
        sizes = _sizes(reader.pages[number])
        cells = {k: v for k, v in sizes.items() if k.startswith("Petite")}
        labels = {k: v for k, v in sizes.items() if k.startswith("Développement")}
        assert cells and labels, number  # the labels are repeated on each page
        assert set().union(*cells.values()) == {size}, number  # drawn by the tagged row drawing
        assert set().union(*labels.values()) == {size}, number  # the labels' form and THead
    # cut by its own row heights: a full page holds more rows than at the usual size, within
    # the page, and at least three body rows a side (the layout check agrees)
    pieces = [p for p in record.placements if p.kind == TABLE and p.tag.table[0] == 2]
    assert len(pieces) >= 2
    n_body = pieces[0].tag.table[1]
    for piece in pieces:
        assert piece.bottom >= piece.area_top - piece.area_height - 1e-3
        assert min(piece.rows[1], n_body) - piece.rows[0] >= 3
    full = max(pieces[:-1], key=lambda p: p.rows[1] - p.rows[0])
    usual_row = 10.5 + 2 * 2.5  # pdf_styles.MIN_ROW_HEIGHT at the usual size
    assert (full.rows[1] - full.rows[0]) * usual_row > full.area_height
    assert check_layout(record) == []


def test_the_pdf_stays_pdf_ua_1_and_a_symbol_bullet_is_a_label(laid):
    _, path, _, reader, texts = laid
    result = validate(path.read_bytes())
    assert result.rules.failed == 0, explain(result)
    found = struct_text(path)
    labels = [text for role, text in found if role == "Lbl"]
    bodies = [text for role, text in found if role == "LBody"]
    assert labels == ["✓", "✓"]
    assert [b.strip() for b in bodies] == ["La gestion de projets", "L'accompagnement"]
    assert "✓ La gestion de projets" in texts[_page_of(texts, "La gestion de projets")]


def test_the_docx_measures_a_spanning_header_cell_in_each_label_it_spans():
    from rapact_core.render.docx_setup import ensure_styles, open_template
    from rapact_core.render.docx_tables import column_labels, plan_widths, table_metrics
    from rapact_core.render.pdf_tables import pdf_metrics

    word = "Anticonstitutionnellement"
    cols = [m.Column("a", "Nom", width=8), m.Column("b", "1", m.CellKind.INTEGER),
            m.Column("c", "2", m.CellKind.INTEGER)]
    table = m.Table(cols, [m.Row(["x", 1, 2])], header=[m.Row([m.Cell(""), m.Cell(word, 2)])])
    assert column_labels(table, "fr_BE")[1:] == [f"{word}\n1", f"{word}\n2"]
    document = open_template(None)
    metrics = table_metrics(document.styles.element, ensure_styles(document)["table"])
    _, widths = plan_widths(table, metrics, 9412, 14344, "fr_BE")
    need = layout.text_width(word, metrics.bold, metrics.size) + 2 * metrics.pad
    assert widths[1] / 20 >= need and widths[2] / 20 >= need  # each column holds the whole word
    # the PDF spans the cell over its columns: the two share the word
    pdf = pdf_metrics()
    spread = layout.plan_table(table, pdf, 9412 / 20, 14344 / 20, "fr_BE").widths
    assert spread[1] < layout.text_width(word, pdf.bold, pdf.size) <= spread[1] + spread[2]


def test_the_new_messages_for_editors_go_through_the_translation_function(tmp_path, monkeypatch):
    import rapact_core.config as config
    import rapact_core.data as data
    from rapact_core.errors import RapactError

    monkeypatch.setattr(data, "_", lambda text: f"«{text}»")
    monkeypatch.setattr(config, "_", lambda text: f"«{text}»")
    (tmp_path / "d.csv").write_text("marche,debut\nA,31/02/2021\n", encoding="utf-8")
    with pytest.raises(RapactError) as caught:
        data.read_table(tmp_path / "d.csv", [data.Col("marche"), data.Col("debut", "date_or_text")])
    assert "«expected a date, found '31/02/2021': «there is no day 31 in month 2 of 2021»" in \
        caught.value.findings[0].message
    (tmp_path / "rapact.toml").write_text(
        '[report]\ntitle = "T"\nreference = "R"\norganisation = "O"\nyear = 2021\nnegative_amounts = "x"\n',
        encoding="utf-8")
    with pytest.raises(RapactError) as caught:
        config.load_config(tmp_path / "rapact.toml")
    assert any(f.message.startswith("«unknown value 'x' for how negative amounts print")
               for f in caught.value.findings)
