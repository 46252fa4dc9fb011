"""Checking a picture the report names: inside the report folder, and an image both writers can embed."""

from __future__ import annotations

from pathlib import Path

from .context import inside
from .errors import Finding, RapactError, display_path
from .limits import MAX_PICTURE_PIXELS

# what python-docx can embed (reportlab reads all of them through Pillow)
FORMATS = ("PNG", "JPEG", "GIF", "BMP", "TIFF")


def check_picture(ctx, path: str, *, file: str | None = None, line: int | None = None,
                  field: str | None = None) -> list[Finding]:
    """The problems of picture ``path`` (relative to the report folder), located at
    ``file``:``line`` (the text naming it) when given, else at the picture itself."""
    try:
        target = inside(ctx.report_dir, path, what="picture", file=file, line=line, field=field)
    except RapactError as exc:
        return exc.findings
    where = {"file": file or display_path(target), "line": line, "field": field}
    if not target.is_file():
        return [Finding(f"picture {path!r} not found" + ("" if file else f" ({field})"), **where)]
    problem = image_problem(target)
    if problem:
        return [Finding(f"picture {path!r} {problem}", **where)]
    return []


def image_problem(path: Path) -> str | None:
    """Why ``path`` cannot be embedded as a picture, or None."""
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the cap below says it
            with Image.open(path) as image:
                kind, (width, height) = image.format, image.size
                if kind not in FORMATS:
                    return f"is a {kind} image: save it as PNG or JPEG"
                if width * height > MAX_PICTURE_PIXELS:
                    return (f"has {width:,} x {height:,} pixels: at most {MAX_PICTURE_PIXELS:,} are embedded; "
                            "save a smaller copy")
                image.verify()
    except Image.DecompressionBombError:
        return f"has more than {MAX_PICTURE_PIXELS:,} pixels: save a smaller copy"
    except Exception:  # Pillow raises many types for a file that is not an image (or a broken one)
        return f"is not an image that documents can hold ({', '.join(FORMATS)}); export it again as PNG or JPEG"
    return None
