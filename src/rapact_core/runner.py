"""The build as the CLI and the test kit run it: config → document → files."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path

from attrs import frozen

from . import model as m
from .config import Config, load_config
from .context import inside
from .errors import Finding, RapactError, display_path
from .i18n import N_, _, number_text, quoted
from .limits import MAX_TEMPLATE_PARTS, MAX_TEMPLATE_UNCOMPRESSED_BYTES
from .output import write_all
from .pipeline import BuildResult, build_document, make_context, strict_failures
from .plugins import Plugins, load_plugins
from .stale import not_rebuilt, output_name as _output_name


@frozen
class BuildOutcome:
    """A build's document and findings, the files it wrote, and the files of other
    formats beside them that it did not rebuild (left from an earlier build)."""

    result: BuildResult
    files: tuple[Path, ...]
    not_rebuilt: tuple[Path, ...] = ()


def custom_renderer(plugins: Plugins, config: Config):
    """The callback renderers use for Custom blocks: the owning plugin renders them."""
    ctx = make_context(config)

    def render(block: m.Custom, fmt: str, target) -> None:
        if block.plugin not in plugins.loaded:
            raise RapactError(Finding(_("custom block {kind} names plugin {plugin}, which is not loaded").format(
                kind=quoted(block.kind), plugin=quoted(block.plugin))))
        done = plugins.rapact_render_custom(block.plugin, block=block, format=fmt, target=target,
                                            ctx=ctx.for_plugin(block.plugin))
        if done is not True:
            raise RapactError(Finding(
                _("plugin {plugin} cannot render its custom block {kind} as {format} (rapact_render_custom did not "
                  "return True)").format(plugin=quoted(block.plugin), kind=quoted(block.kind), format=fmt),
                plugin=block.plugin))

    return render


def check_template(config: Config) -> Path | None:
    """The configured reference DOCX, checked to be a real DOCX inside the report folder.

    Bounded before python-docx opens it: at most ``MAX_TEMPLATE_PARTS`` parts
    and ``MAX_TEMPLATE_UNCOMPRESSED_BYTES`` once inflated (a zip's table of
    contents states each part's size, and Python never inflates more), and
    every XML part must parse (entities are not expanded).
    """
    if not config.template:
        return None
    import zipfile

    template = inside(config.folder, config.template, what=N_("template"), file=config.path, field="template")
    shown = display_path(template)
    if not template.is_file():
        raise RapactError(Finding(_("template file not found"), file=shown))
    not_docx = RapactError(Finding(_("the template is not a DOCX (a Word document with styles was expected)"),
                                   file=shown))
    try:
        with zipfile.ZipFile(template) as zf:
            infos = zf.infolist()
            names = {info.filename for info in infos}
            if "word/document.xml" not in names or "word/styles.xml" not in names:
                raise not_docx
            _check_template_size(infos, shown)
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    _check_xml(zf.read(info), info.filename, shown)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise not_docx from None
    return template


def _check_template_size(infos, shown: str) -> None:
    if len(infos) > MAX_TEMPLATE_PARTS:
        raise RapactError(Finding(_("the template holds {count} parts: a Word template has a few dozen, at most "
                                    "{most} are read").format(count=number_text(len(infos)),
                                                              most=number_text(MAX_TEMPLATE_PARTS)), file=shown))
    total = sum(info.file_size for info in infos)
    if total > MAX_TEMPLATE_UNCOMPRESSED_BYTES:
        biggest = max(infos, key=lambda info: info.file_size)
        raise RapactError(Finding(
            _("the template holds {size} MB once uncompressed ({part}: {part_size} MB): at most {most} MB are read"
              ).format(size=number_text(total / (1 << 20)), part=biggest.filename,
                       part_size=number_text(biggest.file_size / (1 << 20)),
                       most=MAX_TEMPLATE_UNCOMPRESSED_BYTES >> 20),
            file=shown))


def _check_xml(data: bytes, part: str, shown: str) -> None:
    from lxml import etree

    # python-docx's own parser settings: entities are never expanded (no "billion laughs")
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise RapactError(Finding(_("the template's part {part} is not valid XML ({error}); save the template "
                                    "again from Word").format(part=part, error=exc.msg), file=shown)) from None
    expected = _WORD_PARTS.get(part)
    if expected is not None and root.tag != f"{{{_WORD_NS}}}{expected}":
        raise RapactError(Finding(_("the template's part {part} is not Word's {expected} (it holds <{found}>); "
                                    "save the template again from Word").format(
                                        part=part, expected=expected, found=etree.QName(root).localname),
                                  file=shown))


_WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# the parts python-docx reads, and the element each must hold
_WORD_PARTS = {"word/document.xml": "document", "word/styles.xml": "styles", "word/settings.xml": "settings",
               "word/numbering.xml": "numbering"}


def _options(config: Config, plugins: Plugins):
    from .render import RenderOptions

    return RenderOptions(template=check_template(config), report_dir=config.folder,
                         custom=custom_renderer(plugins, config))


def _write_format(doc: m.Document, fmt: str, options, path: Path) -> None:
    from .render import renderer

    try:
        renderer(fmt)(doc, path, options)
    except RapactError:
        raise
    except ValueError as exc:
        raise RapactError(Finding(_("cannot render the {format}: {error}").format(format=fmt.upper(), error=exc))
                          ) from exc


def render_files(doc: m.Document, config: Config, plugins: Plugins, output_dir: Path,
                 formats: Sequence[str], name: str | None = None) -> list[Path]:
    """Write the document in each format, then publish the files together, named
    ``name`` (default: the configuration's ``name``) with each format's extension."""
    from .render import SUFFIX, charts

    name = name or config.name
    options = _options(config, plugins)
    charts.CACHE_DIR.set(Path(output_dir) / ".cache" / "charts")
    formats = list(dict.fromkeys(formats))
    targets = {f"{name}{SUFFIX[fmt]}": partial(_write_format, doc, fmt, options) for fmt in formats}
    written = write_all(output_dir, targets)
    by_name = {path.name: path for path in written}
    return [by_name[f"{name}{SUFFIX[fmt]}"] for fmt in formats]


def layout_faults(doc: m.Document, config: Config, plugins: Plugins) -> tuple[str, list]:
    """Lay the PDF out in a temporary folder; (its file name, its layout faults by page)."""
    import tempfile

    from .render import SUFFIX, charts
    from .render.layout_check import check_layout
    from .render.pdf import layout_pdf

    options = _options(config, plugins)
    charts.CACHE_DIR.set(Path(config.output) / ".cache" / "charts")
    name = f"{config.name}{SUFFIX['pdf']}"
    with tempfile.TemporaryDirectory(prefix="rapact-layout-") as folder:
        record = layout_pdf(doc, Path(folder) / name, options)
    return name, check_layout(record)


def build(config_path: Path | str = "rapact.toml", *, output: Path | str | None = None,
          formats: Iterable[str] = (), disabled: Iterable[str] = (), strict: bool = False,
          plugins: Plugins | None = None, output_name: str | None = None) -> BuildOutcome:
    """Build the report; raise RapactError on errors (and on findings with ``strict``).

    Chapters left out with ``disabled`` are said in the files' name
    (``rapport-activites-2021-sans-annexes.docx``), so that the full report is
    never overwritten by a partial one, unless ``output_name`` names the files.
    """
    config = load_config(config_path)
    out = Path(output) if output is not None else Path(config.output)
    plugins = plugins or load_plugins(blocked=config.disabled_plugins)
    formats = list(formats) or list(config.formats)
    name = _name(config, disabled, output_name)
    result = build_document(config, plugins, disabled=disabled)
    if strict and result.findings:
        raise RapactError(strict_failures(result.findings))
    files = render_files(result.document, config, plugins, out, formats, name)
    return BuildOutcome(result, tuple(files), tuple(not_rebuilt(out, name, formats)))


def _name(config: Config, disabled: Iterable[str], given: str | None) -> str:
    if given is not None and (not given or "/" in given or "\\" in given or given.startswith(".")):
        raise RapactError(Finding(_("the output name {name} must be a plain file name, without folders or "
                                    "extension").format(name=quoted(given))), exit_code=2)
    return _output_name(config, disabled, given)
