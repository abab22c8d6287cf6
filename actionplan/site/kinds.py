"""Every kind of page the site has, declared once: its address, its template, what it shows, what it tells the search,
and which edits of entries it must be rendered again for.

This is the extension point for a new kind of report: declare its pages here, plan them in ``routes``, give them
templates. The rest of the site (addresses, search facets, what a patch re-renders, what the build keeps of a page,
the tests' checks of every kind) reads this table instead of matching kind names of its own.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..content.documents import KIND_LABELS
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
    """The type the search page's filter gives it: ``measure``, ``agency``, ``quarter``, ``plan``, ``document``, or ``page``. A page
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
    anchors: Callable[[Context, str], Iterable[str]] | None = None
    """The fragment ids an editor may link to on it besides ``main`` and its entries' (``routes.page_anchors``), in a
    language: the goals, strategies and measures it lays out, its chapters, its sections."""
    entry_anchors: bool = True
    """Whether the entries it lists have their anchors on it; a page that links them at their goal page has none."""
    segment: Callable[[str], str] | None = None
    """Where the page's key is not its address's parts as they are: the address below the language folder."""
    filters: Callable[[Context], Iterable[tuple[str, str]]] | None = None
    """The search filters' values the page declares besides those its measures and entries give (``facets``): a
    white paper's response gives its status and agency."""

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


CHAPTERS = ("preface", "vision", "implementation", "tracking", "attachment")
"""A plan's chapters, each an anchor of the plan's page where the plan has it."""


def structure_ids(measure_ids: Iterable[str]) -> set[str]:
    """Return the anchors of the goals, strategies and measures of ``measure_ids`` where a page lays them out."""
    ids = set()
    for measure_id in measure_ids:
        goal, strategy, number = measure_id.split(".")
        ids.update((f"goal-{goal}", f"strategy-{goal}-{strategy}", f"measure-{goal}-{strategy}-{number}"))
    return ids


def _plan_anchors(context: Context, lang: str) -> set[str]:
    plan = context["plan"]
    return {*structure_ids(m.id for m in plan.measures), *(c for c in CHAPTERS if getattr(plan, c)), "measures"}


def _quarter_anchors(context: Context, lang: str) -> set[str]:
    # The overview lists the quarter's goals and agencies; its entries are on the goal pages.
    return {f"by-{index}-{plan}" for index in ("goal", "agency") for plan in {o.plan for o in context["outcomes"]}}


def _goal_label(context: Context, lang: str) -> str:
    number = context["goal"].number
    goal = f"目標{chinese_number(number)}" if lang == "zh" else f"Goal {number}"
    return f"{quarter_months(context['quarter'], lang)} · {goal}"


def _agency_label(context: Context, lang: str) -> str:
    return context["agency"].abbr or ""


def _document_label(context: Context, lang: str) -> str:
    return KIND_LABELS[context["document"].kind].get(lang)


def _statement(name: str) -> PageKind:
    return PageKind(name, f"{name}/", "statement.html")


KINDS: dict[str, PageKind] = {kind.name: kind for kind in (
    PageKind("home", "", "home.html", scope="site"),
    PageKind("plan", "plans/{plan}/", "plan.html", search_type="plan", scope="plans",
             label=lambda c, lang: c["plan"].edition.get(lang), measures_shown=lambda c: c["plan"].measures,
             anchors=_plan_anchors),
    PageKind("measure", "plans/{plan}/measures/{measure}/", "measure.html", search_type="measure", scope="measures",
             shows_entries=True, label=lambda c, lang: f"{c['measure'].id} · {c['plan'].edition.get(lang)}",
             measures_shown=lambda c: [c["measure"]]),
    PageKind("measure-year", "plans/{plan}/measures/{measure}/{year}/", "measure_year.html", search_type="measure",
             scope="measure_years", shows_entries=True,
             label=lambda c, lang: f"{c['measure'].id} · {c['plan'].edition.get(lang)} · {c['year']}",
             measures_shown=lambda c: [c["measure"]]),
    PageKind("agencies", "agencies/", "agencies.html"),
    PageKind("agency", "agencies/{agency}/", "agency.html", search_type="agency", scope="agencies",
             shows_entries=True, label=_agency_label, entry_anchors=False,
             measures_shown=lambda c: [*c["roles"]["lead"], *c["roles"]["co"]]),
    PageKind("agency-quarter", "agencies/{agency}/{quarter}/", "agency_quarter.html", search_type="agency",
             scope="agency_quarters", shows_entries=True, label=_agency_label, entry_anchors=False),
    PageKind("quarters", "quarters/", "quarters.html", scope="site"),
    PageKind("quarter", "quarters/{quarter}/", "quarter.html", search_type="quarter", scope="quarters",
             shows_entries=True, kept=("quarter", "goals"), entry_anchors=False, anchors=_quarter_anchors,
             label=lambda c, lang: quarter_months(c["quarter"], lang)),
    PageKind("quarter-goal", "quarters/{quarter}/…", "quarter_goal.html", search_type="quarter", scope="quarters",
             shows_entries=True, kept=("outcomes",), label=_goal_label, segment=goal_segment,
             anchors=lambda c, lang: structure_ids(o.measure for o in c["outcomes"])),
    PageKind("tracking", "quarters/{quarter}/tracking/", "tracking.html", scope="quarters", shows_entries=True,
             anchors=lambda c, lang: {f"agency-{group.agency.id}" for group in c["report"].groups}),
    PageKind("search", "search/", "search.html", scope="site"),
    PageKind("about", "about/", "about.html", scope="site"),
    PageKind("sitemap", "sitemap/", "sitemap.html", scope="site"),
    _statement("privacy"),
    # Lists the datasets with their sizes and dates, which every edit of an entry may change.
    PageKind("open-data", "open-data/", "open_data.html", scope="site"),
    PageKind("guide", "guide/", "guide.html", anchors=lambda c, lang: c["guide"].doc(lang).anchors),
    # A white paper and the agencies' responses to it (content/whitepaper.py, whitepaper_pages.py): no outcome entry.
    PageKind("whitepaper", "whitepapers/{whitepaper}/", "whitepaper.html", search_type="whitepaper",
             label=lambda c, lang: str(c["paper"].year)),
    PageKind("whitepaper-issue", "whitepapers/{whitepaper}/issues/{issue}/…", "whitepaper_issue.html",
             search_type="whitepaper", label=lambda c, lang: c["paper"].issue_label(c["issue"], lang),
             segment=lambda key: "whitepapers/{}/issues/{}/".format(*key.split("/", 1)),
             filters=lambda c: [("agency", r.agency) for r in c["responses"]]),
    PageKind("whitepaper-response", "whitepapers/{whitepaper}/responses/{response}/", "whitepaper_response.html",
             search_type="response", label=lambda c, lang: c["paper"].recommendation_label(c["recommendation"], lang),
             filters=lambda c: [("agency", c["response"].agency),
                                *(("status", choice.status) for choice in c["response"].statuses)]),
    PageKind("whitepaper-agency", "whitepapers/{whitepaper}/agencies/{agency}/", "whitepaper_agency.html",
             search_type="whitepaper", label=_agency_label, filters=lambda c: [("agency", c["agency"].id)]),
    PageKind("whitepaper-status", "whitepapers/{whitepaper}/status/{status}/", "whitepaper_status.html",
             search_type="whitepaper", filters=lambda c: [("status", c["status"])]),
    PageKind("documents", "documents/", "documents.html"),
    PageKind("document", "documents/{document}/", "document.html", search_type="document", label=_document_label,
             measures_shown=lambda c: c["measures"], anchors=lambda c, lang: c["part"].anchors),
    PageKind("document-part", "documents/{document}/{part}/", "document.html", search_type="document",
             label=_document_label, measures_shown=lambda c: c["measures"], anchors=lambda c, lang: c["part"].anchors),
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
