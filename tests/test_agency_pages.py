"""Agency pages list entries, not their texts: each row of the latest quarter (and of each earlier quarter's page)
links the entry where it is published, on its quarter's goal page, so a big reporter's page stays light."""
from __future__ import annotations

import re

import pytest
import yaml

from actionplan.base.errors import Problems
from actionplan.build.pipeline import Project, build, load
from actionplan.site.routes import entry_id, entry_page_keys, page_path, plan_routes
from actionplan.build.reuse import Reuse
from conftest import ROOT
from htmlpage import read_page
from test_page_budget import over_budget, sizes

HEADING = re.compile(r"<h([1-6])\b")


@pytest.fixture(scope="module")
def corpus():
    problems = Problems(ROOT)
    return load(Project(ROOT), problems)


def latest_entries(corpus, agency_id: str) -> list:
    """Return an agency's entries of its last reported quarter."""
    entries = [o for o in corpus.outcomes if o.agency == agency_id]
    if not entries:
        return []
    latest = max(o.quarter for o in entries)
    return [o for o in entries if o.quarter == latest]


@pytest.fixture(scope="module")
def entry_pages(corpus) -> dict:
    """By entry id, the key of the quarter-goal page that shows the entry."""
    return entry_page_keys(plan_routes(corpus, Problems(ROOT)))


def entry_href(entry_pages: dict, outcome, lang: str) -> str:
    """Return the address of an entry's text: its anchor on its quarter's goal page."""
    key = entry_pages[entry_id(outcome)]
    return f"/{page_path('quarter-goal', lang, key)}#{outcome.anchor}"


def entry_links(page) -> list[str]:
    return [a["href"] for a in page.links if "#entry-" in a.get("href", "")]


def plain_lines(markdown: str) -> list[str]:
    """Return the lines of an entry body that are plain prose (not a table, list or heading), at least 12 long."""
    return [line.strip() for line in markdown.splitlines()
            if len(line.strip()) >= 12 and not re.match(r"\s*([|#>*+-]|\d+\.)", line)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_agency_page_lists_every_entry_of_its_latest_quarter_with_a_link_to_its_anchor(published_site, corpus,
                                                                                       entry_pages, lang):
    checked = 0
    for agency_id in corpus.agencies:
        entries = latest_entries(corpus, agency_id)
        page = read_page(published_site / lang / "agencies" / agency_id / "index.html")
        expected = sorted(entry_href(entry_pages, o, lang) for o in entries)
        assert sorted(entry_links(page)) == expected, agency_id
        for href in expected:
            target, _, anchor = href.partition("#")
            assert anchor in read_page(published_site / target.lstrip("/") / "index.html").ids, href
        checked += len(entries)
    assert checked == len([o for o in corpus.outcomes])  # the shipped content has one quarter per agency


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_agency_page_shows_no_entry_text(published_site, corpus, lang):
    html = (published_site / lang / "agencies/tipo/index.html").read_text(encoding="utf-8")
    page = read_page(published_site / lang / "agencies/tipo/index.html")
    assert 'class="entry-body"' not in html and "<article" not in html
    entries = latest_entries(corpus, "tipo")
    assert len(entries) == 37
    lines = {line for o in entries for line in plain_lines(o.body.get(lang))}
    assert len(lines) > 20
    assert [line for line in lines if line in page.text] == []


def test_an_entry_row_gives_measure_completion_translation_and_the_name_filed_under(published_site, corpus):
    zh = read_page(published_site / "zh/agencies/tipo/index.html")
    en = read_page(published_site / "en/agencies/tipo/index.html")
    entries = latest_entries(corpus, "tipo")
    for o in entries:
        measure = corpus.measure(o.plan, o.measure)
        assert f"{measure.id} {measure.text.zh}" in zh.text
        assert f"/zh/plans/{o.plan}/measures/{o.measure}/" in {a.get("href") for a in zh.links}
    assert "完成期程" in zh.text and "經常辦理" in zh.text
    assert "Ongoing" in en.text
    # English pages say which entries have a translation, which Chinese pages leave out.
    untranslated = sum(o.body.en is None for o in entries)
    assert en.text.count("Translation pending") == untranslated and "Translated" not in zh.text
    assert en.text.count("Translated") == len(entries) - untranslated
    # A name filed under that differs from the registry's is shown on the Chinese page; the same name is not.
    optical = read_page(published_site / "zh/agencies/moea-optical-disc/index.html")
    assert optical.text.count("填報名稱：經濟部光碟小組") == 2
    assert "填報名稱" not in zh.text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_agency_page_has_one_h1_headings_in_order_and_header_cells(published_site, lang):
    html = (published_site / lang / "agencies/tipo/index.html").read_text(encoding="utf-8")
    levels = [int(level) for level in HEADING.findall(html)]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    tables = html.count('<table class="entry-list">')
    assert tables == html.count("<caption>") == html.count("<thead>") > 1
    assert html.count('<th scope="row">') == 37


LONG_BODY = "\n".join([
    "本季辦理{n}之情形如下，" + "持續推動各項智慧財產權保護工作，並與相關機關密切合作。" * 6,
    "",
    *[f"- 第{i}項：辦理宣導活動與查核作業，計{i * 7}場次，參與人數{i * 113}人。" for i in range(1, 11)],
    "",
    "| 月份 | 類別 | 件數 | 人數 | 金額（新臺幣元） |",
    "| --- | --- | ---: | ---: | ---: |",
    *[f"| {m}月 | 侵害著作權 | {m * 13} | {m * 7} | {m * 1234567:,} |" for m in range(1, 13) for _ in range(2)],
    "",
    "綜上，" + "本局將持續精進查緝技術並強化國際合作。" * 5,
])
LONG_BODY_EN = "\n".join([
    "This quarter's work on {n}: " + "we continued to promote IP protection in close cooperation with agencies. " * 6,
    "",
    *[f"- Item {i}: {i * 7} outreach and inspection events, with {i * 113} participants." for i in range(1, 11)],
    "",
    "| Month | Category | Cases | Persons | Amount (NT$) |",
    "| --- | --- | ---: | ---: | ---: |",
    *[f"| Month {m} | Copyright infringement | {m * 13} | {m * 7} | {m * 1234567:,} |" for m in range(1, 13)
      for _ in range(2)],
    "",
    "In sum, " + "we will keep improving investigation techniques and international cooperation. " * 5,
])


def test_an_agency_with_many_long_entries_in_one_quarter_stays_within_budget_and_so_do_its_goal_pages(real_site):
    # TIPO files a long entry (paragraphs, a list, a 24-row table), in both languages, on every measure of the
    # 2024-2026 edition in one quarter: 68 entries of about 4 KB each, more than any real quarter.
    plan = yaml.safe_load((real_site.content / "plans/2024-2026/plan.yaml").read_text(encoding="utf-8"))
    measures = [f"{g['number']}.{s['number']}.{m['number']}" for g in plan["goals"] for s in g["strategies"]
                for m in s["measures"]]
    assert len(measures) == 68
    for number in measures:
        front = f'plan: "2024-2026"\nmeasure: "{number}"\nagency: tipo\nquarter: 2025-Q1\n'
        folder = real_site.content / "outcomes/2025-Q1"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{number}.tipo.md").write_text(
            f"---\n{front}updated: 2025-04-10\ncompletion: 經常辦理\nremarks: 無\n---\n{LONG_BODY.format(n=number)}\n",
            encoding="utf-8")
        (folder / f"{number}.tipo.en.md").write_text(f"---\n{front}---\n{LONG_BODY_EN.format(n=number)}\n",
                                                     encoding="utf-8")
    out = real_site.root / "site"
    build(real_site, out, search=False, reuse=Reuse())
    # Every page, the quarter's goal pages too: a goal whose entries are too heavy for one page is cut in parts.
    assert over_budget(sizes(out)) == []
    overview = {a.get("href") for a in read_page(out / "zh/quarters/2025-q1/index.html").links}
    parts = sorted(p.parent.relative_to(out).as_posix() for p in out.glob("zh/quarters/2025-q1/goal-*/part-*/index.html"))
    assert parts and {f"/{part}/" for part in parts} <= overview
    for lang in ("zh", "en"):
        page = read_page(out / lang / "agencies/tipo/index.html")
        assert len(entry_links(page)) == 68
        for href in entry_links(page):  # each on the goal page, or the part of it, that shows the entry
            target, _, anchor = href.partition("#")
            assert anchor in read_page(out / target.lstrip("/") / "index.html").ids, href
        assert not [line for line in plain_lines((LONG_BODY if lang == "zh" else LONG_BODY_EN).format(n="1.1.1")) if line in page.text]
        # The 2018 Q3 entries moved to the agency's page for that quarter, which lists them likewise.
        earlier = read_page(out / lang / "agencies/tipo/2018-q3/index.html")
        assert len(entry_links(earlier)) == 37
