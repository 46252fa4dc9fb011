"""Hook calls, ordering and misbehaving plugins, with throw-away plugins."""

import re
import types

import pytest

from rapact_core import ChapterSpec, Paragraph, PluginSpec, SectionSpec, fact, hookimpl, testing
from rapact_core.errors import RapactError

CONFIG = testing.minimal_config(2021)  # the test kit's throw-away report configuration


def plugin(name, *, requires=(), chapters=(), compute=None, blocks=None, **hooks):
    ns = types.SimpleNamespace()

    @hookimpl
    def rapact_declare():
        return PluginSpec(namespaces=(name,), requires=requires,
                          chapters=[ChapterSpec(c, c.title(), sections=(f"{name}.s",), position=p)
                                    for c, p in chapters],
                          sections=[SectionSpec(f"{name}.s")])

    @hookimpl
    def rapact_compute(facts):
        return compute(facts) if compute else [fact(f"{name}.n", 1)]

    @hookimpl
    def rapact_section_blocks(section, facts):
        return blocks(facts) if blocks else [Paragraph(f"{name} says {facts[name + '.n'].value}")]

    ns.rapact_declare, ns.rapact_compute, ns.rapact_section_blocks = rapact_declare, rapact_compute, rapact_section_blocks
    for key, fn in hooks.items():
        setattr(ns, key, fn)
    return ns


@pytest.fixture
def report(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "texts").mkdir()

    def write(chapters=""):
        (tmp_path / "rapact.toml").write_text(CONFIG + chapters, encoding="utf-8")
        return tmp_path / "rapact.toml"
    return write


def chapter_ids(result):
    return [c.id for c in result.document.chapters if c.id != "toc"]


def test_order_comes_from_config_not_registration(report):
    plugins = {"b": plugin("b", chapters=[("beta", 10)]), "a": plugin("a", chapters=[("alpha", 20)])}
    cfg = report('[[chapters]]\nid = "alpha"\n[[chapters]]\nid = "beta"\n')
    assert chapter_ids(testing.build_result(cfg, plugins)) == ["alpha", "beta"]
    cfg = report('[[chapters]]\nid = "beta"\n[[chapters]]\nid = "alpha"\n')
    assert chapter_ids(testing.build_result(cfg, plugins)) == ["beta", "alpha"]


def test_unlisted_chapters_are_not_built(report):
    """Installing a plugin must not change a report: its chapter is built only when listed."""
    plugins = {"a": plugin("a", chapters=[("alpha", 10)]), "b": plugin("b", chapters=[("beta", 30)]),
               "c": plugin("c", chapters=[("gamma", 20)])}
    cfg = report('[[chapters]]\nid = "alpha"\n[[chapters]]\nid = "beta"\n')
    result = testing.build_result(cfg, plugins)
    assert chapter_ids(result) == ["alpha", "beta"]
    unlisted = [c for c in result.chapters if not c.listed]
    assert {(c.id, c.enabled) for c in unlisted} == {("gamma", False), ("toc", False)}
    assert result.facts["c.n"].value == 1  # its plugin still computes: its facts stay available


def test_default_position_places_a_listed_chapter(report):
    plugins = {"a": plugin("a", chapters=[("alpha", 10)]), "b": plugin("b", chapters=[("beta", 30)]),
               "c": plugin("c", chapters=[("gamma", 20)])}
    # listed last, but "without saying where": at its declared position, between alpha (10) and beta (30)
    cfg = report('[[chapters]]\nid = "alpha"\n[[chapters]]\nid = "beta"\n'
                 '[[chapters]]\nid = "gamma"\ndefault_position = true\ntitle = "Gamma!"\n')
    result = testing.build_result(cfg, plugins)
    assert chapter_ids(result) == ["alpha", "gamma", "beta"]
    assert "2 Gamma!" in testing.headings(result.document)
    # the test kit's include= does the same without touching the configuration
    cfg = report('[[chapters]]\nid = "alpha"\n[[chapters]]\nid = "beta"\n')
    assert chapter_ids(testing.build_result(cfg, plugins, include=["gamma"])) == ["alpha", "gamma", "beta"]


def test_check_and_plugins_say_how_to_add_an_unlisted_chapter(report_copy, monkeypatch):
    from click.testing import CliRunner

    from rapact_core.cli import main

    monkeypatch.chdir(report_copy)
    cfg = report_copy / "reports" / "2021" / "rapact.toml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text.replace('[[chapters]]\nid = "comptes"\n', ""), encoding="utf-8")
    expected = ("plugin 'finance' offers chapter 'comptes', not listed in reports/2021/rapact.toml: "
                'add `[[chapters]] id = "comptes"` to include it')
    check = CliRunner().invoke(main, ["check"])
    assert check.exit_code == 0, check.output
    assert expected in check.output
    listing = CliRunner().invoke(main, ["plugins"])
    assert listing.exit_code == 0 and expected in listing.output
    assert re.search(r"Chapters not built \(\d+: not listed in reports/2021/rapact.toml\)", listing.output)
    build = CliRunner().invoke(main, ["build", "--format", "docx", "--output", "out"])
    assert build.exit_code == 0, build.output
    text = testing.docx_text(report_copy / "out" / "rapport-activites-2021.docx")
    assert "Comptes temporaires" not in text and "Annexes" in text


def test_disabled_chapter_is_left_out(report):
    plugins = {"a": plugin("a", chapters=[("alpha", 10)]), "b": plugin("b", chapters=[("beta", 30)])}
    cfg = report('[[chapters]]\nid = "alpha"\nenabled = false\n[[chapters]]\nid = "beta"\n')
    assert chapter_ids(testing.build_result(cfg, plugins)) == ["beta"]
    cfg = report('[[chapters]]\nid = "alpha"\n[[chapters]]\nid = "beta"\n')
    assert chapter_ids(testing.build_result(cfg, plugins, disabled=["beta"])) == ["alpha"]


def test_facts_are_computed_in_dependency_order(report):
    seen = []
    plugins = {
        "a": plugin("a", requires=("z",), chapters=[("alpha", 1)],
                    compute=lambda f: seen.append("a") or [fact("a.n", f["z.n"].value + 1)]),
        "z": plugin("z", compute=lambda f: seen.append("z") or [fact("z.n", 41)]),
    }
    result = testing.build_result(report('[[chapters]]\nid = "alpha"\n'), plugins)
    assert seen == ["z", "a"]
    assert result.facts["a.n"].value == 42
    alpha = next(c for c in result.document.chapters if c.id == "alpha")
    assert alpha.blocks[1] == Paragraph("a says 42")


def test_unknown_chapter_lists_the_valid_ones(report):
    with pytest.raises(RapactError) as info:
        testing.build_result(report('[[chapters]]\nid = "nope"\n'), {"a": plugin("a", chapters=[("alpha", 1)])})
    assert "unknown chapter 'nope'; valid chapters: alpha, toc" in str(info.value)


def test_a_raising_plugin_is_named_with_its_hook(report):
    def boom(facts):
        raise ZeroDivisionError("division by zero")
    with pytest.raises(RapactError) as info:
        testing.build_result(report(), {"bad": plugin("bad", compute=boom)})
    assert "plugin 'bad' failed in rapact_compute: ZeroDivisionError" in str(info.value)


def test_unknown_hook_is_refused_at_start_up():
    ns = types.SimpleNamespace()

    @hookimpl
    def rapact_chapterz():
        return []
    ns.rapact_chapterz = rapact_chapterz
    with pytest.raises(RapactError, match="rapact_chapterz"):
        testing.make_plugins({"typo": ns})


def test_duplicate_chapter_and_missing_namespace():
    with pytest.raises(RapactError) as info:
        testing.make_plugins({"a": plugin("a", chapters=[("x", 1)]), "b": plugin("b", chapters=[("x", 1)],
                                                                               requires=("nobody",))})
    text = str(info.value)
    assert "chapter id 'x' is already declared by plugin 'a'" in text
    assert "requires facts 'nobody'.* but no plugin publishes that namespace" in text


def test_non_block_results_are_errors(report):
    plugins = {"a": plugin("a", chapters=[("alpha", 1)], blocks=lambda f: ["just a string"])}
    with pytest.raises(RapactError, match="returned a str, expected model blocks"):
        testing.build_result(report('[[chapters]]\nid = "alpha"\n'), plugins)


def test_facts_outside_namespace_are_refused(report):
    plugins = {"a": plugin("a", compute=lambda f: [fact("members.total", 1)])}
    with pytest.raises(RapactError, match="outside the plugin's namespaces"):
        testing.build_result(report(), plugins)


def test_text_shipped_with_the_plugin_is_the_default(report, tmp_path):

    pkg = tmp_path / "pkg"
    (pkg / "texts").mkdir(parents=True)
    (pkg / "texts" / "alpha.md").write_text("Texte par défaut : {{ a.n }}.\n", encoding="utf-8")
    mod = types.ModuleType("rapact_alpha_test")
    mod.__file__ = str(pkg / "__init__.py")
    base = plugin("a")

    @hookimpl
    def rapact_declare():
        return PluginSpec(namespaces=("a",), chapters=[ChapterSpec("alpha", "Alpha", text="alpha.md")])
    mod.rapact_declare, mod.rapact_compute = rapact_declare, base.rapact_compute
    result = testing.build_result(report('[[chapters]]\nid = "alpha"\n'), {"a": mod})
    alpha = next(c for c in result.document.chapters if c.id == "alpha")
    assert alpha.blocks[1] == Paragraph("Texte par défaut : 1.")
    # the report's own text wins
    (tmp_path / "texts" / "alpha.md").write_text("Texte du rapport.\n", encoding="utf-8")
    result = testing.build_result(report('[[chapters]]\nid = "alpha"\n'), {"a": mod})
    alpha = next(c for c in result.document.chapters if c.id == "alpha")
    assert alpha.blocks[1] == Paragraph("Texte du rapport.")


def test_a_plugin_disabled_in_the_configuration(report_copy, monkeypatch):
    from click.testing import CliRunner

    from rapact_core.cli import main

    monkeypatch.chdir(report_copy)
    cfg = report_copy / "reports" / "2021" / "rapact.toml"
    text = cfg.read_text(encoding="utf-8")
    assert 'formats = ["docx", "pdf", "html"]' in text
    cfg.write_text(text.replace('formats = ["docx", "pdf", "html"]',
                   'formats = ["docx", "pdf", "html"]\ndisabled_plugins = ["procurement"]'), encoding="utf-8")
    listing = CliRunner().invoke(main, ["plugins"])
    assert listing.exit_code == 0 and "procurement" not in listing.output
    result = CliRunner().invoke(main, ["build", "--format", "docx", "--output", "out"])
    assert result.exit_code == 0, result.output
    text = testing.docx_text(report_copy / "out" / "rapport-activites-2021.docx")
    assert "Passation de marchés publics" in text and "Groupe Audit Belgium" not in text
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('"procurement"', '"procurment"'), encoding="utf-8")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1 and "cannot disable unknown plugin 'procurment'" in result.output


def test_testing_kit_makes_and_renders_a_report(tmp_path):
    cfg = testing.make_report(tmp_path, {"texts/alpha.md": "Alpha vaut {{ a.n }}.\n"}, year=2023,
                              chapters=["alpha"])
    mod = plugin("a")

    @hookimpl
    def rapact_declare():
        return PluginSpec(namespaces=("a",), chapters=[ChapterSpec("alpha", "Alpha", text="alpha.md")])
    mod.rapact_declare = rapact_declare
    files = testing.render(cfg, {"a": mod}, output=tmp_path / "out")
    assert sorted(p.suffix for p in files) == [".docx", ".pdf"]
    assert "Alpha vaut 1." in testing.docx_text(tmp_path / "out" / "rapport.docx")
    assert "Alpha vaut 1." in testing.pdf_text(tmp_path / "out" / "rapport.pdf")
    assert 'year = 2023' in cfg.read_text(encoding="utf-8")


def test_a_plugin_sees_only_the_namespaces_it_requires_every_way(report):
    """``in``, item access, ``namespace()``, ``tree()`` and ``len`` agree on what a plugin may read."""
    seen = {}

    def reader(facts):
        seen["in"] = ("z.n" in facts, "a.n" in facts)
        seen["tree"] = sorted(facts.tree())
        seen["iter"] = sorted(facts)
        try:
            facts.namespace("z")
        except KeyError as exc:
            seen["namespace"] = str(exc)
        seen["own"] = facts.namespace("y")
        return [fact("y.n", 1)]

    plugins = {"a": plugin("a"), "z": plugin("z"), "y": plugin("y", requires=("a",), compute=reader)}
    result = testing.build_result(report(), plugins)
    assert seen["in"] == (False, True)
    assert seen["tree"] == ["a"] and seen["iter"] == ["a.n"] and seen["own"] == {}
    assert "plugin 'y' reads namespace 'z' but does not require it" in seen["namespace"]
    # after computing, every fact is visible (checks, sections, the narrative)
    assert set(result.facts.tree()) >= {"a", "y", "z", "report"}
    assert list(result.facts.namespace("z")) == ["z.n"]
