"""Whole builds: the shipped content, determinism with the search index, and atomic replacement of site/."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from actionplan.base.errors import BuildFailed
from actionplan.build.pipeline import build
from actionplan.build.reuse import Reuse
from actionplan.site.search import PAGEFIND_VERSION, pagefind_binary
from htmlpage import read_page


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def real_built(published_site) -> Path:
    return published_site


def test_real_content_builds_every_measure_in_both_languages(real_built):
    for lang in ("zh", "en"):
        measures = sorted(p.name for p in (real_built / lang / "plans/2024-2026/measures").iterdir())
        assert len(measures) == 68
        assert "3.1.5" in measures and "8.3.3" in measures
        assert (real_built / lang / "plans/2024-2026/index.html").exists()
        for page in ("agencies", "quarters", "search", "about", "sitemap", "privacy", "open-data"):
            assert (real_built / lang / page / "index.html").exists(), page
    # 38 agencies of the plans and tracking table, ten more that answer only the 2025 white paper, and the index.
    assert len(list((real_built / "zh/agencies").iterdir())) == 49


def test_real_measure_page_says_when_no_entries_are_published(real_built):
    zh = read_page(real_built / "zh/plans/2024-2026/measures/3.1.5/index.html")
    assert zh.h1 == ["每季公布偵辦侵害智慧財產權及營業秘密案件成效。"]
    assert "本措施尚無已刊登的執行成效。" in zh.text
    assert "經濟部智慧財產局" in zh.text and "臺灣高等檢察署智慧財產檢察分署" in zh.text
    en = read_page(real_built / "en/plans/2024-2026/measures/3.1.5/index.html")
    assert "No results have been published for this measure yet." in en.text


def test_real_plan_page_shows_the_tree_with_lead_agencies(real_built):
    page = read_page(real_built / "zh/plans/2024-2026/index.html")
    assert page.h1 == ["貫徹保護智慧財產權行動方案"]
    assert {f"goal-{n}" for n in range(1, 9)} <= page.ids
    assert "營造有利產業發展的智慧財產保護及運用環境" in page.text
    assert "各機關(單位)應於該季次月15日前將上一季執行成效填於執行進度成效表（如附件）" in page.text
    hrefs = {a.get("href") for a in page.links}
    assert "/zh/plans/2024-2026/measures/3.1.5/" in hrefs and "/zh/agencies/customs/" in hrefs


def test_search_index_is_built_by_the_pinned_extended_binary(real_built):
    assert pagefind_binary().name.startswith("pagefind_extended")
    entry = json.loads((real_built / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["version"] == PAGEFIND_VERSION
    assert set(entry["languages"]) == {"zh-hant-tw", "en"}


def test_two_builds_of_the_same_content_are_byte_identical(mini_site, tmp_path):
    build(mini_site, tmp_path / "one", reuse=Reuse())
    build(mini_site, tmp_path / "two", reuse=Reuse())
    first, second = tree_digest(tmp_path / "one"), tree_digest(tmp_path / "two")
    assert any(name.startswith("pagefind/") for name in first)
    assert first == second


def test_failed_build_leaves_the_previous_site_untouched(make_site, tmp_path):
    project = make_site({})
    out = tmp_path / "site"
    build(project, out, search=False, reuse=Reuse())
    before = tree_digest(out)
    (project.content / "outcomes/2024-Q3/1.1.1.tipo.md").write_text("---\nplan: 2024\n---\n", encoding="utf-8")
    with pytest.raises(BuildFailed):
        build(project, out, search=False, reuse=Reuse())
    assert tree_digest(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_template_error_fails_the_build_without_touching_the_site(mini_site, tmp_path):
    out = tmp_path / "site"
    build(mini_site, out, search=False, reuse=Reuse())
    before = tree_digest(out)
    (mini_site.templates / "measure.html").write_text("{% extends 'base.html' %}{% block content %}{{ no_such_name }}{% endblock %}")
    with pytest.raises(BuildFailed) as failure:
        build(mini_site, out, search=False, reuse=Reuse())
    assert "no_such_name" in str(failure.value)
    assert tree_digest(out) == before
