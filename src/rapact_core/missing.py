"""``MISSING``: a figure that is still to be filled in ("à compléter").

A half-filled year must still build, as a draft: a figure cell left empty by
``rapact new-year`` reads as ``MISSING``, which, like a NaN, turns every sum,
difference and rate it enters into ``MISSING``. Renderers and the narrative
print it as "à compléter", and ``rapact check`` lists where to fill it in.

Ordering has no NaN-like answer that is safe: ``MISSING > 3`` being False
would make ``max([1, MISSING])`` quietly 1, a "worst month" that is wrong in
a half-filled year. So ``<``, ``<=``, ``>`` and ``>=`` with ``MISSING`` raise
:class:`MissingComparison` (a ``TypeError``), and with them ``max``, ``min``
and ``sorted`` over values that hold it. ``rapact_core.figures.max_of`` and
``min_of`` return ``MISSING`` instead, for a figure that must print
"à compléter" while any of its inputs is missing. ``==`` stays an identity:
``MISSING == MISSING``, and ``MISSING != 0``.
"""

from __future__ import annotations

FILL_IN_TEXT = "à compléter"


class MissingComparison(TypeError):
    """An ordering comparison with MISSING: its answer would be a guess."""


class Missing:
    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return "MISSING"

    def __str__(self):
        return FILL_IN_TEXT

    def __bool__(self):
        # `value or 0` must not quietly turn a missing figure into zero
        return True

    def _same(self, *_args):
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _same
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __neg__ = __abs__ = __pos__ = _same

    def __eq__(self, other):
        return other is self

    def __hash__(self):
        return 0x70D0

    def __lt__(self, other):
        raise MissingComparison(
            "cannot order MISSING (a figure still to fill in) against another value: max, min, sorted and "
            "comparisons would give a wrong answer; use rapact_core.figures.max_of / min_of, which return "
            "MISSING, or leave the missing values out explicitly with is_missing()")

    __le__ = __gt__ = __ge__ = __lt__

    def __reduce__(self):
        return (Missing, ())


MISSING = Missing()


def is_missing(value) -> bool:
    return value is MISSING
