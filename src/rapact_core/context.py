"""What a plugin gets to know about the build it takes part in."""

from __future__ import annotations

from pathlib import Path

import attrs
from attrs import frozen

from .config import Config
from .errors import RapactError, Finding, display_path


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
        data_dir = inside(folder, data, what="data folder", file=config_file)
        if not data_dir.is_dir():
            return None
        return attrs.evolve(self, report_dir=folder, data_dir=data_dir, texts_dir=folder / "texts",
                            data_year=self.year - 1)

    def table_file(self, stem: str) -> Path:
        """The CSV or XLSX file for ``stem`` (e.g. ``members/categories``).

        Returns the ``.csv`` path when neither exists, so that reading it
        reports the missing file by its expected name.
        """
        base = self.data_path(stem)
        for suffix in (".csv", ".xlsx"):
            candidate = base.with_name(base.name + suffix)
            if candidate.is_file():
                return candidate
        return base.with_name(base.name + ".csv")

    def data_path(self, *parts: str) -> Path:
        """A path in the data folder; refuses anything that climbs out of it."""
        return inside(self.data_dir, Path(*parts), what="data file")


def inside(root: Path, relative: Path | str, *, what: str = "path", file=None, field=None) -> Path:
    """``root / relative``, refusing absolute paths and ``..`` escapes."""
    rel = Path(relative)
    candidate = (root / rel).resolve()
    base = root.resolve()
    if rel.is_absolute() or (candidate != base and base not in candidate.parents):
        raise RapactError(Finding(
            f"{what} {str(relative)!r} is outside the report folder {display_path(base)}",
            file=display_path(file) if file else None, field=field))
    return candidate
