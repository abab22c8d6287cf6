"""Which pages the site has, at which permanent URL, in which language; collisions are errors."""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from itertools import groupby
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Iterable, NamedTuple

from ..base.errors import Problems
from ..content.documents import documents_of, related_sections
from ..content.guide import Guide, render_guide
from ..content.i18n import LANGUAGES
from ..content.models import Agency, Corpus, Measure, Outcome, Plan, Quarter
from ..content.sources import bi
from ..content.tracking import tracking_report
from .data.page import add_open_data
from .kinds import KINDS, check_context
from .whitepaper_pages import whitepaper_pages
from .document_pages import document_pages
from .table_files import quarter_downloads


# One URL path segment: ids are checked where they are read, but a path must never carry anything else (a newline
# that slipped past ``$``, a dot segment, upper case that a case-insensitive disk would merge).
_SEGMENT = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*", re.ASCII)
_WINDOWS_RESERVED = re.compile(r"(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\..*)?", re.ASCII)


def page_path(kind: str, lang: str, key: str = "") -> str:
    """Return the site-relative URL path of a page, e.g. ``zh/plans/2024-2026/measures/3.1.5/``."""
    return KINDS[kind].address(lang, key)


def goal_key(quarter_slug: str, plan_id: str, goal: int, qualified: bool) -> str:
    """Return the key of a quarter's goal page: ``2018-q3/3``, or ``2018-q3/2018/3`` where the quarter has entries
    under two editions, whose goals share numbers."""
    return f"{quarter_slug}/{plan_id}/{goal}" if qualified else f"{quarter_slug}/{goal}"


def outcome_goal(outcome: Outcome) -> int:
    """Return the goal number of an entry's measure (3 for 3.1.5)."""
    return int(outcome.measure.split(".")[0])


def quarter_editions(outcomes: Iterable[Outcome]) -> dict[str, frozenset[str]]:
    """Return, by quarter slug, the editions the quarter has entries under."""
    editions: dict[str, set[str]] = defaultdict(set)
    for outcome in outcomes:
        editions[outcome.quarter.slug].add(outcome.plan)
    return {slug: frozenset(plans) for slug, plans in sorted(editions.items())}


def entry_id(outcome: Outcome) -> tuple[str, str, str, str]:
    """Return what tells an entry from every other: its edition, quarter, measure and agency."""
    return (outcome.plan, outcome.quarter.id, outcome.measure, outcome.agency)


def entry_page_keys(pages: Iterable[PageSpec]) -> dict[tuple[str, str, str, str], str]:
    """Return, by entry id, the key of the quarter-goal page (or part of one) among ``pages`` that shows the entry,
    with its ``#entry-…`` anchor."""
    return {entry_id(o): page.key for page in pages if page.kind == "quarter-goal" for o in page.context["outcomes"]}


GOAL_PAGE_WEIGHT = 75_000
"""The estimated bytes of entries a quarter's goal page holds (the page itself adds some 9 KB): a goal whose
entries weigh more in a quarter is cut, between measures, into parts, so that every page stays under 100 KB."""


def entry_weight(outcome: Outcome) -> int:
    """Return about how many bytes an entry makes on a page: its Markdown, plus the tags each line (a paragraph, a
    list item, a table row) and each table cell become, plus its heading, meta and link. The heavier language
    counts, so both languages cut alike."""
    return max(_markup_weight(outcome.body.get(lang)) for lang in LANGUAGES) + 900


def _markup_weight(markdown: str) -> int:
    # A table cell is some 20 bytes of tags (aligned cells carry a style), a line some 12.
    return len(markdown.encode("utf-8")) + 12 * markdown.count("\n") + 20 * markdown.count("|")


class QuarterTally(NamedTuple):
    """What the pages listing every quarter say of one: how many entries, from how many agencies."""

    entries: int
    agencies: int


class GoalPage(NamedTuple):
    """One page of a goal in a quarter's report: the whole goal, or a part of it where its entries are many."""

    key: str
    plan: str
    goal: int
    outcomes: list[Outcome]
    part: int
    """1 for the goal's first page (its address has no part), 2… for the next ones."""
    parts: int


@dataclass(frozen=True)
class PageSpec:
    """One page to render: its template, what it shows, and when what it shows last changed."""

    kind: str
    lang: str
    key: str
    template: str
    updated: date
    context: dict = field(default_factory=dict, compare=False, hash=False)
    source: Path | None = None
    """The file the page comes from, named in collision errors."""
    source_line: int = 0
    """The line in ``source`` that gives the page its path (0 where it is the whole file)."""

    @property
    def path(self) -> str:
        return page_path(self.kind, self.lang, self.key)

    @property
    def output(self) -> PurePosixPath:
        """Return the file the page is written to, relative to the site root."""
        return PurePosixPath(self.output_file)

    @property
    def output_file(self) -> str:
        """Return ``output`` as a string, made without a Path object: the build records pages by it."""
        path = self.path
        return path + "index.html" if path.endswith("/") else path


def page_anchors(page: PageSpec) -> frozenset[str]:
    """Return the fragment ids an editor may link to on a page: ``main``, its entries where it has their anchors, and
    what its kind lays out (``PageKind.anchors``); a test holds these against the rendered pages."""
    kind = KINDS[page.kind]
    ids = {"main"}
    if kind.entry_anchors:
        ids.update(o.anchor for o in page.context.get("outcomes", ()))
    if kind.anchors is not None:
        ids.update(kind.anchors(page.context, page.lang))
    return frozenset(ids)


@dataclass(frozen=True)
class Scope:
    """The pages an edit of some entries can change, where the edit keeps each entry's edition, quarter, measure and
    agency: the pages showing them (their quarters' pages, their measures' and agencies' pages and the archive pages
    of their years and quarters), their editions' plan pages, and the site-wide pages that list every quarter (home,
    quarters, search, about, site map). No other page's context holds an entry or anything made of one."""

    quarters: frozenset[str]
    """Quarter slugs."""
    measures: frozenset[tuple[str, str]]
    """(edition, measure id)."""
    measure_years: frozenset[tuple[str, str, str]]
    agencies: frozenset[str]
    agency_quarters: frozenset[tuple[str, str]]
    plans: frozenset[str]

    @classmethod
    def of(cls, outcomes: Iterable[Outcome]) -> Scope:
        outcomes = list(outcomes)
        return cls(frozenset(o.quarter.slug for o in outcomes), frozenset((o.plan, o.measure) for o in outcomes),
                   frozenset((o.plan, o.measure, str(o.quarter.year)) for o in outcomes),
                   frozenset(o.agency for o in outcomes), frozenset((o.agency, o.quarter.slug) for o in outcomes),
                   frozenset(o.plan for o in outcomes))

    def covers(self, page: PageSpec) -> bool:
        """Return whether ``page`` is one of the pages in scope, as its kind declares (``PageKind.scope``)."""
        scope = KINDS[page.kind].scope
        if scope is None or scope == "site":
            return scope == "site"
        parts = tuple(page.key.split("/"))
        if scope == "quarters":
            return parts[0] in self.quarters
        return (parts if len(parts) > 1 else page.key) in getattr(self, scope)



def plan_routes(corpus: Corpus, problems: Problems, guide: Guide | None = None, scope: Scope | None = None,
                goal_pages: dict[Quarter, list[GoalPage]] | None = None) -> list[PageSpec]:
    """Return every page of the site in both languages, with the editors' guide where there is one; unsafe paths
    and two pages writing one file are reported.

    With a ``scope``, only the pages it covers, in the same order and with the same contexts as among every page;
    the goal pages of quarters out of scope are then taken from ``goal_pages`` (those of the last plan: see
    ``site_goal_pages``), and paths are not checked again."""
    by_measure: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    by_agency: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in corpus.outcomes:
        by_measure[(outcome.plan, outcome.measure)].append(outcome)
        by_agency[outcome.agency].append(outcome)
    by_quarter = corpus.outcomes_by_quarter
    site_updated = corpus.site.updated
    content_updated = max([site_updated, *(p.updated for p in corpus.plans.values()),
                           *(o.updated for o in corpus.outcomes)])
    quarters = sorted(by_quarter, reverse=True)
    editions = quarter_editions(corpus.outcomes)
    planned = quarters if scope is None else [quarter for quarter in quarters if quarter.slug in scope.quarters]
    known = {} if scope is None else {quarter: (goal_pages or {})[quarter] for quarter in quarters}
    goal_pages = {**known, **{quarter: _goal_pages(corpus, by_quarter[quarter], editions) for quarter in planned}}
    # The report shows the quarter's entries against every measure of its editions: it changes with both.
    reports = {quarter: tracking_report(corpus, quarter) for quarter in planned}
    # The pages listing every quarter or measure are given what they show of entries, their counts and goal pages'
    # addresses, and not the entries: so an edit of an entry's text leaves them, and their fingerprints, as they were.
    tallies = {quarter: QuarterTally(len(by_quarter[quarter]), len({o.agency for o in by_quarter[quarter]}))
               for quarter in quarters}
    entry_counts = {key: len(entries) for key, entries in by_measure.items()}
    goal_links = {quarter: [(page.key, page.plan, page.goal) for page in goal_pages[quarter] if page.part == 1]
                  for quarter in quarters}
    content = (problems.root or Path()) / "content"
    templates = (problems.root or Path()) / "templates"

    def newest(outcomes: list[Outcome], *dates: date) -> date:
        return max([*dates, *(o.updated for o in outcomes)])

    pages: list[PageSpec] = []
    for lang in LANGUAGES:
        def add(kind: str, key: str, updated: date, source: tuple[Path, int] | None = None, **context) -> None:
            declared = KINDS[kind]
            check_context(declared, context)  # the rule patches rely on, checked on every page planned
            template = declared.template
            path, line = source or (templates / template, 0)
            page = PageSpec(kind, lang, key, template, updated, context, path, line)
            if scope is None or scope.covers(page):
                pages.append(page)

        add("home", "", content_updated, quarters=quarters, tallies=tallies)
        for plan in corpus.plans.values():
            add("plan", plan.id, plan.updated, (plan.path, 0), plan=plan, entry_counts=entry_counts)
            for measure in plan.measures:
                if scope is not None and (plan.id, measure.id) not in scope.measures:
                    continue
                outcomes = sorted(by_measure.get((plan.id, measure.id), []), key=lambda o: (o.quarter, o.agency), reverse=True)
                recent, years = _measure_archive(outcomes)
                key = f"{plan.id}/{measure.id}"
                add("measure", key, newest(recent, plan.updated),
                    (plan.path, measure.line), plan=plan, measure=measure, outcomes=recent,
                    archive=[year for year, _ in years], neighbours=_neighbours(plan, measure),
                    related=related_sections(corpus.documents, plan.id, measure.id))
                for year, entries in years:
                    add("measure-year", f"{key}/{year}", newest(entries, plan.updated),
                        (plan.path, measure.line), plan=plan, measure=measure, outcomes=entries, year=year)
        add("agencies", "", max([site_updated, *(p.updated for p in corpus.plans.values())]))
        plans_updated = [p.updated for p in corpus.plans.values()]
        for agency in corpus.agencies.values():
            if scope is not None and agency.id not in scope.agencies:
                continue  # (as for measures) what ``add`` would leave out is not worked out
            outcomes = sorted(by_agency.get(agency.id, []), key=lambda o: o.quarter, reverse=True)  # stable: corpus order within a quarter
            groups = [(quarter, list(entries)) for quarter, entries in groupby(outcomes, key=lambda o: o.quarter)]
            recent = groups[0][1] if groups else []
            archive = [quarter for quarter, _ in groups[1:]]
            add("agency", agency.id, newest(recent, site_updated, *plans_updated),
                (content / "agencies.yaml", agency.line), agency=agency, outcomes=recent, archive=archive,
                roles=_roles(corpus, agency), documents=documents_of(corpus.documents, agency.id))
            for quarter, entries in groups[1:]:
                add("agency-quarter", f"{agency.id}/{quarter.slug}", newest(entries),
                    (content / "agencies.yaml", agency.line), agency=agency, outcomes=entries, quarter=quarter)
        add("quarters", "", content_updated, quarters=quarters, tallies=tallies)
        for quarter in planned:
            first = by_quarter[quarter][0]
            goals = goal_pages[quarter]
            add("quarter", quarter.slug, newest(by_quarter[quarter]), (first.path, first.lines["quarter"]),
                quarter=quarter, outcomes=by_quarter[quarter], goals=goals, editions=editions,
                downloads=quarter_downloads(quarter, editions[quarter.slug]))
            for index, (key, plan_id, goal, outcomes, part, parts) in enumerate(goals):
                previous = goals[index - 1] if index > 0 else None
                following = goals[index + 1] if index + 1 < len(goals) else None
                add("quarter-goal", key, newest(outcomes), (outcomes[0].path, outcomes[0].lines["quarter"]),
                    quarter=quarter, plan=corpus.plans[plan_id], goal=next(g for g in corpus.plans[plan_id].goals if g.number == goal),
                    outcomes=outcomes, part=(part, parts), neighbours=(previous, following))
            report = reports[quarter]
            add("tracking", quarter.slug, newest(by_quarter[quarter], *(p.updated for p in report.editions)),
                (first.path, first.lines["quarter"]), quarter=quarter, report=report)
        for kind in ("search", "about", "sitemap"):
            add(kind, "", site_updated if kind == "search" else content_updated, quarters=quarters,
                **({"goal_links": goal_links} if kind == "sitemap" else {}))
        add("privacy", "", site_updated, statement=corpus.site.privacy, title_key="nav_privacy")
        add_open_data(add, corpus)
        add("404", "", site_updated)
    if scope is not None:
        return pages
    pages += whitepaper_pages(corpus, PageSpec)
    pages += document_pages(corpus, PageSpec)
    if guide is not None:
        pages += _guide_pages(corpus, guide, pages)
    _report_unsafe_paths(pages, problems)
    _report_collisions(pages, problems)
    return pages


def site_goal_pages(pages: Iterable[PageSpec]) -> dict[Quarter, list[GoalPage]]:
    """Return, by quarter, the goal pages of every quarter among ``pages``, as their quarters' pages list them."""
    return {page.context["quarter"]: page.context["goals"] for page in pages if page.kind == "quarter"}


def _guide_pages(corpus: Corpus, guide: Guide, pages: list[PageSpec]) -> list[PageSpec]:
    """Return the guide's page in each language, rendered once the site's other pages are known: the guide links
    the site addresses it mentions where the site has them."""
    base = corpus.site.base_path
    urls = {lang: base + page_path("guide", lang) for lang in LANGUAGES}
    site_paths = frozenset(page.path for page in pages) | {page_path("guide", lang) for lang in LANGUAGES}
    made = []
    for lang in LANGUAGES:
        doc = guide.doc(lang)
        parts = render_guide(guide, lang, base, site_paths, urls)
        made.append(PageSpec("guide", lang, "", KINDS["guide"].template, doc.updated, {"guide": guide, "parts": parts}, doc.path, 0))
    return made


RECENT_QUARTERS = 4
"""A measure's page shows the entries of its last four reported quarters; older years are on pages of their own."""


def _measure_archive(outcomes: list[Outcome]) -> tuple[list[Outcome], list[tuple[int, list[Outcome]]]]:
    """Split a measure's entries (newest first) into those of its recent quarters, shown on its page, and, by
    year, newest first, every year that has an entry not shown there, with all of that year's entries."""
    recent_quarters = sorted({o.quarter for o in outcomes}, reverse=True)[:RECENT_QUARTERS]
    recent = [o for o in outcomes if o.quarter in recent_quarters]
    older_years = sorted({o.quarter.year for o in outcomes if o.quarter not in recent_quarters}, reverse=True)
    return recent, [(year, [o for o in outcomes if o.quarter.year == year]) for year in older_years]


def _goal_pages(corpus: Corpus, outcomes: list[Outcome], editions: dict[str, frozenset[str]]) -> list[GoalPage]:
    """Return a quarter's goal pages, edition by edition in corpus order, then by goal, then part by part; an entry
    whose plan or measure is unknown (reported by the checks) has no goal page."""
    grouped: dict[tuple[str, int], list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        plan = corpus.plans.get(outcome.plan)
        if plan is not None and corpus.measure(outcome.plan, outcome.measure) is not None:
            grouped[(outcome.plan, outcome_goal(outcome))].append(outcome)
    order = {plan_id: index for index, plan_id in enumerate(corpus.plans)}
    pages = []
    for (plan_id, goal), found in sorted(grouped.items(), key=lambda item: (order[item[0][0]], item[0][1])):
        slug = found[0].quarter.slug
        key = goal_key(slug, plan_id, goal, len(editions.get(slug, ())) > 1)
        parts = _goal_parts(corpus.plans[plan_id], found)
        pages += [GoalPage(key if number == 1 else f"{key}/part-{number}", plan_id, goal, part, number, len(parts))
                  for number, part in enumerate(parts, 1)]
    return pages


def _goal_parts(plan: Plan, outcomes: list[Outcome]) -> list[list[Outcome]]:
    """Return a goal's entries of a quarter cut, between measures in plan order, into parts that each weigh at most
    GOAL_PAGE_WEIGHT (a single measure heavier than that stays whole); one part where they all fit."""
    position = {measure.id: index for index, measure in enumerate(plan.measures)}
    by_measure: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_measure[outcome.measure].append(outcome)
    parts: list[list[Outcome]] = [[]]
    weight = 0
    for measure_id in sorted(by_measure, key=position.__getitem__):
        entries = by_measure[measure_id]
        added = sum(entry_weight(o) for o in entries)
        if parts[-1] and weight + added > GOAL_PAGE_WEIGHT:
            parts.append([])
            weight = 0
        parts[-1] += entries
        weight += added
    # Each part keeps the entries in the order they came (the page orders them as the tracking table does).
    kept = [set(map(entry_id, part)) for part in parts]
    return [[o for o in outcomes if entry_id(o) in ids] for ids in kept]


def _neighbours(plan: Plan, measure: Measure) -> tuple[Measure | None, Measure | None]:
    measures = plan.measures
    index = measures.index(measure)
    return (measures[index - 1] if index > 0 else None, measures[index + 1] if index + 1 < len(measures) else None)


def _roles(corpus: Corpus, agency: Agency) -> dict[str, list[Measure]]:
    """Return the measures an agency leads and co-leads, across editions, newest edition first."""
    roles: dict[str, list[Measure]] = {"lead": [], "co": []}
    for plan in reversed(list(corpus.plans.values())):
        for measure in plan.measures:
            if agency.id in measure.lead.ids:
                roles["lead"].append(measure)
            elif agency.id in measure.co.ids:
                roles["co"].append(measure)
    return roles


def _where(page: PageSpec, problems: Problems) -> str:
    """Return ``path:line`` of the file a page comes from, as editors see it; where no line applies (a plan page
    comes from its whole file), the kind and id of the page."""
    where = problems.rel(page.source) if page.source else "content"
    if page.source_line:
        return f"{where}:{page.source_line}"
    return f"{where} ({page.kind} {page.key})" if page.key else where


def _report_unsafe_paths(pages: list[PageSpec], problems: Problems) -> None:
    """Report a page whose URL path has anything but lowercase ASCII ids in it, or a name Windows reserves."""
    reported = set()
    for page in pages:
        segments = page.path.rstrip("/").split("/")
        bad = next((s for s in segments if not _SEGMENT.fullmatch(s) or _WINDOWS_RESERVED.fullmatch(s)), None)
        if bad is not None and (page.source, bad) not in reported:  # once, not once per language
            reported.add((page.source, bad))
            problems.add(page.source or "content", page.source_line,
                         bi(f"the id {bad!r} cannot be part of a web address", f"代號 {bad!r} 不能用在網址中"),
                         bi("use lowercase ASCII letters and digits joined by hyphens, e.g. tipo or 2024-2026, "
                            "and not a name Windows reserves (con, nul, aux…)",
                            "請只用半形小寫英文字母與數字，以連字號連接，例如 tipo 或 2024-2026，且不可用 con、nul、aux 等保留名稱"),
                         code="E-SLUG")


def _report_collisions(pages: list[PageSpec], problems: Problems) -> None:
    seen: dict[str, PageSpec] = {}
    for page in pages:
        # Case-insensitive disks (Windows, macOS) would merge paths differing in case, and some disks merge NFC and NFD.
        key = unicodedata.normalize("NFC", page.output_file).casefold()
        if key not in seen:
            seen[key] = page
            continue
        first, second = _where(seen[key], problems), _where(page, problems)
        problems.add(page.source or "content", page.source_line,
                     bi(f"{second} and {first} both make the page {page.output}",
                        f"{second} 與 {first} 都會產生 {page.output} 這一頁"),
                     bi("give one of them another id", "請更改其中一個的代號"), code="E-OUTPUT-COLLISION")

