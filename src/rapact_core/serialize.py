"""JSON round trip of the document model with cattrs.

Blocks and inlines are tagged unions with a ``"t"`` key naming the class, as
in pandoc's JSON. ``Decimal`` and ``date`` cell values keep their type through
a small tagged encoding, so a money amount never turns into a float; a
``MISSING`` figure, in a cell or a chart's series, is ``{"missing": true}``.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import lru_cache
from typing import Any

import cattrs
from cattrs.gen import make_dict_unstructure_fn, override
from cattrs.strategies import configure_tagged_union

from . import model
from .missing import MISSING


def _unstructure_value(value):
    if value is MISSING:
        return {"missing": True}
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    raise TypeError(f"cannot serialise cell value {value!r}")


def _unstructure_chart_value(value):
    return {"missing": True} if value is MISSING else str(value)


def _structure_chart_value(data, _type):
    if isinstance(data, dict) and data.get("missing") is True:
        return MISSING
    if isinstance(data, (str, int)) and not isinstance(data, bool):
        return Decimal(str(data))
    raise ValueError(f"not a chart value: {data!r}")


def _structure_value(data, _type):
    if data is None or isinstance(data, (int, str)):
        return data
    if isinstance(data, dict) and "decimal" in data:
        return Decimal(data["decimal"])
    if isinstance(data, dict) and data.get("missing") is True:
        return MISSING
    if isinstance(data, dict) and "date" in data:
        return dt.date.fromisoformat(data["date"])
    raise ValueError(f"not a cell value: {data!r}")


@lru_cache(maxsize=1)
def converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Decimal, lambda v, _: Decimal(str(v)))
    conv.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    conv.register_structure_hook(dt.date, lambda v, _: dt.date.fromisoformat(v))
    conv.register_unstructure_hook_func(lambda t: t == model.CellValue, lambda v: _unstructure_value(v))
    conv.register_structure_hook_func(lambda t: t == model.CellValue, _structure_value)
    # a chart's values are numbers as strings (as any Decimal) or a missing figure
    conv.register_unstructure_hook_func(lambda t: t == model.ChartValue, _unstructure_chart_value)
    conv.register_structure_hook_func(lambda t: t == model.ChartValue, _structure_chart_value)
    conv.register_structure_hook_func(lambda t: t == dict[str, Any], lambda v, _: dict(v))
    # a cell's own kind is rare: written only when set, so a document without
    # any reads and writes the JSON it did before cells had one
    conv.register_unstructure_hook(model.Cell, make_dict_unstructure_fn(
        model.Cell, conv, kind=override(omit_if_default=True)))
    configure_tagged_union(model.Inline, conv, tag_name="t")
    # likewise a list's own bullet symbol (after the inlines' union: its items hold inlines)
    conv.register_unstructure_hook(model.ListBlock, make_dict_unstructure_fn(
        model.ListBlock, conv, bullet=override(omit_if_default=True)))
    configure_tagged_union(model.Block, conv, tag_name="t")
    return conv


def to_data(doc: model.Document) -> dict:
    return converter().unstructure(doc)


def from_data(data: dict) -> model.Document:
    version = data.get("schema_version", 1)
    if version != 1:
        raise ValueError(f"unsupported document schema_version {version}")
    return converter().structure(data, model.Document)


def to_json(doc: model.Document, **kwargs) -> str:
    return json.dumps(to_data(doc), ensure_ascii=False, **kwargs)


def from_json(text: str) -> model.Document:
    return from_data(json.loads(text))
