"""The HTML edition in a real browser: axe-core (WCAG 2.1 A/AA, colour contrast included),
layout at desktop and phone widths, print styles, keyboard access.

Debian's chromium and chromium-driver, pip's selenium, npm's axe-core (``npm ci``).
Missing, the tests skip saying what to install; with RAPACT_REQUIRE_BROWSER=1
(as in .ci/run) they fail instead.
"""

from __future__ import annotations

import json

import pytest

from rapact_core import model as m
from rapact_core import testing
from rapact_core.render.chart_text import describe_chart

from browser import chromium, require_axe, set_width
from conftest import ROOT, build_2021

NAME = "rapport-activites-2021"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser-html")
    build_2021(out, "--format", "html")
    return (out / f"{NAME}.html").as_uri()


@pytest.fixture(scope="module")
def browser():
    with chromium(1280) as driver:
        driver.set_script_timeout(180)
        yield driver


def open_at(driver, url: str, width: int, height: int = 900) -> None:
    set_width(driver, width, height)
    driver.get(url)
    driver.execute_script("window.scrollTo(0, 0)")


def readable(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} -- {v['helpUrl']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary']}".replace("\n", " "))
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def run_axe(driver) -> dict:
    driver.execute_script(require_axe())
    return driver.execute_async_script(
        """const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})
          .then(r => done({
             violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
               nodes: v.nodes.map(n => ({target: n.target, failureSummary: n.failureSummary}))})),
             passes: r.passes.map(p => ({id: p.id, nodes: p.nodes.length})),
             incomplete: r.incomplete.map(p => ({id: p.id, nodes: p.nodes.length}))}))
          .catch(e => done({error: String(e)}));""", WCAG_21_AA)


@pytest.mark.parametrize("width", [1280, 390])
def test_axe_wcag21_aa_no_violation(browser, edition, width):
    require_axe()
    open_at(browser, edition, width, 900 if width > 600 else 844)
    result = run_axe(browser)
    assert "error" not in result, result.get("error")
    assert result["violations"] == [], "axe-core found WCAG 2.1 A/AA violations:\n" + readable(result["violations"])
    passes = {p["id"]: p["nodes"] for p in result["passes"]}
    # colour contrast was computed by the browser, on thousands of text nodes, not left "incomplete"
    assert passes.get("color-contrast", 0) > 1000, (passes, result["incomplete"])
    for rule in ("html-has-lang", "document-title", "image-alt", "td-headers-attr", "th-has-data-cells",
                 "scrollable-region-focusable", "link-name"):
        assert rule in passes, rule


OVERFLOW = """
const vw = document.documentElement.clientWidth;
const boxes = [...document.querySelectorAll('table')].map(t => {
  const box = t.closest('.table-scroll');
  if (!box) return {id: t.id, box: false};
  const style = getComputedStyle(box);
  if (style.display === 'none' || box.closest('details:not([open])')) return null;
  const r = box.getBoundingClientRect();
  return {id: t.id || t.querySelector('caption')?.textContent, box: true,
          fits: t.getBoundingClientRect().width <= box.clientWidth + 1,
          scrolls: box.scrollWidth > box.clientWidth && ['auto', 'scroll'].includes(style.overflowX),
          inside: r.left >= -0.5 && r.right <= vw + 0.5};
}).filter(Boolean);
return {scrollWidth: document.documentElement.scrollWidth, viewport: vw, innerWidth: window.innerWidth, boxes};
"""


@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)])
def test_layout_fits_the_width_and_screenshots(browser, edition, width, height, tmp_path):
    open_at(browser, edition, width, height)
    browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    state = browser.execute_script(OVERFLOW)
    assert state["innerWidth"] == width
    assert state["scrollWidth"] <= state["viewport"], "the page scrolls sideways"
    boxes = state["boxes"]
    assert len(boxes) == 23 + 4  # the report's tables and the charts' data
    assert all(b["box"] for b in boxes), [b["id"] for b in boxes if not b["box"]]
    bad = [b["id"] for b in boxes if not (b["fits"] or b["scrolls"]) or not b["inside"]]
    assert not bad, f"tables overflowing their box at {width}px: {bad}"
    if width < 600:
        # the board's attendance (12 columns) cannot fit a phone: it scrolls in its own box
        assert any(b["scrolls"] and b["id"] == "governance-attendance" for b in boxes)
    # screenshots, for a human to look at: the top, each chart, the widest table
    shots = []
    for i, selector in enumerate(["body", "#members-provinces-chart", "#governance-attendance",
                                  "#products-new-clients-chart", "#finance-pnl", "#finance-revenue-chart"]):
        browser.execute_script("document.querySelector(arguments[0]).scrollIntoView()", selector)
        path = tmp_path / f"html-{width}-{i}.png"
        assert browser.save_screenshot(str(path))
        shots.append(path)
    assert all(p.stat().st_size > 10_000 for p in shots)


def test_read_back_in_the_browser(browser, edition):
    doc = testing.build_result(ROOT / "rapact.toml", bundled=True).document
    open_at(browser, edition, 1280)
    got = browser.execute_script("""
      const num = document.querySelector('#finance-pnl tbody td.num');
      const style = getComputedStyle(num);
      const imgs = [...document.images];
      return {lang: document.documentElement.lang, title: document.title,
              align: style.textAlign, numeric: style.fontVariantNumeric, text: num.textContent,
              font: getComputedStyle(document.body).fontFamily,
              images: imgs.map(i => ({alt: i.alt, ok: i.complete && i.naturalWidth > 0}))};""")
    assert got["lang"] == "fr-BE" and got["title"] == doc.meta.title
    assert got["align"] == "right" and "tabular-nums" in got["numeric"]
    assert got["text"] == "4\u202f753\u202f459,12\u00a0€"
    assert got["font"].startswith('"DejaVu Sans"')
    charts = [b.chart for b in doc.blocks() if isinstance(b, m.Figure)]
    assert [i["alt"] for i in got["images"]] == [describe_chart(c) for c in charts]
    assert all(i["ok"] for i in got["images"])  # every data URI decodes to a picture


def test_skip_link_by_keyboard(browser, edition):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.wait import WebDriverWait

    open_at(browser, edition, 390, 844)
    ActionChains(browser).send_keys(Keys.TAB).perform()
    focused = browser.execute_script("""const a = document.activeElement, r = a.getBoundingClientRect();
        return {cls: a.className, href: a.getAttribute('href'), top: r.top, visible: r.height > 0};""")
    assert focused["cls"] == "skip-link" and focused["href"] == "#main"
    assert focused["visible"] and focused["top"] >= 0  # shown when focused
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert browser.execute_script("return document.activeElement.id") == "main"
    # a table box is reachable by keyboard, and scrolls with the arrow keys
    browser.execute_script("document.querySelector('#governance-attendance').closest('.table-scroll').focus()")
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT * 5).perform()
    # keyboard scrolling is animated: wait for it
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(
        "return document.querySelector('#governance-attendance').closest('.table-scroll').scrollLeft") > 0)


def test_print_styles(browser, edition):
    import base64

    open_at(browser, edition, 1280)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        got = browser.execute_script("""
          const s = e => getComputedStyle(document.querySelector(e));
          return {nav: s('nav').display, skip: s('.skip-link').display, chapter: s('main section.chapter').breakBefore,
                  row: s('tbody tr').breakInside, thead: s('thead').display, cover: s('header.cover').breakAfter,
                  wide: s('.table-scroll.wide').page, details: s('details.chart-data').display};""")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert got["nav"] == "none" and got["skip"] == "none" and got["details"] == "none"
    assert got["chapter"] == "page" and got["cover"] == "page"
    assert got["row"] == "avoid" and got["thead"] == "table-header-group"
    assert got["wide"] == "wide"
    pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) > 30
    first = reader.pages[0].extract_text()
    assert "Rapport d'activités" in first and "Table des matières" not in first
    sizes = {tuple(round(float(x)) for x in p.mediabox[2:]) for p in reader.pages}
    assert (595, 842) in sizes and (842, 595) in sizes  # A4, and landscape for the wide tables


def test_readable_report_of_violations():
    text = readable([{"id": "color-contrast", "impact": "serious", "help": "Elements must meet contrast",
                      "helpUrl": "https://dequeuniversity.com/rules/axe/4.10/color-contrast",
                      "nodes": [{"target": ["p.note"], "failureSummary": "Fix any of the following:\n ratio 3.1"}]}])
    assert text.splitlines() == [
        "color-contrast (serious): Elements must meet contrast -- https://dequeuniversity.com/rules/axe/4.10/"
        "color-contrast", "    p.note: Fix any of the following:  ratio 3.1"]
    assert json.dumps(WCAG_21_AA) == '["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]'


# ---------------------------------------------------------------- a machine without the browser


def test_missing_browser_skips_or_fails_when_required(monkeypatch):
    import browser as b

    monkeypatch.setattr(b, "CHROMIUM", ("/nonexistent/chromium",))
    monkeypatch.delenv("RAPACT_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium chromium-driver"):
        with b.chromium():
            pass
    monkeypatch.setenv("RAPACT_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="RAPACT_REQUIRE_BROWSER=1"):
        with b.chromium():
            pass
    monkeypatch.setattr(b, "AXE", ROOT / "node_modules" / "absent" / "axe.min.js")
    with pytest.raises(pytest.fail.Exception, match="npm ci"):
        b.require_axe()
