"""A pull request cannot make the build read the build machine (issue 26): every symbolic link among the sources is
refused with its path, whether it leads out of the repository or not, and nothing it points at is read or published;
a content file larger than any real one is refused from its size.

Each attack is made as a pull request would make it, on a project whose site is already built: `check` must report
it (code, place, both languages, exit 1, no traceback), and `build` must fail with the same line and leave the site
exactly as it was, holding nothing of the outside file.
"""
from __future__ import annotations

import os
import shutil
import sys
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from jinja2 import TemplateNotFound

from actionplan.base.errors import Problems
from actionplan.base.untrusted import MAX_SOURCE_BYTES, linked_paths
from actionplan.build.patch import patch
from actionplan.base.errors import BuildFailed
from actionplan.build.pipeline import Project, build
from actionplan.build.state import BuildState
from actionplan.content.sources import read_text
from actionplan.editors.serve import PreviewServer
from actionplan.site.render import make_environment
from actionplan.editors.preview_build import PreviewReuse
from actionplan.site.routes import page_path
from conftest import ROOT
from diagnostics import expect, run_check
from mini import CUSTOMS, CUSTOMS_PATH, entry
from test_atomic_output import Before, run_build

sys.path.insert(0, str(ROOT))
import build as cli  # noqa: E402

SECRET = "機密外洩測試 SECRET-26"
"""What the outside files hold: found in the site, it would have leaked."""


@pytest.fixture
def built(make_site, tmp_path) -> tuple[Project, Before, Path]:
    """Return the mini project (in ``tmp_path / "repo"``) with its site built, the site's state, and a folder
    outside the repository holding a valid entry with the secret."""
    project = make_site({})
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("content", "templates", "static", "docs"):
        (tmp_path / name).rename(repo / name)
    project = Project(repo)
    assert run_build(project, "--no-search").exit_code == 0
    outside = tmp_path / "outside"
    (outside / "2024-Q3").mkdir(parents=True)
    (outside / "2024-Q3" / "2.1.1.customs.md").write_text(entry(SECRET), encoding="utf-8")
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    (outside / "base.html").write_text(f"<p>{SECRET}</p>", encoding="utf-8")
    (outside / "guide.md").write_text(f"---\ntitle: x\n---\n{SECRET}\n", encoding="utf-8")
    return project, Before(project), outside


def replace_by_link(path: Path, target: Path) -> None:
    """Put a symbolic link to ``target`` where ``path`` is, as a pull request can (Git stores links)."""
    if path.is_dir() and not path.is_symlink():
        for child in sorted(path.rglob("*"), reverse=True):
            child.rmdir() if child.is_dir() else child.unlink()
        path.rmdir()
    elif path.exists() or path.is_symlink():
        path.unlink()
    path.symlink_to(target, target_is_directory=target.is_dir())


def assert_refused(project: Project, before: Before, rel: str, *flags: str) -> None:
    """Assert check and build both refuse the link at ``rel``, and the build left the site as it was."""
    run = run_check(project)
    problem = expect(run, "E-FILE-LINK", rel, 0)
    assert "symbolic link" in problem.message and "符號連結" in problem.message
    result = CliRunner().invoke(cli.cli, ["build", "--root", str(project.root), "--no-search", *flags])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert str(problem) in result.output.splitlines()
    before.assert_untouched()
    assert not any(SECRET.encode() in data for data in before.files.values())


def test_an_entry_file_linked_out_of_the_repository_is_refused_and_never_published(built):
    project, before, outside = built
    replace_by_link(project.content / CUSTOMS, outside / "2024-Q3/2.1.1.customs.md")
    assert_refused(project, before, CUSTOMS_PATH, "--fresh")


def test_an_entry_file_linked_out_is_refused_by_an_incremental_build_too(built):
    # Without --fresh, a build whose only change is an entry would patch the site from the last build: not for a link.
    project, before, outside = built
    replace_by_link(project.content / CUSTOMS, outside / "2024-Q3/2.1.1.customs.md")
    assert_refused(project, before, CUSTOMS_PATH)


def test_a_quarter_folder_linked_out_of_the_repository_is_refused(built):
    project, before, outside = built
    replace_by_link(project.content / "outcomes/2024-Q3", outside / "2024-Q3")
    assert_refused(project, before, "content/outcomes/2024-Q3", "--fresh")


def test_a_static_file_linked_out_of_the_repository_is_refused(built):
    project, before, outside = built
    (project.static / "leak.txt").symlink_to(outside / "secret.txt")
    assert_refused(project, before, "static/leak.txt", "--fresh")


def test_a_template_linked_out_of_the_repository_is_refused(built):
    project, before, outside = built
    replace_by_link(project.templates / "base.html", outside / "base.html")
    assert_refused(project, before, "templates/base.html", "--fresh")


def test_a_page_of_the_guide_linked_out_of_the_repository_is_refused(built):
    project, before, outside = built
    replace_by_link(project.docs / "editors-guide.en.md", outside / "guide.md")
    assert_refused(project, before, "docs/editors-guide.en.md", "--fresh")


def test_a_whole_source_folder_linked_out_of_the_repository_is_refused(built):
    # A working copy of the templates outside, with the secret in the footer: followed, it would build and leak.
    project, before, outside = built
    shutil.copytree(project.templates, outside / "templates")
    base = outside / "templates/base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</footer>", f"{SECRET}</footer>"), encoding="utf-8")
    replace_by_link(project.templates, outside / "templates")
    assert_refused(project, before, "templates", "--fresh")


def test_a_link_that_stays_inside_the_repository_is_refused_too(built):
    # Links are refused wherever they lead: Git for Windows checks them out as text files, and one rule needs no
    # path resolution to get right. Here a static file would publish a content file.
    project, before, _ = built
    (project.static / "site.yaml").symlink_to(Path("../content/site.yaml"))
    assert_refused(project, before, "static/site.yaml", "--fresh")


def test_every_link_of_a_run_is_reported_with_the_other_problems(built):
    project, _, outside = built
    (project.static / "leak.txt").symlink_to(outside / "secret.txt")
    replace_by_link(project.templates / "base.html", outside / "base.html")
    (project.content / CUSTOMS).write_text(entry(agency="nobody"), encoding="utf-8")
    run = run_check(project)
    expect(run, "E-FILE-LINK", "static/leak.txt", 0)
    expect(run, "E-FILE-LINK", "templates/base.html", 0)
    assert any(p.path == CUSTOMS_PATH and p.code != "E-FILE-LINK" for p in run.problems)
    assert run.output.splitlines()[-1].startswith("Build failed: ")


def test_emacs_lock_links_are_left_alone_as_nothing_reads_them(built):
    project, _, _ = built
    (project.content / "outcomes/2024-Q3/.#2.1.1.customs.md").symlink_to("user@host.1234:1700000000")
    assert linked_paths([project.content]) == []
    assert run_check(project).exit_code == 0


def test_the_template_loader_does_not_follow_a_link_even_when_asked_directly(built):
    project, _, outside = built
    replace_by_link(project.templates / "base.html", outside / "base.html")
    with pytest.raises(TemplateNotFound, match="symbolic link"):
        make_environment(project.templates).get_template("base.html")
    replace_by_link(project.templates, outside)  # the whole folder
    with pytest.raises(TemplateNotFound):
        make_environment(project.templates).get_template("base.html")


def test_read_text_never_reads_through_a_link(built):
    project, _, outside = built
    link = project.content / "leak.md"
    link.symlink_to(outside / "secret.txt")
    problems = Problems(project.root)
    assert read_text(link, problems) is None
    assert [(p.code, p.path) for p in problems.errors] == [("E-FILE-LINK", "content/leak.md")]


def test_the_build_record_hashes_a_link_without_reading_through_it(built, tmp_path):
    project, _, outside = built
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # reading it would block the test forever
    (project.static / "pipe").symlink_to(fifo)
    state = BuildState.load(project.root / "site")
    state.hash_sources([project.static], "")
    assert str(project.static / "pipe") in state.sources


def test_a_preview_patch_leaves_a_saved_link_to_the_full_build_which_refuses_it(built):
    # `build.py serve` patches the site from the build it keeps; an entry saved as a link goes to a full build.
    project, before, outside = built
    out = project.root / "preview"
    reuse = PreviewReuse()
    build(project, out, search=False, reuse=reuse)
    last = reuse.last
    replace_by_link(project.content / CUSTOMS, outside / "2024-Q3/2.1.1.customs.md")
    assert patch(last, {project.content / CUSTOMS}) is None
    with pytest.raises(BuildFailed) as failed:
        build(project, out, search=False, reuse=PreviewReuse())
    assert [(p.code, p.path) for p in failed.value.problems.errors] == [("E-FILE-LINK", CUSTOMS_PATH)]
    assert not any(SECRET in path.read_text(encoding="utf-8") for path in out.rglob("*.html"))


def test_the_preview_server_refuses_an_entry_saved_as_a_link_and_keeps_serving_the_last_good_site(built):
    project, _, outside = built
    shutil.copyfile(ROOT / "netlify.toml", project.root / "netlify.toml")
    with PreviewServer(project, port=0, search=False) as preview:
        served = preview.events.state.site
        replace_by_link(project.content / CUSTOMS, outside / "2024-Q3/2.1.1.customs.md")
        preview.rebuild({project.content / CUSTOMS})
        state = preview.events.state
        assert state.site == served
        assert state.problems and state.problems[0].startswith(f"{CUSTOMS_PATH}: this is a symbolic link")
        with urllib.request.urlopen(preview.url + page_path("measure", "zh", "2024-2026/2.1.1")) as page:
            html = page.read().decode()
        assert "本季查扣侵權物品" in html and SECRET not in html


def test_a_content_file_larger_than_any_real_one_is_refused_with_its_size_and_the_limit(built):
    project, before, _ = built
    body = "本季查扣侵權物品 1,234 件。\n" * (MAX_SOURCE_BYTES // 30)
    (project.content / CUSTOMS).write_text(entry(body), encoding="utf-8")
    size = (project.content / CUSTOMS).stat().st_size
    assert size > MAX_SOURCE_BYTES
    run = run_check(project)
    problem = expect(run, "E-FILE-SIZE", CUSTOMS_PATH, 0)
    assert f"{size:,} bytes" in problem.message and f"{MAX_SOURCE_BYTES:,}" in problem.message
    assert f"{size:,} 位元組" in problem.message
    result = run_build(project, "--no-search")
    assert result.exit_code == 1 and str(problem) in result.output.splitlines()
    before.assert_untouched()


def test_the_size_is_refused_before_the_file_is_read(built, monkeypatch):
    project, _, _ = built
    path = project.content / CUSTOMS
    with open(path, "r+b") as file:
        file.truncate(MAX_SOURCE_BYTES * 4096)  # 4 GiB, sparse: only its size says so
    problems = Problems(project.root)
    assert read_text(path, problems) is None
    assert [p.code for p in problems.errors] == ["E-FILE-SIZE"]


def test_the_limit_is_far_above_every_shipped_file():
    largest = max(path.stat().st_size for folder in ("content", "docs") for path in (ROOT / folder).rglob("*")
                  if path.is_file())
    assert largest * 10 < MAX_SOURCE_BYTES
