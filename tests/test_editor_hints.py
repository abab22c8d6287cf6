"""What an editor new to the site trips on, and the hint `check` gives: following it must lead to a file that passes."""
from __future__ import annotations

from diagnostics import codes, expect, run_check
from mini import CUSTOMS, CUSTOMS_PATH, TIPO, TIPO_EN, entry, fixture_text

MOVED = "content/outcomes/2025-Q1/1.1.1.tipo.md"
MOVED_EN = "content/outcomes/2025-Q1/1.1.1.tipo.en.md"


def test_a_tab_before_a_top_level_field_says_to_delete_it_and_doing_so_passes(make_site):
    broken = entry().replace("\nagency:", "\n\tagency:")
    project = make_site({CUSTOMS: broken})
    run = run_check(project)
    problem = expect(run, "E-YAML-TAB", CUSTOMS_PATH, 4, col=1)
    assert problem.message == 'a Tab character before the field "agency" | 欄位「agency」前面有 Tab 字元'
    assert problem.hint == ('delete the Tab: "agency:" starts at the beginning of the line, as the other fields do | '
                            "請刪除 Tab：「agency:」要從行首寫起，與其他欄位對齊")
    assert codes(run) == ["E-YAML-TAB"]
    (project.content / CUSTOMS).write_text(broken.replace("\t", ""), encoding="utf-8")
    assert run_check(project).exit_code == 0


def test_a_tab_indenting_a_nested_field_still_says_to_indent_with_spaces(make_site):
    run = run_check(make_site({CUSTOMS: entry(note="\n\tzh: 說明")}))
    assert expect(run, "E-YAML-TAB", CUSTOMS_PATH, 8, col=1).hint == "indent with spaces, not Tab | 請用空白縮排，不要用 Tab"


def test_a_measure_changed_under_the_old_file_name_is_reported_unknown_with_did_you_mean(make_site):
    run = run_check(make_site({CUSTOMS: entry(measure='"2.1.2"')}))
    problem = expect(run, "E-MEASURE-UNKNOWN", CUSTOMS_PATH, 3)
    assert problem.message == 'measure "2.1.2" is not in plan 2024-2026 | 方案 2024-2026 沒有執行措施「2.1.2」'
    assert problem.hint == ('did you mean "2.1.1", as the file name says? write measure: "2.1.1" | '
                            '是否要寫檔名上的「2.1.1」？請寫 measure: "2.1.1"')
    # Renaming the file after a measure that does not exist would be the wrong advice.
    assert codes(run) == ["E-MEASURE-UNKNOWN"]


def test_a_measure_changed_to_another_real_one_is_still_a_file_to_rename(make_site):
    run = run_check(make_site({CUSTOMS: entry(measure='"1.1.1"')}))
    problem = expect(run, "E-FILE-NAME", CUSTOMS_PATH, 3)
    assert "it should be content/outcomes/2024-Q3/1.1.1.customs.md" in problem.message
    assert "E-MEASURE-UNKNOWN" not in codes(run)


def test_an_unknown_measure_without_a_close_one_says_where_the_measures_are_listed(make_site):
    moved = {CUSTOMS: None, "outcomes/2024-Q3/9.9.9.customs.md": entry(measure='"9.9.9"')}
    run = run_check(make_site(moved))
    problem = expect(run, "E-MEASURE-UNKNOWN", "content/outcomes/2024-Q3/9.9.9.customs.md", 3)
    assert problem.hint == ("plan 2024-2026 numbers its measures 1.1.1 to 2.1.1; each is listed on the plan page of "
                            "the site and in content/plans/ | 方案 2024-2026 的措施編號自 1.1.1 至 2.1.1，逐項列於網站的方案頁面及 content/plans/")


def test_an_entry_moved_with_its_translation_to_another_quarter_gets_one_instruction_in_both(make_site):
    moved = {"outcomes/2025-Q1/1.1.1.tipo.md": TIPO, "outcomes/2025-Q1/1.1.1.tipo.en.md": TIPO_EN}
    project = make_site({TIPO: None, TIPO_EN: None, **{rel: fixture_text(src) for rel, src in moved.items()}})
    run = run_check(project)
    chinese = expect(run, "E-FILE-NAME", MOVED, 5)
    english = expect(run, "E-FILE-NAME", MOVED_EN, 5)
    assert (english.message, english.hint) == (chinese.message, chinese.hint)
    assert chinese.hint == (
        "if the entry is for 2025-Q1, write quarter: 2025-Q1 in 1.1.1.tipo.md and 1.1.1.tipo.en.md; "
        "if it is for 2024-Q3, move both files back to content/outcomes/2024-Q3/ | "
        "若為 2025-Q1 的執行成效，請在 1.1.1.tipo.md 及 1.1.1.tipo.en.md 寫 quarter: 2025-Q1；"
        "若為 2024-Q3 的，請把兩個檔案移回 content/outcomes/2024-Q3/")
    assert codes(run) == ["E-FILE-NAME", "E-FILE-NAME"]
    # Following the first way out passes (the second is where the files were).
    for rel, src in moved.items():
        assert "quarter: 2024-Q3" in fixture_text(src)
        (project.content / rel).write_text(fixture_text(src).replace("quarter: 2024-Q3", "quarter: 2025-Q1"),
                                           encoding="utf-8")
    assert run_check(project).exit_code == 0


def test_a_translation_alone_with_another_quarter_is_told_to_follow_the_chinese_entry(make_site):
    run = run_check(make_site({TIPO_EN: fixture_text(TIPO_EN).replace("quarter: 2024-Q3", "quarter: 2024-Q2")}))
    problem = expect(run, "E-TRANSLATION-MISMATCH", "content/" + TIPO_EN, 5)
    assert problem.hint.startswith('write quarter: "2024-Q3" as the Chinese entry does')


def test_a_missing_field_points_at_the_front_matter_with_the_files_own_values(make_site):
    run = run_check(make_site({CUSTOMS: entry(plan=None, measure=None, agency=None, quarter=None)}))
    expect(run, "E-FIELD-REQUIRED", CUSTOMS_PATH, 2)  # the first line of the front matter
    assert codes(run) == ["E-FIELD-REQUIRED"] * 4
    for key, example in (("plan", 'plan: "2024-2026"'), ("measure", 'measure: "2.1.1"'), ("agency", "agency: customs"),
                         ("quarter", "quarter: 2024-Q3")):
        problem = next(p for p in run.problems if f'"{key}"' in p.message)
        assert problem.line == 2 and str(problem) in run.output
        assert problem.message == (f'field "{key}" is missing from the front matter, between the two --- lines | '
                                   f"front matter（兩行 --- 之間）缺少「{key}」欄位")
        assert problem.hint.endswith(f"例如 {example}") and f"e.g. {example} |" in problem.hint


def test_curly_quotes_around_a_value_are_named_as_the_problem(make_site):
    project = make_site({CUSTOMS: entry(measure="“2.1.1”", quarter="‘2024-Q3’", updated="“2024-10-15”")})
    run = run_check(project)
    measure = expect(run, "E-ID-FORMAT", CUSTOMS_PATH, 3, col=10)
    assert measure.message == ('"measure" is written in curly quotes, which become part of the value: “2.1.1” | '
                               "「measure」的值用了彎引號或全形引號，引號會被當成值的一部分：“2.1.1”")
    assert measure.hint == ('use straight quotes, typed with the " key in half-width mode: measure: "2.1.1" | '
                            '請改用半形直引號（英數輸入模式下的 " 鍵）：measure: "2.1.1"')
    assert expect(run, "E-QUARTER", CUSTOMS_PATH, 5).hint == "delete the quotes: quarter: 2024-Q3 | 請刪除引號：quarter: 2024-Q3"
    assert expect(run, "E-DATE", CUSTOMS_PATH, 6, col=10).hint == \
        "delete the quotes: updated: 2024-10-15 | 請刪除引號：updated: 2024-10-15"
    (project.content / CUSTOMS).write_text(entry(measure='"2.1.1"', quarter="2024-Q3", updated="2024-10-15"),
                                           encoding="utf-8")
    assert run_check(project).exit_code == 0
