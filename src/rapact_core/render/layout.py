"""Column widths, shared by every renderer, so DOCX, PDF and HTML tables look alike.

A column's ``Column.width`` is a relative weight; on top of it, every column
is at least as wide as what it can never break: the longest word of its label
(set in bold at the table's size) and, in a column of figures or dates, its
widest value (numbers and dates never wrap). The words are measured with the
font the renderer sets the table in (:func:`text_width`: the advance widths
of its TrueType file, as reportlab measures them).

When even those minimums do not fit the text width (:func:`plan_table`), the
other columns give up their share first; then a portrait table moves to a
landscape page; as a last resort the whole table is set in a smaller font.
A word is never cut.
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import attrgetter

from attrs import frozen

from .. import model as m
from ..formatting import DEFAULT_LOCALE, cell_text, format_value, parentheses
from . import fonts

_KIND = attrgetter("kind")

#: the smallest font scale the last resort goes down to; below it the table overflows
#: its page rather than cut a word (a table would need dozens of columns to get there)
MIN_SCALE = 0.5


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
    """``total`` split between the columns by their weights alone."""
    weights = column_weights(columns)
    s = sum(weights)
    return [total * w / s for w in weights]


# ---------------------------------------------------------------- measuring text


#: family name (as a DOCX or a stylesheet names it, spaces and case aside) -> (regular, bold) faces
FAMILIES = {"dejavusans": (fonts.REGULAR, fonts.BOLD)}


def measuring_font(family: str | None = None, bold: bool = False) -> str:
    """The face (a name of ``fonts.FILES``) that measures text set in ``family``.

    ``family`` is a family name as a renderer names it ("DejaVu Sans" in a
    DOCX). A family of :data:`FAMILIES` measures itself; any other is measured
    with DejaVu Sans, wider than the usual sans-serif faces, so that a word
    measured to fit fits.
    """
    faces = FAMILIES.get((family or "").replace(" ", "").lower(), (fonts.REGULAR, fonts.BOLD))
    return faces[1] if bold else faces[0]


def text_width(text: str, font: str, size: float) -> float:
    """The width of ``text`` in points, set in ``font`` (a face of ``fonts.FILES``) at
    ``size``: the face's own advance widths, as reportlab's ``stringWidth`` gives them."""
    return _metrics(font).width(text, size)


@lru_cache(maxsize=16)
def _metrics(font: str):
    from .font_metrics import font_metrics

    return font_metrics(fonts.font_dir() / fonts.FILES.get(font, fonts.FILES[fonts.REGULAR]))


_BREAKS = re.compile(r"[ \t\r\n]+")


def words(text: str) -> list[str]:
    """The pieces a line may never break inside: ``text`` split at its breakable
    spaces (a no-break space, U+00A0 or U+202F, holds its neighbours together:
    "14 %", "4 753 459,12 €"; ``str.split`` would break there)."""
    return [w for w in _BREAKS.split(text) if w]


@frozen
class Metrics:
    """How a renderer sets a table's text: its faces, its size and its cells' padding.

    ``font`` and ``bold`` are faces of ``fonts.FILES`` (see
    :func:`measuring_font`); ``size`` is in points and ``pad`` is the padding
    on *each* side of a cell's text, in the unit of the widths; ``slack`` is
    added to every minimum, for a renderer whose line breaking is not
    reportlab's own (Word, LibreOffice, a browser).
    """

    font: str
    bold: str
    size: float
    pad: float
    slack: float = 0.0


@frozen
class TableLayout:
    """What :func:`plan_table` decided for a table.

    ``widths`` sum to the width of the page it goes on; ``landscape`` is that
    page's orientation (a portrait table whose words cannot fit moves to a
    landscape page); ``scale`` multiplies the table's font size (1, unless
    even a landscape page cannot hold its columns' minimums).
    """

    widths: tuple[float, ...]
    landscape: bool
    scale: float = 1.0


def _needs(table: m.Table, metrics: Metrics, locale: str, negatives, labels=None,
           header=None, texts=None) -> tuple[list[float], list[tuple]]:
    """The text each column must hold on one line (its label's longest word, its
    widest figure or date), and the same for cells spanning several columns:
    ``(start, span, width)``; widths without padding, at the table's size.
    ``labels`` and ``header``: the column labels and the header rows above them
    as the renderer prints them, when not the table's own. ``texts``: the
    renderer's ``CellTexts`` of the table, if it has one."""
    cols = table.columns
    need = [0.0] * len(cols)
    spanned: list[tuple] = []
    size = metrics.size

    def widest(texts, font) -> float:
        return max((text_width(w, font, size) for t in texts for w in words(t)), default=0.0)

    for i, label in enumerate([c.label for c in cols] if labels is None else labels):
        need[i] = widest([label], metrics.bold)
    for row in table.header if header is None else header:  # extra header rows, spans included
        c = 0
        for cell in row.cells:
            # as the renderers print a header cell: a year stays "2021"
            text = str(cell.value) if isinstance(cell.value, int) else format_value(cell.value, locale=locale)
            width = widest([text], metrics.bold)
            if cell.colspan == 1:
                need[c] = max(need[c], width)
            else:
                spanned.append((c, cell.colspan, width))
            c += cell.colspan
    # figures and dates never wrap: the widest one of each column, each distinct value
    # measured once (a registry of tens of thousands of rows repeats its dates)
    firm = {i for i, c in enumerate(cols) if c.is_numeric or c.kind is m.CellKind.DATE}
    groups: dict[tuple, set] = {}  # (column, span, font, cell kind) -> values
    body = table.body
    if isinstance(body, m.PlainRows):
        for i in firm:
            values = {row[i] for row in body.values}
            values.discard(None)
            groups[(i, 1, metrics.font, None)] = {v for v in values if v.__class__ is not str}
        rows = [(r, metrics.bold) for r in table.foot]
    else:
        plain, bold, body_role = metrics.font, metrics.bold, m.RowRole.BODY
        rows = [(r, plain if r.role is body_role else bold) for r in body]
        rows += [(r, metrics.bold) for r in table.foot]
    n, firm_list = len(cols), sorted(firm)
    for row, font in rows:
        cells = row.cells
        if len(cells) == n and not any(map(_KIND, cells)):  # the usual row: only its figures and dates
            for c in firm_list:
                value = cells[c].value
                if value is not None and value.__class__ is not str:
                    groups.setdefault((c, 1, font, None), set()).add(value)
            continue
        c = 0
        for cell in cells:
            value = cell.value
            if value is not None and value.__class__ is not str and (cell.kind is not None or c in firm):
                groups.setdefault((c, cell.colspan, font, cell.kind), set()).add(value)
            c += cell.colspan
    for (c, span, font, kind), values in groups.items():
        col = cols[c]
        if texts is not None:  # formatted once with the renderer
            texts_of = {texts.text(c, v, kind) for v in values}
        elif kind is None:  # the column's own format: no Cell to make per value
            fmt = parentheses(col.accounting, negatives)
            texts_of = {format_value(v, col.kind, col.decimals, col.unit, fmt, locale) for v in values}
        else:
            texts_of = {cell_text(m.Cell(v, kind=kind), col, locale, negatives) for v in values}
        # whole: the PDF never wraps a figure's cell, not even "à compléter"
        width = max((text_width(t, font, size) for t in texts_of), default=0.0)
        if span == 1:
            need[c] = max(need[c], width)
        else:
            spanned.append((c, span, width))
    return need, spanned


def fit(weights: list[float], minimums: list[float], total: float) -> list[float] | None:
    """``total`` split by ``weights``, no column below its minimum; ``None`` if the
    minimums alone exceed ``total``.

    A column whose share is below its minimum gets its minimum, and the others
    share what is left by their weights, until every column has enough.
    """
    n = len(weights)
    if n == 0:
        return []
    if sum(minimums) > total + 1e-6:
        return None
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(n) if i not in fixed]
        rest = total - sum(fixed.values())
        if not free:  # every column at its minimum: what is left goes by weight
            wsum = sum(weights)
            return [fixed[i] + rest * weights[i] / wsum for i in range(n)]
        wsum = sum(weights[i] for i in free)
        share = {i: rest * weights[i] / wsum for i in free}
        short = [i for i in free if share[i] < minimums[i] - 1e-9]
        if not short:
            return [fixed[i] if i in fixed else share[i] for i in range(n)]
        for i in short:
            fixed[i] = minimums[i]


def _minimums(need: list[float], spanned: list[tuple], weights: list[float], metrics: Metrics,
              scale: float) -> list[float]:
    """Each column's minimum width at font ``scale``, a spanning cell's need
    shared by its columns in proportion to their weights."""
    inner = 2 * metrics.pad + metrics.slack
    mins = [w * scale + inner for w in need]
    for start, span, width in spanned:
        cols = range(start, start + span)
        # a spanning cell's padding is counted once, its columns' inner edges are text room
        missing = width * scale + inner - sum(mins[c] for c in cols)
        if missing > 0:
            wsum = sum(weights[c] for c in cols)
            for c in cols:
                mins[c] += missing * weights[c] / wsum
    return mins


def plan_table(table: m.Table, metrics: Metrics, portrait: float, landscape: float,
               locale: str = DEFAULT_LOCALE, negatives=m.NegativeAmounts.MINUS, *,
               labels: list[str] | None = None, header=None, texts=None) -> TableLayout:
    """The column widths of ``table`` on a page whose text is ``portrait`` (or
    ``landscape``) wide, each column at least its minimum (see the module).

    In order, while the minimums do not fit: the other columns give up their
    share (:func:`fit`); a portrait table goes to a landscape page; the whole
    table's font is scaled down, never below :data:`MIN_SCALE`.

    ``labels`` and ``header`` are the column labels and the header rows above
    them as the renderer prints them, when it does not print the table's own
    (the DOCX folds a spanning header cell into the labels it spans). ``texts``:
    the renderer's :class:`~.cell_texts.CellTexts` of the table, which then
    formats each figure and date once for both.
    """
    weights = column_weights(table.columns)
    need, spanned = _needs(table, metrics, locale, negatives, labels, header, texts)
    mins = _minimums(need, spanned, weights, metrics, 1.0)
    total = landscape if table.landscape else portrait
    widths = fit(weights, mins, total)
    if widths is not None:
        return TableLayout(tuple(widths), table.landscape)
    if not table.landscape:
        widths = fit(weights, mins, landscape)
        if widths is not None:
            return TableLayout(tuple(widths), True)
    # the last resort: the scale at which the text of the minimums fits, a little under
    text = sum(mins) - len(mins) * (2 * metrics.pad + metrics.slack)
    room = landscape - len(mins) * (2 * metrics.pad + metrics.slack)
    scale = max(MIN_SCALE, min(1.0, room / text * 0.999 if text > 0 else 1.0))
    while True:
        mins = _minimums(need, spanned, weights, metrics, scale)
        widths = fit(weights, mins, landscape)
        if widths is not None:
            return TableLayout(tuple(widths), True, scale)
        if scale <= MIN_SCALE:  # even MIN_SCALE is too wide: the minimums, overflowing the page
            return TableLayout(tuple(mins), True, scale)
        scale = max(MIN_SCALE, scale * 0.95)  # a spanning cell asked for more: a little smaller
