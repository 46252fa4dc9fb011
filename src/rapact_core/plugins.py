"""Finding plugins and calling their hooks one plugin at a time.

Bundled and third-party plugins are found the same way: the ``rapact``
entry-point group. pluggy calls implementations in LIFO registration order and
lets one raising plugin abort the others without naming it, so the core calls
each plugin's implementation itself, through one typed method of
:class:`Plugins` per hook (as tox 4's plugin manager does: a misspelt hook
is an ``AttributeError``), wrapping errors into findings that name the plugin
and the hook.
"""

from __future__ import annotations

import importlib.metadata
import inspect
from collections.abc import Callable, Iterable
from pathlib import Path

import attrs
import pluggy
from attrs import frozen

from . import hookspecs
from . import model as m
from .errors import Finding, RapactError
from .facts import Computed, Fact, FactView
from .i18n import _, quoted
from .specs import BLOCKS_ARGUMENTS, ChapterSpec, PluginSpec, SectionSpec, section_of

GROUP = "rapact"
# The distribution whose entry points are the bundled plugins.
BUNDLED_DISTRIBUTION = "rapact"


@frozen
class LoadedPlugin:
    name: str
    obj: object
    spec: PluginSpec
    #: the installed distribution (``importlib.metadata``) whose entry point it is, if any
    dist: object = None

    # read when asked (``rapact plugins``): each reads the package's metadata file, ms a build
    @property
    def distribution(self) -> str:
        return self.dist.name if self.dist is not None else ""

    @property
    def version(self) -> str:
        return self.dist.version if self.dist is not None else ""


def _entry_points():
    return sorted(importlib.metadata.entry_points(group=GROUP), key=lambda ep: ep.name)


def _argnames(fn: Callable) -> tuple[str, ...]:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return ()
    return tuple(p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))


class Plugins:
    """The registered plugins, their declarations, and one typed method per hook.

    Each ``rapact_*`` method calls one plugin's implementation of the hook of
    that name with the arguments it accepts, and returns ``None`` when the
    plugin does not implement it. A ``RapactError`` passes through with the
    plugin named on findings that have no file; any other exception becomes a
    finding naming the plugin and the hook.
    """

    def __init__(self, pm: pluggy.PluginManager, loaded: dict[str, LoadedPlugin]):
        self.pm = pm
        self.loaded = loaded
        self.chapters: dict[str, tuple[str, ChapterSpec]] = {}
        self.sections: dict[str, tuple[str, SectionSpec]] = {}
        self.namespaces: dict[str, str] = {}
        problems = []
        for name, lp in loaded.items():
            for ch in lp.spec.chapters:
                if ch.id in self.chapters:
                    problems.append(Finding(
                        _("chapter id {id} is already declared by plugin {plugin}").format(
                            id=quoted(ch.id), plugin=quoted(self.chapters[ch.id][0])), plugin=name))
                else:
                    self.chapters[ch.id] = (name, ch)
            for sec in lp.spec.sections:
                if sec.id in self.sections:
                    problems.append(Finding(
                        _("section id {id} is already declared by plugin {plugin}").format(
                            id=quoted(sec.id), plugin=quoted(self.sections[sec.id][0])), plugin=name))
                else:
                    self.sections[sec.id] = (name, sec)
                problems.extend(self._section_problems(name, sec))
            for ns in lp.spec.namespaces:
                if ns in self.namespaces:
                    problems.append(Finding(
                        _("fact namespace {namespace} is already used by plugin {plugin}").format(
                            namespace=quoted(ns), plugin=quoted(self.namespaces[ns])), plugin=name))
                else:
                    self.namespaces[ns] = name
        for name, lp in loaded.items():
            for ns in lp.spec.requires:
                if ns not in self.namespaces:
                    problems.append(Finding(
                        _("requires facts {namespace}.* but no plugin publishes that namespace (known: {known})"
                          ).format(namespace=quoted(ns), known=", ".join(sorted(self.namespaces)) or _("none")),
                        plugin=name))
        if problems:
            raise RapactError(problems)

    def _section_problems(self, plugin: str, sec: SectionSpec) -> list[Finding]:
        if sec.blocks is None:
            if self.implements("rapact_section_blocks", plugin):
                return []
            return [Finding(_("section {id} has no blocks function and the plugin does not implement "
                              "rapact_section_blocks: give SectionSpec(..., blocks=fn) or use @section").format(
                                  id=quoted(sec.id)), plugin=plugin)]
        unknown = [a for a in _argnames(sec.blocks) if a not in BLOCKS_ARGUMENTS]
        if unknown:
            return [Finding(_("section {id}: its blocks function asks for {unknown}; it may name {known}").format(
                id=quoted(sec.id), unknown=", ".join(map(repr, unknown)), known=", ".join(BLOCKS_ARGUMENTS)),
                plugin=plugin)]
        return []

    # ------------------------------------------------------------ calls

    def _impl(self, hook: str, plugin: str):
        for impl in getattr(self.pm.hook, hook).get_hookimpls():
            if impl.plugin_name == plugin:
                return impl
        return None

    def implements(self, hook: str, plugin: str) -> bool:
        return self._impl(hook, plugin) is not None

    def _call(self, spec: Callable, plugin: str, *, making: str = "", **kwargs):
        """Call ``plugin``'s implementation of the hook ``spec`` (a function of
        :mod:`rapact_core.hookspecs`) with the arguments it accepts (see ``_run``)."""
        hook = spec.__name__
        impl = self._impl(hook, plugin)
        if impl is None:
            return None
        return self._run(plugin, hook, impl.function, impl.argnames, kwargs, making)

    @staticmethod
    def _run(plugin: str, what: str, function: Callable, argnames: Iterable[str], kwargs: dict,
             making: str = ""):
        """Run a plugin's function. Returns what it returns. A ``RapactError`` passes
        through with the plugin named on findings that have no file; any other
        exception becomes a finding naming the plugin and ``what`` it was running.
        Content the document model refuses (``ModelError``) is reported with what
        the plugin was making (``making``, e.g. ``"section 'cyber.kpis'"``) and the
        model's own message."""
        args = {k: kwargs[k] for k in argnames}
        try:
            return function(**args)
        except RapactError as exc:
            raise RapactError(
                [f if f.plugin or f.file else attrs.evolve(f, plugin=plugin)
                 for f in exc.findings], exit_code=exc.exit_code) from exc
        except MemoryError:  # not a plugin's bug: the CLI says "not enough memory"
            raise
        except Exception as exc:  # a plugin's bug must not become a traceback
            from .model import ModelError  # here: `rapact plugins` does not import the model

            if isinstance(exc, ModelError):
                where = making or _("{what} built content the document model does not take").format(what=what)
                raise RapactError(Finding(_("{what}: {message}").format(what=where, message=exc),
                                          plugin=plugin)) from exc
            raise RapactError(Finding(
                _("plugin {plugin} failed in {what}: {kind}: {error}").format(
                    plugin=quoted(plugin), what=what, kind=exc.__class__.__name__, error=exc),
                plugin=plugin)) from exc

    def rapact_load_data(self, plugin: str, ctx) -> object:
        """The plugin's data, or ``None``."""
        return self._call(hookspecs.rapact_load_data, plugin, ctx=ctx)

    def rapact_compute(self, plugin: str, data, facts: FactView, ctx) -> Computed:
        """The plugin's facts and what it derived (a plain list of facts has nothing derived)."""
        result = self._call(hookspecs.rapact_compute, plugin, data=data, facts=facts, ctx=ctx)
        if result is None:
            return Computed()
        if isinstance(result, Computed):
            return result
        if isinstance(result, Fact):
            result = [result]
        try:
            return Computed(result)
        except TypeError:
            raise RapactError(Finding(
                _("rapact_compute returned {kind}, expected Fact objects or rapact_core.Computed").format(
                    kind=type(result).__name__), plugin=plugin)) from None

    def rapact_check(self, plugin: str, data, facts: FactView, ctx, derived=None) -> list[Finding]:
        """The plugin's findings, each naming the plugin."""
        result = self._call(hookspecs.rapact_check, plugin, data=data, facts=facts, ctx=ctx, derived=derived)
        findings = []
        for f in result or ():
            if not isinstance(f, Finding):
                raise RapactError(Finding(
                    _("rapact_check returned {kind}, expected rapact_core.Finding").format(kind=type(f).__name__),
                    plugin=plugin))
            findings.append(f if f.plugin else attrs.evolve(f, plugin=plugin))
        return findings

    def rapact_section_blocks(self, plugin: str, section: SectionSpec, data, facts: FactView, ctx,
                              derived=None) -> list | None:
        """The hook's blocks for one section (``None`` when not implemented)."""
        return self._call(hookspecs.rapact_section_blocks, plugin, section=section, data=data, facts=facts, ctx=ctx,
                          derived=derived)

    def section_blocks(self, section_id: str, data, facts: FactView, ctx, derived=None) -> list:
        """A section's blocks, from its declared ``blocks`` function or else the
        owner's ``rapact_section_blocks``; checked to be model blocks."""
        owner, spec = self.sections[section_id]
        kwargs = dict(section=spec, data=data, facts=facts, ctx=ctx, derived=derived)
        making = _("section {id}").format(id=quoted(section_id))
        if spec.blocks is not None:
            blocks = self._run(owner, making, spec.blocks, _argnames(spec.blocks), kwargs, making=making)
            source = _("its blocks function")
        else:
            blocks = self._call(hookspecs.rapact_section_blocks, owner, making=making, **kwargs)
            source = "rapact_section_blocks"
        if blocks is None:
            raise RapactError(Finding(
                _("section {id} produced nothing ({source} returned None)").format(
                    id=quoted(section_id), source=source), plugin=owner))
        if isinstance(blocks, m.BLOCK_TYPES):  # one block: a table, a paragraph…
            return [blocks]
        if isinstance(blocks, (str, bytes)) or not hasattr(blocks, "__iter__"):
            raise RapactError(Finding(
                _("section {id}: {source} returned a {kind}, expected model blocks (Paragraph, Table, Figure, …)"
                  ).format(id=quoted(section_id), source=source, kind=type(blocks).__name__), plugin=owner))
        blocks = list(blocks)
        for b in blocks:
            if not isinstance(b, m.BLOCK_TYPES):
                raise RapactError(Finding(
                    _("section {id}: {source} returned a {kind}, expected model blocks (Paragraph, Table, Figure, …)"
                      ).format(id=quoted(section_id), source=source, kind=type(b).__name__), plugin=owner))
        return blocks

    def rapact_render_custom(self, plugin: str, block: m.Custom, format: str, target, ctx) -> object:
        """``True`` when the plugin rendered its block."""
        return self._call(hookspecs.rapact_render_custom, plugin, block=block, format=format, target=target, ctx=ctx)

    def rapact_new_year(self, plugin: str, source: Path, target: Path, year: int, ctx) -> None:
        self._call(hookspecs.rapact_new_year, plugin, source=source, target=target, year=year, ctx=ctx)

    def compute_order(self) -> list[str]:
        """Plugin names sorted so that required namespaces are computed first."""
        order: list[str] = []
        state: dict[str, int] = {}

        def visit(name: str, chain: list[str]):
            if state.get(name) == 2:
                return
            if state.get(name) == 1:
                raise RapactError(Finding(
                    _("circular fact requirements: {chain}").format(chain=" -> ".join(chain + [name])), plugin=name))
            state[name] = 1
            for ns in self.loaded[name].spec.requires:
                owner = self.namespaces[ns]
                if owner != name:
                    visit(owner, chain + [name])
            state[name] = 2
            order.append(name)

        for name in sorted(self.loaded):
            visit(name, [])
        return order


def _marked_sections(obj) -> list[SectionSpec]:
    """The functions (or methods) of a plugin object marked with ``@section``."""
    found = []
    for attr in dir(obj):
        if attr.startswith("__"):
            continue
        try:
            value = getattr(obj, attr)
        except Exception:  # a property that fails is not a section
            continue
        if callable(value) and isinstance(getattr(value, "rapact_section", None), SectionSpec):
            found.append(section_of(value))
    return found


def _with_marked_sections(name: str, obj, spec: PluginSpec) -> PluginSpec:
    """The declared sections plus the plugin object's ``@section`` functions not listed."""
    sections = list(spec.sections)
    by_id = {s.id: s for s in sections}
    for sec in _marked_sections(obj):
        known = by_id.get(sec.id)
        if known is None:
            sections.append(sec)
            by_id[sec.id] = sec
        elif known.blocks is not None and known.blocks != sec.blocks:
            raise RapactError(Finding(_("section id {id} is declared twice, with two functions").format(
                id=quoted(sec.id)), plugin=name))
    return attrs.evolve(spec, sections=sections)


def _spec_of(pm: pluggy.PluginManager, name: str, obj) -> PluginSpec:
    impl = None
    for i in pm.hook.rapact_declare.get_hookimpls():
        if i.plugin_name == name:
            impl = i
    if impl is None:
        return PluginSpec()
    try:
        spec = impl.function()
    except Exception as exc:
        raise RapactError(Finding(
            _("plugin {plugin} failed in {what}: {kind}: {error}").format(
                plugin=quoted(name), what="rapact_declare", kind=exc.__class__.__name__, error=exc),
            plugin=name)) from exc
    if not isinstance(spec, PluginSpec):
        raise RapactError(Finding(
            _("rapact_declare returned {kind}, expected rapact_core.PluginSpec").format(kind=type(spec).__name__),
            plugin=name))
    return spec


def _declared(pm: pluggy.PluginManager, name: str, obj) -> PluginSpec:
    return _with_marked_sections(name, obj, _spec_of(pm, name, obj))


def load_plugins(
    *,
    entrypoints: bool = True,
    distribution: str | None = None,
    extra: Iterable[tuple[str, object]] = (),
    blocked: Iterable[str] = (),
) -> Plugins:
    """Create a plugin manager for one build.

    :param entrypoints: load the ``rapact`` entry points (bundled and installed
        plugins). Tests pass ``False`` and give plugins through ``extra``.
    :param distribution: only the entry points of this distribution
        (``"rapact"``: the bundled plugins, whatever else is installed).
    :param extra: ``(name, module_or_object)`` pairs registered as well.
    :param blocked: plugin names not to load.
    """
    pm = pluggy.PluginManager(GROUP)
    pm.add_hookspecs(hookspecs)
    blocked = set(blocked)
    problems = []
    candidates: list[tuple[str, object, object]] = []
    points = _entry_points() if entrypoints else []  # one scan of the installed packages
    if distribution is not None:
        points = [ep for ep in points if _normalise(getattr(getattr(ep, "dist", None), "name", "") or "")
                  == _normalise(distribution)]
    if entrypoints:
        for ep in points:
            if ep.name in blocked:
                continue
            dist = getattr(ep, "dist", None)
            try:
                obj = ep.load()
            except Exception as exc:
                problems.append(Finding(
                    _("plugin {plugin} ({value}) cannot be imported: {kind}: {error}").format(
                        plugin=quoted(ep.name), value=ep.value, kind=exc.__class__.__name__, error=exc),
                    plugin=ep.name))
                continue
            candidates.append((ep.name, obj, dist))
    for name, obj in extra:
        if name not in blocked:
            candidates.append((name, obj, None))
    known = {n for n, *_ in candidates} | {name for name, _ in extra}
    known |= {ep.name for ep in points}
    for name in sorted(blocked - known):
        problems.append(Finding(_("cannot disable unknown plugin {plugin}; plugins: {known}").format(
            plugin=quoted(name), known=", ".join(sorted(known)))))
    loaded: dict[str, LoadedPlugin] = {}
    for name, obj, dist in candidates:
        if pm.has_plugin(name) or name in loaded:
            problems.append(Finding(_("two plugins are named {plugin}").format(plugin=quoted(name)), plugin=name))
            continue
        try:
            pm.register(obj, name=name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            problems.append(Finding(_("plugin {plugin} is invalid: {error}").format(plugin=quoted(name), error=exc),
                                    plugin=name))
            continue
        loaded[name] = LoadedPlugin(name, obj, PluginSpec(), dist)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        problems.append(Finding(
            _("{error} (known hooks: {hooks})").format(
                error=exc, hooks=", ".join(sorted(n for n in dir(hookspecs) if n.startswith("rapact_")))),
            plugin=getattr(exc, "plugin_name", None) or _plugin_name(pm, exc)))
    if problems:
        raise RapactError(problems)
    for name, lp in list(loaded.items()):
        loaded[name] = LoadedPlugin(name, lp.obj, _declared(pm, name, lp.obj), lp.dist)
    return Plugins(pm, loaded)


def _plugin_name(pm, exc) -> str | None:
    plugin = getattr(exc, "plugin", None)
    if plugin is None:
        return None
    return pm.get_name(plugin)


def _normalise(distribution: str) -> str:
    """A distribution name as PEP 503 compares them (``Rapact_Cyber`` = ``rapact-cyber``)."""
    import re

    return re.sub(r"[-_.]+", "-", distribution).lower()
