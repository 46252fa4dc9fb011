"""The DOCX opens in LibreOffice, as in a user's office suite (skipped where LibreOffice is absent)."""

import shutil
import subprocess

import pytest
from click.testing import CliRunner

from rapact_core import testing
from rapact_core.cli import main

from conftest import ROOT

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
def test_libreoffice_converts_the_docx(tmp_path):
    result = CliRunner().invoke(main, ["build", "--config", str(ROOT / "rapact.toml"), "--output", str(tmp_path),
                                       "--format", "docx"])
    assert result.exit_code == 0, result.output
    profile = tmp_path / "lo-profile"
    proc = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(tmp_path / "lo"), str(tmp_path / "rapport-activites-2021.docx")],
                          capture_output=True, text=True, timeout=300)
    pdf = tmp_path / "lo" / "rapport-activites-2021.pdf"
    assert pdf.exists(), proc.stdout + proc.stderr  # LibreOffice exits 0 even when it cannot load a file
    from pypdf import PdfReader

    assert len(PdfReader(str(pdf)).pages) > 25
    text = testing.pdf_text(pdf)
    for heading in ("1 Avant-propos.", "4.1 Nos associés.", "7.15 Comparaison par rapport aux objectifs fixés."):
        assert heading in text
