"""rapact: the yearly report as a build product of its data.

This module is the public API for plugin authors: import from here only.
Names are imported on first use (PEP 562), so that ``rapact --help`` does not
pay for attrs, cattrs and the model.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# public name → the module that defines it
_EXPORTS = {
    "Config": "config",
    "BuildContext": "context",
    "same_at_stated_precision": "checks", "stated_total_findings": "checks", "stated_value_finding": "checks",
    "Col": "data", "Record": "data", "TableData": "data", "collect_todos": "data", "find_table": "data",
    "read_table": "data", "todo": "data",
    "DataLoader": "loader", "setting": "loader", "to_decimal": "loader",
    "read_yaml": "yamlfiles", "yaml_line": "yamlfiles",
    "MISSING": "missing", "MissingComparison": "missing", "is_missing": "missing",
    "max_of": "figures", "min_of": "figures",
    "Finding": "errors", "Level": "errors", "RapactError": "errors",
    "Computed": "facts", "Fact": "facts", "FactView": "facts", "fact": "facts", "slug": "facts",
    "cell_text": "formatting", "format_value": "formatting", "format_variation": "formatting",
    "hookimpl": "markers",
    "parse_decimal": "numbers", "parse_int": "numbers", "parse_percent": "numbers",
    "ChapterSpec": "specs", "PluginSpec": "specs", "SectionSpec": "specs", "section": "specs",
    **{name: "model" for name in (
        "Align", "Block", "Cell", "CellKind", "Chapter", "Chart", "ChartKind", "Column", "Custom", "Document",
        "Figure", "Heading", "Image", "LineBreak", "Link", "ListBlock", "ListItem", "Meta", "ModelError",
        "NegativeAmounts", "PageBreak", "Paragraph", "ParagraphStyle", "PlainRows", "Ref", "Row", "RowRole",
        "Series", "Table", "TableOfContents", "Text")},
}
# modules plugins may import as ``from rapact_core import carry``
_MODULES = ("carry", "figures", "testing")

__all__ = sorted(_EXPORTS) + list(_MODULES)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    if name in _MODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'rapact_core' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # for type checkers and editors: the eager imports
    from .checks import same_at_stated_precision, stated_total_findings, stated_value_finding  # noqa: F401
    from .config import Config  # noqa: F401
    from .context import BuildContext  # noqa: F401
    from .data import Col, Record, TableData, collect_todos, find_table, read_table, todo  # noqa: F401
    from .errors import Finding, Level, RapactError  # noqa: F401
    from .facts import Computed, Fact, FactView, fact, slug  # noqa: F401
    from .figures import max_of, min_of  # noqa: F401
    from .loader import DataLoader, setting, to_decimal  # noqa: F401
    from .formatting import cell_text, format_value, format_variation  # noqa: F401
    from .markers import hookimpl  # noqa: F401
    from .missing import MISSING, MissingComparison, is_missing  # noqa: F401
    from .model import *  # noqa: F401,F403
    from .numbers import parse_decimal, parse_int, parse_percent  # noqa: F401
    from .specs import ChapterSpec, PluginSpec, SectionSpec, section  # noqa: F401
    from .yamlfiles import read_yaml, yaml_line  # noqa: F401
