"""Headless Chromium for the tests of the HTML edition: Debian's browser and driver, never a download.

``RAPACT_REQUIRE_BROWSER=1`` (set by ``.ci/run``) turns every "not installed"
skip into a failure, so CI cannot pass without running these checks.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMEDRIVER = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
         "--hide-scrollbars", "--force-device-scale-factor=1")


def unavailable(message: str):
    """Skip, or fail when the environment requires the browser checks to run."""
    if os.environ.get("RAPACT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{message} (RAPACT_REQUIRE_BROWSER=1: browser checks must run)")
    pytest.skip(message)


def _first(paths) -> str | None:
    return next((p for p in paths if Path(p).is_file() and os.access(p, os.X_OK)), None)


def require_axe() -> str:
    if not AXE.is_file():
        unavailable("axe-core is not installed: run `npm ci` at the repository root (needs node and npm)")
    return AXE.read_text(encoding="utf-8")


@contextmanager
def chromium(width: int = 1280, height: int = 900):
    """A selenium WebDriver on Debian's chromium and chromium-driver, in a fresh profile."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        unavailable("selenium is not installed: pip install -e '.[test]'")
    browser, driver_path = _first(CHROMIUM), _first(CHROMEDRIVER)
    if browser is None or driver_path is None:
        unavailable("Chromium is not installed: apt-get install chromium chromium-driver")
    # Selenium Manager would download a browser or a driver it does not find: never
    os.environ["SE_OFFLINE"] = "true"
    profile = tempfile.mkdtemp(prefix="rapact-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        set_width(driver, width, height)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def set_width(driver, width: int, height: int = 900) -> None:
    """The viewport (not the window) ``width`` CSS pixels wide, as a phone's or a desktop's."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def full_page_screenshot(driver, path: Path, width: int) -> Path:
    """The whole page as one PNG, ``width`` CSS pixels wide."""
    import base64

    height = driver.execute_script("return document.documentElement.scrollHeight")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "captureBeyondViewport": True, "format": "png",
        "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
    path.write_bytes(base64.b64decode(shot["data"]))
    return path
