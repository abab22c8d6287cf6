"""Runs Pagefind on the pages' copies (``copies``) and puts its indexes together in ``site/pagefind``, a shard at
a time.

The index of each language is in shards (``shard_of``): a year's quarters, and the rest of the site. Each shard is
indexed by a Pagefind of its own into a folder of its own (``pagefind/zh/2018/``), and the search page merges the
shards of its language at query time (Pagefind's ``mergeIndex``, which shares one WebAssembly). A build re-indexes
only the shards with a page that gives the search something new, and takes the others from the last build as they
are: the same copies make the same files. No Pagefind holds more than a shard.

Pagefind asks its first index with the language of the search page, and segments the query of a Chinese page
with the browser's dictionary, which would cut the Han pairs (``copies``). So the first index the search page
loads (``pagefind/``) holds one placeholder page a language and nothing a reader finds; the shards are merged
with the language they were indexed as (``INDEXED_AS`` for Chinese), which Pagefind does not segment. What the
search page needs is in ``shards-<lang>.json``; the filters and quarter sort in ``facets-<lang>.json``.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Collection, Iterable
from pathlib import Path

from ...base.parallel import ordered_map
from ...content.i18n import HTML_LANG
from ..facets import Facets
from ..write import link_or_copy
from .copies import INDEXED_AS, indexable

PAGEFIND_VERSION = "1.5.2"
INDEX_CHUNK_SIZE = 1000
"""The size Pagefind aims at for each file of its index (its ``PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE``, read by the
pinned version; its default is 20 times this). A search fetches the files that hold its words; smaller files hold
fewer words it did not ask for (docs/search.md)."""
SEGMENTED = ("zh", "ja", "th")
"""Languages whose pages Pagefind (and the browser, for a query) would cut into dictionary words."""
PLACEHOLDER = "_"
"""The one word of each language's placeholder page: no word a reader's query makes begins with it but ``_``
itself, and the search page drops the placeholder from what it finds (``shards-<lang>.json``)."""
WORKERS = max(1, min(2, os.cpu_count() or 1))
"""How many Pagefinds run at once: each is threaded itself, and more only share the same cores."""
SHARD_YEARS = 5
"""How many years of quarters a shard holds. Fewer make a smaller shard to index again after an edit, and more
files for a query to fetch: each shard has an index of its own, and a query asks every shard for its words. On the
20-year archive, a shard a year made the first Chinese query fetch 444 KiB, five years 328 KiB (docs/search.md)."""
_QUARTER = re.compile(r"(\d{4})-q[1-4]$")
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


def shard_of(page: str) -> str:
    """Return the shard a page (``zh/quarters/2018-q3/goal-1/index.html``) is indexed in: ``zh/2015-2019`` for a
    quarter's pages, where the entries are, by ``SHARD_YEARS``; ``zh/site`` for the rest. An entry edited
    re-indexes its years' shard."""
    parts = page.split("/")
    if len(parts) > 2 and parts[1] == "quarters" and (quarter := _QUARTER.match(parts[2])):
        first = int(quarter.group(1)) // SHARD_YEARS * SHARD_YEARS
        return f"{parts[0]}/{first}-{first + SHARD_YEARS - 1}"
    return f"{parts[0]}/site"


def index_copy(html: str) -> str | None:
    """Return what Pagefind reads of a page, or None for a page it does not index (no main content marked
    ``data-pagefind-body``: the statements, the open-data page, the search page). Two pages with the same copy add
    the same to the index."""
    if "data-pagefind-body" not in html:
        return None
    language = re.search(r'<html\b[^>]*\blang="([^"]*)"', html[:2000])
    segmented = language is not None and language.group(1).split("-")[0].lower() in SEGMENTED
    return indexable(html, INDEXED_AS if segmented else None)


def copy_indexable(site_dir: Path, copies: Path, skip: Collection[str] = (), workers: int | None = 1) -> list[Path]:
    """Write into ``copies`` what Pagefind reads of each page of ``site_dir`` that has content to index, a folder
    for each shard (``copies/zh/site/zh/about/index.html``) but those in ``skip``; return the shards' folders, the
    largest first. ``workers`` processes make the copies (None: one a core); a preview, whose server runs threads,
    makes them in its own."""
    pages = []
    for page in sorted(site_dir.rglob("*.html")):
        relative = page.relative_to(site_dir).as_posix()
        shard = shard_of(relative)
        if not relative.startswith("pagefind/") and shard not in skip:
            pages.append((page, copies / shard / relative))
    written = ordered_map(_copy_page, pages, workers=workers) if workers != 1 else [_copy_page(one) for one in pages]
    sizes: dict[Path, int] = {}
    for (_, copy), size in zip(pages, written):
        if size:
            folder = copies.joinpath(*copy.relative_to(copies).parts[:2])
            sizes[folder] = sizes.get(folder, 0) + size
    return sorted(sizes, key=lambda folder: (-sizes[folder], folder))


def _copy_page(page_and_copy: tuple[Path, Path]) -> int:
    """Write what Pagefind reads of one page; return its size, 0 where Pagefind does not index the page."""
    page, copy = page_and_copy
    read = index_copy(page.read_text(encoding="utf-8"))
    if read is None:
        return 0
    copy.parent.mkdir(parents=True, exist_ok=True)
    return copy.write_text(read, encoding="utf-8")


def index_search(site_dir: Path, facets: dict[str, Facets], old_index: Path | None = None,
                 unchanged: Collection[str] = ()) -> str:
    """Build the search index of ``site_dir`` into ``site_dir/pagefind``, with the filters and sort keys of its
    pages (``facets``, by page path, ``zh/about/``); return a summary line of what was indexed.

    The shards in ``unchanged`` (``zh/2015-2019``), whose pages all give what they gave when ``old_index`` was made,
    are taken from it as they are."""
    kept = [shard for shard in unchanged if old_index is not None and (old_index / shard).is_dir()]
    with tempfile.TemporaryDirectory(prefix="actionplan-search-") as work:
        copies = Path(work) / "pages"
        return _index(copy_indexable(site_dir, copies, skip=set(kept), workers=None), copies, site_dir / "pagefind",
                      facets, old_index, kept)


def index_copies(copies: Path, index_dir: Path, facets: dict[str, Facets]) -> str:
    """Index the pages' copies (``copy_indexable``, already written) into ``index_dir``; return the summary line."""
    folders = sorted((folder for lang in copies.iterdir() if lang.is_dir() for folder in lang.iterdir()
                      if folder.is_dir()), key=lambda folder: -sum(1 for _ in folder.rglob("*.html")))
    return _index(folders, copies, index_dir, facets)


def _index(folders: list[Path], copies: Path, index_dir: Path, facets: dict[str, Facets],
           old_index: Path | None = None, kept: Collection[str] = ()) -> str:
    """Run a Pagefind on each shard's folder of copies (``WORKERS`` at once), then put the shards, the
    ``kept`` ones of ``old_index`` and the placeholders together in ``index_dir``; return the summary line."""
    outputs = copies.parent / "indexes"
    binary = pagefind_binary()  # once: asking its version is a process of its own
    running: list[tuple[subprocess.Popen, str]] = []
    said: list[str] = []
    try:
        for folder in folders:
            shard = folder.relative_to(copies).as_posix()
            while len(running) >= WORKERS:
                said.append(_finish(*running.pop(0)))
            running.append((_start(binary, folder, outputs / shard), shard))
        while running:
            said.append(_finish(*running.pop(0)))
    except BaseException:  # a Pagefind failed, or Ctrl-C: none is left running on copies about to go
        for process, _ in running:
            process.kill()
            process.communicate()  # and its output's pipe closed
        raise
    indexed = {path.name for path in outputs.iterdir()} if outputs.is_dir() else set()
    languages = sorted(indexed | {shard.split("/")[0] for shard in kept})
    placeholders = _placeholders(binary, copies.parent / "placeholders", outputs / "_", languages)
    index_dir.mkdir(parents=True, exist_ok=True)
    _move_bundle(outputs / "_", index_dir, with_code=True)
    for shard in kept:
        assert old_index is not None
        for path in sorted((old_index / shard).rglob("*")):
            if path.is_file():
                link_or_copy(path, index_dir / shard / path.relative_to(old_index / shard))
    for lang in languages:
        for shard_dir in sorted((outputs / lang).iterdir()) if (outputs / lang).is_dir() else ():
            _move_bundle(shard_dir, index_dir / lang / shard_dir.name, with_code=False)
    write_shard_lists(index_dir, placeholders)
    write_facets(index_dir, facets)
    return _summary(said, kept, languages)


def _start(binary: Path, folder: Path, output: Path) -> subprocess.Popen:
    """Start Pagefind (``binary``) on one shard's copies, writing its index into ``output``."""
    env = {**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(INDEX_CHUNK_SIZE)}
    return subprocess.Popen([str(binary), "--site", str(folder), "--output-path", str(output)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)


def _finish(process: subprocess.Popen, shard: str) -> str:
    """Wait for one Pagefind; return what it said, or raise what went wrong."""
    out, _ = process.communicate()
    if process.returncode != 0:
        lines = " / ".join(line.strip() for line in out.splitlines() if line.strip())
        raise SearchIndexFailed(f"pagefind failed on {shard} ({process.returncode}): {lines}")
    return out


def _placeholders(binary: Path, pages: Path, output: Path, languages: Iterable[str]) -> dict[str, str]:
    """Index a placeholder page for each language into ``output``, the first index the search page loads; return
    the placeholders' ids (Pagefind's fragment names), by language folder."""
    for lang in languages:
        tag = HTML_LANG.get(lang, lang)  # the search page's: Pagefind picks its first index by it
        page = pages / "_" / lang / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f'<html lang="{tag}"><body><main data-pagefind-body><p>{PLACEHOLDER}</p></main></body></html>',
                        encoding="utf-8")
    _finish(_start(binary, pages, output), "the placeholders")
    return {_url_of(fragment).strip("/").split("/")[1]: fragment.name.removesuffix(".pf_fragment")
            for fragment in sorted((output / "fragment").glob("*.pf_fragment"))}


def _move_bundle(bundle: Path, target: Path, with_code: bool) -> None:
    """Move one Pagefind output into ``target``: its entry, metadata and index, and ``with_code`` its script and
    WebAssembly, which the placeholders' index has once for every shard."""
    for path in sorted(bundle.rglob("*")):
        if not path.is_file() or path.name in _UNUSED_BUNDLES:
            continue
        if not with_code and (path.suffix == ".js" or path.name.startswith("wasm.")):
            continue
        destination = target / path.relative_to(bundle)
        destination.parent.mkdir(parents=True, exist_ok=True)
        if path.name == "pagefind-entry.json":  # Pagefind writes its languages in any order
            destination.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8")), sort_keys=True,
                                              ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        else:
            shutil.move(path, destination)
    shutil.rmtree(bundle)


def _url_of(fragment: Path) -> str:
    return json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]


def _summary(said: list[str], kept: Collection[str], languages: list[str]) -> str:
    """Return one line of what the Pagefinds indexed: shards, pages and words summed."""
    counts = {"pages": 0, "words": 0}
    for out in said:
        for name in counts:
            counts[name] += sum(int(n) for n in re.findall(rf"Indexed (\d+) {name}", out))
    return (f"Indexed {len(said)} shards of {len(languages)} languages ({len(kept)} kept), {counts['pages']} pages, "
            f"{counts['words']} words")


def reuse_search_index(old_site: Path, staging: Path) -> int:
    """Take the search index of ``old_site`` into ``staging`` unchanged; return how many files it has."""
    files = sorted(path for path in (old_site / "pagefind").rglob("*") if path.is_file())
    for path in files:
        link_or_copy(path, staging / path.relative_to(old_site))
    return len(files)


def write_shard_lists(index_dir: Path, placeholders: dict[str, str]) -> None:
    """Write ``shards-<lang>.json``: the shards the search page merges, the language each was indexed as, and the
    id of the placeholder it drops."""
    for lang, placeholder in sorted(placeholders.items()):
        shards = sorted(path.name for path in (index_dir / lang).iterdir() if (path / "pagefind-entry.json").is_file()) \
            if (index_dir / lang).is_dir() else []
        entry = json.loads((index_dir / lang / shards[0] / "pagefind-entry.json").read_text(encoding="utf-8")) \
            if shards else {"languages": {}}
        (index_dir / f"shards-{lang}.json").write_text(json.dumps(
            {"language": next(iter(entry["languages"]), lang), "placeholder": placeholder, "shards": shards},
            sort_keys=True, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def write_facets(index_dir: Path, facets: dict[str, Facets]) -> None:
    """Write ``facets-<lang>.json``: each indexed page's filter values and sort keys, by Pagefind's id for it.

    Pagefind has filters of its own, but it writes their files in a different order on every run (its issue
    #638), and the same input must build the same bytes. Its page ids are hashes of each page's fragment, which
    do repeat; the search page reads this file the first time a reader filters or sorts.
    """
    by_lang: dict[str, dict] = {}
    for fragment in sorted(index_dir.glob("*/*/fragment/*.pf_fragment")):
        page_id = fragment.name.removesuffix(".pf_fragment")
        url = _url_of(fragment)
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
