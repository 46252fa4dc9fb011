"""The French spelling check of `rapact check`: the 2021 source's typos, few false alarms."""

import pytest
from click.testing import CliRunner

from rapact_core import testing
from rapact_core.cli import main
from rapact_core.config import load_config
from rapact_core.spelling import Checker, _Collector, read_word_list, spelling_findings

from conftest import ROOT


@pytest.fixture(scope="module")
def findings_2021():
    config = load_config(ROOT / "rapact.toml")
    return spelling_findings(config, testing.build_result(ROOT / "rapact.toml", bundled=True))


def test_the_2021_source_typos_are_found_and_little_else(findings_2021):
    found = {(f.file.rsplit("/", 1)[-1] if f.file else None, f.line, f.message) for f in findings_2021}
    assert ("comptes.md", 65, "unknown word “Subsidés”: did you mean “Subsides”?") in found
    assert ("comptes.md", 77, "unknown word “EDITDA”") in found  # one letter from EBITDA, in its heading
    assert ("presentation.md", 155, "unknown word “crédation”: did you mean “création”?") in found
    assert ("activites.md", 100, "“Comme” starts an item of a list whose other items start with “Commune”") in found
    # and three more slips of the source, in a text and in the small contracts' descriptions
    assert ("activites.md", 284, "unknown word “infailibles”: did you mean “infaillibles”?") in found
    assert ("small_contracts.csv", 7, "unknown word “Comande”: did you mean “Commande”?") in found
    assert ("small_contracts.csv", 2, "unknown word “our”: did you mean “pour”?") in found
    assert len(findings_2021) == 7  # the report's words.txt holds its names and words of the trade


def test_a_finding_says_where_and_what_to_do(findings_2021):
    [typo] = [f for f in findings_2021 if "crédation" in f.message]
    assert typo.level.value == "warning"
    assert typo.where == "chapter 3 “iMio en quelques mots”, 3.9.4 “La co-crédation/production”"
    assert typo.items == ("also at reports/2021/texts/presentation.md:159",)
    assert "add it to words.txt" in typo.hint
    [table] = [f for f in findings_2021 if "Comande" in f.message]
    assert table.where == "chapter 6 “Activités réalisées en 2021”, table 15 “Liste des marchés < 30\u202f000\xa0€”"


def test_names_are_left_alone_and_sentence_starts_checked():
    checker = Checker(set(), set())
    collect = _Collector(checker)
    collect.text("Nous avons accompagné la Commune de Trooz et Jean-Marc Wautier chez iMio.", "t.md", 1, "")
    collect.text("Thierry Chapelle", "", None, "", sentence=None)  # a name in a table cell
    collect.text("Expansion Partners SA", "", None, "", sentence=None)
    collect.text("Comande d'une ligne graphique", "", None, "", sentence=None)  # a phrase in a cell
    collect.text("Le CPAS et l'EBITDA, l'EBITDA puis l'EDITDA.", "t.md", 2, "")  # EBITDA used twice: an acronym
    collect.text("Un Travail mal ortographié", "t.md", 3, "")
    collect.acronym_slips()
    assert sorted(collect.places) == ["comande", "editda", "ortographié"]


def test_the_word_list_silences_a_word(tmp_path):
    (tmp_path / "words.txt").write_text("# names\nortographié\nQuaive\n", encoding="utf-8")
    any_case, exact = read_word_list(tmp_path / "words.txt")
    checker = Checker(any_case, exact)
    assert checker.known("ortographié") and checker.known("Ortographié") and checker.known("ortographiés")
    assert checker.known("Quaive") and checker.known("QUAIVE") and not checker.known("quaive")


def test_check_prints_the_spelling_and_no_spelling_leaves_it_out(report_copy):
    config = str(report_copy / "rapact.toml")
    with_spelling = CliRunner().invoke(main, ["check", "--config", config])
    assert "unknown word “Subsidés”" in with_spelling.output
    without = CliRunner().invoke(main, ["check", "--no-spelling", "--config", config])
    assert "unknown word" not in without.output and without.exit_code == 0
    (report_copy / "reports" / "2021" / "texts" / "comptes.md").write_text(
        (report_copy / "reports" / "2021" / "texts" / "comptes.md").read_text(encoding="utf-8")
        .replace("Subsidés accordés", "Subsides accordés"), encoding="utf-8")
    fixed = CliRunner().invoke(main, ["check", "--config", config])
    assert "Subsidés" not in fixed.output
