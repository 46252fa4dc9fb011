"""``rapact new-plugin``: the generated package works as generated.

The end-to-end test makes a fresh virtual environment, installs rapact from
this checkout and the generated plugin into it (``pip install -e``), and
builds the 2021 report with them, without any change to the core or to the
bundled plugins. The new environment borrows only rapact's *dependencies*
from the environment running the tests (a ``.pth`` file naming a folder of
links to its site-packages, without rapact and any rapact plugin installed
there), so that no download is needed.

The plugin made here is named ``scaffold_test``, a name no real plugin takes:
the tests pass whatever plugins are installed (``cyber`` included).
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from rapact_core import testing
from rapact_core.cli import main
from rapact_core.config import load_config
from rapact_core.scaffold import create_plugin
from rapact_core.errors import RapactError


def new_plugin(*args, cwd: Path):
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, ["new-plugin", *args])
    finally:
        os.chdir(old)


NAME = "scaffold_test"


def test_new_plugin_writes_an_installable_package(tmp_path):
    result = new_plugin(NAME, "--dir", "tmp", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert f"created plugin '{NAME}' in tmp" in result.output
    assert f'add `[[chapters]] id = "{NAME}"` to the report\'s rapact.toml' in result.output
    root = tmp_path / "tmp"
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert files == ["README.md", "pyproject.toml", f"rapact_{NAME}/__init__.py",
                     f"rapact_{NAME}/data/{NAME}/kpis.csv", f"tests/test_{NAME}.py"]
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert f'[project.entry-points.rapact]\n{NAME} = "rapact_{NAME}"' in pyproject
    assert 'dependencies = ["rapact"]' in pyproject and 'name = "rapact-scaffold-test"' in pyproject
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert f"cp -r rapact_{NAME}/data/{NAME} <report>/data/" in readme
    assert f'[[chapters]]\nid = "{NAME}"' in readme and "default_position = true" in readme
    assert "](" not in readme, "the README links to nowhere in particular"
    # the default folder is ./rapact-NAME
    assert new_plugin(NAME + "_two", cwd=tmp_path).exit_code == 0
    assert (tmp_path / "rapact-scaffold-test-two" / f"rapact_{NAME}_two" / "__init__.py").is_file()


def test_new_plugin_accepts_a_folder_holding_a_virtual_environment(tmp_path):
    import venv

    venv.create(tmp_path / "beside" / ".venv", with_pip=False)      # DIR/.venv
    (tmp_path / "beside" / ".gitignore").write_text(".venv/\n", encoding="utf-8")
    venv.create(tmp_path / "itself", with_pip=False)                # python -m venv DIR
    for folder in ("beside", "itself"):
        result = new_plugin(NAME, "--dir", folder, cwd=tmp_path)
        assert result.exit_code == 0, result.output
        assert (tmp_path / folder / f"rapact_{NAME}" / "__init__.py").is_file()
    assert (tmp_path / "beside" / ".venv" / "pyvenv.cfg").is_file()
    # anything else in the folder: refused, naming the folder and what is in the way, nothing written
    (tmp_path / "mixed" / ".venv").mkdir(parents=True)
    (tmp_path / "mixed" / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    (tmp_path / "mixed" / "notes.txt").write_text("mine", encoding="utf-8")
    result = new_plugin(NAME, "--dir", "mixed", cwd=tmp_path)
    assert result.exit_code == 2
    assert ("mixed already exists and is not empty (it holds notes.txt); the package is written only into a new "
            "or empty folder, or one that holds nothing but a virtual environment (such as mixed/.venv)") \
        in result.output
    assert sorted(p.name for p in (tmp_path / "mixed").iterdir()) == [".venv", "notes.txt"]


@pytest.mark.parametrize("name", ["Cyber", "cyber-security", "1cyber", "cyber_", "cy__ber", "", "class"])
def test_new_plugin_refuses_invalid_names(tmp_path, name):
    result = new_plugin(name, "--dir", "out", cwd=tmp_path)
    assert result.exit_code == 2
    assert f"invalid plugin name {name!r}" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_new_plugin_refuses_a_folder_with_contents_and_installed_names(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine", encoding="utf-8")
    result = new_plugin(NAME, "--dir", "full", cwd=tmp_path)
    assert result.exit_code == 2
    assert "full already exists and is not empty (it holds keep.txt)" in result.output
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]
    result = new_plugin("members", "--dir", "m", cwd=tmp_path)
    assert result.exit_code == 2 and "a plugin named 'members' is already installed" in result.output
    result = new_plugin("report", "--dir", "m", cwd=tmp_path)  # the core's namespace (report.year…)
    assert result.exit_code == 2 and "'report' is already the fact namespace of plugin 'core'" in result.output
    result = new_plugin("toc", "--dir", "m", cwd=tmp_path)
    assert result.exit_code == 2 and "'toc' is already the chapter id of plugin 'core'" in result.output
    (tmp_path / "empty").mkdir()  # an empty folder is fine
    assert create_plugin(NAME, tmp_path / "empty") == tmp_path / "empty"
    with pytest.raises(RapactError, match="not a folder"):
        create_plugin(NAME, tmp_path / "full" / "keep.txt")


def test_new_plugin_refuses_a_name_installed_whatever_is_installed(tmp_path, monkeypatch):
    """The check reads the installed entry points: here, a made-up set of them."""
    from importlib.metadata import EntryPoint

    import rapact_core.scaffold as scaffold

    fake = [EntryPoint("cyber", "rapact_cyber", "rapact"), EntryPoint("members", "rapact_members", "rapact")]
    monkeypatch.setattr(scaffold.importlib.metadata, "entry_points", lambda group=None: fake)
    result = new_plugin("cyber", "--dir", "c", cwd=tmp_path)
    assert result.exit_code == 2
    assert "a plugin named 'cyber' is already installed (installed plugins: cyber, members)" in result.output
    assert not (tmp_path / "c").exists()


@pytest.fixture
def generated(tmp_path, monkeypatch):
    """The generated plugin's module, importable in this process (not installed)."""
    root = create_plugin(NAME, tmp_path / "rapact-scaffold-test")
    monkeypatch.syspath_prepend(str(root))
    sys.modules.pop(f"rapact_{NAME}", None)
    yield importlib.import_module(f"rapact_{NAME}")
    sys.modules.pop(f"rapact_{NAME}", None)


def test_generated_chapter_is_built_once_listed_with_the_2021_report(generated, report_copy, in_dir):
    in_dir(report_copy)
    plugins = {NAME: generated}
    result = testing.build_result("rapact.toml", plugins, bundled=True)
    assert NAME not in [c.id for c in result.document.chapters]  # installed is not listed: not built
    # listed without saying where: at its default position 85, after the accounts, before the annexes
    config = load_config("rapact.toml").path  # the file that lists the chapters
    text = config.read_text(encoding="utf-8")
    config.write_text(text + f'\n[[chapters]]\nid = "{NAME}"\ndefault_position = true\n', encoding="utf-8")
    result = testing.build_result("rapact.toml", plugins, bundled=True)
    ids = [c.id for c in result.document.chapters]
    assert ids[-3:] == ["comptes", NAME, "annexes"]
    assert testing.table_rows(result.document, f"{NAME}-kpis")[-1] == ["Total", "46"]
    assert "8 Scaffold test" in testing.headings(result.document)
    # listed in a place, with a title; or disabled
    config.write_text(text.replace('id = "avant-propos"\n', f'id = "{NAME}"\ntitle = "Cybersécurité"\n\n'
                                   '[[chapters]]\nid = "avant-propos"\n'), encoding="utf-8")
    result = testing.build_result("rapact.toml", plugins, bundled=True)
    assert testing.headings(result.document)[0] == "1 Cybersécurité"
    result = testing.build_result("rapact.toml", plugins, bundled=True, disabled=[NAME])
    assert NAME not in [c.id for c in result.document.chapters]


# ---------------------------------------------------------------- in a fresh venv


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def run(args, cwd, timeout=600):
    proc = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


ROOT = Path(__file__).resolve().parents[1]


def borrowed_site_packages(folder: Path) -> Path:
    """A folder of links to this environment's site-packages entries, except those of
    rapact and of any rapact plugin installed here (their distributions declare
    ``rapact`` entry points): the new venv must see only what it installs itself."""
    import importlib.metadata as md
    import sysconfig

    sites = [Path(p).resolve() for p in dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib"))]
    excluded: set[Path] = set()
    for dist in md.distributions():
        if not any(ep.group == "rapact" for ep in dist.entry_points):
            continue
        for file in dist.files or ():
            located = Path(dist.locate_file(file)).resolve()
            for site in sites:
                if located.is_relative_to(site) and located != site:
                    excluded.add(site / located.relative_to(site).parts[0])
    folder.mkdir()
    for site in sites:
        for entry in site.iterdir():
            if entry not in excluded and not (folder / entry.name).exists():
                (folder / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    return folder


@pytest.fixture
def venv(tmp_path):
    """A fresh venv with rapact installed from this checkout, and nothing else of its own.

    Made ``--without-pip``: pip, setuptools and rapact's dependencies are
    found through a ``.pth`` file naming a folder of links to this
    environment's site-packages entries (:func:`borrowed_site_packages`),
    without rapact and the rapact plugins installed here. A plain path: the
    ``.pth`` files *inside* it are not read. The test proves that rapact
    itself is installed in the new venv.
    """
    venv = tmp_path / "venv"
    try:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)],
                       check=True, capture_output=True, timeout=300)
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"cannot create a virtual environment here: {exc}")
    python = venv_python(venv)
    site = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=tmp_path).strip()
    try:
        borrowed = borrowed_site_packages(tmp_path / "borrowed")
    except OSError as exc:  # no symbolic links here
        pytest.skip(f"cannot link this environment's packages: {exc}")
    (Path(site) / "borrowed-dependencies.pth").write_text(f"{borrowed}\n", encoding="utf-8")
    plugins = run([python, "-c", "import importlib.metadata as md; "
                   "print(sorted(ep.name for ep in md.entry_points(group='rapact')))"], cwd=tmp_path)
    assert plugins.strip() == "[]", "the new venv sees rapact plugins installed elsewhere"
    missing = subprocess.run([str(python), "-c", "import rapact_core"], capture_output=True, text=True)
    assert missing.returncode != 0 and "No module named 'rapact_core'" in missing.stderr, \
        "the new venv sees a rapact that was not installed in it"
    run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "-e", ROOT], cwd=tmp_path)
    where = run([python, "-c", "import importlib.metadata as md, rapact_core; "
                 "print(rapact_core.__file__); print(md.distribution('rapact')._path)"], cwd=tmp_path).split()
    assert Path(where[0]).is_relative_to(ROOT / "src") and Path(where[1]).is_relative_to(venv)
    return python


def test_generated_plugin_installed_in_a_fresh_venv_builds_into_docx_and_pdf(tmp_path, venv, report_copy):
    assert new_plugin(NAME, "--dir", "tmp", cwd=tmp_path).exit_code == 0
    plugin_dir = tmp_path / "tmp"
    run([venv, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "-e", plugin_dir],
        cwd=tmp_path)

    # `rapact plugins` lists the plugin (from its distribution) and its chapter, not built until listed
    listing = run([venv, "-m", "rapact_core", "plugins"], cwd=report_copy)
    assert (f"{NAME} Scaffold test: key figures of the year (generated by rapact new-plugin)  "
            "[rapact-scaffold-test 0.1.0]") in listing
    assert f"section {NAME}.kpis: Indicateurs de l'année" in listing
    config = report_copy / "reports" / "2021" / "rapact.toml"
    hint = (f"plugin '{NAME}' offers chapter '{NAME}', not listed in reports/2021/rapact.toml: "
            f'add `[[chapters]] id = "{NAME}"` to include it')
    assert hint in listing
    checked = run([venv, "-m", "rapact_core", "check"], cwd=report_copy)
    assert hint in checked and "sample figures" not in checked  # not shown: nothing to warn about
    out = run([venv, "-m", "rapact_core", "build", "--format", "docx"], cwd=report_copy)
    assert "Scaffold test" not in testing.docx_text(report_copy / "output" / "rapport-activites-2021.docx")

    # listed without saying where: at its default place, after the accounts and before the annexes
    config.write_text(config.read_text(encoding="utf-8") + f'\n[[chapters]]\nid = "{NAME}"\ndefault_position = true\n',
                      encoding="utf-8")
    assert "missing data file: the chapter shows the sample figures" in run([venv, "-m", "rapact_core", "check"],
                                                                            cwd=report_copy)
    listing = run([venv, "-m", "rapact_core", "plugins"], cwd=report_copy)
    chapters = [line.split()[1] for line in listing.split("Chapters, in the order of")[1].splitlines()[1:] if line]
    assert chapters[-3:] == ["comptes", NAME, "annexes"] and hint not in listing

    # `rapact build` puts its paragraph (with the fact), its table and its chart in every file
    out = run([venv, "-m", "rapact_core", "build"], cwd=report_copy)
    written = [report_copy / line[len("wrote "):] for line in out.splitlines() if line.startswith("wrote ")]
    docx_file, html_file, pdf_file = sorted(written, key=lambda p: p.suffix)
    assert (docx_file.suffix, html_file.suffix, pdf_file.suffix) == (".docx", ".html", ".pdf")
    sentence = "En 2021, les 3 indicateurs totalisent 46."
    docx_text, pdf_text = testing.docx_text(docx_file), testing.pdf_text(pdf_file)
    assert f"Scaffold test\n{sentence}" in docx_text  # the heading's number is Word's list numbering
    heads = testing.docx_headings(docx_file)
    assert heads.index("8 Scaffold test") < heads.index("9 Annexes :")
    assert docx_text.rindex("Scaffold test") < docx_text.rindex("Annexes :")
    assert [["Indicateur", "Nombre"], ["Projets accompagnés", "14"], ["Demandes traitées", "9"],
            ["Sessions de formation", "23"], ["Total", "46"]] in testing.docx_tables(docx_file)
    assert "Répartition des indicateurs 2021" in docx_text
    assert sentence in pdf_text
    assert pdf_text.rindex("8 Scaffold test") < pdf_text.index(sentence) < pdf_text.rindex("9 Annexes")  # after the TOC
    assert "Sessions de formation\n23\nTotal\n46" in pdf_text
    html = html_file.read_text(encoding="utf-8")
    assert sentence in html and '<figcaption><span class="label">' in html
    assert '<th scope="row">Sessions de formation</th><td class="num">23</td>' in html

    # `rapact new-year` carries its labels over: the 2022 draft has them, figures to fill in
    run([venv, "-m", "rapact_core", "new-year", "2022"], cwd=report_copy)
    kpis = next((report_copy / "reports" / "2022").glob(f"**/{NAME}/kpis.csv"))
    assert kpis.read_text(encoding="utf-8").splitlines() == [
        "indicateur,nombre", "Projets accompagnés,", "Demandes traitées,", "Sessions de formation,"]

    # the generated package's own tests pass, in the venv, against the installed plugin
    tests = run([venv, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", plugin_dir,
                 plugin_dir / "tests"], cwd=tmp_path)
    assert "4 passed" in tests
