"""The HTML edition, read back with an HTML parser (lxml.html): structure, figures, self-containment.

The browser checks (axe-core, screenshots, overflow) are in test_html_browser.py.
"""

from __future__ import annotations

import base64
import re
from decimal import Decimal

import lxml.html
import pytest
from markupsafe import Markup

from rapact_core import ChapterSpec, Custom, PluginSpec, RapactError, SectionSpec, hookimpl, testing
from rapact_core import model as m
from rapact_core.formatting import format_value, normalise_spaces
from rapact_core.numbering import heading_text, number_document
from rapact_core.render import RenderOptions, charts
from rapact_core.render.captions import caption_text
from rapact_core.render.chart_text import describe_chart
from rapact_core.render.html import HtmlRenderer, render_html
from rapact_core.render.visitor import missing_visits
from rapact_core.runner import build as run_build

from conftest import ROOT, build_2021

NAME = "rapport-activites-2021"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """`rapact build` of the 2021 report: the configuration's three formats."""
    out = tmp_path_factory.mktemp("html-out")
    build_2021(out)
    return out


@pytest.fixture(scope="module")
def doc():
    return testing.build_result(ROOT / "rapact.toml", bundled=True).document


@pytest.fixture(scope="module")
def page(built):
    return lxml.html.parse(str(built / f"{NAME}.html")).getroot()


def text(el) -> str:
    return normalise_spaces(re.sub(r"\s+", " ", el.text_content())).strip()


def report_tables(page):
    return [t for t in page.iter("table") if "chart-data" not in (t.get("class") or "")]


def rows(table) -> list[list[str]]:
    """Every row's cell texts, a spanning cell repeated over its columns (as python-docx reads merged cells)."""
    out = []
    for tr in table.iter("tr"):
        row = []
        for cell in tr:
            if cell.tag in ("td", "th"):
                row += [normalise_spaces(cell.text_content())] * int(cell.get("colspan", "1"))
        out.append(row)
    return out


def test_build_writes_the_three_formats(built):
    assert sorted(p.name for p in built.iterdir() if p.is_file()) == [
        f"{NAME}.docx", f"{NAME}.html", f"{NAME}.pdf"]
    assert (built / f"{NAME}.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_format_html_alone(tmp_path):
    build_2021(tmp_path, "--format", "html")
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [f"{NAME}.html"]


def test_self_contained(built, page):
    source = (built / f"{NAME}.html").read_text(encoding="utf-8")
    assert not page.xpath("//script | //link | //iframe | //object | //embed")
    assert page.xpath("//style") and "font-variant-numeric: tabular-nums" in source
    for img in page.iter("img"):
        assert img.get("src").startswith("data:image/"), img.get("src")[:40]
    # nothing fetched: no url() but data URIs, no @import
    assert not re.search(r"url\((?!\s*['\"]?data:)", source) and "@import" not in source


def test_document_head(page, doc):
    assert page.get("lang") == "fr-BE"
    assert page.find("head/title").text == doc.meta.title
    assert page.xpath("//meta[@charset='utf-8']") and page.xpath("//meta[@name='viewport']")


def test_skip_link_nav_and_main(page):
    body = page.find("body")
    first_link = body.xpath(".//a")[0]
    assert first_link.get("class") == "skip-link" and first_link.get("href") == "#main"
    assert body.xpath("./a")[0] is first_link  # the first thing in the page
    main_el = page.get_element_by_id("main")
    assert main_el.tag == "main" and len(page.xpath("//main")) == 1
    nav = page.xpath("//nav")
    assert len(nav) == 1
    label = page.get_element_by_id(nav[0].get("aria-labelledby"))
    assert text(label) == "Table des matières"


def test_every_internal_link_resolves(page):
    ids = [el.get("id") for el in page.iter() if el.get("id")]
    assert len(ids) == len(set(ids)), "duplicate ids"
    targets = [a.get("href")[1:] for a in page.iter("a") if (a.get("href") or "").startswith("#")]
    assert len(targets) > 60
    missing = [t for t in targets if t not in ids]
    assert not missing


def test_nav_lists_the_headings_as_links(page, doc):
    nav = page.xpath("//nav")[0]
    links = nav.xpath(".//a")
    toc = next(b for b in doc.blocks() if isinstance(b, m.TableOfContents))
    expected = [heading_text(b) for b in doc.blocks()
                if isinstance(b, m.Heading) and b.in_toc and b.level <= toc.depth]
    assert [text(a) for a in links] == expected
    # each link leads to the heading of that text
    for a in links:
        target = page.get_element_by_id(a.get("href")[1:])
        assert re.fullmatch(r"h[2-6]", target.tag) and text(target) == text(a)
    # nested as the headings are: a 3.1 link sits in the list of chapter 3
    sub = nav.xpath(".//a[starts-with(normalize-space(.), '3.1 ')]")[0]
    assert text(sub.getparent().getparent().getparent().find("a")).startswith("3 ")


def test_headings_numbered_outline_without_skipped_levels(page, doc):
    heads = page.xpath("//h1 | //h2 | //h3 | //h4 | //h5 | //h6 | //*[@role='heading']")
    assert [h.tag for h in heads[:2]] == ["h1", "h2"] and len(page.xpath("//h1")) == 1
    assert text(heads[0]) == doc.meta.title
    levels = [int(h.tag[1]) if h.tag != "p" else int(h.get("aria-level")) for h in heads]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    in_main = [text(h) for h in page.get_element_by_id("main").xpath(".//h2 | .//h3 | .//h4 | .//h5 | .//h6")]
    model = [heading_text(b) for ch in doc.chapters if ch.id != "toc" for b in ch.blocks if isinstance(b, m.Heading)]
    assert in_main == model
    # chapters are h2 under the title, their sections h3
    assert text(page.xpath("//main//h2")[0]) == "1 Avant-propos."
    assert "3.1 iMio." in [text(h) for h in page.xpath("//main//h3")]


def test_cover_information(page, doc):
    cover = page.xpath("//header[@class='cover']")[0]
    meta = doc.meta
    content = text(cover)
    for item in (meta.organisation, meta.title, meta.subject, meta.reference, "1 juin 2022"):
        assert item in content
    assert [text(li) for li in cover.xpath(".//ul[@class='signatories']/li")] == [
        f"{s.name} {s.role}" for s in meta.signatories]
    assert cover.xpath(".//time")[0].get("datetime") == "2022-06-01"


def test_tables_are_accessible_and_equal_the_docx(built, page, doc):
    tables = report_tables(page)
    model_tables = testing.tables(doc)
    assert len(tables) == len(model_tables) == 23
    for t, model_table in zip(tables, model_tables):
        assert text(t.find("caption")) == normalise_spaces(caption_text(model_table))
        assert t.find("thead") is not None and t.find("tbody") is not None
        assert (t.find("tfoot") is not None) == bool(model_table.foot)
        assert all(th.get("scope") in ("col", "row") for th in t.iter("th"))
        assert t.xpath("./thead//th[@scope='col']")
        box = t.getparent()
        assert box.get("class").startswith("table-scroll") and box.get("role") == "region"
        assert box.get("tabindex") == "0" and box.get("aria-labelledby") == t.find("caption").get("id")
    # the cells read back equal the DOCX's (its first table is the cover's signatories), where
    # a header row spanning columns is folded into the labels under it ("CA 2021\n23/02/21")
    docx = testing.docx_tables(built / f"{NAME}.docx")[1:]
    assert [as_in_docx(rows(t), m) for t, m in zip(tables, model_tables)] == docx
    assert any("CA 2021\n23/02/21" in row for table in docx for row in table)


def as_in_docx(html_rows, model_table):
    """The HTML table's rows with its spanning header rows folded into the column labels, as the DOCX has them."""
    spanning = [i for i, r in enumerate(model_table.header) if any(c.colspan > 1 for c in r.cells)]
    if not spanning:
        return html_rows
    n = len(model_table.header)
    labels = html_rows[n]
    folded = ["\n".join([html_rows[i][k] for i in spanning if html_rows[i][k]] + [label])
              for k, label in enumerate(labels)]
    return [r for i, r in enumerate(html_rows[:n]) if i not in spanning] + [folded] + html_rows[n + 1:]


def test_numbers_right_aligned_and_row_headers(page, doc):
    pnl = page.get_element_by_id("finance-pnl")
    first = pnl.xpath("./tbody/tr")[0]
    assert first[0].tag == "th" and first[0].get("scope") == "row" and text(first[0]) == "Chiffre d'affaires"
    assert [c.get("class") for c in first[1:]] == ["num"] * 4
    assert [text(c) for c in first[1:]] == ["4 753 459,12 €", "4 156 575,94 €", "596 883,18 €", "14,36 %"]
    # every cell of a numeric column carries the class that aligns it in tabular figures
    for t in testing.tables(doc):
        if t.id is None:
            continue
        numeric = [i for i, c in enumerate(t.columns) if c.is_numeric and c.effective_align is m.Align.RIGHT]
        for tr in page.get_element_by_id(t.id).xpath("./tbody/tr"):
            if len(tr) == len(t.columns):
                assert all(tr[i].get("class") == "num" for i in numeric), t.id
    # a list of names and dates has no row headers
    registry_like = page.get_element_by_id("members-new")
    assert not registry_like.xpath("./tbody//th")


def test_figures_alt_text_caption_and_data(built, page, doc):
    figures = [b for b in doc.blocks() if isinstance(b, m.Figure)]
    shown = page.xpath("//figure[contains(@class, 'chart')]")
    assert len(shown) == len(figures) == 4
    for fig, model_fig in zip(shown, figures):
        img = fig.find("img")
        assert img.get("alt") == describe_chart(model_fig.chart) and img.get("alt") != model_fig.chart.title
        prefix, data = img.get("src").split(",", 1)
        assert prefix == "data:image/png;base64"
        # the very PNG the build cached (and the DOCX and PDF embed)
        cached = built / ".cache" / "charts" / f"{charts.chart_key(model_fig.chart)}.png"
        assert base64.b64decode(data) == cached.read_bytes()
        assert text(fig.find("figcaption")) == normalise_spaces(caption_text(model_fig))
        details = fig.getnext()
        assert details.tag == "details" and text(details.find("summary")) == "Données du graphique"
        data_rows = rows(details.xpath(".//table")[0])
        chart = model_fig.chart
        assert data_rows[0] == [""] + [s.name for s in chart.series]
        assert data_rows[1:] == [
            [cat] + [normalise_spaces(format_value(s.values[i], chart.unit)) for s in chart.series]
            for i, cat in enumerate(chart.categories)]
    assert page.xpath("//img[not(@alt)]") == []


def test_the_renderer_handles_every_node_type():
    assert missing_visits(HtmlRenderer) == []


# ---------------------------------------------------------------- the renderer on a small document


def small_doc(*blocks, title="Essai <1>") -> m.Document:
    chapter = m.Chapter("c", "Chapitre", (m.Heading(1, "Chapitre", id="c"),) + tuple(blocks))
    return number_document(m.Document(m.Meta(title, "REF-1", "Org & Co", 2021), [chapter]))


def render(doc, tmp_path, **options):
    path = tmp_path / "out.html"
    render_html(doc, path, RenderOptions(report_dir=tmp_path, **options))
    return path.read_text(encoding="utf-8"), lxml.html.parse(str(path)).getroot()


def test_text_is_escaped_and_inlines_rendered(tmp_path):
    doc = small_doc(
        m.Paragraph([m.Text("a <script>alert(1)</script> & b", bold=True), m.LineBreak(),
                     m.Text("ital", italic=True), m.Link([m.Text("site")], "https://example.org/?a=1&b=2"),
                     m.Link([m.Text("mal")], "javascript:alert(1)")]),
        m.Paragraph("Citation", m.ParagraphStyle.QUOTE),
        m.Paragraph("125 clients", m.ParagraphStyle.KEY_FIGURE))
    source, page = render(doc, tmp_path)
    assert "<script>" not in source and "&lt;script&gt;" in source
    p = page.xpath("//main//p")[0]
    assert p.find("strong").text == "a <script>alert(1)</script> & b" and p.find("br") is not None
    assert p.find("em").text == "ital"
    assert [a.get("href") for a in p.iter("a")] == ["https://example.org/?a=1&b=2"]
    assert "mal" in text(p)  # the words stay, the javascript: link goes
    assert text(page.xpath("//blockquote/p")[0]) == "Citation"
    assert page.xpath("//p[@class='key-figure']")[0].text == "125 clients"
    assert page.find("head/title").text == "Essai <1>"


def test_lists_nest_and_keep_their_start(tmp_path):
    inner = m.ListBlock([m.ListItem("b1")], ordered=True, start=3)
    doc = small_doc(m.ListBlock([m.ListItem("a", inner), m.ListItem("c")]))
    _, page = render(doc, tmp_path)
    ul = page.xpath("//main//ul")[0]
    assert [li.text for li in ul.xpath("./li")] == ["a", "c"]
    ol = ul.xpath("./li/ol")[0]
    assert ol.get("start") == "3" and text(ol) == "b1"


def test_deep_and_skipped_heading_levels(tmp_path):
    doc = small_doc(m.Heading(3, "Saut"), m.Heading(2, "Deux"), m.Heading(3, "Trois"), m.Heading(4, "Quatre"),
                    m.Heading(5, "Cinq"), m.Heading(6, "Six"))
    _, page = render(doc, tmp_path)
    heads = page.get_element_by_id("main").xpath(".//*[self::h2 or self::h3 or self::h4 or self::h5 "
                                                 "or self::h6 or @role='heading']")
    levels = [h.get("aria-level") or h.tag for h in heads]
    # model 1, 3 (a skipped level: one deeper only), 2, 3, 4, 5, 6 (h7 does not exist: an ARIA heading)
    assert levels == ["h2", "h3", "h3", "h4", "h5", "h6", "7"]
    assert text(heads[-1]) == "1.1.1.1.1.1 Six"


def test_picture_and_logo_as_data_uris(tmp_path):
    from PIL import Image as PILImage

    PILImage.new("RGB", (4, 2), "red").save(tmp_path / "logo.png")
    doc = small_doc(m.Image("logo.png", alt="Un carré rouge"), m.Image("logo.png"), m.PageBreak())
    doc = m.Document(m.Meta("T", "R", "Org", 2021, logo="logo.png"), doc.chapters)
    _, page = render(doc, tmp_path)
    logo, with_alt, decorative = page.iter("img")
    assert logo.get("alt") == "Logo Org" and logo.get("src").startswith("data:image/png;base64,")
    assert base64.b64decode(logo.get("src").split(",", 1)[1]) == (tmp_path / "logo.png").read_bytes()
    assert with_alt.get("alt") == "Un carré rouge"
    assert decorative.get("alt") == ""  # no alt text in the model: decoration, skipped by screen readers
    assert page.xpath("//div[@class='page-break']")
    with pytest.raises(RapactError, match="image file not found"):
        render(small_doc(m.Image("absent.png")), tmp_path)


def test_a_document_without_toc_still_has_a_nav(tmp_path):
    doc = small_doc(m.Heading(2, "Section"))
    _, page = render(doc, tmp_path)
    nav = page.xpath("//nav")[0]
    assert [text(a) for a in nav.iter("a")] == ["1 Chapitre", "1.1 Section"]
    assert text(page.get_element_by_id(nav.get("aria-labelledby"))) == "Table des matières"


def table_with(body, **kw) -> m.Table:
    cols = [m.Column("nom", "Nom"), m.Column("n", "Nombre", m.CellKind.INTEGER),
            m.Column("eur", "Montant", m.CellKind.MONEY), m.Column("d", "Date", m.CellKind.DATE)]
    return m.Table(cols, body, caption="Essai", id="t", **kw)


def test_plain_rows_fast_path_writes_what_the_row_writer_writes(tmp_path):
    import datetime as dt

    values = [("A & <b>", 1200, Decimal("3.5"), dt.date(2021, 1, 2)), ("ligne\nsuivante", None, m.MISSING, None),
              ("C", 3, Decimal("-1234.567"), dt.date(2021, 12, 31))]
    fast, _ = render(small_doc(table_with(m.PlainRows(values))), tmp_path)
    # a subtotal row forces the cell-by-cell writer for every row
    slow_table = table_with([m.Row(v) for v in values] + [m.Row(["x", 1, 1, None], m.RowRole.SUBTOTAL)])
    slow, page = render(small_doc(slow_table), tmp_path)
    body = lambda s: s[s.index("<tbody>"):s.index("</tbody>")]  # noqa: E731
    assert body(slow).startswith(body(fast))
    got = rows(page.get_element_by_id("t"))
    assert got[1] == ["A & <b>", "1 200", "3,50 €", "02/01/2021"]
    # the line break is a <br>, which has no text; an absent number is a dash, an absent date nothing
    assert got[2] == ["lignesuivante", "\u2013", "à compléter", ""]
    assert page.get_element_by_id("t").xpath("./tbody/tr[2]/th/br")
    assert got[3][2] == "-1 234,57 €" and page.xpath("//tr[@class='subtotal']")


def test_spanning_cells_and_header_rows(tmp_path):
    t = table_with([m.Row(["a", 1, 2, None])], header=[m.Row([m.Cell("", 1), m.Cell("Groupe", 2), m.Cell("")])],
                   foot=[m.Row([m.Cell("Total", 3), None], m.RowRole.TOTAL)], landscape=True)
    _, page = render(small_doc(t), tmp_path)
    table = page.get_element_by_id("t")
    first, labels = table.xpath("./thead/tr")
    assert [(c.tag, c.get("colspan"), c.get("scope")) for c in first] == [
        ("td", None, None), ("th", "2", "col"), ("td", None, None)]
    assert [c.get("scope") for c in labels] == ["col"] * 4
    total = table.xpath("./tfoot/tr")[0]
    assert total.get("class") == "total" and total[0].tag == "th" and total[0].get("colspan") == "3"
    assert "wide" in table.getparent().get("class")  # a landscape table prints on a landscape page


# ---------------------------------------------------------------- custom blocks


class Signs:
    """Renders its Custom block in HTML; ``mode`` picks what it appends."""

    def __init__(self, mode):
        self.mode = mode

    @hookimpl
    def rapact_declare(self):
        return PluginSpec(chapters=[ChapterSpec("signs", "Signatures", sections=("signs.a",), position=5)],
                          sections=[SectionSpec("signs.a", "Signature")])

    @hookimpl
    def rapact_section_blocks(self, section):
        return [Custom("signs", "seal", {"who": "Jeanne <Dupont>"}, alt="Signature de Jeanne Dupont")]

    @hookimpl
    def rapact_render_custom(self, block, format, target, ctx):
        if format != "html" or self.mode == "none":
            return None
        who = block.data["who"]
        if self.mode == "text":
            target.append(f"Signé : {who}")
        elif self.mode == "markup":
            target.append(Markup('<p class="signature"><em>{}</em></p>').format(who))
        else:
            target.append(42)
        return True


@pytest.mark.parametrize("mode", ["text", "markup"])
def test_custom_block_in_html(tmp_path, mode):
    cfg = testing.make_report(tmp_path / "rep", chapters=["signs"])
    outcome = run_build(cfg, output=tmp_path / "out", formats=["html"],
                        plugins=testing.make_plugins({"signs": Signs(mode)}))
    (path,) = outcome.files
    source = path.read_text(encoding="utf-8")
    page = lxml.html.parse(str(path)).getroot()
    if mode == "text":  # plain text is escaped and set as a paragraph
        assert "Signé : Jeanne &lt;Dupont&gt;" in source
        assert "Signé : Jeanne <Dupont>" in [p.text for p in page.iter("p")]
    else:  # Markup goes in as it is; its arguments were escaped by Markup.format
        em = page.xpath("//p[@class='signature']/em")[0]
        assert em.text == "Jeanne <Dupont>"


@pytest.mark.parametrize("mode, message", [
    ("none", "plugin 'signs' cannot render its custom block 'seal' as html"),
    ("object", "appended a int to the HTML target"),
])
def test_custom_block_errors_name_the_plugin(tmp_path, mode, message):
    cfg = testing.make_report(tmp_path / "rep", chapters=["signs"])
    with pytest.raises(RapactError) as info:
        run_build(cfg, output=tmp_path / "out", formats=["html"], plugins=testing.make_plugins({"signs": Signs(mode)}))
    assert message in str(info.value)
    assert info.value.findings[0].plugin == "signs"
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("*.html"))


def test_custom_block_without_a_callback(tmp_path):
    with pytest.raises(RapactError, match="cannot be rendered in HTML") as info:
        render(small_doc(Custom("signs", "seal")), tmp_path)
    assert info.value.findings[0].plugin == "signs"
