import datetime as dt
from decimal import Decimal

import attrs
import cattrs
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
    with pytest.raises(cattrs.ClassValidationError) as info:
        serialize.from_data(data)
    extra = [e for e in cattrs.transform_error(info.value) if "extra fields" in e]
    assert extra == ["extra fields found (colour) @ $.chapters[0]"]


def test_row_width_must_match_columns():
    with pytest.raises(ValueError, match="spans 1 columns, expected 2"):
        m.Table([m.Column("a", "A"), m.Column("b", "B")], [m.Row(["x"])])


def test_floats_become_decimals_and_objects_are_refused():
    assert m.Cell(0.1).value == Decimal("0.1")
    with pytest.raises(TypeError):
        m.Cell(object())


def test_models_are_frozen():
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
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
    with pytest.raises(TypeError, match=r"PlainRows\[0\]\[1\]: expected .*, got float 1.5"):
        PlainRows([("a", 1.5)])


# ---------------------------------------------------------------- a closed model

class _Thing:
    def __repr__(self):
        return "<thing>"


@pytest.mark.parametrize("make, message", [
    (lambda: m.Paragraph([42]),
     "Paragraph content[0]: expected an inline (Text, Link, LineBreak, Ref) or str, got int 42"),
    (lambda: m.Paragraph(["ok", m.Table([m.Column("a", "A")])]),
     "Paragraph content[1]: expected an inline (Text, Link, LineBreak, Ref) or str, got Table Table("),
    (lambda: m.Paragraph(None),
     "Paragraph content: expected an inline (Text, Link, LineBreak, Ref) or str, or a sequence of them, got NoneType None"),
    (lambda: m.Heading(2, [m.Text("a"), 3.5]),
     "Heading content[1]: expected an inline (Text, Link, LineBreak, Ref) or str, got float 3.5"),
    (lambda: m.ListItem([m.ListItem("x")]),
     "ListItem content[0]: expected an inline (Text, Link, LineBreak, Ref) or str, got ListItem ListItem("),
    (lambda: m.ListItem("a", children=[m.ListItem("b")]),
     "ListItem children: expected a ListBlock or None, got list [ListItem("),
    (lambda: m.ListBlock(["x"]), "ListBlock items[0]: expected a ListItem, got str 'x'"),
    (lambda: m.ListBlock("abc"), "ListBlock items: expected a sequence, each a ListItem, got str 'abc'"),
    (lambda: m.Link([m.LineBreak()], "https://e.be"),
     "Link content[0]: expected Text or str, got LineBreak LineBreak()"),
    (lambda: m.Text(12), "Text text: expected str, got int 12"),
    (lambda: m.Row(["x", _Thing()]),
     "Row cells[1]: expected a Cell or a cell value (str, int, Decimal, float, date, None or MISSING), "
     "got _Thing <thing>"),
    (lambda: m.Row([True]), "Row cells[0]: expected a Cell or a cell value (str, int, Decimal, float, date, None or "
                            "MISSING), got bool True"),
    (lambda: m.Row("abc"), "Row cells: expected a sequence of cells or cell values, got str 'abc'"),
    (lambda: m.Table([m.Column("a", "A")], [["x"]], caption="Registre"),
     "table 'Registre': body[0]: expected a Row, got list ['x']"),
    (lambda: m.Table([m.Column("a", "A")], foot=[m.Row(["x"]), "Total"], caption="Registre"),
     "table 'Registre': foot[1]: expected a Row, got str 'Total'"),
    (lambda: m.Table(["a"]), "Table columns[0]: expected a Column, got str 'a'"),
    (lambda: m.Figure("chart"), "Figure chart: expected a Chart, got str 'chart'"),
    (lambda: m.Chart(m.ChartKind.BAR, "T", ["2021"], [[1]]), "Chart series[0]: expected a Series, got list [1]"),
    (lambda: m.Chart(m.ChartKind.BAR, "T", ["2020", "2021"], [m.Series("S", [1])]),
     "Chart 'T' series[0] 'S': 1 values for 2 categories"),
    (lambda: m.Series("S", [1, "2"]),
     "Series 'S' values[1]: expected a number (int, Decimal, float) or MISSING, got str '2'"),
    (lambda: m.Series("S", [float("inf")]),
     "Series 'S' values[0]: expected a number (int, Decimal, float) or MISSING, got float inf"),
    (lambda: m.Chapter("c", "C", [m.Paragraph("x"), "y"]),
     "Chapter blocks[1]: expected a block (Heading, Paragraph, ListBlock, Table, Figure, Image, PageBreak, "
     "TableOfContents, Custom), got str 'y'"),
    (lambda: m.PlainRows([("a", 1), ("b", _Thing())]),
     "PlainRows[1][1]: expected str, int, Decimal, date, None or MISSING, got _Thing <thing>"),
])
def test_wrong_content_names_the_node_the_position_and_what_was_expected(make, message):
    with pytest.raises(m.ModelError) as info:
        make()
    assert str(info.value).startswith(message), str(info.value)
    assert isinstance(info.value, TypeError)


def test_strings_become_text_wherever_inlines_go():
    assert m.Paragraph(["a", m.Text("b", bold=True)]).content == (m.Text("a"), m.Text("b", bold=True))
    # a plain string is one run, not a run per character
    assert m.Link("le site", "https://www.imio.be").content == (m.Text("le site"),)
    assert m.ListItem("x").content == (m.Text("x"),)


def test_a_series_keeps_missing_figures_missing():
    from rapact_core.missing import MISSING

    series = m.Series("Membres", [330, MISSING, None, Decimal("0"), 1.5])
    assert series.values == (Decimal(330), MISSING, MISSING, Decimal(0), Decimal("1.5"))
    assert series.values[1] is MISSING and series.values[3] == 0


def test_a_series_holding_missing_figures_round_trips_through_json():
    from rapact_core.missing import MISSING

    chart = m.Chart(m.ChartKind.LINE, "Effectif", ["2020", "2021", "2022"],
                    [m.Series("Effectif", [41, MISSING, 0])])
    doc = m.Document(m.Meta("T", "R", "O", 2022), [m.Chapter("c", "C", [m.Figure(chart, "Effectif")])])
    data = serialize.to_data(doc)
    assert data["chapters"][0]["blocks"][0]["chart"]["series"][0]["values"] == ["41", {"missing": True}, "0"]
    back = serialize.from_json(serialize.to_json(doc))
    assert back == doc
    values = back.chapters[0].blocks[0].chart.series[0].values
    assert values[1] is MISSING and values[2] == Decimal(0) and isinstance(values[0], Decimal)


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
