"""Local preview: build, serve on localhost with the production headers, rebuild when sources change, and tell the
open pages, which reload after a good build and show the problems of a failed one over the last good site.

The pages are served as soon as they are written; the search index is made after, in a thread of its own, and
swapped in unless a newer build has come meanwhile (that build's index is made next). Search in the preview shows
the previous index until then.

Only the preview has the ``/__preview/`` paths and the reload script; they are added to HTML as it is served, never
to the files in ``site/``, so the published site has neither.
"""
from __future__ import annotations

import functools
import gc
import itertools
import json
import queue
import re
import secrets
import sys
import threading
import tomllib
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import click
from watchfiles import watch

from ..base.errors import BuildFailed
from ..build.patch import patch, prepare
from ..build.patch import LastBuild
from ..build.pipeline import BuildReport, Project, build
from .preview_build import PendingIndex, PreviewReuse, pending_after_patch
from ..site.search import SearchIndexFailed
from ..content.sources import bi

PREVIEW_PREFIX = "/__preview/"
PREVIEW_FILES = {
    "reload.js": ("preview_reload.js", "text/javascript; charset=utf-8"),
    "reload.css": ("preview_reload.css", "text/css; charset=utf-8"),
}
"""What ``/__preview/<name>`` serves: a file of this package and its content type."""
EVENTS = "events"
"""``/__preview/events``: the stream of build states (Server-Sent Events)."""
KEEP_ALIVE_SECONDS = 15.0
"""How often an idle event stream gets a comment line, so proxies and tunnels keep it open."""
WATCHER_READY_SECONDS = 0.3
"""How long the watcher waits for a change before it reports that it is watching (and again after each wait)."""
LAST_GOOD = "The preview still shows the last good build. 預覽仍顯示上一次成功的版本。"


@dataclass(frozen=True)
class HeaderRule:
    """One ``[[headers]]`` table of netlify.toml: the paths it applies to and the headers it sets."""

    pattern: str
    """The ``for`` path, as written: ``/*``, ``/admin/*``."""
    values: dict[str, str]

    def matches(self, path: str) -> bool:
        """Return whether the rule applies to a URL path, as Netlify matches ``for`` (its headers-parser)."""
        parts = [part for part in self.pattern.split("/") if part]
        # A lone * also matches nothing at all (/admin/* matches /admin), a :placeholder one segment, * inside a
        # segment any run of characters.
        regex = "/".join("?(.*)" if part == "*" else "([^/]+)" if part.startswith(":")
                         else ".*".join(map(re.escape, part.split("*"))) for part in parts)
        return re.fullmatch(f"/{regex}/?", path, re.IGNORECASE) is not None


def header_rules(netlify_toml: Path) -> tuple[HeaderRule, ...]:
    """Return netlify.toml's header rules, in its order; none when there is no netlify.toml."""
    if not netlify_toml.exists():
        return ()
    config = tomllib.loads(netlify_toml.read_text(encoding="utf-8"))
    return tuple(HeaderRule(rule["for"], dict(rule.get("values", {}))) for rule in config.get("headers", []))


def headers_for(rules: tuple[HeaderRule, ...], path: str) -> dict[str, str]:
    """Return the headers the rules set for a URL path: those of every rule that matches it, a later rule's value
    replacing an earlier one's, as ``netlify dev`` does (netlify.toml sets no header twice for one path)."""
    headers: dict[str, str] = {}
    for rule in rules:
        if rule.matches(path):
            headers.update(rule.values)
    return headers


def production_headers(netlify_toml: Path, path: str = "/zh/") -> dict[str, str]:
    """Return the headers netlify.toml sets for a URL path (by default a page's), as the preview sends them."""
    headers = headers_for(header_rules(netlify_toml), path)
    # HSTS on localhost would pin plain-http previews of other projects to https; leave it to production.
    headers.pop("Strict-Transport-Security", None)
    return headers


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves the built site with production headers and the site's own 404 page."""

    header_rules: tuple[HeaderRule, ...] = ()
    """netlify.toml's header rules, applied by the path asked for, as Netlify applies them."""

    def end_headers(self) -> None:
        headers = headers_for(self.header_rules, urlsplit(self.path).path)
        headers.pop("Strict-Transport-Security", None)  # see production_headers
        for name, value in headers.items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        lang = "en" if self.path.startswith("/en/") else "zh"
        page = Path(self.directory) / lang / "404.html"
        if code != 404 or not page.exists():
            super().send_error(code, message, explain)
            return
        self.send_html(404, self.html_body(page))

    def html_body(self, page: Path) -> bytes:
        """Return the HTML a page file is served as."""
        return page.read_bytes()

    def send_html(self, code: int, body: bytes) -> None:
        """Send a complete HTML response."""
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass


@dataclass(frozen=True)
class BuildState:
    """What the open pages need to know about the latest build."""

    site: str
    """Id of the last good build, the site being served; a page built by another one reloads."""
    problems: tuple[str, ...] = ()
    """The lines ``check`` prints for the latest build when it failed; empty when it succeeded."""
    summary: str = ""
    """The count line under them (``Build failed: 1 error in 1 file. 建置失敗：…``)."""

    def as_event(self) -> bytes:
        """Return this state as one Server-Sent Event."""
        data = {"site": self.site, "problems": list(self.problems), "summary": self.summary}
        return f"data: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def failed_state(site: str, failure: BuildFailed) -> BuildState:
    """Return the state of a failed build: the site still served, and the report ``check`` prints, line by line."""
    # A report always ends with its count line when the build failed.
    *problems, summary = failure.format_message().splitlines()
    return BuildState(site, tuple(problems), summary)


class BuildEvents:
    """Hands every build state to each connected page; a page that connects gets the latest state first."""

    def __init__(self, state: BuildState) -> None:
        self._lock = threading.Lock()
        self._pages: set[queue.SimpleQueue[BuildState | None]] = set()
        self._closed = False
        self.state = state

    def publish(self, state: BuildState) -> None:
        """Make ``state`` the latest and send it to every connected page."""
        with self._lock:
            self.state = state
            for page in self._pages:
                page.put(state)

    def subscribe(self) -> queue.SimpleQueue[BuildState | None]:
        """Return a queue that receives the latest state now, every later one, and None once the preview stops."""
        page: queue.SimpleQueue[BuildState | None] = queue.SimpleQueue()
        with self._lock:
            page.put(None if self._closed else self.state)
            self._pages.add(page)
        return page

    def unsubscribe(self, page: queue.SimpleQueue[BuildState | None]) -> None:
        """Stop sending states to a page that went away."""
        with self._lock:
            self._pages.discard(page)

    def close(self) -> None:
        """End every page's stream."""
        with self._lock:
            self._closed = True
            for page in self._pages:
                page.put(None)


def with_reload_script(html: bytes, site: str) -> bytes:
    """Return the page with the preview's reload script added at the end of its head."""
    head_end = html.lower().find(b"</head>")
    if head_end < 0:
        return html
    tag = f'<script src="{PREVIEW_PREFIX}reload.js" data-build="{site}" defer></script>'.encode()
    return html[:head_end] + tag + html[head_end:]


class LivePreviewHandler(PreviewHandler):
    """PreviewHandler plus the ``/__preview/`` paths, adding the reload script to every HTML page it serves."""

    events: BuildEvents

    def do_GET(self) -> None:
        if self.path.startswith(PREVIEW_PREFIX):
            self.send_preview(urlsplit(self.path).path.removeprefix(PREVIEW_PREFIX))
        else:
            super().do_GET()

    def send_head(self) -> BytesIO | None:
        page = self.requested_page()
        if page is None:
            return super().send_head()
        try:
            body = self.html_body(page)
        except OSError:  # renamed away by a build swapping in the new site
            self.send_error(404)
            return None
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        # The page changes with each build, faster than Last-Modified's whole seconds can tell.
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return BytesIO(body)

    def requested_page(self) -> Path | None:
        """Return the HTML file the request asks for; None for other files and for folders named without a slash."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return None  # the stdlib redirects to the address with the slash
            path = path / "index.html"
        return path if path.suffix == ".html" and path.is_file() else None

    def html_body(self, page: Path) -> bytes:
        # The build id is read before the file: a page read during a swap then reloads once too often, never too few.
        site = self.events.state.site
        return with_reload_script(page.read_bytes(), site)

    def send_preview(self, name: str) -> None:
        """Send the event stream or one of the preview's files."""
        if name == EVENTS:
            self.stream_events()
            return
        if name not in PREVIEW_FILES:
            self.send_error(404)
            return
        file_name, content_type = PREVIEW_FILES[name]
        body = resources.files(__package__).joinpath(file_name).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def stream_events(self) -> None:
        """Send build states as Server-Sent Events until the page goes away or the preview stops."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        states = self.events.subscribe()
        try:
            while (message := next_message(states)) is not None:
                self.wfile.write(message)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page was closed or reloaded
        finally:
            self.events.unsubscribe(states)


def next_message(states: queue.SimpleQueue[BuildState | None]) -> bytes | None:
    """Return the next event for a page, a keep-alive comment when there was none for a while, or None at the end."""
    try:
        state = states.get(timeout=KEEP_ALIVE_SECONDS)
    except queue.Empty:
        return b": keep-alive\n\n"
    return None if state is None else state.as_event()


class PreviewServer:
    """The preview: builds, then serves and watches in threads until ``stop()``; port 0 takes any free port."""

    def __init__(self, project: Project, port: int = 8000, *, search: bool = True) -> None:
        self.project = project
        self.search = search
        self.out_dir = project.root / "site"
        # Build ids differ between runs, so a page still open from an earlier run reloads when it reconnects.
        self._run = secrets.token_hex(4)
        self._builds = itertools.count(1)
        self.events = BuildEvents(BuildState(site=f"{self._run}.0"))
        handler = type("Handler", (LivePreviewHandler,), {
            "header_rules": header_rules(project.root / "netlify.toml"), "events": self.events})
        # Bound here, before the first build, so a port in use fails at once.
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(self.out_dir)))
        self._building = threading.Lock()
        """Held while the site folder changes: a build, or the copying of pages for the index and its swap."""
        self._stopping = threading.Event()
        self._watching = threading.Event()
        self._pending: PendingIndex | None = None
        """The index of the latest good build, while it is still to be made; a newer build replaces it."""
        self._last: LastBuild | None = None
        """The latest build, kept while the site is still as it made it or as patches since left it: an edit of
        entries then re-renders only their pages (``patch``). None until a build has been kept, and after a failed
        full build, whose sources may have moved in ways a patch does not look for."""
        self._unapplied: set[Path] = set()
        """Files saved since the site was last brought up to date: a failed patch leaves them to the next."""
        self._index_wanted = threading.Event()
        self.index_settled = threading.Event()
        """Set while the search index is that of the site served (or search is off), cleared while it is made."""
        self.index_settled.set()
        self._watcher: threading.Thread | None = None
        self._indexer: threading.Thread | None = None
        self._server: threading.Thread | None = None

    @property
    def port(self) -> int:
        """Return the port the preview listens on."""
        return self.httpd.server_address[1]

    @property
    def url(self) -> str:
        """Return the address of the served site."""
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> PreviewServer:
        """Build the site, then serve it and rebuild on changes in the background; return self."""
        # Watching starts first, so a file saved during the first build is built too.
        self._watcher = _spawn(self._watch)
        self._indexer = _spawn(self._index_loop)
        self.rebuild()
        if self._last is None:
            _spawn(self.keep_last_build)
        self._watching.wait(timeout=5)
        self._server = _spawn(self.httpd.serve_forever)
        return self

    def stop(self) -> None:
        """Stop watching and serving; a build under way finishes first, so site/ is never left half swapped."""
        self._stopping.set()
        self.events.close()
        # shutdown() waits for serve_forever() to return, so it must not be asked of a server never started.
        if self._server is not None:
            self.httpd.shutdown()
            self._server.join()
        self.httpd.server_close()
        self._index_wanted.set()
        for thread in (self._watcher, self._indexer):
            if thread is not None:
                thread.join()

    def __enter__(self) -> PreviewServer:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def rebuild(self, saved: set[Path] | None = None) -> None:
        """Build the site and tell the open pages: reload after a good build, show the problems of a failed one;
        then have the search index of the new pages made. With the files ``saved`` named, and the last build kept,
        only what they change is rebuilt where that is all they change."""
        with self._building:
            state, report, reuse = self._build(saved)
            self.events.publish(state)  # before the record is written: the editor sees the page at once
            if report is not None:
                self._settle(report, reuse)

    def keep_last_build(self) -> None:
        """Load the content and keep it, where the first build found the site up to date and so had no need to;
        the site is built again from it, its pages all taken as they are."""
        with self._building:
            if self._last is not None or self._stopping.is_set():
                return
            reuse = PreviewReuse(load_unchanged=True)
            try:
                report = build(self.project, self.out_dir, search=self.search, reuse=reuse)
            except BuildFailed:
                return  # the content changed since, and the build that its save started reports why
            self._settle(report, reuse)

    def _settle(self, report: BuildReport, reuse: PreviewReuse | None) -> None:
        """After a good build: keep what it made, or write the record a patch left to write; ask for the index."""
        pending = reuse.pending if reuse is not None else None
        if reuse is not None and reuse.last is not None:
            self._last = reuse.last
            prepare(self._last)
            # The build kept is millions of objects that live until the next full build: left to the collector, each
            # of its full passes over them would take a patch's time again.
            gc.freeze()
        elif self._last is not None and not report.unchanged:  # a patch
            self._last.save()
            pending = pending_after_patch(self._last)
        if pending is not None:
            self._pending = pending
            self.index_settled.clear()
            self._index_wanted.set()

    def _build(self, saved: set[Path] | None) -> tuple[BuildState, BuildReport | None, PreviewReuse | None]:
        site = self.events.state.site
        reuse = None
        try:
            report = None
            if self._last is not None and saved:
                self._unapplied |= saved
                report = patch(self._last, self._unapplied)
            if report is None:
                self._last = None
                gc.unfreeze()  # what the last build kept may go now
                reuse = PreviewReuse()
                report = build(self.project, self.out_dir, search=self.search, reuse=reuse)
            self._unapplied = set()
        except BuildFailed as failure:
            # Keep serving the last good site; the editor fixes the file and saves again.
            click.echo(failure.format_message(), err=True)
            click.echo(LAST_GOOD, err=True)
            return failed_state(site, failure), None, None
        except Exception as err:  # noqa: BLE001 - the preview outlives a bug in one build
            self._last = None  # the next build starts afresh
            traceback.print_exc(file=sys.stderr)
            return BuildState(site, (f"{bi('the build stopped with an unexpected error', '建置時發生未預期的錯誤')}: "
                                     f"{type(err).__name__}: {err}: "
                                     f"{bi('the terminal shows where', '詳見終端機的訊息')}",), LAST_GOOD), None, None
        seconds = sum(report.timings.values())
        click.echo(f"Built {report.pages} pages ({report.rendered} rendered) in {seconds:.2f} s. "
                   f"已重新建置 {report.pages} 頁（重新產生 {report.rendered} 頁），{seconds:.2f} 秒。")
        return BuildState(f"{self._run}.{next(self._builds)}"), report, reuse

    def _index_loop(self) -> None:
        """Make the search index of the latest build's pages, whenever one is wanted, until the preview stops."""
        while True:
            self._index_wanted.wait()
            self._index_wanted.clear()
            if self._stopping.is_set():
                return
            with self._building:
                pending = self._pending
            if pending is None:
                continue
            try:
                # A newer build replaces self._pending: this index is then not installed, and the newer one is made.
                if pending.run(self._building, lambda: self._pending is pending):
                    click.echo("Search index updated. 搜尋索引已更新。")
            except SearchIndexFailed as err:
                click.echo(f"{bi('the search index could not be built', '無法建立搜尋索引')}: {err}", err=True)
            with self._building:
                if self._pending is pending:
                    self._pending = None
                if self._pending is None:  # settled once its folders are gone, unless a build wants another
                    self.index_settled.set()

    def _watch(self) -> None:
        watched = [p for p in (self.project.content, self.project.templates, self.project.static, self.project.docs)
                   if p.exists()]
        # Timeouts yield an empty set: the first one says the watcher is running.
        for changes in watch(*watched, stop_event=self._stopping, rust_timeout=int(WATCHER_READY_SECONDS * 1000),
                             yield_on_timeout=True):
            self._watching.set()
            if changes:
                self.rebuild({Path(path) for _, path in changes})


def _spawn(target: Callable[[], None]) -> threading.Thread:
    """Return a started daemon thread running ``target``."""
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def serve(project: Project, port: int = 8000, search: bool = True) -> None:
    """Build, serve on http://localhost:PORT/, rebuild on every change and reload the open pages, until Ctrl+C."""
    try:
        preview = PreviewServer(project, port, search=search)
    except OSError as err:
        raise click.UsageError(bi(f"cannot serve on port {port}: {err.strerror}; choose another with --port",
                                  f"無法使用連接埠 {port}：{err.strerror}；請以 --port 指定其他連接埠")) from err
    try:
        with preview:
            url = f"http://localhost:{preview.port}/zh/"
            click.echo(f"Serving {url} (Ctrl+C to stop) 預覽網址 {url}")
            threading.Event().wait()
    except KeyboardInterrupt:
        click.echo("Stopped. 已停止預覽。")
