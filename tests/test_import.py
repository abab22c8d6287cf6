"""The tracking-table importer, on the real 2018 Q3 table (seed 001) and on small tables built to break it."""
from __future__ import annotations

import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from actionplan.content.agencies import AgencyIndex
from actionplan.importers.cell_markdown import plain_text, to_markdown
from actionplan.base.errors import Problems
from actionplan.importers.tracking_table import import_table, interpret, read_table
from actionplan.content.models import Quarter
from actionplan.build.pipeline import Project, load
from actionplan.content.sources import split_front_matter
from actionplan.importers.table_model import COLUMNS, HEADER_CELLS, compact
from conftest import ROOT
from docx_builder import write_docx

sys.path.insert(0, str(ROOT))
import build as cli_module  # noqa: E402

SEED = Path(__file__).resolve().parent / "seeds" / "tracking-2018-q3.txt"
Q3 = Quarter(2018, 3)
TAG = re.compile(r"<[^<>]+>")


@pytest.fixture(scope="module")
def index() -> AgencyIndex:
    problems = Problems()
    corpus = load(Project(ROOT), problems)
    assert corpus is not None, problems.report()
    return AgencyIndex(corpus.agencies.values())


@pytest.fixture(scope="module")
def seed_raw():
    problems = Problems()
    raw = read_table(SEED, problems)
    assert not problems, problems.report()
    return raw


@pytest.fixture(scope="module")
def seed_table(seed_raw, index):
    problems = Problems()
    table = interpret(seed_raw, SEED, Q3, index, problems)
    assert not problems, problems.report()
    return table


def committed_entries() -> dict[tuple[str, str], dict]:
    """Return the committed 2018 Q3 entries by (measure, agency): front matter and body."""
    import yaml

    entries = {}
    for path in sorted((ROOT / "content/outcomes/2018-Q3").glob("*.md")):
        if path.name.endswith(".en.md"):
            continue
        front, body, _ = split_front_matter(path.read_text(encoding="utf-8"), path, Problems())
        fields = yaml.safe_load(front)
        entries[(fields["measure"], fields["agency"])] = {**fields, "body": body, "path": path}
    return entries


def test_seed_table_has_the_2018_edition_counts_per_goal(seed_table):
    measures_per_goal = Counter(m.goal for m in seed_table.measures)
    strategies_per_goal = Counter(g for g, _, _ in seed_table.strategies)
    assert len(seed_table.goals) == 9
    assert [strategies_per_goal[g] for g in range(1, 10)] == [2, 3, 3, 3, 3, 4, 3, 4, 4]
    assert sum(strategies_per_goal.values()) == 29
    assert [measures_per_goal[g] for g in range(1, 10)] == [5, 12, 8, 8, 6, 9, 4, 6, 11]
    assert len(seed_table.measures) == 69
    assert seed_table.goals[2] == (3, "有效查緝仿冒盜版及強化營業秘密保護體制")
    assert seed_table.title == "貫徹保護智慧財產權行動方案"


def test_every_bracketed_report_of_the_seed_becomes_one_entry(seed_table):
    brackets = re.findall(r"【([^】]+)】", SEED.read_text(encoding="utf-8"))
    assert len(brackets) == 117
    assert len(seed_table.entries) == 117
    assert Counter(e.reported_as for e in seed_table.entries) == Counter(brackets)
    entries_per_goal = Counter(int(e.measure.split(".")[0]) for e in seed_table.entries)
    sections = re.split(r"\n[一二三四五六七八九]、", SEED.read_text(encoding="utf-8"))[1:]
    assert [entries_per_goal[g] for g in range(1, 10)] == [s.count("【") for s in sections] == [8, 13, 14, 12, 14, 13, 7, 9, 27]


def test_reader_keeps_every_character_of_the_export(seed_raw):
    """Character conservation: what the reader returns is the file minus markup, header and separator rows."""
    kept = Counter()
    for line in SEED.read_text(encoding="utf-8").split("\n"):
        cells = line.split("\t")
        if [compact(c) for c in cells[:6]] == list(HEADER_CELLS) or (len(cells) > 1 and not compact("".join(cells).replace("-", ""))):
            continue
        kept.update(compact(TAG.sub("", line)))
    read = Counter()
    for block in seed_raw.heading:
        read.update(compact(block.text))
    for goal in seed_raw.goals:
        read.update(compact("一二三四五六七八九"[goal.number - 1] + "、" + goal.title))
        for row in goal.rows:
            for column in COLUMNS:
                read.update(compact(row.text(column)))
    assert read == kept


def test_every_character_of_every_outcome_cell_lands_in_exactly_one_committed_entry(seed_raw, seed_table):
    entries = committed_entries()
    assert len(entries) == 117
    used = set()
    measures = iter(seed_table.measures)
    for goal in seed_raw.goals:
        for row in goal.rows:
            measure = next(measures).id
            cell = compact(TAG.sub("", row.text("outcome", " ")))
            pieces = {key: "【" + e["reported_as"] + "】" + compact(plain_text(e["body"]))
                      for key, e in entries.items() if key[0] == measure}
            # The entries must tile the cell: each found once, in some order, covering it exactly.
            ordered = sorted(pieces.items(), key=lambda item: cell.find(item[1]))
            assert all(cell.count(text) == 1 for _, text in ordered), measure
            assert "".join(text for _, text in ordered) == cell, measure
            used.update(pieces)
    assert used == set(entries)


def test_committed_entries_carry_the_rows_completion_and_reporting_name(seed_table):
    entries = committed_entries()
    assert entries[("1.1.1", "ida")]["reported_as"] == "經濟部工業局"
    assert entries[("9.4.1", "moa")]["completion"] == "1次/年"
    assert entries[("9.4.1", "moa")]["reported_as"] == "行政院農業委員會"
    assert all(e["completion"] in ("經常辦理", "1次/年") for e in entries.values())
    assert entries[("3.1.1", "mjib")]["body"].count("新臺幣156億5,264萬520元") == 1
    assert "note" in entries[("9.3.1", "tipo")] and "note" not in entries[("9.3.3", "tipo")]


def test_reimporting_the_seed_changes_nothing():
    result, problems = import_table(Project(ROOT), SEED, Q3, "2018", date(2026, 11, 21), dry_run=True)
    assert result.writes == {}
    assert len(result.unchanged) == 117
    assert not problems.errors and not problems.warnings


def seed_as_docx(raw, path: Path) -> Path:
    goals = [("一二三四五六七八九"[g.number - 1] + "、" + g.title,
              [[[b.text for b in row.cells[c]] for c in COLUMNS] for row in g.rows]) for g in raw.goals]
    return write_docx(path, [b.text for b in raw.heading], goals)


def test_a_docx_of_the_seed_imports_to_the_same_entries_as_its_text_export(seed_raw, seed_table, index, tmp_path):
    problems = Problems()
    docx = seed_as_docx(seed_raw, tmp_path / "table.docx")
    table = interpret(read_table(docx, problems), docx, Q3, index, problems)
    assert not problems, problems.report()
    fields = lambda t: [(e.measure, e.agency, e.reported_as, e.body, e.completion, e.remarks) for e in t.entries]
    assert fields(table) == fields(seed_table)
    assert [(m.id, m.text, m.lead, m.co, m.schedule) for m in table.measures] == \
           [(m.id, m.text, m.lead, m.co, m.schedule) for m in seed_table.measures]


REGISTRY = {"agencies.yaml": (ROOT / "content/agencies.yaml").read_text(encoding="utf-8")}
SMALL_EXPORT = """\
「貫徹保護智慧財產權行動方案」
107年7月至9月各機關列管追蹤表

一、有效查緝仿冒盜版及強化營業秘密保護體制

實施要領\t執行措施\t執行成效\t主/(協)辦機關\t完成期程\t備註
<p>(一)檢、警、調等機關持續執行查緝。</p>\t<p>1. 由法務部督導查緝。</p>\t<p>【法務部】 起訴 174 件。</p> <p>【法務部調查局】 查獲侵權金額共新臺幣156億</p>\t<p>法務部／調查局</p>\t<p>經常辦理</p>\t

實施要領\t執行措施\t執行成效\t主/(協)辦 機關\t完成 期程\t備註
\t\t<p>5,264萬520元。</p> <ol style="list-style-type: none"> 1. 商標法 2 案。 2. 著作權法 3 案。\t\t\t
2. 落實警政署查緝計畫。\t【內政部警政署】 1. 違反商標法案件：531 件。\t內政部(警政署)\t經常辦理\t\t
--\t----\t---\t-----\t--\t--
"""
SMALL_ROWS = [
    [["(一)檢、警、調等機關持續執行查緝。"], ["1. 由法務部督導查緝。"],
     ["【法務部】 起訴 174 件。", "【法務部調查局】 查獲侵權金額共新臺幣156億5,264萬520元。", "1. 商標法 2 案。 2. 著作權法 3 案。"],
     ["法務部／調查局"], ["經常辦理"], []],
    [[], ["2. 落實警政署查緝計畫。"], ["【內政部警政署】 1. 違反商標法案件：531 件。"], ["內政部(警政署)"], ["經常辦理"], []],
]


def test_small_export_and_its_docx_import_to_the_same_entries(index, tmp_path):
    text = tmp_path / "table.txt"
    text.write_text(SMALL_EXPORT, encoding="utf-8")
    docx = write_docx(tmp_path / "table.docx", ["「貫徹保護智慧財產權行動方案」", "107年7月至9月各機關列管追蹤表"],
                      [("一、有效查緝仿冒盜版及強化營業秘密保護體制", SMALL_ROWS)])
    results = []
    for path in (text, docx):
        problems = Problems()
        results.append(interpret(read_table(path, problems), path, Q3, index, problems))
        assert not problems, problems.report()
    from_text, from_docx = results
    assert [(e.measure, e.agency, e.body) for e in from_text.entries] == [
        ("1.1.1", "moj", "起訴 174 件。\n"),
        ("1.1.1", "mjib", "查獲侵權金額共新臺幣156億5,264萬520元。\n\n1. 商標法 2 案。\n2. 著作權法 3 案。\n"),
        ("1.1.2", "npa", "1. 違反商標法案件：531 件。\n"),
    ]
    assert [(m.id, m.lead, m.co) for m in from_text.measures] == [("1.1.1", "法務部", "調查局"), ("1.1.2", "內政部(警政署)", "")]
    assert [(e.measure, e.agency, e.body) for e in from_docx.entries] == [(e.measure, e.agency, e.body) for e in from_text.entries]


def run_import(project: Project, table: Path, *args: str):
    return CliRunner().invoke(cli_module.cli, ["import-table", str(table), "--quarter", "2018-Q3", "--plan", "2018",
                                               "--today", "2026-11-21", "--root", str(project.root), *args])


def test_import_creates_the_edition_and_entries_of_a_new_table(make_site, tmp_path):
    project = make_site(REGISTRY)
    table = tmp_path / "table.txt"
    table.write_text(SMALL_EXPORT, encoding="utf-8")
    result = run_import(project, table)
    assert result.exit_code == 0, result.output
    plan = (project.content / "plans/2018/plan.yaml").read_text(encoding="utf-8")
    assert 'zh: "由法務部督導查緝。"' in plan and 'lead: "法務部"' in plan and 'co: "調查局"' in plan
    entry = (project.content / "outcomes/2018-Q3/1.1.1.mjib.md").read_text(encoding="utf-8")
    assert 'reported_as: "法務部調查局"' in entry and "新臺幣156億5,264萬520元" in entry
    assert CliRunner().invoke(cli_module.cli, ["check", "--strict", "--root", str(project.root)]).exit_code == 0
    again = run_import(project, table)
    assert again.exit_code == 0 and "Wrote 0 files; 3 already up to date." in again.output


@pytest.mark.parametrize("change, expected", [
    (("【法務部調查局】", "【法務部調察局】"), "table.txt:7: unknown reporting body 【法務部調察局】"),
    (("2. 落實警政署", "3. 落實警政署"), "table.txt:11: measure 「落實警政署查緝計畫。」 is numbered 3; expected 2"),
    (("107年7月至9月各機關", "107年10月至12月各機關"), "table.txt:2: the table reports 107年10月至12月, not 2018-Q3"),
    (("【內政部警政署】 1. 違反", "1. 違反"), None),
    (("<p>【法務部】 起訴 174 件。</p> ", "<p>起訴 174 件。</p> "), "table.txt:7: outcome text of measure 1.1.1 does not say which agency reported it"),
    (("<p>【法務部】 起訴 174 件。</p>", "<p>【法務部】 起訴 174 件。</p> <p>【法務部】 另案。</p>"), "table.txt:7: 【法務部】 reports twice on measure 1.1.1"),
    (("<p>【法務部】", "<p><span>x</span>【法務部】"), "table.txt:7: unexpected markup <span> in a cell"),
])
def test_a_table_that_cannot_be_placed_is_reported_at_its_line_and_nothing_is_written(make_site, tmp_path, change, expected):
    project = make_site(REGISTRY)
    table = tmp_path / "table.txt"
    table.write_text(SMALL_EXPORT.replace(*change), encoding="utf-8")
    before = sorted(p.as_posix() for p in project.content.rglob("*"))
    result = run_import(project, table)
    if expected is None:
        # A measure with a single responsible body may leave out the bracket: the entry is that body's.
        assert result.exit_code == 0, result.output
        assert (project.content / "outcomes/2018-Q3/1.1.2.npa.md").exists()
        return
    assert result.exit_code == 1
    assert expected in result.output
    assert "Traceback" not in result.output
    assert sorted(p.as_posix() for p in project.content.rglob("*")) == before


def test_a_changed_entry_file_is_not_overwritten(make_site, tmp_path):
    project = make_site(REGISTRY)
    table = tmp_path / "table.txt"
    table.write_text(SMALL_EXPORT, encoding="utf-8")
    assert run_import(project, table).exit_code == 0
    table.write_text(SMALL_EXPORT.replace("起訴 174 件", "起訴 175 件"), encoding="utf-8")
    result = run_import(project, table)
    assert result.exit_code == 1
    assert "content/outcomes/2018-Q3/1.1.1.moj.md already exists with other text" in result.output
    assert "174" in (project.content / "outcomes/2018-Q3/1.1.1.moj.md").read_text(encoding="utf-8")


def test_word_automatic_numbering_is_refused_rather_than_dropped(index, tmp_path):
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    path = write_docx(tmp_path / "numbered.docx", ["107年7月至9月各機關列管追蹤表"], [("一、有效查緝仿冒盜版", SMALL_ROWS)])
    document = Document(str(path))
    paragraph = document.tables[0].cell(1, 2).paragraphs[0]
    num_pr = OxmlElement("w:numPr")
    for tag in ("w:ilvl", "w:numId"):
        child = OxmlElement(tag)
        child.set(qn("w:val"), "0" if tag == "w:ilvl" else "1")
        num_pr.append(child)
    paragraph._p.get_or_add_pPr().append(num_pr)
    document.save(str(path))
    problems = Problems()
    read_table(path, problems)
    assert [p.code for p in problems.errors] == ["E-TABLE-NUMBERING"]
    assert "automatic numbering" in problems.errors[0].message


def test_cell_markdown_escapes_markup_and_round_trips_to_the_source_text():
    paragraphs = ["1. 甲 *星號* 2. 乙 [連結](javascript:x) 3. 丙", "# 不是標題", "a_b _c_ <script> & &amp; |x|", "1) 項", "-5 度"]
    markdown = to_markdown(paragraphs)
    assert markdown.splitlines()[:3] == ["1. 甲 \\*星號\\*", "2. 乙 \\[連結\\](javascript:x)", "3. 丙"]
    assert "\\# 不是標題" in markdown and "1\\) 項" in markdown and "\\-5 度" in markdown
    assert "a_b \\_c\\_ \\<script\\> & \\&amp; \\|x\\|" in markdown
    assert compact(plain_text(markdown)) == compact("".join(paragraphs))
