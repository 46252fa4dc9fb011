"""Each plugin's computations on small hand-made data, and its load errors."""

import shutil
import textwrap

import pytest

from rapact_core import testing
from rapact_core.errors import RapactError

import rapact_governance
import rapact_members
import rapact_procurement
import rapact_products

CONFIG = testing.minimal_config(2021)  # the test kit's throw-away report configuration


@pytest.fixture
def report(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rapact.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "texts").mkdir()

    def write(files: dict):
        for name, text in files.items():
            p = tmp_path / "data" / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return tmp_path / "rapact.toml"
    return write


MEMBERS = {
    "members/categories.csv": """
        categorie,nombre
        Commune et Ville,3
        CPAS,2
        Total,6
    """,
    "members/population_classes.csv": """
        classe,membres,communes
        petites,1,2
        grandes,2,2
    """,
    "members/provinces.csv": """
        province,membres,communes
        Namur,3,4
    """,
    "members/new_members.csv": """
        numero,categorie,nom,adresse
        1,CPAS,Andenne,rue de l'Hôpital
    """,
    "members/members.yaml": "inhabitants: 1000\n",
}


def test_members_computes_its_figures_once_per_build(report_copy, in_dir, monkeypatch):
    """compute, check and the six sections all use the figures rapact_compute derived."""
    calls = []
    figures = rapact_members.compute.figures
    monkeypatch.setattr(rapact_members.compute, "figures", lambda data: calls.append(1) or figures(data))
    in_dir(report_copy)
    result = testing.build_result("rapact.toml", bundled=True)
    assert "participation" in [c.id for c in result.document.chapters]
    assert testing.table_rows(result.document, "members-categories")[-1] == ["TOTAL", "362"]
    assert len(calls) == 1


def test_members_figures_and_checks(report):
    result = testing.build_result(report(MEMBERS), {"members": rapact_members}, disabled=["participation"])
    f = result.facts
    assert (f["members.total"].value, f["members.communes"].value, f["members.communes_total"].value) == (5, 3, 4)
    assert float(f["members.coverage"].value) == 0.75
    assert f["members.new_count"].value == 1 and f["members.inhabitants"].value == 1000
    msgs = "\n".join(x.format() for x in result.findings)
    assert "data/members/categories.csv:4: warning: members by category: the Total row states 6 in column nombre, " \
           "but the lines above it add up to 5" in msgs


def test_members_unknown_category_names_the_row(report):
    files = dict(MEMBERS)
    files["members/new_members.csv"] = "numero,categorie,nom,adresse\n1,Club,X,Y\n"
    with pytest.raises(RapactError) as info:
        testing.build_result(report(files), {"members": rapact_members}, disabled=["participation"])
    assert "data/members/new_members.csv:2: error: categorie: unknown value 'Club', expected one of: Commune et Ville, CPAS" in str(info.value)


GOVERNANCE = {
    "governance/bodies.csv": """
        code,organe,taille_indiquee,unite
        CA,Conseil,3,administrateurs
        BE,Bureau,1,administrateurs
        CR,Comité R,0,administrateurs
        AUDIT,Audit,0,administrateurs
    """,
    "governance/administrators.csv": """
        nom,membre,ca,be,cr,audit,debut_mandat
        A,AC X,OUI,OUI,NON,NON,2012-01-01
        B,AC Y,OUI,OBS,NON,NON,1/01/12
    """,
    "governance/meetings.csv": """
        organe,date,type
        CA,2021-02-01,
        CA,2021-03-01,
    """,
    "governance/attendance.csv": """
        administrateur,2021-02-01,2021-03-01,stated_total
        A,1,1,2
        B,1,0,2
    """,
    "governance/staff.csv": """
        annee,effectif
        2020,10
        2021,13
    """,
    "governance/governance.yaml": "recruited: 3\n",
}


def test_governance_rates_sizes_and_growth(report):
    result = testing.build_result(report(GOVERNANCE), {"governance": rapact_governance}, disabled=["structure"])
    f = result.facts
    assert f["governance.ca_size"].value == 2 and f["governance.be_size"].value == 1
    assert f["governance.ca_meetings"].value == 2
    assert f["governance.staff"].value == 13 and f["governance.recruited"].value == 3
    msgs = "\n".join(x.format() for x in result.findings)
    assert "bodies.csv:2: warning: Conseil: the size typed is 3, but 2 administrators have a seat marked OUI" in msgs
    [totals] = [x for x in result.findings if "total typed differs" in x.message]
    assert totals.format().startswith("data/governance/attendance.csv:3: warning: 1 total typed differs from the marks")
    assert totals.items == ("line 3, B: total typed 2, the marks add up to 1",)


def test_governance_attendance_must_be_zero_or_one(report):
    files = dict(GOVERNANCE)
    files["governance/attendance.csv"] = "administrateur,2021-02-01\nA,2\n"
    with pytest.raises(RapactError, match=r"attendance.csv:2: error: 2021-02-01: expected 0 or 1, found 2"):
        testing.build_result(report(files), {"governance": rapact_governance}, disabled=["structure"])


PROCUREMENT = {
    "procurement/contracts.csv": """
        marche,lot,attributaire,date_attribution,debut,fin,montant_htva,remarque
        Grand marché,1,A,2021-01-02,2021,2023,"40 000,00",
        Grand marché,2,B,2021-01-02,2021,2023,1000,
        Petit,,C,2021-01-02,,,900,
    """,
    "procurement/small_contracts.csv": """
        procedure,marche,attributaire,date_attribution,montant_services,montant_fournitures
        Facture,S1,X,2021-02-03,100.50,
        Facture,F1,Y,2021-02-03,,200
    """,
    "procurement/procurement.yaml": "threshold: 30000\n",
}


def test_procurement_totals_and_threshold(report):
    result = testing.build_result(report(PROCUREMENT), {"procurement": rapact_procurement})
    f = result.facts
    assert str(f["procurement.contracts_total"].value) == "41900.00"
    assert str(f["procurement.small_total"].value) == "300.50"
    assert f["procurement.contracts_count"].value == 2
    msgs = "\n".join(x.format() for x in result.findings)
    assert "contracts.csv:4: warning: a contract listed among those above 30 000 € was awarded for 900,00 €" \
        in msgs.replace("\u202f", " ").replace("\u00a0", " ")
    assert "contracts.csv:2" not in msgs  # lot 2 alone is small, the contract is not


def test_procurement_one_amount_per_small_contract(report):
    files = dict(PROCUREMENT)
    files["procurement/small_contracts.csv"] = ("procedure,marche,attributaire,date_attribution,montant_services,"
                                                "montant_fournitures\nF,S,X,2021-01-01,1,2\n")
    with pytest.raises(RapactError, match="small_contracts.csv:2: error: montant_services: fill exactly one"):
        testing.build_result(report(files), {"procurement": rapact_procurement})


def test_products_sums_and_new_implementations(report, tmp_path):
    from conftest import REPORT_2021

    shutil.copytree(REPORT_2021 / "data" / "products", tmp_path / "data" / "products")
    result = testing.build_result(report({}), {"products": rapact_products})
    f = result.facts
    assert f["products.in_production"].value == 896
    assert f["products.new_implementations"].value == 125 + 26 + 10
    assert f["products.production.ia_tech"].value == 63
    assert f["products.member_requests"].value == 5150


def test_products_bad_year_column(report, tmp_path):
    from conftest import REPORT_2021

    shutil.copytree(REPORT_2021 / "data" / "products", tmp_path / "data" / "products")
    (tmp_path / "data" / "products" / "new_clients.csv").write_text("produit,2012,deux-mille\nX,1,2\n", encoding="utf-8")
    with pytest.raises(RapactError, match=r"new_clients.csv:1: error: deux-mille: column 'deux-mille' should be a year"):
        testing.build_result(report({}), {"products": rapact_products})
