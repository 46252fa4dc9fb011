"""One build: configure → load → compute facts → check → chapters → document.

Errors found in one phase are all collected before the build stops, so an
editor sees every bad cell of every file in one run.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from attrs import field, frozen

from . import model as m
from .accessibility import accessibility_findings
from .config import Config, key_line
from .context import BuildContext, inside
from .data import collect_todos, todo
from .errors import Finding, Level, RapactError, display_path
from .facts import FactStore, FactView
from .narrative import markdown_to_blocks, read_text_file, render_template, render_text
from .i18n import N_, _, quoted
from .pictures import check_picture
from .places import ReportIndex, SectionPlace, TextSource, locate, sentence_around
from .numbering import number_document, unresolved_refs
from .plugins import Plugins
from .specs import ChapterSpec


@frozen
class PlannedChapter:
    """A chapter of the build: ``listed`` by the configuration, or only offered
    by an installed plugin (then never built)."""

    id: str
    plugin: str
    spec: ChapterSpec
    enabled: bool
    title: str
    listed: bool

    def hint(self, config_file: str) -> str:
        """What to add to the configuration to build a chapter it does not list."""
        return _("plugin {plugin} offers chapter {chapter}, not listed in {config}: add `[[chapters]] id = "
                 "\"{id}\"` to include it (where it should appear, or with `default_position = true` at its "
                 "default position, {position})").format(plugin=quoted(self.plugin), chapter=quoted(self.id),
                                                          config=config_file, id=self.id, position=self.spec.position)


@frozen
class BuildResult:
    document: m.Document | None
    facts: FactView
    findings: tuple[Finding, ...] = field(converter=tuple)
    chapters: tuple[PlannedChapter, ...] = field(converter=tuple, factory=tuple)
    #: the built report's chapters, sections and texts, to say where a finding is in the report
    index: ReportIndex | None = None

    @property
    def errors(self):
        return [f for f in self.findings if f.is_error]


def make_context(config: Config) -> BuildContext:
    folder = config.folder
    shown = display_path(config.path) if config.path else None
    data_dir = inside(folder, config.data, what=N_("data folder"), file=shown, field="data")
    texts_dir = inside(folder, config.texts, what=N_("texts folder"), file=shown, field="texts")
    problems = []
    if not data_dir.is_dir():
        problems.append(Finding(_("data folder {folder} does not exist").format(folder=display_path(data_dir)),
                                file=shown, field="data"))
    if not texts_dir.is_dir():
        problems.append(Finding(_("texts folder {folder} does not exist").format(folder=display_path(texts_dir)),
                                file=shown, field="texts"))
    if problems:
        raise RapactError(problems)
    return BuildContext(config, folder, data_dir, texts_dir)


def plan_chapters(config: Config, plugins: Plugins, disabled: Iterable[str] = ()) -> list[PlannedChapter]:
    """The chapters in display order: the configuration's, with those it lists
    with ``default_position = true`` at their declared position; then, not
    enabled and never built, the chapters plugins offer that it does not list
    (installing a plugin must not change a report)."""
    disabled = list(disabled)
    known = plugins.chapters
    shown = display_path(config.path) if config.path else "rapact.toml"
    problems = []
    valid = ", ".join(sorted(known))
    for i, ch in enumerate(config.chapters):
        if ch.id not in known:
            problems.append(Finding(_("unknown chapter {id}; valid chapters: {valid}").format(
                                        id=quoted(ch.id), valid=valid),
                                    file=shown, field=f"chapters[{i}].id"))
    for name in disabled:
        if name not in known:
            problems.append(Finding(_("unknown chapter {id} in --disable; valid chapters: {valid}").format(
                id=quoted(name), valid=valid)))
    if problems:
        raise RapactError(problems, exit_code=3)

    def planned(c) -> PlannedChapter:
        plugin, spec = known[c.id]
        return PlannedChapter(c.id, plugin, spec, c.enabled and c.id not in disabled, c.title or spec.title, True)

    result = [planned(c) for c in config.chapters if not c.default_position]
    for c in sorted((c for c in config.chapters if c.default_position), key=lambda c: (known[c.id][1].position, c.id)):
        chapter = planned(c)
        index = next((i for i, p in enumerate(result) if p.spec.position > chapter.spec.position), len(result))
        result.insert(index, chapter)
    listed = {c.id for c in config.chapters}
    result += [PlannedChapter(cid, plugin, spec, False, spec.title, False)
               for cid, (plugin, spec) in sorted(known.items(), key=lambda kv: (kv[1][1].position, kv[0]))
               if cid not in listed]
    return result


def unlisted_hints(config: Config, planned: Iterable[PlannedChapter]) -> list[str]:
    """One line per chapter offered by a plugin but not listed: how to include it."""
    shown = display_path(config.path) if config.path else "rapact.toml"
    return [ch.hint(shown) for ch in planned if not ch.listed]


def load_all(plugins: Plugins, ctx: BuildContext) -> dict[str, object]:
    data, problems = {}, []
    for name in sorted(plugins.loaded):
        try:
            data[name] = plugins.rapact_load_data(name, ctx=ctx.for_plugin(name))
        except RapactError as exc:
            problems.extend(exc.findings)
    if problems:
        raise RapactError(problems)
    return data


def compute_all(plugins: Plugins, ctx: BuildContext, data: dict) -> tuple[FactView, dict[str, object]]:
    """Every plugin's facts, and what each derived while computing (by plugin name)."""
    store = FactStore()
    derived: dict[str, object] = {}
    problems = []
    failed: set[str] = set()
    for name in plugins.compute_order():
        spec = plugins.loaded[name].spec
        if any(plugins.namespaces[ns] in failed for ns in spec.requires):
            failed.add(name)
            continue
        try:
            visible = tuple(spec.requires) + tuple(spec.namespaces)
            result = plugins.rapact_compute(name, data=data.get(name), facts=store.view(visible, name),
                                            ctx=ctx.for_plugin(name))
            store.publish(name, spec.namespaces, list(result.facts))
            derived[name] = result.derived
        except RapactError as exc:
            failed.add(name)
            problems.extend(exc.findings)
    if problems:
        raise RapactError(problems)
    return store.view(), derived


def check_all(plugins: Plugins, ctx: BuildContext, data: dict, facts: FactView,
              derived: dict | None = None) -> list[Finding]:
    findings = []
    for name in sorted(plugins.loaded):
        findings += plugins.rapact_check(name, data=data.get(name), facts=facts, ctx=ctx.for_plugin(name),
                                         derived=(derived or {}).get(name))
    return findings


def chapter_blocks(plugins: Plugins, ctx: BuildContext, data: dict, facts: FactView,
                   chapter: PlannedChapter, derived: dict | None = None, *,
                   texts: list[TextSource] | None = None, shown: dict[str, list] | None = None) -> list:
    """The chapter's blocks. ``texts`` receives its narrative's source, ``shown`` each
    section's blocks by section id (where findings about them point in the report)."""
    disabled = set(ctx.config.disabled_plugins)
    derived = derived or {}

    def sections(section_id: str) -> list:
        if section_id not in plugins.sections and section_id.split(".", 1)[0] in disabled:
            return []  # the section of a plugin the configuration disabled
        owner = plugins.sections[section_id][0]
        blocks = plugins.section_blocks(section_id, data=data.get(owner), facts=facts, ctx=ctx.for_plugin(owner),
                                        derived=derived.get(owner))
        if shown is not None:
            shown.setdefault(section_id, blocks)
        return blocks

    title = _render_title(chapter.title, ctx, facts, chapter)
    heading = m.Heading(1, title, id=chapter.id, numbered=chapter.spec.numbered, in_toc=chapter.spec.in_toc)
    blocks: list = [heading]
    if chapter.spec.text:
        path = _text_path(plugins, ctx, chapter)
        source = read_text_file(path)
        shown_path = display_path(path)
        if texts is not None:
            texts.append(TextSource(chapter.id, shown_path, source))
        text = render_text(source, file=shown_path, facts=facts, year=ctx.year,
                           sections=lambda sid: sid in plugins.sections or sid.split(".", 1)[0] in disabled)

        def on_image(picture: str, line: int | None) -> None:
            problems = check_picture(ctx, picture, file=shown_path, line=line)
            if problems:
                raise RapactError(problems)

        blocks.extend(markdown_to_blocks(text.text, file=shown_path, section_blocks=sections,
                                         line_map=text.source_line, on_image=on_image))
    else:
        for section_id in chapter.spec.sections:
            blocks.extend(sections(section_id))
    return blocks


def _text_path(plugins: Plugins, ctx: BuildContext, chapter: PlannedChapter) -> Path:
    """The chapter's Markdown: the report's own (``texts/``), else the plugin's default
    (a ``texts/`` folder next to the plugin's module)."""
    path = inside(ctx.texts_dir, chapter.spec.text, what=N_("narrative file"))
    if path.is_file():
        return path
    module_file = getattr(plugins.loaded[chapter.plugin].obj, "__file__", None)
    if module_file:
        default = Path(module_file).parent / "texts" / chapter.spec.text
        if default.is_file():
            return default
    return path


def _render_title(title: str, ctx: BuildContext, facts: FactView, chapter: PlannedChapter) -> str:
    if "{" not in title:
        return title
    shown = display_path(ctx.config.path) if ctx.config.path else "rapact.toml"
    text = render_template(title, file=shown, facts=facts, year=ctx.year, sections=lambda s: False).strip()
    if "\u2063" in text:  # what ref() prints: a title is plain text
        raise RapactError(Finding(_("chapter {id}: ref() cannot be used in a chapter title").format(
            id=quoted(chapter.id)), file=shown))
    return text


def _check_pictures(ctx: BuildContext, chapters) -> list[Finding]:
    """Every picture must be an image file inside the report folder: no ``..`` escapes,
    no links out of it. The narrative's own were checked at their line already."""
    problems = []
    paths = [(b.path, _("chapter {id}").format(id=c.id)) for c in chapters for b in c.blocks
             if isinstance(b, m.Image)]
    for path, where in paths:
        problems.extend(check_picture(ctx, path, field=where))
    if ctx.config.report.logo:
        shown = display_path(ctx.config.path) if ctx.config.path else "rapact.toml"
        problems.extend(check_picture(ctx, ctx.config.report.logo, file=shown,
                                      line=key_line(ctx.config.path, "report.logo"), field="report.logo"))
    return problems


def _check_custom_blocks(chapters) -> list[Finding]:
    """Every ``Custom`` block needs its ``alt`` text: the tagged PDF reads a plugin's
    own drawing as a figure, which PDF/UA (and a reader who cannot see it) needs described."""
    return [Finding(_("custom block {kind} has no alt text: give Custom(..., alt=\"...\") a short description of "
                      "what it shows, for readers who cannot see it (the PDF reads it as a figure)").format(
                          kind=quoted(b.kind)),
                    field=_("chapter {id}").format(id=c.id), plugin=b.plugin)
            for c in chapters for b in c.blocks if isinstance(b, m.Custom) and not b.alt.strip()]


def _build_date(config: Config):
    """The report's date: the configuration's, else SOURCE_DATE_EPOCH (reproducible builds)."""
    if config.report.date is not None:
        return config.report.date
    import datetime as dt
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return None


def make_meta(config: Config) -> m.Meta:
    r = config.report
    return m.Meta(
        title=r.title, reference=r.reference, organisation=r.organisation, year=r.year,
        locale=r.locale, subject=r.subject or r.title,
        signatories=tuple(m.Signatory(s.name, s.role) for s in r.signatories),
        logo=r.logo, date=_build_date(config), negative_amounts=r.negative_amounts,
    )


def build_document(config: Config, plugins: Plugins, *, disabled: Iterable[str] = (),
                   render_chapters: bool = True) -> BuildResult:
    """Run every phase; raise RapactError with all the errors of the failing phase."""
    ctx = make_context(config)
    planned = plan_chapters(config, plugins, disabled)
    with collect_todos() as todos:
        data = load_all(plugins, ctx)
        facts, derived = compute_all(plugins, ctx, data)
        findings = check_all(plugins, ctx, data, facts, derived)
    findings = list(todos) + findings
    if not render_chapters:
        return BuildResult(None, facts, findings, planned)
    chapters, problems, texts, places = [], [], [], {}
    for ch in planned:
        if not ch.enabled:
            continue
        shown: dict[str, list] = {}
        try:
            blocks = tuple(chapter_blocks(plugins, ctx, data, facts, ch, derived, texts=texts, shown=shown))
        except RapactError as exc:
            problems.extend(exc.findings)
            continue
        chapters.append(m.Chapter(ch.id, ch.title, blocks, ch.plugin, ch.spec.numbered))
        places.update(_section_places(ch.id, blocks, shown, places))
    problems.extend(_check_pictures(ctx, chapters))
    problems.extend(_check_custom_blocks(chapters))
    if problems:
        raise RapactError(problems)
    doc = number_document(m.Document(make_meta(config), tuple(chapters)), absent=set(config.disabled_plugins))
    index = ReportIndex(doc, places, texts)
    previous = ctx.previous()
    findings += typed_number_findings(texts, index, ctx.year, previous.texts_dir if previous else None)
    findings += unresolved_refs(doc)
    findings += accessibility_findings(chapters)
    return BuildResult(doc, facts, locate(findings, index), planned, index)


def _previous_lines(previous_texts: Path | None, file: str) -> set[str]:
    """The lines of the previous year's text of the same name, if any."""
    if previous_texts is None:
        return set()
    path = previous_texts / Path(file).name
    try:
        return set(path.read_text(encoding="utf-8-sig").splitlines()) if path.is_file() else set()
    except (OSError, UnicodeDecodeError):
        return set()


def _section_places(chapter: str, blocks: tuple, shown: dict[str, list], known: dict) -> dict[str, SectionPlace]:
    """Where each section's blocks stand in the chapter (the first place a section is shown)."""
    positions = {id(b): i for i, b in enumerate(blocks)}
    out = {}
    for section_id, section_blocks in shown.items():
        found = [positions[id(b)] for b in section_blocks if id(b) in positions]
        if found and section_id not in known:
            out[section_id] = SectionPlace(chapter, min(found), max(found) + 1)
    return out


def typed_number_findings(texts: list[TextSource], index: ReportIndex, year: int,
                          previous_texts: Path | None = None) -> list[Finding]:
    """One warning per number typed by hand in a narrative (:mod:`rapact_core.typed_numbers`).

    A number on a line carried over unchanged from the previous year's text
    (``rapact new-year`` copies the texts) is on the to-do list instead: the
    figure of last year, to check for this one.
    """
    from .typed_numbers import typed_numbers

    out = []
    for text in texts:
        lines = text.source.splitlines()
        carried = _previous_lines(previous_texts, text.file)
        for typed in typed_numbers(text.source, year):
            if lines[typed.line - 1] in carried:
                out.append(todo(
                    _("figure typed by hand in last year's text, carried over: {number}").format(number=typed.text),
                    file=text.file, line=typed.line, hint=_(
                        "check it for {year}; better, link it to a figure of the data ({{{{ … }}}}), or mark it as "
                        "text ({{{{ \"{number}\"|texte }}}}) if it is no figure").format(year=year, number=typed.text),
                    where=_place(index.heading_at(text, typed.line),
                                 sentence_around(lines[typed.line - 1], typed.column))))
                continue
            if typed.is_year:
                message = _("year typed by hand: {number}").format(number=typed.text)
                hint = _("if it is the report's year or a year next to it, write it {{{{ report.year }}}} "
                         "(or {{{{ report.year - 1 }}}}, {{{{ report.year + 1 }}}}) so that next year's report "
                         "moves on; if it is a fixed date, mark it as text: {{{{ \"{number}\"|texte }}}}"
                         ).format(number=typed.text)
            else:
                message = _("number typed by hand: {number}").format(number=typed.text)
                hint = _("link it to a figure of the data, {{{{ … }}}} (`rapact check --facts` lists them), or "
                         "mark it as text: {{{{ \"{number}\"|texte }}}}").format(number=typed.text)
            where = index.heading_at(text, typed.line)
            sentence = sentence_around(lines[typed.line - 1], typed.column)
            out.append(Finding(message, Level.WARNING, text.file, typed.line, hint=hint,
                               where=_place(where, sentence)))
    return out


def _place(heading: str, sentence: str) -> str:
    """Where a typed number is: "chapter 3 “Mot du président”: “… the sentence …”"."""
    if heading:
        return _("{heading}: “{sentence}”").format(heading=heading, sentence=sentence)
    return _("“{sentence}”").format(sentence=sentence)


def strict_failures(findings: Iterable[Finding]) -> list[Finding]:
    return [f.with_level(Level.ERROR) for f in findings]
