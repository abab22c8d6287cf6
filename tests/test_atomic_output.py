"""A build that fails at any stage leaves the previous site exactly as it was, and nothing beside it.

Each test builds the mini corpus once, breaks one stage for real where it can (content, templates, a Pagefind
that exits 1) and by a stand-in where it cannot (a full disk, Ctrl-C), builds again, and compares: the same
files with the same bytes, the same folder (not a copy swapped in), and no staging folder (``.site-*``) left.
"""
from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import actionplan.site.routes
import actionplan.site.search.pagefind
from actionplan.build.pipeline import Project, build
from actionplan.build.reuse import Reuse
from conftest import ROOT

# build.py is a script beside the package, not part of it.
sys.path.insert(0, str(ROOT))
import build as cli  # noqa: E402

FAILED = "Build failed: 1 error in 1 file. 建置失敗：1 個檔案共 1 個錯誤。"


class Before:
    """The previous site as the failed build found it."""

    def __init__(self, project: Project) -> None:
        self.site = project.root / "site"
        self.files = snapshot(self.site)
        self.inode = self.site.stat().st_ino
        self.siblings = sorted(p.name for p in project.root.iterdir())

    def assert_untouched(self) -> None:
        """Assert the site is the same folder with the same files and bytes, and nothing was left beside it."""
        assert snapshot(self.site) == self.files
        assert self.site.stat().st_ino == self.inode
        assert sorted(p.name for p in self.site.parent.iterdir()) == self.siblings
        assert not [p for p in self.site.parent.iterdir() if p.name.startswith(".site-")]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_build(project: Project, *flags: str) -> Result:
    # --fresh: these tests break the build by patching code, which the record of the last build cannot see.
    return CliRunner().invoke(cli.cli, ["build", "--fresh", "--root", str(project.root), *flags])


@pytest.fixture
def built(make_site) -> tuple[Project, Before]:
    """Return the mini project with a site already built into site/, and that site's state."""
    project = make_site({})
    first = run_build(project, "--no-search")
    assert first.exit_code == 0, first.output
    before = Before(project)
    assert len(before.files) > 20 and before.siblings == [
        ".build-entries-site.pickle", ".build-kept-entries-site.pickle", ".build-kept-site.pickle",
        ".build-state-site.json", ".build-templates-site", "content", "docs", "site", "static", "templates"]
    return project, before


def assert_reported(result: Result, first_line: str) -> None:
    """Assert the build failed as the tool reports failures: exit 1, the problem, the count, no traceback."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.output.splitlines()[0] == first_line
    assert result.output.splitlines()[-1] == FAILED


def fail_after(count: int, error: BaseException, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the ``count``-th file write of the build raise ``error``, with the earlier files written."""
    write_bytes = Path.write_bytes
    calls = []

    def failing(self: Path, data) -> int:
        calls.append(self)
        if len(calls) >= count:
            raise error
        return write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)


# 1. Validation


def test_content_error_leaves_the_previous_site_untouched(built):
    project, before = built
    entry = project.content / "outcomes/2024-Q3/2.1.1.customs.md"
    broken = entry.read_text(encoding="utf-8").replace("agency: customs", "agency: customs: x")
    entry.write_text(broken, encoding="utf-8")

    result = run_build(project, "--no-search")

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    # The message itself is held to its full line in test_validation.py.
    assert result.output.startswith("content/outcomes/2024-Q3/2.1.1.customs.md:4:16: YAML syntax error: ")
    assert result.output.splitlines()[-1] == FAILED
    before.assert_untouched()


# 2. Routing


def test_two_pages_writing_one_file_leave_the_previous_site_untouched(built, monkeypatch):
    # Ids are lower-case ASCII and unique, so real content cannot make two pages share a file: map the customs
    # agency's pages onto the tipo agency's, as two ids differing only by case would on a case-insensitive disk.
    project, before = built
    page_path = actionplan.site.routes.page_path

    def merged(kind: str, lang: str, key: str = "") -> str:
        return page_path(kind, lang, "tipo" if (kind, key) == ("agency", "customs") else key)

    monkeypatch.setattr(actionplan.site.routes, "page_path", merged)

    result = run_build(project, "--no-search")

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    # The wording is held to its full line in the routing tests; here what matters is that both files are named.
    problems = result.output.splitlines()
    assert [line for line in problems if "zh/agencies/tipo/index.html" in line]
    assert [line for line in problems if "en/agencies/tipo/index.html" in line]
    assert problems[-1] == "Build failed: 2 errors in 1 file. 建置失敗：1 個檔案共 2 個錯誤。"
    before.assert_untouched()


# 3. Rendering


def test_template_syntax_error_leaves_the_previous_site_untouched(built):
    project, before = built
    template = project.templates / "measure.html"
    lines = template.read_text(encoding="utf-8").split("\n")
    template.write_text("\n".join([*lines[:3], "{% if %}", *lines[3:]]), encoding="utf-8")

    result = run_build(project, "--no-search")

    assert_reported(result, "templates/measure.html:4: template error | 版型錯誤: Expected an expression, got 'end "
                            "of statement block': correct the template; content is not the cause | 請更正版型；問題不在內容")
    before.assert_untouched()


def test_undefined_template_variable_leaves_the_previous_site_untouched(built):
    project, before = built
    template = project.templates / "agency.html"
    lines = template.read_text(encoding="utf-8").split("\n")
    block = lines.index("{% block content %}")
    template.write_text("\n".join([*lines[:block + 1], "{{ no_such_variable }}", *lines[block + 1:]]), encoding="utf-8")

    result = run_build(project, "--no-search")

    assert_reported(result, f"templates/agency.html:{block + 2}: template error | 版型錯誤: 'no_such_variable' is "
                            "undefined: correct the template; content is not the cause | 請更正版型；問題不在內容")
    before.assert_untouched()


def test_a_missing_interface_string_asked_for_inside_a_macro_is_reported_at_the_macro_line(built):
    # The page helpers and macros are called past Jinja's own call (render._PageContext): the line must still be found.
    project, before = built
    template = project.templates / "macros.html"
    lines = template.read_text(encoding="utf-8").split("\n")
    line = next(index for index, text in enumerate(lines) if "h.t('completion')" in text)
    lines[line] = lines[line].replace("h.t('completion')", "h.t('no_such_string')")
    template.write_text("\n".join(lines), encoding="utf-8")

    result = run_build(project, "--no-search")

    assert_reported(result, f"templates/macros.html:{line + 1}: template error | 版型錯誤: interface string "
                            "\"no_such_string\" has no zh text in content/strings.yaml: correct the template; content is "
                            "not the cause | 請更正版型；問題不在內容")
    before.assert_untouched()


# 4. Writing


def test_full_disk_while_writing_leaves_the_previous_site_untouched(built, monkeypatch):
    # As root no permission stops a write, so the disk fills up instead, after some pages are already written.
    project, before = built
    fail_after(5, OSError(errno.ENOSPC, "No space left on device"), monkeypatch)

    result = run_build(project, "--no-search")

    assert_reported(result, "site: could not write the site | 無法寫入網站: [Errno 28] No space left on device: "
                            "the previous site is unchanged; free disk space or check the folder, then build again | "
                            "原有網站未更動；請釋出磁碟空間或檢查資料夾後重新建置")
    before.assert_untouched()


def test_failed_swap_puts_the_previous_site_back(built, monkeypatch):
    # The one moment the old site is out of place: between moving it aside and moving the new one in.
    project, before = built
    rename = Path.rename

    def failing(self: Path, target):
        if Path(target) == before.site and not self.name.startswith(".site-old-"):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", failing)

    result = run_build(project, "--no-search")

    assert_reported(result, "site: could not write the site | 無法寫入網站: [Errno 18] Invalid cross-device link: "
                            "the previous site is unchanged; free disk space or check the folder, then build again | "
                            "原有網站未更動；請釋出磁碟空間或檢查資料夾後重新建置")
    before.assert_untouched()


# 5. Indexing


def test_failing_search_index_leaves_the_previous_site_untouched(built, monkeypatch, tmp_path_factory):
    # A real process that starts writing its index, then exits 1, as Pagefind does on a bad page.
    project, before = built
    script = tmp_path_factory.mktemp("bin") / "pagefind"
    script.write_text('#!/bin/sh\nmkdir -p "$2/pagefind" && echo partial > "$2/pagefind/pagefind-entry.json"\n'
                      'echo "Error: could not parse a page" >&2\nexit 1\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(actionplan.site.search.pagefind, "pagefind_binary", lambda: script)

    result = run_build(project)

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.output.splitlines() == [
        "site: the search index could not be built | 無法建立搜尋索引: pagefind failed on en/site (1): Error: could not parse a "
        "page"
        ": the previous site is unchanged; fix what Pagefind reports, or preview with --no-search | "
        "原有網站未更動；請依 Pagefind 的訊息修正，或以 --no-search 預覽",
        FAILED,
    ]
    before.assert_untouched()


# 6. What nobody anticipated


@pytest.mark.parametrize("error", [RuntimeError("a bug mid-write"), KeyboardInterrupt()], ids=["bug", "ctrl-c"])
def test_unexpected_exception_mid_write_removes_the_staging_folder(built, monkeypatch, error):
    project, before = built
    fail_after(5, error, monkeypatch)

    with pytest.raises(type(error)):
        build(project, before.site, search=False, reuse=Reuse(fresh=True))

    before.assert_untouched()


def test_build_after_a_failed_one_replaces_the_site_and_leaves_nothing_beside_it(built, monkeypatch):
    project, before = built
    # What a build killed between its two renames leaves behind; the next build clears it.
    (project.root / f".site-old-{os.getpid()}").mkdir()
    (project.root / f".site-old-{os.getpid()}/index.html").write_text("stale", encoding="utf-8")
    entry = project.content / "outcomes/2024-Q3/2.1.1.customs.md"
    entry.write_text(entry.read_text(encoding="utf-8").replace("1,234 件", "1,235 件"), encoding="utf-8")

    result = run_build(project, "--no-search")

    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in project.root.iterdir()) == before.siblings
    after = snapshot(before.site)
    assert after.keys() == before.files.keys() and after != before.files
    assert stat.S_IMODE(before.site.stat().st_mode) == 0o755
