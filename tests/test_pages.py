"""The built site: every page in both languages, linked to its counterpart, showing what the content says."""
from __future__ import annotations

from pathlib import Path

import pytest

from actionplan.build.pipeline import build
from actionplan.build.reuse import Reuse
from htmlpage import read_page


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from conftest import FIXTURES, _project_with

    root = tmp_path_factory.mktemp("mini")
    project = _project_with(root, FIXTURES / "mini")
    out = root / "site"
    build(project, out, search=False, reuse=Reuse())
    return out


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] in ("zh", "en"))


def test_every_page_has_language_one_h1_and_a_switch_to_its_counterpart(site):
    for path in pages(site):
        page = read_page(path)
        rel = path.relative_to(site).as_posix()
        lang = rel.split("/")[0]
        other = "en" if lang == "zh" else "zh"
        assert page.lang == {"zh": "zh-Hant-TW", "en": "en"}[lang], rel
        assert len(page.h1) == 1, (rel, page.h1)
        counterpart = "/" + other + rel[2:].removesuffix("index.html")
        assert page.alternates[{"zh": "en", "en": "zh-Hant-TW"}[lang]] == counterpart, rel
        switch = [a for a in page.links if "lang-switch" in a.get("class", "")]
        assert switch and switch[0]["href"] == counterpart, rel
        assert (site / counterpart.lstrip("/")).exists() or (site / counterpart.lstrip("/") / "index.html").exists()


def test_every_page_has_skip_link_updated_date_and_footer_statements(site):
    for path in pages(site):
        page = read_page(path)
        hrefs = [a.get("href") for a in page.links]
        assert hrefs[0] == "#main" and "main" in page.ids
        lang = path.relative_to(site).parts[0]
        for section in ("sitemap", "privacy", "open-data"):
            assert f"/{lang}/{section}/" in hrefs
    zh = read_page(site / "zh/plans/2024-2026/measures/1.1.1/index.html")
    assert "跳到主要內容區塊" in zh.text
    # The newest entry on the page was updated 2024-10-14: the date comes from the content, not the clock.
    assert "更新日期：民國113年10月14日" in zh.text
    en = read_page(site / "en/plans/2024-2026/measures/1.1.1/index.html")
    assert "Last updated: 14 October 2024" in en.text


def test_measure_page_shows_text_agencies_schedule_and_entries_newest_first(site):
    page = read_page(site / "zh/plans/2024-2026/measures/1.1.1/index.html")
    assert page.h1 == ["輔導及協助產、學、研強化研發及智慧財產權管理體制。"]
    hrefs = [a.get("href") for a in page.links]
    assert "/zh/agencies/ida/" in hrefs and "/zh/agencies/tipo/" in hrefs
    assert "經常辦理" in page.text
    assert page.text.index("民國113年第3季") < page.text.index("民國113年第2季")
    assert "查獲侵權金額共新臺幣156億5,264萬520元" in page.text
    assert "entry-2024-q3-1-1-1-tipo" in page.ids
    assert "本季無新進度" in page.text
    english = read_page(site / "en/plans/2024-2026/measures/1.1.1/index.html")
    assert english.h1 == ["Help industry strengthen R&D and IP management."]
    assert english.text.index("2024 Q3") < english.text.index("2024 Q2")
    assert "From July to September 2024, TIPO held 12 briefings" in english.text


def test_cjk_line_break_inside_a_paragraph_does_not_become_a_space(site):
    html = (site / "zh/plans/2024-2026/measures/1.1.1/index.html").read_text(encoding="utf-8")
    assert "共12場次，查獲侵權金額" in html


def test_untranslated_text_is_shown_in_chinese_marked_and_tagged(site):
    page = read_page(site / "en/plans/2024-2026/measures/2.1.1/index.html")
    assert ("zh-Hant-TW", "加強商標權、著作權及專利權物品邊境管制作業。") in page.langs
    assert "(English translation pending)" in page.text
    assert "English translation pending; the Chinese original follows." in page.text
    assert any(lang == "zh-Hant-TW" and "本季查扣侵權物品" in text for lang, text in page.langs)


def test_editor_text_is_escaped(site):
    html = (site / "zh/quarters/2024-q3/goal-2/index.html").read_text(encoding="utf-8")
    assert "本季查扣侵權物品&lt;共&gt; 1,234 件 &amp; &quot;引號&quot;。" in html


def test_agency_page_lists_measures_led_and_co_led_and_entries(site):
    page = read_page(site / "zh/agencies/tipo/index.html")
    assert page.h1 == ["經濟部智慧財產局"]
    led = page.text[page.text.index("主辦措施"):page.text.index("協辦措施")]
    co_start = page.text.index("協辦措施")
    co = page.text[co_start:page.text.index("以現名稱填報的執行成效", co_start)]
    assert "1.1.1" in led and "2.1.1" not in led
    assert "2.1.1" in co
    # Its latest quarter's entry is a row linking the entry's text, which the page does not repeat.
    assert "/zh/quarters/2024-q3/goal-1/#entry-2024-q3-1-1-1-tipo" in {a.get("href") for a in page.links}
    assert "entry-2024-q3-1-1-1-tipo" not in page.ids
    english = read_page(site / "en/agencies/tipo/index.html")
    assert english.h1 == ["Taiwan Intellectual Property Office"]
    assert "/en/quarters/2024-q3/goal-1/#entry-2024-q3-1-1-1-tipo" in {a.get("href") for a in english.links}


def test_agency_page_shows_its_former_names_with_dates(site):
    zh = read_page(site / "zh/agencies/ida/index.html")
    assert "經濟部工業局" in zh.text and "民國112年9月26日" in zh.text
    en = read_page(site / "en/agencies/ida/index.html")
    assert "Industrial Development Bureau" in en.text and "26 September 2023" in en.text


def test_quarter_pages_exist_only_for_quarters_with_entries_and_list_their_goals(site):
    quarters = sorted(p.name for p in (site / "zh/quarters").iterdir() if p.is_dir())
    assert quarters == ["2024-q2", "2024-q3"]
    page = read_page(site / "zh/quarters/2024-q3/index.html")
    assert page.h1 == ["民國113年第3季 執行成效"]
    assert "113年7月至9月" in page.text
    hrefs = [a.get("href") for a in page.links]
    # The overview links each goal's page, and each entry where its goal's page shows it.
    assert hrefs.index("/zh/quarters/2024-q3/goal-1/") < hrefs.index("/zh/quarters/2024-q3/goal-2/")
    assert {"/zh/quarters/2024-q3/goal-1/#entry-2024-q3-1-1-1-tipo",
            "/zh/quarters/2024-q3/goal-2/#entry-2024-q3-2-1-1-customs"} <= set(hrefs)
    assert not any(i.startswith(("entry-", "goal-", "measure-")) for i in page.ids)
    assert "/zh/quarters/2024-q3/tracking/" in hrefs
    english = read_page(site / "en/quarters/2024-q3/index.html")
    assert english.h1 == ["2024 Q3 results"]
    assert "July–September 2024" in english.text


def test_each_goal_of_a_quarter_has_its_page_with_its_entries_breadcrumb_and_neighbours(site):
    assert sorted(p.name for p in (site / "zh/quarters/2024-q3").iterdir() if p.is_dir()) == ["goal-1", "goal-2", "tracking"]
    assert sorted(p.name for p in (site / "zh/quarters/2024-q2").iterdir() if p.is_dir()) == ["goal-1", "tracking"]
    first = read_page(site / "zh/quarters/2024-q3/goal-1/index.html")
    assert len(first.h1) == 1 and first.h1[0].startswith("目標一")
    assert {"goal-1", "measure-1-1-1", "entry-2024-q3-1-1-1-tipo"} <= first.ids
    assert "entry-2024-q3-2-1-1-customs" not in first.ids and "目標二" not in first.h1[0]
    second = read_page(site / "zh/quarters/2024-q3/goal-2/index.html")
    assert {"goal-2", "measure-2-1-1", "entry-2024-q3-2-1-1-customs"} <= second.ids
    for page, crumb in ((first, "目標一"), (second, "目標二")):
        hrefs = [a.get("href") for a in page.links]
        crumbs = ["/zh/", "/zh/quarters/", "/zh/quarters/2024-q3/"]
        assert any(hrefs[i:i + 3] == crumbs for i in range(len(hrefs))), hrefs
        assert "113年7月至9月" in page.text and crumb in page.text
    assert [a["href"] for a in first.links if a.get("rel") == "next"] == ["/zh/quarters/2024-q3/goal-2/"]
    assert not [a for a in first.links if a.get("rel") == "prev"]
    assert [a["href"] for a in second.links if a.get("rel") == "prev"] == ["/zh/quarters/2024-q3/goal-1/"]
    assert not [a for a in second.links if a.get("rel") == "next"]
    english = read_page(site / "en/quarters/2024-q3/goal-1/index.html")
    assert english.h1[0].startswith("Goal 1") and "July–September 2024" in english.text
    # Dated by its newest entry, like every page: not by the clock.
    assert "Last updated: 14 October 2024" in english.text


def test_entries_are_linked_at_their_goal_page_from_measure_and_tracking_pages(site):
    measure = [a.get("href") for a in read_page(site / "zh/plans/2024-2026/measures/1.1.1/index.html").links]
    assert "/zh/quarters/2024-q3/goal-1/#measure-1-1-1" in measure
    tracking = [a.get("href") for a in read_page(site / "zh/quarters/2024-q3/tracking/index.html").links]
    assert "/zh/quarters/2024-q3/goal-1/#entry-2024-q3-1-1-1-tipo" in tracking


def test_completion_and_remarks_are_shown_with_the_entry(site):
    zh = read_page(site / "zh/quarters/2024-q3/goal-1/index.html")
    assert "完成期程經常辦理" in zh.text and "備註另見第2季" in zh.text
    en = read_page(site / "en/quarters/2024-q3/goal-1/index.html")
    assert "CompletionOngoing" in en.text
    assert ("zh-Hant-TW", "另見第2季") in en.langs


def test_internal_links_resolve(site):
    for path in pages(site):
        page = read_page(path)
        for link in page.links:
            href = link.get("href", "")
            if not href.startswith("/"):
                continue
            target, _, fragment = href.partition("#")
            file = site / target.lstrip("/")
            file = file / "index.html" if target.endswith("/") else file
            assert file.exists(), (path, href)
            if fragment:
                assert fragment in read_page(file).ids, (path, href)


def test_root_redirects_to_chinese_home_and_404_pages_exist(site):
    root = (site / "index.html").read_text(encoding="utf-8")
    assert 'content="0; url=/zh/"' in root
    assert read_page(site / "zh/404.html").h1 == ["找不到這個頁面"]
    assert read_page(site / "en/404.html").h1 == ["Page not found"]


def test_pages_use_no_inline_script_or_style(site):
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert "<script>" not in html and " style=" not in html and "<style" not in html, path


def test_a_quarter_with_entries_under_two_editions_names_the_edition_in_its_goal_pages(make_site):
    from mini import PLAN, entry, fixture_text

    project = make_site({
        "plans/2021-2023/plan.yaml": fixture_text(PLAN).replace('id: "2024-2026"', 'id: "2021-2023"')
        .replace("start: 2024-01-01", "start: 2021-01-01"),
        "outcomes/2024-Q3/2.1.1.customs.md": entry(plan='"2021-2023"'),
    })
    out = project.root / "site"
    build(project, out, search=False, reuse=Reuse())
    made = sorted(p.name for p in (out / "zh/quarters/2024-q3").iterdir() if p.is_dir())
    assert made == ["2021-2023-goal-2", "2024-2026-goal-1", "tracking"]
    # A quarter of one edition keeps the short paths.
    assert sorted(p.name for p in (out / "zh/quarters/2024-q2").iterdir() if p.is_dir()) == ["goal-1", "tracking"]
    old = read_page(out / "zh/quarters/2024-q3/2021-2023-goal-2/index.html")
    assert "entry-2024-q3-2-1-1-customs" in old.ids
    overview = [a.get("href") for a in read_page(out / "zh/quarters/2024-q3/index.html").links]
    assert "/zh/quarters/2024-q3/2021-2023-goal-2/#entry-2024-q3-2-1-1-customs" in overview
    assert "/zh/quarters/2024-q3/2024-2026-goal-1/#entry-2024-q3-1-1-1-tipo" in overview
    measure = [a.get("href") for a in read_page(out / "zh/plans/2021-2023/measures/2.1.1/index.html").links]
    assert "/zh/quarters/2024-q3/2021-2023-goal-2/#measure-2-1-1" in measure
    sitemap = [a.get("href") for a in read_page(out / "en/sitemap/index.html").links]
    assert {"/en/quarters/2024-q3/2021-2023-goal-2/", "/en/quarters/2024-q3/2024-2026-goal-1/"} <= set(sitemap)
