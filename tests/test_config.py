import pytest

from rapact_core.config import load_config
from rapact_core.errors import RapactError, display_path

BASE = '''
[report]
title = "Rapport"
reference = "R-1"
organisation = "Org"
year = 2021
'''


def errors(tmp_path, text):
    path = tmp_path / "rapact.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RapactError) as info:
        load_config(path)
    return [f.format() for f in info.value.findings], info.value


def test_valid_config_loads(tmp_path):
    (tmp_path / "rapact.toml").write_text(BASE + '\n[[chapters]]\nid = "a"\nenabled = false\n', encoding="utf-8")
    cfg = load_config(tmp_path / "rapact.toml")
    assert cfg.report.year == 2021 and cfg.chapters[0].enabled is False
    assert cfg.formats == ("docx", "pdf")


def test_malformed_toml_names_the_line(tmp_path):
    msgs, exc = errors(tmp_path, BASE + "\n[[chapters]\n")
    assert exc.exit_code == 3
    assert msgs[0].startswith(f"{display_path(tmp_path / 'rapact.toml')}:8: error: invalid TOML: ")


def test_wrong_types_are_not_coerced(tmp_path):
    msgs, _ = errors(tmp_path, BASE.replace("year = 2021", 'year = "2021"') + '\n[[chapters]]\nid = "a"\nenabled = "yes"\n')
    joined = "\n".join(msgs)
    assert "report.year: expected a whole number, found '2021'" in joined
    assert "chapters[0].enabled: expected true or false, found 'yes'" in joined


def test_unknown_keys_and_missing_keys(tmp_path):
    msgs, _ = errors(tmp_path, 'colour = "red"\n' + BASE.replace('reference = "R-1"\n', "")
                     + '\n[[chapters]]\nname = "a"\n')
    joined = "\n".join(msgs)
    assert "colour: unknown key" in joined
    assert "report.reference: required key missing" in joined
    assert "chapters[0].name: unknown key" in joined
    assert "chapters[0].id: required key missing" in joined


def test_duplicate_chapters_and_bad_format(tmp_path):
    msgs, _ = errors(tmp_path, 'formats = ["docx", "odt"]\n' + BASE
                     + '\n[[chapters]]\nid = "a"\n\n[[chapters]]\nid = "a"\n')
    joined = "\n".join(msgs)
    assert "formats[1]: unknown format 'odt'" in joined
    assert "chapters[1].id: chapter 'a' is listed twice" in joined


def test_missing_file(tmp_path):
    with pytest.raises(RapactError) as info:
        load_config(tmp_path / "nope.toml")
    assert "configuration file not found" in str(info.value)


def test_every_error_is_reported_at_once(tmp_path):
    msgs, _ = errors(tmp_path, 'name = 3\n' + BASE.replace("year = 2021", "year = 2021.5"))
    assert len(msgs) == 2


def test_negative_amounts_convention(tmp_path):
    (tmp_path / "rapact.toml").write_text(BASE, encoding="utf-8")
    assert load_config(tmp_path / "rapact.toml").report.negative_amounts == "minus"  # the default
    (tmp_path / "rapact.toml").write_text(BASE + 'negative_amounts = "parentheses"\n', encoding="utf-8")
    assert load_config(tmp_path / "rapact.toml").report.negative_amounts == "parentheses"
    msgs, exc = errors(tmp_path, BASE + 'negative_amounts = "brackets"\n')
    assert exc.exit_code == 3
    assert msgs == [f"{display_path(tmp_path / 'rapact.toml')}:7: error: report.negative_amounts: unknown value "
                    "'brackets' for how negative amounts print: expected \"minus\" (-942 570,79 €) or "
                    "\"parentheses\" ((942 570,79) €)"]
    msgs, _ = errors(tmp_path, BASE + "negative_amounts = true\n")
    assert "report.negative_amounts: expected a quoted string, found True" in "\n".join(msgs)
