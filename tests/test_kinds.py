"""The registry of page kinds (actionplan/site/kinds.py) is the one place a kind is declared, and the rule patches
rely on is checked, not hoped: a page that holds entries is of a kind that declares it shows them, and such a kind
names the edits it must be rendered again for."""
from __future__ import annotations

import pytest

from actionplan.content.models import Outcome
from actionplan.site.kinds import KINDS, PageKind, UndeclaredEntries, check_context, entries_in
from actionplan.site.routes import PageSpec, Scope, page_path


def test_a_kind_that_shows_entries_names_the_edits_it_is_rendered_again_for():
    assert [name for name, kind in KINDS.items() if kind.shows_entries and kind.scope in (None, "site")] == []
    scopes = {name for name in Scope.__dataclass_fields__}
    assert {kind.scope for kind in KINDS.values()} - {None, "site"} <= scopes


def test_every_page_of_the_shipped_and_golden_sites_holds_entries_only_where_its_kind_declares_it(tmp_path):
    from test_browser import shipped_pages
    from test_golden_site import golden_pages

    pages: list[PageSpec] = [*shipped_pages(), *golden_pages(tmp_path)]
    holding = {page.kind for page in pages if entries_in(page.context)}
    assert holding and all(KINDS[kind].shows_entries for kind in holding)


def test_planning_a_page_that_holds_entries_its_kind_does_not_declare_fails_at_once():
    entry = object.__new__(Outcome)
    with pytest.raises(UndeclaredEntries, match="kind 'sitemap' holds entries"):
        check_context(KINDS["sitemap"], {"recent": [entry]})
    check_context(KINDS["measure"], {"outcomes": [entry]})  # declared: no error


def test_a_kind_s_address_is_made_from_its_pattern_and_key():
    assert page_path("measure", "zh", "2024-2026/3.1.5") == "zh/plans/2024-2026/measures/3.1.5/"
    assert page_path("quarter-goal", "en", "2018-q3/2018/3/part-2") == "en/quarters/2018-q3/2018-goal-3/part-2/"
    assert page_path("home", "en") == "en/"
    assert page_path("404", "zh") == "zh/404.html"
    with pytest.raises(ValueError):
        PageKind("x", "a/{one}/{two}/", "x.html").address("zh", "only-one")


def test_every_kind_has_a_template_that_exists():
    from conftest import ROOT

    assert [kind.template for kind in KINDS.values() if not (ROOT / "templates" / kind.template).is_file()] == []
