"""Shared fixtures: a project folder built from fixture files, and the smallest bilingual corpus."""
from __future__ import annotations

import functools
import re
import shutil
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from actionplan.build.pipeline import Project
from actionplan.build.reuse import Reuse

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _project_with(tmp_path: Path, content: Path | None) -> Project:
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copytree(ROOT / "static", tmp_path / "static")
    shutil.copytree(ROOT / "docs", tmp_path / "docs")  # the editors' guide is a page of the site
    if content is not None:
        shutil.copytree(content, tmp_path / "content")
        # Interface strings are part of the templates' contract, not of the corpus under test.
        if not (tmp_path / "content/strings.yaml").exists():
            shutil.copyfile(ROOT / "content/strings.yaml", tmp_path / "content/strings.yaml")
    return Project(tmp_path)


@pytest.fixture
def mini_site(tmp_path: Path) -> Project:
    """Return a project holding the smallest bilingual corpus: two goals, two measures, three entries."""
    return _project_with(tmp_path, FIXTURES / "mini")


@pytest.fixture
def make_site(tmp_path: Path):
    """Return a function that writes ``{path: dedented text}`` over the mini corpus and returns the project."""

    def make(files: dict[str, str | bytes], base: str | None = "mini") -> Project:
        project = _project_with(tmp_path, FIXTURES / base if base else None)
        for rel, text in files.items():
            target = project.content / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if text is None:
                target.unlink()
            elif isinstance(text, bytes):
                target.write_bytes(text)
            else:
                target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return project

    return make


@pytest.fixture
def real_site(tmp_path: Path) -> Project:
    """Return a copy of the project with the shipped content."""
    return _project_with(tmp_path, ROOT / "content")


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> Path:
    """Return the site built from the shipped content with its search index, once per test run, as CI publishes it."""
    from actionplan.build.pipeline import build

    root = tmp_path_factory.mktemp("published")
    build(_project_with(root, ROOT / "content"), root / "site", strict=True)
    return root / "site"


GOLDEN_CONTENT = FIXTURES / "golden"
"""The golden site's content: the mini corpus with a measure and an agency reporting over seven quarters, so that
every kind of page is made, the archive pages the shipped content has none of yet included."""


@pytest.fixture(scope="session")
def golden_site(tmp_path_factory) -> Path:
    """Return the golden site built cold, without search: tests/test_golden_site.py holds it to tests/golden/, and
    the quality gates check its pages as they check the published site's."""
    from actionplan.build.pipeline import build

    root = tmp_path_factory.mktemp("golden")
    build(_project_with(root, GOLDEN_CONTENT), root / "site", strict=True, search=False)
    return root / "site"


def pytest_addoption(parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="write the golden site's output as the expected one (tests/golden/); review its diff")


# Chromium's own background traffic is refused on this network; these flags keep it from trying.
CHROMIUM_ARGS = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@contextmanager
def serving(site: Path) -> Iterator[str]:
    """Serve ``site`` with netlify.toml's production headers (its CSP); yield its base URL."""
    from actionplan.editors.serve import PreviewHandler, header_rules

    # Each path gets the headers of the rules matching it, as on Netlify: /admin/ has a policy of its own.
    handler = type("Handler", (PreviewHandler,), {"header_rules": header_rules(ROOT / "netlify.toml")})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def server(published_site) -> Iterator[str]:
    """Return the base URL of the published site, served as Netlify serves it."""
    with serving(published_site) as base:
        yield base


@pytest.fixture(scope="session")
def golden_server(golden_site) -> Iterator[str]:
    """Return the base URL of the golden site, served as Netlify serves it."""
    with serving(golden_site) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """Return Debian's chromium, driven by Playwright (which downloads no browser of its own)."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is missing: run `sh tests/setup` (it installs Debian's chromium)", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


TOOLS = Path(__file__).resolve().parent / "tools" / "node_modules"


def installed_tool(path: str) -> Path:
    """Return a checker installed by tests/setup, or fail saying how to install it (never skip: CI must run it)."""
    tool = TOOLS / path
    if not tool.exists():
        pytest.fail(f"{tool} is missing: run `sh tests/setup` (it installs the checkers from npm)", pytrace=False)
    return tool


# What the quality gates measured in this run, printed at the end so CI's log carries the figures of
# docs/quality-gates.md.
FIGURES: dict[str, int | str] = {}


def count(name: str, amount: int = 1) -> None:
    """Add ``amount`` to one of this run's figures."""
    FIGURES[name] = FIGURES.get(name, 0) + amount


def pytest_collection_modifyitems(items) -> None:
    cases = {int(m.group(1)) for item in items if (m := re.match(r"test_case_(\d+)_", item.name))}
    if cases:
        FIGURES["bad-input catalogue cases tested"] = len(cases)


def pytest_terminal_summary(terminalreporter) -> None:
    if FIGURES:
        terminalreporter.section("quality gates")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name}: {value:,}" if isinstance(value, int) else f"{name}: {value}")
