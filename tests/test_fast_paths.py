"""The build's fast paths (work spread over cores, each text parsed once) give the bytes of the plain path."""
from __future__ import annotations

import unicodedata
from pathlib import Path

from actionplan import markdown, parallel
from actionplan.pipeline import Project, build
from actionplan.sources import MAYBE_FORMAT_CHAR, is_invisible
from test_build import tree_digest

REPO = Path(__file__).resolve().parent.parent


def test_parallel_build_writes_the_bytes_of_a_serial_build(tmp_path, monkeypatch):
    parallel_site = tmp_path / "parallel"
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)
    build(Project(REPO), parallel_site, strict=True, search=False)
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 10**9)
    monkeypatch.setattr(markdown, "_rendered", {})
    serial_site = tmp_path / "serial"
    build(Project(REPO), serial_site, strict=True, search=False)
    assert tree_digest(parallel_site) == tree_digest(serial_site)


def test_ordered_map_keeps_the_order_of_the_items(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)
    items = list(range(1000))
    assert parallel.ordered_map(lambda n: n * n, items, workers=2) == [n * n for n in items]


def test_a_heading_is_shifted_as_the_page_asks_and_never_past_h6():
    text = "# One\n\n###### Six\n\n`<h2>` and <h3> stay text"
    assert markdown.render(text, 2) == ("<h3>One</h3>\n<h6>Six</h6>\n"
                                        "<p><code>&lt;h2&gt;</code> and &lt;h3&gt; stay text</p>\n")
    assert markdown.render(text).startswith("<h1>One</h1>")


def test_the_format_character_search_finds_every_format_character_unicode_has():
    missed = [f"U+{code:04X}" for code in range(0x110000)
              if unicodedata.category(chr(code)) == "Cf" and not MAYBE_FORMAT_CHAR.fullmatch(chr(code))]
    assert missed == []
    assert is_invisible("\u200b") and MAYBE_FORMAT_CHAR.search("營業\u200b秘密")
