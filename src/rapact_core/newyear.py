"""``rapact new-year``: next year's folder, prepared from this year's.

The configuration and the narrative are copied (the year moves on), each
plugin carries its data over through ``rapact_new_year`` (reference lists
copied, yearly figures left empty with their headers), and the folder appears
only once complete.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from .config import load_config
from .context import inside
from .errors import Finding, RapactError, display_path
from .i18n import _
from .pipeline import make_context
from .plugins import Plugins, load_plugins


def next_config_text(text: str, old: int, new: int) -> str:
    """The configuration with the year moved on: ``year = 2021`` → ``2022``,
    ``RAPACT2021`` → ``RAPACT2022``, ``date = 2022-06-01`` → ``2023-06-01``."""
    shift = new - old
    # later years first, so that 2022 → 2023 happens before 2021 → 2022
    years = sorted({int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", text) if old <= int(y) <= old + 2},
                   reverse=True)
    for y in years:
        text = re.sub(rf"(?<!\d){y}(?!\d)", f"\x00{y + shift}\x00", text)
    return text.replace("\x00", "")


def create_year(root_config: Path | str, year: int, from_year: int | None = None, *,
                plugins: Plugins | None = None) -> Path:
    """Create ``reports/<year>/`` from ``reports/<from_year>/``; returns the new config path."""
    root_config = Path(root_config)
    from_year = from_year if from_year is not None else year - 1
    reports = root_config.parent / "reports"
    src_cfg_path = reports / str(from_year) / "rapact.toml"
    if not src_cfg_path.is_file():
        raise RapactError(Finding(_("no report for {year} to start from (expected {path})").format(
            year=from_year, path=display_path(src_cfg_path))))
    target = reports / str(year)
    if target.is_symlink() or target.exists() and not target.is_dir():
        raise RapactError(Finding(_("the folder for {year} cannot be created: a file (or link) has its name; "
                                    "rename or remove it").format(year=year), file=display_path(target)))
    if target.exists() and any(target.iterdir()):
        raise RapactError(Finding(_("the folder for {year} already exists and is not empty").format(year=year),
                                  file=display_path(target)))
    config = load_config(src_cfg_path)
    if config.report.year != from_year:
        raise RapactError(Finding(_("{path} is the report of {year}, not {expected}").format(
            path=display_path(src_cfg_path), year=config.report.year, expected=from_year), field="report.year"))
    ctx = make_context(config)
    plugins = plugins or load_plugins()
    reports.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{year}.", dir=reports))
    try:
        text = src_cfg_path.read_text(encoding="utf-8")
        (staging / "rapact.toml").write_text(next_config_text(text, from_year, year), encoding="utf-8")
        texts_rel = ctx.texts_dir.relative_to(ctx.report_dir)
        shutil.copytree(ctx.texts_dir, staging / texts_rel)
        data_rel = ctx.data_dir.relative_to(ctx.report_dir)
        new_data = staging / data_rel
        new_data.mkdir(parents=True)
        (new_data / "stated.yaml").write_text(
            "# Figures the text states by hand, checked against the data by `rapact check`:\n"
            "# - {fact: members.total, value: 362, where: \"4.1 Nos associés\"}\n[]\n", encoding="utf-8")
        for name in sorted(plugins.loaded):
            plugins.rapact_new_year(name, source=ctx.data_dir, target=new_data, year=year,
                                    ctx=ctx.for_plugin(name))
        for extra in ctx.report_dir.iterdir():  # pictures, templates: anything else the report uses
            if extra.is_file() and extra.name != "rapact.toml":
                shutil.copyfile(extra, staging / extra.name)
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return inside(target, "rapact.toml")
