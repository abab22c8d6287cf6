"""Indexes the written site with Pagefind, every Han character a word of its own, so Chinese is found exactly.

Pagefind's extended binary segments Chinese with a dictionary, and its browser side segments the reader's query
with the browser's own dictionary (``Intl.Segmenter``). Where the two cut a term differently the term is not
found (智慧財產局 found 1 page of the 132 that have it), and a dictionary word matches pages that only share it
(執法 returned 180 pages for 29). So Pagefind reads copies of the pages in which a zero-width space stands on
each side of every Han character: each character is a word at its own position. The search page asks for a
Chinese term as an exact phrase of its characters (``static/search.js``), which Pagefind answers from those
positions: every page with the term, and no page without it. The pages served are the originals.

Each language is indexed by a Pagefind of its own, in index files of about 1,000 bytes (``INDEX_CHUNK_SIZE``), and
an entry is indexed once, on its quarter's goal page (the templates mark the pages that repeat it): docs/search.md.
The search page's filters and quarter sort come from ``facets-<lang>.json``, written beside the index.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Collection, Iterator
from pathlib import Path

from .facets import Facets
from .write import link_or_copy

PAGEFIND_VERSION = "1.5.2"
INDEX_CHUNK_SIZE = 1000
"""The size Pagefind aims at for each file of its index (its ``PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE``, read by the
pinned version; its default is 20 times this). A search fetches the files that hold its words: with each Han
character a word, a file of the default size holds some forty characters, and a four-character term fetched 106 KiB
of index on the shipped content, against 19 KiB at this size (docs/search.md)."""

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
"""CJK unified ideographs (basic, extensions A to H) and compatibility ideographs: the characters made words."""
_HAN_RUN = re.compile(f"[{HAN}]+")
_HTML_TAG = re.compile(r"<html\b[^>]*>")
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
    search's meta after it (``_indexed_part``), with a zero-width space (a word break to Pagefind) on each side of
    every Han character of its text, and a space after each block that ends, so that words of adjacent cells (a
    ``<dt>`` and its ``<dd>``) don't run together. Tags and character references are left as they are.

    Pagefind makes Chinese punctuation a word of its own, which takes a position: a phrase can't match across it,
    so the search page asks for a term's pieces between punctuation as phrases that must all be on the page."""
    html = _indexed_part(html)

    def words(run: re.Match) -> str:
        start, end = run.span()
        if html.rfind("<", 0, start) > html.rfind(">", 0, start):
            return run.group()  # in a tag: an attribute's value is left as it is
        text = "\u200b".join(_standard_ideographs(run.group()))
        # No break where the text begins or ends (at a tag) or where a space is one already.
        before, after = html[start - 1:start], html[end:end + 1]
        return ("" if not before or before.isspace() or before == ">" else "\u200b") + text + \
            ("" if not after or after.isspace() or after == "<" else "\u200b")

    return _BLOCK_END.sub("\\g<0> ", _HAN_RUN.sub(words, html))


def _indexed_part(html: str) -> str:
    """Return what Pagefind reads of a page: the ``<html>`` tag, and from ``<main>`` (``data-pagefind-body``) to the
    footer, which holds the result's meta. The head, the header's navigation and the footer are left out: Pagefind
    indexes nothing of them, and the copies are smaller (by 9% on the 20-year archive). A page not laid out so is
    whole."""
    opening, start = _HTML_TAG.search(html), html.find("<main ")
    end = html.find("<footer", start)
    if opening is None or start < 0 or end < 0 or "data-pagefind-body" not in html[start:html.find(">", start)]:
        return html
    return f"{opening.group()}<body>{html[start:end]}</body></html>"


def _standard_ideographs(text: str) -> str:
    """Return text with each CJK compatibility ideograph (數 U+F969, kept byte-exact where the source has it, as in
    the white paper's responses) as the unified one NFC makes of it (數 U+6578): the one readers type. Pagefind
    finds no phrase with a character on a page that also has the character's compatibility form."""
    return _COMPAT.sub(lambda found: unicodedata.normalize("NFC", found.group()), text)


def index_search(site_dir: Path, facets: dict[str, Facets], old_index: Path | None = None,
                 unchanged: Collection[str] = ()) -> str:
    """Build the search index of ``site_dir`` into ``site_dir/pagefind``, with the filters and sort keys of its
    pages (``facets``, by page path, ``zh/about/``); return Pagefind's summary line.

    Each language is indexed by a Pagefind of its own, started as soon as its copies are written: the next
    language's copies are written while it runs, and the largest process holds one language, not the site. The
    languages in ``unchanged`` (their folders: ``en``), whose pages are all as they were when ``old_index`` was
    made, are taken from it as they are: Pagefind indexes each language apart, so its files are the same."""
    kept = languages_of(old_index, unchanged) if old_index is not None and unchanged else {}
    with tempfile.TemporaryDirectory(prefix="actionplan-search-") as copies:
        runs: list[tuple[subprocess.Popen, Path]] = []
        try:
            for folder in copy_indexable(site_dir, Path(copies) / "pages", skip=set(kept)):
                runs.append(_start_pagefind(folder, Path(copies) / "indexes" / folder.name))
        except BaseException:  # a copy failed, or Ctrl-C: no Pagefind is left running on copies about to go
            for process, _ in runs:
                process.kill()
                process.wait()
            raise
        return _finish(runs, site_dir / "pagefind", facets, kept, old_index)


def languages_of(index_dir: Path, folders: Collection[str]) -> dict[str, dict]:
    """Return, by folder, the languages of an index whose pages are in ``folders``: Pagefind's entry for each."""
    languages = json.loads((index_dir / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]
    found = {}
    for code, language in languages.items():
        fragment = next((index_dir / "fragment").glob(f"{code}_*.pf_fragment"), None)
        if fragment is not None:
            url = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]
            if url.strip("/").split("/")[0] in folders:
                found[url.strip("/").split("/")[0]] = {code: language}
    return found


def _language_files(index_dir: Path, code: str, language: dict) -> list[Path]:
    """Return the files of one language of an index: its metadata, WebAssembly, index chunks and fragments."""
    return [index_dir / f"pagefind.{language['hash']}.pf_meta",
            index_dir / f"wasm.{language['wasm'] or 'unknown'}.pagefind",
            *sorted((index_dir / "index").glob(f"{code}_*.pf_index")),
            *sorted((index_dir / "fragment").glob(f"{code}_*.pf_fragment"))]


def index_copy(html: str) -> str | None:
    """Return what Pagefind reads of a page (``indexable``), or None for a page it does not index (no main content
    marked ``data-pagefind-body``: the statements, the open-data page, the search page). Two pages with the same
    copy add the same to the index."""
    return indexable(html) if "data-pagefind-body" in html else None


def copy_indexable(site_dir: Path, copies: Path, skip: Collection[str] = ()) -> Iterator[Path]:
    """Write into ``copies`` what Pagefind reads of each page of ``site_dir`` that has content to index, a folder
    for each language (``copies/zh/zh/about/index.html``) but those in ``skip``; yield each folder once it is
    complete."""
    pages: dict[str, list[Path]] = {}
    for page in sorted(site_dir.rglob("*.html")):
        pages.setdefault(page.relative_to(site_dir).parts[0], []).append(page)
    for lang, files in sorted(pages.items(), key=lambda item: -len(item[1])):  # the largest first: it runs longest
        if lang in skip:
            continue
        folder, written = copies / lang, False
        for page in files:
            read = index_copy(page.read_text(encoding="utf-8"))
            if read is not None:
                copy = folder / page.relative_to(site_dir)
                copy.parent.mkdir(parents=True, exist_ok=True)
                copy.write_text(read, encoding="utf-8")
                written = True
        if written:
            yield folder


def index_copies(copies: Path, index_dir: Path, facets: dict[str, Facets]) -> str:
    """Index the pages' copies (``copy_indexable``) into ``index_dir``; return Pagefind's summary line."""
    folders = sorted((folder for folder in copies.iterdir() if folder.is_dir()),
                     key=lambda folder: -sum(1 for _ in folder.rglob("*.html")))
    runs = [_start_pagefind(folder, index_dir.parent / f"{index_dir.name}-{folder.name}") for folder in folders]
    return _finish(runs, index_dir, facets)


def _start_pagefind(folder: Path, output: Path) -> tuple[subprocess.Popen, Path]:
    """Start Pagefind on one language's copies, writing its index into ``output``."""
    env = {**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(INDEX_CHUNK_SIZE)}
    process = subprocess.Popen([str(pagefind_binary()), "--site", str(folder), "--output-path", str(output)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    return process, output


def _finish(runs: list[tuple[subprocess.Popen, Path]], index_dir: Path, facets: dict[str, Facets],
            kept: dict[str, dict] | None = None, old_index: Path | None = None) -> str:
    """Wait for the Pagefinds, then put their indexes together in ``index_dir``: their files side by side, with the
    ``kept`` languages' files of ``old_index``, and one entry file naming every language; return a summary line of
    what was indexed."""
    said, failed = [], []
    try:
        for process, _ in runs:
            out, _ = process.communicate()
            said.append(out)
            if process.returncode != 0:
                lines = " / ".join(line.strip() for line in out.splitlines() if line.strip())
                failed.append(f"pagefind failed ({process.returncode}): {lines}")
    except BaseException:  # Ctrl-C while they run: none is left running
        for process, _ in runs:
            process.kill()
            process.wait()
        raise
    if failed:
        raise SearchIndexFailed("; ".join(dict.fromkeys(failed)))  # each language's Pagefind may say the same
    index_dir.mkdir(parents=True, exist_ok=True)
    languages: dict = {}
    entry: dict = {}
    for _, output in runs:
        entry = json.loads((output / "pagefind-entry.json").read_text(encoding="utf-8"))
        languages.update(entry["languages"])
        for path in sorted(output.rglob("*")):
            target = index_dir / path.relative_to(output)
            if path.is_file() and path.name != "pagefind-entry.json" and path.name not in _UNUSED_BUNDLES:
                if not target.exists():  # the script and WebAssembly each Pagefind writes are the same files
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(path, target)
        shutil.rmtree(output)
    for kept_languages in (kept or {}).values():
        for code, language in kept_languages.items():
            assert old_index is not None
            for path in _language_files(old_index, code, language):
                if not (index_dir / path.relative_to(old_index)).exists():
                    link_or_copy(path, index_dir / path.relative_to(old_index))
            languages[code] = language
            if not entry:
                entry = json.loads((old_index / "pagefind-entry.json").read_text(encoding="utf-8"))
                for name in ("pagefind.js", "pagefind-worker.js"):
                    link_or_copy(old_index / name, index_dir / name)
    entry["languages"] = languages
    (index_dir / "pagefind-entry.json").write_text(
        json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    write_facets(index_dir, facets)
    return _summary(said, languages)


def _summary(said: list[str], languages: dict) -> str:
    """Return one line of what the Pagefinds indexed: the languages and the pages, words summed."""
    counts = {"pages": 0, "words": 0}
    for out in said:
        for name in counts:
            counts[name] += sum(int(n) for n in re.findall(rf"Indexed (\d+) {name}", out))
    return f"Indexed {len(said)} of {len(languages)} languages, {counts['pages']} pages, {counts['words']} words"


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
