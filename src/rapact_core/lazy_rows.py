"""A sequence of rows made on first use, that reads and compares as their tuple.

A big table's rows are held in a cheaper form (plain values, or columns) and
turned into objects only when something reads them one by one. Both the
model's :class:`~rapact_core.model.PlainRows` and the data reader's
:class:`~rapact_core.records.Records` behave as the tuple of those objects.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence


class LazyRows(Sequence):
    """Subclasses give ``rows()`` (the tuple, made once) and ``__len__``."""

    __slots__ = ()

    @abstractmethod
    def rows(self) -> tuple:
        """The rows as a tuple, made on the first call and kept."""

    def _key(self):
        # what two of the same kind compare by; a subclass may compare its cheaper form
        return self.rows()

    def __getitem__(self, index):
        return self.rows()[index]

    def __iter__(self):
        return iter(self.rows())

    def __eq__(self, other) -> bool:
        if type(other) is type(self):
            return self._key() == other._key()
        if isinstance(other, tuple):
            return self.rows() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.rows())

    def __add__(self, other):
        return self.rows() + tuple(other)

    def __radd__(self, other):
        return tuple(other) + self.rows()
