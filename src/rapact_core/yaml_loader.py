"""Reading a YAML data file: PyYAML's safe loader, bounded and strict.

``yaml.safe_load`` builds no Python objects but plain data, yet it happily
expands aliases (ten lines can stand for hundreds of millions of values),
recurses once per nesting level, lets a repeated key silently win, and reads
``.inf`` or a 5,000-digit integer as numbers. This loader refuses each of
those with the file and line, so that no library exception reaches an editor.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml

from .errors import Finding, RapactError, display_path
from .i18n import _, number_text, quoted
from .limits import MAX_NESTING, MAX_NUMBER_DIGITS, MAX_YAML_BYTES, MAX_YAML_NODES


class _Refused(Exception):
    def __init__(self, message: str, mark):
        super().__init__(message)
        self.message = message
        self.line = mark.line + 1 if mark is not None else None


class BoundedLoader(yaml.SafeLoader):
    """``SafeLoader`` without aliases, with bounded size and depth, unique keys and finite numbers."""

    def __init__(self, stream):
        super().__init__(stream)
        self._nodes = 0
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(_("YAML aliases (*{anchor}) are not accepted in data files: write the value out where "
                             "it is needed").format(anchor=event.anchor), event.start_mark)
        mark = self.peek_event().start_mark
        self._nodes += 1
        if self._nodes > MAX_YAML_NODES:
            raise _Refused(_("the file holds more than {most} values, the most a data file may hold").format(
                most=number_text(MAX_YAML_NODES)), mark)
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                raise _Refused(_("lists and mappings are nested more than {most} levels deep").format(
                    most=MAX_NESTING), mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except (_Refused, yaml.YAMLError):
            raise
        except (ValueError, TypeError, ArithmeticError) as exc:  # e.g. a date 2021-13-45
            raise _Refused(_("unreadable value {value}: {error}").format(value=_short(node), error=exc),
                           node.start_mark) from None

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, _value in node.value:
                key = self.construct_object(key_node, deep=True)
                line = key_node.start_mark.line + 1
                try:
                    if key in seen:
                        raise _Refused(_("the key {key} is given twice, at lines {first} and {second}: keep one"
                                         ).format(key=quoted(key), first=seen[key], second=line),
                                       key_node.start_mark)
                    seen[key] = line
                except TypeError:  # an unhashable key: the base class says so, with its line
                    break
        return super().construct_mapping(node, deep)

    def construct_yaml_int(self, node):
        _check_digits(node)
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node):
        _check_digits(node)
        value = super().construct_yaml_float(node)
        if not math.isfinite(value):
            raise _Refused(_("{value} is not a figure: expected a finite number").format(value=node.value),
                           node.start_mark)
        return value


BoundedLoader.add_constructor("tag:yaml.org,2002:int", BoundedLoader.construct_yaml_int)
BoundedLoader.add_constructor("tag:yaml.org,2002:float", BoundedLoader.construct_yaml_float)


def _check_digits(node) -> None:
    digits = sum(ch.isdigit() for ch in node.value)
    if digits > MAX_NUMBER_DIGITS:
        raise _Refused(_("a number of {digits} digits: at most {most} are read").format(
            digits=digits, most=MAX_NUMBER_DIGITS), node.start_mark)


def _short(node) -> str:
    value = node.value if isinstance(node.value, str) else f"<{node.tag}>"
    return quoted(value if len(value) <= 40 else value[:40] + "…")


def load_yaml_text(text: str, shown: str | None) -> Any:
    """Parse YAML text with :class:`BoundedLoader`; raise RapactError naming the file and line."""
    loader = BoundedLoader(text)
    try:
        return loader.get_single_data()
    except _Refused as exc:
        raise RapactError(Finding(exc.message, file=shown, line=exc.line)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise RapactError(Finding(_("invalid YAML: {problem}").format(problem=problem), file=shown, line=line)
                          ) from None
    finally:
        loader.dispose()


def read_yaml_file(path: Path) -> Any:
    """The data of a YAML file, bounded (see :mod:`rapact_core.limits`)."""
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            raise RapactError(Finding(_("the file is {size} MB: a YAML data file may hold at most {most} MB").format(
                size=number_text(size / (1 << 20), 1), most=MAX_YAML_BYTES >> 20), file=shown))
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RapactError(Finding(_("the file is not UTF-8"), file=shown)) from None
    except OSError as exc:
        raise RapactError(Finding(_("cannot read the file: {reason}").format(reason=exc.strerror or exc),
                                  file=shown)) from None
    return load_yaml_text(text, shown)
