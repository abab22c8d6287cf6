"""Local preview: build, serve on localhost with the production headers, rebuild when sources change."""
from __future__ import annotations

import functools
import threading
import tomllib
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click
from watchfiles import watch

from .errors import BuildFailed
from .pipeline import Project, build


def production_headers(netlify_toml: Path) -> dict[str, str]:
    """Return the headers netlify.toml sets for every path, so the preview runs under the same CSP."""
    if not netlify_toml.exists():
        return {}
    config = tomllib.loads(netlify_toml.read_text(encoding="utf-8"))
    headers: dict[str, str] = {}
    for rule in config.get("headers", []):
        if rule.get("for") == "/*":
            headers.update(rule.get("values", {}))
    # HSTS on localhost would pin plain-http previews of other projects to https; leave it to production.
    headers.pop("Strict-Transport-Security", None)
    return headers


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves the built site with production headers and the site's own 404 page."""

    extra_headers: dict[str, str] = {}

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        lang = "en" if self.path.startswith("/en/") else "zh"
        page = Path(self.directory) / lang / "404.html"
        if code != 404 or not page.exists():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass


def _rebuild(project: Project, out_dir: Path, search: bool) -> None:
    try:
        report = build(project, out_dir, search=search)
        click.echo(f"Built {report.pages} pages. 已重新建置。")
    except BuildFailed as failure:
        # Keep serving the last good site; the editor fixes the file and saves again.
        click.echo(failure.format_message(), err=True)
        click.echo("The preview still shows the last good build. 預覽仍顯示上一次成功的版本。", err=True)


def serve(project: Project, port: int = 8000, search: bool = True) -> None:
    """Build, serve on http://localhost:PORT/, and rebuild on every change until interrupted."""
    out_dir = project.root / "site"
    _rebuild(project, out_dir, search)
    PreviewHandler.extra_headers = production_headers(project.root / "netlify.toml")
    handler = functools.partial(PreviewHandler, directory=str(out_dir))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    click.echo(f"Serving http://localhost:{port}/zh/ (Ctrl+C to stop) 預覽網址 http://localhost:{port}/zh/")
    watched = [str(p) for p in (project.content, project.templates, project.static) if p.exists()]
    try:
        for _changes in watch(*watched, raise_interrupt=False):
            _rebuild(project, out_dir, search)
    finally:
        server.shutdown()
