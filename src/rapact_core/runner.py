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
from .output import write_all
from .pipeline import BuildResult, build_document, make_context, strict_failures
from .plugins import Plugins, load_plugins


@frozen
class BuildOutcome:
    result: BuildResult
    files: tuple[Path, ...]


def custom_renderer(plugins: Plugins, config: Config):
    """The callback renderers use for Custom blocks: the owning plugin renders them."""
    ctx = make_context(config)

    def render(block: m.Custom, fmt: str, target) -> None:
        if block.plugin not in plugins.loaded:
            raise RapactError(Finding(f"custom block {block.kind!r} names plugin {block.plugin!r}, which is not loaded"))
        done = plugins.rapact_render_custom(block.plugin, block=block, format=fmt, target=target,
                                            ctx=ctx.for_plugin(block.plugin))
        if done is not True:
            raise RapactError(Finding(
                f"plugin {block.plugin!r} cannot render its custom block {block.kind!r} as {fmt} "
                "(rapact_render_custom did not return True)", plugin=block.plugin))

    return render


def check_template(config: Config) -> Path | None:
    """The configured reference DOCX, checked to be a real DOCX inside the report folder."""
    if not config.template:
        return None
    import zipfile

    template = inside(config.folder, config.template, what="template", file=config.path, field="template")
    shown = display_path(template)
    if not template.is_file():
        raise RapactError(Finding("template file not found", file=shown))
    try:
        with zipfile.ZipFile(template) as zf:
            names = set(zf.namelist())
    except zipfile.BadZipFile:
        names = set()
    if "word/document.xml" not in names or "word/styles.xml" not in names:
        raise RapactError(Finding("the template is not a DOCX (a Word document with styles was expected)",
                                  file=shown))
    return template


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
        raise RapactError(Finding(f"cannot render the {fmt.upper()}: {exc}")) from exc


def render_files(doc: m.Document, config: Config, plugins: Plugins, output_dir: Path,
                 formats: Sequence[str]) -> list[Path]:
    """Write the document in each format, then publish the files together."""
    from .render import SUFFIX, charts

    options = _options(config, plugins)
    charts.CACHE_DIR.set(Path(output_dir) / ".cache" / "charts")
    formats = list(dict.fromkeys(formats))
    targets = {f"{config.name}{SUFFIX[fmt]}": partial(_write_format, doc, fmt, options) for fmt in formats}
    written = write_all(output_dir, targets)
    by_name = {path.name: path for path in written}
    return [by_name[f"{config.name}{SUFFIX[fmt]}"] for fmt in formats]


def build(config_path: Path | str = "rapact.toml", *, output: Path | str | None = None,
          formats: Iterable[str] = (), disabled: Iterable[str] = (), strict: bool = False,
          plugins: Plugins | None = None) -> BuildOutcome:
    """Build the report; raise RapactError on errors (and on findings with ``strict``)."""
    config = load_config(config_path)
    out = Path(output) if output is not None else Path(config.output)
    plugins = plugins or load_plugins(blocked=config.disabled_plugins)
    formats = list(formats) or list(config.formats)
    result = build_document(config, plugins, disabled=disabled)
    if strict and result.findings:
        raise RapactError(strict_failures(result.findings))
    files = render_files(result.document, config, plugins, out, formats)
    return BuildOutcome(result, tuple(files))
