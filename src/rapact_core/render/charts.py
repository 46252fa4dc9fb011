"""Charts drawn from their data with matplotlib, shared by both renderers.

Images are cached by a hash of the chart's content, so a rebuild with the
same data does not even import matplotlib (its import alone costs ~0.65 s).
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
from ..model import CellKind, Chart, ChartKind

DPI = 200
SIZE_INCHES = (6.4, 3.4)
PALETTE = ("#1f5f8b", "#f29f05", "#6a9f3b", "#b23a48", "#7d5ba6", "#3aa6b2")


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
            "v": 3,
            "kind": chart.kind.value,
            "title": chart.title,
            "categories": list(chart.categories),
            "series": [[s.name, [str(v) for v in s.values]] for s in chart.series],
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
        raise RapactError(Finding("the chart cache folder cannot be created: this is a file, not a folder; "
                                  "rename or delete it", file=display_path(blocking))) from None
    except OSError as exc:
        raise RapactError(Finding(f"cannot create the chart cache folder: {exc.strerror or exc}",
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


def _draw(chart: Chart) -> bytes:
    import io

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
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


_RC = {
    "font.family": "DejaVu Sans", "font.size": 9, "svg.hashsalt": "rapact",
    "axes.spines.top": False, "axes.spines.right": False,
}


def _plot(chart: Chart, fig, ax) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    cats = list(chart.categories)
    n = len(chart.series)
    positions = list(range(len(cats)))
    unit = chart.unit

    biggest = max((abs(float(v)) for s in chart.series for v in s.values), default=0)

    def fmt(v, _pos=None):
        if unit is CellKind.MONEY and biggest >= 1_000_000:
            # "1,2 M€": full amounts on an axis overlap each other
            return format_number(v / 1_000_000, 1).replace("\u202f", " ") + " M€"
        if unit is CellKind.MONEY and biggest >= 10_000:
            return format_number(v / 1_000, 0).replace("\u202f", " ") + " k€"
        kind = unit if unit is not CellKind.MONEY else CellKind.MONEY
        return format_value(v if unit is not CellKind.INTEGER else int(round(v)), kind,
                            0 if unit in (CellKind.MONEY, CellKind.INTEGER) else None).replace("\u202f", " ")

    if chart.kind in (ChartKind.BAR, ChartKind.HBAR):
        width = 0.8 / max(n, 1)
        for i, s in enumerate(chart.series):
            offs = [p - 0.4 + width * (i + 0.5) for p in positions]
            vals = [float(v) for v in s.values]
            if chart.kind is ChartKind.BAR:
                ax.bar(offs, vals, width, label=s.name, color=PALETTE[i % len(PALETTE)])
            else:
                ax.barh(offs, vals, width, label=s.name, color=PALETTE[i % len(PALETTE)])
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
        bottoms = [0.0] * len(cats)
        for i, s in enumerate(chart.series):
            vals = [float(v) for v in s.values]
            ax.bar(positions, vals, 0.7, bottom=bottoms, label=s.name, color=PALETTE[i % len(PALETTE)])
            bottoms = [b + v for b, v in zip(bottoms, vals)]
        ax.set_xticks(positions, cats)
        ax.yaxis.set_major_formatter(FuncFormatter(fmt))
    else:
        for i, s in enumerate(chart.series):
            ax.plot(positions, [float(v) for v in s.values], marker="o", label=s.name,
                    color=PALETTE[i % len(PALETTE)])
        ax.set_xticks(positions, cats)
        ax.yaxis.set_major_formatter(FuncFormatter(fmt))
    if chart.y_label:
        (ax.set_xlabel if chart.kind is ChartKind.HBAR else ax.set_ylabel)(chart.y_label)
    ax.set_title(chart.title, fontsize=10)
    if n > 1:
        ax.legend(frameon=False, fontsize=8, ncol=min(n, 5), loc="lower right" if chart.kind is ChartKind.HBAR else "best")
    ax.grid(axis="x" if chart.kind is ChartKind.HBAR else "y", alpha=0.3)
    fig.tight_layout()
