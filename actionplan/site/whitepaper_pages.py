"""The pages of the white papers, in both languages: each white paper's overview (counts by status and by agency, a
chart with its table, its issues), a page per issue, per response, per responding agency and per status."""
from __future__ import annotations

from collections import defaultdict

from ..content.i18n import LANGUAGES
from ..content.models import Corpus
from ..content.whitepaper import STATUSES, WhitePaper, several, status_counts
from .kinds import KINDS


def whitepaper_pages(corpus: Corpus, page_spec: type) -> list:
    """Return every page of every white paper, in both languages, as ``page_spec`` (``routes.PageSpec``, which
    routes passes in: routes calls this module, so it cannot be imported from here)."""
    pages: list = []
    for lang in LANGUAGES:
        for paper in corpus.whitepapers.values():
            pages += _paper_pages(corpus, paper, lang, page_spec)
    return pages


def agency_tally(paper: WhitePaper) -> list[tuple[str, dict[str, int], int]]:
    """Return, for each responding agency in the order of its first response, its counts by status and how many
    responses it gave."""
    by_agency: dict[str, list] = defaultdict(list)
    for response in paper.responses:
        by_agency[response.agency].append(response)
    return [(agency, status_counts(responses), len(responses)) for agency, responses in by_agency.items()]


def _paper_pages(corpus: Corpus, paper: WhitePaper, lang: str, page_spec: type) -> list:
    made: list = []

    def add(kind: str, key: str, line: int = 0, **context) -> None:
        made.append(page_spec(kind, lang, key, KINDS[kind].template, paper.updated, {"paper": paper, **context},
                             paper.path, line))

    counts = status_counts(paper.responses)
    tally = agency_tally(paper)
    alone = status_counts(r for r in paper.responses if len(r.statuses) == 1)
    add("whitepaper", paper.id, counts=counts, alone=alone, several=several(paper.responses), tally=tally)
    for issue in paper.issues:
        parts = paper.issue_parts[issue.key]
        for number, recommendations in enumerate(parts, start=1):
            ids = {rec.id for rec in recommendations}
            responses = [r for r in paper.responses if r.recommendation in ids]
            key = f"{paper.id}/{issue.key}" + (f"/part-{number}" if number > 1 else "")
            add("whitepaper-issue", key, issue.line, issue=issue, recommendations=recommendations,
                responses=responses, part=(number, len(parts)))
    by_id = paper.recommendations_by_id
    for response in paper.responses:
        recommendation = by_id[response.recommendation]
        add("whitepaper-response", f"{paper.id}/{response.slug}", recommendation.line, response=response,
            recommendation=recommendation, issue=paper.issue_of(response))
    for agency_id, agency_counts, total in tally:
        agency = corpus.agencies.get(agency_id)
        if agency is not None:
            add("whitepaper-agency", f"{paper.id}/{agency_id}", agency=agency, counts=agency_counts,
                responses=[r for r in paper.responses if r.agency == agency_id])
    for status in STATUSES:
        add("whitepaper-status", f"{paper.id}/{status}", status=status, counts=counts,
            responses=[r for r in paper.responses if any(c.status == status for c in r.statuses)])
    return made
