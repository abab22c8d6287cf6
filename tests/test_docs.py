"""The README documents every content field and command, and CI runs the README's test command."""
from __future__ import annotations

import re
from pathlib import Path

from actionplan import corpus

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


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
