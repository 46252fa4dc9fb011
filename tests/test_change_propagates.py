"""Change one input amount: every dependent figure follows, in the DOCX and the PDF."""

import re

from click.testing import CliRunner

from rapact_core import testing
from rapact_core.cli import main


def build(folder):
    result = CliRunner().invoke(main, ["build", "--config", str(folder / "rapact.toml"), "--output",
                                       str(folder / "out")])
    assert result.exit_code == 0, result.output
    docx = re.sub(r"\s+", " ", testing.docx_text(folder / "out" / "rapport-activites-2021.docx").replace(" | ", " "))
    pdf = re.sub(r"\s+", " ", testing.pdf_text(folder / "out" / "rapport-activites-2021.pdf"))
    return docx, pdf


def test_one_revenue_amount_changes_totals_rates_facts_and_prose(report_copy):
    path = report_copy / "reports" / "2021" / "data" / "finance" / "revenue_by_solution.csv"
    text = path.read_text(encoding="utf-8")
    # iA.Délib 2021: 1 182 708,47 → 1 282 708,47 (+100 000,00)
    path.write_text(text.replace("iA.Délib,1182708.47,", "iA.Délib,1282708.47,"), encoding="utf-8")
    docx, pdf = build(report_copy)
    for text in (docx, pdf):
        # revenue by solution total, P&L revenue, 7.1 sentence with the growth rate
        assert "4 853 459,12 €" in text
        assert "Le chiffre d'affaires pour 2021 s'établit à 4 853 459,12 € en progression de 16,77 %" in text
        # the P&L: revenue, total operating income, EBE, operating profit, net profit, all recomputed
        assert "4 853 459,12 € 4 156 575,94 € 696 883,18 € 16,77 %" in text
        assert "5 329 360,64" in text          # total des produits d'exploitation
        assert "252 762,12" in text            # bénéfice de l'exercice
        # the analytic grouping and the budget follow the P&L
        assert "911 683,60 €" in text          # marge s/ activité
        assert "113,7 %" in text                # budget achievement: 4 853 459,12 / 4 270 000
    # the stated figures of the source now disagree with the data: the check says so
    result = CliRunner().invoke(main, ["check", "--config", str(report_copy / "rapact.toml")])
    assert "pnl.csv:2: warning: Chiffre d'affaires: n is typed as 4 753 459,12 €, but its lines add up to " \
           "4 853 459,12 €; the report prints 4 853 459,12 €" \
        in result.output.replace("\u202f", " ").replace("\u00a0", " ")
