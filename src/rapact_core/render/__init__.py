"""One renderer per output format, each a visitor over the document model.

A renderer is a function ``render(doc, target, options)`` that writes one file.
Each imports its heavy library lazily, so ``rapact --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from attrs import frozen

SUFFIX = {"docx": ".docx", "pdf": ".pdf", "html": ".html"}


@frozen
class RenderOptions:
    """What a renderer needs besides the document.

    :param template: a reference DOCX whose styles win (DOCX only).
    :param report_dir: the report folder, to resolve the logo and images.
    :param custom: ``custom(block, format, target)`` renders a plugin's
        ``Custom`` block or raises a RapactError naming the plugin.
    """

    template: Path | None = None
    report_dir: Path | None = None
    custom: Callable | None = None


def renderer(fmt: str):
    if fmt == "docx":
        from .docx import render_docx

        return render_docx
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf
    if fmt == "html":
        from .html import render_html

        return render_html
    raise ValueError(f"unknown format {fmt!r}")
