"""The published site in Debian's chromium, served with the production headers of netlify.toml: no WCAG 2.1 A/AA
violation by axe-core and no Content-Security-Policy violation on any page type in either language, search included."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from actionplan.base.errors import Problems
from actionplan.content.guide import load_guide
from actionplan.build.pipeline import Project, load
from actionplan.site.kinds import KINDS, entries_in
from actionplan.site.routes import PageSpec, page_path, plan_routes
from conftest import FIGURES, ROOT, count, installed_tool
from test_golden_site import golden_pages

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

EXTRA_PAGES = [("plan", "2024-2026"), ("measure", "2024-2026/3.1.5"), ("agency", "tipo"), ("measure", "2024-2026/8.1.1"),
               ("document", "apec-ipeg-2019-sme-ip"), ("document-part", "apec-ipeg-2019-sme-ip/s-5-annex-2")]
"""Pages checked besides each kind's richest: the current edition's, an agency with many entries, a measure with
related documents, and the APEC report's first page and its English annex."""


def shipped_pages() -> list[PageSpec]:
    problems = Problems(ROOT)
    corpus = load(Project(ROOT), problems)
    assert corpus is not None, problems.report()
    return plan_routes(corpus, problems, load_guide(Project(ROOT).docs, problems))


def richest_page_of_each_kind(pages: list[PageSpec]) -> dict[str, str]:
    """Return, by kind, the key of the page of that kind (in Chinese) that shows the most entries: every kind of page
    the site has, taken from the registry's kinds as the shipped site has them, never from a list kept by hand."""
    chosen: dict[str, PageSpec] = {}
    for page in pages:
        best = chosen.get(page.kind)
        if page.lang == "zh" and (best is None or len(entries_in(page.context)) > len(entries_in(best.context))):
            chosen[page.kind] = page
    return {kind: page.key for kind, page in chosen.items()}


def golden_only_pages() -> dict[str, str]:
    """Return, by kind, the golden site's richest page of each kind the shipped site has none of (archive pages)."""
    with tempfile.TemporaryDirectory() as root:
        golden = richest_page_of_each_kind(golden_pages(Path(root)))
    return {kind: key for kind, key in golden.items() if kind not in PAGES}


PAGES = richest_page_of_each_kind(shipped_pages())
GOLDEN_PAGES = golden_only_pages()
SEARCHES = {"zh": "營業秘密", "en": "customs"}


def urls() -> list[str]:
    """Return the shipped site's pages checked in the browser."""
    pairs = [*PAGES.items(), *EXTRA_PAGES]
    return [page_path(kind, lang, key) for lang in ("zh", "en") for kind, key in pairs]


def golden_urls() -> list[str]:
    """Return the golden site's pages checked in the browser: those of the kinds the shipped site has none of."""
    return [page_path(kind, lang, key) for lang in ("zh", "en") for kind, key in GOLDEN_PAGES.items()]


class PageWatch:
    """A page under the real CSP that records every CSP violation, console error and script error."""

    def __init__(self, browser: Browser) -> None:
        self.context = browser.new_context()
        self.page: Page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}")
                     if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        # Runs in an isolated world through the DevTools protocol, so the CSP under test does not apply to it.
        self.context.add_init_script("document.addEventListener('securitypolicyviolation', e => console.error("
                                     "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))")

    def close(self) -> None:
        self.context.close()


def search(page: Page, base: str, lang: str) -> int:
    """Search the site in one language the way a reader does; return the number of results shown."""
    page.goto(base + page_path("search", lang))
    page.fill("#search-q", SEARCHES[lang])
    page.press("#search-q", "Enter")
    page.wait_for_selector(".result .sub-results a", timeout=10_000)
    return page.locator(".result").count()


def test_every_registered_kind_of_page_is_checked_in_the_browser():
    # Every kind, from the registry: the shipped site's pages, and the golden site's for kinds the shipped content
    # has no page of yet (a measure's earlier years, an agency's earlier quarters).
    assert set(PAGES) | set(GOLDEN_PAGES) == set(KINDS)


def test_no_page_type_breaks_the_content_security_policy(browser, server, golden_server):
    watch = PageWatch(browser)
    for url in [server + url for url in urls()] + [golden_server + url for url in golden_urls()]:
        response = watch.page.goto(url)
        assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]
    for lang in SEARCHES:
        assert search(watch.page, server, lang) > 0
    watch.close()
    count("pages loaded under the production CSP", len(urls()) + len(golden_urls()) + len(SEARCHES))
    count("CSP violations and script errors", len(watch.problems))
    assert watch.problems == []


def test_the_policy_blocks_what_it_must(browser, server):
    """The watch sees a violation when there is one: an inline script under the site's own headers is refused."""
    watch = PageWatch(browser)
    watch.page.goto(server + "zh/")
    watch.page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
                        " document.body.append(s); }")
    ran = watch.page.evaluate("() => window.ran === 1")
    watch.close()
    assert not ran
    assert any("CSP violation: script-src" in p for p in watch.problems), watch.problems


def axe_violations(page: Page, axe_source: str) -> tuple[int, list[str]]:
    """Run axe-core's WCAG 2.1 A and AA rules on the page; return how many rules ran and each violation found."""
    page.evaluate(axe_source)  # through DevTools, like a reader's extension: the page's CSP does not apply
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
                           " resultTypes: ['violations']})", WCAG_21_AA)
    rules = sum(len(result[group]) for group in ("violations", "passes", "incomplete", "inapplicable"))
    found = [f"{v['id']} ({v['impact']}): {node['target']} {node['failureSummary']}"
             for v in result["violations"] for node in v["nodes"]]
    return rules, found


def record_axe(rules: int, violations: list[str]) -> None:
    count("pages checked by axe-core (WCAG 2.1 A/AA)")
    FIGURES["axe-core rules run on each page"] = rules
    count("axe-core violations", len(violations))


@pytest.fixture(scope="module")
def axe_source() -> str:
    return installed_tool("axe-core/axe.min.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("site, url", [("server", url) for url in urls()] +
                         [("golden_server", url) for url in golden_urls()])
def test_every_page_type_in_both_languages_meets_wcag_21_aa(browser, request, axe_source, site, url):
    page = browser.new_page()
    page.goto(request.getfixturevalue(site) + url)
    rules, violations = axe_violations(page, axe_source)
    page.close()
    record_axe(rules, violations)
    assert rules > 50
    assert violations == []


@pytest.mark.parametrize("lang", SEARCHES)
def test_search_results_meet_wcag_21_aa(browser, server, axe_source, lang):
    page = browser.new_page()
    assert search(page, server, lang) > 0
    rules, violations = axe_violations(page, axe_source)
    page.close()
    record_axe(rules, violations)
    assert violations == []


def test_axe_reports_what_it_should(browser, server, axe_source):
    page = browser.new_page()
    page.goto(server + "zh/about/")
    page.evaluate("() => { const img = document.createElement('img'); img.src = '/assets/favicon.svg';"
                  " document.querySelector('main').append(img); document.documentElement.removeAttribute('lang'); }")
    _, violations = axe_violations(page, axe_source)
    page.close()
    assert {v.split(" ")[0] for v in violations} >= {"image-alt", "html-has-lang"}
