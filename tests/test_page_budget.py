"""Light pages: every HTML page of the published site within the byte budget, raw and as gzip sends it."""
from __future__ import annotations

import gzip
from pathlib import Path

from conftest import FIGURES

RAW_BUDGET = 100_000
GZIP_BUDGET = 25_000
TRACKING_GZIP_BUDGET = 60_000
"""The per-quarter tracking page carries every responsible agency's table: it is allowed more."""


def sizes(site: Path) -> dict[str, tuple[int, int]]:
    """Return each HTML page's size in bytes, raw and gzipped at level 6 (what servers commonly send)."""
    found = {}
    for path in sorted(site.rglob("*.html")):
        raw = path.read_bytes()
        found[path.relative_to(site).as_posix()] = (len(raw), len(gzip.compress(raw, compresslevel=6)))
    return found


def over_budget(found: dict[str, tuple[int, int]]) -> list[str]:
    over = []
    for page, (raw, packed) in found.items():
        limit = TRACKING_GZIP_BUDGET if page.endswith("/tracking/index.html") else GZIP_BUDGET
        if raw > RAW_BUDGET or packed > limit:
            over.append(f"{page}: {raw:,} bytes, {packed:,} gzipped")
    return over


def test_every_page_of_the_published_site_is_within_the_byte_budget(published_site):
    found = sizes(published_site)
    assert len(found) > 300
    FIGURES["largest page (bytes)"] = max(raw for raw, _ in found.values())
    FIGURES["largest page gzipped (bytes)"] = max(packed for _, packed in found.values())
    assert over_budget(found) == []


def test_the_budget_catches_a_page_over_it():
    assert over_budget({"zh/quarters/2018-q3/index.html": (160_000, 32_500)})
    assert over_budget({"zh/agencies/tipo/index.html": (90_000, 26_000)})
    assert not over_budget({"zh/quarters/2018-q3/tracking/index.html": (90_000, 55_000)})
