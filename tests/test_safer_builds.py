"""Builds that cannot mislead: a partial build names its files, a file of another format left
from an earlier build is named, the summary says what was written and what needs a decision."""

import hashlib
import os
import time

from click.testing import CliRunner

from rapact_core import testing
from rapact_core.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args))


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_build_with_chapters_left_out_says_so_in_its_name(report_copy, monkeypatch):
    monkeypatch.chdir(report_copy)
    assert run("build", "-f", "docx").exit_code == 0
    full = report_copy / "output" / "rapport-activites-2021.docx"
    before = digest(full)
    result = run("build", "-f", "docx", "--disable", "annexes")
    assert result.exit_code == 0, result.output
    partial = report_copy / "output" / "rapport-activites-2021-sans-annexes.docx"
    assert f"wrote {os.path.join('output', partial.name)}" in result.output
    assert digest(full) == before  # the full report is not overwritten by the partial one
    assert "Registre des associés" in testing.docx_text(full)
    assert "Registre des associés" not in testing.docx_text(partial)
    named = run("build", "-f", "docx", "--disable", "annexes", "--output-name", "essai")
    assert named.exit_code == 0 and (report_copy / "output" / "essai.docx").is_file()
    bad = run("build", "-f", "docx", "--output-name", "../ailleurs")
    assert bad.exit_code == 2 and "must be a plain file name" in bad.output


def test_a_file_of_a_format_not_rebuilt_is_named_by_the_build_and_by_check(report_copy, monkeypatch):
    monkeypatch.chdir(report_copy)
    assert run("build", "-f", "pdf").exit_code == 0
    pdf = report_copy / "output" / "rapport-activites-2021.pdf"
    old = time.time() - 3600
    os.utime(pdf, (old, old))  # built an hour ago
    text = next((report_copy / "reports" / "2021" / "texts").glob("*.md"))
    os.utime(text)  # and a text changed since (a copy keeps the checkout's times, which may be older)
    result = run("build", "-f", "docx")
    assert result.exit_code == 0
    assert "output/rapport-activites-2021.pdf was not rebuilt: it is from an earlier build" in result.output
    assert pdf.is_file()  # left where it is: it may be the edition already sent; the build says so
    check = run("check", "--no-spelling")
    lines = check.output.splitlines()
    at = lines.index("output/rapport-activites-2021.pdf: warning: this PDF was built before the last change to "
                     "the data, the texts or the configuration: it does not show them")
    assert "rapact build --format pdf" in lines[at + 1]
    assert "rapport-activites-2021.docx: warning" not in check.output  # the DOCX is up to date


def test_the_summary_says_the_report_was_written_and_what_needs_a_decision(report_copy, monkeypatch):
    monkeypatch.chdir(report_copy)
    result = run("build", "-f", "html")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == f"wrote {os.path.join('output', 'rapport-activites-2021.html')}"
    assert "The report was written." in lines
    assert ("9 points need a decision (figures that disagree, numbers typed by hand): `rapact check` lists "
            "them, with what to do, and checks the spelling.") in lines
    assert not any("to complete" in line for line in lines)  # 2021 is complete


def test_the_summary_speaks_french_to_the_editor_of_2021(report_copy, monkeypatch, french):
    # what the editor reads by default: the 2021 report's locale is fr_BE
    monkeypatch.chdir(report_copy)
    result = run("build", "-f", "html")
    assert result.exit_code == 0
    lines = [line.replace("\u00a0", " ") for line in result.output.splitlines()]
    assert lines[0] == f"écrit : {os.path.join('output', 'rapport-activites-2021.html')}"
    assert "Le rapport a été généré." in lines
    assert ("9 points demandent une décision (chiffres en désaccord, chiffres saisis à la main) : `rapact check` "
            "les liste, avec ce qu'il faut faire, et vérifie l'orthographe.") in lines
    assert not any("à compléter" in line for line in lines)
