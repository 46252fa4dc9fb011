"""``MISSING``: a figure that is still to be filled in ("à compléter").

A half-filled year must still build, as a draft: a figure cell left empty by
``rapact new-year`` reads as ``MISSING``, which, like a NaN, turns every sum,
difference and rate it enters into ``MISSING``. Renderers and the narrative
print it as "à compléter", and ``rapact check`` lists where to fill it in.
"""

from __future__ import annotations

FILL_IN_TEXT = "à compléter"


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
        return False

    __le__ = __gt__ = __ge__ = __lt__

    def __reduce__(self):
        return (Missing, ())


MISSING = Missing()


def is_missing(value) -> bool:
    return value is MISSING
