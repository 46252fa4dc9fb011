"""A chart's text alternative, generated from its data.

A chart's title alone does not describe a data chart (WCAG 1.1.1): the
reader of a screen reader needs what the picture shows, such as the trend, the
highest and lowest values and what changed most. :func:`describe_chart` writes
that in French from the chart's categories and series, for example::

    Barres empilées, nouveaux clients mis en production par an, de 2012 à 2021,
    9 séries ; total 2021 : 125, le plus haut ; iA. Web progresse le plus
    (+22 par rapport à 2020)

Every figure in it is formatted by :mod:`rapact_core.formatting`, so it reads
exactly as in the tables. A value that is ``MISSING`` (or ``None``) is left
out of every comparison and named "à compléter". Each output format
(HTML ``alt``, DOCX ``descr``, PDF ``/Alt``) uses the same text.
"""

from __future__ import annotations

from decimal import Decimal

from ..formatting import DEFAULT_LOCALE, format_number, format_value
from ..missing import FILL_IN_TEXT, MISSING
from ..model import CellKind, Chart, ChartKind

#: series listed by name up to this many; beyond, only their number is given
MAX_NAMED_SERIES = 4
#: missing values named one by one up to this many
MAX_NAMED_MISSING = 3


def describe_chart(chart: Chart, locale: str = DEFAULT_LOCALE) -> str:
    """The text alternative of ``chart``: its kind, subject and what its data shows."""
    return _Description(chart, locale).text()


def is_time_axis(chart: Chart) -> bool:
    """Whether the categories are an ordered axis: a line chart, or years in increasing order."""
    if chart.kind is ChartKind.LINE:
        return True
    cats = chart.categories
    if len(cats) < 2 or not all(c.isdigit() and len(c) == 4 for c in cats):
        return False
    return all(int(a) < int(b) for a, b in zip(cats, cats[1:]))


def _known(value) -> bool:
    return value is not MISSING and value is not None


def _lower_first(title: str) -> str:
    """"Chiffre d'affaires…" → "chiffre d'affaires…", inside a sentence; "iMio", "CPAS…" unchanged."""
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


class _Description:
    def __init__(self, chart: Chart, locale: str):
        self.chart = chart
        self.locale = locale
        self.cats = list(chart.categories)
        # one value per category, as many as there are categories
        self.series = [(s.name, list(s.values)[:len(self.cats)]) for s in chart.series]
        self.time = is_time_axis(chart)

    # -- formatting
    def value(self, v) -> str:
        if not _known(v):
            return FILL_IN_TEXT
        return format_value(v, self.chart.unit, locale=self.locale)

    def change(self, d: Decimal) -> str:
        """A signed difference: "+22", "-3 299,12 €", "+1,20 point" (a rate's change is in points)."""
        sign = "+" if d > 0 else ""
        if self.chart.unit is CellKind.PERCENT:
            points = format_number(d * 100, 2, self.locale)
            return f"{sign}{points}\u00a0point{'s' if abs(d * 100) >= 2 else ''}"
        return sign + format_value(d, self.chart.unit, locale=self.locale)

    # -- the sentence
    def kind(self) -> str:
        k, many = self.chart.kind, len(self.series) > 1
        if k is ChartKind.STACKED_BAR:
            return "Barres empilées"
        if k is ChartKind.HBAR:
            return "Barres horizontales groupées" if many else "Barres horizontales"
        if k is ChartKind.LINE:
            return "Courbes" if many else "Courbe"
        return "Histogramme groupé" if many else "Histogramme"

    def subject(self) -> str:
        parts = [_lower_first(self.chart.title.strip()) or "sans titre"]
        if self.time:
            parts.append(f"de {self.cats[0]} à {self.cats[-1]}")
        elif self.cats:
            n = len(self.cats)
            parts.append(f"{n} catégorie{'s' if n > 1 else ''}")
        n = len(self.series)
        if 1 < n <= MAX_NAMED_SERIES:
            parts.append("séries " + _enumerate([name for name, _ in self.series]))
        elif n > MAX_NAMED_SERIES:
            parts.append(f"{n} séries")
        return ", ".join(parts)

    def text(self) -> str:
        head = f"{self.kind()}, {self.subject()}"
        if not self.cats or not self.series or not any(_known(v) for _, vs in self.series for v in vs):
            clauses = ["aucune donnée" if not self.missing() else "valeurs à compléter"]
        elif self.chart.kind is ChartKind.STACKED_BAR:
            clauses = self.stacked()
        elif len(self.series) == 1:
            clauses = self.one_series(*self.series[0])
        else:
            clauses = self.many_series()
        missing = self.missing()
        if missing and clauses != ["valeurs à compléter"]:
            clauses.append(missing)
        return " ; ".join([head] + [c for c in clauses if c])

    # -- the clauses
    def one_series(self, name: str, values: list) -> list[str]:
        known = [(c, v) for c, v in zip(self.cats, values) if _known(v)]
        top = max(known, key=lambda cv: cv[1])
        low = min(known, key=lambda cv: cv[1])
        if not self.time:
            out = [f"le plus haut : {top[0]} ({self.value(top[1])})",
                   f"le plus bas : {low[0]} ({self.value(low[1])})"]
            if self.chart.unit is not CellKind.PERCENT and len(known) > 1:
                out.append(f"total : {self.value(sum(v for _, v in known))}")
            return out
        last_cat, last = self.cats[-1], values[-1] if len(values) == len(self.cats) else MISSING
        first_cat, first = self.cats[0], values[0] if values else MISSING
        clause = f"{self.value(last)} en {last_cat}"
        if _known(last):
            clause += self.rank(last, [v for _, v in known])
            if _known(first) and len(self.cats) > 1:
                clause += f", contre {self.value(first)} en {first_cat} ({self.change(last - first)})"
        out = [clause]
        if not _known(last) or top[1] != last:
            out.append(f"le plus haut : {self.value(top[1])} en {top[0]}")
        return out

    def many_series(self) -> list[str]:
        out = []
        if self.time:
            last_cat = self.cats[-1]
            if len(self.series) <= MAX_NAMED_SERIES:
                for name, values in self.series:
                    last = values[-1] if len(values) == len(self.cats) else MISSING
                    out.append(f"{name} : {self.value(last)} en {last_cat}")
            else:
                lasts = [(name, vs[-1]) for name, vs in self.series if len(vs) == len(self.cats) and _known(vs[-1])]
                if lasts:
                    name, v = max(lasts, key=lambda nv: nv[1])
                    out.append(f"{name} le plus haut en {last_cat} ({self.value(v)})")
            out.append(self.progress())
            return out
        for name, values in self.series[:MAX_NAMED_SERIES]:
            known = [(c, v) for c, v in zip(self.cats, values) if _known(v)]
            if known:
                top = max(known, key=lambda cv: cv[1])
                low = min(known, key=lambda cv: cv[1])
                out.append(f"{name} : le plus haut {top[0]} ({self.value(top[1])}), "
                           f"le plus bas {low[0]} ({self.value(low[1])})")
        if len(self.series) >= 2:
            (a, va), (b, vb) = self.series[:2]
            gaps = [(c, x - y) for c, x, y in zip(self.cats, va, vb) if _known(x) and _known(y)]
            if gaps:
                cat, gap = max(gaps, key=lambda cg: abs(cg[1]))
                if gap:
                    out.append(f"plus grand écart entre {a} et {b} : {cat} ({self.change(gap)})")
        return out

    def stacked(self) -> list[str]:
        totals = [self.total(i) for i in range(len(self.cats))]
        known = [(c, t) for c, t in zip(self.cats, totals) if _known(t)]
        out = []
        if self.time:
            last_cat, last = self.cats[-1], totals[-1]
            clause = f"total {last_cat} : {self.value(last)}"
            if _known(last):
                clause += self.rank(last, [t for _, t in known])
            out.append(clause)
            if known and (not _known(last) or max(t for _, t in known) != last):
                cat, top = max(known, key=lambda ct: ct[1])
                out.append(f"total le plus haut : {self.value(top)} en {cat}")
            out.append(self.progress())
        elif known:
            top = max(known, key=lambda ct: ct[1])
            low = min(known, key=lambda ct: ct[1])
            out += [f"total le plus haut : {top[0]} ({self.value(top[1])})",
                    f"total le plus bas : {low[0]} ({self.value(low[1])})"]
        return out

    def rank(self, value, values: list) -> str:
        if len(values) < 2:
            return ""
        if value == max(values):
            return ", le plus haut"
        if value == min(values):
            return ", le plus bas"
        return ""

    def total(self, i: int):
        """The sum of the series at category ``i``; MISSING when one of them is."""
        values = [vs[i] if i < len(vs) else MISSING for _, vs in self.series]
        if not all(_known(v) for v in values):
            return MISSING
        return sum(values, Decimal(0))

    def progress(self) -> str:
        """Which series changed most between the last two categories."""
        if len(self.cats) < 2:
            return ""
        prev_cat = self.cats[-2]
        changes = [(name, vs[-1] - vs[-2]) for name, vs in self.series
                   if len(vs) == len(self.cats) and _known(vs[-1]) and _known(vs[-2])]
        if not changes:
            return ""
        name, up = max(changes, key=lambda nc: nc[1])
        if up > 0:
            return f"{name} progresse le plus ({self.change(up)} par rapport à {prev_cat})"
        name, down = min(changes, key=lambda nc: nc[1])
        if down < 0:
            return f"{name} recule le plus ({self.change(down)} par rapport à {prev_cat})"
        return f"aucune série ne varie par rapport à {prev_cat}"

    def missing(self) -> str:
        holes = [(name, c) for name, vs in self.series
                 for c, v in zip(self.cats, vs + [MISSING] * (len(self.cats) - len(vs))) if not _known(v)]
        if not holes:
            return ""
        named = [f"{name} {c}" if len(self.series) > 1 else c for name, c in holes[:MAX_NAMED_MISSING]]
        more = len(holes) - len(named)
        return f"{FILL_IN_TEXT} : " + ", ".join(named) + (f" et {more} autre{'s' if more > 1 else ''}" if more else "")


def _enumerate(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]
