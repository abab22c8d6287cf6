"""What the last successful build into a folder was made from, so that the next one redoes only what changed.

Sources are known by content hash (read again only when their size or modification time moved); each page by a
fingerprint of everything it is rendered from. With no source changed and the output as it was left, a build
does nothing; otherwise a page whose fingerprint is unchanged is linked from the old site instead of rendered.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import pickle
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from ..content.corpus import EntryReads
from ..site.facets import Facets, page_facets
from ..content.models import Corpus, Outcome
from ..base.parallel import ordered_map
from ..site.routes import PageSpec, entry_id, quarter_editions

FORMAT = 2
"""Bumped when the state file's layout changes; a state of another format is ignored."""
_PACKAGE = Path(__file__).resolve().parent.parent  # the whole package: its code decides the bytes


def digest(*parts: bytes | str) -> str:
    """Return one hash of ``parts``, each told apart from the next."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8") if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()


def _files(folder: Path | str) -> Iterator[os.DirEntry]:
    """Yield every file under ``folder`` (none if it is missing) as ``os.walk`` would list them, a folder's files
    before its subfolders', each in name order, skipping hidden files and caches and not entering linked folders.
    Entries, not paths: tens of thousands of ``Path`` objects cost more than the walk. A ``folder`` that is itself a
    link is not entered either: the build refuses it (issue 26) and reads nothing through it, not even to hash it."""
    if os.path.islink(folder):
        return
    try:
        with os.scandir(folder) as found:
            entries = sorted(found, key=lambda entry: entry.name)
    except OSError:
        return
    folders = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_folder = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_folder = False
        if not is_folder:
            yield entry  # a link too, to a file or a folder: hashed as the link it is, not followed (issue 26)
        elif entry.name != "__pycache__":
            folders.append(entry.path)
    for path in folders:
        yield from _files(path)


def _hash_file(path: str | Path) -> str:
    """Return the hash of a file's bytes; of a link's target, without following it (the build refuses links)."""
    if os.path.islink(path):
        return digest("symbolic link", os.readlink(path))
    # In chunks, as ``digest`` would hash the bytes whole: a file a pull request adds can be of any size.
    hasher = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            hasher.update(chunk)
    hasher.update(b"\0")
    return hasher.hexdigest()


def write_whole(path: Path, data: bytes) -> None:
    """Write ``data`` at ``path`` through a temporary file, so that a reader finds all of it or the old file."""
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _output_stats(out_dir: Path) -> dict[str, list]:
    """Return, by path relative to ``out_dir``, [size, modification time in ns, inode] of every file in it."""
    start = len(str(out_dir)) + 1
    stats = {}
    for entry in _files(out_dir):
        stat = entry.stat()
        stats[entry.path[start:]] = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
    return stats


@dataclasses.dataclass
class BuildState:
    """The record of one output folder's last successful build."""

    path: Path
    """Where the record is kept: beside the output folder, which is published whole."""
    sources: dict[str, list] = dataclasses.field(default_factory=dict)
    """By path: [size, modification time in ns, content hash]."""
    inputs: str = ""
    """One hash of every source's content and the build's options."""
    pages: dict[str, str] = dataclasses.field(default_factory=dict)
    """By output file: the fingerprint of what it was rendered from."""
    outputs: dict[str, list] = dataclasses.field(default_factory=dict)
    """By output file: [size, modification time in ns, inode], to notice a site changed by hand."""
    checked: dict = dataclasses.field(default_factory=dict)
    """What each entry text was found to have, by a hash of the text and where it is (see validate)."""
    report: dict = dataclasses.field(default_factory=dict)
    """The page and file counts of the build, reported again when nothing changed."""
    search_index: str = ""
    """The ``inputs`` of the build whose pages the search index in the folder was made from; empty without one. It
    differs from ``inputs`` while the index of a preview's latest pages is still being made (``PreviewReuse``)."""

    @classmethod
    def load(cls, out_dir: Path) -> BuildState:
        """Return the record for ``out_dir``, kept beside it, or an empty one when there is none or it is
        unreadable."""
        path = out_dir.parent / f".build-state-{out_dir.name}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.pop("format") != FORMAT:
                return cls(path)
            return cls(path, **data)
        except (OSError, ValueError, TypeError, KeyError):
            return cls(path)

    def save(self) -> None:
        """Write the record, whole or not at all."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"format": FORMAT, **{f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "path"}}
        write_whole(self.path, json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    def hash_sources(self, roots: list[Path], options: str) -> str:
        """Return the hash of every source under ``roots`` and the code and options, rehashing only files whose
        size or modification time moved, and keep the new hashes for ``save``."""
        known, self.sources = self.sources, {}
        moved = []
        for root in [*roots, _PACKAGE]:
            for entry in _files(root):
                stat = entry.stat(follow_symlinks=False)
                key = entry.path
                old = known.get(key)
                unmoved = old and old[0] == stat.st_size and old[1] == stat.st_mtime_ns
                self.sources[key] = [stat.st_size, stat.st_mtime_ns, old[2] if unmoved else ""]
                if not unmoved:
                    moved.append(key)
        # Every file, before a first build: on every core.
        for key, content in zip(moved, ordered_map(_hash_file, moved)):
            self.sources[key][2] = content
        return self.hash_of_sources(options)

    def hash_of_sources(self, options: str) -> str:
        """Return the hash ``hash_sources`` returns, of the sources as last hashed."""
        return digest(options, *(part for key, entry in self.sources.items() for part in (key, entry[2])))

    def edited_sources(self, paths: set[Path]) -> dict[str, list] | None:
        """Return, by path, the new [size, modification time, hash] of those of ``paths`` that are sources whose
        content changed since they were last hashed, or None when one of them is a source added or deleted (or a
        folder). Paths ``hash_sources`` does not read (hidden files, caches) are no sources; nothing is kept."""
        edited = {}
        for path in paths:
            if any(part.startswith(".") or part == "__pycache__" for part in path.parts):
                continue
            key = str(path)
            old = self.sources.get(key)
            try:
                stat = path.stat(follow_symlinks=False)
            except OSError:
                stat = None
            if old is None or stat is None or not path.is_file() or path.is_symlink():  # a link: the build refuses it
                if old is None and stat is None:
                    continue  # made and gone again before it was looked at: an editor's temporary file
                return None
            if old[0] == stat.st_size and old[1] == stat.st_mtime_ns:
                continue
            content = _hash_file(path)
            if content != old[2]:
                edited[key] = [stat.st_size, stat.st_mtime_ns, content]
        return edited

    def code_hash(self, roots: list[Path]) -> str:
        """Return one hash of the sources under ``roots`` and of this package's code, as last hashed: in the order
        of their paths, as a state saved (sorted) and one just hashed (walked) list them differently."""
        prefixes = tuple(f"{root.as_posix()}/" for root in [*roots, _PACKAGE])
        return digest(*(f"{key} {entry[2]}" for key, entry in sorted(self.sources.items()) if key.startswith(prefixes)))

    @property
    def _reads_path(self) -> Path:
        return self.path.with_name(self.path.name.replace(".build-state-", ".build-entries-").removesuffix(".json") + ".pickle")

    def entry_reads(self, registry: Path, options: str, reuse: bool = True) -> EntryReads:
        """Return the entry files the last build kept as read (its own file, a pickle: fields hold dates and
        quarters), to be used where they match the sources as last hashed, the ``registry`` (agencies.yaml),
        the code and ``options``; none without ``reuse``."""
        digests = {key: entry[2] for key, entry in self.sources.items()}
        reads = EntryReads(digests, digest(digests.get(str(registry), "none"), self.code_hash([]), options))
        try:
            kept = pickle.loads(self._reads_path.read_bytes()) if reuse else {}
        except Exception:  # missing, or written by another version: read everything again
            kept = {}
        reads.kept = kept if isinstance(kept, dict) else {}
        return reads

    def save_entry_reads(self, reads: EntryReads) -> None:
        """Write what ``entry_reads`` returns to the next build, whole or not at all."""
        write_whole(self._reads_path, pickle.dumps(reads.kept, protocol=pickle.HIGHEST_PROTOCOL))

    def search_index_intact(self, out_dir: Path) -> bool:
        """Return whether the last build left a search index in ``out_dir`` and it is unchanged."""
        index = [relative for relative in self.outputs if relative.startswith("pagefind/")]
        return bool(index) and all(self.output_intact(out_dir, relative) for relative in index)

    def output_intact(self, out_dir: Path, relative: str) -> bool:
        """Return whether an output file is still as the last build left it."""
        recorded = self.outputs.get(relative)
        try:
            stat = (out_dir / relative).stat()
        except OSError:
            return False
        return recorded == [stat.st_size, stat.st_mtime_ns, stat.st_ino]

    def site_intact(self, out_dir: Path) -> bool:
        """Return whether every file the last build wrote is there unchanged, and no other."""
        return bool(self.outputs) and _output_stats(out_dir) == self.outputs

    def record_outputs(self, out_dir: Path) -> None:
        self.outputs = _output_stats(out_dir)


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(kind))


def _holds_many(value) -> bool:
    """Return whether ``value`` is a dataclass with a field holding a sequence of dataclasses."""
    if not dataclasses.is_dataclass(value):
        return False
    for name in _field_names(type(value)):
        held = getattr(value, name)
        if isinstance(held, (tuple, list)) and held and dataclasses.is_dataclass(held[0]):
            return True
    return False


class Fingerprints:
    """Hashes pages' specs and contexts. A value's hash is kept by identity, so that a value shown on many pages is
    hashed once; a preview keeps the hashes of the content's frozen values from one build to the next."""

    def __init__(self, corpus: Corpus, kinds: set[str], code: str, entry_pages: dict[tuple, str],
                 known: Fingerprints | None = None, same_site: bool = False) -> None:
        """``kinds`` are those of every page of the site (each page links the guide only where the site has one);
        ``entry_pages`` are, by entry id, the keys of the goal pages showing the entries (``SiteLinks``); ``known``
        is an earlier instance whose hashes of frozen values are still good, and with ``same_site`` its site-wide
        hash too (the code, site, registry, plans and entries' editions and quarters are as they were) and its
        entries' goal pages."""
        # Every page showing an entry links it at its goal page, which moves where a goal's entries of the quarter
        # are cut into parts anew: an entry is hashed with that page.
        self._entry_pages = entry_pages
        self._memo: dict[int, tuple[object, str]] = {} if known is None else known._frozen()
        if same_site and known is not None:
            self.site_wide = known.site_wide
            return
        plan_days = {plan_id: max((o.quarter.end for o in corpus.outcomes if o.plan == plan_id), default=None)
                     for plan_id in corpus.plans}
        # An entry is linked at its quarter's goal page, whose path names the edition where a quarter has two.
        editions = quarter_editions(corpus.outcomes)
        of = self.of
        self.site_wide = digest(code, of(corpus.site), of(corpus.strings), of(corpus.agencies), of(corpus.plans),
                                 of(plan_days), of(sorted(corpus.incomplete)), of(sorted(kinds)), of(editions))

    def __getstate__(self) -> dict:
        # A value's hash is kept by its identity, which does not outlive the process: only the site-wide one is kept.
        return {"site_wide": self.site_wide}

    def __setstate__(self, state: dict) -> None:
        self._memo, self._entry_pages = {}, {}
        self.site_wide = state["site_wide"]

    def know(self, values: list) -> None:
        """Hash ``values`` on every core and keep their hashes. Each entry is shown on four pages (two in each
        language), which the workers fingerprinting them would otherwise each hash again."""
        for value, hashed in zip(values, ordered_map(self.of, values)):
            self._memo[id(value)] = (value, hashed)

    def _frozen(self) -> dict[int, tuple[object, str]]:
        # Containers are made anew by each plan of the pages; the frozen values they hold are the content's own.
        return {key: held for key, held in self._memo.items()
                if not isinstance(held[0], (dict, list, tuple, set, frozenset))}

    def of(self, value) -> str:
        if isinstance(value, (str, int, float, bool, date, Path)) or value is None:
            return repr(value)
        known = self._memo.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        of = self.of
        if isinstance(value, dict):
            hashed = digest("dict", *(of(k) + of(v) for k, v in value.items()))
        elif isinstance(value, (list, tuple)):
            hashed = digest(type(value).__name__, *(of(item) for item in value))
        elif isinstance(value, (set, frozenset)):
            hashed = digest("set", *sorted(of(item) for item in value))
        elif _holds_many(value):
            # Field by field, so that what it shares with other values (a tracking row's entries, an edition's
            # measures) is hashed once, not again inside each repr that holds it.
            hashed = digest(type(value).__name__, *(of(getattr(value, name)) for name in _field_names(type(value))))
        elif isinstance(value, Outcome):
            hashed = digest("Outcome", repr(value), self._entry_pages.get(entry_id(value), ""))
        else:  # frozen dataclasses: their repr holds every field
            hashed = digest(type(value).__name__, repr(value))
        self._memo[id(value)] = (value, hashed)  # the value is kept so its id is not reused by another object
        return hashed

    def of_page(self, page: PageSpec, facets) -> str:
        return digest(self.site_wide, repr((page.kind, page.lang, page.key, page.template, page.updated)),
                       self.of(page.context), self.of(facets))

    def of_pages(self, pages: list[PageSpec], corpus: Corpus,
                 workers: int | None = None) -> tuple[dict[str, str], dict[str, Facets]]:
        """Return the fingerprints of ``pages`` by output file, and what each page tells the search (its facets, part
        of its fingerprint) by page path, on ``workers`` cores (default: all)."""
        return by_page(pages, ordered_map(lambda page: self.of_page_and_facets(page, corpus), pages, workers))

    def of_page_and_facets(self, page: PageSpec, corpus: Corpus) -> tuple[str, Facets]:
        """Return a page's fingerprint and its facets, which are part of it."""
        facets = page_facets(page, corpus)
        return self.of_page(page, facets), facets


def by_page(pages: list[PageSpec], found: list[tuple[str, Facets]]) -> tuple[dict[str, str], dict[str, Facets]]:
    """Return ``of_page_and_facets`` of each of ``pages`` as fingerprints by output file and facets by page path."""
    return ({page.output_file: fingerprint for page, (fingerprint, _) in zip(pages, found)},
            {page.path: facets for page, (_, facets) in zip(pages, found)})
