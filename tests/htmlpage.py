"""A small reader of built pages for tests: language, headings, links, ids and text, via the standard parser."""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class Page:
    lang: str = ""
    h1: list[str] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    alternates: dict[str, str] = field(default_factory=dict)
    feeds: list[str] = field(default_factory=list)
    """The Atom feeds the page announces (``<link rel="alternate" type="application/atom+xml">``)."""
    ids: set[str] = field(default_factory=set)
    text: str = ""
    title: str = ""
    langs: list[tuple[str, str]] = field(default_factory=list)
    """(lang attribute, text inside) for every element inside <body> that sets lang."""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in_h1 = False
        self._h1 = ""
        self._text: list[str] = []
        self._lang_stack: list[tuple[str, int, list[str]]] = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page.lang = attrs.get("lang", "")
        if "id" in attrs:
            self.page.ids.add(attrs["id"])
        if tag == "h1":
            self._in_h1, self._h1 = True, ""
        self._in_title = tag == "title"
        if tag == "a":
            self.page.links.append(attrs)
        if tag == "link" and attrs.get("rel") == "alternate" and "hreflang" in attrs:
            self.page.alternates[attrs["hreflang"]] = attrs["href"]
        if tag == "link" and attrs.get("rel") == "alternate" and attrs.get("type") == "application/atom+xml":
            self.page.feeds.append(attrs["href"])
        if tag not in ("br", "meta", "link", "input", "img", "hr"):
            self._depth += 1
            if "lang" in attrs and tag != "html":
                self._lang_stack.append((attrs["lang"], self._depth, []))

    def handle_endtag(self, tag):
        self._in_title = False
        if tag == "h1":
            self._in_h1 = False
            self.page.h1.append(" ".join(self._h1.split()))
        if self._lang_stack and self._lang_stack[-1][1] == self._depth:
            lang, _, parts = self._lang_stack.pop()
            self.page.langs.append((lang, "".join(parts)))
        self._depth -= 1

    def handle_data(self, data):
        if getattr(self, "_in_title", False):
            self.page.title += data
        if self._in_h1:
            self._h1 += data
        self._text.append(data)
        for _, _, parts in self._lang_stack:
            parts.append(data)

    def close(self):
        super().close()
        self.page.text = " ".join("".join(self._text).split())


def read_page(path: Path) -> Page:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader.page
