"""Figures: charts described by their data, and pictures."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from math import isfinite
from typing import Union

from attrs import field, frozen

from .missing import MISSING, Missing
from .model_checks import ModelError, as_sequence, shown, tuple_of
from .model_tables import CellKind


class ChartKind(str, Enum):
    BAR = "bar"
    HBAR = "hbar"
    LINE = "line"
    STACKED_BAR = "stacked_bar"


ChartValue = Union[Decimal, Missing]


def _chart_value(value):
    if value is None or value is MISSING:
        return MISSING
    if isinstance(value, int) and not isinstance(value, bool) or isinstance(value, float) and isfinite(value):
        return Decimal(str(value))
    return value  # a Decimal, or what _check_values reports


def _check_values(instance, _attribute, values):
    for i, v in enumerate(values):
        if not (v is MISSING or isinstance(v, Decimal) and v.is_finite()):
            raise ModelError(f"Series {instance.name!r} values[{i}]: expected a number (int, Decimal, float) "
                             f"or MISSING, got {shown(v)}")


@frozen
class Series:
    """One named series of values, one per chart category.

    A value not known yet (``MISSING``, or ``None``) stays ``MISSING``: a
    chart draws a gap there and marks it, never a zero.
    """

    name: str
    values: tuple[ChartValue, ...] = field(
        converter=lambda vs: tuple(map(_chart_value, as_sequence(vs, "Series values", "a sequence of numbers"))),
        validator=_check_values,
    )


@frozen
class Chart:
    """A chart described by its data; renderers draw it."""

    kind: ChartKind
    title: str
    categories: tuple[str, ...] = field(converter=tuple_of(str, "Chart categories", "a str"))
    series: tuple[Series, ...] = field(converter=tuple_of(Series, "Chart series", "a Series"))
    unit: CellKind = CellKind.INTEGER
    y_label: str = ""

    def __attrs_post_init__(self):
        for i, s in enumerate(self.series):
            if len(s.values) != len(self.categories):
                raise ModelError(f"Chart {self.title!r} series[{i}] {s.name!r}: {len(s.values)} values "
                                 f"for {len(self.categories)} categories")


def _chart(_instance, _attribute, value):
    if not isinstance(value, Chart):
        raise ModelError(f"Figure chart: expected a Chart, got {shown(value)}")


@frozen
class Figure:
    """A chart with a caption; ``width`` is a fraction of the text width."""

    chart: Chart = field(validator=_chart)
    caption: str = ""
    id: str | None = None
    width: float = 0.8
    number: int | None = None


@frozen
class Image:
    """A picture from the report folder (e.g. a logo)."""

    path: str
    alt: str = ""
    width: float = 0.5
