"""Atom feeds (RFC 4287) of the entries: the whole site's, and each agency's, measure's and quarter's, in each language.

Written with feedgen. Nothing in a feed comes from the build's clock: feedgen stamps ``updated`` with the time of
writing and names itself as generator unless told otherwise, so both are set, ``updated`` from the entries' own dates.
Ids are ``urn:uuid:`` names made from the feed's address or the entry's edition, quarter, measure, agency and language,
so that they stay the same whatever the site's domain turns out to be."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from ...content.markdown import RenderedTexts
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
    # Stable: corpus order within. The key is plain numbers: comparing Quarter objects costs a method call each.
    return sorted(outcomes, key=lambda o: (o.quarter.year, o.quarter.number, o.updated), reverse=True)


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed, as the feed writes it."""

    id: str
    title: str
    link: str | None
    updated: date
    html: str


@dataclass(frozen=True)
class FeedSpec:
    """Everything one feed is written from: two equal specs give the same bytes."""

    path: str
    """Below the site's root: ``feeds/zh/site.atom``."""
    lang: str
    title: str
    author: str
    page: str
    """The address of the page the feed is of."""
    address: str
    """The feed's own address."""
    rights: str
    updated: date
    entries: tuple[FeedEntry, ...]


def feed_specs(corpus: Corpus, urls: Urls, texts: RenderedTexts, known) -> list[FeedSpec]:
    """Return what every feed is written from: the site's, each agency's, measure's and quarter's, in each language.
    The entries' HTML is ``texts``'s, made once for the build; an entry's feed entry is ``known``'s
    (``files._Known``) where it was made of the same entry before."""
    by_agency: dict[str, list[Outcome]] = {}
    by_measure: dict[str, list[Outcome]] = {}
    for outcome in corpus.outcomes:
        by_agency.setdefault(outcome.agency, []).append(outcome)
        by_measure.setdefault(f"{outcome.plan}/{outcome.measure}", []).append(outcome)
    specs = []
    for lang in LANGUAGES:
        writer = _Writer(corpus, urls, lang, texts, known)
        specs.append(writer.spec("home", "", corpus.site.title.get(lang), _recent(list(corpus.outcomes))))
        for agency in corpus.agencies.values():
            specs.append(writer.spec("agency", agency.id, agency.name(lang), _recent(by_agency.get(agency.id, []))))
        for plan in corpus.plans.values():
            for measure in plan.measures:
                key = f"{plan.id}/{measure.id}"
                title = f"{writer.strings.get('measure', lang)} {measure.id} {measure.text.get(lang)}"
                specs.append(writer.spec("measure", key, title, _recent(by_measure.get(key, []))))
        for quarter, outcomes in sorted(corpus.outcomes_by_quarter.items(), reverse=True):
            specs.append(writer.spec("quarter", quarter.slug, quarter_label(quarter, lang), _newest_first(list(outcomes))))
    return specs


def feed_bytes(spec: FeedSpec) -> bytes:
    """Return the Atom feed ``spec`` describes."""
    from feedgen.feed import FeedGenerator  # only a build that writes data needs it

    generator = FeedGenerator()
    generator.id(feed_id(spec.path))
    generator.title(spec.title)
    generator.author({"name": spec.author})
    generator.link(href=spec.page, rel="alternate", type="text/html")
    generator.link(href=spec.address, rel="self", type="application/atom+xml")
    generator.language(HTML_LANG[spec.lang])
    generator.generator(GENERATOR)
    generator.rights(spec.rights)
    generator.updated(stamp(spec.updated))
    for item in spec.entries:
        entry = generator.add_entry(order="append")
        entry.id(item.id)
        entry.title(item.title)
        entry.link(href=item.link, rel="alternate", type="text/html")
        entry.updated(stamp(item.updated))
        entry.content(item.html, type="html")
    return generator.atom_str(pretty=True)


class _Writer:
    """Describes the feeds of one language."""

    def __init__(self, corpus: Corpus, urls: Urls, lang: str, texts: RenderedTexts, known) -> None:
        self.corpus, self.urls, self.lang, self.texts, self.known = corpus, urls, lang, texts, known
        self.strings = Strings(corpus.strings)

    def spec(self, kind: str, key: str, title: str, outcomes: list[Outcome]) -> FeedSpec:
        """Return what the feed of a page is written from, holding ``outcomes`` in that order."""
        site, lang = self.corpus.site, self.lang
        path = feed_path(lang, kind, key)
        return FeedSpec(path, lang, title if kind == "home" else f"{title} | {site.short_title.get(lang)}",
                        site.publisher.get(lang), self.urls.page(kind, lang, key), self.urls.file(path),
                        LICENCE.get(lang), max([site.updated, *(o.updated for o in outcomes)]) if outcomes else site.updated,
                        tuple(self.entry(outcome) for outcome in outcomes))

    def entry(self, outcome: Outcome) -> FeedEntry:
        """Return an entry as the feeds of the language hold it (an entry is in up to four of them)."""
        return self.known.get((id(outcome), "feed", self.lang), outcome, lambda o: FeedEntry(
            entry_atom_id(o, self.lang), self.entry_title(o), self.urls.entry(o, self.lang), o.updated,
            self.entry_html(o)))

    def entry_title(self, outcome: Outcome) -> str:
        """Return 執行措施 3.1.1 · 法務部調查局 · 民國107年第3季: the measure, the agency as then named, the quarter."""
        agency = self.corpus.agencies.get(outcome.agency)
        name = name_in(agency, outcome.quarter).get(self.lang) if agency is not None else outcome.agency
        return " · ".join((f"{self.strings.get('measure', self.lang)} {outcome.measure}", name,
                           quarter_label(outcome.quarter, self.lang)))

    def entry_html(self, outcome: Outcome) -> str:
        """Return the entry's text as the site shows it; Chinese standing in for English says so and carries its lang."""
        html = self.texts.render(outcome.body.get(self.lang), 2)
        if outcome.body.is_fallback(self.lang):
            note = self.strings.get("translation_pending_block", self.lang)
            return f'<p>{_escape(note)}</p><div lang="{HTML_LANG["zh"]}">{html}</div>'
        return html


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

