"""Which pages the site has, at which permanent URL, in which language; collisions are errors."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath

from .errors import Problems
from .i18n import LANGUAGES
from .models import Agency, Corpus, Measure, Outcome, Plan, Quarter
from .sources import bi


_SECTIONS = {"agency": "agencies", "quarter": "quarters"}


def page_path(kind: str, lang: str, key: str = "") -> str:
    """Return the site-relative URL path of a page, e.g. ``zh/plans/2024-2026/measures/3.1.5/``."""
    if kind == "home":
        return f"{lang}/"
    if kind == "plan":
        return f"{lang}/plans/{key}/"
    if kind == "measure":
        plan, measure = key.split("/")
        return f"{lang}/plans/{plan}/measures/{measure}/"
    if kind in _SECTIONS:
        return f"{lang}/{_SECTIONS[kind]}/{key}/"
    if kind == "404":
        return f"{lang}/404.html"
    # Section pages with no key: agencies, quarters, search, about, sitemap, privacy, open-data.
    return f"{lang}/{kind}/"


@dataclass(frozen=True)
class PageSpec:
    """One page to render: its template, what it shows, and when what it shows last changed."""

    kind: str
    lang: str
    key: str
    template: str
    updated: date
    context: dict = field(default_factory=dict, compare=False, hash=False)
    source: str = ""
    """What the page comes from, named in collision errors."""

    @property
    def path(self) -> str:
        return page_path(self.kind, self.lang, self.key)

    @property
    def output(self) -> PurePosixPath:
        """Return the file the page is written to, relative to the site root."""
        path = self.path
        return PurePosixPath(path + "index.html" if path.endswith("/") else path)


def plan_routes(corpus: Corpus, problems: Problems) -> list[PageSpec]:
    """Return every page of the site in both languages; two pages writing one file are reported."""
    by_measure: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    by_agency: dict[str, list[Outcome]] = defaultdict(list)
    by_quarter: dict[Quarter, list[Outcome]] = defaultdict(list)
    for outcome in corpus.outcomes:
        by_measure[(outcome.plan, outcome.measure)].append(outcome)
        by_agency[outcome.agency].append(outcome)
        by_quarter[outcome.quarter].append(outcome)
    site_updated = corpus.site.updated
    content_updated = max([site_updated, *(p.updated for p in corpus.plans.values()),
                           *(o.updated for o in corpus.outcomes)])
    quarters = sorted(by_quarter, reverse=True)

    def newest(outcomes: list[Outcome], *dates: date) -> date:
        return max([*dates, *(o.updated for o in outcomes)])

    pages: list[PageSpec] = []
    for lang in LANGUAGES:
        def add(kind: str, key: str, template: str, updated: date, source: str, **context) -> None:
            pages.append(PageSpec(kind, lang, key, template, updated, context, source))

        add("home", "", "home.html", content_updated, "home", quarters=quarters, by_quarter=by_quarter)
        for plan in corpus.plans.values():
            add("plan", plan.id, "plan.html", plan.updated, problems.rel(plan.path), plan=plan,
                by_measure=by_measure)
            for measure in plan.measures:
                outcomes = sorted(by_measure.get((plan.id, measure.id), []), key=lambda o: (o.quarter, o.agency), reverse=True)
                add("measure", f"{plan.id}/{measure.id}", "measure.html", newest(outcomes, plan.updated),
                    f"{problems.rel(plan.path)}:{measure.line}", plan=plan, measure=measure, outcomes=outcomes,
                    neighbours=_neighbours(plan, measure))
        add("agencies", "", "agencies.html", max(site_updated, *(p.updated for p in corpus.plans.values())), "agencies")
        for agency in corpus.agencies.values():
            outcomes = sorted(by_agency.get(agency.id, []), key=lambda o: o.quarter, reverse=True)  # stable: corpus order within a quarter
            add("agency", agency.id, "agency.html", newest(outcomes, site_updated, *(p.updated for p in corpus.plans.values())),
                f"agencies.yaml ({agency.id})", agency=agency, outcomes=outcomes,
                roles=_roles(corpus, agency))
        add("quarters", "", "quarters.html", content_updated, "quarters", quarters=quarters, by_quarter=by_quarter)
        for quarter in quarters:
            add("quarter", quarter.slug, "quarter.html", newest(by_quarter[quarter]), f"outcomes/{quarter.id}",
                quarter=quarter, outcomes=by_quarter[quarter])
        for kind in ("search", "about", "sitemap"):
            add(kind, "", f"{kind}.html", site_updated if kind == "search" else content_updated, kind, quarters=quarters)
        add("privacy", "", "statement.html", site_updated, "privacy", statement=corpus.site.privacy, title_key="nav_privacy")
        add("open-data", "", "statement.html", site_updated, "open-data", statement=corpus.site.open_data,
            title_key="nav_open_data")
        add("404", "", "404.html", site_updated, "404")
    _report_collisions(pages, problems)
    return pages


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


def _report_collisions(pages: list[PageSpec], problems: Problems) -> None:
    seen: dict[str, PageSpec] = {}
    for page in pages:
        key = page.output.as_posix().lower()  # case-insensitive file systems would merge these
        if key in seen:
            other = seen[key]
            problems.add(page.source.split(":")[0] or "content", 0,
                         bi(f"{page.source} and {other.source} both write {page.output}",
                            f"{page.source} 與 {other.source} 都會產生 {page.output}"),
                         bi("give one of them another id", "請更改其中一個的代號"), code="E-OUTPUT-COLLISION")
        else:
            seen[key] = page
