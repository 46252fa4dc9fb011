from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from rapact_core.formatting import format_value, normalise_spaces
from rapact_core.model import CellKind
from rapact_core.numbers import parse_decimal, parse_percent


@pytest.mark.parametrize("text,expected", [
    ("4753459.12", "4753459.12"), ("4 753 459,12", "4753459.12"), ("4\u202f753\u202f459,12\u00a0€", "4753459.12"),
    ("2.016.268,08 €", "2016268.08"), ("(3 299 312,71) €", "-3299312.71"), ("-942570.79", "-942570.79"),
    ("3.400.000", "3400000"), ("0", "0"),
])
def test_parse_french_and_machine_numbers(text, expected):
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "12 %", "--1", "1e5"])
def test_parse_rejects_non_numbers(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


def test_percent():
    assert parse_percent("14,36 %") == Decimal("0.1436")


@given(st.text())
def test_parse_never_raises_anything_but_valueerror(text):
    try:
        parse_decimal(text)
    except ValueError:
        pass


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_format_then_parse_round_trips(value):
    assert parse_decimal(format_value(value, CellKind.MONEY)) == value


def test_french_formats():
    assert normalise_spaces(format_value(Decimal("4753459.12"), CellKind.MONEY)) == "4 753 459,12 €"
    assert normalise_spaces(format_value(Decimal("0.1436"), CellKind.PERCENT)) == "14,36 %"
    assert normalise_spaces(format_value(Decimal("-3299312.71"), CellKind.MONEY, accounting=True)) == "(3 299 312,71) €"
    assert format_value(2021, CellKind.TEXT) == "2021"


@given(st.one_of(st.dates(), st.datetimes()), st.sampled_from(["fr_BE", "fr_FR", "nl_BE", "en_US"]))
def test_dates_are_written_as_babel_writes_them(value, locale):
    from babel.dates import format_date as babel_format_date

    from rapact_core.formatting import format_date, format_long_date

    assert format_date(value, locale) == babel_format_date(value, "dd/MM/yyyy", locale=locale)
    assert format_long_date(value, locale) == babel_format_date(value, "d MMMM yyyy", locale=locale)


def test_cell_text_a_cell_kind_overrides_the_column_kind():
    from rapact_core.formatting import cell_text
    from rapact_core.model import Cell, Column

    integer = Column("n", "2021", CellKind.INTEGER)
    money = Column("m", "Montant", CellKind.MONEY, decimals=0, unit=False, accounting=True)
    assert cell_text(Cell(1234), integer) == "1\u202f234"
    assert cell_text(Cell(Decimal("0.396"), kind=CellKind.PERCENT), integer) == "39,60\xa0%"
    assert cell_text(Cell(Decimal("-1234.5")), money) == "(1\u202f235)"
    # the column's decimals, unit and accounting are the column kind's: not the cell's own
    assert cell_text(Cell(Decimal("-0.309"), kind=CellKind.PERCENT), money) == "-30,90\xa0%"
    assert cell_text(Cell(Decimal("-1234.5"), kind=CellKind.MONEY), money) == "(1\u202f235)"  # same kind
    assert cell_text(Cell("n.c.", kind=CellKind.PERCENT), integer) == "n.c."
    # an absent figure prints the same dash in every table (formatting.ABSENT_TEXT)
    assert cell_text(Cell(None, kind=CellKind.PERCENT), integer) == "\u2013"


@pytest.mark.parametrize("ratio,decimals,locale,expected", [
    ("0.396", 1, "fr_BE", "+39,6\xa0%"), ("-0.309", 1, "fr_BE", "-30,9\xa0%"), ("0.14359", 2, "fr_BE", "+14,36\xa0%"),
    ("0.0004", 1, "fr_BE", "0,0\xa0%"), ("-0.0004", 1, "fr_BE", "0,0\xa0%"), ("12.5", 0, "fr_BE", "+1\u202f250\xa0%"),
    ("-0.309", 1, "sv_SE", "\u221230,9\xa0%"),  # Babel gives Swedish the typographic minus
])
def test_format_variation_signs_with_the_locales_symbols(ratio, decimals, locale, expected):
    from rapact_core.formatting import format_variation

    assert format_variation(Decimal(ratio), decimals, locale) == expected


def test_format_variation_of_nothing_and_of_a_figure_to_fill_in():
    from rapact_core.formatting import format_variation
    from rapact_core.missing import MISSING

    assert format_variation(None) == "" and format_variation(MISSING) == "à compléter"
