"""The build, top to bottom: read and load the content, validate it, plan the pages, make the data files, render the
pages, write the rest of the site beside the old one, index it for search, swap it in.

A cold build is these stages and nothing else. A build that may use again what the last one made is given a
``Reuse`` (``reuse.py``): the stages ask it, at a few named points, what they can skip, and it records what they made
for the next build. Either way the bytes are the same.
"""
from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment

from ..base.errors import Problems
from ..base.project import Project
from ..base.untrusted import linked_paths, report_links
from ..checks.validate import validate
from ..content.corpus import build_corpus
from ..content.guide import load_guide
from ..content.markdown import RenderedTexts
from ..content.models import Corpus
from ..site.admin import write_admin
from ..site.data.files import DataFiles, DataUpdate, with_catalog
from ..site.render import TEMPLATE_ERRORS, SiteLinks, asset_versions, make_environment, render_all
from ..site.routes import PageSpec, plan_routes
from ..site.search import SearchIndexFailed, index_search
from ..site.table_files import write_table_files
from ..site.write import discard, stage_dir, swap_in, write_site
from .report import BuildReport, raise_if_failed, search_failed, template_failed, write_failed

if TYPE_CHECKING:  # the reuse machinery is handed in; a cold build never imports it
    from .reuse import Reuse

__all__ = ["BuildReport", "Project", "build", "check", "load"]


def build(project: Project, out_dir: Path, *, strict: bool = False, search: bool = True,
          reuse: Reuse | None = None) -> BuildReport:
    """Build the site into ``out_dir``; on any failure the previous ``out_dir`` is left exactly as it was.

    With ``reuse``, what the last build into ``out_dir`` made is used again where its sources have not changed, and
    what this one made is recorded for the next; the bytes are the same either way."""
    report = BuildReport(problems=Problems(project.root))
    with _collecting_less():
        if reuse is not None and reuse.begin(project, out_dir, strict, search, report):
            return report  # nothing changed, or only entries, patched into the site
        texts = reuse.texts if reuse is not None else RenderedTexts()
        data = reuse.data if reuse is not None else DataFiles()
        corpus, pages = _load(project, report.problems, report.timings, texts, reuse)
        raise_if_failed(report.problems, strict)
        assert corpus is not None

        # Whatever happens from here on, even an exception nobody anticipated or Ctrl-C, the staging folder goes and
        # out_dir stays as it was; after a successful swap the staging folder has become out_dir and is not there.
        staging = stage_dir(out_dir)
        try:
            links = SiteLinks.of(pages)  # what the pages link to: the open-data page's sizes, given next, are not of it
            data_files, pages = _data(data, corpus, pages, links, texts, staging, out_dir, report)
            env = make_environment(project.templates, reuse.compiled_templates() if reuse is not None else None)
            rendered, reused, facets = _render(project, env, corpus, pages, links, staging, texts, reuse, report)
            _write(project, env, corpus, staging, out_dir, rendered, reused, data_files, report)
            if search and not (reuse is not None and reuse.index_kept(staging, rendered, facets, report)):
                started = time.perf_counter()
                report.search_summary = index_search(staging, facets)
                report.timings["search index"] = time.perf_counter() - started
            swap_in(staging, out_dir)
            data.settle(data_files)
        except SearchIndexFailed as err:
            raise search_failed(report.problems, out_dir, err) from err
        except (OSError, ValueError) as err:
            raise write_failed(report.problems, out_dir, err) from err
        finally:
            discard(staging)
        if reuse is not None:
            started = time.perf_counter()
            reuse.record(corpus, pages, facets, links, report)
            report.timings["record"] = time.perf_counter() - started
    return report


def check(project: Project, strict: bool = False) -> Problems:
    """Validate the content only; raise BuildFailed if there are errors (or warnings, when strict)."""
    problems = Problems(project.root)
    with _collecting_less():
        load(project, problems)
    raise_if_failed(problems, strict)
    return problems


def load(project: Project, problems: Problems) -> Corpus | None:
    """Return the validated corpus, or None when the content has errors (all of them are in ``problems``)."""
    return _load(project, problems, {}, RenderedTexts(), None)[0]


def _load(project: Project, problems: Problems, timings: dict[str, float], texts: RenderedTexts,
          reuse: Reuse | None) -> tuple[Corpus | None, list[PageSpec]]:
    """Read, load, plan the pages and validate: return the corpus and its pages, or None and no pages when the
    content has errors. The HTML made of the texts checked is kept in ``texts``."""
    started = time.perf_counter()
    # Every link among the sources is an error, reported with the others; the readers pass over links, so the rest of
    # the content is still checked, and nothing outside the repository is read (docs/security.md).
    report_links(reuse.links if reuse is not None else linked_paths(project.sources), problems)
    corpus = build_corpus(project.content, problems, reuse.entry_reads() if reuse is not None else None)
    guide = load_guide(project.docs, problems)  # before stopping for the content: every problem in one run
    timings["load"] = time.perf_counter() - started
    if corpus is None:
        return None, []
    started = time.perf_counter()
    # The pages are planned before validation, which checks the links in the content against them; with a plan
    # file unreadable there is no whole site to check them against.
    pages = plan_routes(corpus, problems, guide) if "plans" not in corpus.incomplete else []
    validate(corpus, problems, pages, reuse.checked if reuse is not None else None, texts)
    timings["validate"] = time.perf_counter() - started
    return (None, []) if problems else (corpus, pages)


def _data(data: DataFiles, corpus: Corpus, pages: list[PageSpec], links: SiteLinks, texts: RenderedTexts,
          staging: Path, out_dir: Path, report: BuildReport) -> tuple[DataUpdate, list[PageSpec]]:
    """Write every data file (``site/data``) of the corpus into ``staging``; return what was made, and the pages
    with the open-data page given the files' sizes. Entries a kept build withheld are read back from ``out_dir``,
    the site it built."""
    started = time.perf_counter()
    made = data.make(corpus, links.entry_pages, texts, staging, out_dir, everything=True)
    report.timings["data"] = time.perf_counter() - started
    return made, with_catalog(pages, made.catalog)


def _render(project: Project, env: Environment, corpus: Corpus, pages: list[PageSpec], links: SiteLinks,
            staging: Path, texts: RenderedTexts, reuse: Reuse | None, report: BuildReport) -> tuple[list, list[str], dict]:
    """Render the pages into ``staging``; return those rendered, those to take from the old site as they are, and
    what each page tells the search, by page path."""
    started = time.perf_counter()
    versions = asset_versions(project.static)
    try:
        if reuse is not None:
            rendered, reused, facets = reuse.render(pages, corpus, env, versions, staging, links)
        else:
            (rendered, facets), reused = render_all(pages, corpus, env, versions, staging, links, texts), []
    except TEMPLATE_ERRORS as err:
        raise template_failed(report.problems, err, project.templates) from err
    report.timings["render"] = time.perf_counter() - started
    report.pages, report.rendered = len(pages), len(rendered)
    return rendered, reused, facets


def _write(project: Project, env: Environment, corpus: Corpus, staging: Path, out_dir: Path, rendered: list,
           reused: list[str], data_files: DataUpdate, report: BuildReport) -> None:
    """Write beside the rendered pages and the data files the root redirect, the static files, the pages taken from
    the old site, the editors' form and each quarter's tracking table."""
    started = time.perf_counter()
    try:
        redirect = env.get_template("redirect.html").render(target=corpus.site.base_path + "zh/").encode()
    except TEMPLATE_ERRORS as err:
        raise template_failed(report.problems, err, project.templates) from err
    report.files = len(rendered) + write_site(project.static, redirect, staging, reused, out_dir)
    report.files += write_admin(staging, corpus)  # the editors' form at /admin/ (Decap CMS)
    report.files += len(data_files.written)  # datasets and feeds at /data/, /feeds/ (site/data/), written already
    report.files += len(write_table_files(staging, corpus))  # each quarter's tracking table, .odt and .docx
    report.timings["write"] = time.perf_counter() - started


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

