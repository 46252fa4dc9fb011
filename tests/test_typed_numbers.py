"""Numbers typed by hand in the narrative: found at their line, what is no figure left alone."""

import pytest
from click.testing import CliRunner

from rapact_core import testing
from rapact_core.cli import main
from rapact_core.typed_numbers import typed_numbers

from conftest import ROOT


def found(text: str, year: int = 2021) -> list[str]:
    return [t.text for t in typed_numbers(text, year)]


@pytest.mark.parametrize("text, numbers", [
    ("de 6 ETP en {{ report.year - 1 }}", ["6"]),
    ("basé à 100% sur la prestation", ["100%"]),
    ("Liste des marchés < 30 000 €", ["30 000"]),
    ("un total de 4 753 459,12 € et 14,36 %", ["4 753 459,12", "14,36 %"]),
    ("à l'horizon 2021.", ["2021"]),  # the report's year moves on: {{ report.year }} or text
    ("pour les années 2022 et 2023", ["2023"]),
    ("en 2020, puis en 2024", ["2020"]),  # the year before the report moves on too; 2024 is not next to it
])
def test_figures_typed_by_hand_are_found(text, numbers):
    assert found(text) == numbers


@pytest.mark.parametrize("text", [
    "Au 31/12/{{ report.year }}, nous avons {{ products.in_production }} solutions",  # a date, placeholders
    "la loi du 17 juin 2016 relative aux marchés publics",  # a legal reference's date
    "le décret du 17 juin 2016 et l'article 12, alinéa 3, § 2, n° 45, directive 2016/2102",
    "Créée en 2012, la DPR 2010-2014 ; les années 90 et les années 2000",  # dates of the past
    "Rue Léon Morel, 1 - 5032 Isnes",  # a house number and a postal code
    "Tel 0032(81)586.100",
    "Fax : +32 81 58 61 29",
    "1. Mutualiser les besoins ;",  # an ordinal list marker
    "  12) un point",
    "le 1er trimestre, la 3e fois, la 2ème version",
    "Plone5, GPL2, DGO5, e-Atal v6",  # digits within names
    "la version 15 du framework Odoo, release 2, version 1.2.3",
    "Email: [contact@imio.be](mailto:contact@imio.be) [site](https://www.imio.be/page2021)",
    "autour de {{ \"7\"|texte }} piliers",  # confirmed as text
    "{% if report.year > 2020 %}récent{% endif %}",
])
def test_what_is_no_figure_is_not_reported(text):
    assert found(text) == []


def test_the_line_is_the_line_of_the_source():
    [typed] = typed_numbers("Titre\n\n{{ x }}\nIl y a eu 9 conseils.\n", 2021)
    assert (typed.line, typed.text) == (4, "9")


def test_the_2021_texts_hold_no_number_typed_by_hand():
    result = testing.build_result(ROOT / "rapact.toml", bundled=True)
    assert [f.format() for f in result.findings if "typed by hand" in f.message] == []
    # the typed figures of the source are facts now, printing what the source printed
    f = result.facts
    assert f["governance.recruited_previous"].value == 6  # "6 ETP en 2020": 41 - 35 in the staff history
    doc = result.document
    assert "de 6 ETP en 2020 et 4 ETP en 2021" in testing.paragraph(doc, "ETP en 2020")
    assert "une soixantaine de solutions déjà commandées" in testing.paragraph(doc, "déjà commandées")  # 66
    twice = testing.paragraphs(doc, "une dizaine de migrations de Site internet")  # 10, in 4.2 and 6.6.1
    assert len(twice) == 2
    assert "autour de 7 piliers" in testing.paragraph(doc, "piliers")
    assert testing.paragraph(doc, "Liste des marchés <") == "Liste des marchés < 30 000 €"  # the threshold


def test_check_names_a_typed_number_with_the_chapter_the_sentence_and_what_to_do(report_copy):
    text = report_copy / "reports" / "2021" / "texts" / "structure.md"
    text.write_text(text.read_text(encoding="utf-8").replace(
        "Il y a eu en {{ report.year }} :", "Il y a eu en {{ report.year }} 9 Conseils d'administration :"),
        encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-spelling", "--config", str(report_copy / "rapact.toml")])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    at = next(i for i, line in enumerate(lines) if "typed by hand" in line)
    assert lines[at].endswith("reports/2021/texts/structure.md:13: warning: number typed by hand: 9")
    assert lines[at + 1] == ("    in the report: chapter 5 “Structure de l'intercommunale”, 5.2 “Taux de participation "
                             "des administrateurs aux organes de gestion de l'Intercommunale iMio en 2021”: "
                             "“Il y a eu en {{ report.year }} 9 Conseils d'administration :”")
    assert lines[at + 2].startswith("    what to do: link it to a figure of the data") \
        and '{{ "9"|texte }}' in lines[at + 2]


def test_a_number_carried_over_to_next_year_is_on_the_to_do_list(report_copy, monkeypatch):
    text = report_copy / "reports" / "2021" / "texts" / "mot-du-president.md"
    text.write_text(text.read_text(encoding="utf-8").replace('{{ "7"|texte }} piliers', "7 piliers"),
                    encoding="utf-8")
    monkeypatch.chdir(report_copy)
    assert CliRunner().invoke(main, ["new-year", "2022"]).exit_code == 0
    draft = report_copy / "reports" / "2022" / "texts" / "mot-du-president.md"
    draft.write_text(draft.read_text(encoding="utf-8") + "\nNous avons lancé 12 projets.\n", encoding="utf-8")
    result = testing.build_result(report_copy / "reports" / "2022" / "rapact.toml", bundled=True)
    carried = [f for f in result.findings if "carried over" in f.message]
    assert [(f.level.value, f.line, f.message) for f in carried] == [
        ("todo", 9, "figure typed by hand in last year's text, carried over: 7")]
    new = [f for f in result.findings if f.message == "number typed by hand: 12"]
    assert [f.level.value for f in new] == ["warning"]  # written this year: a warning, as in 2021
