"""The HTML edition: one self-contained, accessible HTML5 file.

A third renderer of the same model, a :class:`~rapact_core.render.visitor.Visitor`
with one ``visit_<Node>`` per node type. The file needs nothing else to open:
the stylesheet is inline, charts are the cached PNGs of ``render/charts.py``
and pictures are ``data:`` URIs.

Its structure, for assistive technologies:

* ``<html lang>`` from the report's locale, ``<title>`` from its title, a skip
  link to ``<main>``;
* a ``<header>`` with the cover's information (organisation, title as the one
  ``<h1>``, subject, date, reference, signatories);
* a ``<nav>`` holding the table of contents as links. The chapter that holds
  the model's ``TableOfContents`` becomes this navigation, placed before
  ``<main>`` as on any web page (the PDF prints it after the foreword); a
  document without one still gets it;
* ``<main>``, one ``<section>`` per chapter. Chapters are ``<h2>`` under the
  title's ``<h1>``, sections ``<h3>``…, and a heading never goes more than one
  level deeper than the one before it, so the outline skips no level;
* tables and charts as in ``html_tables.py`` and :meth:`HtmlRenderer.visit_Figure`:
  every chart's ``alt`` is :func:`~rapact_core.render.chart_text.describe_chart`,
  and its data is a table in a ``<details>`` below it.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from importlib import resources
from pathlib import Path

from .. import model as m
from ..errors import error
from ..formatting import DEFAULT_LOCALE, format_long_date
from ..i18n import N_, _, quoted
from . import RenderOptions
from .captions import caption_parts, caption_text
from .chart_text import describe_chart
from .html_tables import HtmlTable, attr, esc
from .pictures import resolve_picture
from .visitor import Visitor

TOC_TITLE = "Table des matières"
SKIP_TEXT = "Aller au contenu"
CHART_DATA_SUMMARY = "Données du graphique"
_LINK_SCHEMES = ("http://", "https://", "mailto:")
_PARAGRAPH_CLASS = {
    m.ParagraphStyle.BODY: "",
    m.ParagraphStyle.LEAD: ' class="lead"',
    m.ParagraphStyle.NOTE: ' class="note"',
    m.ParagraphStyle.KEY_FIGURE: ' class="key-figure"',
}
_ID_OK = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]*\Z")


def render_html(doc: m.Document, target: Path, options: RenderOptions) -> None:
    """Write ``doc`` as one self-contained HTML file at ``target``."""
    parts = HtmlRenderer(doc, options).render()
    with open(target, "w", encoding="utf-8", newline="\n") as fh:
        fh.writelines(parts)


def stylesheet() -> str:
    return resources.files("rapact_core.render.templates").joinpath("edition.css").read_text(encoding="utf-8")


def lang_tag(locale: str | None) -> str:
    """``fr_BE`` → ``fr-BE`` (BCP 47, as ``lang`` wants it)."""
    return (locale or DEFAULT_LOCALE).replace("_", "-")


# the usual pictures, without mimetypes reading the system's tables (a few ms a build)
_IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}


def data_uri(path: Path) -> str:
    mime = _IMAGE_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


class _Ids:
    """Unique element ids: the model's own when it gives one, else made from a prefix."""

    def __init__(self):
        self.taken: set[str] = set()

    def new(self, wanted: str | None, prefix: str) -> str:
        base = wanted if wanted and _ID_OK.match(wanted) else \
            (re.sub(r"[^A-Za-z0-9_.:-]+", "-", wanted).strip("-") if wanted else "")
        if not base or not base[0].isalpha():
            base = f"{prefix}-{base}" if base else prefix
        found, n = base, 1
        while found in self.taken:
            n += 1
            found = f"{base}-{n}"
        self.taken.add(found)
        return found


class HtmlRenderer(Visitor):
    """The document model as an accessible HTML5 page (see the module's docstring)."""

    format_name = "HTML"

    def __init__(self, doc: m.Document, options: RenderOptions | None = None):
        self.doc = doc
        self.options = options or RenderOptions()
        self.locale = doc.meta.locale or DEFAULT_LOCALE
        self.negatives = doc.meta.negative_amounts
        self.out: list[str] = []
        self.ids = _Ids()
        self.ids.taken.add("main")
        # HTML level of the last heading written; the report's title is the h1
        self.level = 1
        # anchors of the headings, by identity, given before anything is written (the TOC needs them)
        self.anchors: dict[int, str] = {}
        #: table or figure id -> its element's id, which cross-references link to
        self.ref_anchors: dict[str, str] = {}
        for block in doc.blocks():
            if isinstance(block, m.Heading):
                wanted = block.id or (f"s-{block.number}" if block.number else None)
                self.anchors[id(block)] = self.ids.new(wanted, "h")
            elif isinstance(block, (m.Table, m.Figure)) and block.id:
                anchor = self.anchors[id(block)] = self.ids.new(
                    block.id, "table" if isinstance(block, m.Table) else "figure")
                self.ref_anchors.setdefault(block.id, anchor)

    # ------------------------------------------------------------ the page

    def render(self) -> list[str]:
        meta = self.doc.meta
        self.out = [
            "<!DOCTYPE html>\n",
            f'<html lang="{attr(lang_tag(meta.locale))}">\n<head>\n<meta charset="utf-8">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f"<title>{esc(meta.title)}</title>\n",
        ]
        if meta.subject:
            self.out.append(f'<meta name="description" content="{attr(meta.subject)}">\n')
        self.out += ['<meta name="generator" content="rapact">\n', f"<style>\n{stylesheet()}</style>\n",
                     "</head>\n<body>\n", f'<a class="skip-link" href="#main">{SKIP_TEXT}</a>\n']
        self.cover()
        nav_chapter = next((ch for ch in self.doc.chapters
                            if any(isinstance(b, m.TableOfContents) for b in ch.blocks)), None)
        self.out.append('<div class="layout">\n')
        self.navigation(nav_chapter)
        self.out.append('<main id="main" tabindex="-1">\n')
        for chapter in self.doc.chapters:
            if chapter is nav_chapter:
                continue
            self.out.append('<section class="chapter">\n')
            for block in chapter.blocks:
                self.visit(block)
            self.out.append("</section>\n")
        self.out.append("</main>\n</div>\n")
        colophon = " – ".join(x for x in (meta.organisation, meta.reference) if x)
        if colophon:
            self.out.append(f'<footer class="colophon"><p>{esc(colophon)}</p></footer>\n')
        self.out.append("</body>\n</html>\n")
        return self.out

    def cover(self) -> None:
        meta, out = self.doc.meta, self.out
        out.append('<header class="cover">\n')
        if meta.logo:
            logo = resolve_picture(meta.logo, self.options.report_dir, N_("logo"))
            alt = f"Logo {meta.organisation}" if meta.organisation else "Logo"
            out.append(f'<img class="logo" src="{data_uri(logo)}" alt="{attr(alt)}">\n')
        if meta.organisation:
            out.append(f'<p class="organisation">{esc(meta.organisation)}</p>\n')
        out.append(f"<h1>{esc(meta.title)}</h1>\n")
        if meta.subject:
            out.append(f'<p class="subject">{esc(meta.subject)}</p>\n')
        if meta.date:
            iso = meta.date.isoformat()
            out.append(f'<p class="meta"><time datetime="{iso}">{esc(format_long_date(meta.date, self.locale))}'
                       "</time></p>\n")
        if meta.reference:
            out.append(f'<p class="meta">{esc(meta.reference)}</p>\n')
        if meta.signatories:
            out.append('<ul class="signatories" aria-label="Signataires">\n')
            for s in meta.signatories:
                out.append(f'<li><span class="name">{esc(s.name)}</span> '
                           f'<span class="role">{esc(s.role)}</span></li>\n')
            out.append("</ul>\n")
        out.append("</header>\n")

    def navigation(self, chapter: m.Chapter | None) -> None:
        """The ``<nav>``: the chapter holding the table of contents, or a plain one."""
        first = next((b for b in chapter.blocks if isinstance(b, m.Heading)), None) if chapter else None
        if chapter is None or first is None:
            title_id = self.ids.new("toc-title", "toc")
            self.out.append(f'<nav class="toc" aria-labelledby="{title_id}">\n')
            self.out.append(f'<h2 id="{title_id}">{TOC_TITLE}</h2>\n')
            self.level = 2
            blocks = chapter.blocks if chapter else (m.TableOfContents(title=""),)
        else:
            self.out.append(f'<nav class="toc" aria-labelledby="{self.anchors[id(first)]}">\n')
            blocks = chapter.blocks
        for block in blocks:
            self.visit(block)
        self.out.append("</nav>\n")

    # ------------------------------------------------------------ inlines

    def inlines(self, content) -> str:
        return "".join(self.visit(item) for item in content)

    def visit_Text(self, node: m.Text) -> str:
        s = esc(node.text)
        if node.italic:
            s = f"<em>{s}</em>"
        if node.bold:
            s = f"<strong>{s}</strong>"
        return s

    def visit_Link(self, node: m.Link) -> str:
        inner = "".join(self.visit_Text(t) for t in node.content) or esc(node.target)
        target = node.target.strip()
        if not target.lower().startswith(_LINK_SCHEMES):
            return inner  # not a URL we let through: keep the words, drop the link (as the PDF)
        return f'<a href="{attr(target)}">{inner}</a>'

    def visit_LineBreak(self, node: m.LineBreak) -> str:
        return "<br>"

    def visit_Ref(self, node: m.Ref) -> str:
        label = esc(node.label or node.target).replace(" ", "&nbsp;")
        anchor = self.ref_anchors.get(node.target) if node.label else None
        return f'<a class="ref" href="#{attr(anchor)}">{label}</a>' if anchor else label

    # ------------------------------------------------------------ blocks

    def heading_tag(self, model_level: int) -> tuple[str, str]:
        """Opening and closing tags for a heading; never more than one level below the last."""
        level = max(2, min(model_level + 1, self.level + 1))
        self.level = level
        if level <= 6:
            return f"<h{level}", f"</h{level}>"
        return f'<p role="heading" aria-level="{level}" class="h7"', "</p>"

    def visit_Heading(self, node: m.Heading) -> None:
        anchor = self.anchors.get(id(node)) or self.ids.new(node.id, "h")
        open_, close = self.heading_tag(node.level)
        number = f'<span class="num">{esc(node.number)}</span> ' if node.number else ""
        self.out.append(f'{open_} id="{anchor}">{number}{self.inlines(node.content)}{close}\n')

    def visit_Paragraph(self, node: m.Paragraph) -> None:
        text = self.inlines(node.content)
        style = m.ParagraphStyle(node.style)
        if style is m.ParagraphStyle.QUOTE:
            self.out.append(f"<blockquote><p>{text}</p></blockquote>\n")
        else:
            self.out.append(f"<p{_PARAGRAPH_CLASS[style]}>{text}</p>\n")

    def visit_ListBlock(self, node: m.ListBlock) -> None:
        self.out.append(self.list_html(node) + "\n")

    def list_html(self, node: m.ListBlock) -> str:
        if node.ordered:
            tag, open_ = "ol", "<ol>" if node.start == 1 else f'<ol start="{int(node.start)}">'
        elif node.bullet:
            # the list's own symbol as its marker: a CSS string, quoted and escaped
            css = 'list-style-type: "{} "'.format(node.bullet.replace("\\", "\\\\").replace('"', '\\"'))
            tag, open_ = "ul", f'<ul class="symbol" style="{attr(css)}">'
        else:
            tag, open_ = "ul", "<ul>"
        items = []
        for item in node.items:
            nested = self.list_html(item.children) if item.children is not None else ""
            items.append(f"<li>{self.inlines(item.content)}{nested}</li>")
        return open_ + "".join(items) + f"</{tag}>"

    def visit_Table(self, node: m.Table) -> None:
        table_id = (self.anchors.get(id(node)) or self.ids.new(node.id, "table")) if node.id else None
        self.out.extend(HtmlTable(node, self.locale, self.ids.new(None, "caption"), table_id=table_id,
                                  negatives=self.negatives).parts())

    def visit_Figure(self, node: m.Figure) -> None:
        from .charts import chart_png, chart_size

        chart = node.chart
        alt = describe_chart(chart, self.locale)
        width, height = chart_size(chart)
        share = max(5, min(100, round(100 * node.width)))
        fig_id = f' id="{self.anchors.get(id(node)) or self.ids.new(node.id, "figure")}"' if node.id else ""
        out = self.out
        out.append(f'<figure class="chart"{fig_id}>\n<img src="{data_uri(chart_png(chart))}" alt="{attr(alt)}" '
                   f'width="{width}" height="{height}" style="width:{share}%">\n')
        parts = caption_parts(node)
        if parts:
            label, text = parts
            label_html = f'<span class="label">{esc(label)}</span>' if label else ""
            out.append(f"<figcaption>{label_html}{esc(text)}</figcaption>\n")
        out.append("</figure>\n")
        out.append(f'<details class="chart-data">\n<summary>{CHART_DATA_SUMMARY}</summary>\n')
        out.extend(HtmlTable(chart_table(node), self.locale, self.ids.new(None, "caption"),
                             css_class="chart-data", negatives=self.negatives).parts())
        out.append("</details>\n")

    def visit_Image(self, node: m.Image) -> None:
        path = resolve_picture(node.path, self.options.report_dir, N_("picture"))
        share = max(5, min(100, round(100 * node.width)))
        # an image without alt text is decoration: alt="" tells screen readers to skip it
        self.out.append(f'<div class="picture"><img src="{data_uri(path)}" alt="{attr(node.alt)}" '
                        f'style="width:{share}%"></div>\n')

    def visit_PageBreak(self, node: m.PageBreak) -> None:
        self.out.append('<div class="page-break"></div>\n')  # a new page when printed

    def visit_TableOfContents(self, node: m.TableOfContents) -> None:
        if node.title:
            open_, close = self.heading_tag(1)
            self.out.append(f'{open_} id="{self.ids.new("toc-title", "toc")}">{esc(node.title)}{close}\n')
        entries = [(b.level, self.anchors[id(b)], b) for b in self.doc.blocks()
                   if isinstance(b, m.Heading) and b.in_toc and b.level <= max(1, node.depth)]
        self.out.append(toc_list(entries, self.inlines) + "\n")

    def visit_Custom(self, node: m.Custom) -> None:
        if self.options.custom is None:
            raise error(_("custom block {kind} cannot be rendered in {format}: no custom renderer was given").format(
                kind=quoted(node.kind), format="HTML"), plugin=node.plugin)
        fragments: list = []
        self.options.custom(node, "html", fragments)
        for item in fragments:
            if hasattr(item, "__html__"):  # markupsafe.Markup and the like: markup the plugin made safe
                self.out.append(str(item.__html__()) + "\n")
            elif isinstance(item, str):
                self.out.append(f"<p>{esc(item)}</p>\n")
            else:
                raise error(_("custom block {kind}: rapact_render_custom appended a {type} to the HTML target; append "
                              "str (text, escaped) or markupsafe.Markup (HTML)").format(
                                  kind=quoted(node.kind), type=type(item).__name__), plugin=node.plugin)


def toc_list(entries, inlines) -> str:
    """Nested ``<ol>`` of links for (level, anchor, heading) entries; a skipped level nests one deeper only."""
    if not entries:
        return ""
    base = min(level for level, _, _ in entries)
    out, depth = [], 0
    for level, anchor, heading in entries:
        want = max(1, min(level - base + 1, depth + 1))
        if want > depth:
            out.append("<ol>")
            depth = want
        else:
            out.append("</li>")
            while depth > want:
                out.append("</ol></li>")
                depth -= 1
        number = f'<span class="num">{esc(heading.number)}</span> ' if heading.number else ""
        out.append(f'<li><a href="#{anchor}">{number}{inlines(_plain(heading.content))}</a>')
    out.append("</li>")
    while depth > 1:
        out.append("</ol></li>")
        depth -= 1
    out.append("</ol>")
    return "".join(out)


def _plain(content) -> tuple:
    """A heading's inlines without its links and references (a link inside a TOC link is invalid HTML)."""
    return tuple(m.Text(m.plain_text(i.content)) if isinstance(i, m.Link)
                 else m.Text(m.plain_text((i,))) if isinstance(i, m.Ref) else i for i in content)


def chart_table(figure: m.Figure) -> m.Table:
    """The data of a figure's chart as a table: one row per category, one column per series."""
    chart = figure.chart
    columns = [m.Column("category", "")] + [m.Column(f"s{i}", s.name, chart.unit) for i, s in
                                             enumerate(chart.series)]
    rows = []
    for i, category in enumerate(chart.categories):
        values = [s.values[i] if i < len(s.values) else m.MISSING for s in chart.series]
        rows.append(m.Row([category] + [None if v is None else v for v in values]))
    label = caption_text(figure) or chart.title
    return m.Table(columns, rows, caption=f"Données – {label}" if label else "Données du graphique")
