"""Every kind of page the site has, declared once: its address, its template, what it shows, what it tells the search,
and which edits of entries it must be rendered again for.

This is the extension point for a new kind of report: declare its pages here, plan them in ``routes``, give them
templates. The rest of the site (addresses, search facets, what a patch re-renders, what the build keeps of a page,
the tests' checks of every kind) reads this table instead of matching kind names of its own.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..content.i18n import chinese_number, quarter_months
from ..content.models import Measure, Outcome

Context = dict
"""A page's context, as ``PageSpec.context`` holds it."""


@dataclass(frozen=True)
class PageKind:
    """One kind of page."""

    name: str
    """As ``PageSpec.kind`` names it."""
    path: str
    """Its address below the language folder, with the parts of the page's key in braces, in order:
    ``plans/{plan}/measures/{measure}/``. A key's parts are separated by ``/``."""
    template: str
    """The template it is rendered with (several kinds may share one)."""
    search_type: str = "page"
    """The type the search page's filter gives it: ``measure``, ``agency``, ``quarter``, ``plan``, or ``page``. A page
    that holds part of another kind's page (a measure's year, a quarter's goal) is of that kind's type."""
    scope: str | None = None
    """Which edits of entries it shows (``routes.Scope``): ``site`` for every edit (it lists every quarter), the name
    of a ``Scope`` field whose values are page keys (``plans``, ``measures``, ``agencies``…), ``quarters`` for a page
    keyed first by its quarter, or None for none: no entry, nor anything made of one, is in its context."""
    shows_entries: bool = False
    """Whether its context holds entries (``Outcome``) or what is made of them (a tracking report): the pages a patch
    must render again when an entry's text changes. Only a kind with a ``scope`` may. Planning a page that holds
    entries directly, or in a list, tuple or dict, of a kind that does not declare it fails (``check_context``)."""
    kept: tuple[str, ...] = ()
    """What of its context the build keeps for the next build's patch (``kept_build.outline``)."""
    label: Callable[[Context, str], str] | None = None
    """What the search shows beside the type, in a language; nothing where None."""
    measures_shown: Callable[[Context], Iterable[Measure]] | None = None
    """The measures it lays out besides those of its entries, which the search's edition, goal and agency filters
    count."""
    segment: Callable[[str], str] | None = None
    """Where the page's key is not its address's parts as they are: the address below the language folder."""

    def address(self, lang: str, key: str) -> str:
        """Return the page's site-relative URL path in ``lang``, e.g. ``zh/plans/2024-2026/measures/3.1.5/``."""
        if self.segment is not None:
            return f"{lang}/{self.segment(key)}"
        if "{" not in self.path:
            return f"{lang}/{self.path}"
        names = [part[1:-1] for part in self.path.split("/") if part.startswith("{")]
        return f"{lang}/" + self.path.format(**dict(zip(names, key.split("/"), strict=True)))


def goal_segment(key: str) -> str:
    """Return the path of a goal page: ``quarters/2018-q3/goal-3`` or ``quarters/2018-q3/2018-goal-3`` where the quarter
    has entries under two editions, and ``…/goal-3/part-2/`` for the second part of a goal cut in parts."""
    quarter, *plan, goal = key.split("/")
    part = ""
    if goal.startswith("part-"):
        part, goal = "/" + goal, plan.pop()
    return "quarters/" + (f"{quarter}/{plan[0]}-goal-{goal}" if plan else f"{quarter}/goal-{goal}") + part + "/"


def _goal_label(context: Context, lang: str) -> str:
    number = context["goal"].number
    goal = f"目標{chinese_number(number)}" if lang == "zh" else f"Goal {number}"
    return f"{quarter_months(context['quarter'], lang)} · {goal}"


def _agency_label(context: Context, lang: str) -> str:
    return context["agency"].abbr or ""


def _statement(name: str) -> PageKind:
    return PageKind(name, f"{name}/", "statement.html")


KINDS: dict[str, PageKind] = {kind.name: kind for kind in (
    PageKind("home", "", "home.html", scope="site"),
    PageKind("plan", "plans/{plan}/", "plan.html", search_type="plan", scope="plans",
             label=lambda c, lang: c["plan"].edition.get(lang), measures_shown=lambda c: c["plan"].measures),
    PageKind("measure", "plans/{plan}/measures/{measure}/", "measure.html", search_type="measure", scope="measures",
             shows_entries=True, label=lambda c, lang: f"{c['measure'].id} · {c['plan'].edition.get(lang)}",
             measures_shown=lambda c: [c["measure"]]),
    PageKind("measure-year", "plans/{plan}/measures/{measure}/{year}/", "measure_year.html", search_type="measure",
             scope="measure_years", shows_entries=True,
             label=lambda c, lang: f"{c['measure'].id} · {c['plan'].edition.get(lang)} · {c['year']}",
             measures_shown=lambda c: [c["measure"]]),
    PageKind("agencies", "agencies/", "agencies.html"),
    PageKind("agency", "agencies/{agency}/", "agency.html", search_type="agency", scope="agencies",
             shows_entries=True, label=_agency_label,
             measures_shown=lambda c: [*c["roles"]["lead"], *c["roles"]["co"]]),
    PageKind("agency-quarter", "agencies/{agency}/{quarter}/", "agency_quarter.html", search_type="agency",
             scope="agency_quarters", shows_entries=True, label=_agency_label),
    PageKind("quarters", "quarters/", "quarters.html", scope="site"),
    PageKind("quarter", "quarters/{quarter}/", "quarter.html", search_type="quarter", scope="quarters",
             shows_entries=True, kept=("quarter", "goals"),
             label=lambda c, lang: quarter_months(c["quarter"], lang)),
    PageKind("quarter-goal", "quarters/{quarter}/…", "quarter_goal.html", search_type="quarter", scope="quarters",
             shows_entries=True, kept=("outcomes",), label=_goal_label, segment=goal_segment),
    PageKind("tracking", "quarters/{quarter}/tracking/", "tracking.html", scope="quarters", shows_entries=True),
    PageKind("search", "search/", "search.html", scope="site"),
    PageKind("about", "about/", "about.html", scope="site"),
    PageKind("sitemap", "sitemap/", "sitemap.html", scope="site"),
    _statement("privacy"),
    _statement("open-data"),
    PageKind("guide", "guide/", "guide.html"),
    PageKind("404", "404.html", "404.html"),
)}


def kind_of(name: str) -> PageKind:
    """Return the declared kind named ``name``."""
    return KINDS[name]


class UndeclaredEntries(AssertionError):
    """A page holds entries its kind does not declare it shows: a patch would leave it stale. A mistake in the code,
    not in the content."""


def check_context(kind: PageKind, context: Context) -> None:
    """Raise UndeclaredEntries where a page of ``kind`` holds entries and the kind does not declare it shows them,
    the rule that makes a patch after an edit of entries render every page the edit changes (``routes.Scope``)."""
    if not kind.shows_entries and entries_in(context):
        raise UndeclaredEntries(f"a page of kind {kind.name!r} holds entries: declare shows_entries and a scope "
                                f"for it in actionplan/site/kinds.py, or give it counts instead of entries")


def entries_in(context: Context) -> list[Outcome]:
    """Return the entries a page's context holds, directly or in a list, tuple or dict of its values."""
    found = []
    for value in context.values():
        values = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else (value,)
        found.extend(item for item in values if isinstance(item, Outcome))
    return found
