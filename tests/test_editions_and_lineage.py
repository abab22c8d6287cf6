"""The 2018 edition beside the 2024–2026 one: its plan, measure, quarter and agency pages, its English, and
agencies whose entries were filed under earlier names."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from actionplan.base.errors import Problems
from actionplan.build.pipeline import load
from actionplan.content.sources import split_front_matter
from conftest import ROOT
from figures import missing_figures
from htmlpage import read_page

OUTCOMES = ROOT / "content/outcomes/2018-Q3"


@pytest.fixture(scope="module")
def site(published_site) -> Path:
    return published_site


@pytest.fixture(scope="module")
def corpus():
    from actionplan.build.pipeline import Project

    problems = Problems()
    loaded = load(Project(ROOT), problems)
    assert loaded is not None, problems.report()
    return loaded


def body(path: Path) -> str:
    return split_front_matter(path.read_text(encoding="utf-8"), path, Problems())[1]


def test_the_2018_edition_has_9_goals_29_strategies_69_measures_all_in_english(corpus):
    plan = corpus.plans["2018"]
    assert (len(plan.goals), len(plan.strategies), len(plan.measures)) == (9, 29, 69)
    assert plan.start is None and plan.end is None and "107年7月至9月" in plan.period_note.zh
    texts = [plan.title, *(g.title for g in plan.goals), *(s.title for s in plan.strategies),
             *(m.text for m in plan.measures), *(m.schedule for m in plan.measures)]
    assert all(t.en for t in texts)
    assert corpus.measure("2018", "9.4.1").schedule.zh == "1次/年"


def test_goal_3_and_4_entries_are_translated_with_every_figure_and_the_rest_are_pending():
    chinese = sorted(p for p in OUTCOMES.glob("*.md") if not p.name.endswith(".en.md"))
    translated = {p.name.replace(".en.md", ".md") for p in OUTCOMES.glob("*.en.md")}
    in_goals_3_4 = {p.name for p in chinese if p.name.split(".")[0] in ("3", "4")}
    assert translated == in_goals_3_4 and len(translated) == 26
    for name in sorted(translated):
        zh, en = body(OUTCOMES / name), body(OUTCOMES / name.replace(".md", ".en.md"))
        assert missing_figures(zh, en) == [], name
    assert "NT$15,652,640,520" in body(OUTCOMES / "3.1.1.mjib.en.md")


def test_figures_checker_reads_chinese_amounts_and_years():
    assert missing_figures("107年查獲新臺幣156億5,264萬520元，共31案。", "In 2018, NT$15,652,640,520 in 31 cases.") == []
    assert missing_figures("107年查獲新臺幣156億5,264萬520元。", "In 2018, NT$15,652,640,250.") == ["15652640520"]
    assert missing_figures("共10,417件", "10,471 items") == ["10417"]


def test_measure_pages_of_the_two_editions_are_distinct(site):
    old = read_page(site / "zh/plans/2018/measures/1.1.1/index.html")
    new = read_page(site / "zh/plans/2024-2026/measures/1.1.1/index.html")
    assert old.h1 == ["提供企業客製化專利能量價值措施，提升企業研發實力。"]
    assert new.h1 == ["輔導及協助產、學、研強化研發及智慧財產權管理體制。"]
    assert "107年7月至9月列管追蹤表所據版本" in old.title and "民國113年至115年版" in new.title
    # 2018 names as the edition wrote them, linking to today's agency pages.
    assert "經濟部工業局" in old.text and "經濟部產業發展署" not in old.text.split("各季執行成效")[0]
    assert any(link.get("href") == "/zh/agencies/ida/" for link in old.links)


def test_the_2018_plan_page_lists_every_measure_with_its_notes(site):
    page = read_page(site / "zh/plans/2018/index.html")
    assert sum(1 for i in page.ids if re.fullmatch(r"measure-\d+-\d+-\d+", i)) == 69
    assert "未以「/」區分主辦與協辦機關" in page.text and "原表此格跨頁斷開" in page.text
    english = read_page(site / "en/plans/2018/index.html")
    assert "Edition in force in 2018 Q3" in english.text and "no slash separating lead from co-agencies" in english.text


def goal_pages(site: Path, lang: str) -> list[Path]:
    return [site / f"{lang}/quarters/2018-q3/goal-{n}/index.html" for n in range(1, 10)]


def test_the_2018_q3_report_is_navigable_by_goal_measure_and_agency_with_every_figure(site):
    overview = read_page(site / "zh/quarters/2018-q3/index.html")
    goals = [read_page(path) for path in goal_pages(site, "zh")]
    html = "".join(path.read_text(encoding="utf-8") for path in goal_pages(site, "zh"))
    entries = {i for page in goals for i in page.ids if i.startswith("entry-2018-q3-")}
    assert len(entries) == 117
    assert all(f"goal-{n}" in page.ids for n, page in enumerate(goals, 1))
    assert len({i for page in goals for i in page.ids if re.fullmatch(r"measure-\d+-\d+-\d+", i)}) == 69
    assert len({i for page in goals for i in page.ids if re.fullmatch(r"strategy-\d+-\d+", i)}) == 29
    # The overview links every goal's page and, in its agency index, every entry on its goal's page.
    hrefs = [link.get("href", "") for link in overview.links]
    assert [h for h in hrefs if re.fullmatch(r"/zh/quarters/2018-q3/goal-\d/", h)] == \
        [f"/zh/quarters/2018-q3/goal-{n}/" for n in range(1, 10)]
    entry_links = {h for h in hrefs if "#entry-" in h}
    assert {h.split("#")[1] for h in entry_links} == entries
    for href in entry_links:
        target, anchor = href.split("#")
        goal = int(anchor.split("-")[3])
        assert target == f"/zh/quarters/2018-q3/goal-{goal}/" and anchor in goals[goal - 1].ids
    text = " ".join(page.text for page in goals)
    for figure in ("新臺幣156億5,264萬520元", "定罪率達93.53%", "侵權貨物件數共10,417件", "14.5 億元"):
        assert figure in text, figure
    # Entries of a measure appear in the order the table's agency cell lists the bodies.
    row = html[html.index('id="measure-5-3-1"'):html.index('id="measure-5-3-2"')]
    order = [m for m in re.findall(r'id="entry-2018-q3-5-3-1-([a-z-]+)"', row)]
    assert order == ["ndc", "acs", "dgbas", "taipei", "new-taipei", "taoyuan", "taichung", "tainan", "kaohsiung"]
    assert "【" not in text  # the brackets became entry headings
    assert "經濟部工業局" in text and "經濟部訴願會" in text  # names as the table wrote them


def test_the_english_2018_q3_pages_show_translations_and_mark_the_rest(site):
    pages = [read_page(path) for path in goal_pages(site, "en")]
    text = " ".join(page.text for page in pages)
    assert "NT$15,652,640,520" in text
    assert "English translation pending; the Chinese original follows." in text
    assert any(lang == "zh-Hant-TW" and "TANet" in part for page in pages for lang, part in page.langs)
    assert "Ongoing" in text and "經常辦理" not in text


def test_an_agency_page_shows_entries_under_each_name_it_has_had(site):
    page = read_page(site / "zh/agencies/ida/index.html")
    assert "以「經濟部工業局」名義填報的執行成效（3）" in page.text
    assert "此名稱於民國112年9月26日改為「經濟部產業發展署」" in page.text
    links = {link.get("href") for link in page.links}
    for goal, entry in ((1, "entry-2018-q3-1-1-1-ida"), (1, "entry-2018-q3-1-1-2-ida"), (3, "entry-2018-q3-3-2-1-ida")):
        assert f"/zh/quarters/2018-q3/goal-{goal}/#{entry}" in links
    # The 2024 plan's measures and the 2018 reports meet on one page.
    assert "民國113年至115年版" in page.text and "107年7月至9月列管追蹤表所據版本" in page.text
    english = read_page(site / "en/agencies/ida/index.html")
    assert "Results reported as Industrial Development Bureau (3)" in english.text
    assert "This name changed to Industrial Development Administration on 26 September 2023" in english.text


def test_a_former_name_without_official_english_keeps_its_chinese_with_lang(site):
    english = read_page(site / "en/agencies/moea-legal/index.html")
    assert any(lang == "zh-Hant-TW" and text == "經濟部訴願審議委員會" for lang, text in english.langs)


def test_every_reporting_body_of_the_table_has_an_agency_page_linked_from_the_quarter(site, corpus):
    reporters = {o.agency for o in corpus.outcomes if o.quarter.id == "2018-Q3"}
    assert len(reporters) == 26
    assert {"taipei", "new-taipei", "taoyuan", "taichung", "tainan", "kaohsiung"} <= reporters
    page = read_page(site / "zh/quarters/2018-q3/index.html")
    linked = {link["href"].split("/")[-2] for link in page.links if "/zh/agencies/" in link.get("href", "")}
    assert reporters <= linked
    renamed = {a for a in reporters if corpus.agencies[a].former_names}
    assert {"ida", "smesa", "doit", "ita", "moa", "acs", "moea-legal"} <= renamed
