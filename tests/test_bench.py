"""The benchmark runs end to end on a small registry (a smoke test: no timing is asserted)."""

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

KEYS = {"rows", "docx_s", "pdf_s", "html_s", "raw_docx_s", "canvas_pdf_s", "raw_html_s", "peak_mib",
        "report_2021_s", "report_2021_warm_s", "startup_s", "docx_ratio", "pdf_ratio", "pdf_growth", "html_ratio",
        "html_growth", "html_fifth_s", "targets"}


def test_bench_json_and_outputs(tmp_path):
    work = tmp_path / "bench"
    # --runs 1: one run per median instead of 5, to keep the test suite quick
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--rows", "200", "--json", "--runs", "1",
         "--workdir", str(work)],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout)
    assert KEYS <= set(result), KEYS - set(result)
    assert result["rows"] == 200
    for key in KEYS - {"rows", "targets"}:
        assert isinstance(result[key], (int, float)) and result[key] > 0, key
    assert result["warm_imports_matplotlib"] is False
    assert result["cold_imports_matplotlib"] is True
    assert set(result["targets"]) == {"docx_ratio", "pdf_ratio", "pdf_growth", "html_ratio", "html_growth", "peak_mib",
                                      "pdf_ua", "warm_no_matplotlib"}
    # the tagged PDF of the 200-row registry passes PDF/UA-1 (the checker is a test dependency)
    assert result["pdf_ua_failed_rules"] == 0 and result["targets"]["pdf_ua"]["met"] is True
    assert result["peak_mib"] == max(result["docx_peak_mib"], result["pdf_peak_mib"], result["html_peak_mib"])

    files = {k: Path(v) for k, v in result["files"].items()}
    for path in files.values():
        assert path.is_file() and path.stat().st_size > 0, path
    # the annex holds every generated associate: header + 200 rows + total
    assert result["docx_table_rows"] == 202 and result["docx_rows_ok"] is True
    assert result["html_table_rows"] == 202 and result["html_rows_ok"] is True
    assert result["raw_html_table_rows"] == 202
    registry = work / "report-200" / "reports" / "2021" / "data" / "members" / "registry.csv"
    assert len(registry.read_text(encoding="utf-8").splitlines()) == 201
    with zipfile.ZipFile(files["raw_docx"]) as zf:
        assert len(re.findall(rb"<w:tr[ >]", zf.read("word/document.xml"))) == 202
    assert files["pdf"].read_bytes().startswith(b"%PDF") and result["pdf_pages"] > 40
    assert files["canvas_pdf"].read_bytes().startswith(b"%PDF")
    # the HTML edition and its baseline hold the same rows, in the same order
    html = files["html"].read_text(encoding="utf-8")
    raw = files["raw_html"].read_text(encoding="utf-8")
    registry = html[html.index('<table id="members-registry">'):]
    first_cells = re.findall(r"<tr><td>([^<]*)</td>", registry.split("</table>", 1)[0])
    assert first_cells == re.findall(r"<tr><td>([^<]*)</td>", raw) and len(first_cells) == 200


def test_registry_is_deterministic_and_valid():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench
    finally:
        sys.path.pop(0)
    cats = bench._categories(ROOT)
    rows = bench.registry_rows(300, cats, seed=1)
    assert rows == bench.registry_rows(300, cats, seed=1)
    assert len({r[0] for r in rows}) == 300  # one line per associate
    names = {c for c, _ in cats}
    assert all(r[1] in names for r in rows)
