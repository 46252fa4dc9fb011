"""Layout rules shared by every renderer, so DOCX and PDF tables look alike."""

from __future__ import annotations


def column_weights(columns) -> list[float]:
    """Relative column weights from ``Column.width``.

    When the given weights sum to less than 1 they are fractions of the width
    and the columns without one share the rest equally; otherwise a column
    without a weight weighs 1 (``width=3`` is three times a plain column).
    """
    weights = [c.width if c.width is not None and c.width > 0 else None for c in columns]
    known = [w for w in weights if w is not None]
    missing = len(weights) - len(known)
    if missing:
        share = (1 - sum(known)) / missing if known and sum(known) < 1 else 1.0
        weights = [share if w is None else w for w in weights]
    return weights


def split_width(columns, total: float) -> list[float]:
    """``total`` split between the columns by their weights."""
    weights = column_weights(columns)
    s = sum(weights)
    return [total * w / s for w in weights]
