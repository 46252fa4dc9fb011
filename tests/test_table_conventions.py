"""One convention for figures in every table and every format: negative amounts as the
configuration says, the € sign in every money column, an absent figure printed as a dash.

Read back from the built files: the DOCX (python-docx), the PDF (pdftotext) and the
HTML edition (lxml), against what the model's tables hold.
"""

from __future__ import annotations

import re

import lxml.html
import pytest
from click.testing import CliRunner

from rapact_core import model as m
from rapact_core import testing
from rapact_core.cli import main
from rapact_core.formatting import ABSENT_TEXT, normalise_spaces

MONEY_TABLES = ("finance-pnl", "finance-analytic", "finance-revenue", "finance-budget", "finance-budget-revenue")


def _build(report, convention: str | None):
    config = report / "reports" / "2021" / "rapact.toml"
    if convention is not None:
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("date = 2022-06-01\n", f'date = 2022-06-01\nnegative_amounts = "{convention}"\n'),
                          encoding="utf-8")
    out = report / "out"
    result = CliRunner().invoke(main, ["build", "--config", str(report / "rapact.toml"), "--output", str(out)])
    assert result.exit_code == 0, result.output
    return testing.build_result(report / "rapact.toml", bundled=True).document, out


def _html_rows(page, table_id: str) -> list[list[str]]:
    table = page.get_element_by_id(table_id)
    rows = table.xpath("./thead/tr[last()] | ./tbody/tr | ./tfoot/tr")
    return [[normalise_spaces(c.text_content()) for c in tr] for tr in rows]


def _negatives(doc, table_id: str) -> list[str]:
    """The printed negative amounts of a table's money columns, from the model."""
    t = testing.table(doc, table_id)
    money = {i for i, c in enumerate(t.columns) if c.kind is m.CellKind.MONEY}
    rows = testing.table_rows(doc, table_id)
    out = []
    for row, model_row in zip(rows[1:], list(t.body) + list(t.foot)):
        for i, (text, cell) in enumerate(zip(row, model_row.cells)):
            if i in money and cell.kind is None and not isinstance(cell.value, str) and cell.value is not None \
                    and cell.value < 0:
                out.append(text)
    return out


@pytest.mark.parametrize("convention", ["parentheses", None])
def test_every_money_column_follows_the_configured_convention_in_every_format(report_copy, convention):
    doc, out = _build(report_copy, convention)
    assert doc.meta.negative_amounts == (convention or "minus")
    docx_tables = testing.docx_tables(out / "rapport-activites-2021.docx")
    pdf = normalise_spaces(testing.pdf_text(out / "rapport-activites-2021.pdf"))
    page = lxml.html.parse(str(out / "rapport-activites-2021.html")).getroot()
    shown = []
    for table_id in MONEY_TABLES:
        expected = testing.table_rows(doc, table_id)
        # the DOCX and the HTML print exactly the model's texts, cell by cell
        assert [t for t in docx_tables if t and t[-len(expected):] == expected], table_id
        assert _html_rows(page, table_id) == expected, table_id
        negatives = _negatives(doc, table_id)
        for text in negatives:
            assert text in pdf, (table_id, text)
        shown += negatives
        # every figure of a money column shows the € sign, whichever table it is in
        t = testing.table(doc, table_id)
        for row in expected[1:]:
            for column, text in zip(t.columns, row):
                if column.kind is m.CellKind.MONEY and text not in ("", ABSENT_TEXT):
                    assert text.endswith(" €"), (table_id, text)
    assert len(shown) > 20
    if convention == "parentheses":
        assert all(re.fullmatch(r"\([0-9 ]+,[0-9]{2}\) €", text) for text in shown), shown
        assert "(3 299 312,71) €" in pdf and "-3 299 312,71 €" not in pdf
    else:
        assert all(re.fullmatch(r"-[0-9 ]+,[0-9]{2} €", text) for text in shown), shown
        assert "-3 299 312,71 €" in pdf and "(3 299 312,71) €" not in pdf


def test_an_absent_figure_prints_the_same_everywhere():
    from conftest import ROOT

    doc = testing.build_result(ROOT / "rapact.toml", bundled=True).document
    # the 2020 capitalised production is the same figure in the P&L and in the analytic grouping
    pnl = testing.table_rows(doc, "finance-pnl")
    analytic = testing.table_rows(doc, "finance-analytic")
    (in_pnl,) = [r for r in pnl if r[0] == "Productions immobilisées"]
    (in_analytic,) = [r for r in analytic if r[0] == "Productions immobilisées"]
    assert in_pnl[2] == in_analytic[2] == "0,00 €"
    # every absent figure of every table is the same dash (no empty numeric cell, no "0,00" for nothing)
    absent = 0
    for t in testing.tables(doc):
        rows = testing.table_rows(doc, t.id) if t.id else testing.table_rows(t)
        for row, model_row in zip(rows[1:], list(t.body) + list(t.foot)):
            col = 0
            for text, cell in zip(row, model_row.cells):
                kind = cell.kind or t.columns[col].kind
                if cell.value is None and kind in (m.CellKind.INTEGER, m.CellKind.DECIMAL, m.CellKind.MONEY,
                                                   m.CellKind.PERCENT):
                    assert text == ABSENT_TEXT, (t.id, row)
                    absent += 1
                col += cell.colspan
    assert absent > 10
