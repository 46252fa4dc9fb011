"""Drawing charts ahead, in a child process, while the build goes on.

matplotlib's import (~0.5 s) and the drawing (~0.1 s a chart) would
otherwise come on top of the rest of a build. With ``os.fork``, a child
process does them on the other core:

* ``warm_up`` (at the start of a build whose chart cache looks cold: the
  charts the previous build used are not all there) forks a child that
  imports matplotlib while the parent loads the data and assembles the
  document; ``draw_ahead`` then hands it the charts missing from the cache.
  Without a warm child, ``draw_ahead`` forks one for them.
* The renderers lay charts out at their known size (``charts.chart_size``)
  and need their pixels only when they save; ``charts.chart_png`` waits for
  the child then. A chart the child failed to draw is drawn by the build
  itself, which reports the error as usual.

A warm rebuild forks nothing and never imports matplotlib. Where
``os.fork`` is missing, or with ``RAPACT_DRAW_AHEAD=0``, charts are drawn on
first use, in the build's process.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from ..model import Chart
from ..processes import can_fork, quiet, spawn

# the keys of the charts the last build used, in the chart cache folder
USED_FILE = "last-build-charts.txt"

# a warm child waiting for its charts: (pid, write end of its pipe)
_warm: tuple[int, int] | None = None
# key of a chart being drawn ahead -> pid of the child drawing it
_drawing: dict[str, int] = {}
# warm children released without charts, to be reaped
_leaving: list[int] = []


def _enabled() -> bool:
    return can_fork() and os.environ.get("RAPACT_DRAW_AHEAD", "1") != "0"


def _looks_cold(folder: Path) -> bool:
    try:
        keys = (folder / USED_FILE).read_text(encoding="ascii").split()
    except (OSError, ValueError):
        return True
    return not all((folder / f"{key}.png").is_file() for key in keys)


def warm_up() -> None:
    """Fork a child that imports matplotlib, if the chart cache looks cold."""
    global _warm
    from .charts import cache_dir

    if not _enabled() or _warm is not None or not _looks_cold(cache_dir()):
        return
    read_end, write_end = os.pipe()

    def child() -> int:
        os.close(write_end)
        quiet()
        _import_matplotlib()
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        return _draw_all(pickle.loads(data) if data else [])

    pid = spawn(child)
    os.close(read_end)
    _warm = (pid, write_end)


def draw_ahead(charts) -> None:
    """Have a child draw the charts missing from the cache (see the module's docstring)."""
    global _warm
    from .charts import cache_dir, chart_key

    if not _enabled():
        return
    folder = cache_dir()
    charts = {chart_key(chart): chart for chart in charts}
    _remember_used(folder, charts)
    missing = [chart for key, chart in charts.items()
               if key not in _drawing and not (folder / f"{key}.png").is_file()]
    if not missing:
        _release()
        return
    if _warm is not None:
        pid, write_end = _warm
        _warm = None
        try:
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(pickle.dumps(missing))
        except OSError:  # the child is gone (it could not import matplotlib?): draw on first use
            _reap(pid)
            return
    else:
        def child() -> int:
            quiet()
            return _draw_all(missing)

        pid = spawn(child)
    for chart in missing:
        _drawing[chart_key(chart)] = pid


def busy() -> bool:
    """Whether a child is drawing charts (or waiting for charts to draw)."""
    return bool(_drawing) or _warm is not None


def wait_for(key: str) -> None:
    """Wait for the child drawing this chart, if one is."""
    pid = _drawing.get(key)
    if pid is not None:
        _reap(pid)


def _release() -> None:
    """Let a warm child that has nothing to draw leave (it is reaped by ``finish``)."""
    global _warm
    if _warm is not None:
        pid, write_end = _warm
        _warm = None
        os.close(write_end)  # the child reads end-of-file and leaves
        _leaving.append(pid)


def finish() -> None:
    """Release a warm child that got no charts and wait for every child (a build
    calls it when it ends, even on error)."""
    _release()
    while _leaving:
        _reap(_leaving.pop())
    for pid in set(_drawing.values()):
        _reap(pid)


def _reap(pid: int) -> None:
    for key in [k for k, p in _drawing.items() if p == pid]:
        del _drawing[key]
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:  # already reaped
        pass


def _import_matplotlib() -> None:
    from matplotlib import font_manager
    from matplotlib.backends import backend_agg  # noqa: F401
    from matplotlib.figure import Figure  # noqa: F401

    font_manager.findfont("DejaVu Sans")  # loads the font list


def _draw_all(charts: list[Chart]) -> int:
    from .charts import chart_png

    try:
        for chart in charts:
            chart_png(chart)
    except BaseException:  # the build draws it again and reports the error
        return 1
    return 0


def _remember_used(folder: Path, charts: dict[str, Chart]) -> None:
    text = "\n".join(sorted(charts)) + "\n"
    path = folder / USED_FILE
    try:
        if path.is_file() and path.read_text(encoding="ascii") == text:
            return
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="ascii")
        os.replace(tmp, path)
    except OSError:  # a read-only cache still builds, just colder
        pass
