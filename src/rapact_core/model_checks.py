"""How the model's nodes check what they are given.

A node refuses content it does not take with :class:`ModelError`, whose
message names the node, the position and what was expected. These helpers
write those messages the same way for every node.
"""

from __future__ import annotations

from collections.abc import Iterable


class ModelError(TypeError, ValueError):
    """Content a model node does not take.

    The message names the node, the position and what was expected, e.g.
    ``Paragraph content[0]: expected an inline (Text, Link, LineBreak, Ref) or str,
    got int 42``. A ``TypeError`` (a value of the wrong type) and a
    ``ValueError`` (a table row of the wrong width) alike.
    """


def shown(value) -> str:
    """A value as messages show it: its type, then its repr, cut short."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def as_sequence(value, where: str, expected: str) -> tuple:
    # a str is iterable, but a list of its characters is never what was meant
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ModelError(f"{where}: expected {expected}, got {shown(value)}")
    return tuple(value)


def tuple_of(types: type | tuple[type, ...], where: str, expected: str):
    """A converter to a tuple whose every item is one of ``types``."""

    def convert(value) -> tuple:
        items = as_sequence(value, where, f"a sequence, each {expected}")
        for i, item in enumerate(items):
            if not isinstance(item, types):
                raise ModelError(f"{where}[{i}]: expected {expected}, got {shown(item)}")
        return items

    return convert
