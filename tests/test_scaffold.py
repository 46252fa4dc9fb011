"""``rapact new-plugin``: the generated package works as generated.

The end-to-end test makes a fresh virtual environment, installs rapact from
this checkout and the generated plugin into it (``pip install -e``), and
builds the 2021 report with them, without any change to the core or to the
bundled plugins. The new environment borrows only rapact's *dependencies*
from the environment running the tests (a ``.pth`` file naming its
site-packages folders), so that no download is needed.
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


def test_new_plugin_writes_an_installable_package(tmp_path):
    result = new_plugin("cyber", "--dir", "tmp", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "created plugin 'cyber' in tmp" in result.output
    root = tmp_path / "tmp"
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert files == ["README.md", "pyproject.toml", "rapact_cyber/__init__.py",
                     "rapact_cyber/data/cyber/kpis.csv", "tests/test_cyber.py"]
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert '[project.entry-points.rapact]\ncyber = "rapact_cyber"' in pyproject
    assert 'dependencies = ["rapact"]' in pyproject and 'name = "rapact-cyber"' in pyproject
    assert "cp -r rapact_cyber/data/cyber <report>/data/" in (root / "README.md").read_text(encoding="utf-8")
    # the default folder is ./rapact-NAME
    assert new_plugin("cyber_security", cwd=tmp_path).exit_code == 0
    assert (tmp_path / "rapact-cyber-security" / "rapact_cyber_security" / "__init__.py").is_file()


@pytest.mark.parametrize("name", ["Cyber", "cyber-security", "1cyber", "cyber_", "cy__ber", "", "class"])
def test_new_plugin_refuses_invalid_names(tmp_path, name):
    result = new_plugin(name, "--dir", "out", cwd=tmp_path)
    assert result.exit_code == 2
    assert f"invalid plugin name {name!r}" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_new_plugin_refuses_a_folder_with_contents_and_installed_names(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine", encoding="utf-8")
    result = new_plugin("cyber", "--dir", "full", cwd=tmp_path)
    assert result.exit_code == 2
    assert "full already exists and is not empty" in result.output
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]
    result = new_plugin("members", "--dir", "m", cwd=tmp_path)
    assert result.exit_code == 2 and "a plugin named 'members' is already installed" in result.output
    result = new_plugin("report", "--dir", "m", cwd=tmp_path)  # the core's namespace (report.year…)
    assert result.exit_code == 2 and "'report' is already the fact namespace of plugin 'core'" in result.output
    result = new_plugin("toc", "--dir", "m", cwd=tmp_path)
    assert result.exit_code == 2 and "'toc' is already the chapter id of plugin 'core'" in result.output
    (tmp_path / "empty").mkdir()  # an empty folder is fine
    assert create_plugin("cyber", tmp_path / "empty") == tmp_path / "empty"
    with pytest.raises(RapactError, match="not a folder"):
        create_plugin("cyber", tmp_path / "full" / "keep.txt")


@pytest.fixture
def generated(tmp_path, monkeypatch):
    """The generated rapact_cyber, importable in this process (not installed)."""
    root = create_plugin("cyber", tmp_path / "rapact-cyber")
    monkeypatch.syspath_prepend(str(root))
    sys.modules.pop("rapact_cyber", None)
    yield importlib.import_module("rapact_cyber")
    sys.modules.pop("rapact_cyber", None)


def test_generated_chapter_lands_at_its_position_with_the_2021_report(generated, report_copy, in_dir):
    in_dir(report_copy)
    result = testing.build_result("rapact.toml", {"cyber": generated}, bundled=True)
    ids = [c.id for c in result.document.chapters]
    assert ids[-3:] == ["comptes", "cyber", "annexes"]  # position 85: after the accounts, before the annexes
    assert testing.table_rows(result.document, "cyber-kpis")[-1] == ["Total", "46"]
    assert "8 Cyber" in testing.headings(result.document)
    # listed in the configuration: its place and its title come from there; or disabled
    config = load_config("rapact.toml").path  # the file that lists the chapters
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('id = "avant-propos"\n', 'id = "cyber"\ntitle = "Cybersécurité"\n\n'
                                   '[[chapters]]\nid = "avant-propos"\n'), encoding="utf-8")
    result = testing.build_result("rapact.toml", {"cyber": generated}, bundled=True)
    assert testing.headings(result.document)[0] == "1 Cybersécurité"
    result = testing.build_result("rapact.toml", {"cyber": generated}, bundled=True, disabled=["cyber"])
    assert "cyber" not in [c.id for c in result.document.chapters]


# ---------------------------------------------------------------- in a fresh venv


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def run(args, cwd, timeout=600):
    proc = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def venv(tmp_path):
    """A fresh venv with rapact installed from this checkout, and nothing else of its own.

    Made ``--without-pip``: pip, setuptools and rapact's dependencies are
    found through a ``.pth`` file listing this environment's site-packages
    folders as plain paths. Plain paths: the ``.pth`` files *inside* those
    folders are not read, so an editable rapact installed here stays invisible
    there, and the test proves that rapact itself is installed in the new venv.
    """
    import sysconfig

    venv = tmp_path / "venv"
    try:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)],
                       check=True, capture_output=True, timeout=300)
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"cannot create a virtual environment here: {exc}")
    python = venv_python(venv)
    site = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=tmp_path).strip()
    ours = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (Path(site) / "borrowed-dependencies.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    missing = subprocess.run([str(python), "-c", "import rapact_core"], capture_output=True, text=True)
    assert missing.returncode != 0 and "No module named 'rapact_core'" in missing.stderr, \
        "the new venv sees a rapact that was not installed in it"
    run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "-e", ROOT], cwd=tmp_path)
    where = run([python, "-c", "import importlib.metadata as md, rapact_core; "
                 "print(rapact_core.__file__); print(md.distribution('rapact')._path)"], cwd=tmp_path).split()
    assert Path(where[0]).is_relative_to(ROOT / "src") and Path(where[1]).is_relative_to(venv)
    return python


def test_generated_plugin_installed_in_a_fresh_venv_builds_into_docx_and_pdf(tmp_path, venv, report_copy):
    assert new_plugin("cyber", "--dir", "tmp", cwd=tmp_path).exit_code == 0
    plugin_dir = tmp_path / "tmp"
    run([venv, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "-e", plugin_dir],
        cwd=tmp_path)

    # `rapact plugins` lists the plugin (from its distribution) and its chapter, at its default place
    listing = run([venv, "-m", "rapact_core", "plugins"], cwd=report_copy)
    assert "cyber        Cyber: key figures of the year (generated by rapact new-plugin)  [rapact-cyber 0.1.0]" \
        in listing
    assert "section cyber.kpis:" in listing
    chapters = [line.split()[1] for line in listing.split("Chapters, in the order of")[1].splitlines()[1:] if line]
    assert chapters[-3:] == ["comptes", "cyber", "annexes"]
    assert "cyber              cyber        enabled   Cyber  (not in the configuration: default position)" in listing

    # `rapact build` puts its paragraph (with the fact), its table and its chart in every file
    out = run([venv, "-m", "rapact_core", "build"], cwd=report_copy)
    written = [report_copy / line[len("wrote "):] for line in out.splitlines() if line.startswith("wrote ")]
    docx_file, html_file, pdf_file = sorted(written, key=lambda p: p.suffix)
    assert (docx_file.suffix, html_file.suffix, pdf_file.suffix) == (".docx", ".html", ".pdf")
    sentence = "En 2021, les 3 indicateurs totalisent 46."
    docx_text, pdf_text = testing.docx_text(docx_file), testing.pdf_text(pdf_file)
    assert f"8 Cyber\n{sentence}" in docx_text
    assert docx_text.rindex("8 Cyber") < docx_text.rindex("9 Annexes")
    assert [["Indicateur", "Nombre"], ["Projets accompagnés", "14"], ["Demandes traitées", "9"],
            ["Sessions de formation", "23"], ["Total", "46"]] in testing.docx_tables(docx_file)
    assert "Répartition des indicateurs 2021" in docx_text
    assert sentence in pdf_text
    assert pdf_text.rindex("8 Cyber") < pdf_text.index(sentence) < pdf_text.rindex("9 Annexes")  # after the TOC
    assert "Sessions de formation\n23\nTotal\n46" in pdf_text
    html = html_file.read_text(encoding="utf-8")
    assert sentence in html and '<figcaption><span class="label">' in html
    assert '<th scope="row">Sessions de formation</th><td class="num">23</td>' in html

    # `rapact new-year` carries its labels over: the 2022 draft has them, figures to fill in
    run([venv, "-m", "rapact_core", "new-year", "2022"], cwd=report_copy)
    kpis = next((report_copy / "reports" / "2022").glob("**/cyber/kpis.csv"))
    assert kpis.read_text(encoding="utf-8").splitlines() == [
        "indicateur,nombre", "Projets accompagnés,", "Demandes traitées,", "Sessions de formation,"]

    # the generated package's own tests pass, in the venv, against the installed plugin
    tests = run([venv, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", plugin_dir,
                 plugin_dir / "tests"], cwd=tmp_path)
    assert "4 passed" in tests
