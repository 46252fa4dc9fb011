"""What the commands print about a build: its summary, the findings and the to-do list."""

from __future__ import annotations

from pathlib import Path

import click

from .i18n import _


def build_summary(outcome, year: int | None = None) -> list[str]:
    """What a build says once its files are written: that the report was written, how
    many points need a decision, how many figures are still to fill in, which files
    beside it are from an earlier build, and the command that lists the points."""
    import datetime as dt

    from .errors import Level

    findings = outcome.result.findings
    todos = sum(1 for f in findings if f.level is Level.TO_COMPLETE)
    points = len(findings) - todos
    check = "rapact check" + (f" --year {year}" if year else "")
    lines = [_("The report was written.")]
    if points:
        lines.append(_("{count} point(s) need a decision (figures that disagree, numbers typed by hand): "
                       "`{check}` lists them, with what to do, and checks the spelling.").format(
            count=points, check=check))
    if todos:
        lines.append(_("{count} figure(s) or file(s) are still to complete: the report is a draft, showing "
                       "“à compléter” where they go; `{check}` lists them.").format(count=todos, check=check))
    for path in outcome.not_rebuilt:
        built = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%d/%m/%Y %H:%M")
        lines.append(_("{path} was not rebuilt: it is from an earlier build ({built}) and may not match the "
                       "data; rebuild it (`rapact build`) or delete it.").format(path=path, built=built))
    return lines


def print_findings(findings, hints=(), layout: tuple[str, list] | None = None) -> int:
    """Print the findings, the to-do list and the chapters not built, then one line of
    counts (on stderr); returns the number of errors. ``layout``: the PDF's file name and
    its layout faults (:mod:`rapact_core.render.layout_check`), printed and counted too."""
    from .errors import Level

    todos = [f for f in findings if f.level is Level.TO_COMPLETE]
    others = [f for f in findings if f.level is not Level.TO_COMPLETE]
    for f in others:
        click.echo(f.format())
    if todos:
        click.echo(_("To complete ({count}):").format(count=len(todos)))
        for f in todos:
            click.echo(f.format())
    if hints:
        click.echo(_("Chapters not built ({count}):").format(count=len(hints)))
        for hint in hints:
            click.echo(f"  {hint}")
    if layout is not None:
        name, faults = layout
        for fault in faults:
            click.echo(fault.format(name))
    errors = [f for f in findings if f.is_error]
    warnings = len(others) - len(errors)
    counts = _("{errors} error(s), {warnings} warning(s), {todos} to complete").format(
        errors=len(errors), warnings=warnings, todos=len(todos))
    if layout is not None:
        counts += _(", {faults} layout fault(s)").format(faults=len(layout[1]))
    click.echo(counts, err=True)
    return len(errors)


def stale_findings(config: Path) -> list:
    """The outputs of the report older than its inputs (:mod:`rapact_core.stale`)."""
    from .config import load_config
    from .stale import stale_outputs

    cfg = load_config(config)
    return stale_outputs(cfg, Path(cfg.output))


def spelling_findings(config: Path, result) -> list:
    """The spelling warnings of a built report (:mod:`rapact_core.spelling`)."""
    from .config import load_config
    from .spelling import spelling_findings as check_spelling

    return check_spelling(load_config(config), result)
