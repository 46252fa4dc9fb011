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
