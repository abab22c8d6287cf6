"""Indexes the written site with Pagefind, every Han character a word of its own, so Chinese is found exactly.

Pagefind's extended binary segments Chinese with a dictionary, and its browser side segments the reader's query
with the browser's own dictionary (``Intl.Segmenter``). Where the two cut a term differently the term is not
found (智慧財產局 found 1 page of the 132 that have it), and a dictionary word matches pages that only share it
(執法 returned 180 pages for 29). So Pagefind reads copies of the pages in which a zero-width space stands on
each side of every Han character: each character is a word at its own position. The search page asks for a
Chinese term as an exact phrase of its characters (``static/search.js``), which Pagefind answers from those
positions: every page with the term, and no page without it. The pages served are the originals.

The search page's filters and quarter sort come from ``facets-<lang>.json``, written beside the index.
"""
from __future__ import annotations

import gzip
import json
import re
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from .facets import Facets
from .write import link_or_copy

PAGEFIND_VERSION = "1.5.2"

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
"""CJK unified ideographs (basic, extensions A to H) and compatibility ideographs: the characters made words."""
_HAN_BOUNDARY = re.compile(rf"(?<=[{HAN}])(?=[^\s{HAN}])|(?<=\S)(?=[{HAN}])")
_TAG = re.compile(r"(<[^>]*>)")
_HTML_TAG = re.compile(r"<html\b[^>]*>")
_INDEXED = re.compile(r"<main\b[^>]*\bdata-pagefind-body\b.*?(?=<footer\b)", re.S)
_COMPAT = re.compile("[\uf900-\ufaff\U0002f800-\U0002fa1f]")
_BLOCK_END = re.compile(r"</(?:p|li|dt|dd|th|td|h[1-6]|div|caption|blockquote|pre|address|figcaption)>|<br>", re.I)
_UNUSED_BUNDLES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
                   "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
"""Pagefind's own interfaces; the search page has its own (static/search.js), and nothing else may run."""


class SearchIndexFailed(RuntimeError):
    """Pagefind could not be run or did not finish."""


def pagefind_binary() -> Path:
    """Return the pinned extended binary (pagefind[extended]==X alone can leave another binary in place)."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError as err:
        raise SearchIndexFailed("pagefind-bin-extended is not installed: pip install -e .") from err
    binary = Path(get_executable())
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=False).stdout.strip()
    if version != f"pagefind {PAGEFIND_VERSION}":
        raise SearchIndexFailed(f"expected pagefind {PAGEFIND_VERSION} (extended), found {version!r} at {binary}")
    return binary


def indexable(html: str) -> str:
    """Return the copy of a page that Pagefind reads: its ``<html>`` tag (the language), its main content and the
    search's meta after it (``_INDEXED``), with a zero-width space (a word break to Pagefind) on each side of every
    Han character of its text, and a space after each block that ends, so that words of adjacent cells (a ``<dt>``
    and its ``<dd>``) don't run together. Tags and character references are left as they are.

    Pagefind makes Chinese punctuation a word of its own, which takes a position: a phrase can't match across it,
    so the search page asks for a term's pieces between punctuation as phrases that must all be on the page."""
    parts = _TAG.split(_indexed_part(html))
    return "".join((part + " " if _BLOCK_END.fullmatch(part) else part) if i % 2
                   else _HAN_BOUNDARY.sub("\u200b", _standard_ideographs(part)) for i, part in enumerate(parts))


def _indexed_part(html: str) -> str:
    """Return what Pagefind reads of a page: the ``<html>`` tag, and from ``<main>`` (``data-pagefind-body``) to the
    footer, which holds the result's meta. The head, the header's navigation and the footer are left out: Pagefind
    indexes nothing of them, and skipping them makes the copies a third as large. A page not laid out so is whole."""
    opening, main = _HTML_TAG.search(html), _INDEXED.search(html)
    if opening is None or main is None:
        return html
    return f"{opening.group()}<body>{main.group()}</body></html>"


def _standard_ideographs(text: str) -> str:
    """Return text with each CJK compatibility ideograph (數 U+F969, kept byte-exact where the source has it, as in
    the white paper's responses) as the unified one NFC makes of it (數 U+6578): the one readers type. Pagefind
    finds no phrase with a character on a page that also has the character's compatibility form."""
    return _COMPAT.sub(lambda found: unicodedata.normalize("NFC", found.group()), text)


def index_search(site_dir: Path, facets: dict[str, Facets]) -> str:
    """Build the search index of ``site_dir`` into ``site_dir/pagefind``, with the filters and sort keys of its
    pages (``facets``, by page path, ``zh/about/``); return Pagefind's summary line."""
    with tempfile.TemporaryDirectory(prefix="actionplan-search-") as copies:
        copy_indexable(site_dir, Path(copies))
        return index_copies(Path(copies), site_dir / "pagefind", facets)


def copy_indexable(site_dir: Path, copies: Path) -> None:
    """Write into ``copies`` what Pagefind reads of each page of ``site_dir`` that has content to index."""
    for page in sorted(site_dir.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if "data-pagefind-body" in html:
            copy = copies / page.relative_to(site_dir)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(indexable(html), encoding="utf-8")


def index_copies(copies: Path, index_dir: Path, facets: dict[str, Facets]) -> str:
    """Index the pages' copies (``copy_indexable``) into ``index_dir``; return Pagefind's summary line."""
    binary = pagefind_binary()
    result = subprocess.run([str(binary), "--site", str(copies), "--output-path", str(index_dir), "--quiet"],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        said = " / ".join(line.strip() for line in (result.stdout + result.stderr).splitlines() if line.strip())
        raise SearchIndexFailed(f"pagefind failed ({result.returncode}): {said}")
    for name in _UNUSED_BUNDLES:
        (index_dir / name).unlink(missing_ok=True)
    normalise_entry(index_dir / "pagefind-entry.json")
    write_facets(index_dir, facets)
    return result.stdout.strip()


def reuse_search_index(old_site: Path, staging: Path) -> int:
    """Take the search index of ``old_site`` into ``staging`` unchanged; return how many files it has."""
    files = sorted(path for path in (old_site / "pagefind").rglob("*") if path.is_file())
    for path in files:
        link_or_copy(path, staging / path.relative_to(old_site))
    return len(files)


def write_facets(index_dir: Path, facets: dict[str, Facets]) -> None:
    """Write ``facets-<lang>.json``: each indexed page's filter values and sort keys, by Pagefind's id for it.

    Pagefind has filters of its own, but it writes their files in a different order on every run (its issue
    #638), and the same input must build the same bytes. Its page ids are hashes of each page's fragment, which
    do repeat; the search page reads this file the first time a reader filters or sorts.
    """
    by_lang: dict[str, dict] = {}
    for fragment in sorted((index_dir / "fragment").glob("*.pf_fragment")):
        page_id = fragment.name.removesuffix(".pf_fragment")
        url = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]
        page = facets.get(url.removeprefix("/"))
        if page is None:
            continue
        lang = url.strip("/").split("/")[0]
        index = by_lang.setdefault(lang, {"values": {}, "pages": {}})
        numbers = [index["values"].setdefault(f"{name}:{value}", len(index["values"])) for name, value in page.filters]
        index["pages"][page_id] = [page.newest, page.oldest, numbers]
    for lang, index in by_lang.items():
        values = sorted(index["values"], key=index["values"].get)
        (index_dir / f"facets-{lang}.json").write_text(
            json.dumps({"values": values, "pages": index["pages"]}, sort_keys=True, ensure_ascii=False,
                       separators=(",", ":")), encoding="utf-8")


def normalise_entry(entry: Path) -> None:
    """Sort the keys of Pagefind's entry file, whose language map comes out in hash order, so builds repeat.

    Every other file Pagefind writes is named by and holds content hashes, and repeats as it is.
    """
    data = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
