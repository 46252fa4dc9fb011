"""Sections declared with the function that builds them, derived results, typed hook calls."""

import inspect
import re
import types
from pathlib import Path

import pytest

from rapact_core import (
    ChapterSpec, Computed, Paragraph, PluginSpec, RapactError, SectionSpec, fact, hookimpl, hookspecs, section,
    testing,
)
from rapact_core.plugins import Plugins

ROOT = Path(__file__).resolve().parents[1]


def report(tmp_path, *chapters):
    return testing.make_report(tmp_path, chapters=chapters)


def test_a_section_is_built_by_the_function_declared_with_it(tmp_path):
    seen = []

    def reach(section, data, facts, ctx, derived):
        seen.append((section.id, data, facts["sec.n"].value, ctx.plugin, derived))
        return [Paragraph("by SectionSpec(blocks=)")]

    @section("sec.marked", "described, not printed")
    def marked(ctx):
        return Paragraph(f"by @section in {ctx.year}")  # one block is enough

    plugin = types.SimpleNamespace(marked=marked)

    @hookimpl
    def rapact_declare():
        return PluginSpec(namespaces=("sec",), chapters=[ChapterSpec("sec", "Sec", sections=(
            "sec.reach", "sec.marked", "sec.hook"))], sections=[SectionSpec("sec.reach", "r", blocks=reach),
                                                                SectionSpec("sec.hook", "h")])

    @hookimpl
    def rapact_load_data():
        return "the data"

    @hookimpl
    def rapact_compute():
        return Computed([fact("sec.n", 7)], derived={"kept": True})

    @hookimpl
    def rapact_section_blocks(section):
        assert section.id == "sec.hook"  # only the section declared without a function comes here
        return [Paragraph("by rapact_section_blocks")]

    plugin.rapact_declare, plugin.rapact_load_data = rapact_declare, rapact_load_data
    plugin.rapact_compute, plugin.rapact_section_blocks = rapact_compute, rapact_section_blocks
    result = testing.build_result(report(tmp_path, "sec"), {"sec": plugin})
    assert result.document.chapters[0].blocks[1:] == (
        Paragraph("by SectionSpec(blocks=)"), Paragraph("by @section in 2021"), Paragraph("by rapact_section_blocks"))
    assert seen == [("sec.reach", "the data", 7, "sec", {"kept": True})]
    declared = testing.make_plugins({"sec": plugin}).sections
    assert declared["sec.marked"][1].title == "described, not printed"
    assert "described" not in str(testing.headings(result.document))


class Methods:
    """A plugin object: its methods marked with @section are its sections."""

    @hookimpl
    def rapact_declare(self):
        return PluginSpec(chapters=[ChapterSpec("m", "M", sections=("m.one",))])

    @section("m.one")
    def one(self, facts):
        return [Paragraph(f"{type(self).__name__} sees {facts['report.year'].value}")]


def test_methods_marked_with_section_are_bound_to_their_object(tmp_path):
    result = testing.build_result(report(tmp_path, "m"), {"m": Methods()})
    assert result.document.chapters[0].blocks[1] == Paragraph("Methods sees 2021")


def test_sections_are_checked_at_start_up():
    class NoBuilder:
        @hookimpl
        def rapact_declare(self):
            return PluginSpec(sections=[SectionSpec("nb.s")])

    class BadArgument:
        @hookimpl
        def rapact_declare(self):
            return PluginSpec()

        @section("ba.s")
        def s(self, results):
            return []

    class NotASection:
        @hookimpl
        def rapact_declare(self):
            return PluginSpec(sections=["ns.s"])

    class Twice:
        @hookimpl
        def rapact_declare(self):
            return PluginSpec(sections=[SectionSpec("tw.s", blocks=lambda: [])])

        @section("tw.s")
        def s(self):
            return []

    for plugin, expected in [
        (NoBuilder(), "[nb] section 'nb.s' has no blocks function and the plugin does not implement "
                      "rapact_section_blocks"),
        (BadArgument(), "[ba] section 'ba.s': its blocks function asks for 'results'; it may name section, "
                        "data, facts, ctx, derived"),
        (NotASection(), "[ns] plugin 'ns' failed in rapact_declare: TypeError: PluginSpec(sections=...) holds "
                        "SectionSpec objects or functions marked with @section, not str"),
        (Twice(), "[tw] section id 'tw.s' is declared twice, with two functions"),
    ]:
        name = expected[1:3]
        with pytest.raises(RapactError) as info:
            testing.make_plugins({name: plugin})
        assert expected in str(info.value)


def test_a_section_function_that_fails_or_returns_nonsense_is_named(tmp_path):
    def plugin(blocks):
        @hookimpl
        def rapact_declare():
            return PluginSpec(chapters=[ChapterSpec("x", "X", sections=("x.s",))],
                              sections=[SectionSpec("x.s", blocks=blocks)])
        return types.SimpleNamespace(rapact_declare=rapact_declare)

    config = report(tmp_path, "x")
    for blocks, expected in [
        (lambda: 1 / 0, "[x] plugin 'x' failed in section 'x.s': ZeroDivisionError"),
        (lambda: None, "[x] section 'x.s' produced nothing (its blocks function returned None)"),
        (lambda: "text", "[x] section 'x.s': its blocks function returned a str, expected model blocks"),
        (lambda: [fact("x.n", 1)], "[x] section 'x.s': its blocks function returned a Fact, expected model blocks"),
    ]:
        with pytest.raises(RapactError) as info:
            testing.build_result(config, {"x": plugin(blocks)})
        assert expected in str(info.value)


def test_bundled_plugins_declare_their_sections_without_an_if_chain():
    plugins = testing.make_plugins(bundled=True)
    for section_id, (owner, spec) in plugins.sections.items():
        assert spec.blocks is not None, f"{owner}: section {section_id} has no function of its own"
        assert not plugins.implements("rapact_section_blocks", owner)
    sources = [p.read_text(encoding="utf-8") for p in (ROOT / "plugins").glob("*/*.py")]
    sources.append((ROOT / "src" / "rapact_core" / "builtin.py").read_text(encoding="utf-8"))
    assert not [s for s in sources if re.search(r"section\.id\s*[!=]=|sid\s*==", s)]


def test_each_hook_has_a_typed_method_and_nothing_calls_hooks_by_name():
    for name, spec in vars(hookspecs).items():
        if not (name.startswith("rapact_") and hasattr(spec, "rapact_spec")) or name == "rapact_declare":
            continue
        method = getattr(Plugins, name)
        params = [p for p in inspect.signature(method).parameters if p not in ("self", "plugin")]
        assert params == list(inspect.signature(spec).parameters), name
    assert not hasattr(Plugins, "call")
    with pytest.raises(AttributeError):
        testing.make_plugins().rapact_compte  # a misspelt hook is an AttributeError, not a silent None
    calls = [f"{p.relative_to(ROOT)}:{n}" for p in (ROOT / "src").rglob("*.py")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if 'call("rapact_' in line]
    assert calls == []


def test_derived_is_the_plugins_own_and_none_without_computed(tmp_path):
    got = {}

    def plugin(name, compute):
        @hookimpl
        def rapact_declare():
            return PluginSpec(namespaces=(name,))

        @hookimpl
        def rapact_check(derived):
            got[name] = derived
            return []
        return types.SimpleNamespace(rapact_declare=rapact_declare, rapact_check=rapact_check,
                                     rapact_compute=hookimpl(compute))

    testing.build_result(report(tmp_path), {
        "a": plugin("a", lambda: Computed([fact("a.n", 1)], derived="a's")),
        "b": plugin("b", lambda: [fact("b.n", 2)]),
        "c": plugin("c", lambda: fact("c.n", 3)),
    })
    assert got == {"a": "a's", "b": None, "c": None}
    with pytest.raises(RapactError, match=r"\[d\] rapact_compute returned int, expected Fact objects or "
                                          r"rapact_core.Computed"):
        testing.build_result(report(tmp_path), {"d": plugin("d", lambda: 42)})
