"""The editors' form at /admin/ (Decap CMS): the vendored bundle is the one its manifest names; config.yml agrees with
the entry schemas and the content model; the files it reads and writes are the site's own; it is kept out of search
and the site map; and in Debian's chromium, under the /admin/ Content-Security-Policy of netlify.toml, it starts,
lists the shipped entries, and saves edits and new entries under the right names, in files `check` accepts."""
from __future__ import annotations

import functools
import gzip
import hashlib
import json
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page

from actionplan.site import admin
from actionplan.site.admin import BACKEND, CONNECT_SOURCES, IDENTITY, Backend, configured_backend, decap_config, write_admin
from actionplan.base.errors import Problems
from actionplan.build.pipeline import Project, check, load
from actionplan.editors.serve import HeaderRule, PreviewHandler, header_rules, headers_for
from conftest import ROOT
from test_browser import PageWatch
from test_published_site import nu_checker_errors

VENDOR = ROOT / "actionplan/site/cms/vendor"
OUTCOMES = ROOT / "content/outcomes"
SCHEMAS = admin.load_entry_schemas()
WAIT_MS = 15_000


@pytest.fixture(scope="module")
def corpus():
    problems = Problems(ROOT)
    loaded = load(Project(ROOT), problems)
    assert loaded is not None, problems
    return loaded


@pytest.fixture(scope="module")
def config(corpus) -> dict:
    return decap_config(corpus, SCHEMAS, Backend("github", "example/actionplan"))


def fields_of(config: dict) -> dict[str, dict]:
    return {field["name"]: field for field in config["collections"][0]["fields"]}


def shipped_entries() -> list[tuple[Path, dict]]:
    """Return every shipped entry file, Chinese and English, with its front matter."""
    return [(path, yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1]))
            for path in sorted(OUTCOMES.glob("*/*.md"))]


# ───────────────────────────── the vendored bundle ─────────────────────────────

def test_the_vendored_bundle_is_the_release_its_manifest_names():
    manifest = json.loads((VENDOR / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["package"] == "decap-cms" and manifest["version"].startswith("3.")
    assert manifest["tarball"] == f"https://registry.npmjs.org/decap-cms/-/decap-cms-{manifest['version']}.tgz"
    assert re.fullmatch(r"sha512-[A-Za-z0-9+/]{86}==", manifest["integrity"])
    assert set(manifest["files"]) == {"decap-cms.js", "decap-cms.js.LICENSE.txt"}
    for name, recorded in manifest["files"].items():
        data = (VENDOR / name).read_bytes()
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (recorded["sha256"], recorded["bytes"]), name
    # The bundle says its own version when it starts; the browser test reads it there too.
    assert f'console.log("decap-cms {manifest["version"]}")'.encode() in (VENDOR / "decap-cms.js").read_bytes()
    assert "MIT License" in (VENDOR / "LICENSE").read_text(encoding="utf-8")


# ───────────────────────────── config.yml against the schemas and the corpus ─────────────────────────────

def test_every_schema_field_is_a_form_field_with_its_label_hint_requirement_and_pattern(config):
    zh = SCHEMAS["zh"]
    fields = fields_of(config)
    assert list(fields) == [*zh["properties"], "body"]
    for name, prop in zh["properties"].items():
        field = fields[name]
        assert field["label"] == f"{prop['x-title']['zh']} {prop['x-title']['en']}"
        assert field["hint"] == f"{prop['x-description']['zh']} {prop['x-description']['en']}"
        assert field["required"] is (name in zh["required"]), name
        if "pattern" in prop:
            assert field["pattern"] == [prop["pattern"], prop["patternErrorMessage"]]
        else:
            assert "pattern" not in field
    assert fields["updated"]["widget"] == "datetime" and fields["updated"]["format"] == "YYYY-MM-DD"
    assert fields["body"]["required"] is True and fields["body"]["widget"] == "markdown"


def test_the_english_file_gets_every_field_its_schema_has_and_no_other(config):
    zh, en = SCHEMAS["zh"], SCHEMAS["en"]
    fields = fields_of(config)
    for name, field in fields.items():
        if name == "body":
            assert field["i18n"] is True
        elif name in IDENTITY:
            assert field["i18n"] == "duplicate"  # the English file repeats the Chinese file's value
        elif name in en["properties"]:
            assert field["i18n"] is True
        else:
            assert field["i18n"] == "none", name  # reported_as: the Chinese file only
    # Decap checks the Chinese side only and gives a field one pattern: it must be the English schema's too, and
    # what the English file must have is what the Chinese file must have, repeated.
    assert set(en["required"]) <= set(IDENTITY) & set(zh["required"])
    for name, prop in en["properties"].items():
        assert prop.get("pattern") == zh["properties"][name].get("pattern"), name


def test_the_choices_are_the_corpus_editions_measures_and_agencies(config, corpus):
    fields = fields_of(config)
    assert [o["value"] for o in fields["plan"]["options"]] == list(corpus.plans)
    numbers = {m.id for plan in corpus.plans.values() for m in plan.measures}
    options = {o["value"]: o["label"] for o in fields["measure"]["options"]}
    assert set(options) == numbers and len(fields["measure"]["options"]) == len(numbers)
    for plan in corpus.plans.values():
        for measure in plan.measures:
            assert options[measure.id].startswith(measure.id + " ")
            assert f"〔{plan.id}〕{measure.text.zh}" in options[measure.id]
    agencies = {o["value"]: o["label"] for o in fields["agency"]["options"]}
    assert set(agencies) == set(corpus.agencies)
    for agency in corpus.agencies.values():
        assert agency.zh in agencies[agency.id] and agency.en in agencies[agency.id]


def test_the_workflow_opens_pull_requests_and_never_deletes_outside_one(config):
    collection = config["collections"][0]
    assert config["publish_mode"] == "editorial_workflow"
    assert config["i18n"] == {"structure": "multiple_files", "locales": ["zh", "en"], "default_locale": "zh"}
    assert collection["delete"] is False and collection["i18n"] is True
    assert config["backend"] == {"name": "github", "repo": "example/actionplan", "branch": "main"}


# ───────────────────────────── file names ─────────────────────────────

def prepare_slug(value: str) -> str:
    """What Decap makes of a field's value in a slug: lower case, no quotes, dots as dashes (its prepareSlug)."""
    return value.strip().lower().replace("'", "").replace(".", "-")


def fill(template: str, values: dict[str, str]) -> str:
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], template)


def decap_path(collection: dict, data: dict, locale: str) -> str:
    """Return the file Decap writes for a new entry in one locale (i18n multiple_files: the locale before .md)."""
    slug = fill(collection["slug"], {k: prepare_slug(str(v)) for k, v in data.items()})
    path = fill(collection["path"], {"slug": slug, **{k: prepare_slug(str(v)) for k, v in data.items()}})
    return f"{collection['folder']}/{path}.{locale}.{collection['extension']}"


def repository_path(path: str) -> str:
    """Return the file outcome-files.js makes of Decap's: the quarter's Q and the measure's dots back, and no
    locale for the default one (the same rules as the script, which the browser tests run for real)."""
    folder, quarter, name = path.rsplit("/", 2)
    quarter = re.sub(r"^(\d{4})-q([1-4])$", r"\1-Q\2", quarter)
    name = re.sub(r"^(\d+(?:-\d+)+)(\..+)$", lambda m: m.group(1).replace("-", ".") + m.group(2), name)
    return f"{folder}/{quarter}/{name.removesuffix('.zh.md') + '.md' if name.endswith('.zh.md') else name}"


def test_every_shipped_entry_and_translation_is_saved_under_its_own_name(config):
    collection = config["collections"][0]
    entries = shipped_entries()
    assert len(entries) > 117
    for path, data in entries:
        locale = "en" if path.name.endswith(".en.md") else "zh"
        saved = repository_path(decap_path(collection, data, locale))
        assert saved == path.relative_to(ROOT).as_posix()


def test_decaps_listing_pattern_finds_each_chinese_entry_once():
    # Decap lists an i18n folder collection with folder/(.*)\.<default locale>\..* over the names it is shown.
    pattern = re.compile(r"content/outcomes/(.*)\.zh\..*")
    shown = [p.relative_to(ROOT).as_posix() for p, _ in shipped_entries()]
    shown = [p if p.endswith(".en.md") else p.removesuffix(".md") + ".zh.md" for p in shown]
    listed = [p for p in shown if pattern.search(p)]
    assert len(listed) == len(list(OUTCOMES.glob("*/*.md"))) - len(list(OUTCOMES.glob("*/*.en.md")))


# ───────────────────────────── the built site ─────────────────────────────

def test_the_published_site_has_the_form_for_the_configured_backend(published_site, corpus):
    folder = published_site / "admin"
    assert (folder / "decap-cms.js").read_bytes() == (VENDOR / "decap-cms.js").read_bytes()
    assert (folder / "LICENSE").is_file() and (folder / "decap-cms.js.LICENSE.txt").is_file()
    config = yaml.safe_load((folder / "config.yml").read_text(encoding="utf-8"))
    assert config == decap_config(corpus, SCHEMAS, configured_backend())
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hant-TW">' in page and '<meta name="robots" content="noindex">' in page
    assert re.search(r"<title>[^<]+</title>", page)
    if admin.is_set_up(configured_backend()):
        assert re.findall(r'<script src="([^"]+)"', page) == [
            "/admin/manual-init.js", "/admin/decap-cms.js", "/admin/outcome-files.js"]
    else:
        assert "<script" not in page and "actionplan/site/admin.py" in page


def test_without_a_repository_the_form_says_how_to_set_it_up(tmp_path, corpus):
    (tmp_path / "assets").mkdir()
    shutil.copyfile(ROOT / "static/favicon.svg", tmp_path / "assets/favicon.svg")
    write_admin(tmp_path, corpus, Backend("github", None))  # as built anywhere but on Netlify
    page = (tmp_path / "admin/index.html").read_text(encoding="utf-8")
    assert "<script" not in page and "編輯表單尚未設定" in page and "BACKEND" in page


def test_the_form_page_is_valid_html_set_up_or_not(tmp_path, corpus):
    pages = []
    for backend in (Backend("github", "example/actionplan"), Backend("github", None)):
        site = tmp_path / str(len(pages))
        shutil.copytree(ROOT / "static", site / "assets")
        write_admin(site, corpus, backend)
        pages.append(site / "admin/index.html")
    assert nu_checker_errors(pages) == []


def test_the_form_is_not_searched_nor_in_the_site_map(published_site):
    urls = [json.loads(gzip.decompress(f.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]
            for f in (published_site / "pagefind").rglob("fragment/*.pf_fragment")]
    assert urls and not [url for url in urls if "admin" in url]
    for lang in ("zh", "en"):
        assert "/admin" not in (published_site / lang / "sitemap/index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in (published_site / "admin/index.html").read_text(encoding="utf-8")


# ───────────────────────────── headers ─────────────────────────────

@pytest.fixture(scope="module")
def rules() -> tuple[HeaderRule, ...]:
    return header_rules(ROOT / "netlify.toml")


def policy_of(rules, path: str) -> str:
    return headers_for(rules, path)["Content-Security-Policy"]


def test_no_path_of_the_site_is_sent_a_header_by_two_rules(published_site, rules):
    # A browser enforces every Content-Security-Policy it is sent, and Netlify applies every matching rule.
    paths = ["/", "/zh", "/admin", "/nowhere", "/zh/nowhere/", "/admin/nowhere"]
    paths += ["/" + p.relative_to(published_site).as_posix() for p in published_site.rglob("*") if p.is_file()]
    for path in paths:
        for name in {name for rule in rules for name in rule.values}:
            setting = [rule.pattern for rule in rules if rule.matches(path) and name in rule.values]
            assert len(setting) <= 1, (path, name, setting)


def test_the_admin_has_its_own_policy_and_every_other_page_the_sites(published_site, rules):
    site_policy = policy_of(rules, "/zh/")
    assert {rule.values["Content-Security-Policy"] for rule in rules
            if "Content-Security-Policy" in rule.values and rule.pattern != "/admin/*"} == {site_policy}
    for file in published_site.rglob("*.html"):
        path = "/" + file.relative_to(published_site).as_posix()
        expected = policy_of(rules, "/admin/") if path.startswith("/admin/") else site_policy
        assert policy_of(rules, path) == expected, path
    admin_policy = policy_of(rules, "/admin/config.yml")
    assert "script-src 'self' 'unsafe-eval';" in admin_policy and "'unsafe-inline'" not in admin_policy.split(
        "script-src")[1].split(";")[0]
    assert headers_for(rules, "/admin/")["X-Robots-Tag"] == "noindex"
    assert "X-Robots-Tag" not in headers_for(rules, "/zh/")


def test_the_admin_policy_allows_what_the_configured_backend_fetches_and_nothing_else(rules):
    directives = dict(d.strip().split(" ", 1) for d in policy_of(rules, "/admin/").split(";"))
    assert directives["connect-src"].split() == ["'self'", *CONNECT_SOURCES[BACKEND.name]]


def test_netlify_for_paths_match_as_netlify_matches_them():
    assert HeaderRule("/admin/*", {}).matches("/admin") and HeaderRule("/admin/*", {}).matches("/admin/config.yml")
    # Netlify's parser makes /admin/* ^/admin/?(.*)/?$, which /administration/ matches too; no such path exists.
    assert HeaderRule("/admin/*", {}).matches("/administration/")
    assert not HeaderRule("/admin/*", {}).matches("/zh/admin/")
    assert HeaderRule("/", {}).matches("/") and not HeaderRule("/", {}).matches("/zh/")
    assert HeaderRule("/*", {}).matches("/anything/at/all") and HeaderRule("/:lang/x", {}).matches("/zh/x")
    assert HeaderRule("/ZH/*", {}).matches("/zh/about/")  # Netlify matches case-insensitively


# ───────────────────────────── in the browser ─────────────────────────────

def admin_site(root: Path, corpus, backend: Backend) -> Path:
    """Return a site holding only the form (and the favicon it links), written for ``backend``."""
    shutil.copytree(ROOT / "static", root / "assets")
    write_admin(root, corpus, backend)
    return root


@pytest.fixture(scope="module")
def serve_site() -> Iterator:
    """Return a function serving a folder with netlify.toml's headers, as the test server does; all stop at the end."""
    servers = []

    def start(site: Path) -> str:
        handler = type("Handler", (PreviewHandler,), {"header_rules": header_rules(ROOT / "netlify.toml")})
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}/admin/"

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


def repo_files_script() -> str:
    """Return a script giving Decap's test backend the shipped entries, under their paths (window.repoFiles)."""
    tree: dict[str, dict] = {}
    for path in sorted(OUTCOMES.glob("*/*.md")):
        tree.setdefault(path.parent.name, {})[path.name] = {"content": path.read_text(encoding="utf-8")}
    # The backend lists a folder by its whole name and reads a file by walking the path: both lead to one tree.
    return (f"(() => {{ const tree = {json.dumps(tree, ensure_ascii=False)};"
            " window.repoFiles = {'content/outcomes': tree, content: {outcomes: tree}}; })();")


TEST_BACKEND_NOISE = "console warning: Unrecognized front-matter format."
"""Decap's test backend answers for a file it does not hold (the English file of a new entry) with nothing where
GitHub's answers 404, and Decap warns that nothing is no front matter before dropping that locale."""


def problems(watch: PageWatch) -> list[str]:
    """Return the problems a page recorded, less the test backend's noise."""
    return [problem for problem in watch.problems if problem != TEST_BACKEND_NOISE]


class FormWatch(PageWatch):
    """The form open in a page that records its problems, its console log and the policy it was served under."""

    def __init__(self, browser, url: str, repo_files: bool = False) -> None:
        super().__init__(browser)
        self.logs: list[str] = []
        self.page.on("console", lambda m: self.logs.append(m.text) if m.type == "log" else None)
        if repo_files:
            self.context.add_init_script(repo_files_script())
        self.page.set_default_timeout(WAIT_MS)
        response = self.page.goto(url)
        assert response is not None
        self.policy = response.headers["content-security-policy"]

    def versions(self) -> list[str]:
        """Return the versions Decap logged as it started."""
        return [m for m in self.logs if m.startswith("decap-cms ")]


def open_form(browser, url: str, repo_files: bool = False) -> FormWatch:
    return FormWatch(browser, url, repo_files)


def test_the_published_form_is_served_under_its_own_policy(browser, server, rules):
    watch = open_form(browser, server + "admin/")
    assert watch.policy == policy_of(rules, "/admin/")
    if admin.is_set_up(configured_backend()):
        watch.page.get_by_role("button", name=re.compile("GitHub")).wait_for()
    else:
        watch.page.get_by_role("heading", name=re.compile("編輯表單尚未設定")).wait_for()
    watch.close()
    assert watch.problems == []


def test_the_form_starts_under_its_policy_and_shows_the_github_login(browser, serve_site, tmp_path, corpus, rules):
    url = serve_site(admin_site(tmp_path, corpus, Backend("github", "example/actionplan")))
    watch = open_form(browser, url)
    watch.page.get_by_role("button", name=re.compile("GitHub")).wait_for()
    version = json.loads((VENDOR / "manifest.json").read_text(encoding="utf-8"))["version"]
    assert watch.versions() == [f"decap-cms {version}"]
    assert watch.policy == policy_of(rules, "/admin/")
    watch.close()
    assert watch.problems == []


def wait_for_entries(page: Page, count: int) -> None:
    page.wait_for_function("n => document.querySelectorAll('a[href*=\"/collections/outcomes/entries/\"]').length >= n",
                           arg=count, timeout=WAIT_MS)


def unpublished(page: Page) -> dict[str, str]:
    """Return what the test backend holds for review, as the pull requests would: {path: content}."""
    held = page.evaluate("() => Object.values(window.repoFilesUnpublished)")
    return {diff["path"]: diff["content"] for entry in held for diff in entry["diffs"]}


def choose(page: Page, label: str, text: str) -> None:
    page.get_by_label(label).first.click()
    page.keyboard.type(text)
    page.get_by_role("option", name=re.compile(re.escape(text))).first.click()


@pytest.fixture(scope="module")
def test_repo_form(browser, serve_site, tmp_path_factory, corpus) -> Iterator[FormWatch]:
    """Return the form on Decap's test backend holding the shipped entries, logged in, listing the collection."""
    url = serve_site(admin_site(tmp_path_factory.mktemp("admin"), corpus, Backend("test-repo")))
    watch = open_form(browser, url + "#/collections/outcomes", repo_files=True)
    watch.page.get_by_role("button", name="登入").click()
    yield watch
    watch.close()


def test_the_collection_lists_every_shipped_chinese_entry_once_with_both_languages(test_repo_form):
    page = test_repo_form.page
    chinese = [p for p in sorted((OUTCOMES / "2018-Q3").glob("*.md")) if not p.name.endswith(".en.md")]
    wait_for_entries(page, len(chinese))
    links = page.locator('a[href*="/collections/outcomes/entries/"]')
    assert links.count() == len(chinese)
    slugs = {href.split("/entries/")[1] for href in links.evaluate_all("links => links.map(a => a.href)")}
    assert slugs == {f"2018-Q3/{p.name.removesuffix('.md')}" for p in chinese}
    text = page.locator("body").inner_text()
    assert "執行成效 Outcome entries" in text and "2018-Q3 3.1.1 moj" in text
    assert problems(test_repo_form) == []


def test_an_entry_opens_with_chinese_beside_english_and_saves_under_its_names(test_repo_form):
    page = test_repo_form.page
    page.goto(page.url.split("#")[0] + "#/collections/outcomes/entries/2018-Q3/3.1.1.moj")
    completion = page.get_by_label("完成期程 Completion schedule")
    completion.first.wait_for()
    assert [completion.nth(i).input_value() for i in range(2)] == ["經常辦理", "Ongoing"]
    for label in ("季別 Quarter", "填報機關 Reporting agency", "填報時機關名稱 Name reported under"):
        assert page.get_by_text(label, exact=False).count() >= 1
    completion.first.fill("經常辦理（每季）")
    page.get_by_role("button", name="儲存").click()
    page.wait_for_function("() => Object.keys(window.repoFilesUnpublished).length > 0", timeout=WAIT_MS)
    saved = unpublished(page)
    assert set(saved) == {"content/outcomes/2018-Q3/3.1.1.moj.md", "content/outcomes/2018-Q3/3.1.1.moj.en.md"}
    assert "completion: 經常辦理（每季）" in saved["content/outcomes/2018-Q3/3.1.1.moj.md"]
    assert problems(test_repo_form) == []


def test_a_new_entry_is_saved_under_the_sites_name_without_an_empty_translation(test_repo_form, real_site):
    page = test_repo_form.page
    page.goto(page.url.split("#")[0] + "#/collections/outcomes/new")
    choose(page, "方案版本 Plan edition", "2024-2026")
    choose(page, "執行措施編號 Measure number", "3.1.5")
    choose(page, "填報機關 Reporting agency", "tipo")
    page.get_by_label("季別 Quarter").first.fill("2024-Q3")
    page.get_by_label("更新日期 Last updated").first.fill("2024-10-14")
    page.locator("[data-slate-editor]").first.click()
    page.keyboard.type("113年7月至9月查獲侵權金額共新臺幣156億5,264萬520元。")
    page.get_by_role("button", name="儲存").click()
    page.wait_for_function("() => Object.keys(window.repoFilesUnpublished).some(k => k.includes('2024'))",
                           timeout=WAIT_MS)
    saved = unpublished(page)
    assert "content/outcomes/2024-Q3/3.1.5.tipo.md" in saved
    assert not [path for path in saved if "2024" in path and path != "content/outcomes/2024-Q3/3.1.5.tipo.md"]
    assert problems(test_repo_form) == []

    # What the form saved, the edit and the new entry, is content `check --strict` accepts.
    for path, content in saved.items():
        target = real_site.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    check(real_site, strict=True)


def test_every_schema_pattern_is_a_javascript_pattern_every_shipped_value_matches(test_repo_form, config):
    patterns = {name: field["pattern"][0] for name, field in fields_of(config).items() if "pattern" in field}
    values = [(name, str(data[name])) for _, data in shipped_entries() for name in patterns if data.get(name)]
    failing = test_repo_form.page.evaluate(
        "([patterns, values]) => values.filter(([name, value]) => !new RegExp(patterns[name]).test(value))",
        [patterns, values])
    assert len(values) > 500 and failing == []


def test_a_netlify_build_takes_the_repository_netlify_deploys():
    assert BACKEND.repo is None  # else the repository named in admin.py is used everywhere
    netlify = configured_backend({"REPOSITORY_URL": "https://github.com/tipo-actionplan/reports"})
    assert (netlify.name, netlify.repo, netlify.branch) == ("github", "tipo-actionplan/reports", "main")
    assert configured_backend({"REPOSITORY_URL": "https://github.com/owner/name.git"}).repo == "owner/name"
    for elsewhere in ({}, {"REPOSITORY_URL": "https://gitlab.com/owner/name"}, {"REPOSITORY_URL": "https://github.com/x"}):
        assert configured_backend(elsewhere) == BACKEND
