"""A small fixture project (tests/fixtures/golden: the mini corpus with a measure and an agency reporting over seven
quarters, so that every kind of page is made) is built and compared file by file with its expected output in
tests/golden/site/. Any change to any page shows as a diff in review.

After a change meant to change the pages, write the new expected output and review its diff:
``.venv/bin/python -m pytest tests/test_golden_site.py --update-golden``.
"""
from __future__ import annotations

import difflib
import hashlib
import shutil
from pathlib import Path

import pytest

from actionplan.base.errors import Problems
from actionplan.build.pipeline import load
from actionplan.content.guide import load_guide
from actionplan.site.kinds import KINDS
from actionplan.site.routes import PageSpec, plan_routes
from conftest import GOLDEN_CONTENT, _project_with

GOLDEN = Path(__file__).resolve().parent / "golden"
EXPECTED = GOLDEN / "site"
LARGE = GOLDEN / "large-files.sha256"
"""Files over ``VERBATIM`` bytes (the vendored editors' form) are held by their hash, not kept twice in the repository."""
VERBATIM = 256 * 1024


def files_of(site: Path) -> dict[str, Path]:
    return {path.relative_to(site).as_posix(): path for path in sorted(site.rglob("*")) if path.is_file()}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_golden(site: Path) -> None:
    shutil.rmtree(EXPECTED, ignore_errors=True)
    large = []
    for relative, path in files_of(site).items():
        if path.stat().st_size > VERBATIM:
            large.append(f"{sha256(path)}  {relative}\n")
            continue
        target = EXPECTED / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    LARGE.write_text("".join(large), encoding="utf-8")


def test_the_golden_site_builds_to_its_expected_output_file_by_file(golden_site, request):
    site = golden_site
    if request.config.getoption("--update-golden"):
        write_golden(site)
    built = files_of(site)
    expected = {**{relative: path for relative, path in files_of(EXPECTED).items()},
                **{line.split("  ", 1)[1]: None for line in LARGE.read_text(encoding="utf-8").splitlines()}}
    assert sorted(built) == sorted(expected), "pages came or went: review, then run with --update-golden"
    hashes = dict(reversed(line.split("  ", 1)) for line in LARGE.read_text(encoding="utf-8").splitlines())
    changed = []
    for relative, path in built.items():
        if expected[relative] is None:
            if sha256(path) != hashes[relative]:
                changed.append(f"{relative}: its hash changed\n")
        elif path.read_bytes() != expected[relative].read_bytes():
            changed.append("".join(difflib.unified_diff(
                expected[relative].read_text(encoding="utf-8").splitlines(keepends=True),
                path.read_text(encoding="utf-8").splitlines(keepends=True), f"expected/{relative}", f"built/{relative}",
                n=1)))
    assert not changed, (f"{len(changed)} files differ from tests/golden/site (review, then run with "
                         f"--update-golden):\n" + "".join(changed[:5])[:20_000])


def golden_pages(root: Path) -> list[PageSpec]:
    """Return the golden project's pages, as the build plans them, from a copy of the project made in ``root``."""
    project = _project_with(root, GOLDEN_CONTENT)
    problems = Problems(project.root)
    corpus = load(project, problems)
    assert corpus is not None, problems.report()
    return plan_routes(corpus, problems, load_guide(project.docs, problems))


def test_every_registered_kind_has_a_page_in_the_golden_or_the_shipped_site(tmp_path):
    # The quality gates check both sites: a kind with a page in neither would go unchecked.
    from test_browser import shipped_pages

    assert {page.kind for page in [*golden_pages(tmp_path), *shipped_pages()]} == set(KINDS)
