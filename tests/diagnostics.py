"""Runs `build.py check` as an editor would and finds one diagnostic in what it reports."""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass

from click.testing import CliRunner

from actionplan.base.errors import ERROR, Problem, Problems
from actionplan.build.pipeline import Project, load
from conftest import ROOT

# build.py is a script beside the package, not part of it.
sys.path.insert(0, str(ROOT))
import build  # noqa: E402

_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class CheckRun:
    """What one `check` run printed and found."""

    exit_code: int
    output: str
    problems: list[Problem]
    """Every problem, errors and warnings, sorted by file and line."""


def run_check(project: Project, strict: bool = False) -> CheckRun:
    """Run `build.py check` on the project through its command line, and collect the problems it found."""
    args = ["check", "--root", str(project.root)] + (["--strict"] if strict else [])
    result = CliRunner().invoke(build.cli, args)
    problems = Problems(project.root)
    load(project, problems)
    return CheckRun(result.exit_code, result.output, sorted(problems.errors + problems.warnings))


def is_bilingual(text: str) -> bool:
    """Return whether a message reads `English | 中文`."""
    english, sep, chinese = text.partition(" | ")
    return bool(sep) and bool(re.search(r"[A-Za-z]{2}", english)) and bool(_CJK.search(chinese))


def expect(run: CheckRun, code: str, path: str, line: int, *, col: int | None = None, severity: str = ERROR) -> Problem:
    """Assert the run reported ``code`` at ``path:line`` with a bilingual message and hint, and printed it.

    An error must also fail the run with exit code 1; nothing may print a traceback.
    """
    found = [p for p in run.problems if p.code == code and p.path == path and p.line == line]
    assert found, f"no {code} at {path}:{line}; reported:\n" + "\n".join(f"{p.code} {p}" for p in run.problems)
    problem = found[0]
    if col is not None:
        assert problem.col == col, f"{code} at column {problem.col}, expected {col}"
    assert problem.severity == severity
    assert is_bilingual(problem.message), f"message is not English | 中文: {problem.message!r}"
    assert is_bilingual(problem.hint), f"hint (what to do) is not English | 中文: {problem.hint!r}"
    assert str(problem) in run.output.splitlines()
    assert "Traceback" not in run.output
    if severity == ERROR:
        assert run.exit_code == 1
    return problem


def codes(run: CheckRun) -> list[str]:
    """Return the codes of every problem the run found, in report order."""
    return [p.code for p in run.problems]
