"""What a page tells the search besides its text: its type, the editions, goals, agencies and quarters it covers
(the search page's filters), and the quarters it sorts by."""
from __future__ import annotations

from dataclasses import dataclass

from .i18n import quarter_months
from .models import Corpus, Measure, Outcome, Plan
from .routes import PageSpec

FILTERS = ("type", "edition", "goal", "agency", "quarter")
"""The filters of the search page, in the order it shows them."""

NO_NEWEST, NO_OLDEST = "0000-Q0", "9999-Q9"
"""A page with no quarter sorts last both ways: its newest quarter is before all, its oldest after all."""

_TYPES = {"measure": "measure", "agency": "agency", "quarter": "quarter", "plan": "plan"}


@dataclass(frozen=True)
class Facets:
    type: str
    """measure, agency, quarter, plan, or page for everything else."""
    label: str
    """What the search shows beside the type: the measure's number and edition, the quarter's months, the plan's
    edition, the agency's abbreviation; empty for other pages."""
    filters: tuple[tuple[str, str], ...]
    """(filter, value) pairs, sorted: edition ``2024-2026``, goal ``2024-2026/3``, agency ``tipo``, quarter ``2018-Q3``."""
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
    measures: list[Measure] = []
    if page.kind == "measure":
        measures = [context["measure"]]
    elif page.kind == "plan":
        measures = list(context["plan"].measures)
    elif page.kind == "agency":
        measures = [*context["roles"]["lead"], *context["roles"]["co"]]
    measures += [m for m in (corpus.measure(o.plan, o.measure) for o in outcomes) if m is not None]

    values: set[tuple[str, str]] = {("type", _TYPES.get(page.kind, "page"))}
    if page.kind == "plan":
        plan: Plan = context["plan"]
        values.add(("edition", plan.id))
    for measure in measures:
        values.update({("edition", measure.plan), ("goal", goal_value(measure.plan, measure.goal)),
                       *(("agency", agency) for agency in (*measure.lead.ids, *measure.co.ids))})
    if page.kind == "agency":
        values = {v for v in values if v[0] != "agency"} | {("agency", context["agency"].id)}
    values.update(("agency", o.agency) for o in outcomes if page.kind != "agency")
    quarters = sorted({o.quarter.id for o in outcomes})
    values.update(("quarter", q) for q in quarters)
    return Facets(
        type=_TYPES.get(page.kind, "page"),
        label=_label(page, corpus),
        filters=tuple(sorted(values, key=lambda v: (FILTERS.index(v[0]), v[1]))),
        newest=quarters[-1] if quarters else NO_NEWEST,
        oldest=quarters[0] if quarters else NO_OLDEST,
    )


def _label(page: PageSpec, corpus: Corpus) -> str:
    context, lang = page.context, page.lang
    if page.kind == "measure":
        return f"{context['measure'].id} · {context['plan'].edition.get(lang)}"
    if page.kind == "plan":
        return context["plan"].edition.get(lang)
    if page.kind == "quarter":
        return quarter_months(context["quarter"], lang)
    if page.kind == "agency":
        return context["agency"].abbr or ""
    return ""
