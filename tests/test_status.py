"""The tracking report (build.py status): who has reported which measure in a quarter, checked against 2018 Q3.

The 2018 Q3 figures were counted by hand against content/plans/2018/plan.yaml, the files in
content/outcomes/2018-Q3/ and the table in seed 001: 69 measures list 98 lead and 46 co-agency cells; 117 entries
(26 with English, all those of goals 3 and 4); 29 listed agencies have no entry that counts for them.
"""
from __future__ import annotations

import csv
import io
import json
import re
import sys
from datetime import date

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from actionplan.base.errors import Problems
from actionplan.content.models import Quarter
from actionplan.build.pipeline import Project, load
from actionplan.content.tracking import Tally, due_date, says_only_no_progress, tracking_report
from actionplan.editors.tracking_formats import CSV_COLUMNS
from conftest import ROOT

sys.path.insert(0, str(ROOT))
import build as cli_module  # noqa: E402

Q3_2018 = Quarter(2018, 3)
ENTRIES = "content/outcomes/2018-Q3/"


def run(*args: str):
    return CliRunner().invoke(cli_module.cli, list(args), catch_exceptions=False)


def corpus_of(project: Project):
    corpus = load(project, Problems(project.root))
    assert corpus is not None
    return corpus


@pytest.fixture(scope="module")
def report_2018_q3():
    return tracking_report(corpus_of(Project(ROOT)), Q3_2018)


def group(report, agency_id: str):
    return next(g for g in report.groups if g.agency.id == agency_id)


def rows_of(report, agency_id: str, state: str | None = None) -> list[tuple[str, str]]:
    return [(row.measure.id, row.role) for row in group(report, agency_id).rows if state in (None, row.state)]


def entry_names(row) -> list[str]:
    return [outcome.path.name for outcome in row.entries]


# The report on the shipped 2018 Q3 content


def test_2018_q3_counts_every_lead_and_co_agency_of_the_2018_edition(report_2018_q3):
    assert [plan.id for plan in report_2018_q3.editions] == ["2018"]
    assert report_2018_q3.due == date(2018, 10, 15)
    assert report_2018_q3.total == Tally(lead=98, co=46, reported=108, no_progress=7, missing=29, extra=1,
                                         entries=117, translated=26)
    assert len([row for row in report_2018_q3.rows if row.role != "extra"]) == 144


def test_missing_rows_name_the_measures_an_agency_did_not_report(report_2018_q3):
    # Seed 001: 9.1.2 lists 經濟部(關務署) and 9.1.3 財政部 (關務署); 3.1.1 lists 財政部(關務署) as co-agency.
    # None of the three cells has a 【財政部關務署】 entry.
    assert rows_of(report_2018_q3, "customs", "missing") == [("9.1.2", "lead"), ("3.1.1", "co"), ("9.1.3", "co")]
    assert rows_of(report_2018_q3, "tipo", "missing")[:6] == [
        ("1.1.2", "lead"), ("1.1.3", "lead"), ("5.3.1", "lead"), ("5.3.2", "lead"), ("9.1.3", "lead"), ("9.3.2", "lead")]
    assert group(report_2018_q3, "tipo").tally == Tally(lead=39, co=16, reported=31, no_progress=5, missing=19,
                                                         extra=1, entries=37, translated=2)
    assert rows_of(report_2018_q3, "mac") == [("9.4.1", "co"), ("9.4.2", "co")]
    assert group(report_2018_q3, "mac").tally.missing == 2


def test_an_entry_filed_where_the_measure_does_not_list_the_agency_is_an_extra_row(report_2018_q3):
    extra = [row for row in report_2018_q3.rows if row.role == "extra"]
    assert [(row.measure.id, row.agency, row.state, entry_names(row)) for row in extra] == [
        ("9.3.1", "tipo", "reported", ["9.3.1.tipo.md"])]
    assert extra[0].entries[0].note is not None
    assert sorted((row.agency, row.role) for row in report_2018_q3.rows if row.measure.id == "9.3.1") == [
        ("doit", "lead"), ("ita", "lead"), ("smesa", "lead"), ("tipo", "extra")]


def test_a_ministry_entry_counts_for_its_listed_units(report_2018_q3):
    # 9.1.2 lists 法務部(高檢署智財分署、檢察司); the table has one 【法務部】 entry: 本季暫無相關辦理進度。
    for unit in ("thpo-ipb", "moj-prosecutorial"):
        row = next(row for row in group(report_2018_q3, unit).rows if row.measure.id == "9.1.2")
        assert (row.role, row.state, entry_names(row)) == ("lead", "no_progress", ["9.1.2.moj.md"])
    assert "9.1.2" not in [measure for measure, _ in rows_of(report_2018_q3, "moj")]


def test_a_unit_entry_counts_for_its_listed_ministry(report_2018_q3):
    row = next(row for row in group(report_2018_q3, "moe").rows if row.measure.id == "6.1.1")
    assert entry_names(row) == ["6.1.1.moe.md", "6.1.1.k12ea.md"]
    k12ea = group(report_2018_q3, "k12ea")
    assert k12ea.rows == () and (k12ea.tally.entries, k12ea.tally.translated) == (2, 0)


def test_translation_coverage_counts_the_agency_own_entries(report_2018_q3):
    # Goals 3 and 4 are translated in full; customs also reports 7.2.1, 7.3.1 and 9.1.1, which are not.
    coverage = {g.agency.id: (g.tally.translated, g.tally.entries) for g in report_2018_q3.groups}
    assert coverage["moea-optical-disc"] == (2, 2)
    assert coverage["mjib"] == (2, 2)
    assert coverage["customs"] == (8, 11)
    assert coverage["npa"] == (6, 11)
    assert coverage["moe"] == (0, 9)


def test_no_progress_is_an_entry_that_says_nothing_else(report_2018_q3):
    states = {(row.measure.id, row.agency): row.state for row in report_2018_q3.rows}
    # 本季暫無相關辦理進度。 and nothing else:
    assert [key for key, state in states.items() if state == "no_progress"] == [
        ("2.2.3", "tipo"), ("8.4.2", "tipo"), ("9.4.1", "tipo"), ("9.4.2", "tipo"), ("7.1.1", "tipo"),
        ("9.1.2", "moj-prosecutorial"), ("9.1.2", "thpo-ipb")]
    # Work recounted, then 本季無新進度: reported.
    assert states[("3.2.1", "tipo")] == states[("2.2.1", "tipo")] == "reported"


def test_agencies_come_in_registry_order_under_the_name_they_bore_then(report_2018_q3):
    ids = [g.agency.id for g in report_2018_q3.groups]
    assert ids[:5] == ["tipo", "ida", "doit", "smesa", "ita"]
    assert ids[-6:] == ["taipei", "new-taipei", "taoyuan", "taichung", "tainan", "kaohsiung"]
    assert len(ids) == 30
    assert group(report_2018_q3, "ida").name.zh == "經濟部工業局"
    assert group(report_2018_q3, "moa").name.zh == "行政院農業委員會"


# The no-progress rule, on hand-made entries


@pytest.mark.parametrize("body", ["本季無新進度", "本季尚無新進度。", "本季暫無相關辦理進度。", "無新進度", "- 本季無新進度。\n",
                                  "1. 本季尚無新進度"])
def test_an_entry_saying_only_no_progress_is_no_progress(body):
    assert says_only_no_progress(body)


@pytest.mark.parametrize("body", ["107年5月4日辦理研討會。本季無新進度。", "本季無新進度，將持續推動。", "查獲 12 件。", "配合辦理。", ""])
def test_an_entry_with_anything_else_is_reported(body):
    assert not says_only_no_progress(body)


def says_only_no_progress_as_written(body: str) -> bool:
    """The rule as the plan's reports state it, each step on the whole text: take out the phrases, then the list
    marks, and what is left has no word."""
    phrase = r"(?:本季|本期)?[並尚暫仍]?無(?:新增|最新|新|相關|辦理|執行|之)*進度"
    if not re.search(phrase, body):
        return False
    rest = re.sub(phrase, "", re.sub(r"^\s*(?:[-*+]|[0-9]+[.)])\s+", "", body, flags=re.MULTILINE))
    return not re.sub(r"[\W_]+", "", rest)


phrases = st.builds(lambda *parts: "".join(parts), st.sampled_from(["", "本季", "本期"]),
                    st.sampled_from(["", "並", "尚", "暫", "仍"]), st.just("無"),
                    st.lists(st.sampled_from(["新增", "最新", "新", "相關", "辦理", "執行", "之"]), max_size=2).map("".join),
                    st.just("進度"))
marks_and_noise = st.sampled_from(["。", "，", " ", "\n", "- ", "1. ", "2)", "１", "12", "_", "查獲", "件", "a", "新", "無", "本季"])


@settings(max_examples=500, derandomize=True, database=None, deadline=None)
@given(body=st.lists(st.one_of(phrases, marks_and_noise), max_size=6).map("".join))
def test_the_no_progress_rule_decides_as_written(body):
    assert says_only_no_progress(body) == says_only_no_progress_as_written(body)


def test_mini_corpus_states_by_quarter(mini_site):
    corpus = corpus_of(mini_site)
    q2 = tracking_report(corpus, Quarter(2024, 2))
    assert [(row.measure.id, row.agency, row.role, row.state) for row in q2.rows] == [
        ("1.1.1", "tipo", "lead", "missing"), ("2.1.1", "tipo", "co", "missing"),
        ("1.1.1", "ida", "lead", "no_progress"), ("2.1.1", "customs", "lead", "missing")]
    q3 = tracking_report(corpus, Quarter(2024, 3))
    assert q3.total == Tally(lead=3, co=1, reported=2, no_progress=0, missing=2, entries=2, translated=1)


def mini_entry(agency: str, body: str) -> str:
    return (f'---\nplan: "2024-2026"\nmeasure: "2.1.1"\nagency: {agency}\nquarter: 2024-Q3\nupdated: 2024-10-15\n'
            f'---\n{body}\n')


def test_no_progress_needs_every_counting_entry_to_say_only_that(make_site):
    project = make_site({"outcomes/2024-Q3/2.1.1.customs.md": mini_entry("customs", "本季尚無新進度。"),
                         "outcomes/2024-Q3/2.1.1.mof.md": mini_entry("mof", "本季無新進度")})
    report = tracking_report(corpus_of(project), Quarter(2024, 3))
    row = next(row for row in report.rows if row.agency == "customs")
    assert (row.state, entry_names(row)) == ("no_progress", ["2.1.1.customs.md", "2.1.1.mof.md"])


def test_one_entry_with_news_makes_the_agency_reported(make_site):
    # The ministry (財政部) reports for its listed unit (關務署), whose own entry says there was no progress.
    project = make_site({"outcomes/2024-Q3/2.1.1.customs.md": mini_entry("customs", "本季尚無新進度。"),
                         "outcomes/2024-Q3/2.1.1.mof.md": mini_entry("mof", "查扣 3 件。")})
    report = tracking_report(corpus_of(project), Quarter(2024, 3))
    assert next(row for row in report.rows if row.agency == "customs").state == "reported"


def test_a_listed_ministry_answers_only_for_itself(make_site):
    plan = (ROOT / "tests/fixtures/mini/plans/2024-2026/plan.yaml").read_text(encoding="utf-8")
    assert 'co: "經濟部（智慧財產局）"' in plan
    project = make_site({
        "plans/2024-2026/plan.yaml": plan.replace('co: "經濟部（智慧財產局）"', 'co: "經濟部、經濟部（智慧財產局）"'),
        "outcomes/2024-Q3/2.1.1.moea.md": mini_entry("moea", "辦理說明會 2 場。"),
    })
    report = tracking_report(corpus_of(project), Quarter(2024, 3))
    assert sorted((row.agency, row.role, row.state, entry_names(row)) for row in report.rows
                  if row.measure.id == "2.1.1") == [
        ("customs", "lead", "reported", ["2.1.1.customs.md"]), ("moea", "co", "reported", ["2.1.1.moea.md"]),
        ("tipo", "co", "missing", [])]


# Which editions, and when entries are due


def test_an_edition_in_force_is_tracked_even_without_entries(mini_site):
    report = tracking_report(corpus_of(mini_site), Quarter(2025, 1))
    assert [plan.id for plan in report.editions] == ["2024-2026"]
    assert report.total == Tally(lead=3, co=1, missing=4)


def test_a_quarter_without_entries_or_edition_is_empty(mini_site):
    report = tracking_report(corpus_of(mini_site), Quarter(2030, 1))
    assert report.is_empty and report.groups == () and report.total == Tally()


@pytest.mark.parametrize("quarter, due", [(Quarter(2018, 3), date(2018, 10, 15)), (Quarter(2024, 1), date(2024, 4, 15)),
                                          (Quarter(2024, 4), date(2025, 1, 15))])
def test_entries_are_due_on_the_15th_of_the_month_after_the_quarter(quarter, due):
    assert due_date(quarter) == due


# The command and its formats


def test_text_gives_the_totals_then_each_agency():
    result = run("status", "--quarter", "2018-Q3")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "Tracking report, 2018 Q3 (July–September 2018) | 列管追蹤，民國107年第3季（107年7月至9月）",
        "Edition: Edition in force in 2018 Q3 [2018] | 方案版本：107年7月至9月列管追蹤表所據版本〔2018〕",
        "Due: 15 October 2018 | 填報期限：民國107年10月15日",
        "Overall | 總計: 144 responsible (98 lead, 46 co): 108 reported, 7 no progress, 29 missing; "
        "1 filed where not listed; 26 of 117 entries in English | 應填報 144（主辦 98、協辦 46）：已填報 108、"
        "本季無新進度 7、未填報 29；未列名而填報 1；英譯 117 則中 26 則",
    ]
    assert "Industrial Development Bureau (now Industrial Development Administration) | 經濟部工業局（現名經濟部產業發展署） [ida]" in lines
    customs = lines.index("Customs Administration | 財政部關務署 [customs]")
    assert lines[customs + 1].startswith("  14 responsible (11 lead, 3 co): 11 reported, 0 no progress, 3 missing;")
    assert re.search(r"^    9\.3\.1  reported \| 已填報 +content/outcomes/2018-Q3/9\.3\.1\.tipo\.md$", result.stdout, re.M)
    assert re.search(r"^    9\.1\.2  missing \| 未填報 +—$", result.stdout, re.M)


def test_csv_has_one_row_per_measure_and_agency():
    result = run("status", "--quarter", "2018-Q3", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 145
    assert {row["quarter"] for row in rows} == {"2018-Q3"} and {row["edition"] for row in rows} == {"2018"}
    by_key = {(row["measure"], row["agency_id"], row["role"]): row for row in rows}
    assert by_key[("9.3.1", "tipo", "extra")]["entry_file"] == ENTRIES + "9.3.1.tipo.md"
    assert by_key[("6.1.1", "moe", "lead")]["entry_file"] == f"{ENTRIES}6.1.1.moe.md;{ENTRIES}6.1.1.k12ea.md"
    assert by_key[("9.1.2", "customs", "lead")]["state"] == "missing"
    assert by_key[("9.1.2", "customs", "lead")]["entry_file"] == ""
    assert by_key[("1.1.1", "ida", "lead")]["agency_name_zh"] == "經濟部工業局"
    assert sum(row["state"] == "missing" for row in rows) == 29


def test_json_holds_the_whole_report():
    result = run("status", "--quarter", "2018-Q3", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["quarter"], data["due"], [e["id"] for e in data["editions"]]) == ("2018-Q3", "2018-10-15", ["2018"])
    assert data["totals"] == {"responsible": 144, "lead": 98, "co": 46, "reported": 108, "no_progress": 7,
                              "missing": 29, "extra": 1, "entries": 117, "translated": 26}
    mjib = next(a for a in data["agencies"] if a["id"] == "mjib")
    assert mjib["name"] == {"zh": "法務部調查局", "en": "Investigation Bureau, Ministry of Justice"}
    assert mjib["rows"][0] == {"edition": "2018", "measure": "3.2.2", "role": "lead", "state": "reported",
                               "entries": [{"agency": "mjib", "file": ENTRIES + "3.2.2.mjib.md",
                                            "english": ENTRIES + "3.2.2.mjib.en.md"}]}
    assert sum(len(a["rows"]) for a in data["agencies"]) == 145


def test_markdown_has_an_overview_and_a_table_per_agency():
    result = run("status", "--quarter", "2018-Q3", "--format", "md")
    assert result.exit_code == 0, result.output
    sections = re.split(r"^### ", result.stdout, flags=re.M)
    overview, agencies = sections[0], sections[1:]
    assert overview.startswith("## Tracking report, 2018 Q3")
    assert "| Total \\| 總計 | 98 | 46 | 108 | 7 | 29 | 1 | 26/117 |" in overview
    assert len(agencies) == 30
    for section in agencies:
        tables = re.findall(r"^\| Measure \\\| 措施 \| .*\n\|---\|---\|---\|---\|\n((?:\|.*\|\n)+)", section, re.M)
        assert len(tables) == (0 if section.startswith("K-12") else 1), section[:80]
    tipo = agencies[0]
    assert tipo.startswith("Taiwan Intellectual Property Office | 經濟部智慧財產局 [tipo]")
    assert "| 9.3.1 | not listed \\| 未列名 | reported \\| 已填報 | `content/outcomes/2018-Q3/9.3.1.tipo.md` |" in tipo
    assert tipo.count("\n| ") == 1 + 56  # header, then 39 lead, 16 co and 1 extra rows


def test_a_quarter_with_nothing_to_track_says_so_and_succeeds(mini_site):
    result = run("status", "--root", str(mini_site.root), "--quarter", "2030-Q1")
    assert result.exit_code == 0
    assert result.stdout == ("No entries for 2030-Q1 and no plan edition in force then: nothing to track. | "
                             "民國119年第1季沒有執行成效，也沒有施行中的方案版本：無可列管項目。\n")
    as_json = run("status", "--root", str(mini_site.root), "--quarter", "2030-Q1", "--format", "json")
    assert as_json.exit_code == 0 and json.loads(as_json.stdout)["agencies"] == []


@pytest.mark.parametrize("quarter", ["2018-Q5", "0000-Q1"])
def test_a_malformed_quarter_is_a_usage_error(quarter):
    result = run("status", "--quarter", quarter)
    assert result.exit_code == 2
    assert f'write it like 2018-Q3, not "{quarter}" | 請寫成 2018-Q3 的形式' in result.output


@pytest.mark.parametrize("quarter", ["2018Q3", "107-Q3", "民國107年第3季", "107年第三季"])
def test_a_quarter_written_another_way_is_a_usage_error_giving_its_form(quarter):
    result = run("status", "--quarter", quarter)
    assert result.exit_code == 2
    assert f"{quarter} is 2018-Q3: write --quarter 2018-Q3 | {quarter}即 2018-Q3，請寫成 --quarter 2018-Q3" in result.output


def test_invalid_content_prints_the_problems_and_fails(real_site):
    entry = real_site.content / "outcomes/2018-Q3/9.3.1.tipo.md"
    text = entry.read_text(encoding="utf-8").replace('completion: "經常辦理"\n', 'completion: "經常辦理"\nstatus: done\n')
    entry.write_text(text, encoding="utf-8")
    result = run("status", "--root", str(real_site.root), "--quarter", "2018-Q3")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith('content/outcomes/2018-Q3/9.3.1.tipo.md:10: unknown field "status" in an outcome entry | ')
    assert lines[1] == "Build failed: 1 error in 1 file. 建置失敗：1 個檔案共 1 個錯誤。"
    assert result.output == run("check", "--root", str(real_site.root)).output


def test_status_has_help():
    result = run("status", "--help")
    assert result.exit_code == 0 and "--quarter" in result.output and "text|csv|json|md" in result.output
