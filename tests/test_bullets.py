"""A list whose items all start with a symbol ("- ✓ La gestion de projets") shows that
symbol as its bullet, in place of the usual one, and its items' text loses it: no "• ✓".

The rule is the narrative's (Markdown to model); read back in the DOCX (the list's
numbering definition), the PDF (pdftotext) and the HTML edition (its marker style).
"""

from __future__ import annotations

import zipfile

import lxml.html
import pytest

from rapact_core import model as m
from rapact_core import serialize, testing
from rapact_core.narrative import markdown_to_blocks

from conftest import ROOT, build_2021

NAME = "rapport-activites-2021"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _list(text: str) -> m.ListBlock:
    (block,) = markdown_to_blocks(text, file="t.md")
    return block


def test_a_symbol_on_every_item_becomes_the_bullet():
    block = _list("- ✓ La gestion de projets ;\n- ✓ L'accompagnement **aux changements**\n")
    assert block.bullet == "✓"
    assert [m.plain_text(i.content) for i in block.items] == ["La gestion de projets ;",
                                                              "L'accompagnement aux changements"]
    assert block.items[1].content[1] == m.Text("aux changements", bold=True)
    for symbol in ("✗", "→", "–"):
        assert _list(f"- {symbol} a\n- {symbol} b\n").bullet == symbol
    nested = _list("- ✓ a\n  - → a.1\n  - → a.2\n- ✓ b\n")
    assert nested.bullet == "✓" and nested.items[0].children.bullet == "→"
    assert m.plain_text(nested.items[0].children.items[1].content) == "a.2"


@pytest.mark.parametrize("text", [
    "- ✓ a\n- b\n",            # not every item
    "- ✓ a\n- ✗ b\n",          # not the same symbol
    "- ✓a\n- ✓b\n",            # no space after it: part of a word
    "1. ✓ a\n2. ✓ b\n",        # a numbered list keeps its numbers
    "- a ✓\n- b ✓\n",          # not at the start
])
def test_otherwise_the_text_keeps_its_symbols(text):
    block = _list(text)
    assert block.bullet is None
    assert "".join(m.plain_text(i.content) for i in block.items) == "".join(
        line.split(" ", 1)[1] for line in text.splitlines())


def test_the_model_checks_a_bullet_and_json_keeps_it():
    item = m.ListItem("a")
    with pytest.raises(m.ModelError, match="a numbered list has numbers"):
        m.ListBlock([item], ordered=True, bullet="✓")
    with pytest.raises(m.ModelError, match="a symbol of one or two characters"):
        m.ListBlock([item], bullet="✓ ")
    doc = m.Document(m.Meta("T", "R", "O", 2021), [m.Chapter("c", "C", [m.ListBlock([item], bullet="✓"),
                                                                       m.ListBlock([item])])])
    assert serialize.from_json(serialize.to_json(doc)) == doc
    assert '"bullet"' in serialize.to_json(doc) and serialize.to_json(doc).count('"bullet"') == 1


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("bullets")
    build_2021(out)
    return out


FIRST = "La cartographie et la modélisation des processus métiers ;"


def test_the_2021_checklist_has_one_bullet_in_every_format(built):
    doc = testing.build_result(ROOT / "rapact.toml", bundled=True).document
    (checklist,) = [b for b in doc.blocks() if isinstance(b, m.ListBlock) and b.bullet]
    assert checklist.bullet == "✓" and len(checklist.items) == 7
    assert not any("✓" in m.plain_text(i.content) for i in checklist.items)

    # PDF: the symbol alone before the text, no other bullet on the line
    lines = testing.pdf_text(built / f"{NAME}.pdf").splitlines()
    (line,) = [x for x in lines if FIRST in x]
    assert line.strip() == f"✓ {FIRST}"
    assert not [x for x in lines if "✓" in x and "•" in x]

    # DOCX: the items' text without the symbol, numbered by a definition whose bullet is ✓
    import docx

    d = docx.Document(str(built / f"{NAME}.docx"))
    (para,) = [p for p in d.paragraphs if FIRST in p.text]
    assert para.text == FIRST
    num_id = para._p.pPr.numPr.numId.val
    with zipfile.ZipFile(built / f"{NAME}.docx") as zf:
        from lxml import etree

        numbering = etree.fromstring(zf.read("word/numbering.xml"))
    (num,) = [n for n in numbering.findall(f"{W}num") if n.get(f"{W}numId") == str(num_id)]
    abstract = num.find(f"{W}abstractNumId").get(f"{W}val")
    (definition,) = [a for a in numbering.findall(f"{W}abstractNum") if a.get(f"{W}abstractNumId") == abstract]
    level = definition.find(f"{W}lvl")
    assert level.find(f"{W}numFmt").get(f"{W}val") == "bullet"
    assert level.find(f"{W}lvlText").get(f"{W}val") == "✓"
    # the other bullet lists keep the usual bullet
    others = [p for p in d.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None
              and p.style.name == "List Bullet" and p._p.pPr.numPr.numId.val != num_id]
    assert others and not any(p.text.startswith("✓") for p in others)

    # HTML: a list marked with the symbol, its items without it
    page = lxml.html.parse(str(built / f"{NAME}.html")).getroot()
    (ul,) = page.xpath("//ul[@class='symbol']")
    assert ul.get("style") == 'list-style-type: "✓ "'
    assert [li.text_content() for li in ul.findall("li")][0] == FIRST


def test_the_browser_draws_the_symbol_as_the_marker(built):
    from browser import chromium

    with chromium(1280) as driver:
        driver.get((built / f"{NAME}.html").as_uri())
        marker = driver.execute_script(
            "const ul = document.querySelector('ul.symbol');"
            "return [getComputedStyle(ul).listStyleType, getComputedStyle(ul.firstElementChild, '::marker').content];")
    assert marker[0] == '"✓ "'
