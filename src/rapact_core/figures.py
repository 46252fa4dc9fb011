"""Extremes of figures that may still be ``MISSING`` (a draft year).

``max`` and ``min`` compare, and comparing ``MISSING`` raises
:class:`rapact_core.missing.MissingComparison`: in a half-filled year, the
"worst month" is not knowable yet. These helpers say so with ``MISSING``, which
prints "à compléter" and makes any fact computed from it ``MISSING`` too::

    >>> from rapact_core import MISSING
    >>> from rapact_core.figures import max_of
    >>> max_of([3, 7, 5])
    7
    >>> max_of([3, MISSING, 5])
    MISSING
    >>> max_of([("janvier", 3), ("février", MISSING)], key=lambda m: m[1])
    MISSING
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .missing import MISSING

_NO_DEFAULT = object()


def _extreme(pick, values: Iterable, key: Callable | None, default, name: str):
    items = list(values)
    keys = [key(v) for v in items] if key is not None else items
    if any(k is MISSING for k in keys):
        return MISSING
    if not items:
        if default is _NO_DEFAULT:
            raise ValueError(f"{name}() of no values (give default=...)")
        return default
    return items[pick(range(len(items)), key=keys.__getitem__)]


def max_of(values: Iterable, *, key: Callable[[Any], Any] | None = None, default: Any = _NO_DEFAULT):
    """The largest of ``values`` (by ``key``), or ``MISSING`` when any of them is.

    Like ``max``, the first of equal largest values wins; ``default`` is
    returned for no values (else ``ValueError``).
    """
    return _extreme(max, values, key, default, "max_of")


def min_of(values: Iterable, *, key: Callable[[Any], Any] | None = None, default: Any = _NO_DEFAULT):
    """The smallest of ``values`` (by ``key``), or ``MISSING`` when any of them is."""
    return _extreme(min, values, key, default, "min_of")
