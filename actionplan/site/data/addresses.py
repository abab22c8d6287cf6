"""Where the data files are on the site, and the addresses of the pages and entries they name."""
from __future__ import annotations

from urllib.parse import urlsplit

from ...content.models import Outcome, Site
from ..kinds import KINDS

DATA = "data"
"""The folder of the datasets: /data/outcomes.csv."""
FEEDS = "feeds"
"""The folder of the Atom feeds: /feeds/zh/site.atom."""
FORMATS = ("csv", "json", "ods")
"""Every dataset is published in these formats, in this order."""
SLICES = {"measure": "measures", "agency": "agencies", "quarter": "quarters"}
"""The kinds of page that link to their own entries as CSV (and to their feed), and the folder the files are in."""


def dataset_path(name: str, fmt: str) -> str:
    """Return a dataset's file below the site's root: ``data/outcomes.csv``."""
    return f"{DATA}/{name}.{fmt}"


def slice_path(kind: str, key: str) -> str:
    """Return the CSV of the entries a measure, agency or quarter page shows: ``data/outcomes/agencies/tipo.csv``."""
    return f"{DATA}/outcomes/{SLICES[kind]}/{key}.csv"


def feed_path(lang: str, kind: str = "home", key: str = "") -> str:
    """Return a feed's file below the site's root: ``feeds/zh/site.atom``, ``feeds/en/measures/2024-2026/3.1.5.atom``."""
    return f"{FEEDS}/{lang}/site.atom" if kind == "home" else f"{FEEDS}/{lang}/{SLICES[kind]}/{key}.atom"


def entry_key(outcome: Outcome) -> tuple[str, str, str, str]:
    """Return what tells an entry from every other (as ``routes.entry_id``): edition, quarter, measure, agency."""
    return (outcome.plan, outcome.quarter.id, outcome.measure, outcome.agency)


def site_base(site: Site) -> str:
    """Return what the addresses in data files start with: the site's origin and folder where its public address is
    known (``site.base_url``), else its folder (``site.base_path``)."""
    if site.base_url:
        parts = urlsplit(site.base_url)
        return f"{parts.scheme}://{parts.netloc}{site.base_path}"
    return site.base_path


class Urls:
    """The addresses data files give: absolute where the site's public address is known (``site.base_url``), else
    from the site's root (``site.base_path``)."""

    def __init__(self, base: str, entry_pages: dict[tuple[str, str, str, str], str]) -> None:
        self.base = base
        self.entry_pages = entry_pages
        """By entry key, the key of the quarter-goal page (or part of one) that shows the entry."""

    def page(self, kind: str, lang: str, key: str = "") -> str:
        """Return a page's address."""
        return self.base + KINDS[kind].address(lang, key)

    def file(self, path: str) -> str:
        """Return a data file's address."""
        return self.base + path

    def entry(self, outcome: Outcome, lang: str) -> str | None:
        """Return an entry's address: its quarter's goal page, at the entry."""
        key = self.entry_pages.get(entry_key(outcome))
        # Every entry of a valid corpus has its page; the pages are planned before the content is checked, though.
        return None if key is None else f"{self.page('quarter-goal', lang, key)}#{outcome.anchor}"
