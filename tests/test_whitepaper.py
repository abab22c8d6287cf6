"""The white paper's responses (seed 002): imported from the text export, a .docx and an .odt into the same files,
every character of every response cell kept, re-importing changing nothing, bad input reported at its line with
nothing written; the content's counts; the pages and what they show."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from actionplan.base.errors import BuildFailed, Problems
from actionplan.build.pipeline import Project, build, load
from actionplan.content.whitepaper import response_cell, several, status_counts
from actionplan.importers.whitepaper import COLUMNS, import_whitepaper, read_document
from build import cli
from conftest import ROOT

SEED = Path("/work/shared/seeds/002_0ee813726d04382a.txt")
SEED = SEED if SEED.exists() else ROOT / "tests" / "seeds" / "whitepaper-2025.txt"
PAPER = "2025-cnfi"
BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")


@pytest.fixture(scope="module")
def corpus():
    problems = Problems(ROOT)
    loaded = load(Project(ROOT), problems)
    assert loaded is not None and not problems.errors
    return loaded


def seed_cells() -> list[str]:
    """Return each response's two cells as the seed writes them, without bookmarks and the blank lines ending a cell."""
    document = read_document(SEED, Problems())
    cells = []
    for row in document.rows[1:]:
        answer, status = ("\n".join(line.text for line in cell).rstrip() for cell in row[3:5])
        cells.append(BOOKMARK.sub("", answer.rstrip()) + "\n\t" + "\n".join(l for l in status.split("\n") if l.strip()).rstrip())
    return cells


def test_every_character_of_every_response_cell_lands_in_exactly_one_content_file(corpus):
    paper = corpus.whitepapers[PAPER]
    rebuilt = [response_cell(r) for r in paper.responses]
    assert sorted(rebuilt) == sorted(seed_cells())
    files = sorted((ROOT / "content" / "whitepapers" / PAPER / "responses").glob("*.md"))
    assert len([f for f in files if not f.name.endswith(".en.md")]) == len(paper.responses) == 74


def test_the_seed_counts(corpus):
    paper = corpus.whitepapers[PAPER]
    assert (len(paper.chapters), len(paper.issues), len(paper.recommendations), len(paper.responses)) == (1, 5, 33, 74)
    single = [r.statuses[0].status for r in paper.responses if len(r.statuses) == 1]
    assert {s: single.count(s) for s in set(single)} == {"adopted": 37, "partly-adopted": 26, "under-study": 6, "not-adopted": 3}
    assert several(paper.responses) == 2
    assert all(c.qualifier for r in paper.responses if len(r.statuses) > 1 for c in r.statuses)
    assert [c.qualifier is not None for r in paper.responses for c in r.statuses if c.status == "not-adopted"].count(True) == 1
    assert sum(status_counts(paper.responses).values()) == 74 + 3  # the two of 衛生福利部 choose 3 and 2
    agencies = [r.agency for r in paper.responses]
    assert (agencies.count("moea"), agencies.count("mohw"), agencies.count("mof")) == (21, 8, 6)
    assert sorted(r.reported_as for r in paper.responses if r.agency == "ndc") == ["國家發展委員會(人力處)", "國家發展委員會(經濟處)"]
    assert all(r.continuing is None for r in paper.responses)  # blank in the source: not stated, never "no"


def test_heading_variants_and_laws_are_read(corpus):
    responses = corpus.whitepapers[PAPER].responses
    headings = {r.laws_heading for r in responses}
    assert {"2、 涉及法規：", "2、 涉及法規", "2.涉及法規："} <= headings
    multi = [r for r in responses if r.laws and "\n" in r.laws.zh]
    assert multi and all(r.laws_heading == "2、 涉及法規" for r in multi)
    assert [r.key for r in responses if r.laws is None] == ["1.1.5.moea"]
    assert any(r.progress_heading.startswith("1、 目前進度及未來規劃：") for r in responses)


def test_compatibility_ideographs_are_kept_byte_exact(corpus):
    seed = SEED.read_text(encoding="utf-8")
    compat = {c for c in seed if "\uf900" <= c <= "\ufaff"}
    assert compat
    text = "".join(r.progress.zh for r in corpus.whitepapers[PAPER].responses)
    assert compat <= set(text)


def _copy_project(tmp_path: Path) -> Project:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return Project(tmp_path)


def test_reimporting_the_seed_changes_nothing(tmp_path):
    project = _copy_project(tmp_path)
    result, problems = import_whitepaper(project, SEED, PAPER, __import__("datetime").date(2030, 1, 1))
    assert result.writes == {} and len(result.unchanged) == 75
    assert [p.code for p in problems.warnings] == ["W-IMPORT-BOOKMARK", "W-IMPORT-BOOKMARK"]


def _seed_document():
    return read_document(SEED, Problems())


def test_a_docx_and_an_odt_built_with_the_libraries_import_to_the_same_files(tmp_path):
    docx = pytest.importorskip("docx")
    odfdo = pytest.importorskip("odfdo")
    document = _seed_document()
    clean = lambda text: BOOKMARK.sub("", text)  # Word keeps bookmarks out of the text
    word = docx.Document()
    for line in document.before:
        word.add_paragraph(line.text)
    table = word.add_table(rows=0, cols=len(COLUMNS))
    odt = odfdo.Document("text")
    for line in document.before:
        odt.body.append(odfdo.Paragraph(line.text))
    odt_table = odfdo.Table("responses")
    for row in document.rows:
        cells = table.add_row().cells
        odt_row = odfdo.Row()
        for cell, lines in zip(cells, row):
            texts = [clean(line.text) for line in lines] or [""]
            cell.text = texts[0]
            for text in texts[1:]:
                cell.add_paragraph(text)
            odt_cell = odfdo.Cell()
            for text in texts:
                odt_cell.append(odfdo.Paragraph(text))
            odt_row.append(odt_cell)
        odt_table.append(odt_row)
    odt.body.append(odt_table)
    word.save(tmp_path / "responses.docx")
    odt.save(tmp_path / "responses.odt")
    for name in ("responses.docx", "responses.odt"):
        project = _copy_project(tmp_path / name.replace(".", "-"))
        result, _ = import_whitepaper(project, tmp_path / name, PAPER, __import__("datetime").date(2030, 1, 1))
        assert result.writes == {}, (name, sorted(p.name for p in result.writes)[:3])
        assert len(result.unchanged) == 75


def test_what_cannot_be_placed_is_reported_at_its_line_and_nothing_is_written(tmp_path):
    project = _copy_project(tmp_path)
    shutil.rmtree(project.content / "whitepapers")
    text = SEED.read_text(encoding="utf-8")
    broken = text.replace("\t國防部\n", "\t國防局\n", 1).replace("☐研議中\n不參採\n", "☐研議中\n☐不參採\n", 1)
    source = tmp_path / "broken.txt"
    source.write_text(broken, encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        import_whitepaper(project, source, PAPER, __import__("datetime").date(2030, 1, 1))
    errors = failed.value.problems.errors
    lines = broken.split("\n")
    unknown = next(p for p in errors if p.code == "E-AGENCY-UNKNOWN")
    assert lines[unknown.line - 1] == "\t國防局" and unknown.path.endswith("broken.txt")
    status = next(p for p in errors if p.code == "E-IMPORT-STATUS")
    assert "☐" in lines[status.line - 1] or "參採" in lines[status.line - 1]
    assert not (project.content / "whitepapers").exists()


def test_check_reports_a_bad_status_at_its_file_and_line_with_what_to_write(tmp_path):
    project = _copy_project(tmp_path)
    target = project.content / "whitepapers" / PAPER / "responses" / "1.3.3.moea.md"
    text = target.read_text(encoding="utf-8").replace('  - "研議中"', '  - "研究中"')
    target.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--root", str(tmp_path)])
    assert result.exit_code == 1
    line = text.split("\n").index('  - "研究中"') + 1
    assert f"content/whitepapers/{PAPER}/responses/1.3.3.moea.md:{line}" in result.output
    assert "E-STATUS" in result.output or "已參採" in result.output
    assert "Traceback" not in result.output


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("wp-site")
    build(Project(ROOT), out, strict=True, search=False)
    return out


def test_the_overview_shows_the_counts_in_a_chart_and_a_table_in_both_languages(site, corpus):
    counts = status_counts(corpus.whitepapers[PAPER].responses)
    for lang, word in (("zh", "已參採"), ("en", "Adopted")):
        html = (site / lang / "whitepapers" / PAPER / "index.html").read_text(encoding="utf-8")
        assert "<svg" in html and "<script" not in html
        table = html[html.index('<table class="wp-counts">'):]
        for status, n in counts.items():
            row = re.search(rf'status/{status}/">.*?</tr>', table, re.S).group(0)
            alone = sum(1 for r in corpus.whitepapers[PAPER].responses if [c.status for c in r.statuses] == [status])
            assert re.findall(r"<td>(\d+)</td>", row) == [str(n), str(alone)]
        assert word in html


def test_a_response_page_and_the_agency_and_measure_pages(site):
    page = (site / "en" / "whitepapers" / PAPER / "responses" / "1-3-3-moea" / "index.html").read_text(encoding="utf-8")
    assert "Copyright Act" in page and "Site annotation" in page and "measures/2.2.4/" in page
    agency = (site / "zh" / "agencies" / "mohw" / "index.html").read_text(encoding="utf-8")
    assert agency.count("whitepapers/2025-cnfi/responses/") == 8
    measure = (site / "zh" / "plans" / "2024-2026" / "measures" / "2.2.4" / "index.html").read_text(encoding="utf-8")
    assert "本站加註" in measure and "1-3-3-moea" in measure
    status = (site / "zh" / "whitepapers" / PAPER / "status" / "not-adopted" / "index.html").read_text(encoding="utf-8")
    assert status.count('href="/zh/whitepapers/2025-cnfi/responses/') == 3
    english = (site / "en" / "whitepapers" / PAPER / "responses" / "1-1-1-moda" / "index.html").read_text(encoding="utf-8")
    assert 'lang="zh-Hant-TW"' in english and "translation pending" in english.lower()


def test_search_finds_a_response_by_type_status_and_agency_and_links_to_it(browser, server):
    from test_search import ask, results

    page = browser.new_page()
    ask(page, server, "/zh/search/?q=著作權法&type=response&status=under-study&agency=moea")
    found = results(page)
    assert [r["url"] for r in found] == ["/zh/whitepapers/2025-cnfi/responses/1-3-3-moea/"]
    assert found[0]["type"] == "白皮書回應"
    ask(page, server, "/zh/search/?q=著作權法&type=response&status=adopted&agency=moea")
    assert "/zh/whitepapers/2025-cnfi/responses/1-3-3-moea/" not in [r["url"] for r in results(page)]
    page.close()


def test_new_response_scaffolds_a_file_that_check_then_asks_to_fill_in(tmp_path):
    project = _copy_project(tmp_path)
    runner = CliRunner()
    again = runner.invoke(cli, ["new-response", "--whitepaper", PAPER, "--recommendation", "1.3.3", "--agency", "moea",
                                "--root", str(tmp_path)])
    assert again.exit_code == 2 and "already exists" in again.output
    unknown = runner.invoke(cli, ["new-response", "--whitepaper", PAPER, "--recommendation", "1.3.9", "--agency", "moe",
                                  "--root", str(tmp_path)])
    assert unknown.exit_code == 2 and "1.3.9" in unknown.output
    made = runner.invoke(cli, ["new-response", "--whitepaper", PAPER, "--recommendation", "1.3.3", "--agency", "教育部",
                               "--en", "--root", str(tmp_path)])
    assert made.exit_code == 0, made.output
    target = project.content / "whitepapers" / PAPER / "responses" / "1.3.3.moe.md"
    assert target.exists() and (target.parent / "1.3.3.moe.en.md").exists()
    assert "order: 2" in target.read_text(encoding="utf-8")
    checked = runner.invoke(cli, ["check", "--root", str(tmp_path)])
    assert checked.exit_code == 1
    assert "1.3.3.moe.md:" in checked.output and "status" in checked.output and "Traceback" not in checked.output


def test_a_link_to_a_measure_that_is_not_in_the_plan_is_reported_at_its_line(tmp_path):
    project = _copy_project(tmp_path)
    path = project.content / "whitepapers" / PAPER / "whitepaper.yaml"
    text = path.read_text(encoding="utf-8").replace('"2024-2026/5.2.1"', '"2024-2026/5.2.9"')
    path.write_text(text, encoding="utf-8")
    from actionplan.build.pipeline import check
    with pytest.raises(BuildFailed) as failed:
        check(project)
    found = [p for p in failed.value.problems.errors if p.code == "E-MEASURE-UNKNOWN"]
    assert len(found) == 1 and found[0].path == f"content/whitepapers/{PAPER}/whitepaper.yaml"
    assert "2024-2026/5.2.9" in text.split("\n")[found[0].line - 1]
    assert "did you mean" in found[0].hint


def test_search_reads_a_compatibility_ideograph_as_the_character_readers_type_and_the_page_keeps_it(site):
    from actionplan.site.search import indexable

    page = (site / "zh" / "whitepapers" / PAPER / "responses" / "1-3-4-motc" / "index.html").read_text(encoding="utf-8")
    assert "\uf969" in page  # 數 as the source writes it, in 數位轉型培力
    assert "\uf969" not in indexable(page) and " \u6578 位 " in indexable(page)
