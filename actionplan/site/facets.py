"""What a page tells the search besides its text: its type, the editions, goals, agencies and quarters it covers
(the search page's filters), and the quarters it sorts by."""
from __future__ import annotations

from dataclasses import dataclass

from ..content.models import Corpus, Outcome
from .kinds import KINDS
from .routes import PageSpec

FILTERS = ("type", "edition", "goal", "agency", "status", "quarter")
"""The filters of the search page, in the order it shows them."""

NO_NEWEST, NO_OLDEST = "0000-Q0", "9999-Q9"
"""A page with no quarter sorts last both ways: its newest quarter is before all, its oldest after all."""

@dataclass(frozen=True)
class Facets:
    type: str
    """measure, agency, quarter, plan, or page for everything else."""
    label: str
    """What the search shows beside the type: the measure's number and edition, the quarter's months, the plan's
    edition, the agency's abbreviation; empty for other pages."""
    filters: tuple[tuple[str, str], ...]
    """(filter, value) pairs, sorted: edition ``2024-2026``, goal ``2024-2026/3``, agency ``tipo``, status
    ``adopted`` (a white paper's response), quarter ``2018-Q3``."""
    newest: str
    """The latest quarter the page reports, ``2018-Q3``; NO_NEWEST where it reports none."""
    oldest: str
    """The earliest quarter the page reports; NO_OLDEST where it reports none."""


def goal_value(plan_id: str, goal: int) -> str:
    return f"{plan_id}/{goal}"


def page_facets(page: PageSpec, corpus: Corpus) -> Facets:
    """Return what ``page`` declares to the search index."""
    context = page.context
    outcomes: list[Outcome] = list(context.get("outcomes", ()))
    kind = KINDS[page.kind]
    shown = list(kind.measures_shown(context)) if kind.measures_shown else []
    measures = [*shown, *(m for m in (corpus.measure(o.plan, o.measure) for o in outcomes) if m)]
    # A goal of a quarter's report is a quarter page to the search: the report is cut in pages by goal. So are a
    # measure's year pages and an agency's quarter pages its measure's and agency's (``PageKind.search_type``).
    page_type = kind.search_type
    values: set[tuple[str, str]] = {("type", page_type)}
    if page.kind == "plan":
        values.add(("edition", context["plan"].id))
    for measure in measures:
        values.update({("edition", measure.plan), ("goal", goal_value(measure.plan, measure.goal))})
    # An agency's page is that agency's alone, not that of every agency it shares a measure with.
    agencies = ({context["agency"].id} if page_type == "agency" else
                {agency for m in measures for agency in (*m.lead.ids, *m.co.ids)} | {o.agency for o in outcomes})
    values.update(("agency", agency) for agency in agencies)
    if kind.filters is not None:
        values.update(kind.filters(context))
    quarters = sorted({o.quarter.id for o in outcomes})
    values.update(("quarter", q) for q in quarters)
    return Facets(
        type=page_type,
        label=kind.label(context, page.lang) if kind.label else "",
        filters=tuple(sorted(values, key=lambda v: (FILTERS.index(v[0]), v[1]))),
        newest=quarters[-1] if quarters else NO_NEWEST,
        oldest=quarters[0] if quarters else NO_OLDEST,
    )
