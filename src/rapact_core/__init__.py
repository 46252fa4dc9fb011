"""rapact: the yearly report as a build product of its data.

This module is the public API for plugin authors: import from here only.
"""

from .config import Config
from .context import BuildContext
from .checks import same_at_stated_precision, stated_total_findings, stated_value_finding
from .data import Col, DataLoader, Record, TableData, find_table, read_table, read_yaml, setting, to_decimal, todo
from .missing import MISSING, is_missing
from .errors import Finding, FindingCollector, Level, RapactError
from .facts import Fact, FactView, fact, slug
from .formatting import format_value
from .hookimpl import hookimpl
from .model import (
    Align, Block, Cell, CellKind, Chapter, Chart, ChartKind, Column, Custom, Document, Figure,
    Heading, Image, LineBreak, Link, ListBlock, ListItem, Meta, PageBreak, Paragraph,
    ParagraphStyle, Row, RowRole, Series, Table, TableOfContents, Text,
)
from .numbers import parse_decimal, parse_int, parse_percent
from .specs import ChapterSpec, PluginSpec, SectionSpec

__version__ = "0.1.0"

__all__ = [
    "Align", "Block", "BuildContext", "Cell", "CellKind", "Chapter", "ChapterSpec", "Chart",
    "ChartKind", "Col", "Column", "Config", "Custom", "Document", "Fact", "FactView", "Figure",
    "Finding", "FindingCollector", "Heading", "Image", "Level", "LineBreak", "Link", "ListBlock",
    "ListItem", "Meta", "PageBreak", "Paragraph", "ParagraphStyle", "PluginSpec", "RapactError",
    "Record", "Row", "RowRole", "SectionSpec", "Series", "Table", "TableData", "TableOfContents",
    "Text", "fact", "find_table", "format_value", "hookimpl", "parse_decimal", "parse_int",
    "parse_percent", "read_table", "read_yaml", "same_at_stated_precision", "stated_total_findings",
    "stated_value_finding", "to_decimal", "setting", "todo", "MISSING", "is_missing", "DataLoader", "slug",
]
