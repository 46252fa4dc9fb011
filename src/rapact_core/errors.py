"""Findings and the project's error type.

Every problem rapact reports, from a bad TOML key to a total that does not add
up, is a :class:`Finding`: where it is (file, line or row, field), how bad it
is, and what was expected. ``RapactError`` carries one or more findings; the
CLI prints them as ``file:line: error: message`` and never a traceback.
"""

from __future__ import annotations

import os
from enum import Enum
from functools import lru_cache
from pathlib import Path

import attrs
from attrs import field, frozen

from .i18n import N_, _


class Level(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    TO_COMPLETE = "todo"  # a figure or file still to be filled in: the editor's to-do list


# how each level prints, in the editor's language: "erreur", "à vérifier", "à compléter"
_LEVEL_WORDS = {Level.ERROR: N_("error"), Level.WARNING: N_("warning"), Level.TO_COMPLETE: N_("todo")}


def display_path(path: str | Path | None) -> str | None:
    """A path relative to the working directory when possible, for messages."""
    if path is None:
        return None
    return _display_path(str(path), os.getcwd())


@lru_cache(maxsize=1024)
def _display_path(path: str, cwd: str) -> str:
    # resolve() asks the file system about every component: paths are shown
    # again and again (each data file, each record's origin). The path as
    # written comes first: a symbolic link is shown as itself, not as its target.
    p = Path(path)
    try:
        return str(Path(os.path.abspath(p)).relative_to(os.path.abspath(cwd)))
    except ValueError:
        pass
    try:
        return str(p.resolve().relative_to(Path(cwd).resolve()))
    except (ValueError, RuntimeError, OSError):  # elsewhere, or a symbolic link loop
        return str(p)


@frozen
class Finding:
    """One problem, located as precisely as the source allows.

    ``line`` is the line of a text file or the row of a spreadsheet as the
    spreadsheet numbers it (header = row 1). ``field`` is a column name or a
    key path such as ``chapters[3].id``.
    """

    message: str
    level: Level = Level.ERROR
    file: str | None = field(default=None, converter=lambda f: display_path(f))
    line: int | None = None
    field: str | None = None
    plugin: str | None = None
    #: what the editor can do about it ("correct the figure in the text, or the data in …")
    hint: str | None = None
    #: where the figure appears in the report (chapter, table or sentence); filled in by
    #: the core from ``section`` and ``facts`` once the document is built (:mod:`rapact_core.places`)
    where: str | None = None
    #: the rows or places concerned, when one cause shows in several (one line each)
    items: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    #: the report section (``"governance.bodies"``) whose table or chart shows the figure
    section: str | None = None
    #: the facts (``"members.total"``) the figure is; the report's sentences using them are named
    facts: tuple[str, ...] = attrs.field(default=(), converter=tuple)

    def format(self) -> str:
        """``file:line: level: message``, then, indented, the rows concerned, where the
        figure is in the report and what to do (each on its own line, when known)."""
        where = self.file or "rapact"
        if self.line is not None:
            where += f":{self.line}"
        detail = self.message
        if self.field:
            detail = _("{field}: {message}").format(field=self.field, message=detail)
        if self.plugin and not self.file:
            detail = f"[{self.plugin}] {detail}"
        lines = [_("{where}: {level}: {message}").format(where=where, level=_(_LEVEL_WORDS[self.level]),
                                                          message=detail)]
        lines += [f"    - {item}" for item in self.items]
        if self.where:
            places = self.where.split("\n")
            lines.append("    " + _("in the report: {where}").format(where=places[0]))
            lines += [f"      {place}" for place in places[1:]]
        if self.hint:
            lines.append("    " + _("what to do: {hint}").format(hint=self.hint))
        return "\n".join(lines)

    def with_level(self, level: Level) -> "Finding":
        """The same finding at another level (``--strict`` makes warnings errors)."""
        return attrs.evolve(self, level=level)

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR


class RapactError(Exception):
    """An error the user can act on; carries one or more findings."""

    def __init__(self, findings, *, exit_code: int = 1):
        if isinstance(findings, Finding):
            findings = [findings]
        elif isinstance(findings, str):
            findings = [Finding(findings)]
        self.findings: list[Finding] = list(findings)
        self.exit_code = exit_code
        super().__init__("\n".join(f.format() for f in self.findings))


def error(message: str, *, file=None, line=None, field=None, plugin=None) -> RapactError:
    """Shorthand for a RapactError with one finding."""
    return RapactError(
        Finding(message, file=display_path(file), line=line, field=field, plugin=plugin)
    )

