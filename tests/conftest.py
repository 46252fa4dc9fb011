import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REPORT_2021 = ROOT / "reports" / "2021"


@pytest.fixture(autouse=True)
def _isolated_chart_cache(tmp_path_factory, monkeypatch):
    # One chart cache per test session: tests never touch the user's cache.
    monkeypatch.setenv("RAPACT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "chart-cache"))


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
