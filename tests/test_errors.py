"""The corpus of broken inputs: each gets a clear message, a non-zero exit,
no traceback, and the previous report survives byte for byte."""

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from rapact_core.cli import main

CONFIG = Path("reports/2021/rapact.toml")
DATA = Path("reports/2021/data")
TEXTS = Path("reports/2021/texts")


def edit(rel, old, new, count=1):
    def apply(root: Path):
        p = root / rel
        text = p.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        p.write_text(text.replace(old, new, count), encoding="utf-8")
    return apply


def write(rel, content: bytes | str):
    def apply(root: Path):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return apply


def remove(rel):
    def apply(root: Path):
        (root / rel).unlink()
    return apply


def xlsx_staff(root: Path):
    import openpyxl

    (root / DATA / "governance" / "staff.csv").unlink()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["annee", "effectif"])
    ws.append([2020, 41])
    ws.append([2021, "quarante-cinq"])
    wb.save(root / DATA / "governance" / "staff.xlsx")


def both(*fns):
    def apply(root):
        for fn in fns:
            fn(root)
    return apply


CASES = {
    # configuration
    "malformed toml": (edit(CONFIG, 'id = "toc"', 'id = "toc'), 3, ["reports/2021/rapact.toml:41: error: invalid TOML"]),
    "wrong type": (edit(CONFIG, "year = 2021", 'year = "2021"'), 3,
                   ["reports/2021/rapact.toml:17: error: report.year: expected a whole number, found '2021'"]),
    "unknown key": (edit(CONFIG, 'name = "rapport', 'colour = "red"\nname = "rapport'), 3,
                    ["reports/2021/rapact.toml:6: error: colour: unknown key"]),
    "unknown chapter": (edit(CONFIG, 'id = "comptes"', 'id = "compte"'), 3,
                        ["reports/2021/rapact.toml: error: chapters[7].id: unknown chapter 'compte'; valid chapters: activites"]),
    "duplicate chapter": (edit(CONFIG, 'id = "annexes"', 'id = "comptes"'), 3,
                          ["chapters[8].id: chapter 'comptes' is listed twice (first at chapters[7])"]),
    "bad output name": (edit(CONFIG, 'name = "rapport-activites-2021"', 'name = "../evil"'), 3,
                        ["name: the output name '../evil' must be a plain file name"]),
    # data files and folders
    "missing data folder": (edit(CONFIG, 'data = "data"', 'data = "nodata"'), 1,
                            ["reports/2021/rapact.toml: error: data: data folder reports/2021/nodata does not exist"]),
    "data folder outside the report": (edit(CONFIG, 'data = "data"', 'data = "../../etc"'), 1,
                                       ["data: data folder '../../etc' is outside the report folder"]),
    "missing data file": (remove(DATA / "members" / "provinces.csv"), 1,
                          ["reports/2021/data/members/provinces.csv: error: missing data file"]),
    "wrong header": (edit(DATA / "members" / "categories.csv", "categorie,nombre", "categorie,nbr"), 1,
                     ["reports/2021/data/members/categories.csv:1: error: missing column nombre",
                      "categories.csv:1: error: nbr: unexpected column 'nbr'"]),
    "non-numeric amount": (edit(DATA / "finance" / "pnl.csv", "111010.00", "111010.00 EUR"), 1,
                           ["reports/2021/data/finance/pnl.csv:3: error: n: expected a number such as 1234,56, "
                            "found '111010.00 EUR'"]),
    "empty required cell": (edit(DATA / "members" / "population_classes.csv", "0 à 5.000,54,62", "0 à 5.000,,62"),
                            1, ["population_classes.csv:2: error: membres: empty cell, expected a whole number"]),
    "unknown category": (edit(DATA / "members" / "new_members.csv", "2,Intercommunales,SPI", "2,Club,SPI"), 1,
                         ["new_members.csv:3: error: categorie: unknown value 'Club', expected one of: "
                          "Commune et Ville"]),
    "unreadable date": (edit(DATA / "governance" / "administrators.csv", "2012-01-01", "32/13/2012"), 1,
                        ["administrators.csv:2: error: debut_mandat: expected a date"]),
    "impossible date among texts": (edit(DATA / "procurement" / "contracts.csv", "2021-09-07,2021-11-30,",
                                         "2021-09-07,31/02/2021,"), 1,
                                    ["reports/2021/data/procurement/contracts.csv:3: error: debut: expected a date, "
                                     "found '31/02/2021': there is no day 31 in month 2 of 2021"]),
    "cp1252 file": (write(DATA / "members" / "categories.csv",
                          "categorie,nombre\nCommune et Ville,234\nCatégorie,3\n".encode("cp1252")), 1,
                    ["categories.csv:3: error: the file is not UTF-8 (byte 0xe9); save it as \"CSV UTF-8\""]),
    "xlsx with text in a number column": (xlsx_staff, 1,
                                          ["reports/2021/data/governance/staff.xlsx:3: error: effectif: expected a "
                                           "number such as 1234,56, found 'quarante-cinq'"]),
    "yaml that does not parse": (edit(DATA / "members" / "members.yaml", "founders: 10", "founders: [10"), 1,
                                 ["reports/2021/data/members/members.yaml:2: error: invalid YAML"]),
    "yaml of the wrong shape": (write(DATA / "governance" / "governance.yaml", "- a\n- b\n"), 1,
                                ["governance.yaml:1: error: expected a mapping of keys"]),
    "control character in a CSV": (edit(DATA / "products" / "catalogue.csv", "Gérez au mieux", "Gérez\x0b au mieux"),
                                   1, ["catalogue.csv:2: error: description: the cell holds a control character "
                                       "(U+000B"]),
    "stated figure that is not a number": (edit(DATA / "stated.yaml", "value: 333", "value: trois cent"), 1,
                                           ["reports/2021/data/stated.yaml:5: error: value: expected a number, "
                                            "found 'trois cent'"]),
    "stated entry that is not a mapping": (edit(DATA / "stated.yaml", "- fact: governance.staff\n  value: 45\n  where",
                                                "- governance.staff = 45\n- where"), 1,
                                           ["reports/2021/data/stated.yaml:25: error: item 9: expected a mapping "
                                            "with keys fact, value and where",
                                            "reports/2021/data/stated.yaml:26: error: item 10: expected"]),
    # narrative
    "unknown placeholder": (edit(TEXTS / "avant-propos.md", "Pour toutes informations",
                                 "{{ members.totl }} Pour toutes informations"), 1,
                            ["reports/2021/texts/avant-propos.md:3: error: unknown placeholder 'members.totl' "
                             "(did you mean members.total?)"]),
    "template syntax error": (edit(TEXTS / "avant-propos.md", "Pour toutes informations", "{% if %} Pour"), 1,
                              ["avant-propos.md:3: error: template syntax error"]),
    "python internals in a template": (edit(TEXTS / "avant-propos.md", "Pour toutes informations",
                                            "{{ ''.__class__.__mro__ }} Pour"), 1, ["avant-propos.md"]),
    "control character in Markdown": (edit(TEXTS / "avant-propos.md", "Pour toutes informations", "Pour\x0c toutes"),
                                      1, ["avant-propos.md:3: error: the text holds a control character U+000C"]),
    "link to a file": (edit(TEXTS / "avant-propos.md", "Pour toutes informations",
                            "[secret](file:///etc/passwd) Pour toutes informations"), 1,
                       ["avant-propos.md:3: error: link target 'file:///etc/passwd' is not allowed"]),
    "picture outside the report": (edit(TEXTS / "avant-propos.md", "Pour toutes informations",
                                        "![x](../../../../etc/passwd)\n\nPour toutes informations"), 1,
                                   ["picture '../../../../etc/passwd' is outside the report folder"]),
    # outputs
    "template that is not a DOCX": (both(write("reports/2021/reference.docx", "not a docx"),
                                         edit(CONFIG, "# template =", "template = \"reference.docx\"\n#")),
                                    1, ["reports/2021/reference.docx: error: the template is not a DOCX"]),
    # several errors in one run
    "every error of a run": (both(edit(DATA / "members" / "categories.csv", "CPAS,90", "CPAS,x"),
                                  edit(DATA / "finance" / "pnl.csv", "111010.00", "abc"),
                                  edit(TEXTS / "annexes.md", "Les annexes", "{{ nope.x }} Les annexes")), 1,
                             ["categories.csv:4: error: nombre", "pnl.csv:3: error: n"]),
}


@pytest.fixture(scope="module")
def good_outputs(tmp_path_factory):
    """A first, successful build: the 'previous report' every failing build must keep."""
    from conftest import build_2021

    out = tmp_path_factory.mktemp("good")
    build_2021(out)
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}


def snapshot(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.mark.parametrize("case", list(CASES))
def test_broken_input(case, report_copy, good_outputs, monkeypatch):
    mutate, code, expected = CASES[case]
    monkeypatch.chdir(report_copy)
    out = report_copy / "output"
    out.mkdir()
    for name, data in good_outputs.items():
        (out / name).write_bytes(data)
    mutate(report_copy)
    result = CliRunner().invoke(main, ["build"])
    output = result.output.replace("\u202f", " ").replace("\u00a0", " ")
    assert result.exit_code == code, output
    for text in expected:
        assert text in output, output
    assert "Traceback" not in output
    assert snapshot(out) == good_outputs  # unchanged, and no stray temporary file


def test_debug_shows_the_traceback(report_copy, monkeypatch):
    monkeypatch.chdir(report_copy)
    edit(DATA / "members" / "categories.csv", "CPAS,90", "CPAS,x")(report_copy)
    result = CliRunner().invoke(main, ["build", "--debug"])
    assert result.exit_code != 0 and result.exception is not None


def test_unwritable_output_folder(report_copy, monkeypatch):
    monkeypatch.chdir(report_copy)
    (report_copy / "a-file").write_text("x")
    result = CliRunner().invoke(main, ["build", "--output", "a-file/out"])
    assert result.exit_code == 1
    assert "a-file/out: error: cannot create the output folder" in result.output
    assert "Traceback" not in result.output


def test_check_lists_every_error_and_exits_one(report_copy, monkeypatch):
    monkeypatch.chdir(report_copy)
    CASES["every error of a run"][0](report_copy)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert "categories.csv:4: error" in result.output and "pnl.csv:3: error" in result.output


def test_strict_build_fails_on_findings(report_copy, monkeypatch):
    monkeypatch.chdir(report_copy)
    result = CliRunner().invoke(main, ["build", "--strict", "--format", "docx"])
    assert result.exit_code == 1
    assert "new_clients.csv:11: error: new clients per year: the Total row states 221 in column 2012" in result.output
    assert not (report_copy / "output" / "rapport-activites-2021.docx").exists()


def test_messages_use_rich_only_on_a_terminal(monkeypatch):
    """On a terminal, rich colours the messages and shows a spinner; elsewhere (CI,
    scripts, pipes) they are the same plain lines without rich's start-up cost."""
    import io

    from rich.console import Console

    import rapact_core.cli as cli

    tty = io.StringIO()
    tty.isatty = lambda: True
    monkeypatch.setattr(cli.sys, "stderr", tty)
    assert isinstance(cli._stderr(), Console)
    pipe = io.StringIO()
    monkeypatch.setattr(cli.sys, "stderr", pipe)
    console = cli._stderr()
    assert isinstance(console, cli._PlainConsole)
    with console.status("Building the report…"):
        console.print("data/x.csv:3: error: bad", markup=False, style="bold red")
    assert pipe.getvalue() == "data/x.csv:3: error: bad\n"


# ---------------------------------------------------------------- a plugin's content the model refuses

BAD_PLUGIN = '''
from rapact_core import (ChapterSpec, Column, ListBlock, Paragraph, PluginSpec, Row, SectionSpec, Table,
                         hookimpl)


class Opaque:
    def __repr__(self):
        return "<opaque>"


@hookimpl
def rapact_declare():
    return PluginSpec(namespaces=("example_bad",),
                      chapters=[ChapterSpec("example_bad", "Cybersécurité", sections=("example_bad.kpis",),
                                            position=95)],
                      sections=[SectionSpec("example_bad.kpis", "Indicateurs")])


@hookimpl
def rapact_section_blocks(section):
    return [Paragraph("Indicateurs de l'année."), {blocks}]
'''

BAD_CONTENT = {
    "a number in a paragraph": (
        "Paragraph([42])",
        "rapact: error: [example_bad] section 'example_bad.kpis': Paragraph content[0]: expected an inline "
        "(Text, Link, LineBreak, Ref) or str, got int 42"),
    "a string in a list": (
        'ListBlock(["Audits"])',
        "rapact: error: [example_bad] section 'example_bad.kpis': ListBlock items[0]: expected a ListItem, got str 'Audits'"),
    "an object in a table row": (
        'Table([Column("k", "Indicateur"), Column("n", "Nombre")], [Row(["Audits", Opaque()])])',
        "rapact: error: [example_bad] section 'example_bad.kpis': Row cells[1]: expected a Cell or a cell value "
        "(str, int, Decimal, float, date, None or MISSING), got Opaque <opaque>"),
}


@pytest.fixture
def install_plugin(tmp_path, monkeypatch):
    """Install a plugin the way a package does: a module and an entry point in the
    ``rapact`` group (a .dist-info folder), found by ``rapact`` like any installed plugin."""
    def install(name: str, source: str):
        # the report lists the plugin's chapter (an unlisted chapter is not built)
        config = tmp_path / "reports" / "2021" / "rapact.toml"  # report_copy is tmp_path
        if config.is_file():
            with config.open("a", encoding="utf-8") as fh:
                fh.write(f'\n[[chapters]]\nid = "{name}"\n')
        site = tmp_path / "site"
        info = site / f"rapact_{name}-1.0.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: rapact-{name}\nVersion: 1.0\n")
        (info / "entry_points.txt").write_text(f"[rapact]\n{name} = rapact_{name}_plugin\n")
        (site / f"rapact_{name}_plugin.py").write_text(source, encoding="utf-8")
        monkeypatch.syspath_prepend(str(site))
        monkeypatch.delitem(sys.modules, f"rapact_{name}_plugin", raising=False)
    return install


@pytest.mark.parametrize("case", list(BAD_CONTENT))
def test_check_names_the_plugin_and_section_of_content_the_model_refuses(case, report_copy, monkeypatch,
                                                                        install_plugin):
    blocks, expected = BAD_CONTENT[case]
    install_plugin("example_bad", BAD_PLUGIN.replace("{blocks}", blocks))
    monkeypatch.chdir(report_copy)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1, result.output
    assert expected in result.output.splitlines(), result.output
    assert "Traceback" not in result.output


def test_a_build_stops_on_refused_content_before_writing(report_copy, monkeypatch, install_plugin,
                                                          good_outputs):
    install_plugin("example_bad", BAD_PLUGIN.replace("{blocks}", "Paragraph([42])"))
    monkeypatch.chdir(report_copy)
    out = report_copy / "output"
    out.mkdir()
    for name, data in good_outputs.items():
        (out / name).write_bytes(data)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1, result.output
    assert BAD_CONTENT["a number in a paragraph"][1] in result.output.splitlines()
    assert "Traceback" not in result.output
    assert snapshot(out) == good_outputs
