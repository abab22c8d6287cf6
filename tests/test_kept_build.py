"""A build after an edit of entries patches the site from what the last build kept on disk, with the bytes and record
of a cold build; whatever it cannot patch, or kept files that do not go with the record, get a full build."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from actionplan.build import kept_build
from actionplan.build.state import BuildState
from actionplan.base.errors import BuildFailed
from actionplan.build.pipeline import Project, build
from actionplan.build.reuse import Reuse, build_options
from test_build import tree_digest
from test_patch import edit

ENTRY = "outcomes/2018-Q3/3.2.2.tipo.md"
OTHER_QUARTER = "outcomes/2018-Q4/1.1.1.tipo.md"


@pytest.fixture
def project(real_site) -> Project:
    """A copy of the shipped project with a second quarter: one Chinese entry, reported again for 2018 Q4."""
    (real_site.content / "outcomes/2018-Q4").mkdir()
    for name in ("1.1.1.tipo.md",):
        text = (real_site.content / "outcomes/2018-Q3" / name).read_text(encoding="utf-8")
        (real_site.content / "outcomes/2018-Q4" / name).write_text(text.replace("quarter: 2018-Q3", "quarter: 2018-Q4"),
                                                                    encoding="utf-8")
    return real_site


@pytest.fixture
def site(project) -> Path:
    """The project built into site/ by a full build, which kept what the next needs to patch it."""
    report = build(project, project.root / "site", strict=True, search=False, reuse=Reuse())
    assert report.rendered == report.pages and not report.patched
    return project.root / "site"


def build_again(project: Project, site: Path, **options):
    return build(project, site, search=False, **{"strict": True, **options}, reuse=Reuse())


def assert_as_a_cold_build(project: Project, site: Path, tmp_path: Path) -> None:
    """Assert that ``site`` and its record are what a cold build of the content now makes."""
    cold = tmp_path / "cold"
    build(project, cold, strict=True, search=False, reuse=Reuse(fresh=True))
    assert tree_digest(site) == tree_digest(cold)
    assert BuildState.load(site).pages == BuildState.load(cold).pages  # the fingerprints too: the next build reuses them


def patched(report) -> bool:
    return report.patched and not report.unchanged


def test_edits_in_one_build_after_another_are_patched_with_the_bytes_and_record_of_a_cold_build(project, site, tmp_path):
    before = tree_digest(site)
    edit(project, ENTRY, "邀請法官", "另邀請法官")
    first = build_again(project, site)
    assert patched(first) and 0 < first.rendered <= 2 * 13
    changed = {path for path, digest in tree_digest(site).items() if before.get(path) != digest}
    assert "zh/plans/2018/measures/3.2.2/index.html" in changed and len(changed) <= first.rendered
    assert_as_a_cold_build(project, site, tmp_path)
    # The next patches start from the full build kept and the edits since. The pages listing every quarter are
    # planned again with the goal pages of the quarters out of the edit's scope as kept: 2018 Q3's hold the entry
    # the first patch read again.
    edit(project, OTHER_QUARTER, "\n---\n", "\n---\n另於本季辦理說明會1場。\n\n")
    assert patched(build_again(project, site))
    shutil.rmtree(tmp_path / "cold")
    assert_as_a_cold_build(project, site, tmp_path)
    edit(project, ENTRY, "另邀請法官", "再邀請法官")
    assert patched(build_again(project, site))
    assert "再邀請法官" in (site / "zh/plans/2018/measures/3.2.2/index.html").read_text(encoding="utf-8")
    shutil.rmtree(tmp_path / "cold")
    assert_as_a_cold_build(project, site, tmp_path)
    assert build_again(project, site).unchanged


def test_a_full_build_after_patches_keeps_itself_and_leaves_no_page_behind(project, site, tmp_path):
    edit(project, ENTRY, "邀請法官", "另邀請法官")
    assert patched(build_again(project, site))
    assert (site.parent / ".build-edits-site.pickle").exists()
    for name in ("3.1.1.moj.md", "3.1.1.moj.en.md"):
        (project.content / "outcomes/2018-Q3" / name).unlink()
    full = build_again(project, site)
    assert not patched(full) and not (site.parent / ".build-edits-site.pickle").exists()
    assert_as_a_cold_build(project, site, tmp_path)
    edit(project, ENTRY, "另邀請法官", "再邀請法官")
    assert patched(build_again(project, site))  # from what the full build kept
    shutil.rmtree(tmp_path / "cold")
    assert_as_a_cold_build(project, site, tmp_path)


EDITS = {
    # The newest date of the site moves: the pages dated by it (home, quarters, site map) are patched too.
    "updated date": (ENTRY, "updated: 2026-11-21", "updated: 2026-11-30"),
    "completion field": (ENTRY, 'completion: "經常辦理"', 'completion: "已完成"'),
    "translation only": ("outcomes/2018-Q3/3.1.1.moj.en.md", "completion: Ongoing", "completion: Completed"),
    "link to another page": (ENTRY, "邀請法官", "邀請法官（見[措施 1.1.1](/zh/plans/2018/measures/1.1.1/)）"),
    # Moved to another quarter: no patch takes it, a full build does, and the next edit is patched from it.
    "another quarter": (ENTRY, "quarter: 2018-Q3", "quarter: 2018-Q4"),
    # Heavier than a goal page holds: goal 3's entries of 2018 Q3 are cut into parts, and the pages linking them at
    # their goal page (their agencies' and measures' pages) link the part that now shows each, with no change of
    # their own. A full build takes it.
    "goal cut into parts": (ENTRY, "邀請法官", "邀請法官" + "。另辦理座談會" * 8000),
}
FULL_BUILD = {"another quarter", "goal cut into parts"}


@pytest.mark.parametrize("kind", EDITS)
def test_each_kind_of_entry_edit_and_the_edit_after_it_give_the_bytes_and_record_of_a_cold_build(
        project, site, tmp_path, kind):
    relative, old, new = EDITS[kind]
    if kind == "another quarter":  # the entry and its translation
        for name in ("3.2.2.tipo.md", "3.2.2.tipo.en.md"):
            (project.content / "outcomes/2018-Q3" / name).rename(project.content / "outcomes/2018-Q4" / name)
            edit(project, "outcomes/2018-Q4/" + name, old, new)
    else:
        edit(project, relative, old, new)
    report = build_again(project, site)
    assert patched(report) == (kind not in FULL_BUILD)
    assert_as_a_cold_build(project, site, tmp_path)
    edit(project, OTHER_QUARTER, "\n---\n", "\n---\n另於本季辦理說明會1場。\n\n")
    assert patched(build_again(project, site))
    shutil.rmtree(tmp_path / "cold")
    assert_as_a_cold_build(project, site, tmp_path)


@pytest.mark.parametrize("kept", ["of an earlier build", "cut short", "missing", "other options",
                                  "entries of another build", "entries cut short", "entries missing"])
def test_kept_files_that_do_not_go_with_the_record_are_not_used(project, site, tmp_path, kept):
    kept_file = site.parent / ".build-kept-site.pickle"
    entries_file = site.parent / ".build-kept-entries-site.pickle"
    earlier, entries = kept_file.read_bytes(), entries_file.read_bytes()
    edit(project, ENTRY, "邀請法官", "另邀請法官")
    if kept == "of an earlier build":  # a patched build's record, with the full build's kept and no edits
        assert patched(build_again(project, site))
        (site.parent / ".build-edits-site.pickle").unlink()
        edit(project, ENTRY, "另邀請法官", "再邀請法官")
    elif kept == "cut short":
        kept_file.write_bytes(earlier[: len(earlier) // 2])
    elif kept == "missing":
        kept_file.unlink()
    elif kept == "entries of another build":  # the same entries, kept by a build of other inputs
        edit(project, OTHER_QUARTER, "\n---\n", "\n---\n另於本季辦理說明會1場。\n\n")
        build(project, tmp_path / "other", strict=True, search=False, reuse=Reuse())
        shutil.copyfile(tmp_path / ".build-kept-entries-other.pickle", entries_file)
    elif kept == "entries cut short":
        entries_file.write_bytes(entries[: len(entries) - 100])
    elif kept == "entries missing":
        entries_file.unlink()
    report = build_again(project, site, strict=kept != "other options")
    assert not patched(report) and report.rendered < report.pages
    assert_as_a_cold_build(project, site, tmp_path)


def test_a_site_changed_by_hand_is_not_patched_but_built_again_where_changed(project, site, tmp_path):
    edit(project, ENTRY, "邀請法官", "另邀請法官")
    (site / "zh/about/index.html").write_bytes(b"defaced")
    report = build_again(project, site)
    assert not patched(report)
    assert_as_a_cold_build(project, site, tmp_path)


def test_a_patched_build_reports_the_warnings_of_a_full_one_and_in_strict_mode_fails_on_its_own(project, site,
                                                                                                 tmp_path):
    entry = edit(project, ENTRY, "邀請法官", "邀請\u200b法官")  # an invisible character: a warning
    before = tree_digest(site)
    with pytest.raises(BuildFailed) as failed:
        build_again(project, site)
    assert "content/outcomes/2018-Q3/3.2.2.tipo.md:" in failed.value.format_message()
    with pytest.raises(BuildFailed) as full:
        build(project, tmp_path / "full", strict=True, search=False, reuse=Reuse())
    assert failed.value.format_message() == full.value.format_message()  # the words of a full build's report
    assert tree_digest(site) == before and not (site.parent / ".build-edits-site.pickle").exists()
    lenient = build(project, tmp_path / "lenient", search=False, reuse=Reuse())
    edit(project, OTHER_QUARTER, "\n---\n", "\n---\n另於本季辦理說明會1場。\n\n")
    again = build(project, tmp_path / "lenient", search=False, reuse=Reuse())
    assert patched(again)
    assert [str(p) for p in again.problems.warnings] == [str(p) for p in lenient.problems.warnings]
    assert any(p.path == "content/" + ENTRY for p in again.problems.warnings)
    edit(project, "outcomes/2018-Q3/3.2.2.tipo.en.md", "\n---\n", "\n---\nJudges were invited.\n\n")
    again = build(project, tmp_path / "lenient", search=False, reuse=Reuse())  # the entry read again, from both its files
    assert patched(again)
    assert [str(p) for p in again.problems.warnings] == [str(p) for p in lenient.problems.warnings]
    entry.write_text(entry.read_text(encoding="utf-8").replace("\u200b", ""), encoding="utf-8")
    fixed = build(project, tmp_path / "lenient", search=False, reuse=Reuse())
    assert patched(fixed) and fixed.problems.warnings == []


def test_what_a_build_keeps_holds_only_what_a_patch_reads_of_the_pages(project, site):
    kept = kept_build.load_kept(site, BuildState.load(site).inputs, build_options(strict=True, search=False))
    assert kept is not None and len(kept.pages) == BuildState.load(site).report["pages"]
    contexts = {page.kind: set(page.context) for page in kept.pages}
    assert contexts["quarter"] == {"quarter", "goals"} and contexts["quarter-goal"] == {"outcomes"}
    assert all(not context for kind, context in contexts.items() if kind not in ("quarter", "quarter-goal"))



def test_a_patch_reads_whole_only_the_entries_of_the_quarters_its_pages_list(project, site, tmp_path, monkeypatch):
    read_whole = []
    whole = kept_build.whole

    def spied(out_dir, kept, quarters):
        read_whole.append(quarters)
        corpus = whole(out_dir, kept, quarters)
        withheld = [o for o in corpus.outcomes if isinstance(o, kept_build.Withheld)]
        assert {o.quarter.slug for o in withheld}.isdisjoint(quarters)
        read_whole.append(len(withheld))
        return corpus

    monkeypatch.setattr(kept_build, "whole", spied)
    # Taipei reported only for 2018 Q3, and measure 5.3.1 only then: 2018 Q4's entry is not read.
    edit(project, "outcomes/2018-Q3/5.3.1.taipei.md", "\n---\n", "\n---\n另於本季辦理說明會1場。\n\n")
    assert patched(build_again(project, site))
    assert read_whole == [{"2018-q3"}, 1]
    # The agency's page lists its latest quarter, 2018 Q4, whose entry is read whole with 2018 Q3's.
    edit(project, ENTRY, "邀請法官", "另邀請法官")
    assert patched(build_again(project, site))
    assert read_whole[2:] == [{"2018-q3", "2018-q4"}, 0]
    assert_as_a_cold_build(project, site, tmp_path)
    entry = kept_build.load_kept(site, BuildState.load(site).inputs, build_options(strict=True, search=False)).corpus.outcomes[0]
    assert isinstance(entry, kept_build.Withheld) and entry.quarter.slug == "2018-q3" and entry.anchor.startswith("entry-")
    with pytest.raises(kept_build.WithheldField):
        entry.body


def test_a_patch_that_finds_an_entry_withheld_on_its_pages_leaves_the_site_to_a_full_build(project, tmp_path,
                                                                                             monkeypatch):
    monkeypatch.setattr(kept_build, "quarters_shown", lambda pages: {})  # as if the pages listed no other quarter
    site = project.root / "site"
    build(project, site, strict=True, search=False, reuse=Reuse())
    edit(project, ENTRY, "邀請法官", "另邀請法官")  # TIPO's page lists 2018 Q4's entry, withheld
    report = build_again(project, site)
    assert not patched(report) and report.rendered < report.pages
    assert_as_a_cold_build(project, site, tmp_path)
