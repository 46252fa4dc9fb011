"""Output files older than the report they claim to be.

``rapact build --format docx`` writes the Word file and leaves the PDF of an
earlier build beside it. rapact never deletes a file it did not write in this
build (it may be the edition already sent to print or to the members); it
says instead, in the build's summary and in ``rapact check``, which file is
out of date and how to bring it up to date.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .config import FORMATS, Config
from .errors import Finding, Level, display_path
from .i18n import _

_SUFFIX = {"docx": ".docx", "pdf": ".pdf", "html": ".html"}


def output_name(config: Config, disabled: Iterable[str] = (), given: str | None = None) -> str:
    """The output files' name (without extension): ``--output-name``, else the
    configuration's ``name``, marked when chapters are left out on the command
    line: ``rapport-activites-2021-sans-annexes``."""
    if given:
        return given
    left_out = sorted(set(disabled))
    return f"{config.name}-sans-{'-'.join(left_out)}" if left_out else config.name


def newest_input(config: Config) -> float:
    """The time of the newest file the report is built from (configuration, data, texts, pictures)."""
    newest = config.path.stat().st_mtime if config.path else 0.0
    for root, _dirs, files in os.walk(config.folder):
        if any(part.startswith(".") for part in Path(root).relative_to(config.folder).parts):
            continue
        for name in files:
            try:
                newest = max(newest, os.stat(os.path.join(root, name)).st_mtime)
            except OSError:
                continue
    return newest


def not_rebuilt(out_dir: Path, name: str, built: Iterable[str]) -> list[Path]:
    """The files of formats this build did not write, left from an earlier one."""
    built = set(built)
    return [out_dir / f"{name}{_SUFFIX[fmt]}" for fmt in FORMATS
            if fmt not in built and (out_dir / f"{name}{_SUFFIX[fmt]}").is_file()]


def stale_outputs(config: Config, out_dir: Path) -> list[Finding]:
    """A warning for each output file of the report older than its newest input."""
    try:
        newest = newest_input(config)
    except OSError:
        return []
    out = []
    for fmt in FORMATS:
        path = Path(out_dir) / f"{config.name}{_SUFFIX[fmt]}"
        try:
            built_at = path.stat().st_mtime
        except OSError:
            continue
        if built_at < newest:
            out.append(Finding(
                _("this {format} was built before the last change to the data, the texts or the "
                  "configuration: it does not show them").format(format=fmt.upper()),
                Level.WARNING, display_path(path),
                hint=_("rebuild it (`rapact build`, or `rapact build --format {format}`), or delete it").format(
                    format=fmt)))
    return out
