"""Rebuilds a preview's site after an edit of some entries by re-rendering only the pages that show them.

A preview keeps its last build in memory (``LastBuild``). When the files saved are existing entries (a Chinese entry
or its translation) and each still reports the same edition, quarter, measure and agency, no page comes or goes and
no link moves, unless a goal's entries of that quarter are now cut into parts differently: the pages an edit can
change are then those of its quarters, measures, agencies and editions, and the site-wide pages listing every
quarter (``routes.Scope``). Those are planned again with the build's own code, and the ones whose fingerprint moved
are rendered beside the site and moved into it, each file whole, once all are written, with the tracking tables
(.odt, .docx) of the quarters edited. Anything else — a file added
or deleted, a template, a plan, an entry moved to another quarter — is a full build's to do: ``patch`` then returns
None. The bytes are the same as a full build's (tests/test_patch.py holds them against a cold build)."""
from __future__ import annotations

import dataclasses
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from ..content.agencies import AgencyIndex
from .state import BuildState, Fingerprints
from ..content.corpus import read_outcomes
from ..base.errors import Problems
from ..content.models import Corpus, Outcome
from .report import BuildReport, raise_if_failed, template_failed
from ..site.facets import Facets
from ..site.render import TEMPLATE_ERRORS, SiteLinks, render_pages
from ..site.routes import PageSpec, Scope, entry_id, plan_routes, site_goal_pages
from ..base.project import Project
from ..content.markdown import LinkTargets, RenderedTexts
from ..checks.validate import link_targets, validate_entries
from ..site.table_files import write_table_files
from ..site.write import discard, stage_dir
from ..site.data.files import DataFiles, with_catalog



@dataclass
class LastBuild:
    """A successful build's corpus, pages and record, as a patch takes them: kept in memory by a preview, or loaded
    from what a build kept on disk (``kept_build``)."""

    project: Project
    out_dir: Path
    options: str
    """``reuse.build_options`` of the build."""
    search: bool
    corpus: Corpus
    pages: list[PageSpec]
    facets: dict[str, Facets]
    """By page path."""
    fingerprints: Fingerprints
    code: str
    """The hash of the templates, static files and code the pages were rendered with."""
    state: BuildState
    """The build's record, as saved; a patch updates it in memory, and ``save`` writes it."""
    env: Environment
    versions: dict[str, str]
    texts: RenderedTexts
    """The HTML of the content's texts, kept whole so that any page can be rendered again at once."""
    checks: dict = field(default_factory=dict)
    """What patches work out once and reuse: the link targets, the agency index, the entry files' outcomes."""
    data: DataFiles = field(default_factory=DataFiles)
    """The data files as the build made them: a patch makes again only those its entries are in."""

    def save(self) -> None:
        """Write the record of the site as it now is."""
        self.state.inputs = self.state.hash_of_sources(self.options)
        self.state.save()


def patch(last: LastBuild, saved: set[Path], strict: bool = False) -> BuildReport | None:
    """Bring the site of ``last`` up to date with the files ``saved`` (as a watcher names them) and update ``last``;
    return the report, or None when a full build is needed. Errors in the entries saved (and warnings, when
    ``strict``) raise BuildFailed, with the site left as it was. The record is written by ``last.save()``; a preview
    then has the search index of the new pages made."""
    project, state = last.project, last.state
    report = BuildReport(problems=Problems(project.root))
    problems = report.problems
    started = time.perf_counter()
    edited = state.edited_sources({_source_path(project.root, path) for path in saved})
    if edited is None:
        return None
    report.timings["sources"] = time.perf_counter() - started
    if not edited:
        report.unchanged = True
        report.pages, report.files = state.report["pages"], state.report["files"]
        return report

    started = time.perf_counter()
    owners = _entry_owners(last)
    if not all(path in owners for path in edited):
        return None  # a plan, the registry, a template…: what depends on it is a full build's to find out
    old = {id(owner): owner for path in edited for owner in [owners[path]]}.values()
    new: dict[int, Outcome] = {}
    for outcome in old:
        files = [outcome.path, *([outcome.en_path] if outcome.en_path else [])]
        read = read_outcomes(files, project.content, problems, _agency_index(last))
        if problems.errors:
            continue
        if len(read) != 1 or not _same_place(outcome, read[0]):
            return None
        new[id(outcome)] = read[0]
    report.timings["load"] = time.perf_counter() - started
    raise_if_failed(problems, strict)

    started = time.perf_counter()
    corpus = dataclasses.replace(last.corpus, outcomes=tuple(new.get(id(o), o) for o in last.corpus.outcomes))
    validate_entries(corpus, list(new.values()), problems, _targets(last), state.checked, last.texts)
    raise_if_failed(problems, strict)
    scope = Scope.of(new.values())
    in_scope = [page for page in last.pages if scope.covers(page)]
    planned = plan_routes(corpus, problems, scope=scope, goal_pages=site_goal_pages(last.pages))
    if [page.path for page in planned] != [page.path for page in in_scope] or _moved(in_scope, planned):
        return None  # a goal's entries are cut into parts differently: entries' links move
    report.timings["validate"] = time.perf_counter() - started

    staging = stage_dir(last.out_dir)
    try:
        # The data files hold the entries too; the open-data page lists their sizes. Entries a kept build withheld
        # are read back from the site.
        started = time.perf_counter()
        data = last.data.make(corpus, _links(last).entry_pages, last.texts, staging, last.out_dir)
        planned = with_catalog(planned, data.catalog)
        report.timings["data"] = time.perf_counter() - started

        started = time.perf_counter()
        hashes = Fingerprints(corpus, set(), last.code, _links(last).entry_pages, known=last.fingerprints,
                              same_site=True)
        # Here and in rendering, forking the preview, which holds the whole site, would cost more than the work.
        fingerprints, facets = hashes.of_pages(planned, corpus, workers=1)
        changed = [page for page in planned if fingerprints[page.output_file] != state.pages.get(page.output_file)]
        position = _positions(last)
        pages = list(last.pages)
        for page in planned:
            pages[position[page.path]] = page
        try:
            rendered = render_pages(changed, corpus, last.env, last.versions, facets, staging, site=_links(last),
                                    texts=last.texts, keep_texts=True, workers=1)
        except TEMPLATE_ERRORS as err:
            raise template_failed(problems, err, project.templates) from err
        report.timings["render"] = time.perf_counter() - started
        started = time.perf_counter()
        # The tables of the quarters edited are written anew too, so that they never lag behind the pages.
        tables = write_table_files(staging, corpus, scope.quarters)
        # Every file is written before any replaces its old self: a failure leaves the site as it was.
        for output in [*rendered, *tables, *data.written]:
            (last.out_dir / output).parent.mkdir(parents=True, exist_ok=True)  # a measure's first feed, say
            os.replace(staging / output, last.out_dir / output)
    finally:
        discard(staging)
    report.timings["write"] = time.perf_counter() - started

    state.sources.update(edited)  # the record's overall hash is left to ``LastBuild.save``
    state.pages.update(fingerprints)
    last.data.settle(data)
    for output in [*rendered, *tables, *data.written]:
        stat = (last.out_dir / output).stat()
        state.outputs[Path(output).as_posix()] = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
    last.corpus, last.pages, last.fingerprints = corpus, pages, hashes
    last.facets.update(facets)
    for edit in new.values():
        for path in (edit.path, edit.en_path):
            if path is not None:
                owners[str(path)] = edit
    report.pages, report.rendered, report.files = len(pages), len(rendered), state.report["files"]
    return report


def prepare(last: LastBuild) -> None:
    """Work out now, on every core, what patches would otherwise as they come: every entry's HTML, the compiled
    templates, the link targets and their hash, which entry file makes which outcome, where each page is, and the
    hashes of the values the pages of an edit show."""
    last.texts.prerender([text for o in last.corpus.outcomes for text in (o.body.zh, o.body.en) if text], forget=False)
    for name in sorted({page.template for page in last.pages}):
        last.env.get_template(name)
    _targets(last).digest
    _entry_owners(last)
    _positions(last)
    _links(last)
    _agency_index(last)
    for page in last.pages:
        if page.kind in ("quarter", "measure", "agency"):
            last.fingerprints.of(page.context["outcomes"])


def _targets(last: LastBuild) -> LinkTargets:
    if "targets" not in last.checks:
        last.checks["targets"] = link_targets(last.corpus, last.pages)
    return last.checks["targets"]


def _source_path(root: Path, path: Path) -> Path:
    """Return a path as the build's record names the sources: under the project root as the build was given it."""
    try:
        return root / Path(path).resolve().relative_to(root.resolve())
    except ValueError:
        return Path(path)


def _entry_owners(last: LastBuild) -> dict[str, Outcome]:
    """Return, by file (as the record names it), the outcome each entry file makes."""
    if "owners" not in last.checks:
        owners = {}
        for outcome in last.corpus.outcomes:
            owners[str(outcome.path)] = outcome
            if outcome.en_path is not None:
                owners[str(outcome.en_path)] = outcome
        last.checks["owners"] = owners
    return last.checks["owners"]


def _positions(last: LastBuild) -> dict[str, int]:
    """Return the index of each page among the last build's, by page path (pages keep their places in a patch)."""
    if "positions" not in last.checks:
        last.checks["positions"] = {page.path: index for index, page in enumerate(last.pages)}
    return last.checks["positions"]


def _links(last: LastBuild) -> SiteLinks:
    """Return what the site's pages link to, which a patch leaves as it was."""
    if "links" not in last.checks:
        last.checks["links"] = SiteLinks.of(last.pages)
    return last.checks["links"]


def _agency_index(last: LastBuild) -> AgencyIndex:
    if "agencies" not in last.checks:
        last.checks["agencies"] = AgencyIndex(last.corpus.agencies.values())
    return last.checks["agencies"]


def _same_place(old: Outcome, new: Outcome) -> bool:
    """Return whether an entry read again is still the same entry, in the same files."""
    return entry_id(old) == entry_id(new) and (old.path, old.en_path) == (new.path, new.en_path)


def _moved(before: list, after: list) -> bool:
    """Return whether a goal page of the scope shows other entries than it did (its parts were cut anew)."""
    return any(old.kind == "quarter-goal" and list(map(entry_id, old.context["outcomes"])) != list(map(entry_id, new.context["outcomes"]))
               for old, new in zip(before, after))
