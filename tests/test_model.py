import datetime as dt
from decimal import Decimal

import pytest

from rapact_core import model as m
from rapact_core import serialize


def sample_document():
    table = m.Table(
        [m.Column("label", "Poste"), m.Column("n", "2021", m.CellKind.MONEY),
         m.Column("pct", "Var.", m.CellKind.PERCENT, decimals=1), m.Column("d", "Date", m.CellKind.DATE),
         m.Column("i", "Nbr", m.CellKind.INTEGER), m.Column("x", "Dec", m.CellKind.DECIMAL)],
        [m.Row(["Chiffre d'affaires", Decimal("4753459.12"), Decimal("0.1436"), dt.date(2021, 6, 22), 3,
                Decimal("1.5")])],
        foot=[m.Row([m.Cell("Total", colspan=4), 3, None], m.RowRole.TOTAL)],
        header=[m.Row([m.Cell("Comptes", colspan=6)])],
        caption="Comptes", landscape=True,
    )
    chart = m.Chart(m.ChartKind.BAR, "Effectif", ["2020", "2021"], [m.Series("Effectif", [41, 45])])
    blocks = [
        m.Heading(2, "Titre", numbered=True),
        m.Paragraph([m.Text("gras", bold=True), m.Text(" et "), m.Text("italique", italic=True),
                     m.Link([m.Text("site")], "https://www.imio.be"), m.LineBreak()]),
        m.ListBlock([m.ListItem("un", m.ListBlock([m.ListItem("un.un")], ordered=True, start=3)),
                     m.ListItem("deux")]),
        table, m.Figure(chart, "Effectif"), m.Image("logo.png", "logo"), m.PageBreak(),
        m.TableOfContents(), m.Custom("demo", "badge", {"text": "ok", "n": 2}),
    ]
    meta = m.Meta("Rapport", "RAPACT2021-V1.0", "iMio", 2021, signatories=[m.Signatory("A", "Président")],
                  date=dt.date(2022, 6, 1))
    return m.Document(meta, [m.Chapter("c1", "Chapitre", blocks)])


def test_round_trip_through_json_keeps_every_type():
    doc = sample_document()
    text = serialize.to_json(doc)
    back = serialize.from_json(text)
    assert back == doc
    cell = back.chapters[0].blocks[3].body[0].cells[1]
    assert isinstance(cell.value, Decimal) and cell.value == Decimal("4753459.12")
    assert isinstance(back.chapters[0].blocks[3].body[0].cells[3].value, dt.date)


def test_json_tags_blocks_like_pandoc():
    data = serialize.to_data(sample_document())
    tags = [b["t"] for b in data["chapters"][0]["blocks"]]
    assert tags == ["Heading", "Paragraph", "ListBlock", "Table", "Figure", "Image", "PageBreak",
                    "TableOfContents", "Custom"]


def test_unknown_keys_are_rejected_when_loading():
    data = serialize.to_data(sample_document())
    data["chapters"][0]["colour"] = "red"
    with pytest.raises(Exception):
        serialize.from_data(data)


def test_row_width_must_match_columns():
    with pytest.raises(ValueError, match="spans 1 columns, expected 2"):
        m.Table([m.Column("a", "A"), m.Column("b", "B")], [m.Row(["x"])])


def test_floats_become_decimals_and_objects_are_refused():
    assert m.Cell(0.1).value == Decimal("0.1")
    with pytest.raises(TypeError):
        m.Cell(object())


def test_models_are_frozen():
    with pytest.raises(Exception):
        sample_document().meta.title = "x"


def test_plain_rows_are_the_rows_they_stand_for():
    """A big table's body given as plain values behaves, compares, serialises and pickles
    like the same body given as rows."""
    import datetime as dt
    import pickle
    from decimal import Decimal

    from rapact_core.missing import MISSING
    from rapact_core.model import Cell, Chapter, Column, Document, Meta, PlainRows, Row, Table
    from rapact_core.serialize import from_json, to_json

    values = [("Ohey", 1, Decimal("2.50"), dt.date(2021, 6, 22)), ("Liège", None, MISSING, None)]
    columns = [Column(k, k) for k in "abcd"]
    plain = Table(columns=columns, body=PlainRows(values), caption="Registre")
    rows = Table(columns=columns, body=[Row(v) for v in values], caption="Registre")
    assert plain == rows and rows == plain and hash(plain) == hash(rows)
    assert len(plain.body) == 2 and plain.body[1].cells[0] == Cell("Liège") and list(plain.body) == list(rows.body)
    assert plain.body + rows.foot == rows.body
    doc = Document(Meta("T", "R", "O", 2021), [Chapter("c", "C", [plain])])
    assert from_json(to_json(doc)) == doc
    assert pickle.loads(pickle.dumps(doc)) == doc
    with pytest.raises(ValueError, match="4 values, expected 3"):
        Table(columns=columns[:3], body=PlainRows(values))
    with pytest.raises(ValueError, match="same number of values"):
        PlainRows([("a", 1), ("b",)])
    with pytest.raises(TypeError, match="not float"):
        PlainRows([("a", 1.5)])


def test_a_cell_may_have_a_kind_of_its_own():
    """The model part of "a cell has its own kind": the field, its default and its JSON."""
    assert m.Cell(3).kind is None and m.Row([3, "x"]).cells[0].kind is None  # the fast path too
    own = m.Cell(Decimal("0.396"), kind="percent")
    assert own.kind is m.CellKind.PERCENT and own == m.Cell(Decimal("0.396"), kind=m.CellKind.PERCENT)
    assert own != m.Cell(Decimal("0.396"))
    with pytest.raises(ValueError):
        m.Cell(1, kind="percentage")
    table = m.Table([m.Column("a", "2021", m.CellKind.INTEGER)],
                    [m.Row([48]), m.Row([m.Cell(Decimal("0.396"), kind=m.CellKind.PERCENT)])])
    doc = m.Document(m.Meta("T", "R", "O", 2021), [m.Chapter("c", "C", [table])])
    data = serialize.to_data(doc)
    body = data["chapters"][0]["blocks"][0]["body"]
    assert body[0]["cells"][0] == {"value": 48, "colspan": 1}  # no kind: the JSON of before
    assert body[1]["cells"][0] == {"value": {"decimal": "0.396"}, "colspan": 1, "kind": "percent"}
    assert serialize.from_data(data) == doc
    assert serialize.from_json(serialize.to_json(sample_document())) == sample_document()
