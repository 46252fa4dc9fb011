"""Reading YAML data files: ``safe_load``, with lines for messages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .errors import Finding, RapactError, display_path
from .i18n import _
from .text import forbidden_strings


def read_yaml(path: Path, *, required: bool = True) -> Any:
    """Load a YAML data file; errors carry the line.

    Aliases, repeated keys, ``.inf``, over-long numbers and deep nesting are
    refused (:mod:`rapact_core.yaml_loader`).
    """
    from .yaml_loader import read_yaml_file

    path = Path(path)
    shown = display_path(path)
    if not path.is_file():
        if required:
            raise RapactError(Finding(_("missing data file"), file=shown))
        return None
    data = read_yaml_file(path)
    problems = [Finding(_("the text holds a control character ({character}) that documents cannot contain").format(
                            character=bad), file=shown, field=key or _("(document)")) for key, bad in forbidden_strings(data)]
    if problems:
        raise RapactError(problems)
    return data


def yaml_line(path: Path, key: str) -> int | None:
    """The line where a top-level ``key:`` is written, for messages; ``stated_meetings.CA``:
    the line of ``CA:`` within the mapping of ``stated_meetings``."""
    top, _, sub = key.partition(".")
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return None
    for n, text in enumerate(lines, 1):
        if re.match(rf"^{re.escape(top)}\s*:", text):
            if not sub:
                return n
            for m, inner in enumerate(lines[n:], n + 1):
                if inner and not inner[0].isspace():
                    break
                if re.match(rf"^\s+{re.escape(sub)}\s*:", inner):
                    return m
            return n
    return None


def yaml_item_lines(path: Path) -> list[dict[str, int]]:
    """For a YAML file holding a list of mappings, each item's lines: ``{"": the
    item's first line, key: the line of that key's value}``, for messages.
    ``[]`` when the file is not such a list."""
    import yaml

    try:
        root = yaml.compose(Path(path).read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    if not isinstance(root, yaml.SequenceNode):
        return []
    out = []
    for item in root.value:
        lines = {"": item.start_mark.line + 1}
        if isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                if isinstance(key, yaml.ScalarNode):
                    lines[str(key.value)] = value.start_mark.line + 1
        out.append(lines)
    return out
