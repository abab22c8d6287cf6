"""How a pull request travels: who must review it (CODEOWNERS), what CI runs (GitHub Actions), what Netlify
previews, and the checklist an agency editor ticks (the pull request template)."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import yaml

from actionplan.editors.serve import production_headers

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
OUTCOMES = ROOT / "content/outcomes"
ORG = "@tipo-actionplan"
SITE_TEAM = f"{ORG}/site-team"
# An entry's file name: <measure>.<agency>.md or <measure>.<agency>.en.md (measure ids are dotted digits).
ENTRY_NAME = re.compile(r"^(?P<measure>\d+(?:\.\d+)*)\.(?P<agency>[^./]+)(?P<en>\.en)?\.md$")
SHA = re.compile(r"^[0-9a-f]{40}$")


# ───────────────────────────── CODEOWNERS, read and matched as GitHub does ─────────────────────────────

@dataclass(frozen=True)
class Rule:
    """One CODEOWNERS line."""

    line: int
    """1-based line number in the file."""
    pattern: str
    """The path pattern, as written."""
    owners: tuple[str, ...]
    """The owners named after it (none means the path has no owner)."""


def read_rules(text: str) -> list[Rule]:
    """Return the rules of a CODEOWNERS file in order; comments and blank lines are skipped."""
    rules = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pattern, *owners = line.split()
        rules.append(Rule(number, pattern, tuple(owners)))
    return rules


@cache
def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """Return the regex for a gitignore-style pattern, matched against a path without a leading slash."""
    # GitHub's CODEOWNERS syntax is gitignore's without `!`, `[]` and escaped `#`: refuse those instead of
    # guessing. A pattern with a slash before its end is anchored at the root; otherwise it matches at any depth.
    if pattern.startswith("!") or "[" in pattern or "\\" in pattern:
        raise ValueError(f"CODEOWNERS does not support {pattern!r}")
    anchored = "/" in pattern.rstrip("/")
    body = pattern.strip("/")
    out, i = [], 0
    while i < len(body):
        if body.startswith("**/", i):  # zero or more directories
            out.append("(?:.*/)?")
            i += 3
        elif body.startswith("**", i):  # a trailing /**: everything inside
            out.append(".*")
            i += 2
        elif body[i] == "*":
            out.append("[^/]*")
            i += 1
        elif body[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(body[i]))
            i += 1
    return re.compile(("" if anchored else "(?:.*/)?") + "".join(out))


def matches(pattern: str, path: str) -> bool:
    """Return whether a CODEOWNERS pattern covers a repository file path (no leading slash)."""
    regex = _pattern_regex(pattern)
    parts = path.split("/")
    directories = ["/".join(parts[:n]) for n in range(1, len(parts))]
    if pattern.endswith("/"):  # `apps/`: only a directory, and then everything in it
        return any(regex.fullmatch(d) for d in directories)
    if regex.fullmatch(path):
        return True
    # A pattern naming a directory (`**/logs`, `/docs`) covers its files, but one ending in a wildcard does not
    # reach into subdirectories: GitHub documents that `docs/*` matches docs/a.md and not docs/build/b.md.
    last = pattern.rstrip("/").rsplit("/", 1)[-1]
    return "*" not in last and "?" not in last and any(regex.fullmatch(d) for d in directories)


def owning_rule(rules: list[Rule], path: str) -> Rule | None:
    """Return the rule that decides a path's owners: the last one that matches it."""
    found = None
    for rule in rules:
        if matches(rule.pattern, path):
            found = rule
    return found


def owners_of(rules: list[Rule], path: str) -> tuple[str, ...]:
    """Return the owners GitHub asks to review a change to path."""
    rule = owning_rule(rules, path)
    return rule.owners if rule else ()


@pytest.fixture(scope="module")
def rules() -> list[Rule]:
    return read_rules((GITHUB / "CODEOWNERS").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def agency_ids() -> list[str]:
    registry = yaml.safe_load((ROOT / "content/agencies.yaml").read_text(encoding="utf-8"))
    return [agency["id"] for agency in registry["agencies"]]


def team(agency: str) -> str:
    """Return the placeholder team that reviews an agency's entries."""
    return f"{ORG}/agency-{agency}"


def entry_patterns(agency: str) -> list[str]:
    """Return the four CODEOWNERS patterns of an agency's files: its entries, Chinese then English, and its
    responses to white papers, Chinese then English."""
    return [f"/content/outcomes/**/*.{agency}.md", f"/content/outcomes/**/*.{agency}.en.md",
            f"/content/whitepapers/*/responses/*.{agency}.md", f"/content/whitepapers/*/responses/*.{agency}.en.md"]


@pytest.mark.parametrize(("pattern", "path", "expected"), [
    # The examples of GitHub's CODEOWNERS documentation.
    ("*", "README.md", True),
    ("*", "content/outcomes/2018-Q3/1.1.1.tipo.md", True),
    ("*.js", "static/search.js", True),
    ("/build/logs/", "build/logs/a.log", True),
    ("/build/logs/", "x/build/logs/a.log", False),
    ("docs/*", "docs/getting-started.md", True),
    ("docs/*", "docs/build-app/troubleshooting.md", False),
    ("apps/", "apps/a.py", True),
    ("apps/", "deep/apps/a.py", True),
    ("apps/", "apps", False),
    ("/docs/", "docs/a/b.md", True),
    ("**/logs", "deeply/nested/logs/x.log", True),
    ("**/logs", "logs/x.log", True),
    ("/scripts/", "src/scripts/x.sh", False),
    # This file's entry patterns: any quarter, exactly one agency, one language.
    ("/content/outcomes/**/*.moj.md", "content/outcomes/2024-Q3/3.1.1.moj.md", True),
    ("/content/outcomes/**/*.moj.md", "content/outcomes/2024-Q3/3.1.1.moj.en.md", False),
    ("/content/outcomes/**/*.moj.md", "content/outcomes/2024-Q3/3.1.1.moj-prosecutorial.md", False),
    ("/content/outcomes/**/*.moj.en.md", "content/outcomes/2024-Q3/3.1.1.moj.en.md", True),
    ("/content/outcomes/**/*.moj.md", "content/plans/2018/3.1.1.moj.md", False),
    ("/content/outcomes/**/*.moj.md", "x/content/outcomes/2024-Q3/3.1.1.moj.md", False),
])
def test_codeowners_patterns_match_as_github_documents(pattern: str, path: str, expected: bool):
    assert matches(pattern, path) is expected


def test_codeowners_catch_all_comes_first_and_belongs_to_the_site_team(rules):
    # The last match wins, so a catch-all anywhere but first would take every entry away from its agency.
    assert rules[0].pattern == "*"
    assert rules[0].owners == (SITE_TEAM,)
    assert [r.line for r in rules if r.pattern == "*"] == [rules[0].line]


def test_every_agency_has_codeowners_lines_for_its_chinese_and_english_entries(rules, agency_ids):
    lines = {(r.pattern, r.owners) for r in rules}
    missing = [f"{p}  {team(a)}" for a in agency_ids for p in entry_patterns(a) if (p, (team(a),)) not in lines]
    assert missing == [], "add these lines to .github/CODEOWNERS:\n" + "\n".join(missing)
    for agency in agency_ids:
        for name in (f"9.9.9.{agency}.md", f"9.9.9.{agency}.en.md"):
            assert owners_of(rules, f"content/outcomes/2099-Q4/{name}") == (team(agency),), name


def test_codeowners_names_only_agencies_of_the_registry(rules, agency_ids):
    expected = [(p, (team(a),)) for a in agency_ids for p in entry_patterns(a)]
    actual = [(r.pattern, r.owners) for r in rules[1:]]
    stale = [f"line {r.line}: {r.pattern}" for r in rules[1:] if (r.pattern, r.owners) not in expected]
    assert stale == [], "remove these lines of .github/CODEOWNERS (no such agency in content/agencies.yaml)"
    assert actual == expected, "keep .github/CODEOWNERS in the order of content/agencies.yaml"


def test_every_shipped_entry_is_reviewed_by_its_own_agency_alone(rules, agency_ids):
    entries = sorted(OUTCOMES.glob("*/*.md"))
    assert len(entries) > 100 and any(p.name.endswith(".en.md") for p in entries)
    for path in entries:
        relative = path.relative_to(ROOT).as_posix()
        agency = ENTRY_NAME.match(path.name)["agency"]
        assert agency in agency_ids, relative
        rule = owning_rule(rules, relative)
        assert rule.owners == (team(agency),), f"{relative} is decided by line {rule.line}: {rule.pattern}"


@pytest.mark.parametrize("path", [
    "content/outcomes/2018-Q3/3.1.1.moj.md",
    "content/outcomes/2018-Q3/3.1.1.moj.en.md",
    "content/outcomes/2018-Q3/3.3.1.moea-optical-disc.en.md",
    "content/outcomes/2018-Q3/2.1.4.moea-legal.md",
])
def test_similar_agency_ids_do_not_take_each_others_entries(rules, path):
    agency = ENTRY_NAME.match(path.rsplit("/", 1)[1])["agency"]
    assert (ROOT / path).exists()
    assert owners_of(rules, path) == (team(agency),)


@pytest.mark.parametrize("path", [
    "build.py", "netlify.toml", "README.md", "pyproject.toml", "content/agencies.yaml", "content/site.yaml",
    "content/strings.yaml", "content/plans/2024-2026/plan.yaml", "actionplan/build/pipeline.py",
    "templates/base.html", "static/search.js", "tests/setup", ".ci/run", ".github/CODEOWNERS",
    ".github/workflows/ci.yml", ".github/PULL_REQUEST_TEMPLATE.md",
    # Something an editor puts in the wrong place is the site team's to see.
    "content/outcomes/2018-Q3/notes.txt", "content/outcomes/3.1.1.md",
])
def test_everything_but_the_entries_is_the_site_teams(rules, path):
    assert owners_of(rules, path) == (SITE_TEAM,)


def test_codeowners_says_its_teams_are_placeholders():
    head = (GITHUB / "CODEOWNERS").read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "PLACEHOLDERS" in head and ORG in head


# ───────────────────────────── GitHub Actions ─────────────────────────────

@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load((GITHUB / "workflows/ci.yml").read_text(encoding="utf-8"))


def test_ci_runs_on_pull_requests_and_pushes_to_main(workflow):
    # YAML 1.1 reads the bare key `on` as True.
    triggers = workflow.get("on", workflow.get(True))
    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]


def test_ci_job_runs_the_readme_test_command_in_debian(workflow):
    [job] = workflow["jobs"].values()
    assert [s["run"] for s in job["steps"] if "run" in s] == [".ci/run"]
    # tests/setup takes chromium from apt: on Ubuntu that is a snap shim, so the job runs in Debian.
    assert re.fullmatch(r"python:3\.11-bookworm", job["container"]["image"])
    assert job["runs-on"] == "ubuntu-latest"
    assert "sh tests/setup && .venv/bin/python -m pytest" in (ROOT / ".ci/run").read_text(encoding="utf-8")


def test_ci_reads_only_pins_its_actions_and_cancels_superseded_runs(workflow):
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["cancel-in-progress"] is True
    uses = [s["uses"] for job in workflow["jobs"].values() for s in job["steps"] if "uses" in s]
    assert uses and all(SHA.match(u.split("@")[1]) for u in uses), uses


# ───────────────────────────── Netlify ─────────────────────────────

@pytest.fixture(scope="module")
def netlify() -> dict:
    return tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("context", ["deploy-preview", "branch-deploy"])
def test_previews_build_like_production_with_warnings_fatal(netlify, context):
    command = netlify["context"][context]["command"]
    assert command == netlify["build"]["command"]
    assert command.endswith("python build.py build --strict")


def test_netlify_keeps_its_redirects_and_headers(netlify):
    assert netlify["build"]["publish"] == "site"
    assert [(r["from"], r["to"], r["status"]) for r in netlify["redirects"]] == [
        ("/", "/zh/", 302), ("/en/*", "/en/404.html", 404), ("/*", "/zh/404.html", 404)]
    assert [h["for"] for h in netlify["headers"]] == [
        "/*", "/", "/index.html", "/zh/*", "/en/*", "/pagefind/*", "/assets/*", "/admin/*",
        "/data/*.csv", "/data/*.json", "/data/*.ods", "/feeds/*"]  # the open data's types (test_open_data.py)


def test_the_preview_server_still_reads_the_production_headers(netlify):
    headers = production_headers(ROOT / "netlify.toml")
    policy = next(h["values"]["Content-Security-Policy"] for h in netlify["headers"] if h["for"] == "/zh/*")
    assert headers["Content-Security-Policy"] == policy
    assert policy.startswith("default-src 'self';") and "frame-ancestors 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in headers


# ───────────────────────────── Pull request template ─────────────────────────────

@pytest.fixture(scope="module")
def template() -> str:
    return (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")


def test_the_pull_request_template_is_a_bilingual_checklist(template):
    items = re.findall(r"^- \[ \] (.+)\n  (.+)$", template, re.M)
    assert len(items) >= 7
    han = re.compile(r"[\u4e00-\u9fff]")
    for chinese, english in items:
        # Each item: Chinese first, then the same in English on the next line of the same checkbox.
        assert han.search(chinese), chinese
        assert re.match(r"[A-Z][a-z]+\b", english), english
    # Traditional, not Simplified: none of the simplified forms of characters such a checklist uses.
    assert not set("检机关资审阅预览数据个确认语") & set(template)
    assert "季別" in template and "Quarter" in template and "機關" in template and "Agency" in template


@pytest.mark.parametrize("needle", [
    "python build.py check", "python build.py serve", "--strict", "Deploy Preview", "content/outcomes/",
    "<measure>.<agency>.md", "<measure>.<agency>.en.md", "個人資料", "personal data", "逐字", "exactly",
    "approved", "CODEOWNERS",
])
def test_the_pull_request_template_asks_for(template, needle):
    assert needle in template
