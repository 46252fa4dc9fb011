"""Checking a picture the report names: inside the report folder, and an image both writers can embed."""

from __future__ import annotations

from pathlib import Path

from .context import inside
from .errors import Finding, RapactError, display_path
from .i18n import N_, _, number_text, quoted
from .limits import MAX_PICTURE_PIXELS

# what python-docx can embed (reportlab reads all of them through Pillow)
FORMATS = ("PNG", "JPEG", "GIF", "BMP", "TIFF")


def check_picture(ctx, path: str, *, file: str | None = None, line: int | None = None,
                  field: str | None = None) -> list[Finding]:
    """The problems of picture ``path`` (relative to the report folder), located at
    ``file``:``line`` (the text naming it) when given, else at the picture itself."""
    try:
        target = inside(ctx.report_dir, path, what=N_("picture"), file=file, line=line, field=field)
    except RapactError as exc:
        return exc.findings
    where = {"file": file or display_path(target), "line": line, "field": field}
    if not target.is_file():
        message = _("picture {path} not found").format(path=quoted(path))
        return [Finding(message if file else f"{message} ({field})", **where)]
    problem = image_problem(target)
    if problem:
        return [Finding(_("picture {path} {problem}").format(path=quoted(path), problem=problem), **where)]
    return []


def image_problem(path: Path) -> str | None:
    """Why ``path`` cannot be embedded as a picture ("is a WEBP image: …"), or None."""
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the cap below says it
            with Image.open(path) as image:
                kind, (width, height) = image.format, image.size
                if kind not in FORMATS:
                    return _("is a {kind} image: save it as PNG or JPEG").format(kind=kind)
                if width * height > MAX_PICTURE_PIXELS:
                    return _("has {width} x {height} pixels: at most {most} are embedded; save a smaller copy"
                             ).format(width=number_text(width), height=number_text(height), most=number_text(MAX_PICTURE_PIXELS))
                image.verify()
    except Image.DecompressionBombError:
        return _("has more than {most} pixels: save a smaller copy").format(most=number_text(MAX_PICTURE_PIXELS))
    except Exception:  # Pillow raises many types for a file that is not an image (or a broken one)
        return _("is not an image that documents can hold ({formats}); export it again as PNG or JPEG").format(
            formats=", ".join(FORMATS))
    return None
