"""Finding plugins and calling their hooks one plugin at a time.

Bundled and third-party plugins are found the same way: the ``rapact``
entry-point group. pluggy calls implementations in LIFO registration order and
lets one raising plugin abort the others without naming it, so the core calls
each plugin's implementation itself (:meth:`Plugins.call`), wrapping errors
into findings that name the plugin and the hook.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterable

import pluggy
from attrs import frozen

from . import hookspecs
from .errors import Finding, RapactError
from .specs import ChapterSpec, PluginSpec, SectionSpec

GROUP = "rapact"


@frozen
class LoadedPlugin:
    name: str
    obj: object
    spec: PluginSpec
    distribution: str = ""
    version: str = ""


def _entry_points():
    return sorted(importlib.metadata.entry_points(group=GROUP), key=lambda ep: ep.name)


class Plugins:
    """The registered plugins, their declarations, and typed hook calls."""

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
                        f"chapter id {ch.id!r} is already declared by plugin {self.chapters[ch.id][0]!r}",
                        plugin=name))
                else:
                    self.chapters[ch.id] = (name, ch)
            for sec in lp.spec.sections:
                if sec.id in self.sections:
                    problems.append(Finding(
                        f"section id {sec.id!r} is already declared by plugin {self.sections[sec.id][0]!r}",
                        plugin=name))
                else:
                    self.sections[sec.id] = (name, sec)
            for ns in lp.spec.namespaces:
                if ns in self.namespaces:
                    problems.append(Finding(
                        f"fact namespace {ns!r} is already used by plugin {self.namespaces[ns]!r}",
                        plugin=name))
                else:
                    self.namespaces[ns] = name
        for name, lp in loaded.items():
            for ns in lp.spec.requires:
                if ns not in self.namespaces:
                    problems.append(Finding(
                        f"requires facts {ns!r}.* but no plugin publishes that namespace "
                        f"(known: {', '.join(sorted(self.namespaces)) or 'none'})", plugin=name))
        if problems:
            raise RapactError(problems)

    # ------------------------------------------------------------ calls

    def _impl(self, hook: str, plugin: str):
        for impl in getattr(self.pm.hook, hook).get_hookimpls():
            if impl.plugin_name == plugin:
                return impl
        return None

    def implements(self, hook: str, plugin: str) -> bool:
        return self._impl(hook, plugin) is not None

    def call(self, hook: str, plugin: str, **kwargs):
        """Call one plugin's implementation of ``hook`` with the arguments it accepts.

        Returns ``None`` when the plugin does not implement the hook. A
        ``RapactError`` passes through with the plugin named on findings that
        have no file; any other exception becomes a finding naming the plugin
        and the hook.
        """
        impl = self._impl(hook, plugin)
        if impl is None:
            return None
        args = {k: kwargs[k] for k in impl.argnames}
        try:
            return impl.function(**args)
        except RapactError as exc:
            raise RapactError(
                [f if f.plugin or f.file else Finding(f.message, f.level, f.file, f.line, f.field, plugin)
                 for f in exc.findings], exit_code=exc.exit_code) from exc
        except MemoryError:  # not a plugin's bug: the CLI says "not enough memory"
            raise
        except Exception as exc:  # a plugin's bug must not become a traceback
            raise RapactError(Finding(
                f"plugin {plugin!r} failed in {hook}: {exc.__class__.__name__}: {exc}",
                plugin=plugin)) from exc

    def compute_order(self) -> list[str]:
        """Plugin names sorted so that required namespaces are computed first."""
        order: list[str] = []
        state: dict[str, int] = {}

        def visit(name: str, chain: list[str]):
            if state.get(name) == 2:
                return
            if state.get(name) == 1:
                raise RapactError(Finding(
                    "circular fact requirements: " + " -> ".join(chain + [name]), plugin=name))
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
            f"plugin {name!r} failed in rapact_declare: {exc.__class__.__name__}: {exc}", plugin=name)) from exc
    if not isinstance(spec, PluginSpec):
        raise RapactError(Finding(
            f"rapact_declare returned {type(spec).__name__}, expected rapact_core.PluginSpec", plugin=name))
    return spec


def load_plugins(
    *,
    entrypoints: bool = True,
    extra: Iterable[tuple[str, object]] = (),
    blocked: Iterable[str] = (),
) -> Plugins:
    """Create a plugin manager for one build.

    :param entrypoints: load the ``rapact`` entry points (bundled and installed
        plugins). Tests pass ``False`` and give plugins through ``extra``.
    :param extra: ``(name, module_or_object)`` pairs registered as well.
    :param blocked: plugin names not to load.
    """
    pm = pluggy.PluginManager(GROUP)
    pm.add_hookspecs(hookspecs)
    blocked = set(blocked)
    problems = []
    candidates: list[tuple[str, object, str, str]] = []
    points = _entry_points() if entrypoints else []  # one scan of the installed packages
    if entrypoints:
        for ep in points:
            if ep.name in blocked:
                continue
            dist = getattr(ep, "dist", None)
            try:
                obj = ep.load()
            except Exception as exc:
                problems.append(Finding(
                    f"plugin {ep.name!r} ({ep.value}) cannot be imported: {exc.__class__.__name__}: {exc}",
                    plugin=ep.name))
                continue
            candidates.append((ep.name, obj, dist.name if dist else "", dist.version if dist else ""))
    for name, obj in extra:
        if name not in blocked:
            candidates.append((name, obj, "", ""))
    known = {n for n, *_ in candidates} | {name for name, _ in extra}
    known |= {ep.name for ep in points}
    for name in sorted(blocked - known):
        problems.append(Finding(f"cannot disable unknown plugin {name!r}; plugins: {', '.join(sorted(known))}"))
    loaded: dict[str, LoadedPlugin] = {}
    for name, obj, dist, version in candidates:
        if pm.has_plugin(name) or name in loaded:
            problems.append(Finding(f"two plugins are named {name!r}", plugin=name))
            continue
        try:
            pm.register(obj, name=name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            problems.append(Finding(f"plugin {name!r} is invalid: {exc}", plugin=name))
            continue
        loaded[name] = LoadedPlugin(name, obj, PluginSpec(), dist, version)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        problems.append(Finding(
            f"{exc} (known hooks: {', '.join(sorted(n for n in dir(hookspecs) if n.startswith('rapact_')))})",
            plugin=getattr(exc, "plugin_name", None) or _plugin_name(pm, exc)))
    if problems:
        raise RapactError(problems)
    for name, lp in list(loaded.items()):
        loaded[name] = LoadedPlugin(name, lp.obj, _spec_of(pm, name, lp.obj), lp.distribution, lp.version)
    return Plugins(pm, loaded)


def _plugin_name(pm, exc) -> str | None:
    plugin = getattr(exc, "plugin", None)
    if plugin is None:
        return None
    return pm.get_name(plugin)
