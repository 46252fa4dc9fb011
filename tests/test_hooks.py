"""One test per hook of ``rapact_core.hookspecs``, named ``test_hook_<hook>``.

Each exercises its hook through :mod:`rapact_core.testing` with throw-away
plugins (classes whose methods carry ``@hookimpl``), the way a plugin author
would. ``tests/test_docs.py`` checks that every hook has its test here.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from rapact_core import (
    CellKind, ChapterSpec, Col, Column, Custom, Fact, Finding, Level, Paragraph, PluginSpec, RapactError, Row,
    RowRole, SectionSpec, Table, carry, fact, hookimpl, read_table, testing,
)
from rapact_core.formatting import normalise_spaces
from rapact_core.newyear import create_year
from rapact_core.runner import build as run_build

CONFIG = '''
name = "t"
formats = ["docx", "pdf"]
[report]
title = "T"
reference = "T-1"
organisation = "Org"
year = 2021
'''


@pytest.fixture
def report(tmp_path):
    """A throw-away report: write(chapters=…, files={path: text}) returns its rapact.toml."""
    (tmp_path / "data").mkdir()
    (tmp_path / "texts").mkdir()

    def write(chapters: str = "", files: dict[str, str] | None = None):
        for rel, text in (files or {}).items():
            path = tmp_path / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (tmp_path / "rapact.toml").write_text(CONFIG + chapters, encoding="utf-8")
        return tmp_path / "rapact.toml"
    return write


def chapter(result, chapter_id):
    return next(c for c in result.document.chapters if c.id == chapter_id)


class Declares:
    """A plugin that declares a chapter of two sections and answers with paragraphs."""

    def __init__(self, name="decl", position=50, spec=None):
        self.name, self.position, self.spec = name, position, spec

    @hookimpl
    def rapact_declare(self):
        if self.spec is not None:
            return self.spec
        return PluginSpec(
            namespaces=(self.name,),
            chapters=[ChapterSpec(self.name, f"Chapter {self.name}", sections=(f"{self.name}.a", f"{self.name}.b"),
                                  position=self.position)],
            sections=[SectionSpec(f"{self.name}.a", "first"), SectionSpec(f"{self.name}.b", "second")],
            description=f"the {self.name} plugin",
        )

    @hookimpl
    def rapact_section_blocks(self, section):
        return [Paragraph(f"section {section.id} ({section.title})")]


# ---------------------------------------------------------------- rapact_declare


def test_hook_rapact_declare(report):
    plugins = testing.make_plugins({"late": Declares("late", 60), "early": Declares("early", 30)})
    assert plugins.chapters["early"][0] == "early"
    assert plugins.sections["late.b"] == ("late", SectionSpec("late.b", "second"))
    assert plugins.namespaces["early"] == "early"
    assert plugins.loaded["late"].spec.description == "the late plugin"

    # a chapter the configuration does not list is not built
    result = testing.build_result(report(), {"late": Declares("late", 60), "early": Declares("early", 30)})
    assert result.document.chapters == ()
    # listed without saying where (default_position = true), chapters come at their declared position
    at_default = "".join(f'[[chapters]]\nid = "{c}"\ndefault_position = true\n' for c in ("late", "toc", "early"))
    result = testing.build_result(report(at_default), {"late": Declares("late", 60), "early": Declares("early", 30)})
    assert [c.id for c in result.document.chapters] == ["toc", "early", "late"]
    # a chapter without text shows its sections in the declared order
    assert chapter(result, "early").blocks[1:] == (Paragraph("section early.a (first)"),
                                                   Paragraph("section early.b (second)"))
    # the configuration's order and titles win
    cfg = report('[[chapters]]\nid = "late"\ntitle = "Renamed"\n[[chapters]]\nid = "early"\n')
    result = testing.build_result(cfg, {"late": Declares("late", 60), "early": Declares("early", 30)})
    assert testing.headings(result.document) == ["1 Renamed", "2 Chapter early"]

    # something else than a PluginSpec is refused, naming the plugin
    with pytest.raises(RapactError, match=r"\[odd\] rapact_declare returned list, expected rapact_core.PluginSpec"):
        testing.make_plugins({"odd": Declares(spec=[ChapterSpec("x", "X")])})
    # a section another plugin already declared
    with pytest.raises(RapactError, match="section id 'early.a' is already declared by plugin 'early'"):
        testing.make_plugins({"early": Declares("early"), "copy": Declares(spec=PluginSpec(
            sections=[SectionSpec("early.a")]))})


# ---------------------------------------------------------------- rapact_load_data


class Loads:
    """Reads <data>/kpi/values.csv; hands the table to its other hooks."""

    seen_plugin = None

    @hookimpl
    def rapact_declare(self):
        return PluginSpec(namespaces=("kpi",), chapters=[ChapterSpec("kpi", "KPI", sections=("kpi.s",))],
                          sections=[SectionSpec("kpi.s")])

    @hookimpl
    def rapact_load_data(self, ctx):
        type(self).seen_plugin = ctx.plugin
        return read_table(ctx.table_file("kpi/values"), [Col("label"), Col("amount", "decimal")], totals=True)

    @hookimpl
    def rapact_compute(self, data):
        return [fact("kpi.sum", sum(r["amount"] for r in data.rows), CellKind.MONEY)]

    @hookimpl
    def rapact_section_blocks(self, data, facts):
        return [Table([Column("label", "Label"), Column("amount", "Amount", CellKind.MONEY)],
                      [Row([r["label"], r["amount"]]) for r in data.rows],
                      [Row(["Total", facts["kpi.sum"].value], RowRole.TOTAL)], id="kpi")]


KPI = '[[chapters]]\nid = "kpi"\n'


def test_hook_rapact_load_data(report):
    cfg = report(KPI, files={"data/kpi/values.csv": "label;amount\nA;1 000,50 €\nB;2,25\nTotal;1 002,75\n"})
    result = testing.build_result(cfg, {"kpi": Loads()})
    assert Loads.seen_plugin == "kpi"  # ctx is the plugin's own context
    assert result.facts["kpi.sum"].value == Decimal("1002.75")
    assert testing.table_rows(result.document, "kpi") == [
        ["Label", "Amount"], ["A", "1 000,50 €"], ["B", "2,25 €"], ["Total", "1 002,75 €"]]

    # every bad cell is reported with its file, row and column, named after the plugin's data
    cfg = report(KPI, files={"data/kpi/values.csv": "label,amount\nA,lots\n,3\n"})
    with pytest.raises(RapactError) as info:
        testing.build_result(cfg, {"kpi": Loads()})
    located = sorted((f.file.rsplit("/", 1)[-1], f.line, f.field) for f in info.value.findings)
    assert located == [("values.csv", 2, "amount"), ("values.csv", 3, "label")]
    assert "empty cell, expected text" in str(info.value)

    # a missing file names the file the plugin expected
    (cfg.parent / "data/kpi/values.csv").unlink()
    with pytest.raises(RapactError, match=r"kpi/values.csv: error: missing data file"):
        testing.build_result(cfg, {"kpi": Loads()})

    # a plugin's own rule, raised as a RapactError without a file, is tagged with the plugin
    class Picky(Loads):
        @hookimpl
        def rapact_load_data(self, ctx):
            raise RapactError(Finding("the year must be 2022", field="year"))
    with pytest.raises(RapactError) as info:
        testing.build_result(cfg, {"kpi": Picky()})
    assert info.value.findings[0].plugin == "kpi"
    assert "rapact: error: [kpi] year: the year must be 2022" in str(info.value)


# ---------------------------------------------------------------- rapact_compute


class Publishes(Declares):
    def __init__(self, name, compute, requires=()):
        super().__init__(name)
        self.compute, self.requires = compute, requires

    @hookimpl
    def rapact_declare(self):
        spec = super().rapact_declare()
        return PluginSpec(namespaces=spec.namespaces, requires=self.requires, chapters=spec.chapters,
                          sections=spec.sections)

    @hookimpl
    def rapact_compute(self, data, facts, ctx):
        return self.compute(facts, ctx)


def test_hook_rapact_compute(report):
    order = []
    base = Publishes("base", lambda facts, ctx: order.append("base") or [
        fact("base.total", 362, label="Membres"), fact("base.share", Decimal("0.9787"), CellKind.PERCENT, 0)])
    # "reader" reads base's facts: it requires the namespace, so it is computed after it
    reader = Publishes("reader", lambda facts, ctx: order.append("reader") or [
        fact("reader.per_member", facts["base.total"].value * 2 + ctx.year)], requires=("base",))
    cfg = report('[[chapters]]\nid = "reader"\n', files={
        "texts/reader.md": "Members: {{ base.total }} ({{ base.share }}), {{ reader.per_member|number }}.\n"})

    class WithText(Publishes):
        @hookimpl
        def rapact_declare(self):
            return PluginSpec(namespaces=("reader",), requires=("base",),
                              chapters=[ChapterSpec("reader", "Reader", text="reader.md")])
    result = testing.build_result(cfg, {"reader": WithText("reader", reader.compute, ("base",)), "base": base})
    assert order == ["base", "reader"]
    assert result.facts["reader.per_member"].value == 362 * 2 + 2021
    # the narrative formats facts by their kind: 98 % with 0 decimals
    text = chapter(result, "reader").blocks[1]
    assert normalise_spaces(text.content[0].text) == "Members: 362 (98 %), 2 745."

    # without requires, reading another plugin's facts is refused, whatever the plugin order
    early = Publishes("aaa", lambda facts, ctx: [fact("aaa.n", facts["zzz.n"].value)])
    late = Publishes("zzz", lambda facts, ctx: [fact("zzz.n", 1)])
    with pytest.raises(RapactError, match=r"plugin 'aaa' failed in rapact_compute: KeyError: .*reads 'zzz.n' but does not require 'zzz'"):
        testing.build_result(report(), {"aaa": early, "zzz": late})

    # only Fact objects, only in the plugin's namespaces, each name once
    bad = Publishes("bad", lambda facts, ctx: [fact("bad.n", 1), fact("bad.n", 2), 3])
    with pytest.raises(RapactError) as info:
        testing.build_result(report(), {"bad": bad})
    text = str(info.value)
    assert "rapact_compute returned int, expected Fact objects" in text
    assert "fact 'bad.n' is published twice (first by bad)" in text


# ---------------------------------------------------------------- rapact_check


class Checks(Declares):
    def __init__(self, findings):
        super().__init__("chk")
        self.findings = findings

    @hookimpl
    def rapact_compute(self):
        return [fact("chk.stated", 10), fact("chk.computed", 12)]

    @hookimpl
    def rapact_check(self, data, facts, ctx):
        return self.findings(facts, ctx)


def test_hook_rapact_check(report):
    def differ(facts, ctx):
        stated, computed = facts["chk.stated"].value, facts["chk.computed"].value
        if stated != computed:
            return [Finding(f"stated {stated}, computed {computed}", Level.WARNING,
                            file=ctx.data_path("chk.yaml"), line=3, field="total")]
        return []
    cfg = report()
    result = testing.build_result(cfg, {"chk": Checks(differ)})
    [finding] = result.findings
    assert finding.plugin == "chk" and finding.level is Level.WARNING
    assert finding.format().endswith("data/chk.yaml:3: warning: total: stated 10, computed 12")
    assert result.document is not None  # warnings do not stop the build

    # --strict turns findings into failures
    with pytest.raises(RapactError, match="stated 10, computed 12"):
        run_build(cfg, output=cfg.parent / "out", strict=True, plugins=testing.make_plugins({"chk": Checks(differ)}))
    assert not (cfg.parent / "out" / "t.docx").exists()

    # anything else than findings is a plugin error
    with pytest.raises(RapactError, match=r"\[chk\] rapact_check returned str, expected rapact_core.Finding"):
        testing.build_result(cfg, {"chk": Checks(lambda facts, ctx: ["not a finding"])})


# ---------------------------------------------------------------- rapact_section_blocks


class Sections(Declares):
    def __init__(self, blocks):
        super().__init__("sec")
        self.blocks = blocks

    @hookimpl
    def rapact_section_blocks(self, section, data, facts, ctx):
        return self.blocks(section)


def test_hook_rapact_section_blocks(report):
    def blocks(section):
        if section.id == "sec.a":
            return [Paragraph("from a")]
        return [Table([Column("k", "K"), Column("n", "N", CellKind.INTEGER)], [Row(["x", 1000])], id="sec-b")]
    # a chapter's text places sections with {{ section("id") }}, anyone's sections
    both = '[[chapters]]\nid = "mine"\n[[chapters]]\nid = "sec"\n'
    cfg = report(both, files={"texts/mine.md": "Intro.\n\n{{ section(\"sec.b\") }}\n\n## Then\n\n{{ section(\"sec.a\") }}\n"})

    class Narrative:
        @hookimpl
        def rapact_declare(self):
            return PluginSpec(chapters=[ChapterSpec("mine", "Mine", text="mine.md", position=10)])
    result = testing.build_result(cfg, {"sec": Sections(blocks), "nar": Narrative()})
    mine = chapter(result, "mine")
    assert [type(b).__name__ for b in mine.blocks] == ["Heading", "Paragraph", "Table", "Heading", "Paragraph"]
    assert testing.table_rows(result.document, "sec-b")[1] == ["x", "1 000"]
    assert mine.blocks[-1] == Paragraph("from a")
    assert result.document.chapters[-1].blocks[1] == Paragraph("from a")  # and in its own chapter

    # None and non-blocks are errors naming the plugin and the section
    sec = '[[chapters]]\nid = "sec"\n'
    with pytest.raises(RapactError, match=r"\[sec\] section 'sec.a' produced nothing"):
        testing.build_result(report(sec), {"sec": Sections(lambda s: None)})
    with pytest.raises(RapactError, match=r"\[sec\] section 'sec.a': rapact_section_blocks returned a Fact"):
        testing.build_result(report(sec), {"sec": Sections(lambda s: [Fact("sec.n", 1)])})
    # an unknown section in a text is reported with the file
    cfg = report(both, files={"texts/mine.md": "{{ section(\"sec.zzz\") }}\n"})
    with pytest.raises(RapactError, match=r"texts/mine.md.*unknown section 'sec.zzz'"):
        testing.build_result(cfg, {"sec": Sections(blocks), "nar": Narrative()})


# ---------------------------------------------------------------- rapact_render_custom


class Stamp(Declares):
    """Contributes a Custom block and renders it itself, in DOCX and (optionally) PDF."""

    def __init__(self, pdf=True):
        super().__init__("stamp")
        self.pdf = pdf

    @hookimpl
    def rapact_section_blocks(self, section):
        if section.id == "stamp.a":
            return [Custom("stamp", "seal", {"who": "Jeanne Dupont"}, fallback_text="Sceau",
                           alt="Sceau de Jeanne Dupont")]
        return [Paragraph("after the seal")]

    @hookimpl
    def rapact_render_custom(self, block, format, target, ctx):
        assert block.kind == "seal" and ctx.plugin == "stamp"
        text = f"Sceau de {block.data['who']} ({format})"
        if format == "docx":
            target.add_paragraph(text)  # target: the python-docx Document
            return True
        if format == "pdf" and self.pdf:
            from reportlab.lib.styles import getSampleStyleSheet
            from reportlab.platypus import Paragraph as RLParagraph

            target.append(RLParagraph(text, getSampleStyleSheet()["Normal"]))  # target: the flowables list
            return True
        return None


def test_hook_rapact_render_custom(report):
    cfg = report('[[chapters]]\nid = "stamp"\n')
    outcome = run_build(cfg, output=cfg.parent / "out", plugins=testing.make_plugins({"stamp": Stamp()}))
    docx_file, pdf_file = outcome.files
    docx_text, pdf_text = testing.docx_text(docx_file), testing.pdf_text(pdf_file)
    assert "Sceau de Jeanne Dupont (docx)\nafter the seal" in docx_text
    assert "Sceau de Jeanne Dupont (pdf)" in pdf_text
    assert pdf_text.index("Sceau de Jeanne Dupont") < pdf_text.index("after the seal")

    # a plugin that cannot render its block as PDF fails the build, naming it; nothing is written
    with pytest.raises(RapactError) as info:
        run_build(cfg, output=cfg.parent / "out2", plugins=testing.make_plugins({"stamp": Stamp(pdf=False)}))
    assert "plugin 'stamp' cannot render its custom block 'seal' as pdf" in str(info.value)
    assert info.value.findings[0].plugin == "stamp"
    assert not any((cfg.parent / "out2").glob("*.docx"))

    # DOCX only: the same plugin is fine
    outcome = run_build(cfg, output=cfg.parent / "out3", formats=["docx"],
                        plugins=testing.make_plugins({"stamp": Stamp(pdf=False)}))
    assert [p.suffix for p in outcome.files] == [".docx"]

    # a plugin that does not implement the hook at all
    with pytest.raises(RapactError, match="plugin 'stamp' cannot render its custom block 'seal' as (pdf|docx)"):
        run_build(cfg, output=cfg.parent / "out4", plugins=testing.make_plugins({"stamp": Plain()}))


class Plain(Declares):
    """Returns a Custom block but has no rapact_render_custom."""

    def __init__(self):
        super().__init__("stamp")

    @hookimpl
    def rapact_section_blocks(self, section):
        return [Custom("stamp", "seal", alt="Sceau")]


# ---------------------------------------------------------------- rapact_new_year


class CarriesOver(Loads):
    """Keeps the labels of kpi/values.csv for next year, copies its reference list."""

    calls: list = []

    @hookimpl
    def rapact_new_year(self, source, target, year, ctx):
        type(self).calls.append((year, ctx.year, ctx.plugin))
        carry.copy_data(source, target, "kpi/reference.yaml")
        carry.carry_table(source, target, "kpi/values", keep=["label"])


def test_hook_rapact_new_year(tmp_path):
    year_dir = tmp_path / "reports" / "2021"
    (year_dir / "data" / "kpi").mkdir(parents=True)
    (year_dir / "texts").mkdir()
    (year_dir / "rapact.toml").write_text(CONFIG + KPI, encoding="utf-8")
    (year_dir / "data" / "kpi" / "values.csv").write_text("label,amount\nA,10\nB,20\nTotal,30\n", encoding="utf-8")
    (year_dir / "data" / "kpi" / "reference.yaml").write_text("unit: EUR\n", encoding="utf-8")
    (tmp_path / "rapact.toml").write_text('use = "reports/2021/rapact.toml"\n', encoding="utf-8")

    CarriesOver.calls = []
    config = create_year(tmp_path / "rapact.toml", 2022, plugins=testing.make_plugins({"kpi": CarriesOver()}))
    assert config == (tmp_path / "reports" / "2022" / "rapact.toml").resolve()
    assert CarriesOver.calls == [(2022, 2021, "kpi")]  # ctx is the source year's
    data = config.parent / "data" / "kpi"
    assert (data / "reference.yaml").read_text(encoding="utf-8") == "unit: EUR\n"
    assert (data / "values.csv").read_text(encoding="utf-8") == "label,amount\nA,\nB,\n"  # labels, no figures

    # the draft builds: the figures still to fill in print "à compléter" and are on the to-do list
    result = testing.build_result(config, {"kpi": CarriesOver()})
    assert testing.table_rows(result.document, "kpi")[1:] == [["A", "à compléter"], ["B", "à compléter"],
                                                              ["Total", "à compléter"]]
    todo = [f for f in result.findings if f.level is Level.TO_COMPLETE]
    assert [(f.file.rsplit("/", 1)[-1], f.line) for f in todo] == [("values.csv", 2), ("values.csv", 3)]

    # a plugin failing in rapact_new_year is named, and no half-made folder is left
    class Broken(Loads):
        @hookimpl
        def rapact_new_year(self, source):
            raise OSError("disk full")
    with pytest.raises(RapactError, match=r"plugin 'kpi' failed in rapact_new_year: OSError: disk full"):
        create_year(tmp_path / "rapact.toml", 2023, 2021, plugins=testing.make_plugins({"kpi": Broken()}))
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["2021", "2022"]
