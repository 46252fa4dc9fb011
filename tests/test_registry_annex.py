"""The annex "Registre des associés": rendered from a registry file when one is given."""

import csv
import random

from click.testing import CliRunner

from rapact_core import testing
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


def test_annex_appears_with_a_registry_and_not_without(report_copy, monkeypatch):
    monkeypatch.chdir(report_copy)
    data = report_copy / "reports" / "2021" / "data" / "members"
    categories = [r["categorie"] for r in csv.DictReader(open(data / "categories.csv", encoding="utf-8"))
                  if r["categorie"] != "Total"]
    result = CliRunner().invoke(main, ["build", "--output", "without"])
    assert result.exit_code == 0, result.output
    assert "Registre des associés" not in [t[0][0] for t in testing.docx_tables(report_copy / "without" / "rapport-activites-2021.docx")]
    make_registry(data / "registry.csv", 500, categories)
    result = CliRunner().invoke(main, ["build", "--output", "with"])
    assert result.exit_code == 0, result.output
    tables = testing.docx_tables(report_copy / "with" / "rapport-activites-2021.docx")
    registry = next(t for t in tables if t[0] == ["Associé", "Catégorie", "Adresse", "Adhésion"])
    assert len(registry) == 1 + 500 + 1 and registry[-1][-1] == "500"
    pdf = testing.pdf_text(report_copy / "with" / "rapport-activites-2021.pdf")
    assert "Tableau" in pdf and "Registre des associés" in pdf and "Namur" in pdf
