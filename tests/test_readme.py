"""The README and the editor's guide stay true: set-up first, one command name, the filters'
examples print what the table says on the 2021 report."""

import re

import pytest

from rapact_core import testing
from rapact_core.formatting import normalise_spaces
from rapact_core.narrative import render_template

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
EDITOR = (ROOT / "docs" / "editor.md").read_text(encoding="utf-8")
# | `{{ x|filter }}` | `prints` | what it does |
FILTER_ROW = re.compile(r"^\| `(\{\{.*?\}\})` \| `([^`]*)` \|", re.M)


@pytest.fixture(scope="module")
def facts_2021():
    return testing.build_result(ROOT / "rapact.toml", bundled=True).facts


def test_the_readme_starts_with_a_virtual_environment_then_build_and_test():
    setup = README[README.index("## Set up"):README.index("## For the editor")]
    commands = re.findall(r"^```\w*\n(.*?)^```", setup, re.M | re.S)
    assert commands[0].splitlines() == ["python3 -m venv .venv", ". .venv/bin/activate", 'pip install -e ".[test]"']
    assert commands[1].splitlines() == ["py -m venv .venv", ".venv\\Scripts\\activate", 'pip install -e ".[test]"']
    assert commands[2].strip() == "rapact build" and commands[3].strip() == "python -m pytest -q"


@pytest.mark.parametrize("doc", [README, EDITOR], ids=["README.md", "docs/editor.md"])
def test_one_name_for_the_command(doc):
    assert "python -m rapact_core" not in doc and "python3 -m rapact_core" not in doc


def test_the_benchmarks_live_in_their_own_readme():
    speed = README[README.index("## Speed"):]
    assert speed.strip().splitlines()[1:] == ["", "The benchmarks and their figures are in "
                                                  "[benchmarks/README.md](benchmarks/README.md)."]


def test_every_filter_example_of_the_readme_prints_what_it_says(facts_2021):
    rows = FILTER_ROW.findall(README)
    assert {"environ", "variation", "hausse_baisse", "en_lettres", "texte"} <= {
        f for placeholder, _ in rows for f in re.findall(r"\|(\w+)", placeholder.replace("\\|", "|"))}
    for placeholder, printed in rows:
        template = placeholder.replace("\\|", "|")
        out = render_template(template, file="README.md", facts=facts_2021, year=2021, sections=lambda s: False)
        assert normalise_spaces(out) == printed, f"{template} prints {out!r}, the README says {printed!r}"


def test_the_editors_guide_links_resolve():
    prose = re.sub(r"^```.*?^```", "", EDITOR, flags=re.M | re.S)  # examples name the editor's own files
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", prose):
        if not re.match(r"^[a-z]+:", target):
            assert (ROOT / "docs" / target).exists(), f"docs/editor.md: broken link {target}"
