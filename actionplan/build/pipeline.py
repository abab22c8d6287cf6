"""The build, top to bottom: load, validate, plan routes, render, write beside the old site, index, swap in."""
from __future__ import annotations

import dataclasses
import gc
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from importlib import metadata
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from ..site.admin import configured_backend, write_admin
from .state import BuildState, Fingerprints, by_page
from ..content.corpus import EntryReads, build_corpus
from ..base.errors import BuildFailed, Problems
from ..content.guide import load_guide
from . import kept_build
from ..content.models import Corpus
from ..base.project import Project
from ..site.render import (TEMPLATE_ERRORS, SiteLinks, asset_versions, make_environment, render_fingerprinted,
                     render_pages, template_problem)
from ..site.routes import PageSpec, plan_routes
from ..site.search import (PAGEFIND_VERSION, SearchIndexFailed, copy_indexable, index_copies, index_search,
                     reuse_search_index)
from ..content.sources import bi
from ..checks.validate import link_targets, validate
from ..site.write import discard, stage_dir, swap_in, write_site
from ..site.table_files import write_table_files


@dataclass
class BuildReport:
    """What a build did and how long each stage took."""

    pages: int = 0
    files: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    problems: Problems | None = None
    search_summary: str = ""
    rendered: int = 0
    """How many pages were rendered; the others were taken unchanged from the last build."""
    unchanged: bool = False
    """Whether nothing had changed since the last build, which was left as it was."""
    patched: bool = False
    """Whether the pages an edit changed were patched into the site from what the last build kept."""
    pending_index: PendingIndex | None = None
    """The search index still to be made for the pages written, when the build was asked to index them later."""
    last: LastBuild | None = None
    """What the build made, when it was asked to keep it (``keep``): a preview re-renders from it what an edit of
    some entries changes (``patch``)."""


@dataclass
class LastBuild:
    """A successful build's corpus, pages and record, kept in memory by a preview."""

    project: Project
    out_dir: Path
    options: str
    """``_options`` of the build."""
    search: bool
    corpus: Corpus
    pages: list[PageSpec]
    facets: dict
    """By page path."""
    fingerprints: Fingerprints
    code: str
    """The hash of the templates, static files and code the pages were rendered with."""
    state: BuildState
    """The build's record, as saved; a patch updates it in memory, and ``save`` writes it."""
    env: Environment
    versions: dict[str, str]
    checks: dict = field(default_factory=dict)
    """What patches work out once and reuse: the link targets, the agency index, the entry files' outcomes."""

    def save(self) -> PendingIndex | None:
        """Write the record of the site as it now is; return the search index it still needs, if it has search."""
        self.state.inputs = self.state.hash_of_sources(self.options)
        self.state.save()
        return PendingIndex(self.out_dir, self.state.inputs, dict(self.facets)) if self.search else None


@dataclass(frozen=True)
class PendingIndex:
    """The search index of a build's pages, made after the build so that a preview can show the pages at once.

    The steps are apart so that a caller can hold its own lock where the output folder must not change under them:
    ``copy_pages`` reads the site and ``install`` swaps the index into it; ``index`` runs Pagefind on the copies."""

    out_dir: Path
    inputs: str
    """What the build was made from (``BuildState.inputs``): the index is installed only while the site is still
    that build's."""
    facets: dict

    def copy_pages(self, copies: Path) -> None:
        """Write into ``copies`` what Pagefind reads of the site's pages."""
        copy_indexable(self.out_dir, copies)

    def index(self, copies: Path, staging: Path) -> str:
        """Index the copies into ``staging/pagefind``; return Pagefind's summary line."""
        return index_copies(copies, staging / "pagefind", self.facets)

    def install(self, staging: Path) -> bool:
        """Swap the index made in ``staging`` into the site, unless another build has replaced the site since;
        return whether it was installed."""
        state = BuildState.load(self.out_dir)
        if state.inputs != self.inputs or not self.out_dir.is_dir():
            return False
        swap_in(staging / "pagefind", self.out_dir / "pagefind")
        state.search_index = self.inputs
        state.record_outputs(self.out_dir)
        state.save()
        return True

    def run(self, holding: AbstractContextManager = nullcontext(), wanted: Callable[[], bool] = lambda: True) -> bool:
        """Make the index and install it; return whether it was installed. The pages are copied and the index
        swapped in while ``holding`` is held, and only if ``wanted()`` still says so then."""
        staging = stage_dir(self.out_dir)
        try:
            with holding:
                if not wanted():
                    return False
                self.copy_pages(staging / "copies")
            self.index(staging / "copies", staging)
            with holding:
                return wanted() and self.install(staging)
        finally:
            discard(staging)

def load(project: Project, problems: Problems) -> Corpus | None:
    """Return the validated corpus, or None when the content has errors (all of them are in ``problems``)."""
    return _load(project, problems)[0]


def _load(project: Project, problems: Problems, timings: dict[str, float] | None = None,
          checked: dict | None = None, reads: EntryReads | None = None) -> tuple[Corpus | None, list[PageSpec]]:
    """Return the validated corpus and its pages, or None and no pages when the content has errors; how long
    loading and validating took goes into ``timings``, what texts were found to have into ``checked``, and the
    entry files as read into ``reads``."""
    timings = {} if timings is None else timings
    started = time.perf_counter()
    corpus = build_corpus(project.content, problems, reads)
    guide = load_guide(project.docs, problems)  # before stopping for the content: every problem in one run
    timings["load"] = time.perf_counter() - started
    if corpus is None:
        return None, []
    started = time.perf_counter()
    # The pages are planned before validation, which checks the links in the content against them; with a plan
    # file unreadable there is no whole site to check them against.
    pages = plan_routes(corpus, problems, guide) if "plans" not in corpus.incomplete else []
    validate(corpus, problems, pages, checked)
    timings["validate"] = time.perf_counter() - started
    return (None, []) if problems else (corpus, pages)


def check(project: Project, strict: bool = False) -> Problems:
    """Validate the content only; raise BuildFailed if there are errors (or warnings, when strict)."""
    problems = Problems(project.root)
    with _collecting_less():
        load(project, problems)
    raise_if_failed(problems, strict)
    return problems


def build(project: Project, out_dir: Path, *, strict: bool = False, search: bool = True, reuse: bool = True,
          index_later: bool = False, keep: bool = False, load_unchanged: bool = False) -> BuildReport:
    """Build the site into ``out_dir``; on any failure the previous ``out_dir`` is left exactly as it was.

    With ``reuse``, what the last build into ``out_dir`` made is used again where its sources have not changed:
    nothing is done when no source has, and unchanged pages are taken from the old site. The bytes are the same
    either way. What this build made is recorded beside ``out_dir`` for the next.

    With ``search`` and ``index_later``, the site is swapped in with the previous search index, if any, and the
    report's ``pending_index`` makes the new one; until it has, the next build does not count the index as made.

    With ``keep``, the report's ``last`` holds what the build made; it is None when nothing had changed, unless
    ``load_unchanged`` asks for the content to be loaded and the site made again from the old one's pages then too."""
    with _collecting_less():
        return _build(project, out_dir, strict, search, reuse, index_later, keep, load_unchanged)


@contextmanager
def _collecting_less() -> Iterator[None]:
    """Run the block with the cyclic garbage collector run far less often. A build makes millions of objects that live
    until it ends, and every collection walks those that survived the last: on the 20-year archive, 1.3 s of 18."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], 50_000), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _build(project: Project, out_dir: Path, strict: bool, search: bool, reuse: bool, index_later: bool, keep: bool,
           load_unchanged: bool) -> BuildReport:
    report = BuildReport(problems=Problems(project.root))
    problems = report.problems
    started = time.perf_counter()
    state = BuildState.load(out_dir)
    recorded = dataclasses.replace(state)  # the record as the last build left it, which hashing the sources updates
    sources = [project.content, project.docs, project.templates, project.static]
    options = _options(strict, search)
    inputs = state.hash_sources(sources, options)
    report.timings["sources"] = time.perf_counter() - started
    index_current = state.search_index == state.inputs  # the last build's index was made from its pages
    if reuse and not load_unchanged and inputs == state.inputs and state.site_intact(out_dir) and (not search or index_current):
        report.unchanged = True
        report.pages, report.files = state.report["pages"], state.report["files"]
        return report
    # A patch writes the pages into the site one by one: it is not for a build that indexes them at once, which
    # would leave the site patched and its index old if Pagefind failed.
    if reuse and not keep and (not search or index_later):
        patched = _patch_kept(project, out_dir, recorded, state, options, strict, search, report.timings)
        if patched is not None:
            return patched

    if not reuse:
        state.checked = {}
    reads = state.entry_reads(project.content / "agencies.yaml", _options(False, False), reuse)
    corpus, pages = _load(project, problems, report.timings, state.checked, reads)
    raise_if_failed(problems, strict)
    assert corpus is not None

    # Whatever happens from here on, even an exception nobody anticipated or Ctrl-C, the staging folder goes and
    # out_dir stays as it was; after a successful swap the staging folder has become out_dir and is not there.
    staging: Path | None = None
    try:
        staging = stage_dir(out_dir)
        started = time.perf_counter()
        code = state.code_hash([project.templates, project.static])
        env = make_environment(project.templates, kept_build.compiled_templates(out_dir, code, options))
        versions = asset_versions(project.static)
        try:
            links = SiteLinks.of(pages)
            hashes = Fingerprints(corpus, {page.kind for page in pages}, code, links.entry_pages)
            hashes.know(corpus.outcomes)
            if reuse and state.pages:
                fingerprints, facets = hashes.of_pages(pages, corpus)
                reused = sorted(out for out, fingerprint in fingerprints.items()
                                if state.pages.get(out) == fingerprint and state.output_intact(out_dir, out))
                rendered = render_pages(pages, corpus, env, versions, facets, staging, skip=set(reused), site=links,
                                        keep_texts=keep)
            else:
                # With no page of an earlier site to keep, each page's fingerprint is taken where it is rendered.
                found = render_fingerprinted(pages, corpus, env, versions, staging,
                                             lambda page: hashes.of_page_and_facets(page, corpus), keep_texts=keep,
                                             site=links)
                rendered = [output for output, _ in found]
                fingerprints, facets = by_page(pages, [fingerprinted for _, fingerprinted in found])
                reused = []
            redirect = env.get_template("redirect.html").render(target=corpus.site.base_path + "zh/").encode()
        except TEMPLATE_ERRORS as err:
            raise template_failed(problems, err, project.templates) from err
        report.timings["render"] = time.perf_counter() - started
        report.pages, report.rendered = len(pages), len(rendered)

        started = time.perf_counter()
        report.files = len(rendered) + write_site(project.static, redirect, staging, reused, out_dir)
        report.files += write_admin(staging, corpus)  # the editors' form at /admin/ (Decap CMS)
        report.files += len(write_table_files(staging, corpus))  # each quarter's tracking table, .odt and .docx
        report.timings["write"] = time.perf_counter() - started
        search_index = ""
        if search:
            started = time.perf_counter()
            same_pages = not rendered and set(fingerprints) == set(state.pages)
            if same_pages and index_current and state.search_index_intact(out_dir):
                reuse_search_index(out_dir, staging)
                report.search_summary = "the search index is unchanged"
                search_index = inputs
            elif index_later:
                if state.search_index_intact(out_dir):
                    reuse_search_index(out_dir, staging)  # until the new one is made: search keeps working
                search_index = state.search_index
                report.pending_index = PendingIndex(out_dir, inputs, facets)
            else:
                report.search_summary = index_search(staging, facets)
                search_index = inputs
            if report.pending_index is None:
                report.timings["search index"] = time.perf_counter() - started
        swap_in(staging, out_dir)
    except SearchIndexFailed as err:
        problems.add(out_dir, 0, f"{bi('the search index could not be built', '無法建立搜尋索引')}: {err}",
                     bi("the previous site is unchanged; fix what Pagefind reports, or preview with --no-search",
                        "原有網站未更動；請依 Pagefind 的訊息修正，或以 --no-search 預覽"), code="E-SEARCH")
        raise BuildFailed(problems) from err
    except (OSError, ValueError) as err:
        problems.add(out_dir, 0, f"{bi('could not write the site', '無法寫入網站')}: {err}",
                     bi("the previous site is unchanged; free disk space or check the folder, then build again",
                        "原有網站未更動；請釋出磁碟空間或檢查資料夾後重新建置"), code="E-WRITE")
        raise BuildFailed(problems) from err
    finally:
        if staging is not None:
            discard(staging)
    started = time.perf_counter()
    state.inputs, state.pages, state.search_index = inputs, fingerprints, search_index
    state.report = {"pages": report.pages, "files": report.files}
    state.record_outputs(out_dir)
    state.save_entry_reads(reads)
    state.save()
    if not keep:  # a preview holds its build in memory and patches that
        checks = {"targets": link_targets(corpus, pages), "links": links}
        kept_build.keep(out_dir, kept_build.KeptBuild(
            inputs, options, corpus, [kept_build.outline(page) for page in pages], facets, hashes, code, versions,
            checks, problems.warnings, kept_build.quarters_shown(pages)))
    report.timings["record"] = time.perf_counter() - started
    if keep:
        report.last = LastBuild(project, out_dir, options, search, corpus, pages, facets, hashes, code, state, env,
                                versions)
    return report


def _patch_kept(project: Project, out_dir: Path, recorded: BuildState, state: BuildState, options: str, strict: bool,
                search: bool, timings: dict[str, float]) -> BuildReport | None:
    """Patch the site in ``out_dir`` as a preview would, from what the last build kept (``kept_build``), when the
    sources that changed since its ``recorded`` state are entries a patch can take; return the report, or None when
    the build must load everything. ``state`` holds the sources as now hashed."""
    from .patch import patch  # which builds on this module's LastBuild

    started = time.perf_counter()
    unknown = [0, 0, ""]
    changed = {Path(key) for key in recorded.sources.keys() | state.sources.keys()
               if recorded.sources.get(key, unknown)[2] != state.sources.get(key, unknown)[2]}
    entries = project.content / "outcomes"
    if not changed or not all(path.suffix == ".md" and entries in path.parents for path in changed):
        return None  # only the options changed, or more than entries: a patch would find it out after loading
    if not recorded.site_intact(out_dir):
        return None  # the site was changed by hand: a full build renders again what is not as it left it
    kept = kept_build.load_kept(out_dir, recorded.inputs, options)
    if kept is None:
        return None
    read = kept_build.read_for(out_dir, kept, changed)
    if read is None:
        return None
    corpus, owners = read
    compiled = kept_build.compiled_templates(out_dir, kept.code, options)
    last = LastBuild(project, out_dir, options, search, corpus, kept.pages, dict(kept.facets),
                     kept.fingerprints, kept.code, recorded, make_environment(project.templates, compiled),
                     kept.versions, {**kept.checks, "owners": owners})
    timings["kept"] = time.perf_counter() - started
    try:
        report = patch(last, changed, strict)
    except kept_build.WithheldField:
        return None  # a page showed an entry of a quarter not read whole: the full build renders it
    if report is None:
        return None
    for stage, seconds in report.timings.items():
        timings[stage] = timings.get(stage, 0.0) + seconds
    report.timings, report.patched = timings, True
    # An entry is read again whole, from its Chinese file and its translation, whichever was saved.
    read_again = {report.problems.rel(path) for old, new in zip(corpus.outcomes, last.corpus.outcomes)
                  if new is not old for path in (new.path, new.en_path) if path is not None}
    report.problems.include([problem for problem in kept.warnings if problem.path not in read_again])
    started = time.perf_counter()
    # The sources as hashed, in the order of the walk that the record's overall hash follows; a file saved again
    # since was patched as it now is and will be found changed by the next build.
    recorded.sources = state.sources
    if not search:
        recorded.search_index = ""
    report.pending_index = last.save()
    kept_build.keep_edits(out_dir, kept, corpus, last.corpus, last.facets, recorded.inputs, report.problems.warnings)
    timings["record"] = time.perf_counter() - started
    return report


def _options(strict: bool, search: bool) -> str:
    """Return what besides the sources decides a build's bytes."""
    versions = " ".join(f"{name} {metadata.version(name)}" for name in ("jinja2", "markdown-it-py", "PyYAML", "MarkupSafe"))
    return (f"strict={strict} search={search} pagefind={PAGEFIND_VERSION} python={sys.version} {versions} "
            f"admin={configured_backend()}")


def template_failed(problems: Problems, err: Exception, templates: Path) -> BuildFailed:
    """Return the failure of a build whose rendering raised ``err``, one of ``TEMPLATE_ERRORS``."""
    path, line, reason = template_problem(err, templates)
    problems.add(path, line, f"{bi('template error', '版型錯誤')}: {reason}",
                 bi("correct the template; content is not the cause", "請更正版型；問題不在內容"), code="E-TEMPLATE")
    return BuildFailed(problems)


def raise_if_failed(problems: Problems, strict: bool) -> None:
    """Raise BuildFailed if there are errors, or warnings when ``strict``."""
    if problems or (strict and problems.warnings):
        raise BuildFailed(problems, strict)
