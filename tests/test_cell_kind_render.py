"""A cell of a kind of its own (``Cell(value, kind=…)``) prints the same in every format.

A "Variation" row under INTEGER year columns holds typed percentages: the
DOCX, the PDF and the HTML edition print them as percentages, the other rows
as integers, and a whole registry-sized body still takes the fast paths.
"""

from __future__ import annotations

from decimal import Decimal

import lxml.html

from rapact_core import model as m
from rapact_core import testing
from rapact_core.formatting import normalise_spaces
from rapact_core.render import RenderOptions, renderer


def _document(rows: int = 2) -> m.Document:
    columns = [m.Column("what", "Indicateur"), m.Column("y2020", "2020", m.CellKind.INTEGER),
               m.Column("y2021", "2021", m.CellKind.INTEGER)]
    body = [m.Row([f"Membres {i}", 1000 + i, 1300 + i]) for i in range(rows)]
    body.append(m.Row(["Variation", m.Cell(None), m.Cell(Decimal("0.396"), kind=m.CellKind.PERCENT)]))
    table = m.Table(columns, body, caption="Membres et variation")
    meta = m.Meta(title="T", reference="R", organisation="O", year=2021)
    return m.Document(meta, [m.Chapter("c", "C", [m.Heading(1, "C"), table])])


def _render(doc, fmt, tmp_path):
    path = tmp_path / f"r.{fmt}"
    renderer(fmt)(doc, path, RenderOptions())
    return path


def test_a_cell_kind_overrides_its_column_in_every_format(tmp_path):
    doc = _document()
    # the readers make no-break spaces plain; an absent figure is a dash in every format
    expected = ["Variation", "\u2013", "39,60 %"]
    docx_rows = testing.docx_tables(_render(doc, "docx", tmp_path))[0]
    assert docx_rows[-1] == expected and docx_rows[1] == ["Membres 0", "1 000", "1 300"]
    pdf = testing.pdf_text(_render(doc, "pdf", tmp_path))
    assert "Membres 1\n1 001\n1 301\nVariation\n\u2013\n39,60 %" in pdf
    page = lxml.html.parse(str(_render(doc, "html", tmp_path))).getroot()
    last = page.xpath("//table//tbody/tr")[-1]
    assert [normalise_spaces(c.text_content()) for c in last] == expected


def test_a_big_body_with_one_typed_cell_is_still_right(tmp_path):
    """Past the renderers' fast paths for big bodies (one cell of its own kind: row by row)."""
    doc = _document(rows=400)
    rows = testing.docx_tables(_render(doc, "docx", tmp_path))[0]
    assert rows[-1][2] == "39,60 %" and rows[-2] == ["Membres 399", "1 399", "1 699"]
    page = lxml.html.parse(str(_render(doc, "html", tmp_path))).getroot()
    assert page.xpath("//table//tbody/tr")[-1][2].text_content() == "39,60\u00a0%"
    assert page.xpath("//table//tbody/tr")[-2][2].text_content() == "1\u202f699"
