"""Every data file of the site, made once per corpus, and written by each full build and by each patch of entries."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ...content.models import Corpus
from .addresses import SLICES, Urls, dataset_path, site_base, slice_path
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


_last: tuple[Corpus, dict, Published] | None = None
"""The files last made, with the corpus and entry pages they were made of: the open-data page's plan needs their
sizes, and the build then writes them."""


def published(corpus: Corpus, entry_pages: dict[tuple[str, str, str, str], str]) -> Published:
    """Return the data files of ``corpus``, whose entries are shown on the goal pages ``entry_pages`` names."""
    global _last
    if _last is not None and _last[0] is corpus and _last[1] == entry_pages:
        return _last[2]
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
    _last = (corpus, dict(entry_pages), made)
    return made


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
    assert {kind for kind, _ in keys} == set(SLICES)
    return {slice_path(kind, key): csv_bytes(OUTCOME_FIELDS, outcome_rows(corpus, urls, groups.get((kind, key), [])))
            for kind, key in keys}


def all_files(corpus: Corpus, entry_pages: dict[tuple[str, str, str, str], str]) -> dict[str, bytes]:
    """Return every data file and feed, by path below the site's root."""
    made = dict(published(corpus, entry_pages).files)
    made.update(feeds(corpus, Urls(site_base(corpus.site), entry_pages)))
    return made


def write_data(staging: Path, corpus: Corpus, entry_pages: dict[tuple[str, str, str, str], str]) -> int:
    """Write every data file and feed into the site being built in ``staging``; return how many."""
    made = all_files(corpus, entry_pages)
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
    for path, data in all_files(corpus, entry_pages).items():
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
