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

from .errors import Finding, RapactError
from .i18n import _

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
    console.print(f"{errors} error(s); nothing was written.", markup=False, style="bold red")
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
        _stderr().print(interrupts.MESSAGE, markup=False)
        sys.exit(interrupts.exit_code(exc))
    except Exception as exc:
        if debug:
            raise
        from . import interrupts

        signum = interrupts.requested()
        if signum is not None:  # a library turned the interruption into an error of its own (reportlab's TTFError)
            interrupts.finished()
            _stderr().print(interrupts.MESSAGE, markup=False)
            sys.exit(128 + signum)
        if _out_of_memory(exc):
            _fail(RapactError(Finding("not enough memory to build the report: close other programs, or build on "
                                      "a machine with more memory")), debug)
        if isinstance(exc, OSError) and exc.errno in _FULL_DISK:
            _fail(RapactError(Finding("no space left on the disk: free some space, then run again",
                                      file=exc.filename and str(Path(exc.filename).parent))), debug)
        _unexpected(exc, debug)


def _out_of_memory(exc: BaseException) -> bool:
    """MemoryError, or the forms it takes while a compiled library loads under a memory limit."""
    if isinstance(exc, MemoryError) or isinstance(exc, OSError) and exc.errno == errno.ENOMEM:
        return True
    text = str(exc).lower()
    return isinstance(exc, ImportError) and ("failed to map segment" in text or "cannot allocate memory" in text)


def _unexpected(exc: BaseException, debug: bool):
    if debug:
        raise exc
    _stderr().print(f"rapact: error: unexpected {exc.__class__.__name__}: {exc}. This is a bug in rapact or in "
                    "a plugin, not in the report: run again with --debug and send the traceback to whoever "
                    "maintains rapact.", markup=False)
    sys.exit(1)


config_option = click.option("--config", "-c", "config", default=DEFAULT_CONFIG, show_default=True,
                             type=click.Path(dir_okay=False, path_type=Path), help="The report's rapact.toml.")
debug_option = click.option("--debug", is_flag=True, help="Show Python tracebacks.")
year_option = click.option("--year", "-y", type=int, metavar="YEAR",
                           help="Use reports/YEAR/rapact.toml (next to the --config file).")


def _config_for(config: Path, year: int | None) -> Path:
    if year is None:
        return config
    from .config import year_config

    return year_config(config, year)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rapact")
def main():
    """rapact: build the yearly activity report (DOCX and PDF) from its data."""


@main.command()
@config_option
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: the configuration's `output`).")
@click.option("--format", "-f", "formats", multiple=True, type=click.Choice(["docx", "pdf", "html"]),
              help="Only this format (repeatable). Default: the configuration's formats.")
@click.option("--disable", "disabled", multiple=True, metavar="CHAPTER",
              help="Leave a chapter out (repeatable); the files' name then says so: NAME-sans-CHAPTER.docx.")
@click.option("--output-name", "output_name", metavar="NAME",
              help="Name the files NAME.docx, NAME.pdf… (default: the configuration's `name`).")
@click.option("--strict", is_flag=True,
              help="A final report: fail on any finding, including figures still to complete.")
@year_option
@debug_option
def build(config, output, formats, disabled, output_name, strict, year, debug):
    """Build the report into the output folder."""
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


@main.command()
@config_option
@click.option("--strict", is_flag=True, help="Exit 1 on warnings and figures to complete too.")
@click.option("--facts", "show_facts", is_flag=True, help="Also list every fact the narrative can use.")
@click.option("--no-spelling", "spelling", is_flag=True, flag_value=False, default=True,
              help="Leave out the French spelling check of the texts and table labels.")
@click.option("--layout", is_flag=True,
              help="Also lay the PDF out (in a temporary folder) and list its layout faults by page: nearly "
                   "empty pages, a heading or lead-in alone at the foot of a page, badly cut tables, a table "
                   "said to be below that is not. Exits 1 when there are any.")
@year_option
@debug_option
def check(config, strict, show_facts, spelling, layout, year, debug):
    """Load, validate and compute without rendering; list findings and the to-do list.

    Prints `file:line: LEVEL: message`; exits 0 with only warnings and
    to-dos, 1 on errors. With --layout, also `file.pdf: page N: message`
    for each layout fault.
    """
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

        click.echo("Facts ({{ name }} in the narrative):")
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


@main.command()
@config_option
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port of http://127.0.0.1:PORT (0: any free port).")
@year_option
@debug_option
def watch(config, port, year, debug):
    """Preview the report while editing: serve its HTML edition on http://127.0.0.1:PORT,
    build it again when a data file, a text or the configuration changes, and print the
    findings. The page reloads itself after each build. Ctrl-C stops.
    """
    config = _config_for(config, year)
    from .watch import serve

    _guard(debug, serve, config, port)


@main.command("new-year")
@click.argument("year", type=int)
@click.option("--from", "from_year", type=int, metavar="YEAR", help="The year to start from (default: YEAR-1).")
@config_option
@debug_option
def new_year(year, from_year, config, debug):
    """Create reports/YEAR/ from the previous year's folder.

    Copies the configuration and the narrative, keeps the reference lists
    (catalogue, bodies, administrators, registry) and leaves the yearly
    figures empty with their headers. The draft builds at once, with
    'à compléter' marks; `rapact check --year YEAR` lists what to fill in.
    """
    from .newyear import create_year

    path = _guard(debug, create_year, config, year, from_year)
    click.echo(f"created {path.parent}")
    click.echo(f"next: rapact check --year {year}   (the to-do list), rapact build --year {year}   (a draft)")


@main.command()
@config_option
@debug_option
def plugins(config, debug):
    """List the plugins, their chapters and sections, their order, and what is enabled."""
    from .config import load_config
    from .errors import display_path
    from .pipeline import plan_chapters
    from .plugins import load_plugins

    def run():
        cfg = load_config(config) if Path(config).is_file() else None
        pl = load_plugins(blocked=cfg.disabled_plugins if cfg else ())
        return cfg, pl, (plan_chapters(cfg, pl) if cfg else None)

    cfg, pl, planned = _guard(debug, run)
    click.echo("Plugins:")
    for name, lp in sorted(pl.loaded.items()):
        origin = f"{lp.distribution} {lp.version}".strip()
        click.echo(f"  {name:<12} {lp.spec.description}" + (f"  [{origin}]" if origin else ""))
        for sec in lp.spec.sections:
            click.echo(f"      section {sec.id}: {sec.title}")
    click.echo("")
    if planned is None:
        click.echo(f"Chapters (no {config}; default positions, built only when a configuration lists them):")
        rows = sorted(((spec.position, cid, plugin) for cid, (plugin, spec) in pl.chapters.items()))
        for i, (position, cid, plugin) in enumerate(rows, 1):
            click.echo(f"  {i:>2}. {cid:<18} {plugin:<12} position {position}")
        return
    shown = display_path(cfg.path) if cfg.path else str(config)
    click.echo(f"Chapters, in the order of {shown}:")
    built = [ch for ch in planned if ch.listed]
    for i, ch in enumerate(built, 1):
        state = "enabled" if ch.enabled else "disabled"
        click.echo(f"  {i:>2}. {ch.id:<18} {ch.plugin:<12} {state:<9} {ch.title}")
    unlisted = [ch for ch in planned if not ch.listed]
    if unlisted:
        click.echo("")
        click.echo(f"Chapters not built ({len(unlisted)}: not listed in {shown}):")
        for ch in unlisted:
            click.echo(f"  {ch.hint(shown)}")


@main.command("new-plugin")
@click.argument("name")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              help="The folder to create (default: ./rapact-NAME); new, empty, or holding only a "
                   "virtual environment.")
@debug_option
def new_plugin(name, directory, debug):
    """Create an installable plugin package NAME: a chapter with data, facts, a table and tests.

    Then `pip install -e DIR`: `rapact plugins` lists the new chapter, built once the
    report's rapact.toml lists it.
    """
    from .scaffold import create_plugin

    target = _guard(debug, create_plugin, name, directory or Path(f"rapact-{name.replace('_', '-')}"))
    click.echo(f"created plugin {name!r} in {target}")
    click.echo(f"next: pip install -e {target}, then add `[[chapters]] id = \"{name}\"` to the report's rapact.toml "
               "(see its README.md), then rapact build")


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
        click.echo(interrupts.MESSAGE, err=True)
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
