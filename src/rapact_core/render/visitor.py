"""The protocol every renderer follows: one ``visit_<Node>`` method per node type.

The document model is closed: its blocks are :data:`rapact_core.model.BLOCK_TYPES`
and the inlines inside them :data:`rapact_core.model.INLINE_TYPES`. A renderer
subclasses :class:`Visitor` and defines a method for each of them, named after
the class (``visit_Heading``, ``visit_Text``…), as docutils' ``NodeVisitor``
does. :meth:`Visitor.visit` dispatches on the node's exact class and raises
:class:`UnknownNode` for anything else, so a node type a renderer does not
know is never skipped in silence; ``tests/test_renderer_coverage.py`` fails
when a renderer lacks a method for any node type of the model.
"""

from __future__ import annotations

from .. import model as m

#: every node type a renderer must handle
NODE_TYPES: tuple[type, ...] = m.BLOCK_TYPES + m.INLINE_TYPES


class UnknownNode(TypeError):
    """A renderer was given something that is not a node of the document model."""


def missing_visits(cls: type) -> list[str]:
    """The ``visit_<Node>`` methods ``cls`` lacks, for the node types of the model."""
    return [f"visit_{t.__name__}" for t in NODE_TYPES if not callable(getattr(cls, f"visit_{t.__name__}", None))]


class Visitor:
    """Base class of the renderers (see the module's docstring)."""

    #: the format's name, for messages ("DOCX", "PDF")
    format_name = "renderer"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # methods are looked up once per class, not once per node
        cls._visits = {t: f"visit_{t.__name__}" for t in NODE_TYPES}

    def visit(self, node, *args, **kwargs):
        name = self._visits.get(type(node))
        if name is None:
            raise UnknownNode(f"{self.format_name}: {type(node).__name__} is not a node of the document model "
                              f"(expected one of {', '.join(t.__name__ for t in NODE_TYPES)})")
        return getattr(self, name)(node, *args, **kwargs)
