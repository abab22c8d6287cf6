"""Light pages for long archives: a measure's page shows its last four reported quarters and links a page per
earlier year; an agency's page lists its last reported quarter's entries and links a page per earlier quarter."""
from __future__ import annotations

from pathlib import Path

import pytest

from actionplan.base.errors import Problems
from actionplan.build.pipeline import build, load
from actionplan.build.reuse import Reuse
from actionplan.site.routes import page_anchors, plan_routes
from htmlpage import read_page
from mini import PLAN, entry, fixture_text

OLDER = ["2022-Q4", "2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"]


@pytest.fixture
def archive(make_site):
    """The mini corpus with TIPO reporting measure 1.1.1 in five quarters before 2024: seven quarters in all."""
    files = {"plans/2024-2026/plan.yaml": fixture_text(PLAN).replace("start: 2024-01-01", "start: 2022-01-01")}
    for quarter in OLDER:
        files[f"outcomes/{quarter}/1.1.1.tipo.md"] = entry(f"{quarter} 的辦理情形。", plan='"2024-2026"', measure='"1.1.1"',
                                                            agency="tipo", quarter=quarter, updated="2024-01-05")
    project = make_site(files)
    out = project.root / "site"
    build(project, out, search=False, reuse=Reuse())
    return project, out


def hrefs(path: Path) -> list[str]:
    return [a.get("href") for a in read_page(path).links]


def test_a_measure_shows_its_last_four_quarters_and_links_a_page_per_earlier_year(archive):
    _, site = archive
    main = site / "zh/plans/2024-2026/measures/1.1.1"
    page = read_page(main / "index.html")
    shown = {i for i in page.ids if i.startswith("q-")}
    assert shown == {"q-2024-q3", "q-2024-q2", "q-2023-q4", "q-2023-q3"}
    assert "entry-2023-q2-1-1-1-tipo" not in page.ids
    links = hrefs(main / "index.html")
    assert [h for h in links if h.startswith("/zh/plans/2024-2026/measures/1.1.1/20")] == \
        ["/zh/plans/2024-2026/measures/1.1.1/2023/", "/zh/plans/2024-2026/measures/1.1.1/2022/"]
    # A year page shows every entry of its year, those on the measure's page too, and links back.
    year = read_page(main / "2023/index.html")
    assert {f"entry-{q.lower()}-1-1-1-tipo" for q in OLDER[1:]} <= year.ids
    assert len(year.h1) == 1 and "民國112年" in year.h1[0]
    assert "/zh/plans/2024-2026/measures/1.1.1/" in hrefs(main / "2023/index.html")
    assert "entry-2022-q4-1-1-1-tipo" in read_page(main / "2022/index.html").ids
    # Dated by its newest entry, not the clock; in both languages, each switching to the other.
    assert "Last updated: 5 January 2024" in read_page(site / "en/plans/2024-2026/measures/1.1.1/2022/index.html").text
    assert read_page(main / "2022/index.html").alternates["en"] == "/en/plans/2024-2026/measures/1.1.1/2022/"
    assert not (site / "zh/plans/2024-2026/measures/2.1.1/2023").exists()


def test_an_agency_shows_its_last_quarter_and_links_a_page_per_earlier_quarter_by_year(archive):
    _, site = archive
    page = read_page(site / "zh/agencies/tipo/index.html")
    links = hrefs(site / "zh/agencies/tipo/index.html")
    # The latest quarter's entry is listed, linking its text on the goal page; earlier ones are not listed.
    assert "/zh/quarters/2024-q3/goal-1/#entry-2024-q3-1-1-1-tipo" in links
    assert not [h for h in links if "#entry-2023-" in h or "#entry-2022-" in h]
    assert not {i for i in page.ids if i.startswith("entry-")}
    assert [h for h in links if h.startswith("/zh/agencies/tipo/20")] == \
        [f"/zh/agencies/tipo/{q.lower()}/" for q in reversed(OLDER)]
    assert {"archive-2023", "archive-2022"} <= page.ids
    quarter = read_page(site / "zh/agencies/tipo/2023-q2/index.html")
    assert [h for h in hrefs(site / "zh/agencies/tipo/2023-q2/index.html") if "#entry-" in h] == \
        ["/zh/quarters/2023-q2/goal-1/#entry-2023-q2-1-1-1-tipo"]
    assert "2023-Q2 的辦理情形。" not in quarter.text and not {i for i in quarter.ids if i.startswith("entry-")}
    assert len(quarter.h1) == 1 and "民國112年第2季" in quarter.h1[0]
    assert "/zh/agencies/tipo/" in hrefs(site / "zh/agencies/tipo/2023-q2/index.html")
    assert read_page(site / "en/agencies/tipo/2023-q2/index.html").h1[0].startswith("Taiwan Intellectual Property Office")
    # An agency with one quarter has no archive.
    assert not [p for p in (site / "zh/agencies/customs").iterdir() if p.is_dir()]


def test_an_agency_quarter_page_keeps_the_name_groups(make_site):
    # IDA was 經濟部工業局 until 2023-09-26: its 2023-Q2 entry is filed under that name on its quarter page.
    files = {"plans/2024-2026/plan.yaml": fixture_text(PLAN).replace("start: 2024-01-01", "start: 2022-01-01"),
             "outcomes/2023-Q2/1.1.1.ida.md": entry("辦理情形。", plan='"2024-2026"', measure='"1.1.1"', agency="ida",
                                                   quarter="2023-Q2")}
    project = make_site(files)
    build(project, project.root / "site", search=False, reuse=Reuse())
    page = read_page(project.root / "site/zh/agencies/ida/2023-q2/index.html")
    assert "以「經濟部工業局」名義填報的執行成效（1）" in page.text


def test_archive_pages_register_their_anchors_and_every_link_resolves(archive):
    project, site = archive
    problems = Problems(project.root)
    corpus = load(project, problems)
    pages = {page.path: page for page in plan_routes(corpus, problems)}
    assert "entry-2023-q1-1-1-1-tipo" in page_anchors(pages["zh/plans/2024-2026/measures/1.1.1/2023/"])
    # An agency's quarter page lists its entries: their anchors are on the quarter's goal page.
    assert page_anchors(pages["zh/agencies/tipo/2023-q1/"]) == {"main"}
    assert "entry-2023-q1-1-1-1-tipo" in page_anchors(pages["zh/quarters/2023-q1/goal-1/"])
    for path in sorted(site.rglob("*.html")):
        if path.relative_to(site).parts[0] not in ("zh", "en"):
            continue
        for link in read_page(path).links:
            href = link.get("href", "")
            if not href.startswith("/"):
                continue
            target, _, fragment = href.partition("#")
            file = site / target.lstrip("/")
            file = file / "index.html" if target.endswith("/") else file
            assert file.exists(), (path, href)
            if fragment:
                assert fragment in read_page(file).ids, (path, href)


def test_the_shipped_content_has_no_archive_page(published_site):
    from conftest import ROOT
    from actionplan.build.pipeline import Project

    problems = Problems(ROOT)
    corpus = load(Project(ROOT), problems)
    kinds = {page.kind for page in plan_routes(corpus, problems)}
    assert not kinds & {"measure-year", "agency-quarter"}
    assert not list(published_site.glob("*/plans/*/measures/*/*/index.html"))
    assert not list(published_site.glob("*/agencies/*/*/index.html"))
