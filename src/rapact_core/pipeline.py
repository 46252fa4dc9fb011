"""One build: configure → load → compute facts → check → chapters → document.

Errors found in one phase are all collected before the build stops, so an
editor sees every bad cell of every file in one run.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from attrs import field, frozen

from . import model as m
from .config import Config, key_line
from .context import BuildContext, inside
from .data import collect_todos
from .errors import Finding, Level, RapactError, display_path
from .facts import FactStore, FactView
from .narrative import markdown_to_blocks, read_text_file, render_template, render_text
from .pictures import check_picture
from .numbering import number_document
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
        return (f"plugin {self.plugin!r} offers chapter {self.id!r}, not listed in {config_file}: "
                f"add `[[chapters]] id = \"{self.id}\"` to include it (where it should appear, or with "
                f"`default_position = true` at its default position, {self.spec.position})")


@frozen
class BuildResult:
    document: m.Document | None
    facts: FactView
    findings: tuple[Finding, ...] = field(converter=tuple)
    chapters: tuple[PlannedChapter, ...] = field(converter=tuple, factory=tuple)

    @property
    def errors(self):
        return [f for f in self.findings if f.is_error]


def make_context(config: Config) -> BuildContext:
    folder = config.folder
    shown = display_path(config.path) if config.path else None
    data_dir = inside(folder, config.data, what="data folder", file=shown, field="data")
    texts_dir = inside(folder, config.texts, what="texts folder", file=shown, field="texts")
    problems = []
    if not data_dir.is_dir():
        problems.append(Finding(f"data folder {display_path(data_dir)} does not exist", file=shown, field="data"))
    if not texts_dir.is_dir():
        problems.append(Finding(f"texts folder {display_path(texts_dir)} does not exist", file=shown, field="texts"))
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
            problems.append(Finding(f"unknown chapter {ch.id!r}; valid chapters: {valid}",
                                    file=shown, field=f"chapters[{i}].id"))
    for name in disabled:
        if name not in known:
            problems.append(Finding(f"unknown chapter {name!r} in --disable; valid chapters: {valid}"))
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
                   chapter: PlannedChapter, derived: dict | None = None) -> list:
    disabled = set(ctx.config.disabled_plugins)
    derived = derived or {}

    def sections(section_id: str) -> list:
        if section_id not in plugins.sections and section_id.split(".", 1)[0] in disabled:
            return []  # the section of a plugin the configuration disabled
        owner = plugins.sections[section_id][0]
        return plugins.section_blocks(section_id, data=data.get(owner), facts=facts, ctx=ctx.for_plugin(owner),
                                      derived=derived.get(owner))

    title = _render_title(chapter.title, ctx, facts, chapter)
    heading = m.Heading(1, title, id=chapter.id, numbered=chapter.spec.numbered, in_toc=chapter.spec.in_toc)
    blocks: list = [heading]
    if chapter.spec.text:
        path = _text_path(plugins, ctx, chapter)
        source = read_text_file(path)
        shown = display_path(path)
        text = render_text(source, file=shown, facts=facts, year=ctx.year,
                           sections=lambda sid: sid in plugins.sections or sid.split(".", 1)[0] in disabled)

        def on_image(picture: str, line: int | None) -> None:
            problems = check_picture(ctx, picture, file=shown, line=line)
            if problems:
                raise RapactError(problems)

        blocks.extend(markdown_to_blocks(text.text, file=shown, section_blocks=sections,
                                         line_map=text.source_line, on_image=on_image))
    else:
        for section_id in chapter.spec.sections:
            blocks.extend(sections(section_id))
    return blocks


def _text_path(plugins: Plugins, ctx: BuildContext, chapter: PlannedChapter) -> Path:
    """The chapter's Markdown: the report's own (``texts/``), else the plugin's default
    (a ``texts/`` folder next to the plugin's module)."""
    path = inside(ctx.texts_dir, chapter.spec.text, what="narrative file")
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
    return render_template(title, file=shown, facts=facts, year=ctx.year, sections=lambda s: False).strip()


def _check_pictures(ctx: BuildContext, chapters) -> list[Finding]:
    """Every picture must be an image file inside the report folder: no ``..`` escapes,
    no links out of it. The narrative's own were checked at their line already."""
    problems = []
    paths = [(b.path, f"chapter {c.id}") for c in chapters for b in c.blocks if isinstance(b, m.Image)]
    for path, where in paths:
        problems.extend(check_picture(ctx, path, field=where))
    if ctx.config.report.logo:
        shown = display_path(ctx.config.path) if ctx.config.path else "rapact.toml"
        problems.extend(check_picture(ctx, ctx.config.report.logo, file=shown,
                                      line=key_line(ctx.config.path, "report.logo"), field="report.logo"))
    return problems


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
    chapters, problems = [], []
    for ch in planned:
        if not ch.enabled:
            continue
        try:
            chapters.append(m.Chapter(ch.id, ch.title, tuple(chapter_blocks(plugins, ctx, data, facts, ch, derived)),
                                      ch.plugin, ch.spec.numbered))
        except RapactError as exc:
            problems.extend(exc.findings)
    problems.extend(_check_pictures(ctx, chapters))
    if problems:
        raise RapactError(problems)
    doc = number_document(m.Document(make_meta(config), tuple(chapters)))
    return BuildResult(doc, facts, findings, planned)


def strict_failures(findings: Iterable[Finding]) -> list[Finding]:
    return [Finding(f.message, Level.ERROR, f.file, f.line, f.field, f.plugin) for f in findings]
