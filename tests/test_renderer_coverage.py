"""Every renderer handles every node type of the closed model, and refuses anything else.

A third renderer (or a new node type) cannot silently skip a type: the test
imports every module of ``rapact_core.render``, finds each ``Visitor``
subclass and checks it has a ``visit_<Node>`` method per block and inline
type of the model.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import rapact_core.render as render
from rapact_core import model as m
from rapact_core.render.visitor import NODE_TYPES, UnknownNode, Visitor, missing_visits


def _renderer_classes() -> dict[str, type]:
    for info in pkgutil.iter_modules(render.__path__):
        importlib.import_module(f"{render.__name__}.{info.name}")
    found, todo = {}, list(Visitor.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith(render.__name__ + "."):
            found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return found


def test_the_model_types_are_all_nodes():
    assert set(NODE_TYPES) == set(m.BLOCK_TYPES) | set(m.INLINE_TYPES)
    assert len(NODE_TYPES) == 13  # a new node type must be added to this test on purpose


def test_each_format_has_a_visitor_renderer():
    classes = _renderer_classes()
    for fmt in render.SUFFIX:
        module = importlib.import_module(f"{render.__name__}.{fmt}")
        own = [cls for name, cls in classes.items() if cls.__module__ == module.__name__]
        assert own, f"the {fmt} renderer ({module.__name__}) defines no Visitor subclass"


@pytest.mark.parametrize("name", sorted(_renderer_classes()))
def test_renderer_visits_every_node_type(name):
    cls = _renderer_classes()[name]
    assert missing_visits(cls) == [], f"{name} lacks {', '.join(missing_visits(cls))}"


def test_a_missing_visit_method_is_reported():
    """What the coverage test relies on: delete one visit method, and it is named."""
    full = {f"visit_{t.__name__}": lambda self, node: None for t in NODE_TYPES}
    del full["visit_Table"]
    partial = type("Partial", (Visitor,), full)
    assert missing_visits(partial) == ["visit_Table"]


@pytest.mark.parametrize("name", sorted(_renderer_classes()))
def test_renderer_refuses_an_unknown_node(name):
    cls = _renderer_classes()[name]
    renderer = cls.__new__(cls)  # dispatch needs no state
    with pytest.raises(UnknownNode, match="is not a node of the document model"):
        renderer.visit(object())
