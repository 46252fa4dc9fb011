"""The plugin docs stay true: hooks, signatures, tests per hook, and every snippet runs.

- every hook spec of ``rapact_core/hookspecs.py`` has a section in
  ``docs/hooks.md`` headed by its exact current signature, and every
  documented hook exists (datasette's ``test_plugin_hooks_are_documented``);
- every hook has a test named ``test_hook_<hook>`` somewhere in ``tests/``
  (datasette's ``test_plugin_hooks_have_tests``);
- every ```python block of ``docs/plugins.md`` and ``docs/hooks.md`` runs,
  in order, in a copy of the 2021 report: a block that defines hooks is a
  plugin named ``example_cyber`` (a name no real plugin takes, so that the
  docs run whatever plugins are installed) and is built with the bundled
  plugins only, its chapters listed in the report's configuration (and
  rendered to DOCX, PDF and HTML when it renders Custom blocks, and run by
  ``rapact new-year`` when it carries data over); ``test_*`` functions are
  called; a block after ``<!-- file: data/… -->`` or ``<!-- file: texts/… -->``
  is written there first (``<!-- file: reports/2020/… -->``: in that year's folder); ```toml blocks must parse;
- relative links in the docs point to files that exist.
"""

from __future__ import annotations

import contextlib
import inspect
import re
import shutil
import sys
import tomllib
import types
from enum import Enum
from pathlib import Path

import pytest

from rapact_core import hookspecs, model, testing
from rapact_core.config import load_config
from rapact_core.newyear import create_year
from rapact_core.pipeline import make_context
from rapact_core.runner import build as run_build
from rapact_core.scaffold import create_plugin

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
HOOKS_MD = DOCS / "hooks.md"
PLUGINS_MD = DOCS / "plugins.md"
# The name the docs' example plugin is registered under.
EXAMPLE = "example_cyber"


def hook_specs() -> dict[str, object]:
    return {name: fn for name, fn in vars(hookspecs).items()
            if name.startswith("rapact_") and hasattr(fn, "rapact_spec")}


def documented_hooks() -> dict[str, str]:
    """hook name → the signature its heading shows, from ``### rapact_x(args)`` headings."""
    out = {}
    for line in HOOKS_MD.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^###\s+`?(rapact_\w+)(\(.*\))`?\s*$", line)
        if m:
            assert m.group(1) not in out, f"{m.group(1)} is documented twice"
            out[m.group(1)] = m.group(2)
    return out


def test_there_are_hooks():
    assert {"rapact_declare", "rapact_compute", "rapact_render_custom"} <= set(hook_specs())


def test_every_hook_is_documented_with_its_current_signature():
    documented = documented_hooks()
    for name, fn in hook_specs().items():
        assert name in documented, f"docs/hooks.md has no '### {name}{inspect.signature(fn)}' section"
        assert documented[name] == str(inspect.signature(fn)), (
            f"docs/hooks.md documents {name}{documented[name]}, the hook spec is {name}{inspect.signature(fn)}")
    unknown = set(documented) - set(hook_specs())
    assert not unknown, f"docs/hooks.md documents hooks that do not exist: {sorted(unknown)}"


def test_every_hook_section_has_an_example_and_a_link_to_a_plugin_using_it():
    text = HOOKS_MD.read_text(encoding="utf-8")
    sections = re.split(r"^### ", text, flags=re.M)[1:]
    for section in sections:
        name = section.split("(", 1)[0]
        assert "```python" in section, f"{name}: no example"
        assert "@hookimpl" in section and f"def {name}(" in section, f"{name}: the example does not implement it"
        assert re.search(r"\]\(\.\./(plugins|src|tests)/[^)]+\)", section), f"{name}: no link to code using it"


def test_every_hook_has_a_test_named_after_it():
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("**/*.py"))
    for name in hook_specs():
        assert re.search(rf"^def test_hook_{name}\(", sources, re.M), f"no test function test_hook_{name} in tests/"


def test_the_guide_shows_every_block_type():
    text = PLUGINS_MD.read_text(encoding="utf-8")
    for cls in model.BLOCK_TYPES + (model.Text, model.Link, model.LineBreak, model.ListItem, model.Column,
                                    model.Row, model.Cell, model.RowRole, model.CellKind, model.Chart,
                                    model.Series):
        # a class is shown built, an enumeration with one of its members
        used = rf"\b{cls.__name__}\.[A-Z]" if issubclass(cls, Enum) else rf"\b{cls.__name__}\("
        assert re.search(used, text), f"docs/plugins.md has no snippet using {cls.__name__}"


@pytest.mark.parametrize("doc", [PLUGINS_MD, HOOKS_MD], ids=lambda p: p.name)
def test_relative_links_resolve(doc):
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
        if re.match(r"^[a-z]+:", target):
            continue
        assert (doc.parent / target).exists(), f"{doc.name}: broken link {target}"


# ---------------------------------------------------------------- the snippets run

FENCE = re.compile(r"(?:<!--\s*(?P<marker>[^>]*?)\s*-->\s*\n)?^```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^```\s*$",
                   re.M | re.S)


def snippets(doc: Path):
    text = doc.read_text(encoding="utf-8")
    for m in FENCE.finditer(text):
        line = text.count("\n", 0, m.start("body")) + 1
        yield m.group("lang"), m.group("body"), (m.group("marker") or ""), line


@pytest.fixture
def example_package(tmp_path_factory, monkeypatch):
    """``import rapact_example_cyber`` gives the package ``rapact new-plugin example_cyber`` generates."""
    root = create_plugin(EXAMPLE, tmp_path_factory.mktemp("scaffold") / "rapact-example-cyber")
    monkeypatch.syspath_prepend(str(root))
    sys.modules.pop(f"rapact_{EXAMPLE}", None)
    yield
    sys.modules.pop(f"rapact_{EXAMPLE}", None)


@contextlib.contextmanager
def listed(config: Path, chapters):
    """The report's configuration lists ``chapters`` (at their default position) meanwhile."""
    config = load_config(config).path  # the file that lists the chapters
    text = config.read_text(encoding="utf-8")
    config.write_text(text + "".join(f'\n[[chapters]]\nid = "{c}"\ndefault_position = true\n' for c in chapters),
                      encoding="utf-8")
    try:
        yield
    finally:
        config.write_text(text, encoding="utf-8")


def _run_python(body: str, where: str, report: Path, tmp_path_factory):
    module = types.ModuleType(f"docsnippet_{abs(hash(where))}")
    module.__file__ = str(report / "snippet.py")
    code = compile(body, where, "exec")
    exec(code, module.__dict__)
    if callable(getattr(module, "rapact_declare", None)):
        # with every bundled plugin (their facts are there), but only the snippet's chapters are built
        plugins = testing.make_plugins({EXAMPLE: module}, bundled=True)
        own = [c for c, (owner, _spec) in plugins.chapters.items() if owner == EXAMPLE]
        others = [c for c, (owner, _spec) in plugins.chapters.items() if owner not in (EXAMPLE, "core")]
        with listed(report / "rapact.toml", own):
            result = testing.build_result(report / "rapact.toml", {EXAMPLE: module}, bundled=True, disabled=others)
            assert result.document is not None
            assert [c.id for c in result.document.chapters if c.id != "toc"] == own
            if callable(getattr(module, "rapact_render_custom", None)):
                outcome = run_build(report / "rapact.toml", output=tmp_path_factory.mktemp("out"), plugins=plugins,
                                    disabled=others)
                assert [p.suffix for p in outcome.files] == [".docx", ".pdf", ".html"]
        if callable(getattr(module, "rapact_new_year", None)):
            config = create_year(report / "rapact.toml", 2022, plugins=plugins)
            shutil.rmtree(config.parent)
    for name, fn in list(vars(module).items()):
        if name.startswith("test_") and callable(fn) and getattr(fn, "__module__", None) == module.__name__:
            params = inspect.signature(fn).parameters
            fn(**({"tmp_path": tmp_path_factory.mktemp(name)} if "tmp_path" in params else {}))


@pytest.mark.parametrize("doc", [PLUGINS_MD, HOOKS_MD], ids=lambda p: p.name)
def test_doc_snippets_run(doc, report_copy, in_dir, tmp_path_factory, example_package):
    in_dir(report_copy)
    ctx = make_context(load_config(report_copy / "rapact.toml"))
    folders = {"data": ctx.data_dir, "texts": ctx.texts_dir}
    ran = 0
    for lang, body, marker, line in snippets(doc):
        where = f"{doc.relative_to(ROOT)}:{line}"
        if marker.startswith("file:"):
            rel = Path(marker.split(":", 1)[1].strip())
            if rel.parts[0] == "reports":  # another year's folder: reports/2020/data/…
                target = report_copy / rel
            else:
                target = folders[rel.parts[0]].joinpath(*rel.parts[1:])
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
            continue
        if marker == "no-run":
            continue
        if lang == "toml":
            tomllib.loads(body)
        elif lang == "python":
            try:
                _run_python(body, where, report_copy, tmp_path_factory)
            except Exception as exc:
                raise AssertionError(f"the snippet at {where} fails: {exc.__class__.__name__}: {exc}") from exc
            ran += 1
    assert ran >= 5
