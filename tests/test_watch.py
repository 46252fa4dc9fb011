"""`rapact watch`: a live preview served on the loopback address, rebuilt when a text changes."""

import os
import re
import select
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from rapact_core.watch import RELOAD_SCRIPT, VERSION_PATH, with_reload

START_TIMEOUT = 90  # a first build of the 2021 HTML edition on a busy 2-core machine
CHANGE_TIMEOUT = 60
STOP_TIMEOUT = 15


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (a loopback URL of this test)
        return response.read().decode("utf-8")


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen within {timeout} s")


def _read_url(proc: subprocess.Popen, timeout: float) -> str:
    """The URL the command prints on stderr once it serves."""
    deadline = time.monotonic() + timeout
    seen = ""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stderr], [], [], 0.5)
        if ready:
            line = proc.stderr.readline().decode("utf-8", "replace")
            if not line and proc.poll() is not None:
                break
            seen += line
            match = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            if match:
                return match.group(1)
    raise AssertionError(f"rapact watch printed no URL within {timeout} s:\n{seen}")


def test_watch_serves_the_html_edition_and_rebuilds_when_a_text_changes(report_copy):
    command = [os.path.join(os.path.dirname(sys.executable), "rapact"), "watch", "--port", "0"]
    proc = subprocess.Popen(command, cwd=report_copy, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        url = _read_url(proc, START_TIMEOUT)
        assert url.startswith("http://127.0.0.1:")  # the loopback address only
        page = _wait_for(lambda: (p := _get(url)) and "Pour toutes informations complémentaires" in p and p,
                         START_TIMEOUT, "the first build")
        assert "<h1" in page and RELOAD_SCRIPT in page  # the HTML edition, with the script that reloads it
        first = int(_get(url + VERSION_PATH.lstrip("/")))

        text = report_copy / "reports" / "2021" / "texts" / "avant-propos.md"
        source = text.read_text(encoding="utf-8")
        text.write_text(source.replace("Pour toutes informations complémentaires",
                                       "Pour toute information utile"), encoding="utf-8")

        page = _wait_for(lambda: (p := _get(url)) and "Pour toute information utile" in p and p,
                         CHANGE_TIMEOUT, "the rebuild after the text changed")
        assert "Pour toutes informations complémentaires" not in page
        assert int(_get(url + VERSION_PATH.lstrip("/"))) > first  # the page's script sees a newer build
        # the published outputs are not touched: the preview has its own folder
        assert not (report_copy / "output" / "rapport-activites-2021.html").exists()
        assert (report_copy / "output" / ".preview" / "rapport-activites-2021.html").is_file()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=STOP_TIMEOUT)
            pytest.fail(f"rapact watch did not stop within {STOP_TIMEOUT} s of SIGTERM")
        proc.stderr.close()
    assert proc.returncode == 143  # stopped by the signal, as the shell counts it


def test_the_reload_script_goes_before_the_end_of_the_body():
    page = with_reload("<html><body><p>x</p></body></html>")
    assert page.endswith(RELOAD_SCRIPT + "</body></html>")
    assert VERSION_PATH in RELOAD_SCRIPT and "location.reload()" in RELOAD_SCRIPT
