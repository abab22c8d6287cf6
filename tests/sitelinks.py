"""A crawler for the built site: every internal link, script, stylesheet and image, and every #fragment, resolved."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

_ORIGIN = "https://site.invalid"
"""A stand-in origin to resolve relative URLs against; any other origin is an external link."""
_URL_ATTRIBUTES = {("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("form", "action"),
                   ("iframe", "src"), ("source", "src")}


@dataclass(frozen=True)
class Link:
    page: str
    """The site path of the page holding the link, e.g. ``/zh/about/``."""
    url: str
    """The link as written."""


@dataclass(frozen=True)
class PageLinks:
    links: list[Link]
    anchors: set[str]
    """Every id (and a name) on the page, the targets a #fragment may point at."""


class _Collector(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[Link] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.anchors.add(value)
            if (tag, name) in _URL_ATTRIBUTES:
                self.links.append(Link(self.page, value))
            if tag == "meta" and name == "content" and "url=" in value:
                self.links.append(Link(self.page, value.split("url=", 1)[1]))


def site_path(site: Path, file: Path) -> str:
    """Return the URL path a file is served at: ``zh/about/index.html`` → ``/zh/about/``."""
    rel = file.relative_to(site).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def read_links(site: Path) -> dict[str, PageLinks]:
    """Return the links and anchors of every HTML page of the site, by site path."""
    pages = {}
    for file in sorted(site.rglob("*.html")):
        path = site_path(site, file)
        collector = _Collector(path)
        collector.feed(file.read_text(encoding="utf-8"))
        collector.close()
        pages[path] = PageLinks(collector.links, collector.anchors)
    return pages


def _target_file(site: Path, path: str) -> Path:
    file = site / unquote(path).lstrip("/")
    return file / "index.html" if path.endswith("/") else file


def broken_links(site: Path) -> tuple[int, list[str]]:
    """Return how many internal links were checked and a description of each broken one.

    A link is broken when its file does not exist, its #fragment is not an id on the target page, or an asset's
    ``?v=`` version is not the hash of the file it names (browsers would keep a stale copy).
    """
    pages = read_links(site)
    checked, broken = 0, []
    for page in pages.values():
        for link in page.links:
            resolved = urlsplit(urljoin(_ORIGIN + link.page, link.url))
            if f"{resolved.scheme}://{resolved.netloc}" != _ORIGIN:
                continue
            checked += 1
            file = _target_file(site, resolved.path)
            if not file.is_file():
                broken.append(f"{link.page}: {link.url} → no such file {resolved.path}")
                continue
            if resolved.fragment:
                target = pages.get(site_path(site, file))
                if target is None or unquote(resolved.fragment) not in target.anchors:
                    broken.append(f"{link.page}: {link.url} → no id \"{resolved.fragment}\" on {resolved.path}")
            if resolved.query.startswith("v="):
                digest = hashlib.sha256(file.read_bytes()).hexdigest()[:10]
                if resolved.query != f"v={digest}":
                    broken.append(f"{link.page}: {link.url} → version is not the file's hash {digest}")
    return checked, broken
