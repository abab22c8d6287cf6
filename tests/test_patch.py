"""A preview's patch after an edit of entries: only their pages rendered, the bytes and record of a full build."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from actionplan.base.errors import BuildFailed
from actionplan.build.patch import LastBuild, patch, prepare
from actionplan.build.pipeline import Project, build
from actionplan.editors.preview_build import PreviewReuse
from actionplan.build.reuse import Reuse
from test_build import tree_digest

ENTRY = "outcomes/2018-Q3/3.2.2.tipo.md"
TRANSLATION = "outcomes/2018-Q3/3.1.1.mjib.en.md"


@pytest.fixture
def project(real_site) -> Project:
    """A copy of the shipped project whose content a test may change."""
    return real_site


@pytest.fixture
def last(project) -> LastBuild:
    """The project built into site/, kept as a preview keeps it."""
    reuse = PreviewReuse()
    build(project, project.root / "site", search=False, reuse=reuse)
    assert reuse.last is not None
    prepare(reuse.last)
    return reuse.last


def edit(project: Project, relative: str, old: str, new: str) -> Path:
    path = project.content / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def cold_build(project: Project, out_dir: Path) -> dict[str, str]:
    build(project, out_dir, search=False, reuse=Reuse(fresh=True))
    return tree_digest(out_dir)


def changed_files(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def test_a_patch_renders_only_the_pages_showing_the_entries_edited_and_gives_a_full_builds_bytes_and_record(
        project, last, tmp_path):
    site = project.root / "site"
    before = tree_digest(site)
    saved = {edit(project, ENTRY, "updated: 2026-11-21", "updated: 2026-11-30"),
             edit(project, ENTRY, "邀請法官", "另邀請法官"),
             edit(project, TRANSLATION, "\n---\n", "\n---\nThe Bureau also briefed prosecutors.\n\n")}
    report = patch(last, saved)
    assert report is not None and not report.unchanged
    after = tree_digest(site)
    assert after == cold_build(project, tmp_path / "cold")
    # The pages showing the entries (their measures', agencies' and quarter's, goal and tracking pages) in both
    # languages, and the pages dated by the newest entry; some come out the same (an agency's page lists its entries
    # without their text, and a Chinese page does not show the translation).
    changed = changed_files(before, after)
    assert len(changed) <= report.rendered <= 2 * 13
    assert {"zh/plans/2018/measures/3.2.2/index.html", "en/plans/2018/measures/3.1.1/index.html",
            "zh/agencies/tipo/index.html", "zh/quarters/2018-q3/index.html",
            "zh/quarters/2018-q3/goal-3/index.html", "en/quarters/2018-q3/tracking/index.html"} <= changed
    assert not any(path.startswith(("zh/plans/2018/measures/1.", "en/agencies/ida/", "assets/")) for path in changed)
    assert "另邀請法官" in (site / "zh/plans/2018/measures/3.2.2/index.html").read_text(encoding="utf-8")

    last.save()
    assert build(project, site, search=False, reuse=Reuse()).unchanged  # the record says what the site now is


def test_patches_follow_one_another_and_a_save_that_changes_nothing_is_no_rebuild(project, last, tmp_path):
    site = project.root / "site"
    path = edit(project, ENTRY, "邀請法官", "邀請各地法官")
    assert patch(last, {path}).rendered > 0
    path = edit(project, ENTRY, "邀請各地法官", "邀請全國法官")
    assert patch(last, {path}).rendered > 0
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")  # saved again as it is
    assert patch(last, {path}).unchanged
    assert tree_digest(site) == cold_build(project, tmp_path / "cold")


def test_a_patch_with_an_error_leaves_the_site_and_reports_the_file_and_line_and_the_fix_is_patched(
        project, last, tmp_path):
    site = project.root / "site"
    before = tree_digest(site)
    path = edit(project, ENTRY, "邀請法官", "邀請法官（見[說明](/zh/nowhere/)）")
    with pytest.raises(BuildFailed) as failed:
        patch(last, {path})
    report = failed.value.format_message()
    assert report.startswith('content/outcomes/2018-Q3/3.2.2.tipo.md:11: link "/zh/nowhere/": this site has no page')
    with pytest.raises(BuildFailed) as full:
        build(project, tmp_path / "full", search=False, reuse=Reuse())
    assert report == full.value.format_message()  # the words of a full build's report
    assert tree_digest(site) == before
    edit(project, ENTRY, "（見[說明](/zh/nowhere/)）", "（見[說明](/zh/plans/2018/)）")
    assert patch(last, {path}).rendered > 0
    assert tree_digest(site) == cold_build(project, tmp_path / "cold")


@pytest.mark.parametrize("change", ["new entry", "deleted entry", "plan", "goal cut anew", "temporary file"])
def test_what_a_patch_does_not_cover_is_left_to_a_full_build_and_the_site_is_untouched(project, last, change):
    site = project.root / "site"
    before = tree_digest(site)
    entry = project.content / ENTRY
    if change == "new entry":
        saved = project.content / "outcomes/2018-Q3/3.2.2.cip.md"
        shutil.copy(entry, saved)
    elif change == "deleted entry":
        entry.unlink()
        saved = entry
    elif change == "plan":
        saved = edit(project, "plans/2018/plan.yaml", "\n", "\n# 註記\n")
    elif change == "goal cut anew":  # heavier than a goal page holds: the goal's entries are cut into parts
        saved = edit(project, ENTRY, "邀請法官", "邀請法官" + "。另辦理座談會" * 8000)
    else:
        saved = project.content / "outcomes/2018-Q3/.3.2.2.tipo.md.swp"
        saved.write_text("swap", encoding="utf-8")
    result = patch(last, {saved})
    if change == "temporary file":
        assert result is not None and result.unchanged
    else:
        assert result is None
    assert tree_digest(site) == before
