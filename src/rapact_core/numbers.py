"""Parsing numbers as clerks type them: ``4 753 459,12 €``, ``(1 234,50)``, ``14,36 %``.

Babel's ``parse_decimal`` accepts ``1.234`` as 1.234 in French and rejects
``12 €`` (see the field notes), so rapact owns this small parser. It never
raises anything but ``ValueError`` with a message meant for an editor.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from .i18n import _, quoted
from .limits import MAX_NUMBER_DIGITS

_SPACES = "\u0020\u00a0\u202f\u2009\u2007\t"
_GROUPED_DOTS = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
_PLAIN = re.compile(r"^\d+([.,]\d+)?$")
_TOO_BIG = 10 ** MAX_NUMBER_DIGITS


def parse_decimal(text: str) -> Decimal:
    """Parse a French or machine-formatted number into a ``Decimal``.

    Accepted: ``4753459.12``, ``4 753 459,12``, ``4.753.459,12``, ``-12,5``,
    ``(1 234,50)`` (negative), with an optional ``€`` sign. Percent signs are
    not accepted here: use :func:`parse_percent`.
    """
    if not isinstance(text, str):
        raise ValueError(_("expected a number, found {found}").format(found=quoted(text)))
    s = text.strip()
    if s.endswith("€"):
        s = s[:-1]
    s = s.strip(_SPACES)
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip(_SPACES)
    if s[:1] in "-−–":
        negative, s = not negative, s[1:].strip(_SPACES)
    elif s[:1] == "+":
        s = s[1:].strip(_SPACES)
    for ch in _SPACES:
        s = s.replace(ch, "")
    if _GROUPED_DOTS.match(s):
        s = s.replace(".", "")
    if not _PLAIN.match(s):
        raise ValueError(_("expected a number such as 1234,56, found {found}").format(found=_shown(text)))
    check_digits(len(s) - 1 if not s.isdigit() else len(s))
    s = s.replace(",", ".")
    try:
        value = Decimal(s)
    except InvalidOperation:  # pragma: no cover - the regex already guards this
        raise ValueError(_("expected a number, found {found}").format(found=quoted(text))) from None
    return -value if negative else value


def check_digits(digits: int) -> None:
    """Refuse a number longer than :data:`~rapact_core.limits.MAX_NUMBER_DIGITS` digits."""
    if digits > MAX_NUMBER_DIGITS:
        raise ValueError(_("a number of {digits} digits: at most {most} are read").format(
            digits=digits, most=MAX_NUMBER_DIGITS))


def check_native_number(value):
    """A number read as such (an XLSX cell, a YAML value): finite and at most
    :data:`~rapact_core.limits.MAX_NUMBER_DIGITS` digits before the point; returned as it is."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, float) and not math.isfinite(value) or isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(_("an infinite or undefined number (such as 1E+400 or #NUM!): expected a figure"))
    if abs(value) >= _TOO_BIG:
        raise ValueError(_("a number of more than {most} digits: at most {most} are read").format(
            most=MAX_NUMBER_DIGITS))
    return value


def _shown(text: str) -> str:
    return quoted(text if len(text) <= 60 else text[:60] + "…")


def parse_int(text: str) -> int:
    value = parse_decimal(text)
    if value != value.to_integral_value():
        raise ValueError(_("expected a whole number, found {found}").format(found=quoted(text)))
    return int(value)


def parse_percent(text: str) -> Decimal:
    """``14,36 %`` → ``Decimal('0.1436')``; a bare number is already a ratio."""
    s = text.strip()
    if s.endswith("%"):
        return parse_decimal(s[:-1]) / 100
    return parse_decimal(s)
