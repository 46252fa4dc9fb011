"""Hostile narrative, pictures, template DOCX and configuration: refused at their file and
line with the documented exit code, no traceback, previous report intact (see hostile_kit)."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from hostile_kit import CONFIG, TEXTS, assert_refused, edit, good_outputs, in_report, run_cli, write  # noqa: F401

AVANT_PROPOS = TEXTS / "avant-propos.md"
ANCHOR = "Pour toutes informations"  # line 3 of avant-propos.md


def insert(root: Path, text: str) -> None:
    edit(root, AVANT_PROPOS, ANCHOR, text + " " + ANCHOR)


# ---------------------------------------------------------------- what a template computes

TEMPLATE_CASES = {
    "a power computed at compile time": ("{{ 10 ** (10 ** 9) }}", "a power of about 1,000,000,000 digits"),
    "a power of a power": ("{% set n = 9 ** 9 %}{{ 9 ** n }}", "a power of about 369,693,100 digits"),
    "string repetition": ('{{ "x" * 10**12 }}', "a text or list of 1,000,000,000,000 items: at most 1,048,576"),
    "repetition on the right": ('{{ 10**7 * "ab" }}', "a text or list of 20,000,000 items"),
    "list repetition": ("{{ [1, 2] * 10**9 }}", "a text or list of 2,000,000,000 items"),
    "nested loops over long strings": (
        '{% for a in "x" * 1000 %}{% for b in "y" * 1000 %}{% for c in "z" * 1000 %}{% endfor %}'
        '{% endfor %}{% endfor %}', "the text's loops and calls take more than 100,000 steps"),
    "nested loops over a long list": ('{% for a in "x" * 400 %}{% for b in ("y" * 400)|list %}{% endfor %}'
                                      '{% endfor %}', "loops and calls take more than 100,000 steps"),
    "range is no placeholder": ("{{ range(10**9)|list|length }}", "unknown placeholder 'range'"),
    "macros are no placeholders": ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(40) }}", "unknown placeholder 'f'"),
    "doubling with ~": ('{% set s = "x" * 1000000 %}{{ s ~ s }}', "a text or list of 2,000,000 items"),
    "doubling with +": ('{% set s = "x" * 1000000 %}{{ s + s }}', "a text or list of 2,000,000 items"),
    "list doubling": ('{% set s = ("x" * 1000000)|list %}{{ (s + s)|length }}', "a text or list of 2,000,000"),
    "squaring a big number": ("{% set n = 10 ** 60 %}{{ n * n }}", "a whole number of more than 100 digits"),
    "a wide printf format": ('{{ "%999999999d" % 1 }}', "a format with a width or precision of a million or more"),
    "a str method that pads": ('{{ "x".ljust(10**9) }}', "the text method .ljust() is not available"),
    "a wide str.format": ('{{ "{:>999999999}".format(1) }}', "a format with a width of a million or more"),
    "join with a huge separator": ('{{ ("x" * 100000)|list|join("y" * 100000) }}', "a text or list of 10,000,"),
    "replace that multiplies": ('{{ ("x" * 100000)|replace("x", "y" * 1000) }}', "a text or list of 100,000,000"),
    "a filter that pads": ('{{ "x"|center(10**9) }}', "No filter named 'center'"),
    "a filter that indents": ('{{ "x"|indent(10**9) }}', "No filter named 'indent'"),
    "a filter option too big": ("{{ [1, 2]|batch(10**9)|list }}", "a filter option of 1,000,000,000"),
    "a text that grows beyond the cap": ('{% for a in "x" * 100 %}{% for b in "y" * 100 %}{{ "z" * 200 }}'
                                         '{% endfor %}{% endfor %}', "the text grows beyond 1,048,576 characters"),
    "brackets nested 3,000 deep": ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}",
                                   "the text holds brackets nested more than 100 deep"),
    "a tag of 60,000 signs": ("{{ 1" + " + 1" * 30_000 + " }}",
                              "the text holds a placeholder or tag of more than 1,000 words and signs"),
    "3,000 filters in a row": ("{{ 1" + "|abs" * 3000 + " }}", "a placeholder or tag of more than 1,000"),
    "a 5,000-digit literal": ("{{ " + "9" * 5000 + " }}", "the text holds a number of more than 100 digits"),
}


@pytest.mark.parametrize("case", list(TEMPLATE_CASES))
def test_template_computations_are_bounded(case, report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    text, expected = TEMPLATE_CASES[case]
    insert(root, text)
    started = time.monotonic()
    assert_refused(root, good_outputs, 1, ["reports/2021/texts/avant-propos.md:3: error: ", expected])
    assert time.monotonic() - started < 30


def test_small_computations_still_work(report_copy, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    insert(root, '{{ 2 ** 10 }}-{{ "ab" * 3 }}-{% for i in [0, 1, 2] %}{{ i }}{% endfor %}-{{ [1, 2]|join(",") }}'
                 '-{{ "a-b"|replace("-", "+") }}-{{ "x".upper() }}-{{ "%05d" % 42 }}-{{ members.total|abs }}')
    result = run_cli(root, ["build", "--format", "docx"])
    assert result.exit_code == 0, result.output
    from docx import Document

    text = "\n".join(p.text for p in Document(root / "output" / "rapport-activites-2021.docx").paragraphs)
    assert "1\u202f024-ababab-012-1,2-a+b-X-00042-362 " + ANCHOR in text


# ---------------------------------------------------------------- Markdown

def test_a_markdown_file_over_its_cap(report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    write(root, TEXTS / "annexes.md", ("Un paragraphe ordinaire.\n\n" * 45_000))
    assert_refused(root, good_outputs, 1, "reports/2021/texts/annexes.md: error: the text is 1,170,000 bytes long: a "
                                          "chapter may hold at most 1,048,576")


@pytest.mark.parametrize("size", [50_001, 300_000, 5_000_000])
def test_a_paragraph_over_its_cap(size, report_copy, good_outputs, monkeypatch):
    """A paragraph of a few hundred kilobytes took minutes to lay out in the PDF: refused at
    once, at its line (5 MB is also over the file's cap)."""
    root = in_report(report_copy, monkeypatch)
    paragraph = ("Un mot de texte assez ordinaire " * (size // 32 + 1))[:size - 1] + "."
    edit(root, TEXTS / "annexes.md", "{{ section(\"members.registry\") }}",
         "{{ section(\"members.registry\") }}\n\n" + paragraph)
    started = time.monotonic()
    expected = (f"reports/2021/texts/annexes.md:8: error: a paragraph of {size:,} characters: at most 50,000; split it"
                if size < 1 << 20 else "reports/2021/texts/annexes.md: error: the text is 5,000,")
    assert_refused(root, good_outputs, 1, expected)
    assert time.monotonic() - started < 30


def test_a_paragraph_at_its_cap_is_built(report_copy, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    paragraph = ("Un mot de texte assez ordinaire " * 1600)[:50_000].strip()
    edit(root, TEXTS / "annexes.md", "Les annexes", paragraph + "\n\nLes annexes")
    started = time.monotonic()
    result = run_cli(root, ["build", "--format", "pdf"])
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 60


MARKDOWN_CASES = {
    "3,000 nested emphasis marks": ("*" * 3000 + "x" + "*" * 3000,
                                    "avant-propos.md:3: error: lists, quotations or emphasis nested more than 100"),
    "nested strong and emphasis": ("***" * 200 + "x" + "***" * 200, "avant-propos.md:3: error: lists, quotations or "
                                                                  "emphasis nested"),
    "a control character": ("a\x0bb", "avant-propos.md:3: error: the text holds a control character U+000B"),
}


@pytest.mark.parametrize("case", list(MARKDOWN_CASES))
def test_hostile_markdown(case, report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    text, expected = MARKDOWN_CASES[case]
    insert(root, text)
    assert_refused(root, good_outputs, 1, "reports/2021/texts/" + expected)


# ---------------------------------------------------------------- lines after {{ section() }}

def _append_line(root: Path, rel, line_no: int, text: str) -> None:
    p = root / rel
    lines = p.read_text(encoding="utf-8").splitlines()
    assert len(lines) < line_no
    lines += [""] * (line_no - 1 - len(lines)) + [text]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("line_no, text, expected", [
    (47, "[x](file:///etc/passwd)", "link target 'file:///etc/passwd' is not allowed"),
    (50, "<div>raw</div>", "raw HTML is not supported in the narrative"),
    (48, "# Titre", "a single '#' heading is not allowed"),
    (52, "a\x0cb", "the text holds a control character U+000C"),
])
def test_lines_after_eight_sections_are_the_source_lines(line_no, text, expected, report_copy, good_outputs,
                                                         monkeypatch):
    """participation.md calls section() eight times; each used to shift later lines by 4."""
    root = in_report(report_copy, monkeypatch)
    _append_line(root, TEXTS / "participation.md", line_no, text)
    assert_refused(root, good_outputs, 1, f"reports/2021/texts/participation.md:{line_no}: error: {expected}")


def test_a_line_between_two_sections(report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    edit(root, TEXTS / "participation.md", "Répartition des", "<b>x</b>\n\n<div>Répartition</div>\n\nRépartition des")
    output = assert_refused(root, good_outputs, 1, "reports/2021/texts/participation.md:9: error: raw HTML")
    assert "participation.md:13" not in output


# ---------------------------------------------------------------- pictures

def _picture(root: Path, name: str, markdown_line: bool = True) -> None:
    if markdown_line:
        edit(root, AVANT_PROPOS, ANCHOR, f"![logo]({name})\n\n" + ANCHOR)


PICTURE_CASES = {
    "not an image": ("logo.png", lambda p: p.write_text("not an image"),
                     "avant-propos.md:3: error: picture 'logo.png' is not an image that documents can hold"),
    "a truncated PNG": ("logo.png", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"),
                        "avant-propos.md:3: error: picture 'logo.png' is not an image"),
    "an SVG": ("logo.svg", lambda p: p.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>"),
               "avant-propos.md:3: error: picture 'logo.svg' is not an image"),
    "too many pixels": ("big.png", lambda p: _png(p, 8000, 7000),
                        "avant-propos.md:3: error: picture 'big.png' has 8,000 x 7,000 pixels: at most 50,000,000"),
    "outside the report": ("../../../../etc/passwd", None,
                           "avant-propos.md:3: error: picture '../../../../etc/passwd' is outside the report folder"),
    "a link out of the report": ("logo.png", lambda p: p.symlink_to("/etc/passwd"),
                                 "avant-propos.md:3: error: picture 'logo.png' is a symbolic link to a place outside "
                                 "reports/2021"),
    "a link loop": ("logo.png", lambda p: p.symlink_to("logo.png"),
                    "avant-propos.md:3: error: picture 'logo.png' is a symbolic link that leads back to itself"),
    "missing": ("nowhere.png", None, "avant-propos.md:3: error: picture 'nowhere.png' not found"),
}


def _png(path: Path, width: int, height: int) -> None:
    from PIL import Image

    Image.new("1", (width, height)).save(path)


@pytest.mark.parametrize("case", list(PICTURE_CASES))
def test_hostile_pictures(case, report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    name, make, expected = PICTURE_CASES[case]
    if make is not None:
        make(root / "reports" / "2021" / name)
    _picture(root, name)
    output = assert_refused(root, good_outputs, 1, "reports/2021/texts/" + expected)
    assert "root:x" not in output


def test_a_logo_that_is_not_an_image(report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    write(root, "reports/2021/logo.png", "GIF89a, then nothing")
    edit(root, CONFIG, "locale = ", 'logo = "logo.png"\nlocale = ')
    assert_refused(root, good_outputs, 1, "reports/2021/rapact.toml:18: error: report.logo: picture 'logo.png' is not "
                                          "an image")


def test_a_real_picture_is_embedded(report_copy, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    _png(root / "reports" / "2021" / "logo.png", 40, 20)
    _picture(root, "logo.png")
    result = run_cli(root, ["build", "--format", "docx"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(root / "output" / "rapport-activites-2021.docx") as zf:
        assert any(n.startswith("word/media/") and n.endswith(".png") for n in zf.namelist())


# ---------------------------------------------------------------- the template DOCX

REFERENCE = Path(__file__).resolve().parents[1] / "src" / "rapact_core" / "render" / "templates" / "reference.docx"


def _template(root: Path, rewrite) -> None:
    src = zipfile.ZipFile(REFERENCE)
    with zipfile.ZipFile(root / "reports" / "2021" / "ref.docx", "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            rewrite(dst, name, src.read(name))
    edit(root, CONFIG, "# template =", 'template = "ref.docx"\n#')


def _styles_not_xml(dst, name, data):
    dst.writestr(name, b"<w:styles><oops" if name == "word/styles.xml" else data)


def _theme_bomb(dst, name, data):
    if name != "word/theme/theme1.xml":
        dst.writestr(name, data)
        return
    with dst.open(name, "w") as part:
        for _ in range(110):
            part.write(b" " * (1 << 20))


def _many_parts(dst, name, data):
    dst.writestr(name, data)
    if name == "word/styles.xml":
        for i in range(1000):
            dst.writestr(f"customXml/item{i}.bin", b"")


LAUGHS = b'<!DOCTYPE w:document [<!ENTITY l0 "ha">' + b"".join(
    b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10)) + b"]>"


def _entity_bomb(dst, name, data):
    if name == "word/document.xml":  # a billion laughs, in the body rapact discards
        data = data.replace(b"?>\n", b"?>\n" + LAUGHS, 1).replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>&l9;</w:t>"
                                                                          b"</w:r></w:p>", 1)
    dst.writestr(name, data)


def _settings_not_settings(dst, name, data):
    dst.writestr(name, b"<lolz/>" if name == "word/settings.xml" else data)


TEMPLATE_DOCX_CASES = {
    "styles.xml that is not XML": (_styles_not_xml, "reports/2021/ref.docx: error: the template's part "
                                                    "word/styles.xml is not valid XML"),
    "a theme inflating beyond the cap": (_theme_bomb, "reports/2021/ref.docx: error: the template holds 110 MB once "
                                                      "uncompressed (word/theme/theme1.xml: 110 MB): at most 100 MB"),
    "too many parts": (_many_parts, "reports/2021/ref.docx: error: the template holds 1,012 parts"),
    "a billion laughs": (_entity_bomb, "reports/2021/ref.docx: error: the template's part word/document.xml is not "
                                       "valid XML (Maximum entity amplification factor exceeded"),
    "settings that are not Word's": (_settings_not_settings, "reports/2021/ref.docx: error: the template's part "
                                                             "word/settings.xml is not Word's settings (it holds "
                                                             "<lolz>)"),
}


@pytest.mark.parametrize("case", list(TEMPLATE_DOCX_CASES))
def test_hostile_template_docx(case, report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    rewrite, expected = TEMPLATE_DOCX_CASES[case]
    _template(root, rewrite)
    assert (root / "reports" / "2021" / "ref.docx").stat().st_size < 1 << 20
    started = time.monotonic()
    assert_refused(root, good_outputs, 1, expected)
    assert time.monotonic() - started < 60


# ---------------------------------------------------------------- configuration

CONFIG_CASES = {
    "a control character in the title": (
        ('title = "Rapport', 'title = "Rap\\u0007port'),
        "reports/2021/rapact.toml:14: error: report.title: the text holds a control character (U+0007"),
    "a control character in a signatory": (
        ('name = "Frédéric Rasic"', 'name = "Fré\\u0001déric"'),
        "reports/2021/rapact.toml:27: error: report.signatories[1].name: the text holds a control character"),
    "a control character in a chapter title": (
        ('id = "structure"', 'id = "structure"\ntitle = "Stru\\u001bcture"'),
        "reports/2021/rapact.toml:51: error: chapters[5].title: the text holds a control character (U+001B"),
    "formats = []": (('formats = ["docx", "pdf", "html"]', "formats = []"),
                     "reports/2021/rapact.toml:10: error: formats: no format to build"),
    "a name too long for a temporary file": (
        ('name = "rapport-activites-2021"', 'name = "' + "r" * 250 + '"'),
        "reports/2021/rapact.toml:6: error: name: the output name is 250 bytes long"),
    "a name long in bytes, not in characters": (
        ('name = "rapport-activites-2021"', 'name = "' + "é" * 120 + '"'),
        "reports/2021/rapact.toml:6: error: name: the output name is 240 bytes long"),
}


@pytest.mark.parametrize("case", list(CONFIG_CASES))
def test_hostile_configuration(case, report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    (old, new), expected = CONFIG_CASES[case]
    edit(root, CONFIG, old, new)
    assert_refused(root, good_outputs, 3, expected)


@pytest.mark.parametrize("target", ["../../etc/rapact.toml", "/etc/rapact.toml", "reports/../../x/rapact.toml"])
def test_use_outside_the_report_tree(target, report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    write(root, "rapact.toml", f'# the latest year\nuse = "{target}"\n')
    assert_refused(root, good_outputs, 3, f"rapact.toml:2: error: use: configuration '{target}' is outside the "
                                          "report folder")


def test_use_through_a_link_out_of_the_tree(report_copy, good_outputs, monkeypatch):
    root = in_report(report_copy, monkeypatch)
    (root / "elsewhere").symlink_to("/etc")
    write(root, "rapact.toml", 'use = "elsewhere/rapact.toml"\n')
    assert_refused(root, good_outputs, 3, "rapact.toml:1: error: use: configuration 'elsewhere/rapact.toml' is a "
                                          "symbolic link to a place outside")


# ---------------------------------------------------------------- the documented caps are the enforced ones

def test_docs_list_every_cap_with_its_value():
    from rapact_core import limits

    rows = {}
    for line in (Path(__file__).resolve().parents[1] / "docs" / "limits.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3:
            rows[cells[0]] = cells[1]
    mb = lambda n: f"{n >> 20} MB"  # noqa: E731
    expected = {
        "rows of a CSV file or of an XLSX sheet": f"{limits.MAX_TABLE_ROWS:,}",
        "size of a CSV file": mb(limits.MAX_CSV_BYTES),
        "an XLSX workbook once uncompressed": mb(limits.MAX_XLSX_UNCOMPRESSED_BYTES),
        "digits of a number in a data file": str(limits.MAX_NUMBER_DIGITS),
        "size of a YAML data file": mb(limits.MAX_YAML_BYTES),
        "values in a YAML file": f"{limits.MAX_YAML_NODES:,}",
        "nesting (YAML, Markdown, template brackets)": f"{limits.MAX_NESTING} levels",
        "a chapter's Markdown file, and its text once filled in": mb(limits.MAX_MARKDOWN_BYTES),
        "one paragraph, list item, heading or quotation": f"{limits.MAX_PARAGRAPH_CHARS:,} characters",
        "one `{{ … }}` or `{% … %}` tag": f"{limits.MAX_TAG_TOKENS:,} words and signs",
        "steps of a chapter's template": f"{limits.MAX_TEMPLATE_STEPS:,}",
        "a string or list a template builds": mb(limits.MAX_TEMPLATE_SIZE),
        "a whole number a template computes": f"{limits.MAX_TEMPLATE_DIGITS} digits",
        "pixels of a picture": f"{limits.MAX_PICTURE_PIXELS // 1_000_000} million",
        "parts of the template DOCX": f"{limits.MAX_TEMPLATE_PARTS:,}",
        "the template DOCX once uncompressed": mb(limits.MAX_TEMPLATE_UNCOMPRESSED_BYTES),
        "the configured output `name`": f"{limits.MAX_NAME_BYTES} bytes",
    }
    assert {k: rows.get(k) for k in expected} == expected
    caps = {name for name in vars(limits) if name.startswith("MAX_")}
    source = (Path(limits.__file__)).read_text(encoding="utf-8")
    for name in caps:  # each cap is a documented constant: a comment says why, just above it
        before = source[: source.index(f"\n{name} = ")].rstrip().splitlines()[-1]
        assert before.startswith("#"), name
