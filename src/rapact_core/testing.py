"""A test kit for plugin authors (and rapact's own tests).

Build a document from an explicit set of plugins, without entry points, and
query it: headings, paragraphs, tables as rows of formatted cells, figures,
facts. Optionally render and read the DOCX and PDF back as text.

    from rapact_core import testing
    config = testing.make_report(tmp_path, {"data/cyber/kpis.csv": "..."}, chapters=["cyber"])
    result = testing.build_result(config, plugins={"cyber": my_plugin})
    assert testing.table_rows(result.document, "cyber-kpis")[-1] == ["Total", "12"]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

from . import builtin
from . import model as m
from .config import ChapterConfig, Config, load_config
from .formatting import cell_text, normalise_spaces
from .numbering import heading_text
from .pipeline import BuildResult, build_document
from .plugins import BUNDLED_DISTRIBUTION, Plugins, load_plugins


def make_plugins(plugins: Mapping[str, object] | None = None, *, bundled: bool = False,
                 installed: bool = False) -> Plugins:
    """A plugin set: the core's plugin plus ``plugins`` (name → module or object).

    :param bundled: add the plugins bundled with rapact (narrative, members,
        finance…), and only those: another installed plugin never joins a
        test's plugin set unasked.
    :param installed: add every installed plugin (the ``rapact`` entry
        points), as ``rapact build`` loads them.
    """
    extra = [] if bundled or installed else [("core", builtin)]
    extra += list((plugins or {}).items())
    if installed:
        return load_plugins(entrypoints=True, extra=extra)
    if bundled:
        return load_plugins(entrypoints=True, distribution=BUNDLED_DISTRIBUTION, extra=extra)
    return load_plugins(entrypoints=False, extra=extra)


def include_chapters(config: Config, chapters: Iterable[str]) -> Config:
    """The configuration with ``chapters`` listed too, at their default
    position (``default_position = true``), unless it already lists them."""
    listed = {c.id for c in config.chapters}
    extra = tuple(ChapterConfig(cid, default_position=True) for cid in chapters if cid not in listed)
    return attrs.evolve(config, chapters=config.chapters + extra) if extra else config


def build_result(config_path: Path | str, plugins: Mapping[str, object] | None = None, *,
                 bundled: bool = False, installed: bool = False, disabled=(),
                 include: Iterable[str] = ()) -> BuildResult:
    """Load, compute, check and assemble; raises RapactError like the CLI would report.

    :param include: chapter ids to build even though the configuration does
        not list them, at their default position (a plugin's chapter tried
        with the real report, whose ``rapact.toml`` stays untouched).
    """
    config = include_chapters(load_config(config_path), include)
    return build_document(config, make_plugins(plugins, bundled=bundled, installed=installed), disabled=disabled)


def context(config_path: Path | str, plugin: str = ""):
    """The ``BuildContext`` a build gives ``plugin``'s hooks, to call a loader or a
    compute function directly in a test (``rapact_load_data(testing.context(config, "cyber"))``)."""
    from .pipeline import make_context

    return make_context(load_config(config_path)).for_plugin(plugin)


def minimal_config(year: int = 2021, chapters: Iterable[str] = ()) -> str:
    """A throw-away report configuration (``rapact.toml`` text) for ``year``,
    listing ``chapters`` in that order (a chapter not listed is not built)."""
    text = (f'name = "rapport"\n[report]\ntitle = "Rapport de test"\nreference = "TEST-{year}"\n'
            f'organisation = "Test"\nyear = {int(year)}\n')
    return text + "".join(f'\n[[chapters]]\nid = "{cid}"\n' for cid in chapters)


def make_report(folder: Path, files: Mapping[str, str] | None = None, *, year: int = 2021,
                chapters: Iterable[str] = (), config: str | None = None) -> Path:
    """A throw-away report folder: ``rapact.toml``, ``data/``, ``texts/`` and the given files
    (path relative to the folder → text). The configuration is ``config``, else
    :func:`minimal_config` of ``year`` and ``chapters``. Returns its path."""
    folder = Path(folder)
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "texts").mkdir(parents=True, exist_ok=True)
    (folder / "rapact.toml").write_text(config if config is not None else minimal_config(year, chapters),
                                        encoding="utf-8")
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


def paragraphs(doc: m.Document, containing: str = "") -> list[m.Paragraph]:
    """The paragraphs whose text contains ``containing`` (no-break spaces made plain)."""
    wanted = normalise_spaces(containing)
    return [b for b in doc.blocks() if isinstance(b, m.Paragraph)
            and wanted in normalise_spaces(m.plain_text(b.content))]


def paragraph(doc: m.Document, containing: str) -> str:
    """The text of the one paragraph containing ``containing``, no-break spaces made
    plain; ``KeyError`` when none or several do."""
    found = paragraphs(doc, containing)
    if len(found) != 1:
        raise KeyError(f"{len(found)} paragraphs contain {containing!r}"
                       + (": " + " | ".join(normalise_spaces(m.plain_text(p.content))[:60] for p in found[:5])
                          if found else ""))
    return normalise_spaces(m.plain_text(found[0].content))


def tables(doc: m.Document) -> list[m.Table]:
    return [b for b in doc.blocks() if isinstance(b, m.Table)]


def _one(kind: str, every: list, id_or_caption: str):
    for block in every:
        if block.id == id_or_caption:
            return block
    found = [b for b in every if b.caption == id_or_caption] or [b for b in every if id_or_caption in b.caption]
    if len(found) == 1:
        return found[0]
    raise KeyError(f"{len(found) or 'no'} {kind} with id or caption {id_or_caption!r}; "
                   f"{kind}: {[b.id or b.caption for b in every]}")


def table(doc: m.Document, id_or_caption: str) -> m.Table:
    """The table with this id, else the one whose caption is (or contains) this text."""
    return _one("tables", tables(doc), id_or_caption)


def figures(doc: m.Document) -> list[m.Figure]:
    return [b for b in doc.blocks() if isinstance(b, m.Figure)]


def figure(doc: m.Document, id_or_caption: str) -> m.Figure:
    """The figure with this id, else the one whose caption is (or contains) this text.
    ``figure.chart`` holds its categories and series."""
    return _one("figures", figures(doc), id_or_caption)


def table_rows(doc_or_table, id_or_caption: str | None = None, *, spaces: bool = True) -> list[list[str]]:
    """The table's rows (labels, body, foot) as the renderers print them (negative
    amounts as the document's meta says, when a document is given)."""
    t = table(doc_or_table, id_or_caption) if id_or_caption else doc_or_table
    negatives = doc_or_table.meta.negative_amounts if isinstance(doc_or_table, m.Document) else "minus"
    rows = [[c.label for c in t.columns]]
    for row in list(t.body) + list(t.foot):
        out, col = [], 0
        for cell in row.cells:
            text = cell_text(cell, t.columns[col], negatives=negatives)
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


def docx_headings(path: Path, *, styles: tuple[str, ...] = ("heading ",)) -> list[str]:
    """The headings of a DOCX as Word shows them: "3.1 Titre", the number worked
    out from the list numbering (``numbering.xml``) that the paragraph or its style
    names, as Word counts it. ``styles``: style-name prefixes (lower case) that count."""
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    d = docx.Document(str(path))
    levels, nums = _docx_numbering(d)
    by_id = {st.get(qn("w:styleId")): st for st in d.styles.element.findall(qn("w:style"))}

    def style_num(sid):
        seen = set()
        while sid in by_id and sid not in seen:
            seen.add(sid)
            pr = by_id[sid].find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if pr is not None:
                return _num_pr(pr)
            based = by_id[sid].find(qn("w:basedOn"))
            sid = based.get(qn("w:val")) if based is not None else None
        return None

    counters: dict = {}
    out = []
    for el in d.element.body.iter(qn("w:p")):
        p = Paragraph(el, d)
        name = (p.style.name if p.style is not None else "").lower()
        if not name.startswith(styles):
            continue
        sid = p.style.style_id if p.style is not None else None
        own = el.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        num_id, ilvl = _num_pr(own) if own is not None else (style_num(sid) or (None, None))
        label = ""
        if num_id and num_id in nums:
            abstract, starts = nums[num_id]
            lvls = levels[abstract]
            if ilvl is None:  # the level that names the paragraph's style, else the first
                ilvl = next((i for i, lv in lvls.items() if lv["style"] == sid), 0)
            count = counters.setdefault(abstract, {})
            start = starts.get(ilvl, lvls[ilvl]["start"])
            count[ilvl] = count.get(ilvl, start - 1) + 1
            for deeper in [k for k in count if k > ilvl]:
                del count[deeper]
            label = lvls[ilvl]["text"]
            for k in range(ilvl + 1):
                label = label.replace(f"%{k + 1}", str(count.get(k, starts.get(k, lvls[k]["start"]))))
        out.append(f"{label} {p.text}" if label else p.text)
    return out


def _num_pr(pr) -> tuple[int | None, int | None]:
    from docx.oxml.ns import qn

    num, lvl = pr.find(qn("w:numId")), pr.find(qn("w:ilvl"))
    return (int(num.get(qn("w:val"))) if num is not None else None,
            int(lvl.get(qn("w:val"))) if lvl is not None else None)


def _docx_numbering(d):
    """(abstract id -> level -> {start, text, style}, numId -> (abstract id, level -> start override))."""
    from docx.oxml.ns import qn

    root = d.part.numbering_part.element
    levels = {}
    for an in root.findall(qn("w:abstractNum")):
        lv = {}
        for lvl in an.findall(qn("w:lvl")):
            get = lambda tag: lvl.find(qn(tag))  # noqa: E731
            lv[int(lvl.get(qn("w:ilvl")))] = {
                "start": int(get("w:start").get(qn("w:val"))) if get("w:start") is not None else 0,
                "text": get("w:lvlText").get(qn("w:val")) if get("w:lvlText") is not None else "",
                "style": get("w:pStyle").get(qn("w:val")) if get("w:pStyle") is not None else None,
            }
        levels[int(an.get(qn("w:abstractNumId")))] = lv
    nums = {}
    for num in root.findall(qn("w:num")):
        starts = {int(o.get(qn("w:ilvl"))): int(o.find(qn("w:startOverride")).get(qn("w:val")))
                  for o in num.findall(qn("w:lvlOverride")) if o.find(qn("w:startOverride")) is not None}
        nums[int(num.get(qn("w:numId")))] = (int(num.find(qn("w:abstractNumId")).get(qn("w:val"))), starts)
    return levels, nums


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
