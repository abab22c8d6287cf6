"""A quarter's report printed to PDF in Debian's chromium (as tests/test_browser.py drives it): every entry's text of
a goal page is on paper, the navigation is not, links show their addresses, and the quarter page prints its goals."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from actionplan.site.routes import page_path

GOAL_PAGE = page_path("quarter-goal", "zh", "2018-q3/9")
QUARTER_PAGE = page_path("quarter", "zh", "2018-q3")


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def printed(browser, url: str, pdf: Path) -> tuple[str, dict]:
    """Print the page at ``url`` to ``pdf`` as a reader's browser does; return the PDF's text and what the page shows."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: run `sh tests/setup` (it installs Debian's poppler-utils)", pytrace=False)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        page.emulate_media(media="print")
        shown = page.evaluate("""() => ({
            // Each entry's text, block by block: a list's numbers are the browser's, not the text's.
            entries: [...document.querySelectorAll('.entry')].map(e =>
                [...e.querySelectorAll('h3, h4, p, li, th, td, dt, dd')].filter(b => b.getClientRects().length)
                    .map(b => b.innerText)),
            nav: [...document.querySelectorAll('.site-nav, .breadcrumb, .pager, .lang-switch')]
                 .map(e => getComputedStyle(e).display),
            links: [...document.querySelectorAll('main a[href^="/"]')].filter(a => a.getClientRects().length)
                   .map(a => a.getAttribute('href')),
            goals: [...document.querySelectorAll('.quarter-nav .goal-index a')].map(a => a.innerText),
        })""")
        page.pdf(path=str(pdf), format="A4", print_background=False)
    finally:
        context.close()
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text, shown


def test_a_goal_page_prints_every_entry_without_the_navigation(browser, server, tmp_path):
    text, shown = printed(browser, server + GOAL_PAGE.lstrip("/"), tmp_path / "goal.pdf")
    assert len(shown["entries"]) >= 5 and all(shown["entries"])
    assert set(shown["nav"]) == {"none"}
    on_paper = compact(text)
    without_addresses = re.sub(r"\(/[^()]*\)", "", on_paper)
    missing = [block[:40] for entry in shown["entries"] for block in entry if compact(block) not in without_addresses]
    assert missing == []
    assert "跳到主要內容區塊" not in text and "English" not in text  # the skip link and the language switch
    pages = text.count("\f")
    assert pages >= 2
    # Each link's address is printed after it (a long one may be broken over lines).
    # (pdftotext joins a word broken after a hyphen at the end of a line, dropping the hyphen)
    unshown = [link for link in shown["links"] if compact(f"({link})").replace("-", "") not in on_paper.replace("-", "")]
    assert shown["links"] and unshown == []


def test_the_quarter_page_prints_its_goals_and_the_addresses_of_its_links(browser, server, tmp_path):
    text, shown = printed(browser, server + QUARTER_PAGE.lstrip("/"), tmp_path / "quarter.pdf")
    on_paper = compact(text)
    assert len(shown["goals"]) == 9
    assert all(compact(goal) in on_paper for goal in shown["goals"])
    assert compact("(/tables/tracking-table-2018-q3-2018.odt)") in on_paper
    assert set(shown["nav"]) == {"none"}
