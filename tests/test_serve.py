"""The live preview in Debian's chromium, under the production CSP: the open page reloads after a good build, shows
the problems of a failed one over the last good site, and the published site carries none of it."""
from __future__ import annotations

import gzip
import json
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from actionplan.build.pipeline import Project, build
from actionplan.editors.preview_build import PendingIndex
from actionplan.site.routes import page_path
from actionplan.editors.serve import PreviewServer
from actionplan.build.reuse import Reuse
from conftest import ROOT, installed_tool
from mini import BODY, CUSTOMS, CUSTOMS_PATH, TIPO, entry
from test_browser import PageWatch, axe_violations

MEASURE = page_path("measure", "zh", "2024-2026/2.1.1")
"""The page showing the customs entry the tests edit."""
WAIT_MS = 10_000
PANEL = ".preview-problems"


@pytest.fixture
def project(mini_site: Project) -> Project:
    # The preview sends the headers of the project's own netlify.toml: the production CSP.
    shutil.copyfile(ROOT / "netlify.toml", mini_site.root / "netlify.toml")
    return mini_site


@pytest.fixture
def preview(project: Project) -> Iterator[PreviewServer]:
    with PreviewServer(project, port=0, search=False) as running:
        yield running


def save_entry(project: Project, body: str, **fields: str) -> None:
    (project.content / CUSTOMS).write_text(entry(body, **fields), encoding="utf-8")


def wait_for_text(page: Page, text: str) -> None:
    # A function, not an expression: Playwright eval()s expression strings, which the CSP refuses.
    page.wait_for_function("text => document.querySelector('main').textContent.includes(text)", arg=text,
                           timeout=WAIT_MS)


def main_text(page: Page) -> str:
    return page.locator("main").text_content() or ""


def test_the_open_page_reloads_after_an_edit_and_shows_a_failed_build_over_the_last_good_one(browser, project, preview):
    watch = PageWatch(browser)
    page = watch.page
    response = page.goto(preview.url + MEASURE)
    assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]
    assert "1,234" in main_text(page)

    save_entry(project, "本季查扣侵權物品 2,468 件。")
    wait_for_text(page, "2,468")
    assert page.locator(PANEL).count() == 0

    save_entry(project, "本季查扣侵權物品 3,579 件。", measure='"9.9.9"')
    panel = page.wait_for_selector(f"{PANEL}[role=alert]", timeout=WAIT_MS)
    assert f"{CUSTOMS_PATH}:3: the file name does not match its fields" in panel.text_content()
    assert "2,468" in main_text(page) and "3,579" not in main_text(page)

    save_entry(project, "本季查扣侵權物品 3,579 件。")
    wait_for_text(page, "3,579")
    assert page.locator(PANEL).count() == 0
    watch.close()
    assert watch.problems == []


def test_a_page_opened_on_a_failed_build_shows_its_problems_readably_at_320_px(browser, project, preview):
    save_entry(project, "本季查扣侵權物品 3,579 件。", measure='"9.9.9"')
    watch = PageWatch(browser)
    page = watch.page
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(preview.url + MEASURE)
    panel = page.wait_for_selector(PANEL, timeout=WAIT_MS)
    assert panel.get_attribute("role") == "alert" and panel.get_attribute("lang") == "en"
    assert page.evaluate("() => document.querySelector('.preview-problems li [lang=zh-Hant-TW]').textContent"
                         ).startswith("檔名與欄位不一致")
    assert page.evaluate("() => document.querySelector('.preview-problems').getBoundingClientRect().width") <= 320
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    assert "1,234" in main_text(page)
    rules, violations = axe_violations(page, installed_tool("axe-core/axe.min.js").read_text(encoding="utf-8"))
    assert rules > 50 and violations == []
    page.get_by_role("button", name="Close 關閉").click()
    assert page.locator(PANEL).count() == 0
    watch.close()
    assert watch.problems == []


def test_a_page_stops_asking_a_stopped_preview_after_a_few_quiet_attempts(browser, preview):
    watch = PageWatch(browser)
    page = watch.page
    # Fake timers, so the waits between attempts pass at once; the failed connections themselves are real.
    page.clock.install()
    attempts: list[str] = []
    page.on("request", lambda request: attempts.append(request.url) if "/__preview/events" in request.url else None)
    page.goto(preview.url + MEASURE)
    page.wait_for_function("() => document.querySelector('script[data-build]') !== null")
    preview.stop()
    for _ in range(12):
        page.clock.run_for(20_000)
        page.wait_for_timeout(100)
    given_up_after = len(attempts)
    page.clock.run_for(600_000)
    page.wait_for_timeout(300)
    watch.close()
    # The first connection and five retries. Chromium itself logs each refused one, and now and then the end of the
    # first as a reset (the stopping server cut it mid-stream); the script logs nothing.
    assert given_up_after == len(attempts) == 6
    reset = "console error: Failed to load resource: net::ERR_CONNECTION_RESET"
    assert watch.problems.count(reset) <= 1
    assert [problem for problem in watch.problems if problem != reset] == [
        "console error: Failed to load resource: net::ERR_CONNECTION_REFUSED"] * 5


def test_every_open_page_hears_every_build(project, preview):
    with urllib.request.urlopen(preview.url + "__preview/events") as first, \
            urllib.request.urlopen(preview.url + "__preview/events") as second:
        assert [read_event(first), read_event(second)] == [b'"site": "', b'"site": "']
        preview.rebuild()
        assert [read_event(first), read_event(second)] == [b'"site": "', b'"site": "']


def read_event(stream) -> bytes:
    """Return the start of the next event's data (the field naming the build)."""
    line = stream.readline()
    assert stream.readline() == b"\n"
    return line[len(b"data: {"):len(b"data: {") + 9]


def test_a_build_that_crashes_is_shown_as_a_problem_and_the_preview_goes_on(preview, monkeypatch, capsys):
    served = preview.events.state.site

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("actionplan.editors.serve.build", crash)
    preview.rebuild()
    state = preview.events.state
    assert state.site == served
    assert state.problems == ("the build stopped with an unexpected error | 建置時發生未預期的錯誤: RuntimeError: boom: "
                              "the terminal shows where | 詳見終端機的訊息",)
    assert "RuntimeError: boom" in capsys.readouterr().err
    monkeypatch.undo()
    preview.rebuild()
    assert preview.events.state.problems == () and preview.events.state.site != served


def test_only_served_pages_carry_the_reload_script(project, preview, tmp_path):
    with urllib.request.urlopen(preview.url + MEASURE) as served:
        assert b'<script src="/__preview/reload.js" data-build="' in served.read()
        assert served.headers["Cache-Control"] == "no-store"
    with urllib.request.urlopen(preview.url + "__preview/reload.js") as script:
        assert script.headers["Content-Type"].startswith("text/javascript")
    published = tmp_path / "published"
    build(project, published, reuse=Reuse())
    for site in (published, project.root / "site"):
        files = [path for path in site.rglob("*") if path.is_file()]
        assert len(files) > 40
        # The preview's paths, /__preview/…: Decap's bundle (admin/) has CSS classes named file__preview.
        assert [path for path in files if b"/__preview/" in path.read_bytes()] == []


def test_the_serve_command_prints_its_address_and_stops_on_ctrl_c(project):
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", "--no-search", "--root",
               str(project.root)]
    started = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [started.stdout.readline(), started.stdout.readline()]
        assert lines[0].startswith("Built ")
        url = lines[1].split()[1]
        assert lines[1].startswith("Serving http://localhost:") and url.endswith("/zh/")
        with urllib.request.urlopen(url) as home:
            assert home.status == 200
        started.send_signal(signal.SIGINT)
        out, err = started.communicate(timeout=10)
    finally:
        started.kill()
        started.wait()
    assert started.returncode == 0, err
    assert out.strip() == "Stopped. 已停止預覽。" and err == ""


def test_the_serve_command_names_a_port_in_use(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port), "--root",
                                 str(project.root)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert f"cannot serve on port {port}: Address already in use; choose another with --port | " \
           f"無法使用連接埠 {port}：Address already in use；請以 --port 指定其他連接埠" in result.stderr


@pytest.fixture
def searched_preview(project: Project) -> Iterator[PreviewServer]:
    with PreviewServer(project, port=0, search=True) as running:
        assert running.index_settled.wait(60)
        yield running


@pytest.fixture
def held_index(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Make the preview's indexing wait: return the event it sets on starting Pagefind, and the one that lets it go."""
    started, allowed = threading.Event(), threading.Event()
    index = PendingIndex.index

    def held(self, copies, staging):
        started.set()
        assert allowed.wait(60)
        return index(self, copies, staging)

    monkeypatch.setattr(PendingIndex, "index", held)
    return started, allowed


def next_build(events) -> str:
    """Return the build the next event of the preview's stream names, past keep-alive comments."""
    return next_event(events)["site"]


def next_event(events) -> dict:
    """Return the next event of the preview's stream, past keep-alive comments."""
    while True:
        line = events.readline()
        if line.startswith(b"data: "):
            return json.loads(line.removeprefix(b"data: "))


def indexed_text(site: Path) -> str:
    """Return the text of every page in the site's search index."""
    return "".join(json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))["content"]
                   for fragment in sorted((site / "pagefind").glob("*/*/fragment/*.pf_fragment")))


def test_the_open_page_reloads_as_soon_as_the_pages_are_written_and_the_search_index_follows(
        project, searched_preview, held_index):
    started, allowed = held_index
    site = project.root / "site"
    with urllib.request.urlopen(searched_preview.url + "__preview/events") as events:
        served = next_build(events)
        save_entry(project, "本季查扣 Zanzibar 專案物品 12 件。")
        assert next_build(events) != served  # the reload, while Pagefind has not even started
        assert started.wait(30)
    with urllib.request.urlopen(searched_preview.url + MEASURE) as page:
        assert "Zanzibar" in page.read().decode()
    assert "Zanzibar" not in indexed_text(site) and not searched_preview.index_settled.is_set()
    allowed.set()
    assert searched_preview.index_settled.wait(60)
    assert "Zanzibar" in indexed_text(site)
    assert build(project, site, search=True, reuse=Reuse()).unchanged  # the index is recorded as the pages'


def test_a_build_during_indexing_has_its_own_pages_indexed_not_the_older_ones(project, searched_preview, held_index):
    started, allowed = held_index
    site = project.root / "site"
    with urllib.request.urlopen(searched_preview.url + "__preview/events") as events:
        served = next_build(events)
        save_entry(project, "本季查扣 Alphaword 專案物品 12 件。")
        first = next_build(events)
        assert first != served and started.wait(30)
        save_entry(project, "本季查扣 Betaword 專案物品 12 件。")
        assert next_build(events) != first  # built and served while the older pages are being indexed
    allowed.set()
    assert searched_preview.index_settled.wait(60)
    assert "Betaword" in indexed_text(site) and "Alphaword" not in indexed_text(site)
    assert [path.name for path in site.parent.iterdir() if path.name.startswith(".site-")] == []


def test_an_edit_of_entries_is_patched_in_and_a_file_left_broken_keeps_the_build_failed_until_it_is_fixed(
        project, preview, monkeypatch):
    full_builds: list[object] = []
    full_build = build
    monkeypatch.setattr("actionplan.editors.serve.build", lambda *args, **kwargs: full_builds.append(args) or
                        full_build(*args, **kwargs))
    tipo = project.content / TIPO
    with urllib.request.urlopen(preview.url + "__preview/events") as events:
        served = next_build(events)
        save_entry(project, "本季查扣侵權物品 2,468 件。")
        patched = next_build(events)
        assert patched != served and "2,468" in served_text(preview, MEASURE)

        save_entry(project, "本季查扣侵權物品 3,579 件（見[說明](/zh/nowhere/)）。")
        failed = next_event(events)
        assert failed["site"] == patched
        assert failed["problems"][0].startswith(f'{CUSTOMS_PATH}:{BODY}: link "/zh/nowhere/": this site has no page')

        # Another entry saved fine: the broken one is still unsaved into the site, so the build is still failed.
        tipo.write_text(tipo.read_text(encoding="utf-8").replace("共12場次", "共13場次"), encoding="utf-8")
        still = next_event(events)
        assert still["site"] == patched and still["problems"] == failed["problems"]

        save_entry(project, "本季查扣侵權物品 3,579 件。")
        fixed = next_event(events)
        assert fixed["site"] != patched and fixed["problems"] == []
    assert "3,579" in served_text(preview, MEASURE)
    assert "共13場次" in served_text(preview, page_path("measure", "zh", "2024-2026/1.1.1"))
    assert full_builds == []  # every save was patched into the build kept from the first
    with preview._building:  # the record is written after the reload is sent
        assert build(project, project.root / "site", search=False, reuse=Reuse()).unchanged  # and recorded as a full build would


def served_text(preview: PreviewServer, path: str) -> str:
    with urllib.request.urlopen(preview.url + path) as page:
        return page.read().decode()
