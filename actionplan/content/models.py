"""The domain as frozen dataclasses: plan editions, goals, strategies, measures, agencies, quarters, outcomes."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from pathlib import Path

from .schema import shape

# The patterns are the schemas' (actionplan/content/schemas/), which `check` and the editor both apply. The quarter's
# pattern starts at year 1000: year 0000 would pass a plain [0-9]{4} and then fail as a date (Python's calendar
# starts at year 1); its groups are the year and the quarter.
QUARTER_PATTERN = shape("outcome").field("quarter").pattern
MEASURE_ID_PATTERN = shape("outcome").field("measure").pattern
SLUG_PATTERN = shape("agencies", "agencies").field("id").pattern
ROC_OFFSET = 1911


@dataclass(frozen=True)
class Text:
    """A text in Chinese with its English translation, if there is one yet."""

    zh: str
    en: str | None = None

    def get(self, lang: str) -> str:
        """Return the text in ``lang``, falling back to Chinese (the caller marks the fallback)."""
        return self.en if lang == "en" and self.en else self.zh

    def is_fallback(self, lang: str) -> bool:
        """Return whether ``get(lang)`` is Chinese standing in for a missing English text."""
        return lang == "en" and not self.en


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter, such as 2024 Q3 (民國113年第3季)."""

    year: int
    number: int

    @classmethod
    def parse(cls, value: str) -> "Quarter":
        """Return the quarter written ``2024-Q3``; raises ValueError for anything else."""
        match = QUARTER_PATTERN.match(value)
        if not match:
            raise ValueError(value)
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def id(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def slug(self) -> str:
        return f"{self.year}-q{self.number}"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        month = 3 * self.number
        return date(self.year, month, 31 if month in (3, 12) else 30)

    @property
    def roc_year(self) -> int:
        return self.year - ROC_OFFSET


@dataclass(frozen=True)
class FormerName:
    """A name an agency had before, and when the next name took effect."""

    zh: str
    en: str | None
    short_zh: str | None
    abbr: str | None
    renamed_on: date | None
    """The day the following name took effect; None where the date is not known."""
    note: str | None
    verified: bool


@dataclass(frozen=True)
class Agency:
    """A government body, under its current name, with the names it had before."""

    id: str
    zh: str
    en: str
    short_zh: str | None
    """The unit's name as written inside its parent's brackets: 經濟部(智慧財產局)."""
    abbr: str | None
    parent: str | None
    aliases: tuple[str, ...]
    former_names: tuple[FormerName, ...]
    verified: bool
    note: str | None
    established: date | None = None
    line: int = 0
    """The line of its id in agencies.yaml, where problems with its page are reported."""

    def name(self, lang: str) -> str:
        """Return the current name in ``lang``."""
        return self.en if lang == "en" else self.zh

    def former_on(self, day: date) -> FormerName | None:
        """Return the former name the agency bore on ``day``, or None if it bore its current name."""
        for former in self.former_names:
            if former.renamed_on is not None and day < former.renamed_on:
                return former
        return None

    def next_name(self, former: FormerName) -> FormerName | None:
        """Return the former name that replaced ``former``, or None if the current name did."""
        index = self.former_names.index(former)
        return self.former_names[index + 1] if index + 1 < len(self.former_names) else None


@dataclass(frozen=True)
class AgencyRef:
    """A lead or co-agency cell: the text as the plan writes it and the registry entries it names."""

    written: str
    ids: tuple[str, ...]


@dataclass(frozen=True)
class Measure:
    """An implementation measure (執行措施), the unit that agencies report on."""

    plan: str
    goal: int
    strategy: int
    number: int
    text: Text
    lead: AgencyRef
    co: AgencyRef
    schedule: Text
    line: int
    """Line in plan.yaml, to point editors at it."""
    note: Text | None = None
    """What the site says where the source is unclear, e.g. a cell without the lead/co slash."""

    @cached_property
    def id(self) -> str:
        return f"{self.goal}.{self.strategy}.{self.number}"


@dataclass(frozen=True)
class Strategy:
    """A strategy (實施要領) within a goal."""

    goal: int
    number: int
    title: Text
    measures: tuple[Measure, ...]
    note: Text | None = None

    @property
    def id(self) -> str:
        return f"{self.goal}.{self.number}"


@dataclass(frozen=True)
class Goal:
    """A goal (目標), one chapter of the plan."""

    number: int
    title: Text
    strategies: tuple[Strategy, ...]
    note: Text | None = None


@dataclass(frozen=True)
class Plan:
    """One edition of the action plan."""

    id: str
    title: Text
    edition: Text
    """Tells editions apart where they share a title: 民國113年至115年版 / 2024–2026 edition."""
    start: date | None
    end: date | None
    period_note: Text | None
    """Said instead of, or besides, the bounds when the source does not give them."""
    source: Text
    updated: date
    preface: Text | None
    vision: Text | None
    implementation: Text | None
    tracking: Text | None
    attachment: Text | None
    goals: tuple[Goal, ...]
    path: Path
    text_lines: dict[str, int] = field(default_factory=dict, compare=False)
    """The line on which each bilingual text starts, by ``field.lang`` (``preface.zh``), for problems in its Markdown."""

    # Cached (the instance is frozen, so they cannot go stale): pages look measures up tens of thousands of times.
    @cached_property
    def measures(self) -> tuple[Measure, ...]:
        return tuple(m for g in self.goals for s in g.strategies for m in s.measures)

    @cached_property
    def measures_by_id(self) -> dict[str, Measure]:
        return {m.id: m for m in self.measures}

    @cached_property
    def strategies(self) -> tuple[Strategy, ...]:
        return tuple(s for g in self.goals for s in g.strategies)

    def covers(self, quarter: Quarter) -> bool:
        """Return whether the quarter lies inside the edition's known period."""
        if self.start and quarter.end < self.start:
            return False
        if self.end and quarter.start > self.end:
            return False
        return True


@dataclass(frozen=True)
class Outcome:
    """What one agency reported for one measure in one quarter (執行成效)."""

    plan: str
    measure: str
    agency: str
    quarter: Quarter
    body: Text
    """Markdown, Chinese and optionally English."""
    completion: Text | None
    """完成期程 as the report writes it."""
    remarks: Text | None
    """備註."""
    reported_as: str | None
    """The reporting body as the report writes it (【經濟部工業局】), where the entry was imported from one."""
    note: Text | None
    """The site's note on the entry, where the source is unclear."""
    updated: date
    path: Path
    en_path: Path | None
    lines: dict[str, int]
    """Line of each front-matter field, so that later checks can point at it."""

    @cached_property
    def anchor(self) -> str:
        """The fragment id that links to this entry on a long page (asked for a dozen times a page on the archive)."""
        return f"entry-{self.quarter.slug}-{self.measure.replace('.', '-')}-{self.agency}"


@dataclass(frozen=True)
class Site:
    """Site-wide settings and the texts of the footer and about page."""

    title: Text
    short_title: Text
    base_path: str
    base_url: str | None
    """The public address, once known; used for canonical links."""
    publisher: Text
    address: Text
    phone: str
    email: str | None
    about: Text
    privacy: Text
    open_data: Text
    translation_note: Text
    updated: date
    path: Path | None = None
    key_lines: dict[str, int] = field(default_factory=dict, compare=False)
    """The line of each field in site.yaml, for problems with its value."""
    text_lines: dict[str, int] = field(default_factory=dict, compare=False)
    """The line on which each bilingual text starts, by ``field.lang`` (``about.zh``)."""


@dataclass(frozen=True)
class Corpus:
    """Everything the site publishes, loaded and cross-referenced."""

    site: Site
    strings: dict[str, Text]
    agencies: dict[str, Agency]
    plans: dict[str, Plan]
    outcomes: tuple[Outcome, ...]
    incomplete: frozenset[str] = frozenset()
    """Parts whose file could not be read ("agencies", "plans"): references into them are not checked."""
    whitepapers: dict = field(default_factory=dict)
    """The white papers and the agencies' responses to them, by id (``whitepaper.WhitePaper``)."""
    documents: tuple = ()
    """Whole documents that record what was done (``documents.Document``), in id order."""

    @cached_property
    def outcomes_by_quarter(self) -> dict[Quarter, tuple[Outcome, ...]]:
        """Return the entries of each quarter that has any, in corpus order: pages of every quarter ask for them."""
        grouped: dict[Quarter, list[Outcome]] = {}
        for outcome in self.outcomes:
            grouped.setdefault(outcome.quarter, []).append(outcome)
        return {quarter: tuple(entries) for quarter, entries in grouped.items()}

    def editions_in_force(self, quarter: Quarter) -> list[Plan]:
        """Return the editions whose known start and end enclose the quarter."""
        return [p for p in self.plans.values() if p.start and p.end and p.covers(quarter)]

    def measure(self, plan: str, measure_id: str) -> Measure | None:
        """Return the measure with that id in that edition, if any."""
        return self.plans[plan].measures_by_id.get(measure_id) if plan in self.plans else None
