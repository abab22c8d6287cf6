"""The data package that describes the datasets (Frictionless Data Package, with a Table Schema for each), and the
catalog the open-data page lists them from, both made from the files as written."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from ...content.models import Corpus, Text
from .addresses import DATA, FORMATS, dataset_path
from .tables import LICENCE, LICENCE_URL, Dataset, Field

PACKAGE = f"{DATA}/datapackage.json"
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json", "ods": "application/vnd.oasis.opendocument.spreadsheet"}
PRIMARY_KEYS = {"outcomes": ("plan", "quarter", "measure", "agency"), "plans": ("plan", "measure"),
                "whitepaper-responses": ("whitepaper", "recommendation", "agency"), "documents": ("document",)}
"""The fields that tell each row from every other, where a dataset has such fields."""


@dataclass(frozen=True)
class DataFile:
    """One of a dataset's files."""

    format: str
    path: str
    """Below the site's root: ``data/outcomes.csv``."""
    size: int
    """In bytes."""


@dataclass(frozen=True)
class CatalogEntry:
    """What the open-data page says of one dataset."""

    name: str
    title: Text
    description: Text
    fields: tuple[Field, ...]
    frequency: Text
    updated: date
    rows: int
    files: tuple[DataFile, ...]


def catalog_entry(dataset: Dataset, updated: date, rows: int, sizes: dict[str, int]) -> CatalogEntry:
    """Return the catalog's entry of a dataset whose files' sizes (by path) are among ``sizes``."""
    found = tuple(DataFile(fmt, dataset_path(dataset.name, fmt), sizes[dataset_path(dataset.name, fmt)])
                  for fmt in FORMATS)
    return CatalogEntry(dataset.name, dataset.title, dataset.description, dataset.fields, dataset.frequency, updated,
                        rows, found)


def _field(field: Field) -> dict:
    described = {"name": field.name, "type": field.type, "description": f"{field.zh} | {field.en}",
                 "x-description": {"zh": field.zh, "en": field.en}}
    if field.type == "date":
        described["format"] = "default"  # ISO 8601: 2024-10-15
    if field.required:
        described["constraints"] = {"required": True}
    return described


def package_bytes(corpus: Corpus, catalog: tuple[CatalogEntry, ...], digests: dict[str, tuple[int, str]]) -> bytes:
    """Return datapackage.json: every dataset's CSV, JSON and ODS, with their sizes and SHA-256 hashes (``digests``,
    by path), the CSV and JSON with the dataset's Table Schema (the ODS is the same table, for the office suite)."""
    site = corpus.site
    resources = []
    for entry in catalog:
        schema = {"fields": [_field(field) for field in entry.fields], "missingValues": [""]}
        if entry.name in PRIMARY_KEYS:
            schema["primaryKey"] = list(PRIMARY_KEYS[entry.name])
        for file in entry.files:
            resource = {
                "name": f"{entry.name}-{file.format}", "path": file.path.removeprefix(f"{DATA}/"),
                "title": f"{entry.title.zh} | {entry.title.en}",
                "description": f"{entry.description.zh} | {entry.description.en}",
                "x-title": {"zh": entry.title.zh, "en": entry.title.en},
                "x-description": {"zh": entry.description.zh, "en": entry.description.en},
                "x-updated": entry.updated.isoformat(),
                "x-frequency": {"zh": entry.frequency.zh, "en": entry.frequency.en},
                "format": file.format, "mediatype": MEDIA_TYPES[file.format],
            }
            if file.format != "json":  # frictionless reads a JSON table without counting its bytes, and fails them
                resource |= {"bytes": file.size, "hash": "sha256:" + digests[file.path][1]}
            if file.format == "ods":
                resource["type"] = "file"  # the same table as the CSV; checked as a file (size, hash)
            else:
                resource |= {"type": "table", "encoding": "utf-8", "schema": schema}
                if file.format == "csv":  # the CSV Dialect of Data Package v1; the file starts with a byte-order mark
                    resource["dialect"] = {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"',
                                           "doubleQuote": True, "header": True}
            resources.append(resource)
    package = {
        "name": "ip-protection-action-programme",
        "title": f"{site.title.zh} | {site.title.en}",
        "x-title": {"zh": site.title.zh, "en": site.title.en},
        "description": f"{site.about.zh.split(chr(10))[0]} | {site.about.en.split(chr(10))[0]}",
        "licenses": [{"name": "OGDL-Taiwan-1.0", "path": LICENCE_URL, "title": f"{LICENCE.zh} | {LICENCE.en}"}],
        "contributors": [{"title": f"{site.publisher.zh} | {site.publisher.en}", "role": "publisher"}],
        "x-updated": max(entry.updated for entry in catalog).isoformat(),
        "resources": resources,
    }
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
