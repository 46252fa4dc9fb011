"""rapact benchmark: big annex tables, the 2021 report, start-up.

    python benchmarks/bench.py --rows 50000 --json

Everything is measured as whole processes (``python -m rapact_core build``,
exactly what ``rapact build`` runs), each waited for with ``os.wait4`` to get
its own peak RSS. Nothing real is used besides the 2021 report: the registry
of N associates is synthetic (deterministic random), written into a copy of
the report in a temporary folder. benchmarks/README.md has the details and
the latest figures.

What is measured (seconds are medians):

* ``docx_s`` / ``pdf_s``: ``rapact build --format docx`` / ``--format pdf`` of
  the 2021 report whose annex holds the N-row registry (chart cache warm, so
  this is data + tables, not matplotlib); ``--repeat`` runs each. Timers
  wrapped around the build's phases give ``model_s`` and ``*_render_s``.
* ``raw_docx_s``: the floor for DOCX, a process that reads the same CSV, sorts
  and formats the same rows and writes the table as a WordprocessingML string
  + zipfile. ``canvas_pdf_s``: the floor for PDF, the same rows drawn with
  reportlab's canvas (drawString per line, long cells broken into lines, a
  header row on each page, the report's fonts and page geometry);
  ``canvas_pdf_nowrap_s``: one drawString per cell, running over.
* ``html_s``: ``rapact build --format html`` of the same report (one
  self-contained HTML file); ``raw_html_s``: its floor, a process that reads
  the same CSV, sorts and formats the same rows and writes the table as an
  HTML string (``html.escape`` per cell, one join per row) into a file.
* ``docx_ratio``, ``pdf_ratio``, ``html_ratio``: build over baseline, whole processes.
* ``pdf_growth``, ``html_growth``: ``pdf_s`` / ``html_s`` over the same
  build at N/5 rows (the linearity target: <= 5.5 for 5x the rows).
* ``peak_mib``: the largest peak RSS of the DOCX, PDF and HTML build processes.
* ``pdf_ua_failed_rules``: the PDF/UA-1 rules the N-row PDF fails, by the
  ``page-validation`` checker (None when it is not installed); ``pdf_ua_check_s``
  its time. ``pdf_mib`` and ``canvas_pdf_mib``: the sizes of the two PDFs.
* ``report_2021_s``: the unmodified 2021 report, its configured formats (DOCX, PDF, HTML), chart cache
  removed before each run (median of ``--runs``); ``report_2021_warm_s``: the
  same with the cache filled; ``warm_imports_matplotlib`` says whether any
  warm run imported matplotlib (it must not).
* ``startup_s``: the slower of ``rapact --help`` and ``rapact plugins``
  (median of ``--runs`` each).
* ``python_startup_s``: ``python -c pass``, run in turn with the 2021 builds
  and the start-up commands, the floor those absolute times stand on. They are
  figures to watch, not targets: a shared machine moves them by tens of per cent.
* ``targets``: each ratio target, its value, limit and whether it is met.

Internal: ``bench.py --child raw-docx|raw-html|canvas-pdf|canvas-pdf-nowrap CSV OUT``
runs one baseline and prints its phases as JSON.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT_NAME = "rapport-activites-2021"

TARGETS = {
    # key: (description, limit) -- a value must be <= its limit
    "docx_ratio": ("DOCX build / raw-string baseline", 2.5),
    "peak_mib": ("peak RSS of a build process, MiB", 400),
    "pdf_growth": ("PDF time at N rows / at N/5 rows", 5.5),
    # the PDF is tagged (PDF/UA-1), the canvas baseline is not: issue 16 allows 3x
    "pdf_ratio": ("tagged PDF build / untagged canvas baseline", 3.0),
    "html_ratio": ("HTML build / raw-string baseline", 2.0),
    "html_growth": ("HTML time at N rows / at N/5 rows", 5.5),
}

# ---------------------------------------------------------------- synthetic registry

_ROOTS = ["Beau", "Ger", "Mar", "Flo", "Cha", "Ro", "Ver", "Lou", "Bra", "Gem", "Wa", "Her", "Ste", "Sai",
          "Mon", "Val", "Cou", "Fon", "Bel", "Lam", "Pe", "Fle", "Thi", "Jo", "Na", "Ha", "Ohe", "Dur"]
_MIDS = ["", "ri", "lan", "de", "mi", "ve", "sa", "bri", "ga", "lo", "ne"]
_ENDS = ["ville", "court", "mont", "sart", "ster", "ies", "ines", "bois", "champs", "rieux", "gnies",
         "elle", "aine", "ée", "y", "ay", "eau", "ignies", "fontaine", "val"]
_QUALIFIERS = ["", "", "", "", "-sur-Meuse", "-sur-Sambre", "-lez-Bruxelles", "-en-Condroz",
               "-la-Neuve", "-Saint-Lambert"]
_STREETS = ["Rue", "Rue", "Rue", "Avenue", "Place", "Chaussée", "Boulevard", "Chemin", "Clos", "Quai"]
_STREET_NAMES = ["de la Station", "de l'Église", "du Moulin", "des Écoles", "Albert Ier", "de la Gare",
                 "du Centre", "Saint-Martin", "des Combattants", "de Namur", "de Bruxelles", "du Château",
                 "Reine Astrid", "des Déportés", "du Pont", "de la Libération", "Émile Vandervelde",
                 "Joseph Wauters", "des Trois Fontaines", "du Marché"]
_PREFIX = {
    "Commune et Ville": ["Commune de", "Ville de"],
    "Province": ["Province de"],
    "CPAS": ["CPAS de"],
    "Zone de Police": ["Zone de Police"],
    "Zone de secours": ["Zone de secours"],
    "Intercommunales": ["Intercommunale"],
    "RCA": ["Régie communale autonome de"],
}


def _place(rng: random.Random) -> str:
    name = rng.choice(_ROOTS) + rng.choice(_MIDS) + rng.choice(_ENDS)
    return name + rng.choice(_QUALIFIERS)


def _categories(report_dir: Path) -> list[tuple[str, int]]:
    path = report_dir / "reports" / "2021" / "data" / "members" / "categories.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [(r["categorie"], max(1, int(r["nombre"]))) for r in rows if r["categorie"].lower() != "total"]


def registry_rows(n: int, categories: list[tuple[str, int]], seed: int = 2021) -> list[list[str]]:
    """N associates: nom, categorie, adresse, date_adhesion (ISO), deterministic for a seed."""
    rng = random.Random(seed)
    names = [c for c, _ in categories]
    weights = [w for _, w in categories]
    first, span = date(1990, 1, 1), (date(2021, 12, 31) - date(1990, 1, 1)).days
    rows, seen = [], set()
    for i in range(n):
        cat = rng.choices(names, weights)[0]
        prefix = rng.choice(_PREFIX.get(cat, [cat]))
        nom = f"{prefix} {_place(rng)}"
        if nom in seen:  # a registry names each associate once
            nom = f"{nom} ({i})"
        seen.add(nom)
        if rng.random() < 0.01:
            adresse = ""
        else:
            adresse = (f"{rng.choice(_STREETS)} {rng.choice(_STREET_NAMES)} {rng.randint(1, 250)}, "
                       f"{rng.randint(1000, 7999)} {_place(rng)}")
        joined = "" if rng.random() < 0.01 else (first + timedelta(days=rng.randrange(span))).isoformat()
        rows.append([nom, cat, adresse, joined])
    return rows


def write_registry(report_dir: Path, rows: list[list[str]]) -> Path:
    path = report_dir / "reports" / "2021" / "data" / "members" / "registry.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["nom", "categorie", "adresse", "date_adhesion"])
        w.writerows(rows)
    return path


def copy_report(dest: Path) -> Path:
    """The 2021 report (root pointer + reports/) copied into ``dest``."""
    dest.mkdir(parents=True)
    shutil.copy2(ROOT / "rapact.toml", dest / "rapact.toml")
    shutil.copytree(ROOT / "reports", dest / "reports",
                    ignore=shutil.ignore_patterns("registry.csv", "__pycache__"))
    return dest


# ---------------------------------------------------------------- processes

# Runs the CLI exactly as `python -m rapact_core` does. Timers are wrapped
# around the two phases (nothing else changes): building the document model
# (load, compute, blocks) and each renderer call. On exit it writes those
# times, and whether matplotlib was imported, as JSON to RAPACT_BENCH_RECORD.
_CLI = """
import atexit, json, os, runpy, sys, time
phases = {}
def _timed(name, func):
    def timed(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            phases[name] = phases.get(name, 0.0) + time.perf_counter() - t0
    return timed
if os.environ.get("RAPACT_BENCH_PHASES"):
    import rapact_core.render as _render, rapact_core.runner as _runner
    _runner.build_document = _timed("model_s", _runner.build_document)
    _renderer = _render.renderer
    _render.renderer = lambda fmt: _timed(fmt + "_render_s", _renderer(fmt))
# a chart drawn (not read from the cache) leaves a mark for this process to read
def _record():
    matplotlib = "matplotlib" in sys.modules or os.path.exists(_drawn)
    with open(os.environ["RAPACT_BENCH_RECORD"], "w") as fh:
        json.dump({"matplotlib": matplotlib, "phases": phases}, fh)
if os.environ.get("RAPACT_BENCH_RECORD"):
    import rapact_core.render.charts as _charts
    _drawn = os.environ["RAPACT_BENCH_RECORD"] + ".drawn"
    _draw = _charts._draw
    def _marked_draw(chart):
        open(_drawn, "w").close()
        return _draw(chart)
    _charts._draw = _marked_draw
    atexit.register(_record)
sys.argv[0] = "rapact"
runpy.run_module("rapact_core", run_name="__main__", alter_sys=True)
"""


#: the environment of every child process (see ``bytecode_env``)
CHILD_ENV: dict[str, str] = dict(os.environ)


def bytecode_env(workdir: Path, cache: bool) -> dict[str, str]:
    """The children's environment: the chart cache in the output folder, as
    by default (RAPACT_CACHE_DIR is dropped). With ``cache`` (the default), Python's
    bytecode cache is on, in ``workdir/pycache``, as on an installed rapact
    (pip compiles at install; an editable install caches on first import);
    without it, the environment as it is (PYTHONDONTWRITEBYTECODE=1 makes
    every process compile rapact's sources again)."""
    env = dict(os.environ)
    env.pop("RAPACT_CACHE_DIR", None)  # charts are cached in each build's output folder
    if cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    return env


class Run:
    def __init__(self, seconds: float, cpu: float, peak_mib: float, matplotlib: bool | None, phases: dict):
        self.seconds, self.cpu, self.peak_mib = seconds, cpu, peak_mib
        self.matplotlib, self.phases = matplotlib, phases


def run(cmd: list[str], cwd: Path, *, record: bool = False, phases: bool = False) -> Run:
    """Run ``cmd``; wall seconds, CPU seconds and the process's own peak RSS (os.wait4).

    ``record``: ``cmd`` is :func:`rapact` (reads back matplotlib and phases);
    ``phases``: time its phases too. Children that print a JSON object on
    stdout (the baselines) have it read back as their phases.
    """
    env = dict(CHILD_ENV)
    marker = None
    if record or phases:
        fd, marker = tempfile.mkstemp(prefix="rapact-bench-", suffix=".json")
        os.close(fd)
        env["RAPACT_BENCH_RECORD"] = marker
    if phases:
        env["RAPACT_BENCH_PHASES"] = "1"
    err = tempfile.TemporaryFile()
    out = tempfile.TemporaryFile()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err.seek(0)
        raise SystemExit(f"bench: {' '.join(map(str, cmd))} failed ({proc.returncode}):\n"
                         + err.read().decode(errors="replace")[-3000:])
    mpl, times = None, {}
    if marker:
        recorded = json.loads(Path(marker).read_text() or "{}")
        os.unlink(marker)
        Path(marker + ".drawn").unlink(missing_ok=True)
        mpl, times = recorded.get("matplotlib"), recorded.get("phases", {})
    else:
        out.seek(0)
        text = out.read().decode(errors="replace").strip()
        if text.startswith("{"):
            times = json.loads(text)
    peak = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
    return Run(seconds, usage.ru_utime + usage.ru_stime, peak, mpl, times)


def rapact(*args: str) -> list[str]:
    return [sys.executable, "-c", _CLI, *args]


def rapact_script(*args: str) -> list[str]:
    """The `rapact` command installed with this Python (what users type), else
    ``python -m rapact_core``. Not the first `rapact` on PATH: that may be a
    version manager's shim (pyenv's adds ~0.04 s of bash) or another install."""
    exe = Path(sys.executable).parent / ("rapact.exe" if os.name == "nt" else "rapact")
    return [str(exe), *args] if exe.is_file() else [sys.executable, "-m", "rapact_core", *args]


def median_run(cmd, cwd, times: int, *, before=None, record=False, phases=False) -> tuple[float, list[Run]]:
    runs = []
    for _ in range(times):
        if before:
            before()
        runs.append(run(cmd, cwd, record=record, phases=phases))
    return statistics.median(r.seconds for r in runs), runs


def interleaved(commands: dict[str, dict], times: int) -> dict[str, tuple[float, list[Run]]]:
    """Run each command once per round, ``times`` rounds; name -> (median seconds, runs)."""
    runs: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(times):
        for name, spec in commands.items():
            runs[name].append(run(spec["cmd"], spec["cwd"], phases=spec.get("phases", False)))
    return {name: (statistics.median(r.seconds for r in got), got) for name, got in runs.items()}


def median_phase(runs: list[Run], key: str) -> float | None:
    values = [r.phases[key] for r in runs if key in r.phases]
    return statistics.median(values) if values else None


# ---------------------------------------------------------------- baselines (child processes)

HEADER = ("Associé", "Catégorie", "Adresse", "Adhésion")
WEIGHTS = (3, 2, 4, 1.3)  # the registry's column widths in the members plugin


def _read_sorted(csv_path: str) -> list[tuple[str, str, str, str]]:
    """The registry rows as the report shows them: sorted, dates dd/mm/yyyy."""
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        rows = []
        for nom, cat, adresse, joined in reader:
            if joined:
                y, m, d = joined.split("-")
                joined = f"{d}/{m}/{y}"
            rows.append((nom, cat, adresse, joined))
    rows.sort(key=lambda r: (r[1], r[0]))
    return rows


def child_raw_docx(csv_path: str, out: str) -> dict:
    """The DOCX floor: one string for document.xml, three parts in a zip."""
    import zipfile
    from xml.sax.saxutils import escape

    t0 = time.perf_counter()
    rows = _read_sorted(csv_path)
    t1 = time.perf_counter()
    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    total = 9638  # twips of an A4 text width with 2.2 cm margins
    widths = [round(total * w / sum(WEIGHTS)) for w in WEIGHTS]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)

    def cell(text, bold=False):
        rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
        return (f'<w:tc><w:p><w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>')

    parts = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>',
             '<w:p><w:r><w:rPr><w:b/><w:sz w:val="32"/></w:rPr><w:t>Registre des associés</w:t></w:r></w:p>',
             '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>'
             '<w:insideH w:val="single" w:sz="4" w:color="C8C8C8"/></w:tblBorders></w:tblPr>'
             f'<w:tblGrid>{grid}</w:tblGrid>',
             '<w:tr><w:trPr><w:tblHeader/></w:trPr>' + "".join(cell(h, True) for h in HEADER) + "</w:tr>"]
    append = parts.append
    for r in rows:
        append("<w:tr>" + "".join(cell(v) for v in r) + "</w:tr>")
    append('<w:tr><w:tc><w:tcPr><w:gridSpan w:val="3"/></w:tcPr><w:p><w:r><w:rPr><w:b/></w:rPr>'
           f'<w:t>Total</w:t></w:r></w:p></w:tc>{cell(str(len(rows)), True)}</w:tr>')
    append("</w:tbl><w:sectPr/></w:body></w:document>")
    document = "".join(parts)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml",
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                    '<Default Extension="xml" ContentType="application/xml"/>'
                    '<Override PartName="/word/document.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        zf.writestr("_rels/.rels",
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        zf.writestr("word/document.xml", document)
    return {"read_s": t1 - t0, "write_s": time.perf_counter() - t1}


def child_raw_html(csv_path: str, out: str) -> dict:
    """The HTML floor: the same table as one string, ``html.escape`` per cell, one join per row."""
    from html import escape

    t0 = time.perf_counter()
    rows = _read_sorted(csv_path)
    t1 = time.perf_counter()
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in HEADER)
    parts = ['<!DOCTYPE html>\n<html lang="fr-BE">\n<head>\n<meta charset="utf-8">\n'
             "<title>Registre des associés</title>\n<style>table{border-collapse:collapse}"
             "td,th{border-bottom:1px solid #c8c8c8;text-align:left}</style>\n</head>\n<body>\n<main>\n"
             "<h2>Registre des associés</h2>\n<table>\n<caption>Registre des associés</caption>\n"
             f"<thead>\n<tr>{head}</tr>\n</thead>\n<tbody>\n"]
    append = parts.append
    for r in rows:
        append("<tr><td>" + "</td><td>".join([escape(v, quote=False) for v in r]) + "</td></tr>\n")
    append(f'</tbody>\n<tfoot>\n<tr class="total"><td colspan="3">Total</td><td>{len(rows)}</td></tr>\n'
           "</tfoot>\n</table>\n</main>\n</body>\n</html>\n")
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("".join(parts))
    return {"read_s": t1 - t0, "write_s": time.perf_counter() - t1}


def _dejavu_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("matplotlib")  # the report's fonts, matplotlib not imported
    for location in spec.submodule_search_locations or []:
        folder = Path(location) / "mpl-data" / "fonts" / "ttf"
        if (folder / "DejaVuSans.ttf").is_file():
            return folder
    raise SystemExit("bench: DejaVu Sans not found in matplotlib's mpl-data")


def _greedy_lines(text: str, width: float, font: str, size: float, string_width) -> list[str]:
    """The plainest word wrap: words on a line while they fit; a too long word alone."""
    lines, line, used = [], [], 0.0
    space = string_width(" ", font, size)
    for word in text.split(" "):
        w = string_width(word, font, size)
        if line and used + space + w > width:
            lines.append(" ".join(line))
            line, used = [], 0.0
        used += (space if line else 0.0) + w
        line.append(word)
    lines.append(" ".join(line))
    return lines


def child_canvas_pdf(csv_path: str, out: str, wrap: bool = True) -> dict:
    """The PDF floor: the same rows drawn with reportlab's canvas, no platypus.

    drawString per line of each cell, a header row on each page, a rule
    below each row, the report's fonts (DejaVu Sans, embedded) and page
    geometry. ``wrap``: cells too long for their column are broken into
    lines (the same output as the report: its lines and page count);
    without it each cell is one line that runs over its neighbours.
    """
    from reportlab import rl_config
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    t0 = time.perf_counter()
    rows = _read_sorted(csv_path)
    t1 = time.perf_counter()
    rl_config.invariant, rl_config.useA85 = 1, 0  # as the report's renderer
    folder = _dejavu_dir()
    regular, bold = "DejaVuSans", "DejaVuSans-Bold"
    pdfmetrics.registerFont(TTFont(regular, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(bold, str(folder / "DejaVuSans-Bold.ttf")))
    width, height = A4
    left, right, top, bottom = 2.2 * cm, 2.2 * cm, 2.5 * cm, 2.2 * cm
    frame_w = width - left - right
    widths = [frame_w * w / sum(WEIGHTS) for w in WEIGHTS]
    xs = [left + sum(widths[:i]) for i in range(len(widths))]
    size, leading, pad_v, pad_h = 8.5, 10.5, 2.5, 4.0
    c = Canvas(out, pagesize=A4, invariant=1, pageCompression=1)
    grey, fill, ink = HexColor("#c8c8c8"), HexColor("#e4edf4"), HexColor("#1a1a1a")
    page = 1

    def header(y):
        h = leading + 2 * pad_v
        c.setFillColor(fill)
        c.rect(left, y - h, frame_w, h, stroke=0, fill=1)
        c.setFillColor(ink)
        c.setFont(bold, size)
        for x, label in zip(xs, HEADER):
            c.drawString(x + pad_h, y - pad_v - size, label)
        c.setFont(regular, size)
        return y - h

    def footer():
        c.setFont(regular, 9)
        c.drawCentredString(width / 2, bottom - 1.1 * cm, f"- {page} -")
        c.setFont(regular, size)

    c.setFont(bold, 16)
    c.drawString(left, height - top - 16, "Registre des associés")
    y = header(height - top - 30)
    c.setLineWidth(0.25)
    c.setStrokeColor(grey)
    for r in rows + [("Total", "", "", str(len(rows)))]:
        cells = [_greedy_lines(text, w - 2 * pad_h, regular, size, stringWidth)
                 if wrap and text and stringWidth(text, regular, size) > w - 2 * pad_h else [text]
                 for text, w in zip(r, widths)]
        row_h = max(len(lines) for lines in cells) * leading + 2 * pad_v
        if y - row_h < bottom:
            footer()
            c.showPage()
            page += 1
            c.setLineWidth(0.25)
            c.setStrokeColor(grey)
            y = header(height - top)
        for x, lines in zip(xs, cells):
            base = y - pad_v - size
            for line in lines:
                if line:
                    c.drawString(x + pad_h, base, line)
                base -= leading
        y -= row_h
        c.line(left, y, left + frame_w, y)
    footer()
    c.showPage()
    c.save()
    return {"read_s": t1 - t0, "write_s": time.perf_counter() - t1}


# ---------------------------------------------------------------- checks of the outputs


def docx_table_rows(path: Path) -> int:
    """Rows of the DOCX table that holds the most rows (the registry)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    best = 0
    for table in re.split(r"<w:tbl>", xml)[1:]:
        body = table.split("</w:tbl>", 1)[0]
        best = max(best, len(re.findall(r"<w:tr[ >]", body)))
    return best


def html_table_rows(path: Path) -> int:
    """Rows of the HTML table that holds the most rows (the registry)."""
    import re

    text = path.read_text(encoding="utf-8")
    return max((len(re.findall(r"<tr[ >]", t.split("</table>", 1)[0])) for t in text.split("<table")[1:]),
               default=0)


def pdf_pages(path: Path) -> int | None:
    import re

    data = path.read_bytes()
    counts = [int(n) for n in re.findall(rb"/Count (\d+)", data)]
    return max(counts) if counts else None


# ---------------------------------------------------------------- the benchmark


def pdf_ua(path: Path) -> tuple[int | None, float | None]:
    """(PDF/UA-1 rules failed, seconds the check took), or (None, None) without the checker."""
    try:
        import page
    except ImportError:
        return None, None
    start = time.perf_counter()
    report = page.validate_pdf(str(path), profile="ua1", limits=page.SafetyLimits.unlimited())
    return report.rules.failed, time.perf_counter() - start


def bench(rows: int, repeat: int, runs: int, workdir: Path, seed: int, log) -> dict:
    py = sys.executable
    here = Path(__file__).resolve()
    result: dict = {"rows": rows}

    plain = copy_report(workdir / "report-2021")
    cats = _categories(plain)
    data = registry_rows(rows, cats, seed)
    fifth = max(1, rows // 5)
    big = copy_report(workdir / f"report-{rows}")
    csv_path = write_registry(big, data)
    small = copy_report(workdir / f"report-{fifth}")
    write_registry(small, data[:fifth])
    log(f"workdir {workdir}; registry of {rows} rows, {csv_path.stat().st_size / 2**20:.1f} MiB of CSV")

    # -- warming up: the bytecode cache, the OS file cache (not counted)
    run(rapact_script("plugins"), plain)
    run(rapact("build"), plain)
    # -- start-up and the 2021 report, cold then warm chart cache, in turn with
    # Python's own start-up: absolute times, to watch against that floor
    cache = plain / "output" / ".cache"

    def clear_cache():
        shutil.rmtree(cache, ignore_errors=True)

    timed: dict[str, list[Run]] = {name: [] for name in ("python", "help", "plugins", "cold", "warm")}
    for _ in range(runs):
        timed["python"].append(run([py, "-c", "pass"], plain))
        timed["help"].append(run(rapact_script("--help"), plain))
        timed["plugins"].append(run(rapact_script("plugins"), plain))
        clear_cache()
        timed["cold"].append(run(rapact("build"), plain, record=True))
        timed["warm"].append(run(rapact("build"), plain, record=True))
    med = {name: statistics.median(r.seconds for r in got) for name, got in timed.items()}
    cold, warm = timed["cold"], timed["warm"]
    result.update(python_startup_s=med["python"], startup_help_s=med["help"], startup_plugins_s=med["plugins"],
                  startup_s=max(med["help"], med["plugins"]), report_2021_s=med["cold"],
                  report_2021_warm_s=med["warm"],
                  report_2021_peak_mib=max(r.peak_mib for r in cold + warm),
                  cold_imports_matplotlib=any(r.matplotlib for r in cold),
                  warm_imports_matplotlib=any(r.matplotlib for r in warm))
    log(f"start-up: rapact --help {med['help']:.3f} s, rapact plugins {med['plugins']:.3f} s "
        f"(python -c pass {med['python']:.3f} s)")
    log(f"2021 report: cold {med['cold']:.3f} s, warm {med['warm']:.3f} s "
        f"(matplotlib imported when warm: {result['warm_imports_matplotlib']})")

    # -- the fixed cost: one format at a time, without the registry (warm cache)
    docx0_s, docx0 = median_run(rapact("build", "--format", "docx"), plain, runs, phases=True)
    pdf0_s, pdf0 = median_run(rapact("build", "--format", "pdf"), plain, runs, phases=True)
    html0_s, html0 = median_run(rapact("build", "--format", "html"), plain, runs, phases=True)
    result.update(docx_0_s=docx0_s, pdf_0_s=pdf0_s, html_0_s=html0_s,
                  model_0_s=median_phase(docx0 + pdf0 + html0, "model_s"),
                  docx_0_render_s=median_phase(docx0, "docx_render_s"),
                  pdf_0_render_s=median_phase(pdf0, "pdf_render_s"),
                  html_0_render_s=median_phase(html0, "html_render_s"))

    # -- the big annex: chart cache copied from the plain report, so it is warm
    for folder in (big, small):
        shutil.copytree(cache, folder / "output" / ".cache")
    # Each build and its baseline run in turn, round after round: a shared machine
    # speeds up and slows down over minutes, and a ratio must compare like with like.
    raw_file = workdir / "raw.docx"
    canvas_file = workdir / "canvas.pdf"
    nowrap_file = workdir / "canvas-nowrap.pdf"
    raw_html_file = workdir / "raw.html"

    def child(kind, out):
        return dict(cmd=[py, str(here), "--child", kind, str(csv_path), str(out)], cwd=workdir)

    rounds = interleaved({
        "docx": dict(cmd=rapact("build", "--format", "docx"), cwd=big, phases=True),
        "raw": child("raw-docx", raw_file),
        "pdf": dict(cmd=rapact("build", "--format", "pdf"), cwd=big, phases=True),
        "canvas": child("canvas-pdf", canvas_file),
        "pdf5": dict(cmd=rapact("build", "--format", "pdf"), cwd=small, phases=True),
        "nowrap": child("canvas-pdf-nowrap", nowrap_file),
        "html": dict(cmd=rapact("build", "--format", "html"), cwd=big, phases=True),
        "rawhtml": child("raw-html", raw_html_file),
        "html5": dict(cmd=rapact("build", "--format", "html"), cwd=small, phases=True),
    }, repeat)
    (docx_s, docx_runs), (pdf_s, pdf_runs), (pdf5_s, pdf5_runs) = rounds["docx"], rounds["pdf"], rounds["pdf5"]
    docx_file = big / "output" / f"{REPORT_NAME}.docx"
    pdf_file = big / "output" / f"{REPORT_NAME}.pdf"
    html_file = big / "output" / f"{REPORT_NAME}.html"
    (html_s, html_runs), (html5_s, html5_runs) = rounds["html"], rounds["html5"]
    result.update(
        docx_s=docx_s, pdf_s=pdf_s,
        docx_cpu_s=statistics.median(r.cpu for r in docx_runs),
        pdf_cpu_s=statistics.median(r.cpu for r in pdf_runs),
        docx_render_s=median_phase(docx_runs, "docx_render_s"),
        pdf_render_s=median_phase(pdf_runs, "pdf_render_s"),
        docx_peak_mib=max(r.peak_mib for r in docx_runs),
        pdf_peak_mib=max(r.peak_mib for r in pdf_runs),
        pdf_fifth_rows=fifth, pdf_fifth_s=pdf5_s,
        pdf_fifth_render_s=median_phase(pdf5_runs, "pdf_render_s"),
        html_s=html_s, html_cpu_s=statistics.median(r.cpu for r in html_runs),
        html_render_s=median_phase(html_runs, "html_render_s"),
        html_peak_mib=max(r.peak_mib for r in html_runs),
        html_fifth_s=html5_s, html_fifth_render_s=median_phase(html5_runs, "html_render_s"),
    )
    result["model_s"] = median_phase(docx_runs + pdf_runs + html_runs, "model_s")
    result["peak_mib"] = max(result["docx_peak_mib"], result["pdf_peak_mib"], result["html_peak_mib"])
    log(f"{rows} rows: DOCX {docx_s:.3f} s (render {result['docx_render_s']:.3f} s, "
        f"{result['docx_peak_mib']:.0f} MiB), PDF {pdf_s:.3f} s (render {result['pdf_render_s']:.3f} s, "
        f"{result['pdf_peak_mib']:.0f} MiB), HTML {html_s:.3f} s (render {result['html_render_s']:.3f} s, "
        f"{result['html_peak_mib']:.0f} MiB); model {result['model_s']:.3f} s; at {fifth} rows PDF {pdf5_s:.3f} s, "
        f"HTML {html5_s:.3f} s")

    # -- the baselines, on the same rows (run in turn with the builds above)
    (raw_s, raw_runs), (canvas_s, canvas_runs), (nowrap_s, _) = rounds["raw"], rounds["canvas"], rounds["nowrap"]
    result.update(raw_docx_s=raw_s, canvas_pdf_s=canvas_s, canvas_pdf_nowrap_s=nowrap_s,
                  raw_docx_write_s=median_phase(raw_runs, "write_s"),
                  canvas_pdf_write_s=median_phase(canvas_runs, "write_s"),
                  raw_docx_cpu_s=statistics.median(r.cpu for r in raw_runs),
                  canvas_pdf_cpu_s=statistics.median(r.cpu for r in canvas_runs),
                  raw_docx_peak_mib=max(r.peak_mib for r in raw_runs),
                  canvas_pdf_peak_mib=max(r.peak_mib for r in canvas_runs))
    raw_html_s, raw_html_runs = rounds["rawhtml"]
    result.update(raw_html_s=raw_html_s, raw_html_write_s=median_phase(raw_html_runs, "write_s"),
                  raw_html_cpu_s=statistics.median(r.cpu for r in raw_html_runs),
                  raw_html_peak_mib=max(r.peak_mib for r in raw_html_runs))
    log(f"baselines: raw DOCX {raw_s:.3f} s, reportlab canvas {canvas_s:.3f} s "
        f"(one line per cell: {nowrap_s:.3f} s), raw HTML {raw_html_s:.3f} s")

    # -- ratios, outputs, targets
    result["docx_ratio"] = docx_s / raw_s
    result["pdf_ratio"] = pdf_s / canvas_s
    result["pdf_growth"] = pdf_s / pdf5_s
    result["html_ratio"] = html_s / raw_html_s
    result["html_growth"] = html_s / html5_s
    # the renderers alone against the baselines' own writing
    result["docx_render_ratio"] = result["docx_render_s"] / result["raw_docx_write_s"]
    result["pdf_render_ratio"] = result["pdf_render_s"] / result["canvas_pdf_write_s"]
    result["pdf_render_growth"] = result["pdf_render_s"] / result["pdf_fifth_render_s"]
    result["html_render_ratio"] = result["html_render_s"] / result["raw_html_write_s"]
    result["html_render_growth"] = result["html_render_s"] / result["html_fifth_render_s"]
    result["html_table_rows"] = html_table_rows(html_file)
    result["html_rows_ok"] = result["html_table_rows"] == rows + 2
    result["raw_html_table_rows"] = html_table_rows(raw_html_file)
    result["docx_table_rows"] = docx_table_rows(docx_file)
    result["docx_rows_ok"] = result["docx_table_rows"] == rows + 2  # header + rows + total
    result["pdf_pages"] = pdf_pages(pdf_file)
    result["canvas_pdf_pages"] = pdf_pages(canvas_file)
    result["pdf_mib"] = pdf_file.stat().st_size / 2**20
    result["canvas_pdf_mib"] = canvas_file.stat().st_size / 2**20
    result["pdf_ua_failed_rules"], result["pdf_ua_check_s"] = pdf_ua(pdf_file)
    if result["pdf_ua_failed_rules"] is not None:
        log(f"PDF/UA-1 ({pdf_file.name}, {result['pdf_mib']:.1f} MiB): {result['pdf_ua_failed_rules']} rules failed, "
            f"checked in {result['pdf_ua_check_s']:.1f} s")
    result["files"] = {"docx": str(docx_file), "pdf": str(pdf_file), "raw_docx": str(raw_file),
                       "canvas_pdf": str(canvas_file), "html": str(html_file), "raw_html": str(raw_html_file)}
    result["targets"] = {
        key: {"what": what, "value": round(result[key], 3), "limit": limit, "met": result[key] <= limit}
        for key, (what, limit) in TARGETS.items()
    }
    result["targets"]["pdf_ua"] = {
        "what": "PDF/UA-1 rules the N-row PDF fails (page-validation)", "value": result["pdf_ua_failed_rules"],
        "limit": 0, "met": result["pdf_ua_failed_rules"] == 0}
    result["targets"]["warm_no_matplotlib"] = {
        "what": "a warm rebuild does not import matplotlib", "value": result["warm_imports_matplotlib"],
        "limit": False, "met": not result["warm_imports_matplotlib"]}
    result["repeat"], result["runs"] = repeat, runs
    result["bytecode_cache"] = "PYTHONPYCACHEPREFIX" in CHILD_ENV and "PYTHONDONTWRITEBYTECODE" not in CHILD_ENV
    result["machine"] = machine()
    return result


def machine() -> dict:
    import importlib.metadata as md

    def version(name):
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            return None

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = None
    return {
        "python": platform.python_version(), "platform": platform.platform(), "cpu": cpu,
        "cpus": os.cpu_count(), "load_1min_at_end": load, "reportlab": version("reportlab"),
        "rl_accel": version("rl_accel"), "python-docx": version("python-docx"), "lxml": version("lxml"),
        "matplotlib": version("matplotlib"),
    }


def human(result: dict) -> str:
    r = result
    mc = r["machine"]
    lines = [
        f"rows {r['rows']:,} (repeat {r['repeat']}, runs {r['runs']}); {mc['cpus']} CPUs, {mc['cpu']}, "
        f"load {mc['load_1min_at_end']}, Python {mc['python']}, reportlab {mc['reportlab']}, "
        f"rl_accel {mc['rl_accel'] or 'absent'}",
        f"DOCX build      {r['docx_s']:7.3f} s  (model {r['model_s']:.3f} s, render {r['docx_render_s']:.3f} s) "
        f"peak {r['docx_peak_mib']:4.0f} MiB",
        f"  raw baseline  {r['raw_docx_s']:7.3f} s  (writing {r['raw_docx_write_s']:.3f} s)   "
        f"ratio {r['docx_ratio']:.2f}, render/writing {r['docx_render_ratio']:.2f}",
        f"PDF build       {r['pdf_s']:7.3f} s  (render {r['pdf_render_s']:.3f} s) peak {r['pdf_peak_mib']:4.0f} MiB",
        f"  canvas        {r['canvas_pdf_s']:7.3f} s  (writing {r['canvas_pdf_write_s']:.3f} s; one line per cell "
        f"{r['canvas_pdf_nowrap_s']:.3f} s)   ratio {r['pdf_ratio']:.2f}, render/writing {r['pdf_render_ratio']:.2f}",
        f"  at {r['pdf_fifth_rows']:,} rows  {r['pdf_fifth_s']:7.3f} s  (render {r['pdf_fifth_render_s']:.3f} s)   "
        f"growth x{r['pdf_growth']:.2f}, render x{r['pdf_render_growth']:.2f}",
        f"HTML build      {r['html_s']:7.3f} s  (render {r['html_render_s']:.3f} s) peak {r['html_peak_mib']:4.0f} MiB",
        f"  raw baseline  {r['raw_html_s']:7.3f} s  (writing {r['raw_html_write_s']:.3f} s)   "
        f"ratio {r['html_ratio']:.2f}, render/writing {r['html_render_ratio']:.2f}",
        f"  at {r['pdf_fifth_rows']:,} rows  {r['html_fifth_s']:7.3f} s  (render {r['html_fifth_render_s']:.3f} s)   "
        f"growth x{r['html_growth']:.2f}, render x{r['html_render_growth']:.2f}",
        f"without the registry: DOCX {r['docx_0_s']:.3f} s (render {r['docx_0_render_s']:.3f} s), "
        f"PDF {r['pdf_0_s']:.3f} s (render {r['pdf_0_render_s']:.3f} s), "
        f"HTML {r['html_0_s']:.3f} s (render {r['html_0_render_s']:.3f} s), model {r['model_0_s']:.3f} s",
        f"2021 report     cold {r['report_2021_s']:.3f} s, warm {r['report_2021_warm_s']:.3f} s "
        f"(matplotlib imported when warm: {r['warm_imports_matplotlib']})",
        f"start-up        --help {r['startup_help_s']:.3f} s, plugins {r['startup_plugins_s']:.3f} s "
        f"(python -c pass {r['python_startup_s']:.3f} s; bytecode cache {r['bytecode_cache']})",
        f"outputs: DOCX registry table {r['docx_table_rows']} rows (ok: {r['docx_rows_ok']}), "
        f"HTML {r['html_table_rows']} rows (ok: {r['html_rows_ok']}), "
        f"PDF {r['pdf_pages']} pages (canvas {r['canvas_pdf_pages']})",
        "targets (ratios; the absolute times above are figures to watch):",
    ]
    for key, t in r["targets"].items():
        value = t["value"] if isinstance(t["value"], bool) else f"{t['value']:.3f}"
        lines.append(f"  {'met ' if t['met'] else 'MISS'}  {t['what']}: {value} (limit {t['limit']})")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=10000, help="members in the synthetic registry")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs of each big-table build and baseline (median)")
    ap.add_argument("--runs", type=int, default=5, help="runs of the 2021 report and start-up (median)")
    ap.add_argument("--seed", type=int, default=2021)
    ap.add_argument("--workdir", type=Path, help="keep everything in this new folder (default: a temp dir)")
    ap.add_argument("--no-bytecode-cache", action="store_true",
                    help="run the children in the environment as it is (may forbid .pyc files)")
    ap.add_argument("--child", nargs=3, metavar=("KIND", "CSV", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        kind, csv_path, out = args.child
        phases = {"raw-docx": child_raw_docx, "raw-html": child_raw_html, "canvas-pdf": child_canvas_pdf,
                  "canvas-pdf-nowrap": lambda c, o: child_canvas_pdf(c, o, wrap=False)}[kind](csv_path, out)
        print(json.dumps(phases))
        return 0
    if args.rows < 1 or args.repeat < 1 or args.runs < 1:
        ap.error("--rows, --repeat and --runs must be positive")

    def log(msg):
        if not args.json:
            print(msg, file=sys.stderr, flush=True)

    global CHILD_ENV
    if args.workdir:
        workdir = args.workdir.resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        if any(workdir.iterdir()):
            ap.error(f"--workdir {workdir} is not empty")
        CHILD_ENV = bytecode_env(workdir, not args.no_bytecode_cache)
        result = bench(args.rows, args.repeat, args.runs, workdir, args.seed, log)
    else:
        with tempfile.TemporaryDirectory(prefix="rapact-bench-") as tmp:
            CHILD_ENV = bytecode_env(Path(tmp), not args.no_bytecode_cache)
            result = bench(args.rows, args.repeat, args.runs, Path(tmp), args.seed, log)
            result["files"] = {}  # removed with the temporary folder
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(human(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
