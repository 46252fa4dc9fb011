"""The ``rapact`` command: build, check, plugins.

Exit codes: 0 success; 1 errors in data, texts or plugins (or findings with
``--strict``); 2 bad command-line usage; 3 configuration errors.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import RapactError

DEFAULT_CONFIG = "rapact.toml"


def _stderr():
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


def _guard(debug: bool, func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except RapactError as exc:
        _fail(exc, debug)
    except KeyboardInterrupt:
        _stderr().print("interrupted; the previous outputs are unchanged.", markup=False)
        sys.exit(130)
    except Exception as exc:
        if debug:
            raise
        _stderr().print(f"rapact: internal error: {exc.__class__.__name__}: {exc} "
                        "(run again with --debug to see the traceback)", markup=False)
        sys.exit(1)


config_option = click.option("--config", "-c", "config", default=DEFAULT_CONFIG, show_default=True,
                             type=click.Path(dir_okay=False, path_type=Path), help="The report's rapact.toml.")
debug_option = click.option("--debug", is_flag=True, help="Show Python tracebacks.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rapact")
def main():
    """rapact: build the yearly activity report (DOCX and PDF) from its data."""


@main.command()
@config_option
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: the configuration's `output`).")
@click.option("--format", "-f", "formats", multiple=True, type=click.Choice(["docx", "pdf"]),
              help="Only this format (repeatable). Default: the configuration's formats.")
@click.option("--disable", "disabled", multiple=True, metavar="CHAPTER", help="Leave a chapter out (repeatable).")
@click.option("--strict", is_flag=True, help="Fail on any consistency finding.")
@debug_option
def build(config, output, formats, disabled, strict, debug):
    """Build the report into the output folder."""
    from .runner import build as run

    console = _stderr()
    with console.status("Building the report…"):
        outcome = _guard(debug, run, config, output=output, formats=formats, disabled=disabled, strict=strict)
    for f in outcome.result.findings:
        console.print(f.format(), markup=False)
    if outcome.result.findings:
        console.print(f"{len(outcome.result.findings)} consistency finding(s): run `rapact check` "
                      "for the list; the report shows computed values.", markup=False)
    for path in outcome.files:
        click.echo(f"wrote {path}")


@main.command()
@config_option
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@debug_option
def check(config, strict, debug):
    """Load, validate and compute without rendering; list findings.

    Prints `file:line: LEVEL: message`; exits 0 with only warnings, 1 on errors.
    """
    from .config import load_config
    from .pipeline import build_document
    from .plugins import load_plugins

    def run():
        cfg = load_config(config)
        plugins = load_plugins()
        return build_document(cfg, plugins)

    result = _guard(debug, run)
    for f in result.findings:
        click.echo(f.format())
    errors = [f for f in result.findings if f.is_error]
    click.echo(f"{len(errors)} error(s), {len(result.findings) - len(errors)} warning(s)", err=True)
    sys.exit(1 if errors or (strict and result.findings) else 0)


@main.command()
@config_option
@debug_option
def plugins(config, debug):
    """List the plugins, their chapters and sections, their order, and what is enabled."""
    from .config import load_config
    from .pipeline import plan_chapters
    from .plugins import load_plugins

    def run():
        pl = load_plugins()
        cfg = load_config(config) if Path(config).is_file() else None
        return pl, (plan_chapters(cfg, pl) if cfg else None)

    pl, planned = _guard(debug, run)
    click.echo("Plugins:")
    for name, lp in sorted(pl.loaded.items()):
        origin = f"{lp.distribution} {lp.version}".strip()
        click.echo(f"  {name:<12} {lp.spec.description}" + (f"  [{origin}]" if origin else ""))
        for sec in lp.spec.sections:
            click.echo(f"      section {sec.id}: {sec.title}")
    click.echo("")
    if planned is None:
        click.echo(f"Chapters (no {config}; default positions):")
        rows = sorted(((spec.position, cid, plugin, True) for cid, (plugin, spec) in pl.chapters.items()))
        for i, (_pos, cid, plugin, enabled) in enumerate(rows, 1):
            click.echo(f"  {i:>2}. {cid:<18} {plugin:<12} enabled")
        return
    click.echo(f"Chapters, in the order of {config}:")
    for i, ch in enumerate(planned, 1):
        state = "enabled" if ch.enabled else "disabled"
        where = "" if ch.listed else "  (not in the configuration: default position)"
        click.echo(f"  {i:>2}. {ch.id:<18} {ch.plugin:<12} {state:<9} {ch.title}{where}")


if __name__ == "__main__":  # pragma: no cover
    main()
