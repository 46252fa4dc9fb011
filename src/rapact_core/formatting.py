"""French (fr_BE) formatting of every number and date rapact prints.

One module, used by both renderers and by the narrative, so the DOCX, the PDF
and the prose print exactly the same strings. Babel's fr_BE output separates
digit groups with U+202F (narrow no-break space) and puts U+00A0 before
``€`` and ``%``; we keep those characters, the PDF renderer keeps them on one
line.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from .missing import MISSING, FILL_IN_TEXT
from .model import CellKind, NegativeAmounts

DEFAULT_LOCALE = "fr_BE"
DEFAULT_DECIMALS = {
    CellKind.INTEGER: 0,
    CellKind.DECIMAL: 2,
    CellKind.MONEY: 2,
    CellKind.PERCENT: 2,
}
NBSP = "\u00a0"
NNBSP = "\u202f"
#: what a table prints for an absent figure (``None`` in a numeric column): an
#: en dash, as accountants write "nothing", in every table and every format
#: (a figure still to be filled in, ``MISSING``, prints "à compléter")
ABSENT_TEXT = "\u2013"
NUMERIC_KINDS = frozenset({CellKind.INTEGER, CellKind.DECIMAL, CellKind.MONEY, CellKind.PERCENT})


@lru_cache(maxsize=64)
def _pattern(decimals: int, locale: str):
    from babel.numbers import parse_pattern  # lazily: keeps start-up fast

    frac = "0" * decimals
    return parse_pattern("#,##0" + ("." + frac if decimals else ""))


@lru_cache(maxsize=8)
def _locale(locale: str):
    from babel import Locale

    return Locale.parse(locale)


def _quantize(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(value, decimals: int = 0, locale: str = DEFAULT_LOCALE) -> str:
    """``4753459.12`` → ``4 753 459,12`` (groups separated by U+202F)."""
    d = _quantize(Decimal(str(value)), decimals)
    if d == 0:
        d = abs(d)  # no "-0,00"
    return _pattern(decimals, locale).apply(d, _locale(locale), decimal_quantization=False)


def format_money(value, decimals: int = 2, unit: bool = True, accounting: bool = False,
                 locale: str = DEFAULT_LOCALE) -> str:
    """``-3299312.71`` → ``-3 299 312,71 €``, or ``(3 299 312,71) €`` in accounting style."""
    d = Decimal(str(value))
    text = format_number(abs(d) if accounting else d, decimals, locale)
    if accounting and _quantize(d, decimals) < 0:
        text = f"({text})"
    return f"{text}{NBSP}€" if unit else text


def format_percent(ratio, decimals: int = 2, unit: bool = True, locale: str = DEFAULT_LOCALE) -> str:
    """A ratio: ``0.1436`` → ``14,36 %``."""
    text = format_number(Decimal(str(ratio)) * 100, decimals, locale)
    return f"{text}{NBSP}%" if unit else text


@lru_cache(maxsize=16)
def _date_pattern(pattern: str):
    from babel.dates import parse_pattern

    return parse_pattern(pattern)


_NUMERIC_DATE = "dd/MM/yyyy"


def format_date(value: dt.date, locale: str = DEFAULT_LOCALE) -> str:
    """``2021-06-22`` → ``22/06/2021``."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if 1000 <= value.year:
        # dd/MM/yyyy has no field that depends on the locale: these are the
        # digits Babel writes (tests/test_numbers.py compares them), at
        # ~1 us instead of ~15 us, which registries of thousands of dates feel.
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    return _date_pattern(_NUMERIC_DATE).apply(value, _locale(locale))


def format_long_date(value: dt.date, locale: str = DEFAULT_LOCALE) -> str:
    """``2021-12-31`` → ``31 décembre 2021``."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return _date_pattern("d MMMM yyyy").apply(value, _locale(locale))


def language_tag(locale: str = DEFAULT_LOCALE) -> str:
    """The BCP 47 tag a document declares its language with: ``fr_BE`` → ``fr-BE``."""
    from babel.core import get_locale_identifier

    loc = _locale(locale)
    return get_locale_identifier((loc.language, loc.territory, loc.script, loc.variant), sep="-")


def format_value(value, kind: CellKind = CellKind.TEXT, decimals: int | None = None,
                 unit: bool = True, accounting: bool = False, locale: str = DEFAULT_LOCALE) -> str:
    """Format any cell or fact value according to its kind; ``None`` → ``""``."""
    if value is None:
        return ""
    if value is MISSING:
        return FILL_IN_TEXT
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return format_date(value, locale)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if kind is CellKind.TEXT and isinstance(value, int):
        return str(value)  # years and codes: no digit grouping
    if kind is CellKind.TEXT or kind is CellKind.DATE:
        if isinstance(value, (int, Decimal, float)):
            kind = CellKind.INTEGER if isinstance(value, int) else CellKind.DECIMAL
        else:
            return str(value)
    places = DEFAULT_DECIMALS.get(kind, 0) if decimals is None else decimals
    if kind is CellKind.MONEY:
        return format_money(value, places, unit, accounting, locale)
    if kind is CellKind.PERCENT:
        return format_percent(value, places, unit, locale)
    if kind is CellKind.INTEGER and decimals is None and not isinstance(value, int):
        places = 0 if Decimal(str(value)) == Decimal(str(value)).to_integral_value() else 2
    return format_number(value, places, locale)


def parentheses(accounting: bool | None, negatives: NegativeAmounts | str = NegativeAmounts.MINUS) -> bool:
    """Whether negative amounts print in parentheses: a column's own ``accounting``
    (``True``/``False``) when set, else the report's ``negatives`` convention."""
    if accounting is not None:
        return bool(accounting)
    return NegativeAmounts(negatives) is NegativeAmounts.PARENTHESES


def cell_text(cell, column, locale: str = DEFAULT_LOCALE,
              negatives: NegativeAmounts | str = NegativeAmounts.MINUS) -> str:
    """A table cell's text, as every renderer prints it.

    ``column`` is the column where the cell starts. The cell's own ``kind``,
    when set, overrides the column's, with that kind's defaults (the column's
    ``decimals``, ``unit`` and ``accounting`` describe the column's kind);
    otherwise the column's kind, decimals, unit and accounting apply.
    ``negatives`` is the report's convention for negative amounts
    (``Meta.negative_amounts``), which a column without its own ``accounting``
    follows. An absent figure (``None`` where the kind is a number) prints
    :data:`ABSENT_TEXT` in every table; an absent text or date prints nothing.
    """
    kind = getattr(cell, "kind", None)
    value = cell.value
    if kind is None or kind is column.kind:
        if value is None:
            return ABSENT_TEXT if column.kind in NUMERIC_KINDS else ""
        return format_value(value, column.kind, column.decimals, column.unit,
                            parentheses(column.accounting, negatives), locale)
    if value is None:
        return ABSENT_TEXT if kind in NUMERIC_KINDS else ""
    return format_value(value, kind, accounting=parentheses(None, negatives), locale=locale)


@lru_cache(maxsize=8)
def _signs(locale: str) -> tuple[str, str]:
    """The locale's plus and minus signs, as Babel gives them (fr_BE: ``+`` and ``-``;
    some locales, Swedish for one, use the typographic minus U+2212)."""
    symbols = _locale(locale).number_symbols
    symbols = symbols.get("latn", symbols)  # Babel ≥ 2.14 groups symbols by numbering system
    return symbols.get("plusSign", "+"), symbols.get("minusSign", "-")


def format_variation(ratio, decimals: int = 1, locale: str = DEFAULT_LOCALE) -> str:
    """A signed variation: ``0.396`` → ``+39,6 %``, ``-0.309`` → ``-30,9 %``.

    The sign is the locale's (Babel's ``plusSign`` and ``minusSign``); a
    variation that rounds to zero has none. ``None`` → ``""``; ``MISSING`` →
    "à compléter".
    """
    if ratio is None:
        return ""
    if ratio is MISSING:
        return FILL_IN_TEXT
    shown = _quantize(Decimal(str(ratio)) * 100, decimals)
    plus, minus = _signs(locale)
    sign = plus if shown > 0 else minus if shown < 0 else ""
    return sign + format_percent(abs(Decimal(str(ratio))), decimals, locale=locale)


def normalise_spaces(text: str) -> str:
    """Replace the no-break spaces Babel emits by plain spaces (for comparisons)."""
    return text.replace(NNBSP, " ").replace(NBSP, " ")
