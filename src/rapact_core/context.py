"""What a plugin gets to know about the build it takes part in."""

from __future__ import annotations

import os
from pathlib import Path

import attrs
from attrs import frozen

from .config import Config
from .errors import RapactError, Finding, display_path
from .i18n import N_, _, quoted


@frozen
class BuildContext:
    """The build's configuration and folders.

    :param config: the validated configuration.
    :param report_dir: the folder of the configuration file; every input
        must be inside it.
    :param data_dir: the report's data folder.
    :param texts_dir: the report's narrative folder.
    :param plugin: the name of the plugin being called.
    """

    config: Config
    report_dir: Path
    data_dir: Path
    texts_dir: Path
    plugin: str = ""
    data_year: int | None = None

    @property
    def year(self) -> int:
        """The year whose data this context reads (the report's year, or an earlier one)."""
        return self.data_year if self.data_year is not None else self.config.report.year

    def for_plugin(self, name: str) -> "BuildContext":
        return attrs.evolve(self, plugin=name)

    def previous(self) -> "BuildContext | None":
        """The context of year N-1 when its folder exists next to this one (``reports/2020``).

        Comparison columns (N-1) are read from there, so that a figure is
        typed once, in its own year's folder.
        """
        folder = self.report_dir.parent / str(self.year - 1)
        if not folder.is_dir():
            return None
        data = "data"
        config_file = folder / "rapact.toml"
        if config_file.is_file():
            import tomllib

            try:
                data = str(tomllib.loads(config_file.read_text(encoding="utf-8-sig")).get("data", "data"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                data = "data"
        data_dir = inside(folder, data, what=N_("data folder"), file=config_file)
        if not data_dir.is_dir():
            return None
        return attrs.evolve(self, report_dir=folder, data_dir=data_dir, texts_dir=folder / "texts",
                            data_year=self.year - 1)

    def table_file(self, stem: str) -> Path:
        """The CSV or XLSX file for ``stem`` (e.g. ``members/categories``).

        Returns the ``.csv`` path when neither exists, so that reading it
        reports the missing file by its expected name.

        :raises RapactError: when both exist (which one is current cannot be
            guessed), or when the file is a link leading out of the data folder.
        """
        found = [self.data_path(f"{stem}{suffix}") for suffix in (".csv", ".xlsx")]
        found = [path for path in found if path.is_file()]
        if len(found) > 1:
            csv, xlsx = found
            raise RapactError(Finding(
                _("both {csv} and {xlsx} exist: an XLSX replaces the CSV of the same name; delete or rename the "
                  "one that is out of date").format(csv=display_path(csv), xlsx=xlsx.name), file=display_path(xlsx)))
        return found[0] if found else self.data_path(f"{stem}.csv")

    def data_path(self, *parts: str) -> Path:
        """A path in the data folder; refuses anything that climbs out of it."""
        return inside(self.data_dir, Path(*parts), what=N_("data file"))


def inside(root: Path, relative: Path | str, *, what: str = N_("path"), file=None, line: int | None = None,
           field=None, exit_code: int = 1) -> Path:
    """``root / relative``, resolved; refuses absolute paths, ``..`` escapes, symbolic
    links that lead out of ``root``, and symbolic link loops.

    The finding names ``file`` (and ``line``, ``field``) when given: the file
    that names the path. Otherwise it names the path itself, as given (the
    link, never what it points to: its target may be any file of the machine).
    ``what`` is marked ``N_("data file")`` and translated here.
    """
    rel = Path(relative)
    given = root / rel
    base = root.resolve()

    def refuse(message: str) -> RapactError:
        shown = display_path(file if file else given)  # the link itself, never its target
        return RapactError(Finding(message, file=shown, line=line, field=field), exit_code=exit_code)

    what, shown = _(what), quoted(str(relative))
    if rel.is_absolute() or os.path.normpath(rel).split(os.sep)[0] == os.pardir:
        raise refuse(_("{what} {path} is outside the report folder {folder}").format(
            what=what, path=shown, folder=display_path(base)))
    try:
        candidate = given.resolve()
        loop = candidate.is_symlink()  # Python >= 3.13 stops at a loop instead of raising
    except (RuntimeError, OSError):
        loop = True
    if loop:
        raise refuse(_("{what} {path} is a symbolic link that leads back to itself (a link loop): replace it "
                       "with the file itself").format(what=what, path=shown))
    if candidate != base and base not in candidate.parents:
        raise refuse(_("{what} {path} is a symbolic link to a place outside {folder}: copy the file itself "
                       "there").format(what=what, path=shown, folder=display_path(base)))
    return candidate
