"""Messages in the editor's language: the French catalog is complete and well-formed, it loads
with or without its compiled .mo, and the commands speak French or English as the editor asks.

The other tests read messages in English (conftest.py sets RAPACT_LANG=en); these ask for the
``french`` fixture when they check what a French-speaking editor reads.
"""

import gettext
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from rapact_core import i18n
from rapact_core.cli import main

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "rapact_core" / "locale"
FR_PO = LOCALE / "fr" / "LC_MESSAGES" / "rapact.po"
NBSP = "\u00a0"


def fresh_extraction() -> dict[str, tuple]:
    """Every message of src/ and plugins/, extracted now as `pybabel extract -F babel.cfg` does:
    {msgid: (msgid_plural or None, "file:line")}."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fp:
        method_map, options_map = parse_mapping_cfg(fp)
    found = {}
    for folder in ("src", "plugins"):
        for filename, lineno, message, _comments, _context in extract_from_dir(
                ROOT / folder, method_map, options_map):
            singular, plural = message if isinstance(message, tuple) else (message, None)
            found.setdefault(singular, (plural, f"{folder}/{filename}:{lineno}"))
    return found


def french_catalog():
    with FR_PO.open("rb") as fp:
        return read_po(fp, locale="fr", domain="rapact")


def test_the_extraction_finds_the_messages_of_the_core_and_of_the_bundled_plugins():
    found = fresh_extraction()
    assert len(found) > 400
    assert "chapter {id}" in found
    assert found["{count} error"][0] == "{count} errors"
    assert any(where.startswith("plugins/governance/") for _plural, where in found.values())
    assert any(where.startswith("plugins/procurement/") for _plural, where in found.values())


def test_every_message_has_a_french_translation():
    catalog = french_catalog()
    problems = []
    for msgid, (plural, where) in sorted(fresh_extraction().items(), key=lambda item: item[1][1]):
        entry = catalog.get(msgid)
        if entry is None:
            problems.append(f"{where}: not in fr.po: {msgid!r}")
            continue
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if entry.fuzzy or not all(form.strip() for form in forms):
            problems.append(f"{where}: {'fuzzy' if entry.fuzzy else 'untranslated'} in fr.po: {msgid!r}")
        if (plural is None) != (not entry.pluralizable) or (plural and entry.id[1] != plural):
            problems.append(f"{where}: plural form differs from fr.po: {msgid!r}")
    assert not problems, (
        "messages without their French translation; run `pybabel extract` and `pybabel update` "
        "(docs/translations.md), then translate them in fr.po:\n" + "\n".join(problems))


def test_messages_pot_holds_the_messages_of_the_code():
    with (LOCALE / "messages.pot").open("rb") as fp:
        template = read_po(fp)
    stale = sorted(msgid for msgid in fresh_extraction() if template.get(msgid) is None)
    assert not stale, "messages.pot is out of date: run the `pybabel extract` of docs/translations.md"


def _fields(text: str) -> list[str]:
    """The placeholders of a message, as ``.format`` reads them (``{file}``, ``{value!r}``, ``{n:,}``)."""
    return sorted(f"{name}!{conversion}:{spec}" for _literal, name, spec, conversion in string.Formatter().parse(text)
                  if name is not None)


def test_a_translation_has_the_placeholders_of_its_message():
    # .format(file=…, stated=…) on the French text raises KeyError if the translation names a
    # placeholder the code does not give, and loses a value if it leaves one out
    problems = []
    for entry in french_catalog():
        if not entry.id or "python-brace-format" not in entry.flags:
            continue
        if entry.pluralizable:
            singular, plural = entry.id
            expected = [set(_fields(singular)) | set(_fields(plural))] + [set(_fields(plural))] * (
                len(entry.string) - 1)
            for index, (form, allowed) in enumerate(zip(entry.string, expected)):
                fields = set(_fields(form))
                # the first form may say "une ligne" for {count} lines; the others say every value
                if not fields <= allowed or (index and fields != allowed):
                    problems.append(f"{singular!r} [{index}]: {sorted(fields)} for {sorted(allowed)}")
        elif set(_fields(entry.string)) != set(_fields(entry.id)):
            problems.append(f"{entry.id!r}: {_fields(entry.string)} for {_fields(entry.id)}")
    assert not problems, "\n".join(problems)


def test_french_punctuation_is_spaced_with_no_break_spaces():
    # « : », « ; », « ? », « ! » and the guillemets take a no-break space in French, so that a line
    # never starts with a colon; code in backquotes and placeholders are left as they are
    problems = []
    for entry in french_catalog():
        if not entry.id:
            continue
        for form in entry.string if isinstance(entry.string, tuple) else (entry.string,):
            prose = "".join(part for index, part in enumerate(form.split("`")) if index % 2 == 0)
            for index, char in enumerate(prose):
                before = prose[index - 1] if index else ""
                after = prose[index + 1] if index + 1 < len(prose) else ""
                if char in ":;?!»" and before == " ":
                    problems.append(form)
                if char == "«" and after == " ":
                    problems.append(form)
    assert not problems, "\n".join(problems)


def test_the_compiled_catalog_loads_and_says_its_plurals(tmp_path):
    mo = tmp_path / "rapact.mo"
    with mo.open("wb") as fp:
        write_mo(fp, french_catalog())
    with mo.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)
    assert compiled.gettext("chapter {id}") == "chapitre {id}"
    assert compiled.ngettext("{count} error", "{count} errors", 1) == "{count} erreur"
    assert compiled.ngettext("{count} error", "{count} errors", 0) == "{count} erreur"
    assert compiled.ngettext("{count} error", "{count} errors", 3) == "{count} erreurs"
    assert compiled.gettext("Options:") == f"Options{NBSP}:"


@pytest.mark.parametrize("files", [("rapact.po",), ("rapact.po", "rapact.mo")])
def test_french_speaks_with_or_without_the_compiled_catalog(tmp_path, monkeypatch, files):
    # a checkout not yet installed has no .mo: the .po is compiled in memory
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(FR_PO, folder / "rapact.po")
    if "rapact.mo" in files:
        with (folder / "rapact.mo").open("wb") as fp:
            write_mo(fp, french_catalog())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(i18n, "_catalogs", {})
    i18n.choose("fr")
    assert i18n._("chapter {id}").format(id=3) == "chapitre 3"
    assert sorted(p.name for p in folder.iterdir()) == sorted(files)  # nothing written at run time
    i18n.choose("en")
    assert i18n._("chapter {id}").format(id=3) == "chapter 3"


@pytest.mark.parametrize("chosen, environ, report, expected", [
    (None, {}, "fr_BE", "fr"),
    (None, {}, None, "fr"),
    (None, {"LANG": "C.UTF-8"}, "fr_BE", "fr"),
    (None, {"LANG": "en_US.UTF-8"}, "fr_BE", "en"),
    (None, {"LC_ALL": "fr_BE.UTF-8", "LANG": "en_US.UTF-8"}, None, "fr"),
    (None, {"LC_MESSAGES": "en_GB", "LANG": "fr_BE.UTF-8"}, "fr_BE", "en"),
    (None, {"RAPACT_LANG": "en", "LANG": "fr_BE.UTF-8"}, "fr_BE", "en"),
    ("fr", {"RAPACT_LANG": "en", "LANG": "en_US.UTF-8"}, "fr_BE", "fr"),
    ("en", {}, "fr_BE", "en"),
    (None, {"LANG": "de_DE.UTF-8"}, "fr_BE", "fr"),
])
def test_the_language_by_precedence(chosen, environ, report, expected):
    assert i18n.resolve(chosen, environ, report) == expected


def rapact(*args, cwd, env_extra=None, drop=()):
    import os

    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_extra or {})
    return subprocess.run([str(Path(sys.executable).with_name("rapact")), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def test_build_help_is_in_french(french, tmp_path):
    done = rapact("build", "--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = done.stdout
    assert page.startswith(f"Utilisation{NBSP}: rapact build [OPTIONS]")
    assert "Génère le rapport dans le dossier de sortie." in page
    assert f"Options{NBSP}:" in page
    assert "Affiche cette aide." in page
    assert "Rapport définitif" in page
    for english in ("Usage:", "Build the report", "Show this message and exit."):
        assert english not in page


def test_build_help_in_english_on_request(french, tmp_path):
    for args, env in ((("--lang", "en", "build", "--help"), {}), (("build", "--help"), {"LANG": "en_US.UTF-8"})):
        done = rapact(*args, cwd=tmp_path, env_extra=env)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("Usage: rapact build [OPTIONS]")
        assert "Show this message and exit." in done.stdout
        assert "Génère" not in done.stdout


def _check(report_copy, *args, **env):
    return rapact(*args, "check", cwd=report_copy / "reports" / "2021", env_extra=env)


def test_check_on_2021_speaks_french_by_default(french, report_copy):
    # LANG=C.UTF-8 names no language: the report's locale (fr_BE) decides
    done = _check(report_copy)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    findings = [line for line in out.splitlines() if f"{NBSP}: à vérifier{NBSP}: " in line]
    assert len(findings) >= 10
    assert out.count(f"que faire{NBSP}: ") == len(findings)  # each finding says what to do, in French
    assert f"data/governance/bodies.csv:5{NBSP}: à vérifier{NBSP}: Bureau Exécutif{NBSP}: la taille saisie est 6" in out
    assert f"corrigez la taille (colonne taille_indiquee de bodies.csv)" in out
    assert f"dans le rapport{NBSP}: chapitre 5 «{NBSP}Structure de l'intercommunale{NBSP}»" in out
    assert f"ligne 2, Marc Barvais{NBSP}: 9 présences pour 8 réunions listées{NBSP}; total saisi 8" in out
    assert done.stderr.strip().endswith(f"0 erreur, {len(findings)} points à vérifier, 0 à compléter")
    for english in ("warning", "what to do", "in the report", "line 2,"):
        assert english not in out


@pytest.mark.parametrize("args, env", [(("--lang", "en"), {}), ((), {"LANG": "en_US.UTF-8"}),
                                       ((), {"LC_ALL": "en_US.UTF-8", "LANG": "fr_BE.UTF-8"})])
def test_check_on_2021_speaks_english_on_request(french, report_copy, args, env):
    done = _check(report_copy, *args, **env)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "data/governance/bodies.csv:5: warning: Bureau Exécutif: the size typed is 6" in out
    assert "what to do: " in out
    assert "line 2, Marc Barvais: " in out
    assert "que faire" not in out and "à vérifier" not in out
    assert "0 errors, 16 warnings, 0 to complete" in done.stderr


def test_lang_en_on_the_command_line_wins_over_a_french_system(french, report_copy, in_dir, monkeypatch):
    in_dir(report_copy / "reports" / "2021")
    monkeypatch.setenv("LANG", "fr_BE.UTF-8")
    result = CliRunner().invoke(main, ["check", "--lang", "en"])
    assert "what to do: " in result.output
    result = CliRunner().invoke(main, ["check"])
    assert f"que faire{NBSP}: " in result.output
