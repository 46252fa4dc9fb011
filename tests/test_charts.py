"""Charts: drawn from their data, cached by content, embedded in both formats.

What a user would check: a cold build and a warm one give the same files, a
warm build does not even import matplotlib, and the figure in the DOCX and
the PDF has the chart's pixels.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from decimal import Decimal

from PIL import Image

from rapact_core import model as m
from rapact_core.render import charts

CHART = m.Chart(m.ChartKind.BAR, "Membres par année", ["2019", "2020", "2021"],
                [m.Series("Membres", [Decimal(330), Decimal(348), Decimal(362)])])


def test_chart_size_is_known_before_drawing(tmp_path, monkeypatch):
    monkeypatch.setenv("RAPACT_CACHE_DIR", str(tmp_path))
    with Image.open(charts.chart_png(CHART)) as im:
        assert im.size == charts.chart_size(CHART)


def test_a_chart_is_drawn_once_then_read_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RAPACT_CACHE_DIR", str(tmp_path))
    drawn = []
    real = charts._draw

    def draw(chart):
        drawn.append(chart.title)
        return real(chart)

    monkeypatch.setattr(charts, "_draw", draw)
    first = charts.chart_png(CHART).read_bytes()
    again = charts.chart_png(CHART).read_bytes()
    assert drawn == ["Membres par année"] and first == again
    other = m.Chart(CHART.kind, CHART.title, CHART.categories,
                    [m.Series("Membres", [Decimal(330), Decimal(348), Decimal(363)])])
    charts.chart_png(other)  # one figure changed: a new key, drawn again
    assert drawn == ["Membres par année"] * 2


def _build(cwd, *, probe: bool = False):
    """Run `rapact build` in ``cwd``; with ``probe``, also say whether matplotlib was imported."""
    env = {k: v for k, v in os.environ.items() if k != "RAPACT_CACHE_DIR"}
    code = "import runpy, sys; sys.argv[0] = 'rapact'\n"
    code += "try:\n    runpy.run_module('rapact_core', run_name='__main__')\nfinally:\n"
    code += "    print('matplotlib' in sys.modules, file=open('mpl.txt', 'w'))\n"
    proc = subprocess.run([sys.executable, "-c", code, "build"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = cwd / "output"
    files = {p.suffix: p.read_bytes() for p in out.glob("rapport-*")}
    return files, (cwd / "mpl.txt").read_text().strip() == "True"


def test_cold_and_warm_builds_give_the_same_files(report_copy):
    """The 2021 report built on a cold cache (charts drawn), then warm (charts read from the
    cache, matplotlib never imported): the same bytes, and the charts' pixels in both files."""
    cold, cold_mpl = _build(report_copy)
    pngs = sorted((report_copy / "output" / ".cache" / "charts").glob("*.png"))
    assert len(pngs) == 4 and cold_mpl
    warm, warm_mpl = _build(report_copy)
    assert cold == warm
    assert not warm_mpl
    # the DOCX holds the cached PNGs themselves, the PDF one image per chart
    with zipfile.ZipFile(report_copy / "output" / "rapport-activites-2021.docx") as zf:
        media = {hashlib.sha256(zf.read(n)).hexdigest() for n in zf.namelist() if n.startswith("word/media/")}
    assert {hashlib.sha256(p.read_bytes()).hexdigest() for p in pngs} <= media
    assert cold[".pdf"].count(b"/Subtype /Image") == 4
    # the PDF's image streams are cached beside the PNGs, one per chart
    assert len(list((report_copy / "output" / ".cache" / "charts").glob("*.pdfimage"))) == 4
