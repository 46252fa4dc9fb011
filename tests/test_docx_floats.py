"""Landscape tables float in the DOCX where they float in the PDF (issue 15).

The reordering is a pure function of the PDF's layout record, tried here on
synthetic records; the 2021 DOCX, read back with python-docx, puts Table 12
after the text the PDF sets before it. (LibreOffice's pages of it:
tests/test_libreoffice.py.)
"""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal

import docx
import pytest

from rapact_core import model as m
from rapact_core.formatting import normalise_spaces
from rapact_core.numbering import number_document
from rapact_core.render import RenderOptions
from rapact_core.render import pdf_record as R
from rapact_core.render.docx import render_docx
from rapact_core.render.docx_floats import Move, float_moves, reading_order, split_list

from conftest import build_2021

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def record(*placed) -> R.LayoutRecord:
    """A layout record: ``placed`` is (block, kind, landscape[, chapter]) in layout order."""
    rec = R.LayoutRecord()
    for n, (block, kind, landscape, *chapter) in enumerate(placed):
        tag = R.Tag(kind, chapter[0] if chapter else 0, block, f"{kind} {block}")
        rec.add(R.Placement(n // 10 + 1, 700, 600, tag, landscape, 770, 700))
    return rec


P, L = False, True  # portrait, landscape


# ---------------------------------------------------------------- the pure reordering


def test_a_floated_table_and_its_lead_in_follow_the_text_laid_out_before_them():
    # 0 text, 1 lead-in, 2 landscape table, 3 and 4 text that filled the page first, 5 text after
    rec = record((0, R.PARAGRAPH, P), (3, R.PARAGRAPH, P), (4, R.PARAGRAPH, P),
                 (1, R.LEAD_IN, L), (2, R.CAPTION, L), (2, R.TABLE, L), (5, R.PARAGRAPH, P))
    moves = float_moves(rec, [2])
    assert moves == [Move(1, 2, 4)]
    assert reading_order(range(6), moves) == [0, 3, 4, 1, 2, 5]


def test_a_table_the_pdf_did_not_float_stays():
    rec = record((0, R.PARAGRAPH, P), (1, R.CAPTION, P), (1, R.TABLE, P), (2, R.PARAGRAPH, P))
    assert float_moves(rec, [1]) == []
    # placed at once (it carries a heading): nothing was laid out before it
    rec = record((0, R.PARAGRAPH, P), (1, R.HEADING, L), (2, R.CAPTION, L), (2, R.TABLE, L), (3, R.PARAGRAPH, P))
    assert float_moves(rec, [2]) == []


def test_floats_waiting_together_keep_their_order():
    # 1 and 3 floated to the same page end, after 2 and 4
    rec = record((0, R.PARAGRAPH, P), (2, R.PARAGRAPH, P), (4, R.PARAGRAPH, P),
                 (1, R.TABLE, L), (3, R.CAPTION, L), (3, R.TABLE, L), (5, R.PARAGRAPH, P))
    moves = float_moves(rec, [1, 3])
    assert moves == [Move(1, 1, 4), Move(3, 3, 4)]
    assert reading_order(range(6), moves) == [0, 2, 4, 1, 3, 5]


def test_a_float_never_passes_a_portrait_table_a_chapter_or_a_page_break():
    # 2 is a portrait table: the float went before it (FloatBarrier)
    rec = record((0, R.TABLE, L), (1, R.PARAGRAPH, P), (0, R.TABLE, L), (2, R.TABLE, P))
    rec.placements[:] = [rec.placements[i] for i in (1, 0, 3)]
    assert float_moves(rec, [0]) == [Move(0, 0, 1)]
    # a table laid out after the float, in reading order before it: the walk stops there
    rec = record((1, R.PARAGRAPH, P), (0, R.TABLE, L), (2, R.TABLE, P), (3, R.PARAGRAPH, P))
    assert float_moves(rec, [0]) == [Move(0, 0, 1)]
    # block 2 is in the next chapter
    rec = record((1, R.PARAGRAPH, P, 0), (2, R.HEADING, P, 1), (0, R.TABLE, L, 0))
    assert float_moves(rec, [0]) == [Move(0, 0, 1)]
    # block 2 starts a page in the DOCX (a level-1 heading), block 3 has no placement (a page break)
    rec = record((1, R.PARAGRAPH, P), (2, R.HEADING, P), (0, R.TABLE, L))
    assert float_moves(rec, [0], barriers=[2]) == [Move(0, 0, 1)]
    rec = record((1, R.PARAGRAPH, P), (4, R.PARAGRAPH, P), (0, R.TABLE, L))
    assert float_moves(rec, [0]) == [Move(0, 0, 1)]


def test_a_list_the_float_cut_is_cut_there():
    # list 1: three item paragraphs before the float, the third cut by the page, one after
    rec = record((1, R.LIST_ITEM, P), (1, R.LIST_ITEM, P), (1, R.LIST_ITEM, P), (0, R.TABLE, L),
                 (1, R.LIST_ITEM, P), (1, R.LIST_ITEM, P), (2, R.PARAGRAPH, P))
    rec.placements[2] = R.Placement(1, 1, 1, R.Tag(R.LIST_ITEM, 0, 1, "third"), False, 770, 700)
    rec.placements[4] = R.Placement(2, 1, 1, R.Tag(R.LIST_ITEM, 0, 1, "third"), False, 770, 700)
    moves = float_moves(rec, [0])
    assert moves == [Move(0, 0, 1, cut=1)]  # "list item 1" twice is two items: the first alone is whole
    assert reading_order(range(3), moves) == [1, 0, 1, 2]
    items = [m.ListItem([m.Text(t)], children=m.ListBlock([m.ListItem([m.Text("sub")])]) if t == "b" else None)
             for t in "abcd"]
    numbered = m.ListBlock(items, ordered=True, start=3)
    head, tail = split_list(numbered, 3)  # a, b and its sub-item
    assert [i.content[0].text for i in head.items] == ["a", "b"] and head.start == 3
    assert [i.content[0].text for i in tail.items] == ["c", "d"] and tail.start == 5
    assert split_list(numbered, 0) == (None, numbered) and split_list(numbered, 5) == (numbered, None)
    with pytest.raises(ValueError):
        reading_order(range(3), [Move(1, 2, 1)])  # a group cannot go after itself


# ---------------------------------------------------------------- the 2021 report


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("floats")
    build_2021(out, "--format", "docx", "--format", "pdf")
    return out


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", normalise_spaces(text)).strip()


def _pdf_page(pdf, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_table_12_follows_the_text_the_pdf_sets_before_it(built):
    from pypdf import PdfReader

    pdf = built / "rapport-activites-2021.pdf"
    pages = PdfReader(str(pdf)).pages
    at = next(i for i, page in enumerate(pages) if "Tableau 12 : Participation" in page.extract_text())
    assert pages[at].mediabox.width > pages[at].mediabox.height  # a landscape page
    # the last line of text on the portrait page before it (not its page number)
    before = [line for line in _pdf_page(pdf, at).splitlines()
              if line.strip() and not re.fullmatch(r"\s*- \d+ -\s*", line)]
    last = _flat(before[-1])
    body = docx.Document(str(built / "rapport-activites-2021.docx")).element.body
    texts = [_flat("".join(t.text or "" for t in el.iter(f"{W}t"))) for el in body]
    caption = next(i for i, t in enumerate(texts) if t.startswith("Tableau 12 :"))
    previous = [t for t in texts[:caption] if t]
    assert last in previous[-1], (last, previous[-3:])
    assert previous[-2] == "Organigramme fonctionnel."  # sections 5.3 and 5.4 come first, as in the PDF
    # the table opens its landscape section; the text before it closes the portrait one
    section_end = [i for i, el in enumerate(body) if el.find(f"{W}pPr/{W}sectPr") is not None]
    closing = max(i for i in section_end if i < caption)
    assert texts[closing] == previous[-1] or not texts[closing]
    # table numbers, SEQ captions, still read in order
    numbers = [int(x) for x in re.findall(r"^Tableau (\d+) :", "\n".join(texts), re.M)]
    assert numbers == sorted(numbers) == list(range(1, len(numbers) + 1))


def test_a_docx_alone_is_the_same_docx(built, tmp_path):
    build_2021(tmp_path, "--format", "docx")
    assert (tmp_path / "rapport-activites-2021.docx").read_bytes() == \
        (built / "rapport-activites-2021.docx").read_bytes()


def test_the_layout_behind_the_docx_writes_no_file(tmp_path, monkeypatch):
    """The PDF layout the DOCX follows runs in memory: the folder the build runs in gets nothing."""
    wide = m.Table(columns=[m.Column("a", "A")], body=[m.Row(["x"])], landscape=True, caption="Large")
    blocks = [m.Paragraph("Avant."), wide, m.Paragraph("Après.")]
    doc = number_document(m.Document(m.Meta(title="T", reference="R", organisation="O", year=2021),
                                     [m.Chapter("c", "C", blocks=blocks)]))
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    render_docx(doc, tmp_path / "t.docx", RenderOptions())
    assert list((tmp_path / "cwd").iterdir()) == []


def test_a_table_only_the_pdf_floats_stays_in_the_docx(tmp_path, monkeypatch):
    """The DOCX measures with its own metrics: a table it keeps portrait is not moved."""
    from rapact_core.render import docx_floats

    wide = m.Table(columns=[m.Column("a", "A"), m.Column("b", "B", kind=m.CellKind.MONEY)],
                   body=[m.Row(["x", Decimal("1.5")])], landscape=True, caption="Large")
    blocks = [m.Heading(1, "Un"), m.Paragraph("Avant."), wide] + [m.Paragraph(f"Texte {i}.") for i in range(3)]
    doc = number_document(m.Document(m.Meta(title="T", reference="R", organisation="O", year=2021),
                                     [m.Chapter("c", "C", blocks=blocks)]))
    seen = []
    real = docx_floats.chapter_orders

    def spy(doc, landscape, options):
        orders = real(doc, landscape, options)
        seen.append(orders)
        return orders

    monkeypatch.setattr("rapact_core.render.docx.chapter_orders", spy)
    render_docx(doc, tmp_path / "a.docx", RenderOptions())
    texts = [p.text for p in docx.Document(str(tmp_path / "a.docx")).paragraphs if p.text]
    # a short float-free page: the PDF puts the table at the top of the next page, after the text
    assert texts.index("Texte 2.") < next(i for i, t in enumerate(texts) if t.startswith("Tableau 1"))
    assert seen[0].chapters
    # the same table, which the DOCX would keep portrait: no move
    monkeypatch.setattr("rapact_core.render.docx.DocxRenderer._landscape_tables", lambda self: set())
    render_docx(doc, tmp_path / "b.docx", RenderOptions())
    texts = [p.text for p in docx.Document(str(tmp_path / "b.docx")).paragraphs if p.text]
    assert next(i for i, t in enumerate(texts) if t.startswith("Tableau 1")) < texts.index("Texte 0.")
    assert not seen[1].chapters


def _floating(text_before: str = "Avant.") -> m.Document:
    wide = m.Table(columns=[m.Column("a", "A"), m.Column("b", "B", kind=m.CellKind.MONEY)],
                   body=[m.Row(["x", Decimal("1.5")])], landscape=True, caption="Large")
    blocks = [m.Heading(1, "Un"), m.Paragraph(text_before), wide] + [m.Paragraph(f"Texte {i}.") for i in range(3)]
    return number_document(m.Document(m.Meta(title="T", reference="R", organisation="O", year=2021),
                                      [m.Chapter("c", "C", blocks=blocks)]))


def _table_at(path) -> int:
    texts = [p.text for p in docx.Document(str(path)).paragraphs if p.text]
    return next(i for i, t in enumerate(texts) if t.startswith("Tableau 1")) - texts.index("Texte 0.")


def test_the_moves_are_kept_in_the_build_cache(tmp_path, monkeypatch):
    """A rebuild reads where the tables go from the cache (no layout); a broken entry is laid out
    again, and a changed chapter has an entry of its own."""
    import json

    cache = tmp_path / "cache"
    monkeypatch.setenv("RAPACT_CACHE_DIR", str(cache))
    render_docx(_floating(), tmp_path / "a.docx", RenderOptions())
    entries = list(cache.glob("floats-*.json"))
    assert len(entries) == 1 and _table_at(tmp_path / "a.docx") > 0  # after the text
    render_docx(_floating(), tmp_path / "b.docx", RenderOptions())
    assert (tmp_path / "b.docx").read_bytes() == (tmp_path / "a.docx").read_bytes()
    # what the cache says is used: an entry moving nothing keeps the table in place
    key = json.loads(entries[0].read_text())["key"]
    entries[0].write_text(json.dumps({"key": key, "moves": []}))
    render_docx(_floating(), tmp_path / "c.docx", RenderOptions())
    assert _table_at(tmp_path / "c.docx") < 0
    foreign = json.dumps({"key": "x", "moves": []})
    for broken in ("{not json", json.dumps({"key": key, "moves": [[2, 2, 99, 0]]}), foreign):
        entries[0].write_text(broken)
        render_docx(_floating(), tmp_path / "d.docx", RenderOptions())
        assert (tmp_path / "d.docx").read_bytes() == (tmp_path / "a.docx").read_bytes(), broken
    render_docx(_floating("Un autre texte avant."), tmp_path / "e.docx", RenderOptions())
    assert len(list(cache.glob("floats-*.json"))) == 2 and _table_at(tmp_path / "e.docx") > 0
