"""The built site: every page in both languages, linked to its counterpart, showing what the content says."""
from __future__ import annotations

from pathlib import Path

import pytest

from actionplan.pipeline import build
from htmlpage import read_page


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from conftest import FIXTURES, _project_with

    root = tmp_path_factory.mktemp("mini")
    project = _project_with(root, FIXTURES / "mini")
    out = root / "site"
    build(project, out, search=False)
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
    html = (site / "zh/quarters/2024-q3/index.html").read_text(encoding="utf-8")
    assert "本季查扣侵權物品&lt;共&gt; 1,234 件 &amp; &quot;引號&quot;。" in html


def test_agency_page_lists_measures_led_and_co_led_and_entries(site):
    page = read_page(site / "zh/agencies/tipo/index.html")
    assert page.h1 == ["經濟部智慧財產局"]
    led = page.text[page.text.index("主辦措施"):page.text.index("協辦措施")]
    co_start = page.text.index("協辦措施")
    co = page.text[co_start:page.text.index("以現名稱填報的執行成效", co_start)]
    assert "1.1.1" in led and "2.1.1" not in led
    assert "2.1.1" in co
    assert "entry-2024-q3-1-1-1-tipo" in page.ids
    english = read_page(site / "en/agencies/tipo/index.html")
    assert english.h1 == ["Taiwan Intellectual Property Office"]


def test_agency_page_shows_its_former_names_with_dates(site):
    zh = read_page(site / "zh/agencies/ida/index.html")
    assert "經濟部工業局" in zh.text and "民國112年9月26日" in zh.text
    en = read_page(site / "en/agencies/ida/index.html")
    assert "Industrial Development Bureau" in en.text and "26 September 2023" in en.text


def test_quarter_pages_exist_only_for_quarters_with_entries_grouped_by_goal(site):
    quarters = sorted(p.name for p in (site / "zh/quarters").iterdir() if p.is_dir())
    assert quarters == ["2024-q2", "2024-q3"]
    page = read_page(site / "zh/quarters/2024-q3/index.html")
    assert page.h1 == ["民國113年第3季 執行成效"]
    assert {"goal-1", "goal-2", "measure-1-1-1", "measure-2-1-1"} <= page.ids
    assert page.text.index("目標一") < page.text.index("目標二")
    assert {"entry-2024-q3-1-1-1-tipo", "entry-2024-q3-2-1-1-customs"} <= page.ids
    assert "113年7月至9月" in page.text
    english = read_page(site / "en/quarters/2024-q3/index.html")
    assert english.h1 == ["2024 Q3 results"]
    assert "July–September 2024" in english.text


def test_completion_and_remarks_are_shown_with_the_entry(site):
    zh = read_page(site / "zh/quarters/2024-q3/index.html")
    assert "完成期程經常辦理" in zh.text and "備註另見第2季" in zh.text
    en = read_page(site / "en/quarters/2024-q3/index.html")
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
