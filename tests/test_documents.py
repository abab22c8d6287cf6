"""Whole documents: the importer of PDF text exports keeps every character the PDF did not add, in order, and says
what it removed and where; the two seed documents are published as the sources write them; documents load with
every problem at its file and line; their pages, anchors, parts, and the links to and from measures and agencies."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from actionplan.base.errors import Problems
from actionplan.build.pipeline import Project, build, load
from actionplan.content.documents import PART_WEIGHT, anchor_part
from actionplan.importers.pdf_document import (
    document_characters, import_text, kept_source, read_export, removals_of, visible_characters,
)
from conftest import ROOT
from diagnostics import build as build_cli, expect, run_check

SEEDS = Path(__file__).resolve().parent / "seeds"
BUSINESS = SEEDS / "business-report-109-h2.txt"
APEC = SEEDS / "apec-ipeg-2019.txt"
BUSINESS_FILE = "content/documents/moea-business-report-109-h2.yaml"
APEC_FILE = "content/documents/apec-ipeg-2019-sme-ip.yaml"


def seed(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", [BUSINESS, APEC], ids=["business-report", "apec-report"])
def test_every_character_the_pdf_did_not_add_lands_in_the_document_in_order(path):
    text = seed(path)
    imported = import_text(text)
    kept = kept_source(text, imported.removals)
    got = document_characters([imported.preamble, *imported.sections])
    assert got == kept
    # What was removed is only what the PDF added: blank lines, page furniture, repeated link targets.
    removed_lines = {r.line for r in imported.removals if r.what != "space inside a number"}
    lines = text.split("\n")
    assert len(visible_characters(text)) - len(kept) == sum(len(visible_characters(lines[n - 1])) for n in removed_lines)


def test_running_headers_page_numbers_and_link_targets_are_removed_with_their_lines():
    removals = import_text(seed(BUSINESS)).removals
    by_kind = {}
    for removal in removals:
        by_kind.setdefault(removal.what, []).append(removal.line)
    assert by_kind["page number"] == [347, 650, 706, 1488, 1544, 2265, 2370, 4055]
    assert by_kind["running header"] == [343, 646, 704, 1486, 1542, 2263, 2368, 4053]
    assert by_kind["link target"] == [4875, 4876, 4901, 4902]
    lines = seed(BUSINESS).split("\n")
    assert all(not lines[n - 1].strip() for n in by_kind["blank line"])
    assert len(by_kind["blank line"]) == sum(1 for line in lines if not line.strip())


def test_a_running_header_never_lands_in_the_text():
    imported = import_text(seed(BUSINESS))

    def texts(sections):
        for section in sections:
            yield section.title
            yield from section.paragraphs
            yield from texts(section.sections)

    assert not [t for t in texts(imported.sections) if re.search(r"(工|投|能) {2,}(業|資|源)", t)]


def test_a_number_in_a_table_is_not_taken_for_a_page_number():
    removals = import_text(seed(APEC)).removals
    assert [r.line for r in removals if r.what == "page number"] == [251]
    lines = seed(APEC).split("\n")
    assert lines[1693].strip() == "1989" and 1694 not in {r.line for r in removals}
    assert [r.line for r in removals if r.what == "link target"] == [601, 602, 603, 604, 1144, 1145, 1146]


def test_a_number_split_across_lines_is_joined_without_a_space_and_the_removal_reported():
    imported = import_text(seed(BUSINESS))
    chapter = next(s for s in imported.sections if s.number == "玖、")
    texts = [p for section in chapter.sections for item in section.sections for p in item.paragraphs]
    assert any("共計發出 43 萬6,286 件電子公文" in t for t in texts)
    assert any(r.what == "space inside a number" and r.line == 3731 for r in imported.removals)
    # Spaces the source puts around digits elsewhere stay as written.
    assert texts[0].startswith("109 年發明專利案件平均審結期間已降至 13.9 個月")


def test_headings_are_read_at_the_levels_the_source_numbers_them():
    imported = import_text(seed(BUSINESS))
    assert [s.number for s in imported.sections] == [
        "壹、", "貳、", "参、", "肆、", "伍、", "陸、", "柒、", "捌、", "玖、", "拾、", "拾壹、", "拾貳、"]
    chapter = next(s for s in imported.sections if s.number == "玖、")
    assert [s.title for s in chapter.sections] == [
        "提升專利商標審查效能及品質", "優化智慧財產法制", "健全資訊服務及著作權授權環境",
        "協助企業智財創新發展及培育智財人才", "拓展國際智慧財產權合作", "落實智慧財產權保護"]
    assert sum(len(s.sections) for s in chapter.sections) == 28
    apec = import_text(seed(APEC))
    assert [s.number for s in apec.sections] == ["摘要", "壹、", "貳、", "參、", "肆、", "伍、"]
    meeting = apec.sections[3]
    assert [s.number for s in meeting.sections] == [f"{n}、" for n in
                                                   "一 二 三 四 五 六 七 八 九 十 十一 十二 十三".split()]
    annexes = apec.sections[5].sections
    assert [s.raw for s in annexes] == [True, True]
    assert annexes[1].paragraphs[0].split("\n")[:3] == ["APEC IPEG", "IP Commercialization for SMEs", "(CTI 32 2017A)"]


def test_anchors_follow_the_source_numbering():
    assert [anchor_part(m) for m in ("玖、", "拾壹、", "参、", "參、", "（一）", "(3)", "十三、", "1、", "附件 2、", "摘要")] == [
        "9", "11", "3", "3", "1", "3", "13", "1", "annex-2", "summary"]


def test_read_export_reports_a_file_that_is_not_utf8(tmp_path):
    bad = tmp_path / "export.txt"
    bad.write_bytes("經濟部".encode("cp950"))
    problems = Problems(tmp_path)
    assert read_export(bad, problems) is None
    assert [p.code for p in problems.errors] == ["E-ENC-UNKNOWN"]


def test_the_published_chapter_is_the_import_of_the_source_character_for_character():
    imported = import_text(seed(BUSINESS))
    chapter = next(s for s in imported.sections if s.number == "玖、")
    published = yaml.safe_load((ROOT / BUSINESS_FILE).read_text(encoding="utf-8"))
    shipped = next(s for s in published["sections"] if s.get("number") == "玖、")
    assert [(s["number"], s["title"]["zh"]) for s in shipped["sections"]] == [(s.number, s.title) for s in chapter.sections]
    assert [item["text"] for s in shipped["sections"] for item in s["sections"]] == [
        "\n\n".join(item.paragraphs) for s in chapter.sections for item in s.sections]
    opening = published["sections"][0]
    assert [opening["title"]["zh"], opening["text"]] == [imported.preamble.paragraphs[0], *imported.preamble.paragraphs[1:]]
    others = [s for s in published["sections"] if s.get("number") and s["number"] != "玖、"]
    assert len(others) == 11 and all(s["reproduced"] is False and "text" not in s for s in others)
    assert others[2]["number"] == "参、"  # U+53C2, as the source writes it


def test_the_published_apec_report_is_the_import_of_the_source_whole():
    imported = import_text(seed(APEC))
    published = yaml.safe_load((ROOT / APEC_FILE).read_text(encoding="utf-8"))

    def outline(imported_sections, shipped_sections) -> list[tuple]:
        pairs = []
        for mine, shipped in zip(imported_sections, shipped_sections, strict=True):
            pairs.append(((mine.number, mine.title, "\n\n".join(mine.paragraphs)),
                          (shipped.get("number") or "", (shipped.get("title") or {}).get("zh", ""), shipped.get("text") or "")))
            pairs += outline(mine.sections, shipped.get("sections") or [])
        return pairs

    pairs = outline(imported.sections, published["sections"])
    assert len(pairs) == 45  # every numbered section and item of the report
    assert [mine for mine, _ in pairs] == [shipped for _, shipped in pairs]
    assert [s["number"] for s in published["sections"][3]["sections"]] == [
        f"{n}、" for n in "一 二 三 四 五 六 七 八 九 十 十一 十二 十三".split()]


def test_shipped_documents_load_with_their_metadata_and_links():
    problems = Problems(ROOT)
    corpus = load(Project(ROOT), problems)
    assert not problems.errors
    documents = {d.id: d for d in corpus.documents}
    business, apec = documents["moea-business-report-109-h2"], documents["apec-ipeg-2019-sme-ip"]
    assert (business.kind, business.issuer, business.period.zh, business.date.zh) == (
        "business-report", "moea", "109年下半年", "未載明")
    assert (apec.kind, apec.issuer, apec.date.en) == ("meeting-report", "tipo", "Not stated")
    assert "tipo" in business.agencies
    assert ("2024-2026", "8.1.1") in apec.measures() and ("2018", "9.1.1") in apec.measures()
    for document in documents.values():
        for plan, measure in document.measures():
            assert corpus.measure(plan, measure) is not None
        anchors = [s.anchor for s in document.walk()]
        assert len(anchors) == len(set(anchors))
        # Every section is on exactly one page.
        assert sorted(a for part in document.parts for a in part.anchors) == sorted(anchors)


def test_a_long_document_is_cut_into_parts_within_the_weight():
    problems = Problems(ROOT)
    apec = next(d for d in load(Project(ROOT), problems).documents if d.id == "apec-ipeg-2019-sme-ip")
    parts = apec.parts
    assert len(parts) > 1 and parts[0].key == apec.id
    assert all(p.key.startswith(apec.id + "/s-") for p in parts[1:])
    for part in parts:
        weight = sum(s.weight if b.first and b.end == len(s.sections) else
                     sum(x.weight for x in s.sections[b.start:b.end]) for b in part.blocks for s in [b.section])
        assert weight <= PART_WEIGHT + 5_000


def document_file(**changes) -> str:
    fields = {"evidence_measure": "1.1.1", "issuer": "tipo", "agency": "tipo", "number2": "（二）", "kind": "meeting-report"}
    fields.update(changes)
    return f"""\
        id: test-report
        kind: {fields['kind']}
        issuer: {fields['issuer']}
        title:
          zh: 測試報告
        period:
          zh: 未載明
        date:
          zh: 未載明
        source:
          zh: 測試來源
        updated: 2026-12-07
        sections:
          - number: "壹、"
            title:
              zh: 目的
            agency: {fields['agency']}
            sections:
              - number: "（一）"
                text: 第一項。
                evidences:
                  - plan: "2024-2026"
                    measure: "{fields['evidence_measure']}"
                    why:
                      zh: 理由。
              - number: "{fields['number2']}"
                text: 第二項。
        """


def test_a_valid_document_passes_check(make_site):
    run = run_check(make_site({"documents/test-report.yaml": document_file()}))
    assert run.exit_code == 0, run.output


@pytest.mark.parametrize("changes, code, line", [
    ({"evidence_measure": "9.9.9"}, "E-MEASURE-UNKNOWN", 23),
    ({"issuer": "tipoo"}, "E-AGENCY-UNKNOWN", 3),
    ({"agency": "nobody"}, "E-AGENCY-UNKNOWN", 17),
    ({"number2": "（一）"}, "E-ID-DUPLICATE", 26),
    ({"kind": "memo"}, "E-ID-FORMAT", 2),
], ids=["unknown-measure", "unknown-issuer", "unknown-agency", "numbered-twice", "unknown-kind"])
def test_a_bad_document_is_reported_at_its_line(make_site, changes, code, line):
    run = run_check(make_site({"documents/test-report.yaml": document_file(**changes)}))
    expect(run, code, "content/documents/test-report.yaml", line)


def test_every_problem_of_a_document_is_reported_in_one_run(make_site):
    text = document_file(evidence_measure="9.9.9", agency="nobody", number2="（一）")
    run = run_check(make_site({"documents/test-report.yaml": text}))
    found = {(p.code, p.line) for p in run.problems}
    assert {("E-MEASURE-UNKNOWN", 23), ("E-AGENCY-UNKNOWN", 17), ("E-ID-DUPLICATE", 26)} <= found
    assert run.exit_code == 1 and "Traceback" not in run.output


def test_a_document_file_named_otherwise_than_its_id_is_refused(make_site):
    run = run_check(make_site({"documents/other.yaml": document_file()}))
    expect(run, "E-ID-MISMATCH", "content/documents/other.yaml", 1)


def test_import_document_writes_the_file_and_lists_every_removal(tmp_path, make_site):
    project = make_site({})
    result = CliRunner().invoke(build_cli.cli, [
        "import-document", str(BUSINESS), "--id", "business", "--kind", "business-report", "--issuer", "moea",
        "--title", "經濟部業務報告", "--period", "109年下半年", "--source", "測試", "--reproduce", "玖、",
        "--today", "2026-12-07", "--root", str(project.root)])
    assert result.exit_code == 0, result.output
    assert "Removed line 347: page number: ' 8 '" in result.output
    assert "Removed line 4875: link target: 'http://fault.moeacgs.gov.tw/MgFault/'" in result.output
    written = yaml.safe_load((project.content / "documents/business.yaml").read_text(encoding="utf-8"))
    assert [s.get("reproduced", True) for s in written["sections"][1:]] == [s == "玖、" for s in [
        "壹、", "貳、", "参、", "肆、", "伍、", "陸、", "柒、", "捌、", "玖、", "拾、", "拾壹、", "拾貳、"]]
    assert run_check(project).exit_code == 0


def test_import_document_refuses_a_chapter_the_export_lacks(make_site):
    project = make_site({})
    result = CliRunner().invoke(build_cli.cli, [
        "import-document", str(APEC), "--id", "apec", "--kind", "meeting-report", "--issuer", "tipo",
        "--title", "t", "--source", "s", "--reproduce", "玖、", "--root", str(project.root)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "玖、" in result.output
    assert not (project.content / "documents/apec.yaml").exists()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from conftest import _project_with

    root = tmp_path_factory.mktemp("documents")
    build(_project_with(root, ROOT / "content"), root / "site", strict=True, search=False)
    return root / "site"


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_the_documents_index_lists_each_document_in_both_languages(site):
    for lang in ("zh", "en"):
        html = page(site, f"{lang}/documents")
        assert f'href="/{lang}/documents/moea-business-report-109-h2/"' in html
        assert f'href="/{lang}/documents/apec-ipeg-2019-sme-ip/"' in html


def test_a_document_page_has_its_contents_anchors_and_figures_as_written(site):
    html = page(site, "zh/documents/moea-business-report-109-h2")
    assert html.count("<h1") == 1
    assert 'id="s-9"' in html and 'id="s-9-1-1"' in html and 'href="/zh/documents/moea-business-report-109-h2/#s-9-5"' in html
    for figure in ("109 年發明專利案件平均審結期間已降至 13.9 個月", "43 萬6,286 件", "7,740 件", "98.3％"):
        assert figure in html
    assert html.count("本站未收錄本章內文") == 11
    assert "参、" in html


def test_english_pages_mark_the_chinese_they_show_and_the_annex_is_english_on_the_chinese_page(site):
    en = page(site, "en/documents/moea-business-report-109-h2")
    assert "Intellectual property" in en and "Making patent and trademark examination faster and better" in en
    assert "the average time to dispose of an invention patent case fell to 13.9 months" in en
    assert '<span class="num" lang="zh-Hant-TW">（一）</span>' in en
    pending = page(site, "en/documents/apec-ipeg-2019-sme-ip")
    assert '<div lang="zh-Hant-TW">' in pending and "English translation pending" in pending
    apec = Path(site / "zh/documents/apec-ipeg-2019-sme-ip")
    annex = next(p for p in apec.rglob("index.html") if 'id="s-5-annex-2"' in p.read_text(encoding="utf-8"))
    html = annex.read_text(encoding="utf-8")
    start = html.index('id="s-5-annex-2"')
    assert '<div class="doc-text" lang="en">' in html[start:]
    summary = page(site, "en/documents/apec-ipeg-2019-sme-ip")
    assert "was held from 10 to 12 September 2019" in summary


def test_every_section_anchor_is_on_the_page_the_contents_link_to(site):
    for lang in ("zh", "en"):
        pages = list((site / lang / "documents").rglob("index.html"))
        ids = {p: set(re.findall(r' id="([^"]+)"', p.read_text(encoding="utf-8"))) for p in pages}
        for p in pages:
            for target, anchor in re.findall(r'href="/(%s/documents/[^"#]+)#([^"]+)"' % lang, p.read_text(encoding="utf-8")):
                assert anchor in ids[site / target / "index.html"], (p, target, anchor)


def test_measure_pages_list_the_documents_that_evidence_them(site):
    html = page(site, "zh/plans/2024-2026/measures/8.1.1")
    assert 'id="related-documents"' in html
    assert 'href="/zh/documents/apec-ipeg-2019-sme-ip/#s-2"' in html
    older = page(site, "en/plans/2018/measures/9.1.1")
    assert 'href="/en/documents/apec-ipeg-2019-sme-ip/#s-2"' in older
    assert "this site&#39;s reading" in older
    assert 'id="related-documents"' not in page(site, "zh/plans/2024-2026/measures/6.1.1")


def test_agency_pages_list_their_documents(site):
    assert 'href="/zh/documents/apec-ipeg-2019-sme-ip/"' in page(site, "zh/agencies/tipo")
    assert 'href="/zh/documents/moea-business-report-109-h2/"' in page(site, "zh/agencies/tipo")
    assert 'href="/en/documents/moea-business-report-109-h2/"' in page(site, "en/agencies/moea")
    assert "/documents/" not in page(site, "zh/agencies/customs")


def test_document_pages_are_a_type_of_their_own_for_the_search(site):
    html = page(site, "zh/documents/apec-ipeg-2019-sme-ip")
    assert 'data-pagefind-meta="type:document"' in html
    assert '<option value="document">文件</option>' in page(site, "zh/search")


def test_search_finds_documents_by_type_with_sub_results_at_their_sections(browser, server, published_site):
    from test_search import ask, results

    page = browser.new_page()
    ask(page, server, "/zh/search/?q=生物材料寄存相互合作&type=document")
    found = results(page)
    assert [r["url"] for r in found] == ["/zh/documents/moea-business-report-109-h2/"]
    assert found[0]["type"] == "文件" and found[0]["kind"].endswith("業務報告")
    assert any(sub["url"] == "/zh/documents/moea-business-report-109-h2/#s-9-5" for sub in found[0]["subs"])
    ask(page, server, "/zh/search/?q=生物材料寄存相互合作&type=measure")
    assert all("/documents/" not in r["url"] for r in results(page))
    page.close()


def test_a_rebuild_after_an_edit_of_a_document_renders_the_measure_and_agency_pages_that_show_it(real_site):
    out = real_site.root / "site"
    build(real_site, out, search=False)
    measure = out / "zh/plans/2024-2026/measures/8.1.1/index.html"
    assert "/zh/documents/apec-ipeg-2019-sme-ip/#s-2" in measure.read_text(encoding="utf-8")
    path = real_site.content / "documents/apec-ipeg-2019-sme-ip.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('      - plan: "2024-2026"\n        measure: "8.1.1"', '      - plan: "2024-2026"\n        measure: "8.1.2"'),
                    encoding="utf-8")
    build(real_site, out, search=False)
    assert "/zh/documents/apec-ipeg-2019-sme-ip/#s-2" not in measure.read_text(encoding="utf-8")
    assert "/zh/documents/apec-ipeg-2019-sme-ip/#s-2" in (out / "zh/plans/2024-2026/measures/8.1.2/index.html").read_text(encoding="utf-8")
    path.write_text(text.replace("issuer: tipo", "issuer: moea"), encoding="utf-8")
    build(real_site, out, search=False)
    assert "/zh/documents/apec-ipeg-2019-sme-ip/" in (out / "zh/agencies/moea/index.html").read_text(encoding="utf-8")


def test_every_english_text_of_a_document_states_the_figures_of_its_chinese():
    from figures import missing_figures

    problems = Problems(ROOT)
    translated = 0
    for document in load(Project(ROOT), problems).documents:
        for section in document.walk():
            for zh, en in ((section.text, section.text_en), *(((section.title.zh, section.title.en),) if section.title else ())):
                if zh and en and section.lang == "zh":
                    translated += 1
                    assert missing_figures(zh, en) == [], (document.id, section.anchor)
    assert translated > 60
