"""What a reader sees of the published site at a phone's width (390 px) and a laptop's (1280 px), in chromium."""
from __future__ import annotations

import pytest

from actionplan.site.routes import page_path


@pytest.fixture
def view(browser, server):
    """Return a function that opens a page of the published site at a width and returns the page."""
    contexts = []

    def open_page(kind: str, lang: str, key: str, width: int):
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.goto(server + page_path(kind, lang, key))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_edition_in_a_measures_breadcrumb_stays_on_one_line_on_a_phone(view, lang):
    page = view("measure", lang, "2018/1.1.1", 390)
    edition = page.locator(".breadcrumb .nowrap")
    assert edition.count() == 1
    text = edition.inner_text()
    assert text[0] == ("(" if lang == "en" else "（") and ("2018" in text or "107" in text), text
    lines = page.evaluate("e => e.getClientRects().length", edition.element_handle())
    assert lines == 1, f"{text!r} is broken over {lines} lines"


def test_measure_links_on_an_agency_page_are_underlined_under_their_words_only(view):
    page = view("agency", "en", "tipo", 390)
    links = page.locator("a.numbered")
    assert links.count() > 10
    found = page.evaluate("""a => {
        const num = a.querySelector('.num'), words = a.querySelector('.words');
        const line = e => getComputedStyle(e).textDecorationLine;
        return {link: line(a), words: line(words), numEnd: num.getBoundingClientRect().right,
                wordsStart: words.getClientRects()[0].left, text: words.textContent};
    }""", links.first.element_handle())
    assert found["link"] == "none" and found["words"] == "underline"
    # The underline begins with the first word: after the number, and not on a space before the words.
    assert found["wordsStart"] > found["numEnd"] and found["text"] == found["text"].lstrip()


@pytest.mark.parametrize("lang, separator", [("en", "; "), ("zh", "、")])
def test_agencies_are_listed_with_a_separator_their_names_do_not_hold(view, lang, separator):
    # 2018's 3.1.1 is led by several bodies, one named "Investigation Bureau, Ministry of Justice".
    page = view("measure", lang, "2018/3.1.1", 1280)
    between, names = page.evaluate("""() => {
        const dd = [...document.querySelectorAll('.facts dd')].find(d => d.querySelectorAll('a[href*="/agencies/"]').length > 1);
        return [[...dd.childNodes].filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.textContent), dd.textContent];
    }""")
    assert between and set(between) == {separator}
    if lang == "en":
        assert "Investigation Bureau, Ministry of Justice" in names


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_quarters_goal_list_is_numbered_once_and_its_box_as_tall_as_its_list(view, lang):
    page = view("quarter", lang, "2018-q3", 1280)
    goals = page.locator(".quarter-nav nav").first
    assert goals.locator("ol").count() == 0
    items = goals.locator("li")
    assert items.count() == 9
    assert page.evaluate("li => getComputedStyle(li).listStyleType", items.first.element_handle()) == "none"
    box = goals.bounding_box()
    agencies = page.locator(".quarter-nav nav").nth(1).bounding_box()
    last = items.last.bounding_box()
    assert box["y"] == agencies["y"]  # side by side at this width
    assert agencies["height"] > box["height"]
    assert box["y"] + box["height"] - (last["y"] + last["height"]) < 40, "the goal box ends well below its list"
