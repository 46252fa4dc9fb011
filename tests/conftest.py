import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REPORT_2021 = ROOT / "reports" / "2021"


@pytest.fixture(autouse=True)
def _isolated_chart_cache(tmp_path_factory, monkeypatch):
    # One chart cache per test session: tests never touch the user's cache.
    monkeypatch.setenv("RAPACT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "chart-cache"))


LANGUAGE_VARIABLES = ("RAPACT_LANG", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture(scope="session", autouse=True)
def _messages_in_english_for_the_session():
    # for module- and session-scoped fixtures too, which are made before any test's own fixtures
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RAPACT_LANG", "en")
        yield


@pytest.fixture(autouse=True)
def _messages_in_english(monkeypatch):
    # Most tests check what a message says against its English source text, whatever the
    # machine's language: RAPACT_LANG=en, which the commands they run (in or out of process)
    # inherit. Tests of what a French-speaking editor reads ask for the `french` fixture;
    # tests/test_translations.py checks that every message has its French translation.
    from rapact_core import i18n

    for name in LANGUAGE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RAPACT_LANG", "en")
    i18n.reset()
    yield
    i18n.reset()


@pytest.fixture
def french(monkeypatch):
    """Messages as the editor of the 2021 report reads them on a machine that names no language
    (LANG=C.UTF-8, a server's or container's default): French, from the report's locale."""
    monkeypatch.delenv("RAPACT_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


# The years the project ships and the tests are written against. An editor may have
# made reports/2022 (``rapact new-year``) in the checkout: tests never see it.
SHIPPED_YEARS = ("2020", "2021")


@pytest.fixture
def report_copy(tmp_path):
    """A writable copy of the shipped reports (each year's config, data, texts) in tmp_path."""
    for year in SHIPPED_YEARS:
        shutil.copytree(ROOT / "reports" / year, tmp_path / "reports" / year)
    text = (ROOT / "rapact.toml").read_text(encoding="utf-8")
    (tmp_path / "rapact.toml").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.fixture
def in_dir(monkeypatch):
    def enter(path):
        monkeypatch.chdir(path)
        return path
    return enter


def build_2021(out: Path, *args: str) -> Path:
    """Build the shipped 2021 report into ``out`` through the CLI, as a user does
    (``args``: more options, e.g. ``"--format", "docx"``); fails the test on a non-zero exit."""
    from click.testing import CliRunner

    from rapact_core.cli import main

    result = CliRunner().invoke(main, ["build", "--config", str(ROOT / "rapact.toml"), "--output", str(out), *args])
    assert result.exit_code == 0, result.output
    return out
