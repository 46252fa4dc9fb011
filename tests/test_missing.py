"""MISSING, a figure still to fill in: arithmetic absorbs it, ordering refuses it."""

from decimal import Decimal

import pytest

from rapact_core import MISSING, MissingComparison, fact, figures, is_missing, max_of, min_of


@pytest.mark.parametrize("other", [3, Decimal("2.5"), 0, -1])
def test_every_ordering_comparison_with_missing_raises(other):
    for compare in (lambda: MISSING > other, lambda: MISSING < other, lambda: MISSING >= other,
                    lambda: MISSING <= other, lambda: other > MISSING, lambda: other < MISSING,
                    lambda: other >= MISSING, lambda: other <= MISSING, lambda: MISSING < MISSING):
        with pytest.raises(MissingComparison, match="cannot order MISSING"):
            compare()


def test_max_min_and_sorted_cannot_silently_skip_a_missing_figure():
    months = [1, MISSING, 7]
    for fn in (max, min, sorted):
        with pytest.raises(TypeError, match="use rapact_core.figures.max_of / min_of, which return MISSING"):
            fn(months)
    with pytest.raises(MissingComparison):
        max([("janvier", 1), ("février", MISSING)], key=lambda m: m[1])
    # facts compare through their values: the same refusal
    with pytest.raises(MissingComparison):
        fact("x.a", MISSING) > 3


def test_max_of_and_min_of_return_missing_while_an_input_is_missing():
    assert max_of([1, MISSING, 7]) is MISSING and min_of([1, MISSING, 7]) is MISSING
    months = [("janvier", 1), ("février", 9), ("mars", 9)]
    assert max_of(months, key=lambda m: m[1]) == ("février", 9)  # the first of equals, as max()
    assert min_of(months, key=lambda m: m[1]) == ("janvier", 1)
    assert max_of(months + [("avril", MISSING)], key=lambda m: m[1]) is MISSING
    assert max_of([Decimal("1.5"), 2]) == 2 and figures.min_of([3], default=0) == 3
    assert max_of([], default=None) is None
    with pytest.raises(ValueError, match="max_of\\(\\) of no values"):
        max_of([])


def test_arithmetic_and_equality_are_unchanged():
    assert MISSING + 3 is MISSING and 3 - MISSING is MISSING and sum([1, MISSING]) is MISSING
    assert MISSING == MISSING and MISSING != 0 and not (MISSING == 0)
    assert is_missing(MISSING) and bool(MISSING)
    assert {MISSING: 1}[MISSING] == 1
