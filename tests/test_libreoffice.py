"""The DOCX in LibreOffice, as in a user's office suite: the same numbers as the PDF, its own fonts,
a table of contents LibreOffice can fill in (skipped where LibreOffice is absent: apt-get install
libreoffice-writer-nogui poppler-utils python3-uno)."""

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from rapact_core import testing
from rapact_core.render import fonts

from conftest import ROOT, build_2021

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFFONTS = shutil.which("pdffonts")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed "
                                "(apt-get install libreoffice-writer-nogui)")
NAME = "rapport-activites-2021"


def convert(docx: Path, outdir: Path, profile: Path, env=None) -> Path:
    proc = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(outdir), str(docx)], capture_output=True, text=True, timeout=300, env=env)
    pdf = outdir / (docx.stem + ".pdf")
    assert pdf.exists(), proc.stdout + proc.stderr  # LibreOffice exits 0 even when it cannot load a file
    return pdf


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", testing.normalise_spaces(text))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("lo")
    build_2021(out, "--format", "docx", "--format", "pdf")
    return out


@pytest.fixture(scope="module")
def lo_pdf(built):
    return convert(built / f"{NAME}.docx", built / "lo", built / "lo-profile")


def test_libreoffice_converts_the_docx(lo_pdf):
    from pypdf import PdfReader

    assert len(PdfReader(str(lo_pdf)).pages) > 25


def test_libreoffice_shows_the_pdfs_heading_and_caption_numbers(built, lo_pdf):
    """Word's list numbering and SEQ fields, as LibreOffice renders them, give the PDF's numbers."""
    text = flat(testing.pdf_text(lo_pdf))
    headings = [h for h in testing.pdf_outline(built / f"{NAME}.pdf") if h != "Table des matières"]
    assert len(headings) == 67
    for heading in headings:  # "6.6.7.1 Introduction", in the body (after the table of contents)
        assert text.count(flat(heading)) >= 1 and re.match(r"\d+(\.\d+)* ", heading), heading
    assert text.count("6.6.7.1 Introduction") == 2  # the contents' entry and the heading itself
    doc = testing.build_result(ROOT / "rapact.toml", bundled=True).document
    for block in testing.tables(doc) + testing.figures(doc):
        label = "Tableau" if block in testing.tables(doc) else "Figure"
        assert flat(f"{label} {block.number} : {block.caption}") in text


def _pdf_fonts(pdf: Path) -> str:
    return subprocess.run([PDFFONTS, str(pdf)], capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(PDFFONTS is None, reason="pdffonts is not installed (apt-get install poppler-utils)")
def test_the_fonts_travel_with_the_docx(built, tmp_path):
    """With a fontconfig that finds no system font (only STIX, so that LibreOffice starts at all),
    LibreOffice sets the DOCX in the DejaVu Sans it carries; without the embedded fonts, it cannot."""
    folder = tmp_path / "fonts"
    folder.mkdir()
    shutil.copy(fonts.font_dir() / "STIXGeneral.ttf", folder)  # not DejaVu: matplotlib's STIX
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f"<dir>{folder}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    docx = built / f"{NAME}.docx"
    listed = _pdf_fonts(convert(docx, tmp_path / "with", tmp_path / "profile", env))
    assert re.search(r"\+DejaVuSans\s", listed) and "DejaVuSans-Bold" in listed, listed
    assert "STIX" not in listed, listed  # nothing fell back to the only font the system has
    # the control: the same file without its embedded fonts
    bare = tmp_path / "bare" / docx.name
    bare.parent.mkdir()
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(bare, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/fontTable.xml":
                data = re.sub(rb"<w:embed\w+ [^>]*/>", b"", data)
            dst.writestr(item, data)
    listed = _pdf_fonts(convert(bare, tmp_path / "without", tmp_path / "profile", env))
    assert "DejaVu" not in listed and "STIX" in listed, listed


def _uno_python() -> str | None:
    for candidate in ("/usr/bin/python3", "/usr/lib/libreoffice/program/python"):
        if Path(candidate).exists() and subprocess.run([candidate, "-c", "import uno"],
                                                       capture_output=True).returncode == 0:
            return candidate
    return None


def test_libreoffice_fills_the_table_of_contents_page_numbers(built, lo_pdf, tmp_path):
    """The TOC field carries no page numbers (Word fills them on opening, updateFields);
    LibreOffice shows the entries as they are, and adds the page numbers when its index is
    updated (through UNO here: Tools > Update > Update All)."""
    from pypdf import PdfReader

    before = flat(testing.pdf_text(lo_pdf).split("3.1 iMio.")[0])
    assert re.search(r"2 Le mot du président\.? 3 iMio en quelques mots", before), before[:400]
    python = _uno_python()
    if python is None:
        pytest.skip("LibreOffice's Python bridge is missing (apt-get install python3-uno)")
    updated = tmp_path / "updated.pdf"
    proc = subprocess.run([python, str(Path(__file__).with_name("lo_update_indexes.py")), str(built / f"{NAME}.docx"),
                           str(updated), str(tmp_path / "profile"), SOFFICE],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": ""})
    assert proc.returncode == 0 and proc.stdout.strip() == "1", proc.stdout + proc.stderr
    pages = [flat(p.extract_text() or "") for p in PdfReader(str(updated)).pages]
    toc = next(i for i, p in enumerate(pages) if p.lstrip().startswith(("iMio RAPACT", "Table des")) and
               "Table des matières" in p)
    listing = " ".join(pages[toc:toc + 2])
    assert listing.count("Table des matières") == 1  # the title, not an entry
    for chapter in ("4 Participation des Pouvoirs locaux au modèle proposé par iMio", "7 Comptes temporaires 2021"):
        found = re.search(re.escape(chapter) + r"\.?[ .…]*?(\d+)\b", listing)
        assert found, listing[:2000]
        page = int(found.group(1))
        assert chapter in pages[page - 1] and f"- {page} -" in pages[page - 1]


def test_libreoffice_keeps_a_short_table_on_one_page(lo_pdf):
    """Table 11 (five organs and a total) is never cut: its caption, first and last rows on one page."""
    from pypdf import PdfReader

    pages = [flat(p.extract_text()) for p in PdfReader(str(lo_pdf)).pages]
    caption = [i for i, text in enumerate(pages) if "Réunions des organes de gestion en 2021" in text
               and "Tableau" in text]
    assert len(caption) == 1, caption
    page = pages[caption[0]]
    assert "Assemblée Générale" in page and "Comité d'audit" in page and "Total 13" in page, page[-400:]


def _lines(pdf: Path, page: int) -> int:
    text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    return sum(1 for line in text.splitlines() if line.strip())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed (poppler-utils)")
def test_the_page_before_a_landscape_table_is_filled_first(lo_pdf):
    """A landscape table floats in the DOCX as in the PDF: the portrait text after it fills the
    page first, so the portrait page before each landscape page is at least half full (compared
    with the median page, in lines of text), where it held a third or a quarter of a page."""
    import statistics

    from pypdf import PdfReader

    pages = PdfReader(str(lo_pdf)).pages
    landscape = [n for n, page in enumerate(pages, 1) if page.mediabox.width > page.mediabox.height]
    portrait = [n for n in range(2, len(pages) + 1) if n not in landscape]  # the cover aside
    full = statistics.median(_lines(lo_pdf, n) for n in portrait)
    before = [n - 1 for n in landscape if n - 1 in portrait]
    assert len(before) == 3, landscape  # Tables 12, 14 and 18 (15 follows 14)
    fills = {n: _lines(lo_pdf, n) for n in before}
    assert all(lines >= full / 2 for lines in fills.values()), (fills, full)
