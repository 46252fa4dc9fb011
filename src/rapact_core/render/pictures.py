"""Where a picture named in the model is on disk, the same rule for every format."""

from __future__ import annotations

from pathlib import Path

from ..errors import display_path, error
from ..i18n import _


def resolve_picture(path: str, report_dir: Path | str | None, what: str) -> Path:
    """The file of a picture: ``path`` as given if absolute, else relative to the report folder.

    The pipeline has already refused pictures outside the report folder; this
    raises a RapactError naming the file when it is missing at render time.
    """
    p = Path(path)
    if not p.is_absolute():
        p = Path(report_dir or ".") / p
    if not p.is_file():
        raise error(_("{what}: image file not found: {path}").format(what=_(what), path=display_path(p)),
                    file=display_path(p))
    return p
