"""Faults while the report is written: the DOCX and the PDF are published together or not at
all, a full disk and a broken chart cache say so, and nothing is ever left behind."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hostile_kit import (  # noqa: F401
    DOCX, HTML, PDF, assert_refused, clean_output, good_outputs, in_report, run_cli, seed_outputs, snapshot, write,
)

import rapact_core.output as output


def _failing_replace(monkeypatch, fail_at: int, error: OSError):
    """``os.replace`` failing on the ``fail_at``-th publication of a new file (a ``.part``)."""
    real = os.replace
    calls = []

    def replace(src, dst, *args, **kwargs):
        if str(src).endswith(".part"):
            calls.append(Path(dst).name)
            if len(calls) == fail_at:
                raise error
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(output.os, "replace", replace)
    return calls


@pytest.mark.parametrize("fail_at, error, expected", [
    (2, PermissionError(errno.EACCES, "Permission denied"),
     "cannot replace the file: is it open in another program (Word, a PDF viewer), or made read-only?"),
    (2, PermissionError(errno.EPERM, "Operation not permitted"), "cannot replace the file: is it open"),
    (2, OSError(errno.EIO, "Input/output error"), "cannot replace the file: Input/output error"),
    (2, IsADirectoryError(errno.EISDIR, "Is a directory"), "a folder has the name of this output file"),
    (1, PermissionError(errno.EACCES, "Permission denied"), "cannot replace the file: is it open"),
])
def test_the_set_is_published_whole_or_not_at_all(fail_at, error, expected, report_copy, good_outputs, monkeypatch):
    """The second replacement fails (Word holds the PDF open, say): the DOCX already replaced
    is restored, so both previous files stay byte-identical."""
    root = in_report(report_copy, monkeypatch)
    calls = _failing_replace(monkeypatch, fail_at, error)
    failed = [DOCX, PDF][fail_at - 1]
    assert_refused(root, good_outputs, 1, [f"output/{failed}: error: {expected}", "nothing was written"])
    assert calls == [DOCX, PDF][:fail_at]  # the DOCX was indeed replaced before the PDF failed


def test_a_failed_set_with_no_previous_files_leaves_none(report_copy, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    _failing_replace(monkeypatch, 2, PermissionError(errno.EACCES, "Permission denied"))
    assert run_cli(root).exit_code == 1
    assert snapshot(root / "output") == {}


def test_a_folder_named_like_the_docx(report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    good = {PDF: good_outputs[PDF]}
    out = seed_outputs(root, good)
    (out / DOCX).mkdir()
    (out / DOCX / "keep.txt").write_text("mine")
    result = run_cli(root)
    assert result.exit_code == 1, result.output
    assert f"output/{DOCX}: error: a folder has the name of this output file: rename or remove it" in result.output
    assert snapshot(out) == {PDF: good_outputs[PDF], DOCX: None}
    assert (out / DOCX / "keep.txt").read_text() == "mine"


def test_without_hard_links_the_backup_is_a_copy(report_copy, good_outputs, monkeypatch):
    """On a file system without hard links (FAT, some shares) the rollback still works."""
    root = in_report(report_copy, monkeypatch)

    def no_link(src, dst, *args, **kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(output.os, "link", no_link)
    _failing_replace(monkeypatch, 2, PermissionError(errno.EACCES, "Permission denied"))
    assert_refused(root, good_outputs, 1, f"output/{PDF}: error: cannot replace the file")


def test_a_signal_while_publishing_rolls_the_set_back(report_copy, good_outputs, monkeypatch):
    """SIGTERM arriving between the two replacements (held back until the set is done)."""
    root = in_report(report_copy, monkeypatch)
    from rapact_core import interrupts

    monkeypatch.setattr(interrupts, "pending", lambda: signal.SIGTERM)
    out = seed_outputs(root, good_outputs)
    result = run_cli(root)
    assert result.exit_code == 143, result.output
    assert result.output.strip() == "interrupted; the previous outputs are unchanged."
    assert snapshot(out) == good_outputs


def test_the_published_set_replaces_every_file(report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    out = seed_outputs(root, {DOCX: b"old docx", PDF: b"old pdf", HTML: b"old html"})
    result = run_cli(root)
    assert result.exit_code == 0, result.output
    after = snapshot(out)
    assert sorted(after) == sorted([DOCX, HTML, PDF])  # no backup or temporary file left
    assert after[PDF].startswith(b"%PDF") and after[DOCX].startswith(b"PK")
    assert after[HTML].startswith(b"<!DOCTYPE html>")
    assert oct((out / PDF).stat().st_mode & 0o777) == "0o644"


# ---------------------------------------------------------------- a full disk

@pytest.mark.parametrize("where", ["pdf writer", "docx writer", "temporary file", "fsync"])
def test_a_full_disk_names_the_output_folder(where, report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    full = OSError(errno.ENOSPC, "No space left on device")
    if where.endswith("writer"):
        import rapact_core.render as render

        real = render.renderer
        fmt = where.split()[0]

        def renderer(name):
            if name != fmt:
                return real(name)

            def write(doc, path, options):
                Path(path).write_bytes(b"half a file")
                raise full
            return write

        monkeypatch.setattr(render, "renderer", renderer)
    elif where == "temporary file":
        def mkstemp(*args, **kwargs):
            raise full

        monkeypatch.setattr(output.tempfile, "mkstemp", mkstemp)
    else:
        def fsync(fd):
            raise full

        monkeypatch.setattr(output.os, "fsync", fsync)
    assert_refused(root, good_outputs, 1, "output: error: the output folder is full (no space left on its disk): "
                                          "free some space, then build again")


# ---------------------------------------------------------------- files left by a build killed outright

def test_kill_9_leftovers_are_removed_by_the_next_build(report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    out = seed_outputs(root, good_outputs)
    proc = subprocess.Popen([sys.executable, "-m", "rapact_core", "build"], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if any(p.name.endswith(".part") for p in out.iterdir()):
            proc.kill()
            break
        time.sleep(0.002)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the build ended before it could be killed while writing"
    stranded = [p.name for p in out.iterdir() if p.name.endswith(".part")]
    assert stranded and all(n.startswith(".") and f".{proc.pid}-" in n for n in stranded)
    assert {n: snapshot(out)[n] for n in good_outputs} == good_outputs  # killed: still the previous files

    # a live build's temporary file is not touched; a dead one's, and older names, are
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = out / f".{PDF}.{sleeper.pid}-abcdefgh.part"
        live.write_bytes(b"being written")
        legacy = out / f".{DOCX}.v0jqo7r0.part"
        legacy.write_bytes(b"from an older rapact")
        other = out / ".someone-elses.part"
        other.write_bytes(b"not ours")
        result = run_cli(root)
        assert result.exit_code == 0, result.output
        left = sorted(p.name for p in out.iterdir())
        assert left == sorted([DOCX, HTML, PDF, live.name, other.name])
    finally:
        sleeper.kill()
        sleeper.wait()


# ---------------------------------------------------------------- the chart cache

def _cached_pngs(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.png"))


@pytest.mark.parametrize("damage", ["empty", "truncated", "another image", "not a PNG"])
def test_a_poisoned_chart_cache_is_redrawn(damage, report_copy, tmp_path, monkeypatch):
    from PIL import Image

    root = in_report(report_copy, monkeypatch)
    cache = tmp_path / "cache"
    monkeypatch.setenv("RAPACT_CACHE_DIR", str(cache))
    assert run_cli(root).exit_code == 0
    pngs = _cached_pngs(cache)
    assert pngs
    originals = {p: p.read_bytes() for p in pngs}
    for p in pngs:
        if damage == "empty":
            p.write_bytes(b"")
        elif damage == "truncated":
            p.write_bytes(originals[p][: len(originals[p]) // 2])
        elif damage == "another image":
            Image.new("RGB", (10, 10)).save(p)
        else:
            p.write_text("<html>proxy error</html>")
    pdf_before = (root / "output" / PDF).read_bytes()
    result = run_cli(root)
    assert result.exit_code == 0, result.output
    assert {p: p.read_bytes() for p in pngs} == originals  # drawn again, identical
    assert (root / "output" / PDF).read_bytes() == pdf_before


@pytest.mark.parametrize("blocker", [".cache", ".cache/charts"])
def test_a_chart_cache_path_that_is_a_file(blocker, report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    monkeypatch.delenv("RAPACT_CACHE_DIR")  # the default: output/.cache/charts
    out = seed_outputs(root, good_outputs)
    (out / ".cache").mkdir() if blocker != ".cache" else None
    write(out, blocker, "a file where the cache goes")
    before = snapshot(out)
    result = run_cli(root)
    assert result.exit_code == 1, result.output
    assert f"output/{blocker}: error: the chart cache folder cannot be created: this is a file, not a folder" \
        in result.output
    assert "unexpected" not in result.output and "Traceback" not in result.output
    assert snapshot(out) == before


def test_stale_chart_temporary_files_are_removed(report_copy, tmp_path, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv("RAPACT_CACHE_DIR", str(cache))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = cache / f"0123456789abcdef01234567.{dead.stdout.strip()}.tmp"
    stale.write_bytes(b"half a png")
    from rapact_core.render import charts

    charts._checked_folders.discard(cache)
    assert run_cli(root).exit_code == 0
    assert not stale.exists()
    assert not [p for p in cache.iterdir() if p.name.endswith(".tmp")]


# ---------------------------------------------------------------- new-year onto a file

@pytest.mark.parametrize("kind", ["file", "link"])
def test_new_year_onto_a_file(kind, report_copy, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    target = root / "reports" / "2022"
    if kind == "file":
        target.write_text("notes for 2022")
    else:
        target.symlink_to("/etc")
    result = run_cli(root, ["new-year", "2022"])
    assert result.exit_code == 1, result.output
    assert "reports/2022: error: the folder for 2022 cannot be created: a file (or link) has its name" \
        in clean_output(result.output)
    assert "Traceback" not in result.output and "unexpected" not in result.output
    assert sorted(p.name for p in (root / "reports").iterdir()) == ["2020", "2021", "2022"]  # no staging left
    if kind == "file":
        assert target.read_text() == "notes for 2022"
