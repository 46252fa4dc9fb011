"""The ``--help`` pages in the editor's language.

Commands and options are declared when the CLI module is imported, before
``--lang`` is read: their help texts are written ``N_("…")`` and translated
here, as each page is printed. click's own words on the page ("Usage:",
"Options", "Commands", "Show this message and exit.") are translated too;
its usage errors ("Error: No such option") are printed as click writes them.
"""

from __future__ import annotations

import inspect
from contextlib import contextmanager

import click

from .i18n import N_, _

# click's texts on a help page, for the catalog: click passes them as its help options' help
N_("Show this message and exit.")
N_("Show the version and exit.")


def _translated(text: str | None) -> str:
    return _(inspect.cleandoc(text)) if text else ""


@contextmanager
def _section(formatter: click.HelpFormatter, heading: str):
    """click's ``formatter.section`` with the heading's colon in the catalog ("Options :" in French)."""
    formatter.write_paragraph()
    formatter.write(f"{'':>{formatter.current_indent}}{heading}\n")
    formatter.indent()
    try:
        yield
    finally:
        formatter.dedent()


def _help_record(param: click.Parameter, ctx: click.Context):
    """The option's line of the help page, its help text translated."""
    original = getattr(param, "help", None)
    if original:
        param.help = _translated(original)
    try:
        return param.get_help_record(ctx)
    finally:
        if original:
            param.help = original


class TranslatedCommand(click.Command):
    """A command whose help page speaks the editor's language."""

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), _("Usage: "))

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = _translated(self.help)
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def get_short_help_str(self, limit: int = 45) -> str:
        """The help's first sentence, shortened to ``limit`` characters."""
        text = " ".join(_translated(self.help).split("\n\n")[0].split())
        sentence = text.split(". ")[0].rstrip(".")
        return sentence if len(sentence) <= limit else sentence[:limit - 1].rstrip() + "…"

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records = [_help_record(p, ctx) for p in self.get_params(ctx) if not isinstance(p, click.Argument)]
        records = [r for r in records if r is not None]
        if records:
            with _section(formatter, _("Options:")):
                formatter.write_dl(records)


class TranslatedGroup(TranslatedCommand, click.Group):
    """The ``rapact`` group: its page, and its commands' pages, in the editor's language."""

    command_class = TranslatedCommand

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _command in rows)
            with _section(formatter, _("Commands:")):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in rows])
