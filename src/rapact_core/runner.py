"""The build as the CLI and the test kit run it: config → document → files."""

from __future__ import annotations

import os
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
from .processes import can_fork


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
        done = plugins.call("rapact_render_custom", block.plugin, block=block, format=fmt, target=target,
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


# a document is pickled to a prepared PDF writer only when it is small: pickling
# costs more than the import it saves beyond a few thousand table rows
PREPARED_MAX_ROWS = 5000


def _parallel_enabled() -> bool:
    return can_fork() and os.environ.get("RAPACT_PARALLEL", "1") != "0"


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


def prepare_pdf_writer(config: Config, plugins: Plugins, formats: Sequence[str]):
    """A process that imports the PDF renderer and loads its fonts while the document
    is assembled (``render_files`` hands it the document), or None where that does not pay:
    one format only, no ``os.fork``, or charts being drawn on the other core."""
    from .output import PreparedWriter
    from .render import chart_ahead

    if "pdf" not in formats or len(set(formats)) < 2 or not _parallel_enabled() or chart_ahead.busy():
        return None

    def setup():
        from .render import fonts, renderer

        renderer("pdf")
        fonts.register_fonts()
        options = _options(config, plugins)
        return lambda doc, path: _write_format(doc, "pdf", options, path)

    return PreparedWriter(setup)


def render_files(doc: m.Document, config: Config, plugins: Plugins, output_dir: Path,
                 formats: Sequence[str], prepared_pdf=None) -> list[Path]:
    """Write the document in each format; ``prepared_pdf`` (see ``prepare_pdf_writer``)
    writes the PDF if given, and is always used up or let go."""
    from .render import SUFFIX, chart_ahead, charts

    try:
        options = _options(config, plugins)
        charts.CACHE_DIR.set(Path(output_dir) / ".cache" / "charts")
        # Charts missing from the cache are drawn on the other core while the
        # renderers work; each renderer waits for a chart's pixels only when it saves.
        chart_ahead.draw_ahead(block.chart for block in doc.blocks() if isinstance(block, m.Figure))
        if prepared_pdf is not None and (chart_ahead.busy() or "pdf" not in formats or sum(
                len(b.body) for b in doc.blocks() if isinstance(b, m.Table)) > PREPARED_MAX_ROWS
                or not prepared_pdf.prepare(doc)):
            prepared_pdf.cancel()
            prepared_pdf = None
        formats = list(dict.fromkeys(formats))
        # the PDF, the longer to write, is the one written in this process (or prepared)
        order = sorted(formats, key=lambda fmt: fmt != "pdf")
        targets = {
            f"{config.name}{SUFFIX[fmt]}":
                prepared_pdf if fmt == "pdf" and prepared_pdf is not None
                else partial(_write_format, doc, fmt, options)
            for fmt in order
        }
        # The formats are written side by side; a writer waits for each chart it
        # embeds, which the chart child may still be drawing (a prepared PDF
        # writer, forked before the charts were handed out, was let go above).
        written = write_all(output_dir, targets, parallel=_parallel_enabled())
    finally:
        if prepared_pdf is not None:
            prepared_pdf.cancel()
        chart_ahead.finish()
    by_name = {path.name: path for path in written}
    return [by_name[f"{config.name}{SUFFIX[fmt]}"] for fmt in formats]


def build(config_path: Path | str = "rapact.toml", *, output: Path | str | None = None,
          formats: Iterable[str] = (), disabled: Iterable[str] = (), strict: bool = False,
          plugins: Plugins | None = None) -> BuildOutcome:
    """Build the report; raise RapactError on errors (and on findings with ``strict``)."""
    from .render import chart_ahead, charts

    config = load_config(config_path)
    out = Path(output) if output is not None else Path(config.output)
    # on a cold chart cache, matplotlib is imported on the other core meanwhile
    charts.CACHE_DIR.set(out / ".cache" / "charts")
    chart_ahead.warm_up()
    prepared = None
    try:
        plugins = plugins or load_plugins(blocked=config.disabled_plugins)
        formats = list(formats) or list(config.formats)
        prepared = prepare_pdf_writer(config, plugins, formats)
        result = build_document(config, plugins, disabled=disabled)
        if strict and result.findings:
            raise RapactError(strict_failures(result.findings))
        files = render_files(result.document, config, plugins, out, formats, prepared_pdf=prepared)
        prepared = None  # used up by render_files
    finally:
        if prepared is not None:
            prepared.cancel()
        chart_ahead.finish()
    return BuildOutcome(result, tuple(files))
