import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from rapact_core.data import Col, read_table
from rapact_core.yamlfiles import read_yaml
from rapact_core.errors import RapactError
from rapact_core.missing import MISSING

@pytest.fixture(autouse=True)
def _cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # messages show paths relative to the working folder


COLS = [Col("categorie", choices=("CPAS", "Province")), Col("nombre", "int"), Col("montant", "decimal"),
        Col("date", "date", required=False)]


def write(tmp_path, text, name="t.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def messages(path, cols=COLS, **kw):
    with pytest.raises(RapactError) as info:
        read_table(path, cols, **kw)
    return [f.format() for f in info.value.findings]


def test_reads_bom_semicolons_and_french_numbers(tmp_path):
    p = write(tmp_path, "\ufeffcategorie;nombre;montant;date\nCPAS;90;4 753 459,12 €;22/06/21\nProvince;3;1,5;\n")
    t = read_table(p, COLS)
    assert t.rows[0]["montant"] == Decimal("4753459.12")
    assert t.rows[0]["date"] == dt.date(2021, 6, 22)
    assert t.rows[1].row == 3 and t.rows[1]["date"] is None


def test_every_bad_cell_is_reported_with_row_and_column(tmp_path):
    p = write(tmp_path, "categorie,nombre,montant,date\nCPAS,x,1,\nCommune,2,,\nProvince,3,abc,31/02/21\n")
    msgs = messages(p)
    assert "t.csv:2: error: nombre: expected a number such as 1234,56, found 'x'" in msgs
    assert any(m.startswith("t.csv:3: error: categorie: unknown value 'Commune', expected one of: CPAS, Province")
               for m in msgs)
    assert "t.csv:3: error: montant: empty cell, expected a number" in msgs
    assert "t.csv:4: error: montant: expected a number such as 1234,56, found 'abc'" in msgs
    assert any(m.startswith("t.csv:4: error: date:") for m in msgs)


def test_wrong_header(tmp_path):
    msgs = messages(write(tmp_path, "categorie,nb,montant\nCPAS,1,2\n"))
    assert any("t.csv:1: error: missing columns nombre, date; the header must contain" in m for m in msgs)
    assert any("t.csv:1: error: nb: unexpected column 'nb'" in m for m in msgs)


def test_cp1252_file_is_named_with_its_line(tmp_path):
    p = write(tmp_path, "categorie,nombre,montant\nCPAS,1,2\nCPAS,1,3 €\n", encoding="cp1252")
    assert messages(p) == ['t.csv:3: error: the file is not UTF-8 (byte 0x80); save it as "CSV UTF-8"']


def test_decimal_comma_in_comma_separated_file(tmp_path):
    msgs = messages(write(tmp_path, "categorie,nombre,montant\nCPAS,1,2,50\n"), COLS[:3])
    assert "t.csv:2: error: 4 cells but the header has 3 columns" in msgs[0]


def test_totals_row_is_kept_apart(tmp_path):
    p = write(tmp_path, "categorie,nombre,montant\nCPAS,1,2\nTotal,5,2\n")
    t = read_table(p, COLS[:3], totals=True)
    assert len(t.rows) == 1 and t.total["nombre"] == 5 and t.total.row == 3


def test_xlsx_is_read_like_csv(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["categorie", "nombre", "montant", "date"])
    ws.append(["CPAS", 90, 1234.5, dt.datetime(2021, 6, 22)])
    ws.append(["Province", "trois", "1 000,00 €", None])
    wb.save(tmp_path / "t.xlsx")
    msgs = messages(tmp_path / "t.xlsx")
    assert msgs == ["t.xlsx:3: error: nombre: expected a number such as 1234,56, found 'trois'"]
    ws.delete_rows(3)
    wb.save(tmp_path / "t.xlsx")
    t = read_table(tmp_path / "t.xlsx", COLS)
    assert t.rows[0]["montant"] == Decimal("1234.5") and t.rows[0]["date"] == dt.date(2021, 6, 22)


def test_yaml_errors_carry_the_line(tmp_path):
    p = write(tmp_path, "a: 1\nb: [1, 2\nc: 3\n", name="t.yaml")
    with pytest.raises(RapactError) as info:
        read_yaml(p)
    assert info.value.findings[0].line is not None and "invalid YAML" in info.value.findings[0].message


def test_yaml_never_executes_code(tmp_path):
    p = write(tmp_path, "x: !!python/object/apply:os.system ['echo hacked']\n", name="t.yaml")
    with pytest.raises(RapactError, match="invalid YAML"):
        read_yaml(p)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_arbitrary_csv_text_raises_only_rapact_errors(tmp_path_factory, text):
    p = tmp_path_factory.mktemp("h") / "t.csv"
    p.write_text(text, encoding="utf-8")
    try:
        read_table(p, COLS, totals=True)
    except RapactError:
        pass


def test_a_loader_reports_the_errors_of_this_year_and_last_in_one_run(tmp_path):
    from rapact_core import DataLoader, Level, collect_todos, testing, todo

    reports = tmp_path / "reports"
    config = testing.make_report(reports / "2021", {"data/cyber/incidents.csv": "mois,incidents\njanvier,x\n"})
    ctx = testing.context(config, "cyber")
    load = DataLoader(ctx, "cyber")
    assert load.previous() is None  # no reports/2020
    (reports / "2020" / "data" / "cyber").mkdir(parents=True)  # a folder without rapact.toml
    (reports / "2020" / "data" / "cyber" / "incidents.csv").write_text("mois,incidents\nmars,y\n", encoding="utf-8")
    columns = [Col("mois"), Col("incidents", "int")]
    assert load.table("incidents", columns) is None
    last = load.previous()
    assert last.ctx.year == 2020 and last.problems is load.problems
    assert last.table("incidents", columns) is None
    with pytest.raises(RapactError) as info:
        load.done()
    assert [(f.file.split("/")[-4], f.line) for f in info.value.findings] == [("2021", 2), ("2020", 2)]
    # todo() says what it records; a build (or collect_todos) collects it
    with collect_todos() as todos:
        entry = todo("fill in", file="x.csv", line=3)
    assert todos == [entry] and entry.level is Level.TO_COMPLETE


# ---------------------------------------------------------------- dates among texts

WHEN = [Col("marche"), Col("debut", "date_or_text", required=False)]


def test_a_date_or_text_column_types_its_dates_and_keeps_its_texts(tmp_path):
    p = write(tmp_path, "marche,debut\nA,30/11/2021\nB,26/07/21\nC,3/02/22\nD,2021-04-27\n"
                        "E,48 mois à dater de la notification\nF,2021\nG,\n")
    got = [r["debut"] for r in read_table(p, WHEN).rows]
    assert got == [dt.date(2021, 11, 30), dt.date(2021, 7, 26), dt.date(2022, 2, 3), dt.date(2021, 4, 27),
                   "48 mois à dater de la notification", "2021", None]


def test_an_impossible_date_is_named_with_file_row_and_column(tmp_path):
    p = write(tmp_path, "marche,debut\nA,31/02/2021\nB,2021-13-01\nC,En attente\n")
    assert messages(p, WHEN) == [
        "t.csv:2: error: debut: expected a date, found '31/02/2021': there is no day 31 in month 2 of 2021; "
        "correct it (as 2021-06-22 or 22/06/2021)",
        "t.csv:3: error: debut: expected a date, found '2021-13-01': there is no month 13; "
        "correct it (as 2021-06-22 or 22/06/2021)",
    ]
    # the same rule in a date column
    p = write(tmp_path, "categorie,nombre,montant,date\nCPAS,1,2,29/02/21\n")
    assert messages(p) == ["t.csv:2: error: date: expected a date, found '29/02/21': there is no day 29 in "
                           "month 2 of 2021; correct it (as 2021-06-22 or 22/06/2021)"]


def test_a_date_cell_of_a_workbook_is_a_date_among_texts(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["marche", "debut"])
    ws.append(["A", dt.datetime(2021, 11, 30)])
    ws.append(["B", "A la notification"])
    wb.save(tmp_path / "t.xlsx")
    assert [r["debut"] for r in read_table(tmp_path / "t.xlsx", WHEN).rows] == [dt.date(2021, 11, 30),
                                                                               "A la notification"]


# ---------------------------------------------------------------- the column reader

REGISTRY = [Col("nom"), Col("categorie", choices=("CPAS", "Province")), Col("adresse", required=False),
            Col("nombre", "int", required=False), Col("depuis", "date")]
CELLS = {
    "nom": ["Dupont", " Lemaire ", "", "Total", "É. Noël"],
    "categorie": ["CPAS", "Province", " CPAS", "Commune", ""],
    "adresse": ["Rue Haute 3", "", "  ", "Place, 2"],
    "nombre": ["3", "1 234", "", "-", "x"],
    "depuis": ["2021-06-22", "22/06/2021", "2021-02-31", "3/2/21", ""],
}


def _outcome(path, **kw):
    from rapact_core import collect_todos

    with collect_todos() as todos:
        try:
            table = read_table(path, REGISTRY, **kw)
        except RapactError as exc:
            return [f.format() for f in exc.findings], [t.format() for t in todos]
    return (table.columns, tuple(table.rows), table.total), [t.format() for t in todos]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(*(st.sampled_from(CELLS[c.name]) for c in REGISTRY)), max_size=6),
       st.booleans())
def test_the_column_reader_reads_what_the_row_reader_reads(tmp_path_factory, rows, totals):
    import rapact_core.data as data

    lines = ["nom;categorie;adresse;nombre;depuis"] + [";".join(row) for row in rows]
    p = tmp_path_factory.mktemp("c") / "t.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fast = _outcome(p, totals=totals)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(data, "convert_columns", lambda *args: None)
        assert _outcome(p, totals=totals) == fast


def test_a_clean_file_is_read_column_by_column_and_reads_as_records(tmp_path):
    p = write(tmp_path, "nom;categorie;adresse;nombre;depuis\nDupont;CPAS;;3;2021-06-22\nNoël;Province;Rue 2;-;22/06/2021\n")
    table = read_table(p, REGISTRY)
    assert type(table.rows).__name__ == "Records"  # the column reader, not the row reader
    assert [(r.row, r["nom"], r["adresse"], r["nombre"], r["depuis"]) for r in table.rows] == [
        (2, "Dupont", None, 3, dt.date(2021, 6, 22)), (3, "Noël", "Rue 2", None, dt.date(2021, 6, 22))]
    assert table.values("depuis", "nom") == [(dt.date(2021, 6, 22), "Dupont"), (dt.date(2021, 6, 22), "Noël")]
    assert table.column("adresse") == [None, "Rue 2"] and table.column("nombre") == [3, None]
    # the row reader's table answers alike
    rows = read_table(write(tmp_path, "nom;categorie;adresse;nombre;depuis\nDupont;CPAS;;3;2021-06-22\n"
                                      "Noël;Province;Rue 2;;22/06/2021\n"), REGISTRY)
    assert type(rows.rows) is tuple
    assert rows.column("adresse") == [None, "Rue 2"] and rows.values("nom", "nombre") == [("Dupont", 3), ("Noël", MISSING)]
