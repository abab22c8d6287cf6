"""The README is short and leads to every page of docs/; docs/ documents every content field, the README every
command; every relative link of the documents resolves; CI runs the README's test command."""
from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path
from urllib.parse import unquote, urlsplit

from click.testing import CliRunner
from markdown_it import MarkdownIt

from actionplan.content import corpus
from actionplan.content.guide import _headings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = sorted((ROOT / "docs").glob("*.md"))
CONTENT_MODEL = (ROOT / "docs/content-model.md").read_text(encoding="utf-8")
README_MAX_LINES = 300
"""A newcomer reads the README in five minutes; the reference is in docs/."""
"""Pages the README links that another branch adds; drop each once it is merged."""

# build.py is a script beside the package, not part of it.
sys.path.insert(0, str(ROOT))
import build  # noqa: E402

_MARKDOWN = MarkdownIt("commonmark").enable("table")  # GitHub's tables: links in their cells count too


def section(text: str, heading: str) -> str:
    """Return the text of the ``## heading`` section of a Markdown document, up to the next ``## ``."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"no section {heading!r}"
    return match.group(1)


def links(path: Path) -> list[tuple[int, str]]:
    """Return the line and target of every link and image of a Markdown file, code spans and blocks left out."""
    found = []
    tokens = _MARKDOWN.parse(path.read_text(encoding="utf-8"))
    for token in tokens:
        for child in token.children or ():
            attribute = {"link_open": "href", "image": "src"}.get(child.type)
            target = child.attrGet(attribute) if attribute else None
            if target is not None:
                found.append((token.map[0] + 1, target))
    return found


def anchors(path: Path) -> set[str]:
    """Return the ids GitHub gives the headings of a Markdown file."""
    return {slug for _, _, slug in _headings(_MARKDOWN.parse(path.read_text(encoding="utf-8")))}


def relative_target(source: Path, href: str) -> tuple[Path, str] | None:
    """Return the file and fragment a link of ``source`` points at, or None for a link that leaves the repository."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("/"):
        return None
    target = (source.parent / unquote(parts.path)).resolve() if parts.path else source
    return target, unquote(parts.fragment)


def test_the_readme_is_short():
    assert len(README.splitlines()) <= README_MAX_LINES


def test_every_content_field_is_documented_in_the_content_model():
    fields = {*corpus.SITE_FIELDS, *corpus.AGENCY_FIELDS, *corpus.FORMER_FIELDS, *corpus.PLAN_FIELDS,
              *corpus.PERIOD_FIELDS, *corpus.GOAL_FIELDS, *corpus.STRATEGY_FIELDS, *corpus.MEASURE_FIELDS,
              *corpus.OUTCOME_FIELDS, *corpus.OUTCOME_EN_FIELDS}
    undocumented = sorted(f for f in fields if f"`{f}`" not in CONTENT_MODEL and f"`{f}:`" not in CONTENT_MODEL)
    assert undocumented == []


def test_every_command_and_option_is_in_the_readme_commands_table():
    commands = section(README, "Commands")
    missing = []
    for name, command in build.cli.commands.items():
        if f"| `python build.py {name}" not in commands:
            missing.append(name)
        options = [opt for param in command.params for opt in param.opts if opt.startswith("--") and opt != "--help"]
        missing += [f"{name} {opt}" for opt in options if opt not in commands]
    assert len(build.cli.commands) >= 6
    assert missing == []


def test_the_readme_layout_names_every_folder_of_the_package():
    layout = section(README, "Project layout")
    folders = sorted(p.name for p in (ROOT / "actionplan").iterdir() if (p / "__init__.py").is_file())
    assert len(folders) >= 2
    assert [f for f in folders if f"`actionplan/{f}/`" not in layout] == []


def test_every_docs_page_is_linked_from_the_readme():
    targets = [relative_target(ROOT / "README.md", href) for _, href in links(ROOT / "README.md")]
    linked = {target for target, _ in filter(None, targets)}
    assert len(DOCS) >= 2
    assert [page.name for page in DOCS if page not in linked] == []


def test_every_relative_link_of_the_readme_and_docs_points_at_what_exists():
    broken = []
    for source in [ROOT / "README.md", *DOCS]:
        for line, href in links(source):
            resolved = relative_target(source, href)
            if resolved is None:
                continue
            target, fragment = resolved
            where = f"{source.relative_to(ROOT)}:{line}: {href}"
            if not target.exists() or ROOT not in target.parents:
                broken.append(where)
            elif fragment and target.suffix == ".md" and fragment not in anchors(target):
                broken.append(f"{where} (no such heading)")
    assert broken == []


def test_ci_runs_the_readme_test_command():
    blocks = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    test_command = next(b for b in blocks if "pytest" in b)
    assert test_command in (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()


def test_netlify_and_the_tests_build_with_warnings_fatal():
    netlify = (ROOT / "netlify.toml").read_text(encoding="utf-8")
    assert re.search(r'command = ".*python build\.py build --strict"', netlify)
    assert "strict=True" in (ROOT / "tests/conftest.py").read_text(encoding="utf-8")


def test_the_shipped_content_passes_check_with_warnings_fatal():
    result = CliRunner().invoke(build.cli, ["check", "--strict", "--root", str(ROOT)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Content OK. 內容檢查通過。"


def test_the_content_security_policy_allows_no_inline_or_foreign_script():
    config = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))
    # The site's policy, set per folder; /admin/ (Decap CMS) has its own, checked by tests/test_admin.py.
    policies = {rule["values"]["Content-Security-Policy"] for rule in config["headers"]
                if "Content-Security-Policy" in rule["values"] and rule["for"] != "/admin/*"}
    assert len(policies) == 1
    policy = policies.pop()
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    assert directives["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
