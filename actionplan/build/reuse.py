"""The one seam between a build and the work the last build into the same folder left: a ``Reuse`` object, handed to
``pipeline.build``, which the stages ask at a few named points what they can skip.

1. ``begin``: with no source changed and the site as the last build left it, nothing is done; with only entries
   changed, the pages showing them are patched into the site from what the last build kept (``kept_build``,
   ``patch``).
2. ``entry_reads`` and ``checked``: entry files read, and texts checked, by the last build are not read or checked
   again where they have not changed.
3. ``compiled_templates``: templates compiled by the last build.
4. ``render``: a page whose fingerprint (everything it is rendered from) is unchanged is taken from the old site.
5. ``index_kept``: the search index is kept where the pages are all as they were.
6. ``record``: what this build made is recorded beside the site (``state.BuildState``), and kept for a patch.

A cold build (``reuse=None``) runs none of this, and gives the same bytes.
"""
from __future__ import annotations

import dataclasses
import filecmp
import sys
import time
from importlib import metadata
from pathlib import Path

from jinja2 import BytecodeCache, Environment

from ..base.project import Project
from ..base.untrusted import linked_paths
from ..checks.validate import link_targets
from ..content.corpus import EntryReads
from ..content.markdown import RenderedTexts
from ..content.models import Corpus
from ..site.admin import configured_backend
from ..site.data.files import DataFiles
from ..site.facets import Facets
from ..site.render import SiteLinks, make_environment, render_fingerprinted, render_pages
from ..site.routes import PageSpec
from ..site.search import PAGEFIND_VERSION, index_copy, index_search, reuse_search_index, shard_of
from . import kept_build
from .patch import LastBuild, patch
from .report import BuildReport
from .state import BuildState, Fingerprints, by_page


def build_options(strict: bool, search: bool) -> str:
    """Return what besides the sources decides a build's bytes."""
    versions = " ".join(f"{name} {metadata.version(name)}" for name in ("jinja2", "markdown-it-py", "PyYAML", "MarkupSafe"))
    return (f"strict={strict} search={search} pagefind={PAGEFIND_VERSION} python={sys.version} {versions} "
            f"admin={configured_backend()}")


class Reuse:
    """What the last build into a folder made, used again by the next build into it where its sources have not
    changed. One object serves one build."""

    keep_texts = False
    """Whether the HTML of every text is kept after rendering (a preview keeps it, to re-render any page at once)."""

    def __init__(self, *, fresh: bool = False) -> None:
        """With ``fresh``, every page is rendered and every file read again, and what is made is still recorded."""
        self.fresh = fresh
        self.texts = RenderedTexts()
        """The HTML of the content's texts, made once for the build."""
        self.data = DataFiles(keep=self.keep_texts)
        """The data files, as the build makes them; a build kept in memory keeps its rows' encodings too."""

    # 1. Before loading anything.
    def begin(self, project: Project, out_dir: Path, strict: bool, search: bool, report: BuildReport) -> bool:
        """Hash the sources, and return whether the build is done already: nothing changed (``report.unchanged``),
        or only entries, now patched into the site (``report.patched``)."""
        self.project, self.out_dir, self.strict, self.search = project, out_dir, strict, search
        self.report = report
        started = time.perf_counter()
        self.state = BuildState.load(out_dir)
        self.recorded = dataclasses.replace(self.state)  # as the last build left it; hashing updates ``state``
        self.options = build_options(strict, search)
        self.inputs = self.state.hash_sources(project.sources, self.options)
        report.timings["sources"] = time.perf_counter() - started
        self.links = linked_paths(project.sources)
        """The symbolic links among the sources, found once: loading reports them."""
        if self.links:
            return False  # straight to loading, which reports the links: a link is never read, not even by a patch
        self.index_current = self.state.search_index == self.state.inputs  # made from the last build's pages
        self.search_index = ""
        """The ``inputs`` of the pages the search index this build leaves was made from."""
        if self.fresh:
            self.state.checked = {}
            return False
        if self.may_skip() and self.inputs == self.state.inputs and self.state.site_intact(out_dir) \
                and (not search or self.index_current):
            report.unchanged = True
            report.pages, report.files = self.state.report["pages"], self.state.report["files"]
            return True
        # A patch writes the pages into the site one by one: it is not for a build that indexes them at once, which
        # would leave the site patched and its index old if Pagefind failed.
        return self.may_patch() and self._patch_kept(report)

    def may_skip(self) -> bool:
        """Return whether a build that finds nothing changed may leave the site as it is, without loading it."""
        return True

    def may_patch(self) -> bool:
        """Return whether a build that finds only entries changed may patch them in from what the last build kept."""
        return not self.search

    # 2. Loading and validating.
    def entry_reads(self) -> EntryReads:
        """Return the entry files the last build kept as read; those read now go into it too."""
        self.reads = self.state.entry_reads(self.project.content / "agencies.yaml", build_options(False, False),
                                            not self.fresh)
        return self.reads

    @property
    def checked(self) -> dict:
        """What each entry text was found to have by earlier builds (``validate``), updated by this one."""
        return self.state.checked

    # 3 and 4. Rendering.
    def compiled_templates(self) -> BytecodeCache:
        """Return where compiled templates are kept from one build to the next."""
        self.code = self.state.code_hash([self.project.templates, self.project.static])
        return kept_build.compiled_templates(self.out_dir, self.code, self.options)

    def render(self, pages: list[PageSpec], corpus: Corpus, env: Environment, versions: dict[str, str],
               staging: Path, links: SiteLinks) -> tuple[list, list[str], dict[str, Facets]]:
        """Render into ``staging`` the pages whose fingerprint moved since the last build; return those rendered,
        the output files of the others (to take from the old site), and every page's facets by page path."""
        hashes = self.hashes = Fingerprints(corpus, {page.kind for page in pages}, self.code, links.entry_pages)
        hashes.know(corpus.outcomes)
        if not self.fresh and self.state.pages:
            fingerprints, facets = hashes.of_pages(pages, corpus)
            reused = sorted(out for out, fingerprint in fingerprints.items()
                            if self.state.pages.get(out) == fingerprint and self.state.output_intact(self.out_dir, out))
            rendered = render_pages(pages, corpus, env, versions, facets, staging, skip=set(reused), site=links,
                                    texts=self.texts, keep_texts=self.keep_texts)
        else:
            # With no page of an earlier site to keep, each page's fingerprint is taken where it is rendered.
            found = render_fingerprinted(pages, corpus, env, versions, staging,
                                         lambda page: hashes.of_page_and_facets(page, corpus), texts=self.texts,
                                         keep_texts=self.keep_texts, site=links)
            rendered = [output for output, _ in found]
            fingerprints, facets = by_page(pages, [fingerprinted for _, fingerprinted in found])
            reused = []
        self.fingerprints, self.env, self.versions = fingerprints, env, versions
        return rendered, reused, facets

    # 5. Indexing.
    def index_kept(self, staging: Path, rendered: list, facets: dict[str, Facets], report: BuildReport) -> bool:
        """Put into ``staging`` the old site's search index where every page is as it was, or index again only the
        shards with a page that is not; return whether it did, and so the index needs no making."""
        self.search_index = self.inputs
        kept = self.shards_kept(staging, rendered)
        if kept is None:
            return False
        started = time.perf_counter()
        if kept == self.every_shard():
            reuse_search_index(self.out_dir, staging)
            report.search_summary = "the search index is unchanged"
        elif kept:
            report.search_summary = index_search(staging, facets, self.out_dir / "pagefind", kept)
        else:
            return False
        report.timings["search index"] = time.perf_counter() - started
        return True

    def shards_kept(self, staging: Path, rendered: list) -> set[str] | None:
        """Return the shards of the old site's search index that this build may keep as they are (``every_shard``:
        the whole index), or None where there is no index, or it was made from other pages or by other code."""
        # The code that makes the copies Pagefind reads is this package's: where it changed, a page of the same bytes
        # may give Pagefind another copy.
        code_unchanged = self.recorded.code_hash([]) == self.state.code_hash([])
        if not (self.index_current and code_unchanged and self.state.search_index_intact(self.out_dir)):
            return None
        return self.shards_unchanged(staging, rendered)

    def every_shard(self) -> set[str]:
        """Return the search's shards of this build's pages and the last one's."""
        return self.shards(self.fingerprints) | self.shards(self.state.pages)

    def shards_unchanged(self, staging: Path, rendered: list) -> set[str]:
        """Return the search's shards (``zh/2015-2019``: search.shard_of) none of whose pages this build changed to
        the search, added or removed: a page rendered again gives Pagefind what it gave (an entry's English pages,
        after an edit of its Chinese text; a measure's page, where the entry is repeated but not indexed)."""
        changed = [output for output in rendered if not _same_to_search(staging / output, self.out_dir / output)] \
            if all((self.out_dir / output).is_file() for output in rendered) else rendered
        touched = self.shards(changed) | self.shards(set(self.fingerprints) ^ set(self.state.pages))
        return self.shards(self.fingerprints) - touched

    @staticmethod
    def shards(outputs) -> set[str]:
        """Return the search's shards of the pages among output files (``zh/about/index.html``)."""
        return {shard_of(str(output)) for output in outputs if str(output).endswith(".html")}

    # 6. After the site is swapped in.
    def record(self, corpus: Corpus, pages: list[PageSpec], facets: dict[str, Facets], links: SiteLinks,
               report: BuildReport) -> None:
        """Record what this build made, for the next."""
        state = self.state
        state.inputs, state.pages, state.search_index = self.inputs, self.fingerprints, self.search_index
        state.report = {"pages": report.pages, "files": report.files}
        state.record_outputs(self.out_dir)
        state.save_entry_reads(self.reads)
        state.save()
        self.keep(corpus, pages, facets, links, report)

    def keep(self, corpus: Corpus, pages: list[PageSpec], facets: dict[str, Facets], links: SiteLinks,
             report: BuildReport) -> None:
        """Keep on disk what a later build needs to patch an edit of entries into this site."""
        checks = {"targets": link_targets(corpus, pages), "links": links}
        kept_build.keep(self.out_dir, kept_build.KeptBuild(
            self.inputs, self.options, corpus, [kept_build.outline(page) for page in pages], facets, self.hashes,
            self.code, self.versions, checks, report.problems.warnings, kept_build.quarters_shown(pages)))

    def last_build(self, corpus: Corpus, pages: list[PageSpec], facets: dict[str, Facets]) -> LastBuild:
        """Return this build, as a patch takes it."""
        return LastBuild(self.project, self.out_dir, self.options, self.search, corpus, pages, facets, self.hashes,
                         self.code, self.state, self.env, self.versions, self.texts, data=self.data)

    def _patch_kept(self, report: BuildReport) -> bool:
        """Patch the site as a preview would, from what the last build kept, when the sources that changed since are
        entries a patch can take; return whether it did, or False when the build must load everything."""
        project, out_dir, recorded, state = self.project, self.out_dir, self.recorded, self.state
        timings = report.timings
        started = time.perf_counter()
        unknown = [0, 0, ""]
        changed = {Path(key) for key in recorded.sources.keys() | state.sources.keys()
                   if recorded.sources.get(key, unknown)[2] != state.sources.get(key, unknown)[2]}
        entries = project.content / "outcomes"
        if not changed or not all(path.suffix == ".md" and entries in path.parents for path in changed):
            return False  # only the options changed, or more than entries: a patch would find it out after loading
        if not recorded.site_intact(out_dir):
            return False  # the site was changed by hand: a full build renders again what is not as it left it
        kept = kept_build.load_kept(out_dir, recorded.inputs, self.options)
        if kept is None:
            return False
        read = kept_build.read_for(out_dir, kept, changed)
        if read is None:
            return False
        corpus, owners = read
        compiled = kept_build.compiled_templates(out_dir, kept.code, self.options)
        last = LastBuild(project, out_dir, self.options, self.search, corpus, kept.pages, dict(kept.facets),
                         kept.fingerprints, kept.code, recorded, make_environment(project.templates, compiled),
                         kept.versions, self.texts, {**kept.checks, "owners": owners}, self.data)
        timings["kept"] = time.perf_counter() - started
        try:
            patched = patch(last, changed, self.strict)
        except kept_build.WithheldField:
            return False  # a page showed an entry of a quarter not read whole: the full build renders it
        if patched is None:
            return False
        for stage, seconds in patched.timings.items():
            timings[stage] = timings.get(stage, 0.0) + seconds
        for name in ("pages", "files", "rendered", "unchanged"):
            setattr(report, name, getattr(patched, name))
        report.patched = True
        # An entry is read again whole, from its Chinese file and its translation, whichever was saved.
        read_again = {report.problems.rel(path) for old, new in zip(corpus.outcomes, last.corpus.outcomes)
                      if new is not old for path in (new.path, new.en_path) if path is not None}
        report.problems.include(patched.problems.found)
        report.problems.include([problem for problem in kept.warnings if problem.path not in read_again])
        started = time.perf_counter()
        # The sources as hashed, in the order of the walk that the record's overall hash follows; a file saved again
        # since was patched as it now is and will be found changed by the next build.
        recorded.sources = state.sources
        recorded.search_index = ""
        last.save()
        kept_build.keep_edits(out_dir, kept, corpus, last.corpus, last.facets, recorded.inputs, report.problems.warnings)
        timings["record"] = time.perf_counter() - started
        return True


def _same_to_search(page: Path, old: Path) -> bool:
    """Return whether a page gives the search index what its old self gave: the same bytes, or the same copy."""
    if filecmp.cmp(page, old, shallow=False):
        return True
    return index_copy(page.read_text(encoding="utf-8")) == index_copy(old.read_text(encoding="utf-8"))
