"""The 2021 report at model level: every plugin's figures against the source."""

import datetime as dt
import re

import pytest

from rapact_core import testing
from rapact_core.formatting import normalise_spaces

from conftest import ROOT


@pytest.fixture(scope="module")
def result():
    return testing.build_result(ROOT / "rapact.toml", bundled=True)


def test_chapters_in_source_order(result):
    heads = [h for h in testing.headings(result.document) if h[0].isdigit() and " " in h and "." not in h.split()[0]]
    assert heads == [
        "1 Avant-propos.", "2 Le mot du président.", "3 iMio en quelques mots.",
        "4 Participation des Pouvoirs locaux au modèle proposé par iMio.", "5 Structure de l'intercommunale.",
        "6 Activités réalisées en 2021.", "7 Comptes temporaires 2021.", "8 Annexes :",
    ]
    assert "6.6.7.1 Introduction" in testing.headings(result.document)


def test_members_tables(result):
    doc = result.document
    assert testing.table_rows(doc, "members-categories")[-1] == ["TOTAL", "362"]
    pop = testing.table_rows(doc, "members-population")
    assert pop[1] == ["0 à 5.000", "54", "62", "8", "87 %"]
    assert pop[-1] == ["Total général", "234", "262", "28", "89 %"]
    prov = testing.table_rows(doc, "members-provinces")
    assert prov[2] == ["Province de Liège", "71", "84", "13", "85 %"]
    assert len(testing.table_rows(doc, "members-new")) == 31


def test_products_tables(result):
    doc = result.document
    assert testing.table_rows(doc, "products-solutions")[-1] == ["Total", "896", "151", "66"]
    assert testing.table_rows(doc, "products-orders")[-1] == ["Total général", "237"]
    new = testing.table_rows(doc, "products-new-clients")
    assert new[0][1:] == [str(y) for y in range(2012, 2022)]
    # computed from the lines: the source's 2012 total (221) is a typing error reported by the check
    assert new[-1] == ["Total", "66", "44", "59", "66", "66", "84", "91", "59", "73", "125"]
    assert testing.table_rows(doc, "products-requests")[-1] == ["Total", "1 153", "182", "1 858", "1 957", "5 150"]
    assert testing.table_rows(doc, "products-internal")[-1][-1] == "5 411"
    assert testing.table_rows(doc, "products-installations")[-1] == ["Total", "113"]


def test_governance_tables(result):
    doc = result.document
    admins = testing.table_rows(doc, "governance-administrators")
    assert admins[1] == ["Marc Barvais", "AC Mons", "OUI", "OUI", "NON", "NON", "01/01/2012"]
    att = testing.table_rows(doc, "governance-attendance")
    assert att[0][1] == "23/02/21" and att[0][9] == "(sans date)"
    assert att[8][0] == "Benoît Dispa" and att[8][-2:] == ["3", "33 %"]
    staff = testing.table_rows(doc, "governance-staff")
    assert staff[-1] == ["2021", "45", "4"] and staff[1] == ["2012", "12", "\u2013"]


def test_procurement_tables(result):
    doc = result.document
    contracts = testing.table_rows(doc, "procurement-contracts")
    assert ["Solution d'hébergement pour nos applications", "Lot 1", "OVH CLOUD", "27/04/2021", "26/07/2021", "7 ans à dater de la notification",
            "2 016 268,08 €"] in contracts
    # a start or an end of mission is a typed date, printed one way, or a text kept as it is
    table = testing.table(doc, "procurement-contracts")
    starts = [r.cells[4].value for r in table.body]
    assert dt.date(2022, 2, 3) in starts and dt.date(2021, 7, 26) in starts and "En attente avis tutelle" in starts
    assert {type(v) for r in table.body for v in (r.cells[4].value, r.cells[5].value)} == {dt.date, str}
    printed = [row[4] for row in contracts[1:-1]]  # the body: the total row spans the columns
    assert "03/02/2022" in printed and "26/07/21" not in printed and "3/02/22" not in printed
    assert [row[5] for row in contracts[1:-1]].count("48 mois à dater de la notification") == 8
    # the data file writes its dates one way
    import csv

    with open(ROOT / "reports/2021/data/procurement/contracts.csv", encoding="utf-8") as f:
        cells = [r[k] for r in csv.DictReader(f) for k in ("debut", "fin")]
    assert not [c for c in cells if "/" in c and any(ch.isdigit() for ch in c.split("/")[0])]
    assert len([c for c in cells if re.fullmatch(r"\d{4}-\d{2}-\d{2}", c)]) == 10
    small = testing.table_rows(doc, "procurement-small")
    assert small[-2][-2:] == ["107 887,37 €", "54 603,59 €"]
    assert small[-1][-1] == "162 490,96 €"


def test_finance_tables(result):
    doc = result.document
    pnl = testing.table_rows(doc, "finance-pnl")
    # every money column: the € sign, and the report's convention for negatives (minus, by default)
    assert pnl[1] == ["Chiffre d'affaires", "4 753 459,12 €", "4 156 575,94 €", "596 883,18 €", "14,36 %"]
    assert pnl[3] == ["Productions immobilisées", "300 107,98 €", "0,00 €", "300 107,98 €", "\u2013"]
    assert pnl[6] == ["Approvisionnements", "-942 570,79 €", "-940 055,46 €", "2 515,33 €", "0,27 %"]
    assert pnl[12] == ["Réduction de valeur", "-9 000,00 €", "2 700,00 €", "11 700,00 €", "\u2013"]
    assert pnl[-1] == ["Bénéfice de l'exercice", "152 762,12 €", "89 696,33 €", "63 065,79 €", "70,31 %"]
    analytic = testing.table_rows(doc, "finance-analytic")
    # the same 2020 figure as the P&L's, printed the same way; an absent one is a dash
    assert analytic[2] == ["Productions immobilisées", "300 107,98 €", "0,00 €", "\u2013"]
    assert analytic[9] == ["Prestations pour immobilisations", "-225 042,99 €", "\u2013", "\u2013"]
    assert analytic[3] == ["Ensemble des charges en personnel", "-3 299 312,71 €", "-2 885 099,46 €", "14,4 %"]
    assert analytic[5] == ["Marge S/ activité", "811 683,60 €", "331 421,02 €", "144,9 %"]
    assert analytic[15] == ["EBITDA - Analytique", "335 448,83 €", "272 044,16 €", "23,3 %"]
    revenue = testing.table_rows(doc, "finance-revenue")
    assert revenue[1] == ["iA.Délib", "1 182 708,47 €", "1 030 404,13 €", "14,78 %"]
    assert revenue[-1] == ["Total", "4 753 459,12 €", "4 156 575,94 €", "14,36 %"]
    budget = testing.table_rows(doc, "finance-budget")
    assert budget[1] == ["Chiffre d'affaire", "4 270 000,00 €", "4 753 459,12 €", "11,3 %", "483 459,12 €"]
    assert budget[6] == ["Frais lié au bâtiment", "-100 000,00 €", "-72 702,39 €", "-27,3 %", "-27 297,61 €"]
    br = testing.table_rows(doc, "finance-budget-revenue")
    assert br[2] == ["iA.Tech", "755 000,00 €", "727 842,24 €", "-27 157,76 €", "-3,6 %"]
    assert br[-1] == ["Total", "4 270 000,00 €", "4 753 459,12 €", "483 459,12 €", "11,3 %"]


def test_facts(result):
    f = result.facts
    assert f["members.total"].value == 362
    assert f["members.communes"].value == 234
    assert f["products.new_implementations"].value == 161
    assert str(f["finance.revenue"].value) == "4753459.12"
    assert str(round(f["finance.revenue_growth"].value, 4)) == "0.1436"


def test_check_reports_the_sources_inconsistencies_one_finding_per_cause(result):
    findings = {f.file.rsplit("/", 1)[-1]: f for f in result.findings if f.file}
    assert all(not f.is_error for f in result.findings)
    # the 2021 source's inconsistencies, each once: about ten causes, not 35 lines
    assert len(result.findings) == 9, [f.message for f in result.findings]

    clients = normalise_spaces(findings["new_clients.csv"].format())
    assert clients.startswith("reports/2021/data/products/new_clients.csv:11: warning: new clients per year: "
                              "the Total row states 221 in column 2012, but the lines above it add up to 66")
    assert "in the report: chapter 4 “Participation des Pouvoirs locaux au modèle proposé par iMio”, 4.2 " \
           "“Solutions utilisées par nos membres”, table 8 “Nouveaux clients mis en production par produit et " \
           "par an”" in clients
    assert "what to do: " in clients

    # 9 columns of marks for 8 listed meetings: one finding listing the rows it shows in
    [grid] = [f for f in result.findings if f.file and f.file.endswith("attendance.csv") and f.line == 1]
    assert "9 columns of marks, but meetings.csv lists 8 board meeting dates" in grid.message
    assert "“sans_date”" in grid.message
    assert "line 2, Marc Barvais: 9 marks for 8 meetings listed; total typed 8, the marks add up to 9" in grid.items
    assert len(grid.items) == 17
    assert "table 12 “Participation aux conseils d'administration 2021”" in grid.where

    # the president's message stated 366 and 333 members: one place, one fact, one finding
    [stated] = [f for f in result.findings if f.file and f.file.endswith("stated.yaml")]
    assert stated.message.startswith("“2 Le mot du président” stated 366 and 333 for Membres ({{ members.total }}); "
                                     "the data gives 362")
    assert stated.items == ("line 2: 366", "line 5: 333")
    assert "reports/2021/texts/mot-du-president.md:3 (chapter 2 “Le mot du président”)" in stated.where
    # no internal keys or list indexes in what the editor reads
    for f in result.findings:
        text = f.format()
        assert "[0]" not in text and "members.total =" not in text


def test_narrative_numbers_come_from_facts(result):
    doc = result.document
    text = normalise_spaces("\n".join(
        "".join(getattr(i, "text", "") for i in b.content) for b in doc.blocks() if hasattr(b, "content")
        and isinstance(b.content, tuple)))
    assert "362 Pouvoirs locaux ont décidé de nous faire confiance" in text
    assert "366" not in text and "333 Pouvoirs" not in text
    assert "4 753 459,12 € en progression de 14,36 %" in text
