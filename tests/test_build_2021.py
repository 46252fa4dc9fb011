"""End to end: build the 2021 report with the CLI and read the DOCX and PDF back."""

import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from rapact_core import testing
from rapact_core.cli import main

from conftest import ROOT, build_2021

CHAPTERS = [
    "1 Avant-propos.", "2 Le mot du président.", "3 iMio en quelques mots.",
    "4 Participation des Pouvoirs locaux au modèle proposé par iMio.", "5 Structure de l'intercommunale.",
    "6 Activités réalisées en 2021.", "7 Comptes temporaires 2021.", "8 Annexes :",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    build_2021(out)
    return out


def docx_headings(path):
    """The headings with the numbers Word gives them (list numbering, not typed text)."""
    return testing.docx_headings(path)


def test_outputs_exist(built):
    assert (built / "rapport-activites-2021.docx").stat().st_size > 10_000
    assert (built / "rapport-activites-2021.pdf").read_bytes().startswith(b"%PDF")


def test_docx_chapters_in_source_order(built):
    heads = [h for h in docx_headings(built / "rapport-activites-2021.docx") if re.match(r"^\d+ ", h)]
    assert heads == CHAPTERS


def test_pdf_chapters_in_source_order(built):
    from pypdf import PdfReader

    reader = PdfReader(str(built / "rapport-activites-2021.pdf"))
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert [t for t in outline if re.match(r"^\d+ ", t)] == CHAPTERS
    text = testing.pdf_text(built / "rapport-activites-2021.pdf")
    positions = [text.find(c.split(" ", 1)[1].rstrip(".:")) for c in CHAPTERS]
    assert all(p >= 0 for p in positions)


def test_facts_appear_in_both_outputs(built):
    for text in (testing.docx_text(built / "rapport-activites-2021.docx"),
                 testing.pdf_text(built / "rapport-activites-2021.pdf")):
        assert "362 Pouvoirs locaux ont décidé de nous faire confiance" in re.sub(r"\s+", " ", text)
        assert "4 753 459,12 € en progression de 14,36 %" in re.sub(r"\s+", " ", text)
        assert "366 Pouvoirs" not in text


def find_table(tables, first_row_start):
    for t in tables:
        if t and t[0][: len(first_row_start)] == first_row_start:
            return t
    raise AssertionError(f"no table starting with {first_row_start}")


def test_docx_tables_cell_by_cell(built):
    tables = testing.docx_tables(built / "rapport-activites-2021.docx")
    cats = find_table(tables, ["Catégorie de membres", "Nbr"])
    assert cats[1:] == [["Commune et Ville", "234"], ["Province", "3"], ["CPAS", "90"], ["Zone de Police", "8"],
                        ["Zone de secours", "10"], ["Intercommunales", "11"], ["RCA", "6"], ["TOTAL", "362"]]
    pnl = find_table(tables, ["", "2021", "2020"])
    assert pnl[1] == ["Chiffre d'affaires", "4 753 459,12 €", "4 156 575,94 €", "596 883,18 €", "14,36 %"]
    assert pnl[-1] == ["Bénéfice de l'exercice", "152 762,12 €", "89 696,33 €", "63 065,79 €", "70,31 %"]
    revenue = find_table(tables, ["Solutions", "2021", "2020"])
    assert revenue[-1] == ["Total", "4 753 459,12 €", "4 156 575,94 €", "14,36 %"]
    staff = find_table(tables, ["Année", "Effectif 31/12", "Croissance"])
    assert staff[-1] == ["2021", "45", "4"]


def test_disable_removes_a_chapter_from_both_outputs(tmp_path):
    build_2021(tmp_path, "--disable", "comptes")
    # the files say which chapter they leave out: the full report is never overwritten by a partial one
    assert not (tmp_path / "rapport-activites-2021.docx").exists()
    heads = docx_headings(tmp_path / "rapport-activites-2021-sans-comptes.docx")
    assert not any("Comptes temporaires" in h for h in heads)
    assert "7 Annexes :" in heads
    assert "Comptes temporaires" not in testing.pdf_text(tmp_path / "rapport-activites-2021-sans-comptes.pdf")


def test_disable_in_the_config_file(report_copy):
    cfg = report_copy / "reports" / "2021" / "rapact.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('id = "structure"\n', 'id = "structure"\nenabled = false\n'),
                   encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--config", str(cfg), "--output", str(report_copy / "out")])
    assert result.exit_code == 0, result.output
    assert "Structure de l'intercommunale" not in testing.docx_text(report_copy / "out" / "rapport-activites-2021.docx")
    assert "Structure de l'intercommunale" not in testing.pdf_text(report_copy / "out" / "rapport-activites-2021.pdf")


def test_unknown_disable_lists_valid_chapters(tmp_path):
    result = CliRunner().invoke(main, ["build", "--config", str(ROOT / "rapact.toml"), "--output", str(tmp_path),
                                       "--disable", "nope"])
    assert result.exit_code == 3
    assert "unknown chapter 'nope' in --disable; valid chapters: activites, annexes" in result.output
    assert "Traceback" not in result.output


def test_check_lists_findings_and_exits_zero_on_warnings():
    result = CliRunner().invoke(main, ["check", "--config", str(ROOT / "rapact.toml")])
    assert result.exit_code == 0
    assert re.search(r"new_clients\.csv:11: warning: new clients per year: .*221 in column 2012.*66", result.output)


def test_plugins_lists_chapters_in_order():
    result = CliRunner().invoke(main, ["plugins", "--config", str(ROOT / "rapact.toml")])
    assert result.exit_code == 0
    order = re.findall(r"^\s+\d+\. (\S+)", result.output, re.M)
    assert order == ["avant-propos", "mot-du-president", "toc", "presentation", "participation", "structure",
                     "activites", "comptes", "annexes"]


def test_every_command_has_help():
    for args in (["--help"], ["build", "--help"], ["check", "--help"], ["plugins", "--help"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0 and "Usage:" in result.output


def test_module_entry_point_runs():
    proc = subprocess.run([sys.executable, "-m", "rapact_core", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "build" in proc.stdout


def test_check_lists_the_facts():
    result = CliRunner().invoke(main, ["check", "--facts", "--config", str(ROOT / "rapact.toml")])
    assert result.exit_code == 0
    assert "  members.total = 362" in result.output
    assert "  finance.revenue = 4 753 459,12 €" in result.output
