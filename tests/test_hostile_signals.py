"""Real build processes interrupted at random moments, or starved of memory: one line, the
conventional exit code, the previous outputs byte-identical, no temporary file left."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from hostile_kit import good_outputs, seed_outputs, snapshot  # noqa: F401

MESSAGE = "interrupted; the previous outputs are unchanged."
# Before this, the interpreter itself is starting (its own handlers, not rapact's, are in place).
STARTUP_SECONDS = 0.2


def _build(root, env, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "rapact_core", "build"], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def test_sigterm_and_sigint_ten_times_each_at_random_moments(report_copy):
    env = dict(os.environ)  # the session's chart cache: warm after the first build
    out = report_copy / "output"
    durations = []
    for _ in range(3):
        started = time.monotonic()
        proc = _build(report_copy, env)
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr.decode()
        durations.append(time.monotonic() - started)
    previous = snapshot(out)
    assert sorted(previous) == ["rapport-activites-2021.docx", "rapport-activites-2021.html", "rapport-activites-2021.pdf"]
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    shortest = min(durations)
    late = []
    for i, sig in enumerate([signal.SIGTERM, signal.SIGINT] * 10):
        delay = rng.uniform(STARTUP_SECONDS, max(STARTUP_SECONDS, 0.8 * shortest))
        started = time.monotonic()
        proc = _build(report_copy, env)
        time.sleep(delay)
        proc.send_signal(sig)
        stdout, stderr = proc.communicate(timeout=300)
        after = snapshot(out)
        where = f"delivery {i}: {sig.name} after {delay:.2f} s (seed {seed}, a build takes {shortest:.2f} s)"
        assert b"Traceback" not in stderr, where + stderr.decode()
        if proc.returncode == 0:  # the build had published before the signal came: a whole new set
            assert sorted(after) == sorted(previous), where
            late.append(where)
            previous = after
            shortest = min(shortest, time.monotonic() - started)  # the machine got faster: aim earlier
            continue
        assert proc.returncode == 128 + sig, f"{where}: exit {proc.returncode}: {stderr.decode()}"
        assert stderr.decode().splitlines() == [MESSAGE], where
        assert stdout == b"", where
        assert after == previous, where  # byte-identical, and no temporary file, hidden or not
    assert len(late) <= 3, late  # nearly every delivery lands while the build runs


def test_a_second_signal_while_the_first_is_handled(report_copy, good_outputs):
    out = seed_outputs(report_copy, good_outputs)
    proc = _build(report_copy, dict(os.environ))
    time.sleep(0.8)
    for _ in range(5):
        proc.send_signal(signal.SIGINT)
        time.sleep(0.005)
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 130, stderr.decode()
    assert stderr.decode().splitlines() == [MESSAGE]
    assert snapshot(out) == good_outputs


def _limit_memory(megabytes: int):
    def limit():
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (megabytes << 20, megabytes << 20))
    return limit


@pytest.mark.parametrize("megabytes, cache", [(150, "cold"), (120, "cold"), (64, "warm")])
def test_not_enough_memory(megabytes, cache, report_copy, good_outputs, tmp_path):
    """Under a memory limit, a cold build (charts to draw: numpy and matplotlib to load) and a
    warm one both end with rapact's message, not numpy's or OpenBLAS's."""
    pytest.importorskip("resource")
    env = dict(os.environ)
    if cache == "cold":
        env["RAPACT_CACHE_DIR"] = str(tmp_path / "cold-cache")
    out = seed_outputs(report_copy, good_outputs)
    proc = _build(report_copy, env, preexec_fn=_limit_memory(megabytes))
    stdout, stderr = proc.communicate(timeout=300)
    text = stderr.decode()
    assert proc.returncode == 1, text
    assert text.splitlines()[0] == ("rapact: error: not enough memory to build the report: close other programs, "
                                    "or build on a machine with more memory"), text
    assert "Traceback" not in text and "OpenBLAS" not in text and "numpy" not in text
    assert snapshot(out) == good_outputs


def test_lxml_running_out_of_memory_is_reported_as_memory():
    """libxml2 out of memory while python-docx parses a table: lxml raises an XMLSyntaxError
    ("unknown error"), which the CLI must read as what it is."""
    pytest.importorskip("resource")
    script = """
import resource
from lxml import etree
from rapact_core.cli import _out_of_memory
resource.setrlimit(resource.RLIMIT_AS, (160 << 20, 160 << 20))
hog = []
try:
    while True:
        hog.append(bytearray(1 << 20))
except MemoryError:
    del hog[-3:]
try:
    etree.fromstring("<a>" + "<b>x</b>" * 200000 + "</a>")
    print("parsed")
except Exception as exc:
    print(type(exc).__name__, _out_of_memory(exc))
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.stdout.split() in (["XMLSyntaxError", "True"], ["MemoryError", "True"]), proc.stdout + proc.stderr
    # a real syntax error stays a bug report
    from lxml import etree

    from rapact_core.cli import _out_of_memory

    with pytest.raises(etree.XMLSyntaxError) as bad:
        etree.fromstring("<a><b></a>")
    assert not _out_of_memory(bad.value)
