"""Where the DOCX's landscape tables go, kept in the build's cache.

Following the PDF's floats (:mod:`.docx_floats`) means laying out the chapters
that hold a landscape table: reportlab, its fonts and the layout cost a DOCX
build about a third of a second, every build. What comes out, a few block
moves, depends only on those chapters, the tables the DOCX turns landscape,
the pictures they show and the code that lays them out; it is kept in the
chart cache's folder (``floats-<key>.json``, as the fonts' subsets are),
keyed by all of these, and checked before it is used: a missing, broken or
foreign entry is laid out again. Chapters holding a plugin's custom block
are laid out each time (what a plugin draws is not known in advance).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from .. import __version__
from .. import model as m
from . import RenderOptions

#: bump when what is cached changes meaning
VERSION = 1


def cached(sub: m.Document, tables: Sequence[int], barriers: Sequence[int], options: RenderOptions,
           compute: Callable[[], list]) -> list:
    """The moves ``compute()`` gives for ``sub``, from the cache when it holds them."""
    from .docx_floats import Move

    key = _key(sub, tables, barriers, options)
    path = _folder() / f"floats-{key}.json" if key else None
    if path is not None:
        with contextlib.suppress(OSError, ValueError, TypeError):
            entry = json.loads(path.read_text(encoding="utf-8"))
            moves = [Move(*(int(x) for x in move)) for move in entry["moves"]]
            count = sum(len(chapter.blocks) for chapter in sub.chapters)
            if entry["key"] == key and all(0 <= mv.first <= mv.table <= mv.after < count and mv.cut >= 0
                                           for mv in moves):
                return moves
    moves = compute()
    if path is not None:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps({"key": key, "moves": [[mv.first, mv.table, mv.after, mv.cut] for mv in moves]}),
                           encoding="utf-8")
            os.replace(tmp, path)
        except OSError:  # no cache: laid out again next time
            with contextlib.suppress(OSError):
                tmp.unlink()
    return moves


def _key(sub: m.Document, tables, barriers, options: RenderOptions) -> str | None:
    """A digest of everything the layout depends on; None when that cannot be known."""
    from .pictures import resolve_picture

    pictures = []
    for block in sub.blocks():
        if isinstance(block, m.Custom):
            return None
        if isinstance(block, m.Image):
            try:
                path = resolve_picture(block.path, options.report_dir, "picture")
                pictures.append(hashlib.sha256(path.read_bytes()).hexdigest())
            except Exception:  # the layout says what is wrong with it
                return None
    text = repr((VERSION, __version__, _code(), repr(sub), list(tables), list(barriers), pictures))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@functools.cache
def _code() -> str:
    """The code and fonts the layout runs on: the render package's sources, reportlab's version."""
    from reportlab import Version

    from . import fonts

    digest = hashlib.sha256(Version.encode())
    here = Path(__file__).parent
    for path in sorted(here.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for path in sorted(Path(fonts.font_dir()).glob("*")):
        st = path.stat()
        digest.update(f"{path.name}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return digest.hexdigest()


def _folder() -> Path:
    from .charts import cache_dir

    folder = cache_dir()
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
    return folder
