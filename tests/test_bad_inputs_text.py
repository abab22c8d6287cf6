"""The bad-input catalogue, sections A–C (encoding, characters, YAML): cases 1–29, each fed to `check` as an editor
would submit it.

Each test is named after its case, so the catalogue can be ticked off here. An error must name the file, the line
(and the column where the catalogue asks) and what to write instead, in English and Chinese, and fail `check`; a
warning must not fail `check`, but must fail `check --strict`.
"""
from __future__ import annotations

import pytest

from actionplan.base.errors import ERROR, WARNING, Problems
from actionplan.build.pipeline import load
from diagnostics import codes, expect, run_check
from mini import CUSTOMS, CUSTOMS_PATH, PLAN, PLAN_PATH, entry, fixture_text, line_in

AGENCIES_PATH = "content/agencies.yaml"


def line_of(rel: str, part: str) -> int:
    """Return the line of the mini corpus file ``rel`` on which ``part`` first appears."""
    return line_in(fixture_text(rel), part)


def col_of(line: str, part: str) -> int:
    """Return the 1-based column at which ``part`` starts in ``line``."""
    return line.index(part) + 1


def only(run, code: str) -> None:
    """Assert that ``code`` is the only kind of problem the run reported."""
    assert set(codes(run)) == {code}, codes(run)


# A. Encoding and bytes


def test_case_01_big5_file_is_refused_at_its_first_non_utf8_byte_with_how_to_resave(make_site):
    run = run_check(make_site({CUSTOMS: entry(remarks="經濟部智慧財產局").encode("cp950")}))
    problem = expect(run, "E-ENC-CP950", CUSTOMS_PATH, 7, col=10)
    assert "Big5/CP950" in problem.message and "re-save it as UTF-8" in problem.hint
    only(run, "E-ENC-CP950")


@pytest.mark.parametrize("char", ["碁", "═", "€"], ids=["F9D6", "F9F9", "A3E1"])
def test_case_02_big5_with_eten_extensions_is_still_recognised_as_big5(make_site, char):
    run = run_check(make_site({CUSTOMS: entry(remarks=f"測試{char}").encode("cp950")}))
    expect(run, "E-ENC-CP950", CUSTOMS_PATH, 7, col=10)
    only(run, "E-ENC-CP950")


def test_case_03_private_use_character_is_refused_where_it_stands(make_site):
    run = run_check(make_site({CUSTOMS: entry(remarks="陳\ue000明")}))
    problem = expect(run, "E-CHAR-PUA", CUSTOMS_PATH, 7, col=11)
    assert "U+E000" in problem.message and "image with a text description" in problem.hint


def test_case_03_big5_with_user_defined_character_says_which_line_to_fix(make_site):
    text = entry(remarks="陳@@明").encode("cp950").replace(b"@@", b"\xfa\x40")
    run = run_check(make_site({CUSTOMS: text}))
    problem = expect(run, "E-ENC-CP950", CUSTOMS_PATH, 7, col=10)
    assert "造字) on line 7" in problem.hint and "第 7 行的造字" in problem.hint


@pytest.mark.parametrize("rel, text", [
    (CUSTOMS, entry()),
    ("agencies.yaml", fixture_text("agencies.yaml")),
], ids=["markdown", "yaml"])
def test_case_04_utf8_bom_is_removed_with_a_warning(make_site, rel, text):
    run = run_check(make_site({rel: b"\xef\xbb\xbf" + text.encode("utf-8")}))
    expect(run, "W-ENC-BOM", f"content/{rel}", 1, severity=WARNING)
    assert codes(run) == ["W-ENC-BOM"] and run.exit_code == 0


def test_case_05_bom_inside_the_text_is_refused_at_its_column(make_site):
    run = run_check(make_site({CUSTOMS: entry(remarks="經濟部\ufeff智慧財產局")}))
    expect(run, "E-CHAR-BOM-MID", CUSTOMS_PATH, 7, col=13)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_case_06_utf16_and_utf32_files_are_refused(make_site, codec):
    run = run_check(make_site({CUSTOMS: entry().encode(codec)}))
    problem = expect(run, "E-ENC-UTF16", CUSTOMS_PATH, 1)
    assert "re-save it as UTF-8" in problem.hint
    only(run, "E-ENC-UTF16")


@pytest.mark.parametrize("newline", ["\r\n", "mixed"])
def test_case_07_crlf_and_mixed_line_endings_are_accepted_silently(make_site, newline):
    text = entry(remarks="|\n  第一行\n  第二行")
    text = text.replace("\n", "\r\n") if newline == "\r\n" else text.replace("\n", "\r\n", 3)
    project = make_site({CUSTOMS: text.encode("utf-8")})
    assert run_check(project, strict=True).problems == []
    corpus = load(project, Problems(project.root))
    outcome = next(o for o in corpus.outcomes if o.agency == "customs")
    assert outcome.remarks.zh == "第一行\n第二行\n"


def test_case_07_lone_cr_is_read_as_a_line_break_with_a_warning_at_its_line(make_site):
    run = run_check(make_site({CUSTOMS: entry().replace("quarter: 2024-Q3\n", "quarter: 2024-Q3\r").encode()}))
    expect(run, "W-EOL-CR", CUSTOMS_PATH, 5, col=len("quarter: 2024-Q3") + 1, severity=WARNING)
    assert codes(run) == ["W-EOL-CR"]


def test_case_08_replacement_character_is_refused_at_its_column(make_site):
    run = run_check(make_site({CUSTOMS: entry(remarks="經濟部\ufffd\ufffd局")}))
    expect(run, "E-CHAR-FFFD", CUSTOMS_PATH, 7, col=13)


def garbled(text: str) -> str:
    """Return ``text`` as it reads after its UTF-8 was decoded as Big5 and the undecodable pairs were dropped."""
    return text.encode("utf-8").decode("cp950", errors="ignore")


@pytest.mark.parametrize("body, col", [
    ("蝬瞈", 1),
    (garbled("經濟部智慧財產局查獲侵權物品"), 1),
    ("本季" + garbled("經濟部智慧財產局"), 3),
], ids=["catalogue", "whole line", "after real text"])
def test_case_08_utf8_read_as_big5_is_warned_about_where_the_garbled_run_starts(make_site, body, col):
    run = run_check(make_site({CUSTOMS: entry(body)}))
    problem = expect(run, "W-CHAR-MOJIBAKE", CUSTOMS_PATH, 8, col=col, severity=WARNING)
    assert f'"{body[col - 1:]}" looks garbled' in problem.message and "copy the text again" in problem.hint


@pytest.mark.parametrize("body", ["財政部關務署查扣仿冒品1,234件，並與權利人團體交流。", "講座由陳堃喆、王喆擔任。"])
def test_case_08_real_text_with_rare_characters_is_not_called_garbled(make_site, body):
    assert "W-CHAR-MOJIBAKE" not in codes(run_check(make_site({CUSTOMS: entry(body)})))


# B. Characters in IDs, names and keys


def test_case_09_full_width_id_is_refused_with_its_half_width_form(make_site):
    run = run_check(make_site({CUSTOMS: entry(measure='"２．１．１"')}))
    problem = expect(run, "E-ID-FORMAT", CUSTOMS_PATH, 3, col=10)
    assert 'write "2.1.1" (half-width)' in problem.hint


def test_case_10_half_converted_id_is_refused_with_its_half_width_form(make_site):
    run = run_check(make_site({CUSTOMS: entry(measure='"２.１.１"')}))
    problem = expect(run, "E-ID-FORMAT", CUSTOMS_PATH, 3, col=10)
    assert 'write "2.1.1" (half-width)' in problem.hint


@pytest.mark.parametrize("field, value", [("measure", '"2.1.1\\n"'), ("quarter", '"2024-Q3\\n"'), ("agency", '"customs\\n"')])
def test_case_10_an_id_with_a_trailing_line_break_is_refused(make_site, field, value):
    run = run_check(make_site({CUSTOMS: entry(**{field: value})}))
    found = {p.code for p in run.problems if p.path == CUSTOMS_PATH}
    assert found & {"E-ID-FORMAT", "E-QUARTER"}, found
    assert run.exit_code == 1
    # The value is quoted with its line break escaped: one problem stays one line.
    assert all(line.startswith(("content/", "Build failed")) for line in run.output.splitlines()), run.output


def lead(cell: str) -> str:
    """Return the mini plan with measure 1.1.1's lead cell (line 30) written as ``cell``."""
    return fixture_text(PLAN).replace('lead: "經濟部(產業發展署、智慧財產局)"', f'lead: "{cell}"')


def test_case_11_agency_name_with_full_width_brackets_matches_and_is_shown_as_written(make_site):
    project = make_site({PLAN: lead("經濟部（產業發展署、智慧財產局）")})
    assert run_check(project, strict=True).problems == []
    measure = load(project, Problems(project.root)).measure("2024-2026", "1.1.1")
    assert measure.lead.written == "經濟部（產業發展署、智慧財產局）"
    assert measure.lead.ids == ("ida", "tipo")


def test_case_11_unknown_agency_name_suggests_the_registry_name(make_site):
    run = run_check(make_site({PLAN: lead("經濟部（智慧財產司）")}))
    problem = expect(run, "E-AGENCY-UNKNOWN", PLAN_PATH, 30)
    assert problem.hint == 'did you mean "經濟部智慧財產局"? | 是否要寫「經濟部智慧財產局」？'


def test_case_11_agency_name_where_the_id_belongs_hints_the_id(make_site):
    run = run_check(make_site({CUSTOMS: entry(agency="財政部（關務署）")}))
    problem = expect(run, "E-ID-FORMAT", CUSTOMS_PATH, 4, col=9)
    assert problem.hint == 'write the id "customs", not the name | 請寫代號「customs」，不要寫名稱'


def test_case_12_compatibility_ideograph_is_warned_about_at_its_column_and_still_matches(make_site):
    plan = fixture_text(PLAN).replace('lead: "財政部 (關務署)"', 'lead: "財政部 (關務\ufa5a)"')
    run = run_check(make_site({PLAN: plan}))
    problem = expect(run, "W-CHAR-COMPAT", PLAN_PATH, 44, col=27, severity=WARNING)
    assert "U+FA5A" in problem.message and problem.hint.startswith("replace it with the standard character 署 ")
    assert codes(run) == ["W-CHAR-COMPAT"]


def test_case_12_compatibility_ideograph_in_text_points_at_the_character(make_site):
    run = run_check(make_site({CUSTOMS: entry("突\ufa0c而起")}))
    problem = expect(run, "W-CHAR-COMPAT", CUSTOMS_PATH, 8, col=2, severity=WARNING)
    assert "\ufa0c (U+FA0C, standard: \u5140 U+5140)" in problem.message


@pytest.mark.parametrize("files, code, path, line, col", [
    ({CUSTOMS: entry(agency="customs\u200b")}, "E-CHAR-INVISIBLE", CUSTOMS_PATH, 4, 16),
    ({CUSTOMS: entry(measure='"2.1\u200b.1"')}, "E-CHAR-INVISIBLE", CUSTOMS_PATH, 3, 14),
    ({CUSTOMS: entry(agency=None, **{"agency\u200b": "customs"})}, "E-CHAR-INVISIBLE", CUSTOMS_PATH, 6, 7),
    ({PLAN: fixture_text(PLAN).replace('id: "2024-2026"', 'id: "2024-2026\u2060"')}, "E-CHAR-INVISIBLE", PLAN_PATH, 1, 15),
    ({"agencies.yaml": fixture_text("agencies.yaml").replace("id: customs", "id: cust\u200boms")},
     "E-CHAR-INVISIBLE", AGENCIES_PATH, line_of("agencies.yaml", "id: customs"), 13),
    ({CUSTOMS: entry(remarks="專利\u200b")}, "W-CHAR-INVISIBLE", CUSTOMS_PATH, 7, 12),
    ({CUSTOMS: entry("本季查扣\u200b侵權物品。")}, "W-CHAR-INVISIBLE", CUSTOMS_PATH, 8, 5),
    ({PLAN: fixture_text(PLAN).replace("zh: 落實邊境管制\n", "zh: 落實邊境\u00ad管制\n")}, "W-CHAR-INVISIBLE", PLAN_PATH, 35, 15),
], ids=["agency id", "measure id", "key", "plan slug", "agency code", "remarks", "body", "title"])
def test_case_13_invisible_character_is_an_error_in_ids_and_keys_and_a_warning_in_text(make_site, files, code, path,
                                                                                       line, col):
    run = run_check(make_site(files))
    severity = WARNING if code.startswith("W-") else ERROR
    problem = expect(run, code, path, line, col=col, severity=severity)
    assert "invisible character (U+" in problem.message
    assert codes(run).count(code) == 1


@pytest.mark.parametrize("files, line, col", [
    ({CUSTOMS: entry(remarks="專利\u202e書明說")}, 7, 12),
    ({CUSTOMS: entry("詳見[\u202egpj.exe](https://example.org/)。")}, 8, 4),
], ids=["remarks", "link text"])
def test_case_14_bidi_override_is_refused_where_it_stands(make_site, files, line, col):
    expect(run_check(make_site(files)), "E-CHAR-BIDI", CUSTOMS_PATH, line, col=col)


# C. YAML


@pytest.mark.parametrize("fields, line, col, raw", [
    ({"agency": "NO"}, 4, 9, "NO"),
    ({"remarks": "yes"}, 7, 10, "yes"),
    ({"completion": "off"}, 7, 13, "off"),
], ids=["agency NO", "remarks yes", "completion off"])
def test_case_15_norway_problem_boolean_where_text_is_expected_says_quote_it(make_site, fields, line, col, raw):
    run = run_check(make_site({CUSTOMS: entry(**fields)}))
    problem = expect(run, "E-YAML-TYPE", CUSTOMS_PATH, line, col=col)
    assert f"got boolean from `{raw}`" in problem.message and f'"{raw}"' in problem.hint


def test_case_15_norway_problem_boolean_key_is_refused(make_site):
    run = run_check(make_site({CUSTOMS: entry(off="off")}))
    problem = expect(run, "E-YAML-KEY", CUSTOMS_PATH, 7, col=1)
    assert "'off'" in problem.message and "quote the key" in problem.hint


@pytest.mark.parametrize("raw", ["1.10", "2.1"])
def test_case_16_section_number_read_as_a_float_quotes_the_source_token(make_site, raw):
    run = run_check(make_site({CUSTOMS: entry(measure=raw)}))
    problem = expect(run, "E-YAML-TYPE", CUSTOMS_PATH, 3, col=10)
    assert f"got number from `{raw}`" in problem.message and f'measure: "{raw}"' in problem.hint


@pytest.mark.parametrize("raw", ["007", "010", "0x1A"])
def test_case_17_leading_zeros_and_hex_in_an_id_quote_the_source_token(make_site, raw):
    run = run_check(make_site({CUSTOMS: entry(agency=raw)}))
    problem = expect(run, "E-YAML-TYPE", CUSTOMS_PATH, 4, col=9)
    assert f"got integer from `{raw}`" in problem.message


@pytest.mark.parametrize("fields, code, line, col, says", [
    ({"completion": "1:30"}, "E-YAML-TYPE", 7, 13, "got integer from `1:30`"),
    ({"measure": "1.0e+3"}, "E-YAML-TYPE", 3, 10, "got number from `1.0e+3`"),
    # PyYAML keeps 1e3 as text (YAML 1.1 floats need a dot), so it is the id pattern that refuses it.
    ({"measure": "1e3"}, "E-ID-FORMAT", 3, 10, 'has an invalid value "1e3"'),
], ids=["sexagesimal", "exponent float", "exponent text"])
def test_case_18_sexagesimal_and_exponents_are_schema_errors_at_their_line(make_site, fields, code, line, col, says):
    run = run_check(make_site({CUSTOMS: entry(**fields)}))
    assert says in expect(run, code, CUSTOMS_PATH, line, col=col).message


@pytest.mark.parametrize("raw", ["2024-01-05", '"2024-01-05"'])
def test_case_19_iso_date_is_accepted(make_site, raw):
    assert run_check(make_site({CUSTOMS: entry(updated=raw)}), strict=True).problems == []


@pytest.mark.parametrize("raw, hint", [
    ("113/1/5", "民國113年1月5日 is 2024-01-05: write updated: 2024-01-05"),
    ("113-01-05", "民國113年1月5日 is 2024-01-05: write updated: 2024-01-05"),
    ("民國113年1月5日", "民國113年1月5日 is 2024-01-05: write updated: 2024-01-05"),
    ("0113-01-05", "民國113年1月5日 is 2024-01-05: write updated: 2024-01-05"),
    ("2024/1/5", "write updated: 2024-01-05"),
    ("2024-1-5", "write updated: 2024-01-05"),
    ("2024/13/01", "there is no such day"),
    ("2024-02-30", "there is no such day"),
    ("2024-10-14 10:00:00", "write year-month-day with hyphens"),
    ("Oct 14, 2024", "write year-month-day with hyphens"),
])
def test_case_19_other_date_forms_are_refused_with_the_iso_form_to_write(make_site, raw, hint):
    run = run_check(make_site({CUSTOMS: entry(updated=raw)}))
    problem = expect(run, "E-DATE", CUSTOMS_PATH, 6, col=10)
    assert f"must be a Gregorian date written YYYY-MM-DD (2024-01-05), not `{raw}`" in problem.message
    assert "須為西元日期，寫成 YYYY-MM-DD" in problem.message
    assert problem.hint.startswith(hint)


def test_case_20_tab_indentation_is_refused_at_line_and_column(make_site):
    text = entry(note="\n\tzh: 說明")
    run = run_check(make_site({CUSTOMS: text}))
    problem = expect(run, "E-YAML-TAB", CUSTOMS_PATH, 8, col=1)
    assert problem.hint == "indent with spaces, not Tab | 請用空白縮排，不要用 Tab"
    only(run, "E-YAML-TAB")


def test_case_21_duplicate_key_names_both_lines(make_site):
    run = run_check(make_site({CUSTOMS: entry(remarks="甲", note="乙").replace("note:", "remarks:")}))
    problem = expect(run, "E-YAML-DUPKEY", CUSTOMS_PATH, 8)
    assert '"remarks" (first on line 7)' in problem.message


def test_case_22_unquoted_colon_in_a_value_hints_quoting(make_site):
    run = run_check(make_site({CUSTOMS: entry(remarks="註: 說明")}))
    problem = expect(run, "E-YAML-SYNTAX", CUSTOMS_PATH, 7, col=11)
    assert problem.hint.startswith('put the value in double quotes when it contains ": "')


@pytest.mark.parametrize("files, path, line, written", [
    ({CUSTOMS: entry(remarks="第1號 #重要")}, CUSTOMS_PATH, 7, "remarks: 第1號 #重要"),
    ({CUSTOMS: entry(remarks="#待補")}, CUSTOMS_PATH, 7, "remarks: #待補"),
    ({"agencies.yaml": fixture_text("agencies.yaml").replace("en: Ministry of Justice", "en: Ministry of Justice  # MOJ")},
     AGENCIES_PATH, line_of("agencies.yaml", "en: Ministry of Justice"), "    en: Ministry of Justice  # MOJ"),
], ids=["value", "empty value", "yaml file"])
def test_case_23_comment_after_an_unquoted_value_is_warned_about(make_site, files, path, line, written):
    run = run_check(make_site(files))
    problem = expect(run, "W-YAML-COMMENT", path, line, col=col_of(written, "#"), severity=WARNING)
    comment = written[written.index("#"):]
    assert f'will not be published: "{comment}"' in problem.message
    meant = written.split(": ", 1)[1].strip()
    assert f'put the whole value in double quotes: "{meant}"' in problem.hint


@pytest.mark.parametrize("remarks", ['"第1號" # 註記', "第1號#重要", '"第1號 #重要"'])
def test_case_23_quoted_values_and_hashes_inside_words_are_not_comments_to_warn_about(make_site, remarks):
    assert "W-YAML-COMMENT" not in codes(run_check(make_site({CUSTOMS: entry(remarks=remarks)})))


@pytest.mark.parametrize("written, char", [
    ("plan：2024-2026", "："),
    ("plan:\u30002024-2026", "\u3000"),
    ("plan:\xa02024-2026", "\xa0"),
], ids=["U+FF1A", "U+3000", "U+00A0"])
def test_case_24_key_colon_slip_makes_no_mapping_and_points_at_the_character(make_site, written, char):
    run = run_check(make_site({CUSTOMS: f"---\n{written}\n---\n本季無新進度\n"}))
    problem = expect(run, "E-YAML-NOTMAP", CUSTOMS_PATH, 2, col=written.index(char) + 1)
    assert "must be a mapping of fields" in problem.message
    assert 'write "name: value" with a half-width colon and a space' in problem.hint
    only(run, "E-YAML-NOTMAP")


@pytest.mark.parametrize("char", ["：", "\u3000", "\xa0"], ids=["U+FF1A", "U+3000", "U+00A0"])
def test_case_24_key_colon_slip_among_fields_points_at_the_character(make_site, char):
    written = "agency：customs" if char == "：" else f"agency:{char}customs"
    run = run_check(make_site({CUSTOMS: entry(agency=None).replace("quarter:", f"{written}\nquarter:")}))
    problem = expect(run, "E-YAML-SYNTAX", CUSTOMS_PATH, 4, col=written.index(char) + 1)
    assert "after a field name" in problem.message
    only(run, "E-YAML-SYNTAX")


@pytest.mark.parametrize("files, path, line, col", [
    ({CUSTOMS: entry(note="\n\u3000zh: 說明")}, CUSTOMS_PATH, 8, 1),
    ({CUSTOMS: entry(note="\n  zh: 說明\n\u3000\u3000en: note")}, CUSTOMS_PATH, 9, 1),
    ({CUSTOMS: entry(note="\n  zh: 說明\n  \u3000en: note")}, CUSTOMS_PATH, 9, 3),
    ({"agencies.yaml": fixture_text("agencies.yaml").replace("    zh: 法務部", "\u3000\u3000zh: 法務部")},
     AGENCIES_PATH, line_of("agencies.yaml", "zh: 法務部"), 1),
    ({CUSTOMS: entry(remarks="說明\n\u3000\u3000續行")}, CUSTOMS_PATH, 8, 1),
], ids=["key under a field", "second level", "after spaces", "yaml file", "continued value"])
def test_case_25_ideographic_space_used_as_indentation_is_refused_at_line_and_column(make_site, files, path, line, col):
    run = run_check(make_site(files))
    problem = expect(run, "E-CHAR-IDEOSPACE", path, line, col=col)
    assert problem.hint == "indent with half-width spaces | 請用半形空白縮排"
    only(run, "E-CHAR-IDEOSPACE")


@pytest.mark.parametrize("remarks", ["|\n  \u3000\u3000第一段。", "\n  \u3000\u3000第一段。"], ids=["block", "plain"])
def test_case_25_ideographic_space_opening_a_paragraph_is_text_not_indentation(make_site, remarks):
    assert run_check(make_site({CUSTOMS: entry(remarks=remarks)}), strict=True).problems == []


def test_case_26_second_document_is_refused_at_its_separator(make_site):
    agencies = fixture_text("agencies.yaml")
    run = run_check(make_site({"agencies.yaml": agencies + "---\nagencies: []\n"}))
    problem = expect(run, "E-YAML-MULTIDOC", AGENCIES_PATH, agencies.count("\n") + 1)
    assert problem.hint.startswith("keep one document per file")


@pytest.mark.parametrize("value", ['!!python/object/apply:os.system ["echo hi"]', "!!str 007", "!custom x"])
def test_case_27_explicit_tag_is_refused(make_site, value):
    run = run_check(make_site({CUSTOMS: entry(remarks=value)}))
    problem = expect(run, "E-YAML-TAG", CUSTOMS_PATH, 7, col=10)
    assert value.split(" ")[0].lstrip("!") in problem.message


def test_case_28_alias_is_refused_where_it_is_used(make_site):
    run = run_check(make_site({CUSTOMS: entry(remarks='&note "同上"', note="*note")}))
    problem = expect(run, "E-YAML-ALIAS", CUSTOMS_PATH, 8, col=7)
    assert problem.hint == "write the value out in full | 請直接寫出完整的值"


def test_case_28_billion_laughs_is_refused_without_expanding(make_site):
    laughs = {"lol0": '&lol0 ["哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈"]'}
    laughs.update({f"lol{n}": f"&lol{n} [{', '.join([f'*lol{n - 1}'] * 10)}]" for n in range(1, 10)})
    run = run_check(make_site({CUSTOMS: entry(**laughs)}))
    expect(run, "E-YAML-ALIAS", CUSTOMS_PATH, 8, col=14)


def test_case_28_node_count_is_capped(make_site, monkeypatch):
    # The real cap (100,000 nodes) takes seconds to reach; the mechanism is the same at 50.
    monkeypatch.setattr("actionplan.content.sources._MAX_NODES", 50)
    many = ", ".join(["0"] * 51)
    run = run_check(make_site({"agencies.yaml": f"agencies: [{many}]\n"}))
    expect(run, "E-YAML-SIZE", AGENCIES_PATH, 1)


@pytest.mark.parametrize("text, line, message", [
    (entry(agency="~"), 4, 'field "agency" is required | 必須填寫「agency」欄位'),
    (entry(agency=""), 4, 'field "agency" is required | 必須填寫「agency」欄位'),
    (entry(agency=None), 2, 'field "agency" is missing from the front matter, between the two --- lines | '
                            "front matter（兩行 --- 之間）缺少「agency」欄位"),
], ids=["tilde", "empty", "missing"])
def test_case_29_required_field_null_or_missing_names_the_field_in_both_languages(make_site, text, line, message):
    run = run_check(make_site({CUSTOMS: text}))
    problem = expect(run, "E-FIELD-REQUIRED", CUSTOMS_PATH, line)
    assert problem.message == message
    assert problem.hint.endswith("例如 agency: customs")  # the agency the file's name says


# Warnings: `check` passes, `check --strict` fails.


@pytest.mark.parametrize("text, code", [
    (b"\xef\xbb\xbf" + entry().encode(), "W-ENC-BOM"),
    (entry().replace("quarter: 2024-Q3\n", "quarter: 2024-Q3\r").encode(), "W-EOL-CR"),
    (entry("蝬瞈").encode(), "W-CHAR-MOJIBAKE"),
    (entry("突\ufa0c").encode(), "W-CHAR-COMPAT"),
    (entry("專利\u200b").encode(), "W-CHAR-INVISIBLE"),
    (entry(remarks="第1號 #重要").encode(), "W-YAML-COMMENT"),
], ids=["bom", "lone cr", "mojibake", "compat", "invisible", "comment"])
def test_warnings_pass_check_but_fail_check_strict(make_site, text, code):
    project = make_site({CUSTOMS: text})
    relaxed, strict = run_check(project), run_check(project, strict=True)
    assert relaxed.exit_code == 0 and relaxed.output.splitlines()[-1] == "Content OK. 內容檢查通過。"
    assert codes(relaxed) == [code]
    expect(strict, code, CUSTOMS_PATH, relaxed.problems[0].line, severity=WARNING)
    assert strict.exit_code == 1 and "--strict" in strict.output.splitlines()[-1]
