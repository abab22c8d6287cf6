"""Writing what an importer made into content/, and only after the content as it would then be loads cleanly."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ..base.errors import Problems
from ..build.pipeline import Project, load


def check_in_a_copy(project: Project, writes: dict[Path, str], problems: Problems) -> None:
    """Add to ``problems`` every problem of the content as it will be after ``writes``, found in a copy, so that a
    wrong file is never written."""
    with tempfile.TemporaryDirectory() as scratch:
        trial = Project(Path(scratch))
        shutil.copytree(project.content, trial.content)
        write_files({trial.content / path.relative_to(project.content): text for path, text in writes.items()})
        trial_problems = Problems(trial.root)
        load(trial, trial_problems)
        for problem in trial_problems.errors + trial_problems.warnings:
            problems.add(project.root / problem.path, problem.line, problem.message, problem.hint, code=problem.code,
                         col=problem.col, severity=problem.severity)


def write_files(files: dict[Path, str]) -> None:
    """Write each text at its path, making its folder where needed."""
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
