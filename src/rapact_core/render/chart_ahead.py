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
  and need their pixels only when they save; ``charts.chart_png`` then waits
  for each chart in turn (``wait_for``), in the build's process or in a
  writer process forked after the child, so a chart is embedded while the
  next one is drawn. A chart the child failed to draw is drawn by the
  process that needs it, which reports the error as usual.

A warm rebuild forks nothing and never imports matplotlib. Where
``os.fork`` is missing, or with ``RAPACT_DRAW_AHEAD=0``, charts are drawn on
first use, in the build's process.
"""

from __future__ import annotations

import os
import pickle
import select
from pathlib import Path

from ..model import Chart
from ..processes import can_fork, quiet, spawn

# the keys of the charts the last build used, in the chart cache folder
USED_FILE = "last-build-charts.txt"

# A child that draws charts holds the only write end of a "done" pipe: its read
# end turns readable when the child has left, in every process that has it
# (the build's, and a writer process forked later), so any of them can wait
# for a chart without being the child's parent.

# a warm child waiting for its charts: (pid, write end of its job pipe, done fd)
_warm: tuple[int, int, int] | None = None
# key of a chart being drawn ahead -> (pid, done fd) of the child drawing it
_drawing: dict[str, tuple[int, int]] = {}
# warm children released without charts, to be reaped: (pid, done fd)
_leaving: list[tuple[int, int]] = []


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
    done_read, done_write = os.pipe()

    def child() -> int:
        os.close(write_end)
        os.close(done_read)
        quiet()
        _import_matplotlib()
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        return _draw_all(pickle.loads(data) if data else [])

    pid = spawn(child)
    os.close(read_end)
    os.close(done_write)
    _warm = (pid, write_end, done_read)


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
        pid, write_end, done = _warm
        _warm = None
        try:
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(pickle.dumps(missing))
        except OSError:  # the child is gone (it could not import matplotlib?): draw on first use
            _leaving.append((pid, done))
            return
    else:
        done, done_write = os.pipe()

        def child() -> int:
            os.close(done)
            quiet()
            return _draw_all(missing)

        pid = spawn(child)
        os.close(done_write)
    for chart in missing:
        _drawing[chart_key(chart)] = (pid, done)


def busy() -> bool:
    """Whether a child is drawing charts (or waiting for charts to draw)."""
    return bool(_drawing) or _warm is not None


def wait_for(key: str) -> None:
    """Wait until the chart is in the cache, or until the child drawing it has left.

    Charts are waited for one by one (the child writes each PNG whole, by a
    rename), so a renderer embeds a chart while the next one is drawn.
    """
    entry = _drawing.get(key)
    if entry is None:
        return
    from .charts import cache_dir

    path = cache_dir() / f"{key}.png"
    done = entry[1]
    while not path.is_file():
        if select.select([done], [], [], 0.01)[0]:
            return  # the child has left: the chart is there, or the build draws it


def _release() -> None:
    """Let a warm child that has nothing to draw leave (it is reaped by ``finish``)."""
    global _warm
    if _warm is not None:
        pid, write_end, done = _warm
        _warm = None
        os.close(write_end)  # the child reads end-of-file and leaves
        _leaving.append((pid, done))


def finish() -> None:
    """Release a warm child that got no charts and wait for every child (a build
    calls it when it ends, even on error)."""
    _release()
    children = set(_leaving) | set(_drawing.values())
    _leaving.clear()
    _drawing.clear()
    for pid, done in children:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:  # already reaped
            pass
        os.close(done)


def _import_matplotlib() -> None:
    from matplotlib import font_manager
    from matplotlib.backends import backend_agg  # noqa: F401
    from matplotlib.figure import Figure  # noqa: F401

    font_manager.findfont("DejaVu Sans")  # loads the font list


def _draw_all(charts: list[Chart]) -> int:
    """In a chart child: draw the charts, half of them in a second process.

    The second process is forked here, with matplotlib already imported, so
    it draws at once; both take the charts in document order (1st, 3rd… and
    2nd, 4th…), the order the renderers wait for them. It holds the "done"
    pipe too, so the child counts as done when both have left.
    """
    from .charts import chart_png

    helper = spawn(lambda: _draw_each(charts[1::2], chart_png)) if len(charts) > 1 else None
    code = _draw_each(charts[::2] if helper else charts, chart_png)
    if helper is not None:
        _, status = os.waitpid(helper, 0)
        code = code or (1 if status else 0)
    return code


def _draw_each(charts: list[Chart], chart_png) -> int:
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
