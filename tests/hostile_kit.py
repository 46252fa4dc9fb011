"""Shared by the hostile-input tests (tests/test_hostile_*.py): the checks a reliability
tester makes on every failed build, through the real CLI.

Each case asserts the documented exit code, no traceback, no "unexpected" error (the
catch-all for rapact's own bugs), the culprit's file (and line) named, the previous
outputs byte-identical, and no file left behind in the output folder, hidden ones included.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from rapact_core.cli import main

CONFIG = Path("reports/2021/rapact.toml")
DATA = Path("reports/2021/data")
TEXTS = Path("reports/2021/texts")
DOCX = "rapport-activites-2021.docx"
PDF = "rapport-activites-2021.pdf"
HTML = "rapport-activites-2021.html"

_previous: dict[str, bytes] = {}


@pytest.fixture
def good_outputs(tmp_path_factory) -> dict[str, bytes]:
    """The previous report (a real build of the 2021 report), built once per session."""
    if not _previous:
        from conftest import build_2021

        out = tmp_path_factory.mktemp("previous")
        build_2021(out)
        _previous.update({p.name: p.read_bytes() for p in out.iterdir()})
    return dict(_previous)


def edit(root: Path, rel, old, new, count=1) -> None:
    p = root / rel
    text = p.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    p.write_text(text.replace(old, new, count), encoding="utf-8")


def write(root: Path, rel, content: bytes | str) -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return p


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry of ``folder``, hidden ones included: a file's bytes, None for a folder."""
    if not folder.exists():
        return {}
    return {p.name: (None if p.is_dir() else p.read_bytes()) for p in folder.iterdir()}


def clean_output(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def run_cli(root: Path, args=("build",)):
    """Run the CLI in ``root`` (the caller chdirs there with monkeypatch)."""
    assert Path.cwd() == root
    return CliRunner().invoke(main, list(args))


def seed_outputs(root: Path, outputs: dict[str, bytes]) -> Path:
    out = root / "output"
    out.mkdir(exist_ok=True)
    for name, data in outputs.items():
        (out / name).write_bytes(data)
    return out


def assert_refused(root: Path, good: dict[str, bytes], code: int, expected, args=("build",)) -> str:
    """Build in ``root`` over the previous outputs; check the refusal as a tester would."""
    out = seed_outputs(root, good)
    before = snapshot(out)
    result = run_cli(root, args)
    output = clean_output(result.output)
    assert result.exit_code == code, output
    for text in [expected] if isinstance(expected, str) else expected:
        assert text in output, output
    assert "Traceback" not in output and "unexpected" not in output and "internal error" not in output, output
    assert snapshot(out) == before, sorted(snapshot(out))  # byte-identical, nothing left behind
    return output


def in_report(report_copy, monkeypatch) -> Path:
    monkeypatch.chdir(report_copy)
    return report_copy


def env_without_cache_override() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "RAPACT_CACHE_DIR"}
