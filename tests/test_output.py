"""Publishing outputs: all files or none, whether they are written one after the other
or side by side in processes of their own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rapact_core.errors import Finding, RapactError
from rapact_core.output import write_all

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="files are written side by side with os.fork")


def _writer(text: str):
    def write(path: Path) -> None:
        path.write_text(f"{text} written by {os.getpid()}")
    return write


def _old_files(folder: Path) -> dict[str, str]:
    folder.mkdir()
    old = {"r.docx": "old docx", "r.pdf": "old pdf"}
    for name, text in old.items():
        (folder / name).write_text(text)
    return old


@pytest.mark.parametrize("parallel", [False, True])
def test_all_files_published(tmp_path, parallel):
    out = tmp_path / "out"
    files = write_all(out, {"r.pdf": _writer("pdf"), "r.docx": _writer("docx")}, parallel=parallel)
    assert [p.name for p in files] == ["r.pdf", "r.docx"]
    writers = {p.name: p.read_text().split()[-1] for p in files}
    assert writers["r.pdf"] == str(os.getpid())
    if parallel and hasattr(os, "fork"):
        assert writers["r.docx"] != str(os.getpid())  # the second file had a process of its own
    assert sorted(p.name for p in out.iterdir()) == ["r.docx", "r.pdf"]  # no temporary file left


@needs_fork
def test_error_in_the_child_writer_is_reported_and_nothing_published(tmp_path):
    out = tmp_path / "out"
    old = _old_files(out)

    def bad(path: Path) -> None:
        raise RapactError(Finding("a cell holds U+0007", file="data/x.csv", line=3, field="nom"))

    with pytest.raises(RapactError) as info:
        write_all(out, {"r.pdf": _writer("pdf"), "r.docx": bad}, parallel=True)
    finding = info.value.findings[0]
    assert (finding.message, finding.file, finding.line, finding.field) == \
        ("a cell holds U+0007", "data/x.csv", 3, "nom")
    assert {p.name: p.read_text() for p in out.iterdir()} == old


@needs_fork
def test_crash_in_the_child_writer_names_it(tmp_path):
    out = tmp_path / "out"
    old = _old_files(out)

    def crash(path: Path) -> None:
        raise ZeroDivisionError("division by zero")

    with pytest.raises(RuntimeError, match="ZeroDivisionError: division by zero") as info:
        write_all(out, {"r.pdf": _writer("pdf"), "r.docx": crash}, parallel=True)
    assert any("in crash" in note for note in info.value.__notes__)  # the child's traceback
    assert {p.name: p.read_text() for p in out.iterdir()} == old


@needs_fork
def test_error_in_the_first_writer_stops_the_child(tmp_path):
    out = tmp_path / "out"
    old = _old_files(out)
    started = tmp_path / "started"

    def slow(path: Path) -> None:
        started.write_text("x")
        import time
        time.sleep(60)

    def bad(path: Path) -> None:
        import time
        while not started.exists():
            time.sleep(0.01)
        raise RapactError("the PDF cannot be written")

    with pytest.raises(RapactError, match="the PDF cannot be written"):
        write_all(out, {"r.pdf": bad, "r.docx": slow}, parallel=True)
    # the child was stopped and waited for: nothing of it is left behind
    assert {p.name: p.read_text() for p in out.iterdir()} == old


@needs_fork
def test_prepared_writer_gets_its_payload_later(tmp_path):
    from rapact_core.output import PreparedWriter

    def setup():
        ready = os.getpid()  # work done before the payload exists, in the child
        return lambda payload, path: path.write_text(f"{payload} by {ready}")

    prepared = PreparedWriter(setup)
    assert prepared.prepare({"title": "Rapport 2021"})
    out = tmp_path / "out"
    files = write_all(out, {"r.pdf": prepared, "r.docx": _writer("docx")})
    text = (out / "r.pdf").read_text()
    assert text.startswith("{'title': 'Rapport 2021'} by ") and text.split()[-1] != str(os.getpid())
    assert [p.name for p in files] == ["r.pdf", "r.docx"]
    prepared.cancel()  # already waited for: nothing happens (its pid may be reused)


@needs_fork
def test_prepared_writer_setup_error_is_reported_when_used(tmp_path):
    from rapact_core.output import PreparedWriter

    def setup():
        raise RapactError(Finding("the template is not a DOCX", file="modele.docx"))

    prepared = PreparedWriter(setup)
    assert prepared.prepare("doc")
    out = tmp_path / "out"
    old = _old_files(out)
    with pytest.raises(RapactError, match="the template is not a DOCX"):
        write_all(out, {"r.pdf": prepared, "r.docx": _writer("docx")})
    assert {p.name: p.read_text() for p in out.iterdir()} == old


@needs_fork
def test_prepared_writer_let_go(tmp_path):
    from rapact_core.output import PreparedWriter

    unused = PreparedWriter(lambda: print)
    unused.cancel()  # e.g. the data had errors: the child leaves, and is reaped
    with pytest.raises(ChildProcessError):
        os.waitpid(unused.pid, os.WNOHANG)
    unpicklable = PreparedWriter(lambda: print)
    assert unpicklable.prepare(lambda: None) is False  # the caller writes the file itself
    with pytest.raises(ChildProcessError):
        os.waitpid(unpicklable.pid, os.WNOHANG)


@needs_fork
def test_one_process_or_several_same_files(report_copy, monkeypatch):
    """The 2021 report written by one process (RAPACT_PARALLEL=0) and by several
    (PDF writer prepared while the document is assembled, DOCX beside it): same bytes."""
    from rapact_core.runner import build

    monkeypatch.setenv("RAPACT_CACHE_DIR", str(report_copy / "charts"))
    config = report_copy / "rapact.toml"
    build(config, output=report_copy / "warm-up")  # fills the chart cache
    several = build(config, output=report_copy / "several").files
    monkeypatch.setenv("RAPACT_PARALLEL", "0")
    one = build(config, output=report_copy / "one").files
    assert [p.read_bytes() for p in several] == [p.read_bytes() for p in one]
