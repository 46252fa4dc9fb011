"""Charts: drawn ahead in a child process on a cold cache, embedded when the files are saved.

What a user would check: a cold build and a warm one give the same files, a
chart that cannot be drawn in the child is still drawn (or reported) by the
build itself, and the figure in the DOCX and the PDF has the chart's pixels.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from decimal import Decimal

import pytest
from PIL import Image

from rapact_core import model as m
from rapact_core.render import chart_ahead, charts

@pytest.fixture(autouse=True)
def _children_waited_for():
    yield
    chart_ahead.finish()  # as a build does when it ends


CHART = m.Chart(m.ChartKind.BAR, "Membres par année", ["2019", "2020", "2021"],
                [m.Series("Membres", [Decimal(330), Decimal(348), Decimal(362)])])


def test_chart_size_is_known_before_drawing(tmp_path, monkeypatch):
    monkeypatch.setenv("RAPACT_CACHE_DIR", str(tmp_path))
    with Image.open(charts.chart_png(CHART)) as im:
        assert im.size == charts.chart_size(CHART)


def test_drawn_ahead_in_a_child_process(tmp_path, monkeypatch):
    monkeypatch.setenv("RAPACT_CACHE_DIR", str(tmp_path))
    parent = os.getpid()
    drawn_here = []
    real = charts._draw

    def draw(chart):
        if os.getpid() == parent:
            drawn_here.append(chart.title)
        return real(chart)

    monkeypatch.setattr(charts, "_draw", draw)
    chart_ahead.draw_ahead([CHART])
    path = charts.chart_png(CHART)  # waits for the child
    assert path.is_file() and drawn_here == []
    chart_ahead.finish()
    assert not chart_ahead._drawing
    chart_ahead.draw_ahead([CHART])  # cached: no child
    assert not chart_ahead._drawing


def test_a_failing_child_leaves_the_drawing_to_the_build(tmp_path, monkeypatch):
    monkeypatch.setenv("RAPACT_CACHE_DIR", str(tmp_path))
    parent = os.getpid()
    real = charts._draw

    def draw(chart):
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return real(chart)

    monkeypatch.setattr(charts, "_draw", draw)
    chart_ahead.draw_ahead([CHART])
    assert charts.chart_png(CHART).is_file()


def test_draw_ahead_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("RAPACT_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("RAPACT_DRAW_AHEAD", "0")
    chart_ahead.draw_ahead([CHART])
    assert not chart_ahead._drawing


def _build(cwd, env_extra):
    env = {k: v for k, v in os.environ.items() if k != "RAPACT_CACHE_DIR"}
    env.update(env_extra)
    proc = subprocess.run([sys.executable, "-m", "rapact_core", "build"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = cwd / "output"
    return {p.suffix: p.read_bytes() for p in out.glob("rapport-*")}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="charts are drawn ahead only where os.fork exists")
def test_cold_build_equals_warm_and_in_process_builds(report_copy):
    """The 2021 report built on a cold cache (charts drawn by a child while the renderers
    work), then warm, then with drawing ahead turned off: the same bytes every time."""
    cold = _build(report_copy, {})
    pngs = sorted((report_copy / "output" / ".cache" / "charts").glob("*.png"))
    assert len(pngs) == 4
    warm = _build(report_copy, {})
    for png in pngs:
        png.unlink()
    serial = _build(report_copy, {"RAPACT_DRAW_AHEAD": "0"})
    assert cold == warm == serial
    # the DOCX holds the cached PNGs themselves, the PDF one image per chart
    with zipfile.ZipFile(report_copy / "output" / "rapport-activites-2021.docx") as zf:
        media = {hashlib.sha256(zf.read(n)).hexdigest() for n in zf.namelist() if n.startswith("word/media/")}
    assert {hashlib.sha256(p.read_bytes()).hexdigest() for p in pngs} <= media
    assert cold[".pdf"].count(b"/Subtype /Image") == 4


def _drawn_by(monkeypatch):
    """Make each drawing leave a file naming the process that drew it."""
    real = charts._draw

    def draw(chart):
        (charts.cache_dir() / f"drawn-by-{os.getpid()}").touch()
        return real(chart)

    monkeypatch.setattr(charts, "_draw", draw)
    return lambda: {int(p.name.rsplit("-", 1)[1]) for p in charts.cache_dir().glob("drawn-by-*")}


def test_warm_child_draws_what_the_build_hands_it(tmp_path, monkeypatch):
    monkeypatch.setenv("RAPACT_CACHE_DIR", str(tmp_path))
    drawers = _drawn_by(monkeypatch)
    chart_ahead.warm_up()  # a cold cache: a child starts importing matplotlib
    assert chart_ahead._warm is not None
    chart_ahead.draw_ahead([CHART])
    assert charts.chart_png(CHART).is_file()
    assert drawers() and os.getpid() not in drawers()
    chart_ahead.finish()
    assert chart_ahead._warm is None and not chart_ahead._drawing
    # the cache now holds every chart the last build used: the next build does not warm up
    chart_ahead.warm_up()
    assert chart_ahead._warm is None


def test_warm_child_without_charts_leaves(tmp_path, monkeypatch):
    monkeypatch.setenv("RAPACT_CACHE_DIR", str(tmp_path))
    chart_ahead.warm_up()
    pid = chart_ahead._warm[0]
    chart_ahead.finish()  # e.g. the data had errors: no chart to draw
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left behind


def test_warm_child_released_when_every_chart_is_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("RAPACT_CACHE_DIR", str(tmp_path))
    charts.chart_png(CHART)  # cached, but no record of the last build: the cache looks cold
    chart_ahead.warm_up()
    assert chart_ahead.busy()
    chart_ahead.draw_ahead([CHART])  # nothing to draw: the child is let go at once
    assert not chart_ahead.busy()
    pid = chart_ahead._leaving[0][0]
    chart_ahead.finish()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_a_writer_process_waits_for_a_chart_its_sibling_draws(tmp_path, monkeypatch):
    """The DOCX may be written by a process forked after the chart child: it waits for the
    chart too (it is not the chart child's parent) instead of drawing it again."""
    from rapact_core.output import write_all

    monkeypatch.setenv("RAPACT_CACHE_DIR", str(tmp_path / "cache"))
    drawers = _drawn_by(monkeypatch)
    chart_ahead.draw_ahead([CHART])
    out = tmp_path / "out"

    def copy_chart(path):
        path.write_bytes(charts.chart_png(CHART).read_bytes())

    write_all(out, {"first.txt": lambda p: p.write_text("x"), "chart.png": copy_chart}, parallel=True)
    chart_ahead.finish()
    assert len(drawers()) == 1 and os.getpid() not in drawers()  # drawn once, by the chart child
    assert (out / "chart.png").read_bytes() == charts.chart_png(CHART).read_bytes()
