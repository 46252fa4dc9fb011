"""Charts drawn from their data with matplotlib, shared by both renderers.

Images are cached by a hash of the chart's content, so a rebuild with the
same data does not even import matplotlib (its import alone costs ~0.65 s).

A figure still to be filled in (``MISSING``) is never drawn as zero: its bar
is left out, its line broken, and "à compléter" is written in its place, as
the tables of a draft print it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
import zlib
from contextvars import ContextVar
from pathlib import Path

from ..errors import Finding, RapactError, display_path
from ..formatting import format_number, format_value
from ..i18n import _
from ..missing import FILL_IN_TEXT, MISSING
from ..model import CellKind, Chart, ChartKind

DPI = 200
SIZE_INCHES = (6.4, 3.4)
#: Twelve colours a reader tells apart, colour-blind or not: Okabe & Ito's eight
#: (their blue darkened to the report's accent), then Paul Tol's wine and indigo
#: (muted set), dark olive (dark set) and pink (light set). Each pair differs
#: by a CIELAB distance of 15 or more in normal vision and under simulated
#: protanopia, deuteranopia and tritanopia, and from the white background too
#: (tests/test_charts.py computes it). The order puts the most distinct first:
#: a chart of a few series uses the first few.
PALETTE = ("#1f5f8b", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#882255",
           "#332288", "#666633", "#000000", "#ffaabb")
#: beyond twelve series the colours come round again, hatched: one pattern per round
HATCHES = ("////", "\\\\\\\\", "xxxx", "....", "++++", "oo")


# Set by the build to a folder inside the output folder: a build writes nowhere else.
CACHE_DIR: ContextVar[Path | None] = ContextVar("rapact_chart_cache", default=None)


def cache_dir() -> Path:
    base = os.environ.get("RAPACT_CACHE_DIR")
    if base:
        return Path(base)
    folder = CACHE_DIR.get()
    if folder is not None:
        return folder
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "rapact" / "charts"


def chart_key(chart: Chart) -> str:
    payload = json.dumps(
        {
            "v": 4,
            "kind": chart.kind.value,
            "title": chart.title,
            "categories": list(chart.categories),
            "series": [[s.name, [None if v is MISSING else str(v) for v in s.values]] for s in chart.series],
            "unit": chart.unit.value,
            "y": chart.y_label,
            "dpi": DPI,
            "size": SIZE_INCHES,
        },
        ensure_ascii=False, sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def chart_size(chart: Chart) -> tuple[int, int]:
    """The chart's PNG size in pixels, known before it is drawn."""
    return round(SIZE_INCHES[0] * DPI), round(SIZE_INCHES[1] * DPI)


def chart_png(chart: Chart) -> Path:
    """The PNG file of a chart, drawn on first use and cached afterwards.

    What the cache holds is checked before it is used: an empty, truncated or
    foreign file (a crash, a full disk, a hand edit) is drawn again, so a
    broken cache never breaks a build.
    """
    folder = _usable_cache(cache_dir())
    key = chart_key(chart)
    path = folder / f"{key}.png"
    if _valid_png(path, chart_size(chart)):
        return path
    data = _draw(chart)
    tmp = path.with_name(f".{key}.{os.getpid()}{_TEMP_SUFFIX}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path


_TEMP_SUFFIX = ".tmp"
_checked_folders: set[Path] = set()


def _usable_cache(folder: Path) -> Path:
    """``folder``, created if needed; refused when it (or a parent) is a file.
    Temporary files of dead builds are removed, once per folder and process."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocking = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), folder)
        raise RapactError(Finding(_("the chart cache folder cannot be created: this is a file, not a folder; "
                                    "rename or delete it"), file=display_path(blocking))) from None
    except OSError as exc:
        raise RapactError(Finding(_("cannot create the chart cache folder: {reason}").format(
                                      reason=exc.strerror or exc),
                                  file=display_path(folder))) from None
    if folder not in _checked_folders:
        _checked_folders.add(folder)
        _remove_stale_temps(folder)
    return folder


def _remove_stale_temps(folder: Path) -> None:
    from ..output import process_alive

    for entry in folder.iterdir():
        # <key>.<pid>.tmp (before 2026-12) and .<key>.<pid>.tmp, or the PDF writer's <name>.<pid>.tmp
        parts = entry.name.split(".")
        if entry.name.endswith(_TEMP_SUFFIX) and len(parts) >= 3 and parts[-2].isdigit() \
                and not process_alive(int(parts[-2])):
            with contextlib.suppress(OSError):
                entry.unlink()


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _valid_png(path: Path, size: tuple[int, int]) -> bool:
    """Whether ``path`` is a whole PNG of ``size`` pixels: signature, header, every
    chunk's CRC, and the end chunk (a few ms for a chart; no image library needed)."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if not data.startswith(_PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return False
    if struct.unpack(">II", data[16:24]) != tuple(size):
        return False
    pos = len(_PNG_SIGNATURE)
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        end = pos + 12 + length
        if end > len(data):
            return False
        (crc,) = struct.unpack(">I", data[end - 4:end])
        if zlib.crc32(data[pos + 4:end - 4]) != crc:
            return False
        if kind == b"IEND":
            return end == len(data)
        pos = end
    return False


# Address space that importing numpy and matplotlib reserves (measured: ~150 MiB, most of
# it OpenBLAS's buffers). Under a memory limit (ulimit -v) OpenBLAS does not fail with an
# exception but ends the process with its own message: the room is checked first.
MATPLOTLIB_IMPORT_BYTES = 160 << 20


def _check_memory_for_matplotlib() -> None:
    """Raise MemoryError (which the CLI reports as "not enough memory") when importing
    matplotlib would exceed the process's address-space limit."""
    import sys

    if "matplotlib" in sys.modules:
        return
    try:
        import resource
    except ImportError:  # not POSIX: no such limit
        return
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return
    probe = bytearray(MATPLOTLIB_IMPORT_BYTES)  # address space only: the pages are never touched
    del probe


def build_figure(chart: Chart):
    """The chart as a matplotlib ``Figure`` on an Agg canvas, laid out, not saved:
    what :func:`chart_png` draws, for a test to read back its bars and legend."""
    _check_memory_for_matplotlib()

    # matplotlib's object API, without pyplot: no global figure manager, no GUI
    # backend to pick, and ~0.1 s less to import
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with rc_context(_RC):
        fig = Figure(figsize=SIZE_INCHES, dpi=DPI)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        _plot(chart, fig, ax)
    return fig


def _draw(chart: Chart) -> bytes:
    import io

    fig = build_figure(chart)  # first: it checks there is room to import matplotlib

    from matplotlib import rc_context

    buf = io.BytesIO()
    with rc_context(_RC):
        fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def series_style(index: int) -> dict:
    """The colour of series ``index`` and, past the palette's twelve, its hatching."""
    style = {"color": PALETTE[index % len(PALETTE)]}
    if index >= len(PALETTE):
        # the hatch is drawn in the edge colour: white lines over the bar's own colour
        style.update(hatch=HATCHES[(index // len(PALETTE) - 1) % len(HATCHES)], edgecolor="white",
                     linewidth=0)
    return style


_RC = {
    "font.family": "DejaVu Sans", "font.size": 9, "svg.hashsalt": "rapact",
    "axes.spines.top": False, "axes.spines.right": False,
}


#: series in one legend column; more take two
LEGEND_ROWS = 14
#: a line chart's markers, one per round of the palette (lines are not hatched)
_MARKERS = ("o", "s", "^", "D", "v", "P")

_MISSING_MARK = {"fontsize": 6.5, "color": "#444444", "style": "italic", "zorder": 1.5}
# Over a stacked bar, or near a line's points, the mark needs a light box to be read. It is
# drawn above bars (zorder 1) and below lines and points (zorder 2), which stay visible.
_MISSING_BOX = {"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}


def _known(positions, values) -> tuple[list, list[float]]:
    """The positions and values of the figures that are known (not MISSING)."""
    pairs = [(p, float(v)) for p, v in zip(positions, values) if v is not MISSING]
    return [p for p, _ in pairs], [v for _, v in pairs]


def _mark_missing(ax, position, half_width: float, *, horizontal: bool = False, beside: bool = False,
                  boxed: bool = False) -> None:
    """Write "à compléter" where a missing figure's bar or point would be.

    The place is added to the category axis's data limits: no bar or point
    makes the axis reach it (a missing last year would sit on the chart's edge).
    ``beside`` moves the mark a little to the right of the category, so that a
    point another series has there, low on the axis, is not hidden by it.
    """
    style = dict(_MISSING_MARK, bbox=_MISSING_BOX) if boxed else _MISSING_MARK
    low, high = position - half_width, position + half_width
    if horizontal:
        ax.update_datalim([(0, low), (0, high)], updatex=False)
        # x in axes fractions, y in data: at the start of the category's row
        ax.annotate(FILL_IN_TEXT, (0.01, position), xycoords=ax.get_yaxis_transform(),
                    ha="left", va="center", **style)
    else:
        ax.update_datalim([(low, 0), (high, 0)], updatey=False)
        # x in data, y in axes fractions: just above the category's foot
        ax.annotate(FILL_IN_TEXT, (position, 0.02), xycoords=ax.get_xaxis_transform(),
                    xytext=(7 if beside else 0, 0), textcoords="offset points",
                    rotation=90, ha="center", va="bottom", **style)


def _legend_handle(container, style: dict, name: str):
    """The bars' own legend entry, or a swatch of their colour when none was drawn
    (every figure of the series missing): an empty container has no colour to show."""
    if len(container):
        return container
    from matplotlib.patches import Patch

    return Patch(facecolor=style["color"], hatch=style.get("hatch"), edgecolor=style.get("edgecolor"),
                 label=name)


def _plot(chart: Chart, fig, ax) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    cats = list(chart.categories)
    n = len(chart.series)
    positions = list(range(len(cats)))
    unit = chart.unit

    biggest = max((abs(float(v)) for s in chart.series for v in s.values if v is not MISSING), default=0)
    missing = any(v is MISSING for s in chart.series for v in s.values)
    known = any(v is not MISSING for s in chart.series for v in s.values)
    handles = []  # the legend's entries, one per series

    def fmt(v, _pos=None):
        if unit is CellKind.MONEY and biggest >= 1_000_000:
            # "1,2 M€": full amounts on an axis overlap each other
            return format_number(v / 1_000_000, 1).replace("\u202f", " ") + " M€"
        if unit is CellKind.MONEY and biggest >= 10_000:
            return format_number(v / 1_000, 0).replace("\u202f", " ") + " k€"
        return format_value(v if unit is not CellKind.INTEGER else int(round(v)), unit,
                            0 if unit in (CellKind.MONEY, CellKind.INTEGER) else None).replace("\u202f", " ")

    if chart.kind in (ChartKind.BAR, ChartKind.HBAR):
        width = 0.8 / max(n, 1)
        for i, s in enumerate(chart.series):
            offs = [p - 0.4 + width * (i + 0.5) for p in positions]
            at, vals = _known(offs, s.values)
            style = series_style(i)
            draw = ax.bar if chart.kind is ChartKind.BAR else ax.barh
            handles.append(_legend_handle(draw(at, vals, width, label=s.name, **style), style, s.name))
            for off, v in zip(offs, s.values):
                if v is MISSING:
                    _mark_missing(ax, off, width / 2, horizontal=chart.kind is ChartKind.HBAR)
        if chart.kind is ChartKind.BAR:
            ax.set_xticks(positions, cats, rotation=30 if max(map(len, cats), default=0) > 8 else 0,
                          ha="right" if max(map(len, cats), default=0) > 8 else "center")
            ax.yaxis.set_major_formatter(FuncFormatter(fmt))
        else:
            ax.set_yticks(positions, cats)
            ax.invert_yaxis()
            ax.xaxis.set_major_formatter(FuncFormatter(fmt))
            ax.xaxis.set_major_locator(MaxNLocator(6, steps=[1, 2, 5, 10]))
    elif chart.kind is ChartKind.STACKED_BAR:
        # positive parts pile up from zero, negative ones down from it: one stack
        # each way, or a -1 would hide inside the positive stack it was drawn over
        above, below = [0.0] * len(cats), [0.0] * len(cats)
        for i, s in enumerate(chart.series):
            # a missing part is left out of its stack, which the mark then flags as incomplete
            at = [p for p in positions if s.values[p] is not MISSING]
            values = [float(s.values[p]) for p in at]
            bottoms = [below[p] if v < 0 else above[p] for p, v in zip(at, values)]
            style = series_style(i)
            bars = ax.bar(at, values, 0.7, bottom=bottoms, label=s.name, **style)
            handles.append(_legend_handle(bars, style, s.name))
            for p, v in zip(at, values):
                if v < 0:
                    below[p] += v
                else:
                    above[p] += v
        if any(below):
            ax.axhline(0, color="#404040", linewidth=0.8, zorder=2.5)
        for p in positions:
            if any(s.values[p] is MISSING for s in chart.series):
                _mark_missing(ax, p, 0.35, boxed=True)
        ax.set_xticks(positions, cats)
        ax.yaxis.set_major_formatter(FuncFormatter(fmt))
    else:
        for i, s in enumerate(chart.series):
            # NaN breaks the line: no segment leads to or from a missing point
            handles += ax.plot(positions, [float("nan") if v is MISSING else float(v) for v in s.values],
                               marker=_MARKERS[(i // len(PALETTE)) % len(_MARKERS)], label=s.name,
                               color=PALETTE[i % len(PALETTE)])
        for p in positions:
            if any(s.values[p] is MISSING for s in chart.series):
                _mark_missing(ax, p, 0, beside=n > 1, boxed=True)
        ax.set_xticks(positions, cats)
        ax.yaxis.set_major_formatter(FuncFormatter(fmt))
    if missing:
        ax.autoscale_view()  # to the places marked missing too
    if not known:
        # no figure at all yet: a value axis would only show a made-up scale
        from matplotlib.ticker import NullLocator

        (ax.xaxis if chart.kind is ChartKind.HBAR else ax.yaxis).set_major_locator(NullLocator())
    if chart.y_label:
        (ax.set_xlabel if chart.kind is ChartKind.HBAR else ax.set_ylabel)(chart.y_label)
    ax.set_title(chart.title, fontsize=10)
    if n > 1:
        # beside the plot, never over a bar or a point; a stack's legend reads
        # top down as the stack does
        if chart.kind is ChartKind.STACKED_BAR:
            handles = handles[::-1]
        ax.legend(handles=handles, frameon=False, fontsize=8, ncol=1 if n <= LEGEND_ROWS else 2,
                  loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, handlelength=1.4)
    ax.grid(axis="x" if chart.kind is ChartKind.HBAR else "y", alpha=0.3)
    fig.tight_layout()
