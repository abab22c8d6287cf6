"""Every data file of the site, made once per corpus, and written by each full build and by each patch of entries."""
from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass
from pathlib import Path

from ...content.models import Corpus, Outcome, Text
from .addresses import Urls, dataset_path, site_base, slice_path
from .feeds import feeds
from .formats import csv_bytes, json_bytes, ods_bytes
from .package import PACKAGE, CatalogEntry, catalog_entry, package_bytes
from .tables import DATASETS, OUTCOME_FIELDS, outcome_rows


@dataclass(frozen=True)
class Catalog:
    """What the open-data page lists: each dataset with its files, and the data package."""

    datasets: tuple[CatalogEntry, ...]
    package_size: int

    @property
    def updated(self):
        return max(entry.updated for entry in self.datasets)


@dataclass(frozen=True)
class Published:
    """The datasets' files, the measures', agencies' and quarters' CSV, and the data package, by path."""

    files: dict[str, bytes]
    catalog: Catalog


_last: tuple[Corpus, dict, Published, Corpus] | None = None
"""The files last made, with the corpus and entry pages they were made of, and that corpus with every entry whole:
the open-data page's plan needs their sizes, and the build then writes them."""


def published(corpus: Corpus, entry_pages: dict[tuple[str, str, str, str], str], site: Path | None = None) -> Published:
    """Return the data files of ``corpus``, whose entries are shown on the goal pages ``entry_pages`` names. Entries
    that a kept build withheld (``build.kept_build``) are read back from the ``site`` it built (``whole``)."""
    return _made(corpus, entry_pages, site)[0]


def _made(corpus: Corpus, entry_pages: dict, site: Path | None) -> tuple[Published, Corpus]:
    global _last
    if _last is not None and _last[0] is corpus and _last[1] == entry_pages:
        return _last[2], _last[3]
    given, corpus = corpus, whole(corpus, site)
    urls = Urls(site_base(corpus.site), entry_pages)
    files: dict[str, bytes] = {}
    entries = []
    for dataset in DATASETS:
        rows = list(dataset.rows(corpus, urls))
        updated = dataset.updated(corpus)
        files[dataset_path(dataset.name, "csv")] = csv_bytes(dataset.fields, rows)
        files[dataset_path(dataset.name, "json")] = json_bytes(dataset.fields, rows)
        files[dataset_path(dataset.name, "ods")] = ods_bytes(dataset.name, dataset.title.zh, dataset.fields, rows,
                                                             updated)
        entries.append(catalog_entry(dataset, updated, len(rows), files))
    files.update(slices(corpus, urls))
    files[PACKAGE] = package_bytes(corpus, tuple(entries), files)
    made = Published(files, Catalog(tuple(entries), len(files[PACKAGE])))
    _last = (given, dict(entry_pages), made, corpus)
    return made, corpus


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


def slices(corpus: Corpus, urls: Urls) -> dict[str, bytes]:
    """Return the CSV of the entries of every measure, agency and quarter page, by path (empty but for the header
    where a measure or agency has none)."""
    groups: dict[tuple[str, str], list] = {}
    for outcome in corpus.outcomes:
        for kind, key in (("measure", f"{outcome.plan}/{outcome.measure}"), ("agency", outcome.agency),
                          ("quarter", outcome.quarter.slug)):
            groups.setdefault((kind, key), []).append(outcome)
    keys = [("measure", f"{plan.id}/{m.id}") for plan in corpus.plans.values() for m in plan.measures]
    keys += [("agency", agency_id) for agency_id in corpus.agencies]
    keys += [("quarter", quarter.slug) for quarter in sorted(corpus.outcomes_by_quarter, reverse=True)]
    return {slice_path(kind, key): csv_bytes(OUTCOME_FIELDS, outcome_rows(corpus, urls, groups.get((kind, key), [])))
            for kind, key in keys}


def all_files(corpus: Corpus, entry_pages: dict[tuple[str, str, str, str], str],
              site: Path | None = None) -> dict[str, bytes]:
    """Return every data file and feed, by path below the site's root (``site``: as for ``published``)."""
    made, corpus = _made(corpus, entry_pages, site)
    files = dict(made.files)
    files.update(feeds(corpus, Urls(site_base(corpus.site), entry_pages)))
    return files


def write_data(staging: Path, corpus: Corpus) -> int:
    """Write every data file and feed of ``corpus`` into the site being built in ``staging``; return how many. The
    pages were planned (``routes.plan_routes``, which plans the open-data page) from this very corpus: its entries'
    pages are theirs."""
    if _last is None or _last[0] is not corpus:
        raise RuntimeError("the data files are written for the corpus whose pages were planned last")
    made = all_files(corpus, _last[1])
    for path, data in made.items():
        target = staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return len(made)


def rewrite_data(site: Path, staging: Path, corpus: Corpus,
                 entry_pages: dict[tuple[str, str, str, str], str]) -> list[str]:
    """Bring the data files and feeds of the built ``site`` up to date with ``corpus`` after an edit of entries:
    those whose bytes changed are written into ``staging``, then each replaces its old self whole; return their
    paths. The files are the same as a full build's."""
    changed = []
    for path, data in all_files(corpus, entry_pages, site).items():
        old = site / path
        if old.is_file() and old.stat().st_size == len(data) and old.read_bytes() == data:
            continue
        (staging / path).parent.mkdir(parents=True, exist_ok=True)
        (staging / path).write_bytes(data)
        changed.append(path)
    for path in changed:
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / path, site / path)
    return changed
