"""Every data file of the site, made by a ``DataFiles`` that a build owns: all of them the first time, and after an
edit of entries only those whose content the edit changed (a preview keeps its ``DataFiles`` from patch to patch).

Making the files of a twenty-year archive is mostly encoding the same rows again (13,600 entries, each in its CSV,
JSON and ODS, and again in its measure's, agency's and quarter's CSV) and writing feeds whose entries did not change.
So each row is encoded once, and each file is made again only when what it is made of differs from last time."""
from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

from ...base.parallel import ordered_map
from ...content.markdown import RenderedTexts
from ...content.models import Corpus, Outcome, Text
from .addresses import DATA, FORMATS, Urls, dataset_path, site_base, slice_path
from .feeds import FeedSpec, feed_bytes, feed_specs
from .formats import ENCODERS, csv_document, json_document, ods_document
from .package import PACKAGE, CatalogEntry, catalog_entry, package_bytes
from .tables import DATASETS, OUTCOME_FIELDS, Dataset, Field, outcome_rows


SPREAD_FROM = 2_000
"""From this many entries, a build made once makes the data files on every core (the shipped content's 117 entries
take 0.3 s in one process; forking is not worth it below a few thousand)."""


@dataclass(frozen=True)
class Catalog:
    """What the open-data page lists: each dataset with its files, and the data package."""

    datasets: tuple[CatalogEntry, ...]
    package_size: int

    @property
    def updated(self) -> date:
        return max(entry.updated for entry in self.datasets)


@dataclass(frozen=True)
class _Made:
    """What a data file was last made of, and what it came to."""

    inputs: object
    """Everything the file's bytes follow from, compared with ``==`` (the strings in it are mostly the very objects
    of the corpus, which compare at once)."""
    size: int
    sha256: str


@dataclass(frozen=True)
class DataUpdate:
    """The data files made from a corpus: those written, and what each file of the site is then made of."""

    written: list[str]
    """The files written, by path below the site's root."""
    catalog: Catalog
    made: dict[str, _Made]


class DataFiles:
    """The data files and feeds of a site, made from its corpus, with what each file on the site was made of: making
    them again after an edit encodes only the rows that changed and gives only the files that changed."""

    def __init__(self, keep: bool = False) -> None:
        self.keep = keep
        """Whether each row's encodings are kept for the next making: a preview's build, which patches after it. A
        build made once does without (on the 20-year archive they are some 300 MB)."""
        self._encoded: dict[tuple[str, tuple[Field, ...]], dict[tuple, str]] = {}
        """Each row as each format writes it, by the format and the fields of its table, and the row: those of the
        last making (only with ``keep``)."""
        self._made: dict[str, _Made] = {}
        """What each file on the site was made of, by path below the site's root (``settle``)."""
        self._now: dict[str, _Made] = {}
        """While making: what each file is made of so far."""
        self._encoding: dict[tuple[str, tuple[Field, ...]], dict[tuple, str]] = {}
        """While making: the rows encoded so far, as ``_encoded``."""
        self._context: tuple = ()
        """What an entry's row and feed entries follow from besides the entry: the agencies, strings, addresses."""
        self._by_entry: dict[tuple[int, str], tuple[Outcome, object]] = {}
        """Each entry's row (by the id of its Outcome and the dataset's name), feed entries (and the language) and
        each quarter's rows (by the quarter and the dataset's name), with the Outcomes they were made of."""

    def make(self, corpus: Corpus, entry_pages: dict[tuple[str, str, str, str], str], texts: RenderedTexts,
             into: Path, site: Path | None = None, everything: bool = False) -> DataUpdate:
        """Write into the folder ``into`` the data files of ``corpus``, whose entries are shown on the goal pages
        ``entry_pages`` names (by entry key): every file with ``everything`` (a site built anew), else those whose
        bytes are not those of the site as last ``settle``d. Each is written as it is made, so that no more than one
        is held at a time. Entries that a kept build withheld (``build.kept_build``) are read back from the
        ``site`` it built. The entries' HTML in the feeds comes from ``texts``."""
        before = {} if everything else self._made
        self._now, self._into, self._written, self._encoding = dict(before), into, [], {}
        corpus = whole(corpus, site)
        urls = Urls(site_base(corpus.site), entry_pages)
        context = (corpus.site, corpus.strings, corpus.agencies, corpus.plans, entry_pages)
        if context != self._context:
            self._context, self._by_entry = context, {}
        by_entry, self._by_entry = self._by_entry, {}
        # A dataset without rows is not published: a site without white papers has no dataset of their responses
        # (and a JSON table without rows is no table to the data package's readers).
        tables = [(dataset, rows) for dataset in DATASETS if (rows := self._rows_of(dataset, corpus, urls, by_entry))]
        # The pages' CSV hold the entries' rows again, as the outcomes dataset has them.
        entry_rows = dict(zip(map(id, corpus.outcomes), next((rows for d, rows in tables if d.rows is outcome_rows), ())))
        slices = _slices(corpus, entry_rows)
        jobs = []
        for dataset, rows in tables:
            updated = dataset.updated(corpus)
            jobs += [(dataset_path(dataset.name, "csv"), rows, partial(self._csv, dataset.fields, rows)),
                     (dataset_path(dataset.name, "json"), rows, partial(self._json, dataset.fields, rows)),
                     (dataset_path(dataset.name, "ods"), (dataset.title.zh, updated, rows),
                      partial(self._ods, dataset, rows, updated))]
        spread = len(corpus.outcomes) >= SPREAD_FROM
        self._run(jobs, spread, per_worker=1)  # a few files, the largest a third of the work
        specs = feed_specs(corpus, urls, texts, _Known(by_entry, self._by_entry))
        self._run([(path, rows, partial(self._csv, OUTCOME_FIELDS, rows)) for path, rows in slices.items()]
                  + [(spec.path, spec, partial(feed_bytes, spec)) for spec in specs], spread)
        sizes = {path: made.size for path, made in self._now.items()}
        entries = [catalog_entry(dataset, dataset.updated(corpus), len(rows), sizes) for dataset, rows in tables]
        digests = {path: (self._now[path].size, self._now[path].sha256)
                   for dataset, _ in tables for path in (dataset_path(dataset.name, fmt) for fmt in FORMATS)}
        self._run([(PACKAGE, (corpus.site, tuple(entries), tuple(sorted(digests.items()))),
                    partial(package_bytes, corpus, tuple(entries), digests))], spread=False)
        if not self.keep:
            self._by_entry = {}
        self._encoded = self._encoding if self.keep else {}  # the rows of this making only: the others are gone
        kept = {*digests, *slices, PACKAGE, *(spec.path for spec in specs)}
        now, written, self._now, self._written, self._encoding = self._now, self._written, {}, [], {}
        return DataUpdate(written, Catalog(tuple(entries), now[PACKAGE].size),
                          {path: m for path, m in now.items() if path in kept})

    def settle(self, update: DataUpdate) -> None:
        """Take ``update``'s files as those now on the site: the next ``make`` gives the files that differ from them."""
        self._made = update.made

    def _rows_of(self, dataset, corpus: Corpus, urls: Urls, by_entry: dict) -> tuple[tuple, ...]:
        """Return the rows of ``dataset``; those of a dataset of entries are taken from the last making where their
        entry is the same (``by_entry``), and kept for the next."""
        known = _Known(by_entry, self._by_entry)
        if dataset.entry_row is not None:
            return tuple(known.get((id(outcome), dataset.name), outcome, lambda o: dataset.entry_row(o, corpus, urls))
                         for outcome in corpus.outcomes)
        if dataset.quarter_rows is not None:
            by_quarter = sorted(corpus.outcomes_by_quarter.items(), reverse=True)
            return tuple(row for quarter, outcomes in by_quarter for row in known.get(
                (quarter, dataset.name), tuple(outcomes), lambda _: tuple(dataset.quarter_rows(corpus, quarter, urls))))
        return tuple(dataset.rows(corpus, urls))

    def _codes(self, fields: tuple[Field, ...], rows: tuple[tuple, ...], fmt: str) -> list[str]:
        """Return the rows as the format ``fmt`` writes them, each row encoded once: an entry's row is in the outcomes
        dataset and in three pages' CSV, and a preview's build (``keep``) takes again the rows its last making
        encoded, so that an edit encodes only the rows it changed."""
        encode, last = ENCODERS[fmt], self._encoded.get((fmt, fields), {})
        now = self._encoding.setdefault((fmt, fields), {})
        for row in rows:
            if row not in now:
                now[row] = last[row] if row in last else encode(fields, row)
        return [now[row] for row in rows]

    def _csv(self, fields: tuple[Field, ...], rows: tuple[tuple, ...]) -> bytes:
        return csv_document(fields, self._codes(fields, rows, "csv"))

    def _json(self, fields: tuple[Field, ...], rows: tuple[tuple, ...]) -> bytes:
        return json_document(self._codes(fields, rows, "json"))

    def _ods(self, dataset: Dataset, rows: tuple[tuple, ...], updated: date) -> bytes:
        return ods_document(dataset.name, dataset.title.zh, dataset.fields, self._codes(dataset.fields, rows, "ods"),
                            updated)

    def _run(self, jobs: list[tuple[str, object, Callable[[], bytes]]], spread: bool,
             per_worker: int | None = None) -> None:
        """Make and write each file (path, inputs, maker) unless it was last made of the same inputs. With
        ``spread``, a build made once spreads the files over the cores: each worker writes its files and sends back
        their sizes and hashes only (the files of the 20-year archive are 327 MB)."""
        todo = [job for job in jobs if (last := self._now.get(job[0])) is None or last.inputs != job[1]]
        if self.keep or not spread:  # a preview's process holds the whole site: forking it costs more than the work
            done = [self._write(path, make) for path, _, make in todo]
        else:
            done = ordered_map(lambda job: self._write(job[0], job[2]), todo, per_worker=per_worker)
        for (path, inputs, _), (size, sha256) in zip(todo, done):
            self._now[path] = _Made(inputs, size, sha256)
            self._written.append(path)

    def _write(self, path: str, make: Callable[[], bytes]) -> tuple[int, str]:
        """Make the file at ``path`` and write it; return its size and SHA-256 (none for a feed, which the data
        package does not list)."""
        data = make()
        target = self._into / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return len(data), hashlib.sha256(data).hexdigest() if path.startswith(DATA) else ""


@dataclass(frozen=True)
class _Known:
    """What was made of each entry last time (``last``), and what is made this time (``now``), by a key that starts
    with the id of the entry's Outcome."""

    last: dict
    now: dict

    def get(self, key: tuple, source, make):
        """Return what is made of ``source`` (an Outcome, or a tuple of them) under ``key``: last time's, where it was
        made of these very Outcomes."""
        found = self.last.get(key)
        value = found[1] if found is not None and _same(found[0], source) else make(source)
        self.now[key] = (source, value)
        return value


def _same(made_of, source) -> bool:
    if isinstance(source, tuple):
        return len(made_of) == len(source) and all(a is b for a, b in zip(made_of, source))
    return made_of is source


def _slices(corpus: Corpus, entry_rows: dict[int, tuple]) -> dict[str, tuple[tuple, ...]]:
    """Return the rows (``entry_rows``, by the id of the entry's Outcome) of the entries of every measure, agency and
    quarter page, by the path of their CSV (no rows where a measure or agency has none)."""
    groups: dict[tuple[str, str], list[Outcome]] = {}
    for outcome in corpus.outcomes:
        for kind, key in (("measure", f"{outcome.plan}/{outcome.measure}"), ("agency", outcome.agency),
                          ("quarter", outcome.quarter.slug)):
            groups.setdefault((kind, key), []).append(outcome)
    keys = [("measure", f"{plan.id}/{m.id}") for plan in corpus.plans.values() for m in plan.measures]
    keys += [("agency", agency_id) for agency_id in corpus.agencies]
    keys += [("quarter", quarter.slug) for quarter in sorted(corpus.outcomes_by_quarter, reverse=True)]
    return {slice_path(kind, key): tuple(entry_rows[id(outcome)] for outcome in groups.get((kind, key), []))
            for kind, key in keys}


def whole(corpus: Corpus, site: Path | None) -> Corpus:
    """Return the corpus with every entry whole. A build that patches the site from what the last build kept holds
    whole only the entries of the quarters its pages show; the others keep only their edition, quarter, measure,
    agency and date, and reading any other field of them fails (a full build then does the work). The data files
    hold every entry: those are read back from the site's own outcomes.json, which that last build wrote from them
    (the build checks first that the site is as it left it). An entry not found there stays as it was."""
    withheld = [outcome for outcome in corpus.outcomes if "body" not in vars(outcome)]
    if not withheld or site is None or not (site / dataset_path("outcomes", "json")).is_file():
        return corpus
    rows = {(row["plan"], row["quarter"], row["measure"], row["agency"]): row
            for row in json.loads((site / dataset_path("outcomes", "json")).read_bytes())}

    def text(row: dict, name: str) -> Text | None:
        return Text(row[f"{name}_zh"], row[f"{name}_en"]) if row[f"{name}_zh"] is not None else None

    def read_back(outcome: Outcome) -> Outcome:
        row = rows.get((outcome.plan, outcome.quarter.id, outcome.measure, outcome.agency))
        if "body" in vars(outcome) or row is None:
            return outcome
        return Outcome(outcome.plan, outcome.measure, outcome.agency, outcome.quarter, Text(row["text_zh"], row["text_en"]),
                       text(row, "completion"), text(row, "remarks"), row["reported_as"], text(row, "site_note"),
                       outcome.updated, Path(), None, {})

    return dataclasses.replace(corpus, outcomes=tuple(map(read_back, corpus.outcomes)))


def with_catalog(pages: list, catalog: Catalog) -> list:
    """Return the pages with the open-data pages given the catalog of the data files made for them: the page lists
    the files' sizes, known only once the files are made, after the pages are planned."""
    return [dataclasses.replace(page, context={**page.context, "catalog": catalog}) if page.kind == "open-data"
            else page for page in pages]

