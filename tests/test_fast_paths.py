"""The build's fast paths (work spread over cores, each text parsed once) give the bytes of the plain path."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from actionplan.base import parallel
from actionplan.content import corpus as corpus_module, markdown, plain_markdown
from actionplan.base.errors import ERROR, Problems
from actionplan.build.pipeline import Project, build, check, load
from actionplan.build.reuse import Reuse
from actionplan.build.report import BuildReport
from actionplan.editors.preview_build import PendingIndex, PreviewReuse
from actionplan.content.sources import MAYBE_FORMAT_CHAR, is_invisible
from actionplan.site.search import INDEX_CHUNK_SIZE, copy_indexable, pagefind_binary
from mini import CUSTOMS
from test_build import tree_digest

REPO = Path(__file__).resolve().parent.parent


def test_parallel_build_writes_the_bytes_of_a_serial_build(tmp_path, monkeypatch):
    parallel_site = tmp_path / "parallel"
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)
    build(Project(REPO), parallel_site, strict=True, search=False, reuse=Reuse())
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 10**9)
    serial_site = tmp_path / "serial"
    build(Project(REPO), serial_site, strict=True, search=False, reuse=Reuse())
    assert tree_digest(parallel_site) == tree_digest(serial_site)


def test_ordered_map_raises_where_a_worker_dies_instead_of_waiting_for_it(monkeypatch):
    from concurrent.futures.process import BrokenProcessPool

    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)
    parent = os.getpid()

    def dies_in_a_worker(n: int) -> int:
        if n == 3 and os.getpid() != parent:
            os._exit(9)  # as a worker killed for its memory
        return n
    with pytest.raises(BrokenProcessPool):
        parallel.ordered_map(dies_in_a_worker, list(range(8)), workers=2)
    assert parallel.ordered_map(lambda n: n + 1, [1, 2, 3, 4], workers=2) == [2, 3, 4, 5]  # and the next map runs


def test_ordered_map_keeps_the_order_of_the_items(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)
    items = list(range(1000))
    assert parallel.ordered_map(lambda n: n * n, items, workers=2) == [n * n for n in items]


def test_a_heading_is_shifted_as_the_page_asks_and_never_past_h6():
    text = "# One\n\n###### Six\n\n`<h2>` and <h3> stay text"
    assert markdown.render(text, 2) == ("<h3>One</h3>\n<h6>Six</h6>\n"
                                        "<p><code>&lt;h2&gt;</code> and &lt;h3&gt; stay text</p>\n")
    assert markdown.render(text).startswith("<h1>One</h1>")


def test_an_aligned_table_column_gets_a_class_not_an_inline_style_the_csp_would_block():
    plain = "| 月份 | 件數 |\n|:---|---:|\n| 7月 | 1,234 |\n"
    parsed = plain + "\n**合計** 1,234 件\n"  # emphasis: the parser's path, not the plain one
    for text in (plain, parsed):
        html = markdown.render(text)
        assert "style=" not in html
        assert '<th class="align-left">月份</th>' in html and '<td class="align-right">1,234</td>' in html
    assert plain_markdown.html(plain) == markdown.render(plain) and plain_markdown.html(parsed) is None


def test_the_format_character_search_finds_every_format_character_unicode_has():
    missed = [f"U+{code:04X}" for code in range(0x110000)
              if unicodedata.category(chr(code)) == "Cf" and not MAYBE_FORMAT_CHAR.fullmatch(chr(code))]
    assert missed == []
    assert is_invisible("\u200b") and MAYBE_FORMAT_CHAR.search("營業\u200b秘密")


def slow_path(text: str) -> tuple[str, list, bool]:
    """Return what the parsers make of a text: the publishing parser's HTML, and the checker's findings and links."""
    found = Problems(REPO)
    linked = markdown.check_markdown(text, REPO / "entry.md", 1, found)
    return markdown._renderer.render(text), found.found, linked


def assert_fast_path_matches_the_parsers(text: str) -> bool:
    """Assert that a text the plain-paragraph path takes is published and checked as the parsers do it; return
    whether it took the text."""
    fast = plain_markdown.html(text)
    html, findings, linked = slow_path(text)
    found = Problems(REPO)
    checked_linked, checked_html = markdown.check_and_render(text, REPO / "entry.md", 1, found)
    assert (checked_linked, found.found) == (linked, findings)
    # The HTML is made from the checker's parse where it can be, and never for a text with an error.
    assert checked_html in (None, html) and not (checked_html and any(f.severity == ERROR for f in findings))
    if fast is None:
        return False
    assert (fast, findings, linked) == (html, [], False)
    assert markdown.to_html(text) == html
    return True


# Lines as editors write them, and near misses of every block the paragraph path must leave to the parser.
LINE_PIECES = ("本局查獲", "仿冒品", "3 件", "Customs seized 1,234 items", '"quoted"', "2024-2026", "NT$1,000",
               "100%", "#", "# ", "＃", "-", "- ", "+ ", "=", "===", "---", "1.", "1. ", "2)", "１．", "・", "•",
               "> ", "|", "| a |", "| 件數 |", "|---|", "|:-:|", "| --: |", "|:--|", "||", "2) ", "+ ", "* ", "*", "_",
               "`", "~~~", "&amp;", "&", "<", ">", "[", "]", "!", "\\", " ", "  ",
               "    ", "\t", "\u3000", "\u00a0", "\u2028", "\r", "\x0b", "\x85", "é", "：", "。")
lines = st.lists(st.sampled_from(LINE_PIECES), max_size=5).map("".join)
texts = st.lists(lines, max_size=8).map("\n".join)


# Blocks as editors build them, lists and tables with every marker and alignment, their rows of any width, run
# together by one, two or three line ends.
words = st.lists(st.sampled_from(LINE_PIECES[:8] + ("", " ", "-", "1.", "#", "|", "\u3000", "*")),
                 max_size=3).map("".join)
list_blocks = st.builds(lambda marker, items: "\n".join(f"{marker} {item}" for item in items),
                        st.sampled_from(["-", "+", "*", "1.", "3.", "1)", "01.", "1234567890."]),
                        st.lists(words, min_size=1, max_size=4))
table_rows = st.lists(words, min_size=1, max_size=3).map(lambda cells: "|" + "|".join(cells) + "|")
delimiter_rows = st.lists(st.sampled_from(["---", ":-:", " --: ", ":--", "-", " ", ""]), min_size=1, max_size=3).map(
    lambda cells: "|" + "|".join(cells) + "|")
table_blocks = st.builds(lambda head, delimiter, body: "\n".join([head, delimiter, *body]),
                         table_rows, delimiter_rows, st.lists(table_rows, max_size=3))
blocks = st.one_of(lines, list_blocks, table_blocks)
structured_texts = st.builds(lambda parts, glue: glue.join(parts), st.lists(blocks, min_size=1, max_size=4),
                             st.sampled_from(["\n\n", "\n", "\n\n\n"]))


@settings(max_examples=1000, derandomize=True, database=None, deadline=None)
@given(text=st.one_of(texts, structured_texts))
@example(text="本局查獲\n仿冒品 3 件\n\nCustoms seized 1,234 items\nin 2024-2026")
@example(text="仿冒品\n\n\n\n本局查獲")
@example(text="本局查獲\n===")
@example(text="本局查獲  \n仿冒品")
@example(text="| 月份 | 件數 |\n|---|--:|\n| 1月 | 153 |\n| 2月 | 8 |\n\n- 查獲 3 件\n- 移送 2 人\n\n本季持續辦理。")
@example(text="1. 第一項\n2. 第二項\n\n3. 第三項")
@example(text="3. 第三項\n4. 第四項")
@example(text="| a | b |\n|---|---|\n| 1 |")
@example(text="| |  |\n|---|---|\n| 1 | 2 |")
def test_plain_texts_are_published_and_checked_as_the_parsers_do_it(text):
    assert_fast_path_matches_the_parsers(text)


def test_the_plain_path_takes_most_shipped_entries_and_matches_the_parsers_on_all():
    corpus = load(Project(REPO), Problems(REPO))
    texts = [text for outcome in corpus.outcomes for text in (outcome.body.zh, outcome.body.en) if text]
    taken = [text for text in texts if assert_fast_path_matches_the_parsers(text)]
    assert len(texts) > 100 and len(taken) > len(texts) / 2


def test_the_plain_path_takes_most_texts_of_the_benchmark_archive_and_matches_the_parsers_on_all(tmp_path):
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import synthetic
    finally:
        sys.path.remove(str(REPO / "bench"))
    synthetic.generate(tmp_path, 1, 0, synthetic.PROFILES["issue"])  # a year of entries, with long lists and tables
    corpus = load(Project(tmp_path), Problems(tmp_path))
    texts = [text for outcome in corpus.outcomes for text in (outcome.body.zh, outcome.body.en) if text]
    taken = [text for text in texts if assert_fast_path_matches_the_parsers(text)]
    assert len(texts) == 1360 and len(taken) > len(texts) * 0.9
    assert any("<table>" in markdown.to_html(text) for text in taken)
    assert any("<ol" in markdown.to_html(text) for text in taken) and any("<ul>" in markdown.to_html(text) for text in taken)


@pytest.fixture
def project(tmp_path) -> Project:
    """A copy of the shipped project whose content a test may change."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "docs", root / "docs")
    for name in ("templates", "static"):
        shutil.copytree(REPO / name, root / name)  # not linked: the build refuses links among its sources
    return Project(root)


def cold_build(project: Project, out_dir: Path) -> dict[str, str]:
    build(project, out_dir, strict=True, search=False, reuse=Reuse(fresh=True))
    return tree_digest(out_dir)


def test_a_rebuild_after_an_edit_renders_only_what_shows_the_entry_and_matches_a_cold_build(project, tmp_path):
    site = project.root / "site"
    first = build(project, site, strict=True, search=False, reuse=Reuse())
    assert first.rendered == first.pages
    entry = project.content / "outcomes/2018-Q3/3.2.2.tipo.md"
    entry.write_text(entry.read_text(encoding="utf-8").replace("updated: 2026-11-21", "updated: 2026-11-22")
                     + "\n另於107年9月辦理說明會1場。\n", encoding="utf-8")
    again = build(project, site, strict=True, search=False, reuse=Reuse())
    assert 0 < again.rendered < again.pages / 10
    assert tree_digest(site) == cold_build(project, tmp_path / "cold")
    assert "另於107年9月辦理說明會1場。" in (site / "zh/plans/2018/measures/3.2.2/index.html").read_text(encoding="utf-8")


def test_a_rebuild_after_deleting_an_entry_leaves_no_page_behind_that_shows_it(project, tmp_path):
    site = project.root / "site"
    build(project, site, strict=True, search=False, reuse=Reuse())
    for name in ("3.1.1.moj.md", "3.1.1.moj.en.md"):
        (project.content / "outcomes/2018-Q3" / name).unlink()
    build(project, site, strict=True, search=False, reuse=Reuse())
    assert tree_digest(site) == cold_build(project, tmp_path / "cold")
    assert "entry-2018-q3-3-1-1-moj" not in (site / "zh/quarters/2018-q3/goal-3/index.html").read_text(encoding="utf-8")
    assert "entry-2018-q3-3-1-1-moj" not in (site / "zh/quarters/2018-q3/index.html").read_text(encoding="utf-8")


def test_a_rebuild_with_nothing_changed_does_nothing_and_one_after_a_template_change_renders_everything(project, tmp_path):
    site = project.root / "site"
    build(project, site, strict=True, search=False, reuse=Reuse())
    before = tree_digest(site)
    (project.content / "site.yaml").touch()  # a new time, the same bytes
    again = build(project, site, strict=True, search=False, reuse=Reuse())
    # 396 pages, and the white paper's 2 × 106 (its overview, 9 issue pages, 74 responses, 18 agencies, 4 statuses)
    # with the pages of the ten agencies that answer it alone; and 2 × 6 of documents (their index, the business
    # report, the APEC report in four parts).
    assert again.unchanged and again.pages == 396 + 2 * 106 + 2 * 10 + 12 and tree_digest(site) == before
    guide = project.root / "docs/editors-guide.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace("本指南", "這份指南", 1), encoding="utf-8")
    edited = build(project, site, strict=True, search=False, reuse=Reuse())  # the guide pages, which hold both languages
    assert edited.rendered == 2 and "這份指南" in (site / "zh/guide/index.html").read_text(encoding="utf-8")
    base = project.root / "templates/base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</footer>", "<!-- changed --></footer>"), encoding="utf-8")
    changed = build(project, site, strict=True, search=False, reuse=Reuse())
    assert changed.rendered == changed.pages
    assert tree_digest(site) == cold_build(project, tmp_path / "cold")


def test_files_in_hidden_folders_are_no_content_for_the_build_nor_for_its_record(project):
    site = project.root / "site"
    build(project, site, strict=True, search=False, reuse=Reuse())
    before = tree_digest(site)
    drafts = project.content / "outcomes/.drafts"
    drafts.mkdir()
    # A misfiled copy: read as content, it would be an error (its fields name another file).
    shutil.copy(project.content / "outcomes/2018-Q3/3.2.2.tipo.md", drafts / "3.2.2.tipo.md")
    assert check(project, strict=True).errors == []
    assert build(project, site, strict=True, search=False, reuse=Reuse()).unchanged and tree_digest(site) == before


def test_a_page_changed_by_hand_in_the_output_is_rendered_again(project):
    site = project.root / "site"
    build(project, site, strict=True, search=False, reuse=Reuse())
    page = site / "zh/about/index.html"
    expected = page.read_bytes()
    page.write_bytes(b"defaced")
    again = build(project, site, strict=True, search=False, reuse=Reuse())
    assert not again.unchanged and again.rendered == 1 and page.read_bytes() == expected


def edit_customs_entry(project: Project, sentence: str) -> None:
    entry = project.content / CUSTOMS
    entry.write_text(entry.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")


def build_indexing_later(project: Project, site: Path) -> tuple[BuildReport, PendingIndex | None]:
    """Build as a preview does, the search index left to make after the site is swapped in."""
    reuse = PreviewReuse()
    return build(project, site, strict=True, reuse=reuse), reuse.pending


def test_a_search_index_made_after_the_build_gives_the_bytes_of_a_build_that_indexes_at_once(mini_site, tmp_path):
    site = mini_site.root / "site"
    report, pending = build_indexing_later(mini_site, site)
    assert pending is not None and not (site / "pagefind").exists()
    assert "search index" not in report.timings
    pending.run()
    build(mini_site, tmp_path / "whole", strict=True, reuse=Reuse(fresh=True))
    assert tree_digest(site) == tree_digest(tmp_path / "whole")
    assert build(mini_site, site, strict=True, reuse=Reuse()).unchanged


def test_pages_built_to_be_indexed_later_keep_the_old_index_until_then_and_a_later_build_makes_the_new_one(mini_site, tmp_path):
    site = mini_site.root / "site"
    build(mini_site, site, strict=True, reuse=Reuse())
    old_index = tree_digest(site / "pagefind")
    edit_customs_entry(mini_site, "本季另查扣 42 件。")
    # As when the preview stops before the index of its last build is made.
    _, pending = build_indexing_later(mini_site, site)
    assert pending is not None and tree_digest(site / "pagefind") == old_index
    again = build(mini_site, site, strict=True, reuse=Reuse())
    assert not again.unchanged and tree_digest(site / "pagefind") != old_index
    build(mini_site, tmp_path / "cold", strict=True, reuse=Reuse(fresh=True))
    assert tree_digest(site) == tree_digest(tmp_path / "cold")


def test_an_index_is_not_installed_into_a_site_a_newer_build_has_replaced(mini_site):
    site = mini_site.root / "site"
    first = build_indexing_later(mini_site, site)[1]
    edit_customs_entry(mini_site, "本季另查扣 42 件。")
    second = build_indexing_later(mini_site, site)[1]
    staging = site.parent / "staging"
    first.copy_pages(staging / "copies")
    first.index(staging / "copies", staging)
    assert not first.install(staging) and not (site / "pagefind").exists()
    second.run()
    assert build(mini_site, site, strict=True, reuse=Reuse()).unchanged


@pytest.fixture
def reads_counted(monkeypatch) -> list[Path]:
    """The entry files each build reads from disk, in one process so that the reads can be counted."""
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 10**9)
    read: list[Path] = []
    original = corpus_module._read_entry

    def counting(*args):
        read.append(args[-2].path)  # the entry file read, before the problems it adds to
        return original(*args)

    monkeypatch.setattr(corpus_module, "_read_entry", counting)
    return read


def test_a_rebuild_reads_again_only_the_entry_files_that_changed(project, tmp_path, reads_counted):
    site = project.root / "site"
    build(project, site, strict=True, search=False, reuse=Reuse())
    entries = len(reads_counted)
    assert entries == len(list((project.content / "outcomes").rglob("*.md")))
    reads_counted.clear()
    entry = project.content / "outcomes/2018-Q3/3.2.2.tipo.md"
    entry.write_text(entry.read_text(encoding="utf-8") + "\n另於107年9月辦理說明會1場。\n", encoding="utf-8")
    build(project, site, strict=True, search=False, reuse=Reuse())  # patched: the entry is read again whole, with its translation
    assert sorted(reads_counted) == [entry.with_suffix(".en.md"), entry]
    assert tree_digest(site) == cold_build(project, tmp_path / "cold")
    reads_counted.clear()
    entry.write_text(entry.read_text(encoding="utf-8") + "\n另於107年9月辦理座談會1場。\n", encoding="utf-8")
    guide = project.root / "docs/editors-guide.md"  # no entry: the build loads everything, from what it kept read
    guide.write_text(guide.read_text(encoding="utf-8").replace("本指南", "這份指南", 1), encoding="utf-8")
    build(project, site, strict=True, search=False, reuse=Reuse())
    assert reads_counted == [entry]
    assert tree_digest(site) == cold_build(project, tmp_path / "cold")
    reads_counted.clear()
    registry = project.content / "agencies.yaml"  # the fields of an entry are read against it
    registry.write_text(registry.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    build(project, site, strict=True, search=False, reuse=Reuse())
    assert len(reads_counted) == entries


def test_an_entry_with_a_problem_is_reported_on_every_build_and_read_again_by_every_full_one(project, reads_counted):
    site = project.root / "site"
    entry = project.content / "outcomes/2018-Q3/3.2.2.tipo.md"
    entry.write_text(entry.read_text(encoding="utf-8").replace("辦理", "辦\u200b理", 1), encoding="utf-8")
    first = build(project, site, search=False, reuse=Reuse())
    other = project.content / "outcomes/2018-Q3/3.1.1.moj.md"
    other.write_text(other.read_text(encoding="utf-8") + "\n另辦理講習1場。\n", encoding="utf-8")
    reads_counted.clear()
    patched = build(project, site, search=False, reuse=Reuse())  # the warning was kept with the build it was found in
    assert sorted(reads_counted) == [other.with_suffix(".en.md"), other]
    other.write_text(other.read_text(encoding="utf-8") + "\n另辦理座談會1場。\n", encoding="utf-8")
    guide = project.root / "docs/editors-guide.md"  # no entry: a full build
    guide.write_text(guide.read_text(encoding="utf-8").replace("本指南", "這份指南", 1), encoding="utf-8")
    reads_counted.clear()
    full = build(project, site, search=False, reuse=Reuse())
    assert sorted(reads_counted) == sorted([entry, other])  # the entry with a problem was not kept read
    codes = [[(p.path, p.code) for p in report.problems.warnings] for report in (first, patched, full)]
    assert ("content/outcomes/2018-Q3/3.2.2.tipo.md", "W-CHAR-INVISIBLE") in codes[0]
    assert codes[0] == codes[1] == codes[2]


def test_a_rebuild_after_an_edit_indexes_again_only_the_shard_it_changed_and_matches_a_cold_build(mini_site, tmp_path):
    site = mini_site.root / "site"
    build(mini_site, site, strict=True, reuse=Reuse())
    before = tree_digest(site / "pagefind")
    entry = mini_site.content / "outcomes/2024-Q3/1.1.1.tipo.md"  # translated: its English pages show the translation
    entry.write_text(entry.read_text(encoding="utf-8") + "\n本季另辦理說明會 42 場。\n", encoding="utf-8")
    again = build(mini_site, site, strict=True, reuse=Reuse())
    after = tree_digest(site / "pagefind")
    assert again.search_summary.startswith("Indexed 1 shards of 2 languages (3 kept)"), again.search_summary
    changed = {path.split("/")[0] + "/" + path.split("/")[1] for path in set(before.items()) ^ set(after.items())
               for path in [path[0]] if path.count("/") >= 2}
    assert changed == {"zh/2020-2024"}, changed  # the Chinese pages of the entry's years; the English as they were
    build(mini_site, tmp_path / "cold", strict=True, reuse=Reuse(fresh=True))
    assert tree_digest(site) == tree_digest(tmp_path / "cold")


def test_each_shard_is_what_one_pagefind_makes_of_its_pages_and_the_search_page_is_told_of_each(mini_site, tmp_path):
    site = mini_site.root / "site"
    build(mini_site, site, strict=True, reuse=Reuse(fresh=True))
    folders = copy_indexable(site, tmp_path / "copies")
    assert sorted(folder.relative_to(tmp_path / "copies").as_posix() for folder in folders) == \
        ["en/2020-2024", "en/site", "zh/2020-2024", "zh/site"]
    env = {**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(INDEX_CHUNK_SIZE)}
    for folder in folders:
        shard = folder.relative_to(tmp_path / "copies").as_posix()
        subprocess.run([str(pagefind_binary()), "--site", str(folder), "--output-path", str(tmp_path / "one"), "--quiet"],
                       check=True, capture_output=True, env=env)
        one = {path: digest for path, digest in tree_digest(tmp_path / "one").items()
               if not path.endswith((".js", ".css", ".json")) and not path.startswith("wasm.")}
        assert one == {path: digest for path, digest in tree_digest(site / "pagefind" / shard).items()
                       if not path.endswith(".json")}, shard
        entries = [json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
                   for folder in (tmp_path / "one", site / "pagefind" / shard)]
        assert entries[0] == entries[1], shard  # the same, keys in order
        shutil.rmtree(tmp_path / "one")
        assert shard.split("/")[1] in json.loads((site / f"pagefind/shards-{shard.split('/')[0]}.json").read_text())["shards"]
    # The first index the search page loads has a placeholder a language, which the page drops, and Pagefind's code.
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert sorted(entry["languages"]) == ["en", "zh-hant-tw"]
    assert all(language["page_count"] == 1 for language in entry["languages"].values())
    zh = json.loads((site / "pagefind/shards-zh.json").read_text(encoding="utf-8"))
    assert zh["language"] == "und" and (site / f"pagefind/fragment/{zh['placeholder']}.pf_fragment").is_file()
    assert json.loads((site / "pagefind/shards-en.json").read_text(encoding="utf-8"))["language"] == "en"
