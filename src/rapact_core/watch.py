"""``rapact watch``: a live preview while editing.

Builds the HTML edition into a hidden preview folder of the output folder
(``output/.preview/``: the published DOCX, PDF and HTML are left as they
are), serves it on ``http://127.0.0.1:PORT`` (the loopback address only: the
report may hold unpublished figures), and rebuilds whenever a data file, a
text, a picture or the configuration changes, printing the findings each time.
The page asks the server every second for the number of the build it shows
and reloads itself when a newer one is there.

One process: the server answers between two looks at the files (watchfiles
waits at most ``_TICK_MS`` for a change), so a build never runs beside a
request.
"""

from __future__ import annotations

import contextlib
import http.server
import select
from collections.abc import Callable
from pathlib import Path

from . import interrupts
from .i18n import _

_TICK_MS = 100
VERSION_PATH = "/__rapact_version"
# polls the build number; reloads when it changed (the scroll position is kept by the browser)
RELOAD_SCRIPT = """<script>
(function () {
  var shown = null;
  function look() {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.text(); }).then(function (v) {
      if (shown === null) { shown = v; } else if (v !== shown) { location.reload(); }
    }).catch(function () {});
  }
  look();
  setInterval(look, 1000);
})();
</script>""" % VERSION_PATH


class Preview:
    """What the server shows: the last HTML edition built and its build number."""

    def __init__(self):
        self.html: bytes = _page(_("The report is being built…"))
        self.version = 0

    def update(self, html: str) -> None:
        self.html = with_reload(html).encode("utf-8")
        self.version += 1


def _page(text: str) -> bytes:
    from .i18n import language

    return with_reload(f"<!DOCTYPE html><html lang=\"{language()}\"><meta charset=\"utf-8\"><title>rapact</title>"
                       f"<body><p>{text}</p></body></html>").encode("utf-8")


def with_reload(html: str) -> str:
    """The page with the script that reloads it after each build."""
    at = html.rfind("</body>")
    return html[:at] + RELOAD_SCRIPT + html[at:] if at >= 0 else html + RELOAD_SCRIPT


def make_server(preview: Preview, port: int) -> http.server.HTTPServer:
    """An HTTP server on 127.0.0.1:``port`` (0: a free port) answering from ``preview``."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            if self.path == VERSION_PATH:
                body, kind = str(preview.version).encode(), "text/plain; charset=utf-8"
            elif self.path in ("/", "/index.html"):
                body, kind = preview.html, "text/html; charset=utf-8"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # the editor reads findings, not requests
            pass

    return http.server.HTTPServer(("127.0.0.1", port), Handler)


def serve_pending(server: http.server.HTTPServer) -> None:
    """Answer the requests waiting, without blocking."""
    while select.select([server.socket], [], [], 0)[0]:
        server.handle_request()


def watched_paths(config_path: Path, report_dir: Path) -> list[Path]:
    """The report's folder (data, texts, pictures, its configuration) and the root configuration."""
    paths = [report_dir]
    if config_path.resolve().parent != report_dir.resolve():
        paths.append(config_path.resolve())
    return paths


def run_watch(build: Callable[[], str | None], paths: list[Path], server: http.server.HTTPServer,
              preview: Preview, echo: Callable[[str], None]) -> None:
    """Build once, then serve and rebuild on every change until interrupted.

    ``build`` returns the new HTML edition's text, or None when the build
    failed (it printed why; the last good edition stays on screen).
    """
    from watchfiles import watch

    def rebuild() -> None:
        html = build()
        if html is not None:
            preview.update(html)

    rebuild()
    ignored = {".preview", ".cache", "output"}

    def wanted(_change, path: str) -> bool:
        parts = Path(path).parts
        return not any(p in ignored or p.startswith(".") for p in parts[-4:])

    try:
        for changes in watch(*paths, watch_filter=wanted, rust_timeout=_TICK_MS, yield_on_timeout=True,
                             debounce=300, step=_TICK_MS):
            serve_pending(server)
            if changes:
                shown = sorted({Path(p).name for _c, p in changes if Path(p).exists()}) or [_("a file removed")]
                echo(_("changed: {files}; building again…").format(files=", ".join(shown)))
                rebuild()
                serve_pending(server)
    except KeyboardInterrupt:
        # watchfiles turns any signal handled while it waits into KeyboardInterrupt: say which
        # one came (SIGTERM: exit 143), as a build does
        interrupts.check()
        raise


def close(server: http.server.HTTPServer) -> None:
    with contextlib.suppress(OSError):
        server.server_close()


def serve(config: Path, port: int) -> None:
    """``rapact watch``: serve the preview of the report configured by ``config`` on
    127.0.0.1:``port`` and build it again on every change, until interrupted."""
    import click

    from .config import load_config
    from .errors import Finding, RapactError, display_path
    from .pipeline import build_document
    from .plugins import load_plugins
    from .runner import render_files
    from .spelling import spelling_findings
    from .summary import print_findings

    cfg = load_config(config)
    preview = Preview()
    try:
        server = make_server(preview, port)
    except OSError as exc:
        raise RapactError(Finding(_("cannot serve the preview on 127.0.0.1:{port} ({reason}): choose another "
                                    "port with --port").format(port=port, reason=exc.strerror or exc)),
                          exit_code=2) from None
    out = Path(cfg.output) / ".preview"

    def build_once() -> str | None:
        try:
            current = load_config(config)
            plugins = load_plugins(blocked=current.disabled_plugins)
            result = build_document(current, plugins)
            findings = list(result.findings) + spelling_findings(current, result)
            [html] = render_files(result.document, current, plugins, out, ["html"])
        except RapactError as exc:
            interrupts.resume()
            for f in exc.findings:
                click.echo(f.format())
            click.echo(_("The preview still shows the last build that worked."), err=True)
            return None
        interrupts.resume()  # publishing the preview made the process ignore Ctrl-C: watching goes on
        print_findings(findings)
        click.echo(_("Built: {path}").format(path=display_path(html)), err=True)
        return html.read_text(encoding="utf-8")

    url = f"http://127.0.0.1:{server.server_address[1]}/"
    click.echo(_("Serving the report on {url} (Ctrl-C to stop)").format(url=url), err=True)
    try:
        run_watch(build_once, watched_paths(Path(config), cfg.folder), server, preview,
                  lambda line: click.echo(line, err=True))
    finally:
        close(server)
