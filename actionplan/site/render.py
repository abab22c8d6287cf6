"""Renders pages with Jinja2: autoescaped, StrictUndefined, and explicit about untranslated text."""
from __future__ import annotations

import hashlib
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path, PurePosixPath
from types import MethodType
from typing import NamedTuple

from jinja2 import (BytecodeCache, Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound,
                    TemplateSyntaxError, select_autoescape)
from jinja2.loaders import split_template_path
from jinja2.runtime import Context, Macro
from markupsafe import Markup, escape

from ..content.markdown import RenderedTexts
from ..content.i18n import HTML_LANG, LANGUAGES, OTHER, MissingString, Strings, chinese_number, date_label, quarter_label, quarter_months
from .facets import Facets, page_facets
from ..content.models import Corpus, Measure, Outcome, Text
from ..base.parallel import ordered_map
from ..base.untrusted import is_linked, regular_files
from .routes import PageSpec, entry_id, entry_page_keys, page_path
from .write import write_page


class _PageContext(Context):
    """Jinja's context, calling the page helpers' methods and the templates' macros at once. Jinja asks of every call
    whether the callable wants the context passed, some five attribute lookups; neither ever does, and a page of the
    archive makes hundreds of calls to them: about a quarter of the time templates take."""

    # Named as Jinja names them: a keyword argument of the call may itself be called self or obj.
    def call(__self, __obj, *args, **kwargs):
        if type(__obj) is Macro or (type(__obj) is MethodType and type(__obj.__self__) is PageHelpers):
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            return __obj(*args, **kwargs)
        return Context.call(__self, __obj, *args, **kwargs)


class UnlinkedLoader(FileSystemLoader):
    """Loads templates from one folder, never through a symbolic link (issue 26): a pull request could otherwise
    put a link to any file of the build machine where a template is, and the page would publish it."""

    def get_source(self, environment: Environment, template: str):
        folder = Path(self.searchpath[0])
        path = folder.joinpath(*split_template_path(template))
        if is_linked(path, folder.parent):
            raise TemplateNotFound(template, f"{template}: a symbolic link, which templates may not be | "
                                             f"{template}：版型不可為符號連結")
        return super().get_source(environment, template)


def make_environment(templates_dir: Path, compiled: BytecodeCache | None = None) -> Environment:
    """Return the Jinja environment: HTML autoescaped, undefined names an error rather than a blank; templates
    compiled are kept in ``compiled``, where given."""
    env = Environment(
        bytecode_cache=compiled,
        loader=UnlinkedLoader(str(templates_dir)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Each build makes its own environment: without this, every page would look at every template file again.
        auto_reload=False,
    )
    env.context_class = _PageContext
    return env


def asset_versions(static_dir: Path) -> dict[str, str]:
    """Return a short content hash per static file, so browsers refetch only what changed; links are not followed."""
    return {
        p.relative_to(static_dir).as_posix(): _file_sha256(p)[:10] for p in regular_files(static_dir)
    }


def _file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file, read in chunks: a static file a pull request adds can be of any size."""
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


class PageHelpers:
    """What templates call to turn content into text of one language; one instance per page language."""

    def __init__(self, corpus: Corpus, lang: str, versions: dict[str, str],
                 entry_pages: dict[tuple[str, str, str, str], str], texts: RenderedTexts | None = None) -> None:
        self.corpus = corpus
        self.texts = texts or RenderedTexts()
        """The HTML of the texts, made once for the build."""
        self.lang = lang
        self.strings = Strings(corpus.strings)
        self.base = corpus.site.base_path
        self.versions = versions
        self._plan_days: dict[str, date] = {}
        self.entry_pages = entry_pages
        """By entry id, the key of the quarter-goal page showing the entry."""
        self._urls: dict[tuple[str, str, str], str] = {}
        """By kind, language and key: a page of the archive links some fifty others, most of them on every page."""

    def entry_page(self, outcome: Outcome, lang: str | None = None) -> str:
        """Return the URL of the quarter-goal page that shows an entry (without its anchor)."""
        return self.url("quarter-goal", self.entry_pages[entry_id(outcome)], lang)

    def entry_url(self, outcome: Outcome) -> str:
        """Return the URL of an entry where it is published in its quarter: its goal page, at its anchor."""
        return f"{self.entry_page(outcome)}#{outcome.anchor}"

    def t(self, key: str) -> str:
        """Return an interface string in the page's language."""
        return self.strings.get(key, self.lang)

    def goal_part(self, part: int, parts: int) -> str:
        """Return what names one part of a goal cut into parts (" (part 2 of 3)"); nothing for a goal on one page."""
        return self.t("goal_part") % (part, parts) if parts > 1 else ""

    def url(self, kind: str, key: str = "", lang: str | None = None) -> str:
        """Return the root-relative URL of a page (404 pages are served at any path, so nothing is relative)."""
        asked = (kind, lang or self.lang, key)
        found = self._urls.get(asked)
        if found is None:
            found = self._urls[asked] = self.base + page_path(*asked)
        return found

    def asset(self, name: str) -> str:
        """Return the URL of a static file with its content hash."""
        if name not in self.versions:
            raise MissingString(f"static file \"{name}\" is not in static/")
        return f"{self.base}assets/{name}?v={self.versions[name]}"

    def plain(self, text: Text) -> str:
        """Return the text in the page's language, unmarked: for titles and attributes."""
        return text.get(self.lang)

    def tx(self, text: Text | None, tag: str = "span") -> Markup:
        """Return a short text; Chinese standing in for English is marked as such and carries its own lang."""
        if text is None:
            return Markup("")
        value = escape(text.get(self.lang))
        if text.is_fallback(self.lang):
            note = escape(self.t("translation_pending"))
            return Markup(f'<{tag} lang="{HTML_LANG["zh"]}">{value}</{tag}>'
                          f' <small class="pending">{note}</small>')
        return Markup(f"<{tag}>{value}</{tag}>") if tag != "span" else value

    def md(self, text: Text | None, heading_offset: int = 2) -> Markup:
        """Return Markdown rendered to HTML; an untranslated English block says so before the Chinese."""
        if text is None:
            return Markup("")
        html = self.texts.render(text.get(self.lang), heading_offset)
        if text.is_fallback(self.lang):
            note = escape(self.t("translation_pending_block"))
            return Markup(f'<div class="untranslated"><p class="pending">{note}</p>'
                          f'<div lang="{HTML_LANG["zh"]}">{html}</div></div>')
        return Markup(html)

    def agency_name(self, agency_id: str) -> str:
        """Return an agency's current name."""
        return self.corpus.agencies[agency_id].name(self.lang)

    def agency_label(self, agency_id: str, on: date) -> Markup:
        """Return the name an agency bore on ``on``."""
        agency = self.corpus.agencies[agency_id]
        return self.former_label(agency, agency.former_on(on))

    def former_label(self, agency, former) -> Markup:
        """Return a name the agency bore (``former``, or its current name when None) in the page's language;
        a Chinese-only former name on an English page carries its lang."""
        if former is None:
            return escape(agency.name(self.lang))
        if self.lang == "en" and former.en:
            return escape(former.en)
        return Markup(f'<span lang="{HTML_LANG["zh"]}">{escape(former.zh)}</span>') if self.lang == "en" else escape(former.zh)

    def name_groups(self, agency, outcomes: list[Outcome]) -> list[tuple]:
        """Return the outcomes grouped by the name the agency bore when it reported them, current name first."""
        groups: dict = {}
        for outcome in outcomes:
            groups.setdefault(agency.former_on(outcome.quarter.end), []).append(outcome)
        order = [None, *reversed(agency.former_names)]
        return [(former, groups[former]) for former in order if former in groups]

    def in_table_order(self, outcomes, measure: Measure) -> list[Outcome]:
        """Return a measure's entries in the order its agency cell lists the bodies, as the tracking table does."""
        listed = [*measure.lead.ids, *measure.co.ids]

        agencies = self.corpus.agencies

        def position(outcome: Outcome) -> tuple[int, int, str]:
            # The body itself, else its ministry, else one of its units, where the cell lists them; others last.
            own = agencies[outcome.agency] if outcome.agency in agencies else None
            for rank, test in enumerate((lambda i: i == outcome.agency,
                                         lambda i: own is not None and i == own.parent,
                                         lambda i: i in agencies and agencies[i].parent == outcome.agency)):
                for index, listed_id in enumerate(listed):
                    if test(listed_id):
                        return (index, rank, outcome.agency)
            return (len(listed), 0, outcome.agency)

        return sorted(outcomes, key=position)

    def plan_day(self, plan_id: str) -> date:
        """Return the day an edition's agency names are shown as of: its end, else its last reported quarter."""
        if plan_id not in self._plan_days:
            plan = self.corpus.plans[plan_id]
            quarters = [o.quarter.end for o in self.corpus.outcomes if o.plan == plan_id]
            self._plan_days[plan_id] = plan.end or (max(quarters) if quarters else plan.updated)
        return self._plan_days[plan_id]

    def completion(self, outcome: Outcome) -> Text | None:
        """Return 完成期程; where it repeats the measure's schedule (經常辦理), the schedule's English serves."""
        completion, measure = outcome.completion, self.measure_of(outcome)
        if completion and not completion.en and measure and measure.schedule.zh == completion.zh and measure.schedule.en:
            return Text(completion.zh, measure.schedule.en)
        return completion

    def by_agency(self, outcomes) -> list[tuple[str, list[Outcome]]]:
        """Return outcomes grouped by agency, in the registry's order (ministry by ministry)."""
        order = {agency_id: i for i, agency_id in enumerate(self.corpus.agencies)}
        groups: dict[str, list[Outcome]] = {}
        for outcome in outcomes:
            groups.setdefault(outcome.agency, []).append(outcome)
        return sorted(groups.items(), key=lambda item: order.get(item[0], len(order)))

    def by_measure(self, outcomes) -> dict[str, list[Outcome]]:
        """Return outcomes grouped by measure id, each group in the order given."""
        groups: dict[str, list[Outcome]] = {}
        for outcome in outcomes:
            groups.setdefault(outcome.measure, []).append(outcome)
        return groups

    def count_entries(self, by_measure: dict[str, list[Outcome]], measures) -> int:
        """Return how many of the grouped outcomes belong to ``measures``."""
        return sum(len(by_measure.get(m.id, ())) for m in measures)

    def plan_name(self, plan_id: str) -> str:
        """Return an edition's title with its label: 貫徹保護智慧財產權行動方案（民國113年至115年版）."""
        return self.plain(self.corpus.plans[plan_id].title) + self._bracketed(self.edition_of(plan_id))

    def _bracketed(self, text: str) -> str:
        """Return （text） after Chinese, " (text)" after English."""
        return (" " if self.lang == "en" else "") + self.t("period_in_brackets") % text

    def edition_of(self, plan_id: str) -> str:
        """Return an edition's label, such as 民國113年至115年版."""
        return self.plain(self.corpus.plans[plan_id].edition)

    def quarter(self, quarter) -> str:
        return quarter_label(quarter, self.lang)

    def months(self, quarter) -> str:
        return quarter_months(quarter, self.lang)

    def year(self, year: int) -> str:
        """Return 民國108年 / 2019."""
        return f"民國{year - 1911}年" if self.lang == "zh" else str(year)

    def by_year(self, quarters) -> list[tuple[int, list]]:
        """Return quarters (newest first) grouped by year, newest year first."""
        groups: dict[int, list] = {}
        for quarter in quarters:
            groups.setdefault(quarter.year, []).append(quarter)
        return list(groups.items())

    def date(self, day: date) -> str:
        return date_label(day, self.lang)

    def goal_label(self, number: int) -> str:
        """Return 目標一 / Goal 1."""
        return f"目標{chinese_number(number)}" if self.lang == "zh" else f"Goal {number}"

    def strategy_label(self, goal: int, number: int) -> str:
        """Return (一) / Strategy 1.1, as each language numbers strategies."""
        return f"({chinese_number(number)})" if self.lang == "zh" else f"Strategy {goal}.{number}"

    def measure_label(self, measure: Measure, with_edition: bool = False) -> str:
        """Return 執行措施 3.1.5 / Measure 3.1.5, naming the edition where several share the number."""
        label = f"{self.t('measure')} {measure.id}"
        if with_edition and len(self.corpus.plans) > 1:
            label += self._bracketed(self.edition_of(measure.plan))
        return label

    def measure_of(self, outcome: Outcome) -> Measure | None:
        return self.corpus.measure(outcome.plan, outcome.measure)

    @property
    def current_plan(self):
        """Return the edition in force most recently: the one the navigation's plan link opens."""
        return max(self.corpus.plans.values(), key=lambda p: (p.start or date.min, p.id))

    def goal_measures(self, goal, measure_ids) -> list[Measure]:
        """Return the measures of a goal whose ids are in ``measure_ids``, in plan order."""
        return [m for s in goal.strategies for m in s.measures if m.id in measure_ids]

    def plan_period(self, plan) -> str:
        """Return the edition's period, or what the source says of it."""
        if plan.start and plan.end:
            return f"{self.date(plan.start)} – {self.date(plan.end)}"
        return plan.period_note.get(self.lang) if plan.period_note else ""


class SiteLinks(NamedTuple):
    """What pages link to across the site: which kinds of page it has (a page that may be missing, the guide, is
    linked only where it is made), and by entry id the key of the goal page showing the entry."""

    kinds: frozenset[str]
    entry_pages: dict[tuple[str, str, str, str], str]

    @classmethod
    def of(cls, pages: list[PageSpec]) -> SiteLinks:
        """Return the links of the site whose pages are ``pages`` (those rendered and those kept alike)."""
        return cls(frozenset(page.kind for page in pages), entry_page_keys(pages))


class RenderFailed(Exception):
    """A template failed on a page: where (the template file and line) and why, picklable across processes."""

    def __init__(self, path: Path, line: int, reason: str) -> None:
        super().__init__(path, line, reason)
        self.path, self.line, self.reason = path, line, reason


def render_pages(pages: list[PageSpec], corpus: Corpus, env: Environment, versions: dict[str, str],
                 facets: dict[str, Facets], staging: Path, skip: set[str] = frozenset(),
                 site: SiteLinks | None = None, texts: RenderedTexts | None = None, keep_texts: bool = False,
                 workers: int | None = None) -> list[PurePosixPath]:
    """Render the pages, but for those whose output is in ``skip``, on ``workers`` processes (default: one per core),
    and write each into ``staging``; return their output paths, in route order. ``facets`` are what each page (by
    path) tells the search; ``site`` is what pages link to across the site, where ``pages`` are only some of them;
    ``texts`` holds the HTML of the texts made so far (``keep_texts`` keeps there the HTML of entries' texts not
    shown on ``pages``, for a later call). A template error raises RenderFailed.

    Each page is written by the process that rendered it: no process holds the site's HTML, which on a large
    archive is hundreds of MB, and none is sent between processes."""
    site = site or SiteLinks.of(pages)  # of every page, those skipped too: they are linked all the same
    pages = [page for page in pages if page.output_file not in skip]
    render_page = _page_renderer(pages, corpus, env, versions, staging, site, texts or RenderedTexts(), keep_texts,
                                 workers)
    return ordered_map(lambda page: render_page(page, facets[page.path]), pages, workers)


def render_fingerprinted(pages: list[PageSpec], corpus: Corpus, env: Environment, versions: dict[str, str],
                         staging: Path, fingerprint: Callable[[PageSpec], tuple[str, Facets]],
                         texts: RenderedTexts | None = None, keep_texts: bool = False,
                         site: SiteLinks | None = None) -> list[tuple[PurePosixPath, tuple[str, Facets]]]:
    """Render every page as ``render_pages`` does, with the facets ``fingerprint`` gives with the page's fingerprint
    in the process that renders it; return each page's output path and what ``fingerprint`` gave, in route order.
    For a build that has no page of an earlier site to keep: it needs the fingerprints only to record them."""
    render_page = _page_renderer(pages, corpus, env, versions, staging, site or SiteLinks.of(pages),
                                 texts or RenderedTexts(), keep_texts, None)

    def render(page: PageSpec) -> tuple[PurePosixPath, tuple[str, Facets]]:
        found = fingerprint(page)
        return render_page(page, found[1]), found

    return ordered_map(render, pages)


def render_all(pages: list[PageSpec], corpus: Corpus, env: Environment, versions: dict[str, str], staging: Path,
               site: SiteLinks, texts: RenderedTexts) -> tuple[list[PurePosixPath], dict[str, Facets]]:
    """Render every page as ``render_pages`` does, each with its facets worked out in the process that renders it;
    return their output paths in route order, and the facets by page path."""
    found = render_fingerprinted(pages, corpus, env, versions, staging, lambda page: ("", page_facets(page, corpus)),
                                 texts=texts, site=site)
    return [output for output, _ in found], {page.path: facets for page, (_, (_, facets)) in zip(pages, found)}


def _page_renderer(pages: list[PageSpec], corpus: Corpus, env: Environment, versions: dict[str, str], staging: Path,
                   site: SiteLinks, texts: RenderedTexts, keep_texts: bool,
                   workers: int | None) -> Callable[[PageSpec, Facets], PurePosixPath]:
    """Return what renders one of ``pages`` with its facets and writes it into ``staging``, its texts' Markdown
    rendered beforehand on ``workers`` cores."""
    kinds, entry_pages = site
    shown = {id(o): o for page in pages for o in page.context.get("outcomes", ())}.values()
    texts.prerender([text for o in shown for text in (o.body.zh, o.body.en) if text], not keep_texts, workers)
    helpers = {lang: PageHelpers(corpus, lang, versions, entry_pages, texts) for lang in LANGUAGES}
    templates = Path(env.loader.searchpath[0]) if isinstance(env.loader, FileSystemLoader) else Path()

    def render_page(page: PageSpec, facets: Facets) -> PurePosixPath:
        try:
            html = env.get_template(page.template).render(
                page=page, lang=page.lang, other=OTHER[page.lang], html_lang=HTML_LANG[page.lang],
                other_html_lang=HTML_LANG[OTHER[page.lang]], h=helpers[page.lang], site=corpus.site, corpus=corpus,
                facets=facets, kinds=kinds, **page.context,
            )
        except (TemplateError, MissingString) as err:
            # Located here, where the traceback is: it does not cross from a worker process.
            raise RenderFailed(*template_problem(err, templates)) from None
        write_page(staging, page.output, html.encode("utf-8"))
        return page.output

    return render_page


TEMPLATE_ERRORS = (TemplateError, MissingString, RenderFailed)
"""What rendering raises for a mistake in a template: ``template_problem`` says where and why."""


def template_problem(err: Exception, templates: Path) -> tuple[Path, int, str]:
    """Return the template file and line one of the ``TEMPLATE_ERRORS`` comes from, and its reason."""
    if isinstance(err, RenderFailed):
        return err.path, err.line, err.reason
    path, line = template_location(err, templates)
    return path, line, (err.message if isinstance(err, TemplateError) else err.args[0]) or type(err).__name__


def template_location(err: Exception, templates: Path) -> tuple[Path, int]:
    """Return the template file and line an error comes from, or the templates folder when neither is known."""
    if isinstance(err, TemplateSyntaxError) and err.filename:
        return Path(err.filename), err.lineno
    # Jinja rewrites tracebacks so that the frames of a template carry its file name and line.
    for frame in reversed(traceback.extract_tb(err.__traceback__)):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(templates.resolve()) and frame.lineno:
            return path, frame.lineno
    return templates, 0
