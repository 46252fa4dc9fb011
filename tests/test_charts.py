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

import pytest

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


# ---------------------------------------------------------------- a figure still to be filled in

def _with(values, kind=m.ChartKind.BAR):
    from rapact_core.missing import MISSING

    return m.Chart(kind, "Membres par année", ["2019", "2020", "2021"],
                   [m.Series("Membres", [MISSING if v is None else Decimal(v) for v in values]),
                    m.Series("CPAS", [Decimal(80), Decimal(90), Decimal(101)])])


def _axes(chart):
    """The chart drawn as _draw draws it, for reading back its bars, lines and texts."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=charts.SIZE_INCHES, dpi=charts.DPI)
    ax = fig.add_subplot()
    charts._plot(chart, fig, ax)
    return ax


def test_a_missing_figure_is_drawn_as_a_gap_not_as_zero(tmp_path, monkeypatch):
    monkeypatch.setenv("RAPACT_CACHE_DIR", str(tmp_path))
    draft, zero = _with([330, None, 362]), _with([330, 0, 362])
    assert charts.chart_key(draft) != charts.chart_key(zero)
    draft_png, zero_png = charts.chart_png(draft), charts.chart_png(zero)
    assert draft_png != zero_png and draft_png.read_bytes() != zero_png.read_bytes()
    with Image.open(draft_png) as im:
        assert im.format == "PNG" and im.size == charts.chart_size(draft)
    # what a reader sees: the other series' three bars, two of this one, and the mark where 2020 goes
    ax = _axes(draft)
    heights = sorted(round(p.get_height()) for p in ax.patches)
    assert heights == [80, 90, 101, 330, 362]
    assert [t.get_text() for t in ax.texts] == ["à compléter"]
    x = ax.texts[0].xy[0]
    assert 0.5 < x < 1.5  # under the 2020 category
    assert sorted(round(p.get_height()) for p in _axes(zero).patches) == [0, 80, 90, 101, 330, 362]
    assert list(_axes(zero).texts) == []


def test_a_missing_figure_breaks_the_line_and_leaves_a_stack_incomplete():
    import math

    line = _axes(_with([330, None, 362], m.ChartKind.LINE))
    ydata = list(line.lines[0].get_ydata())
    assert ydata[0] == 330 and math.isnan(ydata[1]) and ydata[2] == 362
    assert [t.get_text() for t in line.texts] == ["à compléter"]
    stacked = _axes(_with([330, None, 362], m.ChartKind.STACKED_BAR))
    # 2020 holds the CPAS part alone, on the axis: the missing part is not counted as 0 beneath it
    bars = sorted((round(p.get_x() + p.get_width() / 2), round(p.get_y()), round(p.get_height()))
                  for p in stacked.patches)
    assert bars == [(0, 0, 330), (0, 330, 80), (1, 0, 90), (2, 0, 362), (2, 362, 101)]
    assert [t.get_text() for t in stacked.texts] == ["à compléter"]
    hbar = _axes(_with([330, None, 362], m.ChartKind.HBAR))
    assert sorted(round(p.get_width()) for p in hbar.patches) == [80, 90, 101, 330, 362]
    assert [t.get_text() for t in hbar.texts] == ["à compléter"]


def test_a_series_still_all_to_fill_in_keeps_its_place_colour_and_no_made_up_scale():
    from matplotlib.colors import to_hex

    from rapact_core.missing import MISSING

    draft = m.Chart(m.ChartKind.HBAR, "Communes membres par province", ["Hainaut", "Liège", "Namur"],
                    [m.Series("Membres", [MISSING] * 3), m.Series("Communes", [MISSING] * 3)])
    ax = _axes(draft)
    assert list(ax.patches) == [] and [t.get_text() for t in ax.texts] == ["à compléter"] * 6
    # each series' own colour in the legend, though none of its bars is drawn
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["Membres", "Communes"]
    assert [to_hex(h.get_facecolor()) for h in legend.legend_handles] == [charts.PALETTE[0], charts.PALETTE[1]]
    assert list(ax.get_xticks()) == []  # no value is known: no scale of values
    low, high = sorted(ax.get_ylim())
    assert low < -0.4 and high > 2.4  # every category's row, with its marks, inside the chart
    # a year still to fill in at the end of a bar chart is inside the chart, not on its edge
    ax = _axes(m.Chart(m.ChartKind.BAR, "Effectif", ["2020", "2021", "2022"], [m.Series("Effectif", [41, 45, MISSING])]))
    assert ax.get_xlim()[1] > 2.4


# ---------------------------------------------------------------- many series, negative parts

def _new_clients_chart() -> m.Chart:
    """The 2021 report's new-clients chart: stacked, nine products, a -1 in 2019 and 2020."""
    from conftest import ROOT
    from rapact_core import testing

    result = testing.build_result(ROOT / "rapact.toml", bundled=True)
    (chart,) = [b.chart for b in result.document.blocks()
                if isinstance(b, m.Figure) and b.chart.kind is m.ChartKind.STACKED_BAR]
    return chart


def test_the_new_clients_chart_is_readable():
    from matplotlib.colors import to_hex

    chart = _new_clients_chart()
    assert len(chart.series) == 9
    negatives = [(s.name, chart.categories[i]) for s in chart.series for i, v in enumerate(s.values) if v < 0]
    assert negatives, "the test case holds negative parts"
    fig = charts.build_figure(chart)
    (ax,) = fig.axes
    legend = ax.get_legend()
    # nine series, nine colours, each named in the legend
    colours = {t.get_text(): to_hex(h.get_facecolor()) for t, h in zip(legend.get_texts(), legend.legend_handles)}
    assert set(colours) == {s.name for s in chart.series}
    assert len(set(colours.values())) == 9
    # the legend sits beside the plotting area, inside the picture
    renderer = fig.canvas.get_renderer()
    box, area = legend.get_window_extent(renderer), ax.get_window_extent(renderer)
    assert not box.overlaps(area), (box, area)
    assert fig.bbox.contains(box.x0, box.y0) and fig.bbox.contains(box.x1, box.y1)
    # every -1 is drawn, below the axis, the positive parts above it
    down = [(bars.get_label(), chart.categories[round(p.get_x() + p.get_width() / 2)], p)
            for bars in ax.containers for p in bars if p.get_height() < 0]
    assert sorted((name, year) for name, year, _ in down) == sorted(negatives)
    for name, _year, p in down:
        assert p.get_y() <= 0 and p.get_y() + p.get_height() < 0
        assert to_hex(p.get_facecolor()) == colours[name]
    assert all(p.get_y() >= 0 for p in ax.patches if p.get_height() > 0)
    assert ax.get_ylim()[0] < -1
    # each year's positive stack reaches the sum of its positive parts (the table's total plus the -1s)
    for i, year in enumerate(chart.categories):
        top = max((p.get_y() + p.get_height() for p in ax.patches if round(p.get_x() + p.get_width() / 2) == i),
                  default=0)
        assert top == pytest.approx(sum(float(s.values[i]) for s in chart.series if s.values[i] > 0)), year


def _lab_under(hex_colour: str, deficiency: str) -> tuple[float, float, float]:
    """CIELAB of a colour as seen with a colour vision deficiency (Machado et al. 2009, severity 1)."""
    matrices = {
        "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
        "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                       (-0.003882, -0.048116, 1.051998)),
        "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                         (-0.011820, 0.042940, 0.968881)),
        "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                       (0.004733, 0.691367, 0.303900)),
    }

    def linear(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    rgb = [linear(int(hex_colour[i:i + 2], 16)) for i in (1, 3, 5)]
    r, g, b = (min(1, max(0, sum(k * v for k, v in zip(row, rgb)))) for row in matrices[deficiency])
    x, y, z = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, \
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


@pytest.mark.parametrize("deficiency", ["normal", "protanopia", "deuteranopia", "tritanopia"])
def test_the_palette_has_twelve_colours_told_apart_with_any_colour_vision(deficiency):
    import itertools
    import math

    assert len(set(charts.PALETTE)) == len(charts.PALETTE) >= 12
    seen = [_lab_under(c, deficiency) for c in (*charts.PALETTE, "#ffffff")]  # and the white page
    closest = min(math.dist(a, b) for a, b in itertools.combinations(seen, 2))
    assert closest >= 15, closest


def test_series_beyond_the_palette_are_hatched():
    from matplotlib.colors import to_hex

    n = len(charts.PALETTE) + 3
    chart = m.Chart(m.ChartKind.STACKED_BAR, "Beaucoup de séries", ["2020", "2021"],
                    [m.Series(f"S{i}", [1, 2]) for i in range(n)])
    ax = charts.build_figure(chart).axes[0]
    looks = {(to_hex(h.get_facecolor()), h.get_hatch()) for h in ax.get_legend().legend_handles}
    assert len(looks) == n  # every series its own colour or its own colour and hatching
    assert [h.get_hatch() for h in ax.get_legend().legend_handles].count(None) == len(charts.PALETTE)
