"""The editors' guide (docs/) published as /zh/guide/ and /en/guide/: its links made to work on the site, its
headings linkable, its date and title from its front matter, and its problems reported at their lines."""
from __future__ import annotations

import re
import textwrap
import urllib.request
from pathlib import Path

import pytest

from actionplan.base.errors import BuildFailed, Problems
from actionplan.content.guide import GUIDE_FILES, load_guide
from actionplan.build.pipeline import Project, build, check
from actionplan.build.reuse import Reuse
from actionplan.editors.serve import PreviewServer
from conftest import ROOT
from htmlpage import read_page
from sitelinks import broken_links, read_links

ZH, EN = (ROOT / "docs" / GUIDE_FILES[lang] for lang in ("zh", "en"))


def guide_file(site: Path, lang: str) -> Path:
    return site / lang / "guide" / "index.html"


def front_matter(path: Path) -> dict[str, str]:
    front = path.read_text(encoding="utf-8").split("---\n")[1]
    return dict(line.split(": ", 1) for line in front.splitlines())


GOOD = textwrap.dedent("""\
    ---
    title: 指南
    updated: 2026-11-21
    ---
    # 機關填報指南

    ## 一、期限

    見 [英文版](editors-guide.en.md#1-deadline) 與 [README](../README.md)。
    """)
GOOD_EN = "---\ntitle: Guide\nupdated: 2026-11-21\n---\n# Editors' guide\n\n## 1. Deadline\n"


def write_guide(project: Project, zh: str | None, en: str | None = GOOD_EN) -> None:
    """Replace the project's guide with the given texts (None removes a file)."""
    for lang, text in (("zh", zh), ("en", en)):
        path = project.root / "docs" / GUIDE_FILES[lang]
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(text, encoding="utf-8")


def problems_of(project: Project) -> list[str]:
    problems = Problems(project.root)
    load_guide(project.root / "docs", problems)
    return [str(p) for p in sorted([*problems.errors, *problems.warnings])]


# The shipped guide, as CI publishes it


@pytest.mark.parametrize("lang, doc", [("zh", ZH), ("en", EN)])
def test_the_page_shows_the_guide_with_its_heading_title_and_date_from_the_front_matter(published_site, lang, doc):
    page = read_page(guide_file(published_site, lang))
    heading = next(line[2:] for line in doc.read_text(encoding="utf-8").splitlines() if line.startswith("# "))
    assert page.h1 == [heading]
    fields = front_matter(doc)
    assert page.title.startswith(fields["title"] + " | ")
    assert fields["updated"] == "2026-11-21"
    assert ("更新日期：民國115年11月21日" if lang == "zh" else "Last updated: 21 November 2026") in page.text


def test_links_into_the_repository_become_site_pages_or_text(published_site):
    zh, en = (read_page(guide_file(published_site, lang)) for lang in ("zh", "en"))
    zh_links = [a.get("href") for a in zh.links]
    assert "/en/guide/" in zh_links and "/zh/guide/" in [a.get("href") for a in en.links]
    for page in (zh, en):
        assert not [href for href in (a.get("href", "") for a in page.links) if ".md" in href]
    # Site addresses the guide writes as code are links on the site, in the page's own language.
    assert {"/zh/plans/2018/measures/3.2.2/", "/zh/agencies/tipo/", "/zh/quarters/2018-q3/",
            "/zh/quarters/2018-q3/tracking/"} <= set(zh_links)
    assert "/en/quarters/2018-q3/tracking/" in [a.get("href") for a in en.links]


def test_no_link_on_either_guide_page_is_broken(published_site):
    _, broken = broken_links(published_site)
    pages = read_links(published_site)
    guide_links = [link for lang in ("zh", "en") for link in pages[f"/{lang}/guide/"].links]
    assert len(guide_links) > 40
    assert [b for b in broken if b.startswith(("/zh/guide/", "/en/guide/")) or "/guide/" in b] == []


@pytest.mark.parametrize("lang, expected", [
    ("zh", ["開始之前一次性的安裝", "一每季要交什麼何時交", "二新增一筆執行成效", "三實例智慧財產局民國107年第3季-措施-322", "四檢查與預覽",
            "五看懂錯誤訊息", "六送出合併請求pull-request", "七誰還沒交"]),
    ("en", ["before-you-start-a-one-time-setup", "1-what-to-submit-and-when", "2-adding-an-entry",
            "3-a-worked-example-tipo-2018-q3-measure-322",
            "4-checking-and-previewing", "5-reading-an-error", "6-opening-a-pull-request", "7-who-has-not-reported-yet"]),
])
def test_sections_have_githubs_ids_and_a_table_of_contents(published_site, lang, expected):
    html = guide_file(published_site, lang).read_text(encoding="utf-8")
    assert re.findall(r'<h2 id="([^"]+)">', html) == ["guide-contents", *expected]
    toc = html[html.index('<nav class="toc"'):html.index("</nav>", html.index('<nav class="toc"'))]
    assert re.findall(r'href="#([^"]+)"', toc) == expected
    # Every heading of the guide can be linked, sub-sections too.
    assert all(' id="' in tag for tag in re.findall(r"<h[1-4][^>]*>", html))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tables_scroll_in_a_region_named_by_their_section(published_site, lang):
    html = guide_file(published_site, lang).read_text(encoding="utf-8")
    regions = re.findall(r'<div class="table-scroll" role="region" tabindex="0" aria-labelledby="([^"]+)"><table>', html)
    assert regions and all(f'id="{label}"' in html for label in regions)
    assert html.count("<table>") == len(regions)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_footer_the_about_page_and_the_site_map_link_the_guide(published_site, lang):
    for kind in ("about", "sitemap", "privacy"):
        page = read_page(published_site / lang / kind / "index.html")
        assert f"/{lang}/guide/" in [a.get("href") for a in page.links], kind


def test_the_guide_is_not_in_the_search_index(published_site):
    # Like the other pages about the site (privacy, open data, site map): the search finds the programme's content.
    for lang in ("zh", "en"):
        assert "data-pagefind-body" not in guide_file(published_site, lang).read_text(encoding="utf-8")


def test_the_shipped_guide_has_no_problem():
    assert problems_of(Project(ROOT)) == []


# The guide broken, in a copy of the project


def test_a_link_the_site_cannot_follow_is_text_and_a_site_address_without_a_page_stays_code(mini_site, tmp_path):
    write_guide(mini_site, GOOD + "\n措施頁 `/zh/plans/2018/measures/3.2.2/`、季頁 `/zh/quarters/2024-q3/`。\n")
    build(mini_site, tmp_path / "site", search=False, reuse=Reuse())
    html = guide_file(tmp_path / "site", "zh").read_text(encoding="utf-8")
    assert '<a href="/en/guide/#1-deadline">英文版</a>' in html
    assert "與 README。" in html  # ../README.md: a file of the repository, shown as its text
    assert "<code>/zh/plans/2018/measures/3.2.2/</code>" in html and "/zh/plans/2018/measures/3.2.2/</a>" not in html
    assert '<a href="/zh/quarters/2024-q3/"><code>/zh/quarters/2024-q3/</code></a>' in html


def test_the_english_page_shows_the_chinese_guide_marked_when_there_is_no_translation(mini_site, tmp_path):
    write_guide(mini_site, GOOD.replace("(editors-guide.en.md#1-deadline)", "(#一期限)"), None)
    build(mini_site, tmp_path / "site", search=False, reuse=Reuse())
    page = read_page(guide_file(tmp_path / "site", "en"))
    assert "English translation pending; the Chinese original follows." in page.text
    assert any(lang == "zh-Hant-TW" and "機關填報指南" in text for lang, text in page.langs)
    assert page.h1 == ["機關填報指南"]


def test_without_a_guide_there_is_no_page_and_no_link_to_one(mini_site, tmp_path):
    write_guide(mini_site, None, None)
    build(mini_site, tmp_path / "site", search=False, reuse=Reuse())
    assert not (tmp_path / "site/zh/guide").exists()
    assert "/zh/guide/" not in (tmp_path / "site/zh/about/index.html").read_text(encoding="utf-8")
    assert broken_links(tmp_path / "site")[1] == []


def test_front_matter_problems_are_reported_at_their_lines(mini_site):
    write_guide(mini_site, "---\ntitle: 指南\nupdated: 115/11/21\nauthor: 智慧局\n---\n# 機關填報指南\n")
    assert problems_of(mini_site) == [
        'docs/editors-guide.md:3:10: "updated" must be a Gregorian date written YYYY-MM-DD (2024-01-05), not `115/11/21` '
        "| 「updated」須為西元日期，寫成 YYYY-MM-DD（2024-01-05），而非 `115/11/21`: 民國115年11月21日 is 2026-11-21: "
        "write updated: 2026-11-21 | 民國115年11月21日即西元 2026-11-21，請寫成 updated: 2026-11-21",
        "docs/editors-guide.md:4: unknown field \"author\" in the guide's front matter | 指南的 front matter沒有「author」"
        "這個欄位: known fields: title, updated | 可用欄位：title、updated",
    ]


def test_a_guide_without_front_matter_or_title_is_refused(mini_site):
    write_guide(mini_site, "# 機關填報指南\n")
    assert [p.split(": ")[0] for p in problems_of(mini_site)] == ["docs/editors-guide.md:1"]
    write_guide(mini_site, "---\nupdated: 2026-11-21\n---\n前言\n\n# 機關填報指南\n\n# 第二個標題\n")
    assert problems_of(mini_site) == [
        'docs/editors-guide.md:2: field "title" is required | 必須填寫「title」欄位: write "title: …" with a value | 請填寫「title: …」',
        'docs/editors-guide.md:8: the guide must open with its title as its one "# " heading | 指南須以標題開頭，且只有這一個「# 」標題: '
        'start the text with "# title" and use ## and ### for its sections | 請以「# 標題」開頭，各節用 ## 與 ###',
    ]


def test_broken_links_and_unsafe_text_are_reported_at_their_lines(mini_site):
    write_guide(mini_site, GOOD + (
        "\n[不存在的檔案](missing.md)、[沒有這一節](#沒有這一節)、[英文沒有這一節](editors-guide.en.md#nowhere)、\n"
        "[根目錄](/README.md)、[預覽](http://localhost:8000/zh/)、[舊網址](http://example.org/)、[出界](../../x.md)\n"
        "\n<b>粗體</b>\n"))
    # The preview's address on the editor's own machine is plain http, and not warned about.
    assert problems_of(mini_site) == [
        'docs/editors-guide.md:11: link "missing.md": there is no such file in the repository | 連結「missing.md」：'
        "儲存庫中沒有這個檔案: write the path relative to this file, e.g. editors-guide.en.md or ../README.md | "
        "請寫相對於本檔的路徑，例如 editors-guide.en.md 或 ../README.md",
        'docs/editors-guide.md:11: link "#沒有這一節": the guide has no heading #沒有這一節 | 連結「#沒有這一節」：指南沒有 '
        "#沒有這一節 這個標題: link to a heading as GitHub does: its text in lower case, punctuation dropped, spaces as - | "
        "請依 GitHub 的寫法連結標題：標題文字，去掉標點，空白改為 -",
        'docs/editors-guide.md:11: link "editors-guide.en.md#nowhere": the guide has no heading #nowhere | '
        "連結「editors-guide.en.md#nowhere」：指南沒有 #nowhere 這個標題: link to a heading as GitHub does: its text in "
        "lower case, punctuation dropped, spaces as - | 請依 GitHub 的寫法連結標題：標題文字，去掉標點，空白改為 -",
        'docs/editors-guide.md:12: link "/README.md" starts at a root that GitHub and the site read differently | '
        "連結「/README.md」從根目錄起算，GitHub 與網站的解讀不同: link a file of the repository relative to this file "
        "(../README.md); write a site address as code, `/zh/quarters/`, which the site links | "
        "請以相對於本檔的路徑連結儲存庫中的檔案（../README.md）；網站網址請寫成程式碼 `/zh/quarters/`，網站會自動連結",
        'docs/editors-guide.md:12: link "../../x.md" leads out of the repository | 連結「../../x.md」指向儲存庫之外: '
        "write the path relative to this file, e.g. editors-guide.en.md or ../README.md | "
        "請寫相對於本檔的路徑，例如 editors-guide.en.md 或 ../README.md",
        'docs/editors-guide.md:12: warning: link "http://example.org/" uses plain http | 連結「http://example.org/」使用不加密的 '
        "http: use https:// if the site supports it | 若對方網站支援，請改用 https://",
        *["docs/editors-guide.md:14: raw HTML is not allowed in the text | 內文不可使用 HTML 標籤: write it in Markdown: - "
          "for lists, 1. for numbered items, a blank line between paragraphs, ![description](file.png) for images | "
          "請改用 Markdown：清單用 -，編號用 1.，段落間空一行，圖片用 ![說明](file.png)"] * 2,  # <b> and </b>
    ]


def test_a_guide_error_fails_check_with_the_content_s_problems(mini_site):
    write_guide(mini_site, GOOD.replace("updated: 2026-11-21\n", ""))
    with pytest.raises(BuildFailed) as failed:
        check(mini_site)
    assert 'docs/editors-guide.md:2: field "updated" is required' in str(failed.value.message)


def test_the_preview_rebuilds_when_the_guide_changes(mini_site):
    with PreviewServer(mini_site, port=0, search=False) as preview:
        with urllib.request.urlopen(preview.url + "__preview/events") as events:
            events.readline(), events.readline()  # the state of the first build
            text = ZH.read_text(encoding="utf-8").replace("本指南寫給", "本指南（新版）寫給")
            (mini_site.root / "docs" / GUIDE_FILES["zh"]).write_text(text, encoding="utf-8")
            events.readline(), events.readline()  # the rebuild the change set off
        with urllib.request.urlopen(preview.url + "zh/guide/") as page:
            assert "本指南（新版）寫給" in page.read().decode("utf-8")
