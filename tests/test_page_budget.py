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


def test_every_page_of_the_golden_site_is_within_the_byte_budget(golden_site):
    assert over_budget(sizes(golden_site)) == []


def test_the_budget_catches_a_page_over_it():
    assert over_budget({"zh/quarters/2018-q3/index.html": (160_000, 32_500)})
    assert over_budget({"zh/agencies/tipo/index.html": (90_000, 26_000)})
    assert not over_budget({"zh/quarters/2018-q3/tracking/index.html": (90_000, 55_000)})


def test_a_measure_with_three_agencies_filing_long_entries_every_quarter_stays_within_budget(real_site):
    from actionplan.build.pipeline import build
    from actionplan.build.reuse import Reuse
    from test_agency_pages import LONG_BODY, LONG_BODY_EN

    # Measure 3.1.5, five quarters, three bodies each filing a long entry (paragraphs, a list, a 24-row table) in
    # both languages: the measure's page shows its last four quarters (twelve entries), the 2024 page all four.
    folder = real_site.content / "outcomes"
    for quarter in ("2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1"):
        (folder / quarter).mkdir(parents=True, exist_ok=True)
        for agency in ("npa", "mjib", "customs"):
            front = f'plan: "2024-2026"\nmeasure: "3.1.5"\nagency: {agency}\nquarter: {quarter}\n'
            (folder / quarter / f"3.1.5.{agency}.md").write_text(
                f"---\n{front}updated: 2025-04-10\ncompletion: 經常辦理\n---\n{LONG_BODY.format(n=quarter)}\n",
                encoding="utf-8")
            (folder / quarter / f"3.1.5.{agency}.en.md").write_text(
                f"---\n{front}---\n{LONG_BODY_EN.format(n=quarter)}\n", encoding="utf-8")
    out = real_site.root / "site"
    build(real_site, out, search=False, reuse=Reuse())
    found = {path: size for path, size in sizes(out).items() if "/measures/3.1.5/" in path}
    assert sorted(found) == sorted(f"{lang}/plans/2024-2026/measures/3.1.5/{year}index.html"
                                   for lang in ("en", "zh") for year in ("", "2024/"))
    assert over_budget(found) == []
    FIGURES["largest long-entry measure page (bytes)"] = max(raw for raw, _ in found.values())
