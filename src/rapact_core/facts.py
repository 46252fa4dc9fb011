"""Named, namespaced facts that plugins publish and others read.

A fact is a computed figure with a dotted name (``members.total``), a typed
value and the kind that says how to format it. Facts are the only way plugins
share numbers: a plugin never imports another plugin's code. The narrative's
placeholders (``{{ members.total }}``) read them too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from attrs import field, frozen

from .errors import RapactError, Finding
from .i18n import _, quoted
from .model import CellKind

_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


@frozen
class Fact:
    """One published figure.

    ``kind`` decides the default formatting (``money`` → ``4 753 459,12 €``,
    ``percent`` stores a ratio, 0.1436 → ``14,36 %``). ``decimals`` overrides
    the kind's default. Non-numeric facts use ``CellKind.TEXT``.
    """

    name: str = field()
    value: Any
    kind: CellKind = CellKind.INTEGER
    decimals: int | None = None
    label: str = ""

    @name.validator
    def _check_name(self, _attr, value):
        if not _NAME.match(value):
            raise ValueError(
                f"fact name {value!r} must be dotted lower-case words, e.g. 'members.total'"
            )

    @property
    def namespace(self) -> str:
        return self.name.split(".", 1)[0]

    # Arithmetic in templates ({{ report.year - 1 }}) keeps the fact's kind,
    # so a year stays a year and a money amount stays money.
    def _derive(self, value) -> "Fact":
        return Fact(self.name, value, self.kind, self.decimals, self.label)

    @staticmethod
    def _raw(other):
        return other.value if isinstance(other, Fact) else other

    def __add__(self, other):
        return self._derive(self.value + self._raw(other))

    def __radd__(self, other):
        return self._derive(self._raw(other) + self.value)

    def __sub__(self, other):
        return self._derive(self.value - self._raw(other))

    def __rsub__(self, other):
        return self._derive(self._raw(other) - self.value)

    def __mul__(self, other):
        return self._derive(self.value * self._raw(other))

    def __truediv__(self, other):
        return self._derive(self.value / self._raw(other))

    def __neg__(self):
        return self._derive(-self.value)

    def __abs__(self):
        return self._derive(abs(self.value))

    def __lt__(self, other):
        return self.value < self._raw(other)

    def __le__(self, other):
        return self.value <= self._raw(other)

    def __gt__(self, other):
        return self.value > self._raw(other)

    def __ge__(self, other):
        return self.value >= self._raw(other)


def slug(label: str) -> str:
    """A label as a fact-name part: "iA.Téléservice" → "ia_teleservice"."""
    import unicodedata

    ascii_ = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", ascii_).strip("_")


def fact(name: str, value, kind: CellKind | str | None = None, decimals=None, label="") -> Fact:
    """Build a fact, guessing the kind from the value when not given."""
    if kind is None:
        if isinstance(value, bool) or isinstance(value, str):
            kind = CellKind.TEXT
        elif isinstance(value, int):
            kind = CellKind.INTEGER
        elif isinstance(value, Decimal):
            kind = CellKind.DECIMAL
        else:
            kind = CellKind.TEXT
    return Fact(name, value, CellKind(kind), decimals, label)


class FactView(Mapping):
    """Read-only access to the facts published so far.

    While a plugin computes, its view holds only the namespaces it declared in
    ``PluginSpec.requires`` (and its own): reading another one is an error
    that says what to declare, instead of working or not by plugin order.
    """

    def __init__(self, facts: dict[str, Fact], allowed: tuple[str, ...] | None = None, reader: str = ""):
        self._facts = facts
        self._allowed = allowed
        self._reader = reader

    def _visible(self, name: str) -> bool:
        return self._allowed is None or name.split(".", 1)[0] in self._allowed

    def __getitem__(self, name: str) -> Fact:
        if not self._visible(name):
            raise KeyError(f"plugin {self._reader!r} reads {name!r} but does not require "
                           f"{name.split('.', 1)[0]!r}: add it to PluginSpec(requires=...)")
        try:
            return self._facts[name]
        except KeyError:
            known = ", ".join(sorted(k for k in self._facts if self._visible(k))) or "none yet"
            raise KeyError(f"no fact named {name!r} (published: {known})") from None

    def __contains__(self, name) -> bool:
        return self._visible(name) and name in self._facts

    def value(self, name: str, default=None):
        """The value of a fact, or ``default`` when nobody published it."""
        f = self[name] if name in self._facts and not self._visible(name) else self._facts.get(name)
        return default if f is None else f.value

    def __iter__(self) -> Iterator[str]:
        return (k for k in self._facts if self._visible(k))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def namespace(self, ns: str) -> dict[str, Fact]:
        """The facts of one namespace, by name: ``{"members.total": Fact, …}``.

        Like item access, a namespace the reading plugin does not require is
        refused (a ``KeyError`` that says what to declare).
        """
        if not self._visible(ns + "."):
            raise KeyError(f"plugin {self._reader!r} reads namespace {ns!r} but does not require it: "
                           "add it to PluginSpec(requires=...)")
        prefix = ns + "."
        return {k: v for k, v in self._facts.items() if k.startswith(prefix)}

    def tree(self) -> dict:
        """Nested dicts of the visible facts, for templates: ``{"members": {"total": Fact}}``."""
        root: dict = {}
        for name, f in self._facts.items():
            if not self._visible(name):
                continue
            node = root
            parts = name.split(".")
            for part in parts[:-1]:
                node = node.setdefault(part, {})
                if not isinstance(node, dict):
                    break
            else:
                node[parts[-1]] = f
        return root


@frozen
class Computed:
    """What ``rapact_compute`` may return instead of a list of facts.

    ``derived`` is anything the plugin worked out while computing (its
    figures, sorted lines, a lookup table…): the core keeps it for the rest of
    the build and hands it to the plugin's later hooks and section functions
    as their ``derived`` argument, so that nothing is computed twice.
    """

    facts: tuple[Fact, ...] = field(converter=tuple, factory=tuple)
    derived: Any = None


class FactStore:
    """Where the core collects facts; plugins only see a :class:`FactView`."""

    def __init__(self):
        self._facts: dict[str, Fact] = {}
        self._owner: dict[str, str] = {}

    def publish(self, plugin: str, namespaces: tuple[str, ...], facts) -> None:
        problems = []
        for f in facts:
            if not isinstance(f, Fact):
                problems.append(Finding(
                    _("rapact_compute returned {kind}, expected Fact objects").format(kind=type(f).__name__),
                    plugin=plugin))
                continue
            if f.namespace not in namespaces:
                problems.append(Finding(
                    _("fact {name} is outside the plugin's namespaces {namespaces}").format(
                        name=quoted(f.name), namespaces=list(namespaces)), plugin=plugin))
                continue
            if f.name in self._facts:
                problems.append(Finding(
                    _("fact {name} is published twice (first by {plugin})").format(
                        name=quoted(f.name), plugin=self._owner[f.name]), plugin=plugin))
                continue
            self._facts[f.name] = f
            self._owner[f.name] = plugin
        if problems:
            raise RapactError(problems)

    def view(self, allowed: tuple[str, ...] | None = None, reader: str = "") -> FactView:
        return FactView(self._facts, allowed, reader)
