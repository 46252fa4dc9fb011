"""What the commands print about a build: its summary, the findings and the to-do list."""

from __future__ import annotations

from pathlib import Path

import click

from .i18n import _, ngettext


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
        lines.append(ngettext(
            "{count} point needs a decision (figures that disagree, numbers typed by hand): `{check}` lists it, "
            "with what to do, and checks the spelling.",
            "{count} points need a decision (figures that disagree, numbers typed by hand): `{check}` lists them, "
            "with what to do, and checks the spelling.", points).format(count=points, check=check))
    if todos:
        lines.append(ngettext(
            "{count} figure or file is still to complete: the report is a draft, showing “à compléter” where it "
            "goes; `{check}` lists it.",
            "{count} figures or files are still to complete: the report is a draft, showing “à compléter” where "
            "they go; `{check}` lists them.", todos).format(count=todos, check=check))
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
        click.echo(_("To complete ({count}):").format(count=len(todos)))  # a heading: no plural needed
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
    parts = [ngettext("{count} error", "{count} errors", len(errors)).format(count=len(errors)),
             ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings),
             ngettext("{count} to complete", "{count} to complete", len(todos)).format(count=len(todos))]
    if layout is not None:
        faults = len(layout[1])
        parts.append(ngettext("{count} layout fault", "{count} layout faults", faults).format(count=faults))
    counts = ", ".join(parts)
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
