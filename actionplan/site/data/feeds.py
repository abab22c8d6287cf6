"""Atom feeds (RFC 4287) of the entries: the whole site's, and each agency's, measure's and quarter's, in each language.

Written with feedgen. Nothing in a feed comes from the build's clock: feedgen stamps ``updated`` with the time of
writing and names itself as generator unless told otherwise, so both are set, ``updated`` from the entries' own dates.
Ids are ``urn:uuid:`` names made from the feed's address or the entry's edition, quarter, measure, agency and language,
so that they stay the same whatever the site's domain turns out to be."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

from ...content import markdown
from ...content.i18n import HTML_LANG, LANGUAGES, Strings, quarter_label
from ...content.models import Corpus, Outcome
from ...content.tracking import name_in
from .addresses import Urls, entry_key, feed_path
from .tables import LICENCE

TAIPEI = timezone(timedelta(hours=8), "Asia/Taipei")
"""Entries are dated by day in Taiwan: a feed's times are that day's start there."""
RECENT_QUARTERS = 4
"""The site's, an agency's and a measure's feed hold the entries of their last four quarters; a quarter's, all of its."""
_NAMESPACE = uuid.UUID("6f1b7c52-3c1e-5d7a-9a43-5c0f0e6b2a10")
"""The namespace of the feeds' and entries' ids (fixed once: changing it would change every id)."""
GENERATOR = "actionplan"


def feed_id(path: str) -> str:
    """Return the Atom id of the feed at ``path``."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'feed:' + path)}"


def entry_atom_id(outcome: Outcome, lang: str) -> str:
    """Return the Atom id of an entry in a language's feeds: the same in every feed of that language."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'entry:' + lang + ':' + '/'.join(entry_key(outcome)))}"


def stamp(day: date) -> datetime:
    """Return the moment a day starts in Taiwan, as Atom dates things."""
    return datetime(day.year, day.month, day.day, tzinfo=TAIPEI)


def _recent(outcomes: list[Outcome]) -> list[Outcome]:
    """Return the entries of the last RECENT_QUARTERS quarters among ``outcomes``, newest quarter first."""
    quarters = sorted({o.quarter for o in outcomes}, reverse=True)[:RECENT_QUARTERS]
    return _newest_first([o for o in outcomes if o.quarter in quarters])


def _newest_first(outcomes: list[Outcome]) -> list[Outcome]:
    return sorted(outcomes, key=lambda o: (o.quarter, o.updated), reverse=True)  # stable: corpus order within


def feeds(corpus: Corpus, urls: Urls) -> Iterator[tuple[str, bytes]]:
    """Return every feed's path below the site's root and its bytes."""
    by_agency: dict[str, list[Outcome]] = {}
    by_measure: dict[str, list[Outcome]] = {}
    for outcome in corpus.outcomes:
        by_agency.setdefault(outcome.agency, []).append(outcome)
        by_measure.setdefault(f"{outcome.plan}/{outcome.measure}", []).append(outcome)
    for lang in LANGUAGES:
        writer = _Writer(corpus, urls, lang)
        yield writer.feed("home", "", corpus.site.title.get(lang), _recent(list(corpus.outcomes)))
        for agency in corpus.agencies.values():
            yield writer.feed("agency", agency.id, agency.name(lang), _recent(by_agency.get(agency.id, [])))
        for plan in corpus.plans.values():
            for measure in plan.measures:
                key = f"{plan.id}/{measure.id}"
                title = f"{writer.strings.get('measure', lang)} {measure.id} {measure.text.get(lang)}"
                yield writer.feed("measure", key, title, _recent(by_measure.get(key, [])))
        for quarter, outcomes in sorted(corpus.outcomes_by_quarter.items(), reverse=True):
            yield writer.feed("quarter", quarter.slug, quarter_label(quarter, lang), _newest_first(list(outcomes)))


class _Writer:
    """Writes the feeds of one language."""

    def __init__(self, corpus: Corpus, urls: Urls, lang: str) -> None:
        self.corpus, self.urls, self.lang = corpus, urls, lang
        self.strings = Strings(corpus.strings)

    def feed(self, kind: str, key: str, title: str, outcomes: list[Outcome]) -> tuple[str, bytes]:
        """Return the path and bytes of the feed of a page, holding ``outcomes`` in that order."""
        from feedgen.feed import FeedGenerator  # only a build that writes data needs it

        site, lang = self.corpus.site, self.lang
        path = feed_path(lang, kind, key)
        generator = FeedGenerator()
        generator.id(feed_id(path))
        generator.title(title if kind == "home" else f"{title} | {site.short_title.get(lang)}")
        generator.author({"name": site.publisher.get(lang)})
        generator.link(href=self.urls.page(kind, lang, key), rel="alternate", type="text/html")
        generator.link(href=self.urls.file(path), rel="self", type="application/atom+xml")
        generator.language(HTML_LANG[lang])
        generator.generator(GENERATOR)
        generator.rights(LICENCE.get(lang))
        generator.updated(stamp(max([site.updated, *(o.updated for o in outcomes)]) if outcomes else site.updated))
        for outcome in outcomes:
            entry = generator.add_entry(order="append")
            entry.id(entry_atom_id(outcome, lang))
            entry.title(self.entry_title(outcome))
            entry.link(href=self.urls.entry(outcome, lang), rel="alternate", type="text/html")
            entry.updated(stamp(outcome.updated))
            entry.content(self.entry_html(outcome), type="html")
        return path, generator.atom_str(pretty=True)

    def entry_title(self, outcome: Outcome) -> str:
        """Return 執行措施 3.1.1 · 法務部調查局 · 民國107年第3季: the measure, the agency as then named, the quarter."""
        agency = self.corpus.agencies.get(outcome.agency)
        name = name_in(agency, outcome.quarter).get(self.lang) if agency is not None else outcome.agency
        return " · ".join((f"{self.strings.get('measure', self.lang)} {outcome.measure}", name,
                           quarter_label(outcome.quarter, self.lang)))

    def entry_html(self, outcome: Outcome) -> str:
        """Return the entry's text as the site shows it; Chinese standing in for English says so and carries its lang."""
        html = markdown.render(outcome.body.get(self.lang), 2)
        if outcome.body.is_fallback(self.lang):
            note = self.strings.get("translation_pending_block", self.lang)
            return f'<p>{_escape(note)}</p><div lang="{HTML_LANG["zh"]}">{html}</div>'
        return html


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

