"""Broken content as editors really write it: every problem is reported at its file and line, all at once."""
from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from actionplan.base.errors import BuildFailed
from actionplan.content.markdown import render
from actionplan.build.pipeline import Project, check
from conftest import ROOT
from mini import CUSTOMS, CUSTOMS_PATH, PLAN, entry as customs, fixture_text

# build.py is a script beside the package, not part of it.
sys.path.insert(0, str(ROOT))
import build  # noqa: E402


QUOTE_HINT = 'put the value in double quotes when it contains ": " | 值裡有「: 」時，請以雙引號括住整個值'
TAB_LINE = "a Tab character is used for indentation | 以 Tab 字元縮排: indent with spaces, not Tab | 請用空白縮排，不要用 Tab"
HTML_LINE = ("raw HTML is not allowed in the text | 內文不可使用 HTML 標籤: "
             "write it in Markdown: - for lists, 1. for numbered items, a blank line between paragraphs, "
             "![description](file.png) for images | "
             "請改用 Markdown：清單用 -，編號用 1.，段落間空一行，圖片用 ![說明](file.png)")
LINK_HINT = "link only to https://, http://, mailto: or a page of this site | 連結只能指向 https://、http://、mailto: 或本站頁面"
QUARTER_HINT = ("write the Gregorian year, a hyphen, Q and the quarter 1–4 (民國113年第3季 = 2024-Q3) | "
                "請寫西元年、連字號、Q 及季別 1–4（民國113年第3季 = 2024-Q3）")
CP950_LINE = ('the file is not UTF-8; it looks like Big5/CP950 (Windows Notepad "ANSI") | '
              "檔案不是 UTF-8 編碼，看起來是 Big5/CP950（Windows 記事本「ANSI」）: "
              "re-save it as UTF-8 (Notepad: Save As > Encoding: UTF-8) | 請另存為 UTF-8（記事本：另存新檔 > 編碼選 UTF-8）")


def errors(project: Project) -> list[str]:
    """Return every error line `check` reports, in the order editors see them."""
    with pytest.raises(BuildFailed) as failed:
        check(project)
    return [str(problem) for problem in failed.value.problems.errors]


def link_line(line: int, href: str) -> str:
    return f'{CUSTOMS_PATH}:{line}: link target "{href}" is not allowed | 不允許的連結目標「{href}」: {LINK_HINT}'


# 1. YAML syntax


def test_unquoted_colon_in_value_reports_line_column_and_quoting_hint(make_site):
    project = make_site({CUSTOMS: customs(remarks="註: 說明")})
    assert (f"{CUSTOMS_PATH}:7:11: YAML syntax error: mapping values are not allowed in this context | YAML 語法錯誤：此處不可出現「: 」: "
            f"{QUOTE_HINT}") in errors(project)


def test_front_matter_syntax_error_is_the_only_problem_of_the_file(make_site):
    project = make_site({CUSTOMS: customs(remarks="註: 說明")})
    assert errors(project) == [
        f"{CUSTOMS_PATH}:7:11: YAML syntax error: mapping values are not allowed in this context | YAML 語法錯誤：此處不可出現「: 」: "
        f"{QUOTE_HINT}",
    ]


@pytest.mark.parametrize("old, new, line, message", [
    ("title:\n  zh:", "title:\n\tzh:", 3, TAB_LINE),
    # A top-level field is not indented at all: "indent with spaces" would lead to a worse error.
    ("\npublisher:", "\n\tpublisher:", 10,
     'a Tab character before the field "publisher" | 欄位「publisher」前面有 Tab 字元: delete the Tab: "publisher:" '
     "starts at the beginning of the line, as the other fields do | 請刪除 Tab：「publisher:」要從行首寫起，與其他欄位對齊"),
])
def test_tab_indentation_is_reported_as_tab_with_line_and_column(make_site, old, new, line, message):
    site = fixture_text("site.yaml")
    assert old in site
    project = make_site({"site.yaml": site.replace(old, new, 1)})
    assert errors(project) == [f"content/site.yaml:{line}:1: {message}"]


# 2. Duplicate keys


def test_duplicate_key_in_front_matter_names_both_lines(make_site):
    project = make_site({CUSTOMS: """
        ---
        plan: "2024-2026"
        measure: "2.1.1"
        agency: customs
        quarter: 2024-Q3
        updated: 2024-10-15
        agency: mof
        ---
        本季查扣侵權物品。
        """})
    assert errors(project) == [
        f'{CUSTOMS_PATH}:7: duplicate key "agency" (first on line 4) | 重複的鍵「agency」（第 4 行已有）: '
        "keep one of them; YAML would silently keep only the last | 請只保留一個；YAML 會默默只留最後一個",
    ]


def test_duplicate_key_in_plan_names_both_lines(make_site):
    plan = fixture_text(PLAN).replace("updated: 2024-01-02\n", "updated: 2024-01-02\nsource:\n  zh: 另一來源\n")
    project = make_site({PLAN: plan})
    assert errors(project) == [
        f'content/{PLAN}:12: duplicate key "source" (first on line 8) | 重複的鍵「source」（第 8 行已有）: '
        "keep one of them; YAML would silently keep only the last | 請只保留一個；YAML 會默默只留最後一個",
    ]


# 3. Unknown references


def test_unknown_measure_suggests_closest(make_site):
    project = make_site({"outcomes/2024-Q3/1.1.2.tipo.md": customs(measure='"1.1.2"', agency="tipo")})
    assert errors(project) == [
        'content/outcomes/2024-Q3/1.1.2.tipo.md:3: measure "1.1.2" is not in plan 2024-2026 | '
        '方案 2024-2026 沒有執行措施「1.1.2」: did you mean "1.1.1"? | 是否要寫「1.1.1」？',
    ]


def test_unknown_agency_id_suggests_closest(make_site):
    project = make_site({"outcomes/2024-Q3/1.1.1.tipoo.md": customs(measure='"1.1.1"', agency="tipoo")})
    assert errors(project) == [
        'content/outcomes/2024-Q3/1.1.1.tipoo.md:4: unknown agency "tipoo" | 沒有「tipoo」這個機關代號: '
        'did you mean "tipo"? | 是否要寫「tipo」？',
    ]


UNKNOWN_LEAD = (f'content/{PLAN}:30: unknown agency "經濟部(智慧財產司)" in lead | '
                'lead 中的機關「經濟部(智慧財產司)」不在機關名冊中: did you mean "經濟部智慧財產局"? | 是否要寫「經濟部智慧財產局」？')


def unknown_lead_plan() -> str:
    return fixture_text(PLAN).replace('lead: "經濟部(產業發展署、智慧財產局)"', 'lead: "經濟部(智慧財產司)"')


def test_unknown_agency_name_in_plan_lead_cell_suggests_closest(make_site):
    assert UNKNOWN_LEAD in errors(make_site({PLAN: unknown_lead_plan()}))


def test_unknown_agency_in_lead_cell_does_not_make_its_entries_unknown(make_site):
    assert errors(make_site({PLAN: unknown_lead_plan()})) == [UNKNOWN_LEAD]


# 4. Duplicate ids


def test_duplicate_agency_id_names_first_line(make_site):
    agencies = fixture_text("agencies.yaml") + "  - id: tipo\n    zh: 智慧財產局\n    en: Intellectual Property Office\n"
    project = make_site({"agencies.yaml": agencies})
    assert errors(project) == [
        'content/agencies.yaml:35: agency id "tipo" is used twice (first on line 6) | 機關代號「tipo」重複（第 6 行已有）: '
        "give each agency its own id | 每個機關請用不同代號",
    ]


def test_duplicate_plan_id_names_the_other_file(make_site):
    project = make_site({"plans/2024-2026b/plan.yaml": fixture_text(PLAN)})
    assert errors(project) == [
        'content/plans/2024-2026b/plan.yaml:1: plan id "2024-2026" does not match its folder "2024-2026b" | '
        "方案代號「2024-2026」與資料夾名稱「2024-2026b」不一致: "
        "keep the file at content/plans/2024-2026/plan.yaml | 請放在 content/plans/2024-2026/plan.yaml",
        'content/plans/2024-2026b/plan.yaml:1: plan id "2024-2026" is used twice, also in content/plans/2024-2026/plan.yaml | '
        "方案代號「2024-2026」重複，另見 content/plans/2024-2026/plan.yaml: give each edition its own id | 每個版本請用不同代號",
    ]


# 5. Quarters and file names


@pytest.mark.parametrize("quarter, hint", [
    ("2024-Q5", QUARTER_HINT),
    # A quarter written another way is given in the form to write, as a date written another way is.
    ("2024Q3", "2024Q3 is 2024-Q3: write quarter: 2024-Q3 | 2024Q3即 2024-Q3（民國113年第3季），請寫成 quarter: 2024-Q3"),
    ("113年第3季", "113年第3季 is 2024-Q3: write quarter: 2024-Q3 | 113年第3季即 2024-Q3，請寫成 quarter: 2024-Q3"),
])
def test_malformed_quarter_is_reported_with_the_expected_form(make_site, quarter, hint):
    project = make_site({CUSTOMS: customs(quarter=quarter)})
    assert errors(project) == [
        f'{CUSTOMS_PATH}:5: "quarter" must look like 2024-Q3, not "{quarter}" | '
        f"「quarter」須寫成 2024-Q3 的形式，而非「{quarter}」: {hint}",
    ]


def test_file_name_that_does_not_match_fields_names_the_right_one_at_the_field_that_differs(make_site):
    rel = "outcomes/2024-Q3/2.1.1.moj.md"
    project = make_site({rel: customs()})
    assert errors(project) == [
        f"content/{rel}:4: the file name does not match its fields; it should be content/{CUSTOMS} | "
        f"檔名與欄位不一致，應為 content/{CUSTOMS}: rename the file, or correct the fields | 請更改檔名或更正欄位",
    ]


def test_an_entry_in_another_quarters_folder_is_told_both_ways_out(make_site):
    rel = "outcomes/2024-Q2/2.1.1.customs.md"
    project = make_site({rel: customs()})
    assert errors(project) == [
        f"content/{rel}:5: quarter 2024-Q3 is not the quarter of the folder the file is in, outcomes/2024-Q2/ | "
        "quarter 2024-Q3 與檔案所在的資料夾 outcomes/2024-Q2/ 季別不一致: if the entry is for 2024-Q2, write quarter: 2024-Q2 "
        "in 2.1.1.customs.md; if it is for 2024-Q3, move the file back to content/outcomes/2024-Q3/ | "
        "若為 2024-Q2 的執行成效，請在 2.1.1.customs.md 寫 quarter: 2024-Q2；若為 2024-Q3 的，請把檔案移回 content/outcomes/2024-Q3/",
    ]


def test_a_misspelt_agency_is_reported_as_unknown_not_as_a_file_to_rename(make_site):
    project = make_site({CUSTOMS: customs(agency="custom")})
    assert errors(project) == [
        f'{CUSTOMS_PATH}:4: unknown agency "custom" | 沒有「custom」這個機關代號: did you mean "customs"? | 是否要寫「customs」？',
    ]


def test_a_misspelt_agency_is_reported_in_the_same_run_as_a_malformed_quarter(make_site):
    project = make_site({CUSTOMS: customs(agency="custom", quarter="2024-Q5")})
    assert errors(project) == [
        f'{CUSTOMS_PATH}:4: unknown agency "custom" | 沒有「custom」這個機關代號: did you mean "customs"? | 是否要寫「customs」？',
        f'{CUSTOMS_PATH}:5: "quarter" must look like 2024-Q3, not "2024-Q5" | '
        f"「quarter」須寫成 2024-Q3 的形式，而非「2024-Q5」: {QUARTER_HINT}",
    ]


def test_a_misnamed_file_is_reported_in_the_same_run_as_a_bad_date_in_it(make_site):
    rel = "outcomes/2024-Q3/2.1.1.moj.md"
    project = make_site({rel: customs(updated="113/10/15")})
    reported = errors(project)
    assert [line.split(": ")[0] for line in reported] == [f"content/{rel}:4", f"content/{rel}:6:10"]
    assert "the file name does not match its fields" in reported[0] and "write updated: 2024-10-15" in reported[1]


# 6. Plan period


def test_entry_outside_its_plan_period_is_reported_at_quarter(make_site):
    project = make_site({"outcomes/2027-Q1/2.1.1.customs.md": customs(quarter="2027-Q1")})
    assert errors(project) == [
        "content/outcomes/2027-Q1/2.1.1.customs.md:5: quarter 2027-Q1 is outside plan 2024-2026 (2024-01-01 – 2026-12-31) | "
        "2027-Q1 不在方案 2024-2026 的實施期間（2024-01-01 – 2026-12-31）內: "
        "check the quarter, or report it under the edition in force then | 請確認季別，或改報當時施行的方案版本",
    ]


# 7. Encodings and line endings


def test_cp950_file_is_reported_at_first_bad_byte_with_resave_hint(make_site):
    project = make_site({CUSTOMS: customs(remarks="經濟部智慧財產局").encode("cp950")})
    assert errors(project) == [f"{CUSTOMS_PATH}:7:10: {CP950_LINE}"]


def test_cp950_file_with_eten_extension_is_still_recognised(make_site):
    project = make_site({CUSTOMS: customs(remarks="碁").encode("cp950")})
    assert errors(project) == [f"{CUSTOMS_PATH}:7:10: {CP950_LINE}"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le"])
def test_utf16_file_is_refused(make_site, codec):
    project = make_site({CUSTOMS: customs().encode(codec)})
    assert errors(project) == [
        f'{CUSTOMS_PATH}:1: the file is saved as UTF-16 (Notepad\'s "Unicode") | 檔案以 UTF-16（記事本「Unicode」）儲存: '
        "re-save it as UTF-8 | 請另存為 UTF-8 編碼",
    ]


def test_utf8_bom_is_accepted_with_a_warning(make_site):
    project = make_site({CUSTOMS: b"\xef\xbb\xbf" + customs().encode("utf-8")})
    problems = check(project)
    assert [str(w) for w in problems.warnings] == [
        f"{CUSTOMS_PATH}:1: warning: a UTF-8 byte-order mark (BOM) was removed | 已移除 UTF-8 BOM: "
        'nothing to do; editors can save as "UTF-8" without BOM | 無須處理；可改存為無 BOM 的 UTF-8',
    ]
    assert [w.code for w in problems.warnings] == ["W-ENC-BOM"]


def test_crlf_line_endings_are_accepted(make_site):
    project = make_site({
        CUSTOMS: customs().replace("\n", "\r\n").encode("utf-8"),
        PLAN: fixture_text(PLAN).replace("\n", "\r\n").encode("utf-8"),
    })
    problems = check(project)
    assert not problems.errors and not problems.warnings


def test_crlf_file_problems_keep_their_line_numbers(make_site):
    text = customs().replace("1,234 件。\n", "1,234 件。\n\n[說明](javascript:alert(1))\n")
    project = make_site({CUSTOMS: text.replace("\n", "\r\n").encode("utf-8")})
    assert errors(project) == [link_line(10, "javascript:alert(1)")]


# 8. Required fields and value types


def test_empty_required_date_is_reported_at_its_line(make_site):
    project = make_site({CUSTOMS: customs(updated="")})
    assert errors(project) == [
        f'{CUSTOMS_PATH}:6: field "updated" is required | 必須填寫「updated」欄位: '
        'write "updated: …" (Last updated), e.g. updated: 2024-10-14 | 請填寫「updated: …」（更新日期），例如 updated: 2024-10-14',
    ]


def test_missing_agency_is_reported_at_the_front_matter(make_site):
    project = make_site({CUSTOMS: customs(agency=None)})
    assert errors(project) == [
        f'{CUSTOMS_PATH}:2: field "agency" is missing from the front matter, between the two --- lines | '
        "front matter（兩行 --- 之間）缺少「agency」欄位: "
        # The example is the file's own agency, as its name says, not the schema's.
        'write "agency: …" (Reporting agency), e.g. agency: customs | 請填寫「agency: …」（填報機關），例如 agency: customs',
    ]


@pytest.mark.parametrize("field, raw, expected", [
    ("agency", "NO", f'{CUSTOMS_PATH}:4:9: "agency" expected text, got boolean from `NO` | '
     '「agency」應為文字，但 `NO` 被讀成布林值（是/否）: put the value in double quotes: agency: "NO" | 請加雙引號：agency: "NO"'),
    ("measure", "1.10", f'{CUSTOMS_PATH}:3:10: "measure" expected text, got number from `1.10` | '
     '「measure」應為文字，但 `1.10` 被讀成數字: put the value in double quotes: measure: "1.10" | 請加雙引號：measure: "1.10"'),
    ("plan", "2024", f'{CUSTOMS_PATH}:2:7: "plan" expected text, got integer from `2024` | '
     '「plan」應為文字，但 `2024` 被讀成整數: put the value in double quotes: plan: "2024" | 請加雙引號：plan: "2024"'),
], ids=["agency NO read as boolean", "measure 1.10 read as float", "plan 2024 read as integer"])
def test_a_value_yaml_reads_as_another_type_is_quoted_and_hints_quotes(make_site, field, raw, expected):
    project = make_site({CUSTOMS: customs(**{field: raw})})
    assert errors(project) == [expected]


# 9. Markdown safety


def test_script_block_is_reported_at_its_line(make_site):
    project = make_site({CUSTOMS: customs() + "\n<script>\nalert(1)\n</script>\n"})
    assert errors(project) == [f"{CUSTOMS_PATH}:10: {HTML_LINE}"]


def test_inline_img_with_onerror_is_reported_at_its_line(make_site):
    project = make_site({CUSTOMS: customs() + "\n見附圖 <img src=x onerror=alert(1)> 。\n"})
    assert errors(project) == [f"{CUSTOMS_PATH}:10: {HTML_LINE}"]


@pytest.mark.parametrize("href", [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "//evil.example",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
])
def test_unsafe_link_target_is_reported_at_its_line(make_site, href):
    project = make_site({CUSTOMS: customs() + f"\n詳見[說明]({href})。\n"})
    assert errors(project) == [link_line(10, href)]


def test_unsafe_link_in_list_item_is_reported_at_its_line(make_site):
    project = make_site({CUSTOMS: customs() + "\n- 第一項\n- 第二項[說明](javascript:alert(1))\n"})
    assert errors(project) == [link_line(11, "javascript:alert(1)")]


@pytest.mark.parametrize("second_line, expected", [
    ("詳見[說明](javascript:alert(1))。", link_line(9, "javascript:alert(1)")),
    ("見附圖 <img src=x onerror=alert(1)> 。", f"{CUSTOMS_PATH}:9: {HTML_LINE}"),
])
def test_unsafe_inline_on_second_line_of_paragraph_is_reported_at_that_line(make_site, second_line, expected):
    text = customs().replace("1,234 件。\n", f"1,234 件，\n{second_line}\n")
    assert errors(make_site({CUSTOMS: text})) == [expected]


_UNSAFE_ATTRIBUTE = re.compile(r"""(?:href|src)\s*=\s*["']?\s*(?:javascript|vbscript|data):|(?:href|src)\s*=\s*["']?//""",
                               re.IGNORECASE)


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>",
    "段落 <script>alert(1)</script> 後文",
    '<img src=x onerror="alert(1)">',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "<javascript:alert(1)>",
    "![圖](javascript:alert(1))",
    "[x][a]\n\n[a]: javascript:alert(1)",
    "[x](//evil.example)",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox(1))",
])
def test_rendered_editor_text_never_contains_script_or_unsafe_link(text):
    html = render(text)
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert not _UNSAFE_ATTRIBUTE.search(html), html


# 10. Every error at once; a failed build keeps the old site


BROKEN_FILES = {
    "outcomes/2024-Q2/1.1.1.ida.md": """
        ---
        plan: "2024-2026"
        measure: 1.10
        agency: ida
        quarter: 2024-Q2
        updated: 2024-07-12
        ---
        本季無新進度
        """,
    CUSTOMS: """
        ---
        plan: "2024-2026"
        measure: "2.1.1"
        agency: customs
        quarter: 2024Q3
        updated: 2024-10-15
        remarks: yes
        ---
        本季查扣侵權物品。
        """,
    PLAN: fixture_text(PLAN).replace("updated: 2024-01-02\n", "updated: 2024-01-02\nsource:\n  zh: 另一來源\n"),
}
BROKEN_ERRORS = [
    'content/outcomes/2024-Q2/1.1.1.ida.md:3:10: "measure" expected text, got number from `1.10` | '
    '「measure」應為文字，但 `1.10` 被讀成數字: put the value in double quotes: measure: "1.10" | 請加雙引號：measure: "1.10"',
    f'{CUSTOMS_PATH}:5: "quarter" must look like 2024-Q3, not "2024Q3" | '
    "「quarter」須寫成 2024-Q3 的形式，而非「2024Q3」: 2024Q3 is 2024-Q3: write quarter: 2024-Q3 | "
    "2024Q3即 2024-Q3（民國113年第3季），請寫成 quarter: 2024-Q3",
    f'{CUSTOMS_PATH}:7:10: "remarks" expected text, got boolean from `yes` | '
    '「remarks」應為文字，但 `yes` 被讀成布林值（是/否）: put the value in double quotes: remarks: "yes" | 請加雙引號：remarks: "yes"',
    f'content/{PLAN}:12: duplicate key "source" (first on line 8) | 重複的鍵「source」（第 8 行已有）: '
    "keep one of them; YAML would silently keep only the last | 請只保留一個；YAML 會默默只留最後一個",
]
BROKEN_COUNT = "Build failed: 4 errors in 3 files. 建置失敗：3 個檔案共 4 個錯誤。"


def test_every_error_of_a_run_is_reported_sorted_by_path_and_line(make_site):
    project = make_site(BROKEN_FILES)
    with pytest.raises(BuildFailed) as failed:
        check(project)
    assert [str(p) for p in failed.value.problems.errors] == BROKEN_ERRORS
    assert failed.value.problems.report().splitlines()[-1] == BROKEN_COUNT


def test_check_command_prints_every_problem_and_count_and_exits_1(make_site):
    project = make_site(BROKEN_FILES)
    result = CliRunner().invoke(build.cli, ["check", "--root", str(project.root)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [*BROKEN_ERRORS, BROKEN_COUNT]
    assert "Traceback" not in result.output


def test_check_command_on_bad_encoding_prints_no_traceback(make_site):
    project = make_site({CUSTOMS: customs(remarks="經濟部智慧財產局").encode("cp950")})
    result = CliRunner().invoke(build.cli, ["check", "--root", str(project.root)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{CUSTOMS_PATH}:7:10: {CP950_LINE}",
        "Build failed: 1 error in 1 file. 建置失敗：1 個檔案共 1 個錯誤。",
    ]
    assert "Traceback" not in result.output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failed_build_leaves_the_previous_site_untouched(make_site):
    project = make_site({})
    runner = CliRunner()
    first = runner.invoke(build.cli, ["build", "--root", str(project.root), "--no-search"])
    assert first.exit_code == 0, first.output
    site = project.root / "site"
    before, siblings = snapshot(site), sorted(p.name for p in project.root.iterdir())
    assert before

    for rel, text in BROKEN_FILES.items():
        (project.content / rel).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    second = runner.invoke(build.cli, ["build", "--root", str(project.root), "--no-search"])

    assert second.exit_code == 1
    assert second.output.splitlines() == [*BROKEN_ERRORS, BROKEN_COUNT]
    assert "Traceback" not in second.output
    assert snapshot(site) == before
    assert sorted(p.name for p in project.root.iterdir()) == siblings


# 11. Full-width ids


def test_full_width_measure_id_hints_half_width_form(make_site):
    project = make_site({CUSTOMS: customs(measure='"３.１.１"')})
    assert errors(project) == [
        f'{CUSTOMS_PATH}:3:10: "measure" has an invalid value "３.１.１" | 「measure」的值「３.１.１」格式不正確: '
        'write "3.1.1" (half-width) | 請寫成半形「3.1.1」',
    ]
