from decimal import Decimal

import pytest

from rapact_core import model as m
from rapact_core.errors import RapactError
from rapact_core.facts import FactStore, fact
from rapact_core.model import CellKind
from rapact_core.narrative import markdown_to_blocks, render_template


def facts():
    store = FactStore()
    store.publish("members", ("members",), [fact("members.total", 362)])
    store.publish("finance", ("finance",), [
        fact("finance.revenue", Decimal("4753459.12"), CellKind.MONEY),
        fact("finance.revenue_growth", Decimal("0.14359"), CellKind.PERCENT, 2),
    ])
    store.publish("core", ("report",), [fact("report.year", 2021, CellKind.TEXT)])
    return store.view()


def render(src, sections=lambda s: s == "members.categories"):
    return render_template(src, file="t.md", facts=facts(), year=2021, sections=sections)


def test_placeholders_are_formatted_the_french_way():
    out = render("{{ members.total }} membres, {{ finance.revenue }}, +{{ finance.revenue_growth }}, "
                 "{{ finance.revenue_growth|pct(1) }}, en {{ report.year - 1 }}, {{ finance.revenue|millions(3) }}")
    out = out.replace("\u202f", " ").replace("\u00a0", " ")
    assert out == "362 membres, 4 753 459,12 €, +14,36 %, 14,4 %, en 2020, 4,753"


def test_unknown_placeholder_names_file_and_line_with_a_suggestion():
    with pytest.raises(RapactError) as info:
        render("ligne un\n\n{{ members.totl }} et {{ nothing.here }}\n")
    msgs = [f.format() for f in info.value.findings]
    assert any(m_.startswith("t.md:3: error: unknown placeholder 'members.totl'") and "members.total" in m_
               for m_ in msgs)
    assert any("t.md:3: error: unknown placeholder 'nothing.here'" in m_ for m_ in msgs)


def test_template_syntax_error_names_the_line():
    with pytest.raises(RapactError) as info:
        render("a\nb {{ members.total \n")
    assert info.value.findings[0].line == 2
    assert "template syntax error" in info.value.findings[0].message


def test_sandbox_refuses_python_internals():
    with pytest.raises(RapactError) as info:
        render("{{ ''.__class__.__mro__ }}")
    assert "t.md" in str(info.value)


def test_unknown_section_is_an_error():
    with pytest.raises(RapactError, match="unknown section"):
        render('{{ section("nope.table") }}')


def test_markdown_to_blocks_with_sections():
    text = render("## Titre\n\nDu **gras** et *italique*, [site](https://imio.be).\n\n"
                  "- un\n  - un.un\n- deux\n\n3. trois\n4. quatre\n\n{{ section(\"members.categories\") }}\n")
    table = m.Table([m.Column("a", "A")], [m.Row(["x"])])
    blocks = markdown_to_blocks(text, file="t.md", section_blocks=lambda sid: [table])
    assert isinstance(blocks[0], m.Heading) and blocks[0].level == 2
    para = blocks[1]
    assert m.Text("gras", bold=True) in para.content and m.Text("italique", italic=True) in para.content
    assert any(isinstance(i, m.Link) and i.target == "https://imio.be" for i in para.content)
    assert blocks[2].items[0].children.items[0].content == (m.Text("un.un"),)
    assert blocks[3].ordered and blocks[3].start == 3
    assert blocks[4] is table


@pytest.mark.parametrize("link", ["javascript:alert(1)", "file:///etc/passwd", "ftp://x"])
def test_only_web_and_mail_links(link):
    with pytest.raises(RapactError, match="not allowed"):
        markdown_to_blocks(f"\n\n[x]({link})\n", file="t.md")


def test_single_hash_heading_and_control_characters_are_errors():
    with pytest.raises(RapactError, match="single '#'"):
        markdown_to_blocks("# Titre\n", file="t.md")
    with pytest.raises(RapactError) as info:
        markdown_to_blocks("a\n\nb\x0bc\n", file="t.md")
    assert info.value.findings[0].line == 3


def test_variation_filter_prints_a_signed_rate():
    store = FactStore()
    store.publish("x", ("x",), [fact("x.up", Decimal("0.396"), CellKind.PERCENT),
                                fact("x.down", Decimal("-0.30909"), CellKind.PERCENT)])
    from rapact_core.missing import MISSING

    store.publish("y", ("y",), [fact("y.todo", MISSING, CellKind.PERCENT)])
    out = render_template("{{ x.up|variation }} / {{ x.down|variation(2) }} / {{ y.todo|variation }}",
                          file="t.md", facts=store.view(), year=2021, sections=lambda s: False)
    assert out == "+39,6\xa0% / -30,91\xa0% / à compléter"
