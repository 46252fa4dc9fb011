"""A test kit for plugin authors (and rapact's own tests).

Build a document from chosen plugins, without entry points, and query it:
headings, tables as rows of formatted cells, facts. Optionally render and read
the DOCX and PDF back as text.

    from rapact_core import testing
    result = testing.build_result("reports/2021/rapact.toml", plugins={"cyber": my_plugin})
    assert testing.table_rows(result.document, "cyber-kpis")[-1] == ["Total", "12"]
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from . import builtin
from . import model as m
from .config import load_config
from .formatting import format_value, normalise_spaces
from .numbering import heading_text
from .pipeline import BuildResult, build_document
from .plugins import Plugins, load_plugins


def make_plugins(plugins: Mapping[str, object] | None = None, *, bundled: bool = False) -> Plugins:
    """A plugin set: the core's plugin plus ``plugins`` (name → module or object).

    With ``bundled=True`` the installed entry points are loaded too.
    """
    extra = [] if bundled else [("core", builtin)]
    extra += list((plugins or {}).items())
    return load_plugins(entrypoints=bundled, extra=extra)


def build_result(config_path: Path | str, plugins: Mapping[str, object] | None = None, *,
                 bundled: bool = False, disabled=()) -> BuildResult:
    """Load, compute, check and assemble; raises RapactError like the CLI would report."""
    return build_document(load_config(config_path), make_plugins(plugins, bundled=bundled), disabled=disabled)


MINIMAL_CONFIG = """name = "rapport"
[report]
title = "Rapport de test"
reference = "TEST-1"
organisation = "Test"
year = 2021
"""


def make_report(folder: Path, files: Mapping[str, str] | None = None, *, config: str = MINIMAL_CONFIG) -> Path:
    """A throw-away report folder: ``rapact.toml``, ``data/``, ``texts/`` and the given files
    (path relative to the folder → text). Returns the configuration's path."""
    folder = Path(folder)
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "texts").mkdir(parents=True, exist_ok=True)
    (folder / "rapact.toml").write_text(config, encoding="utf-8")
    for rel, text in (files or {}).items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder / "rapact.toml"


def render(config_path: Path | str, plugins: Mapping[str, object] | None = None, *, output: Path | str,
           bundled: bool = False, formats=("docx", "pdf")) -> list[Path]:
    """Build and write the report's files with the given plugins; returns the files written."""
    from .runner import build

    outcome = build(config_path, output=output, formats=formats, plugins=make_plugins(plugins, bundled=bundled))
    return list(outcome.files)


def headings(doc: m.Document) -> list[str]:
    """Every heading as printed: "3.1 iMio."."""
    return [heading_text(b) for b in doc.blocks() if isinstance(b, m.Heading)]


def tables(doc: m.Document) -> list[m.Table]:
    return [b for b in doc.blocks() if isinstance(b, m.Table)]


def table(doc: m.Document, table_id: str) -> m.Table:
    for t in tables(doc):
        if t.id == table_id:
            return t
    raise KeyError(f"no table {table_id!r}; tables: {[t.id for t in tables(doc)]}")


def table_rows(doc_or_table, table_id: str | None = None, *, spaces: bool = True) -> list[list[str]]:
    """The table's rows (labels, body, foot) as the renderers print them."""
    t = table(doc_or_table, table_id) if table_id else doc_or_table
    rows = [[c.label for c in t.columns]]
    for row in list(t.body) + list(t.foot):
        out, col = [], 0
        for cell in row.cells:
            column = t.columns[col]
            text = format_value(cell.value, column.kind, column.decimals, column.unit, column.accounting)
            out.append(normalise_spaces(text) if spaces else text)
            col += cell.colspan
        rows.append(out)
    return rows


def docx_text(path: Path) -> str:
    """All paragraph and table-cell text of a DOCX, no-break spaces made plain."""
    import docx

    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return normalise_spaces("\n".join(parts))


def docx_tables(path: Path) -> list[list[list[str]]]:
    import docx

    d = docx.Document(str(path))
    return [[[normalise_spaces(c.text) for c in row.cells] for row in t.rows] for t in d.tables]


def pdf_text(path: Path) -> str:
    """The text of every page of a PDF, no-break spaces made plain."""
    from pypdf import PdfReader

    return normalise_spaces("\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages))


def pdf_outline(path_or_reader) -> list[str]:
    """Every bookmark title of a PDF, depth first (the clickable outline)."""
    from pypdf import PdfReader

    reader = path_or_reader if isinstance(path_or_reader, PdfReader) else PdfReader(str(path_or_reader))

    def titles(items):
        for item in items:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title
    return list(titles(reader.outline))
