"""Publishing outputs: all files or none."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rapact_core.errors import Finding, RapactError
from rapact_core.output import write_all


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


def test_all_files_published(tmp_path):
    out = tmp_path / "out"
    files = write_all(out, {"r.pdf": _writer("pdf"), "r.docx": _writer("docx")})
    assert [p.name for p in files] == ["r.pdf", "r.docx"]
    assert {p.name: p.read_text() for p in files} == {
        "r.pdf": f"pdf written by {os.getpid()}", "r.docx": f"docx written by {os.getpid()}"}
    assert sorted(p.name for p in out.iterdir()) == ["r.docx", "r.pdf"]  # no temporary file left


@pytest.mark.parametrize("failing", ["r.pdf", "r.docx"])
def test_a_failing_writer_publishes_nothing(tmp_path, failing):
    out = tmp_path / "out"
    old = _old_files(out)

    def bad(path: Path) -> None:
        path.write_text("half a file")
        raise RapactError(Finding("a cell holds U+0007", file="data/x.csv", line=3, field="nom"))

    writers = {"r.pdf": _writer("pdf"), "r.docx": _writer("docx")}
    writers[failing] = bad
    with pytest.raises(RapactError) as info:
        write_all(out, writers)
    finding = info.value.findings[0]
    assert (finding.message, finding.file, finding.line, finding.field) == \
        ("a cell holds U+0007", "data/x.csv", 3, "nom")
    assert {p.name: p.read_text() for p in out.iterdir()} == old  # hidden temporary files too
