from decimal import Decimal as D

from rapact_finance import compute
from rapact_finance.load import Line


def line(code, nature="produit", formula=(), n=None, n1=None, budget=None):
    return Line(code, code, nature, tuple(formula), None if n is None else D(n), None if n1 is None else D(n1),
                None if budget is None else D(budget), 2)


LINES = (
    line("ca", n="100", n1="80", budget="90"),
    line("cost", "charge", n="-60", n1="-50", budget="-40"),
    line("red", "charge", n="-9", n1="3"),
    line("result", "resultat", ("ca", "cost", "red"), n="999", n1="33"),
)


def test_subtotals_are_computed_from_their_lines_not_stated_values():
    rows = {r.line.code: r for r in compute.account_rows(LINES)}
    assert rows["result"].n == D("31") and rows["result"].n1 == D("33")
    mismatches = compute.formula_mismatches(LINES)
    assert [(l.code, attr, stated, computed) for l, attr, stated, computed in mismatches] == [
        ("result", "n", D("999"), D("31"))]


def test_variations_follow_the_reports_sign_convention():
    rows = {r.line.code: r for r in compute.account_rows(LINES)}
    assert rows["ca"].change == D("20") and rows["ca"].change_pct == D("0.25")
    # a cost that grows from 50 to 60 is a positive variation of 10, +20 %
    assert rows["cost"].change == D("10") and rows["cost"].change_pct == D("0.2")
    # the sign flips: no meaningful percentage
    assert rows["red"].change == D("12") and rows["red"].change_pct is None


def test_budget_variation():
    rows = {r.line.code: r for r in compute.account_rows(LINES)}
    assert rows["ca"].budget_change == D("10") and round(rows["ca"].budget_pct, 4) == D("0.1111")
    assert rows["cost"].budget_change == D("20") and rows["cost"].budget_pct == D("0.5")


def test_ratio_change_is_undefined_from_zero():
    assert compute.ratio_change(D("5"), D("0")) is None
    assert compute.ratio_change(None, D("1")) is None


def test_circular_formula_is_reported():
    lines = (line("a", "resultat", ("b",)), line("b", "resultat", ("a",)))
    try:
        compute.evaluate(lines, "n")
    except ValueError as exc:
        assert "circular formula" in str(exc)
    else:
        raise AssertionError("expected a circular formula error")
