"""The narrative's filters that keep prose natural: environ, variation, hausse_baisse, en_lettres, texte."""

from decimal import Decimal

import pytest

from rapact_core.errors import RapactError
from rapact_core.facts import FactStore, fact
from rapact_core.missing import MISSING
from rapact_core.model import CellKind
from rapact_core.narrative import render_template
from rapact_core.wording import approximately, in_words, rise_or_fall


def render(template: str, *facts) -> str:
    store = FactStore()
    store.publish("x", ("x",), list(facts))
    return render_template(template, file="t.md", facts=store.view(), year=2021, sections=lambda s: False)


@pytest.mark.parametrize("value, words", [
    (3, "trois"), (10, "une dizaine"), (12, "une douzaine"), (16, "une quinzaine"), (27, "une vingtaine"),
    (66, "une soixantaine"), (69, "une soixantaine"), (75, "plus de septante"), (161, "plus de 160"),
    (160, "environ 160"), (3_400_000, "environ 3\u202f400\u202f000"), (3_456_789, "plus de 3\u202f400\u202f000"),
])
def test_environ_rounds_down_into_words(value, words):
    assert approximately(value) == words


def test_environ_refuses_a_negative_count():
    with pytest.raises(ValueError, match="a count was expected"):
        approximately(-3)


@pytest.mark.parametrize("ratio, decimals, words", [
    ("-0.5795", 2, "une baisse de 57,95\xa0%"), ("0.1436", 2, "une hausse de 14,36\xa0%"),
    ("-0.5795", 0, "une baisse de 58\xa0%"), ("0.00001", 2, "une stabilité"),
])
def test_hausse_baisse_says_the_direction_in_words(ratio, decimals, words):
    assert rise_or_fall(Decimal(ratio), decimals) == words


@pytest.mark.parametrize("value, locale, words", [
    (362, "fr_BE", "trois cent soixante-deux"), (71, "fr_BE", "septante et un"), (91, "fr_BE", "nonante et un"),
    (77, "fr_BE", "septante-sept"), (80, "fr_BE", "quatre-vingts"), (71, "fr_FR", "soixante et onze"),
    (2021, "fr_BE", "deux mille vingt et un"),
])
def test_en_lettres_writes_belgian_french(value, locale, words):
    assert in_words(value, locale) == words


def test_the_filters_in_a_narrative():
    facts = [fact("x.on_order", 66), fact("x.growth", Decimal("0.143589"), CellKind.PERCENT, 2),
             fact("x.subsidies", Decimal("-0.57951"), CellKind.PERCENT, 2), fact("x.members", 362),
             fact("x.ag", 1), fact("x.todo", MISSING)]
    out = render("{{ x.on_order|environ }} de solutions ; {{ x.growth|variation }} ; {{ x.subsidies|hausse_baisse }} ; "
                 "{{ x.members|en_lettres }} ; {{ x.ag|en_lettres('f') }} assemblée ; {{ \"7\"|texte }} piliers ; "
                 "{{ x.todo|environ }}, {{ x.todo|hausse_baisse }}, {{ x.todo|en_lettres }}", *facts)
    assert out == ("une soixantaine de solutions ; +14,36\xa0% ; une baisse de 57,95\xa0% ; trois cent soixante-deux ; "
                   "une assemblée ; 7 piliers ; à compléter, à compléter, à compléter")


def test_variation_takes_the_facts_precision_unless_told():
    growth = fact("x.growth", Decimal("0.143589"), CellKind.PERCENT, 2)
    assert render("{{ x.growth|variation }} {{ x.growth|variation(1) }}", growth) == "+14,36\xa0% +14,4\xa0%"


def test_en_lettres_refuses_an_unknown_gender_at_its_line():
    with pytest.raises(RapactError, match="en_lettres: genre 'm' or 'f' expected") as info:
        render("a\n{{ x.n|en_lettres('x') }}", fact("x.n", 2))
    assert info.value.findings[0].line == 2
