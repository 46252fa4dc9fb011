"""The annex "Registre des associés": rendered from a registry file when one is given."""

import csv
import random
import re

from click.testing import CliRunner

from rapact_core import testing
from rapact_core.formatting import normalise_spaces
from rapact_core.cli import main


def make_registry(path, n, categories, seed=7):
    rnd = random.Random(seed)
    towns = ["Namur", "Liège", "Arlon", "Mons", "Wavre", "Gembloux", "Ciney", "Spa", "Ath", "Dinant"]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["nom", "categorie", "adresse", "date_adhesion"])
        for i in range(n):
            town = rnd.choice(towns)
            w.writerow([f"{town} {i:05d}", rnd.choice(categories), f"Rue de l'Église, {i % 200 + 1} à {town}",
                        f"20{rnd.randint(12, 21):02d}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"])


def docx_captions(path):
    """(caption, first header cell) of each captioned table of a DOCX: the caption is the
    paragraph just before its table, in the Caption style."""
    import docx
    from docx.table import Table

    out, before = [], None
    for item in docx.Document(str(path)).iter_inner_content():
        if isinstance(item, Table) and before is not None and before.style.name == "Caption":
            out.append((normalise_spaces(before.text), normalise_spaces(item.rows[0].cells[0].text)))
        before = None if isinstance(item, Table) else item
    return out


def pdf_captions(path):
    return re.findall(r"^Tableau \d+ : .*$", testing.pdf_text(path), re.M)


def test_annex_appears_with_a_registry_and_not_without(report_copy, monkeypatch):
    monkeypatch.chdir(report_copy)
    data = report_copy / "reports" / "2021" / "data" / "members"
    categories = [r["categorie"] for r in csv.DictReader(open(data / "categories.csv", encoding="utf-8"))
                  if r["categorie"] != "Total"]
    result = CliRunner().invoke(main, ["build", "--output", "without"])
    assert result.exit_code == 0, result.output
    without = report_copy / "without" / "rapport-activites-2021"
    captions = docx_captions(without.with_suffix(".docx"))
    assert captions and not [c for c in captions if "Registre des associés" in c[0]]
    assert len(pdf_captions(without.with_suffix(".pdf"))) == len(captions)
    make_registry(data / "registry.csv", 500, categories)
    result = CliRunner().invoke(main, ["build", "--output", "with"])
    assert result.exit_code == 0, result.output
    with_ = report_copy / "with" / "rapport-activites-2021"
    tables = testing.docx_tables(with_.with_suffix(".docx"))
    registry = next(t for t in tables if t[0] == ["Associé", "Catégorie", "Adresse", "Adhésion"])
    assert len(registry) == 1 + 500 + 1 and registry[-1][-1] == "500"
    # the annex is the report's last table, numbered after the others, its caption just above it
    caption = f"Tableau {len(captions) + 1} : Registre des associés"
    assert docx_captions(with_.with_suffix(".docx")) == captions + [(caption, "Associé")]
    assert pdf_captions(with_.with_suffix(".pdf")) == pdf_captions(without.with_suffix(".pdf")) + [caption]
    pdf = testing.pdf_text(with_.with_suffix(".pdf"))
    # the registry's header row follows its caption
    assert re.match(r"\s*Associé\s+Catégorie\s+Adresse\s+Adhésion\s", pdf.split(caption, 1)[1])
