"""The ``rapact`` command: build, check, plugins.

Exit codes: 0 success; 1 errors in data, texts or plugins (or findings with
``--strict``); 2 bad command-line usage; 3 configuration errors.
"""

from __future__ import annotations

import errno
import sys
from pathlib import Path

import attrs
import click

from .cli_help import TranslatedGroup
from .errors import Finding, RapactError
from .i18n import LANGUAGES, N_, _, ngettext, quoted

DEFAULT_CONFIG = "rapact.toml"
_FULL_DISK = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class _PlainConsole:
    """The part of rich's Console the CLI uses, for a stderr that is not a terminal.

    There, rich prints plain text anyway and a spinner shows nothing, while
    importing rich and running its spinner's thread cost ~0.06 s a command.
    """

    def print(self, text: str, *, markup: bool = False, style: str | None = None) -> None:
        click.echo(text, err=True)

    def status(self, message: str):
        import contextlib

        return contextlib.nullcontext()


def _stderr():
    if not sys.stderr.isatty():
        return _PlainConsole()
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _fail(exc: RapactError, debug: bool):
    console = _stderr()
    for f in exc.findings:
        console.print(f.format(), markup=False)
    errors = sum(1 for f in exc.findings if f.is_error)
    console.print(ngettext("{count} error; nothing was written.", "{count} errors; nothing was written.",
                           errors).format(count=errors), markup=False, style="bold red")
    if debug:
        raise exc
    sys.exit(exc.exit_code)


def _batch_gc() -> None:
    """Tune the garbage collector for one short batch run.

    A build allocates hundreds of thousands of long-lived objects (a
    registry's rows and cells) and frees almost nothing before it exits;
    CPython's default thresholds then rescan the growing heap over and
    over (~30 % of a 50,000-row build). Objects loaded so far are frozen
    and young collections wait for 200,000 new objects instead of 700: a
    50,000-row build then collects about never (at 35,000 its collections
    still took 0.05 s, for 3 MB less at its peak). Reference cycles are
    still collected.
    """
    import gc

    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, 20, 100)


GC_THRESHOLD = 200_000


def _guard(debug: bool, func, *args, **kwargs):
    """Run a command's work; every way it can end becomes one message and an exit code.

    A :class:`RapactError` lists its findings; an interruption prints one line
    (exit 130 or 143); exhausted memory or a full disk say so. Anything else is
    a bug in rapact or a plugin, and the message says what to do about it.
    """
    from .interrupts import Interrupted

    try:
        return func(*args, **kwargs)
    except RapactError as exc:
        _fail(exc, debug)
    except (KeyboardInterrupt, Interrupted) as exc:
        from . import interrupts

        interrupts.finished()  # a second Ctrl-C must not turn this line into a traceback
        _stderr().print(interrupts.message(), markup=False)
        sys.exit(interrupts.exit_code(exc))
    except Exception as exc:
        if debug:
            raise
        from . import interrupts

        signum = interrupts.requested()
        if signum is not None:  # a library turned the interruption into an error of its own (reportlab's TTFError)
            interrupts.finished()
            _stderr().print(interrupts.message(), markup=False)
            sys.exit(128 + signum)
        if _out_of_memory(exc):
            _fail(RapactError(Finding(_("not enough memory to build the report: close other programs, or build "
                                        "on a machine with more memory"))), debug)
        if isinstance(exc, OSError) and exc.errno in _FULL_DISK:
            _fail(RapactError(Finding(_("no space left on the disk: free some space, then run again"),
                                      file=exc.filename and str(Path(exc.filename).parent))), debug)
        _unexpected(exc, debug)


def _out_of_memory(exc: BaseException) -> bool:
    """MemoryError, or the forms it takes while a compiled library loads under a memory limit."""
    if isinstance(exc, MemoryError) or isinstance(exc, OSError) and exc.errno == errno.ENOMEM:
        return True
    text = str(exc).lower()
    if isinstance(exc, ImportError) and ("failed to map segment" in text or "cannot allocate memory" in text):
        return True
    # lxml (python-docx's parser) reports libxml2 running out of memory as an XMLSyntaxError
    # ("unknown error") whose log says ERR_NO_MEMORY
    return any(getattr(entry, "type_name", "") == "ERR_NO_MEMORY" for entry in getattr(exc, "error_log", None) or ())


def _unexpected(exc: BaseException, debug: bool):
    if debug:
        raise exc
    _stderr().print(_("rapact: error: unexpected {kind}: {error}. This is a bug in rapact or in a plugin, not in "
                      "the report: run again with --debug and send the traceback to whoever maintains rapact."
                      ).format(kind=exc.__class__.__name__, error=exc), markup=False)
    sys.exit(1)


def _choose_language(ctx, param, value):
    from . import i18n

    if ctx.parent is None:  # the group: a new command, nothing chosen yet (a test may run several)
        i18n.reset()
    if value is not None or ctx.parent is None:
        i18n.choose(value)
    return value


lang_option = click.option(
    "--lang", type=click.Choice(LANGUAGES), is_eager=True, expose_value=False, callback=_choose_language,
    help=N_("The language of the messages: fr or en. Default: RAPACT_LANG, else the system's language "
            "(LC_ALL, LC_MESSAGES, LANG), else the report's locale."))
config_option = click.option("--config", "-c", "config", default=DEFAULT_CONFIG,
                             type=click.Path(dir_okay=False, path_type=Path),
                             help=N_("The report's rapact.toml (default: rapact.toml)."))
debug_option = click.option("--debug", is_flag=True, help=N_("Show Python tracebacks."))
year_option = click.option("--year", "-y", type=int, metavar="YEAR",
                           help=N_("Use reports/YEAR/rapact.toml (next to the --config file)."))


def _config_for(config: Path, year: int | None) -> Path:
    if year is None:
        return config
    from .config import year_config

    return year_config(config, year)


@click.group(cls=TranslatedGroup, context_settings={"help_option_names": ["-h", "--help"]},
             help=N_("rapact: build the yearly activity report (DOCX and PDF) from its data."))
@click.version_option(package_name="rapact")
@lang_option
def main():
    pass


@main.command(help=N_("Build the report into the output folder."))
@config_option
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path),
              help=N_("Output folder (default: the configuration's `output`)."))
@click.option("--format", "-f", "formats", multiple=True, type=click.Choice(["docx", "pdf", "html"]),
              help=N_("Only this format (repeatable). Default: the configuration's formats."))
@click.option("--disable", "disabled", multiple=True, metavar="CHAPTER",
              help=N_("Leave a chapter out (repeatable); the files' name then says so: NAME-sans-CHAPTER.docx."))
@click.option("--output-name", "output_name", metavar="NAME",
              help=N_("Name the files NAME.docx, NAME.pdf… (default: the configuration's `name`)."))
@click.option("--strict", is_flag=True,
              help=N_("A final report: fail on any finding, including figures still to complete."))
@year_option
@lang_option
@debug_option
def build(config, output, formats, disabled, output_name, strict, year, debug):
    from .runner import build as run

    console = _stderr()
    with console.status(_("Building the report…")):
        outcome = _guard(debug, run, _config_for(config, year), output=output, formats=formats,
                         disabled=disabled, strict=strict, output_name=output_name)
    for path in outcome.files:
        click.echo(_("wrote {path}").format(path=path))
    from .summary import build_summary

    for line in build_summary(outcome, year):
        console.print(line, markup=False)


@main.command(help=N_("Load, validate and compute without rendering; list findings and the to-do list.\n\n"
                      "Prints `file:line: LEVEL: message`; exits 0 with only warnings and to-dos, 1 on errors. "
                      "With --layout, also `file.pdf: page N: message` for each layout fault."))
@config_option
@click.option("--strict", is_flag=True, help=N_("Exit 1 on warnings and figures to complete too."))
@click.option("--facts", "show_facts", is_flag=True, help=N_("Also list every fact the narrative can use."))
@click.option("--no-spelling", "spelling", is_flag=True, flag_value=False, default=True,
              help=N_("Leave out the French spelling check of the texts and table labels."))
@click.option("--layout", is_flag=True,
              help=N_("Also lay the PDF out (in a temporary folder) and list its layout faults by page: nearly "
                      "empty pages, a heading or lead-in alone at the foot of a page, badly cut tables, a table "
                      "said to be below that is not. Exits 1 when there are any."))
@year_option
@lang_option
@debug_option
def check(config, strict, show_facts, spelling, layout, year, debug):
    config = _config_for(config, year)
    from .config import load_config
    from .pipeline import build_document, unlisted_hints
    from .plugins import load_plugins

    def run():
        cfg = load_config(config)
        plugins = load_plugins(blocked=cfg.disabled_plugins)
        result = build_document(cfg, plugins)
        return cfg, plugins, result, unlisted_hints(cfg, result.chapters)

    from .summary import print_findings, spelling_findings, stale_findings

    cfg, plugins, result, hints = _guard(debug, run)
    if spelling:
        findings = _guard(debug, spelling_findings, config, result)
        result = attrs.evolve(result, findings=tuple(result.findings) + tuple(findings))
    stale = _guard(debug, stale_findings, config)
    result = attrs.evolve(result, findings=tuple(result.findings) + tuple(stale))
    if show_facts:
        from .formatting import format_value, normalise_spaces

        click.echo(_("Facts ({{ name }} in the narrative):"))
        for name in sorted(result.facts):
            f = result.facts[name]
            click.echo(f"  {name} = {normalise_spaces(format_value(f.value, f.kind, f.decimals))}"
                       + (f"  ({f.label})" if f.label else ""))
    faults = None  # (the PDF's name, its layout faults), when asked for
    if layout:
        from .runner import layout_faults

        faults = ("", []) if any(f.is_error for f in result.findings) else \
            _guard(debug, layout_faults, result.document, cfg, plugins)
    errors = print_findings(result.findings, hints, faults)
    sys.exit(1 if errors or (faults and faults[1]) or (strict and result.findings) else 0)


@main.command(help=N_("Preview the report while editing: serve its HTML edition on http://127.0.0.1:PORT, "
                      "build it again when a data file, a text or the configuration changes, and print the "
                      "findings. The page reloads itself after each build. Ctrl-C stops."))
@config_option
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8000,
              help=N_("The port of http://127.0.0.1:PORT (default: 8000; 0: any free port)."))
@year_option
@lang_option
@debug_option
def watch(config, port, year, debug):
    config = _config_for(config, year)
    from .watch import serve

    _guard(debug, serve, config, port)


@main.command("new-year", help=N_(
    "Create reports/YEAR/ from the previous year's folder.\n\n"
    "Copies the configuration and the narrative, keeps the reference lists (catalogue, bodies, administrators, "
    "registry) and leaves the yearly figures empty with their headers. The draft builds at once, with "
    "'à compléter' marks; `rapact check --year YEAR` lists what to fill in."))
@click.argument("year", type=int)
@click.option("--from", "from_year", type=int, metavar="YEAR",
              help=N_("The year to start from (default: YEAR-1)."))
@config_option
@lang_option
@debug_option
def new_year(year, from_year, config, debug):
    from .newyear import create_year

    path = _guard(debug, create_year, config, year, from_year)
    click.echo(_("created {folder}").format(folder=path.parent))
    click.echo(_("next: rapact check --year {year}   (the to-do list), rapact build --year {year}   (a draft)"
                 ).format(year=year))


@main.command(help=N_("List the plugins, their chapters and sections, their order, and what is enabled."))
@config_option
@lang_option
@debug_option
def plugins(config, debug):
    from .config import load_config
    from .errors import display_path
    from .pipeline import plan_chapters
    from .plugins import load_plugins

    def run():
        cfg = load_config(config) if Path(config).is_file() else None
        pl = load_plugins(blocked=cfg.disabled_plugins if cfg else ())
        return cfg, pl, (plan_chapters(cfg, pl) if cfg else None)

    cfg, pl, planned = _guard(debug, run)
    click.echo(_("Plugins:"))
    for name, lp in sorted(pl.loaded.items()):
        origin = f"{lp.distribution} {lp.version}".strip()
        # a bundled plugin's description is in rapact's catalog; another's is shown as written
        click.echo(f"  {name:<12} {_(lp.spec.description) if lp.spec.description else ''}"
                   + (f"  [{origin}]" if origin else ""))
        for sec in lp.spec.sections:
            click.echo("      " + _("section {id}: {title}").format(id=sec.id, title=sec.title))
    click.echo("")
    if planned is None:
        click.echo(_("Chapters (no {config}; default positions, built only when a configuration lists them):"
                     ).format(config=config))
        rows = sorted(((spec.position, cid, plugin) for cid, (plugin, spec) in pl.chapters.items()))
        for i, (position, cid, plugin) in enumerate(rows, 1):
            click.echo(f"  {i:>2}. {cid:<18} {plugin:<12} " + _("position {position}").format(position=position))
        return
    shown = display_path(cfg.path) if cfg.path else str(config)
    click.echo(_("Chapters, in the order of {config}:").format(config=shown))
    built = [ch for ch in planned if ch.listed]
    states = {True: _("enabled"), False: _("disabled")}
    width = max(9, *(len(state) for state in states.values()))
    for i, ch in enumerate(built, 1):
        click.echo(f"  {i:>2}. {ch.id:<18} {ch.plugin:<12} {states[ch.enabled]:<{width}} {ch.title}")
    unlisted = [ch for ch in planned if not ch.listed]
    if unlisted:
        click.echo("")
        click.echo(ngettext("Chapters not built ({count}: not listed in {config}):",
                            "Chapters not built ({count}: not listed in {config}):", len(unlisted)).format(
            count=len(unlisted), config=shown))
        for ch in unlisted:
            click.echo(f"  {ch.hint(shown)}")


@main.command("new-plugin", help=N_(
    "Create an installable plugin package NAME: a chapter with data, facts, a table and tests.\n\n"
    "Then `pip install -e DIR`: `rapact plugins` lists the new chapter, built once the report's rapact.toml "
    "lists it."))
@click.argument("name")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              help=N_("The folder to create (default: ./rapact-NAME); new, empty, or holding only a "
                      "virtual environment."))
@lang_option
@debug_option
def new_plugin(name, directory, debug):
    from .scaffold import create_plugin

    target = _guard(debug, create_plugin, name, directory or Path(f"rapact-{name.replace('_', '-')}"))
    click.echo(_("created plugin {name} in {folder}").format(name=quoted(name), folder=target))
    click.echo(_("next: pip install -e {folder}, then add `[[chapters]] id = \"{name}\"` to the report's "
                 "rapact.toml (see its README.md), then rapact build").format(folder=target, name=name))


def run() -> None:
    """The ``rapact`` console command: ``main``, with SIGINT and SIGTERM turned into one
    line and exit 130/143, and the garbage collector tuned for one batch run (here and
    not in ``main``, so a test calling ``main`` keeps its heap and its signals)."""
    from . import interrupts

    interrupts.install()
    try:
        _limit_native_threads()
        _batch_gc()
        main()
    except interrupts.Interrupted as exc:  # outside _guard: start-up, or printing the results
        interrupts.finished()
        click.echo(interrupts.message(), err=True)
        sys.exit(exc.exit_code)


def _limit_native_threads() -> None:
    """One build is one process with one thread: numpy's BLAS (imported by matplotlib)
    would otherwise start a thread per core, each reserving stack memory, and fail
    with its own messages under a memory limit."""
    import os

    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")


if __name__ == "__main__":  # pragma: no cover
    run()
