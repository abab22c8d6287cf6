"""The tracking report (列管): for one quarter, which responsible agency has filed its entry on which measure.

Seed 000, 伍、執行進度追蹤: every lead and co-agency reports each measure it is listed on, for the previous quarter,
by the 15th of the month after it. The report answers, per measure and agency, one of three states:

- ``reported``: an entry counts for the agency and says more than that there was no progress;
- ``no_progress``: every entry that counts for it says only that there was no progress this quarter
  (本季無新進度, 本季尚無新進度, 本季暫無相關辦理進度, 無新進度…) and nothing else: once that phrase, punctuation and
  list marks are taken out of its Chinese text, nothing is left. An entry that recounts work and then says
  本季無新進度 (3.2.1, TIPO, 2018 Q3) counts as reported: the report does not judge when the work it recounts
  was done;
- ``missing``: no entry counts for it.

An entry counts for the agency that filed it. An entry filed by an agency the measure does not list counts for the
listed agencies that validation lets it report for (``agencies.is_responsible``: a ministry for its listed unit, a
unit for its listed ministry); an agency the measure lists answers only for itself, so that 法務部's own entry on
3.1.1 is not taken for 調查局's as well. Entries that count for no listed agency (validation asks them for a
``note``) become ``extra`` rows of the agency that filed them.

The editions tracked are those the quarter's entries report on, plus those whose known period encloses the quarter:
the 2018 edition has no known bounds, so only its entries bring it in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import MAXYEAR, date

from .agencies import is_responsible
from .models import Agency, Corpus, Measure, Outcome, Plan, Quarter, Text

REPORTED = "reported"
NO_PROGRESS = "no_progress"
MISSING = "missing"
STATES = (REPORTED, NO_PROGRESS, MISSING)

LEAD = "lead"
CO = "co"
EXTRA = "extra"
ROLES = (LEAD, CO, EXTRA)

DUE_DAY = 15
"""Entries are due on this day of the month after the quarter (seed 000, 伍、執行進度追蹤)."""

# 「本季無新進度」「本季尚無新進度」「本季暫無相關辦理進度」「無新進度」: the qualifiers editors put between 無 and 進度.
_NO_PROGRESS_PHRASE = re.compile(r"(?:本季|本期)?[並尚暫仍]?無(?:新增|最新|新|相關|辦理|執行|之)*進度")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|[0-9]+[.)])\s+", re.MULTILINE)
_NOT_WORDS = re.compile(r"[\W_]+")
# A word character that neither the phrase nor a list mark holds stays when both are taken out.
_PHRASE_CHARACTERS = "".join(sorted(set(re.findall(r"[\u4e00-\u9fff]", _NO_PROGRESS_PHRASE.pattern))))
_OTHER_WORD = re.compile(rf"[^\W_0-9{_PHRASE_CHARACTERS}]")


@dataclass(frozen=True)
class Row:
    """One agency on one measure in the quarter: a responsible agency, or one that filed there unlisted."""

    plan: str
    measure: Measure
    agency: str
    role: str
    """``lead``, ``co``, or ``extra`` for an agency the measure does not list."""
    state: str
    """``reported``, ``no_progress`` or ``missing``."""
    entries: tuple[Outcome, ...]
    """The entries that count for the agency here, its own first; empty when missing."""


@dataclass(frozen=True)
class Tally:
    """Counts over rows and entries; ``reported + no_progress + missing == lead + co`` (extra rows are apart)."""

    lead: int = 0
    co: int = 0
    reported: int = 0
    no_progress: int = 0
    missing: int = 0
    extra: int = 0
    """Rows of entries filed for a measure that does not list their agency."""
    entries: int = 0
    """Entries filed by the agency (all agencies, overall), each counted once."""
    translated: int = 0
    """Of those, the ones with an English translation."""

    @property
    def responsible(self) -> int:
        return self.lead + self.co


@dataclass(frozen=True)
class AgencyGroup:
    """An agency's rows in the quarter, with their counts."""

    agency: Agency
    name: Text
    """The name it bore at the end of the quarter, which is how that quarter's table calls it."""
    rows: tuple[Row, ...]
    """Lead rows, then co rows, then extra rows, each in plan order."""
    tally: Tally


@dataclass(frozen=True)
class TrackingReport:
    """The tracking report for one quarter."""

    quarter: Quarter
    due: date
    editions: tuple[Plan, ...]
    groups: tuple[AgencyGroup, ...]
    """One per agency with rows or entries in the quarter, in the order of agencies.yaml."""
    total: Tally

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(row for group in self.groups for row in group.rows)

    @property
    def is_empty(self) -> bool:
        """Return whether there is nothing to track: no entries in the quarter and no edition in force."""
        return not self.editions


def tracking_report(corpus: Corpus, quarter: Quarter) -> TrackingReport:
    """Return the tracking report of ``quarter``: every responsible agency of every measure, with its state."""
    entries = entries_in(corpus, quarter)
    editions = editions_for(corpus, quarter, entries)
    by_measure: dict[tuple[str, str], list[Outcome]] = {}
    for outcome in entries:
        by_measure.setdefault((outcome.plan, outcome.measure), []).append(outcome)
    rows = [row for plan in editions for measure in plan.measures
            for row in measure_rows(plan, measure, tuple(by_measure.get((plan.id, measure.id), ())), corpus.agencies)]
    rows_of: dict[str, list[Row]] = {}
    entries_of: dict[str, list[Outcome]] = {}
    for row in rows:
        rows_of.setdefault(row.agency, []).append(row)
    for outcome in entries:
        entries_of.setdefault(outcome.agency, []).append(outcome)
    groups = tuple(group for agency in corpus.agencies.values()
                   if (group := agency_group(agency, quarter, rows_of.get(agency.id, []),
                                             tuple(entries_of.get(agency.id, ())))) is not None)
    return TrackingReport(quarter, due_date(quarter), editions, groups, tally(rows, entries))


def due_date(quarter: Quarter) -> date:
    """Return the day the quarter's entries are due: the 15th of the month after it."""
    if quarter.number == 4:
        # 9999-Q4 is a quarter editors can write, and its due day is past the calendar's last year.
        return date(quarter.year + 1, 1, DUE_DAY) if quarter.year < MAXYEAR else date.max
    return date(quarter.year, quarter.end.month + 1, DUE_DAY)


def entries_in(corpus: Corpus, quarter: Quarter) -> tuple[Outcome, ...]:
    """Return the entries reported for ``quarter``."""
    return corpus.outcomes_by_quarter.get(quarter, ())


def editions_for(corpus: Corpus, quarter: Quarter, entries: tuple[Outcome, ...]) -> tuple[Plan, ...]:
    """Return the editions reported on in the quarter or in force in it, in the corpus's order."""
    reported_on = {outcome.plan for outcome in entries}
    in_force = {plan.id for plan in corpus.editions_in_force(quarter)}
    return tuple(plan for plan in corpus.plans.values() if plan.id in reported_on | in_force)


def measure_rows(plan: Plan, measure: Measure, entries: tuple[Outcome, ...],
                 agencies: dict[str, Agency]) -> list[Row]:
    """Return a row per lead and per co-agency of the measure, then one per entry that counts for neither."""
    filed = [outcome for outcome in entries if outcome.plan == plan.id and outcome.measure == measure.id]
    rows = []
    for role, ids in ((LEAD, measure.lead.ids), (CO, measure.co.ids)):
        for agency_id in ids:
            counting = entries_counting_for(agency_id, measure, filed, agencies)
            rows.append(Row(plan.id, measure, agency_id, role, state_of(counting), counting))
    listed = measure.lead.ids + measure.co.ids
    for outcome in filed:
        if not is_responsible(agencies, outcome.agency, listed):
            rows.append(Row(plan.id, measure, outcome.agency, EXTRA, state_of((outcome,)), (outcome,)))
    return rows


def entries_counting_for(agency_id: str, measure: Measure, filed: list[Outcome],
                         agencies: dict[str, Agency]) -> tuple[Outcome, ...]:
    """Return the entries on the measure that count for the listed agency, its own first."""
    listed = measure.lead.ids + measure.co.ids
    own = [outcome for outcome in filed if outcome.agency == agency_id]
    on_its_behalf = [outcome for outcome in filed if outcome.agency not in listed
                     and is_responsible(agencies, outcome.agency, (agency_id,))]
    return tuple(own + on_its_behalf)


def state_of(entries: tuple[Outcome, ...]) -> str:
    """Return ``missing`` without entries, ``no_progress`` if every one says only that, else ``reported``."""
    if not entries:
        return MISSING
    if all(says_only_no_progress(outcome.body.zh) for outcome in entries):
        return NO_PROGRESS
    return REPORTED


def says_only_no_progress(body: str) -> bool:
    """Return whether the entry says there was no progress this quarter, and nothing else."""
    # Every form of the phrase ends in 進度: looking for it first spares the pattern's try at each character.
    if "進度" not in body or _OTHER_WORD.search(body) or not _NO_PROGRESS_PHRASE.search(body):
        return False
    rest = _NO_PROGRESS_PHRASE.sub("", _LIST_MARK.sub("", body))
    return not _NOT_WORDS.sub("", rest)


def agency_group(agency: Agency, quarter: Quarter, own_rows: list[Row],
                 filed: tuple[Outcome, ...]) -> AgencyGroup | None:
    """Return the agency's rows, by role, and counts in the quarter, given its rows and entries there in report
    order; None if it has neither."""
    if not own_rows and not filed:
        return None
    by_role = sorted(own_rows, key=lambda row: ROLES.index(row.role))  # stable: plan order is kept within each role
    return AgencyGroup(agency, name_in(agency, quarter), tuple(by_role), tally(by_role, filed))


def name_in(agency: Agency, quarter: Quarter) -> Text:
    """Return the name the agency bore at the end of the quarter, in Chinese and English."""
    former = agency.former_on(quarter.end)
    return Text(agency.zh, agency.en) if former is None else Text(former.zh, former.en)


def tally(rows: list[Row] | tuple[Row, ...], entries: tuple[Outcome, ...]) -> Tally:
    """Return the counts of the rows by role and state, and of the entries and their translations."""
    responsible = [row for row in rows if row.role != EXTRA]
    return Tally(
        lead=sum(row.role == LEAD for row in rows),
        co=sum(row.role == CO for row in rows),
        reported=sum(row.state == REPORTED for row in responsible),
        no_progress=sum(row.state == NO_PROGRESS for row in responsible),
        missing=sum(row.state == MISSING for row in responsible),
        extra=len(rows) - len(responsible),
        entries=len(entries),
        translated=sum(outcome.body.en is not None for outcome in entries),
    )
