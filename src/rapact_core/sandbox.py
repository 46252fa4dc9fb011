"""The Jinja2 sandbox the narrative runs in, with a bound on everything it computes.

Jinja's ``ImmutableSandboxedEnvironment`` keeps a template away from Python's
internals, but not from exhausting the machine: ``{{ 10 ** (10 ** 9) }}``,
``{{ "x" * 10**12 }}`` or three nested loops over long strings run until
killed. Here every binary operator that can grow a value (``**``, ``*``,
``+``, ``%``) is intercepted (``intercepted_binops``), ``~`` and every filter
check the size of what they build, loops and calls share one budget of steps,
and a tag too long or nested too deeply for Jinja's recursive compiler is
refused before it is parsed. The caps are in :mod:`rapact_core.limits`.
"""

from __future__ import annotations

import functools
import math
import re
from decimal import Decimal

from jinja2 import nodes, pass_environment
from jinja2.exceptions import TemplateError
from jinja2.filters import make_attrgetter
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .i18n import _, number_text
from .limits import MAX_NESTING, MAX_TAG_TOKENS, MAX_TEMPLATE_DIGITS, MAX_TEMPLATE_SIZE, MAX_TEMPLATE_STEPS

_MAX_BITS = int(MAX_TEMPLATE_DIGITS * math.log2(10))
# a printf width or precision of 7 digits or more ("%999999999s"), or one taken from the arguments ("%*s")
_WIDE_PRINTF = re.compile(r"%[-#0 +]*(?:\*|\d{7,})|%[-#0 +]*\d*\.(?:\*|\d{7,})")
_WIDE_FORMAT = re.compile(r"\{[^{}]*:[^{}]*\d{7,}[^{}]*\}|\{[^{}]*:[^{}]*\{")
# str methods whose result is never longer than the string (others: center, ljust, zfill, join, replace, …)
_SAFE_STR_METHODS = frozenset(
    "capitalize casefold count endswith find index isalnum isalpha isdecimal isdigit islower isnumeric isspace "
    "istitle isupper lower lstrip partition removeprefix removesuffix rfind rindex rpartition rsplit rstrip split "
    "splitlines startswith strip swapcase title upper".split())
# Jinja's filters that can build a value much bigger than their input (widths, repetitions)
_UNBOUNDED_FILTERS = frozenset({"center", "indent", "wordwrap", "format", "filesizeformat", "pprint", "urlize",
                                "xmlattr", "random"})


class TemplateLimit(TemplateError):
    """A template went beyond one of the caps of :mod:`rapact_core.limits`."""


def check_tags(env, source: str) -> tuple[int, str] | None:
    """(line, message) of the first tag too long or nested too deeply for Jinja's compiler, else None.

    Jinja's lexer is iterative; its parser and compiler recurse once per
    bracket or operator, and end in a RecursionError without a line.
    """
    tokens = depth = 0
    for line, kind, value in env.lex(source):
        if kind in ("variable_begin", "block_begin"):
            tokens = depth = 0
            continue
        tokens += 1
        if kind == "integer" and sum(ch.isdigit() for ch in value) > MAX_TEMPLATE_DIGITS:
            return line, _("a number of more than {most} digits").format(most=MAX_TEMPLATE_DIGITS)
        if kind == "operator" and value in "([{":
            depth += 1
        elif kind == "operator" and value in ")]}":
            depth -= 1
        if depth > MAX_NESTING:
            return line, _("brackets nested more than {most} deep").format(most=MAX_NESTING)
        if tokens > MAX_TAG_TOKENS:
            return line, _("a placeholder or tag of more than {most} words and signs").format(
                most=number_text(MAX_TAG_TOKENS))
    return None


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The narrative's Jinja environment; one per rendered text (it counts its steps)."""

    intercepted_binops = frozenset({"**", "*", "+", "%"})

    def __init__(self, **options):
        super().__init__(**options)
        self.steps = 0
        self.globals["range"] = self._range
        self.filters = {name: fn for name, fn in self.filters.items() if name not in _UNBOUNDED_FILTERS}
        self.filters["join"] = _join
        self.filters["replace"] = _replace
        self.filters["rapact_loop"] = self._loop
        self.filters["rapact_bounded"] = checked

    def bound_filters(self) -> None:
        """Wrap every filter (Jinja's and rapact's) so that it counts a step and checks its result."""
        self.filters = {name: self._bounded(fn) for name, fn in self.filters.items()}

    def step(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > MAX_TEMPLATE_STEPS:
            raise TemplateLimit(_("the text's loops and calls take more than {most} steps").format(
                most=number_text(MAX_TEMPLATE_STEPS)))

    def _bounded(self, fn):
        # the filtered value comes first, after the context or environment Jinja passes to some
        first_option = 2 if getattr(fn, "jinja_pass_arg", None) is not None else 1

        @functools.wraps(fn)  # keeps Jinja's pass_context marks
        def bounded(*args, **kwargs):
            self.step()
            for arg in (*args[first_option:], *kwargs.values()):  # widths, counts, precisions
                if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_TEMPLATE_SIZE:
                    raise TemplateLimit(_("a filter option of {value}: at most {most}").format(
                        value=number_text(arg), most=number_text(MAX_TEMPLATE_SIZE)))
            return checked(fn(*args, **kwargs))
        return bounded

    def _loop(self, iterable):
        for item in iterable:
            self.step()
            yield item

    def _range(self, *args):
        rng = range(*args)
        if len(rng) > MAX_TEMPLATE_STEPS:
            raise TemplateLimit(_("a range of {count} numbers: at most {most}").format(
                count=number_text(len(rng)), most=number_text(MAX_TEMPLATE_STEPS)))
        return rng

    def call_binop(self, context, operator, left, right):
        if operator == "**":
            _check_power(left, right)
        elif operator == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
        elif operator == "+" and _sized(left) and _sized(right):
            _check_length(len(left) + len(right))
        elif operator == "%" and isinstance(left, str) and _WIDE_PRINTF.search(left):
            raise TemplateLimit(_("a format with a width or precision of a million or more, or taken from the "
                                  "values"))
        return checked(super().call_binop(context, operator, left, right))

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
        __self.step()
        target = getattr(__obj, "__wrapped__", __obj)  # str.format comes wrapped by the sandbox
        owner = getattr(target, "__self__", None)
        if isinstance(owner, str):
            name = getattr(target, "__name__", "")
            if name in ("format", "format_map"):
                if _WIDE_FORMAT.search(owner):
                    raise TemplateLimit(_("a format with a width of a million or more, or taken from the values"))
            elif name not in _SAFE_STR_METHODS:
                raise TemplateLimit(_("the text method .{name}() is not available in a narrative (it can build a "
                                      "string of any size)").format(name=name))
        return checked(super().call(__context, __obj, *args, **kwargs))


def _sized(value) -> bool:
    return isinstance(value, (str, list, tuple))


def _check_length(length: int) -> None:
    if length > MAX_TEMPLATE_SIZE:
        raise TemplateLimit(_("a text or list of {count} items: at most {most}").format(
            count=number_text(length), most=number_text(MAX_TEMPLATE_SIZE)))


def _check_repeat(seq, times) -> None:
    if _sized(seq) and isinstance(times, int) and not isinstance(times, bool):
        _check_length(len(seq) * max(times, 0))


def _check_power(base, exponent) -> None:
    if isinstance(base, bool) or isinstance(exponent, bool):
        return
    if isinstance(base, (int, Decimal, float)) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1:
        digits = exponent * math.log10(abs(float(base))) if abs(base) < 1e300 else math.inf
        if isinstance(base, int) and digits > MAX_TEMPLATE_DIGITS:
            raise TemplateLimit(_("a power of about {digits} digits: at most {most}").format(
                digits=_about(digits), most=MAX_TEMPLATE_DIGITS))


def _about(digits: float) -> str:
    return number_text(digits) if math.isfinite(digits) else _("infinitely many")


def checked(value):
    """``value`` once its size is known to be within the caps."""
    if isinstance(value, (str, list, tuple, dict)):
        _check_length(len(value))
    elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > _MAX_BITS:
        raise TemplateLimit(_("a whole number of more than {most} digits").format(most=MAX_TEMPLATE_DIGITS))
    return value


@pass_environment
def _join(environment, value, d: str = "", attribute=None):
    """Jinja's ``join``, refusing a result beyond the size cap before building it."""
    if attribute is not None:
        value = map(make_attrgetter(environment, attribute), value)
    items = [str(item) for item in value]
    _check_length(len(str(d)) * max(len(items) - 1, 0) + sum(map(len, items)))
    return str(d).join(items)


def _replace(s, old, new, count=None):
    s, old, new = str(s), str(old), str(new)
    hits = (len(s) + 1) if not old else s.count(old)
    if count is not None:
        hits = min(hits, max(int(count), 0))
    _check_length(len(s) + hits * max(len(new) - len(old), 0))
    return s.replace(old, new, -1 if count is None else int(count))


def bound_tree(tree: nodes.Template) -> nodes.Template:
    """Route every loop through the step budget, check every ``~`` concatenation's
    size, and tell each ``section()`` call its line (for mapping lines back)."""
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Filter(loop.iter, "rapact_loop", [], [], None, None, lineno=loop.iter.lineno)
    for parent in list(tree.find_all(nodes.Node)):
        for field in parent.fields:
            child = getattr(parent, field, None)
            if isinstance(child, nodes.Concat):
                setattr(parent, field, _bounded_concat(child))
            elif isinstance(child, list):
                setattr(parent, field, [_bounded_concat(c) if isinstance(c, nodes.Concat) else c for c in child])
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name == "section":
            call.kwargs.append(nodes.Keyword("_line", nodes.Const(call.lineno), lineno=call.lineno))
    return tree


def _bounded_concat(node: nodes.Concat) -> nodes.Filter:
    return nodes.Filter(node, "rapact_bounded", [], [], None, None, lineno=node.lineno)
