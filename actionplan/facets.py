"""What a page tells the search besides its text: its type, the editions, goals, agencies and quarters it covers
(the search page's filters), and the quarters it sorts by."""
from __future__ import annotations

from dataclasses import dataclass

from .i18n import chinese_number, quarter_months
from .models import Corpus, Measure, Outcome
from .routes import PageSpec

FILTERS = ("type", "edition", "goal", "agency", "quarter")
"""The filters of the search page, in the order it shows them."""

NO_NEWEST, NO_OLDEST = "0000-Q0", "9999-Q9"
"""A page with no quarter sorts last both ways: its newest quarter is before all, its oldest after all."""

_TYPES = frozenset({"measure", "agency", "quarter", "plan"})
"""Page kinds the search names by kind; every other page is of type ``page``."""
_ARCHIVES = {"quarter-goal": "quarter", "measure-year": "measure", "agency-quarter": "agency"}
"""Pages that hold part of a page of a kind the search names: they are of its type."""


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
    measures = [*_measures_shown(page), *(m for m in (corpus.measure(o.plan, o.measure) for o in outcomes) if m)]
    # A goal of a quarter's report is a quarter page to the search: the report is cut in pages by goal.
    # So are a measure's year pages and an agency's quarter pages its measure's and agency's.
    page_type = _ARCHIVES.get(page.kind, page.kind if page.kind in _TYPES else "page")
    values: set[tuple[str, str]] = {("type", page_type)}
    if page.kind == "plan":
        values.add(("edition", context["plan"].id))
    for measure in measures:
        values.update({("edition", measure.plan), ("goal", goal_value(measure.plan, measure.goal))})
    # An agency's page is that agency's alone, not that of every agency it shares a measure with.
    agencies = ({context["agency"].id} if page_type == "agency" else
                {agency for m in measures for agency in (*m.lead.ids, *m.co.ids)} | {o.agency for o in outcomes})
    values.update(("agency", agency) for agency in agencies)
    quarters = sorted({o.quarter.id for o in outcomes})
    values.update(("quarter", q) for q in quarters)
    return Facets(
        type=page_type,
        label=_label(page, corpus),
        filters=tuple(sorted(values, key=lambda v: (FILTERS.index(v[0]), v[1]))),
        newest=quarters[-1] if quarters else NO_NEWEST,
        oldest=quarters[0] if quarters else NO_OLDEST,
    )


def _measures_shown(page: PageSpec) -> list[Measure]:
    """Return the measures a page lays out besides those of its entries."""
    context = page.context
    if page.kind in ("measure", "measure-year"):
        return [context["measure"]]
    if page.kind == "plan":
        return list(context["plan"].measures)
    if page.kind == "agency":
        return [*context["roles"]["lead"], *context["roles"]["co"]]
    return []


def _label(page: PageSpec, corpus: Corpus) -> str:
    context, lang = page.context, page.lang
    if page.kind == "measure":
        return f"{context['measure'].id} · {context['plan'].edition.get(lang)}"
    if page.kind == "plan":
        return context["plan"].edition.get(lang)
    if page.kind == "quarter":
        return quarter_months(context["quarter"], lang)
    if page.kind == "quarter-goal":
        number = context["goal"].number
        goal = f"目標{chinese_number(number)}" if lang == "zh" else f"Goal {number}"
        return f"{quarter_months(context['quarter'], lang)} · {goal}"
    if page.kind in ("agency", "agency-quarter"):
        return context["agency"].abbr or ""
    if page.kind == "measure-year":
        return f"{context['measure'].id} · {context['plan'].edition.get(lang)} · {context['year']}"
    return ""
