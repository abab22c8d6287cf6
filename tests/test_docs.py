"""The README documents every content field and command, and CI runs the README's test command."""
from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from click.testing import CliRunner

from actionplan.content import corpus

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")

# build.py is a script beside the package, not part of it.
sys.path.insert(0, str(ROOT))
import build  # noqa: E402


def test_every_content_field_is_documented():
    fields = {*corpus.SITE_FIELDS, *corpus.AGENCY_FIELDS, *corpus.FORMER_FIELDS, *corpus.PLAN_FIELDS,
              *corpus.PERIOD_FIELDS, *corpus.GOAL_FIELDS, *corpus.STRATEGY_FIELDS, *corpus.MEASURE_FIELDS,
              *corpus.OUTCOME_FIELDS, *corpus.OUTCOME_EN_FIELDS}
    undocumented = sorted(f for f in fields if f"`{f}`" not in README and f"`{f}:`" not in README)
    assert undocumented == []


def test_every_command_is_documented():
    for command in ("build", "check", "serve", "new"):
        assert f"python build.py {command}" in README


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
