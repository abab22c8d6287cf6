"""The site as CI publishes it, checked whole: valid HTML on every page, no broken link or #fragment, the same bytes
from the same content."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from actionplan.build.pipeline import build
from actionplan.build.reuse import Reuse
from conftest import ROOT, _project_with, count, installed_tool
from sitelinks import broken_links


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def nu_checker_errors(files: list[Path]) -> list[str]:
    """Return every error the Nu Html Checker reports for the files, as ``file:line: message``."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: run `sh tests/setup` (it installs Debian's default-jre-headless)", pytrace=False)
    jar = installed_tool("vnu-jar/build/dist/vnu.jar")
    result = subprocess.run([java, "-jar", str(jar), "--errors-only", "--format", "json", *map(str, files)],
                            capture_output=True, text=True, check=False)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [f"{m.get('url', '')}:{m.get('lastLine', '')}: {m['message']}" for m in messages]


def test_every_page_in_both_languages_is_valid_html(published_site):
    pages = html_pages(published_site)
    assert len([p for p in pages if p.is_relative_to(published_site / "zh")]) == len(
        [p for p in pages if p.is_relative_to(published_site / "en")]) > 180
    errors = nu_checker_errors(pages)
    count("pages checked by the Nu Html Checker", len(pages))
    count("Nu Html Checker errors", len(errors))
    assert errors == []


def test_every_page_of_the_golden_site_is_valid_html(golden_site):
    # The golden site has a page of every kind, the archive pages the shipped content has none of included.
    pages = html_pages(golden_site)
    errors = nu_checker_errors(pages)
    count("pages checked by the Nu Html Checker", len(pages))
    count("Nu Html Checker errors", len(errors))
    assert errors == []


def test_every_title_is_one_line_of_text(published_site, golden_site):
    # A <title> is raw text to the browser: markup put there by a template shows as tags, and the Nu checker allows it.
    for site in (published_site, golden_site):
        for page in html_pages(site):
            html = page.read_text(encoding="utf-8")
            if "<title>" not in html:
                continue
            title = html.split("<title>", 1)[1].split("</title>", 1)[0]
            assert "<" not in title and "\n" not in title and title.strip() == title, (page, title)


def test_the_nu_checker_reports_what_it_should(tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text('<!doctype html><html lang="zh-Hant-TW"><title>x</title><p><div id="a" id="a"></p>',
                      encoding="utf-8")
    errors = nu_checker_errors([broken])
    assert any("Duplicate attribute" in e for e in errors), errors


def test_no_internal_link_or_fragment_is_broken_in_either_language(published_site):
    checked, broken = broken_links(published_site)
    count("internal links and #fragments checked", checked)
    count("broken links", len(broken))
    assert broken == []
    assert checked > 10_000


def test_no_internal_link_or_fragment_of_the_golden_site_is_broken(golden_site):
    checked, broken = broken_links(golden_site)
    count("internal links and #fragments checked", checked)
    count("broken links", len(broken))
    assert broken == []


def test_the_link_crawler_finds_missing_pages_fragments_and_stale_asset_versions(tmp_path):
    (tmp_path / "zh/about").mkdir(parents=True)
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets/site.css").write_text("body{}", encoding="utf-8")
    digest = hashlib.sha256(b"body{}").hexdigest()[:10]
    (tmp_path / "zh/about/index.html").write_text(
        '<h1 id="top">x</h1><a href="#top">ok</a><a href="../missing/">a</a><a href="/zh/about/#nowhere">b</a>'
        f'<link href="/assets/site.css?v={digest}"><link href="/assets/site.css?v=0000000000">'
        '<a href="https://example.org/x">external</a><a href="mailto:a@example.org">mail</a>', encoding="utf-8")
    checked, broken = broken_links(tmp_path)
    assert checked == 5
    assert broken == [
        "/zh/about/: ../missing/ → no such file /zh/missing/",
        '/zh/about/: /zh/about/#nowhere → no id "nowhere" on /zh/about/',
        f"/zh/about/: /assets/site.css?v=0000000000 → version is not the file's hash {digest}",
    ]


def test_two_builds_of_the_shipped_content_are_byte_identical(published_site, tmp_path):
    again = tmp_path / "site"
    build(_project_with(tmp_path, ROOT / "content"), again, strict=True, reuse=Reuse())

    def digest(root: Path) -> dict[str, str]:
        return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}

    first, second = digest(published_site), digest(again)
    assert any(name.startswith("pagefind/") for name in first)
    assert first == second
