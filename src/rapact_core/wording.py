"""Figures in words, for prose that reads naturally: "une soixantaine", "une baisse de
57,95 %", "trois cent soixante-deux".

The narrative's filters ``environ``, ``hausse_baisse`` and ``en_lettres``
(:mod:`rapact_core.narrative`) call these pure functions, so that a sentence
keeps its wording while its figure comes from the data.
"""

from __future__ import annotations

import re
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from .formatting import DEFAULT_LOCALE, format_number, format_percent
from .i18n import _

# "une soixantaine": the nouns French has for "about N", by the tens they start at
_ABOUT = ((10, "une dizaine"), (12, "une douzaine"), (15, "une quinzaine"), (20, "une vingtaine"),
          (30, "une trentaine"), (40, "une quarantaine"), (50, "une cinquantaine"), (60, "une soixantaine"))
# above 69 the French nouns stop ("une septantaine" and "une nonantaine" are Belgian, not French):
# the number itself is written, "plus de septante"
_BELGIAN_TENS = re.compile(
    r"\b(soixante|quatre-vingt)(-| et )(dix-sept|dix-huit|dix-neuf|dix|onze|douze|treize|quatorze|quinze|seize)\b")
_UNITS_AFTER_TEN = {"dix": "", "onze": " et un", "douze": "-deux", "treize": "-trois", "quatorze": "-quatre",
                    "quinze": "-cinq", "seize": "-six", "dix-sept": "-sept", "dix-huit": "-huit",
                    "dix-neuf": "-neuf"}


def _belgian(locale: str) -> bool:
    return locale.replace("-", "_").startswith(("fr_BE", "fr_CH"))


def in_words(value, locale: str = DEFAULT_LOCALE, feminine: bool = False) -> str:
    """``362`` → "trois cent soixante-deux"; ``71`` → "septante et un" in Belgium.

    ``feminine`` writes "une" for "un" ("vingt et une assemblées"). Spelled by
    num2words' French rules; Belgian French then says septante and nonante.
    """
    from num2words import num2words

    number = Decimal(str(value))
    words = num2words(int(number) if number == number.to_integral_value() else number, lang="fr")
    if _belgian(locale):
        words = _BELGIAN_TENS.sub(
            lambda m: ("septante" if m.group(1) == "soixante" else "nonante") + _UNITS_AFTER_TEN[m.group(3)], words)
    if feminine:
        words = re.sub(r"\bun$", "une", words)
    return words


def approximately(value, locale: str = DEFAULT_LOCALE) -> str:
    """A count in round words: ``66`` → "une soixantaine", ``161`` → "plus de 160".

    Under 10 the number is written in words; from 10 to 69 with the noun French
    has for it ("une dizaine", "une douzaine", "une quinzaine", "une vingtaine"
    … "une soixantaine"); from 70 as "plus de" the number rounded down to its
    first two digits ("plus de septante", "plus de 160", "plus de 3 400 000").
    A round number is "environ" itself.
    """
    number = Decimal(str(value))
    if number < 0:
        raise ValueError(_("environ: a count was expected, found {value}").format(value=value))
    whole = int(number.to_integral_value(ROUND_FLOOR))
    if whole < 10:
        return in_words(whole, locale)
    if whole < 70:
        return [noun for start, noun in _ABOUT if whole >= start][-1]
    digits = len(str(whole))
    step = 10 ** max(digits - 2, 1) if whole >= 100 else 10
    rounded = whole // step * step
    shown = in_words(rounded, locale) if rounded < 100 else format_number(rounded, 0, locale)
    return ("environ " if rounded == number else "plus de ") + shown


def rise_or_fall(ratio, decimals: int = 2, locale: str = DEFAULT_LOCALE) -> str:
    """A change as words: ``-0.5795`` → "une baisse de 57,95 %", ``0.1436`` → "une hausse
    de 14,36 %"; a change that rounds to zero → "une stabilité"."""
    change = Decimal(str(ratio))
    shown = format_percent(abs(change), decimals, locale=locale)
    if (abs(change) * 100).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP) == 0:
        return "une stabilité"
    return ("une hausse de " if change > 0 else "une baisse de ") + shown
