"""Chart descriptions generated from data (render/chart_text.py).

The 2021 charts' sentences are checked against the figures of the report's
own tables, read as a reader would (testing.table_rows), not against the
chart they were generated from.
"""

from decimal import Decimal

import pytest

from rapact_core import model as m
from rapact_core import testing
from rapact_core.formatting import format_value
from rapact_core.missing import MISSING
from rapact_core.render.chart_text import describe_chart, is_time_axis

from conftest import ROOT


@pytest.fixture(scope="module")
def doc():
    return testing.build_result(ROOT / "rapact.toml", bundled=True).document


def chart(doc, figure_id) -> m.Chart:
    return next(b.chart for b in doc.blocks() if isinstance(b, m.Figure) and b.id == figure_id)


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def series(name, values) -> m.Series:
    """A series holding exactly ``values``, MISSING and None included (the model may turn them into 0)."""
    s = m.Series(name, [])
    object.__setattr__(s, "values", tuple(values))
    return s


def test_new_clients_stacked_bars_against_the_table(doc):
    rows = testing.table_rows(doc, "products-new-clients")
    years, total = rows[0][1:], rows[-1]
    assert total[0] == "Total"
    totals = [int(v) for v in total[1:]]
    last, prev = years[-1], years[-2]
    body = rows[1:-1]
    changes = {r[0]: int(r[-1] or 0) - int(r[-2] or 0) for r in body}
    grower = max(changes, key=changes.get)
    text = plain(describe_chart(chart(doc, "products-new-clients-chart")))
    assert text.startswith(f"Barres empilées, nouveaux clients mis en production par an, de {years[0]} à {last}, "
                           f"{len(body)} séries ; ")
    # "total 2021 : 125, le plus haut" only because 125 is the highest total of the table
    assert max(totals) == totals[-1]
    assert f"total {last} : {totals[-1]}, le plus haut" in text
    assert f"{grower} progresse le plus (+{changes[grower]} par rapport à {prev})" in text
    assert text == ("Barres empilées, nouveaux clients mis en production par an, de 2012 à 2021, 9 séries ; "
                    "total 2021 : 125, le plus haut ; iA. Web progresse le plus (+22 par rapport à 2020)")


def test_staff_bars_against_the_table(doc):
    rows = testing.table_rows(doc, "governance-staff")[1:]
    first, last = rows[0], rows[-1]
    staff = [int(r[1]) for r in rows]
    text = plain(describe_chart(chart(doc, "governance-staff-chart")))
    assert max(staff) == staff[-1]
    assert text == (f"Histogramme, effectif au 31 décembre, de {first[0]} à {last[0]} ; {last[1]} en {last[0]}, "
                    f"le plus haut, contre {first[1]} en {first[0]} (+{staff[-1] - staff[0]})")
    assert text.endswith("45 en 2021, le plus haut, contre 12 en 2012 (+33)")


def test_provinces_hbars_against_the_table(doc):
    rows = testing.table_rows(doc, "members-provinces")
    body = rows[1:-1]
    members = {r[0].replace("Province de ", "").replace("Province du ", ""): int(r[1]) for r in body}
    communes = {r[0].replace("Province de ", "").replace("Province du ", ""): int(r[2]) for r in body}
    text = plain(describe_chart(chart(doc, "members-provinces-chart")))
    top = max(members, key=members.get)
    low = min(members, key=members.get)
    assert text.startswith(f"Barres horizontales groupées, communes membres par province, {len(body)} catégories, "
                           "séries Membres et Communes ; ")
    assert f"Membres : le plus haut {top} ({members[top]}), le plus bas {low} ({members[low]})" in text
    ctop = max(communes, key=communes.get)
    assert f"Communes : le plus haut {ctop} ({communes[ctop]})" in text
    gaps = {p: members[p] - communes[p] for p in members}
    widest = max(gaps, key=lambda p: abs(gaps[p]))
    assert f"plus grand écart entre Membres et Communes : {widest} ({gaps[widest]})" in text
    assert (top, members[top], low, members[low], widest, gaps[widest]) == (
        "Liège", 71, "Brabant wallon", 25, "Liège", -13)


def test_revenue_money_hbars_against_the_table(doc):
    rows = testing.table_rows(doc, "finance-revenue")
    body = rows[1:-1]
    text = plain(describe_chart(chart(doc, "finance-revenue-chart")))
    # the amounts are printed exactly as the table prints them (Babel, fr_BE, €)
    amounts = {r[0]: r[1] for r in body}
    as_number = {k: Decimal(v.replace(" ", "").replace("€", "").replace(",", ".")) for k, v in amounts.items()}
    top = max(as_number, key=as_number.get)
    low = min(as_number, key=as_number.get)
    assert f"2021 : le plus haut {top} ({amounts[top]}), le plus bas {low} ({amounts[low]})" in text
    assert "le plus haut iA.Délib (1 182 708,47 €)" in text
    assert text.startswith("Barres horizontales groupées, chiffre d'affaires par solution, 2021 et 2020, "
                           f"{len(body)} catégories, séries 2021 et 2020 ; ")


def test_every_2021_chart_is_described_by_its_data_not_its_title(doc):
    figures = [b for b in doc.blocks() if isinstance(b, m.Figure)]
    assert len(figures) == 4
    for f in figures:
        text = describe_chart(f.chart)
        assert text != f.chart.title and len(text) > len(f.chart.title) + 30
        assert any(ch.isdigit() for ch in text.split(";", 1)[1])


# ---------------------------------------------------------------- every kind, unit and hole


def test_line_of_rates_speaks_in_points():
    c = m.Chart(m.ChartKind.LINE, "Taux de couverture", ["2019", "2020", "2021"],
                [series("Taux", [Decimal("0.8"), Decimal("0.92"), Decimal("0.89")])], m.CellKind.PERCENT)
    text = plain(describe_chart(c))
    assert text == ("Courbe, taux de couverture, de 2019 à 2021 ; 89,00 % en 2021, contre 80,00 % en 2019 "
                    "(+9,00 points) ; le plus haut : 92,00 % en 2020")


def test_lines_of_several_series_name_the_biggest_move():
    c = m.Chart(m.ChartKind.LINE, "Tickets", ["T1", "T2", "T3"],
                [series("Support", [5, 9, 4]), series("Projets", [1, 2, 3])])
    assert is_time_axis(c)  # a line is an ordered axis whatever its labels
    text = plain(describe_chart(c))
    assert text == ("Courbes, tickets, de T1 à T3, séries Support et Projets ; Support : 4 en T3 ; "
                    "Projets : 3 en T3 ; Projets progresse le plus (+1 par rapport à T2)")


def test_falling_series_recule():
    c = m.Chart(m.ChartKind.BAR, "Commandes", ["2020", "2021"],
                [series("A", [10, 4]), series("B", [3, 2])])
    text = plain(describe_chart(c))
    assert text.startswith("Histogramme groupé, commandes, de 2020 à 2021, séries A et B ; ")
    assert text.endswith("A recule le plus (-6 par rapport à 2020)")


def test_money_bars_by_category_with_a_total():
    c = m.Chart(m.ChartKind.BAR, "Recettes", ["Nord", "Sud", "Est"],
                [series("Recettes", [Decimal("1500.5"), Decimal("200"), Decimal("1234567.891")])], m.CellKind.MONEY)
    text = describe_chart(c)
    expected_total = format_value(Decimal("1500.5") + 200 + Decimal("1234567.891"), m.CellKind.MONEY)
    assert text == ("Histogramme, recettes, 3 catégories ; le plus haut : Est (1\u202f234\u202f567,89\u00a0€) ; "
                    f"le plus bas : Sud (200,00\u00a0€) ; total : {expected_total}")


def test_single_hbar_and_categorical_stacked():
    one = m.Chart(m.ChartKind.HBAR, "Membres", ["a", "b"], [series("n", [3, 8])])
    assert plain(describe_chart(one)) == ("Barres horizontales, membres, 2 catégories ; le plus haut : b (8) ; "
                                         "le plus bas : a (3) ; total : 11")
    stacked = m.Chart(m.ChartKind.STACKED_BAR, "Répartition", ["x", "y"],
                      [series("p", [1, 5]), series("q", [2, 0])])
    assert plain(describe_chart(stacked)) == ("Barres empilées, répartition, 2 catégories, séries p et q ; "
                                             "total le plus haut : y (5) ; total le plus bas : x (3)")


@pytest.mark.parametrize("hole", [MISSING, None])
def test_missing_figures_are_named_and_left_out(hole):
    c = m.Chart(m.ChartKind.STACKED_BAR, "Clients", ["2019", "2020", "2021"],
                [series("A", [Decimal(1), Decimal(2), hole]), series("B", [Decimal(1), Decimal(2), Decimal(3)])])
    text = plain(describe_chart(c))
    # a total with a missing part is missing, never a smaller number
    assert "total 2021 : à compléter" in text
    assert "total le plus haut : 4 en 2020" in text
    assert "B progresse le plus (+1 par rapport à 2020)" in text
    assert text.endswith("à compléter : A 2021")
    line = m.Chart(m.ChartKind.LINE, "Taux", ["2019", "2020", "2021"],
                   [series("t", [Decimal("0.5"), hole, Decimal("0.6")])], m.CellKind.PERCENT)
    assert plain(describe_chart(line)).endswith("; à compléter : 2020")


def test_every_figure_missing_or_no_data():
    holes = m.Chart(m.ChartKind.BAR, "Vide", ["2020", "2021"], [series("s", [MISSING, MISSING])])
    assert describe_chart(holes) == "Histogramme, vide, de 2020 à 2021 ; valeurs à compléter"
    empty = m.Chart(m.ChartKind.HBAR, "Rien", [], [])
    assert describe_chart(empty) == "Barres horizontales, rien ; aucune donnée"


def test_a_model_chart_with_missing_values_still_describes():
    # whatever the model makes of MISSING (0 today, MISSING later), the text never fails
    c = m.Chart(m.ChartKind.BAR, "Effectif", ["2020", "2021"], [m.Series("n", [MISSING, 4])])
    assert describe_chart(c).startswith("Histogramme, effectif, de 2020 à 2021 ; 4 en 2021")


def test_title_case_kept_for_acronyms_and_brands():
    for title, expected in (("CPAS par province", "CPAS par province"), ("iMio en chiffres", "iMio en chiffres")):
        c = m.Chart(m.ChartKind.HBAR, title, ["a"], [series("n", [1])])
        assert describe_chart(c).startswith(f"Barres horizontales, {expected}, 1 catégorie ; ")
