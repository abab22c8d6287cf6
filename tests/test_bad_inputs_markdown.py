"""The bad-input catalogue, section D (the Markdown body): cases 30–38, each fed to `check` as an editor would
submit it.

Each test is named after its case, so the catalogue can be ticked off here. An error must name the file, the line
and what to write instead, in English and Chinese, and fail `check`; a warning must not fail `check`, but must fail
`check --strict`.
"""
from __future__ import annotations

import sys
from pathlib import Path, PurePosixPath

import pytest
from click.testing import CliRunner

import actionplan.site.routes
from actionplan.base.errors import WARNING, Problems
from actionplan.content.markdown import render
from actionplan.build.pipeline import build as build_site, load
from actionplan.site.routes import page_anchors, plan_routes
from actionplan.site.write import stage_dir, write_page
from conftest import FIXTURES, ROOT, _project_with
from diagnostics import codes, expect, run_check
from htmlpage import read_page
from mini import BODY, CUSTOMS, CUSTOMS_PATH, PLAN, TIPO, TIPO_EN, entry, fixture_text, line_in as line_of, quoted

# build.py is a script beside the package, not part of it.
sys.path.insert(0, str(ROOT))
import build as cli  # noqa: E402

MEASURE = "/zh/plans/2024-2026/measures/1.1.1/"
TIPO_ANCHOR = "entry-2024-q3-1-1-1-tipo"


def only(run, *allowed: str) -> None:
    """Assert that the run reported nothing but ``allowed`` codes."""
    assert set(codes(run)) <= set(allowed), codes(run)


def expect_warning(run, strict_run, code: str, path: str, line: int) -> None:
    """Assert a warning at ``path:line`` that passes `check` and fails `check --strict`."""
    expect(run, code, path, line, severity=WARNING)
    assert run.exit_code == 0, run.output
    assert strict_run.exit_code == 1 and "--strict" in strict_run.output


def check_body(make_site, body: str, strict: bool = False):
    return run_check(make_site({CUSTOMS: entry(body)}), strict=strict)


# 30. Raw HTML or script


@pytest.mark.parametrize("body, line", [
    ("<script>\nalert(1)\n</script>", BODY),
    ("本季查扣侵權物品。\n\n<iframe src=\"https://evil.example/\"></iframe>", BODY + 2),
    ("見附圖 <img src=x onerror=alert(1)> 。", BODY),
    ("第一行，\n第二行 <span onclick=\"alert(1)\">按此</span>。", BODY + 1),
], ids=["script-block", "iframe-block", "img-onerror-inline", "span-onclick-second-line"])
def test_case_30_raw_html_is_refused_at_its_line(make_site, body, line):
    run = check_body(make_site, body)
    problem = expect(run, "E-MD-HTML", CUSTOMS_PATH, line)
    assert "write it in Markdown" in problem.hint
    only(run, "E-MD-HTML")


def test_case_30_raw_html_in_a_yaml_markdown_chapter_is_refused_at_its_line(make_site):
    plan = fixture_text(PLAN).replace("  zh: |\n    一、各機關", "  zh: |\n    <script>alert(1)</script>\n\n    一、各機關")
    run = run_check(make_site({PLAN: plan}))
    expect(run, "E-MD-HTML", "content/" + PLAN, line_of(plan, "<script>"))


# 31. Dangerous link schemes


@pytest.mark.parametrize("href", [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
])
def test_case_31_dangerous_link_scheme_is_refused_at_its_line(make_site, href):
    run = check_body(make_site, f"本季成果，\n詳見[說明]({href})。")
    problem = expect(run, "E-MD-LINK-SCHEME", CUSTOMS_PATH, BODY + 1)
    assert href in problem.message
    only(run, "E-MD-LINK-SCHEME")


def test_case_31_reference_definition_is_refused_at_its_own_line_even_unused(make_site):
    run = check_body(make_site, "本季成果。\n\n[說明]: javascript:alert(1)")
    expect(run, "E-MD-LINK-SCHEME", CUSTOMS_PATH, BODY + 2)


# 32. Protocol-relative and plain-http links


def test_case_32_protocol_relative_link_is_refused(make_site):
    run = check_body(make_site, "詳見[說明](//evil.example/page)。")
    expect(run, "E-MD-LINK-SCHEME", CUSTOMS_PATH, BODY)


def test_case_32_plain_http_link_is_a_warning_asking_for_https(make_site):
    project = make_site({CUSTOMS: entry("本季成果，\n詳見[說明](http://www.tipo.gov.tw/)。")})
    run, strict_run = run_check(project), run_check(project, strict=True)
    expect_warning(run, strict_run, "W-MD-HTTP", CUSTOMS_PATH, BODY + 1)
    assert "https://" in run.problems[0].hint


@pytest.mark.parametrize("field, value, code", [
    ("base_path", "//evil.example/", "E-URL"),
    ("base_path", "/../", "E-URL"),
    ("base_path", '/"><script>alert(1)</script>/', "E-URL"),
    ("base_url", "javascript:alert(1)", "E-URL"),
    ("base_url", "javascript:alert(1)//", "E-URL"),
    ("email", "service@tipo.gov.tw?cc=evil@example.com", "E-EMAIL"),
    ("email", "x@example.com?body=<script>alert(1)</script>", "E-EMAIL"),
    ("email", "\"><script>alert(1)</script>", "E-EMAIL"),
    ("email", "javascript:alert(1)", "E-EMAIL"),
])
def test_case_32_site_values_that_become_links_are_refused_at_their_line(make_site, field, value, code):
    site = fixture_text("site.yaml")
    site = (site.replace("base_path: /\n", f"base_path: {quoted(value)}\n") if field == "base_path"
            else site.replace("phone:", f"{field}: {quoted(value)}\nphone:"))
    run = run_check(make_site({"site.yaml": site}))
    expect(run, code, "content/site.yaml", line_of(site, f"{field}:"))


def test_case_32_plain_http_base_url_is_a_warning(make_site):
    site = fixture_text("site.yaml").replace("phone:", "base_url: http://ipr.example.gov.tw/\nphone:")
    project = make_site({"site.yaml": site})
    expect_warning(run_check(project), run_check(project, strict=True), "W-URL-HTTP", "content/site.yaml",
                   line_of(site, "base_url:"))


# 33. Broken internal links and anchors


@pytest.mark.parametrize("href", [
    MEASURE,
    f"{MEASURE}#{TIPO_ANCHOR}",
    f"/zh/quarters/2024-q3/goal-1/#{TIPO_ANCHOR}",
    "/zh/plans/2024-2026/#measure-2-1-1",
    "/zh/quarters/2024-q3/goal-1/#strategy-1-1",
    "/en/about/",
    "/",
    "https://www.tipo.gov.tw/",
    "mailto:service@tipo.gov.tw",
])
def test_case_33_links_to_pages_and_anchors_of_this_site_pass(make_site, href):
    run = check_body(make_site, f"詳見[說明]({href})。")
    assert run.exit_code == 0 and run.problems == [], run.output


@pytest.mark.parametrize("href, says, hint", [
    ("/zh/plans/2024-2026/measures/3.1.2/", "this site has no page", "did you mean"),
    ("/zh/plans/2024-2026/measures/1.1.1", "this site has no page", f'did you mean "{MEASURE}"'),
    ("/tw/agencies/tipo/", "this site has no page", 'did you mean "/zh/agencies/tipo/"'),
    (f"{MEASURE}#不存在", "has no anchor #不存在", "Link to this entry"),
    (f"{MEASURE}#entry-2024-q3-2-1-1-customs", "has no anchor", f'did you mean "{TIPO_ANCHOR}"'),
    ("/zh/agencies/customs/#goal-1", "has no anchor #goal-1", "Link to this entry"),
    (f"/zh/quarters/2024-q3/#{TIPO_ANCHOR}", "has no anchor", "Link to this entry"),  # its goal's page has it
    (f"/en/agencies/tipo/#{TIPO_ANCHOR}", "has no anchor", "Link to this entry"),  # the agency page lists, links it
    ("../reports/3-1-2.md#不存在", "cannot be resolved", "link from the site root"),
    (f"#{TIPO_ANCHOR}", "shown on several pages", "link from the site root"),
])
def test_case_33_broken_internal_link_is_refused_with_the_target(make_site, href, says, hint):
    run = check_body(make_site, f"本季成果，\n詳見[說明]({href})。")
    problem = expect(run, "E-LINK-INTERNAL", CUSTOMS_PATH, BODY + 1)
    assert href in problem.message and says in problem.message
    assert hint in problem.hint
    only(run, "E-LINK-INTERNAL")


def test_case_33_each_language_file_is_checked_against_the_pages(make_site):
    english = fixture_text(TIPO_EN) + "\nSee [the measure](/en/plans/2024-2026/measures/9.9.9/).\n"
    run = run_check(make_site({TIPO_EN: english}))
    expect(run, "E-LINK-INTERNAL", "content/" + TIPO_EN, line_of(english, "See [the measure]"))


def test_case_33_broken_link_in_a_yaml_markdown_chapter_is_refused_at_its_line(make_site):
    site = fixture_text("site.yaml").replace("  en: |\n    This is a static website.",
                                             "  en: |\n    See [the plan](/en/plan/).\n\n    This is a static website.")
    run = run_check(make_site({"site.yaml": site}))
    expect(run, "E-LINK-INTERNAL", "content/site.yaml", line_of(site, "See [the plan]"))


@pytest.fixture(scope="module")
def mini_build(tmp_path_factory) -> tuple[list, Path]:
    """Return the mini corpus's pages and its site, built once, with a heading and a {#search} in one entry."""
    root = tmp_path_factory.mktemp("mini")
    project = _project_with(root, FIXTURES / "mini")
    (project.content / CUSTOMS).write_text(entry("# 查扣成果 {#search}\n\n本季查扣侵權物品 1,234 件。"), encoding="utf-8")
    build_site(project, root / "site", search=False)
    return plan_routes(load(project, Problems(root)), Problems(root)), root / "site"


def test_case_33_every_anchor_the_check_accepts_is_on_the_built_page(mini_build):
    pages, site = mini_build
    for page in pages:
        missing = page_anchors(page) - read_page(site / page.output).ids
        assert not missing, f"{page.output} lacks {sorted(missing)}"


# 34. Unsafe ids in paths, paths outside the site, two sources for one page


@pytest.mark.parametrize("agency_id, code", [
    ("../../etc/passwd", "E-ID-FORMAT"),
    ("/etc/passwd", "E-ID-FORMAT"),
    ("..", "E-ID-FORMAT"),
    ("CON", "E-ID-FORMAT"),
    ("con", "E-SLUG"),
    ('"kipo "', "E-ID-FORMAT"),
    ('"kipo\\\\x"', "E-ID-FORMAT"),
    ('"kipo\\n"', "E-ID-FORMAT"),
])
def test_case_34_an_id_that_would_leave_or_break_the_url_is_refused(make_site, agency_id, code):
    agencies = fixture_text("agencies.yaml") + f"  - id: {agency_id}\n    zh: 測試機關\n    en: Test agency\n"
    run = run_check(make_site({"agencies.yaml": agencies}))
    line = line_of(agencies, "id: " + agency_id)
    # E-SLUG: a valid id that Windows cannot name a folder; the check of every URL path is the net that catches it.
    problem = expect(run, code, "content/agencies.yaml", line)
    if code == "E-SLUG":
        assert "'con'" in problem.message


@pytest.mark.parametrize("output", ["../outside.html", "/tmp/outside.html", "zh/../../outside.html"])
def test_case_34_the_writer_never_writes_outside_the_site(tmp_path, output):
    staging = stage_dir(tmp_path / "site")
    with pytest.raises(ValueError, match="outside the site"):
        write_page(staging, PurePosixPath(output), b"x")
    assert not (tmp_path / "outside.html").exists() and not Path("/tmp/outside.html").exists()


def test_case_34_two_sources_of_one_page_are_both_named_with_their_lines(make_site, monkeypatch):
    # Ids are unique lowercase ASCII, so real content cannot do this: map measure 2.1.1's page onto 1.1.1's.
    page_path = actionplan.site.routes.page_path
    monkeypatch.setattr(actionplan.site.routes, "page_path",
                        lambda kind, lang, key="": page_path(kind, lang, key.replace("2.1.1", "1.1.1")))
    run = run_check(make_site({}))
    plan = fixture_text(PLAN)
    first, second = line_of(plan, "- number: 1\n            text"), plan.rindex("- number: 1")
    second = plan.count("\n", 0, second) + 1
    problem = expect(run, "E-OUTPUT-COLLISION", "content/" + PLAN, second)
    assert f"content/{PLAN}:{second} and content/{PLAN}:{first} both make the page zh/plans/2024-2026/measures/1.1.1/" \
           in problem.message


def test_case_34_pages_differing_only_by_case_collide(make_site, monkeypatch):
    page_path = actionplan.site.routes.page_path
    monkeypatch.setattr(actionplan.site.routes, "page_path",
                        lambda kind, lang, key="": page_path(kind, lang, "TIPO" if key == "customs" else key))
    run = run_check(make_site({}))
    agencies = fixture_text("agencies.yaml")
    customs, tipo = line_of(agencies, "id: customs"), line_of(agencies, "id: tipo")
    problem = expect(run, "E-OUTPUT-COLLISION", "content/agencies.yaml", max(customs, tipo))
    assert f"content/agencies.yaml:{customs}" in problem.message and f"content/agencies.yaml:{tipo}" in problem.message


# 35. CJK Markdown that silently fails to parse


@pytest.mark.parametrize("body, code, line", [
    ("#標題\n\n本季成果。", "W-MD-HEADING", BODY),
    ("本季成果。\n\n＃ 標題", "W-MD-HEADING", BODY + 2),
    ("這是**「重要」**的規定。", "W-MD-EMPHASIS", BODY),
    ("第一行，\n**重要。**後文", "W-MD-EMPHASIS", BODY + 1),
    ("這是__重要__的規定。", "W-MD-EMPHASIS", BODY),
    ("１. 第一項\n２. 第二項", "W-MD-LIST", BODY),
    ("\u3000- 第一項", "W-MD-LIST", BODY),
    ("本季辦理：\n\u3000- 第一項", "W-MD-LIST", BODY + 1),
    ("本季辦理：\n・說明會\n・研討會", "W-MD-LIST", BODY + 1),
    ("本季辦理：\n• 說明會", "W-MD-LIST", BODY + 1),
    ("1. 第一項\n\n本季另辦理：\n2. 第二項", "W-MD-LIST", BODY + 3),
], ids=["heading-no-space", "heading-full-width", "emphasis-brackets", "emphasis-full-stop", "emphasis-underscore",
        "list-full-width-digits", "list-ideographic-indent", "list-ideographic-indent-second-line",
        "list-katakana-dot", "list-bullet", "list-not-starting-at-1-in-paragraph"])
def test_case_35_cjk_markdown_that_silently_fails_warns_at_its_line(make_site, body, code, line):
    project = make_site({CUSTOMS: entry(body)})
    run = run_check(project)
    expect_warning(run, run_check(project, strict=True), code, CUSTOMS_PATH, line)
    only(run, code)


@pytest.mark.parametrize("body", [
    "# 標題\n\n本季成果。",
    "這是「**重要**」的規定，**重要**。後文",
    "- 第一項\n- 第二項",
    "1. 第一項\n2. 第二項",
    "\\#不是標題，\\*\\*不是強調\\*\\*，`**程式碼**`",
    "\u3000\u3000本季查扣侵權物品 1,234 件。",
    "107.5億元，3.1.5 措施，2018. 年",
])
def test_case_35_markdown_that_parses_as_meant_does_not_warn(make_site, body):
    run = check_body(make_site, body)
    assert run.problems == [], run.output


def test_case_35_commonmark_cannot_parse_emphasis_around_cjk_punctuation_hence_the_warning():
    # The flanking rules of CommonMark (commonmark-spec#650): a plugin fixing them would make this warning moot.
    assert render("這是**「重要」**的規定") == "<p>這是**「重要」**的規定</p>\n"
    assert render("這是「**重要**」的規定") == "<p>這是「<strong>重要</strong>」的規定</p>\n"


@pytest.mark.parametrize("text, html", [
    ("第一行\n第二行", "<p>第一行第二行</p>\n"),
    ("第一行。\n第二行", "<p>第一行。第二行</p>\n"),
    ("first line\nsecond line", "<p>first line\nsecond line</p>\n"),
    ("中文\nEnglish", "<p>中文\nEnglish</p>\n"),
])
def test_case_35_line_breaks_between_cjk_characters_are_removed_others_kept(text, html):
    assert render(text) == html


# 36. Nesting deeper than the renderer keeps


@pytest.mark.parametrize("body, line", [
    ("本季成果。\n\n" + ">" * 150 + " 最內層", BODY + 2),
    # Each level opens a list and an item: the ninth level is where it passes what the renderer keeps.
    ("本季成果。\n\n" + "".join("  " * i + "- 第 %d 層\n" % i for i in range(150)), BODY + 2 + 8),
    (">" * 5000 + " 最內層", BODY),
], ids=["150-quotes", "150-list-levels", "5000-quotes"])
def test_case_36_nesting_the_renderer_would_cut_is_refused_before_anything_is_lost(make_site, body, line):
    run = check_body(make_site, body)
    expect(run, "E-MD-NESTING", CUSTOMS_PATH, line)
    only(run, "E-MD-NESTING")


# 37. Accessibility gaps


def test_case_37_image_without_alt_text_is_refused(make_site):
    run = check_body(make_site, "本季成果：\n![](/assets/chart.png)")
    expect(run, "E-A11Y-ALT", CUSTOMS_PATH, BODY + 1)
    only(run, "E-A11Y-ALT")


def test_case_37_alt_text_in_one_language_only_is_refused_in_the_other_file(make_site):
    chinese = fixture_text(TIPO) + "\n![查獲金額統計圖](/assets/chart.png)\n"
    english = fixture_text(TIPO_EN) + "\n![](/assets/chart.png)\n"
    run = run_check(make_site({TIPO: chinese, TIPO_EN: english}))
    expect(run, "E-A11Y-ALT", "content/" + TIPO_EN, line_of(english, "![]"))
    only(run, "E-A11Y-ALT")


@pytest.mark.parametrize("src", ["chart.png", "https://evil.example/chart.png", "/zh/chart.png"])
def test_case_37_image_that_is_not_a_file_of_the_site_is_refused(make_site, src):
    run = check_body(make_site, f"![查獲金額統計圖]({src})")
    problem = expect(run, "E-MD-IMAGE", CUSTOMS_PATH, BODY)
    assert "/assets/" in problem.hint


def test_case_37_table_without_header_row_is_refused_at_the_table(make_site):
    run = check_body(make_site, "本季成果：\n\n| | |\n|---|---|\n| 查扣件數 | 1,234 |")
    expect(run, "E-A11Y-TABLE-HEADER", CUSTOMS_PATH, BODY + 2)
    only(run, "E-A11Y-TABLE-HEADER")


def test_case_37_table_with_header_row_passes(make_site):
    run = check_body(make_site, "| 項目 | 件數 |\n|---|---|\n| 查扣 | 1,234 |")
    assert run.problems == [], run.output


def test_case_37_heading_level_skip_warns(make_site):
    project = make_site({CUSTOMS: entry("# 成果\n\n本季成果。\n\n### 細節\n\n說明。")})
    expect_warning(run_check(project), run_check(project, strict=True), "W-MD-HEADING-SKIP", CUSTOMS_PATH, BODY + 4)


def test_case_37_editor_headings_get_no_id_that_could_clobber_the_page(mini_build):
    _, site = mini_build
    page = (site / "zh/quarters/2024-q3/goal-2/index.html").read_text(encoding="utf-8")
    assert "查扣成果 {#search}</h5>" in page
    assert page.count('id="search"') == 0
    assert render("# 標題 {#search}") == "<h1>標題 {#search}</h1>\n"


def test_case_37_editor_headings_rank_below_the_entry_heading(mini_build):
    _, site = mini_build
    measure = (site / "zh/plans/2024-2026/measures/2.1.1/index.html").read_text(encoding="utf-8")
    assert '<h4 class="entry-head" id="entry-' in measure and "<h5>查扣成果 {#search}</h5>" in measure


# 38. Bilingual mismatch and template typos


@pytest.mark.parametrize("old, new, field", [('measure: "1.1.1"', 'measure: "2.1.1"', "measure"),
                                             ("quarter: 2024-Q3", "quarter: 2024-Q2", "quarter"),
                                             ("agency: tipo", "agency: customs", "agency"),
                                             ('plan: "2024-2026"', 'plan: "2018"', "plan")])
def test_case_38_english_file_whose_ids_disagree_with_its_chinese_twin_names_both(make_site, old, new, field):
    english = fixture_text(TIPO_EN).replace(old, new)
    run = run_check(make_site({TIPO_EN: english}))
    problem = expect(run, "E-TRANSLATION-MISMATCH", "content/" + TIPO_EN, line_of(english, f"{field}:"))
    assert "content/outcomes/2024-Q3/1.1.1.tipo.md" in problem.message
    assert f'write {field}: "{old.split(": ")[1].strip(chr(34))}"' in problem.hint


def test_case_38_missing_english_is_not_a_problem(make_site):
    run = run_check(make_site({TIPO_EN: None}))
    assert run.exit_code == 0 and run.problems == [], run.output


def test_case_38_template_typo_fails_the_build_and_leaves_no_site(make_site):
    project = make_site({})
    base = project.templates / "base.html"
    text = base.read_text(encoding="utf-8").replace("<title>", "<title>{{ titel }}", 1)
    base.write_text(text, encoding="utf-8")
    out = project.root / "site"
    result = CliRunner().invoke(cli.cli, ["build", "--root", str(project.root), "--out", str(out), "--no-search"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"templates/base.html:{line_of(text, '{{ titel }}')}:" in result.output and "'titel' is undefined" in result.output
    assert not out.exists()
    assert not [p for p in project.root.iterdir() if p.name.startswith(".site-")]
