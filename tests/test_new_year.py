"""Next year's report: new-year, previous-year figures linked, the editor's to-do list."""

import csv
import re

import pytest
from click.testing import CliRunner

from rapact_core import testing
from rapact_core.cli import main
from rapact_core import model as m
from rapact_core.missing import MISSING


def run(*args):
    return CliRunner().invoke(main, list(args))


def rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def write_rows(path, table):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(table)


@pytest.fixture
def year_2022(report_copy, monkeypatch):
    monkeypatch.chdir(report_copy)
    result = run("new-year", "2022")
    assert result.exit_code == 0, result.output
    data = report_copy / "reports" / "2022" / "data" / "finance"
    # the test fills in 2022's revenue by solution (2021 + 10 000 each) and every plain P&L line but taxes
    revenue = rows(data / "revenue_by_solution.csv")
    r2021 = {r[0]: r[1] for r in rows(report_copy / "reports/2021/data/finance/revenue_by_solution.csv")[1:]}
    write_rows(data / "revenue_by_solution.csv",
               [revenue[0]] + [[r[0], f"{float(r2021[r[0]]) + 10000:.2f}", ""] for r in revenue[1:]])
    pnl = rows(data / "pnl.csv")
    p2021 = {r[0]: r[4] for r in rows(report_copy / "reports/2021/data/finance/pnl.csv")[1:]}
    write_rows(data / "pnl.csv", [pnl[0]] + [
        r if (r[3] or r[0] == "impots") else r[:4] + [p2021[r[0]]] for r in pnl[1:]])
    return report_copy


def test_new_year_copies_config_texts_and_reference_lists(year_2022):
    folder = year_2022 / "reports" / "2022"
    config = (folder / "rapact.toml").read_text(encoding="utf-8")
    assert "year = 2022" in config and 'reference = "RAPACT2022-V1.0"' in config
    assert (folder / "texts" / "comptes.md").read_text(encoding="utf-8") == \
        (year_2022 / "reports/2021/texts/comptes.md").read_text(encoding="utf-8")
    assert rows(folder / "data/products/catalogue.csv") == rows(year_2022 / "reports/2021/data/products/catalogue.csv")
    assert rows(folder / "data/governance/administrators.csv")[1][0] == "Marc Barvais"
    # yearly figures: headers and labels, no figures
    cats = rows(folder / "data/members/categories.csv")
    assert cats[0] == ["categorie", "nombre"] and cats[1] == ["Commune et Ville", ""]
    assert rows(folder / "data/members/new_members.csv") == [["numero", "categorie", "nom", "adresse"]]
    assert rows(folder / "data/products/new_clients.csv")[0] == ["produit", "2022"]


def test_previous_year_columns_come_from_the_previous_years_data(year_2022):
    result = run("build", "--year", "2022", "--output", "out")
    assert result.exit_code == 0, result.output
    for text in (testing.docx_text(year_2022 / "out/rapport-activites-2022.docx").replace(" | ", " "),
                 testing.pdf_text(year_2022 / "out/rapport-activites-2022.pdf")):
        text = re.sub(r"\s+", " ", text)
        # revenue 2022 = 2021 + 15 × 10 000 = 4 903 459,12; N-1 = 2021's 4 753 459,12; +150 000,00; +3,16 %
        assert "Chiffre d'affaires 4 903 459,12 € 4 753 459,12 € 150 000,00 € 3,16 %" in text
        assert "Le chiffre d'affaires pour 2022 s'établit à 4 903 459,12 € en progression de 3,16 %" in text
        assert "à compléter" in text  # the draft shows what is missing


def test_the_to_do_list_names_exactly_what_was_left_empty(year_2022):
    result = run("check", "--year", "2022")
    assert result.exit_code == 0, result.output
    todos = [line for line in result.output.splitlines() if ": todo: " in line]
    finance = sorted(t for t in todos if "/finance/" in t)
    assert finance == sorted(
        ["reports/2022/data/finance/pnl.csv:19: todo: fill in n for impots"]
        + [f"reports/2022/data/finance/analytic.csv:{n}: todo: fill in n, budget for {code}" for n, code in (
            (3, "productions_immobilisees"), (4, "charges_personnel"), (5, "sous_traitance_hebergement"),
            (7, "frais_batiment"), (8, "frais_generaux"), (9, "frais_generaux_legaux"),
            (10, "prestations_immobilisations"), (11, "marketing_communication"), (12, "jetons_presence"),
            (13, "divers_taxes"), (14, "consommation_subsides"), (15, "subsides_accordes"), (17, "amortissements"),
            (19, "charges_dettes"), (20, "impots"))])
    files = {t.split(":")[0] for t in todos}
    assert "reports/2022/data/finance/revenue_by_solution.csv" not in files
    assert {"reports/2022/data/members/categories.csv", "reports/2022/data/members/new_members.csv",
            "reports/2022/data/governance/staff.csv", "reports/2022/data/members/members.yaml",
            "reports/2022/data/procurement/contracts.csv"} <= files
    strict = run("build", "--year", "2022", "--strict", "--output", "out")
    assert strict.exit_code == 1 and "impots" in strict.output


def test_changing_a_2021_figure_changes_the_2022_previous_year_column(year_2022):
    path = year_2022 / "reports/2021/data/finance/revenue_by_solution.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("iA.Délib,1182708.47,", "iA.Délib,1182808.47,"),
                    encoding="utf-8")
    result = run("build", "--year", "2022", "--format", "docx", "--output", "out")
    assert result.exit_code == 0, result.output
    text = re.sub(r"\s+", " ", testing.docx_text(year_2022 / "out/rapport-activites-2022.docx").replace(" | ", " "))
    assert "Chiffre d'affaires 4 903 459,12 € 4 753 559,12 € 149 900,00 € 3,15 %" in text


def test_a_figure_is_held_once(report_copy, monkeypatch):
    monkeypatch.chdir(report_copy)
    staff = report_copy / "reports/2021/data/governance/staff.csv"
    staff.write_text("annee,effectif\n2020,41\n2021,45\n", encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1
    assert "reports/2020/data/governance/staff.csv:10: error: annee: year 2020 is also given in " \
           "reports/2021/data/governance/staff.csv (row 2)" in result.output


def test_the_draft_shows_a_compléter_where_nothing_is_listed_yet(year_2022):
    """No meeting, attendance column or contract listed yet: no "0" where the data is not there."""
    result = testing.build_result(year_2022 / "reports" / "2022" / "rapact.toml", bundled=True)
    doc = result.document
    meetings = testing.table_rows(doc, "governance-meetings")
    assert meetings[1][:2] == ["Assemblée Générale", "à compléter"] and meetings[-1][:2] == ["Total", "à compléter"]
    attendance = testing.table_rows(doc, "governance-attendance")
    assert attendance[-1] == ["Présences", "à compléter", "à compléter"]
    assert all(row[-2:] == ["à compléter", "à compléter"] for row in attendance[2:-1])
    assert "organisé à compléter assemblées générales ordinaires et à compléter assemblée" in \
        testing.paragraph(doc, "assemblées générales ordinaires")
    assert testing.table_rows(doc, "procurement-contracts")[-1][-1] == "à compléter"
    assert testing.table_rows(doc, "procurement-small")[-1][-1] == "à compléter"
    # the province chart keeps its gaps: no figure is drawn as 0
    chart = testing.figure(doc, "members-provinces-chart").chart
    assert all(v is MISSING for s in chart.series for v in s.values)
    # the staff taken on the year before comes from the data: 2021's 4, not the 6 of 2020 the text typed
    items = [m.plain_text(i.content) for b in doc.blocks() if isinstance(b, m.ListBlock) for i in b.items]
    assert any("de 4 ETP en 2021 et à compléter ETP en 2022" in i for i in items)
    todos = [f.format() for f in result.findings if f.level.value == "todo"]
    assert any(t.startswith("reports/2022/data/governance/attendance.csv:1: todo: add one column per board meeting")
               for t in todos)
